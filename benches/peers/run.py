#!/usr/bin/env python3
"""Peer benchmark (issue 9, "Throughput"): reglament against PM4Py on the same generated log.

The steps, in order:

1. generate a JSON Lines log with `reglament generate` (the release binary);
2. export it to the form PM4Py reads: one CSV per service with `case:concept:name`,
   `concept:name` and `time:timestamp` (UTC), read back into one pandas DataFrame per service;
3. build one Petri net per service from OUR rule set's process graph
   (`reglament rules show ID --format json`: steps, `start`, `end`, `next`), discover a temporal
   profile per service from its log (neither timed), then time PM4Py's token-based replay and
   temporal-profile conformance over all services;
4. time `reglament check` on the same JSON Lines file (wall clock, best of N, page cache warm);
5. print a table and write it, with the machine and its load, to `results.json`.

Not run in CI: it needs PM4Py (`requirements.txt`) and minutes of CPU time. See README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

# PM4Py draws a progress bar per call; drawing is not checking, so it is off
os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CASE, ACTIVITY, TIMESTAMP = "case:concept:name", "concept:name", "time:timestamp"


class BenchError(Exception):
    """A step of the benchmark could not be done; the message says which and why."""


# ---------------------------------------------------------------------------------------------
# reglament, through its CLI only


def generate_log(reglament: Path, cases: int, seed: int, out: Path) -> list[str]:
    """Write a generated log to `out` and return the command used.

    The generator is being reworked (issue 9, "Generator with ground truth"): this is the one
    place that knows its flags. Today: `generate [ID...] --cases N --seed S --out FILE`, with the
    default fault rate (`--late-one-in 20`), so both tools see some deviations.
    """
    cmd = [str(reglament), "generate", "--cases", str(cases), "--seed", str(seed), "--out", str(out)]
    run_checked(cmd)
    return cmd


def rule_set(reglament: Path, service: str) -> dict:
    """The rule set of `service` as the engine sees it (templates resolved)."""
    out = run_checked([str(reglament), "rules", "show", service, "--format", "json"])
    try:
        return json.loads(out)
    except json.JSONDecodeError as e:
        raise BenchError(f"rules show {service}: not JSON: line {e.lineno}: {e.msg}") from e


def editions(reglament: Path) -> dict[str, str]:
    """Service id -> id of its bundled rule set (`rules list`).

    One net per service needs one graph per service: a service with two editions in force at
    different times would need a net per edition and the cases split by date, which this
    benchmark does not do, so it stops instead of picking one.
    """
    out = run_checked([str(reglament), "rules", "list", "--format", "json"])
    by_service: dict[str, str] = {}
    try:
        listed = json.loads(out)
        for rs in listed:
            service, rid = rs["service"], rs["id"]
            if service in by_service:
                raise BenchError(f"service {service}: two rule sets ({by_service[service]}, {rid}); "
                                 "the benchmark models one edition per service")
            by_service[service] = rid
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise BenchError(f"rules list --format json: unexpected output: {e}") from e
    return by_service


def run_checked(cmd: list[str], ok_codes: tuple[int, ...] = (0,)) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in ok_codes:
        raise BenchError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def time_reglament(reglament: Path, log: Path, repeat: int) -> dict:
    """Best wall-clock time of `reglament check LOG --format json` over `repeat` runs.

    The file is read once first so every timed run finds it in the page cache. Exit code 1
    (violations found) is the expected outcome on a generated log; 2 is an error.
    """
    with open(log, "rb") as f:
        while f.read(1 << 24):
            pass
    report = Path(tempfile.mkstemp(prefix="reglament-report-", suffix=".json")[1])
    empty = Path(tempfile.mkstemp(prefix="reglament-empty-", suffix=".jsonl")[1])
    try:
        times, cpu = timed_runs(repeat, [str(reglament), "check", str(log), "--format", "json",
                                         "--out", str(report)])
        with open(report, encoding="utf-8") as f:
            summary = json.load(f)["summary"]
        fixed, _ = timed_runs(repeat, [str(reglament), "check", str(empty), "--format", "json",
                                       "--out", str(report)])
    finally:
        report.unlink(missing_ok=True)
        empty.unlink(missing_ok=True)
    summary["files"] = ["LOG"]
    return {"command": ["reglament", "check", "LOG", "--format", "json", "--out", "REPORT"],
            "runs_s": times, "best_s": min(times), "cpu_runs_s": cpu, "best_cpu_s": min(cpu),
            "summary": summary,
            "empty_log_best_s": min(fixed),
            "empty_log_note": "the same command on an empty log: start-up and loading the bundled "
                              "rule sets, a fixed cost inside best_s (not subtracted anywhere)"}


def timed_runs(repeat: int, cmd: list[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system, all threads) seconds of `repeat` runs of `cmd`.

    Exit 1 (violations found) is a success. CPU time is what the shared machine's load
    disturbs least, so it is kept beside the wall clock.
    """
    times, cpu = [], []
    for _ in range(repeat):
        c0 = children_cpu()
        t0 = time.perf_counter()
        run_checked(cmd, ok_codes=(0, 1))
        times.append(time.perf_counter() - t0)
        cpu.append(children_cpu() - c0)
    return times, cpu


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# ---------------------------------------------------------------------------------------------
# export: JSON Lines -> one CSV per service -> one DataFrame per service


def parse_at(value: str, zone: str, where: str) -> str:
    """`at` as a UTC ISO 8601 string; a time without offset is read in the rule set's zone."""
    try:
        t = datetime.fromisoformat(value)
    except ValueError as e:
        raise BenchError(f"{where}: field `at`: {e}") from e
    if t.tzinfo is None:
        t = t.replace(tzinfo=ZoneInfo(zone))
    return t.astimezone(timezone.utc).isoformat()


def export_csv(log: Path, zones: dict[str, str], outdir: Path) -> dict[str, dict]:
    """Split `log` into `outdir/SERVICE.csv`, keeping file order within each service.

    Returns per service: the CSV path and its event count. Lines of services without a rule
    set, and blank lines, are counted apart under the key `""` (none in a generated log).
    """
    rows: dict[str, list] = defaultdict(list)
    skipped = 0
    with open(log, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{log}:{n}"
            try:
                ev = json.loads(line)
                service, case, step, at = ev["service"], ev["case"], ev["step"], ev["at"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise BenchError(f"{where}: not an event: {e}") from e
            if service not in zones:
                skipped += 1
                continue
            rows[service].append((case, step, parse_at(at, zones[service], where)))
    out = {}
    for service, events in sorted(rows.items()):
        path = outdir / f"{service}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([CASE, ACTIVITY, TIMESTAMP])
            w.writerows(events)
        out[service] = {"csv": path, "events": len(events)}
    if skipped:
        out[""] = {"csv": None, "events": skipped}
    return out


def read_frames(exported: dict[str, dict]):
    """One PM4Py-formatted DataFrame per service, read from the exported CSVs."""
    import pandas as pd
    import pm4py

    frames = {}
    for service, e in exported.items():
        if not service:
            continue
        df = pd.read_csv(e["csv"], dtype={CASE: str, ACTIVITY: str})
        df[TIMESTAMP] = pd.to_datetime(df[TIMESTAMP], utc=True, format="ISO8601")
        frames[service] = pm4py.format_dataframe(df, case_id=CASE, activity_key=ACTIVITY,
                                                 timestamp_key=TIMESTAMP)
    return frames


# ---------------------------------------------------------------------------------------------
# our process graph as a Petri net


def petri_net(rs: dict):
    """A workflow net of the rule set's graph, with one visible transition per step.

    Each step `s` has an input place `in_s`, an output place `out_s` and a transition labelled
    `s` between them. Each successor edge `a -> b` (`next`) is a silent transition
    `out_a -> in_b`; each start step is reached from `source`, and each end step (`end`) leads
    to `sink`, both silently. Labels stay unique, as PM4Py's token replay requires; the silent
    edges keep "b may follow a" exact. Channels and variants are not modelled: PM4Py sees one
    graph per service, the union of all routes, so it checks less than `reglament check`.
    """
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

    net = PetriNet(rs["id"])
    source, sink = PetriNet.Place("source"), PetriNet.Place("sink")
    net.places.update((source, sink))
    inp, out = {}, {}
    for s in rs["steps"]:
        sid = s["id"]
        inp[sid], out[sid] = PetriNet.Place(f"in_{sid}"), PetriNet.Place(f"out_{sid}")
        t = PetriNet.Transition(f"t_{sid}", sid)
        net.places.update((inp[sid], out[sid]))
        net.transitions.add(t)
        add_arc_from_to(inp[sid], t, net)
        add_arc_from_to(t, out[sid], net)

    def silent(name: str, a, b):
        t = PetriNet.Transition(name, None)
        net.transitions.add(t)
        add_arc_from_to(a, t, net)
        add_arc_from_to(t, b, net)

    for s in rs["steps"]:
        sid = s["id"]
        if s.get("start"):
            silent(f"start_{sid}", source, inp[sid])
        if s.get("end"):
            silent(f"end_{sid}", out[sid], sink)
        for nxt in s.get("next", []):
            if nxt not in inp:
                raise BenchError(f"rule set {rs['id']}: step {sid}: `next` names unknown step {nxt}")
            silent(f"{sid}->{nxt}", out[sid], inp[nxt])
    return net, Marking({source: 1}), Marking({sink: 1})


# ---------------------------------------------------------------------------------------------
# PM4Py timings


def time_pm4py(frames: dict, nets: dict, profiles: dict, repeat: int) -> dict:
    """Best-of-`repeat` totals of token replay and temporal-profile conformance over all services.

    Each is timed as one loop over the services (one call per service), so a run's total is the
    time PM4Py needs to check the whole log. Per-service times come from the best run.
    """
    import pm4py

    best = {"token_replay": None, "temporal_profile": None}
    outcome = {}
    for _ in range(repeat):
        per = {}
        c_all, t_all = time.process_time(), time.perf_counter()
        for service, df in frames.items():
            net, im, fm = nets[service]
            t0 = time.perf_counter()
            res = pm4py.conformance_diagnostics_token_based_replay(
                df, net, im, fm, return_diagnostics_dataframe=False)
            per[service] = time.perf_counter() - t0
            outcome.setdefault(service, {})["traces"] = len(res)
            outcome[service]["unfit_traces"] = sum(1 for r in res if not r["trace_is_fit"])
        keep(best, "token_replay", time.perf_counter() - t_all, time.process_time() - c_all, per)

        per = {}
        c_all, t_all = time.process_time(), time.perf_counter()
        for service, df in frames.items():
            if not profiles[service]:
                # nothing to check (a service whose cases have one event each); PM4Py's
                # DataFrame path fails on an empty profile instead of returning no deviations
                outcome[service]["traces_with_time_deviation"] = 0
                continue
            t0 = time.perf_counter()
            res = pm4py.conformance_temporal_profile(
                df, profiles[service], zeta=1.0, return_diagnostics_dataframe=False)
            per[service] = time.perf_counter() - t0
            outcome[service]["traces_with_time_deviation"] = sum(1 for r in res if r)
        keep(best, "temporal_profile", time.perf_counter() - t_all, time.process_time() - c_all, per)
    return {"best": best, "outcome": outcome}


def keep(best: dict, key: str, total: float, cpu: float, per: dict) -> None:
    """Add a run's wall and CPU seconds; per-service times follow the best wall clock."""
    cur = best[key]
    if cur is None:
        best[key] = {"runs_s": [total], "best_s": total, "cpu_runs_s": [cpu], "best_cpu_s": cpu,
                     "per_service_s": per}
        return
    cur["runs_s"].append(total)
    cur["cpu_runs_s"].append(cpu)
    cur["best_cpu_s"] = min(cur["best_cpu_s"], cpu)
    if total < cur["best_s"]:
        cur["best_s"], cur["per_service_s"] = total, per


# ---------------------------------------------------------------------------------------------
# the machine


def machine() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "kernel": platform.release()}


def uptime() -> dict:
    """`uptime` output and its 1/5/15-minute load averages: other engineers share the cores."""
    text = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {"uptime": text, "loadavg": list(os.getloadavg())}


def versions() -> dict:
    import pandas as pd
    import pm4py

    return {"pm4py": pm4py.__version__, "pandas": pd.__version__}


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="cases per rule set (2000: ~139 k events)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of reglament check (best kept)")
    ap.add_argument("--pm4py-repeat", type=int, default=3, help="timed runs of each PM4Py check")
    ap.add_argument("--reglament", type=Path, default=REPO / "target/release/reglament")
    ap.add_argument("--no-build", action="store_true", help="skip `cargo build --release --locked`")
    ap.add_argument("--workdir", type=Path, help="where the logs go (default: a temporary folder)")
    ap.add_argument("--results", type=Path, default=HERE / "results.json")
    args = ap.parse_args()
    try:
        return bench(args)
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def bench(args) -> int:
    if not args.no_build:
        run_checked(["cargo", "build", "--release", "--locked", "--manifest-path", str(REPO / "Cargo.toml")])
    if not args.reglament.is_file():
        raise BenchError(f"{args.reglament}: no such binary (build with `cargo build --release`)")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return bench_in(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="reglament-peers-") as work:
        return bench_in(args, Path(work))


def bench_in(args, work: Path) -> int:
    """The benchmark proper, with the logs in `work`."""
    load_before = uptime()
    log = work / f"generated-{args.cases}-{args.seed}.jsonl"
    gen_cmd = generate_log(args.reglament, args.cases, args.seed, log)

    rule_sets = {s: rule_set(args.reglament, rid) for s, rid in editions(args.reglament).items()}
    zones = {s: rs["timezone"] for s, rs in rule_sets.items()}
    t0 = time.perf_counter()
    exported = export_csv(log, zones, work)
    export_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frames = read_frames(exported)
    read_s = time.perf_counter() - t0

    import pm4py

    nets = {s: petri_net(rule_sets[s]) for s in frames}
    profiles = {s: pm4py.discover_temporal_profile(df) for s, df in frames.items()}
    pm = time_pm4py(frames, nets, profiles, args.pm4py_repeat)
    rg = time_reglament(args.reglament, log, args.repeat)
    load_after = uptime()

    events = sum(len(df) for df in frames.values())
    if rg["summary"].get("events") != events:
        raise BenchError(f"reglament read {rg['summary'].get('events')} events, PM4Py {events}")
    tr, tp = pm["best"]["token_replay"]["best_s"], pm["best"]["temporal_profile"]["best_s"]
    rs = rg["best_s"]
    row = {
        "events": events, "cases_per_rule_set": args.cases, "seed": args.seed,
        "services": len(frames), "log_bytes": log.stat().st_size,
        "pm4py_token_replay_s": tr, "pm4py_temporal_profile_s": tp, "reglament_s": rs,
        "ratio": (tr + tp) / rs, "ratio_token_replay": tr / rs, "ratio_temporal_profile": tp / rs,
    }
    record = {
        **row,
        "reglament_events_per_s": events / rs,
        "cpu_s": {"pm4py_token_replay": pm["best"]["token_replay"]["best_cpu_s"],
                  "pm4py_temporal_profile": pm["best"]["temporal_profile"]["best_cpu_s"],
                  "reglament": rg["best_cpu_s"],
                  "ratio": (pm["best"]["token_replay"]["best_cpu_s"]
                            + pm["best"]["temporal_profile"]["best_cpu_s"]) / rg["best_cpu_s"],
                  "note": "best CPU seconds (user + system, all threads) of the same runs: less "
                          "disturbed by the other load than the wall clock; reglament's include "
                          "both worker threads"},
        "ratio_is": "(PM4Py token replay + temporal profile) / reglament check, best wall clock of each",
        "not_timed": {"export_jsonl_to_csv_s": export_s, "read_csv_to_dataframes_s": read_s,
                      "note": "export, CSV reading, net building and profile discovery are not timed"},
        "generate_command": [Path(gen_cmd[0]).name] + gen_cmd[1:-1] + ["LOG"],
        "bench_command": bench_command(args),
        "reglament_commit": git_head(),
        "reglament": {**rg, "threads": "default (one per core)"},
        "pm4py": {**pm["best"], "repeat": args.pm4py_repeat, "threads": 1,
                  "outcome_per_service": pm["outcome"], "versions": versions(),
                  "model": "one workflow net per service from `rules show` (unique step labels, "
                           "silent successor edges; channels and variants not modelled); temporal "
                           "profile discovered from the service's own log, zeta 1.0"},
        "machine": machine(),
        "load": {"note": "shared machine: other engineers' builds and tests ran at the same time, "
                         "so the timings are upper bounds",
                 "niceness": os.nice(0),
                 "before": load_before, "after": load_after},
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    print_table(row, record)
    write_results(args.results, record)
    return 0


def bench_command(args) -> str:
    """The command that reproduces this record (where the logs went does not matter)."""
    cmd = f"nice python3 benches/peers/run.py --cases {args.cases} --seed {args.seed}"
    return cmd + f" --repeat {args.repeat} --pm4py-repeat {args.pm4py_repeat}"


def git_head() -> str:
    """The commit benchmarked, with `-dirty` when tracked files other than the results changed."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run(git + ["rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown"
    changed = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no", "--", ".",
                                    ":!benches/peers/results.json"], capture_output=True, text=True)
    return head.stdout.strip() + ("-dirty" if changed.stdout.strip() else "")


def print_table(row: dict, record: dict) -> None:
    m = record["machine"]
    print(f"{'events':>9} {'token replay s':>15} {'temporal prof s':>16} {'reglament s':>12} {'ratio':>7}")
    print(f"{row['events']:>9} {row['pm4py_token_replay_s']:>15.3f} {row['pm4py_temporal_profile_s']:>16.3f}"
          f" {row['reglament_s']:>12.3f} {row['ratio']:>6.1f}x")
    print(f"ratio = (token replay + temporal profile) / reglament; token replay alone "
          f"{row['ratio_token_replay']:.1f}x, temporal profile alone {row['ratio_temporal_profile']:.1f}x")
    rg = record["reglament"]
    print(f"reglament: {record['reglament_events_per_s'] / 1e6:.2f} M events/s end to end; "
          f"an empty log takes {rg['empty_log_best_s']:.3f} s (start-up and rule loading)")
    c = record["cpu_s"]
    print(f"CPU seconds: token replay {c['pm4py_token_replay']:.3f}, temporal profile "
          f"{c['pm4py_temporal_profile']:.3f}, reglament {c['reglament']:.3f}: ratio {c['ratio']:.1f}x")
    print(f"machine: nproc {m['nproc']}, {m['cpu_model']}; load average before "
          f"{record['load']['before']['loadavg']}, after {record['load']['after']['loadavg']}")


def write_results(path: Path, record: dict) -> None:
    """Keep one record per (cases, seed): a rerun replaces its own size, not the others."""
    runs = []
    if path.exists():
        with open(path, encoding="utf-8") as f:
            runs = json.load(f).get("runs", [])
    runs = [r for r in runs if (r["cases_per_rule_set"], r["seed"]) != (record["cases_per_rule_set"], record["seed"])]
    runs.append(record)
    runs.sort(key=lambda r: r["events"])
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"runs": runs}, f, indent=2, ensure_ascii=False, default=str)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
