//! Timestamps of log records.
//!
//! A record's time is RFC 3339 (`2016-06-01T10:00:00+06:00`, `...Z`, fractional seconds
//! allowed, space instead of `T` allowed). A time without an offset
//! (`2016-06-01T10:00:00`) is a wall-clock time in the region of the service, so it is
//! placed in the rule set's time zone, never in UTC.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// A parsed timestamp, before its zone is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// An instant: UTC milliseconds.
    Instant(i64),
    /// A local wall-clock time to be read in the service's zone.
    Local(NaiveDateTime),
}

/// Parses a record timestamp.
pub fn parse(s: &str) -> Result<Stamp, String> {
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
    Err(format!(
        "{s:?} is not an RFC 3339 timestamp (e.g. 2016-06-01T10:00:00+06:00, or without offset for the region's local time)"
    ))
}

/// The instant of `stamp`, reading a local time in `tz`.
///
/// A local time the zone went through twice (Almaty's clocks went back from 00:00 to
/// 23:00 on 1 March 2024, when Kazakhstan moved to UTC+5) is read as the earlier instant;
/// one the zone skipped is rejected.
pub fn resolve(stamp: Stamp, tz: Option<Tz>) -> Result<i64, String> {
    match stamp {
        Stamp::Instant(ms) => Ok(ms),
        Stamp::Local(naive) => {
            let tz = tz.unwrap_or(Tz::UTC);
            match tz.from_local_datetime(&naive).earliest() {
                Some(t) => Ok(t.timestamp_millis()),
                None => Err(format!("local time {naive} does not exist in {tz}")),
            }
        }
    }
}
