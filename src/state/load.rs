//! Reading what earlier runs left: the last run, the open cases' events, the records of
//! the ended cases tonight's events belong to, and the findings of a case.

use super::{StateError, Store};
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;

/// An event of a case still open after the last run, by name.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub service: String,
    pub case: String,
    pub step: String,
    pub channel: Option<String>,
    pub variant: Option<String>,
    pub ground: Option<String>,
    pub provider: Option<String>,
    pub at: i64,
    pub started: Option<i64>,
    /// The file it was read from, by an earlier run, and its line there.
    pub file: String,
    pub line: u64,
}

fn row_event(r: &rusqlite::Row) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        service: r.get(0)?,
        case: r.get(1)?,
        step: r.get(2)?,
        channel: r.get(3)?,
        variant: r.get(4)?,
        ground: r.get(5)?,
        provider: r.get(6)?,
        at: r.get(7)?,
        started: r.get(8)?,
        file: r.get(9)?,
        line: r.get::<_, i64>(10).map(|l| u64::try_from(l).unwrap_or(0))?,
    })
}

/// A case by name: its service and its case id.
pub type CaseName = (String, String);

/// What is kept of a case that ended for good in an earlier run.
#[derive(Debug, Clone)]
pub struct EndedRow {
    pub provider: Option<String>,
    pub rule_set: String,
    pub end_step: String,
    /// The time of its end event: an event of it at or before this time was already read.
    pub end_at: i64,
    pub violated: bool,
}

/// A finding not resolved, as stored.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub cite: String,
    pub nth: i64,
    pub body: String,
}

impl Store {
    /// The last run: its number and `--as-of` as the report showed it.
    pub fn previous_run(&self) -> Result<Option<(i64, String)>, StateError> {
        self.conn
            .query_row(
                "SELECT run, as_of FROM runs ORDER BY run DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err("read the last run"))
    }

    /// The hash of each rule set the run `run` used.
    pub fn rule_set_hashes(&self, run: i64) -> Result<BTreeMap<String, String>, StateError> {
        let mut st = (self.conn)
            .prepare("SELECT rule_set, sha256 FROM run_rule_sets WHERE run = ?1")
            .map_err(self.err("read the rule sets"))?;
        let rows = st
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err("read the rule sets"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.err("read the rule sets"))
    }

    /// The events of the open cases a run replays: those tonight's events belong to
    /// (`keys`), and those whose result may have changed by `as_of` without a new event
    /// (`cases.recheck_at`); case by case, each case's in its order.
    pub fn open_events<'k>(
        &self,
        keys: impl Iterator<Item = (&'k str, &'k str)>,
        as_of: i64,
    ) -> Result<Vec<StoredEvent>, StateError> {
        let step = "read the open cases";
        const COLUMNS: &str = "e.service, e.case_id, e.step, e.channel, e.variant, e.ground, e.provider, e.at, e.started, e.file, e.line";
        let mut due = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM cases c JOIN open_events e
                 ON e.service = c.service AND e.case_id = c.case_id
                 WHERE c.end_step IS NULL AND c.recheck_at <= ?1
                 ORDER BY e.service, e.case_id, e.seq"
            ))
            .map_err(self.err(step))?;
        let mut out: Vec<StoredEvent> = due
            .query_map([as_of], row_event)
            .and_then(Iterator::collect)
            .map_err(self.err(step))?;
        let taken: std::collections::HashSet<(String, String)> = out
            .iter()
            .map(|e| (e.service.clone(), e.case.clone()))
            .collect();
        let mut one = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM open_events e WHERE e.service = ?1 AND e.case_id = ?2 ORDER BY e.seq"
            ))
            .map_err(self.err(step))?;
        for (service, case) in keys {
            if taken.contains(&(service.to_owned(), case.to_owned())) {
                continue;
            }
            let rows: Vec<StoredEvent> = one
                .query_map(params![service, case], row_event)
                .and_then(Iterator::collect)
                .map_err(self.err(step))?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The record of each of these cases that ended for good in an earlier run.
    pub fn ended_rows<'k>(
        &self,
        keys: impl Iterator<Item = (&'k str, &'k str)>,
    ) -> Result<Vec<(CaseName, EndedRow)>, StateError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT provider, rule_set, end_step, end_at, violated FROM cases
                 WHERE service = ?1 AND case_id = ?2 AND end_step IS NOT NULL",
            )
            .map_err(self.err("read the ended cases"))?;
        let mut found = Vec::new();
        for (service, case) in keys {
            let row = st
                .query_row(params![service, case], |r| {
                    Ok(EndedRow {
                        provider: r.get(0)?,
                        rule_set: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        end_step: r.get(2)?,
                        end_at: r.get::<_, Option<i64>>(3)?.unwrap_or(i64::MIN),
                        violated: r.get(4)?,
                    })
                })
                .optional()
                .map_err(self.err("read the ended cases"))?;
            if let Some(row) = row {
                found.push(((service.to_owned(), case.to_owned()), row));
            }
        }
        Ok(found)
    }

    /// Which of these events after the end of an ended case were judged by an earlier run.
    pub fn late_seen(
        &self,
        events: &[(String, String, super::identity::EventId)],
    ) -> Result<Vec<bool>, StateError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT 1 FROM late_events WHERE service = ?1 AND case_id = ?2 AND identity = ?3",
            )
            .map_err(self.err("read the late events"))?;
        events
            .iter()
            .map(|(s, c, id)| {
                st.exists(params![s, c, id.as_slice()])
                    .map_err(self.err("read the late events"))
            })
            .collect()
    }

    /// The findings not resolved of each of these cases (service, case), in their order.
    pub fn case_findings(&self, keys: &[(&str, &str)]) -> Result<Vec<Vec<FindingRow>>, StateError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, kind, subject, ref, nth, body FROM findings
                 WHERE service = ?1 AND case_id = ?2 AND resolved_run IS NULL ORDER BY pos",
            )
            .map_err(self.err("read the findings"))?;
        let mut all = Vec::with_capacity(keys.len());
        for (service, case) in keys {
            let rows = st
                .query_map(params![service, case], |r| {
                    Ok(FindingRow {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        subject: r.get(2)?,
                        cite: r.get(3)?,
                        nth: r.get(4)?,
                        body: r.get(5)?,
                    })
                })
                .map_err(self.err("read the findings"))?;
            all.push(
                rows.collect::<Result<_, _>>()
                    .map_err(self.err("read the findings"))?,
            );
        }
        Ok(all)
    }

    /// The findings not resolved that this run did not report again (those of cases that
    /// ended in earlier runs), case by case, each case's in its order.
    pub fn carried_findings(&self, run: i64) -> Result<Vec<(String, String, String)>, StateError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT service, case_id, body FROM findings
                 WHERE resolved_run IS NULL AND last_run < ?1 ORDER BY service, case_id, pos",
            )
            .map_err(self.err("read the findings"))?;
        let rows = st
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err("read the findings"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.err("read the findings"))
    }
}
