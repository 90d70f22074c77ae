//! Golden spec cases: `tests/spec/NN-topic.json`. Each file is a chapter that pins down
//! one part of the semantics with its own small rule set, a fixed `as_of`, and cases of
//! `[events, expected findings]` (`[kind, step, ref, deadline?, caused_by?]`, and the
//! case's count of root findings in `violations`, of cases judged under an edition that
//! may not have applied in `validity_uncertain`, and the reason codes of the cases not
//! judged (no edition encoded for their first day) in `not_judged`, when given). Anyone can add a case
//! without writing Rust.
//!
//! A case may say whose records its log holds (`records`: recorder codes, as a mapping's
//! `records`; default all). A case may carry a `note`, a `question` (a legal ambiguity, citing its paragraph: the
//! expected output is the choice made) or a `bug` (a known deviation: `expect` holds the
//! intended output, the case is expected to fail, and fails the run once it passes, so
//! the note gets removed). Optional case fields, checked when given (issue 16):
//! `severities` (the severity of each finding, in order), `open_no_deadline` and
//! `waiting_for_applicant` (the stopping steps of the open cases listed so). Every failure is reported as `file:line [chapter/case] |
//! expected | got`; the runner keeps going, and a panic counts as a failure.

use reglament::calendar::Calendar;
use reglament::check::{AsOf, Mode, Options, run};
use reglament::log::Reader;
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use serde_json::Value;
use std::path::Path;

/// One expected finding: kind, step, ref, (optionally) deadline and (optionally, as a
/// fifth element) `caused_by`: `null` for a root, else the index of its root.
type Expected = (String, String, String, Option<String>, Option<Value>);

fn expected(v: &Value) -> Vec<Expected> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let s = |i: usize| f.get(i).and_then(Value::as_str).unwrap_or("").to_string();
                    (
                        s(0),
                        s(1),
                        s(2),
                        f.get(3).and_then(Value::as_str).map(str::to_string),
                        f.get(4).cloned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The events of a case as JSON Lines: `[step, at]`, `[step, at, {extra fields}]`, or a
/// full object; case and service are filled in.
fn lines(case: &str, service: &str, events: &Value) -> String {
    let mut out = String::new();
    for e in events.as_array().into_iter().flatten() {
        let mut obj = match e {
            Value::Array(a) => {
                let mut o = serde_json::Map::new();
                o.insert("step".into(), a.first().cloned().unwrap_or(Value::Null));
                o.insert("at".into(), a.get(1).cloned().unwrap_or(Value::Null));
                if let Some(Value::Object(extra)) = a.get(2) {
                    o.extend(extra.clone());
                }
                o
            }
            Value::Object(o) => o.clone(),
            _ => continue,
        };
        obj.entry("case").or_insert_with(|| case.into());
        obj.entry("service").or_insert_with(|| service.into());
        out.push_str(&Value::Object(obj).to_string());
        out.push('\n');
    }
    out
}

/// What a case's report lists besides its findings (issue 16), checked when the case
/// gives the field.
#[derive(Debug)]
struct Listed {
    severities: Vec<String>,
    open_no_deadline: Vec<String>,
    waiting_for_applicant: Vec<String>,
}

impl Listed {
    fn matches(&self, case: &Value) -> bool {
        let same = |field: &str, got: &[String]| {
            case.get(field).is_none_or(|want| {
                let want: Vec<&str> = (want.as_array().into_iter().flatten())
                    .filter_map(Value::as_str)
                    .collect();
                want == got.iter().map(String::as_str).collect::<Vec<_>>()
            })
        };
        same("severities", &self.severities)
            && same("open_no_deadline", &self.open_no_deadline)
            && same("waiting_for_applicant", &self.waiting_for_applicant)
    }
}

/// The stopping steps of listed open cases.
fn steps(list: &[reglament::engine::Stopped]) -> Vec<String> {
    list.iter().map(|s| s.step.clone()).collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

fn run_chapter(path: &Path, calendar: &Calendar, failures: &mut Vec<String>) -> usize {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            failures.push(format!("{file}:{} [-] | valid JSON | {e}", e.line()));
            return 0;
        }
    };
    let chapter = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
    assert!(
        doc["doc"].as_str().is_some_and(|d| !d.is_empty()),
        "{file}: every chapter says what it pins down in `doc`"
    );
    let rules = doc["rules"].to_string();
    let service = doc["rules"]["id"].as_str().unwrap_or("").to_string();
    let schema = Schema::bundled().unwrap();
    let catalog = match load::load(
        &RulesSource::Inline(vec![(format!("{file}#/rules"), rules)]),
        &schema,
    )
    .map(Catalog::compile)
    {
        Ok(Ok(c)) => c,
        Ok(Err(e)) | Err(e) => {
            failures.push(format!(
                "{file}:{} [{chapter}] | a valid rule set | {}",
                line_of(&text, "\"rules\""),
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            return 0;
        }
    };
    let as_of = doc["as_of"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp_millis());
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let line = line_of(&text, &format!("\"name\": \"{name}\""));
        let want = expected(&case["expect"]);
        let got = std::panic::catch_unwind(|| {
            // `records`: whose records the case's log holds (default: every recorder's).
            let records = case["records"].as_array().map(|a| {
                let codes: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                reglament::rules::recorder::Recorders::parse(&codes).unwrap()
            });
            let mut reader = Reader::new(&catalog).with_records(records.unwrap_or_default());
            reader.read_str(
                &format!("{chapter}/{name}"),
                &lines(name, &service, &case["events"]),
            );
            let options = Options {
                mode: Mode::Sequential,
                as_of: as_of.map(AsOf::new),
            };
            let report = run(&catalog, calendar, reader.finish(), &options);
            let rejected: Vec<String> = report.rejected.iter().map(|r| r.reason.clone()).collect();
            assert!(rejected.is_empty(), "events rejected: {rejected:?}");
            let found = report
                .violations
                .iter()
                .map(|v| {
                    let deadline = v.deadline.map(|d| d.to_iso());
                    (
                        v.kind.as_str().to_string(),
                        v.step.clone().unwrap_or_default(),
                        v.cite.clone().unwrap_or_default(),
                        deadline,
                        Some(v.caused_by.map_or(Value::Null, Value::from)),
                    )
                })
                .collect::<Vec<Expected>>();
            let uncertain = report.summary.cases_validity_uncertain;
            let unjudged: Vec<String> = (report.not_judged.iter())
                .map(|n| n.reason.as_str().to_string())
                .collect();
            let listed = Listed {
                severities: (report.violations.iter())
                    .map(|v| v.severity.as_str().to_string())
                    .collect(),
                open_no_deadline: steps(&report.open_no_deadline),
                waiting_for_applicant: steps(&report.waiting_for_applicant),
            };
            (
                found,
                report.summary.violations,
                (uncertain, unjudged),
                listed,
            )
        });
        let (got, counted, (uncertain, unjudged), listed) = match got {
            Ok(g) => g,
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!(
                    "{file}:{line} [{chapter}/{name}] | {want:?} | panic: {msg}"
                ));
                continue;
            }
        };
        // A deadline or `caused_by` in `expect` is checked; one left out is not. A case's
        // `violations`, when given, is the report's count of root findings.
        let matches = got.len() == want.len()
            && got.iter().zip(&want).all(|(g, w)| {
                g.0 == w.0
                    && g.1 == w.1
                    && g.2 == w.2
                    && (w.3.is_none() || g.3 == w.3)
                    && (w.4.is_none() || g.4 == w.4)
            })
            && case["violations"].as_u64().is_none_or(|n| n == counted)
            && case["validity_uncertain"]
                .as_u64()
                .is_none_or(|n| n == uncertain)
            && case
                .get("not_judged")
                .is_none_or(|n| *n == Value::from(unjudged.clone()))
            && listed.matches(case);
        match (case.get("bug"), matches) {
            (None, false) => failures.push(format!("{file}:{line} [{chapter}/{name}] | {want:?}, violations {}, validity_uncertain {}, not_judged {}, severities {}, open_no_deadline {}, waiting_for_applicant {} | {got:?}, violations {counted}, validity_uncertain {uncertain}, not_judged {unjudged:?}, {listed:?}", case["violations"], case["validity_uncertain"], case["not_judged"], case["severities"], case["open_no_deadline"], case["waiting_for_applicant"])),
            (Some(why), true) => failures.push(format!("{file}:{line} [{chapter}/{name}] | still a bug ({why}) | passes now: remove the `bug` note")),
            _ => {}
        }
    }
    cases.len()
}

#[test]
fn spec() {
    let calendar = Calendar::kazakhstan().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no chapters in {}", dir.display());
    let mut failures = Vec::new();
    let mut cases = 0;
    for f in &files {
        cases += run_chapter(f, &calendar, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} spec cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("spec: {cases} cases in {} chapters", files.len());
}
