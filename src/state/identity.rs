//! When two events are the same event, and when two findings are the same finding.
//!
//! **An event** is the same as another when its service, case, step, `at`, `started`,
//! channel, variant, refusal ground and provider are all equal (times compared as
//! instants: `2026-05-04T10:00:00+05:00` and `2026-05-04T05:00:00Z` are one time). Where
//! it was read (file, line) and fields the reader does not keep do not count: the same
//! record in last night's file and in tonight's re-export is one event.
//!
//! **A finding** is the same as another when its service, case, kind, step or term,
//! paragraph (`ref`) and occurrence are equal: the occurrence numbers the findings of one
//! case with the same first five parts (1, 2, ...) in the order the replay reports them.

use crate::engine::Finding;
use crate::log::{Event, NO_TIME, NONE, Names};
use sha2::{Digest, Sha256};

/// An event's identity: the first 16 bytes of the SHA-256 of its parts (see the module
/// docs), each length-prefixed so that no two lists of parts hash alike.
pub type EventId = [u8; 16];

/// The parts of an event that make its identity, as names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventParts<'a> {
    pub service: &'a str,
    pub case: &'a str,
    pub step: &'a str,
    pub channel: Option<&'a str>,
    pub variant: Option<&'a str>,
    pub ground: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub at: i64,
    /// `None` when the record gives no start time.
    pub started: Option<i64>,
}

impl<'a> EventParts<'a> {
    /// The parts of `e`, its integers turned back into the log's names.
    pub fn of(e: &Event, names: &'a Names) -> EventParts<'a> {
        let opt = |i: &'a crate::log::Interner, id: u32| (id != NONE).then(|| i.name(id));
        EventParts {
            service: names.services.name(e.service),
            case: names.cases.name(e.case),
            step: names.steps.name(e.step),
            channel: opt(&names.channels, e.channel),
            variant: opt(&names.variants, e.variant),
            ground: opt(&names.grounds, e.ground),
            provider: opt(&names.providers, e.provider),
            at: e.at,
            started: (e.started != NO_TIME).then_some(e.started),
        }
    }

    pub fn id(&self) -> EventId {
        let mut h = Sha256::new();
        let mut text = |s: Option<&str>| match s {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        };
        text(Some(self.service));
        text(Some(self.case));
        text(Some(self.step));
        text(self.channel);
        text(self.variant);
        text(self.ground);
        text(self.provider);
        h.update(self.at.to_le_bytes());
        match self.started {
            None => h.update([0u8]),
            Some(t) => {
                h.update([1u8]);
                h.update(t.to_le_bytes());
            }
        }
        let full = h.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(full.get(..16).unwrap_or(&[0u8; 16]));
        id
    }
}

/// A finding's identity without its occurrence number: kind, step or term, paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingKey {
    pub service: String,
    pub case: String,
    pub kind: String,
    /// The step, else the term, else empty.
    pub subject: String,
    /// The paragraph, else empty.
    pub cite: String,
    /// 1 for the first finding of the case with these parts, 2 for the next, ...
    pub nth: i64,
}

impl FindingKey {
    /// The key of `f`, its occurrence still to be numbered ([`number`]).
    pub fn of(f: &Finding) -> FindingKey {
        FindingKey {
            service: f.service.to_string(),
            case: f.case.to_string(),
            kind: f.kind.as_str().to_owned(),
            subject: (f.step.as_deref().or(f.term.as_deref()))
                .unwrap_or_default()
                .to_owned(),
            cite: f.cite.clone().unwrap_or_default(),
            nth: 1,
        }
    }
}

/// Numbers the occurrences of keys in order: the first of each key 1 (or one past the
/// highest `nth` already in `taken` for it), the next 2, and so on.
pub fn number(keys: &mut [FindingKey], taken: &dyn Fn(&FindingKey) -> i64) {
    let mut seen: std::collections::HashMap<FindingKey, i64> = std::collections::HashMap::new();
    for k in keys.iter_mut() {
        let base = k.clone();
        let n = seen.entry(base).or_insert_with(|| {
            let mut probe = k.clone();
            probe.nth = 0;
            taken(&probe)
        });
        *n += 1;
        k.nth = *n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> EventParts<'static> {
        EventParts {
            service: "s",
            case: "c",
            step: "a",
            channel: None,
            variant: None,
            ground: None,
            provider: Some("p"),
            at: 1,
            started: None,
        }
    }

    #[test]
    fn every_part_counts_and_no_two_lists_hash_alike() {
        let a = parts();
        assert_eq!(a.id(), parts().id());
        let moved = EventParts { at: 2, ..parts() };
        assert_ne!(a.id(), moved.id());
        // "s" + "c" is not "sc" + "": lengths are hashed too.
        let shifted = EventParts {
            service: "sc",
            case: "",
            ..parts()
        };
        assert_ne!(a.id(), shifted.id());
        let no_provider = EventParts {
            provider: None,
            ..parts()
        };
        let empty_provider = EventParts {
            provider: Some(""),
            ..parts()
        };
        assert_ne!(no_provider.id(), empty_provider.id());
    }

    #[test]
    fn occurrences_are_numbered_per_key_after_those_taken() {
        let key = |kind: &str| FindingKey {
            service: "s".into(),
            case: "c".into(),
            kind: kind.into(),
            subject: String::new(),
            cite: String::new(),
            nth: 1,
        };
        let mut keys = vec![key("a"), key("b"), key("a")];
        number(&mut keys, &|k| if k.kind == "b" { 3 } else { 0 });
        let nths: Vec<i64> = keys.iter().map(|k| k.nth).collect();
        assert_eq!(nths, vec![1, 4, 2]);
    }
}
