//! `reglament rules validate | list | show`.

use super::{Format, Output, RulesArg, RulesCommand, catalog};
use crate::Error;
use crate::rules::model::{End, Limits, Provenance, RuleSet, Start, Step};
use crate::rules::recorder::Recorder;
use crate::rules::validity::{Bound, Latest};
use std::io::Write;

pub fn run(cmd: RulesCommand) -> Result<u8, Error> {
    match cmd {
        RulesCommand::Graph {
            id,
            rules,
            format,
            lang,
        } => {
            let cat = catalog(&rules)?;
            let set = find(&cat, &id)?;
            let words = crate::i18n::Catalog::new(lang.resolve());
            Output::stdout()
                .write_with(|out| crate::report::graph::write(&set.rules, &words, format, out))?;
            Ok(0)
        }
        RulesCommand::Validate { dir } => {
            let cat = catalog(&RulesArg { dir })?;
            let steps: usize = cat.sets.iter().map(|s| s.steps.len()).sum();
            Output::stdout().write_with(|out| {
                writeln!(
                    out,
                    "ok: {} rule set(s), {steps} steps, all valid against rules/schema.json",
                    cat.sets.len()
                )
            })?;
            Ok(0)
        }
        RulesCommand::List { rules, format } => {
            let cat = catalog(&rules)?;
            Output::stdout().write_with(|w| list(&cat, format.or(Format::Text), w))?;
            Ok(0)
        }
        RulesCommand::Show { id, rules, format } => {
            let cat = catalog(&rules)?;
            let set = find(&cat, &id)?;
            Output::stdout().write_with(|out| match format.or(Format::Json) {
                Format::Json => serde_json::to_writer_pretty(&mut *out, &set.rules)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                Format::Text => show_text(&set.rules, out),
            })?;
            Ok(0)
        }
    }
}

/// The rule set `id`, or a usage error listing the known ones.
fn find<'c>(
    cat: &'c crate::rules::Catalog,
    id: &str,
) -> Result<&'c crate::rules::compiled::Compiled, Error> {
    cat.sets.iter().find(|s| s.id() == id).ok_or_else(|| {
        let ids: Vec<&str> = cat.sets.iter().map(|s| s.id()).collect();
        Error::Usage(format!("no rule set {id:?}; known: {}", ids.join(", ")))
    })
}

/// `rules list`: one row (or JSON object) per rule set.
fn list(cat: &crate::rules::Catalog, format: Format, w: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = cat
                        .sets
                        .iter()
                        .map(|s| {
                            serde_json::json!({
                                "id": s.id(), "service": s.rules.service_id(), "title": s.rules.title,
                                "region": s.rules.region, "timezone": s.rules.timezone,
                                "valid_from": s.rules.valid_from, "valid_to": s.rules.valid_to,
                                "channels": s.channels, "variants": s.variants,
                                "steps": s.steps.len(), "terms": s.terms.len(), "refusal_grounds": s.grounds.len(),
                                "source": s.origin,
                            })
                        })
                        .collect();
            serde_json::to_writer_pretty(&mut *w, &rows)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(w))
        }
        Format::Text => {
            writeln!(
                w,
                "{:<48} {:<22} {:<24} {:>5} {:>5}  channels",
                "id", "region", "valid", "steps", "terms"
            )?;
            for s in &cat.sets {
                let valid = format!(
                    "{}..{}",
                    short(&s.validity.from),
                    s.validity.to.as_ref().map_or(String::new(), short)
                );
                writeln!(
                    w,
                    "{:<48} {:<22} {:<24} {:>5} {:>5}  {}",
                    s.id(),
                    s.rules.region,
                    valid,
                    s.steps.len(),
                    s.terms.len(),
                    s.channels.join(",")
                )?;
                writeln!(w, "  {}", s.rules.title.kk)?;
            }
            writeln!(w, "{} rule set(s)", cat.sets.len())?;
            let uncertain = (cat.sets.iter())
                .flat_map(|s| std::iter::once(&s.validity.from).chain(&s.validity.to))
                .any(|b| b.latest != Latest::Exact);
            if uncertain {
                writeln!(
                    w,
                    "+: the earliest possible day (the act applies some days after a publication date the data do not give; `rules show ID` says how late it may be)"
                )?;
            }
            Ok(())
        }
    }
}

/// A rule set as an inspector reads it: the act, the steps in order with their limits
/// and successors, the terms, the refusal grounds, and what the regulation leaves open.
fn show_text(r: &RuleSet, out: &mut dyn Write) -> std::io::Result<()> {
    show_act(r, out)?;
    writeln!(out, "\nsteps")?;
    for s in &r.steps {
        show_step(s, out)?;
    }
    show_rest(r, out)
}

/// Limits as one line: value, unit, severity, provenance and paragraph of each.
fn limits_text(l: Option<&Limits>) -> String {
    l.iter()
        .flat_map(|l| l.as_slice())
        .map(|l| {
            let v = l.value.map_or("?".into(), |v| v.to_string());
            let inferred = if l.provenance == Some(Provenance::Inferred) {
                ", inferred"
            } else {
                ""
            };
            let cite = l
                .cite
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            format!(
                "{v} {} ({}{inferred}){cite}",
                l.unit.as_str(),
                l.severity.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A validity bound in a table: its day, `+` when that is only the earliest possible day
/// (the legend under the table says so).
fn short(b: &Bound) -> String {
    match b.latest {
        Latest::Exact => b.earliest.to_string(),
        Latest::Day(_) | Latest::Inferred(_) | Latest::Unknown => format!("{}+", b.earliest),
    }
}

/// A validity bound in words: the day, or the window the data leave open.
fn long(b: &Bound) -> String {
    match b.latest {
        Latest::Exact => b.earliest.to_string(),
        Latest::Day(d) => format!("{} at the earliest, {d} at the latest", b.earliest),
        Latest::Inferred(d) => format!(
            "{} at the earliest, {d} at the latest (inferred)",
            b.earliest
        ),
        Latest::Unknown => format!("{} at the earliest (latest not known)", b.earliest),
    }
}

/// The act, its region and validity, channels and variants.
fn show_act(r: &RuleSet, out: &mut dyn Write) -> std::io::Result<()> {
    let start = Bound::of(r.valid_from, r.valid_from_latest.as_ref());
    let end = (r.valid_to).map(|d| Bound::of(d, r.valid_to_latest.as_ref()));
    let valid = match end {
        Some(end) => format!("from {} to {}", long(&start), long(&end)),
        None => format!("from {}", long(&start)),
    };
    writeln!(out, "{} — {}", r.id, r.title.en)?;
    writeln!(out, "  «{}»", r.title.kk)?;
    let a = &r.source.act;
    writeln!(
        out,
        "  {} No. {} of {}; {}",
        a.issuer, a.number, a.date, r.source.seed
    )?;
    writeln!(out, "  {} ({}), in force {valid}", r.region, r.timezone)?;
    let channels: Vec<&str> = r.channels.iter().map(|c| c.id.as_str()).collect();
    let variants: Vec<&str> = r.variants.iter().map(|c| c.id.as_str()).collect();
    writeln!(
        out,
        "  channels: {}; variants: {}",
        channels.join(", "),
        if variants.is_empty() {
            "-".into()
        } else {
            variants.join(", ")
        }
    )
}

/// One step: paragraph, id, actor, flags, name, limits and successors.
fn show_step(s: &Step, out: &mut dyn Write) -> std::io::Result<()> {
    let mut flags = Vec::new();
    match &s.start {
        Start::Always(true) => flags.push("start".to_string()),
        Start::In(c) => flags.push(format!("start in {}", c.join("/"))),
        Start::Always(false) => {}
    }
    if let Some(e) = s.end {
        flags.push(format!(
            "end: {}",
            if e == End::Result {
                "result"
            } else {
                "refusal"
            }
        ));
    }
    if s.refusal {
        flags.push("refusal".into());
    }
    if let Some(c) = &s.channels {
        flags.push(c.join("/"));
    }
    // Whose records hold the step (issue 16): its own `recorder`, else its actor's.
    let recorder = (s.recorder).unwrap_or_else(|| Recorder::of_actor(&s.actor));
    flags.push(format!("recorded by {}", recorder.as_str()));
    writeln!(
        out,
        "  [{}] {} ({}){}",
        s.cite,
        s.id,
        s.actor,
        if flags.is_empty() {
            String::new()
        } else {
            format!(" {{{}}}", flags.join(", "))
        }
    )?;
    writeln!(out, "      {}", s.name.en)?;
    let l = limits_text(s.limit.as_ref());
    if !l.is_empty() {
        writeln!(out, "      limit: {l}")?;
    }
    if !s.next.is_empty() {
        writeln!(out, "      next: {}", s.next.join(", "))?;
    }
    Ok(())
}

/// Terms, refusal grounds and notes.
fn show_rest(r: &RuleSet, out: &mut dyn Write) -> std::io::Result<()> {
    if !r.terms.is_empty() {
        writeln!(out, "\nterms")?;
        for t in &r.terms {
            writeln!(
                out,
                "  [{}] {}: {} -> {}: {}",
                t.cite,
                t.id,
                t.from,
                t.to.join("|"),
                limits_text(Some(&t.limit))
            )?;
        }
    }
    if !r.refusal_grounds.is_empty() {
        writeln!(out, "\nrefusal grounds")?;
        for g in &r.refusal_grounds {
            writeln!(out, "  [{}] {}: {}", g.cite, g.id, g.text.en)?;
        }
    }
    if !r.notes.is_empty() {
        writeln!(out, "\nwhat the regulation leaves open")?;
        for n in &r.notes {
            writeln!(out, "  {} [{}]: {}", n.kind, n.refs.join(", "), n.text)?;
        }
    }
    Ok(())
}
