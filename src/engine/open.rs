//! Open cases: what is already overdue in a case without a result or refusal at `as_of`.
//!
//! # Legal basis
//! A case still waiting for its next step breaks the regulation once every step that may
//! come next is past its deadline: the deadline runs from where the limit's clock starts,
//! the case's last step reached, or the earlier step the limit names (`from`: 004 5.3,
//! ten working days from the registration), as [`limits`](super::limits) counts time.
//! A desk time measured from the event's own start cannot run out while a case waits,
//! nor a limit from a step the case never had; a next step without a limit that can may
//! still come in time, so nothing is overdue on this count. The finding is
//! `open_overdue` at the case's last event, citing the limit of the next step whose
//! deadline is latest.
//!
//! Hard limits (legal deadlines) are judged first. When they decide nothing (a step that
//! may come next has only a target time), the steps are judged again on all their
//! limits, as a closed case would be on each (issue 16: "an open case past a norm
//! deadline is an `open_overdue` of severity norm"): every way forward past all its
//! limits is then an `open_overdue` of severity norm, whatever the latest limit's own
//! severity, because one way forward was bound only by a target time.
//! A case waiting for a step the log's recorders do not write is not overdue: the step
//! may have come, and the log cannot say ([`crate::rules::recorder`]).
//! Open total terms are judged in [`terms`](super::terms); a case waiting for the
//! applicant's own move, or with no figure for any way forward, in
//! [`stopped`](super::stopped).

use super::case::Case;
use super::finding::{Amount, Deadline, Draft, Kind, OpenDue, limit_args};
use super::limits::Overrun;
use super::message::{Arg, Message};
use crate::calendar::OutOfRange;
use crate::log::NO_TIME;
use crate::rules::compiled::{ClockStart, Compiled, LimitRule, StepIx};
use crate::rules::model::{Severity, Unit};

impl<'a> Case<'_, 'a> {
    /// Judges an open case whose last step reached in order is `p` (at `at`) at `as_of`:
    /// on hard limits, then, when they decide nothing, on every limit as a norm.
    pub(super) fn open_steps(&mut self, p: StepIx, at: i64, as_of: i64) {
        if !self.open_steps_on(p, at, as_of, Severity::Hard) {
            self.open_steps_on(p, at, as_of, Severity::Norm);
        }
    }

    /// Judges the steps after `p` on their limits of severity `floor` or above; whether
    /// it decided the case: found it overdue, could not count it, or found it waiting
    /// for a step the log's recorders do not write (not overdue on any pass).
    fn open_steps_on(&mut self, p: StepIx, at: i64, as_of: i64, floor: Severity) -> bool {
        let set = self.set;
        let mut latest: Option<(StepIx, &LimitRule, Overrun)> = None;
        let mut uncountable: Option<(StepIx, &LimitRule, OutOfRange)> = None;
        for &n in &set.step(p).next {
            if !self.route.admits(set.step(n)) {
                continue;
            }
            // A step no recorder of this log writes may have come: the log cannot say.
            // Decided, with no finding: no weaker pass may say otherwise.
            if !self.is_recorded(n) {
                return true;
            }
            match self.overdue_next(n, at, as_of, floor) {
                Ok(Some((lim, over))) => {
                    if latest.as_ref().is_none_or(|(_, _, o)| is_later(&over, o)) {
                        latest = Some((n, lim, over));
                    }
                }
                // A step that may still come in time: nothing is overdue on this pass
                // (the norm pass weighs every limit, a hard one still running included).
                Ok(None) => return false,
                Err((lim, e)) => {
                    uncountable.get_or_insert((n, lim, e));
                }
            }
        }
        let Some(last) = self.events.last() else {
            return true;
        };
        // `as_of` (or a deadline) past the calendar's data: whether the case is overdue
        // cannot be counted, and it is said so (`outside_calendar`), never dropped.
        if let Some((n, lim, e)) = uncountable {
            self.open_uncountable(p, n, lim, at, as_of, e);
            // Judged on a way forward bound only by a target time: a norm (issue 16).
            if floor == Severity::Norm {
                self.last_as_norm();
            }
            return true;
        }
        let Some((n, lim, over)) = latest else {
            return false;
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
            norm: floor == Severity::Norm,
        };
        self.open_overdue(open, lim, over);
        true
    }

    /// An open case whose next step `n` (after `p`, reached at `at`) cannot be judged
    /// at `as_of` because a date lies outside the calendar: `outside_calendar` at the
    /// case's last event. A day-counted deadline that itself lies inside the calendar
    /// is known (a 2016 deadline is known in 2030), so the finding gives it and says it
    /// has passed; only the time taken, which would need the calendar up to `as_of`, is
    /// left out rather than guessed.
    #[cold]
    fn open_uncountable(
        &mut self,
        p: StepIx,
        n: StepIx,
        lim: &'a LimitRule,
        at: i64,
        as_of: i64,
        e: OutOfRange,
    ) {
        let set = self.set;
        let Some(last) = self.events.last() else {
            return;
        };
        let step = set.step(n);
        let what = Message::new("open-step")
            .id("step", &step.id)
            .arg("name", self.name_of(n))
            .id("prev", &set.step(p).id);
        let deadline = match lim.unit {
            Unit::WorkingDays | Unit::CalendarDays => self
                .clock
                .day_deadline(lim, self.clock.local_date(self.waiting_since(lim, at)))
                .ok()
                .filter(|d| *d < self.clock.local_date(as_of)),
            _ => None,
        };
        let allowed = Amount::whole(i64::from(lim.value), lim.unit);
        let key = match deadline {
            Some(_) => "open-outside-passed",
            None => "open-outside",
        };
        let mut msg = Message::new(key)
            .arg("as_of", Arg::Time(self.clock.local(as_of)))
            .arg("what", Arg::Nested(Box::new(what)));
        if let Some(d) = deadline {
            msg = msg.arg("deadline", Arg::Deadline(Deadline::EndOfDay(d)));
        }
        let msg = limit_args(msg, lim)
            .arg("date", Arg::Date(e.date))
            .arg("from", Arg::Date(e.from))
            .arg("to", Arg::Date(e.to));
        let mut d = Draft::new(Kind::OutsideCalendar, Some(&step.id), Some(&lim.cite), msg);
        d.limit = Some(allowed);
        d.limit_inferred = lim.inferred;
        d.deadline = deadline.map(Deadline::EndOfDay);
        self.push(last, d);
    }

    /// When the clock of `lim` started for a case waiting since its last step (at `at`):
    /// `NO_TIME` for a desk time, which cannot run while the case waits.
    fn waiting_since(&self, lim: &LimitRule, at: i64) -> i64 {
        match lim.start {
            ClockStart::PreviousEvent => at,
            // A limit from an earlier step runs from that step's event (004 5.3: ten
            // working days from the registration), if the case has one.
            ClockStart::AfterStep(f) => self.state.last_at(f),
            ClockStart::OwnStart => NO_TIME,
        }
    }

    /// The latest-running-out limit of severity `floor` or above of next step `n` when
    /// all of them have run out at `as_of`; `None` when one has not, or when the step has
    /// no such limit that can run out while the case waits; an error when none is known
    /// to be met and one cannot be counted (a date outside the calendar).
    fn overdue_next(
        &self,
        n: StepIx,
        at: i64,
        as_of: i64,
        floor: Severity,
    ) -> Result<Option<(&'a LimitRule, Overrun)>, (&'a LimitRule, OutOfRange)> {
        let mut due: Option<(&LimitRule, Overrun)> = None;
        let mut uncountable = None;
        let set: &'a Compiled = self.set;
        let limits = set.step(n).limits.iter();
        for lim in limits.filter(|l| l.severity >= floor) {
            let start = self.waiting_since(lim, at);
            if start == NO_TIME || self.lacks_time_of_day(lim) {
                continue;
            }
            match self.clock.check(lim, start, as_of) {
                Ok(Some(over)) if due.as_ref().is_none_or(|(_, o)| is_later(&over, o)) => {
                    due = Some((lim, over))
                }
                Ok(Some(_)) => {}
                // Still within this limit: the step is not overdue.
                Ok(None) => return Ok(None),
                Err(e) => {
                    uncountable.get_or_insert((lim, e));
                }
            }
        }
        match uncountable {
            Some(u) => Err(u),
            None => Ok(due),
        }
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
