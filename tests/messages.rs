//! Issue 7 point 13: a finding's message says what the law measures. A step closed on
//! the day off after its deadline took no more working days than allowed, and is still
//! late: the message names the deadline day and the day the event came, not "took 1
//! working day, over the limit of 1".

use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options, run};
use reglament::log::Reader;
use reglament::report::Report;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

/// The report of `log` (JSON Lines of service `spec-one-delay`) against the rule set of
/// spec chapter 06 (register: 1 working day from the previous event, para 5.1).
fn report(log: &str, as_of: Option<&str>) -> Report {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec/06-one-delay.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rules = RulesSource::Inline(vec![("06#/rules".into(), doc["rules"].to_string())]);
    let catalog =
        Catalog::compile(load::load(&rules, &Schema::bundled().unwrap()).unwrap()).unwrap();
    let calendar = Calendar::kazakhstan().unwrap();
    let mut reader = Reader::new(&catalog);
    reader.read_str("m.jsonl", log);
    let as_of = as_of.map(|t| {
        AsOf::new(
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_millis(),
        )
    });
    run(
        &catalog,
        &calendar,
        reader.finish(),
        &Options {
            mode: Mode::Sequential,
            as_of,
        },
    )
}

fn event(step: &str, at: &str) -> String {
    format!(r#"{{"case": "c", "service": "spec-one-delay", "step": "{step}", "at": "{at}"}}"#)
}

#[test]
fn issue_7_closed_on_the_day_off_after_the_deadline_names_both_days() {
    // Received Thu 16 June 2016: 1 working day ends with Fri 17 June; registered on
    // Saturday 18 June, a day off: 1 working day counted, and late.
    let log = [
        event("receive", "2016-06-16T10:00:00+06:00"),
        event("register", "2016-06-18T10:00:00+06:00"),
    ]
    .join("\n");
    let r = report(&log, None);
    assert_eq!(r.violations.len(), 1, "{:?}", r.violations);
    let m =
        &reglament::i18n::Catalog::new(reglament::i18n::Lang::En).message(&r.violations[0].message);
    assert!(
        m.contains("closed on Sat 2016-06-18, after the deadline of end of Fri 2016-06-17"),
        "{m}"
    );
    assert!(m.contains("set by para 5(1)"), "{m}");
    assert!(!m.contains("over the limit"), "{m}");
}

#[test]
fn issue_7_more_working_days_than_allowed_are_also_counted() {
    // Registered Tue 21 June: 3 working days against 1.
    let log = [
        event("receive", "2016-06-16T10:00:00+06:00"),
        event("register", "2016-06-21T10:00:00+06:00"),
    ]
    .join("\n");
    let r = report(&log, None);
    let m =
        &reglament::i18n::Catalog::new(reglament::i18n::Lang::En).message(&r.violations[0].message);
    assert!(
        m.contains("closed on Tue 2016-06-21, after the deadline of end of Fri 2016-06-17")
            && m.ends_with("; it took 3 working days"),
        "{m}"
    );
}
