//! Nothing is lost: every non-blank line is either an accepted event or a rejected
//! record with its reason, and `lines == events + rejected` holds by construction.

use serde::Serialize;

/// A record that could not be read as an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub file: String,
    pub line: u64,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

/// A log file that could not be read to its end (missing, unreadable, corrupt
/// compression). The lines read before the failure stay accounted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub file: String,
    pub reason: String,
}

/// Counts of one run's input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// Non-blank lines read: every one is an event or a rejected record.
    pub lines: u64,
    /// Blank lines (whitespace only), skipped and counted apart.
    pub blank_lines: u64,
    pub events: u64,
    pub rejected: Vec<Rejected>,
    /// Files that could not be read to their end.
    pub unreadable: Vec<Unreadable>,
}

impl Account {
    /// Whether every line read is accounted for.
    pub fn is_balanced(&self) -> bool {
        self.lines == self.events + self.rejected.len() as u64
    }
}
