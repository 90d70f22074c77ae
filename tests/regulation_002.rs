//! Seed 002: West Kazakhstan akimat resolution No. 41 of 29.03.2013, five electronic
//! licensing services on one template (`wko-2013-41-e-licence`): portal channel (table 1 of
//! annex 1) and provider channel (table 2). Screen times are `norm` limits in seconds
//! (wall clock); registration and processing take 15 working days (term).
//!
//! Calendar facts used below (2013, Kazakhstan): no holidays between 31 Aug and 14 Oct 2013
//! nor between 16 Oct and 30 Nov 2013 (Kurban Ait 15 Oct and 1-2 Dec are avoided).
//! Asia/Oral is UTC+5.

mod common;

const LOG: &str = "logs/wko-e-licences.jsonl";
const AS_OF: &str = "2013-11-30T00:00:00+05:00";

fn none() -> Vec<(String, String, String)> {
    Vec::new()
}

#[test]
fn compliant_cases_have_no_findings() {
    let run = common::check(LOG, AS_OF);
    for case in [
        "wko-vet-ok-portal",
        "wko-vet-ok-provider",
        "wko-vet-ok-refusal",
        "wko-vet-ok-no-payment",
        "wko-vet-ok-data-not-found",
        "wko-grain-ok-provider",
        "wko-sale-ok-portal",
        "wko-prod-ok-refusal",
        "wko-aero-ok-portal",
        "wko-aero-ok-signature-refused",
    ] {
        assert_eq!(common::findings_of(&run, case), none(), "case {case}");
    }
    assert_eq!(run.code, 1, "the log has violations: exit code 1");
}

#[test]
fn screen_time_norms() {
    let run = common::check(LOG, AS_OF);

    // Fill at 11:01:20, payment at 11:05:20: 240 s against "1,5 минут" = 90 s -> 11:02:50.
    assert_eq!(
        common::findings_of(&run, "wko-vet-late-payment"),
        common::owned(&[("step_overdue", "portal_pay", "annex1.table1.4")])
    );
    let f = common::only(&run, "wko-vet-late-payment", "step_overdue");
    assert_eq!(f["severity"], "norm");
    assert_eq!(f["limit"]["value"], 90);
    assert_eq!(f["limit"]["unit"], "seconds");
    assert_eq!(f["actual"]["value"], 240);
    assert_eq!(f["deadline"], "2013-09-09T11:02:50+05:00");

    // Service chosen at 10:01:00, state-database request at 10:06:00: 300 s > 90 s -> 10:02:30.
    assert_eq!(
        common::findings_of(&run, "wko-vet-slow-data"),
        common::owned(&[("step_overdue", "p_data_request", "annex1.table2.4")])
    );
    let f = common::only(&run, "wko-vet-slow-data", "step_overdue");
    assert_eq!(f["actual"]["value"], 300);
    assert_eq!(f["deadline"], "2013-09-10T10:02:30+05:00");

    // Officer's login: started 09:04:20, logged in 09:05:00: 40 s > "10–15 секунд" (15 s)
    // -> deadline 09:04:35. Measured from the event's own `started`.
    assert_eq!(
        common::findings_of(&run, "wko-grain-slow-login"),
        common::owned(&[("step_overdue", "p_auth", "annex1.table2.1")])
    );
    let f = common::only(&run, "wko-grain-slow-login", "step_overdue");
    assert_eq!(f["actual"]["value"], 40);
    assert_eq!(f["deadline"], "2013-09-18T09:04:35+05:00");
}

#[test]
fn fifteen_working_day_processing() {
    let run = common::check(LOG, AS_OF);

    // Portal: registered Mon 2013-11-04; 15 working days not counting the 4th:
    // 5-8 Nov (4), 11-15 (9), 18-22 (14), Mon 25 (15) -> deadline 2013-11-25.
    // Result Wed 27 Nov: 26th (16), 27th (17) -> actual 17.
    assert_eq!(
        common::findings_of(&run, "wko-vet-late-processing"),
        common::owned(&[("term_overdue", "portal_result", "annex1.table1.9")])
    );
    let f = common::only(&run, "wko-vet-late-processing", "term_overdue");
    assert_eq!(f["severity"], "hard");
    assert_eq!(f["limit"]["value"], 15);
    assert_eq!(f["limit"]["unit"], "working_days");
    assert_eq!(f["actual"]["value"], 17);
    assert_eq!(f["deadline"], "2013-11-25");

    // Provider: registered Thu 2013-09-12; Fri 13 (1), 16-20 (6), 23-27 (11), Mon 30 (12),
    // 1-3 Oct (15) -> deadline 2013-10-03. Result Mon 7 Oct: Fri 4 (16), Mon 7 (17) -> 17.
    assert_eq!(
        common::findings_of(&run, "wko-sale-late-provider"),
        common::owned(&[("term_overdue", "p_result", "annex1.table2.7")])
    );
    let f = common::only(&run, "wko-sale-late-provider", "term_overdue");
    assert_eq!(f["actual"]["value"], 17);
    assert_eq!(f["deadline"], "2013-10-03");

    // Still open: registered Fri 2013-11-01; 4-8 Nov (5), 11-15 (10), 18-22 (15)
    // -> deadline 2013-11-22; at --as-of Sat 30 Nov: 25-29 Nov -> 20 working days.
    let f = common::only(&run, "wko-vet-open-overdue", "open_overdue");
    assert_eq!(f["ref"], "annex1.table1.9");
    assert_eq!(f["deadline"], "2013-11-22");
    assert_eq!(f["actual"]["value"], 20);
    assert_eq!(common::findings_of(&run, "wko-vet-open-overdue").len(), 1);
}

/// Issue 7, point 1: the 15 working days of table 1 row 9 / table 2 row 7 cover
/// "тіркеу және ... өңдеу" (registration and processing), so they run from the request
/// sent (process 8, "Сұрау салуды бағыттау"; provider: process 6), not from registration.
#[test]
fn issue_7_processing_term_runs_from_the_sending_step() {
    let run = common::check(LOG, AS_OF);

    // Signed and sent Tue 2013-09-03; registered only Tue 1 Oct, licence Wed 2 Oct.
    // 15 working days from the 3rd: 4-6 Sep (3), 9-13 (8), 16-20 (13), 23-24 (15)
    // -> deadline 2013-09-24. Counted from registration it would pass.
    assert_eq!(
        common::findings_of(&run, "wko-vet-late-registration"),
        common::owned(&[("term_overdue", "portal_result", "annex1.table1.9")])
    );
    let f = common::only(&run, "wko-vet-late-registration", "term_overdue");
    assert_eq!(f["severity"], "hard");
    assert_eq!(f["deadline"], "2013-09-24");

    // No registration event at all: the skipped process 9 is reported, and the term is
    // still checked. Sent Wed 4 Sep: 5-6 (2), 9-13 (7), 16-20 (12), 23-25 (15)
    // -> 2013-09-25; licence Fri 4 Oct.
    assert_eq!(
        common::findings_of(&run, "wko-vet-no-register"),
        common::owned(&[
            ("missing_step", "portal_register", "6.13"),
            ("term_overdue", "portal_result", "annex1.table1.9"),
        ])
    );
    let f = common::only(&run, "wko-vet-no-register", "term_overdue");
    assert_eq!(f["deadline"], "2013-09-25");

    // Provider channel: request formed Wed 4 Sep, registered Fri 27 Sep, licence Tue 1 Oct.
    assert_eq!(
        common::findings_of(&run, "wko-grain-late-registration"),
        common::owned(&[("term_overdue", "p_result", "annex1.table2.7")])
    );
    let f = common::only(&run, "wko-grain-late-registration", "term_overdue");
    assert_eq!(f["deadline"], "2013-09-25");
}

#[test]
fn order_of_steps() {
    let run = common::check(LOG, AS_OF);
    // A "no payment" message after the signature: process 5 cannot follow process 8.
    // The finding cites the previous step's paragraph (6.12, process 8), whose successors
    // (process 9 only) were broken.
    assert_eq!(
        common::findings_of(&run, "wko-vet-unexpected"),
        common::owned(&[("unexpected_step", "portal_no_payment", "6.12")])
    );
    // Provider channel: the state-database request (process 4, para 7.5) was skipped.
    assert_eq!(
        common::findings_of(&run, "wko-vet-missing-step"),
        common::owned(&[("missing_step", "p_data_request", "7.5")])
    );
    // Portal: registered without the signature (process 8, para 6.12).
    assert_eq!(
        common::findings_of(&run, "wko-prod-missing-sign"),
        common::owned(&[("missing_step", "portal_sign", "6.12")])
    );
}

#[test]
fn refusal_grounds() {
    let run = common::check(LOG, AS_OF);
    assert_eq!(
        common::findings_of(&run, "wko-vet-refusal-no-ground"),
        common::owned(&[("refusal_without_ground", "p_refusal", "7.11")])
    );
    // "No payment" is an automatic portal refusal, not a ground of the provider's decision.
    assert_eq!(
        common::findings_of(&run, "wko-vet-refusal-wrong-ground"),
        common::owned(&[("refusal_ground_not_allowed", "portal_refusal", "6.15")])
    );
    assert_eq!(
        common::findings_of(&run, "wko-aero-wrong-ground"),
        common::owned(&[("refusal_ground_not_allowed", "p_refusal", "7.11")])
    );
    // Issue 7, point 10: the automatic message of process 7 (para 6.11) establishes its own
    // ground only; citing the provider's ground there is not allowed.
    assert_eq!(
        common::findings_of(&run, "wko-aero-signature-wrong-ground"),
        common::owned(&[(
            "refusal_ground_not_allowed",
            "portal_signature_refused",
            "6.11"
        )])
    );
}

#[test]
fn every_case_is_checked_against_its_rule_set() {
    let run = common::check(LOG, AS_OF);
    // 12 cases with exactly one finding each, two more with one and one with two
    // (issue 7), and one more refusal (asserted above); nothing else in the log.
    assert_eq!(
        common::violations(&run).len(),
        17,
        "{:#?}",
        common::violations(&run)
    );
    for v in common::violations(&run) {
        let service = v["service"].as_str().unwrap_or("");
        assert!(service.starts_with("wko-2013-41-"), "{v}");
        assert_eq!(v["rule_set"], v["service"], "{v}");
    }
    assert!(
        run.report["rejected"]
            .as_array()
            .is_none_or(|r| r.is_empty()),
        "{}",
        run.report["rejected"]
    );
}

/// Issue 16, validity windows from evidence: resolution No. 41 was "Күші жойылды - Батыс
/// Қазақстан облысы әкімдігінің 2014 жылғы 15 қаңтардағы № 1 қаулысымен", a repeal that
/// states no entry-into-force rule of its own. Its last day is 2014-01-14 at the earliest
/// and, inferred from publication practice (registration at most 40 days after adoption,
/// publication at most 40 days after it, then ten calendar days: shared
/// notes/standards.md 3.1), 2014-04-15 at the latest. A case of June 2015 was judged under
/// the repealed regulation (with only a warning); it is now not judged and listed, with
/// the repeal's latest day said to be inferred. A case of February 2014, inside the
/// window, is still judged, with the warning.
#[test]
fn issue_16_a_case_of_june_2015_is_not_judged_under_the_repealed_no_41() {
    let dir = std::env::temp_dir().join(format!("regulation-002-repeal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("after-repeal.jsonl");
    let ev = |case: &str, at: &str| {
        format!(
            "{{\"case\":\"{case}\",\"service\":\"wko-2013-41-veterinary-licence\",\"step\":\"p_auth\",\"at\":\"{at}\",\"channel\":\"provider\",\"variant\":\"issue\"}}\n"
        )
    };
    let text = ev("wko-june-2015", "2015-06-10T10:00:00+05:00")
        + &ev("wko-feb-2014", "2014-02-10T10:00:00+05:00");
    std::fs::write(&log, text).unwrap();
    let run = common::check_with(&[log.to_str().unwrap(), "--lang", "en"]);
    let strict = common::check_with(&[log.to_str().unwrap(), "--fail-on-unjudged"]);
    std::fs::remove_dir_all(&dir).ok();
    let summary = &run.report["summary"];
    assert_eq!(summary["cases_not_judged"], 1, "{summary}");
    assert_eq!(summary["cases_checked"], 1, "{summary}");
    assert_eq!(summary["cases_validity_uncertain"], 1, "{summary}");
    let n = &run.report["not_judged"][0];
    assert_eq!(n["case"], "wko-june-2015", "{n}");
    assert_eq!(n["first_day"], "2015-06-10", "{n}");
    assert_eq!(n["reason"], "after_last_edition", "{n}");
    assert_eq!(
        n["ended"]["rule_set"], "wko-2013-41-veterinary-licence",
        "{n}"
    );
    assert_eq!(n["ended"]["day"], "2014-04-15", "{n}");
    assert_eq!(n["ended"]["inferred"], true, "{n}");
    assert!(
        n["message"]
            .as_str()
            .unwrap()
            .contains("2014-04-15 at the latest, inferred from publication practice"),
        "{n}"
    );
    let warnings = run.report["warnings"].to_string();
    assert!(
        warnings.contains("wko-2013-41-veterinary-licence: 1 case begun 2014-02-10 is judged under this edition, which may no longer have applied then: its last day is 2014-01-14 at the earliest"),
        "{warnings}"
    );
    assert!(!warnings.contains("2015-06-10"), "{warnings}");
    // The exit code does not change unless asked: the job was not done in full.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    assert!(
        strict.stderr.contains("1 case(s) not judged"),
        "{}",
        strict.stderr
    );
}
