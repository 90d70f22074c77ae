//! Issue 16, "A data gap is not the provider's violation": a case that lost a record of
//! its own is judged with that caveat (its findings carry `evidence_incomplete`, are
//! listed apart and are not counted), and a limit that could not be measured is counted
//! per rule set and step, said in a warning, and not shown as kept.

use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options};
use reglament::log::formats::{self, InputFormat};
use reglament::log::{Log, Reader};
use reglament::report::summary::{Aggregates, Cases};
use reglament::report::{self, Report};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// The survey licence (seed 001) through the State Corporation, as the sample provider
/// export writes it (`maps/provider-export.json`): action, time, service start.
const ROWS: [(&str, &str, &str); 11] = [
    (
        "Прием документов в ЦОН",
        "01.06.2016 10:00:00",
        "01.06.2016 09:50:00",
    ),
    (
        "Передача документов услугодателю",
        "02.06.2016 11:00:00",
        "",
    ),
    (
        "Регистрация в канцелярии",
        "02.06.2016 11:15:00",
        "02.06.2016 11:00:00",
    ),
    ("Резолюция руководителя", "02.06.2016 12:30:00", ""),
    ("Рассмотрение исполнителем", "10.06.2016 16:00:00", ""),
    ("Заседание комиссии", "13.06.2016 15:00:00", ""),
    ("Утверждение протокола", "14.06.2016 10:00:00", ""),
    ("Подготовка лицензии", "15.06.2016 10:00:00", ""),
    ("Подписание руководителем", "16.06.2016 10:00:00", ""),
    ("Направление результата в ЦОН", "17.06.2016 10:00:00", ""),
    (
        "Выдача результата заявителю",
        "20.06.2016 11:00:00",
        "20.06.2016 10:55:00",
    ),
];

/// Two cases that kept every limit; in `ЗЖ-2` the executor's review (row 5) has a date
/// the mapping cannot read (31 June).
fn export_with_an_unreadable_date() -> String {
    let mut out = String::from(
        "Номер заявки;Услуга;Действие;Дата и время;Начало обслуживания;Канал;Вид;Исполнитель\n",
    );
    for case in ["ЗЖ-1", "ЗЖ-2"] {
        for (i, (action, at, started)) in ROWS.iter().enumerate() {
            let at = if case == "ЗЖ-2" && i == 4 {
                "31.06.2016 16:00:00"
            } else {
                at
            };
            out.push_str(&format!(
                "{case};Лицензия на изыскательскую деятельность;{action};{at};{started};Госкорпорация;Выдача;Оператор ЦОН\n"
            ));
        }
    }
    out
}

fn temp(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("reglament-ev-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), text)
}

/// Issue 16, "Rejected rows": a row whose date the mapping could not read made the
/// replay report the executor's review as a hard `missing_step` and the commission, now
/// counted from the resolution eight days earlier, as a hard `step_overdue`; both were
/// counted as violations and the run exited 1. They are phantoms of the gap: the
/// findings are still listed, apart, with `evidence_incomplete` and the caveat in
/// words, and nothing is counted against the provider.
#[test]
fn issue_16_a_row_whose_date_cannot_be_read_is_no_violation() {
    let csv = temp("gap.csv", &export_with_an_unreadable_date());
    let log = csv.to_str().unwrap();
    let map = ["--map", "maps/provider-export.json"];
    let (code, json) = run(&[&[log, "--format", "json"][..], &map].concat());
    let r: Value = serde_json::from_str(&json).unwrap();
    let found: Vec<(&str, &str, bool)> = (r["violations"].as_array().unwrap().iter())
        .map(|v| {
            (
                v["kind"].as_str().unwrap(),
                v["step"].as_str().unwrap(),
                v["evidence_incomplete"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("missing_step", "p_executor_review", true),
            ("step_overdue", "p_commission", true)
        ]
    );
    for v in r["violations"].as_array().unwrap() {
        assert_eq!(v["case"], "ЗЖ-2");
        let m = v["message"].as_str().unwrap();
        assert!(m.contains("a record of this case was rejected"), "{m}");
    }
    // The published schema knows the new fields.
    let schema = std::fs::read_to_string("docs/report.schema.json").unwrap();
    let schema = jsonschema::draft202012::new(&serde_json::from_str(&schema).unwrap()).unwrap();
    let errors: Vec<String> = schema.iter_errors(&r).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let s = &r["summary"];
    assert_eq!(s["rejected"], 1);
    assert_eq!(s["violations"], 0, "{s}");
    assert_eq!(s["cases_with_violations"], 0);
    assert_eq!(s["evidence_incomplete"], 1, "one root, one consequence");
    assert_eq!(s["cases_evidence_incomplete"], 1);
    assert_eq!(s["rejected_without_case"], 0);
    assert_eq!(s["violations_by_kind"], serde_json::json!({}));
    assert_eq!(code, 0, "no violation is established");
    // `--fail-on-rejected` still fails the run on the rejected row itself.
    let (code, _) = run(&[&[log, "--format", "json", "--fail-on-rejected"][..], &map].concat());
    assert_eq!(code, 2);

    // Text: the case is listed under its own heading, after the counted ones, in the
    // reader's language.
    let (_, text) = run(&[&[log, "--lang", "ru"][..], &map].concat());
    let heading = text
        .find("Дела с отклонённой собственной записью")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(text[heading..].contains("дело ЗЖ-2"), "{text}");
    assert!(text.contains("сведения неполны"), "{text}");
    assert!(text.contains("нарушений, выявленных по неполным сведениям, 1"));
    // CSV: every row marked.
    let (_, rows) = run(&[&[log, "--format", "csv"][..], &map].concat());
    let header: Vec<&str> = rows.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "evidence_incomplete")
        .unwrap();
    assert_eq!(header.last(), Some(&"message"));
    let marks: Vec<String> = (rows.lines().skip(1))
        .map(|l| l.split(',').nth(col).unwrap().to_string())
        .collect();
    assert_eq!(marks, ["true", "true"]);
    // HTML: a table of its own, and the main table empty.
    let (_, page) = run(&[&[log, "--format", "html", "--lang", "kk"][..], &map].concat());
    let own = page
        .find("id=\"evidence-incomplete\"")
        .expect("own section");
    assert_eq!(page[..own].matches("<tr data-provider=").count(), 0);
    assert_eq!(page[own..].matches("<tr data-provider=").count(), 2);
    assert!(page.contains("Толық емес мәліметтер бойынша анықталған бұзушылықтар"));
    let _ = std::fs::remove_file(csv);
}

fn read_csv(cat: &Catalog, text: &str) -> Log {
    let map = std::fs::read_to_string("maps/provider-export.json").unwrap();
    let mapping = formats::Mapping::parse("map.json", &map, cat).unwrap();
    let opts = formats::Options {
        format: Some(InputFormat::Csv),
        csv: formats::csv::CsvOptions {
            delimiter: Some(b';'),
            encoding: None,
        },
        workbook: formats::workbook::WorkbookOptions::default(),
        mapping: Some(mapping),
    };
    let mut r = Reader::new(cat);
    formats::read(&mut r, "gap.csv", text.as_bytes(), InputFormat::Csv, &opts).unwrap();
    r.finish()
}

/// The case that lost its row is left out of the compliance rates and the root causes
/// (it was shown as one of the worst cases): only the whole case is rated.
#[test]
fn issue_16_a_case_that_lost_a_row_is_not_rated() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let log = read_csv(&cat, &export_with_an_unreadable_date());
    assert!(log.account.is_balanced());
    assert_eq!((log.account.gaps.owned, log.account.gaps.unowned), (1, 0));
    let cases = Cases::from_log(&log, &cat);
    let report = reglament::check::run(&cat, &cal, log, &Options::default());
    let a = Aggregates::compute(&report, &cases);
    let survey = &a.compliance_by_service[0];
    assert_eq!((survey.compliant, survey.finished), (1, 1), "{survey:?}");
    assert!(a.root_causes.is_empty(), "{:?}", a.root_causes);
    let timelines = report::summary::timelines(&report, &cases, &cal, 10);
    assert!(timelines.is_empty(), "not drawn as a worst case");
}

fn jsonl_event(case: &str, step: &str, at: &str, started: Option<&str>) -> String {
    let started = started.map_or(String::new(), |s| format!(r#", "started": "{s}""#));
    format!(
        r#"{{"case": "{case}", "service": "zhambyl-2016-84-survey-licence", "step": "{step}", "at": "{at}", "channel": "state_corporation", "variant": "issue"{started}}}"#
    )
}

/// A clean survey case as JSON Lines, `sc_accept`'s start time left out when `desk` is
/// false.
fn survey_case(case: &str, desk: bool) -> Vec<String> {
    let steps = [
        ("sc_accept", "2016-06-01T10:00:00+06:00"),
        ("sc_forward", "2016-06-02T11:00:00+06:00"),
        ("p_register", "2016-06-02T11:15:00+06:00"),
        ("p_resolution", "2016-06-02T12:30:00+06:00"),
        ("p_executor_review", "2016-06-10T16:00:00+06:00"),
        ("p_commission", "2016-06-13T15:00:00+06:00"),
        ("p_protocol_approved", "2016-06-14T10:00:00+06:00"),
        ("p_prepare_result", "2016-06-15T10:00:00+06:00"),
        ("p_sign", "2016-06-16T10:00:00+06:00"),
        ("p_dispatch", "2016-06-17T10:00:00+06:00"),
        ("sc_issue", "2016-06-20T11:00:00+06:00"),
    ];
    let started = |step: &str| match step {
        "sc_accept" if desk => Some("2016-06-01T09:50:00+06:00"),
        "sc_accept" => None,
        "p_register" => Some("2016-06-02T11:00:00+06:00"),
        "sc_issue" => Some("2016-06-20T10:55:00+06:00"),
        _ => None,
    };
    (steps.iter())
        .map(|(s, at)| jsonl_event(case, s, at, started(s)))
        .collect()
}

/// Issue 16, "Limits that could not be measured": para 9 of seed 001 ("Мемлекеттік
/// корпорация қызметкері ұсынылған құжаттардың толықтығын тексереді. Қызмет алушыға
/// тиісті құжаттарды қабылдағаны туралы қолхат береді, 15 (он бес) минуттан аспайды")
/// times the acceptance at the desk, from the applicant's turn (`measured_from:
/// event_start`); on an acceptance without
/// `started` it was silently skipped, and the case counted in the step's histogram as
/// within its limit and in the compliance rate as keeping every hard limit. It is now
/// counted per rule set and step, said in one warning, and neither.
#[test]
fn issue_16_a_desk_time_without_its_start_is_not_shown_as_kept() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let mut lines = survey_case("desk-ok", true);
    lines.extend(survey_case("no-start-1", false));
    lines.extend(survey_case("no-start-2", false));
    let mut reader = Reader::new(&cat);
    reader.read_str("desk.jsonl", &lines.join("\n"));
    let log = reader.finish();
    let cases = Cases::from_log(&log, &cat);
    let report = reglament::check::run(&cat, &cal, log, &Options::default());
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    let r: Value = serde_json::from_str(&json(&report, reglament::i18n::Lang::En)).unwrap();
    assert_eq!(
        r["summary"]["limits_not_measured"],
        serde_json::json!([{
            "service": "zhambyl-2016-84-survey-licence",
            "rule_set": "zhambyl-2016-84-survey-licence",
            "step": "sc_accept",
            "ref": "9",
            "limit": {"value": 15, "unit": "minutes"},
            "cases": 2,
            "reason": "no_start_time"
        }])
    );
    let warnings: Vec<&str> = (r["warnings"].as_array().unwrap().iter())
        .filter_map(Value::as_str)
        .filter(|w| w.contains("not measured"))
        .collect();
    assert_eq!(
        warnings,
        [
            "zhambyl-2016-84-survey-licence: the 15 minutes limit of para 9 (step sc_accept) was not measured in 2 cases: no start time (the limit runs from the step's own start, which the event does not record)"
        ]
    );
    for (lang, words) in [
        (
            reglament::i18n::Lang::Ru,
            "не измерен в 2 делах: нет времени начала",
        ),
        (
            reglament::i18n::Lang::Kk,
            "2 істе өлшенбеді: басталу уақыты жоқ",
        ),
    ] {
        let j = json(&report, lang);
        assert!(j.contains(words), "{j}");
    }
    let a = Aggregates::compute(&report, &cases);
    let accept = (a.step_times.iter())
        .find(|s| s.step == "sc_accept" && s.cite == "9")
        .unwrap();
    assert_eq!((accept.reached, accept.not_measured), (3, 2));
    let survey = &a.compliance_by_service[0];
    assert_eq!(
        (survey.compliant, survey.finished),
        (1, 1),
        "only the measured case is rated"
    );
    // The HTML card says it, and its first bar counts only the measured case as within.
    let mut page = Vec::new();
    let lang = reglament::i18n::Catalog::new(reglament::i18n::Lang::En);
    report::html::write_report(&report, &cases, &cal, &lang, &mut page).unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("2 not measured"), "not shown");
}

fn json(r: &Report, lang: reglament::i18n::Lang) -> String {
    let mut out = Vec::new();
    report::json::write(r, &reglament::i18n::Catalog::new(lang), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A JSON Lines record is charged to its case whenever its case id can still be read,
/// whatever else is wrong with it, and the count is the same in any block size; a
/// record whose id cannot be read is counted as charged to no case.
#[test]
fn jsonl_rejections_keep_their_case_when_it_is_readable() {
    let cat = catalog();
    let lines = [
        // A bad time, a missing step, a mistyped optional field: the case is readable.
        jsonl_event("a", "sc_accept", "2016-06-31T10:00:00+06:00", None),
        r#"{"case": "b", "service": "zhambyl-2016-84-survey-licence", "at": "2016-06-01T10:00:00+06:00"}"#.into(),
        r#"{"case": "c", "service": "zhambyl-2016-84-survey-licence", "step": "sc_accept", "at": "2016-06-01T10:00:00+06:00", "ground": 5}"#.into(),
        // No service: the case id in every service.
        r#"{"case": "d", "step": "sc_accept", "at": "2016-06-01T10:00:00+06:00"}"#.into(),
        // Cut short, a number for a case id: not readable.
        r#"{"case": "e", "service": "zhambyl-2016-84-sur"#.into(),
        r#"{"case": 7, "service": "zhambyl-2016-84-survey-licence", "step": "x", "at": "bad"}"#.into(),
    ];
    let mut text = lines.join("\n").into_bytes();
    // Invalid UTF-8 in another field than the case id: readable.
    text.extend_from_slice(
        b"\n{\"case\": \"f\", \"service\": \"s\", \"step\": \"\xff\", \"at\": \"x\"}\n",
    );
    for (block, piece) in [(4 << 20, 128 << 10), (64, 16), (1, 1)] {
        let mut r = Reader::new(&cat).with_block_size(block, piece);
        r.read("g.jsonl", text.as_slice()).unwrap();
        let log = r.finish();
        let g = &log.account.gaps;
        assert!(log.account.is_balanced(), "{:?}", log.account);
        assert_eq!((g.owned, g.unowned, g.cases()), (5, 2, 5), "block {block}");
        let id = |c: &str| log.names.cases.get(c).unwrap();
        let survey = "zhambyl-2016-84-survey-licence";
        for c in ["a", "b", "c"] {
            assert!(g.contains(id(c), survey), "{c}");
            assert!(!g.contains(id(c), "other"), "{c}");
        }
        assert!(g.contains(id("d"), survey) && g.contains(id("d"), "other"));
        assert!(g.contains(id("f"), "s"));
        assert_eq!(log.names.cases.get("e"), None);
    }
}

fn stream_options() -> Options {
    Options {
        mode: Mode::Sequential,
        as_of: Some(AsOf::new(1_780_000_000_000)),
    }
}

/// With `--stream`, a case that lost an event to `out_of_order` is not judged on the gap:
/// its findings are `evidence_incomplete`. On time-ordered input with rejected rows, the
/// stream's report is the in-memory one, byte for byte.
#[test]
fn stream_marks_cases_that_lost_events_and_matches_memory() {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    // Time order; the commission's row has a bad date.
    let mut lines = survey_case("s-1", true);
    lines[5] = lines[5].replace("2016-06-13", "2016-06-31");
    let text = lines.join("\n");
    let memory = {
        let mut r = Reader::new(&cat).with_block_size(256, 128);
        r.read_str("t.jsonl", &text);
        reglament::check::run(&cat, &cal, r.finish(), &stream_options())
    };
    let streamed = |text: &str| {
        reglament::check::run_stream(&cat, &cal, &stream_options(), |on_block| {
            let mut r = Reader::new(&cat).with_block_size(256, 128);
            r.read_blocks("t.jsonl", text.as_bytes(), on_block).unwrap();
            r.finish()
        })
    };
    let en = reglament::i18n::Lang::En;
    assert!(!memory.violations.is_empty());
    assert!(memory.violations.iter().all(|v| v.evidence_incomplete));
    assert_eq!(json(&streamed(&text), en), json(&memory, en));

    // The executor's review recorded after the commission: rejected as out_of_order.
    let mut lines = survey_case("s-2", true);
    lines.swap(4, 5);
    let report = streamed(&lines.join("\n"));
    assert_eq!(report.summary.rejected_by_reason.len(), 1);
    assert!(!report.violations.is_empty());
    assert!(report.violations.iter().all(|v| v.evidence_incomplete));
    assert_eq!(report.summary.violations, 0);
    assert_eq!(report.summary.cases_evidence_incomplete, 1);
}

/// An XES event that is rejected is charged to its trace's case.
#[test]
fn xes_rejections_keep_their_trace_case() {
    let cat = catalog();
    let xes = r#"<log><trace><string key="concept:name" value="x-1"/><string key="service" value="zhambyl-2016-84-survey-licence"/>
<event><string key="concept:name" value="sc_accept"/><date key="time:timestamp" value="not a time"/></event>
<event><string key="concept:name" value="sc_forward"/><date key="time:timestamp" value="2016-06-02T11:00:00+06:00"/><string key="lifecycle:transition" value="suspend"/></event>
</trace></log>"#;
    let mut r = Reader::new(&cat);
    let opts = formats::Options::default();
    formats::read(&mut r, "t.xes", xes.as_bytes(), InputFormat::Xes, &opts).unwrap();
    let log = r.finish();
    assert_eq!(log.account.rejected_total, 2, "{:?}", log.account.rejected);
    let g = &log.account.gaps;
    assert_eq!((g.owned, g.unowned), (2, 0));
    let id = log.names.cases.get("x-1").unwrap();
    assert!(g.contains(id, "zhambyl-2016-84-survey-licence"));
}

/// A CSV row cut short (fewer fields than the header) or with a field that is not UTF-8
/// is charged to the case its case column names; a row too long to keep is not.
#[test]
fn csv_rejections_keep_their_case_when_its_column_is_readable() {
    let cat = catalog();
    let head = "case,service,step,at\n";
    let text = format!(
        "{head}r-1,zhambyl-2016-84-survey-licence,sc_accept\nr-2,zhambyl-2016-84-survey-licence,\u{0}x,2016-06-01T10:00:00+06:00,extra\n"
    );
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"r-3,zhambyl-2016-84-survey-licence,\xff,2016-06-01T10:00:00+06:00\n");
    bytes.extend_from_slice(
        b"\xff,zhambyl-2016-84-survey-licence,sc_accept,2016-06-01T10:00:00+06:00\n",
    );
    let mut r = Reader::new(&cat);
    let opts = formats::Options::default();
    formats::read(&mut r, "t.csv", bytes.as_slice(), InputFormat::Csv, &opts).unwrap();
    let log = r.finish();
    assert_eq!(log.account.rejected_total, 4, "{:?}", log.account.rejected);
    assert!(log.account.is_balanced());
    let g = &log.account.gaps;
    assert_eq!((g.owned, g.unowned), (3, 1));
    for c in ["r-1", "r-2", "r-3"] {
        let id = log.names.cases.get(c).unwrap();
        assert!(g.contains(id, "zhambyl-2016-84-survey-licence"), "{c}");
    }
}

/// `--fail-on hard` does not fail on a hard finding on incomplete evidence either.
#[test]
fn fail_on_hard_ignores_findings_on_incomplete_evidence() {
    let csv = temp("hard.csv", &export_with_an_unreadable_date());
    let log = csv.to_str().unwrap();
    let args = [
        log,
        "--map",
        "maps/provider-export.json",
        "--fail-on",
        "hard",
    ];
    let (code, _) = run(&args);
    assert_eq!(code, 0);
    let _ = std::fs::remove_file(csv);
}
