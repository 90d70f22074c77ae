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
    /// Index of the file in [`Log::files`].
    pub file: u32,
    /// 1-based line in that file (64-bit: a log may have more than 2^32 lines).
    pub line: u64,
}

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
