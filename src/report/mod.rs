//! One report model, one writer per format. The engine's findings and the reader's
//! account go in; nothing here decides what is a violation.

pub mod csv;
pub mod graph;
pub mod html;
pub mod i18n;
pub mod json;
pub mod since;
pub mod summary;
pub mod text;

use crate::engine::{CaseStats, DueSoon, Finding, Kind};
use crate::log::{Account, Reason, Unreadable};
use crate::rules::model::{RuleSet, Severity, Text};
use crate::rules::validity::Side;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything one `check` run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub violations: Vec<Finding>,
    /// Open cases about to go overdue at `--as-of` (`--due-within`): not violations, and
    /// they do not change the exit code.
    pub due_soon: Vec<DueSoon>,
    /// The first rejected records (`--max-rejected-shown`); the summary counts them all.
    pub rejected: Vec<RejectedRecord>,
    /// Log files that could not be read to their end.
    pub unreadable: Vec<Unreadable>,
    /// Things the reader should know that are not violations (calendar years without a
    /// recorded decree, terms not checked because the regulation gives no value).
    pub warnings: Vec<Warning>,
    /// The regulations the violations cite, by rule set id, so a report names the act.
    pub rule_sets: BTreeMap<String, RuleSetRef>,
    /// `check --state` only: what changed since the last run (each writer shows it).
    #[serde(skip)]
    pub since: Option<since::Since>,
}

/// Something a reader of a report (or of the calendar) should know that is not a
/// violation. Each output renders it: as its sentence ([`std::fmt::Display`]) in text
/// and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The calendar records no government day-swap decree for this (local) year: its
    /// working days follow the statutory holiday rules only.
    NoDecree { year: i32 },
    /// A term of a rule set the log uses is not checked: the regulation gives no value
    /// (it points to a national standard).
    TermNotChecked {
        rule_set: String,
        term: String,
        /// Paragraph of the term.
        cite: String,
    },
    /// A log that held no byte at all (a closed standard input reads as empty).
    EmptyInput { file: String },
    /// Cases judged under an edition that may not have applied on the day they began:
    /// the bound on `side` is known only to lie between `earliest` and `latest` (`None`:
    /// the data give no latest day). See `crate::rules::validity` for why they are
    /// judged, and `crate::engine::doubt` for how they are counted.
    ValidityUncertain {
        rule_set: String,
        side: Side,
        cases: u64,
        /// The first and last local date such a case began on.
        first: NaiveDate,
        last: NaiveDate,
        earliest: NaiveDate,
        latest: Option<NaiveDate>,
    },
}

impl Warning {
    /// The days the cases of a [`Warning::ValidityUncertain`] began on, as its sentence
    /// gives them: one date, or the first and the last.
    pub fn days(first: NaiveDate, last: NaiveDate) -> String {
        if first == last {
            first.to_string()
        } else {
            format!("{first}..{last}")
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::NoDecree { year } => write!(
                f,
                "no day-swap decree recorded for {year}: its days follow the statutory holiday rules only and may miss decreed swaps"
            ),
            Warning::TermNotChecked {
                rule_set,
                term,
                cite,
            } => write!(
                f,
                "{rule_set}: term {term} (para {cite}) not checked: the regulation gives no value"
            ),
            Warning::EmptyInput { file } => write!(
                f,
                "{file}: empty input, no line was read (a closed standard input reads as empty)"
            ),
            Warning::ValidityUncertain {
                rule_set,
                side,
                cases,
                first,
                last,
                earliest,
                latest,
            } => {
                let days = Warning::days(*first, *last);
                let (then, bound) = match side {
                    Side::Start => ("not yet", "first"),
                    Side::End => ("no longer", "last"),
                };
                let latest = latest.map_or_else(
                    || "the data do not give the latest possible one".to_string(),
                    |l| format!("{l} at the latest"),
                );
                write!(
                    f,
                    "{rule_set}: {cases} case(s) begun {days} judged under this edition, which may {then} have applied then: its {bound} day is {earliest} at the earliest and {latest}"
                )
            }
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A rejected record as reports show it, its file by name (only the shown ones, at most
/// `--max-rejected-shown`, carry a copy of the name).
#[derive(Debug, Clone, Serialize)]
pub struct RejectedRecord {
    pub file: String,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Stable code of the reason.
    pub code: Reason,
    /// What is wrong, for a person.
    pub reason: String,
    /// The record's first bytes.
    pub excerpt: String,
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
    /// Rejected records counted but not listed (past `--max-rejected-shown`).
    pub rejected_not_shown: u64,
    /// Every rejected record by reason.
    pub rejected_by_reason: BTreeMap<Reason, u64>,
    /// Log files that could not be read to their end (the run exits with code 2).
    pub unreadable_files: u64,
    pub cases: u64,
    pub cases_checked: u64,
    /// Checked cases judged under an edition that may not have applied on the day they
    /// began (its bounds are known only as their earliest possible days): each is named
    /// by a `ValidityUncertain` warning; their findings hold if the edition applied.
    pub cases_validity_uncertain: u64,
    pub cases_with_violations: u64,
    pub open_cases: u64,
    /// Root findings: the things that went wrong (consequences not counted).
    pub violations: u64,
    /// Findings listed with `caused_by`: limits one delay also ran past, counted with
    /// their root, not in `violations` or the counts by kind, severity and provider.
    pub consequential: u64,
    pub violations_by_kind: BTreeMap<Kind, u64>,
    pub violations_by_severity: BTreeMap<Severity, u64>,
    /// Violations per provider named in the logs (cases that name none are not counted here).
    pub violations_by_provider: BTreeMap<String, u64>,
    /// Open cases listed as due soon (not violations).
    pub due_soon: u64,
    pub as_of: Option<String>,
    /// `check --state` only: new, still open and resolved findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<since::Changes>,
}

/// What a report is built from: the reader's account, the replay's findings and counts,
/// and what the run adds.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Log files read, in order.
    pub files: Vec<String>,
    pub account: Account,
    pub stats: CaseStats,
    pub violations: Vec<Finding>,
    /// The `--as-of` moment as the report shows it.
    pub as_of: Option<String>,
    pub warnings: Vec<Warning>,
    pub rule_sets: BTreeMap<String, RuleSetRef>,
}

impl Report {
    pub fn new(parts: Parts) -> Report {
        let Parts {
            files,
            account,
            mut stats,
            violations,
            as_of,
            mut warnings,
            rule_sets,
        } = parts;
        let due_soon = std::mem::take(&mut stats.due_soon);
        let mut by_kind = BTreeMap::new();
        let mut by_severity = BTreeMap::new();
        let mut by_provider = BTreeMap::new();
        // One delay, one finding: consequences are listed but counted with their root.
        for v in violations.iter().filter(|v| v.caused_by.is_none()) {
            if let Some(p) = &v.provider {
                *by_provider.entry(p.to_string()).or_insert(0) += 1;
            }
            *by_kind.entry(v.kind).or_insert(0) += 1;
            *by_severity.entry(v.severity).or_insert(0) += 1;
        }
        let file_name = |i: u32| files.get(i as usize).cloned().unwrap_or_default();
        for &f in &account.empty_files {
            warnings.push(Warning::EmptyInput { file: file_name(f) });
        }
        let rejected = account
            .rejected
            .iter()
            .map(|r| RejectedRecord {
                file: file_name(r.file),
                line: r.line,
                field: r.field.clone(),
                code: r.reason,
                reason: r.detail.clone(),
                excerpt: r.excerpt.clone(),
            })
            .collect();
        let summary = Summary {
            rejected: account.rejected_total,
            rejected_not_shown: account.rejected_not_shown(),
            rejected_by_reason: account.rejected_by_reason,
            files,
            lines: account.lines,
            blank_lines: account.blank_lines,
            events: account.events,
            unreadable_files: account.unreadable.len() as u64,
            cases: stats.cases,
            cases_checked: stats.checked,
            cases_validity_uncertain: stats.doubts.cases,
            cases_with_violations: stats.with_violations,
            open_cases: stats.open,
            violations: violations.iter().filter(|v| v.caused_by.is_none()).count() as u64,
            consequential: violations.iter().filter(|v| v.caused_by.is_some()).count() as u64,
            violations_by_kind: by_kind,
            violations_by_severity: by_severity,
            violations_by_provider: by_provider,
            due_soon: due_soon.len() as u64,
            as_of,
            changes: None,
        };
        Report {
            summary,
            violations,
            due_soon,
            rejected,
            unreadable: account.unreadable,
            warnings,
            rule_sets,
            since: None,
        }
    }

    /// The report with what changed since the last run (`check --state`).
    pub fn with_since(mut self, mut since: since::Since) -> Report {
        since.count(&self.violations);
        self.summary.changes = Some(since.changes);
        self.since = Some(since);
        self
    }

    /// Whether the run found any violation (exit code 1).
    pub fn has_violations(&self) -> bool {
        !self.violations.is_empty()
    }
}
