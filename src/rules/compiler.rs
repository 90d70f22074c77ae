//! Compiling one rule set: each part built from the file's names, then checked, every
//! error with the JSON Pointer of its field, and the whole catalog (`Catalog::compile`).
//! [`super::compiled`] holds what it builds.

use super::compiled::{
    ALL, Catalog, ClockStart, Compiled, ElapsedRule, GroundIx, LimitRule, Mask, Mover, StepIx,
    StepRule, TermRule,
};
use super::load::{Bundle, LoadError};
use super::model::{Elapsed, Limits, MeasuredFrom, Provenance, RuleSet, Start, Step};
use super::recorder::Recorder;
use super::validity::{Bound, Latest, Validity};
use chrono_tz::Tz;
use std::collections::HashMap;

fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 3600 + m.parse::<u32>().ok()? * 60)
}

/// Compiles one rule set read from `origin`, or lists every error in it.
pub(super) fn compile_one(origin: &str, rs: RuleSet) -> Result<Compiled, Vec<LoadError>> {
    let mut c = Compiler::new(origin, &rs);
    if !c.names() {
        // Past the index types' range every later check would only add false errors.
        return Err(c.errors);
    }
    let tz = c.timezone();
    let validity = c.validity();
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
        validity,
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

    /// The sizes the index types allow, and ids that are unique: steps, channels,
    /// variants, refusal grounds and terms (a later one of the same id is an error at
    /// its `/id`; names resolve to the last step). `false` when the rule set is past the
    /// index types' range: then nothing else is checked, so that one clear error is
    /// given instead of thousands of false "no step" ones.
    fn names(&mut self) -> bool {
        let rs = self.rs;
        let max_steps = usize::from(StepIx::MAX);
        if self.channels.len() > 64 || self.variants.len() > 64 || rs.steps.len() >= max_steps {
            self.error(
                "/".into(),
                format!(
                    "expected at most 64 channels, 64 variants and {} steps (the index types' range), found {}, {} and {}",
                    max_steps - 1,
                    self.channels.len(),
                    self.variants.len(),
                    rs.steps.len()
                ),
            );
            return false;
        }
        for (i, s) in rs.steps.iter().enumerate() {
            let Ok(ix) = StepIx::try_from(i) else { break };
            if self.step_ix.insert(s.id.as_str(), ix).is_some() {
                self.error(
                    format!("/steps/{i}/id"),
                    format!("expected a unique step id, found {:?} again", s.id),
                );
            }
        }
        let lists: [(&str, Vec<&str>); 4] = [
            (
                "channels",
                rs.channels.iter().map(|c| c.id.as_str()).collect(),
            ),
            (
                "variants",
                rs.variants.iter().map(|c| c.id.as_str()).collect(),
            ),
            (
                "refusal_grounds",
                rs.refusal_grounds.iter().map(|g| g.id.as_str()).collect(),
            ),
            ("terms", rs.terms.iter().map(|t| t.id.as_str()).collect()),
        ];
        for (list, ids) in lists {
            let mut seen = std::collections::HashSet::with_capacity(ids.len());
            for (i, id) in ids.into_iter().enumerate() {
                if !seen.insert(id) {
                    self.error(
                        format!("/{list}/{i}/id"),
                        format!("expected a unique id in {list}, found {id:?} again"),
                    );
                }
            }
        }
        true
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
            self.error(
                at(),
                format!("no step {id:?}: expected the id of a step of this rule set"),
            );
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
            self.error(
                at(),
                format!("expected the id of a refusal ground, found {id:?}"),
            );
        }
        ix
    }

    fn timezone(&mut self) -> Tz {
        match self.rs.timezone.parse() {
            Ok(tz) => tz,
            Err(_) => {
                let msg = format!("expected an IANA time zone, found {:?}", self.rs.timezone);
                self.error("/timezone".into(), msg);
                Tz::UTC
            }
        }
    }

    /// The validity period, each bound qualified by its `*_latest` field; a latest
    /// possible day before the earliest one, or a `valid_to_latest` without `valid_to`,
    /// is an error.
    fn validity(&mut self) -> Validity {
        let rs = self.rs;
        if let Some(to) = rs.valid_to
            && to < rs.valid_from
        {
            let msg = format!(
                "expected valid_to on or after valid_from {}, found {to}",
                rs.valid_from
            );
            self.error("/valid_to".into(), msg);
        }
        let from = Bound::of(rs.valid_from, rs.valid_from_latest.as_ref());
        let to = rs
            .valid_to
            .map(|d| Bound::of(d, rs.valid_to_latest.as_ref()));
        if rs.valid_to.is_none() && rs.valid_to_latest.is_some() {
            let msg = "expected valid_to_latest only with a valid_to, found valid_to null";
            self.error("/valid_to_latest".into(), msg.into());
        }
        for (field, bound) in [("valid_from", Some(from)), ("valid_to", to)] {
            if let Some(Bound {
                earliest,
                latest: Latest::Day(latest) | Latest::Inferred(latest),
            }) = bound
                && latest < earliest
            {
                let msg = format!(
                    "expected the latest possible day on or after {field} {earliest}, found {latest}"
                );
                self.error(format!("/{field}_latest/date"), msg);
            }
        }
        Validity { from, to }
    }

    /// The mask of the channels (`variants == false`) or variants listed; `None`: all.
    /// An empty list is an error: the step or term would belong to no case at all (omit
    /// the field to mean every one).
    fn mask(&mut self, list: Option<&[String]>, variants: bool, at: &str) -> Mask {
        let Some(ids) = list else { return ALL };
        if ids.is_empty() {
            let what = if variants { "variant" } else { "channel" };
            self.error(
                at.to_string(),
                format!("expected at least one {what}, found [] (no case could take this path; omit the field to mean all)"),
            );
            return Mask::NONE;
        }
        let mut m = Mask::NONE;
        for (j, id) in ids.iter().enumerate() {
            let all = if variants {
                &self.variants
            } else {
                &self.channels
            };
            match all.iter().position(|c| c == id) {
                Some(p) if p < 64 => m |= Mask::bit(p),
                _ => {
                    let what = if variants { "variant" } else { "channel" };
                    let msg = format!("expected a declared {what}, found {id:?}");
                    self.error(format!("{at}/{j}"), msg);
                }
            }
        }
        m
    }

    /// The limits with a value (a limit that only points to a standard has none).
    ///
    /// `own` is the step the limits belong to: a limit `from` that very step would
    /// measure the step from itself, which no regulation means.
    fn limits(
        &mut self,
        l: Option<&Limits>,
        own: Option<&str>,
        cite: &str,
        at: &str,
    ) -> Vec<LimitRule> {
        let Some(l) = l else { return Vec::new() };
        let many = matches!(l, Limits::Many(_));
        let mut out = Vec::new();
        for (j, lim) in l.as_slice().iter().enumerate() {
            let at = if many {
                format!("{at}/{j}")
            } else {
                at.to_string()
            };
            if let (Some(f), Some(own)) = (&lim.from, own)
                && f == own
            {
                self.error(
                    format!("{at}/from"),
                    format!(
                        "expected an earlier step to measure from, found the limit's own step {f:?}"
                    ),
                );
            }
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
                inferred: matches!(
                    lim.provenance,
                    Some(Provenance::Inferred | Provenance::ReadAnalog)
                ),
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
        if !steps.iter().any(|s| s.end.is_some()) {
            self.error(
                "/steps".into(),
                "expected a step with `end` (result or refusal), found none: no case could be finished".into(),
            );
        }
        if !steps.iter().any(|s| !s.start.is_empty()) {
            self.error(
                "/steps".into(),
                "expected a step with `start: true`, found none: no case could begin".into(),
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
        // A step whose ground is implied (an automatic refusal: a signature not
        // confirmed, 004 para 9.7) and that lists no `grounds` allows its own ground
        // alone, not any ground of the rule set (issue 7 point 10).
        let allowed_grounds = allowed_grounds.or_else(|| implied_ground.map(|g| vec![g]));
        if s.refusal && implied_ground.is_none() && self.grounds.is_empty() {
            self.error(
                format!("{base}/refusal"),
                "expected refusal_grounds (or an implied_ground) for a refusal step to cite, found none".into(),
            );
        }
        let limits = self.limits(
            s.limit.as_ref(),
            Some(&s.id),
            &s.cite,
            &format!("{base}/limit"),
        );
        StepRule {
            mover: Mover::of(&s.actor, s.refusal && implied_ground.is_some()),
            waits: limits.iter().any(|l| l.start != ClockStart::OwnStart),
            id: s.id.clone(),
            name: std::sync::Arc::new(s.name.clone()),
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
            limits,
            recorder: (s.recorder).unwrap_or_else(|| Recorder::of_actor(&s.actor)),
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
                    "expected a step reachable from a start step, found {:?} unreachable",
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
            let limits = self.limits(Some(&t.limit), None, &t.cite, &format!("{base}/limit"));
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
                    "expected office_hours for office_hours counting, found none".into(),
                );
                ElapsedRule::WallClock
            }
            (Elapsed::OfficeHours, Some(h)) => match office_intervals(h) {
                Some(open) if open.is_empty() => {
                    self.error(
                        "/schedule/office_hours/breaks".into(),
                        "expected breaks that leave some of the office day open, found them covering all of it: no limit could ever run".into(),
                    );
                    ElapsedRule::WallClock
                }
                Some(open) => ElapsedRule::OfficeHours { open },
                None => {
                    self.error(
                        "/schedule/office_hours".into(),
                        "expected increasing HH:MM times with breaks inside the office day, found others".into(),
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

impl Catalog {
    /// Compiles every rule set of `bundle`, collecting every error.
    pub fn compile(bundle: Bundle) -> Result<Catalog, Vec<LoadError>> {
        let mut errors = Vec::new();
        let mut cat = Catalog::default();
        // An error in a field a file took from its template is reported once, against
        // the template, however many files extend it.
        let mut once = super::load::Errors::default();
        for (origin, rs) in bundle.rule_sets {
            match compile_one(&origin, rs) {
                Ok(c) => cat.sets.push(c),
                Err(e) => {
                    for e in e {
                        once.push_in(bundle.inherited.get(&origin), e);
                    }
                }
            }
        }
        if let Err(mut e) = once.into_result(()) {
            errors.append(&mut e);
        }
        let mut ids: HashMap<&str, &str> = HashMap::new();
        for c in &cat.sets {
            if let Some(first) = ids.insert(c.id(), &c.origin) {
                errors.push(LoadError {
                    origin: c.origin.clone(),
                    at: Some("/id".into()),
                    message: format!(
                        "expected a unique rule set id, found {:?} also in {first}",
                        c.id()
                    ),
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
                // A later edition that applies from day X (at the latest) ends the earlier
                // one by X - 1 at the latest: its start bounds the uncertainty.
                let b_from = cat.sets[w[1]].validity.from;
                if let Some(last) = b_from.latest_day().and_then(|d| d.pred_opt())
                    && let Some(to) = cat.sets[w[0]].validity.to.as_mut()
                {
                    to.bound_by(last, b_from.is_inferred());
                }
                let (a, b) = (&cat.sets[w[0]], &cat.sets[w[1]]);
                if a.rules.valid_to.is_none_or(|to| to >= b.rules.valid_from) {
                    errors.push(LoadError {
                        origin: b.origin.clone(),
                        at: Some("/valid_from".into()),
                        message: format!(
                            "expected editions of service {1:?} that do not overlap, found {0} overlapping {2} ({3})",
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
