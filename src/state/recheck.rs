//! Which open cases a run must replay although no new event of theirs came: so that a
//! night costs about its own events and the cases they touch, not every case still open.
//!
//! An open case's findings change without a new event only through `--as-of`: a deadline
//! passes (`open_overdue`), the case comes within `--due-within` of its next deadline
//! (listed as due soon), or `--as-of` moves past the calendar's data (`outside_calendar`).
//! After each replay the state keeps, per open case, the earliest `--as-of` at which one
//! of these can happen (`cases.recheck_at`), counted conservatively:
//!
//! - a case with an `open_overdue` or `outside_calendar` finding: every run;
//! - a case whose next deadline falls on local day D: from D less `2 N + 14` calendar days
//!   (N = `--due-within`: N working days never span more), less one day for the zone;
//! - a case with no deadline running (its next step may come at any time) or whose
//!   deadline lies past the calendar's data: once `--as-of` reaches the calendar's last day.
//!
//! A run with a larger `--due-within` than the last lists a case as due soon only from its
//! next replay.

use crate::calendar::Calendar;
use crate::check::Options;
use crate::engine::replay::Scratch;
use crate::engine::{CaseStats, Deadline, Engine, Finding, Kind};
use crate::log::{Event, Log};
use crate::rules::Catalog;
use chrono::{Days, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};

/// 00:00 UTC of `day`, in milliseconds.
fn start(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis()
}

/// The `--as-of` from which each open case (by service and case) must be replayed again.
pub(super) fn recheck_at(
    catalog: &Catalog,
    calendar: &Calendar,
    log: &Log,
    options: &Options,
    open: &[Vec<Event>],
    findings: &[Finding],
) -> FxHashMap<(String, String), i64> {
    let mut out = FxHashMap::default();
    let Some(as_of) = options.as_of.as_ref() else {
        return out; // nothing judged at a moment: every case every run
    };
    let always: FxHashSet<(&str, &str)> = (findings.iter())
        .filter(|f| matches!(f.kind, Kind::OpenOverdue | Kind::OutsideCalendar))
        .map(|f| (f.service.as_str(), f.case.as_str()))
        .collect();
    // Each case's next deadline, however far: the due-soon list with no limit.
    let engine = Engine::new(catalog, calendar, log, Some(as_of.at)).with_due_within(u32::MAX);
    let (mut stats, mut scratch, mut found) =
        (CaseStats::default(), Scratch::default(), Vec::new());
    for events in open {
        found.clear();
        engine.replay_counted(events, &mut scratch, &mut stats, &mut found);
    }
    let next: FxHashMap<(&str, &str), NaiveDate> = (stats.due_soon.iter())
        .map(|d| {
            let day = match d.deadline {
                Deadline::EndOfDay(day) => day,
                Deadline::Instant(t) => t.date_naive(),
            };
            ((d.service.as_str(), d.case.as_str()), day)
        })
        .collect();
    let (_, last) = calendar.range();
    let past_calendar = start(last.checked_sub_days(Days::new(1)).unwrap_or(last));
    let window = Days::new(2 * u64::from(as_of.due_within) + 14 + 1);
    for events in open {
        let Some(first) = events.first() else {
            continue;
        };
        let service = log.names.services.name(first.service);
        let case = log.names.cases.name(first.case);
        let at = if always.contains(&(service, case)) {
            i64::MIN
        } else {
            match next.get(&(service, case)) {
                Some(day) => day.checked_sub_days(window).map_or(i64::MIN, start),
                None => past_calendar,
            }
        };
        out.insert((service.to_owned(), case.to_owned()), at);
    }
    out
}
