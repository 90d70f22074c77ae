//! `reglament rules validate | list | show`.

use super::{Format, RulesCommand, catalog, io_err, output};
use reglament::Error;
use std::io::Write;

pub fn run(cmd: RulesCommand) -> Result<u8, Error> {
    match cmd {
        RulesCommand::Validate { dir } => {
            let cat = catalog(dir.as_deref())?;
            let mut out = output(None)?;
            let steps: usize = cat.sets.iter().map(|s| s.steps.len()).sum();
            writeln!(
                out,
                "ok: {} rule set(s), {steps} steps, all valid against rules/schema.json",
                cat.sets.len()
            )
            .map_err(io_err("<stdout>"))?;
            out.flush().map_err(io_err("<stdout>"))?;
            Ok(0)
        }
        RulesCommand::List { rules, format } => {
            let cat = catalog(rules.as_deref())?;
            let mut out = output(None)?;
            let w = &mut out;
            let res = match format {
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
                Format::Text => (|| {
                    writeln!(
                        w,
                        "{:<48} {:<22} {:<24} {:>5} {:>5}  channels",
                        "id", "region", "valid", "steps", "terms"
                    )?;
                    for s in &cat.sets {
                        let valid = format!(
                            "{}..{}",
                            s.rules.valid_from,
                            s.rules.valid_to.map_or(String::new(), |d| d.to_string())
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
                    writeln!(w, "{} rule set(s)", cat.sets.len())
                })(),
            };
            res.and_then(|()| w.flush()).map_err(io_err("<stdout>"))?;
            Ok(0)
        }
        RulesCommand::Show { id, rules, format } => {
            let cat = catalog(rules.as_deref())?;
            let Some(set) = cat.sets.iter().find(|s| s.id() == id) else {
                let ids: Vec<&str> = cat.sets.iter().map(|s| s.id()).collect();
                return Err(Error::Usage(format!(
                    "no rule set {id:?}; known: {}",
                    ids.join(", ")
                )));
            };
            let mut out = output(None)?;
            let res = match format {
                Format::Json => serde_json::to_writer_pretty(&mut out, &set.rules)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                Format::Text => (|| {
                    let r = &set.rules;
                    writeln!(
                        out,
                        "{} — {}\n  {}\n  {} ({}), valid {}..{}",
                        r.id,
                        r.title.en,
                        r.title.kk,
                        r.region,
                        r.timezone,
                        r.valid_from,
                        r.valid_to.map_or(String::new(), |d| d.to_string())
                    )?;
                    for s in &r.steps {
                        let lim: Vec<String> = s
                            .limit
                            .iter()
                            .flat_map(|l| l.as_slice())
                            .map(|l| {
                                format!(
                                    "{} {} {}",
                                    l.value.map_or("?".into(), |v| v.to_string()),
                                    l.unit.as_str(),
                                    l.severity.as_str()
                                )
                            })
                            .collect();
                        writeln!(
                            out,
                            "  [{}] {:<24} {:<28} -> {}  {}",
                            s.cite,
                            s.id,
                            lim.join("; "),
                            s.next.join(", "),
                            s.name.en
                        )?;
                    }
                    Ok(())
                })(),
            };
            res.and_then(|()| out.flush()).map_err(io_err("<stdout>"))?;
            Ok(0)
        }
    }
}
