//! Timestamps: events on working days inside office hours in the region's zone, each
//! step within its limits (or, for an injected lateness, past one of them).
//!
//! Whether a time meets a limit is decided by the engine's [`Clock`], the one
//! implementation of the law's counting (working days on the Kazakhstan calendar,
//! calendar days moved off days off, office hours without breaks).

use super::plan::{Gap, Planned};
use crate::calendar::Calendar;
use crate::engine::limits::Clock;
use crate::rules::compiled::{ClockStart, Compiled, ElapsedRule, LimitRule, StepIx};
use crate::rules::model::Unit;
use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};

const MINUTE: i64 = 60_000;

/// When events may be written: the office hours the rule set counts by, or a working
/// day of 09:00-18:00 with lunch 13:00-14:00 when it counts the wall clock.
pub struct Timer<'a> {
    pub set: &'a Compiled,
    pub clock: Clock<'a>,
    pub calendar: &'a Calendar,
    open: Vec<(u32, u32)>,
    office: bool,
}

fn elapsed_ms(l: &LimitRule) -> Option<i64> {
    let unit = match l.unit {
        Unit::Seconds => 1_000,
        Unit::Minutes => MINUTE,
        Unit::Hours => 60 * MINUTE,
        Unit::WorkingDays | Unit::CalendarDays => return None,
    };
    Some(i64::from(l.value) * unit)
}

impl<'a> Timer<'a> {
    pub fn new(set: &'a Compiled, calendar: &'a Calendar) -> Timer<'a> {
        let (open, office) = match &set.elapsed {
            ElapsedRule::OfficeHours { open } => (open.clone(), true),
            ElapsedRule::WallClock => (vec![(9 * 3600, 13 * 3600), (14 * 3600, 18 * 3600)], false),
        };
        Timer {
            set,
            clock: Clock {
                tz: set.tz,
                calendar,
                elapsed: &set.elapsed,
            },
            calendar,
            open,
            office,
        }
    }

    /// A local date and time of day (seconds) as UTC milliseconds.
    pub fn at(&self, date: NaiveDate, secs: u32) -> i64 {
        let t = date.and_time(NaiveTime::MIN) + chrono::Duration::seconds(i64::from(secs));
        self.set
            .tz
            .from_local_datetime(&t)
            .earliest()
            .map_or(i64::MAX / 4, |t| t.timestamp_millis())
    }

    fn is_working(&self, d: NaiveDate) -> bool {
        self.calendar
            .is_working_day(d)
            .unwrap_or(d.weekday().num_days_from_monday() < 5)
    }

    /// The first working day on or after `d`.
    pub fn working_on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        for _ in 0..60 {
            if self.is_working(d) {
                break;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// The first instant at or after `ms` inside office hours of a working day.
    pub fn snap(&self, ms: i64) -> i64 {
        let mut d = self.clock.local_date(ms);
        for _ in 0..60 {
            if self.is_working(d) {
                for &(a, b) in &self.open {
                    let (a, b) = (self.at(d, a), self.at(d, b));
                    if ms < b {
                        return ms.max(a);
                    }
                }
            }
            d = d.succ_opt().unwrap_or(d);
        }
        ms
    }

    /// A random instant inside office hours of `d`, after `after`; `None` if the day
    /// has no office time left.
    pub fn random_in_day(&self, d: NaiveDate, after: i64, rng: &mut fastrand::Rng) -> Option<i64> {
        let spans: Vec<(i64, i64)> = self
            .open
            .iter()
            .map(|&(a, b)| (self.at(d, a).max(after + 1_000), self.at(d, b)))
            .filter(|(a, b)| b > a)
            .collect();
        let total: i64 = spans.iter().map(|(a, b)| b - a).sum();
        if total <= 0 {
            return None;
        }
        let mut x = rng.i64(0..total);
        for (a, b) in spans {
            if x < b - a {
                // Whole minutes, as providers' systems write them.
                return Some(((a + x) / MINUTE * MINUTE).max(a));
            }
            x -= b - a;
        }
        None
    }

    /// A time `k` working days after the local date of `base`, in office hours and after
    /// `base`; the next working day when `base`'s day has no office time left.
    fn days_after(&self, base: i64, k: u32, rng: &mut fastrand::Rng) -> i64 {
        let from = self.clock.local_date(base);
        let d = self
            .calendar
            .add_working_days(from, k)
            .unwrap_or(from + chrono::Days::new(u64::from(k)));
        let d = if k == 0 {
            self.working_on_or_after(d)
        } else {
            d
        };
        self.random_in_day(d, base, rng)
            .or_else(|| {
                let next = self.calendar.add_working_days(d, 1).ok()?;
                self.random_in_day(next, base, rng)
            })
            .unwrap_or(base + 10 * MINUTE)
    }

    /// A time for a step that keeps its limits: a share (scaled by `scale`) of the
    /// tightest one, after `base`.
    fn in_time(&self, s: StepIx, base: i64, scale: f64, rng: &mut fastrand::Rng) -> i64 {
        let rule = &self.set.steps[usize::from(s)];
        let own = |l: &&LimitRule| l.start != ClockStart::OwnStart;
        let elapsed = rule.limits.iter().filter(own).filter_map(elapsed_ms).min();
        let days = rule
            .limits
            .iter()
            .filter(own)
            .filter(|l| elapsed_ms(l).is_none())
            .map(|l| l.value)
            .min();
        let share = 0.02 + rng.f64() * 0.55 * scale;
        if let Some(a) = elapsed {
            let t = base + ((a as f64 * share) as i64).max(1_000);
            return if self.office { self.snap(t) } else { t };
        }
        let k = match days {
            Some(n) => rng.u32(0..=((f64::from(n) * 0.6 * scale) as u32).min(n)),
            None => rng.u32(0..=((2.0 * scale) as u32)),
        };
        self.days_after(base, k, rng)
    }

    /// A time past the deadline of `lim` counted from `start`, and after `after`.
    pub fn late(
        &self,
        lim: &LimitRule,
        start: i64,
        after: i64,
        rng: &mut fastrand::Rng,
    ) -> Option<i64> {
        let mut t = match elapsed_ms(lim) {
            Some(a) => {
                let t = start + a + (a as f64 * (0.1 + rng.f64())) as i64 + 1_000;
                if self.office { self.snap(t) } else { t }
            }
            None => {
                let d = self
                    .clock
                    .day_deadline(lim, self.clock.local_date(start))
                    .ok()?;
                let d = self.calendar.add_working_days(d, rng.u32(1..=3)).ok()?;
                self.random_in_day(d, after, rng)?
            }
        }
        .max(after + MINUTE);
        for _ in 0..50 {
            if matches!(self.clock.check(lim, start, t), Ok(Some(_))) {
                return Some(t);
            }
            let step = elapsed_ms(lim).map_or(86_400_000, |a| a / 2 + MINUTE);
            t = self.snap(t + step);
        }
        None
    }

    /// Whether an event at `at` keeps every limit of its step, as the engine starts them.
    fn keeps(&self, ev: &Planned, last_at: &[Option<i64>], prev_at: Option<i64>) -> bool {
        let Some(s) = ev.step else { return true };
        self.set.steps[usize::from(s)].limits.iter().all(|lim| {
            let start = match lim.start {
                ClockStart::AfterStep(f) => last_at[usize::from(f)],
                ClockStart::OwnStart => ev.started,
                ClockStart::PreviousEvent if ev.started.is_some() => ev.started,
                ClockStart::PreviousEvent => prev_at,
            };
            start.is_none_or(|st| matches!(self.clock.check(lim, st, ev.at), Ok(None)))
        })
    }

    /// Sets the time of every event, the first at `first`. `scale` shrinks the share of
    /// each limit a step takes (retries use smaller ones). `None`: an injected lateness
    /// could not be placed.
    pub fn place(
        &self,
        events: &mut [Planned],
        first: i64,
        scale: f64,
        rng: &mut fastrand::Rng,
    ) -> Option<()> {
        let mut last_at: Vec<Option<i64>> = vec![None; self.set.steps.len()];
        let mut prev_at: Option<i64> = None;
        let mut last = first - MINUTE;
        let mut ended = false;
        for i in 0..events.len() {
            let base = prev_at.unwrap_or(first);
            let ev = &events[i];
            let at = match ev.gap {
                _ if i == 0 => first,
                Gap::Short => self.snap(last + rng.i64(2..=15) * MINUTE),
                Gap::BeyondCalendar => {
                    let (_, to) = self.calendar.range();
                    let d = to + chrono::Days::new(rng.u64(2..40));
                    self.at(d, 11 * 3600)
                }
                Gap::LateStep(l) => {
                    let s = ev.step?;
                    let lim = self.set.steps[usize::from(s)].limits.get(l)?;
                    let start = match lim.start {
                        ClockStart::AfterStep(f) => last_at[usize::from(f)]?,
                        ClockStart::PreviousEvent | ClockStart::OwnStart => base,
                    };
                    if lim.start == ClockStart::OwnStart {
                        // A desk time runs late by an early start, not by a late event.
                        self.fit(&events[i], base, last, &last_at, scale, rng)
                    } else {
                        self.late(lim, start, last, rng)?
                    }
                }
                Gap::LateTerm(t, l) => {
                    let term = self.set.terms.get(t)?;
                    let start = events[..i].iter().find(|e| e.step == Some(term.from))?.at;
                    self.late(term.limits.get(l)?, start, last, rng)?
                }
                Gap::InTime => self.fit(&events[i], base, last, &last_at, scale, rng),
            }
            .max(last + 1_000);
            // Whole seconds, as providers' systems write them: a late time rounds up,
            // any other down (never before the previous event).
            let at = match ev.gap {
                Gap::LateStep(_) | Gap::LateTerm(..) => (at + 999).div_euclid(1_000) * 1_000,
                _ => (at.div_euclid(1_000) * 1_000).max(last + 1_000),
            };
            let ev = &mut events[i];
            ev.at = at;
            ev.started = self.started(ev, prev_at.unwrap_or(i64::MIN), rng);
            last = at;
            if let Some(s) = ev.step
                && !ended
            {
                last_at[usize::from(s)] = Some(at);
                prev_at = Some(at);
                ended = self.set.steps[usize::from(s)].end.is_some();
            }
        }
        Some(())
    }

    /// An in-time event: tries shrinking shares until every limit holds.
    fn fit(
        &self,
        ev: &Planned,
        base: i64,
        last: i64,
        last_at: &[Option<i64>],
        scale: f64,
        rng: &mut fastrand::Rng,
    ) -> i64 {
        let Some(s) = ev.step else {
            return self.snap(last + 5 * MINUTE);
        };
        let mut probe = ev.clone();
        let mut scale = scale;
        for _ in 0..8 {
            probe.at = self.in_time(s, base, scale, rng).max(last + 1_000);
            probe.started = None;
            if self.keeps(&probe, last_at, Some(base)) {
                return probe.at;
            }
            scale /= 2.0;
        }
        last + MINUTE
    }

    /// The start of a step with a desk time (measured from the event's own start): a
    /// share of the desk time before the event, never before the previous event. A late
    /// desk time starts well before.
    fn started(&self, ev: &Planned, base: i64, rng: &mut fastrand::Rng) -> Option<i64> {
        let s = ev.step?;
        let rule = &self.set.steps[usize::from(s)];
        if let Gap::LateStep(l) = ev.gap {
            let lim = rule.limits.get(l)?;
            if lim.start != ClockStart::OwnStart {
                return None;
            }
            let a = elapsed_ms(lim).unwrap_or(86_400_000);
            let early = ev.at - a - (a as f64 * (0.2 + rng.f64())) as i64 - MINUTE;
            return Some(early.div_euclid(1_000) * 1_000);
        }
        let a = rule
            .limits
            .iter()
            .filter(|l| l.start == ClockStart::OwnStart)
            .filter_map(elapsed_ms)
            .min()?;
        let took = ((a as f64) * (0.2 + 0.7 * rng.f64())) as i64;
        Some(((ev.at - took).max(base.min(ev.at)) + 999).div_euclid(1_000) * 1_000)
    }
}
