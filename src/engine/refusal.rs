//! Refusal grounds: a refusal must cite a ground the regulation allows at that step.
//!
//! # Legal basis
//! The regulations allow a provider to refuse a service only on the grounds they list,
//! with a reasoned answer. A step marked
//! `refusal: true` must therefore cite a ground: the event's `ground`, or the step's
//! `implied_ground` when the step itself can only mean one (a failed authorisation). No
//! ground is `refusal_without_ground`; a ground the step does not allow (its `grounds`; when it
//! lists none, its `implied_ground` alone, since an automatic refusal can only mean its
//! own ground; else any of the rule set's `refusal_grounds`) is
//! `refusal_ground_not_allowed`. Both cite the step's paragraph.

use super::case::Case;
use super::finding::Kind;
use super::message::Message;
use crate::log::{Event, NONE};
use crate::rules::compiled::{GroundIx, StepIx};

/// The ground a refusal cites, as the rule set knows it.
enum Cited {
    /// No ground, given or implied.
    Nothing,
    /// A ground of the rule set.
    Known(GroundIx),
    /// A ground name the rule set does not have.
    Unknown,
}

impl Case<'_, '_> {
    fn cited_ground(&self, ev: &Event, s: StepIx) -> Cited {
        if ev.ground == NONE {
            return self
                .set
                .step(s)
                .implied_ground
                .map_or(Cited::Nothing, Cited::Known);
        }
        match self.maps.grounds.get(ev.ground as usize).copied().flatten() {
            Some(g) => Cited::Known(g),
            None => Cited::Unknown,
        }
    }

    /// Checks the ground of a refusal at step `s`.
    pub(super) fn check_ground(&mut self, ev: &Event, s: StepIx) {
        let set = self.set;
        let rule = set.step(s);
        let allowed = match self.cited_ground(ev, s) {
            Cited::Nothing => {
                let msg = Message::new("refusal-without-ground")
                    .id("step", &rule.id)
                    .arg("name", self.name_of(s))
                    .cite("cite", &rule.cite);
                self.at_step(ev, Kind::RefusalWithoutGround, s, msg);
                return;
            }
            Cited::Known(g) => rule.allowed_grounds.as_ref().is_none_or(|a| a.contains(&g)),
            Cited::Unknown => false,
        };
        if !allowed {
            self.ground_not_allowed(ev, s);
        }
    }

    #[cold]
    fn ground_not_allowed(&mut self, ev: &Event, s: StepIx) {
        let (set, engine) = (self.set, self.engine);
        let rule = set.step(s);
        let name = engine.log.names.grounds.name(ev.ground);
        let allowed: Vec<&str> = match &rule.allowed_grounds {
            Some(a) => (a.iter())
                .filter_map(|&i| set.grounds.get(usize::from(i)))
                .map(String::as_str)
                .collect(),
            None => set.grounds.iter().map(String::as_str).collect(),
        };
        let msg = Message::new("ground-not-allowed")
            .id("step", &rule.id)
            .id("ground", name)
            .list("allowed", &allowed);
        self.at_step(ev, Kind::RefusalGroundNotAllowed, s, msg);
    }
}
