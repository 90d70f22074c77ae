//! Replay: each case against the compiled process graph of its rule set.
//!
//! The engine sees only compiled data ([`crate::rules::Catalog`]) and integer events
//! ([`crate::log::Log`]); it passes findings back to the caller and decides nothing about
//! how they look. "Now" is the `as_of` argument, never the clock.

pub mod finding;
pub mod limits;
pub mod replay;

pub use finding::{Amount, Deadline, Finding, Kind};
pub use replay::{CaseStats, Engine};
