//! Open cases: what is already overdue in a case without a result or refusal at `as_of`.
//!
//! # Legal basis
//! A case still waiting for its next step breaks the regulation once every step that may
//! come next is past its deadline: the deadline runs from the case's last step reached,
//! as [`limits`](super::limits) counts time. Only hard limits (legal deadlines, not
//! target times) that run from the previous event can run out while a case waits; a
//! desk time measured from the event's own start cannot. A next step without such a
//! limit may still come in time, so nothing is overdue. The finding is `open_overdue` at
//! the case's last event, citing the limit of the next step whose deadline is latest.
//! Open total terms are judged in [`terms`](super::terms).

use super::case::Case;
use super::finding::{Deadline, OpenDue};
use super::limits::Overrun;
use super::message::Message;
use crate::rules::compile::{ClockStart, Compiled, LimitRule, StepIx};
use crate::rules::model::Severity;

impl<'a> Case<'_, 'a> {
    /// Judges an open case whose last step reached in order is `p` (at `at`) at `as_of`.
    pub(super) fn open_steps(&mut self, p: StepIx, at: i64, as_of: i64) {
        let set = self.set;
        let mut latest: Option<(StepIx, &LimitRule, Overrun)> = None;
        for &n in &set.step(p).next {
            if !self.route.admits(set.step(n)) {
                continue;
            }
            // A step that may still come in time: nothing is overdue.
            let Some((lim, over)) = self.overdue_next(n, at, as_of) else {
                return;
            };
            if latest.as_ref().is_none_or(|(_, _, o)| is_later(&over, o)) {
                latest = Some((n, lim, over));
            }
        }
        let (Some((n, lim, over)), Some(last)) = (latest, self.events.last()) else {
            return;
        };
        let step = set.step(n);
        let open = OpenDue {
            step: &step.id,
            term: None,
            what: Message::new("open-step")
                .id("step", &step.id)
                .arg("name", self.name_of(n))
                .id("prev", &set.step(p).id),
            at: last,
        };
        self.open_overdue(open, lim, over);
    }

    /// The latest-running-out hard limit of next step `n` when all of them have run out
    /// at `as_of`; `None` when one has not, when one cannot be computed, or when the step
    /// has no limit that can run out while the case waits.
    fn overdue_next(&self, n: StepIx, at: i64, as_of: i64) -> Option<(&'a LimitRule, Overrun)> {
        let mut due: Option<(&LimitRule, Overrun)> = None;
        let set: &'a Compiled = self.set;
        let limits = set.step(n).limits.iter();
        for lim in limits.filter(|l| {
            l.severity == Severity::Hard && matches!(l.start, ClockStart::PreviousEvent)
        }) {
            match self.clock.check(lim, at, as_of) {
                Ok(Some(over)) if due.as_ref().is_none_or(|(_, o)| is_later(&over, o)) => {
                    due = Some((lim, over))
                }
                Ok(Some(_)) => {}
                // Still within this limit, or not computable: the step is not overdue.
                Ok(None) | Err(_) => return None,
            }
        }
        due
    }
}

fn is_later(a: &Overrun, b: &Overrun) -> bool {
    deadline_key(&a.deadline) > deadline_key(&b.deadline)
}

fn deadline_key(d: &Deadline) -> (chrono::NaiveDate, i64) {
    match d {
        Deadline::EndOfDay(day) => (*day, i64::MAX),
        Deadline::Instant(t) => (t.date_naive(), t.timestamp_millis()),
    }
}
