//! The calendar file format: serde types for `rules/calendar/kz.json`, its JSON Schema
//! (`rules/calendar/kz.schema.json`, draft 2020-12) and the checks a schema cannot express.
//!
//! Loading is `parse -> schema -> deserialize -> check`; every error names the JSON pointer
//! of the field (`/days/12/date`), what was expected and what was found. Nothing here knows
//! about weekends or transfers: `rules.rs` turns the checked [`Data`] into days.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The schema every calendar file is validated against, embedded like the data.
pub(crate) const SCHEMA_JSON: &str = include_str!("../../rules/calendar/kz.schema.json");

/// Longest range a calendar file may declare, in years. Keeps a hostile `range` from
/// allocating gigabytes; a century is far beyond any real use.
const MAX_RANGE_YEARS: i32 = 200;

// ---------------------------------------------------------------------------------------------
// Serde model: exactly the file format.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    #[serde(rename = "title")]
    _title: Option<String>,
    #[serde(rename = "doc")]
    _doc: Option<String>,
    range: RangeDef,
    #[serde(rename = "legal_basis")]
    _legal_basis: BTreeMap<String, String>,
    holiday_rules: Vec<RuleDef>,
    days: Vec<DayDef>,
    years: Vec<YearDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeDef {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    name: String,
    dates: Option<Vec<String>>,
    movable: Option<bool>,
    from_year: Option<i32>,
    to_year: Option<i32>,
    weekend_transfer: bool,
    #[serde(rename = "source")]
    _source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DayDef {
    date: String,
    kind: EntryKind,
    rule: Option<String>,
    reason: String,
    #[serde(rename = "source")]
    _source: String,
    #[serde(rename = "verified")]
    _verified: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearDef {
    year: i32,
    transfers: Transfers,
    #[serde(rename = "source")]
    _source: String,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Transfers {
    Decreed,
    None,
}

/// What an explicit per-date entry declares.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EntryKind {
    /// A day off for a movable holiday (Kurban Ait) or a one-off holiday.
    Holiday,
    /// A working day declared a day off by decree.
    TransferDayOff,
    /// A day off (weekend, or a statutory transferred day off) declared a working day by decree.
    WorkingDay,
}

// ---------------------------------------------------------------------------------------------
// Checked model: what the rest of the calendar uses.
// ---------------------------------------------------------------------------------------------

/// A holiday rule after checking.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) name: String,
    /// Fixed (month, day) pairs; empty for a movable rule.
    pub(crate) dates: Vec<(u32, u32)>,
    pub(crate) movable: bool,
    pub(crate) from_year: Option<i32>,
    pub(crate) to_year: Option<i32>,
    pub(crate) weekend_transfer: bool,
}

impl Rule {
    /// Whether the rule makes days off in `year`.
    pub(crate) fn applies_in(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f) && self.to_year.is_none_or(|t| year <= t)
    }
}

/// One explicit per-date entry after checking.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) date: NaiveDate,
    pub(crate) kind: EntryKind,
    /// Index into [`Data::rules`] for a movable holiday.
    pub(crate) rule: Option<usize>,
    pub(crate) reason: String,
}

/// The checked content of a calendar file.
#[derive(Debug, Clone)]
pub(crate) struct Data {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    pub(crate) rules: Vec<Rule>,
    /// In date order, one per date.
    pub(crate) entries: Vec<Entry>,
    /// Years in range whose swap decrees are recorded (`decreed` or `none`), ascending.
    pub(crate) recorded_years: Vec<i32>,
}

/// A load error before it is tied to a file name: a JSON pointer (or a line and column)
/// and what was expected and found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct LoadError(pub(crate) String);

fn err(pointer: impl std::fmt::Display, message: impl std::fmt::Display) -> LoadError {
    LoadError(format!("{pointer}: {message}"))
}

fn parse_date(pointer: &str, text: &str) -> Result<NaiveDate, LoadError> {
    text.parse::<NaiveDate>().map_err(|_| {
        err(
            pointer,
            format!("expected a date YYYY-MM-DD, found {text:?}"),
        )
    })
}

fn parse_month_day(pointer: &str, text: &str) -> Result<(u32, u32), LoadError> {
    let bad = || {
        err(
            pointer,
            format!("expected a month-day MM-DD valid in every year, found {text:?}"),
        )
    };
    let (m, d) = text.split_once('-').ok_or_else(bad)?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let d: u32 = d.parse().map_err(|_| bad())?;
    // 2001 is not a leap year: 02-29 is refused, since it does not exist every year.
    NaiveDate::from_ymd_opt(2001, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

/// Validate `text` against the embedded schema, then deserialize and check it.
pub(crate) fn load(text: &str) -> Result<Data, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        LoadError(format!(
            "line {}, column {}: expected JSON: {}",
            e.line(),
            e.column(),
            e
        ))
    })?;
    validate_schema(&value)?;
    let file: File = serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer = crate::pointer::json_pointer(e.path());
        err(pointer, e.into_inner())
    })?;
    check(file)
}

fn validate_schema(value: &serde_json::Value) -> Result<(), LoadError> {
    let schema: serde_json::Value = serde_json::from_str(SCHEMA_JSON)
        .map_err(|e| LoadError(format!("embedded calendar schema: {e}")))?;
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| LoadError(format!("embedded calendar schema: {e}")))?;
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| {
            let pointer = crate::pointer::or_root(e.instance_path().as_str().to_owned());
            format!("{pointer}: {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(LoadError(format!(
            "schema violation: {}",
            errors.join("; ")
        )))
    }
}

/// Checks what the schema cannot: the range, then each part against it, in order.
fn check(file: File) -> Result<Data, LoadError> {
    let from = parse_date("/range/from", &file.range.from)?;
    let to = parse_date("/range/to", &file.range.to)?;
    if from > to {
        return Err(err(
            "/range",
            format!("expected from <= to, found {from} > {to}"),
        ));
    }
    if to.year() - from.year() >= MAX_RANGE_YEARS {
        return Err(err(
            "/range",
            format!("expected at most {MAX_RANGE_YEARS} years, found {from}..={to}"),
        ));
    }

    let (rules, rule_ix) = check_rules(&file)?;
    let entries = check_days(&file, from, to, &rules, &rule_ix)?;
    check_movable(&rules, &entries, from, to)?;
    let recorded_years = check_years(&file, from, to, &entries)?;
    Ok(Data {
        from,
        to,
        rules,
        entries,
        recorded_years,
    })
}

/// Holiday rules: unique ids, year bounds in order, either dates or movable.
fn check_rules(file: &File) -> Result<(Vec<Rule>, HashMap<&str, usize>), LoadError> {
    let mut rule_ix: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::with_capacity(file.holiday_rules.len());
    for (i, r) in file.holiday_rules.iter().enumerate() {
        let p = format!("/holiday_rules/{i}");
        if rule_ix.insert(r.id.as_str(), i).is_some() {
            return Err(err(
                format!("{p}/id"),
                format!("expected a unique id, found {:?} again", r.id),
            ));
        }
        if let (Some(f), Some(t)) = (r.from_year, r.to_year)
            && f > t
        {
            return Err(err(
                &p,
                format!("expected from_year <= to_year, found {f} > {t}"),
            ));
        }
        let movable = r.movable.unwrap_or(false);
        let mut dates = Vec::new();
        for (j, md) in r.dates.iter().flatten().enumerate() {
            dates.push(parse_month_day(&format!("{p}/dates/{j}"), md)?);
        }
        if movable != dates.is_empty() {
            return Err(err(&p, "expected either dates or movable: true"));
        }
        if movable && r.weekend_transfer {
            return Err(err(
                format!("{p}/weekend_transfer"),
                "expected false for a movable holiday, found true",
            ));
        }
        rules.push(Rule {
            name: r.name.clone(),
            dates,
            movable,
            from_year: r.from_year,
            to_year: r.to_year,
            weekend_transfer: r.weekend_transfer,
        });
    }

    Ok((rules, rule_ix))
}

/// Per-date entries: in range, in date order, one per date, rules resolved.
fn check_days(
    file: &File,
    from: NaiveDate,
    to: NaiveDate,
    rules: &[Rule],
    rule_ix: &HashMap<&str, usize>,
) -> Result<Vec<Entry>, LoadError> {
    let mut entries: Vec<Entry> = Vec::with_capacity(file.days.len());
    for (i, d) in file.days.iter().enumerate() {
        let p = format!("/days/{i}");
        let date = parse_date(&format!("{p}/date"), &d.date)?;
        if date < from || date > to {
            return Err(err(
                format!("{p}/date"),
                format!("expected a date inside the range {from}..={to}, found {date}"),
            ));
        }
        if let Some(prev) = entries.last()
            && prev.date >= date
        {
            let what = if prev.date == date {
                "a second entry for"
            } else {
                "out of order"
            };
            return Err(err(
                format!("{p}/date"),
                format!(
                    "expected dates in ascending order, one entry per date, found {what} {date}"
                ),
            ));
        }
        let rule = match (&d.rule, d.kind) {
            (None, _) => None,
            (Some(id), EntryKind::Holiday) => {
                let ix = *rule_ix.get(id.as_str()).ok_or_else(|| {
                    err(
                        format!("{p}/rule"),
                        format!("expected the id of a holiday rule, found {id:?}"),
                    )
                })?;
                let r = rules
                    .get(ix)
                    .ok_or_else(|| err(format!("{p}/rule"), "internal: rule index"))?;
                if !r.movable {
                    return Err(err(
                        format!("{p}/rule"),
                        format!("expected a movable holiday rule, found fixed-date rule {id:?}"),
                    ));
                }
                if !r.applies_in(date.year()) {
                    return Err(err(
                        format!("{p}/rule"),
                        format!("expected a rule in force in {}, found {id:?}", date.year()),
                    ));
                }
                Some(ix)
            }
            (Some(_), kind) => {
                return Err(err(
                    format!("{p}/rule"),
                    format!("expected no rule for kind {kind:?}, found one"),
                ));
            }
        };
        entries.push(Entry {
            date,
            kind: d.kind,
            rule,
            reason: d.reason.clone(),
        });
    }

    Ok(entries)
}

/// Every movable rule needs exactly one date in each year it applies.
fn check_movable(
    rules: &[Rule],
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), LoadError> {
    for (i, r) in rules.iter().enumerate().filter(|(_, r)| r.movable) {
        for year in from.year()..=to.year() {
            if !r.applies_in(year) {
                continue;
            }
            let n = entries
                .iter()
                .filter(|e| e.rule == Some(i) && e.date.year() == year)
                .count();
            if n != 1 {
                return Err(err(
                    format!("/holiday_rules/{i}"),
                    format!(
                        "expected one days entry for {:?} in {year}, found {n}",
                        r.name
                    ),
                ));
            }
        }
    }

    Ok(())
}

/// Years: unique, in range, consistent with the entries; returned sorted.
fn check_years(
    file: &File,
    from: NaiveDate,
    to: NaiveDate,
    entries: &[Entry],
) -> Result<Vec<i32>, LoadError> {
    let mut recorded_years = Vec::with_capacity(file.years.len());
    for (i, y) in file.years.iter().enumerate() {
        let p = format!("/years/{i}");
        if y.year < from.year() || y.year > to.year() {
            return Err(err(
                format!("{p}/year"),
                format!(
                    "expected a year inside {}..={}, found {}",
                    from.year(),
                    to.year(),
                    y.year
                ),
            ));
        }
        if recorded_years.contains(&y.year) {
            return Err(err(
                format!("{p}/year"),
                format!("expected a unique year, found {} again", y.year),
            ));
        }
        let swaps = entries
            .iter()
            .filter(|e| e.date.year() == y.year && e.kind != EntryKind::Holiday)
            .count();
        match (y.transfers, swaps) {
            (Transfers::Decreed, 0) => {
                return Err(err(
                    format!("{p}/transfers"),
                    format!(
                        "expected swapped days in days for {} marked decreed, found none",
                        y.year
                    ),
                ));
            }
            (Transfers::None, n) if n > 0 => {
                return Err(err(
                    format!("{p}/transfers"),
                    format!(
                        "expected no swapped days for {} marked none, found {n}",
                        y.year
                    ),
                ));
            }
            _ => {}
        }
        recorded_years.push(y.year);
    }
    recorded_years.sort_unstable();
    Ok(recorded_years)
}
