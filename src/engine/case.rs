//! One case being replayed against one rule set: its route through the graph (fixed
//! once), its state (what it reached so far), and the findings it owns.
//!
//! `Case::replay` walks the events in time order and hands each one to the checks, one
//! module each: [`order`](super::order) (may this step come now?),
//! [`limits`](super::limits) (did it take too long?), [`refusal`](super::refusal) (does
//! a refusal cite an allowed ground?), then, once all events are in,
//! [`terms`](super::terms) (total terms) and [`open`](super::open) (what is overdue in
//! a case still open at `as_of`). A new legal rule is a new small method in its module,
//! called from `Case::event` or `Case::replay`.

use super::due::DueSoon;
use super::evidence::LimitKey;
use super::finding::{Finding, Kind, Name};
use super::limits::Clock;
use super::replay::{Engine, SetMaps};
use super::stopped::{Stopped, Wait};
use crate::log::{Event, NO_TIME};
use crate::rules::compiled::{Compiled, Mask, StepIx, StepRule, TermRule};

/// What a case's replay found it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not checked: no rule set describes its service, or none was in force.
    Unchecked,
    /// Checked, and ended with a result or a refusal.
    Closed,
    /// Checked, and still without a result or refusal.
    Open,
}

/// What replaying one case gives back besides its findings.
pub(super) struct Replayed {
    pub outcome: Outcome,
    /// The scratch memory of the step times, to reuse for the next case.
    pub last_at: Vec<i64>,
    /// Whether a step the case skipped may still be recorded by a later event (then a
    /// later event could turn a `missing_step` into an `out_of_order_step`):
    /// `check --stream` keeps such a case until its input ends.
    pub gap_open: bool,
    /// The case as listed where nothing can make it overdue ([`super::stopped`]).
    pub stopped: Option<Stopped>,
}

/// The part of the graph a case may use: its channel and its variant, the first ones its
/// events name, fixed before the first step is judged.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route {
    pub channel: Mask,
    pub variant: Mask,
}

impl Route {
    /// Whether the step occurs on this route.
    #[inline]
    pub fn admits(&self, rule: &StepRule) -> bool {
        rule.is_in(self.channel, self.variant)
    }

    /// Whether the term applies to this route.
    pub fn admits_term(&self, term: &TermRule) -> bool {
        term.channels.meets(self.channel) && term.variants.meets(self.variant)
    }
}

/// Where a case stands after the events replayed so far.
pub(super) struct State {
    /// The last step the case reached in order, and the time of its event.
    pub reached: Option<(StepIx, i64)>,
    /// Time of the case's last event, of any step.
    pub prev_at: i64,
    /// The step that ended the case, while it is ended.
    pub ended: Option<StepIx>,
    /// The first step that decided a refusal.
    pub refused: Option<StepIx>,
    /// Time of the last event of each step ([`NO_TIME`]: none yet); reused across cases.
    pub last_at: Vec<i64>,
}

impl State {
    fn new(mut last_at: Vec<i64>, steps: usize) -> State {
        last_at.clear();
        last_at.resize(steps, NO_TIME);
        State {
            reached: None,
            prev_at: NO_TIME,
            ended: None,
            refused: None,
            last_at,
        }
    }

    /// Time of the last event of step `s`, [`NO_TIME`] if none.
    pub fn last_at(&self, s: StepIx) -> i64 {
        self.last_at.get(usize::from(s)).copied().unwrap_or(NO_TIME)
    }

    /// A step the case resumes with after the end step `end` (signing in again after a
    /// failed authorisation): what the failed attempt decided no longer stands.
    pub fn resume(&mut self, end: StepIx) {
        self.ended = None;
        self.refused = None;
        self.reached = Some((end, self.prev_at));
    }

    /// Records step `s` at `at`: whether the case moved on to it, whether it ends the case.
    fn record(&mut self, s: StepIx, at: i64, advance: bool, ends: bool) {
        if let Some(t) = self.last_at.get_mut(usize::from(s)) {
            *t = at;
        }
        self.prev_at = at;
        if advance {
            self.reached = Some((s, at));
        }
        // A result or refusal handed out, even out of order, ends the case.
        self.ended = ends.then_some(s);
    }
}

/// The names every finding of one case carries, resolved at its first finding and
/// shared by the rest (the provider is looked up once per case, not per finding).
pub(super) struct CaseNames {
    pub case: Name,
    pub service: Name,
    pub provider: Option<Name>,
    pub rule_set: Name,
}

/// One case being replayed against one rule set.
pub(super) struct Case<'e, 'a> {
    pub engine: &'e Engine<'a>,
    pub set: &'a Compiled,
    set_ix: usize,
    pub maps: &'e SetMaps,
    pub clock: Clock<'a>,
    pub events: &'e [Event],
    pub route: Route,
    pub state: State,
    /// Some event of the case gives only its day, no time of day
    /// ([`Event::day_only`]): its limits in seconds, minutes or hours are not measured
    /// ([`Case::lacks_time_of_day`](super::limits)).
    pub day_only: bool,
    names: Option<CaseNames>,
    /// Steps the case skipped that a later event may still record ([`super::order`]).
    pub(super) gaps: Vec<super::order::Gap>,
    /// The order finding the current event was found out of order for, if any.
    pub(super) late_finding: Option<usize>,
    /// The current event follows the step last reached only through steps the log's
    /// recorders do not write ([`crate::rules::recorder`]).
    pub(super) after_unrecorded: bool,
    pub(super) sink: &'e mut Vec<Finding>,
    /// Where the case goes when it is about to go overdue ([`due`](super::due)).
    pub(super) due: &'e mut Vec<DueSoon>,
    /// The limits the case could not measure ([`evidence`](super::evidence)).
    pub(super) unmeasured: &'e mut Vec<LimitKey>,
}

/// What a case gathers besides its findings, moved to the replay's counts after each
/// case (the vectors are reused from case to case).
#[derive(Debug, Default)]
pub struct Gathered {
    /// The case if it is about to go overdue ([`due`](super::due)).
    pub due: Vec<DueSoon>,
    /// The limits it could not measure ([`evidence`](super::evidence)).
    pub unmeasured: Vec<LimitKey>,
}

impl<'e, 'a> Case<'e, 'a> {
    pub fn new(
        engine: &'e Engine<'a>,
        set_ix: usize,
        maps: &'e SetMaps,
        events: &'e [Event],
        last_at: Vec<i64>,
        sink: &'e mut Vec<Finding>,
        gathered: &'e mut Gathered,
    ) -> Case<'e, 'a> {
        let set = &engine.catalog.sets[set_ix];
        Case {
            engine,
            set,
            set_ix,
            maps,
            clock: Clock {
                tz: set.tz,
                calendar: engine.calendar,
                elapsed: &set.elapsed,
            },
            events,
            route: Route {
                channel: Mask::ALL,
                variant: Mask::ALL,
            },
            state: State::new(last_at, set.steps.len()),
            day_only: events.iter().any(|e| e.day_only),
            names: None,
            gaps: Vec::new(),
            late_finding: None,
            after_unrecorded: false,
            sink,
            due: &mut gathered.due,
            unmeasured: &mut gathered.unmeasured,
        }
    }

    /// Replays the case: fixes its route, judges each event, then its terms and, when
    /// open, its overdue steps, or lists it where nothing can make it overdue
    /// ([`stopped`](super::stopped)).
    pub fn replay(mut self) -> Replayed {
        self.route = self.route();
        let base = self.sink.len();
        let events = self.events;
        for ev in events {
            self.event(ev);
        }
        let ended = self.state.ended.is_some();
        let running = self.check_terms(ended);
        let mut stopped = None;
        if !ended && let (Some(as_of), Some((p, at))) = (self.engine.as_of, self.state.reached) {
            match self.wait_at(p, running) {
                Wait::Deadline => self.open_case(p, at, as_of, base),
                wait => stopped = Some(self.stopped(p, wait)),
            }
        }
        if let Some(found) = self.sink.get_mut(base..) {
            super::causes::link_overruns(found, base);
        }
        let outcome = if ended {
            Outcome::Closed
        } else {
            Outcome::Open
        };
        Replayed {
            outcome,
            last_at: self.state.last_at,
            gap_open: self.gaps.iter().any(super::order::Gap::is_open),
            stopped,
        }
    }

    /// An open case that something in the rule set can make overdue: overdue at
    /// `as_of`, or listed as due soon.
    fn open_case(&mut self, p: StepIx, at: i64, as_of: i64, base: usize) {
        self.open_steps(p, at, as_of);
        let overdue =
            (self.sink.get(base..).into_iter().flatten()).any(|f| f.kind == Kind::OpenOverdue);
        if !overdue {
            self.due_soon(p, at, as_of, self.engine.due_within);
        }
    }

    /// One event: each check in turn, then the state moves on.
    fn event(&mut self, ev: &Event) {
        let Some(s) = self.step_of(ev) else {
            self.unknown_step(ev);
            return;
        };
        if self.after_end(ev, s) {
            return;
        }
        // A step reached through steps no recorder of this log writes is in order too.
        let allowed = self.is_in_order(s) || self.through_unrecorded(s);
        let before = self.sink.len();
        // A step out of order is reported and leaves the case where it was, so one stray
        // event does not make every later step look out of order too; but an end step,
        // in order or not, ends the case.
        let advance = allowed || self.out_of_order(ev, s);
        // A limit measured across a skipped step, or at a step recorded out of order,
        // from the case's previous event, is a consequence of that order finding.
        let gap = if allowed {
            None
        } else {
            self.missing_since(before).or(self.late_finding)
        };
        self.late_finding = None;
        self.step_limits(ev, s, gap);
        self.after_unrecorded = false;
        let rule = self.set.step(s);
        if rule.refusal {
            self.check_ground(ev, s);
            self.state.refused.get_or_insert(s);
        }
        if allowed && rule.end.is_some() {
            self.check_outcome(ev, s);
        }
        self.state.record(s, ev.at, advance, rule.end.is_some());
    }

    /// The rule set's step for the event's step name; `None`: the set has no such step.
    pub fn step_of(&self, ev: &Event) -> Option<StepIx> {
        self.maps.steps.get(ev.step as usize).copied().flatten()
    }

    /// Judges the case's one event, the case having ended for good at step `end` with
    /// its earlier events already replayed (see [`Engine::replay_after_end`]).
    #[cold]
    pub(super) fn judge_after_end(mut self, end: StepIx, provider: Option<Name>) {
        let (engine, set_ix) = (self.engine, self.set_ix);
        if let Some(first) = self.events.first() {
            self.names = Some(CaseNames {
                case: Name::from(engine.log.names.cases.name(first.case)),
                service: engine.shared.service(first.service),
                provider,
                rule_set: engine.shared.rule_sets[set_ix].clone(),
            });
            self.state.ended = Some(end);
            self.event(first);
        }
    }

    /// The rule set's index in the catalog.
    pub fn set_ix(&self) -> usize {
        self.set_ix
    }

    /// The step's English name, for messages.
    pub fn title(&self, s: StepIx) -> &'a str {
        let set = self.set;
        set.rules
            .steps
            .get(usize::from(s))
            .map_or("", |st| st.name.en.as_str())
    }

    /// The case's shared names, resolved at its first finding.
    pub(super) fn names(&mut self) -> &CaseNames {
        let (engine, events, set_ix) = (self.engine, self.events, self.set_ix);
        self.names.get_or_insert_with(|| {
            let first = &events[0];
            CaseNames {
                case: Name::from(engine.log.names.cases.name(first.case)),
                service: engine.shared.service(first.service),
                provider: engine.provider_of(events),
                rule_set: engine.shared.rule_sets[set_ix].clone(),
            }
        })
    }
}
