//! Hostile and edge inputs: dates outside the calendar, a zone whose offset changed,
//! a huge line, contradictory limits, calendar-day terms ending on a day off.

mod common;

use common::{check_with, findings_of, only, owned};
use std::io::Write;

const RULES: &str = "tests/data/rules-edge";

fn log(name: &str, lines: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-edge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path.display().to_string()
}

fn ev(case: &str, step: &str, at: &str) -> String {
    format!(r#"{{"case":"{case}","service":"edge","step":"{step}","at":"{at}"}}"#)
}

#[test]
fn a_deadline_outside_the_calendar_is_a_finding_not_a_panic() {
    // Accepted Wed 2026-12-30; the 1 working day runs out on Thu 31 Dec, the last date of
    // the calendar data, so the step that came on 2027-01-05 cannot be judged.
    let p = log(
        "outside.jsonl",
        &[
            &ev("o1", "a", "2026-12-30T10:00:00+05:00"),
            &ev("o1", "b", "2027-01-05T10:00:00+05:00"),
        ],
    );
    let run = check_with(&[&p, "--rules", RULES]);
    let kinds = findings_of(&run, "o1");
    assert_eq!(
        kinds,
        owned(&[("outside_calendar", "b", "2")]),
        "{:#?}",
        run.report
    );
    assert!(
        only(&run, "o1", "outside_calendar")["message"]
            .as_str()
            .unwrap()
            .contains("2026-12-31")
    );
}

#[test]
fn almaty_changed_its_offset_on_2024_03_01() {
    // Kazakhstan moved to a single zone UTC+5 on 2024-03-01. 2024-03-01T00:30+06:00 is
    // 18:30 UTC on 29 Feb, which in Almaty is now 23:30 on Thu 29 Feb: within the 1 working
    // day after Wed 28 Feb.
    let p = log(
        "almaty.jsonl",
        &[
            &ev("z1", "a", "2024-02-28T10:00:00+06:00"),
            &ev("z1", "b", "2024-03-01T00:30:00+06:00"),
        ],
    );
    let run = check_with(&[&p, "--rules", RULES]);
    assert_eq!(findings_of(&run, "z1"), vec![]);
    // The same wall-clock time without an offset is read in the zone as it was then: 00:30
    // on Fri 1 March (+05), one day late.
    let p = log(
        "almaty-local.jsonl",
        &[
            &ev("z2", "a", "2024-02-28T10:00:00"),
            &ev("z2", "b", "2024-03-01T00:30:00"),
        ],
    );
    let run = check_with(&[&p, "--rules", RULES]);
    let f = only(&run, "z2", "step_overdue");
    assert_eq!(f["at"], "2024-03-01T00:30:00+05:00");
    assert_eq!(f["deadline"], "2024-02-29");
}

#[test]
fn contradictory_limits_give_a_norm_then_a_hard_finding() {
    // Accepted Mon 2016-06-06, forwarded the same day; the decision has 8 working days by
    // para 8.3 (norm) and 10 by para 3 (hard). Counting from Mon 6 June, not counting it:
    // 8th working day = Thu 16 June, 10th = Mon 20 June.
    let norm_only = [
        ev("n1", "a", "2016-06-06T10:00:00+06:00"),
        ev("n1", "b", "2016-06-06T11:00:00+06:00"),
        ev("n1", "c", "2016-06-17T10:00:00+06:00"),
    ];
    let both = [
        ev("n2", "a", "2016-06-06T10:00:00+06:00"),
        ev("n2", "b", "2016-06-06T11:00:00+06:00"),
        ev("n2", "c", "2016-06-21T10:00:00+06:00"),
    ];
    let lines: Vec<&str> = norm_only
        .iter()
        .chain(both.iter())
        .map(String::as_str)
        .collect();
    let run = check_with(&[&log("contra.jsonl", &lines), "--rules", RULES]);
    assert_eq!(
        findings_of(&run, "n1"),
        owned(&[("step_overdue", "c", "8.3"), ("term_overdue", "c", "4")])
    );
    assert_eq!(only(&run, "n1", "step_overdue")["severity"], "norm");
    assert_eq!(only(&run, "n1", "step_overdue")["deadline"], "2016-06-16");
    let n2: Vec<_> = findings_of(&run, "n2");
    assert_eq!(
        n2,
        owned(&[
            ("step_overdue", "c", "3"),
            ("step_overdue", "c", "8.3"),
            ("term_overdue", "c", "4")
        ])
    );
}

#[test]
fn a_calendar_day_term_ending_on_a_day_off_moves_to_the_next_working_day() {
    // 10 calendar days from Wed 2016-06-01 end on Sat 11 June; the deadline moves to Mon
    // 13 June, so a decision on the 13th is in time and one on the 14th is late.
    let ok = [
        ev("t1", "a", "2016-06-01T10:00:00+06:00"),
        ev("t1", "b", "2016-06-02T10:00:00+06:00"),
        ev("t1", "c", "2016-06-13T17:00:00+06:00"),
    ];
    let late = [
        ev("t2", "a", "2016-06-01T10:00:00+06:00"),
        ev("t2", "b", "2016-06-02T10:00:00+06:00"),
        ev("t2", "c", "2016-06-14T09:00:00+06:00"),
    ];
    let lines: Vec<&str> = ok.iter().chain(late.iter()).map(String::as_str).collect();
    let run = check_with(&[&log("calendar-days.jsonl", &lines), "--rules", RULES]);
    assert_eq!(findings_of(&run, "t1"), vec![]);
    let f = only(&run, "t2", "term_overdue");
    assert_eq!(f["deadline"], "2016-06-13");
    assert_eq!(f["actual"]["value"], 13);
    assert_eq!(f["actual"]["unit"], "calendar_days");
}

#[test]
fn a_huge_line_is_rejected_and_the_run_goes_on() {
    let huge = format!(
        r#"{{"case":"h","service":"edge","step":"a","at":"2016-06-01T10:00:00+06:00","pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    let p = log(
        "huge.jsonl",
        &[&huge, &ev("h2", "a", "2016-06-01T10:00:00+06:00")],
    );
    let run = check_with(&[&p, "--rules", RULES]);
    let s = &run.report["summary"];
    assert_eq!(
        (
            s["lines"].as_u64(),
            s["events"].as_u64(),
            s["rejected"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert!(
        run.report["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("longer than")
    );
}

#[test]
fn events_out_of_order_and_at_the_same_time_follow_the_process_graph() {
    // The file lists c before a and b; replay orders by time. b and c share a time: the
    // process graph decides (issue 8, tied timestamps), not file order: c may follow b,
    // so b comes first and the case is in order (before: missing_step and
    // event_after_end, because c was listed first).
    let lines = [
        ev("s1", "c", "2016-06-02T10:00:00+06:00"),
        ev("s1", "a", "2016-06-01T10:00:00+06:00"),
        ev("s1", "b", "2016-06-02T10:00:00+06:00"),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = check_with(&[&log("order.jsonl", &lines), "--rules", RULES]);
    assert_eq!(findings_of(&run, "s1"), owned(&[]));
}

#[test]
fn a_case_id_is_a_case_within_its_service() {
    // Two providers number their cases from 1: "1" of the survey licence and "1" of the
    // design licence are two cases, each in order.
    let ev = |svc: &str, step: &str, at: &str| {
        format!(
            r#"{{"case":"1","service":"zhambyl-2016-84-{svc}-licence","step":"{step}","at":"{at}","channel":"state_corporation","provider":"{svc} office"}}"#
        )
    };
    let lines = [
        ev("survey", "sc_accept", "2016-06-01T10:00:00+06:00"),
        ev("design", "sc_accept", "2016-06-01T10:30:00+06:00"),
        ev("survey", "sc_forward", "2016-06-02T10:00:00+06:00"),
        ev("design", "sc_forward", "2016-06-06T10:00:00+06:00"),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = check_with(&[&log("two-services.jsonl", &lines)]);
    assert_eq!(run.report["summary"]["cases"], 2);
    // Only the design case forwarded late (Wed 1 June + 1 working day = Thu 2 June).
    let v = common::violations(&run);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0]["service"], "zhambyl-2016-84-design-licence");
    assert_eq!(v[0]["provider"], "design office");
    assert_eq!(
        run.report["summary"]["violations_by_provider"]["design office"],
        1
    );
}
