//! Findings: what a replay reports. A violation is a finding, never an error.

use crate::rules::model::{Severity, Unit};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// What went wrong, as a stable snake_case code every output uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The log names a service no rule set describes.
    UnknownService,
    /// No edition of the service was in force on the date of the case's first event.
    NoRuleInForce,
    /// The log names a step the rule set does not have.
    UnknownStep,
    /// The step may not follow the previous one.
    UnexpectedStep,
    /// A required step was skipped: the step follows the previous one only through it.
    MissingStep,
    /// A step was repeated where the process does not allow it.
    DuplicateStep,
    /// A step took longer than its limit.
    StepOverdue,
    /// The total term between two steps was exceeded.
    TermOverdue,
    /// The case is still open at `--as-of` and already past a deadline.
    OpenOverdue,
    /// A refusal cites no ground.
    RefusalWithoutGround,
    /// A refusal cites a ground the regulation does not allow for it.
    RefusalGroundNotAllowed,
    /// An event after the case ended with a result or a refusal.
    EventAfterEnd,
    /// A deadline could not be computed: a date lies outside the working-day calendar.
    OutsideCalendar,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnknownService => "unknown_service",
            Kind::NoRuleInForce => "no_rule_in_force",
            Kind::UnknownStep => "unknown_step",
            Kind::UnexpectedStep => "unexpected_step",
            Kind::MissingStep => "missing_step",
            Kind::DuplicateStep => "duplicate_step",
            Kind::StepOverdue => "step_overdue",
            Kind::TermOverdue => "term_overdue",
            Kind::OpenOverdue => "open_overdue",
            Kind::RefusalWithoutGround => "refusal_without_ground",
            Kind::RefusalGroundNotAllowed => "refusal_ground_not_allowed",
            Kind::EventAfterEnd => "event_after_end",
            Kind::OutsideCalendar => "outside_calendar",
        }
    }
}

/// A quantity of time in one unit: a limit, or what a case actually took.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Amount {
    pub value: Number,
    pub unit: Unit,
}

/// A whole number of units (days, or an elapsed time that is whole), or a decimal one
/// rounded to hundredths (elapsed time such as 2.25 hours).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    Whole(i64),
    Decimal(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Whole(n) => write!(f, "{n}"),
            Number::Decimal(x) => write!(f, "{x:.2}"),
        }
    }
}

impl Amount {
    pub fn whole(value: i64, unit: Unit) -> Amount {
        Amount {
            value: Number::Whole(value),
            unit,
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = match self.value {
            Number::Whole(n) => n,
            Number::Decimal(_) => 2,
        };
        write!(f, "{} {}", self.value, self.unit.label(n))
    }
}

/// The last moment a limit allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Deadline {
    /// The end of this local day (working and calendar days).
    EndOfDay(NaiveDate),
    /// This instant, in the region's zone (elapsed time).
    Instant(DateTime<FixedOffset>),
}

impl Deadline {
    /// As the JSON and CSV reports write it: a local date for the end of a day, an RFC
    /// 3339 time for an instant.
    pub fn to_iso(&self) -> String {
        match self {
            Deadline::EndOfDay(d) => d.to_string(),
            Deadline::Instant(t) => t.to_rfc3339(),
        }
    }
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deadline::EndOfDay(d) => write!(f, "end of {d}"),
            Deadline::Instant(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S%:z")),
        }
    }
}

/// One violation found in one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub case: String,
    pub service: String,
    /// The provider the case's events name, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Rule set (edition) the case was checked against.
    pub rule_set: Option<String>,
    pub step: Option<String>,
    /// Term (total limit) the finding is about, for `term_overdue` and open terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Paragraph of the regulation the finding cites.
    #[serde(rename = "ref")]
    pub cite: Option<String>,
    pub severity: Severity,
    pub limit: Option<Amount>,
    /// The limit's figure is inferred, not stated in the regulation.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub limit_inferred: bool,
    pub actual: Option<Amount>,
    pub deadline: Option<Deadline>,
    /// Local time of the event the finding is about.
    pub at: Option<DateTime<FixedOffset>>,
    pub message: String,
    pub file: Option<String>,
    /// 1-based line of the event in `file` (64-bit, as [`crate::log::Event::line`]).
    pub line: Option<u64>,
}
