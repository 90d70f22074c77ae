//! `--format csv`: one row per violation, for spreadsheets and oversight databases.
//! The summary and rejected records are not rows; run `--format json` for them.

use super::Report;
use std::io::Write;

const HEADER: [&str; 17] = [
    "kind",
    "severity",
    "case",
    "service",
    "provider",
    "rule_set",
    "step",
    "term",
    "ref",
    "limit",
    "limit_unit",
    "actual",
    "actual_unit",
    "deadline",
    "at",
    "file",
    "line",
];

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for v in &report.violations {
        fn opt<S: AsRef<str>>(s: &Option<S>) -> String {
            s.as_ref()
                .map_or_else(String::new, |s| s.as_ref().to_string())
        }
        w.write_record([
            v.kind.as_str().to_string(),
            v.severity.as_str().to_string(),
            v.case.to_string(),
            v.service.to_string(),
            opt(&v.provider),
            opt(&v.rule_set),
            opt(&v.step),
            opt(&v.term),
            opt(&v.cite),
            v.limit.map(|a| a.value.to_string()).unwrap_or_default(),
            v.limit
                .map(|a| a.unit.as_str().to_string())
                .unwrap_or_default(),
            v.actual.map(|a| a.value.to_string()).unwrap_or_default(),
            v.actual
                .map(|a| a.unit.as_str().to_string())
                .unwrap_or_default(),
            v.deadline.map(|d| d.to_iso()).unwrap_or_default(),
            v.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            opt(&v.file),
            v.line.map(|l| l.to_string()).unwrap_or_default(),
        ])?;
    }
    w.flush()
}
