//! What a finding says, as a message key and typed arguments, not as text: the report
//! layer renders it in the reader's language (`--lang`, the catalogs in `i18n/*.ftl`).
//! The engine decides what to say; how it reads in Kazakh, Russian or English (the way
//! each language cites a paragraph, numbers agreeing with their nouns) is the catalog's.

use super::finding::{Amount, Deadline};
use crate::rules::model::Text;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::sync::Arc;

/// One finding's sentence: a catalog key (`step-overdue`) and its named arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// A typed argument: the report formats each kind as its language does.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// An identifier or a string from the log, shown as it is (escaped by the writer).
    Id(String),
    /// A name the rule set gives in several languages (a step's name), shared with the
    /// rule set: step names run to hundreds of bytes in three languages, and thousands of
    /// findings may name the same step.
    Name(Arc<Text>),
    /// A paragraph reference of the regulation (`5.3`), cited as the language cites it.
    Cite(String),
    /// A quantity of time, its noun agreeing with its number.
    Amount(Amount),
    Deadline(Deadline),
    /// A local time.
    Time(DateTime<FixedOffset>),
    Date(NaiveDate),
    /// A local date with its day of the week (a deadline day, the day an event came).
    Weekday(NaiveDate),
    /// Identifiers joined by commas; an empty list reads as "none".
    List(Vec<String>),
    /// A yes/no choice a message selects on (`inferred`).
    Flag(bool),
    /// A message inside a message ("after step X", "at the start of the case").
    Nested(Box<Message>),
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Adds argument `name`.
    pub fn arg(mut self, name: &'static str, value: Arg) -> Message {
        self.args.push((name, value));
        self
    }

    /// Adds an identifier argument.
    pub fn id(self, name: &'static str, value: impl Into<String>) -> Message {
        self.arg(name, Arg::Id(value.into()))
    }

    /// Adds a paragraph reference.
    pub fn cite(self, name: &'static str, value: impl Into<String>) -> Message {
        self.arg(name, Arg::Cite(value.into()))
    }

    /// Adds a list of identifiers.
    pub fn list<S: AsRef<str>>(self, name: &'static str, items: &[S]) -> Message {
        let items = items.iter().map(|s| s.as_ref().to_string()).collect();
        self.arg(name, Arg::List(items))
    }

    /// The argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}
