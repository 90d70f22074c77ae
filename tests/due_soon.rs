//! Issue 11, "Acting before it is late": with `--as-of`, an open case whose next deadline
//! falls within `--due-within` working days (default 2) is listed as due soon, apart
//! from violations and without changing the exit code, by every writer.
//!
//! The rule set is spec chapter 06's: prepare (5.3) is due 10 working days after the
//! registration, hard. Registered Thu 2 June 2016, so prepare is due by the end of Thu
//! 16 June (3..10 June and 13..16 June: 10 working days).

use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options, run};
use reglament::log::Reader;
use reglament::report::{self, Report};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

const LOG: &str = r#"{"case": "c", "service": "spec-one-delay", "step": "receive", "at": "2016-06-01T10:00:00+06:00", "provider": "P"}
{"case": "c", "service": "spec-one-delay", "step": "register", "at": "2016-06-02T10:00:00+06:00"}
{"case": "c", "service": "spec-one-delay", "step": "review", "at": "2016-06-02T11:00:00+06:00"}
"#;

fn catalog() -> Catalog {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec/06-one-delay.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rules = RulesSource::Inline(vec![("06#/rules".into(), doc["rules"].to_string())]);
    Catalog::compile(load::load(&rules, &Schema::bundled().unwrap()).unwrap()).unwrap()
}

fn report(as_of: &str, due_within: u32) -> Report {
    let catalog = catalog();
    let mut reader = Reader::new(&catalog);
    reader.read_str("due.jsonl", LOG);
    let at = chrono::DateTime::parse_from_rfc3339(as_of).unwrap();
    let as_of = AsOf {
        due_within,
        ..AsOf::new(at.timestamp_millis())
    };
    let options = Options {
        mode: Mode::Sequential,
        as_of: Some(as_of),
    };
    run(
        &catalog,
        &Calendar::kazakhstan().unwrap(),
        reader.finish(),
        &options,
    )
}

#[test]
fn open_case_two_working_days_before_its_deadline_is_due_soon() {
    // Tue 14 June: Wed 15 and Thu 16 June are left.
    let r = report("2016-06-14T12:00:00+06:00", 2);
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert!(
        !r.has_violations(),
        "due soon does not change the exit code"
    );
    assert_eq!(r.due_soon.len(), 1);
    let d = &r.due_soon[0];
    assert_eq!(
        (d.case.as_str(), d.step.as_str(), d.cite.as_str()),
        ("c", "prepare", "5.3")
    );
    assert_eq!(d.deadline.to_iso(), "2016-06-16");
    assert_eq!(d.working_days_left, 2);
    assert_eq!(d.provider.as_deref(), Some("P"));
    assert_eq!(r.summary.due_soon, 1);
    // On the deadline day itself: 0 left.
    let r = report("2016-06-16T17:00:00+06:00", 2);
    assert_eq!(r.due_soon[0].working_days_left, 0);
}

#[test]
fn the_window_is_due_within_working_days() {
    // Mon 13 June: 3 working days left, outside the default window, inside 3.
    assert!(report("2016-06-13T12:00:00+06:00", 2).due_soon.is_empty());
    assert_eq!(report("2016-06-13T12:00:00+06:00", 3).due_soon.len(), 1);
    // Fri 10 June with a window of 4: the weekend is not counted (13..16 June = 4).
    assert_eq!(
        report("2016-06-10T12:00:00+06:00", 4).due_soon[0].working_days_left,
        4
    );
}

#[test]
fn an_overdue_case_is_a_violation_not_due_soon() {
    let r = report("2016-06-17T12:00:00+06:00", 2);
    assert!(r.due_soon.is_empty());
    assert_eq!(r.violations.len(), 1);
    assert_eq!(r.violations[0].kind.as_str(), "open_overdue");
}

#[test]
fn every_writer_renders_due_soon() {
    let r = report("2016-06-14T12:00:00+06:00", 2);
    let en = reglament::i18n::Catalog::new(reglament::i18n::Lang::En);
    let render = |f: fn(
        &Report,
        &reglament::i18n::Catalog,
        &mut dyn std::io::Write,
    ) -> std::io::Result<()>| {
        let mut out = Vec::new();
        f(&r, &en, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&render(report::json::write)).unwrap();
    // The published schema describes the list (docs/report.schema.json).
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/report.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(json["due_soon"][0]["step"], "prepare");
    assert_eq!(json["due_soon"][0]["working_days_left"], 2);
    assert_eq!(json["violations"].as_array().unwrap().len(), 0);
    let text = render(report::text::write);
    assert!(text.contains("due soon (1)"), "{text}");
    assert!(
        text.contains("step prepare [para 5(3)] due by end of 2016-06-16"),
        "{text}"
    );
    let csv = render(report::csv::write);
    let row = csv
        .lines()
        .find(|l| l.starts_with("due_soon,"))
        .expect(&csv);
    assert!(
        row.contains(",prepare,") && row.contains(",5.3,") && row.contains(",2016-06-16,"),
        "{row}"
    );
    let cases = report::summary::Cases::default();
    let mut html = Vec::new();
    report::html::write_report(&r, &cases, &Calendar::kazakhstan().unwrap(), &en, &mut html)
        .unwrap();
    let html = String::from_utf8(html).unwrap();
    let due = html.find("id=\"due-soon\"").expect("a due-soon section");
    assert!(
        due < html.find("id=\"violations\"").unwrap(),
        "due soon comes first"
    );
}

/// `--due-within N` on the command line: the window moves, the exit code does not.
#[test]
fn due_within_flag_sets_the_window_and_keeps_the_exit_code() {
    let dir = std::env::temp_dir().join(format!("reglament-due-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec/06-one-delay.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    std::fs::write(dir.join("spec-one-delay.json"), doc["rules"].to_string()).unwrap();
    let log = dir.join("due.jsonl");
    std::fs::write(&log, LOG).unwrap();
    let check = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
            .arg("check")
            .arg(&log)
            .arg("--rules")
            .arg(&dir)
            .args(["--format", "json", "--as-of", "2016-06-13T12:00:00+06:00"])
            .args(extra)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            out.status.code(),
            report["due_soon"].as_array().map_or(0, Vec::len),
        )
    };
    // Mon 13 June, 3 working days before the deadline of Thu 16 June.
    assert_eq!(check(&[]), (Some(0), 0));
    assert_eq!(check(&["--due-within", "3"]), (Some(0), 1));
    let _ = std::fs::remove_dir_all(&dir);
}
