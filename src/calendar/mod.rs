//! The Kazakhstan working-day calendar.
//!
//! PLACEHOLDER: weekends-only, until the data-driven calendar (issue 3) lands behind the
//! same interface. The engine only uses the methods below.

use chrono::{Datelike, NaiveDate, Weekday};

/// A date outside the range the calendar has data for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date {date} is outside the calendar range {from}..={to}")]
pub struct OutOfRange {
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Which dates are working days.
#[derive(Debug, Clone)]
pub struct Calendar {
    from: NaiveDate,
    to: NaiveDate,
}

impl Calendar {
    /// The bundled Kazakhstan calendar.
    pub fn kazakhstan() -> Result<Calendar, CalendarError> {
        Ok(Calendar {
            from: NaiveDate::from_ymd_opt(2013, 1, 1).expect("valid"),
            to: NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid"),
        })
    }

    /// First and last date the calendar has data for.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        (self.from, self.to)
    }

    fn check(&self, date: NaiveDate) -> Result<(), OutOfRange> {
        if date < self.from || date > self.to {
            return Err(OutOfRange { date, from: self.from, to: self.to });
        }
        Ok(())
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        self.check(date)?;
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The N-th working day after `from` (the day `from` itself is not counted).
    /// `n == 0` gives `from` itself if it is a working day, else the next working day.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        let mut d = from;
        if n == 0 {
            return self.next_working_day_on_or_after(from);
        }
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().ok_or(OutOfRange { date: d, from: self.from, to: self.to })?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Number of working days `d` with `from < d <= to` (negative if `to < from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, OutOfRange> {
        self.check(from)?;
        self.check(to)?;
        let (a, b, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut n = 0;
        let mut d = a;
        while d < b {
            d = d.succ_opt().ok_or(OutOfRange { date: d, from: self.from, to: self.to })?;
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n * sign)
    }

    /// `date` if it is a working day, else the next working day.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, OutOfRange> {
        let mut d = date;
        while !self.is_working_day(d)? {
            d = d.succ_opt().ok_or(OutOfRange { date: d, from: self.from, to: self.to })?;
        }
        Ok(d)
    }

    /// Years inside the range for which no government day-swap decree is recorded.
    pub fn years_without_decree(&self) -> Vec<i32> {
        Vec::new()
    }
}

/// The calendar data could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct CalendarError {
    pub origin: String,
    pub message: String,
}
