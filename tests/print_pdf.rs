//! Issue 19, printing: the HTML report of the bundled logs printed to an A4 PDF through
//! headless Chromium (`scripts/html-print.sh`, which installs Chromium and poppler-utils
//! when missing) carries every violation's facts: its deadline and its `file:line` are
//! found in the PDF's text, in Russian and in Kazakh, and every page names the report
//! and numbers itself.

mod common;

use reglament::engine::Deadline;
use reglament::i18n::{Catalog, Lang};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const AS_OF: &str = "2016-08-01T00:00:00+06:00";

/// Prints the report in `lang` and returns the PDF's text, with all whitespace runs
/// (pdftotext's line breaks and column padding) folded to single spaces.
fn printed(lang: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir =
        std::env::temp_dir().join(format!("reglament-print-{}-{lang}", std::process::id()));
    let status = Command::new(root.join("scripts/html-print.sh"))
        .current_dir(root)
        .env("REGLAMENT", env!("CARGO_BIN_EXE_reglament"))
        .env("REPORT_LANG", lang)
        .env("OUT_DIR", &out_dir)
        .env("AS_OF", AS_OF)
        .status()
        .expect("run scripts/html-print.sh");
    assert!(status.success(), "scripts/html-print.sh failed: {status}");
    let text = std::fs::read_to_string(out_dir.join(format!("report-{lang}.txt"))).unwrap();
    let _ = std::fs::remove_dir_all(&out_dir);
    fold(&text)
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The deadline of a JSON violation as the report writes it in `cat`'s language.
fn deadline(v: &Value, cat: &Catalog) -> Option<String> {
    let d = v["deadline"].as_str()?;
    let parsed = match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
        Ok(day) => Deadline::EndOfDay(day),
        Err(_) => Deadline::Instant(chrono::DateTime::parse_from_rfc3339(d).unwrap()),
    };
    Some(fold(&cat.deadline(&parsed)))
}

fn every_violation_prints_its_deadline_and_source(lang: Lang) {
    let run = common::check_with(&["--as-of", AS_OF]);
    let violations = run.report["violations"].as_array().unwrap();
    assert!(violations.len() > 50, "{} violations", violations.len());
    let text = printed(lang.code());
    let cat = Catalog::new(lang);
    let mut deadlines = 0;
    for v in violations {
        let (Some(file), Some(line)) = (v["file"].as_str(), v["line"].as_u64()) else {
            continue;
        };
        let source = format!("{file}:{line}");
        assert!(text.contains(&source), "{lang:?}: {source} not printed");
        if let Some(d) = deadline(v, &cat) {
            assert!(
                text.contains(&d),
                "{lang:?}: deadline «{d}» of {source} not printed"
            );
            deadlines += 1;
        }
    }
    assert!(deadlines > 20, "{deadlines} deadlines checked");
    // Every page carries the report's title (top) and its number (bottom): "N / M".
    let title = cat.text("html-title");
    let pages = text.matches(&fold(title)).count();
    assert!(
        pages >= 5,
        "{lang:?}: the title is printed on {pages} pages"
    );
    assert!(
        text.contains(&format!("1 / {pages}")) || text.contains("1 / "),
        "{lang:?}: no page numbers"
    );
    // The browser's own header (with the file:// path) is off.
    assert!(
        !text.contains("file://"),
        "{lang:?}: a file:// header was printed"
    );
}

#[test]
fn printed_russian_report_carries_every_violations_facts() {
    every_violation_prints_its_deadline_and_source(Lang::Ru);
}

#[test]
fn printed_kazakh_report_carries_every_violations_facts() {
    every_violation_prints_its_deadline_and_source(Lang::Kk);
}
