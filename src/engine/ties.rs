//! Events at the same time: their order comes from the process graph, not from the
//! order of the lines in the files.
//!
//! # Legal basis
//! A log records when each step happened; two steps recorded at the same instant (a
//! portal that registers and forwards a request in one transaction, a clock that keeps
//! whole minutes) happened in the order the regulation prescribes, whatever order an
//! exporter wrote their lines in. A provider must not gain or lose a finding by
//! reordering its own lines. So events of a case with equal times are replayed in the
//! order of the process graph: an event whose step may follow the other's comes after
//! it. The graph is ranked once per rule set: a depth-first walk from the start steps
//! (in step order) gives each step its place in reverse post-order, in which every step
//! comes before the steps it may be followed by, except along a loop back to an earlier
//! step (signing in again after a refused sign-in). Steps the walk does not reach, and
//! names the rule set does not have, come after, in step order. Events of the same step
//! at the same time keep their file order (file, then line).

use crate::log::Event;
use crate::rules::compiled::{Compiled, StepIx};

/// The graph rank of each step of a rule set: smaller comes first among events at the
/// same time.
pub(super) fn graph_rank(set: &Compiled) -> Vec<u32> {
    let n = set.steps.len();
    // 0: not seen, 1: on the walk's path, 2: done.
    let mut state = vec![0u8; n];
    let mut post: Vec<usize> = Vec::with_capacity(n);
    for root in (0..n).filter(|&i| !set.steps[i].start.is_empty()) {
        if state[root] != 0 {
            continue;
        }
        // Iterative depth-first walk: (step, index of its next successor to visit).
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let (s, k) = *top;
            let next = &set.steps[s].next;
            if let Some(&t) = next.get(k) {
                top.1 += 1;
                let t = usize::from(t);
                if state.get(t) == Some(&0) {
                    state[t] = 1;
                    stack.push((t, 0));
                }
            } else {
                state[s] = 2;
                post.push(s);
                stack.pop();
            }
        }
    }
    let mut rank = vec![u32::MAX; n];
    let mut place = 0u32;
    for &s in post.iter().rev() {
        rank[s] = place;
        place += 1;
    }
    for r in rank.iter_mut().filter(|r| **r == u32::MAX) {
        *r = place;
        place += 1;
    }
    rank
}

/// Whether any two consecutive events (of one case, in time order) share their time.
pub(super) fn has_ties(events: &[Event]) -> bool {
    events.windows(2).any(|w| w[0].at == w[1].at)
}

/// Orders `events` (one case, in time order) into `out`: by time, then the graph rank of
/// their step (`step_of` maps an event to the rule set's step), then file order.
pub(super) fn order(
    events: &[Event],
    rank: &[u32],
    step_of: impl Fn(&Event) -> Option<StepIx>,
    out: &mut Vec<Event>,
) {
    out.clear();
    out.extend_from_slice(events);
    let key = |e: &Event| {
        let r = step_of(e)
            .and_then(|s| rank.get(usize::from(s)).copied())
            .unwrap_or(u32::MAX);
        (e.at, r, e.file, e.line)
    };
    out.sort_by_key(key);
}
