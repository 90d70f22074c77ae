//! One case against its rule set: order, step limits, refusal grounds, terms, and what
//! is overdue in a case still open at `as_of`.

use super::finding::{Amount, Deadline, Finding, Kind};
use super::limits::{Clock, Overrun, local_time};
use crate::calendar::{Calendar, OutOfRange};
use crate::log::{Event, Log, NO_TIME, NONE};
use crate::rules::Catalog;
use crate::rules::compile::{ALL, Compiled, LimitRule, Mask, StepIx};
use crate::rules::model::{End, Severity};

const NO_STEP: StepIx = StepIx::MAX;

/// Log names resolved to one rule set's indices, built once per run.
struct SetMaps {
    steps: Vec<StepIx>,
    channels: Vec<Mask>,
    variants: Vec<Mask>,
    grounds: Vec<u16>,
}

/// What the replay of all cases counted besides findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseStats {
    pub cases: u64,
    /// Cases replayed against a rule set (the others had no service or rule in force).
    pub checked: u64,
    pub with_violations: u64,
    /// Cases without a result or refusal yet.
    pub open: u64,
}

impl CaseStats {
    fn add(&mut self, checked: bool, open: bool, violated: bool) {
        self.cases += 1;
        self.checked += u64::from(checked);
        self.open += u64::from(open);
        self.with_violations += u64::from(violated);
    }

    fn merge(&mut self, o: &CaseStats) {
        self.cases += o.cases;
        self.checked += o.checked;
        self.open += o.open;
        self.with_violations += o.with_violations;
    }
}

/// Replays cases of one [`Log`] against a [`Catalog`].
pub struct Engine<'a> {
    catalog: &'a Catalog,
    calendar: &'a Calendar,
    log: &'a Log,
    as_of: Option<i64>,
    /// Editions per service id of the log.
    services: Vec<Option<&'a [usize]>>,
    maps: Vec<SetMaps>,
}

/// Per-case working memory, reused from case to case.
#[derive(Default)]
pub struct Scratch {
    last_at: Vec<i64>,
}

impl<'a> Engine<'a> {
    /// Resolves every name the log uses against every rule set, once.
    pub fn new(
        catalog: &'a Catalog,
        calendar: &'a Calendar,
        log: &'a Log,
        as_of: Option<i64>,
    ) -> Engine<'a> {
        let services = (0..log.names.services.len())
            .map(|i| catalog.editions(log.names.services.name(i as u32)))
            .collect();
        let maps = catalog
            .sets
            .iter()
            .map(|set| SetMaps {
                steps: (0..log.names.steps.len())
                    .map(|i| {
                        set.step_ix(log.names.steps.name(i as u32))
                            .unwrap_or(NO_STEP)
                    })
                    .collect(),
                channels: (0..log.names.channels.len())
                    .map(|i| {
                        set.channel_mask(log.names.channels.name(i as u32))
                            .unwrap_or(0)
                    })
                    .collect(),
                variants: (0..log.names.variants.len())
                    .map(|i| {
                        set.variant_mask(log.names.variants.name(i as u32))
                            .unwrap_or(0)
                    })
                    .collect(),
                grounds: (0..log.names.grounds.len())
                    .map(|i| {
                        set.ground_ix(log.names.grounds.name(i as u32))
                            .unwrap_or(u16::MAX)
                    })
                    .collect(),
            })
            .collect();
        Engine {
            catalog,
            calendar,
            log,
            as_of,
            services,
            maps,
        }
    }

    /// Replays every case of `cases` (each a time-ordered run of one case's events) in
    /// order, appending findings to `out`.
    pub fn replay_all<'e>(
        &self,
        cases: impl Iterator<Item = &'e [Event]>,
        out: &mut Vec<Finding>,
    ) -> CaseStats {
        let mut stats = CaseStats::default();
        let mut scratch = Scratch::default();
        for events in cases {
            let before = out.len();
            let (checked, open) = self.replay_case(events, &mut scratch, out);
            stats.add(checked, open, out.len() > before);
        }
        stats
    }

    /// As [`Engine::replay_all`], on every core of rayon's pool: cases are independent,
    /// so blocks of them are replayed in parallel, and the findings come out in the same
    /// order as from the sequential replay.
    pub fn replay_all_parallel(&self, cases: &[&[Event]], out: &mut Vec<Finding>) -> CaseStats {
        use rayon::prelude::*;
        // Large enough that per-block overhead vanishes, small enough to balance the cores.
        const BLOCK: usize = 2048;
        let parts: Vec<(Vec<Finding>, CaseStats)> = cases
            .par_chunks(BLOCK)
            .map(|block| {
                let mut found = Vec::new();
                let stats = self.replay_all(block.iter().copied(), &mut found);
                (found, stats)
            })
            .collect();
        let mut stats = CaseStats::default();
        for (mut found, s) in parts {
            out.append(&mut found);
            stats.merge(&s);
        }
        stats
    }

    /// Replays one case. Returns whether it was checked against a rule set and whether
    /// it is still open.
    pub fn replay_case(
        &self,
        events: &[Event],
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> (bool, bool) {
        let Some(first) = events.first() else {
            return (false, false);
        };
        let Some(editions) = self.services.get(first.service as usize).copied().flatten() else {
            out.push(self.bare(
                Kind::UnknownService,
                events,
                None,
                format!(
                    "no rule set describes service {:?}",
                    self.log.names.services.name(first.service)
                ),
            ));
            return (false, false);
        };
        let tz = self.catalog.sets[editions[0]].tz;
        let date = local_time(tz, first.at).date_naive();
        let Some(&set_ix) = editions
            .iter()
            .find(|&&i| self.catalog.sets[i].is_in_force(date))
        else {
            let known: Vec<String> = editions
                .iter()
                .map(|&i| {
                    let r = &self.catalog.sets[i].rules;
                    format!(
                        "{} ({}..{})",
                        r.id,
                        r.valid_from,
                        r.valid_to.map_or("".into(), |d| d.to_string())
                    )
                })
                .collect();
            out.push(self.bare(Kind::NoRuleInForce, events, Some(tz), format!("the case began on {date}, when no edition of the service was in force; known editions: {}", known.join(", "))));
            return (false, false);
        };
        let set = &self.catalog.sets[set_ix];
        let case = Case {
            engine: self,
            set,
            maps: &self.maps[set_ix],
            clock: Clock {
                tz: set.tz,
                calendar: self.calendar,
                elapsed: &set.elapsed,
            },
            events,
        };
        let open = case.replay(scratch, out);
        (true, open)
    }

    /// The provider a case's events name: the first one given.
    fn provider_of(&self, events: &[Event]) -> Option<String> {
        events
            .iter()
            .find(|e| e.provider != NONE)
            .map(|e| self.log.names.providers.name(e.provider).to_string())
    }

    /// A finding about the case as a whole, at its first event, before any rule set applies.
    #[cold]
    fn bare(
        &self,
        kind: Kind,
        events: &[Event],
        tz: Option<chrono_tz::Tz>,
        message: String,
    ) -> Finding {
        let ev = &events[0];
        Finding {
            kind,
            case: self.log.names.cases.name(ev.case).to_string(),
            service: self.log.names.services.name(ev.service).to_string(),
            provider: self.provider_of(events),
            rule_set: None,
            step: Some(self.log.names.steps.name(ev.step).to_string()),
            term: None,
            cite: None,
            severity: Severity::Hard,
            limit: None,
            limit_inferred: false,
            actual: None,
            deadline: None,
            at: Some(local_time(tz.unwrap_or(chrono_tz::Tz::UTC), ev.at)),
            message,
            file: self.log.files.get(ev.file as usize).cloned(),
            line: Some(ev.line),
        }
    }
}

/// The two ways a case's path through the graph is narrowed.
#[derive(Clone, Copy)]
enum Choice {
    Channel,
    Variant,
}

/// One case being replayed against one rule set.
struct Case<'e, 'a> {
    engine: &'e Engine<'a>,
    set: &'a Compiled,
    maps: &'e SetMaps,
    clock: Clock<'a>,
    events: &'e [Event],
}

/// A finding under construction: the parts that vary by kind.
struct Draft<'s> {
    kind: Kind,
    severity: Severity,
    step: Option<&'s str>,
    term: Option<&'s str>,
    cite: Option<&'s str>,
    limit: Option<Amount>,
    limit_inferred: bool,
    actual: Option<Amount>,
    deadline: Option<Deadline>,
    message: String,
}

impl<'s> Draft<'s> {
    fn new(kind: Kind, step: Option<&'s str>, cite: Option<&'s str>, message: String) -> Draft<'s> {
        Draft {
            kind,
            severity: Severity::Hard,
            step,
            term: None,
            cite,
            limit: None,
            limit_inferred: false,
            actual: None,
            deadline: None,
            message,
        }
    }

    /// The parts of a finding about a limit that ran out: its severity, the limit, what
    /// was taken and the deadline.
    fn overrun(mut self, term: Option<&'s str>, lim: &LimitRule, over: Overrun) -> Draft<'s> {
        self.term = term;
        self.severity = lim.severity;
        self.limit = Some(Amount::whole(i64::from(lim.value), lim.unit));
        self.limit_inferred = lim.inferred;
        self.actual = Some(over.actual);
        self.deadline = Some(over.deadline);
        self
    }
}

impl Case<'_, '_> {
    fn step_of(&self, ev: &Event) -> StepIx {
        self.maps
            .steps
            .get(ev.step as usize)
            .copied()
            .unwrap_or(NO_STEP)
    }

    /// The case's channel or variant: the first one the events name. A case that names
    /// none is not filtered by it. One the regulation does not provide is reported (the
    /// service went through a channel the regulation does not allow) and not filtered by.
    fn choice(&self, out: &mut Vec<Finding>, what: Choice) -> Mask {
        let (pick, table, names, declared): (fn(&Event) -> u32, _, _, _) = match what {
            Choice::Channel => (
                |e: &Event| e.channel,
                &self.maps.channels,
                &self.engine.log.names.channels,
                &self.set.rules.channels,
            ),
            Choice::Variant => (
                |e: &Event| e.variant,
                &self.maps.variants,
                &self.engine.log.names.variants,
                &self.set.rules.variants,
            ),
        };
        // A regulation that names no variants does not distinguish them: any will do.
        if declared.is_empty() {
            return ALL;
        }
        let Some(ev) = self.events.iter().find(|e| pick(e) != NONE) else {
            return ALL;
        };
        match table.get(pick(ev) as usize).copied().filter(|&m| m != 0) {
            Some(m) => m,
            None => {
                let ids: Vec<&str> = declared.iter().map(|c| c.id.as_str()).collect();
                let word = if matches!(what, Choice::Channel) {
                    "channel"
                } else {
                    "variant"
                };
                let msg = format!(
                    "the case names {word} {:?}, which the regulation does not provide; it provides: {}",
                    names.name(pick(ev)),
                    if ids.is_empty() {
                        "none".into()
                    } else {
                        ids.join(", ")
                    }
                );
                let cite = declared.first().map(|c| c.cite.as_str());
                let step = self
                    .set
                    .steps
                    .get(usize::from(self.step_of(ev)))
                    .map(|r| r.id.as_str());
                self.push(out, ev, Draft::new(Kind::UnexpectedStep, step, cite, msg));
                ALL
            }
        }
    }

    fn replay(&self, scratch: &mut Scratch, out: &mut Vec<Finding>) -> bool {
        let set = self.set;
        let channel = self.choice(out, Choice::Channel);
        let variant = self.choice(out, Choice::Variant);
        scratch.last_at.clear();
        scratch.last_at.resize(set.steps.len(), NO_TIME);
        // The last step the case reached in order, and the time of its last event of any step.
        let mut prev: Option<(StepIx, i64)> = None;
        let mut prev_at = NO_TIME;
        // The step that ended the case, while it is ended.
        let mut ended: Option<StepIx> = None;
        // The first step that decided a refusal.
        let mut refused: Option<StepIx> = None;

        for ev in self.events {
            let s = self.step_of(ev);
            if s == NO_STEP {
                let name = self.engine.log.names.steps.name(ev.step);
                self.push(
                    out,
                    ev,
                    Draft::new(
                        Kind::UnknownStep,
                        Some(name),
                        None,
                        format!("rule set {} has no step {name:?}", set.id()),
                    ),
                );
                continue;
            }
            let rule = &set.steps[usize::from(s)];
            // An end step may list steps that resume the case (signing in again after a
            // failed authorisation); anything else after the end is out of place.
            if let Some(end) = ended {
                let end_rule = &set.steps[usize::from(end)];
                if end_rule.next.contains(&s) && rule.is_in(channel, variant) {
                    // A new attempt: what the failed one decided no longer stands.
                    ended = None;
                    refused = None;
                    prev = Some((end, prev_at));
                }
            }
            if ended.is_some() {
                self.at_step(
                    out,
                    ev,
                    Kind::EventAfterEnd,
                    s,
                    format!(
                        "step {} ({}) came after the case had ended",
                        rule.id,
                        self.title(s)
                    ),
                );
                continue;
            }
            let allowed = rule.is_in(channel, variant)
                && match prev {
                    None => rule.is_start_in(channel),
                    Some((p, _)) => set.steps[usize::from(p)].next.contains(&s),
                };
            // A step out of order is reported and leaves the case where it was, so one
            // stray event does not make every later step look out of order too; but an
            // end step, in order or not, ends the case.
            let advance = allowed
                || self.order_finding(out, ev, prev.map(|p| p.0), s, channel, variant, scratch);
            for lim in &rule.limits {
                let start = match lim.from {
                    Some(f) => scratch.last_at[usize::from(f)],
                    None if ev.started != NO_TIME || lim.own_start_only => ev.started,
                    None => prev_at,
                };
                if start == NO_TIME {
                    continue;
                }
                match self.clock.check(lim, start, ev.at) {
                    Ok(None) => {}
                    Ok(Some(over)) => self.overdue(out, ev, Kind::StepOverdue, s, lim, over, None),
                    Err(e) => self.outside(out, ev, &rule.id, &lim.cite, e),
                }
            }
            if rule.refusal {
                self.check_ground(out, ev, s);
                refused.get_or_insert(s);
            }
            if allowed && rule.end.is_some() {
                self.check_outcome(out, ev, s, refused);
            }
            scratch.last_at[usize::from(s)] = ev.at;
            prev_at = ev.at;
            if advance {
                prev = Some((s, ev.at));
            }
            // A result or refusal handed out, even out of order, ends the case.
            ended = rule.end.map(|_| s);
        }
        let ended = ended.is_some();
        self.check_terms(out, channel, variant, ended);
        if !ended && let (Some(as_of), Some((p, at))) = (self.engine.as_of, prev) {
            self.open_steps(out, p, at, as_of, channel, variant);
        }
        !ended
    }

    fn title(&self, s: StepIx) -> &str {
        self.set
            .rules
            .steps
            .get(usize::from(s))
            .map_or("", |st| st.name.en.as_str())
    }

    #[cold]
    #[allow(clippy::too_many_arguments)]
    /// Reports why `s` may not come here; returns whether the case moved on to `s`
    /// (it did past skipped steps, not with a stray or repeated step).
    fn order_finding(
        &self,
        out: &mut Vec<Finding>,
        ev: &Event,
        prev: Option<StepIx>,
        s: StepIx,
        channel: Mask,
        variant: Mask,
        scratch: &Scratch,
    ) -> bool {
        let set = self.set;
        let rule = &set.steps[usize::from(s)];
        let after = prev.map_or_else(
            || "at the start of the case".to_string(),
            |p| format!("after {}", set.steps[usize::from(p)].id),
        );
        if !rule.is_in(channel, variant) {
            let msg = format!(
                "step {} ({}) is not part of this case's channel or variant",
                rule.id,
                self.title(s)
            );
            self.at_step(out, ev, Kind::UnexpectedStep, s, msg);
            return false;
        }
        if scratch.last_at[usize::from(s)] != NO_TIME {
            let msg = format!(
                "step {} ({}) repeated {after}, which para {} does not allow",
                rule.id,
                self.title(s),
                rule.cite
            );
            self.at_step(out, ev, Kind::DuplicateStep, s, msg);
            return false;
        }
        match set.skipped_path(prev, s, channel, variant) {
            Some(path) if !path.is_empty() => {
                let miss = &set.steps[usize::from(path[0])];
                let names: Vec<&str> = path
                    .iter()
                    .map(|&i| set.steps[usize::from(i)].id.as_str())
                    .collect();
                let msg = format!(
                    "step {} came {after} without {} ({}, para {}){}",
                    rule.id,
                    miss.id,
                    self.title(path[0]),
                    miss.cite,
                    if names.len() > 1 {
                        format!("; skipped: {}", names.join(", "))
                    } else {
                        String::new()
                    }
                );
                self.push(
                    out,
                    ev,
                    Draft::new(Kind::MissingStep, Some(&miss.id), Some(&miss.cite), msg),
                );
                true
            }
            _ => {
                let allowed: Vec<&str> = match prev {
                    None => set
                        .steps
                        .iter()
                        .filter(|st| st.is_start_in(channel) && st.is_in(channel, variant))
                        .map(|st| st.id.as_str())
                        .collect(),
                    Some(p) => set.steps[usize::from(p)]
                        .next
                        .iter()
                        .map(|&n| &set.steps[usize::from(n)])
                        .filter(|st| st.is_in(channel, variant))
                        .map(|st| st.id.as_str())
                        .collect(),
                };
                let cite = prev.map_or(rule.cite.as_str(), |p| {
                    set.steps[usize::from(p)].cite.as_str()
                });
                let msg = format!(
                    "step {} ({}) may not come {after}; allowed: {}",
                    rule.id,
                    self.title(s),
                    if allowed.is_empty() {
                        "none".into()
                    } else {
                        allowed.join(", ")
                    }
                );
                self.push(
                    out,
                    ev,
                    Draft::new(Kind::UnexpectedStep, Some(&rule.id), Some(cite), msg),
                );
                false
            }
        }
    }

    /// What is handed out must match what was decided: no result after a refusal was
    /// decided, no refusal without one. Where the result and refusal branches share steps
    /// (signing, dispatch), the graph alone cannot tell the branches apart.
    fn check_outcome(
        &self,
        out: &mut Vec<Finding>,
        ev: &Event,
        s: StepIx,
        refused: Option<StepIx>,
    ) {
        let rule = &self.set.steps[usize::from(s)];
        let msg = match (rule.end, refused) {
            (Some(End::Result), Some(r)) => {
                let r = &self.set.steps[usize::from(r)];
                format!(
                    "step {} hands out a result, but the case's refusal was decided at step {} (para {})",
                    rule.id, r.id, r.cite
                )
            }
            (Some(End::Refusal), None) if !rule.refusal => {
                format!(
                    "step {} hands out a refusal, but no step of the case decided one",
                    rule.id
                )
            }
            _ => return,
        };
        self.at_step(out, ev, Kind::UnexpectedStep, s, msg);
    }

    fn check_ground(&self, out: &mut Vec<Finding>, ev: &Event, s: StepIx) {
        let rule = &self.set.steps[usize::from(s)];
        let ground = if ev.ground == NONE {
            rule.implied_ground
        } else {
            Some(
                self.maps
                    .grounds
                    .get(ev.ground as usize)
                    .copied()
                    .unwrap_or(u16::MAX),
            )
        };
        match ground {
            None => {
                let msg = format!(
                    "refusal at step {} ({}) cites no ground; para {} requires a reasoned refusal on an allowed ground",
                    rule.id,
                    self.title(s),
                    rule.cite
                );
                self.at_step(out, ev, Kind::RefusalWithoutGround, s, msg);
            }
            Some(g) => {
                let ok =
                    g != u16::MAX && rule.allowed_grounds.as_ref().is_none_or(|a| a.contains(&g));
                if !ok {
                    let name = self.engine.log.names.grounds.name(ev.ground);
                    let allowed: Vec<&str> = match &rule.allowed_grounds {
                        Some(a) => a
                            .iter()
                            .map(|&i| self.set.grounds[usize::from(i)].as_str())
                            .collect(),
                        None => self.set.grounds.iter().map(String::as_str).collect(),
                    };
                    let msg = format!(
                        "refusal at step {} cites ground {name:?}, which the regulation does not allow here; allowed: {}",
                        rule.id,
                        allowed.join(", ")
                    );
                    self.at_step(out, ev, Kind::RefusalGroundNotAllowed, s, msg);
                }
            }
        }
    }

    fn check_terms(&self, out: &mut Vec<Finding>, channel: Mask, variant: Mask, ended: bool) {
        for term in &self.set.terms {
            if term.limits.is_empty()
                || term.channels & channel == 0
                || term.variants & variant == 0
            {
                continue;
            }
            let Some(i) = self
                .events
                .iter()
                .position(|e| self.step_of(e) == term.from)
            else {
                continue;
            };
            let start = &self.events[i];
            let end = self.events[i + 1..]
                .iter()
                .find(|e| term.to.contains(&self.step_of(e)));
            for lim in &term.limits {
                match (end, self.engine.as_of) {
                    (Some(e), _) => match self.clock.check(lim, start.at, e.at) {
                        Ok(Some(over)) => self.overdue(
                            out,
                            e,
                            Kind::TermOverdue,
                            self.step_of(e),
                            lim,
                            over,
                            Some(&term.id),
                        ),
                        Ok(None) => {}
                        Err(err) => self.outside(out, e, &term.id, &lim.cite, err),
                    },
                    (None, Some(as_of)) if !ended && lim.severity == Severity::Hard => {
                        match self.clock.check(lim, start.at, as_of) {
                            Ok(Some(over)) => {
                                let last = self.events.last().unwrap_or(start);
                                let due = term
                                    .to
                                    .first()
                                    .map_or("", |&t| self.set.steps[usize::from(t)].id.as_str());
                                self.open_overdue(
                                    out,
                                    last,
                                    due,
                                    Some(&term.id),
                                    &lim.cite,
                                    lim,
                                    over,
                                    format!(
                                        "term {} from {} to {}",
                                        term.id,
                                        self.set.steps[usize::from(term.from)].id,
                                        due
                                    ),
                                );
                            }
                            Ok(None) => {}
                            Err(err) => self.outside(out, start, &term.id, &lim.cite, err),
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// An open case is overdue when every step that may come next has a hard limit and
    /// all of them have passed at `as_of`.
    fn open_steps(
        &self,
        out: &mut Vec<Finding>,
        p: StepIx,
        at: i64,
        as_of: i64,
        channel: Mask,
        variant: Mask,
    ) {
        let set = self.set;
        let later =
            |a: &Overrun, b: &Overrun| deadline_key(&a.deadline) > deadline_key(&b.deadline);
        let mut latest: Option<(StepIx, &LimitRule, Overrun)> = None;
        for &n in &set.steps[usize::from(p)].next {
            let next = &set.steps[usize::from(n)];
            if !next.is_in(channel, variant) {
                continue;
            }
            // Only hard limits that run from the previous event can run out while the case
            // waits; a desk time (measured from the event's own start) cannot.
            let mut due: Option<(&LimitRule, Overrun)> = None;
            for lim in next
                .limits
                .iter()
                .filter(|l| l.severity == Severity::Hard && l.from.is_none() && !l.own_start_only)
            {
                match self.clock.check(lim, at, as_of) {
                    Ok(Some(over)) if due.as_ref().is_none_or(|(_, o)| later(&over, o)) => {
                        due = Some((lim, over))
                    }
                    Ok(Some(_)) => {}
                    // Still within this limit, or not computable: the step is not overdue.
                    Ok(None) | Err(_) => return,
                }
            }
            // A step without such a limit may still come in time: nothing is overdue.
            let Some((lim, over)) = due else { return };
            if latest.as_ref().is_none_or(|(_, _, o)| later(&over, o)) {
                latest = Some((n, lim, over));
            }
        }
        if let Some((n, lim, over)) = latest {
            let last = &self.events[self.events.len() - 1];
            let step = &set.steps[usize::from(n)];
            self.open_overdue(
                out,
                last,
                &step.id,
                None,
                &lim.cite,
                lim,
                over,
                format!(
                    "step {} ({}) after {}",
                    step.id,
                    self.title(n),
                    set.steps[usize::from(p)].id
                ),
            );
        }
    }

    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn open_overdue(
        &self,
        out: &mut Vec<Finding>,
        ev: &Event,
        step: &str,
        term: Option<&str>,
        cite: &str,
        lim: &LimitRule,
        over: Overrun,
        what: String,
    ) {
        let as_of = self
            .engine
            .as_of
            .map(|t| self.clock.local(t).format("%Y-%m-%d %H:%M%:z").to_string())
            .unwrap_or_default();
        let msg = format!(
            "case still open at {as_of}: {what} was due by {} ({} allowed, {}); {} have passed",
            over.deadline,
            Amount::whole(i64::from(lim.value), lim.unit),
            lim.basis(),
            over.actual
        );
        let d = Draft::new(Kind::OpenOverdue, Some(step), Some(cite), msg).overrun(term, lim, over);
        self.push(out, ev, d);
    }

    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn overdue(
        &self,
        out: &mut Vec<Finding>,
        ev: &Event,
        kind: Kind,
        s: StepIx,
        lim: &LimitRule,
        over: Overrun,
        term: Option<&str>,
    ) {
        let rule = &self.set.steps[usize::from(s)];
        let limit = Amount::whole(i64::from(lim.value), lim.unit);
        let quote = lim
            .quote
            .as_deref()
            .map(|q| format!(" («{q}»)"))
            .unwrap_or_default();
        let what = match term {
            Some(t) => format!("term {t} ending at step {}", rule.id),
            None => format!("step {} ({})", rule.id, self.title(s)),
        };
        let msg = format!(
            "{what} took {}, over the limit of {limit}{quote} {}; deadline {}",
            over.actual,
            lim.basis(),
            over.deadline
        );
        let d = Draft::new(kind, Some(&rule.id), Some(&lim.cite), msg).overrun(term, lim, over);
        self.push(out, ev, d);
    }

    #[cold]
    fn outside(&self, out: &mut Vec<Finding>, ev: &Event, step: &str, cite: &str, e: OutOfRange) {
        self.push(
            out,
            ev,
            Draft::new(
                Kind::OutsideCalendar,
                Some(step),
                Some(cite),
                format!("the limit of para {cite} could not be checked: {e}"),
            ),
        );
    }

    /// A finding about step `s` that cites the step's own paragraph.
    #[cold]
    fn at_step(&self, out: &mut Vec<Finding>, ev: &Event, kind: Kind, s: StepIx, message: String) {
        let rule = &self.set.steps[usize::from(s)];
        self.push(
            out,
            ev,
            Draft::new(kind, Some(&rule.id), Some(&rule.cite), message),
        );
    }

    #[cold]
    fn push(&self, out: &mut Vec<Finding>, ev: &Event, d: Draft) {
        let log = self.engine.log;
        out.push(Finding {
            kind: d.kind,
            case: log.names.cases.name(ev.case).to_string(),
            service: log.names.services.name(ev.service).to_string(),
            provider: self.engine.provider_of(self.events),
            rule_set: Some(self.set.id().to_string()),
            step: d.step.map(str::to_string),
            term: d.term.map(str::to_string),
            cite: d.cite.map(str::to_string),
            severity: d.severity,
            limit: d.limit,
            limit_inferred: d.limit_inferred,
            actual: d.actual,
            deadline: d.deadline,
            at: Some(self.clock.local(ev.at)),
            message: d.message,
            file: log.files.get(ev.file as usize).cloned(),
            line: Some(ev.line),
        });
    }
}

fn deadline_key(d: &Deadline) -> (chrono::NaiveDate, i64) {
    match d {
        Deadline::EndOfDay(day) => (*day, i64::MAX),
        Deadline::Instant(t) => (t.date_naive(), t.timestamp_millis()),
    }
}
