//! The crate-level error: what stops a run (exit code 2). Violations are findings, and
//! bad log records are rejected and counted; neither is an error.
//!
//! Every error type of the crate is written with `thiserror`, names where the problem
//! is (file, line, JSON Pointer), and says what was expected and what was found.

use crate::calendar::{CalendarError, OutOfRange};
use crate::rules::LoadError;

/// Where output that is not a file goes, as errors name it.
pub const STDOUT: &str = "<stdout>";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Rule files that could not be used; every one is listed, one per line.
    #[error("{}", lines(.0))]
    Rules(Vec<LoadError>),
    /// The calendar data could not be read.
    #[error("calendar: {0}")]
    Calendar(#[from] CalendarError),
    /// A date outside the calendar's data was asked for.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The schema compiled into the binary is faulty: a bug in this build, not in the
    /// user's input.
    #[error("the bundled {0} (a fault in this build of reglament, not in the input)")]
    BundledSchema(String),
    /// A file (or standard output) could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// The nightly state (`check --state`) could not be used; it was left as it was.
    #[error(transparent)]
    State(#[from] crate::state::StateError),
}

impl Error {
    /// An I/O error on `path` (a file, or [`STDOUT`]).
    pub fn io(path: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// Whether the reader of the output closed the pipe: the run ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

fn lines(errors: &[LoadError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
