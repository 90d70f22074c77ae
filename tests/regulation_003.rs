//! Seed 003: Almaty city akimat resolution No. 3/584 of 14.07.2014 (as amended 17.10.2014):
//! licence for passenger carriage by bus (`almaty-2014-3-584-bus-carriage-licence`, channels
//! PSC and portal) and licence for veterinary activity (`almaty-2014-3-584-veterinary-licence`,
//! channels provider and portal). Two complete rule sets, no shared template: the channels,
//! steps and times differ. Log: logs/almaty-licences.jsonl.
//!
//! Neither regulation states a working-day figure: the total terms point to the standards
//! (value null, not checked), so every limit here is elapsed time. The bus rule set counts
//! wall-clock time; the veterinary one counts office hours (Mon-Fri 09:00-18:30, lunch
//! 13:00-14:30). Calendar: November 2014 (bus) and February 2015 (veterinary) hold no
//! Kazakhstan holidays (the next are 1 Dec 2014 and 8 Mar 2015). Almaty is UTC+6.

mod common;

const LOG: &str = "logs/almaty-licences.jsonl";
const AS_OF: &str = "2015-03-01T00:00:00+06:00";

fn run() -> common::Run {
    common::check(LOG, AS_OF)
}

#[test]
fn exit_code_is_one_and_every_event_is_accepted() {
    let run = run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.report["rejected"].as_array().map(Vec::len),
        Some(0),
        "{:#?}",
        run.report["rejected"]
    );
}

#[test]
fn compliant_cases_have_no_findings() {
    let run = run();
    for case in [
        // portal: every screen action inside its norm (10 s, 80 s, 80 s, 10 s, 70 s).
        "bus-ok-portal",
        // PSC: 12 s (from `started`), 8 s, 52 s, 80 s, 10 s.
        "bus-ok-psc",
        // PSC, refused by the head on the pointer ground standard_10.
        "bus-ok-psc-refused",
        // portal, automatic refusal for no payment 10 s after filling: implied ground.
        "bus-ok-no-payment",
        // provider: accepted in 12 min (from `started`), registered 4 min later.
        "vet-ok-provider",
        // portal at night: the veterinary portal steps carry no limits.
        "vet-ok-portal",
        // accepted Thu 2015-02-05 12:58, registered 14:32: 94 wall-clock minutes, but office
        // time is 12:58-13:00 (2 min) + 14:30-14:32 (2 min) = 4 min <= 5 min.
        "vet-ok-lunch",
        // data not in the state databases: automatic refusal 40 s after the query.
        "vet-ok-no-data",
        // Issue 7, point 3: every numbered process and no event for the conditions (the
        // КИИДАШБ / ЖКБ check, 5.10 / 8.14 / 4.14 / 5.9) or the head's signature (para 8):
        // a condition is not a step, so nothing is missing.
        "bus-ok-numbered-only",
        "vet-ok-numbered-only",
        // Issue 7, point 2: registration and processing in E-licensing (5.9, table 1
        // action 8, '10-15' with its unit cut off) took 71 office minutes: not checked.
        "vet-ok-slow-processing",
        // Issue 7, point 5: refused for "деректерінде бұзушылықтардың болуы", the reason the
        // refusal message itself gives (8.15 vet portal; 5.10 bus PSC).
        "vet-ok-refusal-data-violations",
        "bus-ok-refusal-data-violations",
    ] {
        assert_eq!(
            common::findings_of(&run, case),
            common::owned(&[]),
            "{case}"
        );
    }
}

// ---------------------------------------------------------------- bus carriage licence

#[test]
fn bus_portal_fill_over_the_90_second_norm() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "bus-late-fill"),
        common::owned(&[("step_overdue", "portal_fill", "annex1.table1.3")])
    );
    // portal_auth Thu 2014-11-13 10:00:00; "1,5 мин." = 90 s -> deadline 10:01:30;
    // portal_fill 10:05:00 = 300 s (wall clock).
    let f = common::only(&run, "bus-late-fill", "step_overdue");
    common::assert_overdue(
        &f,
        "norm",
        (90, "seconds"),
        "2014-11-13T10:01:30+06:00",
        300,
    );
}

#[test]
fn bus_psc_query_over_the_90_second_norm() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "bus-late-psc-query"),
        common::owned(&[("step_overdue", "psc_query", "annex3.table2.3")])
    );
    // psc_select Thu 2014-11-13 11:00:05; 90 s -> deadline 11:01:35; psc_query 11:03:05 = 180 s.
    let f = common::only(&run, "bus-late-psc-query", "step_overdue");
    common::assert_overdue(
        &f,
        "norm",
        (90, "seconds"),
        "2014-11-13T11:01:35+06:00",
        180,
    );
}

#[test]
fn bus_order_and_refusals() {
    let run = run();
    // A "no data" message after the request was already registered in E-licensing: not
    // reachable from psc_register; the engine cites the `next` list of psc_register (5.8).
    assert_eq!(
        common::findings_of(&run, "bus-unexpected"),
        common::owned(&[("unexpected_step", "psc_no_data", "5.8")])
    );
    // The refusal is recorded on the refusal message, citing its own item (4.15 / 5.10),
    // not para 8 (issue 7, point 3).
    assert_eq!(
        common::findings_of(&run, "bus-refusal-no-ground"),
        common::owned(&[("refusal_without_ground", "portal_refusal", "4.15")])
    );
    // portal_no_payment is a ground of the rule set but not one the reasoned refusal may cite.
    assert_eq!(
        common::findings_of(&run, "bus-refusal-bad-ground"),
        common::owned(&[("refusal_ground_not_allowed", "psc_refusal", "5.10")])
    );
    // Issue 7, point 10: the automatic message of process 7 (4.11) establishes only its
    // own ground; an explicit other ground there is not allowed.
    assert_eq!(
        common::findings_of(&run, "bus-signature-wrong-ground"),
        common::owned(&[(
            "refusal_ground_not_allowed",
            "portal_signature_refused",
            "4.11"
        )])
    );
}

// ---------------------------------------------------------------- veterinary licence

#[test]
fn vet_registration_over_5_minutes() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "vet-late-register"),
        common::owned(&[("step_overdue", "p_register", "annex1.table1.2")])
    );
    // p_accept Tue 2015-02-10 10:12; 5 office minutes -> deadline 10:17; p_register 10:32 = 20 min.
    // A norm, like every time of annex 1 table 1 (issue 7, point 4: one policy per table).
    let f = common::only(&run, "vet-late-register", "step_overdue");
    common::assert_overdue(&f, "norm", (5, "minutes"), "2015-02-10T10:17:00+06:00", 20);
}

#[test]
fn vet_acceptance_over_15_minutes_from_started() {
    let run = run();
    assert_eq!(
        common::findings_of(&run, "vet-late-accept"),
        common::owned(&[("step_overdue", "p_accept", "annex1.table1.1")])
    );
    // started Wed 2015-02-11 10:00; 15 office minutes -> deadline 10:15; accepted 10:25 = 25 min.
    let f = common::only(&run, "vet-late-accept", "step_overdue");
    common::assert_overdue(&f, "norm", (15, "minutes"), "2015-02-11T10:15:00+06:00", 25);
}

#[test]
fn vet_order_and_refusals() {
    let run = run();
    // Sign-in to E-licensing straight after acceptance: registration (5.2) skipped.
    assert_eq!(
        common::findings_of(&run, "vet-skip-register"),
        common::owned(&[("missing_step", "p_register", "5.2")])
    );
    // A "no data" message after the request was registered and processed: not reachable
    // from eli_register (5.9).
    assert_eq!(
        common::findings_of(&run, "vet-unexpected"),
        common::owned(&[("unexpected_step", "eli_no_data", "5.9")])
    );
    assert_eq!(
        common::findings_of(&run, "vet-refusal-no-ground"),
        common::owned(&[("refusal_without_ground", "eli_refusal", "5.11")])
    );
    // data_not_found belongs to the automatic message of 5.7, not to the reasoned refusal.
    assert_eq!(
        common::findings_of(&run, "vet-refusal-bad-ground"),
        common::owned(&[("refusal_ground_not_allowed", "portal_refusal", "8.15")])
    );
}

// ---------------------------------------------------------------- issue 16: readings corrected

/// Replays `lines` (JSON Lines of the bus-carriage service) with the bundled rule sets, no
/// `--as-of`: the findings as `(kind, step, ref)`.
fn bus_findings(lines: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    use reglament::calendar::Calendar;
    use reglament::check::{Mode, Options, run};
    use reglament::log::Reader;
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().unwrap();
    let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
    let cal = Calendar::kazakhstan().unwrap();
    let text: String = lines
        .iter()
        .map(|(step, at, extra)| {
            format!(
                r#"{{"case": "c", "service": "almaty-2014-3-584-bus-carriage-licence", "step": "{step}", "at": "{at}", "channel": "portal", "variant": "issue"{extra}}}"#
            ) + "\n"
        })
        .collect();
    let mut reader = Reader::new(&cat);
    reader.read_str("issue16.jsonl", &text);
    let options = Options {
        mode: Mode::Sequential,
        as_of: None,
    };
    let report = run(&cat, &cal, reader.finish(), &options);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    (report.violations.iter())
        .map(|v| {
            (
                v.kind.as_str().to_string(),
                v.step.clone().unwrap_or_default(),
                v.cite.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// Issue 16: annex 1 table 1, action 1, times the sign-in itself ("Көрсетілетін қызметті
/// алушының ЭЦҚ тіркеу куәлігін компьютердің интернет-браузеріне бекіту", "10-15 сек."). A
/// second sign-in after a refused one (4.4, the refusal message at 10:00:10) came at
/// 10:02:00 without `started`: it used to be measured from the refusal message (110 s
/// against 15 s); it is measured only from its own start, so not here.
#[test]
fn issue_16_second_sign_in_is_not_timed_from_the_refusal() {
    let found = bus_findings(&[
        (
            "portal_auth",
            "2014-11-05T10:00:00+06:00",
            r#", "started": "2014-11-05T09:59:50+06:00""#,
        ),
        ("portal_auth_refused", "2014-11-05T10:00:10+06:00", ""),
        ("portal_auth", "2014-11-05T10:02:00+06:00", ""),
        ("portal_fill", "2014-11-05T10:03:20+06:00", ""),
        ("portal_pay", "2014-11-05T10:04:40+06:00", ""),
        ("portal_select_signature", "2014-11-05T10:04:50+06:00", ""),
        ("portal_sign", "2014-11-05T10:06:00+06:00", ""),
        ("portal_register", "2014-11-05T10:06:05+06:00", ""),
        ("portal_result", "2014-11-10T15:05:00+06:00", ""),
    ]);
    assert_eq!(found, common::owned(&[]));
    // With its own start recorded, a slow sign-in is still over the norm of action 1.
    let slow = bus_findings(&[
        (
            "portal_auth",
            "2014-11-05T10:00:40+06:00",
            r#", "started": "2014-11-05T10:00:00+06:00""#,
        ),
        ("portal_fill", "2014-11-05T10:01:20+06:00", ""),
    ]);
    assert_eq!(
        slow,
        common::owned(&[("step_overdue", "portal_auth", "annex1.table1.1")])
    );
}

/// Issue 16: para 8, "Осыдан кейін көрсетілетін қызметті алушының басшысына құжаттар
/// лицензияға қол қою үшін немесе лицензия беруде дәлелді бас тарту үшін беріледі": the
/// head's signature is an optional step between registration and the result or refusal.
/// A log that records it used to get `unknown_step` (the step was absent); now it is in
/// order, and a log without it still is.
#[test]
fn issue_16_head_signature_is_an_optional_step() {
    let head = [
        (
            "portal_auth",
            "2014-11-05T10:00:00+06:00",
            r#", "started": "2014-11-05T09:59:50+06:00""#,
        ),
        ("portal_fill", "2014-11-05T10:01:20+06:00", ""),
        ("portal_pay", "2014-11-05T10:02:40+06:00", ""),
        ("portal_select_signature", "2014-11-05T10:02:50+06:00", ""),
        ("portal_sign", "2014-11-05T10:04:00+06:00", ""),
        ("portal_register", "2014-11-05T10:04:05+06:00", ""),
        ("p_sign", "2014-11-10T11:00:00+06:00", ""),
        ("portal_result", "2014-11-10T15:05:00+06:00", ""),
    ];
    assert_eq!(bus_findings(&head), common::owned(&[]));
    let without: Vec<_> = head.iter().copied().filter(|e| e.0 != "p_sign").collect();
    assert_eq!(bus_findings(&without), common::owned(&[]));
    // The head signs before the result is handed out, not after.
    let late = [&without[..], &[("p_sign", "2014-11-11T11:00:00+06:00", "")]].concat();
    assert_eq!(
        bus_findings(&late),
        common::owned(&[("event_after_end", "p_sign", "8")])
    );
}
