//! Names to integers, so replay compares integers, never strings.

use rustc_hash::FxHashMap;

/// "No name": an optional field that was absent.
pub const NONE: u32 = u32::MAX;

/// Assigns each distinct name a dense integer in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Fx hashing: names come from the operator's own logs, and hashing is on the hot path.
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The integer of `name`, allocating only the first time a name is seen.
    #[inline]
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(NONE - 1);
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    /// The name of `id`; "" for [`NONE`] or an id never handed out.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |s| s)
    }

    /// Every name, in the order of their integers.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|s| &**s)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
