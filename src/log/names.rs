//! The names of a log, and how a piece read on its own joins them.
//!
//! Each piece of a block is parsed on its own core with its own small name tables, so
//! that no core waits on another. Joining a piece to the log turns its local integers
//! into the log's ([`Names::translation`]): the log's integers are handed out in order of
//! first appearance in the input, so the join of names new to the log is sequential,
//! but looking up the names the log already has is not, and neither is rewriting the
//! piece's events. A block of pieces is therefore joined in three steps: look up on every
//! core, hand out new integers in input order, rewrite on every core.

use super::Event;
use super::intern::{Interner, NONE};

/// The names a set of events uses, each kind interned apart.
#[derive(Debug, Default)]
pub struct Names {
    pub cases: Interner,
    pub services: Interner,
    pub steps: Interner,
    pub channels: Interner,
    pub variants: Interner,
    pub grounds: Interner,
    pub providers: Interner,
}

/// For each kind of name of a piece, the log's integer of each of the piece's integers.
#[derive(Debug, Default)]
pub struct Translation([Vec<u32>; 7]);

impl Names {
    fn kinds(&self) -> [&Interner; 7] {
        [
            &self.cases,
            &self.services,
            &self.steps,
            &self.channels,
            &self.variants,
            &self.grounds,
            &self.providers,
        ]
    }

    fn kinds_mut(&mut self) -> [&mut Interner; 7] {
        [
            &mut self.cases,
            &mut self.services,
            &mut self.steps,
            &mut self.channels,
            &mut self.variants,
            &mut self.grounds,
            &mut self.providers,
        ]
    }

    /// Step 1: the integers these names already have for each of `piece`'s names,
    /// [`NONE`] for a name new to them. Read-only, so pieces look up at once.
    pub fn look_up(&self, piece: &Names) -> Translation {
        let mut t = Translation::default();
        for ((map, local), global) in t.0.iter_mut().zip(piece.kinds()).zip(self.kinds()) {
            map.extend(local.names().map(|n| global.get(n).unwrap_or(NONE)));
        }
        t
    }

    /// Step 2: hands out integers for the names [`Names::look_up`] did not find. Called
    /// for the pieces in input order, so integers follow first appearance in the input.
    pub fn complete(&mut self, piece: &Names, t: &mut Translation) {
        for ((map, local), global) in t.0.iter_mut().zip(piece.kinds()).zip(self.kinds_mut()) {
            for (id, name) in map.iter_mut().zip(local.names()) {
                if *id == NONE {
                    *id = global.intern(name);
                }
            }
        }
    }
}

impl Translation {
    /// The log's integer of the piece's case `id` ([`NONE`] if the piece has no such case).
    pub fn case(&self, id: u32) -> u32 {
        self.0[0].get(id as usize).copied().unwrap_or(NONE)
    }

    /// Step 3: `e`'s names as the log's integers (an absent optional name stays [`NONE`]).
    pub fn apply(&self, e: &mut Event) {
        let [
            cases,
            services,
            steps,
            channels,
            variants,
            grounds,
            providers,
        ] = &self.0;
        // Local integers index their piece's tables by construction.
        let to = |map: &[u32], id: u32| map.get(id as usize).copied().unwrap_or(NONE);
        e.case = to(cases, e.case);
        e.service = to(services, e.service);
        e.step = to(steps, e.step);
        e.channel = to(channels, e.channel);
        e.variant = to(variants, e.variant);
        e.ground = to(grounds, e.ground);
        e.provider = to(providers, e.provider);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Joining pieces looked up together gives the integers a one-by-one interning
    /// would: in order of first appearance, the same name in two pieces one integer.
    #[test]
    fn pieces_join_in_input_order() {
        let piece = |cases: &[&str]| {
            let mut n = Names::default();
            for c in cases {
                n.cases.intern(c);
            }
            n
        };
        let mut log = Names::default();
        log.cases.intern("a");
        let pieces = [piece(&["b", "a", "c"]), piece(&["c", "d", "b"])];
        let mut ts: Vec<Translation> = pieces.iter().map(|p| log.look_up(p)).collect();
        for (p, t) in pieces.iter().zip(&mut ts) {
            log.complete(p, t);
        }
        assert_eq!(ts[0].0[0], [1, 0, 2]);
        assert_eq!(ts[1].0[0], [2, 3, 1]);
        assert_eq!(log.cases.names().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        let mut e = Event {
            case: 1,
            service: NONE,
            step: NONE,
            channel: NONE,
            variant: NONE,
            ground: NONE,
            provider: NONE,
            at: 0,
            started: 0,
            file: 0,
            day_only: false,
            line: 1,
        };
        ts[1].apply(&mut e);
        assert_eq!((e.case, e.channel), (3, NONE));
    }

    use proptest::prelude::*;

    /// Names of one kind as a piece sees them, in order, with repeats.
    fn names_strategy() -> impl Strategy<Value = Vec<Vec<&'static str>>> {
        let name = proptest::sample::select(vec!["a", "b", "c", "d", "e", "f", ""]);
        proptest::collection::vec(proptest::collection::vec(name, 0..12), 0..8)
    }

    proptest! {
        /// Blocks of pieces, each block looked up at once against the log as it stood
        /// before the block, then completed in order: every kind's integers are those a
        /// one-by-one interning of all the pieces' names in order gives.
        #[test]
        fn blocks_of_pieces_join_as_one_by_one(
            blocks in proptest::collection::vec((names_strategy(), names_strategy()), 1..5),
        ) {
            let mut log = Names::default();
            let mut one_by_one = Names::default();
            for (cases, steps) in &blocks {
                let n = cases.len().max(steps.len());
                let pieces: Vec<Names> = (0..n).map(|k| {
                    let mut p = Names::default();
                    for c in cases.get(k).into_iter().flatten() {
                        p.cases.intern(c);
                        one_by_one.cases.intern(c);
                    }
                    for s in steps.get(k).into_iter().flatten() {
                        p.steps.intern(s);
                        one_by_one.steps.intern(s);
                    }
                    p
                }).collect();
                let mut ts: Vec<Translation> = pieces.iter().map(|p| log.look_up(p)).collect();
                for (p, t) in pieces.iter().zip(&mut ts) {
                    log.complete(p, t);
                }
                for (p, t) in pieces.iter().zip(&ts) {
                    for (kind, local, global) in [
                        (0, &p.cases, &log.cases),
                        (2, &p.steps, &log.steps),
                    ] {
                        for (id, name) in local.names().enumerate() {
                            let want = global.get(name);
                            prop_assert_eq!(t.0[kind].get(id).copied(), want);
                            prop_assert_eq!(want, one_by_one.kinds()[kind].get(name));
                        }
                    }
                }
            }
            for (a, b) in log.kinds().iter().zip(one_by_one.kinds()) {
                prop_assert_eq!(a.names().collect::<Vec<_>>(), b.names().collect::<Vec<_>>());
            }
        }
    }
}
