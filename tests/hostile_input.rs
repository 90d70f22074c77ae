//! Hostile input end to end (issue 8): forged report lines, spreadsheet formulas, floods
//! of rejected lines, an empty standard input, and local times read in the zone of the
//! edition in force. Small inputs only: the large ones are unit tests of the reader with
//! small limits (`src/log/jsonl_tests.rs`).

mod common;

use common::check_with;
use reglament::log::{Reader, Reason};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::io::Write;
use std::process::{Command, Stdio};

fn log_file(name: &str, text: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs `reglament check ARGS...` with `stdin` as standard input; returns the exit code
/// and standard output.
fn run(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// A case id and a service that carry a newline, a carriage return, an ANSI escape and
/// bidi controls: the service is unknown, so both are printed in the finding.
const FORGING: &str = "{\"case\":\"x\\ncase forged \\u2014 ok\\r\\u001b[2J\\u202egpj.exe\",\"service\":\"svc\\u2066\\u200f\",\"step\":\"a\",\"at\":\"2016-06-01T10:00:00+06:00\"}\n";

#[test]
fn log_strings_cannot_forge_text_report_lines() {
    let (code, out) = run(&["-", "--format", "text"], FORGING.as_bytes());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(r"case x\ncase forged — ok\r\u{1b}[2J\u{202e}gpj.exe — svc\u{2066}\u{200f}"),
        "{out}"
    );
    for c in ['\r', '\u{1b}', '\u{202e}', '\u{2066}', '\u{200f}'] {
        assert!(!out.contains(c), "{c:?} reached the report: {out}");
    }
    assert!(!out.lines().any(|l| l.starts_with("case forged")), "{out}");
}

#[test]
fn csv_cells_cannot_be_formulas() {
    let line = "{\"case\":\"=HYPERLINK(\\\"http://x\\\",\\\"ok\\\")\",\"service\":\"@svc\\n-1\",\"step\":\"a\",\"at\":\"2016-06-01T10:00:00+06:00\"}\n";
    let (code, out) = run(&["-", "--format", "csv"], line.as_bytes());
    assert_eq!(code, 1, "{out}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[2], "'=HYPERLINK(\"http://x\",\"ok\")");
    assert_eq!(&row[3], r"'@svc\n-1");
}

/// 2,000 bad lines with `--max-rejected-shown 5`: five listed, all counted by reason,
/// and `lines == events + rejected` still holds.
#[test]
fn a_flood_of_rejected_lines_is_counted_not_listed() {
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(if i % 4 == 0 { "[1,2]\n" } else { "{bad\n" });
    }
    text.push_str(r#"{"case":"k","service":"edge","step":"a","at":"2016-06-01T10:00:00+06:00"}"#);
    let p = log_file("flood.jsonl", text.as_bytes());
    let r = check_with(&[
        &p,
        "--rules",
        "tests/data/rules-edge",
        "--max-rejected-shown",
        "5",
    ]);
    let s = &r.report["summary"];
    assert_eq!(s["lines"], 2001);
    assert_eq!(s["events"], 1);
    assert_eq!(s["rejected"], 2000);
    assert_eq!(s["rejected_not_shown"], 1995);
    assert_eq!(s["rejected_by_reason"]["not_an_object"], 500);
    assert_eq!(s["rejected_by_reason"]["syntax"], 1500);
    let listed = r.report["rejected"].as_array().unwrap();
    assert_eq!(listed.len(), 5);
    assert_eq!(listed[0]["code"], "not_an_object");
    assert_eq!(listed[0]["excerpt"], "[1,2]");
    assert_eq!(listed[1]["line"], 2);
    assert_eq!(listed[1]["file"], p.as_str());
}

/// A closed standard input reads as an empty log: the report says so.
#[test]
fn an_empty_standard_input_is_a_warning() {
    let (_, out) = run(&["-", "--format", "json"], b"");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .starts_with("<stdin>: empty input, no line was read")),
        "{warnings:?}"
    );
}

fn edition(id: &str, tz: &str, from: &str, to: &str) -> (String, String) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/rules-edge/edge.json"
    ))
    .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["id"] = id.into();
    v["service"] = "two-zones".into();
    v["timezone"] = tz.into();
    v["valid_from"] = from.into();
    v["valid_to"] = if to.is_empty() {
        serde_json::Value::Null
    } else {
        to.into()
    };
    (format!("{id}.json"), v.to_string())
}

/// A time without an offset is read in the zone of the edition in force on its date,
/// not in the first edition's: here Almaty (UTC+6) until 2019, Oral (UTC+5) after.
#[test]
fn a_local_time_is_read_in_the_zone_of_the_edition_in_force() {
    let schema = Schema::bundled().unwrap();
    let source = RulesSource::Inline(vec![
        edition("old", "Asia/Almaty", "2013-01-01", "2018-12-31"),
        edition("new", "Asia/Oral", "2019-01-01", ""),
    ]);
    let cat = Catalog::compile(load::load(&source, &schema).unwrap()).unwrap();
    let mut r = Reader::new(&cat);
    r.read_str(
        "zones.jsonl",
        concat!(
            r#"{"case":"1","service":"two-zones","step":"a","at":"2016-06-01T10:00:00"}"#,
            "\n",
            r#"{"case":"2","service":"two-zones","step":"a","at":"2020-06-01T10:00:00"}"#,
            "\n"
        ),
    );
    let log = r.finish();
    assert!(log.account.rejected.is_empty());
    let utc = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    };
    assert_eq!(log.events[0].at, utc("2016-06-01T04:00:00Z"));
    assert_eq!(log.events[1].at, utc("2020-06-01T05:00:00Z"));
}

/// Every reason code a reader may give, with one line that gives it, end to end.
#[test]
fn each_reason_has_its_code() {
    let cat = Catalog::default();
    let mut r = Reader::new(&cat).with_max_line(200);
    let long = format!("{}\n", "y".repeat(300));
    let lines: [&[u8]; 7] = [
        long.as_bytes(),
        b"{\"case\":\"a\",\"x\":\"\xff\"}\n",
        b"{oops\n",
        b"[\"a\",\"s\",\"p\",\"2016-06-01T10:00:00Z\"]\n",
        b"{\"case\":\"a\",\"service\":\"s\",\"step\":\"p\"}\n",
        b"{\"case\":1,\"service\":\"s\",\"step\":\"p\",\"at\":\"2016-06-01T10:00:00Z\"}\n",
        b"{\"case\":\"a\",\"service\":\"s\",\"step\":\"p\",\"at\":\"yesterday\"}\n",
    ];
    r.read("codes.jsonl", lines.concat().as_slice()).unwrap();
    let log = r.finish();
    let got: Vec<Reason> = log.account.rejected.iter().map(|j| j.reason).collect();
    use Reason::*;
    assert_eq!(
        got,
        [
            TooLong,
            InvalidUtf8,
            Syntax,
            NotAnObject,
            MissingField,
            WrongType,
            BadTime
        ]
    );
    let fields: Vec<Option<&str>> = log
        .account
        .rejected
        .iter()
        .map(|j| j.field.as_deref())
        .collect();
    assert_eq!(fields[4], Some("at"));
    assert_eq!(fields[5], Some("case"));
    assert_eq!(fields[6], Some("at"));
}
