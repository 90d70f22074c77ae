//! How a provider writes its times: a mapping's `time` (formats, serial dates, zone),
//! each format checked when the mapping is loaded ([`Shape::of_format`]).

use crate::log::time::{self, Stamp};
use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};
use chrono_tz::Tz;

/// How a source writes its times.
#[derive(Debug, Clone, Default)]
pub struct TimeSpec {
    /// chrono formats tried in order (`%d.%m.%Y %H:%M:%S`), each with what it gives
    /// ([`Shape`], checked when the mapping is loaded); RFC 3339 is always accepted.
    pub(super) formats: Vec<(String, Shape)>,
    /// Whether a bare number is a spreadsheet serial date (days since 1899-12-30).
    pub serial_dates: bool,
    /// Zone of times without offset; `None`: the rule set's zone.
    pub zone: Option<Tz>,
}

/// What a time format gives, told from its chrono items when the mapping is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A date, a time of day and an offset (`%z`): an instant.
    Instant,
    /// A date and a time of day: a local time.
    Local,
    /// A date alone (`%d.%m.%Y`): a local day ([`Stamp::Day`]).
    Day,
}

impl Shape {
    /// The shape of a chrono format, or why no text could ever match it in full: an
    /// unknown or unfinished `%` item (a typo), no day in it, an hour without minutes,
    /// a 12-hour clock without AM/PM, a zone name (chrono cannot read one), an offset
    /// without a time of day.
    pub fn of_format(f: &str) -> Result<Shape, String> {
        let mut has = Has::default();
        for item in StrftimeItems::new(f) {
            match item {
                Item::Error => {
                    return Err(format!(
                        "format {f:?} has an unknown or unfinished % item (see chrono's strftime: %d.%m.%Y %H:%M:%S)"
                    ));
                }
                Item::Numeric(n, _) => has.numeric(&n),
                Item::Fixed(x) => has.fixed(&x),
                _ => {}
            }
        }
        has.shape().map_err(|why| format!("format {f:?} {why}"))
    }
}

/// The fields a format's items give.
#[derive(Debug, Default)]
struct Has {
    year: bool,
    month: bool,
    day: bool,
    ordinal: bool,
    hour: bool,
    hour12: bool,
    ampm: bool,
    minute: bool,
    offset: bool,
    zone_name: bool,
    whole: bool,
}

impl Has {
    fn numeric(&mut self, n: &Numeric) {
        match n {
            Numeric::Year | Numeric::YearMod100 | Numeric::YearDiv100 => self.year = true,
            Numeric::Month => self.month = true,
            Numeric::Day => self.day = true,
            Numeric::Ordinal => self.ordinal = true,
            Numeric::Hour => self.hour = true,
            Numeric::Hour12 => self.hour12 = true,
            Numeric::Minute => self.minute = true,
            Numeric::Timestamp => self.whole = true,
            _ => {}
        }
    }

    fn fixed(&mut self, x: &Fixed) {
        match x {
            Fixed::ShortMonthName | Fixed::LongMonthName => self.month = true,
            Fixed::LowerAmPm | Fixed::UpperAmPm => self.ampm = true,
            Fixed::TimezoneName => self.zone_name = true,
            Fixed::TimezoneOffset
            | Fixed::TimezoneOffsetZ
            | Fixed::TimezoneOffsetColon
            | Fixed::TimezoneOffsetColonZ
            | Fixed::TimezoneOffsetDoubleColon
            | Fixed::TimezoneOffsetTripleColon => self.offset = true,
            Fixed::RFC2822 | Fixed::RFC3339 => self.whole = true,
            _ => {}
        }
    }

    fn shape(&self) -> Result<Shape, &'static str> {
        if self.whole {
            return Ok(Shape::Instant);
        }
        if self.zone_name {
            return Err(
                "has a zone name (%Z), which chrono cannot read: use %z, or the mapping's time.zone",
            );
        }
        let date = self.year && ((self.month && self.day) || self.ordinal);
        if !date {
            return Err(
                "has no complete date (a day %d, a month %m or %b, a year %Y), so it can never give one",
            );
        }
        if self.hour12 && !self.ampm {
            return Err("has a 12-hour clock (%I) without AM/PM (%p)");
        }
        let hour = self.hour || self.hour12;
        match (hour, self.minute, self.offset) {
            (false, false, false) => Ok(Shape::Day),
            (false, _, _) | (true, false, _) => {
                Err("has part of a time of day: an hour needs minutes (%H:%M), and minutes an hour")
            }
            (true, true, false) => Ok(Shape::Local),
            (true, true, true) => Ok(Shape::Instant),
        }
    }
}

impl TimeSpec {
    /// A spec of formats that the caller knows to be good (each must pass
    /// [`Shape::of_format`]; one that does not is left out).
    pub fn with_formats<S: AsRef<str>>(formats: &[S]) -> TimeSpec {
        let formats = formats
            .iter()
            .filter_map(|f| Some((f.as_ref().to_string(), Shape::of_format(f.as_ref()).ok()?)))
            .collect();
        TimeSpec {
            formats,
            ..TimeSpec::default()
        }
    }

    /// The formats, in the order they are tried.
    pub fn formats(&self) -> impl Iterator<Item = &str> {
        self.formats.iter().map(|(f, _)| f.as_str())
    }

    /// Parses a source timestamp: the mapping's formats first, then RFC 3339 (or an ISO
    /// date alone), then (when enabled) a spreadsheet serial date.
    pub fn parse(&self, s: &str) -> Result<Stamp, String> {
        for (f, shape) in &self.formats {
            let read = match shape {
                Shape::Instant => DateTime::parse_from_str(s, f)
                    .ok()
                    .map(|t| Stamp::Instant(t.timestamp_millis())),
                Shape::Local => NaiveDateTime::parse_from_str(s, f).ok().map(Stamp::Local),
                Shape::Day => NaiveDate::parse_from_str(s, f).ok().map(Stamp::Day),
            };
            if let Some(t) = read {
                return Ok(t);
            }
        }
        let rfc = time::parse(s);
        if rfc.is_ok() || !self.serial_dates {
            return rfc.map_err(|e| self.explain(e));
        }
        serial_date(s).ok_or_else(|| {
            self.explain(format!(
                "{s:?} is neither a date nor a spreadsheet serial date"
            ))
        })
    }

    #[cold]
    fn explain(&self, reason: String) -> String {
        if self.formats.is_empty() {
            reason
        } else {
            let tried: Vec<&str> = self.formats().collect();
            format!("{reason}; formats tried: {}", tried.join(", "))
        }
    }
}

/// A spreadsheet serial date (1900 date system: day 1 is 1900-01-01, and day 60 the
/// nonexistent 1900-02-29, so days since 1899-12-30 are right from 1900-03-01 on): the
/// fraction is the time of day, and a whole number is a day alone ([`Stamp::Day`], as a
/// date cell without a time is). The decimal separator may be a comma (`42587,6250`), as
/// Russian and Kazakh Excel write it. Read as a local time; only dates from 1900-03-01
/// to 9999-12-31 are accepted.
pub fn serial_date(s: &str) -> Option<Stamp> {
    let s = s.trim();
    let v: f64 = match s.split_once(',') {
        Some((whole, frac)) if !s.contains('.') && !frac.contains(',') => {
            format!("{whole}.{frac}").parse().ok()?
        }
        _ => s.parse().ok()?,
    };
    if !(61.0..2_958_466.0).contains(&v) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    if v.fract() == 0.0 {
        return epoch
            .checked_add_days(chrono::Days::new(v as u64))
            .map(Stamp::Day);
    }
    let epoch = epoch.and_hms_opt(0, 0, 0)?;
    // Whole milliseconds, rounded: serial times are binary fractions of a day.
    let ms = (v * 86_400_000.0).round();
    let delta = TimeDelta::try_milliseconds(ms as i64)?;
    epoch.checked_add_signed(delta).map(Stamp::Local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_count_from_1899_12_30() {
        let t = |s| match serial_date(s) {
            Some(Stamp::Local(t)) => t.to_string(),
            Some(Stamp::Day(d)) => format!("day {d}"),
            other => format!("{other:?}"),
        };
        assert_eq!(t("42522.4375"), "2016-06-01 10:30:00");
        assert_eq!(t("61"), "day 1900-03-01");
        assert_eq!(t("60"), "None");
        assert_eq!(t("abc"), "None");
        assert_eq!(t("1e300"), "None");
    }

    #[test]
    fn formats_come_first_then_rfc_3339() {
        let spec = TimeSpec::with_formats(&["%d.%m.%Y %H:%M:%S"]);
        let local = |s| match spec.parse(s) {
            Ok(Stamp::Local(t)) => t.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(local("01.06.2016 10:30:00"), "2016-06-01 10:30:00");
        assert!(matches!(
            spec.parse("2016-06-01T10:30:00Z"),
            Ok(Stamp::Instant(_))
        ));
        let e = spec.parse("32.06.2016 10:30:00").unwrap_err();
        assert!(e.contains("formats tried: %d.%m.%Y %H:%M:%S"), "{e}");
    }

    /// Issue 18: `42587,6250`, as Russian and Kazakh Excel write a serial date, reads as
    /// `42587.6250`; a whole serial number is a day alone.
    #[test]
    fn serial_dates_with_a_decimal_comma() {
        let t = |s| match serial_date(s) {
            Some(Stamp::Local(t)) => t.to_string(),
            Some(Stamp::Day(d)) => format!("day {d}"),
            other => format!("{other:?}"),
        };
        assert_eq!(t("42587,6250"), t("42587.6250"));
        assert_eq!(t("42587,6250"), "2016-08-05 15:00:00");
        assert_eq!(t(" 42587,0 "), "day 2016-08-05");
        assert_eq!(t("42587"), "day 2016-08-05");
        assert_eq!(t("42,587,6"), "None");
        assert_eq!(t("42.587,6"), "None");
        assert_eq!(t(","), "None");
    }

    /// Issue 18: `01.08.2016` with `%d.%m.%Y` among the formats is that local day; before,
    /// chrono's date-time parser could never match a format without a time, and the row
    /// was rejected.
    #[test]
    fn a_format_without_a_time_of_day_reads_a_day() {
        let spec = TimeSpec::with_formats(&["%d.%m.%Y %H:%M", "%d.%m.%Y"]);
        assert_eq!(
            spec.parse("01.08.2016"),
            Ok(Stamp::Day(NaiveDate::from_ymd_opt(2016, 8, 1).unwrap()))
        );
        assert!(matches!(
            spec.parse("01.08.2016 10:15"),
            Ok(Stamp::Local(_))
        ));
        assert!(matches!(spec.parse("2016-08-01"), Ok(Stamp::Day(_))));
        assert!(spec.parse("32.08.2016").is_err());
        let offset = TimeSpec::with_formats(&["%d.%m.%Y %H:%M %z"]);
        assert!(matches!(
            offset.parse("01.08.2016 10:15 +0600"),
            Ok(Stamp::Instant(_))
        ));
    }

    #[test]
    fn formats_that_can_never_match_are_told_apart() {
        assert_eq!(Shape::of_format("%d.%m.%Y %H:%M:%S"), Ok(Shape::Local));
        assert_eq!(Shape::of_format("%d.%m.%Y"), Ok(Shape::Day));
        assert_eq!(Shape::of_format("%d %B %Y"), Ok(Shape::Day));
        assert_eq!(
            Shape::of_format("%Y-%m-%dT%H:%M:%S%.f%:z"),
            Ok(Shape::Instant)
        );
        assert_eq!(Shape::of_format("%d/%m/%y %I:%M %p"), Ok(Shape::Local));
        assert_eq!(Shape::of_format("%s"), Ok(Shape::Instant));
        for (bad, why) in [
            ("%d.%m.%Y %H:%M:%", "unknown or unfinished % item"),
            ("%d.%m.%Y %Q", "unknown or unfinished % item"),
            ("%m.%Y", "no complete date"),
            ("%H:%M", "no complete date"),
            ("%d.%m.%Y %H", "an hour needs minutes"),
            ("%d.%m.%Y %I:%M", "12-hour clock"),
            ("%d.%m.%Y %H:%M %Z", "zone name"),
        ] {
            let e = Shape::of_format(bad).unwrap_err();
            assert!(
                e.contains(why) && e.contains(&format!("{bad:?}")),
                "{bad}: {e}"
            );
        }
    }
}
