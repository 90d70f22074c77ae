//! One report model, one writer per format. The engine's findings and the reader's
//! account go in; nothing here decides what is a violation.

pub mod csv;
pub mod gaps;
pub mod graph;
pub mod html;
pub mod i18n;
pub mod json;
pub mod not_judged;
pub mod open_listing;
pub mod since;
pub mod summary;
pub mod text;

use crate::engine::{CaseStats, DueSoon, Finding, Kind, NotJudged, Stopped};
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
    /// Cases not judged: begun on a day for which no edition of their service is
    /// encoded (`crate::engine::unjudged`); not violations. By service, then case.
    pub not_judged: Vec<NotJudged>,
    /// Open cases with no deadline in the rule set at `--as-of` (issue 16): not
    /// violations; each stopping step is named in a warning ([`open_listing`]).
    pub open_no_deadline: Vec<Stopped>,
    /// Open cases whose next move is the applicant's own: not violations.
    pub waiting_for_applicant: Vec<Stopped>,
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
        /// Whether `latest` is inferred from publication practice rather than read.
        latest_inferred: bool,
    },
    /// The logs were judged as holding only these recorders' records (a mapping's
    /// `records`, `check --records`): steps only the others write are not judged for
    /// order, and limits and terms whose clock starts at them are not measured
    /// (`crate::rules::recorder`). Codes of [`crate::rules::recorder::Recorder`].
    Records {
        held: Vec<&'static str>,
        not_held: Vec<&'static str>,
    },
    /// A limit of a step that could not be measured in some cases (issue 16): neither
    /// kept nor broken there ([`crate::engine::evidence`]).
    LimitNotMeasured(gaps::LimitNotMeasured),
    /// Open cases stopped at a step after which the rule set gives no deadline: listed
    /// as open with no deadline in the rule set, not judged ([`crate::engine::stopped`]).
    OpenNoDeadline {
        rule_set: String,
        /// The step they stopped at, and its paragraph.
        step: String,
        cite: String,
        cases: u64,
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
                latest_inferred,
            } => {
                let days = Warning::days(*first, *last);
                let (then, bound) = match side {
                    Side::Start => ("not yet", "first"),
                    Side::End => ("no longer", "last"),
                };
                let latest = latest.map_or_else(
                    || "the data do not give the latest possible one".to_string(),
                    |l| {
                        let how = if *latest_inferred {
                            " (inferred from publication practice)"
                        } else {
                            ""
                        };
                        format!("{l} at the latest{how}")
                    },
                );
                write!(
                    f,
                    "{rule_set}: {cases} case(s) begun {days} judged under this edition, which may {then} have applied then: its {bound} day is {earliest} at the earliest and {latest}"
                )
            }
            Warning::Records { held, not_held } => write!(
                f,
                "the logs were judged as holding the records of {} only: steps recorded only by {} are not judged for order, and limits and terms whose clock starts at them are not measured",
                held.join(", "),
                not_held.join(", ")
            ),
            Warning::LimitNotMeasured(l) => write!(
                f,
                "{}: {} limit of para {} (step {}) not measured in {} case(s): {}",
                l.rule_set,
                l.limit.amount(),
                l.cite,
                l.step,
                l.cases,
                l.reason.as_str()
            ),
            Warning::OpenNoDeadline {
                rule_set,
                step,
                cite,
                cases,
            } => write!(
                f,
                "{rule_set}: {cases} open case(s) stopped at step {step} (para {cite}) with no deadline in the rule set: listed, not judged"
            ),
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
    /// The act's parts, for citing it in the reader's language ([`RuleSetRef::act_in`]).
    #[serde(skip)]
    source: crate::rules::model::Act,
    #[serde(skip)]
    annex: Option<String>,
}

impl RuleSetRef {
    /// The act in the reader's language: "Акимат Жамбылской области, постановление от
    /// 17.03.2016 № 84, приложение 1". The issuer's own English id stands in where the
    /// rule set does not name it in that language.
    pub fn act_in(&self, cat: &crate::i18n::Catalog) -> String {
        use fluent_bundle::FluentValue;
        let a = &self.source;
        let issuer = a
            .issuer_name
            .as_ref()
            .map_or(a.issuer.as_str(), |t| cat.pick(t));
        // An annex number is cited; a description of where the text stands in the act
        // ("regulation 1 (first regulation approved by para 1.1 ...)") is the rule set's
        // English note, kept in `act` and in the JSON, not a citation.
        let annex = (self.annex.as_deref())
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or("none");
        let args = [
            ("issuer", FluentValue::from(issuer)),
            ("number", FluentValue::from(a.number.as_str())),
            ("date", FluentValue::from(cat.date(a.date))),
            ("annex", FluentValue::from(annex)),
        ];
        cat.format("text-act", &args)
    }

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
            source: a.clone(),
            annex: rules.source.annex.clone(),
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
    /// Root findings of cases that lost a record of their own (`evidence_incomplete`):
    /// listed apart, and not in `violations`, its breakdowns or the exit code.
    pub evidence_incomplete: u64,
    /// Cases a rejected record named (its case id readable): judged with that caveat.
    pub cases_evidence_incomplete: u64,
    /// Rejected records whose case id could not be read: charged to no case.
    pub rejected_without_case: u64,
    /// Limits not measured, per rule set, step and limit, with the cases and the reason.
    pub limits_not_measured: Vec<gaps::LimitNotMeasured>,
    /// Cases not judged: no edition of their service is encoded for the day they began
    /// (listed in `not_judged` with the reason; not violations, not in `cases_checked`).
    pub cases_not_judged: u64,
    /// Open cases listed as open with no deadline in the rule set (not violations).
    pub open_no_deadline: u64,
    /// Open cases listed as waiting for the applicant's own move (not violations).
    pub waiting_for_applicant: u64,
    /// CSV: physical lines that continue a record (line ends inside quoted fields), so
    /// that the lines of a file are `lines + blank_lines + continued_lines` (issue 20: a
    /// stray quote made the rest of a file one record, and the count of records hid it).
    pub continued_lines: u64,
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
    /// Limits not measured, named ([`gaps::limits_not_measured`]).
    pub limits_not_measured: Vec<gaps::LimitNotMeasured>,
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
            limits_not_measured,
        } = parts;
        let due_soon = std::mem::take(&mut stats.due_soon);
        let mut not_judged = std::mem::take(&mut stats.not_judged);
        // One order whatever the replay's (parallel, streamed): a case is a case id
        // within its service.
        not_judged.sort_by(|a, b| (&a.service, &a.case).cmp(&(&b.service, &b.case)));
        // One order whatever the replay's (blocks, threads, stream): by service, then case.
        let by_case = |a: &Stopped, b: &Stopped| (&a.service, &a.case).cmp(&(&b.service, &b.case));
        let mut open_no_deadline = std::mem::take(&mut stats.open_no_deadline);
        open_no_deadline.sort_by(by_case);
        let mut waiting_for_applicant = std::mem::take(&mut stats.waiting_for_applicant);
        waiting_for_applicant.sort_by(by_case);
        let mut by_kind = BTreeMap::new();
        let mut by_severity = BTreeMap::new();
        let mut by_provider = BTreeMap::new();
        // One delay, one finding: consequences are listed but counted with their root;
        // findings on incomplete evidence are listed apart, not counted (issue 16).
        for v in violations.iter().filter(|v| gaps::is_counted(v)) {
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
            continued_lines: account.continued_lines,
            events: account.events,
            unreadable_files: account.unreadable.len() as u64,
            cases: stats.cases,
            cases_checked: stats.checked,
            cases_validity_uncertain: stats.doubts.cases,
            cases_with_violations: (stats.with_violations)
                .saturating_sub(gaps::incomplete_cases(&violations).len() as u64),
            open_cases: stats.open,
            violations: violations.iter().filter(|v| gaps::is_counted(v)).count() as u64,
            consequential: (violations.iter())
                .filter(|v| v.caused_by.is_some() && !v.evidence_incomplete)
                .count() as u64,
            violations_by_kind: by_kind,
            violations_by_severity: by_severity,
            violations_by_provider: by_provider,
            due_soon: due_soon.len() as u64,
            as_of,
            evidence_incomplete: (violations.iter())
                .filter(|v| v.evidence_incomplete && v.caused_by.is_none())
                .count() as u64,
            cases_evidence_incomplete: account.gaps.cases(),
            rejected_without_case: account.gaps.unowned,
            limits_not_measured,
            cases_not_judged: not_judged.len() as u64,
            open_no_deadline: open_no_deadline.len() as u64,
            waiting_for_applicant: waiting_for_applicant.len() as u64,
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
            not_judged,
            open_no_deadline,
            waiting_for_applicant,
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

    /// Whether the run found any violation (exit code 1): a finding on incomplete
    /// evidence is not one (issue 16; the README says why).
    pub fn has_violations(&self) -> bool {
        self.violations.iter().any(|v| !v.evidence_incomplete)
    }
}
