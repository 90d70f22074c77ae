//! Each finding's status against the state: `new` (first reported by this run), `open`
//! (reported before and still there), `resolved` (reported before, no longer there).
//!
//! A case replayed tonight (one still open, or that ended tonight) is judged whole again,
//! so its findings are compared with those the state holds for it: one the state holds
//! that tonight's replay no longer gives is resolved (an `open_overdue` whose step has
//! since been done). A case that ended in an earlier run is not replayed: its findings
//! stay as they were, and a late event adds its own. Findings the state holds of cases
//! not replayed tonight are listed again, as open.

use super::identity::{self, FindingKey};
use super::load::FindingRow;
use super::{StateError, Store, stored};
use crate::engine::Finding;
use crate::report::since::{Since, Status};
use rusqlite::params;
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The findings of a run with their status, and what changed.
pub(super) struct Settled {
    /// Tonight's findings, then those carried from earlier runs.
    pub violations: Vec<Finding>,
    /// Statuses (in `since.statuses`) and resolved findings.
    pub since: Since,
    /// The rule sets the carried findings cite.
    pub rule_sets: BTreeSet<String>,
}

/// The runs of one case's findings in `findings` (they come case by case).
fn groups(findings: &[Finding]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        match out.last_mut() {
            Some(r)
                if findings
                    .get(r.start)
                    .is_some_and(|g| g.case == f.case && g.service == f.service) =>
            {
                r.end = i + 1;
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Compares tonight's findings with the state's, records them, and gives the report's
/// list with each finding's status.
pub(super) fn settle(
    store: &Store,
    run: i64,
    findings: Vec<Finding>,
    replayed: &FxHashSet<(String, String)>,
    hashes: &BTreeMap<String, String>,
) -> Result<Settled, StateError> {
    let groups = groups(&findings);
    // Every case with findings tonight, and every replayed one (whose findings may all
    // have gone), with what the state holds of it.
    let mut cases: Vec<(&str, &str)> = (groups.iter())
        .filter_map(|r| findings.get(r.start))
        .map(|f| (f.service.as_str(), f.case.as_str()))
        .collect();
    let with_findings: FxHashSet<(&str, &str)> = cases.iter().copied().collect();
    cases.extend(
        (replayed.iter())
            .map(|(s, c)| (s.as_str(), c.as_str()))
            .filter(|k| !with_findings.contains(k)),
    );
    let held = store.case_findings(&cases)?;
    let mut statuses = vec![Status::New; findings.len()];
    let mut resolved = Vec::new();
    let mut upsert = Upsert::new(store, run, hashes)?;
    for (i, (service, case)) in cases.iter().enumerate() {
        let rows = held.get(i).map_or(&[][..], Vec::as_slice);
        let is_replayed = replayed.contains(&((*service).to_owned(), (*case).to_owned()));
        let range = groups.get(i).cloned().unwrap_or(0..0);
        let mine = findings.get(range.clone()).unwrap_or_default();
        let mut keys: Vec<FindingKey> = mine.iter().map(FindingKey::of).collect();
        let taken = taken(rows, is_replayed);
        identity::number(&mut keys, &|k| taken.get(&strip(k)).copied().unwrap_or(0));
        let held_ids: HashMap<FindingKey, i64> = rows
            .iter()
            .map(|r| (row_key(service, case, r), r.id))
            .collect();
        let mut matched = FxHashSet::default();
        for (j, (f, k)) in mine.iter().zip(&keys).enumerate() {
            if let Some(id) = held_ids.get(k) {
                matched.insert(*id);
                if let Some(s) = statuses.get_mut(range.start + j) {
                    *s = Status::Open;
                }
            }
            upsert.put(k, f, j, range.start)?;
        }
        if is_replayed {
            for r in rows.iter().filter(|r| !matched.contains(&r.id)) {
                resolved.push(upsert.resolve(r)?);
            }
        }
    }
    drop(upsert);
    let (carried, rule_sets) = carried(store, run, findings.len())?;
    let mut violations = findings;
    statuses.extend(std::iter::repeat_n(Status::Open, carried.len()));
    violations.extend(carried);
    Ok(Settled {
        violations,
        since: Since {
            statuses,
            resolved,
            ..Since::default()
        },
        rule_sets,
    })
}

/// The key with its occurrence set to 0, to look up how many are taken.
fn strip(k: &FindingKey) -> FindingKey {
    FindingKey {
        nth: 0,
        ..k.clone()
    }
}

fn row_key(service: &str, case: &str, r: &FindingRow) -> FindingKey {
    FindingKey {
        service: service.to_owned(),
        case: case.to_owned(),
        kind: r.kind.clone(),
        subject: r.subject.clone(),
        cite: r.cite.clone(),
        nth: r.nth,
    }
}

/// For a case not replayed tonight, the occurrences its findings already take (a late
/// event's finding is numbered after them); a replayed case is numbered from 1 again.
fn taken(rows: &[FindingRow], is_replayed: bool) -> HashMap<FindingKey, i64> {
    let mut taken = HashMap::new();
    if !is_replayed {
        for r in rows {
            let k = strip(&row_key("", "", r));
            let n = taken.entry(k).or_insert(0);
            *n = r.nth.max(*n);
        }
    }
    taken
}

/// The findings of cases not replayed tonight, with their `caused_by` made indices of the
/// report's list again (they come after tonight's `offset` findings), and the rule sets
/// they cite.
fn carried(
    store: &Store,
    run: i64,
    offset: usize,
) -> Result<(Vec<Finding>, BTreeSet<String>), StateError> {
    let rows = store.carried_findings(run)?;
    let mut out: Vec<Finding> = Vec::with_capacity(rows.len());
    let mut rule_sets = BTreeSet::new();
    let mut case: Option<(String, String)> = None;
    let mut base = 0;
    for (service, case_id, body) in rows {
        if case.as_ref() != Some(&(service.clone(), case_id.clone())) {
            base = offset + out.len();
            case = Some((service, case_id));
        }
        let f = stored::from_json(&body, base).map_err(|detail| StateError::Invalid {
            path: store.path.clone(),
            detail,
        })?;
        if let Some(r) = &f.rule_set {
            rule_sets.insert(r.to_string());
        }
        out.push(f);
    }
    Ok((out, rule_sets))
}

/// The statements that record findings, prepared once for the run.
struct Upsert<'s> {
    put: rusqlite::Statement<'s>,
    resolve: rusqlite::Statement<'s>,
    path: &'s str,
    run: i64,
    hashes: &'s BTreeMap<String, String>,
    err: &'s Store,
}

impl<'s> Upsert<'s> {
    fn new(
        store: &'s Store,
        run: i64,
        hashes: &'s BTreeMap<String, String>,
    ) -> Result<Self, StateError> {
        // A finding found again keeps its first run and the hash of the rule set it was
        // first made under; one that had been resolved and is back counts as new.
        let put = store
            .conn
            .prepare(
                "INSERT INTO findings (service, case_id, kind, subject, ref, nth, provider, rule_set,
                     rule_set_hash, pos, body, first_run, last_run, resolved_run)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, NULL)
                 ON CONFLICT (service, case_id, kind, subject, ref, nth) DO UPDATE SET
                     provider = excluded.provider, rule_set = excluded.rule_set,
                     rule_set_hash = CASE WHEN findings.resolved_run IS NULL
                         THEN findings.rule_set_hash ELSE excluded.rule_set_hash END,
                     first_run = CASE WHEN findings.resolved_run IS NULL
                         THEN findings.first_run ELSE excluded.first_run END,
                     pos = excluded.pos, body = excluded.body,
                     last_run = excluded.last_run, resolved_run = NULL",
            )
            .map_err(store.err("record the findings"))?;
        let resolve = store
            .conn
            .prepare("UPDATE findings SET resolved_run = ?2 WHERE id = ?1")
            .map_err(store.err("record the findings"))?;
        Ok(Upsert {
            put,
            resolve,
            path: &store.path,
            run,
            hashes,
            err: store,
        })
    }

    /// Records finding `f`, the `pos`-th of its case, whose first finding is `base`-th in
    /// the run's list.
    fn put(
        &mut self,
        k: &FindingKey,
        f: &Finding,
        pos: usize,
        base: usize,
    ) -> Result<(), StateError> {
        let hash = f
            .rule_set
            .as_ref()
            .and_then(|r| self.hashes.get(r.as_str()));
        self.put
            .execute(params![
                k.service,
                k.case,
                k.kind,
                k.subject,
                k.cite,
                k.nth,
                f.provider.as_deref(),
                f.rule_set.as_deref(),
                hash,
                pos as i64,
                stored::to_json(f, base),
                self.run,
            ])
            .map_err(self.err.err("record the findings"))?;
        Ok(())
    }

    /// Marks a held finding resolved by this run, and gives it back for the report (with
    /// no `caused_by`: it is not in the report's list of violations).
    fn resolve(&mut self, r: &FindingRow) -> Result<Finding, StateError> {
        self.resolve
            .execute(params![r.id, self.run])
            .map_err(self.err.err("record the findings"))?;
        let f = stored::from_json(&r.body, 0).map_err(|detail| StateError::Invalid {
            path: self.path.to_owned(),
            detail,
        })?;
        Ok(Finding {
            caused_by: None,
            ..f
        })
    }
}
