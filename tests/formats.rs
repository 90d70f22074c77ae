//! The same log in every format gives the same findings: each bundled `logs/*.jsonl` is
//! written in the test as CSV with our header, CSV in a provider's words read through a
//! mapping (Russian columns and names, `dd.mm.yyyy` local times, spreadsheet serial
//! dates, semicolons, case changes), XES with lifecycle start/complete pairs, and XES
//! gzipped; every one must give the JSON Lines findings, and account for every record.

use chrono::{DateTime, NaiveDate};
use reglament::calendar::Calendar;
use reglament::log::formats::{self, InputFormat, Mapping, Options};
use reglament::log::{Log, NO_TIME, NONE, Reader};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use serde_json::Value;
use std::io::Write;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// The violations of a report without their position (file and line differ by format),
/// sorted, and the number of events.
fn findings(cat: &Catalog, log: Log) -> (Vec<String>, u64) {
    assert!(log.account.is_balanced(), "{:?}", log.account);
    assert!(
        log.account.unreadable.is_empty(),
        "{:?}",
        log.account.unreadable
    );
    let events = log.account.events;
    let cal = Calendar::kazakhstan().unwrap();
    let options = reglament::check::Options {
        mode: reglament::check::Mode::default(),
        as_of: Some(reglament::check::AsOf::new(1_900_000_000_000)),
    };
    let report = reglament::check::run(cat, &cal, log, &options);
    let mut out = Vec::new();
    let lang = reglament::i18n::Catalog::new(reglament::i18n::Lang::En);
    reglament::report::json::write(&report, &lang, &mut out).unwrap();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let mut v: Vec<String> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let o = f.as_object_mut().unwrap();
            o.remove("file");
            o.remove("line");
            f.to_string()
        })
        .collect();
    v.sort();
    (v, events)
}

fn read(cat: &Catalog, name: &str, bytes: &[u8], format: InputFormat, opts: &Options) -> Log {
    let mut r = Reader::new(cat);
    formats::read(&mut r, name, bytes, format, opts).unwrap();
    r.finish()
}

fn utc(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The zone of a service, if a rule set has it.
fn zone(cat: &Catalog, service: &str) -> Option<chrono_tz::Tz> {
    cat.editions(service)
        .and_then(|e| e.first())
        .map(|&i| cat.sets[i].tz)
}

fn has_step(cat: &Catalog, service: &str, step: &str) -> bool {
    cat.editions(service).is_some_and(|e| {
        e.iter()
            .any(|&i| cat.sets[i].rules.steps.iter().any(|s| s.id == step))
    })
}

/// One event as strings: case, service, step, at, started, channel, variant, provider, ground.
fn rows(log: &Log) -> Vec<[String; 9]> {
    let n = &log.names;
    let opt = |i: &reglament::log::Interner, id: u32| {
        if id == NONE {
            String::new()
        } else {
            i.name(id).to_string()
        }
    };
    log.events
        .iter()
        .map(|e| {
            [
                n.cases.name(e.case).to_string(),
                n.services.name(e.service).to_string(),
                n.steps.name(e.step).to_string(),
                utc(e.at),
                if e.started == NO_TIME {
                    String::new()
                } else {
                    utc(e.started)
                },
                opt(&n.channels, e.channel),
                opt(&n.variants, e.variant),
                opt(&n.providers, e.provider),
                opt(&n.grounds, e.ground),
            ]
        })
        .collect()
}

const OURS: [&str; 9] = [
    "case", "service", "step", "at", "started", "channel", "variant", "provider", "ground",
];

fn csv_ours(rows: &[[String; 9]]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(OURS).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// The provider's words: Russian columns, renamed services and steps (known ones only:
/// an unknown step stays as it is, and must stay an `unknown_step`), local times.
fn csv_mapped(cat: &Catalog, rows: &[[String; 9]]) -> (Vec<u8>, String) {
    let cols = [
        "Номер заявки",
        "Услуга",
        "Действие",
        "Дата",
        "Начало",
        "Канал",
        "Вид",
        "Услугодатель",
        "Основание",
    ];
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(cols).unwrap();
    let mut services = serde_json::Map::new();
    let mut steps: serde_json::Map<String, Value> = serde_json::Map::new();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for (i, r) in rows.iter().enumerate() {
        let mut out = r.clone();
        let tz = zone(cat, &r[1]);
        if tz.is_some() {
            out[1] = format!("Услуга «{}»", r[1]);
            services.insert(r[1].clone(), serde_json::json!([out[1].clone()]));
        }
        if has_step(cat, &r[1], &r[2]) {
            let name = format!("Действие {}", r[2]);
            let by = steps
                .entry(r[1].clone())
                .or_insert_with(|| serde_json::json!({}));
            by[&r[2]] = serde_json::json!([name.clone()]);
            out[2] = if i % 2 == 0 {
                name.to_uppercase()
            } else {
                format!("  {name} ")
            };
        }
        if let Some(tz) = tz {
            let local = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&tz);
            out[3] = local(&r[3]).format("%d.%m.%Y %H:%M:%S%.3f").to_string();
            if !r[4].is_empty() {
                let ms = (local(&r[4]).naive_local() - epoch).num_milliseconds();
                out[4] = format!("{:.10}", ms as f64 / 86_400_000.0);
            }
        }
        w.write_record(&out).unwrap();
    }
    let fields: serde_json::Map<String, Value> = OURS
        .iter()
        .zip(cols)
        .map(|(o, c)| (o.to_string(), Value::from(c)))
        .collect();
    let mapping = serde_json::json!({
        "$schema": "../maps/mapping.schema.json",
        "fields": fields,
        "services": services,
        "steps": steps,
        "time": {"formats": ["%d.%m.%Y %H:%M:%S%.3f"], "serial_dates": true}
    });
    (w.into_inner().unwrap(), mapping.to_string())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XES: one trace per case and service, in order of first appearance; `started` as a
/// lifecycle start event before its complete.
fn xes(rows: &[[String; 9]]) -> Vec<u8> {
    type Row = [String; 9];
    let mut traces: Vec<((String, String), Vec<&Row>)> = Vec::new();
    for r in rows {
        let key = (r[0].clone(), r[1].clone());
        match traces.iter_mut().find(|(k, _)| *k == key) {
            Some((_, evs)) => evs.push(r),
            None => traces.push((key, vec![r])),
        }
    }
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\">\n",
    );
    let attr = |x: &mut String, kind: &str, k: &str, v: &str| {
        if !v.is_empty() {
            x.push_str(&format!("    <{kind} key=\"{k}\" value=\"{}\"/>\n", esc(v)));
        }
    };
    for ((case, service), evs) in &traces {
        x.push_str("  <trace>\n");
        attr(&mut x, "string", "concept:name", case);
        attr(&mut x, "string", "service", service);
        for r in evs {
            if !r[4].is_empty() {
                x.push_str("   <event>\n");
                attr(&mut x, "string", "concept:name", &r[2]);
                attr(&mut x, "string", "lifecycle:transition", "start");
                attr(&mut x, "date", "time:timestamp", &r[4]);
                x.push_str("   </event>\n");
            }
            x.push_str("   <event>\n");
            attr(&mut x, "string", "concept:name", &r[2]);
            attr(&mut x, "date", "time:timestamp", &r[3]);
            for (i, k) in [
                (5, "channel"),
                (6, "variant"),
                (7, "provider"),
                (8, "ground"),
            ] {
                attr(&mut x, "string", k, &r[i]);
            }
            x.push_str("   </event>\n");
        }
        x.push_str("  </trace>\n");
    }
    x.push_str("</log>\n");
    x.into_bytes()
}

#[test]
fn every_bundled_log_gives_the_same_findings_in_every_format() {
    let cat = catalog();
    let plain = Options::default();
    for (name, text) in reglament::rules::load::bundled_logs() {
        let mut r = Reader::new(&cat);
        r.read_str(name, text);
        let jsonl = r.finish();
        let rows = rows(&jsonl);
        let expected = findings(&cat, jsonl);
        assert!(!expected.0.is_empty(), "{name}: no findings to compare");

        let ours = read(&cat, "t.csv", &csv_ours(&rows), InputFormat::Csv, &plain);
        assert_eq!(findings(&cat, ours), expected, "{name} as CSV");

        let (bytes, mapping) = csv_mapped(&cat, &rows);
        let opts = Options {
            mapping: Some(Mapping::parse("map.json", &mapping, &cat).unwrap()),
            ..Options::default()
        };
        let mapped = read(&cat, "t.csv", &bytes, InputFormat::Csv, &opts);
        assert_eq!(findings(&cat, mapped), expected, "{name} as mapped CSV");

        let x = xes(&rows);
        let log = read(&cat, "t.xes", &x, InputFormat::Xes, &plain);
        assert_eq!(findings(&cat, log), expected, "{name} as XES");

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&x).unwrap();
        let gz = gz.finish().unwrap();
        let decoder = std::io::BufReader::new(flate2::bufread::MultiGzDecoder::new(&gz[..]));
        let mut r = Reader::new(&cat);
        formats::read(&mut r, "t.xes.gz", decoder, InputFormat::Xes, &plain).unwrap();
        assert_eq!(findings(&cat, r.finish()), expected, "{name} as XES.gz");
    }
}

#[test]
fn the_format_comes_from_the_extension_after_gz() {
    let f = |p: &str| InputFormat::of_path(std::path::Path::new(p));
    assert_eq!(f("a/b.csv"), InputFormat::Csv);
    assert_eq!(f("b.CSV.gz"), InputFormat::Csv);
    assert_eq!(f("b.xes.gz"), InputFormat::Xes);
    assert_eq!(f("b.xes"), InputFormat::Xes);
    assert_eq!(f("b.jsonl.gz"), InputFormat::Jsonl);
    assert_eq!(f("-"), InputFormat::Jsonl);
}
