//! One delay, one finding: which findings of a case are consequences of another.
//!
//! # Legal basis
//! An inspector counts what went wrong, not how many limits one late event ran past. The
//! regulations give several limits that one event can overrun at once: a step's own
//! limit (5.3 of seed 004: "он жұмыс күнінен көп емес"), a target time of an annex
//! table on the same step (8.3, a norm), and a total term ending at that step (the
//! inferred provider total). One event that came late is one thing that went wrong,
//! whichever of these it overran. Likewise, when a step was skipped (`missing_step`),
//! the next step's limit counted from the case's previous event spans the gap the
//! skipped step left: its overrun is the skipped step seen again, not a new delay.
//!
//! So, per case:
//! - **Across a gap.** A `step_overdue` whose clock ran from the previous event (not
//!   from a named step, nor from the event's own `started`) at an event that also got a
//!   `missing_step` is caused by that `missing_step`. When a later event shows the
//!   skipped step was only recorded late, that finding becomes an `out_of_order_step` in
//!   the same place, so the link holds; and a `step_overdue` from the previous event at
//!   the late event itself is caused by the same `out_of_order_step`
//!   ([`order`](super::order)): one misrecording, one finding.
//! - **At one event.** Of the other overrun findings at one event (`step_overdue`,
//!   `term_overdue`, and `open_overdue` at an open case's last event), the root is the
//!   most serious: a hard limit before a norm, a stated figure before an inferred one, a
//!   step's own limit before a term, then the earliest deadline, then the first found.
//!   Every other overrun at that event is caused by the root.
//!
//! The consequential findings are still listed, each with `caused_by` (the 0-based
//! index of its root in the report's `violations`), so the inspector sees every limit
//! that ran out. The counts of a report (`violations`, by kind, severity and provider)
//! count root findings only. The exit code does not depend on the choice: a root is
//! never less serious than what it causes (a `missing_step` is hard; an overrun group's
//! root is hard whenever any of the group is), so `--fail-on hard` trips exactly when a
//! hard finding is listed.

use super::case::Case;
use super::finding::{Deadline, Finding, Kind};
use crate::rules::model::Severity;

/// Whether a finding is an overrun of a limit at an event (a delay).
fn is_overrun(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StepOverdue | Kind::TermOverdue | Kind::OpenOverdue
    )
}

/// Rank of a finding as the root of its event's overruns: smaller is more serious.
fn rank(f: &Finding) -> (u8, bool, u8, (chrono::NaiveDate, i64)) {
    let severity = match f.severity {
        Severity::Hard => 0,
        Severity::Norm => 1,
    };
    let kind = match f.kind {
        Kind::StepOverdue => 0,
        Kind::TermOverdue => 1,
        _ => 2,
    };
    let deadline = match f.deadline {
        Some(Deadline::EndOfDay(d)) => (d, i64::MAX),
        Some(Deadline::Instant(t)) => (t.date_naive(), t.timestamp_millis()),
        None => (chrono::NaiveDate::MAX, i64::MAX),
    };
    (severity, f.limit_inferred, kind, deadline)
}

/// Links the overrun findings of `found` (the findings of one case, the first of which
/// has index `base` in the sink) that share an event to their root, as the module says.
/// Sorting by event keeps it O(n log n) in the case's findings.
pub(super) fn link_overruns(found: &mut [Finding], base: usize) {
    let mut open: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].caused_by.is_none() && is_overrun(found[i].kind))
        .collect();
    if open.len() < 2 {
        return;
    }
    let event = |f: &Finding| (f.file.clone(), f.line);
    open.sort_by_key(|&i| (event(&found[i]), i));
    let mut links = Vec::new();
    for group in open.chunk_by(|&a, &b| event(&found[a]) == event(&found[b])) {
        let Some(&root) = group.iter().min_by_key(|&&i| (rank(&found[i]), i)) else {
            continue;
        };
        links.extend(group.iter().filter(|&&j| j != root).map(|&j| (j, root)));
    }
    for (j, root) in links {
        if let Some(f) = found.get_mut(j) {
            f.caused_by = Some(base + root);
        }
    }
}

impl Case<'_, '_> {
    /// The index in the sink of the `missing_step` found at the current event, if any:
    /// `from` is the sink's length when the event's checks began.
    pub(super) fn missing_since(&self, from: usize) -> Option<usize> {
        (self.sink.get(from..)?.iter())
            .position(|f| f.kind == Kind::MissingStep)
            .map(|i| from + i)
    }
}
