//! Rule sets compiled for replay: names resolved to indices, graphs checked, time zones
//! parsed. Replay never looks anything up by string.
//!
//! Compilation rejects what the schema cannot see: a `next` naming no step, a ground no
//! step can cite, a term from a step that does not exist, an unknown time zone, a step no
//! case can reach, two editions of one service in force on the same day.

use super::load::{Bundle, LoadError};
use super::model::{Elapsed, End, Limits, RuleSet, Severity, Start, Unit};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

/// Index of a step inside its rule set.
pub type StepIx = u16;

/// A set of channels or variants, one bit per index in the rule set's list.
pub type Mask = u64;

/// Every channel or variant.
pub const ALL: Mask = u64::MAX;

/// One compiled limit: a number of units, with the paragraph it comes from.
#[derive(Debug, Clone)]
pub struct LimitRule {
    pub value: u32,
    pub unit: Unit,
    pub severity: Severity,
    /// Paragraph of the limit (the step's or term's own when the limit gives none).
    pub cite: String,
    /// Step whose last event starts the clock; `None`: the previous event of the case.
    pub from: Option<StepIx>,
    /// Only the event's own `started` time starts the clock.
    pub own_start_only: bool,
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
    /// Channels in which a case may begin with this step (0: none).
    pub start: Mask,
    pub end: Option<End>,
    pub refusal: bool,
    /// Grounds the step may cite (indices into [`Compiled::grounds`]); `None`: any.
    pub allowed_grounds: Option<Vec<u16>>,
    pub implied_ground: Option<u16>,
    pub next: Vec<StepIx>,
    pub channels: Mask,
    pub variants: Mask,
    pub limits: Vec<LimitRule>,
}

impl StepRule {
    /// Whether a case of this channel may begin with the step.
    #[inline]
    pub fn is_start_in(&self, channel: Mask) -> bool {
        self.start & channel != 0
    }

    /// Whether the step occurs in a case of this channel and variant.
    #[inline]
    pub fn is_in(&self, channel: Mask, variant: Mask) -> bool {
        self.channels & channel != 0 && self.variants & variant != 0
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

    pub fn step_ix(&self, id: &str) -> Option<StepIx> {
        self.steps
            .iter()
            .position(|s| s.id == id)
            .and_then(|i| StepIx::try_from(i).ok())
    }

    pub fn channel_mask(&self, id: &str) -> Option<Mask> {
        self.channels.iter().position(|c| c == id).map(|i| 1 << i)
    }

    pub fn variant_mask(&self, id: &str) -> Option<Mask> {
        self.variants.iter().position(|c| c == id).map(|i| 1 << i)
    }

    pub fn ground_ix(&self, id: &str) -> Option<u16> {
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
            for &nx in &self.steps[usize::from(cur)].next {
                if seen[usize::from(nx)] || !self.steps[usize::from(nx)].is_in(channel, variant) {
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
    let mut errors = Vec::new();
    let mut e = |at: String, message: String| {
        errors.push(LoadError {
            origin: origin.to_string(),
            at: Some(at),
            message,
        })
    };

    let tz: Tz = match rs.timezone.parse() {
        Ok(tz) => tz,
        Err(_) => {
            e(
                "/timezone".into(),
                format!("unknown IANA time zone {:?}", rs.timezone),
            );
            Tz::UTC
        }
    };
    if let Some(to) = rs.valid_to
        && to < rs.valid_from
    {
        e(
            "/valid_to".into(),
            format!("valid_to {to} is before valid_from {}", rs.valid_from),
        );
    }
    let channels: Vec<String> = rs.channels.iter().map(|c| c.id.clone()).collect();
    let variants: Vec<String> = rs.variants.iter().map(|c| c.id.clone()).collect();
    let grounds: Vec<String> = rs.refusal_grounds.iter().map(|g| g.id.clone()).collect();
    if channels.len() > 64 || variants.len() > 64 || rs.steps.len() >= usize::from(StepIx::MAX) {
        e(
            "/".into(),
            "too many channels, variants or steps (at most 64, 64 and 65534)".into(),
        );
    }
    let step_ix: HashMap<&str, StepIx> = rs
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.id.as_str(), StepIx::try_from(i).ok()?)))
        .collect();
    if step_ix.len() != rs.steps.len() {
        for (i, s) in rs.steps.iter().enumerate() {
            if rs.steps[..i].iter().any(|p| p.id == s.id) {
                e(
                    format!("/steps/{i}/id"),
                    format!("duplicate step id {:?}", s.id),
                );
            }
        }
    }
    let mask = |list: &Option<Vec<String>>,
                all: &[String],
                at: String,
                e: &mut dyn FnMut(String, String)|
     -> Mask {
        match list {
            None => ALL,
            Some(ids) => {
                let mut m = 0;
                for (j, id) in ids.iter().enumerate() {
                    match all.iter().position(|c| c == id) {
                        Some(p) if p < 64 => m |= 1 << p,
                        _ => e(format!("{at}/{j}"), format!("{id:?} is not declared")),
                    }
                }
                m
            }
        }
    };
    let limits = |l: &Option<Limits>,
                  cite: &str,
                  at: String,
                  e: &mut dyn FnMut(String, String)|
     -> Vec<LimitRule> {
        let Some(l) = l else { return Vec::new() };
        let many = matches!(l, Limits::Many(_));
        l.as_slice()
            .iter()
            .enumerate()
            .filter_map(|(j, lim)| {
                let at = if many {
                    format!("{at}/{j}")
                } else {
                    at.clone()
                };
                let from = match &lim.from {
                    None => None,
                    Some(f) => match step_ix.get(f.as_str()) {
                        Some(&ix) => Some(ix),
                        None => {
                            e(format!("{at}/from"), format!("no step {f:?}"));
                            None
                        }
                    },
                };
                Some(LimitRule {
                    value: lim.value?,
                    unit: lim.unit,
                    severity: lim.severity,
                    cite: lim.cite.clone().unwrap_or_else(|| cite.to_string()),
                    from,
                    own_start_only: lim.measured_from
                        == Some(super::model::MeasuredFrom::EventStart),
                    inferred: lim.provenance == Some(super::model::Provenance::Inferred),
                    quote: lim.quote.clone(),
                })
            })
            .collect()
    };
    let ground = |id: &str| {
        grounds
            .iter()
            .position(|g| g == id)
            .and_then(|i| u16::try_from(i).ok())
    };

    let mut steps = Vec::with_capacity(rs.steps.len());
    for (i, s) in rs.steps.iter().enumerate() {
        let base = format!("/steps/{i}");
        let mut next = Vec::new();
        for (j, n) in s.next.iter().enumerate() {
            match step_ix.get(n.as_str()) {
                Some(&ix) => next.push(ix),
                None => e(format!("{base}/next/{j}"), format!("no step {n:?}")),
            }
        }
        let allowed_grounds = s.grounds.as_ref().map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(j, g)| {
                    let ix = ground(g);
                    if ix.is_none() {
                        e(
                            format!("{base}/grounds/{j}"),
                            format!("no refusal ground {g:?}"),
                        );
                    }
                    ix
                })
                .collect()
        });
        let implied_ground = s.implied_ground.as_deref().and_then(|g| {
            let ix = ground(g);
            if ix.is_none() {
                e(
                    format!("{base}/implied_ground"),
                    format!("no refusal ground {g:?}"),
                );
            }
            ix
        });
        if s.refusal && implied_ground.is_none() && grounds.is_empty() {
            e(
                format!("{base}/refusal"),
                "a refusal step needs refusal_grounds to cite".into(),
            );
        }
        steps.push(StepRule {
            id: s.id.clone(),
            cite: s.cite.clone(),
            start: match &s.start {
                Start::Always(true) => ALL,
                Start::Always(false) => 0,
                Start::In(ids) => mask(
                    &Some(ids.clone()),
                    &channels,
                    format!("{base}/start"),
                    &mut e,
                ),
            },
            end: s.end,
            refusal: s.refusal,
            allowed_grounds,
            implied_ground,
            next,
            channels: mask(&s.channels, &channels, format!("{base}/channels"), &mut e),
            variants: mask(&s.variants, &variants, format!("{base}/variants"), &mut e),
            limits: limits(&s.limit, &s.cite, format!("{base}/limit"), &mut e),
        });
    }
    if !steps.iter().any(|s| s.start != 0) {
        e(
            "/steps".into(),
            "no step has `start: true`: no case could begin".into(),
        );
    }
    // Every step must be reachable from a start step, or no log could ever show it.
    let mut reach = vec![false; steps.len()];
    let mut stack: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start != 0)
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
            e(
                format!("/steps/{i}"),
                format!(
                    "step {:?} cannot be reached from any start step",
                    steps[i].id
                ),
            );
        }
    }

    let mut terms = Vec::new();
    for (i, t) in rs.terms.iter().enumerate() {
        let base = format!("/terms/{i}");
        let from = step_ix.get(t.from.as_str()).copied();
        if from.is_none() {
            e(format!("{base}/from"), format!("no step {:?}", t.from));
        }
        let mut to = Vec::new();
        for (j, n) in t.to.iter().enumerate() {
            match step_ix.get(n.as_str()) {
                Some(&ix) => to.push(ix),
                None => e(format!("{base}/to/{j}"), format!("no step {n:?}")),
            }
        }
        let channels_m = mask(&t.channels, &channels, format!("{base}/channels"), &mut e);
        let variants_m = mask(&t.variants, &variants, format!("{base}/variants"), &mut e);
        let lim = limits(
            &Some(t.limit.clone()),
            &t.cite,
            format!("{base}/limit"),
            &mut e,
        );
        if let Some(from) = from {
            terms.push(TermRule {
                id: t.id.clone(),
                from,
                to,
                channels: channels_m,
                variants: variants_m,
                cite: t.cite.clone(),
                limits: lim,
            });
        }
    }

    let elapsed = match &rs.schedule {
        None => ElapsedRule::WallClock,
        Some(s) => match (s.elapsed, &s.office_hours) {
            (Elapsed::WallClock, _) => ElapsedRule::WallClock,
            (Elapsed::OfficeHours, None) => {
                e(
                    "/schedule/office_hours".into(),
                    "office_hours counting needs office_hours".into(),
                );
                ElapsedRule::WallClock
            }
            (Elapsed::OfficeHours, Some(h)) => match office_intervals(h) {
                Some(open) => ElapsedRule::OfficeHours { open },
                None => {
                    e(
                        "/schedule/office_hours".into(),
                        "office hours must be increasing times with breaks inside them".into(),
                    );
                    ElapsedRule::WallClock
                }
            },
        },
    };

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
