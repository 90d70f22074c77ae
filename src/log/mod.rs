//! Event logs: cutting input into lines in bounded memory ([`lines`]), reading records
//! ([`jsonl`]), turning names into integers ([`intern`], [`names`]), counting every record as
//! accepted or rejected ([`account`]) and grouping events into cases ([`group`]).

pub mod account;
pub mod formats;
pub mod gaps;
pub mod group;
pub mod intern;
pub mod jsonl;
pub mod lines;
pub mod names;
pub mod prefetch;
pub mod time;

pub use account::{Account, Reason, Rejected, Unreadable};
pub use intern::{Interner, NONE};
pub use jsonl::Reader;
pub use names::Names;

/// One accepted event, with every name turned into an integer.
///
/// Kept small and `Copy`: millions of these are sorted and replayed. Times are UTC
/// milliseconds since the Unix epoch; a local time without an offset was already placed
/// in the zone of the service's edition in force on that local date when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub case: u32,
    pub service: u32,
    pub step: u32,
    /// [`NONE`] when the record names no channel.
    pub channel: u32,
    pub variant: u32,
    pub ground: u32,
    /// [`NONE`] when the record names no provider.
    pub provider: u32,
    pub at: i64,
    /// Start time of the step, when the log records it; [`NO_TIME`] otherwise.
    pub started: i64,
    /// Index of the file in [`Log::files`] (16 bits, so that [`Event::day_only`] fits in
    /// the 56 bytes; a run reads at most [`MAX_FILES`] files).
    pub file: u16,
    /// The log gave only the day of `at` or `started` (`01.08.2016`), not the time of
    /// day: that time is the local midnight starting the day, day-counted limits are
    /// judged on it, and limits in seconds, minutes or hours are not measured for the
    /// case ([`crate::engine`]'s limits).
    pub day_only: bool,
    /// 1-based line in that file (64-bit: a log may have more than 2^32 lines).
    pub line: u64,
}

// Millions of events are sorted and replayed: the day flag took spare room, not more.
const _: () = assert!(std::mem::size_of::<Event>() == 56);

/// Files one run reads at most (the range of [`Event::file`]).
pub const MAX_FILES: usize = u16::MAX as usize;

/// "No time recorded" for [`Event::started`].
pub const NO_TIME: i64 = i64::MIN;

/// Every event of a run, with the names they use.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    pub files: Vec<String>,
    pub names: Names,
    pub account: Account,
    /// Whose records the log holds (a mapping's `records`, `check --records`; by default
    /// every recorder's): order is judged only over the steps they write
    /// ([`crate::rules::recorder`]).
    pub records: crate::rules::recorder::Recorders,
}
