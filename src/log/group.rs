//! Events to cases: a case's events may be spread through the files and out of time
//! order; replay needs them together and in time order.

use super::Event;
use rayon::slice::ParallelSliceMut;

/// Orders events by case, then time; events at the same time keep their reading order
/// (the sort is stable). Returns the events of each case as consecutive runs.
pub fn group(events: &mut [Event]) -> impl Iterator<Item = &[Event]> {
    events.sort_by_key(|e| (e.case, e.at));
    events.chunk_by(|a, b| a.case == b.case)
}

/// As [`group`], sorting on every core; the result is the same.
pub fn group_parallel(events: &mut [Event]) -> Vec<&[Event]> {
    events.par_sort_by_key(|e| (e.case, e.at));
    events.chunk_by(|a, b| a.case == b.case).collect()
}
