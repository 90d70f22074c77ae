//! The crate-level error: what stops a run (exit code 2). Violations are findings, and
//! bad log records are rejected and counted; neither is an error.

use crate::calendar::CalendarError;
use crate::rules::LoadError;
use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// Rule files that could not be used; every one is listed.
    Rules(Vec<LoadError>),
    /// The calendar data could not be read.
    Calendar(CalendarError),
    /// A file could not be read or written.
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The command line asks for something that cannot be done.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Rules(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Calendar(e) => write!(f, "calendar: {e}"),
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<CalendarError> for Error {
    fn from(e: CalendarError) -> Error {
        Error::Calendar(e)
    }
}
