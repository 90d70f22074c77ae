//! Who records each step, and whose records a log holds.
//!
//! # Legal basis
//! A regulation says who performs each step (`actor`), and so, for an electronic or paper
//! trail, whose system or journal the step is written in: the applicant's own actions on
//! the portal (sign-in, filling and signing the request: 11.2-11.12 of seed 001), the
//! portal or the E-licensing system (registration of the request, the refusal messages),
//! the State Corporation's operators (acceptance and hand-over, para 9-10 of seed 001),
//! the provider's office, executors, commission and head (para 5), and other state
//! systems (the payment gateway, the state databases queried). An export from one of
//! them holds only its own records: a provider's export has no record of what the
//! applicant did on egov.kz before the request reached the provider.
//!
//! So a step is judged for order only where the log holds the records of its recorder
//! ([`Recorders`], given by a mapping's `records` or `check --records`; by default all).
//! A step no recorder of the log writes is never `missing_step`, and a case whose first
//! record is the provider's registration of a portal request is complete. A limit whose
//! clock starts at such a step is not measured (its start is not in the log), and an open
//! case waiting for such a step is not overdue: the log cannot show whether it came.
//!
//! # The default table
//! Each step's recorder is derived from its `actor` by [`Recorder::of_actor`], unless the
//! step names one (`recorder`, where the regulation says otherwise). The table is one
//! place, so the rule sets need no field on most steps:
//!
//! | actor | recorder |
//! |---|---|
//! | `applicant` | `applicant` (the applicant on the portal) |
//! | `portal`, `e_licensing`, `elicense_system` | `portal` |
//! | `state_corporation`, `state_corporation_operator`, `psc_operator` | `state_corporation` |
//! | `payment_gateway`, `state_databases` | `state_system` |
//! | any other actor (`provider_office`, `provider_head`, `provider_executor`, `licensing_commission`, `department_head`, ...) | `provider` |
//!
//! Any other actor is the provider's: every regulation here describes the provider's own
//! procedure in its process paragraphs, and names the portal, the State Corporation and
//! the state systems by name wherever they act.

use serde::{Deserialize, Serialize};

/// Who writes a step's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recorder {
    /// The applicant's own actions on the portal (recorded in the applicant's session).
    Applicant,
    /// The e-government portal or the E-licensing system.
    Portal,
    /// The State Corporation (population service centres).
    StateCorporation,
    /// The provider: its office, executors, commission and head.
    Provider,
    /// Another state system: the payment gateway, the state databases.
    StateSystem,
}

impl Recorder {
    /// Every recorder, in the order reports list them.
    pub const ALL: [Recorder; 5] = [
        Recorder::Applicant,
        Recorder::Portal,
        Recorder::StateCorporation,
        Recorder::Provider,
        Recorder::StateSystem,
    ];

    /// The stable code files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Recorder::Applicant => "applicant",
            Recorder::Portal => "portal",
            Recorder::StateCorporation => "state_corporation",
            Recorder::Provider => "provider",
            Recorder::StateSystem => "state_system",
        }
    }

    /// The recorder of its code, if it is one.
    pub fn parse(code: &str) -> Option<Recorder> {
        Recorder::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The recorder of a step performed by `actor`: the module's table.
    pub fn of_actor(actor: &str) -> Recorder {
        match actor {
            "applicant" => Recorder::Applicant,
            "portal" | "e_licensing" | "elicense_system" => Recorder::Portal,
            "state_corporation" | "state_corporation_operator" | "psc_operator" => {
                Recorder::StateCorporation
            }
            "payment_gateway" | "state_databases" => Recorder::StateSystem,
            _ => Recorder::Provider,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The recorders whose records a log holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recorders(u8);

impl Default for Recorders {
    /// Every recorder: a log is taken to hold every step's record unless it says not.
    fn default() -> Recorders {
        Recorders::ALL
    }
}

impl Recorders {
    /// Every recorder.
    pub const ALL: Recorders = Recorders(0b1_1111);

    /// Whether the log holds the records of `r`.
    #[inline]
    pub fn has(self, r: Recorder) -> bool {
        self.0 & r.bit() != 0
    }

    /// Whether the log holds every recorder's records.
    pub fn is_all(self) -> bool {
        self == Recorders::ALL
    }

    /// The recorders listed by their codes; `Err` names the first code that is none, or
    /// says the list is empty (a log holds someone's records).
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Result<Recorders, String> {
        let mut set = 0u8;
        for c in codes {
            let c = c.as_ref().trim();
            let r = Recorder::parse(c).ok_or_else(|| {
                let all: Vec<&str> = Recorder::ALL.iter().map(|r| r.as_str()).collect();
                format!("expected one of {}, found {c:?}", all.join(", "))
            })?;
            set |= r.bit();
        }
        if set == 0 {
            return Err("expected at least one recorder, found none".into());
        }
        Ok(Recorders(set))
    }

    /// The codes of the recorders held, in [`Recorder::ALL`] order.
    pub fn codes(self) -> Vec<&'static str> {
        (Recorder::ALL.into_iter())
            .filter(|&r| self.has(r))
            .map(Recorder::as_str)
            .collect()
    }
}

impl super::Compiled {
    /// The steps a case skipped from `from` to `to` that the log's recorders write
    /// (`records`), along the path through the graph of the case's `channel` and
    /// `variant` that skips the fewest of them, then the shortest;
    /// `from == None` searches from every start step (a skipped start step counts). An
    /// empty list: `to` follows `from` through unrecorded steps only. `None`: `to` is not
    /// reachable.
    pub fn skipped_recorded(
        &self,
        from: Option<super::compiled::StepIx>,
        to: super::compiled::StepIx,
        channel: super::compiled::Mask,
        variant: super::compiled::Mask,
        records: Recorders,
    ) -> Option<Vec<super::compiled::StepIx>> {
        use super::compiled::StepIx;
        let n = self.steps.len();
        let on = |i: StepIx| self.steps.get(usize::from(i));
        let cost = |i: StepIx| on(i).map_or(1, |s| u32::from(records.has(s.recorder)));
        let mut dist = vec![u32::MAX; n];
        let mut prev: Vec<Option<StepIx>> = vec![None; n];
        let mut queue = std::collections::VecDeque::new();
        match from {
            Some(f) => {
                *dist.get_mut(usize::from(f))? = 0;
                queue.push_back(f);
            }
            None => {
                for (i, s) in self.steps.iter().enumerate() {
                    let i = StepIx::try_from(i).ok()?;
                    if s.is_start_in(channel) && s.is_in(channel, variant) {
                        if i == to {
                            return Some(Vec::new());
                        }
                        dist[usize::from(i)] = cost(i);
                        queue.push_back(i);
                    }
                }
            }
        }
        // 0-1 breadth-first search: an unrecorded step costs nothing to skip.
        while let Some(cur) = queue.pop_front() {
            if cur == to {
                break;
            }
            let d = dist[usize::from(cur)];
            for &nx in &on(cur)?.next {
                if !on(nx).is_some_and(|s| s.is_in(channel, variant)) {
                    continue;
                }
                let w = if nx == to { 0 } else { cost(nx) };
                if d.saturating_add(w) < dist[usize::from(nx)] {
                    dist[usize::from(nx)] = d + w;
                    prev[usize::from(nx)] = Some(cur);
                    if w == 0 {
                        queue.push_front(nx);
                    } else {
                        queue.push_back(nx);
                    }
                }
            }
        }
        if *dist.get(usize::from(to))? == u32::MAX {
            return None;
        }
        let mut path = Vec::new();
        let mut at = prev[usize::from(to)];
        while let Some(a) = at {
            if Some(a) == from {
                break;
            }
            if cost(a) == 1 {
                path.push(a);
            }
            at = prev[usize::from(a)];
        }
        path.reverse();
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_every_bundled_actor_a_recorder() {
        assert_eq!(Recorder::of_actor("applicant"), Recorder::Applicant);
        assert_eq!(Recorder::of_actor("e_licensing"), Recorder::Portal);
        assert_eq!(
            Recorder::of_actor("psc_operator"),
            Recorder::StateCorporation
        );
        assert_eq!(Recorder::of_actor("payment_gateway"), Recorder::StateSystem);
        assert_eq!(
            Recorder::of_actor("licensing_commission"),
            Recorder::Provider
        );
    }

    #[test]
    fn a_list_of_codes_is_parsed_or_refused() {
        let r = Recorders::parse(&["provider", " state_corporation"]).unwrap();
        assert!(r.has(Recorder::Provider) && !r.has(Recorder::Portal));
        assert_eq!(r.codes(), ["state_corporation", "provider"]);
        assert!(
            Recorders::parse(&["clerk"])
                .unwrap_err()
                .contains("\"clerk\"")
        );
        assert!(Recorders::parse::<&str>(&[]).is_err());
        assert!(Recorders::default().is_all());
    }
}
