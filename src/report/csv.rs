//! `--format csv`: one row per violation, for spreadsheets and oversight databases.
//! The summary and rejected records are not rows; run `--format json` for them. The
//! header is stable machine codes in every language; the `message` column is translated.
//! `caused_by` is the 0-based index, among the violation rows, of the root finding a
//! row is a consequence of (empty for a root). `evidence_incomplete` is `true` on the
//! rows of a case that lost a record of its own: not counted (issue 16). With `--as-of`, open cases about to go
//! overdue follow as rows of kind `due_soon` (no severity; `actual` is the working days
//! left to the deadline); they are not violations. So are the open cases listed as open
//! with no deadline in the rule set or waiting for the applicant, in rows of those kinds.
//! Cases not judged (no edition of their service encoded for the day they began)
//! follow as rows of kind `not_judged` ([`super::not_judged`]).
//!
//! Every text cell goes through [`cell`]: a log controls case ids, services and
//! providers, and a cell a spreadsheet reads as a formula (`=HYPERLINK(...)`) or a
//! control character in it must not reach the inspector's spreadsheet as such.

use super::Report;
use crate::i18n::Catalog;
use std::borrow::Cow;
use std::io::Write;

/// `s` as a CSV text cell, as OWASP advises against CSV injection: control characters
/// and bidi controls are shown as escapes (as the text report shows them), and a cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// so that no spreadsheet reads it as a formula. Quoting is the CSV writer's job.
pub fn cell(s: &str) -> Cow<'_, str> {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let escaped = super::text::escape(s);
    if formula {
        Cow::Owned(format!("'{escaped}"))
    } else {
        escaped
    }
}

/// Columns of every row: violations, due-soon, not-judged and listed open cases alike.
pub const WIDTH: usize = 20;

const HEADER: [&str; WIDTH] = [
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
    "caused_by",
    "evidence_incomplete",
    "message",
];

/// The rows; the header and every code stay the same in every language, only the
/// `message` column is in the language of `cat`.
pub fn write(report: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER).map_err(io)?;
    for v in &report.violations {
        fn opt<S: AsRef<str>>(s: &Option<S>) -> String {
            s.as_ref()
                .map(|s| cell(s.as_ref()).into_owned())
                .unwrap_or_default()
        }
        w.write_record([
            v.kind.as_str().to_string(),
            v.severity.as_str().to_string(),
            cell(&v.case).into_owned(),
            cell(&v.service).into_owned(),
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
            v.caused_by.map(|i| i.to_string()).unwrap_or_default(),
            v.evidence_incomplete.to_string(),
            cell(&super::gaps::message(cat, v)).into_owned(),
        ])
        .map_err(io)?;
    }
    // Open cases about to go overdue (`--as-of`): rows of kind `due_soon`, after the
    // violations; `actual` is the working days left to the deadline.
    for d in &report.due_soon {
        w.write_record([
            "due_soon".to_string(),
            String::new(),
            cell(&d.case).into_owned(),
            cell(&d.service).into_owned(),
            d.provider
                .as_deref()
                .map(|p| cell(p).into_owned())
                .unwrap_or_default(),
            cell(&d.rule_set).into_owned(),
            cell(&d.step).into_owned(),
            d.term
                .as_deref()
                .map(|t| cell(t).into_owned())
                .unwrap_or_default(),
            cell(&d.cite).into_owned(),
            d.limit.value.to_string(),
            d.limit.unit.as_str().to_string(),
            d.working_days_left.to_string(),
            "working_days".to_string(),
            d.deadline.to_iso(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "false".to_string(),
            String::new(),
        ])
        .map_err(io)?;
    }
    // Open cases listed, not judged (issue 16): rows of kind `open_no_deadline` and
    // `waiting_for_applicant`, last.
    for row in super::open_listing::csv_rows(report) {
        w.write_record(row).map_err(io)?;
    }
    // Cases not judged (no edition encoded for the day they began): rows of kind
    // `not_judged`, the case's first day in `at`, the reason in `message`.
    super::not_judged::csv(report, cat, &mut w).map_err(io)?;
    w.flush()
}

/// The I/O error inside a CSV error, kind kept: a closed output pipe must stay a broken
/// pipe (the run ends quietly with its exit code), not become an "other" error.
fn io(e: csv::Error) -> std::io::Error {
    let text = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        _ => std::io::Error::other(text),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    /// OWASP CSV injection: formula starts get a `'`, control characters are escaped.
    #[test]
    fn cells_cannot_be_formulas_or_carry_control_characters() {
        assert_eq!(cell("case-1"), "case-1");
        for s in ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)"] {
            assert_eq!(cell(s), format!("'{s}"));
        }
        assert_eq!(cell("\tx"), "'\\tx");
        assert_eq!(cell("\r=1"), "'\\r=1");
        assert_eq!(cell("a\nb"), "a\\nb");
        assert_eq!(cell("x\u{202e}y"), "x\\u{202e}y");
    }
}
