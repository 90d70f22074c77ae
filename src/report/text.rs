//! `--format text`: a report an inspector reads, grouped by case, each finding with the
//! paragraph it cites.

use super::Report;
use std::io::Write;

pub fn write(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
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
    }
    for u in &r.unreadable {
        writeln!(
            out,
            "  error: {}: could not be read to its end: {}",
            u.file, u.reason
        )?;
    }
    for w in &r.warnings {
        writeln!(out, "  warning: {w}")?;
    }

    let mut current: Option<(&str, &str)> = None;
    for v in &r.violations {
        if current != Some((v.case.as_str(), v.service.as_str())) {
            current = Some((v.case.as_str(), v.service.as_str()));
            writeln!(out)?;
            writeln!(
                out,
                "case {} — {}{}",
                v.case,
                v.service,
                v.rule_set
                    .as_deref()
                    .filter(|r| *r != v.service)
                    .map(|r| format!(" (edition {r})"))
                    .unwrap_or_default()
            )?;
            if let Some(rs) = v.rule_set.as_deref().and_then(|id| r.rule_sets.get(id)) {
                writeln!(out, "  «{}» — {}", rs.title.kk, rs.act)?;
            }
        }
        let cite = v
            .cite
            .as_deref()
            .map(|c| format!(" [para {c}]"))
            .unwrap_or_default();
        writeln!(out, "  {} {}{}", v.kind.as_str(), v.severity.as_str(), cite)?;
        writeln!(out, "    {}", v.message)?;
        let mut loc = Vec::new();
        if let Some(at) = v.at {
            loc.push(format!("event at {}", at.format("%Y-%m-%d %H:%M%:z")));
        }
        if let (Some(f), Some(l)) = (&v.file, v.line) {
            loc.push(format!("{f}:{l}"));
        }
        if !loc.is_empty() {
            writeln!(out, "    {}", loc.join(", "))?;
        }
    }
    if !r.rejected.is_empty() {
        writeln!(out)?;
        writeln!(out, "rejected records ({}):", r.rejected.len())?;
        for j in &r.rejected {
            let field = j
                .field
                .as_deref()
                .map(|f| format!(" field {f}:"))
                .unwrap_or_default();
            writeln!(out, "  {}:{}:{} {}", j.file, j.line, field, j.reason)?;
        }
    }
    Ok(())
}
