//! Events to cases: a case's events may be spread through the files and out of time
//! order; replay needs them together and in time order.

use super::Event;
use rayon::slice::ParallelSliceMut;

/// Orders events by case, then time; events at the same time keep their reading order
/// (the sort is stable). Returns the events of each case as consecutive runs.
///
/// A case is a case id within a service: providers number their own cases, so the same
/// id in two services is two cases.
pub fn group(events: &mut [Event]) -> impl Iterator<Item = &[Event]> {
    events.sort_by_key(|e| (e.case, e.service, e.at));
    events.chunk_by(same_case)
}

fn same_case(a: &Event, b: &Event) -> bool {
    a.case == b.case && a.service == b.service
}

/// As [`group`], sorting on every core; the result is the same.
pub fn group_parallel(events: &mut [Event]) -> Vec<&[Event]> {
    events.par_sort_by_key(|e| (e.case, e.service, e.at));
    events.chunk_by(same_case).collect()
}
