//! The generator is the ground truth of benchmarks and tests: for every shipped rule set,
//! `check` must find exactly what the generator says it injected (compared on case, kind
//! and step), nothing on a log without faults, and the same seed must give the same bytes.

use reglament::calendar::Calendar;
use reglament::generate::{Spec, generate};
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::collections::BTreeMap;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// Open cases are judged here; inside the calendar's range, after every generated case.
fn as_of() -> i64 {
    chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00+00:00")
        .unwrap()
        .timestamp_millis()
}

/// A log and its truth for one rule set.
fn make(
    cat: &Catalog,
    cal: &Calendar,
    id: &str,
    cases: usize,
    faults: f64,
    seed: u64,
) -> (String, String) {
    let set = cat.sets.iter().find(|s| s.id() == id).unwrap();
    let spec = Spec {
        cases,
        seed,
        faults,
        as_of: Some(as_of()),
    };
    let (mut log, mut truth) = (Vec::new(), Vec::new());
    generate(&[set], &cat.sets, cal, &spec, &mut log, Some(&mut truth)).unwrap();
    (
        String::from_utf8(log).unwrap(),
        String::from_utf8(truth).unwrap(),
    )
}

type Key = (String, String, String);

/// (case, kind, step) with how many times it occurs.
fn tally(keys: impl Iterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

fn findings(cat: &Catalog, cal: &Calendar, log: &str) -> BTreeMap<Key, usize> {
    let mut r = Reader::new(cat);
    r.read_str("generated.jsonl", log);
    let log = r.finish();
    assert!(
        log.account.rejected.is_empty(),
        "every generated line is an event"
    );
    let options = reglament::check::Options {
        mode: reglament::check::Mode::Sequential,
        as_of: Some(reglament::check::AsOf::new(as_of())),
    };
    let report = reglament::check::run(cat, cal, log, &options);
    tally(report.violations.iter().map(|f| {
        (
            f.case.as_str().to_string(),
            f.kind.as_str().to_string(),
            f.step.clone().unwrap_or_default(),
        )
    }))
}

fn truth(text: &str) -> (BTreeMap<Key, usize>, Vec<String>) {
    let mut notes = Vec::new();
    let rows = text.lines().filter_map(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        if let Some(n) = v.get("note").and_then(|n| n.as_str()) {
            notes.push(n.to_string());
        }
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        Some((s("case")?, s("kind")?, s("step")?))
    });
    let t = tally(rows);
    (t, notes)
}

/// Every expected finding found, none extra; a difference is listed by case.
fn assert_exact(id: &str, expected: &BTreeMap<Key, usize>, got: &BTreeMap<Key, usize>) {
    let mut diff = Vec::new();
    for (k, n) in expected {
        let g = got.get(k).copied().unwrap_or(0);
        if g != *n {
            diff.push(format!("missed {k:?}: expected {n}, got {g}"));
        }
    }
    for (k, n) in got {
        if !expected.contains_key(k) {
            diff.push(format!("extra {k:?} x{n}"));
        }
    }
    assert!(
        diff.is_empty(),
        "{id}: {} differences:\n{}",
        diff.len(),
        diff.join("\n")
    );
}

fn exact_truth(id: &str) {
    let (cat, cal) = (catalog(), Calendar::kazakhstan().unwrap());
    let (log, text) = make(&cat, &cal, id, 300, 0.3, 7);
    let (expected, notes) = truth(&text);
    assert!(notes.is_empty(), "{id}: {notes:?}");
    assert!(
        expected.len() >= 60,
        "{id}: only {} findings injected",
        expected.len()
    );
    assert_exact(id, &expected, &findings(&cat, &cal, &log));

    let (clean, text) = make(&cat, &cal, id, 300, 0.0, 8);
    assert_eq!(text, "", "{id}: a log without faults has no truth");
    assert_exact(id, &BTreeMap::new(), &findings(&cat, &cal, &clean));
}

macro_rules! per_rule_set {
    ($($name:ident => $id:literal,)*) => {
        $(#[test] fn $name() { exact_truth($id) })*
        /// The list above is every shipped rule set: a new one is not skipped silently.
        #[test]
        fn every_shipped_rule_set_is_tested() {
            let mut listed = vec![$($id),*];
            listed.sort_unstable();
            let mut shipped: Vec<String> = catalog().sets.iter().map(|s| s.id().to_string()).collect();
            shipped.sort_unstable();
            assert_eq!(listed, shipped);
        }
    };
}

per_rule_set! {
    almaty_bus_carriage => "almaty-2014-3-584-bus-carriage-licence",
    almaty_veterinary => "almaty-2014-3-584-veterinary-licence",
    wko_grain_warehouse => "wko-2013-41-grain-warehouse-licence",
    wko_pesticide_fumigation => "wko-2013-41-pesticide-aerosol-fumigation-licence",
    wko_pesticide_production => "wko-2013-41-pesticide-production-licence",
    wko_pesticide_sale => "wko-2013-41-pesticide-sale-licence",
    wko_veterinary => "wko-2013-41-veterinary-licence",
    zhambyl_restoration => "zhambyl-2015-136-restoration-consent",
    zhambyl_temporary_export => "zhambyl-2015-136-temporary-export-certificate",
    zhambyl_construction => "zhambyl-2016-84-construction-licence",
    zhambyl_design => "zhambyl-2016-84-design-licence",
    zhambyl_survey => "zhambyl-2016-84-survey-licence",
    zhambyl_hunting_grounds => "zhambyl-2017-254-hunting-grounds",
    zhambyl_wildlife => "zhambyl-2017-254-wildlife-permit",
}

/// Over all rule sets, the faults reach every finding kind the engine has.
#[test]
fn faults_cover_every_finding_kind() {
    use reglament::engine::Kind;
    let (cat, cal) = (catalog(), Calendar::kazakhstan().unwrap());
    let sets: Vec<_> = cat.sets.iter().collect();
    let spec = Spec {
        cases: 120,
        seed: 3,
        faults: 1.0,
        as_of: Some(as_of()),
    };
    let mut truth = Vec::new();
    generate(
        &sets,
        &cat.sets,
        &cal,
        &spec,
        &mut std::io::sink(),
        Some(&mut truth),
    )
    .unwrap();
    let text = String::from_utf8(truth).unwrap();
    // Every kind but the one the generator has no fault for yet: a step recorded late
    // (issue 16's out_of_order_step) needs a later event of a skipped step.
    let kinds = Kind::ALL.into_iter().filter(|k| *k != Kind::OutOfOrderStep);
    for k in kinds {
        assert!(
            text.contains(&format!("\"kind\":\"{}\"", k.as_str())),
            "no {} injected",
            k.as_str()
        );
    }
}

/// The same seed gives the same bytes; another seed another log; events are in time order.
#[test]
fn deterministic_and_merged_in_time_order() {
    let (cat, cal) = (catalog(), Calendar::kazakhstan().unwrap());
    let id = "zhambyl-2016-84-survey-licence";
    let a = make(&cat, &cal, id, 200, 0.3, 11);
    assert_eq!(a, make(&cat, &cal, id, 200, 0.3, 11));
    assert_ne!(a.0, make(&cat, &cal, id, 200, 0.3, 12).0);
    let times: Vec<i64> =
        a.0.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap())
                    .unwrap()
                    .timestamp_millis()
            })
            .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "events are merged in time order"
    );
    // Cases are interleaved, not written one after another.
    let cases: Vec<&str> =
        a.0.lines()
            .take(50)
            .map(|l| l.split('"').nth(3).unwrap())
            .collect();
    assert!(cases.windows(2).filter(|w| w[0] != w[1]).count() > 5);
}

/// `reglament generate` end to end: the truth file lists what `reglament check` reports,
/// the same seed writes the same bytes, and a share outside 0..1 is refused.
#[test]
fn cli_generate_truth_matches_cli_check() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_reglament");
    let dir = std::env::temp_dir().join(format!("reglament-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |name: &str| {
        let (log, truth) = (
            dir.join(format!("{name}.jsonl")),
            dir.join(format!("{name}.truth")),
        );
        let out = Command::new(bin)
            .args([
                "generate",
                "wko-2013-41-veterinary-licence",
                "--cases",
                "150",
                "--seed",
                "5",
            ])
            .args(["--faults", "0.4", "--as-of", "2026-06-01", "--out"])
            .arg(&log)
            .arg("--truth")
            .arg(&truth)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            std::fs::read(&log).unwrap(),
            std::fs::read_to_string(&truth).unwrap(),
            log,
        )
    };
    let (a, truth_a, log) = run("a");
    let (b, truth_b, _) = run("b");
    assert_eq!(a, b, "the same seed gives the same bytes");
    assert_eq!(truth_a, truth_b);
    let out = Command::new(bin)
        .args(["check", "--as-of", "2026-06-01", "--format", "json"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "violations found");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = tally(report["violations"].as_array().unwrap().iter().map(|v| {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        (s("case"), s("kind"), s("step"))
    }));
    let (expected, notes) = truth(&truth_a);
    assert!(notes.is_empty());
    assert_exact("cli", &expected, &got);
    // About 40% of the 150 cases carry one fault each.
    let faulty: std::collections::BTreeSet<&String> = expected.keys().map(|k| &k.0).collect();
    assert!(
        (40..=80).contains(&faulty.len()),
        "{} faulty cases",
        faulty.len()
    );

    let bad = Command::new(bin)
        .args(["generate", "--faults", "1.5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--faults"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Late steps and terms are placed, now and then, just before a holiday or a decreed day
/// swap, so that their deadlines are carried across it.
#[test]
fn late_faults_cross_holidays_and_decreed_swaps() {
    use reglament::calendar::DayKind;
    let (cat, cal) = (catalog(), Calendar::kazakhstan().unwrap());
    let sets: Vec<_> = cat.sets.iter().collect();
    let spec = Spec {
        cases: 60,
        seed: 21,
        faults: 1.0,
        as_of: None,
    };
    let (mut log, mut truth) = (Vec::new(), Vec::new());
    generate(&sets, &cat.sets, &cal, &spec, &mut log, Some(&mut truth)).unwrap();
    let late: std::collections::BTreeSet<String> = String::from_utf8(truth)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| matches!(v["fault"].as_str(), Some("late_step" | "late_term")))
        .map(|v| v["case"].as_str().unwrap().to_string())
        .collect();
    let mut span: BTreeMap<String, (chrono::NaiveDate, chrono::NaiveDate)> = BTreeMap::new();
    for l in String::from_utf8(log).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let case = v["case"].as_str().unwrap();
        if late.contains(case) {
            let d = chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap())
                .unwrap()
                .date_naive();
            let e = span.entry(case.to_string()).or_insert((d, d));
            e.0 = e.0.min(d);
            e.1 = e.1.max(d);
        }
    }
    let crosses = |want: &dyn Fn(DayKind) -> bool| {
        span.values()
            .filter(|(a, b)| {
                a.iter_days()
                    .take_while(|d| d <= b)
                    .any(|d| cal.day_kind(d).is_ok_and(want))
            })
            .count()
    };
    let off = crosses(&|k| {
        matches!(
            k,
            DayKind::Holiday | DayKind::TransferredDayOff | DayKind::DecreedDayOff
        )
    });
    let swap = crosses(&|k| k == DayKind::DecreedWorkingDay);
    assert!(
        off >= 10 && swap >= 2,
        "{} late cases: {off} across days off, {swap} across decreed working days",
        span.len()
    );
}
