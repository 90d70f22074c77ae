//! Hostile input, second round (issue 20): a provider under inspection writes its own
//! CSV or XES export, or runs `--stream` on it, to hide rows from the check or to spoof
//! the report. Each test reproduces one attack; `docs/hostile-input.md` has its row.

mod common;

use common::{Run, check_with};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const S: &str = "zhambyl-2016-84-survey-licence";

/// A fresh folder of its own under the system's temporary folder.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("reglament-r2-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn summary(run: &Run) -> &Value {
    &run.report["summary"]
}

/// The violations without their place in the input (which differs between two inputs
/// holding the same events).
fn findings(run: &Run) -> Vec<String> {
    let mut v: Vec<String> = (run.report["violations"].as_array().unwrap().iter())
        .map(|f| {
            let mut f = f.clone();
            f.as_object_mut().unwrap().remove("file");
            f.as_object_mut().unwrap().remove("line");
            f.to_string()
        })
        .collect();
    v.sort();
    v
}

// ---- --out naming an input ----

/// `--out` naming one of the inputs (by any path to the same file) would replace the
/// evidence with the report: refused, exit 2, and the log is left as it was.
#[test]
fn out_naming_an_input_is_refused() {
    let d = dir("out-input");
    let text = format!(
        "{{\"case\": \"c\", \"service\": \"{S}\", \"step\": \"sc_accept\", \"at\": \"2016-06-01T10:00:00+06:00\"}}\n"
    );
    let log = write(&d, "log.jsonl", &text);
    let link = d.join("link.jsonl");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let hard = d.join("hard.jsonl");
    std::fs::hard_link(&log, &hard).unwrap();
    for out in [Path::new(&log), link.as_path(), hard.as_path()] {
        for cmd in ["check", "inspect"] {
            let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
                .args([cmd, &log, "--out"])
                .arg(out)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(2), "{cmd} --out {}", out.display());
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("--out") && err.contains("input"), "{err}");
            assert_eq!(std::fs::read_to_string(&log).unwrap(), text);
        }
    }
    // Another file is still written.
    let other = d.join("report.json");
    let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", &log, "--format", "json", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("\"summary\"")
    );
}

// ---- truncated or empty XES ----

const XES_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
"#;

fn xes_trace(case: &str, events: &[(&str, &str)]) -> String {
    let mut t = format!(
        "  <trace>\n    <string key=\"concept:name\" value=\"{case}\"/>\n    <string key=\"service\" value=\"{S}\"/>\n    <string key=\"channel\" value=\"state_corporation\"/>\n    <string key=\"variant\" value=\"issue\"/>\n"
    );
    for (step, at) in events {
        t += &format!(
            "    <event>\n      <string key=\"concept:name\" value=\"{step}\"/>\n      <date key=\"time:timestamp\" value=\"{at}\"/>\n    </event>\n"
        );
    }
    t + "  </trace>\n"
}

/// A file cut after a `</trace>` (no `</log>`) passed as complete, the cases after the
/// cut missing: now the file is unreadable (exit 2); the traces before stay read.
#[test]
fn a_truncated_xes_is_unreadable() {
    let d = dir("xes-cut");
    let text =
        XES_HEAD.to_string() + &xes_trace("a", &[("sc_accept", "2016-06-01T10:00:00+06:00")]);
    let path = write(&d, "cut.xes", &text);
    let run = check_with(&[&path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cut off"), "{}", run.stderr);
    assert_eq!(n(&summary(&run)["events"]), 1);
    // Closed, the same file is read in full.
    let whole = write(&d, "whole.xes", &(text + "</log>\n"));
    let run = check_with(&[&whole]);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

/// An empty or header-only XES exited 0 silently: it gets the empty-input warning a
/// JSON Lines file gets.
#[test]
fn an_empty_or_header_only_xes_is_warned_about() {
    let d = dir("xes-empty");
    for (name, text) in [
        ("empty.xes", String::new()),
        ("header.xes", XES_HEAD.to_string() + "</log>\n"),
        (
            "no-events.xes",
            XES_HEAD.to_string() + &xes_trace("a", &[]) + "</log>\n",
        ),
    ] {
        let path = write(&d, name, &text);
        let run = check_with(&[&path]);
        let warnings = run.report["warnings"].to_string();
        assert!(warnings.contains("empty input"), "{name}: {warnings}");
    }
}

/// XES groups events by case: `--stream` rejected 99.7 % of them as out of order. The
/// reader holds the file whole, so it hands the events over in time order, and the stream
/// gives the in-memory report.
#[test]
fn stream_on_xes_gives_the_in_memory_report() {
    let sample = "logs/provider-sample.xes";
    let memory = check_with(&[sample, "--as-of", "2016-07-01"]);
    let stream = check_with(&[sample, "--as-of", "2016-07-01", "--stream"]);
    assert_eq!(
        n(&summary(&stream)["rejected"]),
        0,
        "{}",
        stream.report["rejected"]
    );
    assert_eq!(stream.code, memory.code);
    assert_eq!(stream.report["violations"], memory.report["violations"]);
    assert_eq!(summary(&stream)["events"], summary(&memory)["events"]);
}

// ---- CSV: a stray quote ----

fn csv_rows(n: usize, bad: Option<usize>) -> String {
    let mut t = String::from("case,service,step,at,channel,variant,provider,comment\n");
    for i in 0..n {
        // Each case is accepted and forwarded 20 days later: a late forward each.
        let p = if Some(i) == bad { "\"p" } else { "p" };
        // Every tenth comment holds a line end, in quotes: data, not a stray quote.
        let note = if i % 10 == 0 { "\"a\nnote\"" } else { "note" };
        t += &format!(
            "c{i},{S},sc_accept,2016-06-01T10:00:00+06:00,state_corporation,issue,{p},{note}\n"
        );
    }
    t
}

/// One cell changed from `p` to `"p` made the rest of the file one quoted cell: 1 event,
/// 0 rejected, "no violations". Now the line end inside the checked field `provider`
/// rejects that record, and reading goes on at the next line. A quoted line end in a
/// column the check does not read (`comment`) stays data; the summary counts those lines.
#[test]
fn a_stray_quote_in_a_csv_hides_no_row() {
    let d = dir("csv-quote");
    let clean = write(&d, "clean.csv", &csv_rows(200, None));
    let dirty = write(&d, "dirty.csv", &csv_rows(200, Some(1)));
    let c = check_with(&[&clean, "--as-of", "2016-07-01"]);
    let r = check_with(&[&dirty, "--as-of", "2016-07-01"]);
    assert_eq!(n(&summary(&c)["events"]), 200);
    assert_eq!(n(&summary(&c)["continued_lines"]), 20);
    assert_eq!(n(&summary(&r)["events"]), 199, "{}", r.report["rejected"]);
    assert_eq!(n(&summary(&r)["rejected"]), 1);
    assert_eq!(r.code, c.code);
    assert_eq!(
        n(&summary(&r)["violations"]) + 1,
        n(&summary(&c)["violations"])
    );
    let rejected = &r.report["rejected"];
    assert_eq!(rejected[0]["line"], 4, "{rejected}"); // row 0 spans lines 2 and 3
    assert_eq!(rejected[0]["field"], "provider", "{rejected}");
    let why = rejected[0]["reason"].as_str().unwrap();
    assert!(why.contains("line end inside the quoted field"), "{why}");
    // Physical lines beside records: the header, a line per row, 20 continued.
    let s = summary(&r);
    assert_eq!(
        n(&s["lines"]) + n(&s["blank_lines"]) + n(&s["continued_lines"]) + 1,
        221
    );
}

/// A record that spans lines names them: "record 1 (lines 2 to 3)".
#[test]
fn a_csv_record_over_several_lines_names_them() {
    let d = dir("csv-lines");
    let text = format!("case,service,step,at,comment\nc1,{S},sc_accept,not a time,\"a\nb\"\n");
    let path = write(&d, "spans.csv", &text);
    let r = check_with(&[&path]);
    let why = r.report["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(why.starts_with("record 1 (lines 2 to 3)"), "{why}");
}

/// A file that ends inside a quoted field was read as if complete: it is cut off (or a
/// quote is not closed), so unreadable, exit 2.
#[test]
fn a_csv_ending_inside_quotes_is_unreadable() {
    let d = dir("csv-open");
    let text = format!(
        "case,service,step,at,comment\nc1,{S},sc_accept,2016-06-01T10:00:00+06:00,\"open\nstill open\n"
    );
    let path = write(&d, "open.csv", &text);
    let r = check_with(&[&path]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("ends inside a quoted field"),
        "{}",
        r.stderr
    );
    // Without a final line end, a record is still read whole.
    let path = write(
        &d,
        "no-end.csv",
        &format!("case,service,step,at\nc1,{S},sc_accept,2016-06-01T10:00:00+06:00"),
    );
    let r = check_with(&[&path]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(n(&summary(&r)["events"]), 1);
    // Nor when its last field end fills the reader's buffer (128 columns, 129 fields).
    let header: Vec<String> = ["case", "service", "step", "at"]
        .into_iter()
        .map(String::from)
        .chain((4..128).map(|i| format!("c{i}")))
        .collect();
    let row = format!(
        "c1,{S},sc_accept,2016-06-01T10:00:00+06:00{}",
        ",x".repeat(125)
    );
    let first = format!(
        "c0,{S},sc_accept,2016-06-01T10:00:00+06:00{}",
        ",x".repeat(124)
    );
    let text = format!("{}\n{first}\n{row}", header.join(","));
    let path = write(&d, "wide.csv", &text);
    let r = check_with(&[&path]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(n(&summary(&r)["rejected"]), 1);
}

// ---- the HTML report ----

fn html_of(log: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .arg("check")
        .arg(log)
        .args(["--format", "html", "--as-of", "2016-07-01"])
        .output()
        .unwrap();
    assert_ne!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Bidi controls, zero-width characters and C0/C1 controls from a log reached the page
/// raw: `ZH-2016-\u{202e}1000-ok` was shown as `ZH-2016-ko-0001`, `sv-ok\u{200b}-1` as
/// `sv-ok-1`. The page shows them as the text and CSV reports do, as visible escapes.
#[test]
fn the_html_report_shows_invisible_characters_as_escapes() {
    let d = dir("html-bidi");
    let ids = [
        "ZH-2016-\u{202e}1000-ok",
        "sv-ok\u{200b}-1",
        "c\u{7}\u{85}\u{2066}x",
    ];
    let text: String = ids
        .iter()
        .map(|c| {
            format!(
                "{}\n",
                serde_json::json!({"case": c, "service": S, "step": "sc_accept", "at": "2016-06-01T10:00:00+06:00", "channel": "state_corporation", "variant": "issue"})
            )
        })
        .collect();
    let log = d.join("bidi.jsonl");
    std::fs::write(&log, text).unwrap();
    let page = html_of(&log);
    for c in ['\u{202e}', '\u{200b}', '\u{7}', '\u{85}', '\u{2066}'] {
        assert!(
            !page.contains(c),
            "U+{:04X} reached the page raw",
            u32::from(c)
        );
    }
    for shown in [
        "ZH-2016-\\u{202e}1000-ok",
        "sv-ok\\u{200b}-1",
        "c\\u{7}\\u{85}\\u{2066}x",
    ] {
        assert!(page.contains(shown), "{shown} not on the page");
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ABC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.chars().take_while(|&c| c != '=') {
        bits = (bits << 6) | ABC.find(c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// The page allowed any inline script (`script-src 'unsafe-inline'`): its one script is
/// now pinned by its SHA-256, and `<base>` and forms are forbidden.
#[test]
fn the_html_content_policy_pins_the_one_script_by_its_hash() {
    use sha2::Digest as _;
    let page = html_of(Path::new("logs/sample.jsonl"));
    let csp_start = page.find("Content-Security-Policy\" content=\"").unwrap() + 34;
    let csp = &page[csp_start..csp_start + page[csp_start..].find('"').unwrap()];
    assert!(
        !csp.contains("unsafe-inline'; img") && !csp.contains("script-src 'unsafe-inline'"),
        "{csp}"
    );
    for part in [
        "default-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    let hash = csp
        .split("'sha256-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    // Exactly one script on the page, and its hash is the one the policy names.
    assert_eq!(page.matches("<script").count(), 1);
    let start = page.find("<script>").unwrap() + "<script>".len();
    let script = &page[start..start + page[start..].find("</script>").unwrap()];
    let digest = sha2::Sha256::digest(script.as_bytes());
    assert_eq!(base64_decode(hash), digest.to_vec(), "{hash}");
    // The decoder is right: SHA-256("abc").
    assert_eq!(
        base64_decode("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="),
        sha2::Sha256::digest(b"abc").to_vec()
    );
}

// ---- --stream poisoning ----

/// A generated log: in time order, with injected faults.
fn generated(cases: u32, as_of: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["generate", "--cases", &cases.to_string(), "--seed", "20"])
        .args(["--faults", "0.3", "--as-of", as_of])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const POISON: &str = r#"{"case": "poison", "service": "zhambyl-2016-84-survey-licence", "step": "sc_accept", "at": "2099-01-01T10:00:00+06:00", "channel": "state_corporation", "variant": "issue"}"#;

/// One first line dated 2099 made every later event `out_of_order`: "no violations",
/// exit 0. Now that line is held as too far ahead, rejected when the next line goes
/// back, and the rest of the log is checked as if it were not there.
#[test]
fn one_far_future_line_does_not_switch_the_stream_off() {
    let d = dir("stream-poison");
    let log = generated(60, "2026-01-01");
    let clean = write(&d, "clean.jsonl", &log);
    let poisoned = write(&d, "poisoned.jsonl", &format!("{POISON}\n{log}"));
    let want = check_with(&[&clean, "--stream"]);
    let got = check_with(&[&poisoned, "--stream"]);
    assert_eq!(want.code, 1, "{}", want.stderr);
    assert_eq!(got.code, 1, "{}", got.stderr);
    assert!(
        findings(&got) == findings(&want),
        "the poisoned stream's findings differ"
    );
    assert_eq!(
        summary(&got)["rejected_by_reason"],
        serde_json::json!({"out_of_order": 1})
    );
    let why = got.report["rejected"][0]["reason"].as_str().unwrap();
    assert!(why.contains("more than 31 days after"), "{why}");
    // With --as-of, the line moves no watermark and is judged as in memory.
    let memory = check_with(&[&poisoned, "--as-of", "2026-01-01"]);
    let stream = check_with(&[&poisoned, "--as-of", "2026-01-01", "--stream"]);
    assert_eq!(n(&summary(&stream)["rejected"]), 0);
    assert!(
        findings(&stream) == findings(&memory),
        "stream and memory differ"
    );
}

/// A stream run that rejected most of its input as out of order passed with "no
/// violations": more than 5 % of the records rejected as `out_of_order` exits 2.
#[test]
fn a_stream_that_rejected_much_as_out_of_order_exits_2() {
    // The bundled logs are written case by case, not in time order.
    let run = check_with(&["--stream"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("out of order, more than 5 %"),
        "{}",
        run.stderr
    );
    // A time-ordered log with one line out of place is not refused.
    let d = dir("stream-share");
    let log = generated(60, "2026-01-01");
    let mut lines: Vec<&str> = log.lines().collect();
    lines.swap(10, 11);
    let path = write(&d, "swapped.jsonl", &(lines.join("\n") + "\n"));
    let run = check_with(&[&path, "--stream"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// Two exports each in time order, overlapping in time: the second's events older than
/// the end of the first were rejected, and the cases that lost them gave false
/// findings. Each file is now in time order on its own, and the report is the
/// in-memory one.
#[test]
fn two_overlapping_time_ordered_files_give_the_in_memory_report() {
    let d = dir("stream-two");
    let log = generated(80, "2026-01-01");
    let (mut a, mut b) = (String::new(), String::new());
    for (i, line) in log.lines().enumerate() {
        let f = if i % 2 == 0 { &mut a } else { &mut b };
        f.push_str(line);
        f.push('\n');
    }
    let (a, b) = (write(&d, "a.jsonl", &a), write(&d, "b.jsonl", &b));
    let memory = check_with(&[&a, &b, "--as-of", "2026-01-01"]);
    let stream = check_with(&[&a, &b, "--as-of", "2026-01-01", "--stream"]);
    assert_eq!(
        n(&summary(&stream)["rejected"]),
        0,
        "{}",
        stream.report["rejected"]
    );
    assert!(
        findings(&stream) == findings(&memory),
        "stream and memory differ"
    );
    assert_eq!(stream.code, memory.code);
}

// ---- XES: same reading as process-mining tools, bounded time and memory ----

mod xes {
    use super::{S, XES_HEAD};
    use reglament::log::formats::{self, InputFormat, Options};
    use reglament::log::{Log, Reader};
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

    fn read(text: &str) -> (Log, Option<String>) {
        let schema = Schema::bundled().unwrap();
        let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let mut r = Reader::new(&cat);
        let err = formats::read(
            &mut r,
            "t.xes",
            text.as_bytes(),
            InputFormat::Xes,
            &Options::default(),
        )
        .err()
        .map(|e| e.to_string());
        let log = r.finish();
        assert!(log.account.is_balanced(), "{:?}", log.account);
        (log, err)
    }

    fn trace(attrs: &str, events: &[&str]) -> String {
        let mut t = format!("<trace>{attrs}<string key=\"service\" value=\"{S}\"/>");
        for e in events {
            t += &format!("<event>{e}</event>");
        }
        XES_HEAD.to_string() + &t + "</trace></log>"
    }

    const EV: &str = r#"<string key="concept:name" value="sc_accept"/><date key="time:timestamp" value="2016-06-01T10:00:00+06:00"/>"#;

    /// A key the check reads given twice on an event or a trace was read as the first or
    /// last one; JSON Lines rejects a duplicate key, and so does XES now.
    #[test]
    fn a_duplicate_key_is_a_rejection() {
        let twice =
            format!("{EV}<date key=\"time:timestamp\" value=\"2016-06-09T10:00:00+06:00\"/>");
        let (log, _) = read(&trace(
            r#"<string key="concept:name" value="c"/>"#,
            &[&twice, EV],
        ));
        assert_eq!((log.account.events, log.account.rejected_total), (1, 1));
        let r = &log.account.rejected[0];
        assert_eq!(r.field.as_deref(), Some("time:timestamp"));
        assert!(r.detail.contains("given twice"), "{}", r.detail);
        let (log, _) = read(&trace(
            r#"<string key="concept:name" value="c"/><string key="concept:name" value="d"/>"#,
            &[EV, EV],
        ));
        assert_eq!((log.account.events, log.account.rejected_total), (0, 2));
        assert!(
            log.account.rejected[0].detail.contains("trace attribute"),
            "{}",
            log.account.rejected[0].detail
        );
    }

    /// `<string key="concept:name" evil:value="x" value="c"/>`: the namespaced attribute
    /// overrode the XES `value`; it is another attribute and is not read.
    #[test]
    fn a_namespaced_value_does_not_override_value() {
        let (log, _) = read(&trace(
            r#"<string key="concept:name" value="real" evil:value="forged" xmlns:evil="urn:e"/>"#,
            &[EV],
        ));
        assert_eq!(log.account.events, 1);
        assert_eq!(log.names.cases.name(log.events[0].case), "real");
    }

    /// An unreadable trace attribute (an undefined entity in the case id) was reported as
    /// "case missing"; it is reported as what it is.
    #[test]
    fn an_unreadable_trace_attribute_is_reported_as_such() {
        let (log, _) = read(&trace(
            r#"<string key="concept:name" value="a&bogus;b"/>"#,
            &[EV],
        ));
        assert_eq!(log.account.rejected_total, 1);
        let r = &log.account.rejected[0];
        assert_eq!(r.field.as_deref(), Some("concept:name"), "{r:?}");
        assert!(
            r.detail.contains("trace attribute") && !r.detail.contains("missing"),
            "{}",
            r.detail
        );
    }

    /// A trace's attributes count against the limits of an event (4096 attributes, 1
    /// MiB): one of 20k attributes made every event look each up one by one.
    #[test]
    fn trace_attributes_are_capped_like_an_event_s() {
        let mut attrs = String::from(r#"<string key="concept:name" value="c"/>"#);
        for i in 0..5000 {
            attrs += &format!("<string key=\"k{i}\" value=\"v\"/>");
        }
        let (log, _) = read(&trace(&attrs, &[EV, EV]));
        assert_eq!((log.account.events, log.account.rejected_total), (0, 2));
        assert!(
            log.account.rejected[0].detail.contains("4096 attributes"),
            "{}",
            log.account.rejected[0].detail
        );
        // As many on one event: that event is rejected.
        let mut ev = EV.to_string();
        for i in 0..5000 {
            ev += &format!("<string key=\"k{i}\" value=\"v\"/>");
        }
        let (log, _) = read(&trace(
            r#"<string key="concept:name" value="c"/>"#,
            &[&ev, EV],
        ));
        assert_eq!((log.account.events, log.account.rejected_total), (1, 1));
    }

    /// A case id of 2 MiB (1 GB took 3.1 GB of memory and gave a 1 GB report) is over
    /// the limit of a record: the trace's events are rejected, the id is not kept.
    /// A tag or text node that goes on past 16 MiB is not held at all: the file is
    /// unreadable from there, and the events before it stay read.
    #[test]
    fn a_huge_name_or_text_node_is_not_held() {
        let big = "x".repeat(2 << 20);
        let (log, err) = read(&trace(
            &format!("<string key=\"concept:name\" value=\"{big}\"/>"),
            &[EV],
        ));
        assert_eq!(err, None);
        assert_eq!((log.account.events, log.account.rejected_total), (0, 1));
        assert!(
            log.account.rejected[0]
                .detail
                .contains("larger than the limit of 1048576 bytes")
        );
        assert!(log.names.cases.names().all(|c| c.len() < 1024));
        let huge = "x".repeat(17 << 20);
        let ok = trace(r#"<string key="concept:name" value="a"/>"#, &[EV]);
        let ok = ok.strip_suffix("</log>").unwrap();
        for bad in [
            format!("<trace><string key=\"concept:name\" value=\"{huge}\"/></trace></log>"),
            format!("<trace><string key=\"concept:name\" value=\"c\"/>{huge}</trace></log>"),
        ] {
            let (log, err) = read(&format!("{ok}{bad}"));
            let err = err.expect("unreadable");
            assert!(err.contains("more than 16777216 bytes"), "{err}");
            assert_eq!(log.account.events, 1);
        }
    }
}
