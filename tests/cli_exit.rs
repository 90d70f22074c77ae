//! Exit codes that tell the truth (issue 8): a closed output pipe, a log of which no line
//! was accepted, `--fail-on-rejected`, `--jobs` past its cap, and `--out` written
//! atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn reglament() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reglament"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> Output {
    reglament().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test under the system's temp folder.
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("reglament-exit-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `check ARGS` with its standard output a pipe whose reading end is closed before
/// the report is written (as `| head -0` would): exit code and standard error.
fn with_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    with_closed_pipe_of("check", args)
}

/// [`with_closed_pipe`] for any subcommand.
fn with_closed_pipe_of(command: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut child = reglament()
        .arg(command)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    (o.status.code(), stderr(&o))
}

/// Only the writing stops: violations still exit 1, a missing file still exits 2 and is
/// still named on standard error. Before, both exited 0 and the message was lost.
#[test]
fn a_closed_output_pipe_keeps_the_exit_code_and_the_messages() {
    let (code, err) = with_closed_pipe(&["logs/sample.jsonl"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !err.contains("Broken pipe"),
        "a closed pipe is quiet: {err}"
    );
    let (code, err) = with_closed_pipe(&["logs/sample.jsonl", "no/such/file.jsonl"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no/such/file.jsonl: "), "{err}");
    for format in ["json", "csv", "html"] {
        let (code, err) = with_closed_pipe(&["logs/sample.jsonl", "--format", format]);
        assert_eq!(code, Some(1), "{format}: {err}");
    }
    // `inspect` too: an unreadable file is exit 2 whether or not the pipe was read.
    let (code, err) = with_closed_pipe_of("inspect", &["logs/sample.jsonl", "no/such.jsonl"]);
    assert_eq!(code, Some(2), "{err}");
}

/// A file of which every line was rejected (a CSV export given as JSON Lines, a binary
/// file) is not "no violations": exit 2, saying why.
#[test]
fn no_accepted_event_from_a_non_empty_input_exits_2() {
    let d = dir("all-rejected");
    let csv = d.join("export.jsonl");
    std::fs::write(
        &csv,
        "case,service,step,at\nk1,edge,a,2016-06-01T10:00:00+06:00\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        csv.to_str().unwrap(),
        "--rules",
        "tests/data/rules-edge",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no event accepted: all 2 line(s) read were rejected"),
        "{}",
        stderr(&o)
    );
    let bin = d.join("binary.jsonl");
    std::fs::write(&bin, [0u8, 159, 146, 150, 10, 255, 254, 10]).unwrap();
    let o = run(&["check", bin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // An empty input is not a failed one: a warning in the report, exit 0.
    let empty = d.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let o = run(&["check", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A rejected line beside accepted events does not change the exit code, unless
/// `--fail-on-rejected` is given: then exit 2.
#[test]
fn fail_on_rejected_makes_any_rejected_line_exit_2() {
    let d = dir("some-rejected");
    let log = d.join("log.jsonl");
    let good = r#"{"case":"k","service":"edge","step":"a","at":"2016-06-01T10:00:00+06:00"}"#;
    std::fs::write(&log, format!("{good}\n{{bad\n")).unwrap();
    let log = log.to_str().unwrap();
    let args = ["check", log, "--rules", "tests/data/rules-edge"];
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "open case, no violation: {}",
        stderr(&o)
    );
    let o = run(&[&args[..], &["--fail-on-rejected"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("1 of 2 line(s) rejected (--fail-on-rejected)"),
        "{}",
        stderr(&o)
    );
    // Without rejected lines the flag changes nothing.
    let o = run(&["check", "logs/sample.jsonl", "--fail-on-rejected"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// `--jobs 100000` spent minutes creating threads; past 8 per core it is refused.
#[test]
fn jobs_past_the_cap_are_refused() {
    for n in ["100000", "0"] {
        let o = run(&["check", "logs/sample.jsonl", "--jobs", n]);
        assert_eq!(o.status.code(), Some(2), "{n}");
        assert!(
            stderr(&o).contains(&format!("--jobs {n}: expected 1 to ")),
            "{}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty(), "no report when refused");
    }
    let o = run(&["check", "logs/sample.jsonl", "--jobs", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// Files in `d` other than `keep`: a temporary file left behind would show here.
fn others(d: &Path, keep: &str) -> Vec<String> {
    std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect()
}

/// A failed run leaves the last good report as it was, and no temporary file; a good
/// run replaces it whole.
#[test]
fn out_is_written_atomically() {
    let d = dir("out");
    let out = d.join("report.json");
    std::fs::write(&out, "the last good report").unwrap();
    let outs = out.to_str().unwrap();
    // Fails before writing: bad rule directory.
    let empty = d.join("no-rules");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&["check", "--out", outs, "--rules", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the last good report"
    );
    // Succeeds: replaced whole, nothing else left in the folder.
    let o = run(&[
        "check",
        "logs/sample.jsonl",
        "--format",
        "json",
        "--out",
        outs,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(report["summary"]["events"].as_u64().unwrap() > 0);
    assert_eq!(others(&d, "report.json"), vec!["no-rules".to_string()]);
}

/// A failure in the middle of writing (the writer errs after half a report) leaves the
/// old file untouched and removes the temporary one.
#[test]
fn a_failure_while_writing_leaves_the_old_report() {
    let d = dir("half");
    let out = d.join("report.txt");
    std::fs::write(&out, "old").unwrap();
    let mut o = reglament::cli::Output::open(Some(&out)).unwrap();
    let r = o.write_with(|w| {
        w.write_all(&[b'x'; 100_000])?;
        Err(std::io::Error::other("disk full"))
    });
    let e = r.unwrap_err().to_string();
    assert_eq!(e, format!("{}: disk full", out.display()));
    drop(o);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    assert!(
        others(&d, "report.txt").is_empty(),
        "{:?}",
        others(&d, "report.txt")
    );
    // `--out` into a folder that does not exist names the file asked for.
    let missing = d.join("no/such/dir/report.txt");
    let e = reglament::cli::Output::open(Some(&missing))
        .err()
        .unwrap()
        .to_string();
    assert!(e.starts_with(&missing.display().to_string()), "{e}");
}

/// The findings about step `b` of a case left open at step `a` on 1 June 2016, judged
/// at `as_of`, as `(kind, ref, message)`.
fn open_at_a(as_of: &str) -> Vec<(String, String, String)> {
    let mut child = reglament()
        .args([
            "check",
            "-",
            "--rules",
            "tests/data/rules-edge",
            "--format",
            "json",
        ])
        .args(["--as-of", as_of])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let line = r#"{"case":"k","service":"edge","step":"a","at":"2016-06-01T10:00:00+06:00"}"#;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["step"] == "b")
        .map(|v| (s(&v["kind"]), s(&v["ref"]), s(&v["message"])))
        .collect()
}

/// Step `b` of the edge rule set must follow `a` "1 (бір) жұмыс күні ішінде" (para 2).
/// Judged inside the calendar the open case is overdue; judged past the calendar's end
/// (2030) the working days cannot be counted, and the step was silently dropped (exit
/// 0 without the term). Now it is `outside_calendar`, citing para 2, naming the date,
/// and giving the deadline, which the calendar does cover.
#[test]
fn as_of_past_the_calendar_does_not_drop_an_open_case() {
    let inside = open_at_a("2016-07-01");
    assert_eq!(inside.len(), 1, "{inside:?}");
    assert_eq!(
        (inside[0].0.as_str(), inside[0].1.as_str()),
        ("open_overdue", "2")
    );
    let past = open_at_a("2030-01-01");
    assert_eq!(past.len(), 1, "{past:?}");
    assert_eq!(
        (past[0].0.as_str(), past[0].1.as_str()),
        ("outside_calendar", "2")
    );
    // The deadline itself lies inside the calendar: it is given, and said to have
    // passed; only the working days taken are not counted.
    assert!(
        past[0].2.contains(
            "was due by end of 2016-06-02 (1 working day allowed, set by para 2), which has passed"
        ),
        "{past:?}"
    );
    assert!(
        past[0].2.contains("2030-01-01 is outside the calendar"),
        "{past:?}"
    );
}
