#!/usr/bin/env python3
"""Benchmark of `check --state` (issue 17): a night of about 100k events run against a state
already holding many open cases, against a plain `check` of that night alone; and the bytes
a case that ended keeps in the state.

    cargo build --release
    python3 scripts/bench-state.py [--open 1000000] [--night-cases 2000] [--runs 3]

Every figure is the best of --runs wall-clock runs of the release binary; each state run
starts from a fresh copy of the prepared state (the copy is not timed).
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "reglament")
AS_OF = "2026-06-01T00:00:00+00:00"


def run(args, **kw):
    return subprocess.run([BIN] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def best(label, args, prepare=None, runs=3):
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        t = time.perf_counter()
        p = run(args)
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            sys.exit(f"{label}: exit {p.returncode}: {p.stderr.decode()}")
    print(f"{label}: {min(times):.3f} s (best of {runs})")
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--open", type=int, default=1_000_000, help="open cases in the state")
    ap.add_argument("--night-cases", type=int, default=1000, help="generated cases per rule set in the night")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--overdue", action="store_true", help="open cases overdue at --as-of (judged every night)")
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="reglament-bench-state-")
    night = os.path.join(d, "night.jsonl")
    subprocess.run([BIN, "generate", "--cases", str(a.night_cases), "--seed", "7", "--faults", "0.1",
                    "--as-of", AS_OF, "--out", night], check=True, stderr=subprocess.DEVNULL)
    events = sum(1 for _ in open(night))
    # Open cases: the first event of a generated case under a new case id each, a sign-in
    # on the portal that nobody followed up (no deadline runs for the applicant), at the
    # time of the night's first event.
    lines = [json.loads(l) for l in open(night)]
    seen, starts = set(), []
    for e in lines:
        if (e["service"], e["case"]) not in seen:
            seen.add((e["service"], e["case"]))
            starts.append(e)
    # --overdue: a case the provider accepted and never went on with, overdue at --as-of
    # (every such case is judged again every night); else a portal sign-in, which runs
    # no deadline for the applicant.
    want = "provider" if a.overdue else "portal"
    one = os.path.join(d, "one.jsonl")
    first = None
    for e in starts[len(starts) // 2:]:
        if e.get("channel") != want:
            continue
        # A case start with no finding of its own at its own time (not an injected fault).
        with open(one, "w") as f:
            f.write(json.dumps(dict(e, case="probe")) + "\n")
        if run(["check", "-q", one, "--as-of", e["at"]]).returncode == 0:
            first = e
            break
    del lines, starts
    history = os.path.join(d, "history.jsonl")
    with open(history, "w") as f:
        for i in range(a.open):
            e = dict(first, case=f"open-{i}")
            f.write(json.dumps(e) + "\n")
    state0 = os.path.join(d, "state0.db")
    t = time.perf_counter()
    p = run(["check", "-q", history, "--state", state0, "--as-of", first["at"]])
    print(f"prepare: {a.open} open cases stored in {time.perf_counter() - t:.1f} s, "
          f"state {os.path.getsize(state0) / 1e6:.1f} MB (exit {p.returncode}), first event {first}")
    state = os.path.join(d, "state.db")

    def fresh():
        shutil.copyfile(state0, state)

    print(f"night: {events} events")
    plain = best("check night (in memory)", ["check", "-q", night, "--as-of", AS_OF, "--format", "json"], runs=a.runs)
    stream = best("check night --stream", ["check", "-q", "--stream", night, "--as-of", AS_OF, "--format", "json"], runs=a.runs)
    with_state = best(f"check night --state ({a.open} open cases)",
                      ["check", "-q", night, "--state", state, "--as-of", AS_OF, "--format", "json"],
                      prepare=fresh, runs=a.runs)
    print(f"ratio --state / plain check: {with_state / plain:.2f}")
    # Bytes per ended case: a state of the night alone, every generated case ended.
    only = os.path.join(d, "only.db")
    run(["check", "-q", night, "--state", only, "--as-of", AS_OF])
    import sqlite3
    c = sqlite3.connect(only)
    ended = c.execute("SELECT count(*) FROM cases WHERE end_step IS NOT NULL").fetchone()[0]
    opened = c.execute("SELECT count(*) FROM cases WHERE end_step IS NULL").fetchone()[0]
    findings = c.execute("SELECT count(*) FROM findings").fetchone()[0]
    page = c.execute("PRAGMA page_size").fetchone()[0]
    pages = {}
    try:
        for name, n in c.execute("SELECT name, count(*) FROM dbstat GROUP BY name"):
            pages[name] = n * page
    except sqlite3.Error:
        pass
    c.close()
    size = os.path.getsize(only)
    print(f"state of the night alone: {size} bytes, {ended} ended cases, {opened} open, {findings} findings")
    if pages:
        cases_bytes = sum(v for k, v in pages.items() if k.startswith("cases") or k == "sqlite_autoindex_cases_1")
        print(f"  table cases: {cases_bytes} bytes = {cases_bytes / max(ended + opened, 1):.0f} bytes per case row")
    shutil.rmtree(d)


if __name__ == "__main__":
    main()
