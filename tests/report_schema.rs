//! Issue 7 point 14: the JSON report is published as `docs/report.schema.json` (JSON
//! Schema 2020-12), and every report the bundled logs give, judged at a moment or not,
//! is valid against it: every violation carries every documented field (`provider`,
//! `term`, `caused_by` as `null`, `limit_inferred` as `false` when they do not apply).

use serde_json::Value;
use std::process::Command;

fn schema() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.schema.json");
    let text = std::fs::read_to_string(path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "the schema declares draft 2020-12"
    );
    jsonschema::draft202012::new(&value).unwrap()
}

fn report(extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--format", "json"])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the bundled logs have violations"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_valid(v: &Validator, report: &Value, label: &str) {
    let errors: Vec<String> = v
        .iter_errors(report)
        .take(10)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{label}: {}", errors.join("\n"));
}

use jsonschema::Validator;

#[test]
fn bundled_reports_are_valid_against_the_published_schema() {
    let v = schema();
    for (label, extra) in [
        ("without --as-of", &[][..]),
        (
            "with --as-of",
            &["--as-of", "2017-01-01T10:00:00+06:00"][..],
        ),
    ] {
        let r = report(extra);
        assert_valid(&v, &r, label);
        let violations = r["violations"].as_array().unwrap();
        assert!(!violations.is_empty(), "{label}");
        // Fields that do not apply are present as null or false, never left out.
        for f in violations {
            for key in [
                "provider",
                "term",
                "caused_by",
                "limit_inferred",
                "deadline",
            ] {
                assert!(f.get(key).is_some(), "{label}: {key} missing in {f}");
            }
        }
        assert!(
            violations.iter().any(|f| f["term"].is_null())
                && violations.iter().any(|f| f["limit_inferred"] == false),
            "{label}: the null and false forms occur"
        );
    }
}

/// The schema is not a formality: a violation missing a documented field, or with a
/// kind no output knows, is invalid.
#[test]
fn the_schema_refuses_a_violation_missing_a_field() {
    let v = schema();
    let mut r = report(&[]);
    let first = r["violations"][0].as_object_mut().unwrap();
    first.remove("caused_by");
    assert!(!v.is_valid(&r));
    let mut r = report(&[]);
    r["violations"][0]["kind"] = Value::from("late");
    assert!(!v.is_valid(&r));
}
