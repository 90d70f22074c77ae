//! Where an open case stopped, when nothing in the rule set can make it overdue (issue
//! 16, "a lost application is never silent").
//!
//! # Legal basis
//! An application the State Corporation forwarded and the provider never registered is
//! what an oversight body exists to find, so every point where an open case can stop
//! has a deadline after which [`open`](super::open) or [`terms`](super::terms) report
//! it (`open_overdue`), taken from, in this order of force: a limit of a step that may
//! come next whose clock runs while the case waits (from the case's last event, or from
//! an earlier step it had); a total term already running; the national standard's term
//! for the service where a rule set encodes it (a read-analogue or inferred figure,
//! judged as a norm). This module settles the two cases where none of these applies,
//! at `--as-of`, for a case without a result or refusal:
//!
//! - **Waiting for the applicant.** Every step that may come next is the applicant's
//!   own (a portal form not yet submitted, a payment not made:
//!   [`Mover::Applicant`](crate::rules::compiled::Mover::Applicant)),
//!   or a refusal the system forms only in answer to such an act. The applicant's delay
//!   is not the provider's: the case is listed as waiting for the applicant, never a
//!   violation, and no limit of the next step is judged against anyone.
//! - **Open with no deadline in the rule set.** A step that may come next has no limit
//!   that can run while the case waits (a desk time counted from its own start, or
//!   none at all), and no term with a figure is running. The law as encoded gives no
//!   day after which the case is late, so no verdict is built; the case is listed, with
//!   the step it stopped at, counted in the summary and named in a warning, so it is
//!   not silent either.
//!
//! Neither list changes the exit code.

use super::case::Case;
use super::finding::Name;
use crate::log::NO_TIME;
use crate::rules::compiled::{ClockStart, StepIx};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// How an open case stopped at a step waits at `--as-of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Something in the rule set can make it overdue: judged by `open` and `terms`.
    Deadline,
    /// The next move is the applicant's own.
    Applicant,
    /// No figure bounds some way forward, and no term is running.
    NoDeadline,
}

/// An open case listed, not judged: waiting for the applicant, or with no deadline in
/// the rule set ([`Wait`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stopped {
    pub case: String,
    pub service: String,
    /// The provider the case's events name (`null` when none does).
    pub provider: Option<String>,
    pub rule_set: String,
    /// The last step the case reached in order: where it stopped.
    pub step: String,
    /// That step's paragraph.
    #[serde(rename = "ref")]
    pub cite: String,
    /// The steps that may come next on the case's channel and variant.
    pub next: Vec<String>,
    /// The local time of the case's last event.
    pub at: Option<DateTime<FixedOffset>>,
    /// Which list the case belongs to.
    #[serde(skip)]
    pub wait: Wait,
}

impl<'a> Case<'_, 'a> {
    /// How the case, stopped at step `p`, waits; `running`: a term with a figure is
    /// still running ([`Case::check_terms`]).
    pub(super) fn wait_at(&self, p: StepIx, running: bool) -> Wait {
        let set = self.set;
        let route = self.route;
        if set.waits_on_applicant(p, route.channel, route.variant) {
            return Wait::Applicant;
        }
        if running {
            return Wait::Deadline;
        }
        let mut any = false;
        for &n in &set.step(p).next {
            let s = set.step(n);
            if !route.admits(s) {
                continue;
            }
            any = true;
            let bounded = s.waits
                && s.limits.iter().any(|l| match l.start {
                    ClockStart::PreviousEvent => true,
                    ClockStart::AfterStep(f) => self.state.last_at(f) != NO_TIME,
                    ClockStart::OwnStart => false,
                });
            if !bounded {
                return Wait::NoDeadline;
            }
        }
        if any {
            Wait::Deadline
        } else {
            Wait::NoDeadline
        }
    }

    /// The listing of the case stopped at `p`.
    #[cold]
    pub(super) fn stopped(&mut self, p: StepIx, wait: Wait) -> Stopped {
        let set = self.set;
        let route = self.route;
        let at = self.events.last().map(|e| self.clock.local(e.at));
        let next = (set.step(p).next.iter())
            .map(|&n| set.step(n))
            .filter(|s| route.admits(s))
            .map(|s| s.id.clone())
            .collect();
        let names = self.names();
        let step = set.step(p);
        Stopped {
            case: names.case.to_string(),
            service: names.service.to_string(),
            provider: names.provider.as_ref().map(Name::to_string),
            rule_set: names.rule_set.to_string(),
            step: step.id.clone(),
            cite: step.cite.clone(),
            next,
            at,
            wait,
        }
    }
}
