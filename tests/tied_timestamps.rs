//! Issue 8, tied timestamps: the findings of a case do not depend on the order of its
//! lines in the files. Events at the same time are replayed in the order of the process
//! graph (src/engine/ties.rs), so a shuffled log gives the same findings.

use proptest::prelude::*;
use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options, run};
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::sync::OnceLock;

/// A finding without where its line was: (case, kind, step, ref, deadline, at, severity,
/// and the kind and ref of its root when it is a consequence).
type Key = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

struct Fixture {
    catalog: Catalog,
    calendar: Calendar,
    /// Every bundled log line, its time cut to the whole hour so many events tie.
    lines: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let schema = Schema::bundled().unwrap();
        let catalog =
            Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/logs");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let mut lines = Vec::new();
        for f in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        {
            for l in std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                if let Some(at) = v["at"].as_str().map(str::to_string)
                    && at.len() >= 19
                {
                    // "2016-06-13T15:27:41+06:00" -> "2016-06-13T15:00:00+06:00"
                    v["at"] = format!("{}:00:00{}", &at[..13], &at[19..]).into();
                }
                lines.push(v.to_string());
            }
        }
        Fixture {
            catalog,
            calendar: Calendar::kazakhstan().unwrap(),
            lines,
        }
    })
}

fn findings(order: &[usize]) -> Vec<Key> {
    let f = fixture();
    let text: String = order.iter().map(|&i| format!("{}\n", f.lines[i])).collect();
    let mut reader = Reader::new(&f.catalog);
    reader.read_str("tied.jsonl", &text);
    let options = Options {
        mode: Mode::Sequential,
        as_of: Some(AsOf::new(
            chrono::DateTime::parse_from_rfc3339("2017-01-01T10:00:00+06:00")
                .unwrap()
                .timestamp_millis(),
        )),
    };
    let report = run(&f.catalog, &f.calendar, reader.finish(), &options);
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let mut keys: Vec<Key> = (report.violations.iter())
        .map(|v| {
            let root = v
                .caused_by
                .and_then(|i| report.violations.get(i))
                .map_or(String::new(), |r| {
                    format!("{} {}", r.kind.as_str(), s(&r.cite))
                });
            (
                v.case.to_string(),
                v.kind.as_str().to_string(),
                s(&v.step),
                s(&v.cite),
                v.deadline.map(|d| d.to_iso()).unwrap_or_default(),
                v.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                v.severity.as_str().to_string(),
                root,
            )
        })
        .collect();
    keys.sort();
    keys
}

fn reference() -> &'static Vec<Key> {
    static R: OnceLock<Vec<Key>> = OnceLock::new();
    R.get_or_init(|| findings(&(0..fixture().lines.len()).collect::<Vec<_>>()))
}

/// The fixture does tie: many cases have events at the same hour.
#[test]
fn the_coarse_log_has_ties_and_findings() {
    let f = fixture();
    let mut keys: Vec<(String, String, String)> = (f.lines.iter())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (s("service"), s("case"), s("at"))
        })
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert!(n - keys.len() > 50, "{} tied events", n - keys.len());
    assert!(!reference().is_empty());
}

/// Lines in reverse order: every tie is met the other way round.
#[test]
fn reversed_log_gives_the_same_findings() {
    let n = fixture().lines.len();
    assert_eq!(&findings(&(0..n).rev().collect::<Vec<_>>()), reference());
}

proptest! {
    // Few cases in CI: each replays the whole bundled log.
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn shuffled_log_gives_the_same_findings(
        order in Just((0..fixture().lines.len()).collect::<Vec<usize>>()).prop_shuffle()
    ) {
        prop_assert_eq!(&findings(&order), reference());
    }
}
