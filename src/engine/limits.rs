//! Measuring a step or a term against its limit, as the law counts time.
//!
//! # Legal basis
//! - **Working days.** A limit of N working days that starts at an event is met when the
//!   closing event falls no later than the end of the N-th working day after the local
//!   date of the starting event: the starting day itself is not counted, as the Civil
//!   Code counts periods (a period starts on the day after the event that begins it).
//!   Working days are those of the Kazakhstan calendar ([`crate::calendar`]).
//! - **Calendar days.** N calendar days end at the end of the N-th day after the starting
//!   date; if that day is not a working day, the deadline moves to the next working day.
//! - **Seconds, minutes, hours** are elapsed time, counted as the rule set's `schedule`
//!   says: on the wall clock, or only inside office hours of working days.
//! - "The day" is always the local date in the region's time zone, never the UTC date.
//! - **A log that gives only the day** of an event (`01.08.2016`,
//!   [`Event::day_only`]) shows when the day began, not when the step was done: day
//!   counts are judged on that day, but elapsed time (seconds, minutes, hours) cannot be
//!   measured from it, so such limits are neither kept nor broken in that case
//!   ([`Case::lacks_time_of_day`]): measured from midnight, they would be a guess.

use super::case::Case;
use super::evidence::{Precision, measurable};
use super::finding::{Amount, Deadline, Number, Overdue};
use crate::calendar::{Calendar, OutOfRange};
use crate::log::{Event, NO_TIME};
use crate::rules::compiled::{ClockStart, ElapsedRule, LimitRule, StepIx};
use crate::rules::model::Unit;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// How long a deadline search may walk through days off before giving up.
const MAX_SEARCH_DAYS: u32 = 400;

/// Which instant a local time stands for when it occurs twice, because the region's
/// clocks were turned back (Almaty at 00:00 on 1 March 2024, from UTC+6 to UTC+5, so the
/// hour after 23:00 on 29 February ran twice).
///
/// # Legal basis
/// The regulations and the Civil Code count periods in local days and hours and say
/// nothing about a repeated hour. [`RepeatedHour::Earliest`], the default, reads such a
/// time as its first occurrence: an office day or a deadline starts when local clocks
/// first show its time, so no time is counted twice against the provider and no deadline
/// is moved later than the law's own words would put it. [`RepeatedHour::Refuse`] does
/// not guess: the time is treated as one that did not occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RepeatedHour {
    #[default]
    Earliest,
    Refuse,
}

impl RepeatedHour {
    /// The policy every rule set uses.
    pub const POLICY: RepeatedHour = RepeatedHour::Earliest;

    /// The instant of a local time under this policy; `None` for a local time that did not
    /// occur (skipped by clocks turned forward), or a repeated one under `Refuse`.
    pub fn pick<T: TimeZone>(self, t: chrono::LocalResult<DateTime<T>>) -> Option<DateTime<T>> {
        match self {
            RepeatedHour::Earliest => t.earliest(),
            RepeatedHour::Refuse => t.single(),
        }
    }
}

/// A limit that was exceeded: what was taken, and the last allowed moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overrun {
    pub actual: Amount,
    pub deadline: Deadline,
}

/// Time arithmetic of one rule set: its zone, its schedule, the calendar.
pub struct Clock<'a> {
    pub tz: Tz,
    pub calendar: &'a Calendar,
    pub elapsed: &'a ElapsedRule,
}

fn unit_ms(unit: Unit) -> i64 {
    match unit {
        Unit::Seconds => 1_000,
        Unit::Minutes => 60_000,
        Unit::Hours => 3_600_000,
        Unit::WorkingDays | Unit::CalendarDays => 86_400_000,
    }
}

impl Clock<'_> {
    /// The local date of an instant in the region.
    #[inline]
    pub fn local_date(&self, ms: i64) -> NaiveDate {
        self.local(ms).date_naive()
    }

    /// An instant as local time in the region, with its offset.
    pub fn local(&self, ms: i64) -> DateTime<FixedOffset> {
        local_time(self.tz, ms)
    }

    /// Checks the span `start..end` (UTC milliseconds) against `limit`. `Ok(None)`: the
    /// limit was met; otherwise what was taken and the last allowed moment.
    ///
    /// # Legal basis
    /// See the module: the starting day is not counted, the deadline day counts to its
    /// end, and the day is the region's local day.
    ///
    /// # Edge cases
    /// One working day from Friday 18 March 2016 in Almaty runs over the weekend and the
    /// three days of Nauryz (21-23 March) and ends with Thursday 24 March:
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone};
    /// use reglament::calendar::Calendar;
    /// use reglament::engine::{limits::Clock, Deadline};
    /// use reglament::rules::compiled::{ClockStart, ElapsedRule, LimitRule};
    /// use reglament::rules::model::{Severity, Unit};
    ///
    /// let calendar = Calendar::kazakhstan().unwrap();
    /// let tz = chrono_tz::Asia::Almaty;
    /// let clock = Clock { tz, calendar: &calendar, elapsed: &ElapsedRule::WallClock };
    /// let one_day = LimitRule {
    ///     value: 1, unit: Unit::WorkingDays, severity: Severity::Hard, cite: "9".into(),
    ///     start: ClockStart::PreviousEvent, inferred: false, quote: None,
    /// };
    /// let at = |d: u32, h: u32| tz.with_ymd_and_hms(2016, 3, d, h, 0, 0).unwrap().timestamp_millis();
    ///
    /// // Thursday 24 March, late in the evening: still in time.
    /// assert_eq!(clock.check(&one_day, at(18, 17), at(24, 23)).unwrap(), None);
    /// // Friday 25 March: late, by 2 working days against 1.
    /// let over = clock.check(&one_day, at(18, 17), at(25, 9)).unwrap().unwrap();
    /// assert_eq!(over.deadline, Deadline::EndOfDay(NaiveDate::from_ymd_opt(2016, 3, 24).unwrap()));
    /// assert_eq!(over.actual.to_string(), "2 working days");
    /// ```
    pub fn check(
        &self,
        limit: &LimitRule,
        start: i64,
        end: i64,
    ) -> Result<Option<Overrun>, OutOfRange> {
        let n = i64::from(limit.value);
        match limit.unit {
            Unit::WorkingDays | Unit::CalendarDays => {
                let (from, to) = (self.local_date(start), self.local_date(end));
                // N working days, or N calendar days moved to a working day, never end
                // before the N-th calendar day: most spans are settled without the calendar.
                if to
                    <= from
                        .checked_add_days(Days::new(u64::from(limit.value)))
                        .unwrap_or(NaiveDate::MAX)
                {
                    return Ok(None);
                }
                let deadline = self.day_deadline(limit, from)?;
                if to <= deadline {
                    return Ok(None);
                }
                let actual = match limit.unit {
                    Unit::WorkingDays => self.calendar.working_days_between(from, to)?,
                    _ => (to - from).num_days(),
                };
                Ok(Some(Overrun {
                    actual: Amount::whole(actual, limit.unit),
                    deadline: Deadline::EndOfDay(deadline),
                }))
            }
            Unit::Seconds | Unit::Minutes | Unit::Hours => {
                let allowed = n.saturating_mul(unit_ms(limit.unit));
                let wall = end.saturating_sub(start);
                // Office time never exceeds wall-clock time.
                if wall <= allowed {
                    return Ok(None);
                }
                let (taken, deadline) = match self.elapsed {
                    ElapsedRule::WallClock => (wall, start.saturating_add(allowed)),
                    ElapsedRule::OfficeHours { open } => {
                        let taken = self.office_ms(open, start, end)?;
                        if taken <= allowed {
                            return Ok(None);
                        }
                        (taken, self.office_deadline(open, start, allowed)?)
                    }
                };
                Ok(Some(Overrun {
                    actual: elapsed_amount(taken, limit.unit),
                    deadline: Deadline::Instant(self.local(deadline)),
                }))
            }
        }
    }

    /// The last moment `limit` allows when its clock starts at `start` (UTC ms).
    pub fn deadline(&self, limit: &LimitRule, start: i64) -> Result<Deadline, OutOfRange> {
        match limit.unit {
            Unit::WorkingDays | Unit::CalendarDays => Ok(Deadline::EndOfDay(
                self.day_deadline(limit, self.local_date(start))?,
            )),
            Unit::Seconds | Unit::Minutes | Unit::Hours => {
                let allowed = i64::from(limit.value).saturating_mul(unit_ms(limit.unit));
                let at = match self.elapsed {
                    ElapsedRule::WallClock => start.saturating_add(allowed),
                    ElapsedRule::OfficeHours { open } => {
                        self.office_deadline(open, start, allowed)?
                    }
                };
                Ok(Deadline::Instant(self.local(at)))
            }
        }
    }

    /// The last day a day-counted limit allows, starting from the local date `from`.
    pub fn day_deadline(
        &self,
        limit: &LimitRule,
        from: NaiveDate,
    ) -> Result<NaiveDate, OutOfRange> {
        match limit.unit {
            Unit::WorkingDays => self.calendar.add_working_days(from, limit.value),
            _ => {
                let end = from
                    .checked_add_days(Days::new(u64::from(limit.value)))
                    .unwrap_or(NaiveDate::MAX);
                self.calendar.next_working_day_on_or_after(end)
            }
        }
    }

    /// Midnight at the start of a local date, as UTC milliseconds.
    fn at(&self, date: NaiveDate, secs: u32) -> i64 {
        let t = date.and_time(NaiveTime::MIN) + chrono::Duration::seconds(i64::from(secs));
        RepeatedHour::POLICY
            .pick(self.tz.from_local_datetime(&t))
            .map_or(i64::MAX, |t| t.timestamp_millis())
    }

    /// Office time between two instants: the overlap with the open intervals of every
    /// working day in between. The first and last days are measured as they were; the
    /// whole working days between them count their full office day each, from the
    /// calendar's constant-time count of working days, so a span of years costs what a
    /// span of days does (issue 8). A full office day is the sum of the open intervals in
    /// local time: the zones of the rule sets (Asia/Almaty, Asia/Oral) change their
    /// offset only at midnight, never inside office hours (a unit test compares this
    /// with the day-by-day count over random spans of the calendar's range).
    fn office_ms(&self, open: &[(u32, u32)], start: i64, end: i64) -> Result<i64, OutOfRange> {
        let (first, last) = (self.local_date(start), self.local_date(end));
        if first >= last {
            return self.office_ms_on(open, first, start, end);
        }
        let whole = self.calendar.working_days_between(first, last)?
            - i64::from(self.calendar.is_working_day(last)?);
        let day: i64 = open
            .iter()
            .map(|&(s, t)| i64::from(t.saturating_sub(s)) * 1_000)
            .sum();
        Ok(self.office_ms_on(open, first, start, end)?
            + whole.saturating_mul(day)
            + self.office_ms_on(open, last, start, end)?)
    }

    /// Office time of the local date `day` inside `start..end`.
    fn office_ms_on(
        &self,
        open: &[(u32, u32)],
        day: NaiveDate,
        start: i64,
        end: i64,
    ) -> Result<i64, OutOfRange> {
        if !self.calendar.is_working_day(day)? {
            return Ok(0);
        }
        Ok(open
            .iter()
            .map(|&(s, t)| (self.at(day, t).min(end) - self.at(day, s).max(start)).max(0))
            .sum())
    }

    /// Office time between two instants counted day by day: the definition
    /// [`Clock::office_ms`] is checked against.
    #[cfg(test)]
    fn office_ms_by_day(
        &self,
        open: &[(u32, u32)],
        start: i64,
        end: i64,
    ) -> Result<i64, OutOfRange> {
        let (mut day, last) = (self.local_date(start), self.local_date(end));
        let mut total = 0i64;
        while day <= last {
            total += self.office_ms_on(open, day, start, end)?;
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        Ok(total)
    }

    /// The instant at which `allowed` milliseconds of office time have passed since `start`.
    fn office_deadline(
        &self,
        open: &[(u32, u32)],
        start: i64,
        allowed: i64,
    ) -> Result<i64, OutOfRange> {
        let mut left = allowed;
        let mut day = self.local_date(start);
        for _ in 0..MAX_SEARCH_DAYS {
            if self.calendar.is_working_day(day)? {
                for &(s, t) in open {
                    let (a, b) = (self.at(day, s).max(start), self.at(day, t));
                    if b <= a {
                        continue;
                    }
                    if b - a >= left {
                        return Ok(a + left);
                    }
                    left -= b - a;
                }
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        let (from, to) = self.calendar.range();
        Err(OutOfRange {
            date: day,
            from,
            to,
        })
    }
}

/// Whether a limit in `unit` counts elapsed time, which needs the time of day.
fn is_elapsed(unit: Unit) -> bool {
    match unit {
        Unit::Seconds | Unit::Minutes | Unit::Hours => true,
        Unit::WorkingDays | Unit::CalendarDays => false,
    }
}

impl Case<'_, '_> {
    /// Whether `lim` is not measured in this case because the log does not give the time
    /// of day it needs: the limit counts seconds, minutes or hours, and some event of the
    /// case gives only its day ([`Event::day_only`]). Such a limit is never kept nor
    /// broken: every check (step limits, terms, open cases, due soon) skips it here.
    ///
    /// # Legal basis
    /// An elapsed time runs from one moment to another (the standards' para 4 times, e.g.
    /// «қызмет көрсетудің рұқсат етілетін ең ұзақ уақыты - 15 (он бес) минут», see
    /// shared notes on the standards); a log that says only "01.08.2016" does not say at
    /// which moment of that day the step was done, so the law's count cannot be made. Working and
    /// calendar days count whole days from the day after the event, which the day alone
    /// fixes, so they are judged as usual.
    pub(super) fn lacks_time_of_day(&self, lim: &LimitRule) -> bool {
        self.day_only && is_elapsed(lim.unit)
    }

    /// Checks every limit of step `s` at event `ev`, each from where its clock starts
    /// ([`ClockStart`]); a limit whose start the case does not record is not measured.
    /// `gap`: the `missing_step` found at this event, which an overrun counted from the
    /// previous event (across the gap) is caused by ([`causes`](super::causes)).
    ///
    /// A clock that starts at a step the log's recorders do not write is not measured:
    /// the step has no event (`from` it), or it came between the previous event and this
    /// one (from the previous event, without the event's own `started`), so its start is
    /// not in the log ([`crate::rules::recorder`]).
    pub(super) fn step_limits(&mut self, ev: &Event, s: StepIx, gap: Option<usize>) {
        let set = self.set;
        let rule = set.step(s);
        for (i, lim) in rule.limits.iter().enumerate() {
            // A case with a day-only time (issue 18) has no time of day for an elapsed
            // limit: not measured, and counted in the warning as such (issue 16).
            let precision = if self.day_only {
                Precision::DateOnly
            } else {
                Precision::Instant
            };
            if let Err(why) = measurable(lim, ev.started, precision) {
                self.unmeasured.push((self.set_ix(), s, i, why));
                continue;
            }
            let (start, across) = match lim.start {
                ClockStart::AfterStep(f) => (self.state.last_at(f), None),
                ClockStart::OwnStart => (ev.started, None),
                ClockStart::PreviousEvent if ev.started != NO_TIME => (ev.started, None),
                // The step before this one is not in the log: no start to count from.
                ClockStart::PreviousEvent if self.after_unrecorded => (NO_TIME, None),
                ClockStart::PreviousEvent => (self.state.prev_at, gap),
            };
            if start == NO_TIME || self.lacks_time_of_day(lim) {
                continue;
            }
            match self.clock.check(lim, start, ev.at) {
                Ok(None) => {}
                Ok(Some(over)) => {
                    self.overdue(ev, Overdue::Step(s), lim, over);
                    if let (Some(root), Some(f)) = (across, self.sink.last_mut()) {
                        f.caused_by = Some(root);
                    }
                }
                Err(e) => self.outside(ev, &rule.id, &lim.cite, e),
            }
        }
    }
}

/// An instant (UTC milliseconds) as local time in `tz`, with the offset then in force.
pub fn local_time(tz: Tz, ms: i64) -> DateTime<FixedOffset> {
    match tz.timestamp_millis_opt(ms).single() {
        Some(t) => t.fixed_offset(),
        None => DateTime::<chrono::Utc>::MIN_UTC.fixed_offset(),
    }
}

/// Elapsed milliseconds in the limit's unit: whole when exact, else to hundredths.
fn elapsed_amount(ms: i64, unit: Unit) -> Amount {
    let per = unit_ms(unit);
    let value = if ms % per == 0 {
        Number::Whole(ms / per)
    } else {
        Number::Decimal((ms as f64 / per as f64 * 100.0).round() / 100.0)
    };
    Amount { value, unit }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 09:00-13:00 and 14:30-18:30: the read-analog schedule of the rule sets.
    const OPEN: [(u32, u32); 2] = [(9 * 3600, 13 * 3600), (14 * 3600 + 1800, 18 * 3600 + 1800)];

    fn clock(tz: Tz, calendar: &Calendar) -> Clock<'_> {
        Clock {
            tz,
            calendar,
            elapsed: &ElapsedRule::WallClock,
        }
    }

    fn ms(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        tz.with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
            .timestamp_millis()
    }

    /// Issue 8: Almaty's offset changed at 00:00 on 1 March 2024 (UTC+6 to UTC+5); a
    /// span across it counts the same whole office days either way.
    #[test]
    fn office_time_across_the_2024_offset_change() {
        let cal = Calendar::kazakhstan().unwrap();
        let tz = chrono_tz::Asia::Almaty;
        let c = clock(tz, &cal);
        let (a, b) = (ms(tz, 2024, 2, 28, 17, 0), ms(tz, 2024, 3, 4, 10, 0));
        // Wed 28 Feb 17:00-18:30 (1.5 h), Thu 29 Feb and Fri 1 Mar (8 h each), Mon 4
        // Mar 09:00-10:00 (1 h).
        let want = (90 + 2 * 480 + 60) * 60_000;
        assert_eq!(c.office_ms(&OPEN, a, b).unwrap(), want);
        assert_eq!(c.office_ms_by_day(&OPEN, a, b).unwrap(), want);
    }

    /// The span of issue 8's slow case: ten years of office time in one step.
    #[test]
    fn office_time_over_ten_years() {
        let cal = Calendar::kazakhstan().unwrap();
        let tz = chrono_tz::Asia::Almaty;
        let c = clock(tz, &cal);
        let (a, b) = (ms(tz, 2016, 5, 11, 10, 0), ms(tz, 2026, 6, 1, 9, 0));
        let fast = c.office_ms(&OPEN, a, b).unwrap();
        assert_eq!(fast, c.office_ms_by_day(&OPEN, a, b).unwrap());
        // About 250 working days of 8 office hours a year.
        assert!(
            (2400 * 480 * 60_000..2560 * 480 * 60_000).contains(&fast),
            "{fast}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The whole-day count equals the day-by-day count over random spans of the
        /// calendar's range, in both zones of the rule sets.
        #[test]
        fn whole_day_count_equals_the_day_by_day_count(
            start_day in 0i64..5100,
            start_min in 0i64..1440,
            span_min in 0i64..(5 * 366 * 1440),
            oral in any::<bool>(),
        ) {
            let cal = Calendar::kazakhstan().unwrap();
            let tz = if oral { chrono_tz::Asia::Oral } else { chrono_tz::Asia::Almaty };
            let c = clock(tz, &cal);
            let base = ms(tz, 2013, 1, 2, 0, 0);
            let start = base + (start_day * 1440 + start_min) * 60_000;
            let end = start + span_min * 60_000;
            let slow = c.office_ms_by_day(&OPEN, start, end);
            let fast = c.office_ms(&OPEN, start, end);
            match (slow, fast) {
                (Ok(s), Ok(f)) => prop_assert_eq!(s, f),
                // Past the calendar's end both refuse.
                (Err(_), Err(_)) => {}
                (s, f) => prop_assert!(false, "slow {s:?}, fast {f:?}"),
            }
        }
    }
}
