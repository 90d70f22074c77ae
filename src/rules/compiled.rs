//! Rule sets compiled for replay: names resolved to indices, graphs checked, time zones
//! parsed. Replay never looks anything up by string. This module holds the compiled
//! types; `super::compiler` builds them (and `Catalog::compile`).
//!
//! Compilation rejects what the schema cannot see: a `next` naming no step, a ground no
//! step can cite, a term from a step that does not exist, an unknown time zone, a step no
//! case can reach, two editions of one service in force on the same day.

use super::model::{End, RuleSet, Severity, Unit};
use super::validity::{InForce, Validity};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

/// Index of a step inside its rule set.
pub type StepIx = u16;

/// Index of a refusal ground inside its rule set ([`Compiled::grounds`]).
pub type GroundIx = u16;

/// A set of channels or variants, one bit per index in the rule set's list (at most 64,
/// as compilation checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mask(u64);

impl Mask {
    /// Every channel or variant: what a case that names none, or a regulation that
    /// distinguishes none, may use.
    pub const ALL: Mask = Mask(u64::MAX);
    /// No channel or variant.
    pub const NONE: Mask = Mask(0);

    /// The set of the one channel or variant at index `i` of the rule set's list;
    /// [`Mask::NONE`] past the 64 a mask can hold.
    pub fn bit(i: usize) -> Mask {
        u32::try_from(i)
            .ok()
            .and_then(|i| 1u64.checked_shl(i))
            .map_or(Mask::NONE, Mask)
    }

    /// Whether the two sets share a channel or variant.
    #[inline]
    pub fn meets(self, other: Mask) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Mask {
    type Output = Mask;
    fn bitor(self, o: Mask) -> Mask {
        Mask(self.0 | o.0)
    }
}

impl std::ops::BitOrAssign for Mask {
    fn bitor_assign(&mut self, o: Mask) {
        self.0 |= o.0;
    }
}

/// Every channel or variant (see [`Mask::ALL`]).
pub const ALL: Mask = Mask::ALL;

/// Where a step limit's clock starts: the file format's `from` and `measured_from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStart {
    /// The case's previous event, or the event's own `started` time when the log records
    /// it (`measured_from: previous_event`, the default).
    PreviousEvent,
    /// The last event of this step (`from`).
    AfterStep(StepIx),
    /// Only the event's own `started` time; without it the limit is not measured
    /// (`measured_from: event_start`, desk service times).
    OwnStart,
}

/// One compiled limit: a number of units, with the paragraph it comes from.
#[derive(Debug, Clone)]
pub struct LimitRule {
    pub value: u32,
    pub unit: Unit,
    pub severity: Severity,
    /// Paragraph of the limit (the step's or term's own when the limit gives none).
    pub cite: String,
    /// Where the clock starts.
    pub start: ClockStart,
    /// The value is not in the regulation but inferred, or read in an analogous act
    /// (`provenance: inferred | read_analog`; the reasoning is in the rule set).
    pub inferred: bool,
    pub quote: Option<String>,
}

impl LimitRule {
    /// Where the limit comes from, as a report says it: the paragraph, and whether the
    /// figure is the regulation's own or inferred.
    pub fn basis(&self) -> String {
        if self.inferred {
            format!(
                "inferred for para {} (the figure is not in the text; see the rule set's notes)",
                self.cite
            )
        } else {
            format!("set by para {}", self.cite)
        }
    }
}

/// Whose move a step is, for a case waiting for it (issue 16): an applicant who has not
/// yet acted has not lost an application, a provider who has not is late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// The applicant's own act (`actor: applicant`), or the payment for the service at
    /// the e-government payment gateway (`actor: payment_gateway`): the gateway records
    /// a payment only the applicant makes ("ЭҮТШ-де қызметке ақы төлеу", seed 002
    /// process 4; seed 001 para 11 and seed 003 para 4.6 word it alike).
    Applicant,
    /// A refusal the system forms by itself in answer to the applicant's own act (a
    /// sign-in, payment or signature that fails: `implied_ground`), which cannot come
    /// before that act.
    AnswersApplicant,
    /// The provider, the State Corporation, a centre or a state system.
    State,
}

impl Mover {
    /// The mover of a step of `actor`, a refusal with an implied ground or not.
    pub fn of(actor: &str, automatic_refusal: bool) -> Mover {
        match actor {
            "applicant" | "payment_gateway" => Mover::Applicant,
            _ if automatic_refusal => Mover::AnswersApplicant,
            _ => Mover::State,
        }
    }
}

/// One compiled step.
#[derive(Debug, Clone)]
pub struct StepRule {
    pub id: String,
    /// The step's name in every language the rule set gives, shared by every finding
    /// that names the step (names run to hundreds of bytes in three languages).
    pub name: std::sync::Arc<super::model::Text>,
    pub cite: String,
    /// Channels in which a case may begin with this step ([`Mask::NONE`]: none).
    pub start: Mask,
    pub end: Option<End>,
    pub refusal: bool,
    /// Grounds the step may cite (indices into [`Compiled::grounds`]): its `grounds`, or
    /// when it lists none its `implied_ground` alone; `None`: any ground of the rule set.
    pub allowed_grounds: Option<Vec<GroundIx>>,
    pub implied_ground: Option<GroundIx>,
    pub next: Vec<StepIx>,
    pub channels: Mask,
    pub variants: Mask,
    pub limits: Vec<LimitRule>,
    /// Whose records hold the step: its `recorder`, else the one its actor implies
    /// ([`super::recorder`]).
    pub recorder: super::recorder::Recorder,
    /// Whose move the step is ([`Mover`]).
    pub mover: Mover,
    /// Whether a limit of the step can run while a case waits for it (its clock starts
    /// at an event, not at the step's own `started`): precomputed for open cases.
    pub waits: bool,
}

impl StepRule {
    /// Whether a case of this channel may begin with the step.
    #[inline]
    pub fn is_start_in(&self, channel: Mask) -> bool {
        self.start.meets(channel)
    }

    /// Whether the step occurs in a case of this channel and variant.
    #[inline]
    pub fn is_in(&self, channel: Mask, variant: Mask) -> bool {
        self.channels.meets(channel) && self.variants.meets(variant)
    }
}

/// A compiled total term.
#[derive(Debug, Clone)]
pub struct TermRule {
    pub id: String,
    pub from: StepIx,
    pub to: Vec<StepIx>,
    pub channels: Mask,
    pub variants: Mask,
    pub cite: String,
    /// Limits with a known value; empty when the regulation only points elsewhere.
    pub limits: Vec<LimitRule>,
}

/// How seconds, minutes and hours are counted (see [`super::model::Elapsed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElapsedRule {
    WallClock,
    /// Office hours as seconds after local midnight; `open` is the list of intervals
    /// (start, end) of one working day, breaks removed.
    OfficeHours {
        open: Vec<(u32, u32)>,
    },
}

/// A rule set ready for replay.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// File the rule set was read from.
    pub origin: String,
    /// The rule set as resolved from its file (for `rules show` and report titles).
    pub rules: RuleSet,
    pub tz: Tz,
    pub steps: Vec<StepRule>,
    pub channels: Vec<String>,
    pub variants: Vec<String>,
    pub grounds: Vec<String>,
    pub terms: Vec<TermRule>,
    pub elapsed: ElapsedRule,
    /// The validity period with how sure each bound is, narrowed by a later edition of
    /// the same service ([`Catalog::compile`]).
    pub validity: Validity,
}

impl Compiled {
    pub fn id(&self) -> &str {
        &self.rules.id
    }

    /// Whether the rule set may have been in force on `date` (local date in its region):
    /// certainly, or in a window its bounds leave open ([`Validity::on`]).
    pub fn is_in_force(&self, date: NaiveDate) -> bool {
        self.validity.on(date) != InForce::No
    }

    /// The compiled step at `ix`, an index compilation produced for this rule set.
    #[inline]
    pub fn step(&self, ix: StepIx) -> &StepRule {
        &self.steps[usize::from(ix)]
    }

    pub fn step_ix(&self, id: &str) -> Option<StepIx> {
        self.steps
            .iter()
            .position(|s| s.id == id)
            .and_then(|i| StepIx::try_from(i).ok())
    }

    pub fn channel_mask(&self, id: &str) -> Option<Mask> {
        self.channels.iter().position(|c| c == id).map(Mask::bit)
    }

    pub fn variant_mask(&self, id: &str) -> Option<Mask> {
        self.variants.iter().position(|c| c == id).map(Mask::bit)
    }

    pub fn ground_ix(&self, id: &str) -> Option<GroundIx> {
        self.grounds
            .iter()
            .position(|g| g == id)
            .and_then(|i| u16::try_from(i).ok())
    }

    /// Whether a case of this channel and variant stopped at step `p` waits for the
    /// applicant's own move: every step that may come next is the applicant's or a
    /// refusal answering the applicant's act, and one is the applicant's (issue 16).
    pub fn waits_on_applicant(&self, p: StepIx, channel: Mask, variant: Mask) -> bool {
        let mut applicant = false;
        for &n in &self.step(p).next {
            let s = self.step(n);
            if !s.is_in(channel, variant) {
                continue;
            }
            match s.mover {
                Mover::Applicant => applicant = true,
                Mover::AnswersApplicant => {}
                Mover::State => return false,
            }
        }
        applicant
    }

    /// Shortest path of steps from `from` to `to` through the graph of this channel and
    /// variant, excluding both ends: the steps a case skipped. `None` if `to` is not
    /// reachable. `from == None` searches from every start step.
    pub fn skipped_path(
        &self,
        from: Option<StepIx>,
        to: StepIx,
        channel: Mask,
        variant: Mask,
    ) -> Option<Vec<StepIx>> {
        let n = self.steps.len();
        let mut prev: Vec<Option<StepIx>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        match from {
            Some(f) => {
                seen[usize::from(f)] = true;
                queue.push_back(f);
            }
            None => {
                for (i, s) in self.steps.iter().enumerate() {
                    if s.is_start_in(channel) && s.is_in(channel, variant) {
                        let i = StepIx::try_from(i).ok()?;
                        if i == to {
                            return Some(Vec::new());
                        }
                        seen[usize::from(i)] = true;
                        queue.push_back(i);
                    }
                }
            }
        }
        let origins: Vec<StepIx> = queue.iter().copied().collect();
        while let Some(cur) = queue.pop_front() {
            for &nx in &self.step(cur).next {
                if seen[usize::from(nx)] || !self.step(nx).is_in(channel, variant) {
                    continue;
                }
                seen[usize::from(nx)] = true;
                prev[usize::from(nx)] = Some(cur);
                if nx == to {
                    let mut path = Vec::new();
                    let mut at = cur;
                    while !(from == Some(at) || (from.is_none() && prev[usize::from(at)].is_none()))
                    {
                        path.push(at);
                        at = prev[usize::from(at)]?;
                    }
                    if from.is_none() && origins.contains(&at) {
                        path.push(at);
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(nx);
            }
        }
        None
    }
}

/// Every rule set of a run, with the services that events name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub sets: Vec<Compiled>,
    /// Editions (indices into `sets`) by service, earliest first (set by the compiler).
    pub(super) services: HashMap<String, Vec<usize>>,
}

impl Catalog {
    /// Editions (indices into `sets`) of the service events call `name`, earliest first.
    pub fn editions(&self, name: &str) -> Option<&[usize]> {
        self.services.get(name).map(Vec::as_slice)
    }

    /// The edition of `editions` a case begun on local date `date` is judged under, with
    /// how sure it is that it applied: the one certainly in force, else the earliest that
    /// may have been (an act stays in force until its repeal is shown to apply; see
    /// [`super::validity`]). `None`: no edition can have applied.
    pub fn edition_on(&self, editions: &[usize], date: NaiveDate) -> Option<(usize, InForce)> {
        // Editions are sorted and narrowed by their successors at compile time: when one
        // is certainly in force, no earlier one may be, so the first that may is the one.
        editions
            .iter()
            .find_map(|&i| match self.sets.get(i)?.validity.on(date) {
                InForce::No => None,
                on => Some((i, on)),
            })
    }
}
