//! Faults injected into a clean walk, one per faulty case, each with the finding the
//! engine must report for it.
//!
//! Order, refusal and naming faults are chosen so that they cause exactly one finding:
//! a repeated step is one that `next` does not let follow itself; a stray step is one
//! the case never takes and cannot reach from where it stands (else it would be a
//! skipped step); a skipped step is one whose successor is reachable from its
//! predecessor only through it or another step; no fault removes or adds a step that
//! decides a refusal or ends the case, so what is handed out still matches what was
//! decided. Time faults (late steps and terms, open cases, dates past the calendar) are
//! recorded with every finding they cause, as [`super::model`] predicts them: a late
//! step can also overrun a term it lies in.

use super::model::Expect;
use super::plan::{Gap, Planned, UNKNOWN_GROUND, UNKNOWN_STEP};
use super::walk::Route;
use crate::engine::Kind;
use crate::rules::compiled::{Compiled, StepIx};

/// What is injected into a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    LateStep,
    LateTerm,
    SkippedStep,
    RepeatedStep,
    StrayStep,
    RefusalWithoutGround,
    RefusalWrongGround,
    EventAfterEnd,
    UnknownStep,
    UnknownService,
    OutsideValidity,
    ChannelNotProvided,
    VariantNotProvided,
    OpenOverdue,
    PastCalendar,
}

impl Fault {
    pub const ALL: [Fault; 15] = [
        Fault::LateStep,
        Fault::LateTerm,
        Fault::SkippedStep,
        Fault::RepeatedStep,
        Fault::StrayStep,
        Fault::RefusalWithoutGround,
        Fault::RefusalWrongGround,
        Fault::EventAfterEnd,
        Fault::UnknownStep,
        Fault::UnknownService,
        Fault::OutsideValidity,
        Fault::ChannelNotProvided,
        Fault::VariantNotProvided,
        Fault::OpenOverdue,
        Fault::PastCalendar,
    ];

    /// Stable code written in the truth file.
    pub fn code(self) -> &'static str {
        match self {
            Fault::LateStep => "late_step",
            Fault::LateTerm => "late_term",
            Fault::SkippedStep => "skipped_step",
            Fault::RepeatedStep => "repeated_step",
            Fault::StrayStep => "stray_step",
            Fault::RefusalWithoutGround => "refusal_without_ground",
            Fault::RefusalWrongGround => "refusal_wrong_ground",
            Fault::EventAfterEnd => "event_after_end",
            Fault::UnknownStep => "unknown_step",
            Fault::UnknownService => "unknown_service",
            Fault::OutsideValidity => "outside_validity",
            Fault::ChannelNotProvided => "channel_not_provided",
            Fault::VariantNotProvided => "variant_not_provided",
            Fault::OpenOverdue => "open_overdue",
            Fault::PastCalendar => "past_calendar",
        }
    }

    /// Whether the fault needs the walk to pass a refusal step.
    pub fn wants_refusal(self) -> bool {
        matches!(
            self,
            Fault::RefusalWithoutGround | Fault::RefusalWrongGround
        )
    }

    /// Whether the fault's findings are the time model's (late, open, past the calendar).
    pub fn is_timed(self) -> bool {
        matches!(
            self,
            Fault::LateStep | Fault::LateTerm | Fault::OpenOverdue | Fault::PastCalendar
        )
    }
}

/// A fault applied to the events of a walk: the findings it causes besides time ones.
pub struct Applied {
    pub expect: Vec<Expect>,
    /// A limit (step limit or term) the fault runs late, for the truth file.
    pub target: Option<String>,
}

fn id(set: &Compiled, s: StepIx) -> &str {
    set.steps[usize::from(s)].id.as_str()
}

fn pick<T: Copy>(v: &[T], rng: &mut fastrand::Rng) -> Option<T> {
    (!v.is_empty()).then(|| v[rng.usize(..v.len())])
}

/// Applies `fault` to `events` (a clean walk, one event per step); `None` when the walk
/// has no place for it. Faults on the case as a whole (service, validity, channel,
/// variant) are applied by the caller and only named here.
pub fn apply(
    fault: Fault,
    set: &Compiled,
    route: &Route,
    events: &mut Vec<Planned>,
    rng: &mut fastrand::Rng,
) -> Option<Applied> {
    let walk: Vec<StepIx> = events.iter().filter_map(|e| e.step).collect();
    // A fault between two events needs two of them.
    if walk.len() < 2 {
        return None;
    }
    let first = id(set, walk[0]).to_string();
    let w = Walk {
        set,
        route,
        walk: &walk,
    };
    match fault {
        Fault::LateStep => late_step(set, events, rng),
        Fault::LateTerm => late_term(set, route, events, rng),
        Fault::SkippedStep => w.skipped(events, rng),
        Fault::RepeatedStep => w.repeated(events, rng),
        Fault::StrayStep => w.stray(events, rng),
        Fault::RefusalWithoutGround => w.refusal(events, true, rng),
        Fault::RefusalWrongGround => w.refusal(events, false, rng),
        Fault::EventAfterEnd => w.after_end(events, rng),
        Fault::UnknownStep => {
            let k = rng.usize(..events.len() - 1);
            events.insert(
                k + 1,
                Planned {
                    step: None,
                    gap: Gap::Short,
                    ..Planned::step(0)
                },
            );
            Some(one(Kind::UnknownStep, UNKNOWN_STEP))
        }
        Fault::UnknownService => Some(one(Kind::UnknownService, &first)),
        // Begun before the first day of any encoded edition: not judged, so no finding
        // (the report lists it as not judged, `engine::unjudged`).
        Fault::OutsideValidity => Some(timed(None)),
        Fault::ChannelNotProvided | Fault::VariantNotProvided => {
            Some(one(Kind::UnexpectedStep, &first))
        }
        Fault::OpenOverdue => {
            // Cut the case after any step but the last; the time model says what
            // `as_of` finds overdue (nothing, when a successor has no hard limit).
            let k = rng.usize(..walk.len() - 1);
            events.truncate(k + 1);
            Some(timed(None))
        }
        Fault::PastCalendar => {
            events.last_mut()?.gap = Gap::BeyondCalendar;
            Some(timed(None))
        }
    }
}

/// The finding of a fault that causes exactly one.
fn one(kind: Kind, step: &str) -> Applied {
    Applied {
        expect: vec![Expect::new(kind, step)],
        target: None,
    }
}

/// A time fault: its findings come from the time model.
fn timed(target: Option<String>) -> Applied {
    Applied {
        expect: Vec::new(),
        target,
    }
}

/// A clean walk being given an order or refusal fault.
struct Walk<'a> {
    set: &'a Compiled,
    route: &'a Route,
    walk: &'a [StepIx],
}

impl Walk<'_> {
    fn id(&self, s: StepIx) -> &str {
        id(self.set, s)
    }

    /// Drops a step whose successor then comes only through a skipped step.
    fn skipped(&self, events: &mut Vec<Planned>, rng: &mut fastrand::Rng) -> Option<Applied> {
        let (set, walk, r) = (self.set, self.walk, self.route);
        let at: Vec<usize> = (1..walk.len().saturating_sub(1))
            .filter(|&k| {
                let (p, s, n) = (walk[k - 1], walk[k], walk[k + 1]);
                let rule = &set.steps[usize::from(s)];
                !rule.refusal
                    && rule.end.is_none()
                    && !walk[..k].contains(&n)
                    && !set.steps[usize::from(p)].next.contains(&n)
                    && set
                        .skipped_path(Some(p), n, r.cm, r.vm)
                        .is_some_and(|path| !path.is_empty())
            })
            .collect();
        let k = pick(&at, rng)?;
        let path = set.skipped_path(Some(walk[k - 1]), walk[k + 1], r.cm, r.vm)?;
        events.remove(k);
        Some(one(Kind::MissingStep, self.id(*path.first()?)))
    }

    /// Repeats a step that may not follow itself, right after it.
    fn repeated(&self, events: &mut Vec<Planned>, rng: &mut fastrand::Rng) -> Option<Applied> {
        let walk = self.walk;
        let at: Vec<usize> = (0..walk.len())
            .filter(|&k| {
                let rule = &self.set.steps[usize::from(walk[k])];
                rule.end.is_none() && !rule.next.contains(&walk[k])
            })
            .collect();
        let k = pick(&at, rng)?;
        let mut dup = events[k].clone();
        dup.gap = Gap::Short;
        events.insert(k + 1, dup);
        Some(one(Kind::DuplicateStep, self.id(walk[k])))
    }

    /// Inserts a step the case never takes and cannot reach from where it stands.
    fn stray(&self, events: &mut Vec<Planned>, rng: &mut fastrand::Rng) -> Option<Applied> {
        let (set, walk, r) = (self.set, self.walk, self.route);
        let k = rng.usize(..walk.len() - 1);
        let here = walk[k];
        let strays: Vec<StepIx> = (0..set.steps.len())
            .filter_map(|i| StepIx::try_from(i).ok())
            .filter(|&s| {
                let st = &set.steps[usize::from(s)];
                st.end.is_none()
                    && !st.refusal
                    && !walk.contains(&s)
                    && (!st.is_in(r.cm, r.vm)
                        || (!set.steps[usize::from(here)].next.contains(&s)
                            && set.skipped_path(Some(here), s, r.cm, r.vm).is_none()))
            })
            .collect();
        let s = pick(&strays, rng)?;
        let mut ev = Planned::step(s);
        ev.gap = Gap::Short;
        events.insert(k + 1, ev);
        Some(one(Kind::UnexpectedStep, self.id(s)))
    }

    /// A refusal that cites no ground (where the step implies none), or a wrong one.
    fn refusal(
        &self,
        events: &mut [Planned],
        without: bool,
        rng: &mut fastrand::Rng,
    ) -> Option<Applied> {
        let walk = self.walk;
        let at: Vec<usize> = (0..events.len())
            .filter(|&k| {
                let r = &self.set.steps[usize::from(walk[k])];
                r.refusal && (!without || r.implied_ground.is_none())
            })
            .collect();
        let k = pick(&at, rng)?;
        let ev = &mut events[k];
        let kind = if without {
            ev.ground = None;
            Kind::RefusalWithoutGround
        } else {
            ev.ground = Some(wrong_ground(self.set, walk[k], rng));
            Kind::RefusalGroundNotAllowed
        };
        Some(Applied {
            target: ev.ground.clone(),
            ..one(kind, self.id(walk[k]))
        })
    }

    /// A step of the case again after its end, one the end step does not resume with.
    fn after_end(&self, events: &mut Vec<Planned>, rng: &mut fastrand::Rng) -> Option<Applied> {
        let set = self.set;
        let end = &set.steps[usize::from(*self.walk.last()?)];
        let after: Vec<StepIx> = self
            .walk
            .iter()
            .copied()
            .filter(|s| !end.next.contains(s))
            .collect();
        let s = pick(&after, rng)?;
        let mut ev = Planned::step(s);
        ev.gap = Gap::Short;
        if set.steps[usize::from(s)].refusal {
            ev.ground = events.iter().find(|e| e.step == Some(s))?.ground.clone();
        }
        events.push(ev);
        Some(one(Kind::EventAfterEnd, self.id(s)))
    }
}

/// A ground the step may not cite: a declared one outside its list, else one the
/// regulation does not have.
fn wrong_ground(set: &Compiled, s: StepIx, rng: &mut fastrand::Rng) -> String {
    let rule = &set.steps[usize::from(s)];
    let others: Vec<usize> = match &rule.allowed_grounds {
        Some(a) => (0..set.grounds.len())
            .filter(|&g| u16::try_from(g).is_ok_and(|g| !a.contains(&g)))
            .collect(),
        None => Vec::new(),
    };
    match pick(&others, rng) {
        Some(g) if rng.bool() => set.grounds[g].clone(),
        _ => UNKNOWN_GROUND.to_string(),
    }
}

fn late_step(set: &Compiled, events: &mut [Planned], rng: &mut fastrand::Rng) -> Option<Applied> {
    let at: Vec<(usize, usize)> = events
        .iter()
        .enumerate()
        .skip(1)
        .flat_map(|(k, e)| {
            let n = e.step.map_or(0, |s| set.steps[usize::from(s)].limits.len());
            (0..n).map(move |l| (k, l))
        })
        .collect();
    let (k, l) = pick(&at, rng)?;
    events[k].gap = Gap::LateStep(l);
    let s = events[k].step?;
    let lim = &set.steps[usize::from(s)].limits[l];
    Some(Applied {
        expect: Vec::new(),
        target: Some(format!(
            "{} {} (para {})",
            lim.value,
            lim.unit.as_str(),
            lim.cite
        )),
    })
}

fn late_term(
    set: &Compiled,
    route: &Route,
    events: &mut [Planned],
    rng: &mut fastrand::Rng,
) -> Option<Applied> {
    let mut at = Vec::new();
    for (t, term) in set.terms.iter().enumerate() {
        if term.limits.is_empty()
            || !term.channels.meets(route.cm)
            || !term.variants.meets(route.vm)
        {
            continue;
        }
        let Some(i) = events.iter().position(|e| e.step == Some(term.from)) else {
            continue;
        };
        let Some(j) =
            (i + 1..events.len()).find(|&j| events[j].step.is_some_and(|s| term.to.contains(&s)))
        else {
            continue;
        };
        // Prefer a step without a limit of its own, so the term alone runs late.
        let free: Vec<usize> = (i + 1..=j)
            .filter(|&k| {
                events[k]
                    .step
                    .is_some_and(|s| set.steps[usize::from(s)].limits.is_empty())
            })
            .collect();
        let ks: Vec<usize> = if free.is_empty() {
            (i + 1..=j).collect()
        } else {
            free
        };
        for l in 0..term.limits.len() {
            at.extend(ks.iter().map(|&k| (t, l, k)));
        }
    }
    let (t, l, k) = pick(&at, rng)?;
    events[k].gap = Gap::LateTerm(t, l);
    let (term, lim) = (&set.terms[t], &set.terms[t].limits[l]);
    Some(Applied {
        expect: Vec::new(),
        target: Some(format!(
            "term {} {} {} (para {})",
            term.id,
            lim.value,
            lim.unit.as_str(),
            lim.cite
        )),
    })
}
