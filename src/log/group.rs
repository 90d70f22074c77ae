//! Events to cases: a case's events may be spread through the files and out of time
//! order; replay needs them together and in time order.

use super::Event;
use rayon::slice::ParallelSliceMut;

/// The order of events: by case, then time, then place in the input (file, then line).
///
/// When every event has a place of its own, every key is distinct, so an unstable sort
/// gives the one order a stable sort by (case, time) would, in place: no scratch buffer
/// as large as the log, which a stable merge sort needs. Places are not always distinct:
/// a one-line XES file has every event on line 1, and a CSV export with bare `\r` line
/// ends has every record on line 1 (lines are counted by `\n`); see [`sort`].
fn key(e: &Event) -> (u128, u16, u64) {
    // Case, service and time packed in one integer (time offset to be unsigned, order
    // kept), compared in two instructions instead of a chain of three comparisons.
    let at = e.at.cast_unsigned() ^ (1 << 63);
    let head = (u128::from(e.case) << 96) | (u128::from(e.service) << 64) | u128::from(at);
    (head, e.file, e.line)
}

/// Orders events by case, then time; events at the same time keep their order in the
/// input. Returns the events of each case as consecutive runs.
///
/// A case is a case id within a service: providers number their own cases, so the same
/// id in two services is two cases.
pub fn group(events: &mut [Event]) -> impl Iterator<Item = &[Event]> {
    sort(events, false);
    events.chunk_by(same_case)
}

/// Sorts by [`key`]: unstable and in place when the events' places strictly ascend (so
/// every key is distinct: JSON Lines, and CSV with `\n` line ends), else stable, so
/// that events sharing a place keep their input order, as the README promises for
/// events at the same time (`engine::ties`), whatever the number of threads.
fn sort(events: &mut [Event], parallel: bool) {
    let distinct = events
        .windows(2)
        .all(|w| (w[0].file, w[0].line) < (w[1].file, w[1].line));
    match (distinct, parallel) {
        (true, false) => events.sort_unstable_by_key(key),
        (true, true) => events.par_sort_unstable_by_key(key),
        (false, false) => events.sort_by_key(key),
        (false, true) => events.par_sort_by_key(key),
    }
}

fn same_case(a: &Event, b: &Event) -> bool {
    a.case == b.case && a.service == b.service
}

/// As [`group`], sorting on every core; the result is the same.
pub fn group_parallel(events: &mut [Event]) -> Vec<&[Event]> {
    sort(events, true);
    events.chunk_by(same_case).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(case: u32, at: i64, line: u64) -> Event {
        Event {
            case,
            service: 0,
            step: 0,
            channel: 0,
            variant: 0,
            ground: 0,
            provider: 0,
            at,
            started: at,
            file: 0,
            day_only: false,
            line,
        }
    }

    /// The packed key orders times as signed numbers (before 1970 included), and events
    /// at the same time by their place in the input, as a stable sort would.
    #[test]
    fn cases_in_time_order_and_ties_in_input_order() {
        let mut events = vec![
            ev(1, 5, 1),
            ev(0, 7, 2),
            ev(1, -3, 3),
            ev(0, i64::MIN + 1, 4),
            ev(1, 5, 0),
            ev(0, 7, 6),
        ];
        let lines = |cases: Vec<&[Event]>| -> Vec<Vec<u64>> {
            cases
                .iter()
                .map(|c| c.iter().map(|e| e.line).collect())
                .collect()
        };
        let mut copy = events.clone();
        assert_eq!(
            lines(group(&mut events).collect()),
            [vec![4, 2, 6], vec![3, 0, 1]]
        );
        assert_eq!(
            lines(group_parallel(&mut copy)),
            [vec![4, 2, 6], vec![3, 0, 1]]
        );
    }
}
