//! End-to-end checks of the core on the survey licence (seed 001, Annex 1): every finding
//! kind, the working-day and time-zone rules, refusal grounds, bad rule files and the
//! accounting of broken log lines.
//!
//! Dates are in June 2016, a month with no public holiday in Kazakhstan; 2016-06-01 is a
//! Wednesday.

mod common;

use common::{check, check_with, findings_of, only, owned};

const AS_OF: &str = "2016-07-15T00:00:00+06:00";

fn sample() -> common::Run {
    check("logs/sample.jsonl", AS_OF)
}

#[test]
fn compliant_cases_have_no_findings() {
    let run = sample();
    for case in [
        "sv-ok-1",
        "sv-refusal-ok",
        "sv-portal-ok",
        "sv-portal-no-payment",
    ] {
        assert_eq!(findings_of(&run, case), vec![], "{case}");
    }
}

#[test]
fn step_limit_in_working_days() {
    let run = sample();
    assert_eq!(
        findings_of(&run, "sv-late-commission"),
        owned(&[("step_overdue", "p_commission", "5.4")])
    );
    // Executor sent the file to the commission on Fri 10 June; 2 working days not
    // counting the 10th: Mon 13th, Tue 14th -> deadline 2016-06-14. Protocol came Wed 15th:
    // 13, 14, 15 = 3 working days.
    let f = only(&run, "sv-late-commission", "step_overdue");
    assert_eq!(f["deadline"], "2016-06-14");
    assert_eq!(f["limit"]["value"], 2);
    assert_eq!(f["actual"]["value"], 3);
    assert_eq!(f["actual"]["unit"], "working_days");
    assert_eq!(f["severity"], "hard");
}

#[test]
fn working_days_across_a_weekend() {
    let run = sample();
    // Accepted Fri 3 June, forwarded Mon 6 June: the 1st working day after the 3rd is
    // Monday, so the 1-working-day limit of para 9 is met.
    assert!(
        findings_of(&run, "sv-weekend-ok")
            .iter()
            .all(|f| f.1 != "sc_forward")
    );
    // Accepted Fri 10 June, forwarded Tue 14 June: deadline Mon 13th, 2 working days taken.
    let f = run.report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["case"] == "sv-weekend-late" && v["kind"] == "step_overdue")
        .cloned()
        .unwrap();
    assert_eq!(f["step"], "sc_forward");
    assert_eq!(f["deadline"], "2016-06-13");
    assert_eq!(f["actual"]["value"], 2);
}

#[test]
fn the_day_is_the_local_day_in_the_region() {
    let run = sample();
    // Forwarded at 2016-06-02T20:30Z = 02:30 on 3 June in Almaty (UTC+6): the 1 working
    // day after 1 June ended with 2 June, so it is late, though the UTC date is the 2nd.
    let f = only(&run, "sv-timezone", "step_overdue");
    assert_eq!(f["step"], "sc_forward");
    assert_eq!(f["deadline"], "2016-06-02");
    assert_eq!(f["at"], "2016-06-03T02:30:00+06:00");
}

#[test]
fn local_time_without_offset_is_read_in_the_regions_zone() {
    let run = sample();
    // started 10:00, accepted 10:25 local: 25 minutes against 15 (para 9).
    let f = only(&run, "sv-local-time", "step_overdue");
    assert_eq!(f["step"], "sc_accept");
    assert_eq!(f["actual"]["value"], 25);
    assert_eq!(f["deadline"], "2016-06-08T10:15:00+06:00");
}

#[test]
fn hours_count_office_time_of_the_schedule() {
    let run = sample();
    // Registered 17:50, resolution next day 10:00: 40 + 60 office minutes < 2 hours.
    assert!(
        findings_of(&run, "sv-office-hours-ok")
            .iter()
            .all(|f| f.0 != "step_overdue")
    );
    // Registered 11:00, resolution 15:30: 11:00-13:00 and 14:30-15:30 = 3 office hours;
    // the 2 hours ran out at 13:00.
    let f = only(&run, "sv-resolution-late", "step_overdue");
    assert_eq!(f["actual"]["value"], 3);
    assert_eq!(f["deadline"], "2016-06-07T13:00:00+06:00");
}

#[test]
fn total_term() {
    let run = sample();
    assert_eq!(
        findings_of(&run, "sv-term-overdue"),
        owned(&[("term_overdue", "p_dispatch", "standard.4")])
    );
    // Accepted Wed 1 June; 15 working days not counting the 1st end on Wed 22 June.
    // Dispatched Thu 23 June = 16 working days.
    let f = only(&run, "sv-term-overdue", "term_overdue");
    assert_eq!(f["deadline"], "2016-06-22");
    assert_eq!(f["actual"]["value"], 16);
    assert_eq!(f["term"], "total_state_corporation");
    // Inferred, not read in the standard: a norm (issue 7, point 8).
    assert_eq!(f["severity"], "norm");
    assert_eq!(f["limit_inferred"], true);
}

#[test]
fn refusal_grounds() {
    let run = sample();
    assert_eq!(
        findings_of(&run, "sv-refusal-no-ground"),
        owned(&[("refusal_without_ground", "p_prepare_refusal", "5.6")])
    );
    assert_eq!(
        findings_of(&run, "sv-refusal-bad-ground"),
        owned(&[("refusal_ground_not_allowed", "p_prepare_refusal", "5.6")])
    );
    // A portal refusal for non-payment carries its ground in the step itself (para 11.8).
    assert_eq!(findings_of(&run, "sv-portal-no-payment"), vec![]);
}

#[test]
fn order_findings() {
    let run = sample();
    assert_eq!(
        findings_of(&run, "sv-skip-commission"),
        owned(&[
            ("missing_step", "p_commission", "5.4"),
            ("step_overdue", "p_protocol_approved", "5.5")
        ])
    );
    assert_eq!(
        findings_of(&run, "sv-duplicate-sign"),
        owned(&[("duplicate_step", "p_sign", "5.7")])
    );
    assert_eq!(
        findings_of(&run, "sv-after-end"),
        owned(&[("event_after_end", "p_sign", "5.7")])
    );
    assert_eq!(
        findings_of(&run, "sv-unknown-step"),
        owned(&[("unknown_step", "p_archive", "")])
    );
    // A portal step in a State Corporation case is reported once; the case goes on from
    // where it was, so the executor's review after the head's resolution is in order.
    let unexpected: Vec<_> = findings_of(&run, "sv-unexpected")
        .into_iter()
        .filter(|f| f.0 != "open_overdue")
        .collect();
    assert_eq!(
        unexpected,
        owned(&[("unexpected_step", "portal_register", "11.13")])
    );
}

#[test]
fn services_and_editions() {
    let run = sample();
    assert_eq!(
        findings_of(&run, "tourism-1"),
        owned(&[("unknown_service", "sc_accept", "")])
    );
    // Issue 16: begun on 2015-11-02, before No. 84 can have applied (2016-05-06 at the
    // earliest): not judged and listed, no longer a hard no_rule_in_force.
    assert_eq!(findings_of(&run, "sv-before-2016"), owned(&[]));
    let listed = &run.report["not_judged"];
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["case"], "sv-before-2016");
    assert_eq!(listed[0]["first_day"], "2015-11-02");
    assert_eq!(listed[0]["reason"], "before_first_edition");
    assert_eq!(run.report["summary"]["cases_not_judged"], 1);
}

#[test]
fn open_cases_are_judged_at_as_of() {
    let run = sample();
    // Stuck after the head's resolution on Thu 2 June: the executor had 8 working days
    // (para 5.3), not counting the 2nd: 3, 6, 7, 8, 9, 10, 13, 14 -> 2016-06-14.
    let open = findings_of(&run, "sv-open-stuck");
    assert_eq!(
        open,
        owned(&[
            ("open_overdue", "p_dispatch", "9"),
            ("open_overdue", "p_dispatch", "standard.4"),
            ("open_overdue", "p_executor_review", "5.3")
        ])
    );
    // The inferred 15-working-day total (standard.4) is a norm since issue 7 (point 8).
    // Since issue 16 an open case is judged on every running term, a norm too, as a
    // closed one would be ("a lost application is never silent"): it adds a norm
    // finding, listed as a consequence of the same wait and not counted.
    let norm = run.report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["case"] == "sv-open-stuck" && v["ref"] == "standard.4")
        .cloned()
        .unwrap();
    assert_eq!(norm["severity"], "norm");
    assert!(norm["caused_by"].is_u64(), "{norm}");
    let step = run.report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["case"] == "sv-open-stuck" && v["step"] == "p_executor_review")
        .cloned()
        .unwrap();
    assert_eq!(step["deadline"], "2016-06-14");
    // Without --as-of nothing open is judged.
    let run = check_with(&["logs/sample.jsonl"]);
    assert_eq!(
        run.report["summary"]["violations_by_kind"].get("open_overdue"),
        None
    );
    assert_eq!(run.report["summary"]["as_of"], serde_json::Value::Null);
}

#[test]
fn summary_and_exit_code() {
    let run = sample();
    assert_eq!(run.code, 1, "violations found -> exit 1");
    let s = &run.report["summary"];
    assert_eq!(s["lines"], 163);
    assert_eq!(s["events"], 163);
    assert_eq!(s["rejected"], 0);
    assert_eq!(s["cases"], 22);
    let by_kind = s["violations_by_kind"].as_object().unwrap();
    // Issue 16: no_rule_in_force is no longer a finding; sv-before-2016 is listed as
    // not judged instead.
    assert!(!by_kind.contains_key("no_rule_in_force"));
    assert_eq!(s["cases_not_judged"], 1);
    for kind in [
        "unknown_service",
        "unknown_step",
        "unexpected_step",
        "missing_step",
        "duplicate_step",
        "step_overdue",
        "term_overdue",
        "open_overdue",
        "refusal_without_ground",
        "refusal_ground_not_allowed",
        "event_after_end",
    ] {
        assert!(by_kind.contains_key(kind), "sample has no {kind}");
    }
}

#[test]
fn broken_lines_are_rejected_and_counted() {
    let run = check_with(&["tests/data/broken.jsonl", "--as-of", AS_OF]);
    let s = &run.report["summary"];
    assert_eq!(
        s["lines"].as_u64().unwrap(),
        s["events"].as_u64().unwrap() + s["rejected"].as_u64().unwrap()
    );
    // BOM and CRLF are fine; the last line has no newline and still counts.
    assert_eq!(s["events"], 3);
    assert_eq!(s["rejected"], 7);
    assert_eq!(s["blank_lines"], 2);
    let rejected = run.report["rejected"].as_array().unwrap();
    let at = |line: u64| {
        rejected
            .iter()
            .find(|r| r["line"] == line)
            .cloned()
            .unwrap_or_else(|| panic!("line {line} not rejected"))
    };
    assert_eq!(at(3)["field"], "at");
    assert_eq!(at(4)["field"], "step");
    assert!(at(5)["reason"].as_str().unwrap().contains("JSON"));
    assert_eq!(at(7)["field"], "case");
    assert!(at(8)["reason"].as_str().unwrap().contains("UTF-8"));
    assert!(at(9)["reason"].as_str().unwrap().contains("JSON"));
    assert_eq!(at(10)["field"], "started");
    assert!(
        rejected
            .iter()
            .all(|r| r["file"] == "tests/data/broken.jsonl")
    );
}

#[test]
fn text_report_cites_paragraphs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(root)
        .args([
            "check",
            "logs/sample.jsonl",
            "--as-of",
            AS_OF,
            "--lang",
            "en",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("case sv-late-commission"));
    assert!(text.contains("step overdue (step_overdue), hard [para 5(4)]"));
    assert!(text.contains("«2 (екі) жұмыс күні ішінде»"));
}

fn temp_rules(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reglament-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

fn validate(dir: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["rules", "validate"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn schema_invalid_rule_file_is_a_fatal_error_naming_file_and_field() {
    let bad = r#"{"id": "x", "title": {"kk": "x", "en": "x"}, "source": {"seed": "s", "act": {"issuer": "i", "number": "1", "date": "2016-01-01"}, "edition": "e"},
        "region": "r", "timezone": "Asia/Almaty", "valid_from": "2016-01-01", "channels": [{"id": "portal", "name": {"kk": "p", "en": "p"}, "ref": "1"}],
        "steps": [{"id": "a", "ref": "1", "actor": "x", "name": {"kk": "a", "en": "a"}, "start": true, "limit": {"value": 5, "unit": "fortnights", "severity": "hard"}}]}"#;
    let dir = temp_rules("bad", &[("bad.json", bad)]);
    let (code, err) = validate(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json: /steps/0/limit"), "{err}");
    // And `check` with such rules stops before reading any log.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--rules"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn graph_errors_are_found_at_load_time() {
    let bad = r#"{"id": "x", "title": {"kk": "x", "en": "x"}, "source": {"seed": "s", "act": {"issuer": "i", "number": "1", "date": "2016-01-01"}, "edition": "e"},
        "region": "r", "timezone": "Asia/Nowhere", "valid_from": "2016-01-01", "channels": [{"id": "portal", "name": {"kk": "p", "en": "p"}, "ref": "1"}],
        "steps": [{"id": "a", "ref": "1", "actor": "x", "name": {"kk": "a", "en": "a"}, "start": true, "next": ["b"]}]}"#;
    let dir = temp_rules("graph", &[("graph.json", bad)]);
    let (code, err) = validate(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("graph.json: /timezone"), "{err}");
    assert!(
        err.contains("graph.json: /steps/0/next/0: no step \"b\""),
        "{err}"
    );
}

#[test]
fn invalid_json_rule_file_names_line_and_column() {
    let dir = temp_rules("json", &[("broken.json", "{\n  \"id\": \n}")]);
    let (code, err) = validate(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json: line 3 column 1"), "{err}");
}

#[test]
fn bundled_rules_validate() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["rules", "validate"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn template_review_fixes() {
    // Review of rules/templates/zhambyl-2016-84-licence.json against seed 001.
    let dir = std::env::temp_dir().join(format!("reglament-survey-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("review.jsonl");
    let ev = |case: &str, step: &str, at: &str, channel: &str| {
        format!(
            r#"{{"case":"{case}","service":"zhambyl-2016-84-survey-licence","step":"{step}","at":"{at}","channel":"{channel}","variant":"issue"}}"#
        )
    };
    let lines = [
        // Para 9: the desk refuses an incomplete package; nothing was accepted first.
        ev(
            "r-reject-direct",
            "sc_reject_incomplete",
            "2016-06-01T10:05:00+06:00",
            "state_corporation",
        ),
        // Para 11.1: an applicant new to the portal registers first, then process 1;
        // condition 2 fails (process 5).
        ev(
            "r-portal-signup",
            "portal_signup",
            "2016-06-06T08:50:00+06:00",
            "portal",
        ),
        ev(
            "r-portal-signup",
            "portal_auth",
            "2016-06-06T09:00:00+06:00",
            "portal",
        ),
        ev(
            "r-portal-signup",
            "portal_fill",
            "2016-06-06T09:05:00+06:00",
            "portal",
        ),
        ev(
            "r-portal-signup",
            "portal_no_payment",
            "2016-06-06T09:35:00+06:00",
            "portal",
        ),
        // Registered 25.04.2016, applied ten calendar days after publication: the earliest
        // first day is 2016-05-06 (was 2016-05-05 before the review).
        ev(
            "r-before-in-force",
            "sc_reject_incomplete",
            "2016-05-05T10:00:00+06:00",
            "state_corporation",
        ),
        ev(
            "r-first-day",
            "sc_reject_incomplete",
            "2016-05-06T10:00:00+06:00",
            "state_corporation",
        ),
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let run = check_with(&[path.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(findings_of(&run, "r-reject-direct"), vec![]);
    assert_eq!(findings_of(&run, "r-portal-signup"), vec![]);
    assert_eq!(findings_of(&run, "r-first-day"), vec![]);
    // Issue 16: before No. 84 can have applied, not judged (listed), not a finding.
    assert_eq!(findings_of(&run, "r-before-in-force"), vec![]);
    let listed: Vec<&str> = (run.report["not_judged"].as_array().unwrap().iter())
        .filter_map(|n| n["case"].as_str())
        .collect();
    assert_eq!(listed, ["r-before-in-force"]);
}

/// Issue 16: `sv-local-time` was accepted on Wed 8 June and forwarded on Thu 9 June
/// (para 9, "Қабылданған құжаттар қызмет берушіге 1 (бір) жұмыс күні ішінде жолданады"),
/// and the provider never registered it. Before, nothing but the desk overrun was
/// reported at any `--as-of`; now the inferred total already running (standard.4, 15
/// working days from the acceptance: Wed 29 June) is an open_overdue of severity norm.
#[test]
fn issue_16_package_forwarded_and_never_registered_is_reported() {
    let run = sample();
    let f = only(&run, "sv-local-time", "open_overdue");
    assert_eq!(f["ref"], "standard.4");
    assert_eq!(f["term"], "total_state_corporation");
    assert_eq!(f["severity"], "norm");
    assert_eq!(f["deadline"], "2016-06-29");
    assert_eq!(f["caused_by"], serde_json::Value::Null);
}
