//! The cases a rejected record belongs to (issue 16, "A data gap is not the provider's
//! violation").
//!
//! A rejected record is lost evidence: a row whose date the mapping could not read is a
//! step the case did take, and without it the replay would report the step as missing
//! and the next one as late. So whenever a rejected record's case id can still be read
//! (its JSON parses, or its CSV or XES fields do, and only another field is at fault),
//! the case is remembered here, with its service when that is readable too; the engine
//! then judges that case with the caveat that its evidence is incomplete
//! ([`crate::engine::evidence`]). A record whose case id cannot be read (a line cut
//! short, invalid UTF-8 in the id, a line over the length limit, skipped unread) belongs
//! to no case it can be charged to: it is only counted ([`Gaps::unowned`]).
//!
//! Memory is bounded by the distinct cases named, not by the rejected records: the case
//! id is the log's own integer (the case table already holds the names of accepted
//! events, and a rejected record's id joins it), and each (case, service) pair is kept
//! once. Service names are interned apart from the log's services: a service named only
//! by a rejected record is not one the log uses (its terms are not announced in the
//! warnings).

use super::intern::{Interner, NONE};
use rustc_hash::FxHashSet;

/// The (case, service) pairs of rejected records whose case id could be read.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    /// Service names of rejected records, by their own integers.
    services: Interner,
    /// (case id in the log's case table, service integer in `services` or [`NONE`] when
    /// the record's service could not be read: then every service's case of that id).
    pairs: FxHashSet<(u32, u32)>,
    /// Rejected records whose case id could be read.
    pub owned: u64,
    /// Rejected records whose case id could not be read.
    pub unowned: u64,
}

impl PartialEq for Gaps {
    fn eq(&self, o: &Gaps) -> bool {
        let named = |g: &Gaps| -> std::collections::BTreeSet<(u32, String)> {
            (g.pairs.iter())
                .map(|&(c, s)| (c, g.service_name(s).unwrap_or("\u{0}").to_string()))
                .collect()
        };
        self.owned == o.owned && self.unowned == o.unowned && named(self) == named(o)
    }
}

impl Eq for Gaps {}

impl Gaps {
    /// A rejected record of case `case` (the log's integer) in `service` (`None`: not
    /// readable).
    #[cold]
    pub fn add(&mut self, case: u32, service: Option<&str>) {
        self.owned += 1;
        let s = service.map_or(NONE, |s| self.services.intern(s));
        self.pairs.insert((case, s));
    }

    /// A rejected record whose case id could not be read.
    #[cold]
    pub fn add_unowned(&mut self) {
        self.unowned += 1;
    }

    /// Whether case `case` (the log's integer) of `service` lost a record: one of its own,
    /// or one of the same case id whose service could not be read.
    pub fn contains(&self, case: u32, service: &str) -> bool {
        self.pairs.contains(&(case, NONE))
            || (self.services.get(service)).is_some_and(|s| self.pairs.contains(&(case, s)))
    }

    /// Whether any rejected record named its case.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The distinct cases rejected records named (a case id whose service could not be
    /// read counts once).
    pub fn cases(&self) -> u64 {
        self.pairs.len() as u64
    }

    /// Every (case, service) pair, the service by name (`None`: not readable).
    pub fn iter(&self) -> impl Iterator<Item = (u32, Option<&str>)> {
        (self.pairs.iter()).map(|&(c, s)| (c, self.service_name(s)))
    }

    fn service_name(&self, s: u32) -> Option<&str> {
        (s != NONE).then(|| self.services.name(s))
    }

    /// Adds the gaps of another part of the same log, whose case integers `case_of`
    /// turns into this log's.
    pub fn merge(&mut self, o: &Gaps, case_of: impl Fn(u32) -> u32) {
        for (c, s) in o.iter() {
            let s = s.map_or(NONE, |s| self.services.intern(s));
            self.pairs.insert((case_of(c), s));
        }
        self.owned += o.owned;
        self.unowned += o.unowned;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_id_without_service_covers_every_service() {
        let mut g = Gaps::default();
        g.add(3, Some("a"));
        g.add(3, Some("a"));
        g.add(5, None);
        g.add_unowned();
        assert!(g.contains(3, "a"));
        assert!(!g.contains(3, "b"));
        assert!(g.contains(5, "a") && g.contains(5, "zzz"));
        assert!(!g.contains(4, "a"));
        assert_eq!((g.owned, g.unowned, g.cases()), (3, 1, 2));
        let mut h = Gaps::default();
        h.merge(&g, |c| c + 10);
        assert!(h.contains(13, "a") && h.contains(15, "b") && !h.contains(3, "a"));
    }
}
