//! What the log does not show is not the provider's violation (issue 16, "A data gap is
//! not the provider's violation").
//!
//! # Legal basis
//! A finding says that a provider broke a paragraph of its regulation; it must rest on
//! the provider's own records. Two gaps in those records make the replay's arithmetic
//! say more than the records do, and both are kept apart here instead:
//!
//! - **A rejected record of the case's own.** A record the reader rejected but whose case
//!   id it could still read ([`crate::log::gaps`]) is a step the case took that the
//!   replay never saw: a row whose date the mapping could not read becomes a
//!   `missing_step` for the step it recorded, an `unexpected_step` or a second
//!   `missing_step` for the next one, and an overrun counted across the gap. Such a
//!   case is still replayed, so the inspector sees what its readable records show, but
//!   every finding of it carries `evidence_incomplete` ([`mark_incomplete`]): it is
//!   listed apart, and counted neither in the violations, the compliance rates, the
//!   root causes nor the exit code. With `--stream` an event rejected as `out_of_order`
//!   is such a record too: the case lost it.
//! - **A limit that could not be measured** ([`NotMeasured`]). A desk time measured
//!   from the event's own start (`measured_from: event_start`, the applicant's turn at
//!   the desk) cannot be measured on an event that does not say when it started; a limit
//!   in seconds, minutes or hours cannot be measured between times known only to the
//!   day. Such a limit is neither kept nor broken: it is counted per rule set, step and
//!   limit ([`Unmeasured`]) and said in a warning, and the report does not show it as kept.

use super::finding::Finding;
use crate::log::{Log, NO_TIME};
use crate::rules::compiled::{ClockStart, LimitRule, StepIx};
use crate::rules::model::Unit;
use serde::Serialize;
use std::collections::BTreeMap;

/// Marks every finding of a case that lost a record of its own (its case id and, when
/// readable, its service named by a rejected record) as `evidence_incomplete`. Run once
/// the whole input is read (with `--stream` a case's rejected record may come after its
/// findings), so both modes mark the same findings.
pub fn mark_incomplete(findings: &mut [Finding], log: &Log) {
    let gaps = &log.account.gaps;
    if gaps.is_empty() {
        return;
    }
    for f in findings {
        let case = log.names.cases.get(f.case.as_str());
        f.evidence_incomplete = case.is_some_and(|c| gaps.contains(c, f.service.as_str()));
    }
}

/// Why a limit of a step was not measured, as a stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotMeasured {
    /// The limit runs from the event's own start (`measured_from: event_start`), and the
    /// event carries no `started`.
    NoStartTime,
    /// The limit is counted in seconds, minutes or hours, and a time it runs between is
    /// known only to the day.
    DateOnly,
}

impl NotMeasured {
    pub fn as_str(self) -> &'static str {
        match self {
            NotMeasured::NoStartTime => "no_start_time",
            NotMeasured::DateOnly => "date_only",
        }
    }
}

/// How exactly a log gives an event's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// To the second (or finer): every limit can be measured.
    #[default]
    Instant,
    /// Only the day: limits counted in days can be measured, elapsed-time limits cannot.
    DateOnly,
}

/// Whether `limit` can be measured at an event whose own start is `started`
/// ([`NO_TIME`]: not recorded) and whose times have `precision`; why not, if it cannot.
///
/// # Edge cases
/// ```
/// use reglament::engine::evidence::{measurable, NotMeasured, Precision};
/// use reglament::log::NO_TIME;
/// use reglament::rules::compiled::{ClockStart, LimitRule};
/// use reglament::rules::model::{Severity, Unit};
///
/// // Seed 001, para 9: the 15-minute desk time runs from the applicant's turn.
/// let desk = LimitRule {
///     value: 15, unit: Unit::Minutes, severity: Severity::Hard, cite: "9".into(),
///     start: ClockStart::OwnStart, inferred: false, quote: None,
/// };
/// assert_eq!(measurable(&desk, NO_TIME, Precision::Instant), Err(NotMeasured::NoStartTime));
/// assert_eq!(measurable(&desk, 0, Precision::Instant), Ok(()));
/// assert_eq!(measurable(&desk, 0, Precision::DateOnly), Err(NotMeasured::DateOnly));
/// ```
pub fn measurable(
    limit: &LimitRule,
    started: i64,
    precision: Precision,
) -> Result<(), NotMeasured> {
    if limit.start == ClockStart::OwnStart && started == NO_TIME {
        return Err(NotMeasured::NoStartTime);
    }
    let elapsed = matches!(limit.unit, Unit::Seconds | Unit::Minutes | Unit::Hours);
    if elapsed && precision == Precision::DateOnly {
        return Err(NotMeasured::DateOnly);
    }
    Ok(())
}

/// One limit of one rule set's step that was not measured, and why: rule set index,
/// step, the limit's index among the step's limits, the reason.
pub type LimitKey = (usize, StepIx, usize, NotMeasured);

/// The limits not measured in a replay: per [`LimitKey`], the cases (each counted once,
/// however often the step recurs in it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unmeasured {
    pub cases: BTreeMap<LimitKey, u64>,
}

impl Unmeasured {
    /// Counts the limits one case could not measure (`found`, repeats allowed), and
    /// empties `found` for the next case.
    pub fn add_case(&mut self, found: &mut Vec<LimitKey>) {
        if found.is_empty() {
            return;
        }
        found.sort_unstable();
        found.dedup();
        for k in found.drain(..) {
            *self.cases.entry(k).or_insert(0) += 1;
        }
    }

    /// Adds the counts of another part of the same run.
    pub fn merge(&mut self, o: &Unmeasured) {
        for (k, n) in &o.cases {
            *self.cases.entry(*k).or_insert(0) += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_counts_once_per_limit() {
        let k = (0, 3, 0, NotMeasured::NoStartTime);
        let mut u = Unmeasured::default();
        u.add_case(&mut vec![k, k, (0, 4, 0, NotMeasured::NoStartTime)]);
        u.add_case(&mut vec![k]);
        assert_eq!(u.cases[&k], 2);
        assert_eq!(u.cases.len(), 2);
    }
}
