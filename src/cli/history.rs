//! `reglament history --state FILE`: one row per run recorded in a nightly state.

use super::Output;
use crate::Error;
use crate::state::Store;
use crate::state::history::RunRow;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The state file (`check --state FILE`).
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: HistoryFormat,
    /// Wait up to N seconds for a run on the state to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::state::DEFAULT_WAIT.as_secs())]
    pub state_wait: u64,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub lang: super::LangArg,
}

/// Formats of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A table for a person to read.
    Text,
    /// `{"runs": [...]}`.
    Json,
    /// One row per run and provider.
    Csv,
}

pub fn run(args: HistoryArgs) -> Result<u8, Error> {
    if !args.state.exists() {
        return Err(Error::Usage(format!(
            "--state {}: no such file (a state is created by `check --state`)",
            args.state.display()
        )));
    }
    let store = Store::open(&args.state, std::time::Duration::from_secs(args.state_wait))?;
    let runs = store.history()?;
    drop(store); // read only: nothing to commit
    let lang = crate::i18n::Catalog::new(args.lang.resolve());
    let mut out = Output::open(args.out.as_deref())?;
    let written = out.write_with(|out| match args.format {
        HistoryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "runs": runs }))?;
            writeln!(out)
        }
        HistoryFormat::Csv => csv(&runs, out),
        HistoryFormat::Text => text(&runs, &lang, out),
    });
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        _ => Ok(0),
    }
}

/// One row per run and provider (a run with no provider: one row, provider empty).
fn csv(runs: &[RunRow], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "run",
        "as_of",
        "calendar",
        "events",
        "rejected",
        "duplicates",
        "cases",
        "open_cases",
        "new",
        "open",
        "resolved",
        "inputs",
        "rule_sets_changed",
        "provider",
        "provider_cases",
        "provider_cases_with_findings",
        "compliance",
    ])?;
    for r in runs {
        let inputs = (r.inputs.iter())
            .map(|i| {
                format!(
                    "{} ({} bytes, sha256 {})",
                    i.name,
                    opt(i.size),
                    i.sha256.as_deref().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let changed = (r.rule_sets_changed.iter())
            .map(|(id, c)| {
                format!(
                    "{id}: {}",
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let head = [
            r.run.to_string(),
            r.as_of.clone(),
            r.calendar.clone(),
            r.events.to_string(),
            r.rejected.to_string(),
            r.duplicates.to_string(),
            r.cases.to_string(),
            r.open_cases.to_string(),
            r.new.to_string(),
            r.open.to_string(),
            r.resolved.to_string(),
            inputs,
            changed,
        ];
        if r.providers.is_empty() {
            w.write_record(head.iter().map(String::as_str).chain(["", "", "", ""]))?;
        }
        for p in &r.providers {
            let tail = [
                p.provider.clone(),
                p.cases.to_string(),
                p.cases_with_findings.to_string(),
                p.compliance.map_or_else(String::new, |c| format!("{c:.4}")),
            ];
            w.write_record(head.iter().chain(&tail))?;
        }
    }
    w.flush()
}

fn opt(n: Option<i64>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

/// A table: one line per run, then its providers' compliance, indented.
fn text(runs: &[RunRow], cat: &crate::i18n::Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let clean = |s: &str| crate::report::text::escape(s).into_owned();
    if runs.is_empty() {
        return writeln!(out, "{}", cat.text("history-none"));
    }
    for r in runs {
        let head = cat.format(
            "history-run",
            &[
                ("run", r.run.into()),
                ("as_of", clean(&r.as_of).into()),
                ("events", r.events.into()),
                ("duplicates", r.duplicates.into()),
                ("new", r.new.into()),
                ("open", r.open.into()),
                ("resolved", r.resolved.into()),
            ],
        );
        writeln!(out, "{head}")?;
        for i in &r.inputs {
            let sha = i
                .sha256
                .as_deref()
                .map_or("-", |s| s.get(..16).unwrap_or(s));
            writeln!(
                out,
                "    {} ({}, sha256 {sha})",
                clean(&i.name),
                opt(i.size)
            )?;
        }
        for (id, c) in &r.rule_sets_changed {
            let key = match c {
                crate::report::since::RuleSetChange::Added => "since-rule-set-added",
                crate::report::since::RuleSetChange::Changed => "since-rule-set-changed",
                crate::report::since::RuleSetChange::Removed => "since-rule-set-removed",
            };
            writeln!(
                out,
                "    {}",
                cat.format(key, &[("rule_set", clean(id).into())])
            )?;
        }
        for p in &r.providers {
            let rate = p
                .compliance
                .map_or_else(|| "-".into(), |c| format!("{:.1}%", c * 100.0));
            let line = cat.format(
                "history-provider",
                &[
                    ("provider", clean(&p.provider).into()),
                    ("cases", p.cases.into()),
                    ("with", p.cases_with_findings.into()),
                    ("rate", rate.into()),
                ],
            );
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}
