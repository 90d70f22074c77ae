//! A case as planned before it is written: its route, its events and how each event's
//! time is chosen.

use crate::rules::compiled::{Mask, StepIx};

/// How the time of a planned event is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// A share of the step's tightest limit, inside office hours.
    InTime,
    /// A few minutes after the previous event (an injected stray, repeated or unknown
    /// step, or an event after the end).
    Short,
    /// Past the deadline of the step's limit with this index.
    LateStep(usize),
    /// Past the deadline of limit `.1` of term `.0`.
    LateTerm(usize, usize),
    /// After the last date of the working-day calendar.
    BeyondCalendar,
}

/// One planned event.
#[derive(Debug, Clone)]
pub struct Planned {
    /// `None`: a step the rule set does not have (written as [`UNKNOWN_STEP`]).
    pub step: Option<StepIx>,
    /// Refusal ground written in the event, if any.
    pub ground: Option<String>,
    pub gap: Gap,
    /// UTC milliseconds, set by the timing pass.
    pub at: i64,
    /// When the step began (desk service times), set by the timing pass.
    pub started: Option<i64>,
}

impl Planned {
    pub fn step(step: StepIx) -> Planned {
        Planned {
            step: Some(step),
            ground: None,
            gap: Gap::InTime,
            at: 0,
            started: None,
        }
    }
}

/// Step name written for an injected unknown step.
pub const UNKNOWN_STEP: &str = "gen_step_not_in_regulation";
/// Service name written for an injected unknown service.
pub const UNKNOWN_SERVICE: &str = "gen-service-not-in-catalog";
/// Channel or variant name written where the regulation provides none of that name.
pub const UNKNOWN_CHOICE: &str = "gen_not_provided";
/// Ground id written for a refusal on a ground the regulation does not list.
pub const UNKNOWN_GROUND: &str = "gen_ground_not_in_regulation";

/// A case ready for timing and writing.
#[derive(Debug, Clone)]
pub struct CaseDraft {
    pub id: String,
    pub service: String,
    pub channel: Option<String>,
    pub variant: Option<String>,
    /// The channel and variant masks the engine will judge the case by.
    pub cm: Mask,
    pub vm: Mask,
    pub provider: String,
    pub events: Vec<Planned>,
}
