//! Hostile CSV and XES input: each is read without a panic, every record is accepted or
//! rejected with its position, field and reason, and `records == events + rejected`.

use reglament::log::formats::{self, InputFormat, Mapping, Options, csv::CsvOptions};
use reglament::log::{Log, Reader};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::time::Instant;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// Reads `bytes`; returns the log and the error that ended the file, if any.
fn read_with(bytes: &[u8], format: InputFormat, opts: &Options) -> (Log, Option<String>) {
    let cat = catalog();
    let mut r = Reader::new(&cat);
    let err = formats::read(&mut r, "t", bytes, format, opts)
        .err()
        .map(|e| e.to_string());
    let log = r.finish();
    assert!(log.account.is_balanced(), "{:?}", log.account);
    (log, err)
}

fn read(bytes: &[u8], format: InputFormat) -> (Log, Option<String>) {
    read_with(bytes, format, &Options::default())
}

const S: &str = "zhambyl-2016-84-survey-licence";

fn steps(log: &Log) -> Vec<&str> {
    log.events
        .iter()
        .map(|e| log.names.steps.name(e.step))
        .collect()
}

/// Quoted fields hold delimiters and quotes; a line end only in a column the check does
/// not read (`comment`): in one it reads, it is taken for a stray quote (issue 20, see
/// tests/hostile_round2.rs).
#[test]
fn csv_quoted_fields_may_hold_delimiters_quotes_and_line_ends() {
    let text = format!(
        "case,service,step,at,provider,comment\n\
         c1,{S},sc_accept,2016-06-01T10:00:00+06:00,\"Office, \"\"North\"\"\",\"first\nsecond line\"\n\
         c1,{S},sc_forward,2016-06-02T10:00:00+06:00,x,\n"
    );
    let (log, err) = read(text.as_bytes(), InputFormat::Csv);
    assert_eq!(err, None);
    assert_eq!(log.account.events, 2);
    assert_eq!(
        log.names.providers.name(log.events[0].provider),
        "Office, \"North\""
    );
    // The second record starts on line 4: the quoted line end is inside record 1.
    assert_eq!((log.events[0].line, log.events[1].line), (2, 4));
}

#[test]
fn csv_bom_crlf_and_blank_lines_are_accepted() {
    let text =
        format!("\u{FEFF}case;service;step;at\r\n\r\nc1;{S};sc_accept;2016-06-01 10:00:00\r\n");
    let (log, err) = read(text.as_bytes(), InputFormat::Csv);
    assert_eq!(err, None);
    assert_eq!((log.account.lines, log.account.events), (1, 1));
    assert_eq!(log.names.cases.name(0), "c1");
}

/// Lines are counted as an editor shows them whatever the line-end style: `\n`, `\r\n`
/// and a bare `\r` (old Mac exports) give each record its own line number; with bare `\r`
/// every record was reported on line 1 (review of issue 9).
#[test]
fn csv_lines_are_counted_in_every_line_end_style() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "case;service;step;at".to_string(),
            String::new(),
            format!("c1;{S};sc_accept;2016-06-01 10:00:00"),
            format!("c1;{S};no_such_step;2016-06-01 10:05:00"),
            format!("c1;{S};sc_accept;not a time"),
        ]
        .join(end);
        let (log, err) = read(text.as_bytes(), InputFormat::Csv);
        assert_eq!(err, None, "{end:?}");
        let lines: Vec<u64> = log.events.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4], "{end:?}");
        let rejected: Vec<u64> = log.account.rejected.iter().map(|r| r.line).collect();
        assert_eq!(rejected, [5], "{end:?}");
    }
}

#[test]
fn csv_a_huge_record_is_rejected_and_the_next_one_read() {
    let big = "x".repeat(3 << 20);
    let text = format!(
        "case,service,step,at\nc1,{S},\"{big}\",2016-06-01T10:00:00Z\nc2,{S},sc_accept,2016-06-01T10:00:00Z\n"
    );
    let (log, err) = read(text.as_bytes(), InputFormat::Csv);
    assert_eq!(err, None);
    assert_eq!((log.account.lines, log.account.events), (2, 1));
    let r = &log.account.rejected[0];
    assert_eq!(r.line, 2);
    assert!(
        r.detail
            .starts_with("record 1: record is longer than the limit"),
        "{}",
        r.detail
    );
    assert_eq!(log.events[0].line, 3);
}

#[test]
fn csv_invalid_utf8_rejects_the_record_naming_the_column() {
    let mut bytes = format!("case,service,step,at\nc1,{S},").into_bytes();
    bytes.extend_from_slice(b"sc_\xFFaccept,2016-06-01T10:00:00Z\n");
    bytes.extend_from_slice(format!("c2,{S},sc_accept,2016-06-01T10:00:00Z\n").as_bytes());
    let (log, err) = read(&bytes, InputFormat::Csv);
    assert_eq!(err, None);
    assert_eq!(log.account.events, 1);
    let r = &log.account.rejected[0];
    assert_eq!((r.line, r.field.as_deref()), (2, Some("step")));
    assert!(r.detail.contains("not valid UTF-8"), "{}", r.detail);
}

#[test]
fn csv_windows_1251_is_decoded_when_announced() {
    let text = format!("case;service;step;at\nc1;{S};Прием заявления;01.06.2016 10:00\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let opts = Options {
        csv: CsvOptions {
            encoding: Some(encoding_rs::WINDOWS_1251),
            delimiter: Some(b';'),
        },
        ..Options::default()
    };
    let (log, _) = read_with(&bytes, InputFormat::Csv, &opts);
    // The time has no known format without a mapping: rejected, but the name is read.
    assert_eq!(log.account.rejected[0].field.as_deref(), Some("at"));
    let text = format!("case;service;step;at\nc1;{S};Прием заявления;2016-06-01 10:00:00\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let (log, _) = read_with(&bytes, InputFormat::Csv, &opts);
    assert_eq!(steps(&log), ["Прием заявления"]);
}

#[test]
fn csv_without_the_required_columns_is_unreadable() {
    let (log, err) = read(
        b"id,activity,time\n1,a,2016-06-01T10:00:00Z\n",
        InputFormat::Csv,
    );
    let err = err.unwrap();
    assert!(err.contains("header has no column \"case\""), "{err}");
    assert!(err.contains("--map"), "{err}");
    assert_eq!(log.account.lines, 0);
    let (_, err) = read(b"", InputFormat::Csv);
    assert!(err.unwrap().contains("no header row"));
}

#[test]
fn csv_a_missing_field_and_a_bad_time_are_rejected_with_their_field() {
    let text = format!(
        "case,service,step,at\n,{S},sc_accept,2016-06-01T10:00:00Z\nc2,{S},sc_accept,yesterday\nc3,{S},,2016-06-01T10:00:00Z\n"
    );
    // (A row of fewer fields than the header is a `syntax` rejection, with no field:
    // `csv_records_with_more_or_fewer_fields_than_the_header_are_rejected`.)
    let (log, _) = read(text.as_bytes(), InputFormat::Csv);
    let got: Vec<(u64, Option<&str>)> = log
        .account
        .rejected
        .iter()
        .map(|r| (r.line, r.field.as_deref()))
        .collect();
    assert_eq!(got, [(2, Some("case")), (3, Some("at")), (4, Some("step"))]);
    assert!(log.account.rejected[1].detail.starts_with("record 2: "));
}

fn event(step: &str, at: &str) -> String {
    format!(
        "<event><string key=\"concept:name\" value=\"{step}\"/><date key=\"time:timestamp\" value=\"{at}\"/></event>"
    )
}

fn xes_log(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<log>\n<trace><string key=\"concept:name\" value=\"c1\"/><string key=\"service\" value=\"{S}\"/>\n{body}\n</trace>\n</log>\n"
    )
}

#[test]
fn xes_entities_are_never_expanded() {
    let mut dtd = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE log [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>\n");
    let body = format!(
        "{}\n{}",
        event("&lol9;", "2016-06-01T10:00:00Z"),
        event("sc_accept", "2016-06-01T10:00:00Z")
    );
    let text = format!("{dtd}{}", xes_log(&body).split_once('\n').unwrap().1);
    let t = Instant::now();
    let (log, err) = read(text.as_bytes(), InputFormat::Xes);
    assert!(t.elapsed().as_secs() < 5, "entity expansion");
    assert_eq!(err, None);
    assert_eq!(steps(&log), ["sc_accept"]);
    let r = &log.account.rejected[0];
    assert_eq!(r.field.as_deref(), Some("concept:name"));
    assert!(
        r.detail
            .starts_with("trace 1, event 1: attribute value cannot be read"),
        "{}",
        r.detail
    );
}

#[test]
fn xes_deep_nesting_is_read_without_recursion() {
    let depth = 200_000;
    let deep = format!(
        "{}{}",
        "<list key=\"x\">".repeat(depth),
        "</list>".repeat(depth)
    );
    let body = format!(
        "<event><string key=\"concept:name\" value=\"sc_accept\"/>{deep}<date key=\"time:timestamp\" value=\"2016-06-01T10:00:00Z\"/></event>"
    );
    let (log, err) = read(xes_log(&body).as_bytes(), InputFormat::Xes);
    assert_eq!(err, None);
    assert_eq!(steps(&log), ["sc_accept"]);
}

#[test]
fn xes_a_huge_event_is_rejected_and_the_next_one_read() {
    let big = "y".repeat(2 << 20);
    let body = format!(
        "<event><string key=\"note\" value=\"{big}\"/><string key=\"concept:name\" value=\"a\"/></event>\n{}",
        event("sc_accept", "2016-06-01T10:00:00Z")
    );
    let (log, _) = read(xes_log(&body).as_bytes(), InputFormat::Xes);
    assert_eq!(steps(&log), ["sc_accept"]);
    assert!(
        log.account.rejected[0]
            .detail
            .contains("larger than the limit")
    );
}

#[test]
fn xes_invalid_utf8_ends_the_file_keeping_what_was_read() {
    let good = xes_log(&event("sc_accept", "2016-06-01T10:00:00Z"));
    let mut bytes = good.replace("</log>\n", "").into_bytes();
    bytes.extend_from_slice(b"<trace><string key=\"concept:name\" value=\"c\xFF2\"/>");
    bytes.extend_from_slice(event("sc_accept", "2016-06-01T10:00:00Z").as_bytes());
    bytes.extend_from_slice(b"</trace></log>\n");
    let (log, err) = read(&bytes, InputFormat::Xes);
    assert_eq!(log.account.events, 1);
    match err {
        // Either the reader stops at the bad bytes (the file is unreadable from there)...
        Some(e) => assert!(e.contains("line 6"), "{e}"),
        // ...or it rejects the trace's event for its unreadable case name.
        None => assert_eq!(log.account.rejected.len(), 1),
    }
}

#[test]
fn xes_broken_xml_keeps_earlier_traces_and_rejects_the_cut_one() {
    let good = xes_log(&event("sc_accept", "2016-06-01T10:00:00Z"));
    let text = format!(
        "{}<trace><string key=\"concept:name\" value=\"c2\"/>{}<event><string key=\"concept:name\" value=\"x\"></oops>",
        good.replace("</log>\n", ""),
        event("sc_accept", "2016-06-01T10:00:00Z")
    );
    let (log, err) = read(text.as_bytes(), InputFormat::Xes);
    assert!(err.unwrap().contains("XML is not well formed"));
    assert_eq!(log.account.events, 1);
    assert_eq!(log.account.rejected.len(), 2);
    assert!(
        log.account.rejected[0]
            .detail
            .contains("its trace is cut off")
    );
}

#[test]
fn xes_lifecycle_pairs_give_started_and_odd_transitions_are_rejected() {
    let ev = |t: &str, at: &str| {
        format!(
            "<event><string key=\"concept:name\" value=\"sc_accept\"/><string key=\"lifecycle:transition\" value=\"{t}\"/><date key=\"time:timestamp\" value=\"{at}\"/></event>"
        )
    };
    let body = [
        ev("start", "2016-06-01T09:50:00+06:00"),
        ev("complete", "2016-06-01T10:00:00+06:00"),
        ev("suspend", "2016-06-01T10:05:00+06:00"),
        ev("start", "2016-06-01T11:00:00+06:00"),
    ]
    .join("\n");
    let (log, _) = read(xes_log(&body).as_bytes(), InputFormat::Xes);
    assert_eq!(log.account.events, 1);
    assert_eq!(log.events[0].at - log.events[0].started, 10 * 60 * 1000);
    let reasons: Vec<&str> = log
        .account
        .rejected
        .iter()
        .map(|r| r.detail.as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("\"suspend\""));
    assert!(reasons[1].contains("no later complete"));
    // Records: the pair is one, the suspend and the lone start one each.
    assert_eq!(log.account.lines, 3);
}

#[test]
fn xes_an_event_outside_a_trace_is_rejected() {
    let text = format!("<log>{}</log>", event("sc_accept", "2016-06-01T10:00:00Z"));
    let (log, err) = read(text.as_bytes(), InputFormat::Xes);
    assert_eq!(err, None);
    assert_eq!(log.account.rejected.len(), 1);
    assert!(
        log.account.rejected[0]
            .detail
            .contains("outside any <trace>")
    );
}

#[test]
fn a_mapping_error_names_the_json_pointer() {
    let cat = catalog();
    let bad = format!(r#"{{"steps": {{"{S}": {{"no_such_step": ["Шаг"]}}}}}}"#);
    let e = Mapping::parse("m.json", &bad, &cat).unwrap_err();
    assert_eq!(
        e[0].to_string(),
        format!("m.json: /steps/{S}/no_such_step: rule set {S} has no step \"no_such_step\"")
    );
    let e = Mapping::parse("m.json", r#"{"fields": {"case": 3}}"#, &cat).unwrap_err();
    assert_eq!(e[0].pointer, "/fields/case");
    let twice =
        format!(r#"{{"steps": {{"{S}": {{"sc_accept": ["Прием"], "sc_forward": ["ПРИЕМ "]}}}}}}"#);
    let e = Mapping::parse("m.json", &twice, &cat).unwrap_err();
    assert_eq!(e[0].pointer, format!("/steps/{S}/sc_forward/0"));
    let e = Mapping::parse("m.json", r#"{"time": {"zone": "Asia/Nowhere"}}"#, &cat).unwrap_err();
    assert_eq!(e[0].pointer, "/time/zone");
}

#[test]
fn an_unmapped_activity_stays_as_the_source_wrote_it() {
    let cat = catalog();
    let map = format!(
        r#"{{"service": "{S}", "fields": {{"case": "№", "step": "Действие", "at": "Дата"}},
        "steps": {{"{S}": {{"sc_accept": ["Прием документов"]}}}}, "time": {{"formats": ["%d.%m.%Y %H:%M"]}}}}"#
    );
    let opts = Options {
        mapping: Some(Mapping::parse("m.json", &map, &cat).unwrap()),
        ..Options::default()
    };
    let text = "№;Действие;Дата\n1; прием ДОКУМЕНТОВ ;01.06.2016 10:00\n1;Архивирование;02.06.2016 10:00\n";
    let (log, err) = read_with(text.as_bytes(), InputFormat::Csv, &opts);
    assert_eq!(err, None);
    assert_eq!(steps(&log), ["sc_accept", "Архивирование"]);
    assert_eq!(log.names.services.name(log.events[0].service), S);
    // 10:00 in Almaty (UTC+6 in 2016).
    assert_eq!(log.events[0].at, 1_464_753_600_000);
}

#[test]
fn xes_in_windows_1251_is_decoded_when_announced() {
    let text = xes_log(&event("Прием заявления", "2016-06-01T10:00:00Z")).replace(
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"windows-1251\"?>",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    // Undeclared, the Cyrillic bytes are not UTF-8: the file is unreadable from there.
    let (_, err) = read(&bytes, InputFormat::Xes);
    assert!(err.unwrap().contains("UTF-8"));
    let opts = Options {
        csv: CsvOptions {
            encoding: Some(encoding_rs::WINDOWS_1251),
            delimiter: None,
        },
        ..Options::default()
    };
    let (log, err) = read_with(&bytes, InputFormat::Xes, &opts);
    assert_eq!(err, None);
    assert_eq!(steps(&log), ["Прием заявления"]);
}
