//! Fuzzing the rule loader on stable Rust: proptest mutates a valid rule set (values
//! replaced at random JSON Pointers by hostile ones: huge and negative numbers, wrong
//! types, empty and duplicate lists) and also feeds arbitrary bytes.
//!
//! CI runs a few cases (`FUZZ_CASES`, default 32). The long run is ignored by default:
//!
//! ```sh
//! FUZZ_CASES=50000 nice cargo test --release --test fuzz_rules -- --ignored
//! ```
//!
//! Properties: loading and compiling never panic; every error names the file it is in;
//! a rule set that compiles replays a small generated log, and a log of arbitrary steps,
//! without a panic and with its lines accounted for.

use proptest::prelude::*;
use reglament::calendar::Calendar;
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::bundled().unwrap())
}

fn calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(|| Calendar::kazakhstan().unwrap())
}

const BASE: &str = include_str!("data/rules-edge/edge.json");

/// Values put in place of a field.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(65536)),
        Just(json!(4294967296u64)),
        Just(json!(1e300)),
        Just(json!(u64::MAX)),
        Just(json!("")),
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("9999-12-31")),
        Just(json!("Asia/Oral")),
        Just(json!("working_days")),
        Just(json!("office_hours")),
        Just(json!([])),
        Just(json!(["a", "a"])),
        Just(json!(["c", "zz"])),
        Just(json!({})),
        Just(json!({"value": 1, "unit": "hours", "severity": "hard"})),
        Just(json!(true)),
        "[a-c\\\\\"\u{202e}\n]{0,6}".prop_map(Value::from),
    ]
}

/// Every JSON Pointer in `v`, parents before children.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, c)| pointers(c, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn mutated() -> impl Strategy<Value = String> {
    let base: Value = serde_json::from_str(BASE).unwrap();
    let mut all = Vec::new();
    pointers(&base, String::new(), &mut all);
    let edit = (
        proptest::sample::select(all),
        hostile_value(),
        any::<bool>(),
    );
    proptest::collection::vec(edit, 1..5).prop_map(move |edits| {
        let mut v = base.clone();
        for (ptr, value, remove) in edits {
            if remove {
                // Remove a key or an element instead of replacing it.
                let (parent, last) = ptr.rsplit_once('/').unwrap_or(("", ""));
                match v.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(last);
                    }
                    Some(Value::Array(a)) => {
                        if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < a.len()) {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            } else if let Some(slot) = v.pointer_mut(&ptr) {
                *slot = value;
            }
        }
        v.to_string()
    })
}

fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => mutated(),
        1 => proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => "[{}\\[\\]\":,0-9a-z ]{0,40}",
    ]
}

/// Checks every property on one rule file.
fn check(text: &str, steps: &[String]) {
    let source = RulesSource::Inline(vec![("fuzz.json".into(), text.to_string())]);
    let catalog = load::load(&source, schema()).and_then(Catalog::compile);
    let cat = match catalog {
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert_eq!(e.origin, "fuzz.json", "{e}");
            }
            return;
        }
        Ok(c) => c,
    };
    let mut log = reglament::generate::for_rule_sets(&cat.sets, 4, 1, 2);
    for (i, s) in steps.iter().enumerate() {
        let service = cat.sets.first().map_or("edge", |c| c.rules.service_id());
        log.push_str(
            &json!({"case": "f", "service": service, "step": s, "at": format!("2016-06-{:02}T10:00:00", i % 28 + 1)})
                .to_string(),
        );
        log.push('\n');
    }
    let mut r = Reader::new(&cat);
    r.read_str("fuzz.jsonl", &log);
    let read = r.finish();
    assert!(read.account.is_balanced());
    let options = reglament::check::Options {
        mode: reglament::check::Mode::Sequential,
        as_of: Some(reglament::check::AsOf::new(i64::MAX / 4)),
    };
    let report = reglament::check::run(&cat, calendar(), read, &options);
    assert!(report.summary.lines == report.summary.events + report.summary.rejected);
}

fn steps() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[a-c]", 0..6)
}

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(32)))]
    #[test]
    fn the_rule_loader_never_panics(text in input(), steps in steps()) {
        check(&text, &steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(50_000)))]
    #[test]
    #[ignore = "long fuzz run: FUZZ_CASES=N cargo test --release --test fuzz_rules -- --ignored"]
    fn the_rule_loader_never_panics_long(text in input(), steps in steps()) {
        check(&text, &steps);
    }
}

/// Rule files kept from fuzzing (`tests/data/fuzz/rules-corpus/*.json`), replayed always.
#[test]
fn the_corpus_replays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz/rules-corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        check(&text, &["a".into(), "c".into(), "b".into(), "zz".into()]);
        n += 1;
    }
    assert!(n > 0, "the corpus is empty");
}
