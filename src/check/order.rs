//! `check --stream`'s time order: which events the stream takes, and which it rejects
//! (issue 20). One line must not switch the check off.
//!
//! **Each file on its own watermark.** Each file must be in time order; the watermark
//! (the latest time taken so far) starts again with each file. Two exports that are each
//! in time order but overlap in time (two offices, two months of one register) are both
//! read in full: before, every event of the second older than the end of the first was
//! rejected, and the cases that lost them gave thousands of false findings. As a later
//! file may hold earlier events of any case, a run over several files replays its cases
//! when the input ends, each in time order, as the in-memory mode does: the report is the
//! in-memory one, and so is the memory. To keep `--stream`'s memory bound, merge the files
//! into one time-ordered input first (`sort -m`, README "Streaming").
//!
//! **Too far ahead.** An event more than [`FAR_AHEAD_DAYS`] days after its file's
//! watermark is held, not taken: if the next event of the file is also that far past the
//! watermark, and not [`FAR_AHEAD_DAYS`] before the held one, the log really jumped (a
//! quiet month) and both are taken; if the next event is back near the watermark, the
//! held one is rejected, and the watermark stays where it was. A file's first event is
//! held the same way until its second (if that is more than [`FAR_AHEAD_DAYS`] days
//! earlier, the first is rejected). A file's last event is taken. An event after `--as-of` never moves the watermark: a log exported after the
//! moment it is judged at is judged as the in-memory mode judges it (such an event is
//! taken, and its case replayed when the input ends, in time order), so a first line
//! dated 2099 no longer turns every later event into `out_of_order`.
//!
//! **Too much rejected.** A run that rejects more than [`MAX_OUT_OF_ORDER_PERCENT`] % of
//! the records it read as `out_of_order` did not check the log it was given: the CLI
//! exits with code 2 ([`too_disordered`]).

use crate::log::Event;

/// An event more than this many days after its file's watermark is held until the next
/// event confirms the jump (see the module docs).
pub const FAR_AHEAD_DAYS: i64 = 31;

/// A run rejecting more than this share of its records as out of order exits with 2.
pub const MAX_OUT_OF_ORDER_PERCENT: u64 = 5;

const FAR_AHEAD_MS: i64 = FAR_AHEAD_DAYS * 24 * 3600 * 1000;

/// An event taken by the stream: its time and place, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub at: i64,
    pub file: u16,
    pub line: u64,
}

impl Mark {
    pub fn of(e: &Event) -> Mark {
        Mark {
            at: e.at,
            file: e.file,
            line: e.line,
        }
    }
}

/// Why the stream did not take an event (each is rejected as `out_of_order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Late {
    /// Older than its file's watermark.
    Behind(Mark),
    /// Too far ahead of its file's watermark, and the next event went back.
    FarAhead(Mark),
}

/// The watermark of the file being read, and an event held as too far ahead.
#[derive(Debug, Default)]
pub struct Order {
    file: Option<u16>,
    mark: Option<Mark>,
    held: Option<Event>,
}

impl Order {
    /// Decides on `ev`, the next event of the input: the events the stream takes now go
    /// to `ready` in order (a held one may go with it), the rejected ones to `late`.
    pub fn admit(
        &mut self,
        ev: Event,
        as_of: Option<i64>,
        ready: &mut Vec<Event>,
        late: &mut Vec<(Event, Late)>,
    ) {
        if self.file != Some(ev.file) {
            // A new file: its predecessor's held last event is taken, its watermark dropped.
            ready.extend(self.held.take());
            (self.file, self.mark) = (Some(ev.file), None);
        }
        if as_of.is_some_and(|t| ev.at > t) {
            // Taken, as the in-memory mode takes it, but it never moves the watermark:
            // the stream replays its case when the input ends (see `Stream::take`).
            ready.push(ev);
            return;
        }
        match (self.mark, self.held.take()) {
            // A file's first event waits for its second: it has no watermark to be
            // measured against, and a first line dated 2099 must not become one.
            (None, None) => {
                self.held = Some(ev);
                return;
            }
            (None, Some(held)) => {
                if ev.at.saturating_add(FAR_AHEAD_MS) >= held.at {
                    self.mark = Some(Mark::of(&held));
                    ready.push(held);
                } else {
                    late.push((held, Late::FarAhead(Mark::of(&ev))));
                }
            }
            (Some(mark), Some(held)) => {
                let jumped = ev.at > mark.at.saturating_add(FAR_AHEAD_MS)
                    && ev.at >= held.at.saturating_sub(FAR_AHEAD_MS);
                if jumped {
                    self.mark = Some(Mark::of(&held));
                    ready.push(held);
                    return self.admit(ev, as_of, ready, late);
                }
                late.push((held, Late::FarAhead(mark)));
            }
            (Some(_), None) => {}
        }
        let Some(mark) = self.mark else {
            self.mark = Some(Mark::of(&ev));
            ready.push(ev);
            return;
        };
        if ev.at < mark.at {
            late.push((ev, Late::Behind(mark)));
        } else if ev.at > mark.at.saturating_add(FAR_AHEAD_MS) {
            self.held = Some(ev);
        } else {
            self.mark = Some(Mark::of(&ev));
            ready.push(ev);
        }
    }

    /// The input ended: a held event (the last of its file) is taken; handed to
    /// [`Order::admit`] again, it is taken as the file's first would be.
    pub fn finish(&mut self) -> Option<Event> {
        self.mark = None;
        self.held.take()
    }
}

/// Whether a `--stream` run rejected more than [`MAX_OUT_OF_ORDER_PERCENT`] % of the
/// records it read as out of order: then it did not check the log it was given.
pub fn too_disordered(account_lines: u64, out_of_order: u64) -> bool {
    out_of_order.saturating_mul(100) > account_lines.saturating_mul(MAX_OUT_OF_ORDER_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{NO_TIME, NONE};

    const DAY: i64 = 24 * 3600 * 1000;

    fn ev(file: u16, line: u64, day: i64) -> Event {
        Event {
            case: 0,
            service: 0,
            step: NONE,
            channel: NONE,
            variant: NONE,
            ground: NONE,
            provider: NONE,
            at: day * DAY,
            started: NO_TIME,
            file,
            day_only: false,
            line,
        }
    }

    /// Lines taken and rejected (by line) for a file of events on these days.
    fn run(days: &[(u16, i64)], as_of: Option<i64>) -> (Vec<u64>, Vec<u64>) {
        let mut o = Order::default();
        let (mut ready, mut late) = (Vec::new(), Vec::new());
        for (i, &(file, day)) in days.iter().enumerate() {
            o.admit(ev(file, i as u64 + 1, day), as_of, &mut ready, &mut late);
        }
        ready.extend(o.finish());
        (
            ready.iter().map(|e| e.line).collect(),
            late.iter().map(|(e, _)| e.line).collect(),
        )
    }

    #[test]
    fn one_far_future_event_is_rejected_and_the_watermark_stays() {
        let (taken, late) = run(&[(0, 100), (0, 40_000), (0, 101), (0, 102)], None);
        assert_eq!((taken, late), (vec![1, 3, 4], vec![2]));
    }

    #[test]
    fn a_far_future_first_line_is_rejected() {
        let (taken, late) = run(&[(0, 40_000), (0, 100), (0, 101)], None);
        assert_eq!((taken, late), (vec![2, 3], vec![1]));
        // A file of one event: taken.
        let (taken, late) = run(&[(0, 40_000)], None);
        assert_eq!((taken, late), (vec![1], vec![]));
    }

    #[test]
    fn a_real_gap_is_taken() {
        let (taken, late) = run(&[(0, 100), (0, 200), (0, 201), (0, 202)], None);
        assert_eq!((taken, late), (vec![1, 2, 3, 4], vec![]));
        // The last event of a file, far ahead, is taken: nothing after it went back.
        let (taken, late) = run(&[(0, 100), (0, 200), (1, 50)], None);
        assert_eq!((taken, late), (vec![1, 2, 3], vec![]));
    }

    #[test]
    fn after_as_of_moves_no_watermark_and_files_have_their_own() {
        let days = [(0, 100), (0, 500), (0, 101), (0, 600), (1, 90), (1, 95)];
        let (mut taken, late) = run(&days, Some(300 * DAY));
        taken.sort_unstable(); // an event after --as-of is taken at once
        assert_eq!((taken, late), (vec![1, 2, 3, 4, 5, 6], vec![]));
        let (taken, late) = run(&[(0, 100), (0, 99)], None);
        assert_eq!((taken, late), (vec![1], vec![2]));
    }

    #[test]
    fn the_share_is_a_strict_bound() {
        assert!(!too_disordered(100, 5));
        assert!(too_disordered(100, 6));
        assert!(!too_disordered(0, 0));
        assert!(!too_disordered(u64::MAX, u64::MAX / 100));
    }
}
