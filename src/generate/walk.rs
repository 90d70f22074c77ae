//! Routes through a compiled process graph that the engine accepts as they are.
//!
//! The engine judges order with the graph of the case's channel and variant: a case
//! begins with a start step, each step follows the last one in `next`, an end step ends
//! the case, and what is handed out must match what was decided (a result after a
//! refusal step, or a refusal that no refusal step decided, is `unexpected_step`). A walk
//! is therefore taken on the product of the graph with the flag "a refusal was decided",
//! and only through states from which an end the engine accepts can still be reached.

use crate::rules::compiled::{ALL, Compiled, Mask, StepIx};
use crate::rules::model::End;

/// The channel and variant a case names, and the masks the engine narrows the graph by.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub channel: Option<usize>,
    pub variant: Option<usize>,
    pub cm: Mask,
    pub vm: Mask,
}

/// Which states (step reached, refusal decided) can still reach an accepted end.
pub struct Feasible {
    good: Vec<[bool; 2]>,
}

/// Whether ending the case at `s` with `refused` decided is what the engine accepts.
fn end_accepted(end: End, refused: bool) -> bool {
    match end {
        End::Result => !refused,
        End::Refusal => refused,
    }
}

impl Feasible {
    /// Backward reachability on (step, refused) inside one channel and variant.
    pub fn of(set: &Compiled, route: &Route) -> Feasible {
        let n = set.steps.len();
        let mut good = vec![[false; 2]; n];
        loop {
            let mut changed = false;
            for (i, st) in set.steps.iter().enumerate() {
                if !st.is_in(route.cm, route.vm) {
                    continue;
                }
                for r in [false, true] {
                    let ok = match st.end {
                        Some(end) => end_accepted(end, r),
                        None => st.next.iter().any(|&nx| {
                            let ns = &set.steps[usize::from(nx)];
                            ns.is_in(route.cm, route.vm)
                                && good[usize::from(nx)][usize::from(r || ns.refusal)]
                        }),
                    };
                    if ok && !good[i][usize::from(r)] {
                        good[i][usize::from(r)] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                return Feasible { good };
            }
        }
    }

    fn is_good(&self, s: StepIx, refused: bool) -> bool {
        self.good
            .get(usize::from(s))
            .is_some_and(|g| g[usize::from(refused)])
    }
}

/// The routes (channel x variant) in which a clean case exists, each with its feasibility.
pub fn routes(set: &Compiled) -> Vec<(Route, Feasible)> {
    let chans: Vec<Option<usize>> = if set.channels.is_empty() {
        vec![None]
    } else {
        (0..set.channels.len()).map(Some).collect()
    };
    let vars: Vec<Option<usize>> = if set.variants.is_empty() {
        vec![None]
    } else {
        (0..set.variants.len()).map(Some).collect()
    };
    let mut out = Vec::new();
    for &channel in &chans {
        for &variant in &vars {
            let route = Route {
                channel,
                variant,
                cm: channel.map_or(ALL, Mask::bit),
                vm: variant.map_or(ALL, Mask::bit),
            };
            let f = Feasible::of(set, &route);
            if starts(set, &route, &f).next().is_some() {
                out.push((route, f));
            }
        }
    }
    out
}

fn starts<'a>(
    set: &'a Compiled,
    route: &'a Route,
    f: &'a Feasible,
) -> impl Iterator<Item = StepIx> + 'a {
    set.steps.iter().enumerate().filter_map(move |(i, s)| {
        let ix = StepIx::try_from(i).ok()?;
        (s.is_start_in(route.cm) && s.is_in(route.cm, route.vm) && f.is_good(ix, s.refusal))
            .then_some(ix)
    })
}

/// A random accepted walk from a start step to an end step. Refusals are the exception
/// in real logs: a branch that decides a refusal is taken about one time in five, or
/// half the time with `refusal_bias`. `None` if the walk runs in circles too long.
pub fn walk(
    set: &Compiled,
    route: &Route,
    f: &Feasible,
    rng: &mut fastrand::Rng,
    refusal_bias: bool,
) -> Option<Vec<StepIx>> {
    let first: Vec<StepIx> = starts(set, route, f).collect();
    let mut cur = *first.get(rng.usize(..first.len().max(1)))?;
    let mut refused = set.steps[usize::from(cur)].refusal;
    let mut path = vec![cur];
    let limit = set.steps.len() * 3 + 4;
    while set.steps[usize::from(cur)].end.is_none() {
        if path.len() > limit {
            return None;
        }
        let cands: Vec<StepIx> = set.steps[usize::from(cur)]
            .next
            .iter()
            .copied()
            .filter(|&n| {
                let ns = &set.steps[usize::from(n)];
                ns.is_in(route.cm, route.vm) && f.is_good(n, refused || ns.refusal)
            })
            .collect();
        // Steps not yet taken first: loops in the graph are rare detours.
        let fresh: Vec<StepIx> = cands
            .iter()
            .copied()
            .filter(|n| !path.contains(n))
            .collect();
        let pool = if fresh.is_empty() { cands } else { fresh };
        let (refuse, keep): (Vec<StepIx>, Vec<StepIx>) = pool
            .iter()
            .partition(|&&n| !refused && leads_to_refusal(set, f, n));
        let p_refuse = if refusal_bias { 50 } else { 20 };
        let pick_from = if keep.is_empty() || (!refuse.is_empty() && rng.u8(..100) < p_refuse) {
            refuse
        } else {
            keep
        };
        cur = *pick_from.get(rng.usize(..pick_from.len().max(1)))?;
        refused |= set.steps[usize::from(cur)].refusal;
        path.push(cur);
    }
    Some(path)
}

/// Whether taking `n` commits the case to a refusal: a refusal step, or a step from which
/// no result can be reached without deciding one.
fn leads_to_refusal(set: &Compiled, f: &Feasible, n: StepIx) -> bool {
    set.steps[usize::from(n)].refusal || !f.is_good(n, false)
}
