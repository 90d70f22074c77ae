//! The cases not judged, in every format: begun on a day for which no edition of their
//! service is encoded (`crate::engine::unjudged` says why that is no violation). Listed
//! apart from violations, each with its first day and the reason; counted in
//! `summary.cases_not_judged`; the exit code changes only with `--fail-on-unjudged`.
//!
//! Everything from a log (case ids, services, providers, files) is escaped as each
//! format escapes it: [`super::text::escape`], [`super::csv::cell`], [`super::html::esc`].

use super::Report;
use super::html::{Labels, esc};
use super::text::escape;
use crate::engine::NotJudged;
use crate::i18n::Catalog;
use fluent_bundle::FluentValue;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// A case not judged as JSON writes it: its fields with its sentence.
#[derive(Serialize)]
pub struct Json<'r> {
    #[serde(flatten)]
    case: &'r NotJudged,
    message: String,
    message_key: &'static str,
}

/// The JSON list `not_judged`, in the report's order.
pub fn json<'r>(report: &'r Report, cat: &Catalog) -> Vec<Json<'r>> {
    (report.not_judged.iter())
        .map(|n| Json {
            case: n,
            message: cat.message(&n.message),
            message_key: n.message.key,
        })
        .collect()
}

/// The text section: a heading with the count, then one line per case.
pub fn text(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    if r.not_judged.is_empty() {
        return Ok(());
    }
    let n = u64::try_from(r.not_judged.len()).unwrap_or(u64::MAX);
    writeln!(out)?;
    let heading = cat.format("text-not-judged-heading", &[("n", FluentValue::from(n))]);
    writeln!(out, "{heading}")?;
    let text = |s: &str| FluentValue::from(escape(s).into_owned());
    for c in &r.not_judged {
        let args = [
            ("case", text(&c.case)),
            ("service", text(&c.service)),
            ("reason", text(&cat.message(&c.message))),
        ];
        writeln!(out, "  {}", cat.format("text-not-judged-line", &args))?;
        if let Some(f) = &c.file {
            writeln!(out, "    {}:{}", escape(f), c.line)?;
        }
    }
    Ok(())
}

/// The CSV rows of kind `not_judged`, after the violations: `rule_set` is the encoded
/// edition nearest the day (the one that ended before it, else the one that began
/// after it), `at` the case's first day, `message` the reason in words.
pub fn csv<W: Write>(r: &Report, cat: &Catalog, w: &mut ::csv::Writer<W>) -> ::csv::Result<()> {
    use super::csv::cell;
    for c in &r.not_judged {
        let near = c.ended.as_ref().or(c.begins.as_ref());
        let opt = |s: Option<&str>| s.map(|s| cell(s).into_owned()).unwrap_or_default();
        w.write_record([
            "not_judged".to_string(),
            String::new(),
            cell(&c.case).into_owned(),
            cell(&c.service).into_owned(),
            opt(c.provider.as_deref()),
            opt(near.map(|e| e.rule_set.as_str())),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            c.first_day.to_string(),
            opt(c.file.as_deref()),
            c.line.to_string(),
            String::new(),
            // evidence_incomplete: a case not judged has no finding to qualify.
            String::new(),
            cell(&cat.message(&c.message)).into_owned(),
        ])?;
    }
    Ok(())
}

/// The HTML section: the count, what it means, and a table of the cases.
pub fn html(h: &mut String, r: &Report, l: &Labels, cat: &Catalog) {
    if r.not_judged.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h2 id=\"not-judged\">{} ({})</h2><p class=\"note\">{}</p><table><thead><tr>",
        esc(l.unjudged),
        r.not_judged.len(),
        esc(l.unjudged_note)
    );
    for c in [
        l.first_day,
        l.case,
        l.service,
        l.provider,
        l.reason,
        l.source,
    ] {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    for c in &r.not_judged {
        let source = (c.file.as_deref())
            .map(|f| format!("{}:{}", esc(f), c.line))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{source}</td></tr>",
            c.first_day,
            esc(&c.case),
            esc(&c.service),
            esc(c.provider.as_deref().unwrap_or(l.no_provider)),
            esc(&cat.message(&c.message)),
        );
    }
    h.push_str("</tbody></table>\n");
}
