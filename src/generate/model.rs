//! What the engine must find in a planned case on time: step limits, terms, what is
//! overdue in an open case at `as_of`, and deadlines outside the calendar.
//!
//! This restates the engine's rules for when a clock starts (`replay.rs`): a limit runs
//! from the last event of its `from` step, else from the event's own `started`, else
//! from the case's previous event of a known step before the end; a desk time
//! (`measured_from: event_start`) is measured only when the event has `started`; a term
//! runs from the first event of its `from` step to the first later event of a `to` step.
//! The arithmetic of a span against a limit (working days, office hours, the calendar)
//! is the engine's own [`Clock`]: the law's counting has one implementation.

use super::plan::{Gap, Planned};
use crate::engine::limits::{Clock, Overrun};
use crate::engine::{Amount, Deadline, Kind};
use crate::rules::compiled::{ClockStart, Compiled, LimitRule, Mask, StepIx};
use crate::rules::model::Severity;

/// One finding the generator expects, with the limit involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub kind: Kind,
    pub step: String,
    pub term: Option<String>,
    pub limit: Option<Amount>,
}

impl Expect {
    pub fn new(kind: Kind, step: &str) -> Expect {
        Expect {
            kind,
            step: step.to_string(),
            term: None,
            limit: None,
        }
    }
}

fn lim_amount(l: &LimitRule) -> Option<Amount> {
    Some(Amount::whole(i64::from(l.value), l.unit))
}

/// The time findings of one case: every step limit, every term, and at `as_of` the
/// overdue of an open case.
pub fn predict(
    set: &Compiled,
    clock: &Clock,
    events: &[Planned],
    masks: (Mask, Mask),
    as_of: Option<i64>,
) -> Vec<Expect> {
    let (cm, vm) = masks;
    let mut out = Vec::new();
    let mut last_at: Vec<Option<i64>> = vec![None; set.steps.len()];
    let mut prev_at: Option<i64> = None;
    let mut prev: Option<(StepIx, i64)> = None;
    let mut ended: Option<StepIx> = None;
    for ev in events {
        let Some(s) = ev.step else { continue };
        let rule = &set.steps[usize::from(s)];
        if let Some(end) = ended
            && set.steps[usize::from(end)].next.contains(&s)
            && rule.is_in(cm, vm)
        {
            ended = None;
            prev = Some((end, prev_at.unwrap_or(ev.at)));
        }
        if ended.is_some() {
            continue;
        }
        for lim in &rule.limits {
            let start = match lim.start {
                ClockStart::AfterStep(f) => last_at[usize::from(f)],
                ClockStart::OwnStart => ev.started,
                ClockStart::PreviousEvent if ev.started.is_some() => ev.started,
                ClockStart::PreviousEvent => prev_at,
            };
            let Some(start) = start else { continue };
            match clock.check(lim, start, ev.at) {
                Ok(None) => {}
                Ok(Some(_)) => out.push(Expect {
                    limit: lim_amount(lim),
                    ..Expect::new(Kind::StepOverdue, &rule.id)
                }),
                Err(_) => out.push(Expect {
                    limit: lim_amount(lim),
                    ..Expect::new(Kind::OutsideCalendar, &rule.id)
                }),
            }
        }
        last_at[usize::from(s)] = Some(ev.at);
        prev_at = Some(ev.at);
        // Injected strays and repeats do not move the case on; the walk's steps do.
        if ev.gap != Gap::Short {
            prev = Some((s, ev.at));
        }
        ended = rule.end.map(|_| s);
    }
    let is_ended = ended.is_some();
    terms(set, clock, events, masks, as_of, is_ended, &mut out);
    if !is_ended && let (Some(as_of), Some((p, at))) = (as_of, prev) {
        let open = Open {
            p,
            at,
            as_of,
            last_at: &last_at,
        };
        open_steps(set, clock, &open, masks, &mut out);
    }
    out
}

fn terms(
    set: &Compiled,
    clock: &Clock,
    events: &[Planned],
    (cm, vm): (Mask, Mask),
    as_of: Option<i64>,
    ended: bool,
    out: &mut Vec<Expect>,
) {
    for term in &set.terms {
        if term.limits.is_empty() || !term.channels.meets(cm) || !term.variants.meets(vm) {
            continue;
        }
        let Some(i) = events.iter().position(|e| e.step == Some(term.from)) else {
            continue;
        };
        let start = events[i].at;
        let end = events[i + 1..]
            .iter()
            .find(|e| e.step.is_some_and(|s| term.to.contains(&s)));
        for lim in &term.limits {
            let base = Expect {
                term: Some(term.id.clone()),
                limit: lim_amount(lim),
                ..Expect::new(Kind::OutsideCalendar, &term.id)
            };
            let (kind, step, at) = match (end, as_of) {
                (Some(e), _) => {
                    let s = e.step.map_or("", |s| set.steps[usize::from(s)].id.as_str());
                    (Kind::TermOverdue, s, e.at)
                }
                // Every running term, a norm too (issue 16), as for a closed case.
                (None, Some(as_of)) if !ended => {
                    let due = term
                        .to
                        .first()
                        .map_or("", |&t| set.steps[usize::from(t)].id.as_str());
                    (Kind::OpenOverdue, due, as_of)
                }
                _ => continue,
            };
            match clock.check(lim, start, at) {
                Ok(None) => {}
                Ok(Some(_)) => out.push(Expect {
                    kind,
                    step: step.to_string(),
                    ..base
                }),
                Err(_) => out.push(base),
            }
        }
    }
}

fn deadline_key(d: &Deadline) -> (chrono::NaiveDate, i64) {
    match d {
        Deadline::EndOfDay(day) => (*day, i64::MAX),
        Deadline::Instant(t) => (t.date_naive(), t.timestamp_millis()),
    }
}

/// Where an open case stands at `as_of`: its last step reached `p` (at `at`) and the
/// time of the last event of each step.
struct Open<'a> {
    p: StepIx,
    at: i64,
    as_of: i64,
    last_at: &'a [Option<i64>],
}

/// An open case is overdue when every step that may come next has a hard limit that can
/// run while it waits (from the previous event, or from an earlier step the case had)
/// and all of them have passed at `as_of`; else, as a norm, when every such step has a
/// limit of any severity that can run and all of them have passed (issue 16). The
/// finding names the step whose deadline is the latest. A case whose next move is the
/// applicant's own is not judged on its next steps.
fn open_steps(
    set: &Compiled,
    clock: &Clock,
    open: &Open,
    (cm, vm): (Mask, Mask),
    out: &mut Vec<Expect>,
) {
    if set.waits_on_applicant(open.p, cm, vm) {
        return;
    }
    for floor in [Severity::Hard, Severity::Norm] {
        if let Some(found) = overdue_on(set, clock, open, (cm, vm), floor) {
            out.push(found);
            return;
        }
    }
}

/// The open case's overdue on limits of severity `floor` or above, if every step that may
/// come next is past all of them.
fn overdue_on(
    set: &Compiled,
    clock: &Clock,
    open: &Open,
    (cm, vm): (Mask, Mask),
    floor: Severity,
) -> Option<Expect> {
    let (p, at, as_of) = (open.p, open.at, open.as_of);
    let later = |a: &Overrun, b: &Overrun| deadline_key(&a.deadline) > deadline_key(&b.deadline);
    let mut latest: Option<(StepIx, &LimitRule, Overrun)> = None;
    for &n in &set.steps[usize::from(p)].next {
        let next = &set.steps[usize::from(n)];
        if !next.is_in(cm, vm) {
            continue;
        }
        let mut due: Option<(&LimitRule, Overrun)> = None;
        for lim in next.limits.iter().filter(|l| l.severity >= floor) {
            let start = match lim.start {
                ClockStart::PreviousEvent => Some(at),
                ClockStart::AfterStep(f) => open.last_at.get(usize::from(f)).copied().flatten(),
                ClockStart::OwnStart => None,
            };
            let Some(start) = start else { continue };
            match clock.check(lim, start, as_of) {
                Ok(Some(over)) if due.as_ref().is_none_or(|(_, o)| later(&over, o)) => {
                    due = Some((lim, over))
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => return None,
            }
        }
        let (lim, over) = due?;
        if latest.as_ref().is_none_or(|(_, _, o)| later(&over, o)) {
            latest = Some((n, lim, over));
        }
    }
    let (n, lim, _) = latest?;
    Some(Expect {
        limit: lim_amount(lim),
        ..Expect::new(Kind::OpenOverdue, &set.steps[usize::from(n)].id)
    })
}
