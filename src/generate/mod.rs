//! Synthetic event logs whose violations are known: the ground truth of benchmarks and
//! of the engine's tests.
//!
//! Each case walks the compiled process graph of its rule set as the engine judges it
//! ([`walk`]), gets working-hour timestamps in the region's zone that keep every step
//! limit and term ([`timing`]), and, in a share `faults` of the cases, exactly one
//! injected fault ([`fault`]). The truth file lists, per faulty case, every finding the
//! engine must report for it (compared on case, kind and step), with the fault that
//! caused it and the limit or ground involved. Events of all cases are written merged in
//! time order, as a real export is; the same seed gives the same bytes.
//!
//! # The truth file
//! JSON Lines, one line per finding `check` must report (with `--as-of` set to the
//! generator's `--as-of`): `case`, `service`, `kind` and `step` (what to compare on),
//! `fault` (the injected fault's code: `late_step`, `late_term`, `skipped_step`,
//! `repeated_step`, `stray_step`, `refusal_without_ground`, `refusal_wrong_ground`,
//! `event_after_end`, `unknown_step`, `unknown_service`, `outside_validity`,
//! `channel_not_provided`, `variant_not_provided`, `open_overdue`, `past_calendar`),
//! and where it applies `term`, `limit` (`{value, unit}`) and `target` (the limit run
//! late, or the ground cited). A line with `note` and no `case` says why a rule set
//! could not be generated cleanly; a case line with a `note` is a clean case the rule
//! set would not let be clean (its findings are listed, not hidden).
//!
//! Order, refusal and naming faults are chosen so that each causes exactly one
//! finding. Time faults are recorded with every finding they cause: a late step can
//! also overrun the term it lies in (both lines, same `fault`), a late term can make its
//! step late too, an open case can be overdue on a step and on a term, and an event
//! past the calendar's last date gives `outside_calendar` for each limit and term it
//! closes (and `step_overdue` for a wall-clock limit, which needs no calendar).
//!
//! Nothing here is written per service: routes, grounds, limits and terms all come from
//! the compiled rule set, so a rule set changed on disk changes what is generated.

pub mod fault;
pub mod model;
pub mod plan;
pub mod timing;
pub mod walk;
mod write;

use crate::calendar::Calendar;
use crate::engine::Kind;
use crate::rules::compiled::{ALL, Compiled};
use chrono::NaiveDate;
use fault::Fault;
use model::Expect;
use plan::{CaseDraft, Planned};
use timing::Timer;
use walk::{Feasible, Route};

pub use write::{Summary, TruthRow};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Cases per rule set.
    pub cases: usize,
    pub seed: u64,
    /// Share of cases with exactly one injected fault (0 to 1).
    pub faults: f64,
    /// The moment `check --as-of` will judge open cases at (UTC milliseconds); without
    /// it no open-overdue fault is injected, since nothing would report it.
    pub as_of: Option<i64>,
}

/// One rule set ready to generate cases of.
struct SetGen<'a> {
    ix: usize,
    set: &'a Compiled,
    timer: Timer<'a>,
    routes: Vec<(Route, Feasible)>,
    /// First and last local date a clean case may begin on.
    window: (NaiveDate, NaiveDate),
    /// The earliest date any edition of the service is in force.
    service_from: NaiveDate,
}

/// A generated case: its draft, what the engine must find, and a note when a clean case
/// could not be made.
pub struct Generated {
    pub draft: CaseDraft,
    pub fault: Option<Fault>,
    pub expect: Vec<Expect>,
    pub target: Option<String>,
    pub note: Option<String>,
}

impl<'a> SetGen<'a> {
    fn new(ix: usize, set: &'a Compiled, all: &[Compiled], calendar: &'a Calendar) -> SetGen<'a> {
        let (cal_from, cal_to) = calendar.range();
        let to = set
            .rules
            .valid_to
            .unwrap_or(cal_to)
            .min(cal_to - chrono::Days::new(200))
            - chrono::Days::new(7);
        let from = set.rules.valid_from.max(cal_from);
        let service_from = all
            .iter()
            .filter(|s| s.rules.service_id() == set.rules.service_id())
            .map(|s| s.rules.valid_from)
            .min()
            .unwrap_or(set.rules.valid_from);
        SetGen {
            ix,
            set,
            timer: Timer::new(set, calendar),
            routes: walk::routes(set),
            window: (from, to.max(from)),
            service_from,
        }
    }

    /// The kinds of fault this rule set has room for.
    fn faults(&self, as_of: Option<i64>) -> Vec<Fault> {
        let set = self.set;
        Fault::ALL
            .into_iter()
            .filter(|f| match f {
                Fault::ChannelNotProvided => !set.channels.is_empty(),
                Fault::VariantNotProvided => !set.variants.is_empty(),
                Fault::OpenOverdue => as_of.is_some(),
                Fault::LateTerm => set.terms.iter().any(|t| !t.limits.is_empty()),
                Fault::RefusalWithoutGround => set
                    .steps
                    .iter()
                    .any(|s| s.refusal && s.implied_ground.is_none()),
                Fault::RefusalWrongGround => set.steps.iter().any(|s| s.refusal),
                _ => true,
            })
            .collect()
    }

    /// A local date in the validity window; for a late fault, now and then just before a
    /// holiday or a decreed day swap, so that the deadline is carried across it.
    fn start(&self, fault: Option<Fault>, rng: &mut fastrand::Rng) -> i64 {
        let (a, b) = self.window;
        let span = (b - a).num_days().max(0);
        let mut d = a + chrono::Days::new(rng.u64(0..=span as u64));
        match fault {
            Some(Fault::OutsideValidity) => {
                d = self.service_from - chrono::Days::new(rng.u64(20..120));
            }
            Some(Fault::LateStep | Fault::LateTerm) if rng.bool() => {
                if let Some(h) = self.next_special_day(d) {
                    d = (h - chrono::Days::new(rng.u64(1..=3))).max(a);
                }
            }
            _ => {}
        }
        let d = self.timer.working_on_or_after(d);
        let day_start = self.timer.at(d, 0);
        self.timer
            .random_in_day(d, day_start, rng)
            .unwrap_or(day_start)
    }

    /// The first holiday, transferred or decreed day off, or decreed working day within
    /// 60 days after `d` that lies in the window.
    fn next_special_day(&self, d: NaiveDate) -> Option<NaiveDate> {
        use crate::calendar::DayKind;
        d.iter_days()
            .take(60)
            .take_while(|x| *x <= self.window.1)
            .find(|x| {
                self.timer
                    .calendar
                    .day_kind(*x)
                    .is_ok_and(|k| !matches!(k, DayKind::Working | DayKind::Weekend))
            })
    }
}

/// The events of a clean walk: refusal steps cite an allowed ground, or none where the
/// step implies one.
fn events_of(set: &Compiled, walk: &[u16], rng: &mut fastrand::Rng) -> Vec<Planned> {
    walk.iter()
        .map(|&s| {
            let rule = &set.steps[usize::from(s)];
            let mut ev = Planned::step(s);
            if rule.refusal && rule.implied_ground.is_none() {
                let allowed: Vec<usize> = match &rule.allowed_grounds {
                    Some(a) => a.iter().map(|&g| usize::from(g)).collect(),
                    None => (0..set.grounds.len()).collect(),
                };
                if !allowed.is_empty() {
                    ev.ground = Some(set.grounds[allowed[rng.usize(..allowed.len())]].clone());
                }
            }
            ev
        })
        .collect()
}

/// Whether the time model's findings are what the fault should give: none for a clean
/// case or an order fault, the fault's own kind for a timed one.
fn acceptable(fault: Option<Fault>, time: &[Expect], events: &[Planned], set: &Compiled) -> bool {
    match fault {
        None => time.is_empty(),
        Some(Fault::LateStep) => events.iter().any(|e| {
            matches!(e.gap, plan::Gap::LateStep(_))
                && e.step.is_some_and(|s| {
                    time.iter().any(|x| {
                        x.step == set.steps[usize::from(s)].id
                            && matches!(x.kind, Kind::StepOverdue | Kind::OutsideCalendar)
                    })
                })
        }),
        Some(Fault::LateTerm) => time.iter().any(|x| x.kind == Kind::TermOverdue),
        Some(Fault::OpenOverdue) => {
            !time.is_empty() && time.iter().all(|x| x.kind == Kind::OpenOverdue)
        }
        Some(Fault::PastCalendar) => time.iter().any(|x| x.kind == Kind::OutsideCalendar),
        Some(_) => time.is_empty(),
    }
}

/// One case of `g`, with at most one fault; `None` when no walk has room for the fault.
fn case(
    g: &SetGen,
    n: usize,
    seed: u64,
    fault: Option<Fault>,
    as_of: Option<i64>,
    rng: &mut fastrand::Rng,
) -> Option<Generated> {
    let set = g.set;
    if g.routes.is_empty() {
        return None;
    }
    let (route, feasible) = g.routes.get(rng.usize(..g.routes.len()))?;
    let refusal = fault.is_some_and(Fault::wants_refusal);
    for _ in 0..12 {
        let Some(walk) = walk::walk(set, route, feasible, rng, refusal) else {
            continue;
        };
        let mut events = events_of(set, &walk, rng);
        let applied = match fault {
            Some(f) => match fault::apply(f, set, route, &mut events, rng) {
                Some(a) => Some(a),
                None => continue,
            },
            None => None,
        };
        let id = format!("g{seed}-{}-{n}", g.ix);
        let draft = draft(set, route, id, fault, events, rng);
        if let Some(made) = timed_case(g, draft, fault, applied, as_of, rng) {
            return Some(made);
        }
    }
    None
}

/// The case as written: its names, with the service, channel or variant replaced when
/// the fault is about them, and the masks the engine will then judge it by.
fn draft(
    set: &Compiled,
    route: &Route,
    id: String,
    fault: Option<Fault>,
    events: Vec<Planned>,
    rng: &mut fastrand::Rng,
) -> CaseDraft {
    let mut draft = CaseDraft {
        id,
        service: set.rules.service_id().to_string(),
        channel: route.channel.map(|c| set.channels[c].clone()),
        variant: route.variant.map(|v| set.variants[v].clone()),
        cm: route.cm,
        vm: route.vm,
        provider: format!("gen-provider-{}", rng.u8(1..=12)),
        events,
    };
    match fault {
        Some(Fault::UnknownService) => draft.service = plan::UNKNOWN_SERVICE.to_string(),
        // The engine reports the channel (variant) and then does not narrow by it.
        Some(Fault::ChannelNotProvided) => {
            draft.channel = Some(plan::UNKNOWN_CHOICE.to_string());
            draft.cm = ALL;
        }
        Some(Fault::VariantNotProvided) => {
            draft.variant = Some(plan::UNKNOWN_CHOICE.to_string());
            draft.vm = ALL;
        }
        _ => {}
    }
    draft
}

/// Times the case, shrinking each step's share of its limits until the time findings
/// are what the fault should give. A clean case that no timing keeps clean is returned
/// with its findings and a note: the rule set contradicts itself there.
fn timed_case(
    g: &SetGen,
    mut draft: CaseDraft,
    fault: Option<Fault>,
    applied: Option<fault::Applied>,
    as_of: Option<i64>,
    rng: &mut fastrand::Rng,
) -> Option<Generated> {
    let set = g.set;
    let replayed = !matches!(fault, Some(Fault::UnknownService | Fault::OutsideValidity));
    let first = g.start(fault, rng);
    let mut time = Vec::new();
    for scale in [1.0, 0.4, 0.15, 0.05, 0.0] {
        g.timer.place(&mut draft.events, first, scale, rng)?;
        time = if replayed {
            let masks = (draft.cm, draft.vm);
            model::predict(set, &g.timer.clock, &draft.events, masks, as_of)
        } else {
            Vec::new()
        };
        if acceptable(fault, &time, &draft.events, set) {
            let mut expect = applied.as_ref().map_or_else(Vec::new, |a| a.expect.clone());
            expect.append(&mut time);
            return Some(Generated {
                draft,
                fault,
                expect,
                target: applied.and_then(|a| a.target),
                note: None,
            });
        }
        if fault.is_some_and(Fault::is_timed) {
            return None;
        }
    }
    if fault.is_some() || time.is_empty() {
        return None;
    }
    let note = format!(
        "no timing keeps this walk clean: {}",
        time.iter()
            .map(|x| format!("{} at {}", x.kind.as_str(), x.step))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(Generated {
        draft,
        fault,
        expect: time,
        target: None,
        note: Some(note),
    })
}

/// Generates `spec.cases` cases of every rule set of `sets` and writes the merged log to
/// `log` and, when given, the truth to `truth`. `all` is every rule set of the catalog:
/// a case outside the validity of its rule set must also be outside every other edition.
pub fn generate(
    sets: &[&Compiled],
    all: &[Compiled],
    calendar: &Calendar,
    spec: &Spec,
    log: &mut dyn std::io::Write,
    truth: Option<&mut dyn std::io::Write>,
) -> std::io::Result<Summary> {
    let mut w = write::Writer::default();
    for (ix, set) in sets.iter().enumerate() {
        let g = SetGen::new(ix, set, all, calendar);
        let mut rng =
            fastrand::Rng::with_seed(spec.seed ^ (ix as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if g.routes.is_empty() {
            w.note(set.id(), "no channel and variant has a walk from a start step to an end the engine accepts: no clean case can be generated");
            continue;
        }
        let kinds = g.faults(spec.as_of);
        for n in 0..spec.cases {
            let want = (rng.f64() < spec.faults).then(|| kinds[rng.usize(..kinds.len())]);
            let mut made = case(&g, n, spec.seed, want, spec.as_of, &mut rng);
            // The walks had no room for this fault: another kind, then a clean case.
            for _ in 0..4 {
                if made.is_some() || want.is_none() {
                    break;
                }
                let other = kinds[rng.usize(..kinds.len())];
                made = case(&g, n, spec.seed, Some(other), spec.as_of, &mut rng);
            }
            let made = made.or_else(|| case(&g, n, spec.seed, None, spec.as_of, &mut rng));
            if let Some(c) = made {
                w.add(set, &g.timer, c);
            }
        }
    }
    w.finish(log, truth)
}

/// The benchmark log: `cases` cases per rule set, about one in `faults_one_in` with a
/// fault (0: none), every rule set of `sets` (which should be the whole catalog).
pub fn for_rule_sets<'a>(
    sets: impl IntoIterator<Item = &'a Compiled>,
    cases: usize,
    seed: u64,
    faults_one_in: u32,
) -> String {
    let all: Vec<Compiled> = sets.into_iter().cloned().collect();
    let refs: Vec<&Compiled> = all.iter().collect();
    let Ok(calendar) = Calendar::kazakhstan() else {
        return String::new();
    };
    let spec = Spec {
        cases,
        seed,
        faults: if faults_one_in == 0 {
            0.0
        } else {
            1.0 / f64::from(faults_one_in)
        },
        as_of: None,
    };
    let mut out = Vec::new();
    let _ = generate(&refs, &all, &calendar, &spec, &mut out, None);
    String::from_utf8(out).unwrap_or_default()
}
