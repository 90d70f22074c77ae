//! The rule-set file format, as serde types.
//!
//! These types mirror `rules/schema.json` one to one; the schema is the authority on what
//! a file may contain, and the loader validates every file against it before these types
//! see it. Compiled, index-based forms for replay live in [`crate::rules::compiled`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A text as the regulation gives it (`kk`), with an English gloss.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub kk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    pub en: String,
}

/// One regulation (or one edition of it) as data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: String,
    /// Service id that logs use; editions of one regulation share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub title: Text,
    pub source: Source,
    pub region: String,
    pub timezone: String,
    /// First day the regulation applied; with `valid_from_latest`, the earliest possible one.
    pub valid_from: NaiveDate,
    /// Present when `valid_from` is only the earliest possible first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from_latest: Option<LatestBound>,
    /// Last day the regulation applied; with `valid_to_latest`, the earliest possible one.
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    /// Present when `valid_to` is only the earliest possible last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to_latest: Option<LatestBound>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    pub channels: Vec<Choice>,
    #[serde(default)]
    pub variants: Vec<Choice>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub terms: Vec<Term>,
    #[serde(default)]
    pub refusal_grounds: Vec<Ground>,
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl RuleSet {
    /// The service id events name: `service`, or the rule set id.
    pub fn service_id(&self) -> &str {
        self.service.as_deref().unwrap_or(&self.id)
    }
}

/// The latest possible day of a validity bound whose own field (`valid_from`,
/// `valid_to`) holds only the earliest possible one: an act applies "ten calendar days
/// after its first official publication", and the publication date is not in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestBound {
    /// The latest possible day; `None` when the data do not give one (never guessed).
    pub date: Option<NaiveDate>,
    /// Where the bounds come from, or why the latest one is unknown.
    pub basis: String,
    /// How the latest day is known: read in a source (the default), or inferred from
    /// evidence `basis` cites (publication practice, `rules/README.md` "Validity periods").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<BoundProvenance>,
}

/// How the latest possible day of a validity bound is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundProvenance {
    /// Read: a publication or entry-into-force date seen in a source.
    Read,
    /// Inferred by stated reasoning from evidence (registration dates, the act's own
    /// duty to send itself for publication, registration-to-publication gaps observed).
    Inferred,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub seed: String,
    pub act: Act,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annex: Option<String>,
    pub edition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Act {
    pub issuer: String,
    /// The issuing body in each report language (`issuer` is its English id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<Text>,
    pub number: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// How elapsed-time limits are counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Schedule {
    pub elapsed: Elapsed,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_hours: Option<OfficeHours>,
    #[serde(rename = "ref")]
    pub cite: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether seconds, minutes and hours run through nights and days off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Elapsed {
    /// Real elapsed time: a 2-hour step started at 18:00 must end by 20:00.
    WallClock,
    /// Only office time of working days counts: a 2-hour step started at 18:00 (office
    /// closing at 18:30) may end at 10:30 on the next working day.
    OfficeHours,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeHours {
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub breaks: Vec<[String; 2]>,
}

/// A channel or a variant of the service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: Text,
    #[serde(rename = "ref")]
    pub cite: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    WorkingDays,
    CalendarDays,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::WorkingDays => "working_days",
            Unit::CalendarDays => "calendar_days",
        }
    }

    /// A readable English unit name for reports.
    pub fn label(self, n: i64) -> &'static str {
        let one = n == 1;
        match (self, one) {
            (Unit::Seconds, true) => "second",
            (Unit::Seconds, false) => "seconds",
            (Unit::Minutes, true) => "minute",
            (Unit::Minutes, false) => "minutes",
            (Unit::Hours, true) => "hour",
            (Unit::Hours, false) => "hours",
            (Unit::WorkingDays, true) => "working day",
            (Unit::WorkingDays, false) => "working days",
            (Unit::CalendarDays, true) => "calendar day",
            (Unit::CalendarDays, false) => "calendar days",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A target time (a portal screen; the shorter of two contradictory figures).
    Norm,
    /// A legal deadline.
    Hard,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hard => "hard",
            Severity::Norm => "norm",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    Regulation,
    Read,
    ReadAnalog,
    Inferred,
    NotFound,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Limit {
    pub value: Option<u32>,
    pub unit: Unit,
    pub severity: Severity,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_from: Option<MeasuredFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where the clock of a step limit starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasuredFrom {
    /// The case's previous event, or the event's own `started` time when logged.
    PreviousEvent,
    /// Only the event's own `started` time; without it the limit is not measured.
    EventStart,
}

/// One limit, or several contradictory ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Limits {
    One(Limit),
    Many(Vec<Limit>),
}

impl Limits {
    pub fn as_slice(&self) -> &[Limit] {
        match self {
            Limits::One(l) => std::slice::from_ref(l),
            Limits::Many(v) => v,
        }
    }
}

/// Whether a case may begin with a step: in every channel, or only in some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Start {
    Always(bool),
    In(Vec<String>),
}

impl Default for Start {
    fn default() -> Start {
        Start::Always(false)
    }
}

impl Start {
    pub fn is_start(&self) -> bool {
        !matches!(self, Start::Always(false))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    Result,
    Refusal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    #[serde(rename = "ref")]
    pub cite: String,
    pub actor: String,
    /// Whose records hold the step, where not the default derived from `actor`
    /// ([`super::recorder`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder: Option<super::recorder::Recorder>,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<String>>,
    #[serde(default)]
    pub start: Start,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<End>,
    #[serde(default)]
    pub refusal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grounds: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied_ground: Option<String>,
    #[serde(default)]
    pub next: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limits>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub from: String,
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<String>>,
    #[serde(rename = "ref")]
    pub cite: String,
    pub limit: Limits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ground {
    pub id: String,
    pub text: Text,
    #[serde(rename = "ref")]
    pub cite: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    pub text: String,
}
