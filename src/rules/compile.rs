//! Rule sets compiled for replay: names resolved to indices, graphs checked, time zones
//! parsed. Replay never looks anything up by string.
//!
//! Compilation rejects what the schema cannot see: a `next` naming no step, a ground no
//! step can cite, a term from a step that does not exist, an unknown time zone, a step no
//! case can reach, two editions of one service in force on the same day.

use super::load::{Bundle, LoadError};
use super::model::{
    Elapsed, End, Limits, MeasuredFrom, Provenance, RuleSet, Severity, Start, Step, Unit,
};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

/// Index of a step inside its rule set.
pub type StepIx = u16;

/// Index of a refusal ground inside its rule set ([`Compiled::grounds`]).
pub type GroundIx = u16;

/// A set of channels or variants, one bit per index in the rule set's list (at most 64,
/// as compilation checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mask(u64);

impl Mask {
    /// Every channel or variant: what a case that names none, or a regulation that
    /// distinguishes none, may use.
    pub const ALL: Mask = Mask(u64::MAX);
    /// No channel or variant.
    pub const NONE: Mask = Mask(0);

    /// The set of the one channel or variant at index `i` of the rule set's list;
    /// [`Mask::NONE`] past the 64 a mask can hold.
    pub fn bit(i: usize) -> Mask {
        u32::try_from(i)
            .ok()
            .and_then(|i| 1u64.checked_shl(i))
            .map_or(Mask::NONE, Mask)
    }

    /// Whether the two sets share a channel or variant.
    #[inline]
    pub fn meets(self, other: Mask) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Mask {
    type Output = Mask;
    fn bitor(self, o: Mask) -> Mask {
        Mask(self.0 | o.0)
    }
}

impl std::ops::BitOrAssign for Mask {
    fn bitor_assign(&mut self, o: Mask) {
        self.0 |= o.0;
    }
}

/// Every channel or variant (see [`Mask::ALL`]).
pub const ALL: Mask = Mask::ALL;

/// Where a step limit's clock starts: the file format's `from` and `measured_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStart {
    /// The case's previous event, or the event's own `started` time when the log records
    /// it (`measured_from: previous_event`, the default).
    PreviousEvent,
    /// The last event of this step (`from`).
    AfterStep(StepIx),
    /// Only the event's own `started` time; without it the limit is not measured
    /// (`measured_from: event_start`, desk service times).
    OwnStart,
}

/// One compiled limit: a number of units, with the paragraph it comes from.
#[derive(Debug, Clone)]
pub struct LimitRule {
    pub value: u32,
    pub unit: Unit,
    pub severity: Severity,
    /// Paragraph of the limit (the step's or term's own when the limit gives none).
    pub cite: String,
    /// Where the clock starts.
    pub start: ClockStart,
    /// The value is not in the regulation but inferred (its reasoning is in the rule set).
    pub inferred: bool,
    pub quote: Option<String>,
}

impl LimitRule {
    /// Where the limit comes from, as a report says it: the paragraph, and whether the
    /// figure is the regulation's own or inferred.
    pub fn basis(&self) -> String {
        if self.inferred {
            format!(
                "inferred for para {} (the figure is not in the text; see the rule set's notes)",
                self.cite
            )
        } else {
            format!("set by para {}", self.cite)
        }
    }
}

/// One compiled step.
#[derive(Debug, Clone)]
pub struct StepRule {
    pub id: String,
    pub cite: String,
    /// Channels in which a case may begin with this step ([`Mask::NONE`]: none).
    pub start: Mask,
    pub end: Option<End>,
    pub refusal: bool,
    /// Grounds the step may cite (indices into [`Compiled::grounds`]); `None`: any.
    pub allowed_grounds: Option<Vec<GroundIx>>,
    pub implied_ground: Option<GroundIx>,
    pub next: Vec<StepIx>,
    pub channels: Mask,
    pub variants: Mask,
    pub limits: Vec<LimitRule>,
}

impl StepRule {
    /// Whether a case of this channel may begin with the step.
    #[inline]
    pub fn is_start_in(&self, channel: Mask) -> bool {
        self.start.meets(channel)
    }

    /// Whether the step occurs in a case of this channel and variant.
    #[inline]
    pub fn is_in(&self, channel: Mask, variant: Mask) -> bool {
        self.channels.meets(channel) && self.variants.meets(variant)
    }
}

/// A compiled total term.
#[derive(Debug, Clone)]
pub struct TermRule {
    pub id: String,
    pub from: StepIx,
    pub to: Vec<StepIx>,
    pub channels: Mask,
    pub variants: Mask,
    pub cite: String,
    /// Limits with a known value; empty when the regulation only points elsewhere.
    pub limits: Vec<LimitRule>,
}

/// How seconds, minutes and hours are counted (see [`Elapsed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElapsedRule {
    WallClock,
    /// Office hours as seconds after local midnight; `open` is the list of intervals
    /// (start, end) of one working day, breaks removed.
    OfficeHours {
        open: Vec<(u32, u32)>,
    },
}

/// A rule set ready for replay.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// File the rule set was read from.
    pub origin: String,
    /// The rule set as resolved from its file (for `rules show` and report titles).
    pub rules: RuleSet,
    pub tz: Tz,
    pub steps: Vec<StepRule>,
    pub channels: Vec<String>,
    pub variants: Vec<String>,
    pub grounds: Vec<String>,
    pub terms: Vec<TermRule>,
    pub elapsed: ElapsedRule,
}

impl Compiled {
    pub fn id(&self) -> &str {
        &self.rules.id
    }

    /// Whether the rule set was in force on `date` (local date in its region).
    pub fn is_in_force(&self, date: NaiveDate) -> bool {
        date >= self.rules.valid_from && self.rules.valid_to.is_none_or(|to| date <= to)
    }

    /// The compiled step at `ix`, an index compilation produced for this rule set.
    #[inline]
    pub fn step(&self, ix: StepIx) -> &StepRule {
        &self.steps[usize::from(ix)]
    }

    pub fn step_ix(&self, id: &str) -> Option<StepIx> {
        self.steps
            .iter()
            .position(|s| s.id == id)
            .and_then(|i| StepIx::try_from(i).ok())
    }

    pub fn channel_mask(&self, id: &str) -> Option<Mask> {
        self.channels.iter().position(|c| c == id).map(Mask::bit)
    }

    pub fn variant_mask(&self, id: &str) -> Option<Mask> {
        self.variants.iter().position(|c| c == id).map(Mask::bit)
    }

    pub fn ground_ix(&self, id: &str) -> Option<GroundIx> {
        self.grounds
            .iter()
            .position(|g| g == id)
            .and_then(|i| u16::try_from(i).ok())
    }

    /// Shortest path of steps from `from` to `to` through the graph of this channel and
    /// variant, excluding both ends: the steps a case skipped. `None` if `to` is not
    /// reachable. `from == None` searches from every start step.
    pub fn skipped_path(
        &self,
        from: Option<StepIx>,
        to: StepIx,
        channel: Mask,
        variant: Mask,
    ) -> Option<Vec<StepIx>> {
        let n = self.steps.len();
        let mut prev: Vec<Option<StepIx>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        match from {
            Some(f) => {
                seen[usize::from(f)] = true;
                queue.push_back(f);
            }
            None => {
                for (i, s) in self.steps.iter().enumerate() {
                    if s.is_start_in(channel) && s.is_in(channel, variant) {
                        let i = StepIx::try_from(i).ok()?;
                        if i == to {
                            return Some(Vec::new());
                        }
                        seen[usize::from(i)] = true;
                        queue.push_back(i);
                    }
                }
            }
        }
        let origins: Vec<StepIx> = queue.iter().copied().collect();
        while let Some(cur) = queue.pop_front() {
            for &nx in &self.step(cur).next {
                if seen[usize::from(nx)] || !self.step(nx).is_in(channel, variant) {
                    continue;
                }
                seen[usize::from(nx)] = true;
                prev[usize::from(nx)] = Some(cur);
                if nx == to {
                    let mut path = Vec::new();
                    let mut at = cur;
                    while !(from == Some(at) || (from.is_none() && prev[usize::from(at)].is_none()))
                    {
                        path.push(at);
                        at = prev[usize::from(at)]?;
                    }
                    if from.is_none() && origins.contains(&at) {
                        path.push(at);
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(nx);
            }
        }
        None
    }
}

/// Every rule set of a run, with the services that events name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub sets: Vec<Compiled>,
    services: HashMap<String, Vec<usize>>,
}

impl Catalog {
    /// Editions (indices into `sets`) of the service events call `name`.
    pub fn editions(&self, name: &str) -> Option<&[usize]> {
        self.services.get(name).map(Vec::as_slice)
    }

    /// Compiles every rule set of `bundle`, collecting every error.
    pub fn compile(bundle: Bundle) -> Result<Catalog, Vec<LoadError>> {
        let mut errors = Vec::new();
        let mut cat = Catalog::default();
        for (origin, rs) in bundle.rule_sets {
            match compile_one(&origin, rs) {
                Ok(c) => cat.sets.push(c),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let mut ids: HashMap<&str, &str> = HashMap::new();
        for c in &cat.sets {
            if let Some(first) = ids.insert(c.id(), &c.origin) {
                errors.push(LoadError {
                    origin: c.origin.clone(),
                    at: Some("/id".into()),
                    message: format!("rule set id {:?} is also used by {first}", c.id()),
                });
            }
        }
        for (i, c) in cat.sets.iter().enumerate() {
            cat.services
                .entry(c.rules.service_id().to_string())
                .or_default()
                .push(i);
        }
        for editions in cat.services.values_mut() {
            editions.sort_by_key(|&i| cat.sets[i].rules.valid_from);
            for w in editions.windows(2) {
                let (a, b) = (&cat.sets[w[0]], &cat.sets[w[1]]);
                if a.rules.valid_to.is_none_or(|to| to >= b.rules.valid_from) {
                    errors.push(LoadError {
                        origin: b.origin.clone(),
                        at: Some("/valid_from".into()),
                        message: format!(
                            "edition {} of service {:?} overlaps edition {} ({})",
                            b.id(),
                            b.rules.service_id(),
                            a.id(),
                            a.origin
                        ),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(cat)
        } else {
            Err(errors)
        }
    }
}

fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 3600 + m.parse::<u32>().ok()? * 60)
}

fn compile_one(origin: &str, rs: RuleSet) -> Result<Compiled, Vec<LoadError>> {
    let mut c = Compiler::new(origin, &rs);
    let tz = c.timezone();
    c.validity();
    c.names();
    let steps = c.steps();
    c.reachable(&steps);
    let terms = c.terms();
    let elapsed = c.schedule();
    let Compiler {
        errors,
        channels,
        variants,
        grounds,
        ..
    } = c;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Compiled {
        origin: origin.to_string(),
        rules: rs,
        tz,
        steps,
        channels,
        variants,
        grounds,
        terms,
        elapsed,
    })
}

/// Compiles one rule set part by part: each method builds its part from the file's
/// names, and every name that resolves to nothing is an error at its JSON Pointer.
/// Errors are collected, not returned at the first, so one run lists them all.
struct Compiler<'r> {
    origin: &'r str,
    rs: &'r RuleSet,
    step_ix: HashMap<&'r str, StepIx>,
    channels: Vec<String>,
    variants: Vec<String>,
    grounds: Vec<String>,
    errors: Vec<LoadError>,
}

impl<'r> Compiler<'r> {
    /// Channels, variants and grounds: the lists every later part resolves names against.
    fn new(origin: &'r str, rs: &'r RuleSet) -> Compiler<'r> {
        Compiler {
            origin,
            rs,
            step_ix: HashMap::with_capacity(rs.steps.len()),
            channels: rs.channels.iter().map(|c| c.id.clone()).collect(),
            variants: rs.variants.iter().map(|c| c.id.clone()).collect(),
            grounds: rs.refusal_grounds.iter().map(|g| g.id.clone()).collect(),
            errors: Vec::new(),
        }
    }

    /// The sizes the index types allow, and step ids that are unique (a later step of
    /// the same id is an error; names resolve to the last one).
    fn names(&mut self) {
        let rs = self.rs;
        if self.channels.len() > 64
            || self.variants.len() > 64
            || rs.steps.len() >= usize::from(StepIx::MAX)
        {
            self.error(
                "/".into(),
                "too many channels, variants or steps (at most 64, 64 and 65534)".into(),
            );
        }
        for (i, s) in rs.steps.iter().enumerate() {
            let Ok(ix) = StepIx::try_from(i) else { break };
            if self.step_ix.insert(s.id.as_str(), ix).is_some() {
                self.error(
                    format!("/steps/{i}/id"),
                    format!("duplicate step id {:?}", s.id),
                );
            }
        }
    }

    fn error(&mut self, at: String, message: String) {
        self.errors.push(LoadError {
            origin: self.origin.to_string(),
            at: Some(at),
            message,
        });
    }

    /// The step named `id`, or an error at `at`.
    fn step(&mut self, id: &str, at: impl FnOnce() -> String) -> Option<StepIx> {
        let ix = self.step_ix.get(id).copied();
        if ix.is_none() {
            self.error(at(), format!("no step {id:?}"));
        }
        ix
    }

    /// The refusal ground named `id`, or an error at `at`.
    fn ground(&mut self, id: &str, at: impl FnOnce() -> String) -> Option<GroundIx> {
        let ix = self
            .grounds
            .iter()
            .position(|g| g == id)
            .and_then(|i| GroundIx::try_from(i).ok());
        if ix.is_none() {
            self.error(at(), format!("no refusal ground {id:?}"));
        }
        ix
    }

    fn timezone(&mut self) -> Tz {
        match self.rs.timezone.parse() {
            Ok(tz) => tz,
            Err(_) => {
                let msg = format!("unknown IANA time zone {:?}", self.rs.timezone);
                self.error("/timezone".into(), msg);
                Tz::UTC
            }
        }
    }

    fn validity(&mut self) {
        if let Some(to) = self.rs.valid_to
            && to < self.rs.valid_from
        {
            let msg = format!("valid_to {to} is before valid_from {}", self.rs.valid_from);
            self.error("/valid_to".into(), msg);
        }
    }

    /// The mask of the channels (`variants == false`) or variants listed; `None`: all.
    fn mask(&mut self, list: Option<&[String]>, variants: bool, at: &str) -> Mask {
        let Some(ids) = list else { return ALL };
        let mut m = Mask::NONE;
        for (j, id) in ids.iter().enumerate() {
            let all = if variants {
                &self.variants
            } else {
                &self.channels
            };
            match all.iter().position(|c| c == id) {
                Some(p) if p < 64 => m |= Mask::bit(p),
                _ => self.error(format!("{at}/{j}"), format!("{id:?} is not declared")),
            }
        }
        m
    }

    /// The limits with a value (a limit that only points to a standard has none).
    fn limits(&mut self, l: Option<&Limits>, cite: &str, at: &str) -> Vec<LimitRule> {
        let Some(l) = l else { return Vec::new() };
        let many = matches!(l, Limits::Many(_));
        let mut out = Vec::new();
        for (j, lim) in l.as_slice().iter().enumerate() {
            let at = if many {
                format!("{at}/{j}")
            } else {
                at.to_string()
            };
            let start = match (&lim.from, lim.measured_from) {
                (Some(f), _) => match self.step(f, || format!("{at}/from")) {
                    Some(ix) => ClockStart::AfterStep(ix),
                    None => ClockStart::PreviousEvent,
                },
                (None, Some(MeasuredFrom::EventStart)) => ClockStart::OwnStart,
                (None, _) => ClockStart::PreviousEvent,
            };
            let Some(value) = lim.value else { continue };
            out.push(LimitRule {
                value,
                unit: lim.unit,
                severity: lim.severity,
                cite: lim.cite.clone().unwrap_or_else(|| cite.to_string()),
                start,
                inferred: lim.provenance == Some(Provenance::Inferred),
                quote: lim.quote.clone(),
            });
        }
        out
    }

    fn steps(&mut self) -> Vec<StepRule> {
        let rs = self.rs;
        let mut steps = Vec::with_capacity(rs.steps.len());
        for (i, s) in rs.steps.iter().enumerate() {
            steps.push(self.step_rule(i, s));
        }
        if !steps.iter().any(|s| !s.start.is_empty()) {
            self.error(
                "/steps".into(),
                "no step has `start: true`: no case could begin".into(),
            );
        }
        steps
    }

    fn step_rule(&mut self, i: usize, s: &Step) -> StepRule {
        let base = format!("/steps/{i}");
        let next = (s.next.iter().enumerate())
            .filter_map(|(j, n)| self.step(n, || format!("{base}/next/{j}")))
            .collect();
        let allowed_grounds = s.grounds.as_ref().map(|list| {
            (list.iter().enumerate())
                .filter_map(|(j, g)| self.ground(g, || format!("{base}/grounds/{j}")))
                .collect()
        });
        let implied_ground = (s.implied_ground.as_deref())
            .and_then(|g| self.ground(g, || format!("{base}/implied_ground")));
        if s.refusal && implied_ground.is_none() && self.grounds.is_empty() {
            self.error(
                format!("{base}/refusal"),
                "a refusal step needs refusal_grounds to cite".into(),
            );
        }
        StepRule {
            id: s.id.clone(),
            cite: s.cite.clone(),
            start: match &s.start {
                Start::Always(true) => ALL,
                Start::Always(false) => Mask::NONE,
                Start::In(ids) => self.mask(Some(ids), false, &format!("{base}/start")),
            },
            end: s.end,
            refusal: s.refusal,
            allowed_grounds,
            implied_ground,
            next,
            channels: self.mask(s.channels.as_deref(), false, &format!("{base}/channels")),
            variants: self.mask(s.variants.as_deref(), true, &format!("{base}/variants")),
            limits: self.limits(s.limit.as_ref(), &s.cite, &format!("{base}/limit")),
        }
    }

    /// Every step must be reachable from a start step, or no log could ever show it.
    fn reachable(&mut self, steps: &[StepRule]) {
        let mut reach = vec![false; steps.len()];
        let mut stack: Vec<usize> = (steps.iter().enumerate())
            .filter(|(_, s)| !s.start.is_empty())
            .map(|(i, _)| i)
            .collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut reach[i], true) {
                continue;
            }
            stack.extend(steps[i].next.iter().map(|&n| usize::from(n)));
        }
        for (i, r) in reach.iter().enumerate() {
            if !r {
                let msg = format!(
                    "step {:?} cannot be reached from any start step",
                    steps[i].id
                );
                self.error(format!("/steps/{i}"), msg);
            }
        }
    }

    fn terms(&mut self) -> Vec<TermRule> {
        let rs = self.rs;
        let mut terms = Vec::new();
        for (i, t) in rs.terms.iter().enumerate() {
            let base = format!("/terms/{i}");
            let from = self.step(&t.from, || format!("{base}/from"));
            let to = (t.to.iter().enumerate())
                .filter_map(|(j, n)| self.step(n, || format!("{base}/to/{j}")))
                .collect();
            let channels = self.mask(t.channels.as_deref(), false, &format!("{base}/channels"));
            let variants = self.mask(t.variants.as_deref(), true, &format!("{base}/variants"));
            let limits = self.limits(Some(&t.limit), &t.cite, &format!("{base}/limit"));
            if let Some(from) = from {
                terms.push(TermRule {
                    id: t.id.clone(),
                    from,
                    to,
                    channels,
                    variants,
                    cite: t.cite.clone(),
                    limits,
                });
            }
        }
        terms
    }

    fn schedule(&mut self) -> ElapsedRule {
        let Some(s) = &self.rs.schedule else {
            return ElapsedRule::WallClock;
        };
        match (s.elapsed, &s.office_hours) {
            (Elapsed::WallClock, _) => ElapsedRule::WallClock,
            (Elapsed::OfficeHours, None) => {
                self.error(
                    "/schedule/office_hours".into(),
                    "office_hours counting needs office_hours".into(),
                );
                ElapsedRule::WallClock
            }
            (Elapsed::OfficeHours, Some(h)) => match office_intervals(h) {
                Some(open) => ElapsedRule::OfficeHours { open },
                None => {
                    self.error(
                        "/schedule/office_hours".into(),
                        "office hours must be increasing times with breaks inside them".into(),
                    );
                    ElapsedRule::WallClock
                }
            },
        }
    }
}

/// The open intervals of one working day, breaks removed, as seconds after midnight.
fn office_intervals(h: &super::model::OfficeHours) -> Option<Vec<(u32, u32)>> {
    let (start, end) = (parse_clock(&h.start)?, parse_clock(&h.end)?);
    if start >= end {
        return None;
    }
    let mut open = vec![(start, end)];
    for [bs, be] in &h.breaks {
        let (bs, be) = (parse_clock(bs)?, parse_clock(be)?);
        if bs >= be || bs < start || be > end {
            return None;
        }
        let mut next = Vec::new();
        for (s, t) in open {
            if be <= s || bs >= t {
                next.push((s, t));
            } else {
                if s < bs {
                    next.push((s, bs));
                }
                if be < t {
                    next.push((be, t));
                }
            }
        }
        open = next;
    }
    Some(open)
}
