//! Cases about to go overdue: an open case whose next deadline falls within a few
//! working days of `as_of` (`--due-within N`, default 2) is listed as due soon, apart
//! from violations, so the provider can still act (issue 11, "Acting before it is late").
//!
//! # Legal basis
//! Nothing is broken yet, so this is not a finding and never changes the exit code. The
//! deadline is the one whose passing [`open`](super::open) and [`terms`](super::terms)
//! would report as `open_overdue`, counted as [`limits`](super::limits) counts time:
//! the steps that may come next are overdue when every one of them is past all its hard
//! limits (so their deadline is the latest of those), or, when a step has none, past
//! all its limits of any severity (a norm, issue 16); and each total term still running
//! is overdue at its own deadline, a norm term too. The case's next deadline is the earliest of
//! these. The working days left are counted from the local date of `as_of` (not
//! counted) to the deadline's local date: 0 when it ends that day. A case already
//! overdue, or whose deadline cannot be computed, is not listed.

use super::case::Case;
use super::finding::{Amount, Deadline, Name};
use crate::log::NO_TIME;
use crate::rules::compiled::{ClockStart, LimitRule, StepIx};
use crate::rules::model::Severity;
use chrono::NaiveDate;
use serde::Serialize;

/// An open case whose next deadline falls within the `--due-within` window at `--as-of`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueSoon {
    pub case: String,
    pub service: String,
    /// The provider the case's events name (`null` when none does).
    pub provider: Option<String>,
    pub rule_set: String,
    /// The step that is due next (for a term: its first closing step).
    pub step: String,
    /// The term that runs out, when it is a term.
    pub term: Option<String>,
    #[serde(rename = "ref")]
    pub cite: String,
    pub limit: Amount,
    /// The regulation's phrase for the limit.
    pub quote: Option<String>,
    pub deadline: Deadline,
    /// Working days from the local date of `--as-of` to the deadline (0: due that day).
    pub working_days_left: u32,
}

/// One candidate deadline: the step (or term) due, its limit and when it runs out.
struct Next<'a> {
    step: StepIx,
    term: Option<&'a str>,
    lim: &'a LimitRule,
    deadline: Deadline,
}

fn day_of(d: &Deadline) -> NaiveDate {
    match d {
        Deadline::EndOfDay(day) => *day,
        Deadline::Instant(t) => t.date_naive(),
    }
}

fn key(d: &Deadline) -> (NaiveDate, i64) {
    match d {
        Deadline::EndOfDay(day) => (*day, i64::MAX),
        Deadline::Instant(t) => (t.date_naive(), t.timestamp_millis()),
    }
}

impl<'a> Case<'_, 'a> {
    /// Lists the case as due soon when its next deadline is within `within` working days
    /// of `as_of`; `p` (at `at`) is the last step it reached.
    pub(super) fn due_soon(&mut self, p: StepIx, at: i64, as_of: i64, within: u32) {
        let mut next = self.next_terms();
        let steps = (self.next_steps(p, at, Severity::Hard))
            .or_else(|| self.next_steps(p, at, Severity::Norm));
        next.extend(steps);
        let Some(first) = next.into_iter().min_by_key(|n| key(&n.deadline)) else {
            return;
        };
        let today = self.clock.local_date(as_of);
        let Ok(left) = self
            .engine
            .calendar
            .working_days_between(today, day_of(&first.deadline))
        else {
            return;
        };
        let Ok(left) = u32::try_from(left) else {
            return;
        };
        if left > within {
            return;
        }
        self.push_due(first, left);
    }

    /// The deadline of the steps that may come next: the latest limit of severity `floor`
    /// or above of each, the latest over all of them; `None` if one has no such limit
    /// that can run while the case waits (it may come at any time).
    fn next_steps(&self, p: StepIx, at: i64, floor: Severity) -> Option<Next<'a>> {
        let set = self.set;
        let mut latest: Option<Next<'a>> = None;
        for &n in &set.step(p).next {
            if !self.route.admits(set.step(n)) {
                continue;
            }
            // A step the log cannot show may come at any time.
            if !self.is_recorded(n) {
                return None;
            }
            let mut due: Option<Next<'a>> = None;
            for lim in set.step(n).limits.iter().filter(|l| l.severity >= floor) {
                let start = match lim.start {
                    ClockStart::PreviousEvent => at,
                    ClockStart::AfterStep(f) => self.state.last_at(f),
                    ClockStart::OwnStart => NO_TIME,
                };
                if start == NO_TIME || self.lacks_time_of_day(lim) {
                    continue;
                }
                let deadline = self.clock.deadline(lim, start).ok()?;
                if due
                    .as_ref()
                    .is_none_or(|d| key(&deadline) > key(&d.deadline))
                {
                    due = Some(Next {
                        step: n,
                        term: None,
                        lim,
                        deadline,
                    });
                }
            }
            let due = due?;
            if latest
                .as_ref()
                .is_none_or(|l| key(&due.deadline) > key(&l.deadline))
            {
                latest = Some(due);
            }
        }
        latest
    }

    /// The deadlines of the terms still running (started, not closed).
    fn next_terms(&self) -> Vec<Next<'a>> {
        let set = self.set;
        let events = self.events;
        let mut out = Vec::new();
        for term in &set.terms {
            if !self.route.admits_term(term) || !self.can_close(term) {
                continue;
            }
            let Some(i) = events
                .iter()
                .position(|e| self.step_of(e) == Some(term.from))
            else {
                continue;
            };
            let closed = events[i + 1..]
                .iter()
                .any(|e| self.step_of(e).is_some_and(|s| term.to.contains(&s)));
            let Some(&due) = term.to.first() else {
                continue;
            };
            if closed {
                continue;
            }
            for lim in &term.limits {
                if self.lacks_time_of_day(lim) {
                    continue;
                }
                if let Ok(deadline) = self.clock.deadline(lim, events[i].at) {
                    out.push(Next {
                        step: due,
                        term: Some(&term.id),
                        lim,
                        deadline,
                    });
                }
            }
        }
        out
    }

    #[cold]
    fn push_due(&mut self, next: Next<'a>, left: u32) {
        let set = self.set;
        let rule = set.step(next.step);
        let names = self.names();
        let due = DueSoon {
            case: names.case.to_string(),
            service: names.service.to_string(),
            provider: names.provider.as_ref().map(Name::to_string),
            rule_set: names.rule_set.to_string(),
            step: rule.id.clone(),
            term: next.term.map(str::to_string),
            cite: next.lim.cite.clone(),
            limit: Amount::whole(i64::from(next.lim.value), next.lim.unit),
            quote: next.lim.quote.clone(),
            deadline: next.deadline,
            working_days_left: left,
        };
        self.due.push(due);
    }
}
