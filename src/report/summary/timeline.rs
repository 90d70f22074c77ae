//! Timelines of violating cases: each case's events in local time, the deadlines its
//! findings name, and the non-working days in between, for a report to draw.

use super::{CaseFacts, Cases, as_of, late_until, overdue_days, utc};
use crate::calendar::Calendar;
use crate::engine::limits::local_time;
use crate::engine::{Deadline, Kind};
use crate::report::Report;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use std::collections::HashMap;

/// One violating case on a time axis: its events, the deadlines its findings name, and
/// the local days that were not working days.
#[derive(Debug, Clone)]
pub struct CaseTimeline {
    pub service: String,
    pub case: String,
    pub provider: Option<String>,
    pub events: Vec<(String, DateTime<FixedOffset>)>,
    pub marks: Vec<Mark>,
    /// Non-working local days between the first and the last instant drawn.
    pub days_off: Vec<NaiveDate>,
}

/// A finding on the time axis: its deadline and the event that came after it (the late
/// part), or, for a finding about order or grounds, only its event.
#[derive(Debug, Clone)]
pub struct Mark {
    pub kind: Kind,
    pub label: String,
    pub deadline: Option<DateTime<FixedOffset>>,
    pub at: Option<DateTime<FixedOffset>>,
}

/// Timelines of at most `max` cases with a finding: the most overdue days first, then
/// in report order.
pub fn timelines(
    report: &Report,
    cases: &Cases,
    calendar: &Calendar,
    max: usize,
) -> Vec<CaseTimeline> {
    let index: HashMap<(&str, &str), &CaseFacts> = cases
        .cases
        .iter()
        .map(|c| ((c.service.as_str(), c.case.as_str()), c))
        .collect();
    // Most overdue days first, then report order: the cases most worth a look.
    let judged = as_of(report);
    let mut seen: HashMap<(&str, &str), (usize, f64)> = HashMap::new();
    // A case that lost a record of its own is not ranked on findings that may stand on
    // the gap (issue 16): it is not drawn.
    for (i, f) in (report.violations.iter().enumerate()).filter(|(_, f)| !f.evidence_incomplete) {
        let e = seen
            .entry((f.service.as_str(), f.case.as_str()))
            .or_insert((i, 0.0));
        e.1 += overdue_days(f, judged);
    }
    type Key<'r> = (&'r str, &'r str);
    let mut order: Vec<(Key, (usize, f64))> = seen
        .into_iter()
        .filter(|(k, _)| index.contains_key(k))
        .collect();
    order.sort_by(|a, b| b.1.1.total_cmp(&a.1.1).then(a.1.0.cmp(&b.1.0)));
    order.truncate(max);
    let order = order.into_iter().map(|(k, _)| k);
    order
        .into_iter()
        .filter_map(|key| {
            index
                .get(&key)
                .map(|c| timeline(report, cases, c, calendar, judged))
        })
        .collect()
}

fn timeline(
    report: &Report,
    cases: &Cases,
    c: &CaseFacts,
    calendar: &Calendar,
    judged: Option<DateTime<FixedOffset>>,
) -> CaseTimeline {
    let findings = report
        .violations
        .iter()
        .filter(|f| f.service == c.service && f.case == c.case);
    let marks: Vec<Mark> = findings
        .map(|f| {
            let deadline = match f.deadline {
                Some(Deadline::Instant(t)) => Some(t),
                Some(Deadline::EndOfDay(d)) => end_of_day(d, c.tz),
                None => None,
            };
            Mark {
                kind: f.kind,
                label: f
                    .term
                    .clone()
                    .or_else(|| f.step.clone())
                    .unwrap_or_default(),
                deadline,
                at: late_until(f, judged),
            }
        })
        .collect();
    let at = |ms| c.tz.map_or_else(|| utc(ms), |tz| local_time(tz, ms));
    let events: Vec<(String, DateTime<FixedOffset>)> = c
        .events
        .iter()
        .map(|&(step, ms)| (cases.steps.name(step).to_string(), at(ms)))
        .collect();
    let instants = events.iter().map(|e| e.1);
    let instants = instants.chain(marks.iter().filter_map(|m| m.deadline));
    let instants = instants.chain(marks.iter().filter_map(|m| m.at));
    let lo = instants.clone().min();
    let hi = instants.max();
    let mut days_off = Vec::new();
    if let (Some(lo), Some(hi), Some(tz)) = (lo, hi, c.tz) {
        let (from, to) = (
            local_time(tz, lo.timestamp_millis()).date_naive(),
            local_time(tz, hi.timestamp_millis()).date_naive(),
        );
        // Shading is for reading a timeline; a span of years would shade nothing readable.
        if (to - from).num_days() <= 400 {
            let mut d = from;
            while d <= to {
                if calendar.is_working_day(d) == Ok(false) {
                    days_off.push(d);
                }
                d += Duration::days(1);
            }
        }
    }
    CaseTimeline {
        service: c.service.clone(),
        case: c.case.clone(),
        provider: c.provider.clone(),
        events,
        marks,
        days_off,
    }
}

/// The end of a local day (the start of the next), in the region's zone.
pub fn end_of_day(d: NaiveDate, tz: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    let next = d.succ_opt()?.and_hms_opt(0, 0, 0)?;
    match tz {
        Some(tz) => next
            .and_local_timezone(tz)
            .earliest()
            .map(|t| t.fixed_offset()),
        None => Some(next.and_utc().fixed_offset()),
    }
}
