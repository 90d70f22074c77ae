//! `check` on CSV and XES logs end to end: the shipped samples, `--map`,
//! `--input-format`, `--delimiter`, `--encoding`, compressed input and unreadable files.

mod common;

use common::{check_with, findings_of};
use std::io::Write;

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn summary(run: &common::Run) -> (u64, u64, u64) {
    let s = &run.report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or(u64::MAX);
    (n("lines"), n("events"), n("rejected"))
}

#[test]
fn the_sample_export_is_read_through_its_mapping() {
    let run = check_with(&[
        "logs/provider-export.csv",
        "--map",
        "maps/provider-export.json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(summary(&run), (34, 34, 0));
    assert_eq!(findings_of(&run, "ЗЖ-2016-0001"), []);
    // Para 5.4: the commission has 2 working days; 10.06 (Fri) -> 15.06 is 3.
    assert_eq!(
        findings_of(&run, "ЗЖ-2016-0002"),
        [("step_overdue".into(), "p_commission".into(), "5.4".into())]
    );
    // The activity the mapping does not name is quoted as the provider wrote it.
    let unknown = findings_of(&run, "ЗЖ-2016-0003");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].0, "unknown_step");
    assert_eq!(unknown[0].1, "Архивирование дела");
}

#[test]
fn without_its_mapping_a_provider_export_is_unreadable() {
    let run = check_with(&["logs/provider-export.csv"]);
    assert_eq!(run.code, 2);
    let u = &run.report["unreadable"][0];
    assert_eq!(u["file"], "logs/provider-export.csv");
    assert!(u["reason"].as_str().unwrap().contains("--map"), "{u}");
}

#[test]
fn the_xes_sample_gives_the_same_findings_plain_and_gzipped() {
    let plain = check_with(&["logs/provider-sample.xes"]);
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert_eq!(summary(&plain), (34, 34, 0));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read("logs/provider-sample.xes").unwrap())
        .unwrap();
    let path = temp("sample.xes.gz", &gz.finish().unwrap());
    let zipped = check_with(&[&path]);
    assert_eq!(zipped.code, 1);
    let kinds = |r: &common::Run| {
        let mut v: Vec<String> = r.report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| format!("{} {} {}", v["case"], v["kind"], v["step"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(kinds(&plain), kinds(&zipped));
    assert_eq!(kinds(&plain).len(), 2);
}

#[test]
fn input_format_delimiter_and_encoding_options() {
    let s = "zhambyl-2016-84-survey-licence";
    let text = format!("case|service|step|at\nc1|{s}|Прием|2016-06-01T10:00:00+06:00\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let path = temp("export.txt", &bytes);
    let run = check_with(&[
        &path,
        "--input-format",
        "csv",
        "--delimiter",
        "|",
        "--encoding",
        "windows-1251",
    ]);
    assert_eq!(summary(&run), (1, 1, 0), "{}", run.stderr);
    assert_eq!(run.report["violations"][0]["step"], "Прием");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", &path, "--delimiter", "||"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--delimiter: \"||\" is not one ASCII character"),
        "{err}"
    );
}

#[test]
fn a_bad_mapping_stops_the_run_naming_the_pointer() {
    let path = temp("bad-map.json", br#"{"fields": {"cases": "x"}}"#);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "logs/provider-export.csv", "--map", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad-map.json: /fields"), "{err}");
}

#[test]
fn shipped_mappings_validate_against_their_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("maps/mapping.schema.json").unwrap())
            .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    for e in std::fs::read_dir("maps").unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() == "mapping.schema.json" {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let errs: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{}: {errs:?}", p.display());
    }
}
