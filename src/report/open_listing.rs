//! The open cases a report lists but does not judge (issue 16, "a lost application is
//! never silent"; the law is in [`crate::engine::stopped`]): open with no deadline in
//! the rule set, and waiting for the applicant. Each format shows both lists apart from
//! the violations, and neither changes the exit code: the text and HTML reports in a
//! section each, CSV as rows of kind `open_no_deadline` / `waiting_for_applicant`, JSON
//! as the report's `open_no_deadline` and `waiting_for_applicant` lists. The stopping
//! steps of the first list are also named in warnings ([`warnings`]).
//!
//! Everything that comes from a log (case ids, services, providers) is escaped as each
//! format escapes it.

use super::html::esc;
use super::text::escape;
use super::{Report, Warning};
use crate::engine::Stopped;
use crate::i18n::Catalog;
use fluent_bundle::FluentValue;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// One warning per rule set and stopping step of the open cases with no deadline.
pub fn warnings(list: &[Stopped]) -> Vec<Warning> {
    let mut by_step: BTreeMap<(&str, &str), (&str, u64)> = BTreeMap::new();
    for s in list {
        let e =
            (by_step.entry((s.rule_set.as_str(), s.step.as_str()))).or_insert((s.cite.as_str(), 0));
        e.1 += 1;
    }
    (by_step.into_iter())
        .map(
            |((rule_set, step), (cite, cases))| Warning::OpenNoDeadline {
                rule_set: rule_set.to_string(),
                step: step.to_string(),
                cite: cite.to_string(),
                cases,
            },
        )
        .collect()
}

/// The two lists with their catalog keys: heading, note.
fn lists(r: &Report) -> [(&[Stopped], &'static str, &'static str); 2] {
    [
        (
            &r.open_no_deadline,
            "open-no-deadline-heading",
            "open-no-deadline-note",
        ),
        (
            &r.waiting_for_applicant,
            "open-waiting-heading",
            "open-waiting-note",
        ),
    ]
}

/// The arguments of one listed case's line, escaped by `clean`.
fn args<'s>(
    s: &'s Stopped,
    cat: &Catalog,
    clean: impl Fn(&str) -> String,
) -> [(&'static str, FluentValue<'s>); 6] {
    let at =
        s.at.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string());
    [
        ("case", FluentValue::from(clean(&s.case))),
        ("service", FluentValue::from(clean(&s.service))),
        ("step", FluentValue::from(clean(&s.step))),
        ("cite", FluentValue::from(clean(&cat.cite(&s.cite)))),
        ("next", FluentValue::from(clean(&s.next.join(", ")))),
        ("time", FluentValue::from(at)),
    ]
}

/// The text summary's line counting both lists (with `--as-of`).
pub fn summary_line(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    let args = [
        ("none", FluentValue::from(s.open_no_deadline)),
        ("applicant", FluentValue::from(s.waiting_for_applicant)),
    ];
    writeln!(out, "  {}", cat.format("open-listed-summary", &args))
}

/// The text report's sections, after the cases due soon.
pub fn text(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    for (list, heading, note) in lists(r) {
        if list.is_empty() {
            continue;
        }
        let n = FluentValue::from(list.len());
        writeln!(out)?;
        writeln!(out, "{}", cat.format(heading, &[("n", n)]))?;
        writeln!(out, "  {}", cat.text(note))?;
        for s in list {
            let a = args(s, cat, |x| escape(x).into_owned());
            writeln!(out, "  {}", cat.format("open-listed-line", &a))?;
        }
    }
    Ok(())
}

/// The HTML page's sections, after the cases due soon.
pub fn html(h: &mut String, r: &Report, cat: &Catalog) {
    for (list, heading, note) in lists(r) {
        if list.is_empty() {
            continue;
        }
        let title = cat.format(heading, &[("n", FluentValue::from(list.len()))]);
        let _ = write!(
            h,
            "<h2 id=\"{}\">{}</h2><p class=\"note\">{}</p><ul>",
            heading.trim_end_matches("-heading"),
            esc(title.trim_end_matches(':')),
            esc(cat.text(note))
        );
        for s in list {
            // Every argument is escaped before it enters the sentence.
            let a = args(s, cat, esc);
            let _ = writeln!(h, "<li>{}</li>", cat.format("open-listed-line", &a));
        }
        h.push_str("</ul>");
    }
}

/// The CSV rows of both lists, after the violations and the cases due soon: `kind`,
/// `case`, `service`, `provider`, `rule_set`, `step` (where the case stopped), `ref`,
/// `at` (its last event); the other cells are empty.
pub fn csv_rows(r: &Report) -> impl Iterator<Item = [String; super::csv::WIDTH]> + '_ {
    let cell = |s: &str| super::csv::cell(s).into_owned();
    let rows = |list: &'static str, v: &'_ [Stopped]| {
        let v: Vec<[String; super::csv::WIDTH]> = (v.iter())
            .map(|s| {
                let mut row: [String; super::csv::WIDTH] = Default::default();
                row[0] = list.to_string();
                row[2] = cell(&s.case);
                row[3] = cell(&s.service);
                row[4] = s.provider.as_deref().map(cell).unwrap_or_default();
                row[5] = cell(&s.rule_set);
                row[6] = cell(&s.step);
                row[8] = cell(&s.cite);
                row[14] = s.at.map(|t| t.to_rfc3339()).unwrap_or_default();
                row
            })
            .collect();
        v
    };
    rows("open_no_deadline", &r.open_no_deadline)
        .into_iter()
        .chain(rows("waiting_for_applicant", &r.waiting_for_applicant))
}
