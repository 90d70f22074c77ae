//! Timestamps of log records.
//!
//! A record's time is RFC 3339 (`2016-06-01T10:00:00+06:00`, `...Z`, fractional seconds
//! allowed, space instead of `T` allowed). A time without an offset
//! (`2016-06-01T10:00:00`) is a wall-clock time in the region of the service, so it is
//! placed in the rule set's time zone, never in UTC. A date alone (`2016-06-01`, or a
//! mapping's format without a time of day, `%d.%m.%Y`) is that local day
//! ([`Stamp::Day`]): its instant is the day's first moment, and the event is marked as
//! giving no time of day ([`crate::log::Event::day_only`]).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// A parsed timestamp, before its zone is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// An instant: UTC milliseconds.
    Instant(i64),
    /// A local wall-clock time to be read in the service's zone.
    Local(NaiveDateTime),
    /// A local day without a time of day, to be read in the service's zone.
    Day(NaiveDate),
}

impl Stamp {
    /// Whether the stamp gives only a day, no time of day.
    pub fn is_day(&self) -> bool {
        matches!(self, Stamp::Day(_))
    }
}

/// Parses a record timestamp.
pub fn parse(s: &str) -> Result<Stamp, String> {
    match rfc3339_fast(s.as_bytes()) {
        Some(ms) => Ok(Stamp::Instant(ms)),
        None => parse_general(s),
    }
}

/// [`parse`] off its fast path: chrono's RFC 3339, then the local-time shapes.
fn parse_general(s: &str) -> Result<Stamp, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Stamp::Instant(t.timestamp_millis()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Stamp::Local(t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Stamp::Day(d));
    }
    Err(format!(
        "{s:?} is not an RFC 3339 timestamp (e.g. 2016-06-01T10:00:00+06:00, or without offset for the region's local time, or a date alone, 2016-06-01)"
    ))
}

/// The instant of the commonest shape, `YYYY-MM-DDTHH:MM:SS[.f](Z|+HH:MM|-HH:MM)`, in UTC
/// milliseconds; `None` for anything else, which chrono's parser then reads (or refuses).
///
/// chrono's RFC 3339 parser is general (it scans each item through its format machinery)
/// and takes about a tenth of the time spent on a line; this reads fixed positions, and
/// leaves the calendar to chrono (`from_ymd_opt` refuses 30 February). It gives up on
/// anything unusual (a leap second, an offset past 23:59, a lowercase `t`), so it never
/// answers differently from chrono: the tests compare the two.
fn rfc3339_fast(b: &[u8]) -> Option<i64> {
    let digit = |i: usize| -> Option<u32> {
        let d = b.get(i)?.wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let num = |i: usize, n: usize| -> Option<u32> {
        (i..i + n).try_fold(0, |acc, j| Some(acc * 10 + digit(j)?))
    };
    let sep = |i: usize, c: u8| (b.get(i) == Some(&c)).then_some(());
    let year = num(0, 4)?;
    sep(4, b'-')?;
    let month = num(5, 2)?;
    sep(7, b'-')?;
    let day = num(8, 2)?;
    sep(10, b'T')?;
    let hour = num(11, 2)?;
    sep(13, b':')?;
    let minute = num(14, 2)?;
    sep(16, b':')?;
    let second = num(17, 2)?;
    let mut i = 19;
    let mut millis = 0;
    if b.get(i) == Some(&b'.') {
        let digits = b
            .get(i + 1..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        // Milliseconds, truncated as chrono's `timestamp_millis` truncates.
        millis = (0..3).try_fold(0, |acc, k| {
            Some(acc * 10 + if k < digits { digit(i + 1 + k)? } else { 0 })
        })?;
        i += 1 + digits;
    }
    let offset = match b.get(i)? {
        b'Z' if b.len() == i + 1 => 0,
        &c @ (b'+' | b'-') if b.len() == i + 6 => {
            sep(i + 3, b':')?;
            let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            if c == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let local = date
        .and_hms_opt(hour, minute, second)?
        .and_utc()
        .timestamp();
    Some((local - offset) * 1000 + i64::from(millis))
}

/// The instant of `stamp`, reading a local time in `tz`.
///
/// A local time the zone went through twice (Almaty's clocks went back from 00:00 to
/// 23:00 on 1 March 2024, when Kazakhstan moved to UTC+5) is read as the earlier instant;
/// one the zone skipped is rejected. A day is its first moment in the zone: its
/// midnight, or the first whole hour after it if clocks skipped midnight.
pub fn resolve(stamp: Stamp, tz: Option<Tz>) -> Result<i64, String> {
    match stamp {
        Stamp::Instant(ms) => Ok(ms),
        Stamp::Day(day) => {
            let tz = tz.unwrap_or(Tz::UTC);
            (0..24)
                .filter_map(|h| day.and_hms_opt(h, 0, 0))
                .find_map(|t| tz.from_local_datetime(&t).earliest())
                .map(|t| t.timestamp_millis())
                .ok_or_else(|| format!("day {day} does not exist in {tz}"))
        }
        Stamp::Local(naive) => {
            let tz = tz.unwrap_or(Tz::UTC);
            match tz.from_local_datetime(&naive).earliest() {
                Some(t) => Ok(t.timestamp_millis()),
                None => Err(format!("local time {naive} does not exist in {tz}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What chrono alone makes of `s` (the parser before the fast path).
    fn by_chrono(s: &str) -> Option<i64> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.timestamp_millis())
    }

    #[test]
    fn common_shapes_agree_with_chrono() {
        for s in [
            "2016-06-01T10:00:00+06:00",
            "2024-02-29T23:59:59.999-00:30",
            "1969-12-31T23:59:59.5Z",
            "2016-06-01T10:00:00.123456789+05:00",
        ] {
            assert_eq!(rfc3339_fast(s.as_bytes()), by_chrono(s), "{s}");
            assert!(rfc3339_fast(s.as_bytes()).is_some(), "{s}");
        }
        for s in [
            "2023-02-29T10:00:00Z",
            "2016-06-01t10:00:00Z",
            "2016-06-01T10:00:60Z",
            "2016-06-01T10:00:00+24:00",
            "2016-06-01T10:00:00.Z",
            "2016-06-01T10:00:00",
            "2016-06-01T10:00:00+06:00 ",
        ] {
            assert_eq!(rfc3339_fast(s.as_bytes()), None, "{s}");
        }
    }

    proptest! {
        /// Whatever the fast path reads, chrono reads the same instant.
        #[test]
        fn fast_path_never_disagrees_with_chrono(
            s in "[0-9]{4}-[0-1][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,10})?(Z|z|[+-][0-2][0-9]:[0-6][0-9])?",
        ) {
            if let Some(ms) = rfc3339_fast(s.as_bytes()) {
                prop_assert_eq!(Some(ms), by_chrono(&s), "{}", s);
            }
        }

        #[test]
        fn fast_path_reads_what_it_should(
            y in 1i32..9999, m in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
            sec in 0u32..60, ms in 0u32..1000, oh in 0u32..24, om in 0u32..60, neg in any::<bool>(),
        ) {
            let sign = if neg { '-' } else { '+' };
            let s = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{sec:02}.{ms:03}{sign}{oh:02}:{om:02}");
            prop_assert_eq!(rfc3339_fast(s.as_bytes()), by_chrono(&s), "{}", s);
            prop_assert!(rfc3339_fast(s.as_bytes()).is_some());
        }
    }

    /// Every timestamp of the bundled logs (`at` and `started`).
    fn real_stamps() -> Vec<&'static str> {
        let logs = [
            include_str!("../../logs/sample.jsonl"),
            include_str!("../../logs/almaty-licences.jsonl"),
            include_str!("../../logs/culture.jsonl"),
            include_str!("../../logs/wildlife.jsonl"),
            include_str!("../../logs/wko-e-licences.jsonl"),
        ];
        let mut out = Vec::new();
        for log in logs {
            for key in ["\"at\": \"", "\"started\": \""] {
                for (i, _) in log.match_indices(key) {
                    let rest = &log[i + key.len()..];
                    out.extend(rest.split('"').next());
                }
            }
        }
        out
    }

    #[test]
    fn edge_stamps_agree_with_the_parser_before_the_fast_path() {
        for s in [
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59.999999999-23:59",
            "2016-06-01T10:00:00-00:00",
            "2016-06-01T10:00:00+00:00",
            "2016-06-01T10:00:00.0Z",
            "2016-06-01T10:00:00.0000000001Z",
            "2016-06-01T10:00:00,5Z",
            "2016-06-01T10:00:00+0600",
            "2016-06-01T10:00:00+06",
            "2016-06-01T10:00:00 +06:00",
            "2016-06-01 10:00:00+06:00",
            "2016-06-01t10:00:00z",
            "2016-06-01T24:00:00Z",
            "2016-06-31T10:00:00Z",
            "2016-00-01T10:00:00Z",
            "2016-06-00T10:00:00Z",
            "2016-13-01T10:00:00Z",
            "2016-06-01T10:60:00Z",
            "2016-06-01T10:00:59.999+06:00",
            "2016-12-31T23:59:60Z",
            "2016-06-01T10:00:00+06:60",
            "2016-06-01T10:00:00+99:00",
            "+2016-06-01T10:00:00Z",
            "2016-6-01T10:00:00Z",
            "２０１６-06-01T10:00:00Z",
            "2016-06-01T10:00:00ZZ",
            "2016-06-01T10:00:00Z ",
            " 2016-06-01T10:00:00Z",
            "2016-06-01T10:00:00.+06:00",
            "2016-06-01T10:00",
            "2016-06-01T10:00:00",
            "",
        ] {
            assert_eq!(parse(s), parse_general(s), "{s:?}");
        }
        assert!(
            real_stamps().len() > 800,
            "the bundled logs' stamps were found"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Real timestamps with a character replaced, inserted or removed: the parse
        /// with the fast path gives what it gave before it, stamp or error.
        #[test]
        fn damaged_real_stamps_agree_with_the_parser_before_the_fast_path(
            pick in any::<proptest::sample::Index>(),
            edits in proptest::collection::vec(
                (any::<proptest::sample::Index>(), 0u8..3,
                 proptest::sample::select(&b"0123456789+-:.TtZz 9\x00"[..])),
                1..3,
            ),
        ) {
            let stamps = real_stamps();
            let mut s = stamps[pick.index(stamps.len())].as_bytes().to_vec();
            for (at, op, c) in edits {
                let i = at.index(s.len() + 1);
                match op {
                    0 if i < s.len() => s[i] = c,
                    1 if i < s.len() => { s.remove(i); }
                    _ => s.insert(i, c),
                }
            }
            // Real stamps are ASCII, and so are the edits.
            let s = String::from_utf8(s).unwrap();
            prop_assert_eq!(parse(&s), parse_general(&s), "{:?}", s);
        }
    }
}
