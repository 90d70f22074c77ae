//! Issue 18: `inspect` without a mapping guesses the columns, the time formats and the
//! services, lists the activities with step suggestions, and `--draft-map FILE` writes a
//! mapping that validates and that `check` accepts; it says which time values no format
//! reads and which rows `check` would reject.

mod common;

use serde_json::Value;
use std::process::Command;

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-draft-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn inspect(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("inspect")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), doc)
}

fn verdicts(run: &common::Run) -> Vec<String> {
    let mut v: Vec<String> = common::violations(run)
        .iter()
        .map(|v| format!("{} {} {} {}", v["case"], v["kind"], v["step"], v["ref"]))
        .collect();
    v.sort();
    v
}

#[test]
fn without_a_mapping_inspect_guesses_and_drafts_one_that_check_accepts() {
    let draft = temp("draft.json", b"");
    let (code, doc) = inspect(&["logs/provider-export.csv", "--draft-map", &draft]);
    assert_eq!(code, 0);
    let g = &doc["guess"];
    let field = |f: &str| {
        g["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["field"] == f)
            .map(|x| x["source"].as_str().unwrap().to_string())
    };
    assert_eq!(field("case").as_deref(), Some("Номер заявки"));
    assert_eq!(field("step").as_deref(), Some("Действие"));
    assert_eq!(field("at").as_deref(), Some("Дата и время"));
    assert_eq!(field("started").as_deref(), Some("Начало обслуживания"));
    assert_eq!(field("service").as_deref(), Some("Услуга"));
    assert_eq!(g["formats"], serde_json::json!(["%d.%m.%Y %H:%M:%S"]));
    assert_eq!(
        g["services"][0]["service"],
        "zhambyl-2016-84-survey-licence"
    );
    // The activities are listed under the guessed service, each with its best step.
    let acts = doc["activities"].as_array().unwrap();
    let best = |raw: &str| {
        acts.iter().find(|a| a["source"] == raw).unwrap()["suggestions"][0]["step"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(best("Заседание комиссии"), "p_commission");
    assert_eq!(best("Передача документов услугодателю"), "sc_forward");
    assert_eq!(doc["time_values_failing"], serde_json::json!({}));

    let text = std::fs::read_to_string(&draft).unwrap();
    let map: Value = serde_json::from_str(&text).unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("maps/mapping.schema.json").unwrap())
            .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errs: Vec<String> = v.iter_errors(&map).map(|e| e.to_string()).collect();
    assert!(errs.is_empty(), "{errs:?}\n{text}");
    // Every suggested step is marked for review, with its score.
    let review = map["review"].as_object().unwrap();
    assert!(
        review["/steps/zhambyl-2016-84-survey-licence/p_commission"]
            .as_str()
            .unwrap()
            .contains("\"Заседание комиссии\" (3 record(s)): suggested, score "),
        "{review:?}"
    );
    // The activity no step matches is left for a person, not guessed.
    assert!(!text.contains("\"Архивирование дела\"\n"), "{text}");
    // check accepts the draft as it stands, and finds what the hand-written mapping does.
    let by_draft = common::check_with(&["logs/provider-export.csv", "--map", &draft]);
    let by_hand = common::check_with(&[
        "logs/provider-export.csv",
        "--map",
        "maps/provider-export.json",
    ]);
    assert_eq!(by_draft.code, 1, "{}", by_draft.stderr);
    assert_eq!(by_draft.report["summary"]["rejected"], 0);
    assert_eq!(verdicts(&by_draft), verdicts(&by_hand));
}

#[test]
fn inspect_names_time_values_no_format_reads_and_rows_check_would_reject() {
    let text = std::fs::read_to_string("logs/provider-export.csv")
        .unwrap()
        .replacen("02.06.2016 11:00:00", "2 июня 2016 11:00", 1)
        .replacen("02.06.2016 11:15:00", "", 1);
    let log = temp("bad-times.csv", text.as_bytes());
    let (code, doc) = inspect(&[&log, "--map", "maps/provider-export.json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["time_values_failing"]["2 июня 2016 11:00"], 1);
    assert_eq!(doc["would_be_rejected"], 2);
    let first = doc["would_be_rejected_first"].as_array().unwrap();
    assert!(
        first[0]
            .as_str()
            .unwrap()
            .starts_with("record 4, line 5: at: "),
        "{first:?}"
    );
    assert_eq!(first[1], "record 7, line 8: at: missing or empty");
    // check rejects the same two.
    let run = common::check_with(&[&log, "--map", "maps/provider-export.json"]);
    assert_eq!(run.report["summary"]["rejected"], 2);
}
