//! The replay of all cases: each case is resolved to the edition of its service in force
//! on the day it began, or that may have been ([`crate::rules::validity`]: such a case is
//! counted in [`CaseStats::doubts`]), then replayed as a [`Case`](super::case) against
//! that rule set.

use super::case::{Case, Gathered, Outcome};
use super::doubt::Doubts;
use super::due::DueSoon;
use super::evidence::Unmeasured;
use super::finding::{Finding, Kind, Name};
use super::stopped::{Stopped, Wait};
use super::unjudged::NotJudged;

/// Working days before a deadline within which an open case is listed as due soon
/// (`--due-within`, issue 11).
pub const DEFAULT_DUE_WITHIN: u32 = 2;
use super::limits::local_time;
use super::message::Message;
use crate::calendar::Calendar;
use crate::log::{Event, Log, NONE};
use crate::rules::Catalog;
use crate::rules::compiled::{GroundIx, Mask, StepIx, StepRule};
use crate::rules::model::Severity;
use crate::rules::validity::{InForce, Side};
use chrono::{Datelike, NaiveDate};

/// Log names resolved to one rule set's indices, built once per run. `None`: the rule
/// set has no such name.
pub(super) struct SetMaps {
    pub steps: Vec<Option<StepIx>>,
    pub channels: Vec<Option<Mask>>,
    pub variants: Vec<Option<Mask>>,
    pub grounds: Vec<Option<GroundIx>>,
    /// Place of each step among events at the same time ([`ties`](super::ties)).
    pub rank: Vec<u32>,
}

/// What the replay of all cases counted besides findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseStats {
    pub cases: u64,
    /// Cases replayed against a rule set (the others had no service or rule in force).
    pub checked: u64,
    pub with_violations: u64,
    /// Cases without a result or refusal yet.
    pub open: u64,
    /// The first and last year of the local dates of the events replayed, in the zone of
    /// each case's region (UTC for a service no rule set describes): the calendar years
    /// the replay may have consulted.
    pub local_years: Option<(i32, i32)>,
    /// Open cases about to go overdue at `as_of`, in case order ([`super::due`]).
    pub due_soon: Vec<DueSoon>,
    /// Cases judged under an edition that may not have applied on the day they began
    /// ([`super::doubt`]).
    pub doubts: Doubts,
    /// The limits that could not be measured, per rule set, step and limit
    /// ([`super::evidence`]).
    pub unmeasured: Unmeasured,
    /// Cases not judged: no encoded edition can have applied on the day they began
    /// ([`super::unjudged`]); in case order.
    pub not_judged: Vec<NotJudged>,
    /// Open cases with no deadline in the rule set at `as_of`, in case order
    /// ([`super::stopped`]).
    pub open_no_deadline: Vec<Stopped>,
    /// Open cases whose next move is the applicant's own, in case order.
    pub waiting_for_applicant: Vec<Stopped>,
}

impl CaseStats {
    fn add(&mut self, outcome: Outcome, violated: bool) {
        self.cases += 1;
        self.checked += u64::from(outcome != Outcome::Unchecked);
        self.open += u64::from(outcome == Outcome::Open);
        self.with_violations += u64::from(violated);
    }

    fn add_years(&mut self, (lo, hi): (i32, i32)) {
        self.local_years = Some(match self.local_years {
            None => (lo, hi),
            Some((a, b)) => (a.min(lo), b.max(hi)),
        });
    }

    /// Adds the counts of another part of the same run.
    pub fn merge(&mut self, o: &CaseStats) {
        self.cases += o.cases;
        self.checked += o.checked;
        self.open += o.open;
        self.with_violations += o.with_violations;
        self.due_soon.extend(o.due_soon.iter().cloned());
        self.doubts.merge(&o.doubts);
        self.unmeasured.merge(&o.unmeasured);
        self.not_judged.extend(o.not_judged.iter().cloned());
        (self.open_no_deadline).extend(o.open_no_deadline.iter().cloned());
        (self.waiting_for_applicant).extend(o.waiting_for_applicant.iter().cloned());
        if let Some(y) = o.local_years {
            self.add_years(y);
        }
    }
}

/// Replays cases of one [`Log`] against a [`Catalog`].
pub struct Engine<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) calendar: &'a Calendar,
    pub(super) log: &'a Log,
    pub(super) as_of: Option<i64>,
    /// Working days before a deadline within which an open case is due soon.
    pub(super) due_within: u32,
    /// Editions per service id of the log.
    services: Vec<Option<&'a [usize]>>,
    maps: Vec<SetMaps>,
    /// Names shared by every finding of a run: services, files and rule set ids.
    pub(super) shared: SharedNames,
}

/// Names interned once per run, so findings share them instead of copying them.
pub(super) struct SharedNames {
    pub services: Vec<Name>,
    pub files: Vec<Name>,
    pub rule_sets: Vec<Name>,
}

impl SharedNames {
    pub fn file(&self, ix: u32) -> Option<Name> {
        self.files.get(ix as usize).cloned()
    }

    pub fn service(&self, ix: u32) -> Name {
        self.services.get(ix as usize).cloned().unwrap_or_default()
    }
}

/// Appends findings replayed into their own vector to `out`, shifting each `caused_by`
/// (an index into the vector they were found in) to their place in `out`.
pub fn append_findings(out: &mut Vec<Finding>, found: Vec<Finding>) {
    let base = out.len();
    out.extend(found.into_iter().map(|mut f| {
        f.caused_by = f.caused_by.map(|i| i + base);
        f
    }));
}

/// Per-case working memory, reused from case to case.
#[derive(Default)]
pub struct Scratch {
    pub(super) last_at: Vec<i64>,
    /// A case's events reordered where some share their time.
    pub(super) ordered: Vec<Event>,
    /// The cases found due soon and the limits not measured, moved to the stats after
    /// each case.
    pub(super) gathered: Gathered,
    /// The case's edition may not have applied on its first day: the rule set, the
    /// bounds that leave it open and that day; moved to the stats after each case.
    pub(super) doubt: Option<(usize, &'static [Side], NaiveDate)>,
    /// The last case replayed skipped a step that a later event may still record
    /// ([`super::order`]): `check --stream` keeps such a case until its input ends.
    pub gap_open: bool,
    /// The case began on a day no encoded edition can have applied; moved to the stats.
    pub(super) not_judged: Option<NotJudged>,
    /// The case listed as stopped ([`super::stopped`]); moved to the stats after it.
    pub(super) stopped: Option<Stopped>,
}

/// The maps of one rule set: each name of the log to the set's index, if it has one.
fn resolve<T>(names: &crate::log::Interner, f: impl Fn(&str) -> Option<T>) -> Vec<Option<T>> {
    names.names().map(f).collect()
}

impl<'a> Engine<'a> {
    /// Resolves every name the log uses against every rule set, once.
    pub fn new(
        catalog: &'a Catalog,
        calendar: &'a Calendar,
        log: &'a Log,
        as_of: Option<i64>,
    ) -> Engine<'a> {
        let names = &log.names;
        let services = names
            .services
            .names()
            .map(|s| catalog.editions(s))
            .collect();
        let maps = (catalog.sets.iter())
            .map(|set| SetMaps {
                steps: resolve(&names.steps, |n| set.step_ix(n)),
                channels: resolve(&names.channels, |n| set.channel_mask(n)),
                variants: resolve(&names.variants, |n| set.variant_mask(n)),
                grounds: resolve(&names.grounds, |n| set.ground_ix(n)),
                rank: super::ties::graph_rank(set),
            })
            .collect();
        let shared = SharedNames {
            services: names.services.names().map(Name::from).collect(),
            files: log.files.iter().map(|f| Name::from(f.as_str())).collect(),
            rule_sets: catalog.sets.iter().map(|s| Name::from(s.id())).collect(),
        };
        Engine {
            catalog,
            calendar,
            log,
            as_of,
            due_within: DEFAULT_DUE_WITHIN,
            services,
            maps,
            shared,
        }
    }

    /// Lists open cases whose next deadline is within `n` working days of `as_of` as
    /// due soon (default [`DEFAULT_DUE_WITHIN`]).
    pub fn with_due_within(mut self, n: u32) -> Engine<'a> {
        self.due_within = n;
        self
    }

    /// Replays every case of `cases` (each a time-ordered run of one case's events) in
    /// order, appending findings to `out`.
    pub fn replay_all<'e>(
        &self,
        cases: impl Iterator<Item = &'e [Event]>,
        out: &mut Vec<Finding>,
    ) -> CaseStats {
        let mut stats = CaseStats::default();
        let mut scratch = Scratch::default();
        for events in cases {
            self.replay_counted(events, &mut scratch, &mut stats, out);
        }
        stats
    }

    /// Replays one case (a time-ordered run of its events), appending its findings to
    /// `out` and counting it in `stats`: the step of [`Engine::replay_all`] for a caller
    /// that needs each case's findings apart (`check --stream`), with one `stats` and one
    /// `scratch` for many cases, so a case costs no allocation of its own.
    pub fn replay_counted(
        &self,
        events: &[Event],
        scratch: &mut Scratch,
        stats: &mut CaseStats,
        out: &mut Vec<Finding>,
    ) {
        let before = out.len();
        let outcome = self.replay_case(events, scratch, out);
        stats.add(outcome, out.len() > before);
        stats.due_soon.append(&mut scratch.gathered.due);
        stats.unmeasured.add_case(&mut scratch.gathered.unmeasured);
        if let Some((set, sides, day)) = scratch.doubt.take() {
            stats.doubts.add(set, sides, day);
        }
        if let Some(n) = scratch.not_judged.take() {
            stats.not_judged.push(n);
        }
        if let Some(s) = scratch.stopped.take() {
            match s.wait {
                Wait::Applicant => stats.waiting_for_applicant.push(s),
                _ => stats.open_no_deadline.push(s),
            }
        }
        if let Some(years) = self.local_years(events) {
            stats.add_years(years);
        }
    }

    /// As [`Engine::replay_all`], on every core of rayon's pool: cases are independent,
    /// so blocks of them are replayed in parallel, and the findings come out in the same
    /// order as from the sequential replay.
    pub fn replay_all_parallel(&self, cases: &[&[Event]], out: &mut Vec<Finding>) -> CaseStats {
        use rayon::prelude::*;
        // Large enough that per-block overhead vanishes, small enough to balance the cores.
        const BLOCK: usize = 2048;
        let parts: Vec<(Vec<Finding>, CaseStats)> = cases
            .par_chunks(BLOCK)
            .map(|block| {
                let mut found = Vec::new();
                let stats = self.replay_all(block.iter().copied(), &mut found);
                (found, stats)
            })
            .collect();
        let mut stats = CaseStats::default();
        for (found, s) in parts {
            append_findings(out, found);
            stats.merge(&s);
        }
        stats
    }

    /// The zone that decides a case's days: its service's region, UTC for a service no
    /// rule set describes.
    fn zone(&self, ev: &Event) -> chrono_tz::Tz {
        self.editions(ev)
            .and_then(|e| e.first())
            .and_then(|&i| self.catalog.sets.get(i))
            .map_or(chrono_tz::Tz::UTC, |s| s.tz)
    }

    fn editions(&self, ev: &Event) -> Option<&'a [usize]> {
        self.services.get(ev.service as usize).copied().flatten()
    }

    /// The local years of a case's first and last event (events are in time order).
    fn local_years(&self, events: &[Event]) -> Option<(i32, i32)> {
        let (first, last) = (events.first()?, events.last()?);
        let tz = self.zone(first);
        Some((
            local_time(tz, first.at).year(),
            local_time(tz, last.at).year(),
        ))
    }

    /// Replays one case: whether it was checked against a rule set, and whether it is
    /// still open.
    pub fn replay_case(
        &self,
        events: &[Event],
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> Outcome {
        scratch.gap_open = false;
        let Some(first) = events.first() else {
            return Outcome::Unchecked;
        };
        let Some(editions) = self.editions(first) else {
            let service = self.log.names.services.name(first.service);
            let msg = Message::new("unknown-service").id("service", service);
            out.push(self.bare(Kind::UnknownService, events, None, msg));
            return Outcome::Unchecked;
        };
        let tz = self.zone(first);
        let date = local_time(tz, first.at).date_naive();
        // Judged under the edition that may have applied, even when the data cannot tell
        // whether it did (counted, and said in a warning: `rules::validity` says why);
        // not judged, and listed with the reason, when none can have (`unjudged`).
        let Some((set_ix, on)) = self.catalog.edition_on(editions, date) else {
            scratch.not_judged = Some(self.not_judged(events, editions, date));
            return Outcome::Unchecked;
        };
        if let InForce::Uncertain(sides) = on {
            scratch.doubt = Some((set_ix, sides, date));
        }
        let maps = &self.maps[set_ix];
        let last_at = std::mem::take(&mut scratch.last_at);
        let mut ordered = std::mem::take(&mut scratch.ordered);
        // Events at the same time are replayed in the order of the process graph, not of
        // the lines: a shuffled log gives the same findings.
        let events = if super::ties::has_ties(events) {
            let step_of = |e: &Event| maps.steps.get(e.step as usize).copied().flatten();
            super::ties::order(events, &maps.rank, step_of, &mut ordered);
            ordered.as_slice()
        } else {
            events
        };
        let case = Case::new(
            self,
            set_ix,
            maps,
            events,
            last_at,
            out,
            &mut scratch.gathered,
        );
        let replayed = case.replay();
        let outcome = replayed.outcome;
        scratch.last_at = replayed.last_at;
        scratch.gap_open = replayed.gap_open;
        scratch.stopped = replayed.stopped;
        scratch.ordered = ordered;
        outcome
    }

    /// The rule set a case whose first event is `first` is replayed against: the edition
    /// of its service that applied (or may have) on the local date of that event
    /// ([`Catalog::edition_on`]); `None` when no rule set describes the service or none
    /// can have applied (replay then reports why).
    pub fn edition_of(&self, first: &Event) -> Option<usize> {
        let editions = self.editions(first)?;
        let date = local_time(self.zone(first), first.at).date_naive();
        self.catalog.edition_on(editions, date).map(|(i, _)| i)
    }

    /// The step of rule set `set_ix` that event `ev` names, with its index; `None` when
    /// the set has no such step.
    pub fn step_of(&self, set_ix: usize, ev: &Event) -> Option<(StepIx, &'a StepRule)> {
        let s = self
            .maps
            .get(set_ix)?
            .steps
            .get(ev.step as usize)
            .copied()
            .flatten()?;
        Some((s, self.catalog.sets.get(set_ix)?.steps.get(usize::from(s))?))
    }

    /// Judges an event of a case that already ended for good at step `end` (an end step
    /// with no successor, `next` empty) of rule set `set_ix`, after its earlier events
    /// were replayed and dropped (`check --stream`). It is judged as [`Engine::replay_case`]
    /// judges it within the whole case: an unknown step is `unknown_step`, any other
    /// step `event_after_end` (no step can resume the case). `provider` is the first
    /// provider the case named ([`NONE`]: none). The local year of the event joins
    /// `stats`; returns whether a finding was added.
    pub fn replay_after_end(
        &self,
        set_ix: usize,
        end: StepIx,
        provider: u32,
        ev: &Event,
        stats: &mut CaseStats,
        out: &mut Vec<Finding>,
    ) -> bool {
        let before = out.len();
        if let Some(maps) = self.maps.get(set_ix) {
            let provider =
                (provider != NONE).then(|| Name::from(self.log.names.providers.name(provider)));
            let events = std::slice::from_ref(ev);
            // A case ended for good is never due soon, and an event after its end is not
            // measured: nothing of it is gathered.
            let mut gathered = Gathered::default();
            Case::new(self, set_ix, maps, events, Vec::new(), out, &mut gathered)
                .judge_after_end(end, provider);
        }
        let year = local_time(self.zone(ev), ev.at).year();
        stats.add_years((year, year));
        out.len() > before
    }

    /// A case no encoded edition can have applied to on `date`, the local date of its
    /// first event: listed with the reason, not judged ([`super::unjudged`]).
    #[cold]
    fn not_judged(&self, events: &[Event], editions: &[usize], date: NaiveDate) -> NotJudged {
        let ev = &events[0];
        let names = [
            Name::from(self.log.names.cases.name(ev.case)),
            self.shared.service(ev.service),
        ];
        let at = (self.shared.file(u32::from(ev.file)), ev.line);
        NotJudged::new(
            self.catalog,
            editions,
            date,
            names,
            self.provider_of(events),
            at,
        )
    }

    /// The provider a case's events name: the first one given. Called once per case
    /// with findings, and shared by all of them.
    pub(super) fn provider_of(&self, events: &[Event]) -> Option<Name> {
        events
            .iter()
            .find(|e| e.provider != NONE)
            .map(|e| Name::from(self.log.names.providers.name(e.provider)))
    }

    /// A finding about the case as a whole, at its first event, before any rule set applies.
    #[cold]
    fn bare(
        &self,
        kind: Kind,
        events: &[Event],
        tz: Option<chrono_tz::Tz>,
        message: Message,
    ) -> Finding {
        let ev = &events[0];
        Finding {
            kind,
            case: Name::from(self.log.names.cases.name(ev.case)),
            service: self.shared.service(ev.service),
            provider: self.provider_of(events),
            rule_set: None,
            step: Some(self.log.names.steps.name(ev.step).to_string()),
            term: None,
            cite: None,
            severity: Severity::Hard,
            limit: None,
            limit_inferred: false,
            actual: None,
            deadline: None,
            at: Some(local_time(tz.unwrap_or(chrono_tz::Tz::UTC), ev.at)),
            message,
            file: self.shared.file(u32::from(ev.file)),
            line: Some(ev.line),
            caused_by: None,
            evidence_incomplete: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{Reader, group};
    use crate::rules::{RulesSource, load, schema::Schema};
    use std::fmt::Write;

    /// Issue 8: findings of one case share one provider allocation (and one case, service,
    /// rule set and file name), however many there are, and the provider is resolved once.
    #[test]
    fn findings_of_one_case_share_one_provider_allocation() {
        let schema = Schema::bundled().unwrap();
        let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let cal = Calendar::kazakhstan().unwrap();
        let mut text = String::new();
        for i in 0..10_001 {
            // Only the last event names the provider: the case's provider is still it.
            let provider = if i == 10_000 {
                r#", "provider": "P""#
            } else {
                ""
            };
            let _ = writeln!(
                text,
                r#"{{"case": "c", "service": "almaty-2014-3-584-bus-carriage-licence", "step": "portal_auth", "at": "2014-11-05T{:02}:{:02}:{:02}+06:00", "channel": "portal", "variant": "issue"{provider}}}"#,
                10 + i / 3600,
                i / 60 % 60,
                i % 60
            );
        }
        let mut reader = Reader::new(&cat);
        reader.read_str("p.jsonl", &text);
        let mut log = reader.finish();
        let mut events = std::mem::take(&mut log.events);
        let engine = Engine::new(&cat, &cal, &log, None);
        let mut found = Vec::new();
        engine.replay_all(group::group(&mut events), &mut found);
        assert!(found.len() >= 10_000, "{} findings", found.len());
        let first = &found[0];
        let provider = first.provider.as_ref().unwrap();
        assert_eq!(provider.as_str(), "P");
        for f in &found {
            assert!(f.provider.as_ref().unwrap().shares(provider));
            assert!(f.case.shares(&first.case));
            assert!(f.service.shares(&first.service));
            assert!(
                f.rule_set
                    .as_ref()
                    .unwrap()
                    .shares(first.rule_set.as_ref().unwrap())
            );
            assert!(
                f.file
                    .as_ref()
                    .unwrap()
                    .shares(first.file.as_ref().unwrap())
            );
        }
    }
}
