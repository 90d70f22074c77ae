//! What each run on a state was (`reglament history`): when it ran (its `--as-of`: there
//! is no other clock), what it read, the rule sets and calendar it used, what it found,
//! and each provider's compliance rate as the run left the state.

use super::{StateError, Store};
use crate::report::since::RuleSetChange;
use crate::rules::Catalog;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` in lowercase hex: how every hash the state keeps is written.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The hash of each compiled rule set by id: the SHA-256 of the rule set as resolved from
/// its file (templates applied), so an edit that changes nothing it says changes nothing.
pub fn rule_set_hashes(catalog: &Catalog) -> BTreeMap<String, String> {
    (catalog.sets.iter())
        .map(|s| {
            let json = serde_json::to_vec(&s.rules).unwrap_or_default();
            (s.id().to_owned(), sha256_hex(&json))
        })
        .collect()
}

/// The calendar's version: the first 16 hex digits of the SHA-256 of its data file.
pub fn calendar_version() -> String {
    let mut h = sha256_hex(crate::calendar::KZ_JSON.as_bytes());
    h.truncate(16);
    h
}

/// How the rule sets of this run differ from those of the last one.
pub fn changed(
    before: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> BTreeMap<String, RuleSetChange> {
    let mut out = BTreeMap::new();
    for (id, hash) in now {
        match before.get(id) {
            None => {
                out.insert(id.clone(), RuleSetChange::Added);
            }
            Some(h) if h != hash => {
                out.insert(id.clone(), RuleSetChange::Changed);
            }
            Some(_) => {}
        }
    }
    for id in before.keys().filter(|id| !now.contains_key(*id)) {
        out.insert(id.clone(), RuleSetChange::Removed);
    }
    out
}

/// One run as `history` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    pub run: i64,
    pub as_of: String,
    pub calendar: String,
    pub reglament: String,
    pub lines: i64,
    pub events: i64,
    pub rejected: i64,
    pub duplicates: i64,
    pub cases: i64,
    pub open_cases: i64,
    pub new: i64,
    pub open: i64,
    pub resolved: i64,
    pub inputs: Vec<InputRow>,
    /// SHA-256 of each compiled rule set, by id.
    pub rule_sets: BTreeMap<String, String>,
    /// Rule sets that differ from the run before (added, changed, removed).
    pub rule_sets_changed: BTreeMap<String, RuleSetChange>,
    pub providers: Vec<ProviderRow>,
}

/// A file a run read.
#[derive(Debug, Clone, Serialize)]
pub struct InputRow {
    pub name: String,
    pub size: Option<i64>,
    pub sha256: Option<String>,
}

/// A provider's cases as a run left the state.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRow {
    pub provider: String,
    pub cases: i64,
    pub cases_with_findings: i64,
    /// Share of its cases with no finding open (0 to 1).
    pub compliance: Option<f64>,
}

impl Store {
    /// Every run, first to last.
    pub fn history(&self) -> Result<Vec<RunRow>, StateError> {
        let step = "read the runs";
        let mut st = self
            .conn
            .prepare(
                "SELECT run, as_of, calendar, reglament, lines, events, rejected, duplicates,
                     cases, open_cases, new, open, resolved FROM runs ORDER BY run",
            )
            .map_err(self.err(step))?;
        let rows = st
            .query_map([], |r| {
                Ok(RunRow {
                    run: r.get(0)?,
                    as_of: r.get(1)?,
                    calendar: r.get(2)?,
                    reglament: r.get(3)?,
                    lines: r.get(4)?,
                    events: r.get(5)?,
                    rejected: r.get(6)?,
                    duplicates: r.get(7)?,
                    cases: r.get(8)?,
                    open_cases: r.get(9)?,
                    new: r.get(10)?,
                    open: r.get(11)?,
                    resolved: r.get(12)?,
                    inputs: Vec::new(),
                    rule_sets: BTreeMap::new(),
                    rule_sets_changed: BTreeMap::new(),
                    providers: Vec::new(),
                })
            })
            .map_err(self.err(step))?;
        let mut runs: Vec<RunRow> = rows.collect::<Result<_, _>>().map_err(self.err(step))?;
        let mut inputs = self
            .conn
            .prepare("SELECT name, size, sha256 FROM run_inputs WHERE run = ?1 ORDER BY ix")
            .map_err(self.err(step))?;
        let mut providers = self
            .conn
            .prepare(
                "SELECT provider, cases, cases_with_findings, compliance FROM provider_compliance
                 WHERE run = ?1 ORDER BY provider",
            )
            .map_err(self.err(step))?;
        let mut before: Option<BTreeMap<String, String>> = None;
        for run in &mut runs {
            run.inputs = inputs
                .query_map([run.run], |r| {
                    Ok(InputRow {
                        name: r.get(0)?,
                        size: r.get(1)?,
                        sha256: r.get(2)?,
                    })
                })
                .and_then(Iterator::collect)
                .map_err(self.err(step))?;
            run.providers = providers
                .query_map([run.run], |r| {
                    Ok(ProviderRow {
                        provider: r.get(0)?,
                        cases: r.get(1)?,
                        cases_with_findings: r.get(2)?,
                        compliance: r.get(3)?,
                    })
                })
                .and_then(Iterator::collect)
                .map_err(self.err(step))?;
            run.rule_sets = self.rule_set_hashes(run.run)?;
            if let Some(b) = &before {
                run.rule_sets_changed = changed(b, &run.rule_sets);
            }
            before = Some(run.rule_sets.clone());
        }
        Ok(runs)
    }
}
