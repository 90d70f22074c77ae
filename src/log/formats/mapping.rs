//! Mappings from a provider's own names to ours.
//!
//! A provider's export uses its own column (or XES attribute) names, its own service and
//! activity names (often Russian or Kazakh phrases) and its own date format. A mapping
//! file (JSON, validated against `maps/mapping.schema.json`, errors naming the JSON
//! Pointer) says which source column is each of our fields, which source names mean each
//! service id and, per service, each step id (several source names per step), how times
//! are written and in which zone a time without offset is read.
//!
//! Names are matched after trimming and case folding ([`fold`]), so `"  Прием заявления"`
//! and `"ПРИЁМ заявления"` differ only where the letters differ (`е`/`ё` are distinct
//! letters). A name with no entry passes through unchanged, so an unmapped activity
//! becomes an `unknown_step` finding quoting the source name, never a silent drop.

use super::Field;
use crate::log::time::{self, Stamp};
use crate::rules::Catalog;
use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// `maps/mapping.schema.json`, compiled into the binary.
pub const SCHEMA_TEXT: &str = include_str!("../../../maps/mapping.schema.json");

/// A mapping file that cannot be used: the file, the JSON Pointer and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {pointer}: {message}")]
pub struct MappingError {
    pub file: String,
    pub pointer: String,
    pub message: String,
}

/// The file format (serde types); see `maps/mapping.schema.json` for the meaning.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "source", default)]
    _source: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    services: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    steps: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    channels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    variants: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    grounds: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    time: Option<TimeFile>,
    /// What a person has to confirm (a draft's guesses); not read.
    #[serde(rename = "review", default)]
    _review: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeFile {
    #[serde(default)]
    formats: Vec<String>,
    #[serde(default)]
    serial_dates: bool,
    #[serde(default)]
    zone: Option<String>,
}

/// How a source writes its times.
#[derive(Debug, Clone, Default)]
pub struct TimeSpec {
    /// chrono formats tried in order (`%d.%m.%Y %H:%M:%S`), each with what it gives
    /// ([`Shape`], checked when the mapping is loaded); RFC 3339 is always accepted.
    formats: Vec<(String, Shape)>,
    /// Whether a bare number is a spreadsheet serial date (days since 1899-12-30).
    pub serial_dates: bool,
    /// Zone of times without offset; `None`: the rule set's zone.
    pub zone: Option<Tz>,
}

/// A loaded mapping, its name tables keyed by folded source name.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// The file it was read from, for messages.
    pub file: String,
    /// Source column (or attribute) name per field, by [`Field`] index.
    pub columns: [Option<String>; Field::COUNT],
    /// The service of every record, when the export holds one service and no column.
    pub service: Option<String>,
    services: HashMap<String, String>,
    /// (our service id, folded source name) -> our step id.
    steps: HashMap<(String, String), String>,
    /// Channel, variant and ground names, by folded source name.
    values: [HashMap<String, String>; 3],
    pub time: TimeSpec,
}

/// Trims `s` and folds its case (Unicode lower-case mapping, with the final sigma and
/// sharp s folded as case folding does), and collapses runs of white space to one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                'ς' => out.push('σ'),
                'ß' => out.push_str("ss"),
                c => out.push(c),
            }
        }
    }
    out
}

/// Which of channel, variant, ground a value map is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Channel = 0,
    Variant = 1,
    Ground = 2,
}

impl Mapping {
    /// Reads, validates (schema, then names against `catalog`) and compiles a mapping.
    pub fn parse(file: &str, text: &str, catalog: &Catalog) -> Result<Mapping, Vec<MappingError>> {
        let err = |pointer: &str, message: String| MappingError {
            file: file.to_string(),
            pointer: pointer.to_string(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| vec![err("/", format!("invalid JSON: {e}"))])?;
        let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT)
            .map_err(|e| vec![err("/", format!("maps/mapping.schema.json: {e}"))])?;
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| vec![err("/", format!("maps/mapping.schema.json: {e}"))])?;
        let violations: Vec<MappingError> = validator
            .iter_errors(&value)
            .map(|e| {
                let p = e.instance_path().to_string();
                err(if p.is_empty() { "/" } else { &p }, e.to_string())
            })
            .collect();
        if !violations.is_empty() {
            return Err(violations);
        }
        let raw: File = serde_path_to_error::deserialize(value).map_err(|e| {
            let p = e.path().to_string().replace('.', "/");
            vec![err(
                &format!("/{}", p.trim_start_matches('/')),
                e.inner().to_string(),
            )]
        })?;
        compile(file, raw, catalog).map_err(|v| v.into_iter().map(|(p, m)| err(&p, m)).collect())
    }

    /// Our service id for a source service name, if the mapping names it.
    pub fn service_id(&self, source: &str) -> Option<&str> {
        self.services.get(&fold(source)).map(String::as_str)
    }

    /// Our step id for a source activity name of `service` (our id), if mapped.
    pub fn step_id(&self, service: &str, source: &str) -> Option<&str> {
        self.steps
            .get(&(service.to_string(), fold(source)))
            .map(String::as_str)
    }

    /// Our id for a source channel, variant or ground name, if mapped.
    pub fn value_id(&self, kind: ValueKind, source: &str) -> Option<&str> {
        self.values[kind as usize]
            .get(&fold(source))
            .map(String::as_str)
    }

    /// A mapping guessed by `inspect`: columns, source service names with our ids, and
    /// how times are written; no step names (activities pass through).
    pub fn guessed(
        columns: [Option<String>; Field::COUNT],
        services: &[(String, String)],
        time: TimeSpec,
        serial_dates: bool,
    ) -> Mapping {
        let mut m = Mapping {
            file: "<guessed>".to_string(),
            columns,
            time,
            ..Mapping::default()
        };
        m.time.serial_dates = serial_dates;
        for (source, ours) in services {
            m.services.insert(fold(source), ours.clone());
        }
        m
    }

    /// Whether the mapping maps any activity name of `service`.
    pub fn maps_steps_of(&self, service: &str) -> bool {
        self.steps.keys().any(|(s, _)| s == service)
    }
}

type Problems = Vec<(String, String)>;

/// Builds the lookup tables, checking every target against the rule sets.
fn compile(file: &str, raw: File, catalog: &Catalog) -> Result<Mapping, Problems> {
    let mut problems = Problems::new();
    let mut m = Mapping {
        file: file.to_string(),
        ..Mapping::default()
    };
    for (name, column) in &raw.fields {
        match Field::parse(name) {
            Some(f) => m.columns[f as usize] = Some(column.clone()),
            None => problems.push((format!("/fields/{name}"), format!("no field {name:?}"))),
        }
    }
    let known = |id: &str| catalog.editions(id).is_some();
    if let Some(s) = &raw.service {
        if !known(s) {
            problems.push(("/service".into(), format!("no rule set has service {s:?}")));
        }
        m.service = Some(s.clone());
    }
    for (id, names) in &raw.services {
        if !known(id) {
            problems.push((
                format!("/services/{id}"),
                format!("no rule set has service {id:?}"),
            ));
        }
        insert_names(
            &mut m.services,
            &format!("/services/{id}"),
            id,
            names,
            &mut problems,
        );
    }
    for (service, steps) in &raw.steps {
        let sets = catalog.editions(service).unwrap_or(&[]);
        if sets.is_empty() {
            problems.push((
                format!("/steps/{service}"),
                format!("no rule set has service {service:?}"),
            ));
        }
        let mut table = HashMap::new();
        for (step, names) in steps {
            let exists = sets
                .iter()
                .any(|&i| catalog.sets[i].rules.steps.iter().any(|s| &s.id == step));
            if !sets.is_empty() && !exists {
                problems.push((
                    format!("/steps/{service}/{step}"),
                    format!("rule set {service} has no step {step:?}"),
                ));
            }
            let at = format!("/steps/{service}/{step}");
            insert_names(&mut table, &at, step, names, &mut problems);
        }
        for (k, v) in table {
            m.steps.insert((service.clone(), k), v);
        }
    }
    for (kind, map) in [(0, &raw.channels), (1, &raw.variants), (2, &raw.grounds)] {
        let key = ["channels", "variants", "grounds"][kind];
        for (id, names) in map {
            insert_names(
                &mut m.values[kind],
                &format!("/{key}/{id}"),
                id,
                names,
                &mut problems,
            );
        }
    }
    if let Some(t) = raw.time {
        for (i, f) in t.formats.into_iter().enumerate() {
            match Shape::of_format(&f) {
                Ok(shape) => m.time.formats.push((f, shape)),
                Err(why) => problems.push((format!("/time/formats/{i}"), why)),
            }
        }
        m.time.serial_dates = t.serial_dates;
        if let Some(z) = t.zone {
            match z.parse::<Tz>() {
                Ok(tz) => m.time.zone = Some(tz),
                Err(_) => problems.push((
                    "/time/zone".into(),
                    format!("{z:?} is not an IANA time zone"),
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(m)
    } else {
        Err(problems)
    }
}

/// Adds each source name of `target`; one name meaning two targets is an error.
fn insert_names(
    table: &mut HashMap<String, String>,
    at: &str,
    target: &str,
    names: &[String],
    problems: &mut Problems,
) {
    for (i, n) in names.iter().enumerate() {
        let key = fold(n);
        if let Some(prev) = table.get(&key).filter(|p| *p != target) {
            problems.push((
                format!("{at}/{i}"),
                format!("source name {n:?} already maps to {prev:?}"),
            ));
            continue;
        }
        table.insert(key, target.to_string());
    }
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
    fn folding_trims_and_ignores_case_in_cyrillic_and_kazakh() {
        assert_eq!(fold("  Прием   ЗАЯВЛЕНИЯ "), "прием заявления");
        assert_eq!(fold("ҚАБЫЛДАУ"), "қабылдау");
        assert_ne!(fold("Приём"), fold("Прием"));
    }

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

    #[test]
    fn a_mapping_with_a_format_that_can_never_match_is_refused_naming_it() {
        use crate::rules::{RulesSource, load, schema::Schema};
        let schema = Schema::bundled().unwrap();
        let catalog =
            Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let text = r#"{"time": {"formats": ["%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M.%", "%m.%Y"]}}"#;
        let errs = Mapping::parse("m.json", text, &catalog).unwrap_err();
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("m.json: /time/formats/1: format \"%d.%m.%Y %H.%M.%\""),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("m.json: /time/formats/2: format \"%m.%Y\" has no complete date"),
            "{shown:?}"
        );
    }
}
