//! Nothing is lost: every non-blank record is either an accepted event or a rejected
//! record with its reason, and `lines == events + rejected` holds by construction.
//!
//! Rejections are bounded: a hostile log can hold millions of bad records, so only the
//! first [`Account::max_shown`] are kept in full; every one is still counted, by
//! [`Reason`]. A record names its file by index into the log's file list, never by a
//! copy of the name. The accounting is format-neutral: a record has a position (the
//! line it starts on), whatever format it was read from.

use super::gaps::Gaps;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rejections kept in full unless told otherwise (`--max-rejected-shown`).
pub const MAX_SHOWN: usize = 1000;

/// Why a record was rejected, as a stable snake_case code every output uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The record is longer than the reader's limit; it was skipped unread.
    TooLong,
    /// The record is not valid UTF-8 (also CESU-8 bytes and lone surrogate escapes).
    InvalidUtf8,
    /// The record is not well-formed in its format (bad JSON).
    Syntax,
    /// The record is well-formed but not an event record (a JSON array, a number).
    NotAnObject,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong type.
    WrongType,
    /// A time field is not a timestamp, or a local time the zone skipped, or `started` is
    /// later than `at` (a step cannot end before it starts).
    BadTime,
    /// `check --stream` only: the event is older than the latest time the stream had
    /// already reached (its watermark), so the input is not in time order there.
    OutOfOrder,
    /// `check --state` only: the same event was already read, tonight or by an earlier
    /// run on the same state (an overlapping re-export, a run done twice): it is not
    /// counted twice. See `crate::state::identity` for what counts as the same event.
    Duplicate,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::TooLong => "too_long",
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::Syntax => "syntax",
            Reason::NotAnObject => "not_an_object",
            Reason::MissingField => "missing_field",
            Reason::WrongType => "wrong_type",
            Reason::BadTime => "bad_time",
            Reason::OutOfOrder => "out_of_order",
            Reason::Duplicate => "duplicate",
        }
    }
}

/// A record that could not be read as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Index of the file in the log's file list.
    pub file: u32,
    /// 1-based line the record starts on.
    pub line: u64,
    /// The field at fault, when one is.
    pub field: Option<String>,
    pub reason: Reason,
    /// What is wrong, for a person.
    pub detail: String,
    /// The record's first bytes (invalid UTF-8 shown as `\xNN`), so an inspector can
    /// see what was rejected without the file. Writers escape it further for display.
    pub excerpt: String,
}

/// A log file that could not be read to its end (missing, unreadable, corrupt
/// compression). The lines read before the failure stay accounted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub file: String,
    pub reason: String,
}

/// Counts of one run's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Non-blank lines read: every one is an event or a rejected record.
    pub lines: u64,
    /// Blank lines (whitespace only), skipped and counted apart.
    pub blank_lines: u64,
    pub events: u64,
    /// The first [`Account::max_shown`] rejected records, in reading order.
    pub rejected: Vec<Rejected>,
    /// Every rejected record, shown or not.
    pub rejected_total: u64,
    /// Every rejected record by reason.
    pub rejected_by_reason: BTreeMap<Reason, u64>,
    /// How many rejected records are kept in full.
    pub max_shown: usize,
    /// Files that could not be read to their end.
    pub unreadable: Vec<Unreadable>,
    /// Indexes of files that held no byte at all (a closed standard input, an empty
    /// export): a report must not pass them off as a clean log.
    pub empty_files: Vec<u32>,
    /// The cases rejected records belong to, where their case id could be read
    /// ([`super::gaps`]): every rejected record is counted in it as owned or not.
    pub gaps: Gaps,
    /// CSV: physical lines that continue a record (line ends inside quoted fields).
    pub continued_lines: u64,
}

impl Default for Account {
    fn default() -> Account {
        Account {
            lines: 0,
            blank_lines: 0,
            events: 0,
            rejected: Vec::new(),
            rejected_total: 0,
            rejected_by_reason: BTreeMap::new(),
            max_shown: MAX_SHOWN,
            unreadable: Vec::new(),
            empty_files: Vec::new(),
            gaps: Gaps::default(),
            continued_lines: 0,
        }
    }
}

impl Account {
    /// Whether every line read is accounted for.
    pub fn is_balanced(&self) -> bool {
        self.lines == self.events + self.rejected_total
            && self.rejected_total == self.rejected_by_reason.values().sum::<u64>()
            && self.rejected_total == self.gaps.owned + self.gaps.unowned
    }

    /// Counts one rejected record whose case id could not be read; keeps it in full
    /// while fewer than `max_shown` are.
    pub fn reject(&mut self, r: Rejected) {
        self.gaps.add_unowned();
        self.count(r);
    }

    /// Counts one rejected record of case `case` (the log's integer) of `service`
    /// (`None`: not readable), as [`Account::reject`] does, and charges the gap to the
    /// case ([`super::gaps`]).
    #[cold]
    pub fn reject_in_case(&mut self, r: Rejected, case: u32, service: Option<&str>) {
        self.gaps.add(case, service);
        self.count(r);
    }

    fn count(&mut self, r: Rejected) {
        self.lines += 1;
        self.rejected_total += 1;
        *self.rejected_by_reason.entry(r.reason).or_insert(0) += 1;
        if self.rejected.len() < self.max_shown {
            self.rejected.push(r);
        }
    }

    /// Rejected records counted but not kept in full.
    pub fn rejected_not_shown(&self) -> u64 {
        self.rejected_total - self.rejected.len() as u64
    }
}

/// The first `max` bytes of `bytes`, invalid UTF-8 shown as `\xNN` (never cut inside a
/// character).
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if out.len() + c.len_utf8() > max {
                return out + "…";
            }
            out.push(c);
        }
        for b in chunk.invalid() {
            if out.len() + 4 > max {
                return out + "…";
            }
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The detail of a record rejected because its `started` is later than its `at`, in
/// every input format: a step cannot end before it starts, and a desk time measured from
/// such a start would be negative, so always within its limit. Both times are quoted as
/// written, cut like any excerpt.
pub fn start_after_end(started: &str, at: &str) -> String {
    let cut = |s: &str| excerpt(s.as_bytes(), super::lines::EXCERPT);
    format!(
        "{:?} is later than `at` {:?}: a step cannot end before it starts",
        cut(started),
        cut(at)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rej(line: u64, reason: Reason) -> Rejected {
        Rejected {
            file: 0,
            line,
            field: None,
            reason,
            detail: String::new(),
            excerpt: String::new(),
        }
    }

    /// Only the first `max_shown` are kept; all are counted by reason.
    #[test]
    fn rejections_past_the_limit_are_counted_not_kept() {
        let mut a = Account {
            max_shown: 2,
            ..Account::default()
        };
        for i in 1..=5 {
            a.reject(rej(
                i,
                if i % 2 == 0 {
                    Reason::Syntax
                } else {
                    Reason::TooLong
                },
            ));
        }
        assert_eq!(
            a.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(a.rejected_total, 5);
        assert_eq!(a.rejected_not_shown(), 3);
        assert_eq!(a.rejected_by_reason[&Reason::TooLong], 3);
        assert_eq!(a.rejected_by_reason[&Reason::Syntax], 2);
        assert!(a.is_balanced());
    }

    #[test]
    fn excerpts_show_invalid_bytes_and_stop_at_a_character() {
        assert_eq!(excerpt(b"ab\xffc", 64), "ab\\xffc");
        assert_eq!(excerpt("жжж".as_bytes(), 5), "жж…");
        assert_eq!(excerpt(b"abc", 3), "abc");
    }
}
