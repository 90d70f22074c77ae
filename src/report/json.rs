//! `--format json`: `{"summary": {...}, "violations": [...], "rejected": [...], "warnings": [...]}`.
//! Codes stay codes in every language; each violation gains `message` (its sentence in
//! the chosen language) and `message_key` (the catalog key, stable), and each warning is
//! a sentence in the chosen language.

use super::{RejectedRecord, Report, RuleSetRef, Summary};
use crate::engine::{DueSoon, Finding, Stopped};
use crate::i18n::Catalog;
use crate::log::Unreadable;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// The report as JSON writes it.
#[derive(Serialize)]
struct Json<'r> {
    summary: &'r Summary,
    violations: Vec<Violation<'r>>,
    due_soon: &'r [DueSoon],
    rejected: &'r [RejectedRecord],
    unreadable: &'r [Unreadable],
    warnings: Vec<String>,
    rule_sets: &'r BTreeMap<String, RuleSetRef>,
    /// Cases not judged, with the reason (`super::not_judged`).
    not_judged: Vec<super::not_judged::Json<'r>>,
    /// Open cases listed, not judged (issue 16).
    open_no_deadline: &'r [Stopped],
    waiting_for_applicant: &'r [Stopped],
    /// `check --state` only: findings reported before and no longer there.
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<Vec<Violation<'r>>>,
    /// `check --state` only: rule sets that differ from the last run's.
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_sets_changed: Option<&'r BTreeMap<String, super::since::RuleSetChange>>,
}

/// A finding with its sentence.
#[derive(Serialize)]
struct Violation<'r> {
    #[serde(flatten)]
    finding: &'r Finding,
    message: String,
    message_key: &'static str,
    /// `check --state` only: `new` or `open`.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<super::since::Status>,
}

pub fn write(report: &Report, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    let json = Json {
        summary: &report.summary,
        violations: (report.violations.iter().enumerate())
            .map(|(i, f)| Violation {
                finding: f,
                message: super::gaps::message(cat, f),
                message_key: f.message.key,
                status: (report.since.as_ref()).and_then(|s| s.statuses.get(i).copied()),
            })
            .collect(),
        due_soon: &report.due_soon,
        rejected: &report.rejected,
        unreadable: &report.unreadable,
        warnings: (report.warnings.iter())
            .map(|w| super::i18n::warning(cat, w))
            .collect(),
        rule_sets: &report.rule_sets,
        not_judged: super::not_judged::json(report, cat),
        open_no_deadline: &report.open_no_deadline,
        waiting_for_applicant: &report.waiting_for_applicant,
        resolved: report.since.as_ref().map(|s| {
            (s.resolved.iter())
                .map(|f| Violation {
                    finding: f,
                    message: cat.message(&f.message),
                    message_key: f.message.key,
                    status: None,
                })
                .collect()
        }),
        rule_sets_changed: report.since.as_ref().map(|s| &s.rule_sets_changed),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
