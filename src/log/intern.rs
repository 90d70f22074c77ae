//! Names to integers, so replay compares integers, never strings.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// "No name": an optional field that was absent.
pub const NONE: u32 = u32::MAX;

/// Assigns each distinct name a dense integer in order of first appearance.
///
/// Names live end to end in one string, so interning a new name allocates nothing but
/// the occasional growth of that string; the table holds only integers. Hashing is Fx:
/// names come from the operator's own logs, and hashing is on the hot path. The name
/// interned last is tried first: a service, channel, variant or provider usually repeats
/// from one record to the next, and one comparison is cheaper than a hash and a probe.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    text: String,
    /// Byte range of each name in `text`, by integer.
    spans: Vec<(usize, usize)>,
    table: HashTable<u32>,
    /// The integer of the name interned last (0 before the first: `spans` is empty).
    last: u32,
}

impl Interner {
    /// An empty interner with room for `names` names (of `bytes` bytes in all) before it
    /// grows: a piece of a block knows about how many lines it has.
    pub fn with_capacity(names: usize, bytes: usize) -> Interner {
        Interner {
            text: String::with_capacity(bytes),
            spans: Vec::with_capacity(names),
            table: HashTable::with_capacity(names),
            last: 0,
        }
    }

    /// The integer of `name`.
    #[inline]
    pub fn intern(&mut self, name: &str) -> u32 {
        let last = self.spans.get(self.last as usize);
        if last.and_then(|&(s, e)| self.text.get(s..e)) == Some(name) {
            return self.last;
        }
        let id = self.intern_new(name);
        self.last = id;
        id
    }

    /// The integer of `name` if it has one, without handing out a new one: shared, so
    /// pieces of a block look their names up on every core at once.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.find(FxBuildHasher.hash_one(name), name)
    }

    fn find(&self, hash: u64, name: &str) -> Option<u32> {
        let (text, spans) = (&self.text, &self.spans);
        let at = |id: u32| spans.get(id as usize).map_or("", |&(s, e)| &text[s..e]);
        self.table.find(hash, |&id| at(id) == name).copied()
    }

    /// The integer of `name`, which is not the last one interned.
    fn intern_new(&mut self, name: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(name);
        if let Some(id) = self.find(hash, name) {
            return id;
        }
        let id = u32::try_from(self.spans.len()).unwrap_or(NONE - 1);
        let start = self.text.len();
        self.text.push_str(name);
        self.spans.push((start, self.text.len()));
        let (text, spans) = (&self.text, &self.spans);
        self.table.insert_unique(hash, id, |&id| {
            let (s, e) = spans[id as usize];
            FxBuildHasher.hash_one(&text[s..e])
        });
        id
    }

    /// The name of `id`; "" for [`NONE`] or an id never handed out.
    pub fn name(&self, id: u32) -> &str {
        self.spans
            .get(id as usize)
            .map_or("", |&(s, e)| &self.text[s..e])
    }

    /// Every name, in the order of their integers.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(s, e)| &self.text[s..e])
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_dense_integers_in_order_of_first_appearance() {
        let mut i = Interner::default();
        let ids: Vec<u32> = ["b", "a", "b", "", "a", "c"]
            .iter()
            .map(|n| i.intern(n))
            .collect();
        assert_eq!(ids, [0, 1, 0, 2, 1, 3]);
        assert_eq!(i.names().collect::<Vec<_>>(), ["b", "a", "", "c"]);
        assert_eq!(i.name(3), "c");
        assert_eq!(i.name(NONE), "");
        for n in 0..10_000 {
            i.intern(&format!("case-{n}"));
        }
        assert_eq!(i.intern("case-1234"), 4 + 1234);
        assert_eq!(i.len(), 10_004);
    }

    use proptest::prelude::*;

    proptest! {
        /// Whatever the order names come in (repeats, prefixes of each other, the empty
        /// name, non-ASCII), the last-name shortcut and the table give the ids of a plain
        /// first-appearance numbering, and `get` finds exactly the names handed out.
        #[test]
        fn ids_are_those_of_first_appearance(
            names in proptest::collection::vec(
                proptest::sample::select(vec!["", "a", "ab", "abc", "b", "ба", "б", "a\u{0}"]),
                0..200,
            ),
        ) {
            let mut i = Interner::default();
            let mut seen: Vec<&str> = Vec::new();
            for n in &names {
                let want = match seen.iter().position(|s| s == n) {
                    Some(p) => p,
                    None => {
                        prop_assert_eq!(i.get(n), None);
                        seen.push(n);
                        seen.len() - 1
                    }
                };
                prop_assert_eq!(i.intern(n) as usize, want, "{:?}", n);
                prop_assert_eq!(i.get(n).map(|id| id as usize), Some(want));
            }
            prop_assert_eq!(i.names().collect::<Vec<_>>(), seen);
            let mut copy = i.clone();
            for (id, n) in i.names().enumerate() {
                prop_assert_eq!(copy.intern(n) as usize, id);
            }
        }
    }
}
