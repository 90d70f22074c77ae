//! `check --stream` gives the in-memory mode's report on the same time-ordered log: the
//! generator writes such logs (cases interleaved in time order, with injected faults of
//! every kind, `event_after_end` included), so every shipped rule set is checked both
//! ways and the JSON reports compared byte for byte. Small blocks make cases, and events
//! after a case's end, cross block boundaries.

use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options};
use reglament::generate::{Spec, generate};
use reglament::log::Reader;
use reglament::report::{self, Report};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

fn options(mode: Mode) -> Options {
    let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00+00:00").unwrap();
    Options {
        mode,
        as_of: Some(AsOf::new(at.timestamp_millis())),
    }
}

fn reader(cat: &Catalog) -> Reader<'_> {
    Reader::new(cat).with_block_size(16 << 10, 4 << 10)
}

fn in_memory(cat: &Catalog, cal: &Calendar, text: &str, mode: Mode) -> Report {
    let mut r = reader(cat);
    r.read_str("generated.jsonl", text);
    reglament::check::run(cat, cal, r.finish(), &options(mode))
}

fn streamed(cat: &Catalog, cal: &Calendar, text: &str, mode: Mode) -> Report {
    reglament::check::run_stream(cat, cal, &options(mode), |on_block| {
        let mut r = reader(cat);
        r.read_blocks("generated.jsonl", text.as_bytes(), on_block)
            .unwrap();
        r.finish()
    })
}

fn json(r: &Report) -> String {
    let mut out = Vec::new();
    report::json::write(
        r,
        &reglament::i18n::Catalog::new(reglament::i18n::Lang::En),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn stream_matches_in_memory_on_generated_logs_of_every_rule_set() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let (mut after_end, mut consequences) = (0, 0);
    for set in &cat.sets {
        let spec = Spec {
            cases: 300,
            seed: 7,
            faults: 0.3,
            as_of: options(Mode::Sequential).as_of.map(|a| a.at),
        };
        let mut log = Vec::new();
        generate(&[set], &cat.sets, &cal, &spec, &mut log, None).unwrap();
        let text = String::from_utf8(log).unwrap();
        let memory = in_memory(&cat, &cal, &text, Mode::Sequential);
        assert!(
            !memory.violations.is_empty(),
            "{}: faults injected",
            set.id()
        );
        after_end += (memory.violations.iter())
            .filter(|v| v.kind.as_str() == "event_after_end")
            .count();
        // Consequences name their root by its index in the whole report: the stream
        // replays cases apart and must shift those indices as the in-memory mode does.
        consequences += (memory.violations.iter())
            .filter(|v| v.caused_by.is_some())
            .count();
        for mode in [Mode::Sequential, Mode::Parallel] {
            let stream = streamed(&cat, &cal, &text, mode);
            assert_eq!(
                stream.summary.rejected,
                0,
                "{}: log in time order",
                set.id()
            );
            assert_eq!(json(&stream), json(&memory), "{} {mode:?}", set.id());
        }
    }
    assert!(after_end > 0, "events after an end for good were exercised");
    assert!(consequences > 0, "consequences (caused_by) were exercised");
}

/// Several generated rule sets in one time-ordered log, as `reglament generate` writes
/// them with no rule set named.
#[test]
fn stream_matches_in_memory_on_a_log_of_all_rule_sets() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let sets: Vec<_> = cat.sets.iter().collect();
    let spec = Spec {
        cases: 60,
        seed: 3,
        faults: 0.2,
        as_of: None,
    };
    let mut log = Vec::new();
    generate(&sets, &cat.sets, &cal, &spec, &mut log, None).unwrap();
    let text = String::from_utf8(log).unwrap();
    let memory = in_memory(&cat, &cal, &text, Mode::Parallel);
    let stream = streamed(&cat, &cal, &text, Mode::Parallel);
    assert!(memory.summary.cases > 500);
    assert_eq!(json(&stream), json(&memory));
}

const SERVICE: &str = "zhambyl-2016-84-survey-licence";

fn line(case: &str, step: &str, at: &str) -> String {
    format!(
        r#"{{"case": "{case}", "service": "{SERVICE}", "step": "{step}", "at": "{at}", "channel": "state_corporation", "variant": "issue"}}"#
    )
}

fn stream_text(cat: &Catalog, cal: &Calendar, text: &str) -> Report {
    reglament::check::run_stream(cat, cal, &options(Mode::Sequential), |on_block| {
        let mut r = Reader::new(cat);
        r.read_blocks("p.jsonl", text.as_bytes(), on_block).unwrap();
        r.finish()
    })
}

/// An event older than the stream's watermark is rejected with its reason, never
/// reordered; the account still balances.
#[test]
fn an_event_older_than_the_watermark_is_rejected_as_out_of_order() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let text = [
        line("a", "sc_accept", "2016-06-13T10:00:00+06:00"),
        line("b", "sc_accept", "2016-06-13T11:00:00+06:00"),
        line("a", "sc_transfer", "2016-06-13T10:30:00+06:00"),
    ]
    .join("\n");
    let report = stream_text(&cat, &cal, &text);
    let s = &report.summary;
    assert_eq!((s.lines, s.events, s.rejected), (3, 2, 1));
    let r = &report.rejected[0];
    assert_eq!((r.line, r.code.as_str()), (3, "out_of_order"));
    assert!(r.reason.contains("p.jsonl:2"), "{}", r.reason);
    // The in-memory mode takes the same log as it is: events of a case may be in any order.
    let memory = in_memory(&cat, &cal, &text, Mode::Sequential);
    assert_eq!(memory.summary.rejected, 0);
}

/// The HTML report needs every case's events, which `--stream` drops: refused, exit 2.
#[test]
fn stream_with_an_html_report_is_a_usage_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", "--stream", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--stream"), "{err}");
}

/// The bundled sample logs are written case by case, not in time order: `--stream` reads
/// every line the in-memory mode reads, and lists each event older than the stream had
/// reached as `out_of_order` instead of reordering it.
#[test]
fn stream_rejects_the_out_of_order_lines_of_the_bundled_logs() {
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
            .args(["check", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["summary"].clone()
    };
    let (m, s) = (run(&[]), run(&["--stream"]));
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap();
    assert_eq!(n(&m, "rejected"), 0);
    assert_eq!(n(&s, "lines"), n(&m, "lines"));
    assert_eq!(n(&s, "events") + n(&s, "rejected"), n(&m, "events"));
    assert!(n(&s, "rejected") > 0);
    assert_eq!(
        s["rejected_by_reason"],
        serde_json::json!({"out_of_order": n(&s, "rejected")})
    );
}

/// Issue 16: the State Corporation's hand-over (`sc_issue`, para 10) recorded the day
/// before the provider's dispatch (`p_dispatch`, 5.8) it follows. In memory that is one
/// `out_of_order_step`; `--stream` used to replay the case at its end step and then
/// judge the dispatch as `event_after_end`, next to a `missing_step` the dispatch showed
/// to be false. It now keeps a case that ended by skipping a step until its input ends.
#[test]
fn issue_16_hand_over_recorded_before_dispatch_is_one_finding_in_both_modes() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let text = [
        ("sc_accept", "2016-06-13T10:00:00+06:00"),
        ("sc_forward", "2016-06-13T15:00:00+06:00"),
        ("p_register", "2016-06-14T09:10:00+06:00"),
        ("p_resolution", "2016-06-14T11:00:00+06:00"),
        ("p_executor_review", "2016-06-15T11:00:00+06:00"),
        ("p_commission", "2016-06-16T11:00:00+06:00"),
        ("p_protocol_approved", "2016-06-17T11:00:00+06:00"),
        ("p_prepare_result", "2016-06-20T11:00:00+06:00"),
        ("p_sign", "2016-06-21T11:00:00+06:00"),
        ("sc_issue", "2016-06-22T11:00:00+06:00"),
        ("p_dispatch", "2016-06-23T11:00:00+06:00"),
    ]
    .iter()
    .map(|(step, at)| line("c", step, at) + "\n")
    .collect::<String>();
    let mut r = Reader::new(&cat);
    r.read_str("p.jsonl", &text);
    let memory = reglament::check::run(&cat, &cal, r.finish(), &options(Mode::Sequential));
    let stream = stream_text(&cat, &cal, &text);
    let kinds = |r: &Report| {
        (r.violations.iter())
            .map(|v| (v.kind.as_str(), v.step.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(&memory),
        [("out_of_order_step", "p_dispatch".to_string())],
        "{:#?}",
        memory.violations
    );
    assert_eq!(json(&stream), json(&memory));
}
