//! `--format text`: a report an inspector reads in Kazakh, Russian or English: the
//! summary first (by provider, by service, by kind), then the findings case by case,
//! each with the paragraph it cites as the language cites it.
//!
//! Every string that comes from a log (case ids, services, providers, file names,
//! messages quoting them, rejected excerpts) goes through [`escape`]: a provider under
//! inspection controls its log, and a newline, a carriage return, an ANSI escape or a
//! bidi override in a case id must not forge report lines or reach the inspector's
//! terminal.

use super::Report;
use super::i18n::warnings;
use crate::engine::Amount;
use crate::i18n::Catalog;
use crate::rules::model::{Severity, Unit};
use fluent_bundle::FluentValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

/// Whether `c` must not reach a terminal as it is: control characters (C0, DEL, C1),
/// bidi controls (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069), zero-width and
/// invisible characters (U+200B..U+200D, U+2060..U+2064, U+FEFF), line and paragraph
/// separators (U+2028/9), and the backslash, so that an escape in the report always
/// means an escaped character and never a literal one.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || c == '\\'
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `s` as the text report prints it: unsafe characters (see [`is_unsafe`]) shown as
/// escapes (`\n`, `\r`, `\t`, `\\`, `\u{1b}`, `\u{202e}`), everything else as it is.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The text report in the language of `cat`: the summary first (counts, then
/// violations by provider, by service with its title, and by kind), the grouped
/// warnings, then the cases, then the rejected records.
pub fn write(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    super::since::write_text(r, cat, out)?;
    write_summary(r, cat, out)?;
    write_breakdown(r, cat, out)?;
    write_notes(r, cat, out)?;
    super::not_judged::text(r, cat, out)?;
    write_due_soon(r, cat, out)?;
    super::open_listing::text(r, cat, out)?;
    write_violations(r, cat, out, false)?;
    write_violations(r, cat, out, true)?;
    write_rejected(r, cat, out)
}

/// Open cases about to go overdue (`--as-of`, `--due-within`), soonest first: not
/// violations, listed before them so a provider can still act.
fn write_due_soon(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    if r.due_soon.is_empty() {
        return Ok(());
    }
    let n = u64::try_from(r.due_soon.len()).unwrap_or(u64::MAX);
    writeln!(out)?;
    writeln!(out, "{}", cat.format("text-due-heading", &[("n", num(n))]))?;
    let mut due: Vec<_> = r.due_soon.iter().collect();
    due.sort_by_key(|d| d.working_days_left);
    let text = |s: &str| FluentValue::from(escape(s).into_owned());
    for d in due {
        let what = match &d.term {
            Some(t) => cat.format(
                "text-due-term",
                &[("term", text(t)), ("step", text(&d.step))],
            ),
            None => cat.format("text-due-step", &[("step", text(&d.step))]),
        };
        let left = Amount::whole(i64::from(d.working_days_left), Unit::WorkingDays);
        let args = [
            ("case", text(&d.case)),
            ("service", text(&d.service)),
            ("what", FluentValue::from(what)),
            (
                "cite",
                FluentValue::from(escape(&cat.cite(&d.cite)).into_owned()),
            ),
            ("deadline", FluentValue::from(cat.deadline(&d.deadline))),
            ("limit", FluentValue::from(cat.amount(&d.limit))),
            ("left", FluentValue::from(cat.amount(&left))),
        ];
        writeln!(out, "  {}", cat.format("text-due-line", &args))?;
    }
    Ok(())
}

/// A number argument.
fn num(n: u64) -> FluentValue<'static> {
    FluentValue::from(n)
}

/// The counts.
fn write_summary(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    let files = u64::try_from(s.files.len()).unwrap_or(u64::MAX);
    let title = cat.format(
        "text-title",
        &[("files", num(files)), ("lines", num(s.lines))],
    );
    writeln!(out, "{title}")?;
    let mut events = cat.format(
        "text-events",
        &[("events", num(s.events)), ("rejected", num(s.rejected))],
    );
    if s.blank_lines > 0 {
        events.push_str(", ");
        events.push_str(&cat.format("text-blank", &[("n", num(s.blank_lines))]));
    }
    if s.continued_lines > 0 {
        events.push_str(", ");
        let n = num(s.continued_lines);
        events.push_str(&cat.format("text-continued", &[("n", n)]));
    }
    writeln!(out, "  {events}")?;
    let args = [
        ("cases", num(s.cases)),
        ("checked", num(s.cases_checked)),
        ("open", num(s.open_cases)),
        ("violating", num(s.cases_with_violations)),
    ];
    writeln!(out, "  {}", cat.format("text-cases", &args))?;
    if let Some(a) = &s.as_of {
        // The moment as the reader writes a time; the run's own string if it is not one.
        let shown = chrono::DateTime::parse_from_rfc3339(a)
            .map_or_else(|_| escape(a).into_owned(), |t| cat.time(&t));
        let as_of = FluentValue::from(shown);
        writeln!(out, "  {}", cat.format("text-as-of", &[("as_of", as_of)]))?;
        super::open_listing::summary_line(r, cat, out)?;
    }
    if s.violations == 0 {
        writeln!(out, "  {}", cat.text("text-no-violations"))?;
    } else {
        let sev = |x| num(s.violations_by_severity.get(&x).copied().unwrap_or(0));
        let args = [
            ("n", num(s.violations)),
            ("hard", sev(Severity::Hard)),
            ("norm", sev(Severity::Norm)),
        ];
        writeln!(out, "  {}", cat.format("text-violations", &args))?;
        if s.consequential > 0 {
            let args = [("n", num(s.consequential))];
            writeln!(out, "  {}", cat.format("text-consequential", &args))?;
        }
    }
    if s.evidence_incomplete > 0 {
        let args = [
            ("n", num(s.evidence_incomplete)),
            ("cases", num(s.cases_evidence_incomplete)),
        ];
        writeln!(out, "  {}", cat.format("text-evidence-incomplete", &args))?;
    }
    Ok(())
}

/// Violations by provider, by service (its title once, in the reader's language) and by kind.
fn write_breakdown(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    if s.violations == 0 {
        return Ok(());
    }
    writeln!(out, "  {}:", cat.text("text-by-provider"))?;
    let mut none = 0u64;
    let mut services: BTreeMap<&str, (u64, Option<&str>)> = BTreeMap::new();
    // Root findings only, as the summary counts them: a consequence is listed with its
    // root, not counted again, and a finding on incomplete evidence is not counted.
    for v in r.violations.iter().filter(|v| super::gaps::is_counted(v)) {
        if v.provider.is_none() {
            none += 1;
        }
        let e = services.entry(v.service.as_str()).or_insert((0, None));
        e.0 += 1;
        if e.1.is_none() {
            e.1 = v.rule_set.as_deref();
        }
    }
    for (p, n) in &s.violations_by_provider {
        writeln!(out, "    {:>6}  {}", n, escape(p))?;
    }
    if none > 0 {
        writeln!(out, "    {none:>6}  {}", cat.text("text-no-provider"))?;
    }
    writeln!(out, "  {}:", cat.text("text-by-service"))?;
    for (service, (n, rule_set)) in &services {
        writeln!(out, "    {:>6}  {}", n, escape(service))?;
        if let Some(rs) = rule_set.and_then(|id| r.rule_sets.get(id)) {
            let t = cat.pick(&rs.title);
            writeln!(
                out,
                "            «{}» — {}",
                escape(t),
                escape(&rs.act_in(cat))
            )?;
        }
    }
    writeln!(out, "  {}:", cat.text("text-by-kind"))?;
    for (k, n) in &s.violations_by_kind {
        writeln!(out, "    {:>6}  {} ({})", n, cat.kind(*k), k.as_str())?;
    }
    Ok(())
}

/// Unreadable files and the grouped warnings.
fn write_notes(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    for u in &r.unreadable {
        let args = [
            ("file", FluentValue::from(escape(&u.file).into_owned())),
            ("reason", FluentValue::from(escape(&u.reason).into_owned())),
        ];
        writeln!(out, "  {}", cat.format("text-unreadable", &args))?;
    }
    for w in warnings(cat, &r.warnings) {
        writeln!(out, "  {}: {}", cat.text("text-warning"), escape(&w))?;
    }
    Ok(())
}

/// The violations, case by case; the service's title is in the summary, not repeated here.
/// The findings of cases that lost a record of their own (`incomplete`) come apart, after
/// the others, under their own heading (issue 16).
fn write_violations(
    r: &Report,
    cat: &Catalog,
    out: &mut dyn Write,
    incomplete: bool,
) -> std::io::Result<()> {
    let listed = || (r.violations.iter()).filter(|v| v.evidence_incomplete == incomplete);
    if listed().next().is_none() {
        return Ok(());
    }
    writeln!(out)?;
    let heading = if incomplete {
        "text-evidence-heading"
    } else {
        "text-cases-heading"
    };
    writeln!(out, "{}", cat.text(heading))?;
    let mut current: Option<(&str, &str)> = None;
    for v in listed() {
        if current != Some((v.case.as_str(), v.service.as_str())) {
            current = Some((v.case.as_str(), v.service.as_str()));
            writeln!(out)?;
            let case = FluentValue::from(escape(&v.case).into_owned());
            let edition = (v.rule_set.as_deref())
                .filter(|r| *r != v.service)
                .map(|r| {
                    let e = FluentValue::from(escape(r).into_owned());
                    format!(" ({})", cat.format("text-edition", &[("edition", e)]))
                })
                .unwrap_or_default();
            writeln!(
                out,
                "{} — {}{edition}",
                cat.format("text-case", &[("case", case)]),
                escape(&v.service)
            )?;
        }
        let cite = (v.cite.as_deref())
            .map(|c| format!(" [{}]", escape(&cat.cite(c))))
            .unwrap_or_default();
        // A consequence of another finding (one delay, one finding) names its root and is
        // not counted in the summary.
        let root = (v.caused_by)
            .and_then(|i| r.violations.get(i))
            .map(|f| format!(" ({})", escape(&cat.consequence_of(f))))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} ({}), {}{cite}{root}",
            cat.kind(v.kind),
            v.kind.as_str(),
            cat.severity(v.severity)
        )?;
        writeln!(out, "    {}", escape(&super::gaps::message(cat, v)))?;
        let mut loc = Vec::new();
        if let Some(at) = v.at {
            let t = FluentValue::from(cat.time(&at));
            loc.push(cat.format("text-event-at", &[("time", t)]));
        }
        if let (Some(f), Some(l)) = (&v.file, v.line) {
            loc.push(format!("{}:{l}", escape(f)));
        }
        if !loc.is_empty() {
            writeln!(out, "    {}", loc.join(", "))?;
        }
    }
    Ok(())
}

/// The rejected records shown in full, and the count of the rest by reason.
fn write_rejected(r: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    if s.rejected > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            cat.format("text-rejected", &[("n", num(s.rejected))])
        )?;
        for j in &r.rejected {
            let field = (j.field.as_deref())
                .map(|f| {
                    let f = FluentValue::from(escape(f).into_owned());
                    format!(" {}", cat.format("text-field", &[("field", f)]))
                })
                .unwrap_or_default();
            writeln!(
                out,
                "  {}:{}:{} {} [{}]",
                escape(&j.file),
                j.line,
                field,
                escape(&cat.reason(j.code, &j.reason)),
                j.code.as_str()
            )?;
            writeln!(out, "    {}", escape(&j.excerpt))?;
        }
    }
    if s.rejected_not_shown > 0 {
        let reasons: Vec<String> = (s.rejected_by_reason.iter())
            .map(|(k, n)| format!("{} {n}", k.as_str()))
            .collect();
        let args = [
            ("n", num(s.rejected_not_shown)),
            ("reasons", FluentValue::from(reasons.join(", "))),
        ];
        writeln!(out, "  {}", cat.format("text-rejected-more", &args))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    /// Newlines, carriage returns, ANSI escapes and bidi overrides from a log cannot
    /// forge report lines or reorder what the inspector sees.
    #[test]
    fn log_strings_cannot_forge_lines_or_reorder_text() {
        assert_eq!(escape("case-1"), "case-1");
        assert_eq!(escape("жалған"), "жалған");
        assert_eq!(escape("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
        for c in [
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{85}',
            '\u{7f}',
        ] {
            assert!(escape(&c.to_string()).starts_with("\\u{"), "{c:?}");
        }
        assert_eq!(escape("a\\nb"), "a\\\\nb");
    }
}
