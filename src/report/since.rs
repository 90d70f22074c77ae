//! "Since the last run" (`check --state`): each finding's status, the counts of new,
//! still open and resolved findings (all told and per provider), the findings resolved
//! by this run, and the rule sets that changed since the last run.

use crate::engine::Finding;
use serde::Serialize;
use std::collections::BTreeMap;

/// A listed finding's status against the state (`check --state` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// First reported by this run.
    New,
    /// Reported by an earlier run, and still there.
    Open,
}

/// How many findings are new, still open, and resolved by this run (consequences
/// counted as findings too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub new: u64,
    pub open: u64,
    pub resolved: u64,
}

/// How a rule set differs from the one the last run used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSetChange {
    /// Not used by the last run (new, or brought back).
    Added,
    /// Compiled to something else (an edited file, a new version of reglament).
    Changed,
    /// Used by the last run, not by this one.
    Removed,
}

/// What this run changed in the state, for the report.
#[derive(Debug, Clone, Default)]
pub struct Since {
    /// This run's number in the state.
    pub run: i64,
    /// The last run before it: its number and `--as-of`.
    pub previous: Option<(i64, String)>,
    /// The status of each finding of the report's `violations`, in their order.
    pub statuses: Vec<Status>,
    pub changes: Changes,
    /// The same counts per provider named by the findings.
    pub by_provider: BTreeMap<String, Changes>,
    /// Findings reported before and no longer there.
    pub resolved: Vec<Finding>,
    /// Rule sets whose compiled form differs from the last run's, by id.
    pub rule_sets_changed: BTreeMap<String, RuleSetChange>,
}

impl Since {
    /// Counts the statuses and the resolved findings, all told and per provider.
    pub fn count(&mut self, violations: &[Finding]) {
        let mut changes = Changes::default();
        let mut by_provider: BTreeMap<String, Changes> = BTreeMap::new();
        let mut add = |f: &Finding, field: fn(&mut Changes) -> &mut u64| {
            *field(&mut changes) += 1;
            if let Some(p) = &f.provider {
                *field(by_provider.entry(p.to_string()).or_default()) += 1;
            }
        };
        for (f, s) in violations.iter().zip(&self.statuses) {
            match s {
                Status::New => add(f, |c| &mut c.new),
                Status::Open => add(f, |c| &mut c.open),
            }
        }
        for f in &self.resolved {
            add(f, |c| &mut c.resolved);
        }
        self.changes = changes;
        self.by_provider = by_provider;
    }
}

/// The text report's first section (`check --state`): the counts since the last run, per
/// provider, the rule sets that changed, then the new and the resolved findings.
pub fn write_text(
    r: &super::Report,
    cat: &crate::i18n::Catalog,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use super::text::escape;
    use fluent_bundle::FluentValue;
    let Some(s) = &r.since else {
        return Ok(());
    };
    let text = |v: &str| FluentValue::from(escape(v).into_owned());
    let counts = |c: &Changes| {
        [
            ("new", FluentValue::from(c.new)),
            ("resolved", FluentValue::from(c.resolved)),
            ("open", FluentValue::from(c.open)),
        ]
    };
    let head = match &s.previous {
        Some((run, as_of)) => {
            let mut args = vec![
                ("previous", FluentValue::from(*run)),
                ("as_of", text(as_of)),
            ];
            args.extend(counts(&s.changes));
            cat.format("since-heading", &args)
        }
        None => cat.format("since-first", &counts(&s.changes)),
    };
    writeln!(out, "{head}")?;
    for (p, c) in &s.by_provider {
        let mut args = vec![("provider", text(p))];
        args.extend(counts(c));
        writeln!(out, "  {}", cat.format("since-provider", &args))?;
    }
    for (id, change) in &s.rule_sets_changed {
        let key = match change {
            RuleSetChange::Added => "since-rule-set-added",
            RuleSetChange::Changed => "since-rule-set-changed",
            RuleSetChange::Removed => "since-rule-set-removed",
        };
        writeln!(out, "  {}", cat.format(key, &[("rule_set", text(id))]))?;
    }
    let line = |f: &Finding| {
        let args = [
            ("case", text(&f.case)),
            ("service", text(&f.service)),
            ("kind", FluentValue::from(cat.kind(f.kind).to_owned())),
            (
                "cite",
                text(&f.cite.as_deref().map(|c| cat.cite(c)).unwrap_or_default()),
            ),
            ("message", text(&cat.message(&f.message))),
        ];
        cat.format("since-line", &args)
    };
    let new: Vec<&Finding> = (r.violations.iter().zip(&s.statuses))
        .filter(|(_, st)| **st == Status::New)
        .map(|(f, _)| f)
        .collect();
    for (key, list) in [
        ("since-new-heading", new),
        ("since-resolved-heading", s.resolved.iter().collect()),
    ] {
        if list.is_empty() {
            continue;
        }
        let n = u64::try_from(list.len()).unwrap_or(u64::MAX);
        writeln!(out, "{}", cat.format(key, &[("n", FluentValue::from(n))]))?;
        for f in list {
            writeln!(out, "  {}", line(f))?;
        }
    }
    writeln!(out)
}
