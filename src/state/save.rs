//! Writing what the next run needs: the cases still open with their events, the ended
//! cases' compact records, the late events judged, and the run's own record.

use super::night::{EndedNow, Input, OpenCase};
use super::{StateError, Store};
use crate::check::AsOf;
use crate::report::since::Changes;
use rusqlite::params;
use std::collections::BTreeMap;

/// The counts a run's record keeps.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub lines: u64,
    pub events: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub cases: u64,
    pub open_cases: u64,
}

/// A run as `runs` and its side tables record it.
pub(super) struct RunRecord<'a> {
    pub run: i64,
    pub as_of: Option<&'a AsOf>,
    pub inputs: &'a [Input],
    pub hashes: &'a BTreeMap<String, String>,
    pub counts: Counts,
    pub changes: Changes,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Replaces the replayed cases' events with those still open, records the cases that
/// ended tonight (dropping their events), the findings mark of the carried ended cases, and the
/// late events judged.
pub(super) fn cases(
    store: &Store,
    open: &[OpenCase],
    ended: &[EndedNow],
    touched: &[EndedNow],
    late: &[(String, String, super::identity::EventId)],
) -> Result<(), StateError> {
    let step = "record the cases";
    let c = &store.conn;
    // The replayed cases' events are written anew; the others' stay as they were.
    let mut drop = c
        .prepare("DELETE FROM open_events WHERE service = ?1 AND case_id = ?2")
        .map_err(store.err(step))?;
    for (service, case) in (open.iter().map(|o| (&o.service, &o.case)))
        .chain(ended.iter().map(|e| (&e.service, &e.case)))
    {
        drop.execute(params![service, case])
            .map_err(store.err(step))?;
    }
    let mut ev = c
        .prepare(
            "INSERT INTO open_events (service, case_id, seq, step, channel, variant, ground,
                 provider, at, started, file, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .map_err(store.err(step))?;
    let mut case = c
        .prepare(
            "INSERT OR REPLACE INTO cases (service, case_id, provider, rule_set, end_step, end_at, violated, recheck_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .map_err(store.err(step))?;
    for o in open {
        case.execute(params![
            o.service,
            o.case,
            o.provider,
            None::<String>,
            None::<String>,
            None::<i64>,
            false,
            o.recheck_at
        ])
        .map_err(store.err(step))?;
        for (seq, e) in o.events.iter().enumerate() {
            ev.execute(params![
                e.service,
                e.case,
                seq as i64,
                e.step,
                e.channel,
                e.variant,
                e.ground,
                e.provider,
                e.at,
                e.started,
                e.file,
                int(e.line),
            ])
            .map_err(store.err(step))?;
        }
    }
    for e in ended.iter().chain(touched) {
        let r = &e.row;
        case.execute(params![
            e.service,
            e.case,
            r.provider,
            r.rule_set,
            r.end_step,
            r.end_at,
            r.violated,
            None::<i64>
        ])
        .map_err(store.err(step))?;
    }
    let mut l = c
        .prepare(
            "INSERT OR IGNORE INTO late_events (service, case_id, identity) VALUES (?1, ?2, ?3)",
        )
        .map_err(store.err(step))?;
    for (s, k, id) in late {
        l.execute(params![s, k, id.as_slice()])
            .map_err(store.err(step))?;
    }
    Ok(())
}

/// Records the run: its counts, inputs, rule set hashes and, from the state as the run
/// leaves it, each provider's cases and those with a finding not resolved.
pub(super) fn run(store: &Store, r: &RunRecord) -> Result<(), StateError> {
    let step = "record the run";
    let c = &store.conn;
    let (as_of, as_of_ms) = r
        .as_of
        .map_or((String::new(), 0), |a| (a.label.clone(), a.at));
    let n = &r.counts;
    c.execute(
        "INSERT INTO runs (run, as_of, as_of_ms, calendar, reglament, lines, events, rejected,
             duplicates, cases, open_cases, new, open, resolved)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            r.run,
            as_of,
            as_of_ms,
            super::history::calendar_version(),
            env!("CARGO_PKG_VERSION"),
            int(n.lines),
            int(n.events),
            int(n.rejected),
            int(n.duplicates),
            int(n.cases),
            int(n.open_cases),
            int(r.changes.new),
            int(r.changes.open),
            int(r.changes.resolved),
        ],
    )
    .map_err(store.err(step))?;
    for (i, input) in r.inputs.iter().enumerate() {
        c.execute(
            "INSERT INTO run_inputs (run, ix, name, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                r.run,
                i as i64,
                input.name,
                input.size.map(int),
                input.sha256
            ],
        )
        .map_err(store.err(step))?;
    }
    for (set, hash) in r.hashes {
        c.execute(
            "INSERT INTO run_rule_sets (run, rule_set, sha256) VALUES (?1, ?2, ?3)",
            params![r.run, set, hash],
        )
        .map_err(store.err(step))?;
    }
    c.execute(
        "INSERT INTO run_providers (run, provider, cases, cases_with_findings)
         SELECT ?1, c.provider, count(*),
                sum(EXISTS (SELECT 1 FROM findings f WHERE f.service = c.service
                            AND f.case_id = c.case_id AND f.resolved_run IS NULL))
         FROM cases c WHERE c.provider IS NOT NULL GROUP BY c.provider",
        [r.run],
    )
    .map_err(store.err(step))?;
    Ok(())
}
