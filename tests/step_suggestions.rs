//! Issue 18: how often the step `inspect` suggests first for a provider's activity name
//! is the right one, on the evaluation set `tests/data/step-suggestions.tsv` (names
//! written from the regulations, in Russian and Kazakh, over five rule sets).
//!
//! `cargo test --test step_suggestions -- --nocapture` prints the figures the README
//! gives.

use reglament::log::formats::suggest;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

#[test]
fn suggestions_find_the_right_step_for_provider_names() {
    let schema = Schema::bundled().unwrap();
    let catalog = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
    let text = std::fs::read_to_string("tests/data/step-suggestions.tsv").unwrap();
    let (mut n, mut top1, mut top3) = (0u32, 0u32, 0u32);
    let mut misses = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [service, activity, want] = cols[..] else {
            panic!("not three columns: {line:?}");
        };
        assert!(catalog.editions(service).is_some(), "no service {service}");
        let ranked = suggest::for_service(&catalog, service).rank(activity, 3);
        assert!(
            catalog
                .sets
                .iter()
                .any(|s| s.rules.steps.iter().any(|st| st.id == want)),
            "no step {want}"
        );
        n += 1;
        let ids: Vec<&str> = ranked.iter().map(|(id, _)| *id).collect();
        if ids.first() == Some(&want) {
            top1 += 1;
        } else {
            misses.push(format!("{activity:?}: want {want}, got {ranked:?}"));
        }
        if ids.contains(&want) {
            top3 += 1;
        }
    }
    let pct = |k: u32| f64::from(k) * 100.0 / f64::from(n);
    println!(
        "{n} names: top-1 {top1} ({:.1} %), top-3 {top3} ({:.1} %)",
        pct(top1),
        pct(top3)
    );
    for m in &misses {
        println!("  miss {m}");
    }
    assert!(n >= 60, "the evaluation set has {n} names");
    assert!(pct(top1) >= 90.0, "top-1 {:.1} %: {misses:#?}", pct(top1));
}
