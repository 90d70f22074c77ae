//! The whole `check` pipeline: read -> group -> replay -> report.

use crate::calendar::Calendar;
use crate::engine::Engine;
use crate::log::{Log, group};
use crate::report::{Report, RuleSetRef};
use crate::rules::Catalog;

/// How cases are replayed. Both give the same report; `Parallel` uses rayon's pool,
/// whose size is the caller's to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    Sequential,
    #[default]
    Parallel,
}

/// Replays every case of `log` and builds the report. `as_of` (UTC milliseconds) is the
/// moment open cases are judged at; `None` judges no open case.
pub fn run(
    catalog: &Catalog,
    calendar: &Calendar,
    log: Log,
    as_of: Option<i64>,
    as_of_label: Option<String>,
) -> Report {
    run_with(Mode::default(), catalog, calendar, log, as_of, as_of_label)
}

/// [`run`], choosing how cases are replayed.
pub fn run_with(
    mode: Mode,
    catalog: &Catalog,
    calendar: &Calendar,
    mut log: Log,
    as_of: Option<i64>,
    as_of_label: Option<String>,
) -> Report {
    let mut events = std::mem::take(&mut log.events);
    // Years the log covers: only their calendar gaps matter to this report.
    let years = events.iter().fold(None, |acc: Option<(i64, i64)>, e| {
        let (lo, hi) = acc.unwrap_or((e.at, e.at));
        Some((lo.min(e.at), hi.max(e.at)))
    });
    let years = years.map(|(lo, hi)| {
        let year = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms).map_or(0, |t| chrono::Datelike::year(&t))
        };
        year(lo)..=year(hi)
    });
    let mut findings = Vec::new();
    let stats = {
        let engine = Engine::new(catalog, calendar, &log, as_of);
        match mode {
            Mode::Sequential => engine.replay_all(group::group(&mut events), &mut findings),
            Mode::Parallel => {
                engine.replay_all_parallel(&group::group_parallel(&mut events), &mut findings)
            }
        }
    };
    let mut warnings: Vec<String> = calendar
        .years_without_decree()
        .into_iter()
        .filter(|y| years.as_ref().is_some_and(|r| r.contains(y)))
        .map(|y| format!("calendar: no government day-swap decree is recorded for {y}; working days of {y} may be incomplete"))
        .collect();
    // Terms left unchecked, for the rule sets this log uses.
    let used = (0..log.names.services.len())
        .filter_map(|i| catalog.editions(log.names.services.name(i as u32)))
        .flatten();
    for set in used.map(|&i| &catalog.sets[i]) {
        for t in set.terms.iter().filter(|t| t.limits.is_empty()) {
            warnings.push(format!(
                "{}: term {} (para {}) not checked: the regulation gives no value",
                set.id(),
                t.id,
                t.cite
            ));
        }
    }
    warnings.dedup();
    let rule_sets = findings
        .iter()
        .filter_map(|f| f.rule_set.as_deref())
        .filter_map(|id| catalog.sets.iter().find(|s| s.id() == id))
        .map(|s| (s.id().to_string(), RuleSetRef::of(&s.rules)))
        .collect();
    Report::new(
        log.files,
        log.account,
        stats,
        findings,
        as_of_label,
        warnings,
        rule_sets,
    )
}
