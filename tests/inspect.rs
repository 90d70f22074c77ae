//! `reglament inspect`: what a provider's log holds, and with a mapping what is unmapped.

use serde_json::Value;
use std::process::Command;

fn inspect(args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("inspect")
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let doc = serde_json::from_str(&text).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), doc, text)
}

fn activity<'a>(doc: &'a Value, source: &str) -> &'a Value {
    doc["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"] == source)
        .unwrap_or_else(|| panic!("no activity {source:?} in {doc}"))
}

#[test]
fn without_a_mapping_it_lists_the_columns_and_time_formats() {
    let (code, doc, _) = inspect(&["logs/provider-export.csv", "--format", "json"]);
    assert_eq!(code, 0);
    let f = &doc["files"][0];
    assert_eq!(f["format"], "csv");
    assert_eq!(f["records"], 34);
    assert_eq!(f["columns"][0], "Номер заявки");
    assert_eq!(f["columns"].as_array().unwrap().len(), 8);
    // None of our field names is a column yet.
    assert_eq!(f["fields"], serde_json::json!([]));
    assert_eq!(f["attributes"]["Действие"], 34);
}

#[test]
fn with_the_mapping_it_shows_what_is_mapped_and_suggests_steps_for_the_rest() {
    let (code, doc, _) = inspect(&[
        "logs/provider-export.csv",
        "--map",
        "maps/provider-export.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        doc["services"][0]["service"],
        "zhambyl-2016-84-survey-licence"
    );
    assert_eq!(doc["services"][0]["count"], 34);
    assert_eq!(activity(&doc, "Заседание комиссии")["step"], "p_commission");
    // Folded: "  ПРИЁМ заявления (ГК) " is the mapping's "Приём заявления (ГК)".
    assert_eq!(activity(&doc, "ПРИЁМ заявления (ГК)")["step"], "sc_accept");
    let un = activity(&doc, "Архивирование дела");
    assert_eq!(un["step"], Value::Null);
    assert_eq!(un["count"], 1);
    assert_eq!(un["suggestions"].as_array().unwrap().len(), 3);
    assert_eq!(doc["time_shapes"]["99.99.9999 99:99:99"], 40);
    assert_eq!(doc["time_range"]["first"], "01.06.2016 09:50:00");
    assert_eq!(doc["time_range"]["last"], "21.06.2016 10:00:00");
}

#[test]
fn xes_attributes_services_and_activities_are_counted() {
    let (code, doc, _) = inspect(&["logs/provider-sample.xes", "--format", "json"]);
    assert_eq!(code, 0);
    let f = &doc["files"][0];
    assert_eq!(f["format"], "xes");
    assert_eq!(f["records"], 34);
    assert_eq!(f["attributes"]["org:resource"], 34);
    assert_eq!(activity(&doc, "p_commission")["count"], 3);
    assert_eq!(activity(&doc, "p_commission")["step"], "p_commission");
    let unknown = activity(&doc, "p_archive");
    assert_eq!(unknown["step"], Value::Null);
    assert!(!unknown["suggestions"].as_array().unwrap().is_empty());
    assert_eq!(doc["time_shapes"]["9999-99-99T99:99:99.999+99:99"], 40);
}

#[test]
fn the_text_report_names_unmapped_activities_and_a_broken_file_exits_2() {
    let (code, _, text) = inspect(&[
        "logs/provider-export.csv",
        "--map",
        "maps/provider-export.json",
    ]);
    assert_eq!(code, 0);
    assert!(
        text.contains("\"Архивирование дела\" UNMAPPED; closest: "),
        "{text}"
    );
    assert!(
        text.contains("time range: 01.06.2016 09:50:00 .. 21.06.2016 10:00:00"),
        "{text}"
    );
    let (code, doc, _) = inspect(&["tests/data/no-such-file.csv", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(doc["files"][0]["unreadable"].is_string());
}
