//! One report model, one writer per format. The engine's findings and the reader's
//! account go in; nothing here decides what is a violation.

pub mod csv;
pub mod html;
pub mod json;
pub mod summary;
pub mod text;

use crate::engine::{CaseStats, Finding, Kind};
use crate::log::{Account, Rejected, Unreadable};
use crate::rules::model::{RuleSet, Severity, Text};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything one `check` run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub violations: Vec<Finding>,
    pub rejected: Vec<Rejected>,
    /// Log files that could not be read to their end.
    pub unreadable: Vec<Unreadable>,
    /// Things the reader should know that are not violations (calendar years without a
    /// recorded decree, terms not checked because the regulation gives no value).
    pub warnings: Vec<String>,
    /// The regulations the violations cite, by rule set id, so a report names the act.
    pub rule_sets: BTreeMap<String, RuleSetRef>,
}

/// Which regulation a rule set comes from, as a report cites it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetRef {
    pub title: Text,
    /// "Zhambyl region akimat No. 84 of 2016-03-17, annex 1".
    pub act: String,
    pub edition: String,
    pub seed: String,
}

impl RuleSetRef {
    pub fn of(rules: &RuleSet) -> RuleSetRef {
        let a = &rules.source.act;
        let annex = rules
            .source
            .annex
            .as_deref()
            .map(|x| format!(", annex {x}"))
            .unwrap_or_default();
        RuleSetRef {
            title: rules.title.clone(),
            act: format!("{} No. {} of {}{annex}", a.issuer, a.number, a.date),
            edition: rules.source.edition.clone(),
            seed: rules.source.seed.clone(),
        }
    }
}

/// Counts of one run. `lines == events + rejected` always holds.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: Vec<String>,
    pub lines: u64,
    pub blank_lines: u64,
    pub events: u64,
    pub rejected: u64,
    /// Log files that could not be read to their end (the run exits with code 2).
    pub unreadable_files: u64,
    pub cases: u64,
    pub cases_checked: u64,
    pub cases_with_violations: u64,
    pub open_cases: u64,
    pub violations: u64,
    pub violations_by_kind: BTreeMap<Kind, u64>,
    pub violations_by_severity: BTreeMap<Severity, u64>,
    /// Violations per provider named in the logs (cases that name none are not counted here).
    pub violations_by_provider: BTreeMap<String, u64>,
    pub as_of: Option<String>,
}

impl Report {
    pub fn new(
        files: Vec<String>,
        account: Account,
        stats: CaseStats,
        violations: Vec<Finding>,
        as_of: Option<String>,
        warnings: Vec<String>,
        rule_sets: BTreeMap<String, RuleSetRef>,
    ) -> Report {
        let mut by_kind = BTreeMap::new();
        let mut by_severity = BTreeMap::new();
        let mut by_provider = BTreeMap::new();
        for v in &violations {
            if let Some(p) = &v.provider {
                *by_provider.entry(p.clone()).or_insert(0) += 1;
            }
            *by_kind.entry(v.kind).or_insert(0) += 1;
            *by_severity.entry(v.severity).or_insert(0) += 1;
        }
        let summary = Summary {
            files,
            lines: account.lines,
            blank_lines: account.blank_lines,
            events: account.events,
            rejected: account.rejected.len() as u64,
            unreadable_files: account.unreadable.len() as u64,
            cases: stats.cases,
            cases_checked: stats.checked,
            cases_with_violations: stats.with_violations,
            open_cases: stats.open,
            violations: violations.len() as u64,
            violations_by_kind: by_kind,
            violations_by_severity: by_severity,
            violations_by_provider: by_provider,
            as_of,
        };
        Report {
            summary,
            violations,
            rejected: account.rejected,
            unreadable: account.unreadable,
            warnings,
            rule_sets,
        }
    }

    /// Whether the run found any violation (exit code 1).
    pub fn has_violations(&self) -> bool {
        !self.violations.is_empty()
    }
}
