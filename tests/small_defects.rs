//! Small defects left by the review of December 2026 (hostile input and the command
//! line): each test failed before its fix.

use reglament::calendar::Calendar;
use reglament::cli::calendar as cli;
use reglament::log::formats::{self, InputFormat, Options};
use reglament::log::{Log, Reader, Reason};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const S: &str = "zhambyl-2016-84-survey-licence";

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// Reads `bytes` as `check` does; every record must be accounted for.
fn read(bytes: &[u8], format: InputFormat) -> Log {
    let cat = catalog();
    let mut r = Reader::new(&cat);
    formats::read(&mut r, "t", bytes, format, &Options::default()).unwrap();
    let log = r.finish();
    assert!(log.account.is_balanced(), "{:?}", log.account);
    log
}

fn reglament(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap()
}

/// A file of `bytes` in a fresh temporary folder, named `name`.
fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("small-defects-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn inspect_json(path: &std::path::Path) -> Value {
    let o = reglament(&["inspect", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Bullet 1: `inspect` read a JSON Lines line whole, whatever its length; a line over
/// `check`'s 1 MiB limit is now rejected as `too_long` unread, with its first bytes, and
/// the next line is still read.
#[test]
fn inspect_rejects_a_json_lines_line_over_the_limit() {
    let huge = "x".repeat((1 << 20) + 10);
    let text = format!(
        "{{\"case\":\"c1\",\"service\":\"{S}\",\"step\":\"{huge}\",\"at\":\"2016-06-01T10:00:00+06:00\"}}\n\n\
         {{\"case\":\"c1\",\"service\":\"{S}\",\"step\":\"sc_accept\",\"at\":\"2016-06-01T10:00:00+06:00\"}}\nnot json\n"
    );
    let first = text.split('\n').next().unwrap().len();
    let path = temp("long.jsonl", text.as_bytes());
    let doc = inspect_json(&path);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
    let f = &doc["files"][0];
    assert_eq!(f["records"], 1, "{f}");
    assert_eq!(f["rejected"], 2, "{f}");
    // A record's line is its line in the file: the blank line 2 is no record.
    let bad = f["first_rejections"][1].as_str().unwrap();
    assert!(bad.starts_with("line 4: record 3: invalid JSON"), "{bad}");
    let why = f["first_rejections"][0].as_str().unwrap();
    assert!(
        why.starts_with(&format!(
            "line 1: record 1: line is {first} bytes, longer than the 1048576-byte limit; it starts \"{{\\\"case\\\""
        )),
        "{why}"
    );
    assert!(why.len() < 200, "the rejection quotes an excerpt: {why}");
    let acts = doc["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0]["source"], "sc_accept");
    assert_eq!(doc["limits"]["jsonl_line_bytes"], 1 << 20);
}

/// Bullet 1: names (services, activities, columns, attribute keys) were kept whole; a
/// name over 256 bytes is now cut at a character, ends in `…`, and the report says how
/// many were cut. Names agreeing on the kept bytes are counted together.
#[test]
fn inspect_cuts_long_names_and_says_so() {
    let long_service = "ж".repeat(5000);
    let long_step = |i: usize| format!("{}{i}", "a".repeat(10_000));
    let long_column = "к".repeat(300);
    let mut csv = format!("case,service,step,at,{long_column}\n");
    for i in 0..3 {
        csv.push_str(&format!(
            "c{i},{long_service},{},2016-06-01T10:00:00+06:00,x\n",
            long_step(i)
        ));
    }
    let path = temp("names.csv", csv.as_bytes());
    let doc = inspect_json(&path);
    let text = reglament(&["inspect", path.to_str().unwrap()]);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();

    let service = doc["services"][0]["source"].as_str().unwrap();
    assert_eq!(service, format!("{}…", "ж".repeat(128)));
    let acts = doc["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 1, "the three agree on their first 256 bytes");
    assert_eq!(acts[0]["count"], 3);
    assert_eq!(acts[0]["source"], format!("{}…", "a".repeat(256)));
    assert_eq!(acts[0]["service_source"], service);
    let cols = doc["files"][0]["columns"].as_array().unwrap();
    assert_eq!(cols[4], format!("{}…", "к".repeat(128)));
    let keys = doc["files"][0]["attributes"].as_object().unwrap();
    assert!(keys.keys().all(|k| k.len() <= 256 + '…'.len_utf8()));
    // One column, and per record the service, the step and the attribute key.
    assert_eq!(doc["names_cut"], 1 + 3 * 3);
    assert_eq!(doc["limits"]["name_bytes_kept"], 256);

    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(
            "10 name(s) longer than 256 bytes were cut, shown ending in …; names that agree on their first 256 bytes are counted together"
        ),
        "{text}"
    );
    assert!(text.lines().all(|l| l.len() < 1200), "{text}");
}

/// Bullet 2: a CSV record with more fields than the header lost its extra values
/// silently; one with fewer was read as if its last cells were empty. Both are now
/// rejected as `syntax`, with the counts, and the records around them are read.
#[test]
fn csv_records_with_more_or_fewer_fields_than_the_header_are_rejected() {
    let csv = format!(
        "case,service,step,at,ground\n\
         c1,{S},sc_accept,2016-06-01T10:00:00+06:00,\n\
         c2,{S},sc_accept,2016-06-01T10:00:00+06:00,,extra\n\
         c3,{S},sc_accept,2016-06-01T10:00:00+06:00\n\
         c4,{S},sc_accept,2016-06-01T10:00:00+06:00,\n"
    );
    let log = read(csv.as_bytes(), InputFormat::Csv);
    assert_eq!(log.account.events, 2);
    let got: Vec<(u64, Option<&str>, Reason)> = log
        .account
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_deref(), r.reason))
        .collect();
    assert_eq!(got, [(3, None, Reason::Syntax), (4, None, Reason::Syntax)]);
    assert_eq!(
        log.account.rejected[0].detail,
        "record 2: record has 6 field(s), the header has 5: its field 6 onward are under no column, and would be lost"
    );
    assert_eq!(
        log.account.rejected[1].detail,
        "record 3: record has 4 field(s), the header has 5: column 5 (\"ground\") onward have no value: the row may be cut short"
    );

    // `inspect` counts them as rejected too.
    let path = temp("fields.csv", csv.as_bytes());
    let doc = inspect_json(&path);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
    assert_eq!(doc["files"][0]["records"], 2);
    assert_eq!(doc["files"][0]["rejected"], 2);
}

/// Bullet 3: a CSV record whose `started` is later than its `at` was accepted, and a
/// desk time measured from it is negative, so never overdue. It is now rejected as
/// `bad_time` at `started`; equal times are accepted.
#[test]
fn csv_started_after_at_is_rejected() {
    let csv = format!(
        "case,service,step,at,started\n\
         c1,{S},sc_accept,2016-06-01T10:00:00+06:00,2016-06-01T10:30:00+06:00\n\
         c2,{S},sc_accept,2016-06-01T10:00:00+06:00,2016-06-01T10:00:00+06:00\n\
         c3,{S},sc_accept,2016-06-01T10:00:00+06:00,2016-06-01T09:40:00+06:00\n"
    );
    let log = read(csv.as_bytes(), InputFormat::Csv);
    assert_eq!(log.account.events, 2);
    let r = &log.account.rejected[0];
    assert_eq!(
        (r.line, r.field.as_deref(), r.reason),
        (2, Some("started"), Reason::BadTime)
    );
    assert_eq!(
        r.detail,
        "record 1: \"2016-06-01T10:30:00+06:00\" is later than `at` \"2016-06-01T10:00:00+06:00\": a step cannot end before it starts"
    );
    // The comparison is of instants: 10:30 in Almaty (+06:00) is 04:30 UTC, before 05:00 UTC.
    let csv = format!(
        "case,service,step,at,started\nc1,{S},sc_accept,2016-06-01T05:00:00Z,2016-06-01T10:30:00+06:00\n"
    );
    assert_eq!(read(csv.as_bytes(), InputFormat::Csv).account.events, 1);
}

/// Bullet 3, XES: a `started` attribute later than the time, and a lifecycle `start`
/// later than its `complete` (paired by order in the trace, not by time), are rejected.
#[test]
fn xes_started_after_at_is_rejected() {
    let ev = |extra: &str, at: &str| {
        format!(
            "<event><string key=\"concept:name\" value=\"sc_accept\"/>{extra}<date key=\"time:timestamp\" value=\"{at}\"/></event>"
        )
    };
    let life = |t: &str| format!("<string key=\"lifecycle:transition\" value=\"{t}\"/>");
    let body = [
        ev(
            "<date key=\"started\" value=\"2016-06-01T11:00:00+06:00\"/>",
            "2016-06-01T10:00:00+06:00",
        ),
        ev(&life("start"), "2016-06-01T12:00:00+06:00"),
        ev(&life("complete"), "2016-06-01T11:30:00+06:00"),
        ev(&life("start"), "2016-06-01T13:00:00+06:00"),
        ev(&life("complete"), "2016-06-01T13:20:00+06:00"),
    ]
    .join("\n");
    let xes = format!(
        "<?xml version=\"1.0\"?>\n<log>\n<trace><string key=\"concept:name\" value=\"c1\"/><string key=\"service\" value=\"{S}\"/>\n{body}\n</trace>\n</log>\n"
    );
    let log = read(xes.as_bytes(), InputFormat::Xes);
    assert_eq!(log.account.events, 1, "{:?}", log.account.rejected);
    assert_eq!(log.events[0].at - log.events[0].started, 20 * 60 * 1000);
    let got: Vec<(u64, Option<&str>, Reason)> = log
        .account
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_deref(), r.reason))
        .collect();
    assert_eq!(
        got,
        [
            (4, Some("started"), Reason::BadTime),
            (6, Some("started"), Reason::BadTime)
        ]
    );
    assert!(
        log.account.rejected[1].detail.ends_with(
            "is later than `at` \"2016-06-01T11:30:00+06:00\": a step cannot end before it starts"
        ),
        "{:?}",
        log.account.rejected[1]
    );
}

/// Bullet 4: `calendar count` with FROM after TO printed a negative count; it is now a
/// usage error (exit 2) naming both dates. FROM equal to TO counts 0.
#[test]
fn calendar_count_refuses_to_before_from() {
    let o = reglament(&[
        "calendar",
        "count",
        "--from",
        "2016-06-14",
        "--to",
        "2016-06-02",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--to 2016-06-02 is before --from 2016-06-14"),
        "{err}"
    );

    let cal = Calendar::kazakhstan().unwrap();
    let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut out = Vec::new();
    let e = cli::write_count(&cal, d(2016, 6, 14), d(2016, 6, 2), &mut out).unwrap_err();
    assert!(matches!(e, reglament::Error::Usage(_)), "{e:?}");
    assert!(out.is_empty());
    let n = cli::write_count(&cal, d(2016, 6, 14), d(2016, 6, 14), &mut out).unwrap();
    assert_eq!((n, String::from_utf8(out).unwrap()), (0, "0\n".to_string()));
}
