//! Seed 004: Zhambyl akimat resolution No. 136 of 25.06.2015 (culture):
//! temporary export certificate and restoration consent, on the template
//! `zhambyl-2015-136-culture`. Log: logs/culture.jsonl.
//!
//! Calendar: October-November 2015 and October 2016 hold no Kazakhstan holidays
//! (Kurban Ait fell on 24.09.2015 and 12.09.2016; 1 December is after every case).

mod common;

use serde_json::Value;

const LOG: &str = "logs/culture.jsonl";
const AS_OF: &str = "2017-01-31T00:00:00+06:00";

fn run() -> common::Run {
    common::check(LOG, AS_OF)
}

/// Findings of a case, sorted, so cases with several findings do not depend on report order.
fn sorted(run: &common::Run, case: &str) -> Vec<(String, String, String)> {
    let mut v = common::findings_of(run, case);
    v.sort();
    v
}

fn owned_sorted(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    let mut v = common::owned(v);
    v.sort();
    v
}

/// The one finding of `kind` with `ref` in `case`.
fn finding(run: &common::Run, case: &str, kind: &str, r: &str) -> Value {
    let found: Vec<Value> = common::violations(run)
        .into_iter()
        .filter(|v| v["case"] == case && v["kind"] == kind && v["ref"] == r)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind} ({r}) in {case}, got {found:#?}"
    );
    found.into_iter().next().expect("one")
}

#[test]
fn compliant_cases_have_no_findings() {
    let run = run();
    for case in [
        "exp-ok-office",
        "exp-ok-portal",
        // portal_send Wed 2015-11-04 20:00 (after hours): p_accept Thu 09:10 = 10 office minutes;
        // portal term 10 calendar days: 4 Nov + 10 = Sat 14 Nov -> next working day Mon 16 Nov;
        // result Mon 2015-11-16 09:40 is in time.
        "exp-ok-portal-weekend",
        "exp-ok-refusal-portal",
        "exp-ok-signature-refused",
        "rst-ok-office",
        "rst-ok-portal",
    ] {
        assert_eq!(
            common::findings_of(&run, case),
            common::owned(&[]),
            "{case}"
        );
    }
}

// ---------------------------------------------------------------- temporary export

#[test]
fn export_head_review_contradiction_15_minutes_vs_2_hours() {
    let run = run();
    assert_eq!(
        sorted(&run, "exp-late-resolution"),
        owned_sorted(&[
            ("step_overdue", "p_resolution", "8.2"),
            ("step_overdue", "p_resolution", "5.2"),
        ])
    );
    // p_accept Tue 2015-10-06 10:00, p_resolution 15:30 the same day. Office time:
    // 10:00-13:00 (3 h) + 14:30-15:30 (1 h) = 4 h = 240 min.
    // 8.2: 2 hours (hard) -> deadline 12:00.
    let f = finding(&run, "exp-late-resolution", "step_overdue", "8.2");
    common::assert_overdue(&f, "hard", (2, "hours"), "2015-10-06T12:00:00+06:00", 4);
    // 5.2: 15 minutes (norm) -> deadline 10:15.
    let f = finding(&run, "exp-late-resolution", "step_overdue", "5.2");
    common::assert_overdue(
        &f,
        "norm",
        (15, "minutes"),
        "2015-10-06T10:15:00+06:00",
        240,
    );
}

#[test]
fn export_prepare_past_8_but_within_10_working_days_breaks_only_the_norm() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "exp-late-prepare-norm"),
        common::owned(&[("step_overdue", "p_prepare", "8.3")])
    );
    // p_accept Mon 2015-10-05; 8 WD not counting the 5th: Tue 6, Wed 7, Thu 8, Fri 9,
    // Mon 12, Tue 13, Wed 14, Thu 15 -> deadline 2015-10-15; prepared Fri 16th = 9th WD.
    // (10 WD hard limit would end Mon 19th: not broken.)
    let f = finding(&run, "exp-late-prepare-norm", "step_overdue", "8.3");
    common::assert_overdue(&f, "norm", (8, "working_days"), "2015-10-15", 9);
}

#[test]
fn export_prepare_past_10_working_days_breaks_both_limits_and_the_term() {
    let run = run();
    assert_eq!(
        sorted(&run, "exp-late-prepare-hard"),
        owned_sorted(&[
            ("step_overdue", "p_prepare", "5.3"),
            ("step_overdue", "p_prepare", "8.3"),
            ("term_overdue", "p_prepare", "standard.4"),
        ])
    );
    // p_accept Mon 2015-10-05; 10 WD: 6, 7, 8, 9, 12, 13, 14, 15, 16, Mon 19 -> 2015-10-19.
    // Prepared Wed 21st: working days 6..9 (4), 12..16 (5), 19, 20, 21 (3) = 12.
    let f = finding(&run, "exp-late-prepare-hard", "step_overdue", "5.3");
    common::assert_overdue(&f, "hard", (10, "working_days"), "2015-10-19", 12);
    let f = finding(&run, "exp-late-prepare-hard", "step_overdue", "8.3");
    common::assert_overdue(&f, "norm", (8, "working_days"), "2015-10-15", 12);
    // Term (inferred 10 WD from p_accept, ending at the prepared result since issue 7)
    // ends 2015-10-19; p_prepare Wed 21st = 12 WD.
    let f = finding(&run, "exp-late-prepare-hard", "term_overdue", "standard.4");
    common::assert_overdue(&f, "hard", (10, "working_days"), "2015-10-19", 12);
}

/// Issue 7, point 8: the inferred provider total used to end at the notice of 5.4, which
/// has no time in the regulation. A result prepared within the 10 working days of 5.3 and
/// notified later (Thu 22 Oct, 13 working days after acceptance) keeps every stated limit.
#[test]
fn issue_7_export_late_notification_keeps_every_stated_limit() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "exp-late-term"),
        common::owned(&[])
    );
}

#[test]
fn export_portal_term_10_calendar_days() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "exp-portal-late"),
        common::owned(&[("term_overdue", "portal_result", "9.11")])
    );
    // portal_send Tue 2015-11-03; 3 + 10 = Fri 2015-11-13 (a working day) -> deadline 13th;
    // result Mon 16th = 13 calendar days. The provider's 8 WD (-> Fri 13th) were kept:
    // p_prepare Thu 12th.
    let f = common::only(&run, "exp-portal-late", "term_overdue");
    common::assert_overdue(&f, "hard", (10, "calendar_days"), "2015-11-13", 13);
}

#[test]
fn export_order_and_refusals() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "exp-missing-resolution"),
        common::owned(&[("missing_step", "p_resolution", "5.2")])
    );
    assert_eq!(
        common::findings_of(&run, "exp-unexpected-auth-refusal"),
        // The broken rule is the `next` list of portal_fill (9.5), which the engine cites.
        common::owned(&[("unexpected_step", "portal_auth_refused", "9.5")])
    );
    assert_eq!(
        common::findings_of(&run, "exp-refusal-no-ground"),
        common::owned(&[("refusal_without_ground", "p_prepare_refusal", "5.3")])
    );
    assert_eq!(
        common::findings_of(&run, "exp-refusal-bad-ground"),
        common::owned(&[("refusal_ground_not_allowed", "p_prepare_refusal", "5.3")])
    );
    // Review fix: the message of 5.4 is split into p_notify (after a result) and
    // p_notify_refusal (after a refusal). A result was prepared, yet a refusal is handed out
    // at the office, with no refusal decision and no ground: not reachable from p_notify,
    // whose `next` (5.4) the engine cites.
    assert_eq!(
        common::findings_of(&run, "exp-result-then-refusal"),
        common::owned(&[("unexpected_step", "p_issue_refusal", "5.4")])
    );
}

// ---------------------------------------------------------------- restoration consent

#[test]
fn restoration_head_review_15_minutes() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "rst-late-resolution"),
        common::owned(&[("step_overdue", "p_resolution", "5.2")])
    );
    // p_accept Tue 2016-10-04 10:00; 15 minutes -> 10:15; p_resolution 11:00 = 60 minutes.
    let f = common::only(&run, "rst-late-resolution", "step_overdue");
    common::assert_overdue(&f, "hard", (15, "minutes"), "2016-10-04T10:15:00+06:00", 60);
}

#[test]
fn restoration_prepare_past_15_working_days() {
    let run = run();
    assert_eq!(
        sorted(&run, "rst-late-prepare"),
        owned_sorted(&[
            ("step_overdue", "p_prepare", "5.3"),
            ("term_overdue", "p_prepare", "standard.4"),
        ])
    );
    // p_accept Mon 2016-10-03; 15 WD: 4..7 (4), 10..14 (9), 17..21 (14), Mon 24 (15)
    // -> deadline 2016-10-24; prepared and notified Tue 25th = 16 WD.
    let f = common::only(&run, "rst-late-prepare", "step_overdue");
    common::assert_overdue(&f, "hard", (15, "working_days"), "2016-10-24", 16);
    let f = common::only(&run, "rst-late-prepare", "term_overdue");
    common::assert_overdue(&f, "hard", (15, "working_days"), "2016-10-24", 16);
}

/// Issue 7, point 8, restoration: prepared within the 15 working days of 5.3, notified on
/// Wed 26 Oct (17 working days after acceptance): 5.4 gives the notice no time.
#[test]
fn issue_7_restoration_late_notification_keeps_every_stated_limit() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "rst-late-term"),
        common::owned(&[])
    );
}

#[test]
fn restoration_portal_term_15_calendar_days() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "rst-portal-late"),
        common::owned(&[("term_overdue", "portal_result", "9.11")])
    );
    // portal_send Tue 2016-10-11; 11 + 15 = Wed 2016-10-26 (working) -> deadline 26th;
    // result Thu 27th = 16 calendar days. p_prepare Wed 26th is well inside 15 WD (-> Tue 1 Nov).
    let f = common::only(&run, "rst-portal-late", "term_overdue");
    common::assert_overdue(&f, "hard", (15, "calendar_days"), "2016-10-26", 16);
}

#[test]
fn restoration_order_and_refusals() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "rst-missing-resolution"),
        common::owned(&[("missing_step", "p_resolution", "5.2")])
    );
    assert_eq!(
        common::findings_of(&run, "rst-unexpected-auth-refusal"),
        // The broken rule is the `next` list of portal_fill (9.5), which the engine cites.
        common::owned(&[("unexpected_step", "portal_auth_refused", "9.5")])
    );
    assert_eq!(
        common::findings_of(&run, "rst-refusal-no-ground"),
        common::owned(&[("refusal_without_ground", "p_prepare_refusal", "5.3")])
    );
    assert_eq!(
        common::findings_of(&run, "rst-refusal-bad-ground"),
        common::owned(&[("refusal_ground_not_allowed", "p_prepare_refusal", "5.3")])
    );
    // Review fix (see export_order_and_refusals): a refusal was decided, yet a consent is
    // handed out: not reachable from p_notify_refusal (5.4).
    assert_eq!(
        common::findings_of(&run, "rst-refusal-then-result"),
        common::owned(&[("unexpected_step", "p_issue", "5.4")])
    );
}

#[test]
fn restoration_open_case_past_the_provider_term() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "rst-open-overdue"),
        // The open term is reported at the step it waits for (its first `to` step), and
        // so is 5.3's own limit, which runs `from` p_accept (spec 05,
        // open-past-a-limit-from-an-earlier-step).
        common::owned(&[
            ("open_overdue", "p_prepare", "standard.4"),
            ("open_overdue", "p_prepare", "5.3")
        ])
    );
    // p_accept Mon 2017-01-09, nothing after p_resolution. 15 WD not counting the 9th:
    // 10..13 (4), 16..20 (9), 23..27 (14), Mon 30 (15) -> deadline 2017-01-30.
    // As of 2017-01-31 00:00: working days 10 Jan ..= 31 Jan = 16.
    let found: Vec<Value> = common::violations(&run)
        .into_iter()
        .filter(|v| v["case"] == "rst-open-overdue")
        .collect();
    for f in &found {
        common::assert_overdue(f, "hard", (15, "working_days"), "2017-01-30", 16);
    }
    // One wait, one finding: the stated 5.3 is the root, the inferred total its
    // consequence (issue 7 point 12).
    let stated = (found.iter()).position(|f| f["ref"] == "5.3").unwrap();
    assert_eq!(found[stated]["caused_by"], Value::Null);
    let term = &found[1 - stated];
    let root = term["caused_by"].as_u64().unwrap() as usize;
    assert_eq!(common::violations(&run)[root]["ref"], "5.3");
}

/// Issue 7, point 10: the automatic refusal of process 4 (9.7, the signature not confirmed)
/// establishes its own ground only; an explicit other ground there is not allowed.
#[test]
fn issue_7_implied_ground_steps_allow_only_their_own_ground() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "exp-signature-wrong-ground"),
        common::owned(&[(
            "refusal_ground_not_allowed",
            "portal_signature_refused",
            "9.7"
        )])
    );
}

/// Issue 7, point 9: the calendar-day term of 9.11 moves to the next working day when it
/// ends on a day off (exp-ok-portal-weekend above); each rule set relying on that says on
/// what legal basis, in its notes.
#[test]
fn issue_7_calendar_day_terms_name_their_legal_basis() {
    for id in [
        "zhambyl-2015-136-temporary-export-certificate",
        "zhambyl-2015-136-restoration-consent",
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["rules", "show", id, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{id}");
        let set: Value = serde_json::from_slice(&o.stdout).unwrap();
        let basis = set["notes"].as_array().unwrap().iter().any(|n| {
            n["refs"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == "9.11"))
                && n["text"].as_str().is_some_and(|t| {
                    t.contains("Civil Code") && t.contains("Окончание срока в нерабочий день")
                })
        });
        assert!(basis, "{id}: no note on 9.11 citing the Civil Code");
    }
}

#[test]
fn exit_code_and_no_rejected_events() {
    let run = run();
    assert_eq!(
        run.code, 1,
        "violations found -> exit 1; stderr: {}",
        run.stderr
    );
    assert_eq!(
        run.report["rejected"].as_array().map(|a| a.len()),
        Some(0),
        "{:#?}",
        run.report["rejected"]
    );
}
