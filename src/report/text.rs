//! `--format text`: a report an inspector reads, grouped by case, each finding with the
//! paragraph it cites.
//!
//! Every string that comes from a log (case ids, services, providers, file names,
//! messages quoting them, rejected excerpts) goes through [`escape`]: a provider under
//! inspection controls its log, and a newline, a carriage return, an ANSI escape or a
//! bidi override in a case id must not forge report lines or reach the inspector's
//! terminal.

use super::Report;
use std::borrow::Cow;
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

pub fn write(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    write_summary(r, out)?;
    write_due_soon(r, out)?;
    write_violations(r, out)?;
    write_rejected(r, out)
}

/// Open cases about to go overdue (`--as-of`, `--due-within`), soonest first: not
/// violations, listed before them so a provider can still act.
fn write_due_soon(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if r.due_soon.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "due soon ({}), not violations yet:", r.due_soon.len())?;
    let mut due: Vec<_> = r.due_soon.iter().collect();
    due.sort_by_key(|d| d.working_days_left);
    for d in due {
        let what = match &d.term {
            Some(t) => format!("term {} (closing step {})", escape(t), escape(&d.step)),
            None => format!("step {}", escape(&d.step)),
        };
        writeln!(
            out,
            "  case {} — {}: {what} [para {}] due by {} ({} allowed), {} working day(s) left",
            escape(&d.case),
            escape(&d.service),
            escape(&d.cite),
            d.deadline,
            d.limit,
            d.working_days_left
        )?;
    }
    Ok(())
}

/// The counts, unreadable files and warnings.
fn write_summary(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    writeln!(
        out,
        "reglament check: {} file(s), {} line(s) read",
        s.files.len(),
        s.lines
    )?;
    writeln!(
        out,
        "  events accepted {}, records rejected {}{}",
        s.events,
        s.rejected,
        if s.blank_lines > 0 {
            format!(", blank lines skipped {}", s.blank_lines)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "  cases {} (checked {}, open {}), with violations {}",
        s.cases, s.cases_checked, s.open_cases, s.cases_with_violations
    )?;
    if let Some(a) = &s.as_of {
        writeln!(out, "  as of {a}")?;
    }
    if s.violations == 0 {
        writeln!(out, "  no violations")?;
    } else {
        let kinds: Vec<String> = s
            .violations_by_kind
            .iter()
            .map(|(k, n)| format!("{} {n}", k.as_str()))
            .collect();
        writeln!(out, "  violations {}: {}", s.violations, kinds.join(", "))?;
        if s.consequential > 0 {
            writeln!(
                out,
                "  consequences of these listed with them, not counted: {}",
                s.consequential
            )?;
        }
    }
    for u in &r.unreadable {
        writeln!(
            out,
            "  error: {}: could not be read to its end: {}",
            escape(&u.file),
            escape(&u.reason)
        )?;
    }
    for w in &r.warnings {
        writeln!(out, "  warning: {}", escape(&w.to_string()))?;
    }
    Ok(())
}

/// The violations, case by case, each case headed by its service's title once.
fn write_violations(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut current: Option<(&str, &str)> = None;
    for v in &r.violations {
        if current != Some((v.case.as_str(), v.service.as_str())) {
            current = Some((v.case.as_str(), v.service.as_str()));
            writeln!(out)?;
            writeln!(
                out,
                "case {} — {}{}",
                escape(&v.case),
                escape(&v.service),
                v.rule_set
                    .as_deref()
                    .filter(|r| *r != v.service)
                    .map(|r| format!(" (edition {})", escape(r)))
                    .unwrap_or_default()
            )?;
            if let Some(rs) = v.rule_set.as_deref().and_then(|id| r.rule_sets.get(id)) {
                writeln!(out, "  «{}» — {}", escape(&rs.title.kk), escape(&rs.act))?;
            }
        }
        let cite = v
            .cite
            .as_deref()
            .map(|c| format!(" [para {}]", escape(c)))
            .unwrap_or_default();
        // A consequence of another finding (one delay, one finding) names its root and is
        // not counted in the summary.
        let root = v
            .caused_by
            .and_then(|i| r.violations.get(i))
            .map(|f| {
                format!(
                    " (consequence of {} {}, not counted)",
                    f.kind.as_str(),
                    f.step.as_deref().map(escape).unwrap_or_default()
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {}{}{}",
            v.kind.as_str(),
            v.severity.as_str(),
            cite,
            root
        )?;
        writeln!(out, "    {}", escape(&v.message))?;
        let mut loc = Vec::new();
        if let Some(at) = v.at {
            loc.push(format!("event at {}", at.format("%Y-%m-%d %H:%M%:z")));
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
fn write_rejected(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    if s.rejected > 0 {
        writeln!(out)?;
        writeln!(out, "rejected records ({}):", s.rejected)?;
        for j in &r.rejected {
            let field = j
                .field
                .as_deref()
                .map(|f| format!(" field {}:", escape(f)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}:{}:{} {} [{}]",
                escape(&j.file),
                j.line,
                field,
                escape(&j.reason),
                j.code.as_str()
            )?;
            writeln!(out, "    {}", escape(&j.excerpt))?;
        }
    }
    if s.rejected_not_shown > 0 {
        let reasons: Vec<String> = s
            .rejected_by_reason
            .iter()
            .map(|(k, n)| format!("{} {n}", k.as_str()))
            .collect();
        writeln!(
            out,
            "  ... {} more not shown (--max-rejected-shown); all rejected by reason: {}",
            s.rejected_not_shown,
            reasons.join(", ")
        )?;
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
