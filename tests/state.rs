//! Issue 17, nightly runs that remember (`check --state`): a log cut into nights gives,
//! after the last night, the findings of one run over all of it; an event given twice is
//! read once; a run killed at any moment leaves the state as it was; a second run waits;
//! a file that is not a reglament state of this version is refused and left untouched.

use reglament::calendar::Calendar;
use reglament::check::{self, AsOf, Mode, Options};
use reglament::generate::{Spec, generate};
use reglament::log::Reader;
use reglament::report::Report;
use reglament::report::since::Status;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use reglament::state::Store;
use reglament::state::night::{self, Input};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// A fresh folder of its own for each test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("reglament-state-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ms(t: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap()
        .timestamp_millis()
}

/// The last night is judged here: inside the calendar, after every generated case.
const LAST_AS_OF: &str = "2026-06-01T00:00:00+00:00";

/// A generated log of rule set `id` (faults injected), its lines in time order.
fn generated(cat: &Catalog, cal: &Calendar, id: &str, seed: u64) -> Vec<(i64, String)> {
    let set = cat.sets.iter().find(|s| s.id() == id).unwrap();
    let spec = Spec {
        cases: 40,
        seed,
        faults: 0.4,
        as_of: Some(ms(LAST_AS_OF)),
    };
    let mut log = Vec::new();
    generate(&[set], &cat.sets, cal, &spec, &mut log, None).unwrap();
    let mut lines: Vec<(i64, String)> = String::from_utf8(log)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (ms(v["at"].as_str().unwrap()), l.to_owned())
        })
        .collect();
    lines.sort_by_key(|(t, _)| *t); // stable: equal times keep their order
    lines
}

/// Cuts time-ordered lines into `n` nights of about equal size, each cut between two
/// different times (so a night is "every event before midnight"), cases cut anywhere.
fn nights(lines: &[(i64, String)], n: usize) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=n {
        let mut end = if k == n {
            lines.len()
        } else {
            lines.len() * k / n
        };
        while end > start && end < lines.len() && lines[end].0 == lines[end - 1].0 {
            end += 1;
        }
        let end = end.max(start);
        let text: String = lines[start..end]
            .iter()
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        // The night's run judges open cases at the first moment of the next night.
        let as_of = lines.get(end).map_or(ms(LAST_AS_OF), |(t, _)| *t);
        out.push((text, as_of));
        start = end;
    }
    out
}

fn options(at: i64) -> Options {
    Options {
        mode: Mode::Sequential,
        as_of: Some(AsOf::new(at)),
    }
}

/// One night on the state at `path`, as `check --state` runs it.
fn night_run(
    cat: &Catalog,
    cal: &Calendar,
    path: &Path,
    name: &str,
    text: &str,
    at: i64,
) -> Report {
    let store = Store::open(path, Duration::from_secs(5)).unwrap();
    let mut reader = Reader::new(cat);
    reader.read_str(name, text);
    let input = Input {
        name: name.to_owned(),
        size: Some(text.len() as u64),
        sha256: None,
    };
    let report = night::run(&store, cat, cal, &options(at), reader.finish(), &[input]).unwrap();
    store.commit().unwrap();
    report
}

/// What a finding is, for comparing two runs: identity, where and when, and the deadline.
type Seen = (String, String, String, String, String, String, String);

fn seen(r: &Report) -> BTreeMap<Seen, usize> {
    let mut m = BTreeMap::new();
    for f in &r.violations {
        let k = (
            f.service.to_string(),
            f.case.to_string(),
            f.kind.as_str().to_owned(),
            f.step
                .clone()
                .or_else(|| f.term.clone())
                .unwrap_or_default(),
            f.cite.clone().unwrap_or_default(),
            f.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            f.deadline.map(|d| d.to_iso()).unwrap_or_default(),
        );
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// The equivalence of issue 17: on a generated log of every rule set, cut into 3 nights
/// in the middle of cases, the findings new or open after the last night are exactly
/// those of one in-memory run over all the nights at the last night's `--as-of`, and so
/// are the cases due soon.
#[test]
fn nights_carried_over_give_the_findings_of_one_run() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let d = dir("equivalence");
    let mut due_soon = 0;
    for (i, set) in cat.sets.iter().enumerate() {
        let lines = generated(&cat, &cal, set.id(), 17 + i as u64);
        let nights = nights(&lines, 3);
        let state = d.join(format!("{}.db", set.id()));
        let due = |r: &Report| {
            let mut d: Vec<String> = (r.due_soon.iter())
                .map(|d| {
                    format!(
                        "{}|{}|{}|{}",
                        d.service,
                        d.case,
                        d.step,
                        d.deadline.to_iso()
                    )
                })
                .collect();
            d.sort();
            d
        };
        let mut last = None;
        let mut reader = Reader::new(&cat);
        for (k, (text, at)) in nights.iter().enumerate() {
            let name = format!("night{k}.jsonl");
            let night = night_run(&cat, &cal, &state, &name, text, *at);
            // After every night, not only the last: the same findings as one run over
            // the nights so far, and the same cases due soon (the open cases a night
            // does not replay are not due within --due-within: cases.recheck_at).
            reader.read_str(&name, text);
            let mut so_far = Reader::new(&cat);
            for (j, (t, _)) in nights.iter().enumerate().take(k + 1) {
                so_far.read_str(&format!("night{j}.jsonl"), t);
            }
            let whole = check::run(&cat, &cal, so_far.finish(), &options(*at));
            assert_eq!(seen(&night), seen(&whole), "{} night {k}", set.id());
            assert_eq!(due(&night), due(&whole), "{} night {k}: due soon", set.id());
            due_soon += whole.due_soon.len();
            last = Some(night);
        }
        let last = last.unwrap();
        let whole = check::run(&cat, &cal, reader.finish(), &options(ms(LAST_AS_OF)));
        assert!(
            !whole.violations.is_empty(),
            "{}: no finding to compare",
            set.id()
        );
        assert_eq!(seen(&last), seen(&whole), "{}", set.id());
        let since = last.since.as_ref().unwrap();
        let c = since.changes;
        assert_eq!(
            (c.new + c.open) as usize,
            last.violations.len(),
            "{}",
            set.id()
        );
        assert_eq!(since.statuses.len(), last.violations.len());
        // Consequences point at their root in the merged list too.
        for f in &last.violations {
            if let Some(root) = f.caused_by {
                let r = &last.violations[root];
                assert_eq!((&r.case, &r.service), (&f.case, &f.service), "{}", set.id());
            }
        }
    }
    assert!(
        due_soon > 0,
        "no case due soon in any night: the comparison is empty"
    );
}

/// A case open and overdue last night (`open_overdue`) that has since completed: its
/// `open_overdue` is resolved, and the overrun the completion shows is new (or, past
/// the calendar's data, the `outside_calendar` that says it cannot be judged).
#[test]
fn a_completed_overdue_case_is_resolved_and_its_overrun_is_new() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let d = dir("resolved");
    let mut checked = 0;
    for (i, set) in cat.sets.iter().enumerate() {
        let lines = generated(&cat, &cal, set.id(), 100 + i as u64);
        let nights = nights(&lines, 2);
        let state = d.join(format!("{}.db", set.id()));
        let (t0, a0) = &nights[0];
        let first = night_run(&cat, &cal, &state, "n0.jsonl", t0, *a0);
        let s0 = first.since.as_ref().unwrap();
        assert!(s0.statuses.iter().all(|s| *s == Status::New));
        assert!(s0.previous.is_none());
        let (t1, a1) = &nights[1];
        let second = night_run(&cat, &cal, &state, "n1.jsonl", t1, *a1);
        let s1 = second.since.as_ref().unwrap();
        assert_eq!(s1.previous.as_ref().map(|p| p.0), Some(1));
        for r in &s1.resolved {
            if r.kind != reglament::engine::Kind::OpenOverdue {
                continue;
            }
            // Resolved: it was reported last night, and is not listed tonight.
            assert!(
                first
                    .violations
                    .iter()
                    .any(|f| f.case == r.case && f.kind == r.kind)
            );
            let tonight: Vec<_> = (second.violations.iter().zip(&s1.statuses))
                .filter(|(f, _)| f.case == r.case && f.service == r.service)
                .collect();
            assert!(
                !tonight
                    .iter()
                    .any(|(f, _)| f.kind == r.kind && f.step == r.step),
                "{}: {} still listed",
                set.id(),
                r.case
            );
            let completed = t1
                .lines()
                .any(|l| l.contains(&format!("\"case\":\"{}\"", r.case)));
            if completed {
                assert!(
                    tonight.iter().any(|(f, s)| **s == Status::New
                        && matches!(
                            f.kind.as_str(),
                            // The completion came past the calendar's data: not judged.
                            "step_overdue" | "term_overdue" | "outside_calendar"
                        )),
                    "{}: {} resolved with no new overrun: {tonight:?}",
                    set.id(),
                    r.case
                );
                checked += 1;
            }
        }
        // Every finding still there from last night is `open`, every other `new`.
        for (f, s) in second.violations.iter().zip(&s1.statuses) {
            let before = first.violations.iter().any(|g| {
                (&g.case, &g.service, g.kind, &g.step, &g.term, &g.cite)
                    == (&f.case, &f.service, f.kind, &f.step, &f.term, &f.cite)
            });
            if !before {
                assert_eq!(*s, Status::New, "{}: {f:?}", set.id());
            }
        }
    }
    assert!(
        checked > 0,
        "no overdue open case completed in any generated log"
    );
}

/// The same night given twice (a re-run): every event is a duplicate, nothing is new or
/// resolved, and every finding is still open.
#[test]
fn the_same_night_twice_is_read_once() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let lines = generated(&cat, &cal, "almaty-2014-3-584-bus-carriage-licence", 5);
    let nights = nights(&lines, 2);
    let d = dir("rerun");
    let state = d.join("s.db");
    let (t0, a0) = &nights[0];
    let first = night_run(&cat, &cal, &state, "n0.jsonl", t0, *a0);
    let again = night_run(&cat, &cal, &state, "n0.jsonl", t0, *a0);
    let s1 = again.since.as_ref().unwrap();
    assert_eq!(again.summary.events, 0);
    assert_eq!(again.summary.rejected, first.summary.events);
    assert_eq!(s1.changes.new, 0);
    assert_eq!(s1.changes.resolved, 0);
    assert_eq!(s1.changes.open as usize, first.violations.len());
    assert_eq!(seen(&again), seen(&first));
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reglament"))
}

/// A night of a small generated log written to `dir`.
fn write_nights(d: &Path, n: usize) -> Vec<(PathBuf, String)> {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let lines = generated(&cat, &cal, "almaty-2014-3-584-veterinary-licence", 9);
    nights(&lines, n)
        .into_iter()
        .enumerate()
        .map(|(k, (text, at))| {
            let p = d.join(format!("night{k}.jsonl"));
            std::fs::write(&p, text).unwrap();
            let as_of = chrono::DateTime::from_timestamp_millis(at)
                .unwrap()
                .to_rfc3339();
            (p, as_of)
        })
        .collect()
}

fn run_night(state: &Path, log: &Path, as_of: &str, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["check", "-q", "--format", "json", "--state"])
        .arg(state)
        .arg(log)
        .args(["--as-of", as_of])
        .args(extra)
        .output()
        .unwrap()
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stderr));
    })
}

/// An overlapping re-export: tonight's file holds last night's events too. They are
/// rejected as duplicates and counted once; the findings are those of the two nights.
#[test]
fn an_overlapping_re_export_is_not_counted_twice() {
    let d = dir("overlap");
    let n = write_nights(&d, 2);
    let both = d.join("both.jsonl");
    let text =
        std::fs::read_to_string(&n[0].0).unwrap() + &std::fs::read_to_string(&n[1].0).unwrap();
    std::fs::write(&both, &text).unwrap();
    let state = d.join("s.db");
    let first = json(&run_night(&state, &n[0].0, &n[0].1, &[]));
    let second = json(&run_night(&state, &both, &n[1].1, &["--fail-on", "new"]));
    let night0 = first["summary"]["events"].as_u64().unwrap();
    assert_eq!(
        second["summary"]["rejected_by_reason"]["duplicate"].as_u64(),
        Some(night0)
    );
    let one = json(
        &bin()
            .args(["check", "-q", "--format", "json", "--as-of", &n[1].1])
            .arg(&both)
            .output()
            .unwrap(),
    );
    let key = |v: &Value| {
        format!(
            "{}|{}|{}|{}|{}",
            v["service"], v["case"], v["kind"], v["step"], v["at"]
        )
    };
    let mut a: Vec<String> = second["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    let mut b: Vec<String> = one["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    for v in second["violations"].as_array().unwrap() {
        assert!(matches!(v["status"].as_str(), Some("new" | "open")), "{v}");
    }
    // The report with statuses, changes and resolved findings is valid against the schema.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for r in [&first, &second] {
        let errors: Vec<String> = validator
            .iter_errors(r)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(r["resolved"].is_array() && r["rule_sets_changed"].is_object());
    }
    let c = &second["summary"]["changes"];
    assert_eq!(
        c["new"].as_u64().unwrap() + c["open"].as_u64().unwrap(),
        a.len() as u64
    );
    // The same night once more: nothing new, exit 0 with --fail-on new.
    let third = run_night(&state, &both, &n[1].1, &["--fail-on", "new"]);
    assert_eq!(
        third.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
    assert_eq!(json(&third)["summary"]["changes"]["new"].as_u64(), Some(0));
    let h = bin()
        .args(["history", "--format", "json", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    let h = json(&h);
    let runs = h["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[2]["new"].as_u64(), Some(0));
    assert_eq!(runs[1]["as_of"].as_str(), Some(n[1].1.as_str()));
    assert_eq!(
        runs[1]["inputs"][0]["size"].as_u64(),
        Some(text.len() as u64)
    );
}

/// The state's bytes: the file and any journal beside it.
fn snapshot(state: &Path) -> Vec<u8> {
    std::fs::read(state).unwrap_or_default()
}

/// The open cases, findings and runs, as rows: what the next run reads.
fn rows(state: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(state).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT service || case_id || seq || at FROM open_events ORDER BY 1",
        "SELECT service || case_id || coalesce(end_at, '') || violated FROM cases ORDER BY 1",
        "SELECT service || case_id || kind || subject || ref || nth || first_run || coalesce(resolved_run, '') FROM findings ORDER BY 1",
        "SELECT run || as_of || new || open || resolved FROM runs ORDER BY 1",
    ] {
        let mut st = c.prepare(sql).unwrap();
        let r = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(r.map(Result::unwrap));
    }
    out
}

/// Kill -9 at random moments of a run, again and again: each time the state is as it
/// was before the killed run (the next run rolls the journal back), and the run after
/// gives the same report as if the killed runs had never started.
#[test]
fn a_run_killed_at_any_moment_leaves_the_state_as_it_was() {
    let d = dir("kill");
    let n = write_nights(&d, 2);
    let state = d.join("s.db");
    let ok = run_night(&state, &n[0].0, &n[0].1, &[]);
    assert!(ok.status.code().is_some_and(|c| c < 2));
    let before = rows(&state);
    let clean = d.join("clean.db");
    std::fs::copy(&state, &clean).unwrap();
    let mut rng = fastrand::Rng::with_seed(17);
    let mut killed = 0;
    for _ in 0..25 {
        let mut child = bin()
            .args(["check", "-q", "--format", "json", "--state"])
            .arg(&state)
            .arg(&n[1].0)
            .args(["--as-of", &n[1].1])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A random moment: from at once to well past the end of a run.
        std::thread::sleep(Duration::from_micros(rng.u64(0..400_000)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() || status.code() == Some(1) {
            // The run finished before the kill: start again from the state before it.
            std::fs::copy(&clean, &state).unwrap();
            let _ = std::fs::remove_file(d.join("s.db-journal"));
        }
        assert_eq!(rows(&state), before, "after a kill");
    }
    assert!(killed > 0, "no run was killed halfway");
    let after_kills = json(&run_night(&state, &n[1].0, &n[1].1, &[]));
    let _ = std::fs::remove_file(d.join("clean.db-journal"));
    let never = json(&run_night(&clean, &n[1].0, &n[1].1, &[]));
    assert_eq!(after_kills, never);
    assert_eq!(snapshot(&state).len(), snapshot(&clean).len());
}

/// Two runs on one state: the second waits for the first, up to `--state-wait`, then
/// gives up with exit code 2 and a message saying so; the first finishes as usual.
#[test]
fn a_second_run_waits_then_gives_up_with_exit_code_2() {
    let d = dir("writers");
    let n = write_nights(&d, 2);
    let state = d.join("s.db");
    assert!(
        run_night(&state, &n[0].0, &n[0].1, &[])
            .status
            .code()
            .is_some_and(|c| c < 2)
    );
    // Hold the state's write lock as a run does, for as long as the test needs.
    let holder = rusqlite::Connection::open(&state).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let second = run_night(&state, &n[1].0, &n[1].1, &["--state-wait", "0"]);
    assert_eq!(second.status.code(), Some(2));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("another run is using it"), "{err}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    // A real run holding it: the first blocks on a FIFO that nobody writes yet.
    let fifo = d.join("tonight.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let first = bin()
            .args(["check", "-q", "--format", "json", "--state"])
            .arg(&state)
            .arg(&fifo)
            .args(["--as-of", &n[1].1])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the first run holds the lock (it takes it before reading its input).
        let probe = rusqlite::Connection::open(&state).unwrap();
        let mut held = false;
        for _ in 0..2000 {
            if probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK").is_err() {
                held = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(probe);
        assert!(held, "the first run never took the lock");
        let second = run_night(&state, &n[1].0, &n[1].1, &["--state-wait", "0"]);
        assert_eq!(second.status.code(), Some(2));
        std::fs::write(&fifo, std::fs::read(&n[1].0).unwrap()).unwrap();
        let out = first.wait_with_output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(json(&out)["summary"]["changes"]["resolved"].is_u64());
    }
}

/// Writes a file to refuse.
type Maker = Box<dyn Fn(&Path)>;

/// Files that are not a reglament state this build can use: refused with exit code 2
/// and a message, the file byte for byte as it was.
#[test]
fn a_foreign_corrupt_or_newer_file_is_refused_untouched() {
    let d = dir("refused");
    let n = write_nights(&d, 1);
    let cases: Vec<(&str, Maker, &str)> = vec![
        (
            "text.db",
            Box::new(|p: &Path| std::fs::write(p, "not a database\n").unwrap()),
            "not an SQLite database",
        ),
        (
            "foreign.db",
            Box::new(|p: &Path| {
                let c = rusqlite::Connection::open(p).unwrap();
                c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
                    .unwrap();
            }),
            "another application",
        ),
        (
            "newer.db",
            Box::new(|p: &Path| {
                let c = rusqlite::Connection::open(p).unwrap();
                c.execute_batch(&format!(
                    "PRAGMA application_id = {}; PRAGMA user_version = 99; CREATE TABLE future (x);",
                    reglament::state::schema::APPLICATION_ID
                ))
                .unwrap();
            }),
            "newer reglament",
        ),
        (
            "corrupt.db",
            Box::new(|p: &Path| {
                let c = rusqlite::Connection::open(p).unwrap();
                c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
                    .unwrap();
                drop(c);
                let mut bytes = std::fs::read(p).unwrap();
                for b in bytes.iter_mut().skip(100) {
                    *b = 0xA5;
                }
                std::fs::write(p, bytes).unwrap();
            }),
            "damaged",
        ),
    ];
    for (name, make, says) in cases {
        let p = d.join(name);
        make(&p);
        let before = std::fs::read(&p).unwrap();
        let out = run_night(&p, &n[0].0, &n[0].1, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(err.contains("untouched"), "{name}: {err}");
        assert_eq!(std::fs::read(&p).unwrap(), before, "{name} was changed");
    }
}

/// `--state` needs `--as-of` (no hidden clock), and `--fail-on new` needs `--state`.
#[test]
fn state_needs_as_of_and_fail_on_new_needs_state() {
    let d = dir("usage");
    let n = write_nights(&d, 1);
    let o = bin()
        .args(["check", "-q", "--state"])
        .arg(d.join("s.db"))
        .arg(&n[0].0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs --as-of"));
    assert!(
        !d.join("s.db").exists(),
        "no state is created by a refused run"
    );
    let o = bin()
        .args(["check", "-q", "--fail-on", "new"])
        .arg(&n[0].0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs --state"));
}

/// A run that cannot do its job in full (a log file missing) exits with 2 and records
/// nothing: the next run, given the whole night, is not told those events were read.
#[test]
fn a_run_that_exits_with_2_records_nothing() {
    let d = dir("exit2");
    let n = write_nights(&d, 2);
    let state = d.join("s.db");
    assert!(
        run_night(&state, &n[0].0, &n[0].1, &[])
            .status
            .code()
            .is_some_and(|c| c < 2)
    );
    let before = rows(&state);
    let missing = d.join("missing.jsonl");
    let o = bin()
        .args(["check", "-q", "--format", "json", "--state"])
        .arg(&state)
        .arg(&n[1].0)
        .arg(&missing)
        .args(["--as-of", &n[1].1])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(rows(&state), before);
    let again = json(&run_night(&state, &n[1].0, &n[1].1, &[]));
    assert_eq!(
        again["summary"]["rejected_by_reason"]["duplicate"].as_u64(),
        None
    );
}
