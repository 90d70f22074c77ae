//! Total terms: the time from one step to the first later step that closes the term.
//!
//! # Legal basis
//! A regulation's total term (the service's term, or a partial one such as the
//! provider's share) runs from the first event of its `from` step to the first later
//! event of any of its `to` steps, counted as [`limits`](super::limits) counts time. A
//! term over its limit is `term_overdue` at the closing event, citing the term's
//! paragraph. A case still open at `as_of` is judged on every term already running, as a
//! closed case would be (issue 16, "a lost application is never silent"): past the
//! deadline with no closing event is `open_overdue` at the case's last event, of the
//! term's own severity (an inferred or read-analogue figure is a norm, and so is its
//! `open_overdue`). A term whose value the regulation does not give is not checked
//! here; the report lists it as a warning. A term that starts at a step the log's
//! recorders do not write has no start in the log and is not measured; one that only
//! such steps close is not judged open (the log cannot show that it closed)
//! ([`crate::rules::recorder`]).

use super::case::Case;
use super::finding::{OpenDue, Overdue};
use super::message::Message;
use crate::log::Event;
use crate::rules::compiled::{LimitRule, TermRule};
use crate::rules::model::Severity;

impl Case<'_, '_> {
    /// Whether a step of this log's recorders can close the term: one its `to` lists.
    pub(super) fn can_close(&self, term: &TermRule) -> bool {
        (term.to.iter()).any(|&t| self.is_recorded(t))
    }
}

impl Case<'_, '_> {
    /// Checks every term of the case's route; `ended`: the case has a result or refusal.
    /// Returns whether a term with a figure is still running (started, not closed): an
    /// open case then has a deadline ([`stopped`](super::stopped)).
    pub(super) fn check_terms(&mut self, ended: bool) -> bool {
        let mut running = false;
        let set = self.set;
        for term in &set.terms {
            if term.limits.is_empty() || !self.route.admits_term(term) {
                continue;
            }
            let events = self.events;
            let Some(i) = events
                .iter()
                .position(|e| self.step_of(e) == Some(term.from))
            else {
                continue;
            };
            let start = &events[i];
            let end = events[i + 1..]
                .iter()
                .find(|e| self.step_of(e).is_some_and(|s| term.to.contains(&s)));
            running |= end.is_none();
            for lim in &term.limits {
                if self.lacks_time_of_day(lim) {
                    continue;
                }
                match end {
                    Some(e) => self.closed_term(term, lim, start, e),
                    None if !ended && self.can_close(term) => self.open_term(term, lim, start),
                    None => {}
                }
            }
        }
        running
    }

    /// A term closed by event `end`.
    fn closed_term(&mut self, term: &TermRule, lim: &LimitRule, start: &Event, end: &Event) {
        match self.clock.check(lim, start.at, end.at) {
            Ok(Some(over)) => {
                // The closing event's step is one of the term's `to` steps.
                if let Some(s) = self.step_of(end) {
                    self.overdue(end, Overdue::Term(&term.id, s), lim, over);
                }
            }
            Ok(None) => {}
            Err(err) => self.outside(end, &term.id, &lim.cite, err),
        }
    }

    /// A term not yet closed, judged at `as_of` when there is one.
    fn open_term(&mut self, term: &TermRule, lim: &LimitRule, start: &Event) {
        let Some(as_of) = self.engine.as_of else {
            return;
        };
        match self.clock.check(lim, start.at, as_of) {
            Ok(Some(over)) => {
                let set = self.set;
                let events = self.events;
                let due = (term.to.first()).map_or("", |&t| set.step(t).id.as_str());
                let open = OpenDue {
                    step: due,
                    term: Some(&term.id),
                    what: Message::new("open-term")
                        .id("term", &term.id)
                        .id("from", &set.step(term.from).id)
                        .id("to", due),
                    at: events.last().unwrap_or(start),
                    norm: false,
                };
                self.open_overdue(open, lim, over);
            }
            Ok(None) => {}
            Err(err) => {
                self.outside(start, &term.id, &lim.cite, err);
                // A norm term that cannot be counted stays a norm (issue 16).
                if lim.severity == Severity::Norm {
                    self.last_as_norm();
                }
            }
        }
    }
}
