//! The whole pipeline (read -> group -> replay -> report) on a generated log, in memory
//! and as a stream (`check --stream`), and its parts, so every change to the hot path is
//! measured.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use reglament::calendar::Calendar;
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

fn catalog() -> Catalog {
    let schema = Schema::bundled().expect("schema");
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).expect("rules")).expect("compile")
}

fn pipeline(c: &mut Criterion) {
    let cat = catalog();
    let cal = Calendar::kazakhstan().expect("calendar");
    // 2,000 cases per rule set, one in twenty with an injected fault: the engine meets
    // clean and violating cases in the proportion of a real export.
    let sets: Vec<_> = cat.sets.iter().collect();
    let spec = reglament::generate::Spec {
        cases: 2_000,
        seed: 0,
        faults: 0.05,
        as_of: None,
    };
    let mut bytes = Vec::new();
    reglament::generate::generate(&sets, &cat.sets, &cal, &spec, &mut bytes, None)
        .expect("generate");
    let text = String::from_utf8(bytes).expect("utf-8");
    let lines = text.lines().count() as u64;

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(lines));
    g.sample_size(20);
    g.bench_function("read", |b| {
        b.iter(|| {
            let mut r = Reader::new(&cat);
            r.read_str("bench.jsonl", &text);
            r.finish().events.len()
        })
    });
    // Open cases judged as a nightly run judges them: at a moment inside the calendar
    // (1 June 2026, after every generated case began), not past its end, where every open
    // case would only get an `outside_calendar` finding.
    let june_2026 = chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .expect("a valid date");
    let as_of = reglament::check::Options {
        as_of: Some(reglament::check::AsOf::new(june_2026)),
        ..Default::default()
    };
    g.bench_function("check (read+group+replay+report)", |b| {
        b.iter(|| {
            let mut r = Reader::new(&cat);
            r.read_str("bench.jsonl", &text);
            let report = reglament::check::run(&cat, &cal, r.finish(), &as_of);
            report.violations.len()
        })
    });
    g.bench_function("check --stream (read+replay as cases end+report)", |b| {
        b.iter(|| {
            let report = reglament::check::run_stream(&cat, &cal, &as_of, |on_block| {
                let mut r = Reader::new(&cat);
                let _ = r.read_blocks("bench.jsonl", text.as_bytes(), on_block);
                r.finish()
            });
            report.violations.len()
        })
    });
    g.bench_function("group+replay", |b| {
        b.iter_batched(
            || {
                let mut r = Reader::new(&cat);
                r.read_str("bench.jsonl", &text);
                r.finish()
            },
            |log| {
                reglament::check::run(&cat, &cal, log, &Default::default())
                    .violations
                    .len()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
