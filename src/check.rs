//! The whole `check` pipeline: read -> group -> replay -> report.

use crate::calendar::Calendar;
use crate::engine::{CaseStats, DEFAULT_DUE_WITHIN, Engine, Finding};
use crate::log::{Log, group};
use crate::report::{Parts, Report, RuleSetRef, Warning, gaps};
use crate::rules::Catalog;
use std::collections::BTreeMap;

pub mod order;
pub mod stream;
pub use stream::{EndedCase, Stream};

/// How cases are replayed. Both give the same report; `Parallel` uses rayon's pool,
/// whose size is the caller's to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    Sequential,
    #[default]
    Parallel,
}

/// The moment open cases are judged at (`--as-of`): there is no hidden clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsOf {
    /// UTC milliseconds since the Unix epoch.
    pub at: i64,
    /// The moment as the report shows it (as given, in the offset it was given in).
    pub label: String,
    /// Open cases whose next deadline is within this many working days are listed as
    /// due soon (`--due-within`, default [`DEFAULT_DUE_WITHIN`]).
    pub due_within: u32,
}

impl AsOf {
    /// A moment labelled as its UTC RFC 3339 time (or as milliseconds, past chrono's range).
    pub fn new(at: i64) -> AsOf {
        let label = chrono::DateTime::from_timestamp_millis(at)
            .map_or_else(|| format!("{at} ms"), |t| t.to_rfc3339());
        AsOf {
            at,
            label,
            due_within: DEFAULT_DUE_WITHIN,
        }
    }
}

/// What a `check` run is asked to do besides its inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    /// When to judge open cases; `None` judges no open case.
    pub as_of: Option<AsOf>,
}

/// Replays every case of `log` and builds the report.
pub fn run(catalog: &Catalog, calendar: &Calendar, mut log: Log, options: &Options) -> Report {
    let mut events = std::mem::take(&mut log.events);
    let mut findings = Vec::new();
    let stats = {
        let as_of = options.as_of.as_ref().map(|a| a.at);
        let due_within = (options.as_of.as_ref()).map_or(DEFAULT_DUE_WITHIN, |a| a.due_within);
        let engine = Engine::new(catalog, calendar, &log, as_of).with_due_within(due_within);
        match options.mode {
            Mode::Sequential => engine.replay_all(group::group(&mut events), &mut findings),
            Mode::Parallel => {
                engine.replay_all_parallel(&group::group_parallel(&mut events), &mut findings)
            }
        }
    };
    report(catalog, calendar, log, findings, stats, options)
}

/// Replays the input of `read` as a stream (`check --stream`): `read` hands each block
/// the reader merges to the callback it is given, and returns the log once the input
/// has ended. The input must be in time order; see [`stream`].
pub fn run_stream(
    catalog: &Catalog,
    calendar: &Calendar,
    options: &Options,
    read: impl FnOnce(&mut (dyn FnMut(&mut Log) + Send)) -> Log,
) -> Report {
    run_stream_of(catalog, calendar, options, 1, read)
}

/// [`run_stream`] over `files` input files: with more than one, each is in time order on
/// its own and cases are replayed when the input ends ([`order`]).
pub fn run_stream_of(
    catalog: &Catalog,
    calendar: &Calendar,
    options: &Options,
    files: usize,
    read: impl FnOnce(&mut (dyn FnMut(&mut Log) + Send)) -> Log,
) -> Report {
    let mut stream = Stream::new(catalog, calendar, options).several_files(files > 1);
    let mut log = read(&mut |log: &mut Log| stream.block(log));
    let (findings, stats) = stream.finish(&mut log);
    report(catalog, calendar, log, findings, stats, options)
}

/// The report of a replay, shared by both modes.
pub(crate) fn report(
    catalog: &Catalog,
    calendar: &Calendar,
    log: Log,
    mut findings: Vec<Finding>,
    stats: CaseStats,
    options: &Options,
) -> Report {
    // Once the whole input is read: a case's rejected record may come after its findings.
    crate::engine::evidence::mark_incomplete(&mut findings, &log);
    let limits_not_measured = gaps::limits_not_measured(catalog, &stats.unmeasured);
    let mut warnings = warnings(catalog, calendar, &log, &stats);
    warnings.extend((limits_not_measured.iter().cloned()).map(Warning::LimitNotMeasured));
    let rule_sets = rule_sets(catalog, &findings);
    Report::new(Parts {
        files: log.files,
        account: log.account,
        stats,
        violations: findings,
        as_of: options.as_of.as_ref().map(|a| a.label.clone()),
        warnings,
        rule_sets,
        limits_not_measured,
    })
}

/// What the reader should know: calendar years without a recorded decree among the
/// local years the replay used (the region's, never the UTC year: an event at
/// 2025-12-31T20:00Z is 2026 in Almaty), and terms not checked in the rule sets the log
/// uses, and the cases judged under an edition that may not have applied on the day they
/// began (per rule set and bound).
fn warnings(catalog: &Catalog, calendar: &Calendar, log: &Log, stats: &CaseStats) -> Vec<Warning> {
    let mut warnings: Vec<Warning> = calendar
        .years_without_decree()
        .into_iter()
        .filter(|&y| {
            stats
                .local_years
                .is_some_and(|(lo, hi)| (lo..=hi).contains(&y))
        })
        .map(|year| Warning::NoDecree { year })
        .collect();
    let used = (log.names.services.names())
        .filter_map(|s| catalog.editions(s))
        .flatten();
    for set in used.filter_map(|&i| catalog.sets.get(i)) {
        for t in set.terms.iter().filter(|t| t.limits.is_empty()) {
            warnings.push(Warning::TermNotChecked {
                rule_set: set.id().to_string(),
                term: t.id.clone(),
                cite: t.cite.clone(),
            });
        }
    }
    // Cases judged under an edition that may not have applied (`rules::validity`).
    for (&(set, side), span) in &stats.doubts.by_bound {
        let Some(c) = catalog.sets.get(set) else {
            continue;
        };
        if let Some(bound) = c.validity.bound(side) {
            warnings.push(Warning::ValidityUncertain {
                rule_set: c.id().to_string(),
                side,
                cases: span.cases,
                first: span.first,
                last: span.last,
                earliest: bound.earliest,
                latest: bound.latest_day(),
                latest_inferred: bound.is_inferred(),
            });
        }
    }
    // Whose records the log was judged as holding, when not every recorder's.
    if !log.records.is_all() {
        let not_held = (crate::rules::recorder::Recorder::ALL.into_iter())
            .filter(|&r| !log.records.has(r))
            .map(crate::rules::recorder::Recorder::as_str)
            .collect();
        warnings.push(Warning::Records {
            held: log.records.codes(),
            not_held,
        });
    }
    // Open cases with no deadline in the rule set, per stopping step (issue 16).
    warnings.extend(crate::report::open_listing::warnings(
        &stats.open_no_deadline,
    ));
    warnings.dedup();
    warnings
}

/// The regulations the findings cite, by rule set id.
fn rule_sets(catalog: &Catalog, findings: &[Finding]) -> BTreeMap<String, RuleSetRef> {
    findings
        .iter()
        .filter_map(|f| f.rule_set.as_deref())
        .filter_map(|id| catalog.sets.iter().find(|s| s.id() == id))
        .map(|s| (s.id().to_string(), RuleSetRef::of(&s.rules)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Reader;
    use crate::rules::{RulesSource, load, schema::Schema};

    fn report(log: &str) -> Report {
        let schema = Schema::bundled().unwrap();
        let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let cal = Calendar::kazakhstan().unwrap();
        let mut reader = Reader::new(&cat);
        reader.read_str("p.jsonl", log);
        run(&cat, &cal, reader.finish(), &Options::default())
    }

    /// Issue 12: report warnings were keyed on UTC years. Events at 2025-12-31T20:00Z
    /// are 1 January 2026 in Almaty, a year whose day-swap decree is not recorded.
    #[test]
    fn issue_12_decree_warning_follows_the_local_year() {
        let line = |t: &str| {
            format!(
                r#"{{"case": "c", "service": "almaty-2014-3-584-bus-carriage-licence", "step": "portal_auth", "at": "{t}"}}"#
            )
        };
        let new_year = report(&line("2025-12-31T20:00:00Z"));
        assert!(
            new_year
                .warnings
                .contains(&Warning::NoDecree { year: 2026 }),
            "{:?}",
            new_year.warnings
        );
        // Three hours earlier it is 22:00 on 31 December in Almaty (UTC+5 since March 2024).
        let old_year = report(&line("2025-12-31T17:00:00Z"));
        assert!(
            !(old_year.warnings.iter()).any(|w| matches!(w, Warning::NoDecree { .. })),
            "{:?}",
            old_year.warnings
        );
    }
}
