//! Review of verdicts on open cases against the seeds.

use std::process::Command;

/// Seed 001 (Zhambyl No. 84 of 2016), para 9: the State Corporation operator checks the
/// package and gives the receipt ("Қызмет алушыға тиісті құжаттарды қабылдағаны туралы
/// қолхат береді, 15 (он бес) минуттан аспайды"), and "Қабылданған құжаттар қызмет
/// берушіге 1 (бір) жұмыс күні ішінде жолданады" (the accepted package is sent to the
/// provider within 1 working day). A case whose last event is the acceptance of Wed
/// 2016-06-01 was due to be forwarded by the end of Thu 2016-06-02; at 2016-07-01 it is
/// 20 working days past that deadline.
///
/// It used to be reported as nothing: `sc_accept` could be followed by `sc_forward` (1
/// working day, hard) or by `sc_reject_incomplete` (no limit), and an open case with an
/// untimed alternative is not judged. The reading settled (rule set fix, not engine): the
/// refusal is the operator's answer at the desk *instead of* the receipt, never after it.
/// The completeness check is part of accepting ("құжаттарды ... қабылдағанда ...
/// толықтығын тексереді"); the operator then gives either "қабылдағаны туралы қолхат"
/// or, "құжаттардың толық топтамасын ұсынбаған жағдайда", refuses the acceptance itself
/// ("өтінішті қабылдаудан бас тартады") with "қабылдаудан бас тарту туралы қолхат"; and
/// for documents once accepted ("Қабылданған құжаттар") the text states only the duty to
/// send them on. An incompleteness found later is the provider's ("Қызмет беруші
/// құжаттардың толықтығын ... қарайды", a reasoned refusal of para 3). So
/// `rules/templates/zhambyl-2016-84-licence.json` no longer lists `sc_reject_incomplete`
/// in `sc_accept.next` (the refusal still opens a case on its own), and the case is
/// `open_overdue` for `sc_forward`, citing para 9. The seed's words are in the template's
/// note on para 9; regulation_001 `para_9_*` and spec chapter `09-para-9-receipt.json`
/// pin the consequences.
#[test]
fn accepted_package_never_forwarded_is_overdue_at_as_of() {
    let dir = std::env::temp_dir().join(format!("review-verdicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("accepted.jsonl");
    std::fs::write(
        &log,
        "{\"case\":\"x\",\"service\":\"zhambyl-2016-84-survey-licence\",\"step\":\"sc_accept\",\"at\":\"2016-06-01T10:00:00+06:00\",\"channel\":\"state_corporation\",\"variant\":\"issue\"}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--format", "json", "--as-of", "2016-07-01"])
        .arg(&log)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["kind"].as_str())
        .collect();
    // Since issue 16 the inferred total (standard.4, a norm) running from the acceptance
    // is judged as well, as a consequence of the same wait; the root is para 9's.
    assert_eq!(kinds, ["open_overdue", "open_overdue"], "{doc}");
    assert_eq!(doc["summary"]["violations"], 1, "{doc}");
    let f = &doc["violations"][1];
    assert_eq!(f["step"], "sc_forward", "{f}");
    assert_eq!(f["ref"], "9", "{f}");
    assert_eq!(f["severity"], "hard", "{f}");
    assert_eq!(f["deadline"], "2016-06-02", "{f}");
    assert_eq!(f["limit"]["value"], 1, "{f}");
    assert_eq!(f["limit"]["unit"], "working_days", "{f}");
    assert_eq!(out.status.code(), Some(1));
}

/// rules/templates/zhambyl-2016-84-licence.json, `validity_note`: resolution No. 84 was
/// repealed by No. 246 of 05.11.2019, "which applies ten calendar days after its own
/// first publication: 2019-11-15 is the earliest possible last day. Both bounds are lower
/// bounds." A case begun on 2019-11-18 got a hard `no_rule_in_force` finding saying
/// "when no edition of the service was in force": the data only say the regulation *may*
/// have been repealed by then (it stays in force until ten days after a publication date
/// nobody has read). Same for every rule set whose `valid_from` / `valid_to` are lower
/// bounds (all 14, per rules/README.md "Validity periods").
///
/// Fixed: the rule set marks both bounds as the earliest possible ones
/// (`valid_from_latest` / `valid_to_latest`, latest day unknown); the engine judges a case
/// begun where the edition may have applied under it, counts it in
/// `summary.cases_validity_uncertain` and names it in a warning, and reports
/// `no_rule_in_force` only when no edition can have been in force (src/rules/validity.rs).
#[test]
fn a_case_after_the_earliest_possible_repeal_is_not_out_of_force() {
    let dir = std::env::temp_dir().join(format!("review-validity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("edge.jsonl");
    let ev = |case: &str, step: &str, at: &str| {
        format!(
            "{{\"case\":\"{case}\",\"service\":\"zhambyl-2016-84-survey-licence\",\"step\":\"{step}\",\"at\":\"{at}\",\"channel\":\"state_corporation\",\"variant\":\"issue\"}}\n"
        )
    };
    // Case z begins three days after the earliest possible repeal and forwards the
    // package two working days late (para 9: "1 (бір) жұмыс күні ішінде"); case early
    // begins the day before the earliest possible first day, 2016-05-06.
    let text = ev("z", "sc_accept", "2019-11-18T10:00:00+06:00")
        + &ev("z", "sc_forward", "2019-11-21T12:00:00+06:00")
        + &ev("early", "sc_accept", "2016-05-05T10:00:00+06:00");
    std::fs::write(&log, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(&log)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["case"].as_str().unwrap(), v["kind"].as_str().unwrap()))
        .collect();
    // z is judged under No. 84 (its late forwarding is found), not out of force; a case
    // before the earliest possible first day is out of force for certain.
    assert_eq!(
        found,
        [("z", "step_overdue"), ("early", "no_rule_in_force")],
        "{doc}"
    );
    assert_eq!(doc["summary"]["cases_checked"], 1, "{doc}");
    assert_eq!(doc["summary"]["cases_validity_uncertain"], 1, "{doc}");
    // The report says on what condition z was judged: both bounds of No. 84 are only
    // the earliest possible days, and the latest possible ones are not known.
    let warnings: Vec<&str> = (doc["warnings"].as_array().unwrap().iter())
        .filter_map(|w| w.as_str())
        .collect();
    let end = "zhambyl-2016-84-survey-licence: 1 case begun 2019-11-18 is judged under this edition, which may no longer have applied then: its last day is 2019-11-15 at the earliest";
    assert!(warnings.iter().any(|w| w.starts_with(end)), "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "zhambyl-2016-84-survey-licence: 1 case begun 2019-11-18 is judged under this edition, which may not yet have applied then"
        )),
        "{warnings:?}"
    );
    assert_eq!(out.status.code(), Some(1));
}
