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
///
/// Issue 16: the repeal is now counted from No. 246's registration on 11.11.2019 (READ,
/// shared notes/standards.md 3.1), so the earliest possible last day is 2019-11-21 and
/// the latest, inferred from publication practice, 2019-12-31; the edge case moved from
/// 2019-11-18 (now certainly in force) to 2019-11-25. A case no edition can have applied
/// to is no longer `no_rule_in_force` but not judged and listed; so is one begun in
/// March 2020, months after the latest possible repeal.
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
    // Case z begins four days after the earliest possible repeal and forwards the
    // package two working days late (para 9: "1 (бір) жұмыс күні ішінде": Mon 25 Nov,
    // due by the end of Tue 26 Nov, forwarded Thu 28 Nov); case early begins the day
    // before the earliest possible first day, 2016-05-06; case late in March 2020.
    let text = ev("z", "sc_accept", "2019-11-25T10:00:00+06:00")
        + &ev("z", "sc_forward", "2019-11-28T12:00:00+06:00")
        + &ev("early", "sc_accept", "2016-05-05T10:00:00+06:00")
        + &ev("late", "sc_accept", "2020-03-02T10:00:00+06:00");
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
    // no edition can have applied to is not judged (listed, no finding).
    assert_eq!(found, [("z", "step_overdue")], "{doc}");
    let listed: Vec<(&str, &str)> = (doc["not_judged"].as_array().unwrap().iter())
        .map(|n| (n["case"].as_str().unwrap(), n["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("early", "before_first_edition"),
            ("late", "after_last_edition")
        ],
        "{doc}"
    );
    assert_eq!(doc["summary"]["cases_checked"], 1, "{doc}");
    assert_eq!(doc["summary"]["cases_validity_uncertain"], 1, "{doc}");
    // The report says on what condition z was judged: both bounds of No. 84 are only
    // the earliest possible days, and the latest possible ones are not known.
    let warnings: Vec<&str> = (doc["warnings"].as_array().unwrap().iter())
        .filter_map(|w| w.as_str())
        .collect();
    let end = "zhambyl-2016-84-survey-licence: 1 case begun 2019-11-25 is judged under this edition, which may no longer have applied then: its last day is 2019-11-21 at the earliest (its repeal applies from a day the text does not give), and 2019-12-31 at the latest (inferred from publication practice)";
    assert!(warnings.iter().any(|w| w.starts_with(end)), "{warnings:?}");
    // Its first day is certain by then (2016-06-15 at the latest): no start warning.
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("may not yet have applied")),
        "{warnings:?}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// Issue 16, validity windows from evidence: every latest first and last day is now
/// inferred from publication practice (shared notes/standards.md 3.1), so only cases
/// begun inside a window of a few weeks carry the validity warning. Before, every case of
/// every bundled rule set was "judged under an edition that may not yet have applied"
/// (all 14 latest first days were unknown). Of the bundled logs only two rule sets have
/// cases inside a window: the survey licence cases of 1-10 June 2016 (No. 84 applies from
/// 2016-05-06 at the earliest and 2016-06-15 at the latest: registered 25.04.2016, + 40
/// days to publication, + 11) and the hunting-grounds cases of 30 January - 17 February
/// 2020 (No. 269 of 22.11.2019: from 2019-12-03 at the earliest, 2020-02-21 at the
/// latest). Almaty (Nov 2014 - Feb 2015, after 2014-10-08), culture (Oct 2015 - Jan 2017,
/// after 2015-09-04), WKO (Sep - Nov 2013, after 2013-06-28) and the permit (Oct 2020 -
/// Feb 2021) are certainly in force.
#[test]
fn issue_16_bundled_logs_warn_only_for_cases_inside_a_window() {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--format", "json", "--lang", "en"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validity: Vec<&str> = (doc["warnings"].as_array().unwrap().iter())
        .filter_map(|w| w.as_str())
        .filter(|w| w.contains("judged under this edition"))
        .collect();
    assert_eq!(
        validity,
        [
            "zhambyl-2016-84-survey-licence: 20 cases begun 2016-06-01..2016-06-10 are judged under this edition, which may not yet have applied then: it applies from 2016-05-06 at the earliest (ten days after a publication date the text does not give), and from 2016-06-15 at the latest (inferred from publication practice)",
            "zhambyl-2017-254-hunting-grounds: 10 cases begun 2020-01-30..2020-02-17 are judged under this edition, which may not yet have applied then: it applies from 2019-12-03 at the earliest (ten days after a publication date the text does not give), and from 2020-02-21 at the latest (inferred from publication practice)",
        ],
        "{validity:#?}"
    );
    assert_eq!(doc["summary"]["cases_validity_uncertain"], 30);
    // The one case of the bundled logs begun before any edition (sample.jsonl,
    // 2015-11-02) is listed as not judged.
    assert_eq!(doc["summary"]["cases_not_judged"], 1);
    assert_eq!(doc["not_judged"][0]["case"], "sv-before-2016");
}

/// Issue 16: every bound of the 14 bundled rule sets has a latest day inferred from
/// publication practice (rules/README.md "Validity periods": publication at most 40 days
/// after registration, registration at most 40 days after adoption where it was not
/// read, application from the eleventh day after publication), and the days are those of
/// the README's table. On the latest first day an edition certainly applies; the day
/// after the latest last day no encoded edition can have, and the case is not judged.
#[test]
fn issue_16_every_bundled_bound_has_an_inferred_latest_day() {
    use reglament::rules::validity::{InForce, Latest};
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().unwrap();
    let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
    let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // (rule set id prefix, first day earliest..latest, last day earliest..latest)
    let table = [
        (
            "wko-2013-41-",
            ["2013-05-19", "2013-06-28", "2014-01-14", "2014-04-15"],
        ),
        (
            "almaty-2014-3-584-",
            ["2014-08-29", "2014-10-08", "2015-05-15", "2015-08-03"],
        ),
        (
            "zhambyl-2015-136-",
            ["2015-07-26", "2015-09-04", "2017-12-21", "2018-03-11"],
        ),
        (
            "zhambyl-2016-84-",
            ["2016-05-06", "2016-06-15", "2019-11-21", "2019-12-31"],
        ),
        (
            "zhambyl-2017-254-",
            ["2019-12-03", "2020-02-21", "2022-12-04", "2023-02-22"],
        ),
    ];
    assert_eq!(cat.sets.len(), 14);
    for set in &cat.sets {
        let (_, days) = (table.iter())
            .find(|(p, _)| set.id().starts_with(p))
            .unwrap_or_else(|| panic!("{} not in the table", set.id()));
        let v = &set.validity;
        let to = v.to.unwrap();
        assert_eq!(
            (v.from.earliest, v.from.latest, to.earliest, to.latest),
            (
                d(days[0]),
                Latest::Inferred(d(days[1])),
                d(days[2]),
                Latest::Inferred(d(days[3]))
            ),
            "{}",
            set.id()
        );
        let eds = cat.editions(set.rules.service_id()).unwrap();
        let on = |day| cat.edition_on(eds, day).map(|(_, f)| f);
        assert_eq!(on(d(days[1])), Some(InForce::Certain), "{}", set.id());
        assert_eq!(on(d(days[2])), Some(InForce::Certain), "{}", set.id());
        assert_eq!(on(d(days[3]).succ_opt().unwrap()), None, "{}", set.id());
        assert_eq!(on(d(days[0]).pred_opt().unwrap()), None, "{}", set.id());
    }
}
