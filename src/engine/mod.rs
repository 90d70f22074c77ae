//! Replay: each case against the compiled process graph of its rule set.
//!
//! The engine sees only compiled data ([`crate::rules::Catalog`]) and integer events
//! ([`crate::log::Log`]); it passes findings back to the caller and decides nothing about
//! how they look. "Now" is the `as_of` argument, never the clock.
//!
//! [`replay`] resolves each case to its rule set; a case ([`case`]) owns its route,
//! state and findings, and each legal check lives in its own module: [`order`],
//! [`limits`], [`refusal`], [`terms`], [`open`]. [`finding`] words every finding, and
//! [`causes`] links the consequences of one delay to its root finding; [`ties`] orders
//! events at the same time by the process graph; [`due`] lists open cases about to go
//! overdue; [`stopped`] lists open cases waiting for the applicant or with no deadline
//! in the rule set; [`doubt`] counts the cases judged under an edition that may not have
//! applied on the day they began; [`evidence`] marks the findings of a case that lost a
//! record, and counts the limits that could not be measured; [`unjudged`] lists the
//! cases no encoded edition can have applied to, which are not judged.

pub mod case;
pub mod causes;
pub mod doubt;
pub mod due;
pub mod evidence;
pub mod finding;
pub mod limits;
pub mod message;
pub mod open;
pub mod order;
pub mod refusal;
pub mod replay;
pub mod stopped;
pub mod terms;
pub mod ties;
pub mod unjudged;

pub use case::Outcome;
pub use doubt::{DaySpan, Doubts};
pub use due::DueSoon;
pub use finding::{Amount, Deadline, Finding, Kind, Name};
pub use message::{Arg, Message};
pub use replay::{CaseStats, DEFAULT_DUE_WITHIN, Engine, append_findings};
pub use stopped::{Stopped, Wait};
pub use unjudged::NotJudged;
