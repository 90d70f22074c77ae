//! How order is judged: may this step come now?
//!
//! # Legal basis
//! Each regulation lists its steps in order, with who performs each and which step
//! follows which, per channel (State Corporation, e-government portal, the provider's own
//! office) and variant; the rule set's `next` lists are that process graph.
//!
//! - A case's channel and variant are the first ones its events name; they narrow the
//!   graph to the steps of that channel and variant (`Case::route`). One the regulation
//!   does not provide is reported as `unexpected_step` citing the paragraph that lists the
//!   channels (or variants), and does not narrow the graph.
//! - A case begins with a step marked `start` (for every channel, or for the channels
//!   listed). Each later step must be a successor of the last step the case reached in
//!   order (`Case::is_in_order`).
//! - A step reachable only through steps that did not happen is `missing_step` (citing the
//!   first skipped step; the case moves on). A repeated step is `duplicate_step`; any
//!   other step is `unexpected_step` (citing the step it should have followed); both leave
//!   the case where it was, so one stray event does not make every later step look out of
//!   order (`Case::out_of_order`).
//! - **Order, said once and truly.** A skipped step that the log records later (the
//!   commission recorded the day before the executor's review it follows, a hand-over
//!   recorded before the dispatch) was not missing: it was recorded out of order. The
//!   `missing_step` is then decided again once the later event is seen, and becomes one
//!   `out_of_order_step`, in its place (at the earlier-recorded event, so any consequence
//!   already linked to it by `caused_by` stays linked), naming the late step, the
//!   paragraph that puts it first, and both events with their times and lines. The
//!   late event itself adds no finding (no `unexpected_step`, no `event_after_end`) and
//!   leaves the case where it was; a limit measured at it from the case's previous
//!   event is a consequence of the same misrecording (`caused_by`). A jump over several
//!   steps is one finding: if the log records any of them later, it is the order finding
//!   for the first one recorded, and the others add nothing (when they come) and are not
//!   reported missing (when they do not: the early record is the one fault found). A
//!   jump whose skipped steps never come stays `missing_step`. The replay holds all of a
//!   case's events, and
//!   `check --stream` keeps a case that ended with a step still missing until its input
//!   ends, so both modes decide once every event of the case is seen
//!   (`Case::recorded_late`).
//! - **Where a log begins.** Each step has a recorder ([`crate::rules::recorder`]), and a
//!   log holds the records of some of them (a mapping's `records`, `check --records`; by
//!   default all). Order is judged only over the steps the log's recorders write: a step
//!   that follows the step last reached (or starts the case) through steps only others
//!   write is in order, and never `missing_step` is said for such a step; where the case
//!   skipped recorded steps too, the path through the graph that skips the fewest of them
//!   is taken and only they are named (`Case::through_unrecorded`,
//!   `Compiled::skipped_recorded`). A limit at such an event counted from the case's
//!   previous event is not measured: its clock starts at a step that is not in the log.
//! - An end step (`end: result|refusal`) ends the case, even out of order; a later event
//!   is `event_after_end`, unless the end step lists it in `next` (a new sign-in after a
//!   refused one resumes the case) (`Case::after_end`).
//! - What is handed out must match what was decided: a result after a refusal was
//!   decided, or a refusal that no step decided, is `unexpected_step`, also where the two
//!   branches share their signing and dispatch steps (`Case::check_outcome`).
//! - A step with `refusal: true` must cite a ground that the step allows: see
//!   [`refusal`](super::refusal).

use super::case::{Case, Route};
use super::finding::{Draft, Kind};
use super::message::{Arg, Message};
use crate::log::{Event, NO_TIME, NONE};
use crate::rules::compiled::{ALL, Mask, StepIx};
use crate::rules::model::End;

/// A `missing_step` that a later event of the case may show to have been recorded out
/// of order: the steps skipped, and the event that skipped them.
pub(super) struct Gap {
    /// Index in the sink of the finding.
    finding: usize,
    /// The skipped steps the log has not recorded yet.
    path: Vec<StepIx>,
    /// The event recorded before the skipped steps, and its step.
    early: Event,
    early_step: StepIx,
    /// Whether the finding already became an `out_of_order_step`.
    told: bool,
}

impl Gap {
    /// Whether a later event may still record a skipped step.
    pub(super) fn is_open(&self) -> bool {
        !self.path.is_empty()
    }
}

/// The two ways a case's path through the graph is narrowed.
#[derive(Clone, Copy)]
enum Choice {
    Channel,
    Variant,
}

impl Case<'_, '_> {
    /// The case's route: its channel and its variant, each the first one its events name.
    pub(super) fn route(&mut self) -> Route {
        Route {
            channel: self.choice(Choice::Channel),
            variant: self.choice(Choice::Variant),
        }
    }

    /// The case's channel or variant: the first one the events name. A case that names
    /// none is not filtered by it. One the regulation does not provide is reported (the
    /// service went through a channel the regulation does not allow) and not filtered by.
    fn choice(&mut self, what: Choice) -> Mask {
        let (set, maps) = (self.set, self.maps);
        let (pick, table, declared): (fn(&Event) -> u32, _, _) = match what {
            Choice::Channel => (|e: &Event| e.channel, &maps.channels, &set.rules.channels),
            Choice::Variant => (|e: &Event| e.variant, &maps.variants, &set.rules.variants),
        };
        // A regulation that names no variants does not distinguish them: any will do.
        if declared.is_empty() {
            return ALL;
        }
        let Some(ev) = self.events.iter().find(|e| pick(e) != NONE) else {
            return ALL;
        };
        match table.get(pick(ev) as usize).copied().flatten() {
            Some(m) if !m.is_empty() => m,
            _ => {
                self.undeclared_choice(ev, what, pick(ev));
                ALL
            }
        }
    }

    #[cold]
    fn undeclared_choice(&mut self, ev: &Event, what: Choice, name: u32) {
        let (set, names) = (self.set, &self.engine.log.names);
        let (key, names, declared) = match what {
            Choice::Channel => ("undeclared-channel", &names.channels, &set.rules.channels),
            Choice::Variant => ("undeclared-variant", &names.variants, &set.rules.variants),
        };
        let ids: Vec<&str> = declared.iter().map(|c| c.id.as_str()).collect();
        let msg = Message::new(key)
            .id("value", names.name(name))
            .list("provided", &ids);
        let cite = declared.first().map(|c| c.cite.as_str());
        let step = (self.step_of(ev))
            .and_then(|s| set.steps.get(usize::from(s)))
            .map(|r| r.id.as_str());
        self.push(ev, Draft::new(Kind::UnexpectedStep, step, cite, msg));
    }

    /// An event whose step the rule set does not have.
    #[cold]
    pub(super) fn unknown_step(&mut self, ev: &Event) {
        let engine = self.engine;
        let name = engine.log.names.steps.name(ev.step);
        let msg = Message::new("unknown-step")
            .id("rule_set", self.set.id())
            .id("value", name);
        self.push(ev, Draft::new(Kind::UnknownStep, Some(name), None, msg));
    }

    /// Whether step `s` comes after the case ended (reported as `event_after_end`). An end
    /// step may list steps that resume the case (signing in again after a failed
    /// authorisation): those do not.
    pub(super) fn after_end(&mut self, ev: &Event, s: StepIx) -> bool {
        let Some(end) = self.state.ended else {
            return false;
        };
        let set = self.set;
        let rule = set.step(s);
        if set.step(end).next.contains(&s) && self.route.admits(rule) {
            self.state.resume(end);
            return false;
        }
        // A step the case skipped to reach its end, recorded after it: out of order.
        if self.recorded_late(ev, s).is_some() {
            return true;
        }
        let msg = Message::new("event-after-end")
            .id("step", &rule.id)
            .arg("name", self.name_of(s));
        self.at_step(ev, Kind::EventAfterEnd, s, msg);
        true
    }

    /// Whether step `s` may come now: on the case's route, and a start step at the start
    /// or a successor of the step last reached.
    pub(super) fn is_in_order(&self, s: StepIx) -> bool {
        let set = self.set;
        let rule = set.step(s);
        self.route.admits(rule)
            && match self.state.reached {
                None => rule.is_start_in(self.route.channel),
                Some((p, _)) => set.step(p).next.contains(&s),
            }
    }

    /// Reports why `s` may not come here; returns whether the case moved on to `s`
    /// (it did past skipped steps, not with a stray or repeated step).
    #[cold]
    pub(super) fn out_of_order(&mut self, ev: &Event, s: StepIx) -> bool {
        let set = self.set;
        let rule = set.step(s);
        let prev = self.state.reached.map(|p| p.0);
        let after = prev.map_or_else(
            || Message::new("at-start"),
            |p| Message::new("after-step").id("step", &set.step(p).id),
        );
        if !self.route.admits(rule) {
            let msg = Message::new("not-on-route")
                .id("step", &rule.id)
                .arg("name", self.name_of(s));
            self.at_step(ev, Kind::UnexpectedStep, s, msg);
            return false;
        }
        if self.state.last_at(s) != NO_TIME {
            let msg = Message::new("duplicate-step")
                .id("step", &rule.id)
                .arg("name", self.name_of(s))
                .arg("after", Arg::Nested(Box::new(after)))
                .cite("cite", &rule.cite);
            self.at_step(ev, Kind::DuplicateStep, s, msg);
            return false;
        }
        if let Some(f) = self.recorded_late(ev, s) {
            self.late_finding = Some(f);
            return false;
        }
        let (route, records) = (self.route, self.engine.log.records);
        let path = if records.is_all() {
            set.skipped_path(prev, s, route.channel, route.variant)
        } else {
            set.skipped_recorded(prev, s, route.channel, route.variant, records)
        };
        match path {
            Some(path) if !path.is_empty() => {
                self.missing_steps(ev, s, &path, after);
                true
            }
            _ => {
                self.unexpected_step(ev, s, prev, after);
                false
            }
        }
    }

    /// Whether the log's recorders write step `s` (by default every step is written).
    #[inline]
    pub(super) fn is_recorded(&self, s: StepIx) -> bool {
        self.engine.log.records.has(self.set.step(s).recorder)
    }

    /// Whether step `s` follows the step last reached (or starts the case) through steps
    /// only that no recorder of this log writes: then none of them is missing, and the
    /// event is in order ([`crate::rules::recorder`]). A repeated step, one off the
    /// route, and one an earlier event skipped are judged as out of order instead.
    #[cold]
    pub(super) fn through_unrecorded(&mut self, s: StepIx) -> bool {
        let records = self.engine.log.records;
        if records.is_all() {
            return false;
        }
        let (set, route) = (self.set, self.route);
        if !route.admits(set.step(s))
            || self.state.last_at(s) != NO_TIME
            || self.gaps.iter().any(|g| g.path.contains(&s))
        {
            return false;
        }
        let prev = self.state.reached.map(|p| p.0);
        let through = set
            .skipped_recorded(prev, s, route.channel, route.variant, records)
            .is_some_and(|path| path.is_empty());
        self.after_unrecorded = through;
        through
    }

    /// Step `s` came after skipping the steps of `path` (not empty).
    fn missing_steps(&mut self, ev: &Event, s: StepIx, path: &[StepIx], after: Message) {
        let set = self.set;
        let (rule, miss) = (set.step(s), set.step(path[0]));
        let names: Vec<&str> = path.iter().map(|&i| set.step(i).id.as_str()).collect();
        let skipped: &[&str] = if names.len() > 1 { &names } else { &[] };
        let msg = Message::new("missing-step")
            .id("step", &rule.id)
            .arg("after", Arg::Nested(Box::new(after)))
            .id("missing", &miss.id)
            .arg("name", self.name_of(path[0]))
            .cite("cite", &miss.cite)
            .list("skipped", skipped);
        let d = Draft::new(Kind::MissingStep, Some(&miss.id), Some(&miss.cite), msg);
        self.push(ev, d);
        // Decided again if a later event records one of the skipped steps.
        self.gaps.push(Gap {
            finding: self.sink.len() - 1,
            path: path.to_vec(),
            early: *ev,
            early_step: s,
            told: false,
        });
    }

    /// Whether step `s` (of event `ev`) is a step an earlier event of the case skipped
    /// (a `missing_step`): it was recorded out of order, not missing. The first such event
    /// turns that `missing_step` into one `out_of_order_step` naming both events; later
    /// ones of the same gap add nothing. Returns the index of that finding in the sink.
    #[cold]
    pub(super) fn recorded_late(&mut self, ev: &Event, s: StepIx) -> Option<usize> {
        let i = self.gaps.iter().position(|g| g.path.contains(&s))?;
        let gap = self.gaps.get_mut(i)?;
        gap.path.retain(|&x| x != s);
        let (finding, early, early_step) = (gap.finding, gap.early, gap.early_step);
        if std::mem::replace(&mut gap.told, true) {
            return Some(finding);
        }
        let set = self.set;
        let (rule, before) = (set.step(s), set.step(early_step));
        let place = |e: &Event| {
            let file = self
                .engine
                .shared
                .file(u32::from(e.file))
                .unwrap_or_default();
            format!("{file}:{}", e.line)
        };
        let msg = Message::new("out-of-order-step")
            .id("step", &rule.id)
            .arg("name", self.name_of(s))
            .cite("cite", &rule.cite)
            .arg("at", Arg::Time(self.clock.local(ev.at)))
            .id("line", place(ev))
            .id("before", &before.id)
            .arg("before_at", Arg::Time(self.clock.local(early.at)))
            .id("before_line", place(&early));
        let f = self.sink.get_mut(finding)?;
        f.kind = Kind::OutOfOrderStep;
        f.step = Some(rule.id.clone());
        f.cite = Some(rule.cite.clone());
        f.message = msg;
        Some(finding)
    }

    /// Step `s` may not follow `prev` at all: cites the paragraph of the step it should
    /// have followed, and lists the steps that may.
    fn unexpected_step(&mut self, ev: &Event, s: StepIx, prev: Option<StepIx>, after: Message) {
        let (set, route) = (self.set, self.route);
        let rule = set.step(s);
        let allowed: Vec<&str> = match prev {
            None => (set.steps.iter())
                .filter(|st| st.is_start_in(route.channel) && route.admits(st))
                .map(|st| st.id.as_str())
                .collect(),
            Some(p) => (set.step(p).next.iter())
                .map(|&n| set.step(n))
                .filter(|st| route.admits(st))
                .map(|st| st.id.as_str())
                .collect(),
        };
        let cite = prev.map_or(rule.cite.as_str(), |p| set.step(p).cite.as_str());
        let msg = Message::new("unexpected-step")
            .id("step", &rule.id)
            .arg("name", self.name_of(s))
            .arg("after", Arg::Nested(Box::new(after)))
            .list("allowed", &allowed);
        let d = Draft::new(Kind::UnexpectedStep, Some(&rule.id), Some(cite), msg);
        self.push(ev, d);
    }

    /// What is handed out must match what was decided: no result after a refusal was
    /// decided, no refusal without one. Where the result and refusal branches share steps
    /// (signing, dispatch), the graph alone cannot tell the branches apart.
    pub(super) fn check_outcome(&mut self, ev: &Event, s: StepIx) {
        let set = self.set;
        let rule = set.step(s);
        let msg = match (rule.end, self.state.refused) {
            (Some(End::Result), Some(r)) => {
                let r = set.step(r);
                Message::new("result-after-refusal")
                    .id("step", &rule.id)
                    .id("refusal", &r.id)
                    .cite("cite", &r.cite)
            }
            (Some(End::Refusal), None) if !rule.refusal => {
                Message::new("refusal-undecided").id("step", &rule.id)
            }
            _ => return,
        };
        self.at_step(ev, Kind::UnexpectedStep, s, msg);
    }
}
