//! Issue 18: ordinary quirks of a provider's export are read, not rejected and turned
//! into findings: date-only values (`01.08.2016` with `%d.%m.%Y` in the mapping),
//! spreadsheet serial dates with a decimal comma (`42587,6250`), and a mapping whose
//! format can never match is refused when loaded.

mod common;

use common::{check_with, findings_of};
use std::process::Command;

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-date-only-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// The sample mapping with `formats` replaced.
fn mapping_with(formats: &[&str]) -> String {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("maps/provider-export.json").unwrap())
            .unwrap();
    m["time"]["formats"] = serde_json::json!(formats);
    m.as_object_mut().unwrap().remove("$schema");
    serde_json::to_string(&m).unwrap()
}

/// The sample export with every time cut to its day (`01.06.2016 10:00:00` ->
/// `01.06.2016`), as a desk system that keeps dates only would write it.
fn days_only_export() -> String {
    let text = std::fs::read_to_string("logs/provider-export.csv").unwrap();
    let cut_field = |f: &str| {
        let is_time = f.len() == 19 && f.as_bytes()[2] == b'.' && f.as_bytes()[10] == b' ';
        if is_time {
            f[..10].to_string()
        } else {
            f.to_string()
        }
    };
    let out: Vec<String> = text
        .split('\n')
        .map(|line| line.split(';').map(cut_field).collect::<Vec<_>>().join(";"))
        .collect();
    let out = out.join("\n");
    assert!(
        !out.contains(":00;") && out.contains(";01.06.2016;"),
        "every time was cut"
    );
    out
}

#[test]
fn date_only_rows_are_read_as_that_day_and_judged_in_days() {
    let log = temp("days.csv", days_only_export().as_bytes());
    let map = temp(
        "days-map.json",
        mapping_with(&["%d.%m.%Y %H:%M:%S", "%d.%m.%Y"]).as_bytes(),
    );
    let run = check_with(&[&log, "--map", &map]);
    let s = &run.report["summary"];
    // Before: `%d.%m.%Y` could never match, and all 34 rows were rejected.
    assert_eq!(
        (&s["lines"], &s["events"], &s["rejected"]),
        (&34.into(), &34.into(), &0.into()),
        "{}",
        run.report["rejected"]
    );
    // Para 5.4: the commission has 2 working days; 10.06 (Fri) -> 15.06 is 3, as with
    // the times of day.
    assert_eq!(
        findings_of(&run, "ЗЖ-2016-0002"),
        [("step_overdue".into(), "p_commission".into(), "5.4".into())]
    );
    assert_eq!(findings_of(&run, "ЗЖ-2016-0001"), []);
    // No limit in minutes or hours is judged: the desk times are not measured.
    for v in run.report["violations"].as_array().unwrap() {
        let unit = v["limit"]["unit"].as_str().unwrap_or("");
        assert!(!["seconds", "minutes", "hours"].contains(&unit), "{v}");
    }
    // ...and they are said to be not measured, by day-only times (issue 16's count):
    // the State Corporation's 15 minutes of para 9, among others.
    let unmeasured = s["limits_not_measured"].as_array().unwrap();
    assert!(
        unmeasured.iter().any(|l| l["reason"] == "date_only"
            && l["ref"] == "9"
            && l["cases"].as_u64() > Some(0)),
        "{unmeasured:?}"
    );
    // Para 5.2's 2 hours (previous event to the resolution) lack the time of day too; a
    // desk time that lacks its own start (5.1) is said so first.
    assert!(
        unmeasured
            .iter()
            .any(|l| l["reason"] == "date_only" && l["ref"] == "5.2"),
        "{unmeasured:?}"
    );
}

#[test]
fn serial_dates_with_a_decimal_comma_read_as_with_a_point() {
    let svc = "Лицензия на изыскательскую деятельность";
    let row = |at: &str| format!("ЗЖ-1;{svc};Прием документов в ЦОН;{at};;ЦОН;Выдача;x\n");
    let head =
        "Номер заявки;Услуга;Действие;Дата и время;Начало обслуживания;Канал;Вид;Исполнитель\n";
    let comma = temp(
        "comma.csv",
        format!("{head}{}", row("42522,4375")).as_bytes(),
    );
    let point = temp(
        "point.csv",
        format!("{head}{}", row("42522.4375")).as_bytes(),
    );
    let map = "maps/provider-export.json";
    let (a, b) = (
        check_with(&[&comma, "--map", map]),
        check_with(&[&point, "--map", map]),
    );
    assert_eq!(a.report["summary"]["events"], 1, "{}", a.report["rejected"]);
    assert_eq!(a.report["violations"], b.report["violations"]);
}

#[test]
fn a_mapping_whose_format_can_never_match_is_refused_naming_it() {
    let map = temp(
        "typo-map.json",
        mapping_with(&["%d.%m.%Y %H:%M:%", "%m.%Y"]).as_bytes(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "logs/provider-export.csv", "--map", &map])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "/time/formats/0: format \"%d.%m.%Y %H:%M:%\" has an unknown or unfinished % item"
        ),
        "{err}"
    );
    assert!(
        err.contains("/time/formats/1: format \"%m.%Y\" has no complete date"),
        "{err}"
    );
}

/// Issue 18: a mapping's constant `provider` (the inspector knows whose export it is)
/// and `channel` (an export of one channel, without such a column) stand for the values
/// the export does not have.
#[test]
fn constant_provider_and_channel_stand_for_missing_columns() {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("maps/provider-export.json").unwrap())
            .unwrap();
    let o = m.as_object_mut().unwrap();
    o.remove("$schema");
    o["fields"].as_object_mut().unwrap().remove("channel");
    o.insert("channel".into(), "state_corporation".into());
    o.insert("provider".into(), "Жамбыл: лицензии".into());
    let map = temp("constants.json", m.to_string().as_bytes());
    let with = check_with(&["logs/provider-export.csv", "--map", &map]);
    let by_column = check_with(&[
        "logs/provider-export.csv",
        "--map",
        "maps/provider-export.json",
    ]);
    assert_eq!(with.code, 1, "{}", with.stderr);
    let kinds = |r: &common::Run| -> Vec<String> {
        let mut v: Vec<String> = common::violations(r)
            .iter()
            .map(|v| format!("{} {} {}", v["case"], v["kind"], v["step"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(kinds(&with), kinds(&by_column));
    for v in common::violations(&with) {
        assert_eq!(v["provider"], "Жамбыл: лицензии", "{v}");
    }
    // A channel no rule set has is refused when the mapping is loaded.
    m["channel"] = "post".into();
    let bad = temp("bad-channel.json", m.to_string().as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "logs/provider-export.csv", "--map", &bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/channel: no rule set has channel \"post\""),
        "{err}"
    );
}

/// Issue 18: steps named once for several services that share them: the design, survey
/// and construction licences (seed 001) share every step, and a desk's export every
/// activity name.
#[test]
fn steps_named_once_for_several_services() {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("maps/provider-export.json").unwrap())
            .unwrap();
    let o = m.as_object_mut().unwrap();
    o.remove("$schema");
    let steps = o.remove("steps").unwrap()["zhambyl-2016-84-survey-licence"].clone();
    let licences =
        ["survey", "design", "construction"].map(|l| format!("zhambyl-2016-84-{l}-licence"));
    o.insert(
        "shared_steps".into(),
        serde_json::json!([{"services": licences, "steps": steps}]),
    );
    o["services"]["zhambyl-2016-84-design-licence"] =
        serde_json::json!(["Лицензия на проектную деятельность"]);
    let map = temp("shared.json", m.to_string().as_bytes());
    // The survey export, and the same cases again as design licences.
    let csv = std::fs::read_to_string("logs/provider-export.csv").unwrap();
    let design: String = csv
        .lines()
        .skip(1)
        .map(|l| {
            l.replace("ЗЖ-2016-", "ПР-2016-").replace(
                "Лицензия на изыскательскую деятельность",
                "Лицензия на проектную деятельность",
            ) + "\n"
        })
        .collect();
    let log = temp("two-licences.csv", format!("{csv}{design}").as_bytes());
    let run = check_with(&[&log, "--map", &map]);
    assert_eq!(run.report["summary"]["events"], 68, "{}", run.stderr);
    for (survey, design) in [
        ("ЗЖ-2016-0002", "ПР-2016-0002"),
        ("ЗЖ-2016-0003", "ПР-2016-0003"),
    ] {
        assert_eq!(findings_of(&run, survey), findings_of(&run, design));
    }
    assert_eq!(
        findings_of(&run, "ПР-2016-0002"),
        [("step_overdue".into(), "p_commission".into(), "5.4".into())]
    );
    // One name meaning two steps of one service, once shared and once per service, is
    // refused, naming where.
    m["steps"] =
        serde_json::json!({"zhambyl-2016-84-design-licence": {"p_sign": ["Заседание комиссии"]}});
    let bad = temp("shared-conflict.json", m.to_string().as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", &log, "--map", &bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already maps to"), "{err}");
}
