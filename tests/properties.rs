//! Properties of the whole pipeline: every execution path gives the same answer, and a
//! working-day limit is met exactly up to the end of its deadline day.

use chrono::{Datelike, NaiveDate, TimeZone};
use proptest::prelude::*;
use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options, run};
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

fn catalog(source: RulesSource) -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&source, &schema).unwrap()).unwrap()
}

#[test]
fn sequential_and_parallel_replay_give_the_same_report() {
    let cat = catalog(RulesSource::Bundled);
    let cal = Calendar::kazakhstan().unwrap();
    let text = reglament::generate::for_rule_sets(&cat.sets, 400, 0, 5);
    let read = || {
        let mut r = Reader::new(&cat);
        r.read_str("gen.jsonl", &text);
        r.finish()
    };
    let as_of = Some(AsOf::new(i64::MAX / 4));
    // Reading too is parallel: one thread reads line by line, three read pieces at once.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let seq = one.install(|| {
        run(
            &cat,
            &cal,
            read(),
            &Options {
                mode: Mode::Sequential,
                as_of: as_of.clone(),
            },
        )
    });
    // A small pool forces many blocks onto few threads.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let par = pool.install(|| {
        run(
            &cat,
            &cal,
            read(),
            &Options {
                mode: Mode::Parallel,
                as_of,
            },
        )
    });
    assert!(
        text.len() > 2 * 128 * 1024,
        "the log must span several pieces"
    );
    assert!(
        seq.summary.violations > 100,
        "the generated log should violate something"
    );
    // Consequences point at their root by its index in the report: blocks replayed in
    // parallel shift them to their place (one delay, one finding).
    assert!(
        seq.summary.consequential > 0,
        "the generated log should have consequential findings"
    );
    assert_eq!(
        serde_json::to_value(&seq).unwrap(),
        serde_json::to_value(&par).unwrap()
    );
}

fn edge_log(start: &str, end: &str) -> String {
    format!(
        "{{\"case\":\"p\",\"service\":\"edge\",\"step\":\"a\",\"at\":\"{start}\"}}\n{{\"case\":\"p\",\"service\":\"edge\",\"step\":\"b\",\"at\":\"{end}\"}}\n"
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The 1-working-day limit of the edge rule set (step b) is met by an event at 23:59 on
    /// the deadline day and broken by one at 00:00 the day after, for any starting day
    /// 2013..2026.
    #[test]
    fn a_working_day_limit_ends_at_the_end_of_the_deadline_day(offset in 0u32..5000) {
        let cat = catalog(RulesSource::Dir("tests/data/rules-edge".into()));
        let cal = Calendar::kazakhstan().unwrap();
        let tz = chrono_tz::Asia::Almaty;
        let start = NaiveDate::from_ymd_opt(2013, 1, 1).unwrap() + chrono::Days::new(u64::from(offset));
        let deadline = cal.add_working_days(start, 1).unwrap();
        let local = |d: NaiveDate, h: u32, m: u32| tz.from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap()).earliest().unwrap().to_rfc3339();
        for (end, late) in [(local(deadline, 23, 59), false), (local(deadline.succ_opt().unwrap(), 0, 0), true)] {
            let mut r = Reader::new(&cat);
            r.read_str("p.jsonl", &edge_log(&local(start, 10, 0), &end));
            let report = run(&cat, &cal, r.finish(), &Options { mode: Mode::Sequential, as_of: None });
            prop_assert_eq!(report.violations.len(), usize::from(late), "start {} deadline {} end {}", start, deadline, end);
            if late {
                let v = &report.violations[0];
                prop_assert_eq!(v.deadline, Some(reglament::engine::Deadline::EndOfDay(deadline)));
                prop_assert!(deadline.year() >= 2013);
            }
        }
    }
}
