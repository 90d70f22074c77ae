//! `check --stream`: the same read -> group -> replay -> report, for input in time order,
//! in memory proportional to the cases still open rather than to the log.
//!
//! Each block of lines the reader merges is handed here at once. Its events join their
//! open case; a case is replayed and its events dropped as soon as it has **ended for
//! good**: its last event is, in the edition it is replayed against, an end step whose
//! `next` is empty, that the replay will find the case ended at (not an event after an
//! earlier end that a later sign-in may resume, such as a refused portal authorisation). Nothing can then change its findings except later events, which the
//! in-memory replay reports one by one (`event_after_end`, or `unknown_step`), and which
//! [`Engine::replay_after_end`] judges the same way from a compact record of the ended
//! case (its service, edition, end step and provider: a 16-byte slot per case id). Every other case is kept
//! until the stream ends, then replayed as the in-memory mode would; so is a case that
//! reached its end by skipping a step, which a later event may record
//! (`out_of_order_step`, [`crate::engine::order`]).
//!
//! **Watermark.** Each file must be in time order: an event older than the latest time
//! its file had reached is not silently reordered but rejected (`out_of_order`) with the
//! time it has and the time the file had reached; so is a lone event too far ahead of it,
//! and an event after `--as-of` moves no watermark ([`super::order`] says how, and why
//! per file). Events at the same time keep file order, as in the in-memory mode's sort
//! (by place in the input: file, then line). With several files, and for a case with an
//! event after `--as-of`, cases are replayed when the input ends, in time order.
//!
//! The findings are those of the in-memory mode on the same time-ordered input, in its
//! order of cases (by first appearance of the case id, then service); within a case, a
//! finding on an event after its end comes after the case's other findings (in memory it
//! comes before the case's total-term findings). Known differences, both on cases that
//! carry on after an end for good: a total term whose start step first occurs after the
//! end is not judged, and a provider first named after the end is not put on the
//! findings of the earlier events.

use crate::engine::replay::Scratch;
use crate::engine::{CaseStats, Engine, Finding};
use crate::log::account::{Reason, Rejected};
use crate::log::{Event, Log, NONE};
use crate::rules::Catalog;
use crate::rules::compiled::StepIx;
use rustc_hash::FxHashMap;

use super::Mode;
use super::order::{Late, Mark, Order};
use crate::calendar::Calendar;

/// A case id within its service, packed: the case id in the high half.
fn key(e: &Event) -> u64 {
    (u64::from(e.case) << 32) | u64::from(e.service)
}

/// The key of case id `case` in service `service`.
fn key_of(case: u32, service: u32) -> u64 {
    (u64::from(case) << 32) | u64::from(service)
}

/// An event standing for the case of key `k` (only its case and service are read).
fn case_event(k: u64) -> Event {
    Event {
        case: (k >> 32) as u32,
        service: k as u32,
        step: NONE,
        channel: NONE,
        variant: NONE,
        ground: NONE,
        provider: NONE,
        at: 0,
        started: crate::log::NO_TIME,
        file: 0,
        day_only: false,
        line: 0,
    }
}

/// A case still open: its events so far, in time order.
struct Open {
    events: Vec<Event>,
    /// The rule set the case is replayed against, decided by its first event.
    set: Option<usize>,
    /// The end step the case stands ended at, as the replay will find it.
    ended: Option<StepIx>,
    /// Whether a step that may resume the case came after its end: whether it does is
    /// the replay's to judge (it depends on the case's route), so the case is kept.
    unsure: bool,
}

/// What is kept of a case that ended for good: enough to judge a later event of it.
#[derive(Clone, Copy)]
struct Ended {
    provider: u32,
    set: u16,
    end: StepIx,
    violated: bool,
}

/// The cases that ended for good, in 16 bytes each: a slot per case id (case ids are
/// dense integers in order of first appearance), and a map for the rare id that ended
/// in a second service too.
#[derive(Default)]
struct EndedSet {
    by_case: Vec<Option<(u32, Ended)>>,
    other: FxHashMap<u64, Ended>,
}

impl EndedSet {
    fn get_mut(&mut self, e: &Event) -> Option<&mut Ended> {
        match self.by_case.get_mut(e.case as usize) {
            Some(Some((service, ended))) if *service == e.service => Some(ended),
            _ => self.other.get_mut(&key(e)),
        }
    }

    fn contains(&mut self, e: &Event) -> bool {
        self.get_mut(e).is_some()
    }

    fn insert(&mut self, e: &Event, ended: Ended) {
        let ix = e.case as usize;
        if self.by_case.len() <= ix {
            self.by_case.resize(ix + 1, None);
        }
        match self.by_case.get_mut(ix) {
            Some(slot @ None) => *slot = Some((e.service, ended)),
            _ => {
                self.other.insert(key(e), ended);
            }
        }
    }

    /// Forgets that the case of `e` ended for good: it is kept open again.
    fn remove(&mut self, e: &Event) {
        match self.by_case.get_mut(e.case as usize) {
            Some(slot) if slot.is_some_and(|(service, _)| service == e.service) => *slot = None,
            _ => {
                self.other.remove(&key(e));
            }
        }
    }

    fn len(&self) -> usize {
        self.by_case.iter().flatten().count() + self.other.len()
    }
}

/// The state of a streaming check between blocks.
pub struct Stream<'a> {
    catalog: &'a Catalog,
    calendar: &'a Calendar,
    as_of: Option<i64>,
    /// `--due-within`: open cases this near a deadline are listed as due soon.
    due_within: u32,
    mode: Mode,
    open: FxHashMap<u64, Open>,
    ended: EndedSet,
    /// Findings with the key of their case and their order of emission.
    findings: Vec<(u64, Finding)>,
    stats: CaseStats,
    /// The time order of the input (`super::order`).
    order: Order,
    /// The input is several files: cases are replayed when it ends (see [`super::order`]).
    several: bool,
    /// The most cases open at once (for `--stream`'s memory claim and its tests).
    pub peak_open: usize,
    /// When asked for ([`Stream::record_ends`], `check --state`): each case that ended
    /// for good in this stream, with the time of its end event.
    ends: Option<Vec<(u64, i64)>>,
}

/// A case that ended for good, as `check --state` keeps it between runs: what
/// [`Engine::replay_after_end`] needs to judge a later event of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndedCase {
    pub case: u32,
    pub service: u32,
    /// The rule set (index in the catalog) it was replayed against.
    pub set: usize,
    pub end: StepIx,
    /// [`NONE`] when no event of it named one.
    pub provider: u32,
    /// Whether it has a finding.
    pub violated: bool,
}

impl<'a> Stream<'a> {
    pub fn new(catalog: &'a Catalog, calendar: &'a Calendar, options: &super::Options) -> Self {
        Stream {
            catalog,
            calendar,
            as_of: options.as_of.as_ref().map(|a| a.at),
            due_within: (options.as_of.as_ref())
                .map_or(crate::engine::DEFAULT_DUE_WITHIN, |a| a.due_within),
            mode: options.mode,
            open: FxHashMap::default(),
            ended: EndedSet::default(),
            findings: Vec::new(),
            stats: CaseStats::default(),
            order: Order::default(),
            several: false,
            peak_open: 0,
            ends: None,
        }
    }

    /// For input of several files, each in time order on its own: a later file may hold
    /// earlier events of a case, so no case is replayed before the input ends (memory
    /// then grows with the log, as in memory; merge the files first to bound it).
    pub fn several_files(mut self, several: bool) -> Self {
        self.several = several;
        self
    }

    /// Records from now on each case that ends for good with the time of its end event
    /// ([`Stream::ends`]).
    pub fn record_ends(&mut self) {
        self.ends.get_or_insert_with(Vec::new);
    }

    /// The cases that ended for good since [`Stream::record_ends`], with their end times.
    pub fn ends(&self) -> &[(u64, i64)] {
        self.ends.as_deref().unwrap_or_default()
    }

    /// A case that ended for good before this stream began (kept by `check --state`):
    /// a later event of it is judged as one after its end.
    pub fn carry_ended(&mut self, c: &EndedCase) {
        let Ok(set) = u16::try_from(c.set) else {
            return;
        };
        let ended = Ended {
            provider: c.provider,
            set,
            end: c.end,
            violated: c.violated,
        };
        self.ended
            .insert(&case_event(key_of(c.case, c.service)), ended);
    }

    /// Every case that ended for good, carried or in this stream.
    pub fn ended_cases(&self) -> Vec<EndedCase> {
        let e = &self.ended;
        let by_case = (e.by_case.iter().enumerate()).filter_map(|(case, slot)| {
            Some((
                key_of(u32::try_from(case).ok()?, slot.as_ref()?.0),
                slot.as_ref()?.1,
            ))
        });
        let other = e.other.iter().map(|(&k, &ended)| (k, ended));
        (by_case.chain(other))
            .map(|(k, x)| EndedCase {
                case: (k >> 32) as u32,
                service: k as u32,
                set: usize::from(x.set),
                end: x.end,
                provider: x.provider,
                violated: x.violated,
            })
            .collect()
    }

    /// The events of the cases still open, case by case, each case's in time order.
    pub fn open_events(&self) -> impl Iterator<Item = &[Event]> {
        self.open.values().map(|o| o.events.as_slice())
    }

    /// How many cases ended for good so far.
    pub fn ended_len(&self) -> usize {
        self.ended.len()
    }

    /// Takes the events the reader merged into `log` since the last block: each joins
    /// its case (or is judged at once if its case ended for good), and the cases that
    /// ended for good are replayed and dropped.
    pub fn block(&mut self, log: &mut Log) {
        let events = std::mem::take(&mut log.events);
        if events.is_empty() {
            return;
        }
        let engine = Engine::new(self.catalog, self.calendar, log, self.as_of)
            .with_due_within(self.due_within);
        let mut done: Vec<(u64, Vec<Event>)> = Vec::new();
        let mut late: Vec<Event> = Vec::new();
        let mut early: Vec<(Event, Late)> = Vec::new();
        let mut ready: Vec<Event> = Vec::new();
        for ev in events {
            self.order.admit(ev, self.as_of, &mut ready, &mut early);
            for ev in ready.drain(..) {
                self.take(&engine, ev, &mut done, &mut late);
            }
        }
        self.peak_open = self.peak_open.max(self.open.len() + done.len());
        self.replay(&engine, done);
        for ev in late {
            // A case kept open again (see `replay`) takes its later events as any open case.
            match self.open.get_mut(&key(&ev)) {
                Some(o) => o.events.push(ev),
                None => self.after_end(&engine, &ev),
            }
        }
        drop(engine);
        for (ev, why) in early {
            reject_early(log, &ev, why);
        }
    }

    /// An event the time order let through: it joins its case, or is judged at once if
    /// its case ended for good; a case it ends for good goes to `done`.
    fn take(
        &mut self,
        engine: &Engine,
        ev: Event,
        done: &mut Vec<(u64, Vec<Event>)>,
        late: &mut Vec<Event>,
    ) {
        let k = key(&ev);
        if self.ended.contains(&ev) {
            late.push(ev);
            return;
        }
        let open = self.open.entry(k).or_insert_with(|| Open {
            events: Vec::new(),
            set: engine.edition_of(&ev),
            ended: None,
            unsure: false,
        });
        if self.as_of.is_some_and(|t| ev.at > t) {
            // After --as-of: it moved no watermark, so earlier events of its case may
            // still come; the case is replayed when the input ends, in time order.
            open.unsure = true;
        }
        open.events.push(ev);
        // With several files, a later file may hold earlier events of any case: no case
        // is judged before the input ends.
        let is_final = is_final(engine, self.catalog, open, &ev) && !self.several;
        if !is_final && open.ended.is_some() {
            // Ended, but a later sign-in may resume it: most such cases never do.
            open.events.shrink_to_fit();
        }
        if is_final && let Some(o) = self.open.remove(&k) {
            // Known as ended at once: a later event of the same block is late too.
            if let Some(set) = o.set
                && let Ok(set16) = u16::try_from(set)
                && let Some((end, _)) = engine.step_of(set, &ev)
            {
                let provider =
                    (o.events.iter().find(|e| e.provider != NONE)).map_or(NONE, |e| e.provider);
                let ended = Ended {
                    set: set16,
                    end,
                    violated: false,
                    provider,
                };
                self.ended.insert(&ev, ended);
                if let Some(ends) = self.ends.as_mut() {
                    ends.push((k, ev.at));
                }
            }
            done.push((k, o.events));
        }
    }

    /// Replays the cases that ended for good and keeps what their later events need. A
    /// case that reached its end by skipping a step is not done: a later event may record
    /// that step, and the in-memory replay would then report one `out_of_order_step`
    /// instead of a `missing_step` and an `event_after_end` ([`crate::engine::order`]).
    /// Such a case is kept open, with what its replay found dropped, until the input ends.
    fn replay(&mut self, engine: &Engine, done: Vec<(u64, Vec<Event>)>) {
        let mut reopen: Vec<u64> = Vec::new();
        for (cases, stats) in replay_cases(engine, &done, self.mode, true) {
            self.stats.merge(&stats);
            for (k, found) in cases {
                let Some(found) = found else {
                    reopen.push(k);
                    continue;
                };
                if let Some(ended) = self.ended.get_mut(&case_event(k)) {
                    ended.violated = !found.is_empty();
                }
                self.findings.extend(found.into_iter().map(|f| (k, f)));
            }
        }
        if reopen.is_empty() {
            return;
        }
        reopen.sort_unstable();
        for (k, events) in done {
            if reopen.binary_search(&k).is_err() {
                continue;
            }
            self.ended.remove(&case_event(k));
            if let Some(ends) = self.ends.as_mut() {
                ends.retain(|&(e, _)| e != k);
            }
            let set = events.first().and_then(|e| engine.edition_of(e));
            let open = Open {
                events,
                set,
                ended: None,
                unsure: true,
            };
            self.open.insert(k, open);
        }
    }

    /// An event of a case that ended for good.
    #[cold]
    fn after_end(&mut self, engine: &Engine, ev: &Event) {
        let k = key(ev);
        let Some(ended) = self.ended.get_mut(ev) else {
            return;
        };
        let mut found = Vec::new();
        let set = usize::from(ended.set);
        let (stats, end, provider) = (&mut self.stats, ended.end, ended.provider);
        if engine.replay_after_end(set, end, provider, ev, stats, &mut found) && !ended.violated {
            ended.violated = true;
            self.stats.with_violations += 1;
        }
        self.findings.extend(found.into_iter().map(|f| (k, f)));
    }

    /// Replays the cases still open when the input ended, and hands back the findings in
    /// the in-memory mode's order of cases, with the counts.
    pub fn finish(mut self, log: &mut Log) -> (Vec<Finding>, CaseStats) {
        if let Some(held) = self.order.finish() {
            // The last event of the input, held as far ahead: nothing after it went back.
            log.events.push(held);
            self.block(log);
        }
        let engine = Engine::new(self.catalog, self.calendar, log, self.as_of)
            .with_due_within(self.due_within);
        let mut rest: Vec<(u64, Vec<Event>)> =
            self.open.drain().map(|(k, o)| (k, o.events)).collect();
        rest.sort_unstable_by_key(|(k, _)| *k);
        for (_, events) in &mut rest {
            // A case with events from several files: in time order, as in memory.
            if !events.is_sorted_by_key(|e| e.at) {
                events.sort_by_key(|e| (e.at, e.file, e.line));
            }
        }
        for (cases, stats) in replay_cases(&engine, &rest, self.mode, false) {
            self.stats.merge(&stats);
            for (k, found) in cases {
                self.findings
                    .extend(found.into_iter().flatten().map(|f| (k, f)));
            }
        }
        // Stable: a case's findings keep their order of emission.
        self.findings.sort_by_key(|(k, _)| *k);
        // Each case was replayed on its own, so a consequence names its root by its index
        // among the case's findings; in the report it is the index among all of them.
        let mut findings: Vec<Finding> = Vec::with_capacity(self.findings.len());
        let (mut case, mut base) = (None, 0);
        for (k, mut f) in self.findings {
            if case != Some(k) {
                (case, base) = (Some(k), findings.len());
            }
            if let Some(i) = f.caused_by.as_mut() {
                *i += base;
            }
            findings.push(f);
        }
        (findings, self.stats)
    }
}

/// Whether the case's newest event `ev` ends it for good (see the module docs), following
/// the replay's end state: an end step ends the case, a later step its `next` lists may
/// resume it, any other later step leaves it ended. Whether a resuming step is on the
/// case's route is the replay's to judge; such a case is kept to the end of the input.
fn is_final(engine: &Engine, catalog: &Catalog, open: &mut Open, ev: &Event) -> bool {
    let Some(set) = open.set else {
        return false;
    };
    let Some((s, rule)) = engine.step_of(set, ev) else {
        return false;
    };
    let step = |ix: StepIx| catalog.sets.get(set)?.steps.get(usize::from(ix));
    match open.ended {
        Some(end) => {
            if step(end).is_some_and(|e| e.next.contains(&s)) {
                // On the route it resumes the case, off it the case stays ended: unsure.
                open.unsure = true;
                open.ended = rule.end.is_some().then_some(s);
            }
        }
        None => open.ended = rule.end.is_some().then_some(s),
    }
    !open.unsure && open.ended == Some(s) && rule.next.is_empty()
}

/// Cases replayed together: each case's findings with its key (`None`: the case is kept
/// open, see `Stream::replay`), and their counts.
type Replayed = (Vec<(u64, Option<Vec<Finding>>)>, CaseStats);

/// Replays each case on its own (blocks of cases in parallel unless sequential), keeping
/// each case's findings with its key; the result is in the order of `cases`. A block
/// shares its working memory, so a case costs no allocation of its own. With
/// `keep_gaps`, a case that skipped a step a later event may still record is left out
/// (findings `None`, not counted).
fn replay_cases(
    engine: &Engine,
    cases: &[(u64, Vec<Event>)],
    mode: Mode,
    keep_gaps: bool,
) -> Vec<Replayed> {
    use rayon::prelude::*;
    const BLOCK: usize = 256;
    let block = |cases: &[(u64, Vec<Event>)]| {
        let (mut stats, mut scratch) = (CaseStats::default(), Scratch::default());
        let found = (cases.iter())
            .map(|(k, events)| {
                let mut found = Vec::new();
                let mut one = CaseStats::default();
                engine.replay_counted(events, &mut scratch, &mut one, &mut found);
                if keep_gaps && scratch.gap_open {
                    return (*k, None);
                }
                stats.merge(&one);
                (*k, Some(found))
            })
            .collect();
        (found, stats)
    };
    match mode {
        Mode::Sequential => vec![block(cases)],
        Mode::Parallel => cases.par_chunks(BLOCK).map(block).collect(),
    }
}

/// Moves an event the time order did not let through from the accepted to the rejected
/// records, saying why.
#[cold]
fn reject_early(log: &mut Log, ev: &Event, why: Late) {
    let time = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map_or_else(|| format!("{ms} ms"), |t| t.to_rfc3339())
    };
    let place = |m: Mark| {
        let name = log.files.get(m.file as usize).map_or("", String::as_str);
        format!("{} at {name}:{}", time(m.at), m.line)
    };
    let detail = match why {
        Late::Behind(m) => format!(
            "event at {}, but its file had reached {}: --stream needs each file in time order (sort it by the time, or check without --stream)",
            time(ev.at),
            place(m)
        ),
        Late::FarAhead(m) => format!(
            "event at {}, more than {} days after the time its file was at, {}, to which the next event went back: not taken, so one line cannot move the stream past the rest",
            time(ev.at),
            super::order::FAR_AHEAD_DAYS,
            place(m)
        ),
    };
    let names = &log.names;
    let excerpt = format!(
        "case {:?}, service {:?}, step {:?}",
        names.cases.name(ev.case),
        names.services.name(ev.service),
        names.steps.name(ev.step)
    );
    let account = &mut log.account;
    account.events = account.events.saturating_sub(1);
    account.lines = account.lines.saturating_sub(1);
    let rejected = Rejected {
        file: u32::from(ev.file),
        line: ev.line,
        field: Some("at".into()),
        reason: Reason::OutOfOrder,
        detail,
        excerpt,
    };
    // The case lost this event: it is judged with that caveat, not on the gap (issue 16).
    let service = log.names.services.name(ev.service);
    account.reject_in_case(rejected, ev.case, Some(service));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory claim of `--stream` (README, "Speed"): 16 bytes per ended case.
    #[test]
    fn an_ended_case_takes_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Option<(u32, Ended)>>(), 16);
    }

    #[test]
    fn a_key_stands_for_its_case() {
        let e = case_event((7 << 32) | 3);
        assert_eq!((e.case, e.service), (7, 3));
        assert_eq!(key(&e), (7 << 32) | 3);
    }
}
