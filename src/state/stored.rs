//! A finding as the state keeps it (`findings.body`, JSON), and back: the report of a
//! later run lists a finding of a case that ended long ago with the same fields and the
//! same sentence, in any language, as the run that found it.

use crate::engine::message::{Arg, Message};
use crate::engine::{Amount, Deadline, Finding, Kind, Name};
use crate::rules::model::{Severity, Text, Unit};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The kind whose code is `code`.
pub fn kind(code: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.as_str() == code)
}

/// The English catalog: message keys and argument names are read back as slices of it,
/// so a stored finding's message needs no allocation that lives forever.
const CATALOG: &str = include_str!("../../i18n/en.ftl");

/// `s` as a `'static` slice of the catalog, if the catalog has it.
fn catalog_str(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return None;
    }
    let i = CATALOG.find(s)?;
    CATALOG.get(i..i + s.len())
}

#[derive(Serialize, Deserialize)]
struct Body {
    kind: String,
    case: String,
    service: String,
    provider: Option<String>,
    rule_set: Option<String>,
    step: Option<String>,
    term: Option<String>,
    cite: Option<String>,
    severity: Severity,
    limit: Option<StoredAmount>,
    limit_inferred: bool,
    actual: Option<StoredAmount>,
    deadline: Option<StoredDeadline>,
    at: Option<DateTime<FixedOffset>>,
    message: StoredMessage,
    file: Option<String>,
    line: Option<u64>,
    /// Index among the findings of its case of the root it is a consequence of.
    caused_by: Option<usize>,
    /// Issue 16: the case lost a record of its own (absent in states written before).
    #[serde(default)]
    evidence_incomplete: bool,
}

#[derive(Serialize, Deserialize)]
struct StoredAmount {
    whole: Option<i64>,
    decimal: Option<f64>,
    unit: Unit,
}

#[derive(Serialize, Deserialize)]
enum StoredDeadline {
    EndOfDay(NaiveDate),
    Instant(DateTime<FixedOffset>),
}

#[derive(Serialize, Deserialize)]
struct StoredMessage {
    key: String,
    args: Vec<(String, StoredArg)>,
}

#[derive(Serialize, Deserialize)]
enum StoredArg {
    Id(String),
    Name(Text),
    Cite(String),
    Amount(StoredAmount),
    Deadline(StoredDeadline),
    Time(DateTime<FixedOffset>),
    Date(NaiveDate),
    Weekday(NaiveDate),
    List(Vec<String>),
    Flag(bool),
    Nested(Box<StoredMessage>),
}

impl StoredAmount {
    fn of(a: &Amount) -> StoredAmount {
        use crate::engine::finding::Number;
        let (whole, decimal) = match a.value {
            Number::Whole(n) => (Some(n), None),
            Number::Decimal(x) => (None, Some(x)),
        };
        StoredAmount {
            whole,
            decimal,
            unit: a.unit,
        }
    }

    fn to_amount(&self) -> Amount {
        use crate::engine::finding::Number;
        let value = match (self.whole, self.decimal) {
            (Some(n), _) => Number::Whole(n),
            (None, x) => Number::Decimal(x.unwrap_or_default()),
        };
        Amount {
            value,
            unit: self.unit,
        }
    }
}

impl StoredDeadline {
    fn of(d: &Deadline) -> StoredDeadline {
        match d {
            Deadline::EndOfDay(d) => StoredDeadline::EndOfDay(*d),
            Deadline::Instant(t) => StoredDeadline::Instant(*t),
        }
    }

    fn to_deadline(&self) -> Deadline {
        match self {
            StoredDeadline::EndOfDay(d) => Deadline::EndOfDay(*d),
            StoredDeadline::Instant(t) => Deadline::Instant(*t),
        }
    }
}

impl StoredMessage {
    fn of(m: &Message) -> StoredMessage {
        StoredMessage {
            key: m.key.to_owned(),
            args: (m.args.iter())
                .map(|(n, a)| ((*n).to_owned(), StoredArg::of(a)))
                .collect(),
        }
    }

    /// The message back; a key or argument this build's catalog no longer has is an error.
    fn to_message(&self) -> Result<Message, String> {
        let key =
            catalog_str(&self.key).ok_or_else(|| format!("unknown message key {:?}", self.key))?;
        let mut m = Message::new(key);
        for (name, arg) in &self.args {
            let name =
                catalog_str(name).ok_or_else(|| format!("unknown message argument {name:?}"))?;
            m = m.arg(name, arg.to_arg()?);
        }
        Ok(m)
    }
}

impl StoredArg {
    fn of(a: &Arg) -> StoredArg {
        match a {
            Arg::Id(s) => StoredArg::Id(s.clone()),
            Arg::Name(t) => StoredArg::Name((**t).clone()),
            Arg::Cite(s) => StoredArg::Cite(s.clone()),
            Arg::Amount(a) => StoredArg::Amount(StoredAmount::of(a)),
            Arg::Deadline(d) => StoredArg::Deadline(StoredDeadline::of(d)),
            Arg::Time(t) => StoredArg::Time(*t),
            Arg::Date(d) => StoredArg::Date(*d),
            Arg::Weekday(d) => StoredArg::Weekday(*d),
            Arg::List(l) => StoredArg::List(l.clone()),
            Arg::Flag(b) => StoredArg::Flag(*b),
            Arg::Nested(m) => StoredArg::Nested(Box::new(StoredMessage::of(m))),
        }
    }

    fn to_arg(&self) -> Result<Arg, String> {
        Ok(match self {
            StoredArg::Id(s) => Arg::Id(s.clone()),
            StoredArg::Name(t) => Arg::Name(Arc::new(t.clone())),
            StoredArg::Cite(s) => Arg::Cite(s.clone()),
            StoredArg::Amount(a) => Arg::Amount(a.to_amount()),
            StoredArg::Deadline(d) => Arg::Deadline(d.to_deadline()),
            StoredArg::Time(t) => Arg::Time(*t),
            StoredArg::Date(d) => Arg::Date(*d),
            StoredArg::Weekday(d) => Arg::Weekday(*d),
            StoredArg::List(l) => Arg::List(l.clone()),
            StoredArg::Flag(b) => Arg::Flag(*b),
            StoredArg::Nested(m) => Arg::Nested(Box::new(m.to_message()?)),
        })
    }
}

/// `f` as JSON, its `caused_by` given relative to the first finding of its case (`base`).
pub fn to_json(f: &Finding, base: usize) -> String {
    let body = Body {
        kind: f.kind.as_str().to_owned(),
        case: f.case.to_string(),
        service: f.service.to_string(),
        provider: f.provider.as_ref().map(ToString::to_string),
        rule_set: f.rule_set.as_ref().map(ToString::to_string),
        step: f.step.clone(),
        term: f.term.clone(),
        cite: f.cite.clone(),
        severity: f.severity,
        limit: f.limit.as_ref().map(StoredAmount::of),
        limit_inferred: f.limit_inferred,
        actual: f.actual.as_ref().map(StoredAmount::of),
        deadline: f.deadline.as_ref().map(StoredDeadline::of),
        at: f.at,
        message: StoredMessage::of(&f.message),
        file: f.file.as_ref().map(ToString::to_string),
        line: f.line,
        caused_by: f.caused_by.map(|i| i.saturating_sub(base)),
        evidence_incomplete: f.evidence_incomplete,
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// A finding back from its JSON, its `caused_by` made absolute again with `base`.
pub fn from_json(json: &str, base: usize) -> Result<Finding, String> {
    let b: Body = serde_json::from_str(json).map_err(|e| format!("stored finding: {e}"))?;
    let name = |s: Option<String>| s.as_deref().map(Name::from);
    Ok(Finding {
        kind: kind(&b.kind).ok_or_else(|| format!("unknown finding kind {:?}", b.kind))?,
        case: Name::from(b.case.as_str()),
        service: Name::from(b.service.as_str()),
        provider: name(b.provider),
        rule_set: name(b.rule_set),
        step: b.step,
        term: b.term,
        cite: b.cite,
        severity: b.severity,
        limit: b.limit.as_ref().map(StoredAmount::to_amount),
        limit_inferred: b.limit_inferred,
        actual: b.actual.as_ref().map(StoredAmount::to_amount),
        deadline: b.deadline.as_ref().map(StoredDeadline::to_deadline),
        at: b.at,
        message: b.message.to_message()?,
        file: name(b.file),
        line: b.line,
        caused_by: b.caused_by.map(|i| i + base),
        evidence_incomplete: b.evidence_incomplete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for k in Kind::ALL {
            assert_eq!(kind(k.as_str()), Some(k));
        }
        assert_eq!(kind("nope"), None);
    }

    #[test]
    fn a_finding_reads_back_as_it_was() {
        let f = Finding {
            kind: Kind::StepOverdue,
            case: Name::from("c1"),
            service: Name::from("s"),
            provider: Some(Name::from("p")),
            rule_set: None,
            step: Some("review".into()),
            term: None,
            cite: Some("9".into()),
            severity: Severity::Hard,
            limit: Some(Amount::whole(5, Unit::WorkingDays)),
            limit_inferred: false,
            actual: None,
            deadline: Some(Deadline::EndOfDay(
                NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            )),
            at: None,
            message: Message::new("step-overdue")
                .id("step", "review")
                .arg("limit", Arg::Flag(true)),
            file: Some(Name::from("night.jsonl")),
            line: Some(3),
            caused_by: Some(7),
            evidence_incomplete: false,
        };
        let back = from_json(&to_json(&f, 5), 10).unwrap();
        assert_eq!(back.caused_by, Some(12));
        assert_eq!(
            Finding {
                caused_by: Some(7),
                ..back
            },
            f
        );
    }
}
