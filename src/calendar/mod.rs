//! The Kazakhstan working-day calendar: which dates are working days, and working-day
//! arithmetic on top of that answer.
//!
//! The calendar is data, not code. `rules/calendar/kz.json` (validated by
//! `rules/calendar/kz.schema.json`) holds the public-holiday rules with the years each was in
//! force, the yearly date of Kurban Ait and every day swap decreed by the Government or the
//! Ministry of Labour, each with its source. It is embedded in the binary and turned into a
//! table of days once, at start-up ([`Calendar::kazakhstan`]); after that every question is
//! a bounds check and an array lookup through [`bdays::HolidayCalendarCache`].
//!
//! Module map: `data.rs` is the file format and its checks, `rules.rs` expands holiday rules
//! and the weekend transfer into days, this file is the [`Calendar`] and the bdays adapter.
//! The `calendar`, `deadline` and `count` subcommands render it in `src/cli/calendar.rs`.
//!
//! # Legal basis
//!
//! - Days off: Saturday and Sunday of the five-day working week; public holidays of the Law
//!   of 13 December 2001 No. 267-II "On holidays in the Republic of Kazakhstan" (articles
//!   1-3); the first day of Kurban Ait and 7 January (Labour Code of 23 November 2015
//!   No. 414-V, article 84).
//! - A holiday on a Saturday or Sunday makes the next working day a day off (Law No. 267-II,
//!   article 5); not for the religious holidays.
//! - The Government (from 2023 the Ministry of Labour and Social Protection) may move days
//!   off to other days (Labour Code article 85 paragraph 3): a weekday becomes a day off and a
//!   Saturday or Sunday becomes a working day.
//! - Terms in working days are counted as the Civil Code counts terms (General Part,
//!   articles 187-189): counting starts on the day after the starting date, the last day
//!   counts, and a term ending on a day off ends on the next working day.
//!
//! A date is a calendar date in Kazakhstan: the caller converts an instant to the local date
//! of the service provider's zone before asking.
//!
//! "Business day" is bdays' word and appears only in the adapter below; everywhere else the
//! legal term is "working day".

mod data;
mod rules;

use std::fmt;
use std::sync::Arc;

use bdays::{HolidayCalendar, HolidayCalendarCache};
use chrono::{Datelike, NaiveDate};

use rules::Table;

/// The bundled calendar data, `rules/calendar/kz.json`.
pub const KZ_JSON: &str = include_str!("../../rules/calendar/kz.json");

/// The JSON Schema the calendar data is validated against, `rules/calendar/kz.schema.json`.
pub const KZ_SCHEMA_JSON: &str = data::SCHEMA_JSON;

/// Where the bundled data came from, as named in errors.
const KZ_ORIGIN: &str = "rules/calendar/kz.json (embedded)";

/// A date outside the range the calendar has data for.
///
/// For arithmetic whose result would lie after the range, `date` is the first date after
/// the range: the calendar cannot tell whether that day, or any later one, is a working day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date {date} is outside the calendar range {from}..={to}")]
pub struct OutOfRange {
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The calendar data could not be read: `origin` names the file, `message` the JSON pointer
/// (or line and column), what was expected and what was found.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct CalendarError {
    pub origin: String,
    pub message: String,
}

/// Why a date is, or is not, a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// An ordinary working day (Monday to Friday, nothing declared).
    Working,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A public holiday, including the first day of Kurban Ait and Orthodox Christmas.
    Holiday,
    /// A working day made a day off because a public holiday fell on a weekend
    /// (Law No. 267-II, article 5).
    TransferredDayOff,
    /// A working day declared a day off by decree (Labour Code article 85 paragraph 3).
    DecreedDayOff,
    /// A Saturday, Sunday or transferred day off declared a working day by decree.
    DecreedWorkingDay,
}

impl DayKind {
    /// Whether a day of this kind is a working day.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::DecreedWorkingDay)
    }

    /// Stable snake_case code, the same in every output.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Working => "working",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::TransferredDayOff => "transferred_day_off",
            DayKind::DecreedDayOff => "decreed_day_off",
            DayKind::DecreedWorkingDay => "decreed_working_day",
        }
    }
}

/// One date of the calendar with its answer and the reason for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day<'a> {
    pub date: NaiveDate,
    pub working: bool,
    pub kind: DayKind,
    /// `None` on an ordinary working day; "Saturday" or "Sunday" on an ordinary weekend day;
    /// the holiday's name on a public holiday; the decree or the moved holiday otherwise.
    pub reason: Option<&'a str>,
}

/// The bdays adapter over the expanded table: `is_bday` is overridden so that a decreed
/// working Saturday or Sunday counts as a business day, which `is_holiday` alone cannot say.
struct BusinessDays<'a> {
    table: &'a Table,
}

impl HolidayCalendar<NaiveDate> for BusinessDays<'_> {
    /// A day off other than an ordinary weekend day.
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.table
            .offset(date)
            .and_then(|i| self.table.kinds.get(i))
            .is_some_and(|k| {
                matches!(
                    k,
                    DayKind::Holiday | DayKind::TransferredDayOff | DayKind::DecreedDayOff
                )
            })
    }

    fn is_bday(&self, date: NaiveDate) -> bool {
        self.table
            .offset(date)
            .and_then(|i| self.table.kinds.get(i))
            .is_some_and(|k| k.is_working())
    }
}

/// Which dates are working days in Kazakhstan, from `from` to `to` inclusive.
///
/// Cheap to clone (the tables are shared). Every method checks its dates against
/// [`Calendar::range`] before touching the bdays cache, which panics out of range.
#[derive(Clone)]
pub struct Calendar {
    from: NaiveDate,
    to: NaiveDate,
    /// The last working day of the range, `None` if the range has none.
    last_working: Option<NaiveDate>,
    cache: Arc<HolidayCalendarCache<NaiveDate>>,
    table: Arc<Table>,
    years_without_decree: Vec<i32>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("years_without_decree", &self.years_without_decree)
            .finish_non_exhaustive()
    }
}

impl Calendar {
    /// The bundled Kazakhstan calendar, `rules/calendar/kz.json`, covering at least
    /// 2013-01-01 to 2026-12-31.
    ///
    /// Validates the data against its schema and the holiday rules, then builds the day
    /// table and the bdays cache. Call once at start-up and pass the calendar down.
    pub fn kazakhstan() -> Result<Calendar, CalendarError> {
        Calendar::from_json(KZ_JSON, KZ_ORIGIN)
    }

    /// A calendar from calendar data in the `kz.json` format; `origin` names the data in
    /// errors (a file path).
    ///
    /// # Errors
    ///
    /// A [`CalendarError`] naming `origin` and the JSON pointer of the first problem: invalid
    /// JSON (line and column), a schema violation, a date outside `range`, entries out of
    /// order, a year without its Kurban Ait date, a `working_day` on an ordinary working day,
    /// a year marked `decreed` without swaps.
    pub fn from_json(text: &str, origin: &str) -> Result<Calendar, CalendarError> {
        let fail = |e: data::LoadError| CalendarError {
            origin: origin.to_owned(),
            message: e.0,
        };
        let data = data::load(text).map_err(fail)?;
        let table = rules::expand(&data).map_err(fail)?;
        let (from, to) = (data.from, data.to);
        let cache = HolidayCalendarCache::new(BusinessDays { table: &table }, from, to);
        let last_working = table
            .kinds
            .iter()
            .rposition(|k| k.is_working())
            .and_then(|i| u64::try_from(i).ok())
            .and_then(|i| from.checked_add_days(chrono::Days::new(i)));
        let years_without_decree = (from.year()..=to.year())
            .filter(|y| data.recorded_years.binary_search(y).is_err())
            .collect();
        Ok(Calendar {
            from,
            to,
            last_working,
            cache: Arc::new(cache),
            table: Arc::new(table),
            years_without_decree,
        })
    }

    /// First and last date the calendar has data for (both inclusive).
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        (self.from, self.to)
    }

    fn check(&self, date: NaiveDate) -> Result<usize, OutOfRange> {
        self.table.offset(date).ok_or(OutOfRange {
            date,
            from: self.from,
            to: self.to,
        })
    }

    /// The error for arithmetic whose answer lies after the range: names the first date
    /// after the range.
    #[cold]
    fn past_end(&self) -> OutOfRange {
        OutOfRange {
            date: self.to.succ_opt().unwrap_or(self.to),
            from: self.from,
            to: self.to,
        }
    }

    /// Whether `date` is a working day.
    ///
    /// A day off is a Saturday or Sunday, a public holiday, a day off transferred from a
    /// holiday on a weekend, or a day off declared by decree; a Saturday or Sunday declared a
    /// working day by decree is a working day.
    ///
    /// # Legal basis
    ///
    /// Law No. 267-II articles 1-5; Labour Code articles 84-85.
    ///
    /// # Edge cases
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use reglament::calendar::Calendar;
    /// let cal = Calendar::kazakhstan().unwrap();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Saturday 4 May 2024 was declared a working day (its day off moved to 8 May).
    /// assert!(cal.is_working_day(d(2024, 5, 4)).unwrap());
    /// assert!(!cal.is_working_day(d(2024, 5, 8)).unwrap());
    /// // Nauryz 2015 fell on Sat-Mon: the days off moved to Tue 24 and Wed 25 March.
    /// assert!(!cal.is_working_day(d(2015, 3, 25)).unwrap());
    /// // Kurban Ait on a Saturday (2022-07-09) is not transferred: Monday is a working day.
    /// assert!(cal.is_working_day(d(2022, 7, 11)).unwrap());
    /// // Outside the data: an error, never a guess.
    /// assert!(cal.is_working_day(d(2012, 12, 31)).is_err());
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        self.check(date)?;
        Ok(self.cache.is_bday(date))
    }

    /// The kind of day `date` is.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, OutOfRange> {
        let i = self.check(date)?;
        Ok(self.table.kinds.get(i).copied().unwrap_or(DayKind::Working))
    }

    /// Why `date` is or is not a working day: `None` on an ordinary working day, "Saturday" or
    /// "Sunday" on an ordinary weekend day, the holiday's name on a public holiday, the moved
    /// holiday or the decree on a transferred or swapped day.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use reglament::calendar::Calendar;
    /// let cal = Calendar::kazakhstan().unwrap();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.reason(d(2023, 3, 21)).unwrap(), Some("Nauryz meyrami"));
    /// assert_eq!(cal.reason(d(2023, 3, 20)).unwrap(), None);
    /// assert_eq!(cal.reason(d(2023, 3, 25)).unwrap(), Some("Saturday"));
    /// ```
    pub fn reason(&self, date: NaiveDate) -> Result<Option<&str>, OutOfRange> {
        let i = self.check(date)?;
        Ok(self
            .table
            .reasons
            .get(i)
            .copied()
            .flatten()
            .and_then(|r| usize::try_from(r).ok())
            .and_then(|r| self.table.reason_texts.get(r))
            .map(String::as_str))
    }

    /// The full answer for `date`: working or not, its kind and its reason.
    pub fn day(&self, date: NaiveDate) -> Result<Day<'_>, OutOfRange> {
        let kind = self.day_kind(date)?;
        Ok(Day {
            date,
            working: kind.is_working(),
            kind,
            reason: self.reason(date)?,
        })
    }

    /// Every date from `from` to `to` inclusive, in order (empty if `to < from`).
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Result<Days<'_>, OutOfRange> {
        self.check(from)?;
        self.check(to)?;
        Ok(Days {
            cal: self,
            next: Some(from),
            last: to,
        })
    }

    /// The N-th working day strictly after `from`: the deadline of a term of `n` working days
    /// that starts on `from`.
    ///
    /// The day `from` itself is not counted, whether or not it is a working day; the N-th
    /// working day after it is the last day of the term and is counted. `n == 0` gives `from`
    /// if it is a working day, else the next working day (a term that ends on a day off ends
    /// on the next working day).
    ///
    /// # Legal basis
    ///
    /// Civil Code, General Part, articles 187-189: a term defined by a period starts on the
    /// day after the date that begins it; a term whose last day is a day off ends on the next
    /// working day. Working days as defined by [`Calendar::is_working_day`].
    ///
    /// # Errors
    ///
    /// [`OutOfRange`] if `from` is outside the range, or if the deadline lies after it (then
    /// `date` is the first date after the range).
    ///
    /// # Edge cases
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use reglament::calendar::Calendar;
    /// let cal = Calendar::kazakhstan().unwrap();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Filed on Friday 3 May 2024: day 1 is the decreed working Saturday 4 May.
    /// assert_eq!(cal.add_working_days(d(2024, 5, 3), 1).unwrap(), d(2024, 5, 4));
    /// // Filed on Friday 20 March 2015: Nauryz and its two transferred days off are skipped.
    /// assert_eq!(cal.add_working_days(d(2015, 3, 20), 1).unwrap(), d(2015, 3, 26));
    /// // Filed on a holiday, 1 May 2024 (Wednesday): day 1 is Thursday 2 May.
    /// assert_eq!(cal.add_working_days(d(2024, 5, 1), 1).unwrap(), d(2024, 5, 2));
    /// // n == 0 on a day off: the next working day.
    /// assert_eq!(cal.add_working_days(d(2024, 5, 1), 0).unwrap(), d(2024, 5, 2));
    /// // A deadline after the data is an error naming the first date after the range.
    /// let err = cal.add_working_days(d(2026, 12, 30), 5).unwrap_err();
    /// assert_eq!(err.date, d(2027, 1, 1));
    /// ```
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        self.check(from)?;
        if n == 0 {
            return self.next_working_day_on_or_after(from);
        }
        // Working days left in (from, to]: the deadline must be one of them.
        let available = self.working_days_between(from, self.to)?;
        if i64::from(n) > available {
            return Err(self.past_end());
        }
        // bdays' advance_bdays first moves a day off to the next business day and then
        // advances; from a day off that first move already reaches working day 1.
        let steps = if self.cache.is_bday(from) { n } else { n - 1 };
        let steps = i32::try_from(steps).map_err(|_| self.past_end())?;
        // In bounds: the target is at most the last working day of the range.
        Ok(self.cache.advance_bdays(from, steps))
    }

    /// The number of working days `d` with `from < d <= to`: `from` is not counted, `to` is.
    /// Negative if `to < from` (the same count with the dates swapped, negated).
    ///
    /// This is the inverse of [`Calendar::add_working_days`]: for `n >= 1`,
    /// `working_days_between(from, add_working_days(from, n)) == n`.
    ///
    /// # Legal basis
    ///
    /// Civil Code, General Part, article 187 (counting starts the day after `from`).
    ///
    /// # Edge cases
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use reglament::calendar::Calendar;
    /// let cal = Calendar::kazakhstan().unwrap();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // 1 to 4 January 2022 were days off (New Year on Sat-Sun moved to Mon-Tue).
    /// assert_eq!(cal.working_days_between(d(2021, 12, 31), d(2022, 1, 5)).unwrap(), 1);
    /// assert_eq!(cal.working_days_between(d(2022, 1, 5), d(2021, 12, 31)).unwrap(), -1);
    /// assert_eq!(cal.working_days_between(d(2022, 1, 5), d(2022, 1, 5)).unwrap(), 0);
    /// ```
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, OutOfRange> {
        self.check(from)?;
        self.check(to)?;
        let (a, b, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let Some(last) = self.last_working else {
            return Ok(0);
        };
        if a >= last {
            return Ok(0);
        }
        // (a, b] and (a, min(b, last)] hold the same working days, and bdays' `to_bday` on
        // both ends stays inside the range (it stops at `last` at the latest).
        let b = b.min(last);
        // The cache counts bdays(x, y) = C(to_bday(y)) - C(to_bday(x)), with C(d) the number
        // of working days in (range start, d]; C(to_bday(d)) = C(d) + 1 when d is a day off.
        let off = |d: NaiveDate| i64::from(!self.cache.is_bday(d));
        let count = i64::from(self.cache.bdays(a, b)) - off(b) + off(a);
        Ok(sign * count)
    }

    /// `date` if it is a working day, else the next working day: the day a term ends when its
    /// last day is a day off (Civil Code, General Part, article 189).
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use reglament::calendar::Calendar;
    /// let cal = Calendar::kazakhstan().unwrap();
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Independence Day 2017 fell on Sat-Sun: the next working day is Wednesday 20 December.
    /// assert_eq!(cal.next_working_day_on_or_after(d(2017, 12, 16)).unwrap(), d(2017, 12, 20));
    /// ```
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, OutOfRange> {
        self.check(date)?;
        match self.last_working {
            // In bounds: to_bday stops at `last` at the latest.
            Some(last) if date <= last => Ok(self.cache.to_bday(date, true)),
            _ => Err(self.past_end()),
        }
    }

    /// Years inside the range for which the data records no day-swap decree: their days
    /// follow the statutory rules only and may miss swaps. A year in which the government
    /// decreed no swap is recorded as such in the data and is not listed here.
    pub fn years_without_decree(&self) -> Vec<i32> {
        self.years_without_decree.clone()
    }
}

/// Iterator over the days of a date interval, from [`Calendar::days`].
#[derive(Debug, Clone)]
pub struct Days<'a> {
    cal: &'a Calendar,
    next: Option<NaiveDate>,
    last: NaiveDate,
}

impl<'a> Iterator for Days<'a> {
    type Item = Day<'a>;

    fn next(&mut self) -> Option<Day<'a>> {
        let date = self.next.filter(|d| *d <= self.last)?;
        self.next = date.succ_opt();
        // In range: both ends were checked when the iterator was made.
        self.cal.day(date).ok()
    }
}
