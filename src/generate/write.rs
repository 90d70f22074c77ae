//! Writing a generated log merged in time order across cases, and its truth file.

use super::Generated;
use super::plan::{Planned, UNKNOWN_STEP};
use super::timing::Timer;
use crate::rules::compiled::Compiled;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// One line of the truth file: a finding the engine must report, the fault that causes
/// it and the limit or ground involved; or, with `note`, why a rule set could not be
/// generated cleanly.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TruthRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    pub service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The injected fault (a stable code); `none` for a clean case the rule set would
    /// not let be clean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// The limit this finding is about (`{value, unit}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<crate::engine::Amount>,
    /// What the fault targeted: the limit run late, or the ground cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub cases: u64,
    pub events: u64,
    pub faulty_cases: u64,
    /// Findings the truth file lists.
    pub findings: u64,
    pub notes: u64,
}

/// Cases collected before the merge: every event line in one buffer, with its time.
#[derive(Default)]
pub struct Writer {
    text: String,
    /// (time, case number, start, end) of every event line in `text`.
    index: Vec<(i64, u32, usize, usize)>,
    truth: Vec<TruthRow>,
    summary: Summary,
}

/// A JSON string literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl Writer {
    pub fn note(&mut self, service: &str, note: &str) {
        self.summary.notes += 1;
        self.truth.push(TruthRow {
            case: None,
            service: service.to_string(),
            kind: None,
            step: None,
            fault: None,
            term: None,
            limit: None,
            target: None,
            note: Some(note.to_string()),
        });
    }

    pub fn add(&mut self, set: &Compiled, timer: &Timer, c: Generated) {
        let seq = u32::try_from(self.summary.cases).unwrap_or(u32::MAX);
        self.summary.cases += 1;
        self.summary.faulty_cases += u64::from(c.fault.is_some());
        let d = &c.draft;
        let head = format!(r#"{{"case":{},"service":{}"#, lit(&d.id), lit(&d.service));
        let tail = {
            let mut t = String::new();
            if let Some(ch) = &d.channel {
                let _ = write!(t, r#","channel":{}"#, lit(ch));
            }
            if let Some(v) = &d.variant {
                let _ = write!(t, r#","variant":{}"#, lit(v));
            }
            let _ = write!(t, r#","provider":{}"#, lit(&d.provider));
            t
        };
        for ev in &d.events {
            self.event(set, timer, seq, &head, &tail, ev);
        }
        for x in c.expect {
            self.summary.findings += 1;
            self.truth.push(TruthRow {
                case: Some(d.id.clone()),
                service: d.service.clone(),
                kind: Some(x.kind.as_str()),
                step: Some(x.step),
                fault: Some(c.fault.map_or("none", |f| f.code())),
                term: x.term,
                limit: x.limit,
                target: c.target.clone(),
                note: c.note.clone(),
            });
        }
        if c.note.is_some() {
            self.summary.notes += 1;
        }
    }

    fn event(
        &mut self,
        set: &Compiled,
        timer: &Timer,
        seq: u32,
        head: &str,
        tail: &str,
        ev: &Planned,
    ) {
        let start = self.text.len();
        let step = ev
            .step
            .map_or(UNKNOWN_STEP, |s| set.steps[usize::from(s)].id.as_str());
        let at = timer.clock.local(ev.at).to_rfc3339();
        let _ = write!(
            self.text,
            r#"{head},"step":{},"at":"{at}"{tail}"#,
            lit(step)
        );
        if let Some(g) = &ev.ground {
            let _ = write!(self.text, r#","ground":{}"#, lit(g));
        }
        if let Some(st) = ev.started {
            let _ = write!(
                self.text,
                r#","started":"{}""#,
                timer.clock.local(st).to_rfc3339()
            );
        }
        self.text.push_str("}\n");
        self.summary.events += 1;
        self.index.push((ev.at, seq, start, self.text.len()));
    }

    /// Writes the events merged by time (ties in case order, then event order) and the
    /// truth in case order.
    pub fn finish(
        mut self,
        log: &mut dyn Write,
        truth: Option<&mut dyn Write>,
    ) -> std::io::Result<Summary> {
        self.index
            .sort_by_key(|&(at, seq, start, _)| (at, seq, start));
        for &(_, _, a, b) in &self.index {
            if let Some(line) = self.text.get(a..b) {
                log.write_all(line.as_bytes())?;
            }
        }
        if let Some(t) = truth {
            for row in &self.truth {
                serde_json::to_writer(&mut *t, row)?;
                t.write_all(b"\n")?;
            }
        }
        Ok(self.summary)
    }
}
