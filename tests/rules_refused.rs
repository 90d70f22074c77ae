//! Rule sets that make no sense are refused (issue 8): `rules validate` and `check`
//! exit with code 2 and name the file and the JSON Pointer of the field, with a reason.
//! Each case is the edge fixture (`tests/data/rules-edge/edge.json`) with one change.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const EDGE: &str = include_str!("data/rules-edge/edge.json");

fn edge() -> Value {
    serde_json::from_str(EDGE).unwrap()
}

/// A fresh directory for one test under the system's temp folder.
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("reglament-refused-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, v: &Value) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

/// `rules validate DIR`: exit code and standard error.
fn validate(dir: &Path) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["rules", "validate"])
        .arg(dir)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The edge rule set changed by `f`, validated alone: the exit code must be 2 and
/// standard error must hold `want` (file, pointer and reason).
fn refused(test: &str, f: impl FnOnce(&mut Value), want: &str) -> String {
    let d = dir(test);
    let mut v = edge();
    f(&mut v);
    write(&d.join("edge.json"), &v);
    let (code, err) = validate(&d);
    assert_eq!(code, Some(2), "{test}: {err}");
    let file = d.join("edge.json").display().to_string();
    assert!(err.contains(&format!("{file}: {want}")), "{test}: {err}");
    err
}

#[test]
fn the_edge_fixture_itself_is_valid() {
    let d = dir("valid");
    write(&d.join("edge.json"), &edge());
    let (code, err) = validate(&d);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_rule_set_without_an_end_step_is_refused() {
    refused(
        "no-end",
        |v| {
            v["steps"][2].as_object_mut().unwrap().remove("end");
        },
        "/steps: expected a step with `end` (result or refusal), found none",
    );
}

#[test]
fn a_limit_from_its_own_step_is_refused() {
    refused(
        "own-from",
        |v| v["steps"][1]["limit"]["from"] = json!("b"),
        "/steps/1/limit/from: expected an earlier step to measure from, found the limit's own step \"b\"",
    );
    // In a list of limits, the pointer names the limit.
    refused(
        "own-from-many",
        |v| v["steps"][2]["limit"][1]["from"] = json!("c"),
        "/steps/2/limit/1/from: expected an earlier step",
    );
}

/// Two breaks that together cover the office day: no office time would ever pass.
#[test]
fn breaks_covering_the_whole_office_day_are_refused() {
    refused(
        "lunch",
        |v| {
            v["schedule"] = json!({
                "elapsed": "office_hours",
                "ref": "1",
                "office_hours": {
                    "start": "09:00", "end": "18:00",
                    "breaks": [["09:00", "13:00"], ["13:00", "18:00"]]
                }
            })
        },
        "/schedule/office_hours/breaks: expected breaks that leave some of the office day open",
    );
}

#[test]
fn an_empty_channel_list_on_a_step_is_refused() {
    refused(
        "no-channels",
        |v| v["steps"][1]["channels"] = json!([]),
        "/steps/1/channels: expected at least one channel, found []",
    );
    refused(
        "no-variants-term",
        |v| {
            v["variants"] = json!([{ "id": "x", "name": { "kk": "x", "en": "x" }, "ref": "1" }]);
            v["terms"][0]["variants"] = json!([]);
        },
        "/terms/0/variants: expected at least one variant, found []",
    );
}

#[test]
fn duplicate_channel_variant_ground_and_term_ids_are_refused() {
    refused(
        "dup-channel",
        |v| {
            let c = v["channels"][0].clone();
            v["channels"].as_array_mut().unwrap().push(c);
        },
        "/channels/1/id: expected a unique id in channels, found \"provider\" again",
    );
    refused(
        "dup-variant",
        |v| {
            let x = json!({ "id": "x", "name": { "kk": "x", "en": "x" }, "ref": "1" });
            v["variants"] = json!([x.clone(), x]);
        },
        "/variants/1/id: expected a unique id in variants, found \"x\" again",
    );
    refused(
        "dup-ground",
        |v| {
            let g = json!({ "id": "g", "ref": "5", "text": { "kk": "г", "en": "g" } });
            v["refusal_grounds"] = json!([g.clone(), g]);
        },
        "/refusal_grounds/1/id: expected a unique id in refusal_grounds, found \"g\" again",
    );
    refused(
        "dup-term",
        |v| {
            let t = v["terms"][0].clone();
            v["terms"].as_array_mut().unwrap().push(t);
        },
        "/terms/1/id: expected a unique id in terms, found \"total\" again",
    );
}

/// Today a value past `u32` passed the schema and failed in serde with "data did not
/// match any variant of untagged enum Limits" at `/steps[0]/limit`.
#[test]
fn a_limit_value_past_its_range_names_the_field() {
    let err = refused(
        "huge-value",
        |v| v["steps"][1]["limit"]["value"] = json!(4_294_967_296_u64),
        "/steps/1/limit/value: 4294967296 is greater than the maximum of 4294967295",
    );
    assert!(!err.contains("untagged"), "{err}");
    refused(
        "huge-value-many",
        |v| v["steps"][2]["limit"][0]["value"] = json!(1e30),
        "/steps/2/limit/0/value:",
    );
}

#[test]
fn an_empty_rules_directory_is_an_error() {
    let d = dir("empty");
    let (code, err) = validate(&d);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("expected at least one rule file (*.json), found none"),
        "{err}"
    );
    // `check` refuses it too, rather than reporting every event as an unknown service.
    let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "logs/sample.jsonl", "--rules"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// Only the exact `schema.json` is skipped: `my-schema.json` is read as a rule file (and
/// here refused, since it is not one), never silently ignored.
#[test]
fn only_the_exact_schema_json_is_skipped() {
    let d = dir("schema-suffix");
    write(&d.join("edge.json"), &edge());
    write(&d.join("schema.json"), &json!({ "not": "a rule set" }));
    let (code, err) = validate(&d);
    assert_eq!(code, Some(0), "schema.json is skipped: {err}");
    write(&d.join("my-schema.json"), &json!({ "not": "a rule set" }));
    let (code, err) = validate(&d);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("my-schema.json: /"), "{err}");
}

/// A template that extends another is refused at its own `/extends` (no chains, so no
/// cycles, even a template extending itself).
#[test]
fn a_template_cannot_extend_another() {
    let d = dir("tmpl-extends");
    let mut t = edge();
    let o = t.as_object_mut().unwrap();
    for k in ["id", "title"] {
        o.remove(k);
    }
    o.insert("extends".into(), json!("base"));
    write(&d.join("templates/base.json"), &t);
    let mut f = json!({ "id": "edge-a", "title": edge()["title"].clone(), "extends": "base" });
    write(&d.join("a.json"), &f);
    f["id"] = json!("edge-b");
    write(&d.join("b.json"), &f);
    let (code, err) = validate(&d);
    assert_eq!(code, Some(2), "{err}");
    let tmpl = d.join("templates/base.json").display().to_string();
    assert!(
        err.contains(&format!(
            "{tmpl}: /extends: expected a template without `extends`"
        )),
        "{err}"
    );
}

/// A template shared by two rule files, with an error in a field both inherit (a schema
/// error, and a compile error): each is reported once, against the template, and an
/// error in a rule file's own field stays with that file.
#[test]
fn an_error_in_a_template_is_reported_once_against_it() {
    for (test, broken, want) in [
        (
            "tmpl-schema",
            json!({ "value": -1, "unit": "working_days", "severity": "hard" }),
            "/steps/1/limit/value: -1 is less than the minimum of 0",
        ),
        (
            "tmpl-compile",
            json!({ "value": 1, "unit": "working_days", "severity": "hard", "from": "b" }),
            "/steps/1/limit/from: expected an earlier step",
        ),
    ] {
        let d = dir(test);
        let mut t = edge();
        t["steps"][1]["limit"] = broken;
        let o = t.as_object_mut().unwrap();
        for k in ["id", "title"] {
            o.remove(k);
        }
        write(&d.join("templates/base.json"), &t);
        let f = json!({ "id": "edge-a", "title": edge()["title"].clone(), "extends": "base" });
        write(&d.join("a.json"), &f);
        let mut g = f.clone();
        g["id"] = json!("edge-b");
        g["valid_to"] = json!("2012-01-01");
        write(&d.join("b.json"), &g);
        let (code, err) = validate(&d);
        assert_eq!(code, Some(2), "{test}: {err}");
        let tmpl = d.join("templates/base.json").display().to_string();
        let line = format!("{tmpl}: {want}");
        assert_eq!(err.matches(&line).count(), 1, "{test}: {err}");
        assert!(!err.contains("a.json: /steps"), "{test}: {err}");
        if test == "tmpl-compile" {
            // b.json's own error (valid_to before valid_from) is still b.json's.
            let b = d.join("b.json").display().to_string();
            assert!(err.contains(&format!("{b}: /valid_to:")), "{test}: {err}");
        }
    }
}

/// The edge rule set with `n` steps in a chain `s0 -> s1 -> ... -> s{n-1}` (the last
/// one ends the case), loaded and compiled: the errors, as printed.
fn chain(n: usize, duplicate_last: bool) -> Vec<String> {
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let mut v = edge();
    let step = |i: usize| {
        let mut s = json!({
            "id": format!("s{i}"), "ref": "1", "actor": "office",
            "name": { "kk": "қ", "en": "step" }, "next": [format!("s{}", i + 1)]
        });
        if i == 0 {
            s["start"] = json!(true);
        }
        if i + 1 == n {
            s["next"] = json!([]);
            s["end"] = json!("result");
        }
        s
    };
    let mut steps: Vec<Value> = (0..n).map(step).collect();
    if duplicate_last {
        steps[n - 1]["id"] = json!(format!("s{}", n - 2));
        steps[n - 2]["next"] = json!([]);
        steps[n - 2]["end"] = json!("result");
    }
    v["steps"] = Value::Array(steps);
    v.as_object_mut().unwrap().remove("terms");
    let schema = Schema::bundled().unwrap();
    let source = RulesSource::Inline(vec![("big.json".into(), v.to_string())]);
    let bundle = match load::load(&source, &schema) {
        Ok(b) => b,
        Err(e) => return e.iter().map(ToString::to_string).collect(),
    };
    match Catalog::compile(bundle) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

/// Past the step index's range (65,534 steps) the rule set is refused with one clear
/// error, not with thousands of false "no step" errors for the steps past it.
#[test]
fn a_rule_set_past_the_step_index_range_is_one_clear_error() {
    let errors = chain(65_540, false);
    assert_eq!(errors.len(), 1, "{:?}", &errors[..errors.len().min(3)]);
    assert!(
        errors[0].starts_with("big.json: /: expected at most 64 channels, 64 variants and 65534 steps (the index types' range), found 1, 0 and 65540"),
        "{}",
        errors[0]
    );
    // A duplicate id is found once, at its pointer (the check is a hash set: it was a
    // quadratic scan, 14.7 s for 60k steps).
    let errors = chain(2_000, true);
    assert_eq!(
        errors[0],
        "big.json: /steps/1999/id: expected a unique step id, found \"s1998\" again"
    );
    assert!(!errors.iter().any(|e| e.contains("no step")), "{errors:?}");
}
