//! The nightly state (`check --state FILE`): what one run leaves for the next, in a
//! SQLite file (rusqlite's bundled SQLite: nothing to install).
//!
//! A nightly run is `check --stream` carried over between runs ([`night`]): the open
//! cases' events and a compact record of each ended case are kept here, joined to the
//! night's events, and replayed by the same [`crate::check::Stream`]. Findings get an
//! identity stable across runs and a status (new, open, resolved). The whole run is one
//! transaction: a run killed at any moment leaves the file as it was. The schema is
//! versioned ([`schema`]) and documented in `docs/state.md`.

pub mod history;
pub mod identity;
pub mod load;
pub mod night;
mod recheck;
mod save;
pub mod schema;
mod status;
mod store;
pub mod stored;

pub use store::Store;

use std::time::Duration;

/// How long a run waits for another run on the same state to finish, by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// Why a state file could not be used. The file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Another run holds the file for longer than the wait allowed.
    #[error(
        "state {path}: another run is using it and did not finish within {secs} s (--state-wait); nothing was changed"
    )]
    Busy { path: String, secs: u64 },
    /// The file is not an SQLite database.
    #[error(
        "state {path}: not a reglament state: the file is not an SQLite database; it was left untouched"
    )]
    NotSqlite { path: String },
    /// An SQLite database written by something else.
    #[error(
        "state {path}: not a reglament state: an SQLite database of another application (application_id {found:#x}); it was left untouched"
    )]
    Foreign { path: String, found: i32 },
    /// A state written by a newer reglament.
    #[error(
        "state {path}: written by a newer reglament (schema version {found}, this one reads up to {supported}); it was left untouched: use that version or newer"
    )]
    Newer {
        path: String,
        found: i64,
        supported: i64,
    },
    /// The file is damaged.
    #[error(
        "state {path}: the file is damaged ({detail}); it was left untouched: restore it from a backup, or start over with a new file"
    )]
    Corrupt { path: String, detail: String },
    /// Any other SQLite error, with the step it happened at.
    #[error("state {path}: {step}: {source}")]
    Sql {
        path: String,
        step: &'static str,
        source: rusqlite::Error,
    },
    /// A row of the state that this build cannot read back.
    #[error("state {path}: {detail}")]
    Invalid { path: String, detail: String },
}

impl StateError {
    /// Maps an SQLite error at `step`: a damaged or non-database file, or a lock held past
    /// the wait, gets its own message.
    pub fn sql(
        path: &str,
        step: &'static str,
        wait: Duration,
    ) -> impl FnOnce(rusqlite::Error) -> StateError {
        let path = path.to_owned();
        move |e| {
            use rusqlite::ErrorCode;
            match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StateError::Busy {
                    path,
                    secs: wait.as_secs(),
                },
                Some(ErrorCode::NotADatabase) => StateError::NotSqlite { path },
                Some(ErrorCode::DatabaseCorrupt) => StateError::Corrupt {
                    path,
                    detail: e.to_string(),
                },
                _ => StateError::Sql {
                    path,
                    step,
                    source: e,
                },
            }
        }
    }
}
