//! One run on a state: `check --stream` carried over from the last run.
//!
//! The run reads tonight's events, drops those already read (see [`super::identity`]),
//! joins the rest to the open cases the state keeps, and feeds them all, in time order,
//! to one [`Stream`]: the same case table and the same rule for cases that ended for
//! good as `check --stream`. The cases that ended in earlier runs are handed to the
//! stream as they were kept ([`Stream::carry_ended`]), so that a later event of one is
//! judged as one after its end. What is left open goes back into the state for the next
//! run; the findings are compared with those the state holds ([`super::status`]).
//!
//! **Already read.** An event of a case still open is a duplicate when the state or
//! tonight's input already has the same event. Of a case that ended in an earlier run the
//! state keeps no events, only its end: an event at or before its end time is taken as
//! one already read (a re-export), and one after it as a late event, judged once
//! (`event_after_end`) and remembered so that a re-export of it is a duplicate too.

use super::identity::{EventId, EventParts};
use super::load::{EndedRow, StoredEvent};
use super::{StateError, Store};
use crate::calendar::Calendar;
use crate::check::{EndedCase, Options, Stream};
use crate::log::account::{Reason, Rejected};
use crate::log::{Event, Log, NO_TIME, NONE, Names};
use crate::report::Report;
use crate::rules::Catalog;
use rustc_hash::{FxHashMap, FxHashSet};

/// A log file a run read, as the run's record lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    /// `None` for standard input or a file that could not be read.
    pub size: Option<u64>,
    /// SHA-256 of its bytes, hex.
    pub sha256: Option<String>,
}

/// A case key: the service in the low half, the case in the high half (as the stream's).
fn key(service: u32, case: u32) -> u64 {
    (u64::from(case) << 32) | u64::from(service)
}

/// The events of a run, in the order the stream takes them, and what was carried in.
struct Fed {
    /// The cases that ended in an earlier run and have events tonight, as the stream got them.
    carried: FxHashMap<u64, EndedRow>,
    /// Late events of ended cases judged tonight, to remember.
    late: Vec<(String, String, EventId)>,
    /// Every event fed, by case key, time and identity: those after the end of a case
    /// that ends tonight are remembered as judged, as the late events are.
    ids: Vec<(u64, i64, EventId)>,
}

/// What the state keeps of a case still open after this run.
pub(super) struct OpenCase {
    pub service: String,
    pub case: String,
    pub provider: Option<String>,
    pub events: Vec<StoredEvent>,
    /// From this `--as-of` on, the case is replayed even without a new event
    /// ([`super::recheck`]); `None`: only a new event makes it replayed.
    pub recheck_at: Option<i64>,
}

/// A case that ended for good in this run, by name.
pub(super) struct EndedNow {
    pub service: String,
    pub case: String,
    pub row: EndedRow,
}

/// Runs one night on `store` (inside its transaction) and returns the report with what
/// changed since the last run. `log` holds tonight's events as read; `inputs` the files.
pub fn run(
    store: &Store,
    catalog: &Catalog,
    calendar: &Calendar,
    options: &Options,
    mut log: Log,
    inputs: &[Input],
) -> Result<Report, StateError> {
    let previous = store.previous_run()?;
    let run = previous.as_ref().map_or(1, |p| p.0 + 1);
    let tonight_files = log.files.len();
    let as_of = options.as_of.as_ref().map_or(i64::MIN, |a| a.at);
    let fed = feed(store, &mut log, as_of)?;

    let mut stream = Stream::new(catalog, calendar, options);
    stream.record_ends();
    for (&k, row) in &fed.carried {
        if let Some(c) = carried_case(catalog, &mut log.names, k, row) {
            stream.carry_ended(&c);
        }
    }
    stream.block(&mut log);
    let open_lists: Vec<Vec<Event>> = stream.open_events().map(<[Event]>::to_vec).collect();
    let mut open = open_cases(&stream, &log);
    let mut late = fed.late;
    late.extend(after_ends(&stream, &fed.ids, &log.names));
    let (ended, touched) = ended_cases(&stream, catalog, &log, &fed.carried);
    let (findings, stats) = stream.finish(&mut log);
    let recheck =
        super::recheck::recheck_at(catalog, calendar, &log, options, &open_lists, &findings);
    for o in &mut open {
        o.recheck_at = recheck.get(&(o.service.clone(), o.case.clone())).copied();
    }
    log.files.truncate(tonight_files);

    let replayed: FxHashSet<(String, String)> = (open.iter())
        .map(|o| (o.service.clone(), o.case.clone()))
        .chain(ended.iter().map(|e| (e.service.clone(), e.case.clone())))
        .collect();
    let hashes = super::history::rule_set_hashes(catalog);
    let settled = super::status::settle(store, run, findings, &replayed, &hashes)?;
    let counts = super::save::Counts {
        lines: log.account.lines,
        events: log.account.events,
        rejected: log.account.rejected_total,
        duplicates: (log.account.rejected_by_reason.get(&Reason::Duplicate)).map_or(0, |n| *n),
        cases: stats.cases,
        open_cases: open.len() as u64,
    };
    let report = crate::check::report(catalog, calendar, log, settled.violations, stats, options);
    let mut report = report;
    for id in settled.rule_sets {
        if let Some(s) = catalog.sets.iter().find(|s| s.id() == id) {
            let r = crate::report::RuleSetRef::of(&s.rules);
            report.rule_sets.entry(id).or_insert(r);
        }
    }
    let mut since = settled.since;
    since.run = run;
    since.previous = previous.clone();
    since.rule_sets_changed = match &previous {
        Some((p, _)) => super::history::changed(&store.rule_set_hashes(*p)?, &hashes),
        None => Default::default(),
    };
    let report = report.with_since(since);
    let record = super::save::RunRecord {
        run,
        as_of: options.as_of.as_ref(),
        inputs,
        hashes: &hashes,
        counts,
        changes: report.summary.changes.unwrap_or_default(),
    };
    super::save::cases(store, &open, &ended, &touched, &late)?;
    super::save::run(store, &record)?;
    Ok(report)
}

/// Drops tonight's events already read, adds the open cases' stored events, and puts all
/// in the order the stream takes them: by time, then the stored before tonight's, each in
/// its order. Leaves them in `log.events`.
fn feed(store: &Store, log: &mut Log, as_of: i64) -> Result<Fed, StateError> {
    let tonight = std::mem::take(&mut log.events);
    // The ended cases tonight's events belong to.
    let mut keys: Vec<(u32, u32)> = tonight.iter().map(|e| (e.service, e.case)).collect();
    keys.sort_unstable();
    keys.dedup();
    let names = &log.names;
    let named = || (keys.iter()).map(|&(s, c)| (names.services.name(s), names.cases.name(c)));
    let stored = store.open_events(named(), as_of)?;
    let rows = store.ended_rows(named())?;
    let mut open_ids: FxHashSet<EventId> = FxHashSet::default();
    let mut ids = Vec::with_capacity(stored.len() + tonight.len());
    for s in &stored {
        let id = stored_parts(s).id();
        open_ids.insert(id);
        let k = key(
            log.names.services.intern(&s.service),
            log.names.cases.intern(&s.case),
        );
        ids.push((k, s.at, id));
    }
    let mut carried: FxHashMap<u64, EndedRow> = FxHashMap::default();
    for ((s, c), row) in rows {
        let (s, c) = (log.names.services.intern(&s), log.names.cases.intern(&c));
        carried.insert(key(s, c), row);
    }
    // Tonight's events: duplicates out, late events of ended cases checked against those
    // an earlier run judged.
    let mut kept: Vec<Event> = Vec::with_capacity(tonight.len());
    let mut dups: Vec<(Event, String)> = Vec::new();
    let mut late: Vec<(Event, (String, String, EventId))> = Vec::new();
    let mut seen: FxHashSet<EventId> = FxHashSet::default();
    for ev in tonight {
        let parts = EventParts::of(&ev, &log.names);
        let id = parts.id();
        match carried.get(&key(ev.service, ev.case)) {
            Some(row) if ev.at <= row.end_at => {
                dups.push((ev, ended_before(row.end_at)));
            }
            Some(_) if !seen.insert(id) => dups.push((ev, tonight_twice())),
            Some(_) => late.push((ev, (parts.service.into(), parts.case.into(), id))),
            None if open_ids.contains(&id) => dups.push((ev, in_state())),
            None if !seen.insert(id) => dups.push((ev, tonight_twice())),
            None => {
                ids.push((key(ev.service, ev.case), ev.at, id));
                kept.push(ev);
            }
        }
    }
    let keys: Vec<(String, String, EventId)> = late.iter().map(|(_, k)| k.clone()).collect();
    let judged = store.late_seen(&keys)?;
    let mut remember = Vec::new();
    for ((ev, k), was) in late.into_iter().zip(judged) {
        if was {
            dups.push((ev, in_state()));
        } else {
            kept.push(ev);
            remember.push(k);
        }
    }
    for (ev, why) in dups {
        reject_duplicate(log, &ev, why);
    }
    log.events = order(log, stored, kept);
    Ok(Fed {
        carried,
        late: remember,
        ids,
    })
}

/// The stored events (interned into `log`, their files added after tonight's) and
/// tonight's kept ones, by time, the stored first at equal times, each in its order.
fn order(log: &mut Log, stored: Vec<StoredEvent>, kept: Vec<Event>) -> Vec<Event> {
    let mut files: FxHashMap<String, u16> = FxHashMap::default();
    let mut all: Vec<(i64, u8, usize, Event)> = Vec::with_capacity(stored.len() + kept.len());
    for (i, s) in stored.into_iter().enumerate() {
        let file = *files.entry(s.file.clone()).or_insert_with(|| {
            log.files.push(s.file.clone());
            // A run reads at most `log::MAX_FILES` files; older ones past that share the last.
            u16::try_from(log.files.len() - 1).unwrap_or(u16::MAX)
        });
        let ev = intern(&mut log.names, &s, file);
        all.push((ev.at, 0, i, ev));
    }
    all.extend(kept.into_iter().enumerate().map(|(i, e)| (e.at, 1, i, e)));
    all.sort_unstable_by_key(|&(at, origin, i, _)| (at, origin, i));
    all.into_iter().map(|(_, _, _, e)| e).collect()
}

/// A stored event with its names given integers in `names`.
fn intern(names: &mut Names, s: &StoredEvent, file: u16) -> Event {
    let opt = |i: &mut crate::log::Interner, n: &Option<String>| {
        n.as_deref().map_or(NONE, |n| i.intern(n))
    };
    Event {
        case: names.cases.intern(&s.case),
        service: names.services.intern(&s.service),
        step: names.steps.intern(&s.step),
        channel: opt(&mut names.channels, &s.channel),
        variant: opt(&mut names.variants, &s.variant),
        ground: opt(&mut names.grounds, &s.ground),
        provider: opt(&mut names.providers, &s.provider),
        at: s.at,
        started: s.started.unwrap_or(NO_TIME),
        file,
        // The state keeps no day-only mark yet: an event carried over from an earlier
        // night is taken as timed (see docs/state.md, "Limits").
        day_only: false,
        line: s.line,
    }
}

fn stored_parts(s: &StoredEvent) -> EventParts<'_> {
    EventParts {
        service: &s.service,
        case: &s.case,
        step: &s.step,
        channel: s.channel.as_deref(),
        variant: s.variant.as_deref(),
        ground: s.ground.as_deref(),
        provider: s.provider.as_deref(),
        at: s.at,
        started: s.started,
    }
}

/// An event of the log as the state keeps it.
fn to_stored(e: &Event, log: &Log) -> StoredEvent {
    let p = EventParts::of(e, &log.names);
    StoredEvent {
        service: p.service.to_owned(),
        case: p.case.to_owned(),
        step: p.step.to_owned(),
        channel: p.channel.map(str::to_owned),
        variant: p.variant.map(str::to_owned),
        ground: p.ground.map(str::to_owned),
        provider: p.provider.map(str::to_owned),
        at: e.at,
        started: p.started,
        file: log.files.get(e.file as usize).cloned().unwrap_or_default(),
        line: e.line,
    }
}

/// The events fed after the end of a case that ended for good tonight (judged as
/// `event_after_end`): remembered, so that a re-export of one is a duplicate.
fn after_ends(
    stream: &Stream,
    ids: &[(u64, i64, EventId)],
    names: &Names,
) -> Vec<(String, String, EventId)> {
    let ends: FxHashMap<u64, i64> = stream.ends().iter().copied().collect();
    (ids.iter())
        .filter(|(k, at, _)| ends.get(k).is_some_and(|end| at > end))
        .map(|&(k, _, id)| {
            let service = names.services.name(k as u32).to_owned();
            (service, names.cases.name((k >> 32) as u32).to_owned(), id)
        })
        .collect()
}

/// The cases the stream still holds open, by name.
fn open_cases(stream: &Stream, log: &Log) -> Vec<OpenCase> {
    stream
        .open_events()
        .filter_map(|events| {
            let first = events.first()?;
            let provider = (events.iter().find(|e| e.provider != NONE))
                .map(|e| log.names.providers.name(e.provider).to_owned());
            Some(OpenCase {
                service: log.names.services.name(first.service).to_owned(),
                case: log.names.cases.name(first.case).to_owned(),
                provider,
                events: events.iter().map(|e| to_stored(e, log)).collect(),
                recheck_at: None,
            })
        })
        .collect()
}

/// The cases that ended for good in this run, and the carried ones with their findings
/// mark as it now stands (a late event may have added one).
fn ended_cases(
    stream: &Stream,
    catalog: &Catalog,
    log: &Log,
    carried: &FxHashMap<u64, EndedRow>,
) -> (Vec<EndedNow>, Vec<EndedNow>) {
    let ends: FxHashMap<u64, i64> = stream.ends().iter().copied().collect();
    let (mut now, mut touched) = (Vec::new(), Vec::new());
    for c in stream.ended_cases() {
        let k = key(c.service, c.case);
        let at = match (ends.get(&k), carried.get(&k)) {
            (Some(&at), _) => at,
            (None, Some(row)) => row.end_at,
            (None, None) => continue,
        };
        let Some(set) = catalog.sets.get(c.set) else {
            continue;
        };
        let end_step = set.steps.get(usize::from(c.end)).map(|s| s.id.clone());
        let row = EndedRow {
            provider: (c.provider != NONE).then(|| log.names.providers.name(c.provider).to_owned()),
            rule_set: set.id().to_owned(),
            end_step: end_step.unwrap_or_default(),
            end_at: at,
            violated: c.violated,
        };
        let e = EndedNow {
            service: log.names.services.name(c.service).to_owned(),
            case: log.names.cases.name(c.case).to_owned(),
            row,
        };
        if ends.contains_key(&k) {
            now.push(e);
        } else {
            touched.push(e);
        }
    }
    (now, touched)
}

/// A kept ended case as the stream takes it: its rule set and end step found by id in
/// this run's rules (a rule set or step no longer there: not carried, so a later event
/// of the case starts it anew, as in a run without the state).
fn carried_case(catalog: &Catalog, names: &mut Names, k: u64, row: &EndedRow) -> Option<EndedCase> {
    let set = catalog.sets.iter().position(|s| s.id() == row.rule_set)?;
    let steps = &catalog.sets.get(set)?.steps;
    let end = steps.iter().position(|s| s.id == row.end_step)?;
    Some(EndedCase {
        case: (k >> 32) as u32,
        service: k as u32,
        set,
        end: u16::try_from(end).ok()?,
        provider: row
            .provider
            .as_deref()
            .map_or(NONE, |p| names.providers.intern(p)),
        violated: row.violated,
    })
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(|| format!("{ms} ms"), |t| t.to_rfc3339())
}

#[cold]
fn ended_before(end_at: i64) -> String {
    format!(
        "the case ended for good at {} in an earlier run on this state, which keeps no copy of its events: an event at or before its end is taken as one already read",
        time(end_at)
    )
}

#[cold]
fn in_state() -> String {
    "the same event was read by an earlier run on this state".to_owned()
}

#[cold]
fn tonight_twice() -> String {
    "the same event was read earlier in this run".to_owned()
}

/// Moves a duplicate from the accepted to the rejected records.
#[cold]
fn reject_duplicate(log: &mut Log, ev: &Event, detail: String) {
    let names = &log.names;
    let excerpt = format!(
        "case {:?}, service {:?}, step {:?}, at {}",
        names.cases.name(ev.case),
        names.services.name(ev.service),
        names.steps.name(ev.step),
        time(ev.at)
    );
    let account = &mut log.account;
    account.events = account.events.saturating_sub(1);
    account.lines = account.lines.saturating_sub(1);
    account.reject(Rejected {
        file: u32::from(ev.file),
        line: ev.line,
        field: None,
        reason: Reason::Duplicate,
        detail,
        excerpt,
    });
}
