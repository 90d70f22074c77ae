//! Our calendar against an independent one (issue 7): the Python package `holidays`, whose
//! KZ calendar was built apart from `rules/calendar/kz.json` and cites the adilet.zan.kz
//! act behind each decreed swap. `scripts/export_holidays_kz.py` exported its view of every
//! day of 2013-2025 to `tests/data/holidays-kz-2013-2025.json` (the package version is in
//! the file); no Python is needed here.
//!
//! Each day is compared twice: the working/non-working verdict (what every deadline depends
//! on), and the class of the day (working, a named day off, or a plain weekend day), which
//! catches a day off that both sides have but for different reasons. Every disagreement
//! must be listed in `tests/data/holidays-kz-disagreements.json` with the act or
//! announcement that settles it and which side is right; a listed disagreement that no
//! longer disagrees fails too, so the list stays honest.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use reglament::calendar::{Calendar, DayKind};
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("data/holidays-kz-2013-2025.json");
const DISAGREEMENTS: &str = include_str!("data/holidays-kz-disagreements.json");

/// How one side classifies a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A working day (ordinary, or a weekend day declared working).
    Working,
    /// A day off with a name: a holiday, a transferred or a decreed day off.
    NamedDayOff,
    /// An ordinary Saturday or Sunday.
    Weekend,
}

impl Class {
    fn code(self) -> &'static str {
        match self {
            Class::Working => "working",
            Class::NamedDayOff => "named_day_off",
            Class::Weekend => "weekend",
        }
    }

    fn parse(s: &str) -> Option<Class> {
        match s {
            "working" => Some(Class::Working),
            "named_day_off" => Some(Class::NamedDayOff),
            "weekend" => Some(Class::Weekend),
            _ => None,
        }
    }

    fn of_ours(kind: DayKind) -> Class {
        match kind {
            DayKind::Working | DayKind::DecreedWorkingDay => Class::Working,
            DayKind::Weekend => Class::Weekend,
            DayKind::Holiday | DayKind::TransferredDayOff | DayKind::DecreedDayOff => {
                Class::NamedDayOff
            }
        }
    }

    fn of_package(day: &Value) -> Class {
        let working = day["working"].as_bool().expect("working is a boolean");
        let named = day["names"].as_array().is_some_and(|n| !n.is_empty());
        match (working, named) {
            (true, _) => Class::Working,
            (false, true) => Class::NamedDayOff,
            (false, false) => Class::Weekend,
        }
    }
}

/// One listed disagreement: what each side says of the date.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    ours: Class,
    package: Class,
}

fn listed(list: &Value) -> BTreeMap<NaiveDate, Listed> {
    let mut out = BTreeMap::new();
    let entries = list["disagreements"]
        .as_array()
        .expect("disagreements is an array");
    for (i, e) in entries.iter().enumerate() {
        let date: NaiveDate = e["date"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("/disagreements/{i}/date: expected YYYY-MM-DD"));
        for field in ["right", "settled_by", "why"] {
            let text = e[field].as_str().unwrap_or_default();
            assert!(
                !text.is_empty(),
                "/disagreements/{i}/{field}: every disagreement says who is right, by which act, and why"
            );
        }
        let right = e["right"].as_str().unwrap_or_default();
        assert!(
            matches!(right, "ours" | "package"),
            "/disagreements/{i}/right: expected \"ours\" or \"package\", found {right:?}"
        );
        let class = |field: &str| {
            e[field]
                .as_str()
                .and_then(Class::parse)
                .unwrap_or_else(|| panic!("/disagreements/{i}/{field}: expected a class code"))
        };
        let entry = Listed {
            ours: class("ours"),
            package: class("package"),
        };
        assert!(
            out.insert(date, entry).is_none(),
            "/disagreements/{i}: {date} listed twice"
        );
    }
    out
}

/// Every problem found when comparing `cal` with the exported `fixture` under the `list` of
/// known disagreements; empty when they agree except where the list says so.
fn compare(cal: &Calendar, fixture: &Value, list: &Value) -> Vec<String> {
    let known = listed(list);
    let mut seen = BTreeMap::new();
    let mut problems = Vec::new();
    let days = fixture["days"].as_array().expect("days is an array");
    for day in days {
        let date: NaiveDate = day["date"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("date is YYYY-MM-DD");
        let ours = match cal.day(date) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!("{date}: {e}"));
                continue;
            }
        };
        let (mine, theirs) = (Class::of_ours(ours.kind), Class::of_package(day));
        if mine == theirs {
            continue;
        }
        let found = Listed {
            ours: mine,
            package: theirs,
        };
        if known.contains_key(&date) {
            seen.insert(date, ());
        }
        match known.get(&date) {
            Some(l) if *l == found => {}
            Some(l) => problems.push(format!(
                "{date}: listed as ours {} / package {}, found ours {} ({:?}) / package {} ({})",
                l.ours.code(),
                l.package.code(),
                mine.code(),
                ours.reason,
                theirs.code(),
                day["names"]
            )),
            None => problems.push(format!(
                "{date}: not listed: ours {} ({:?}), package {} ({}); settle it with the act and list it in tests/data/holidays-kz-disagreements.json",
                mine.code(),
                ours.reason,
                theirs.code(),
                day["names"]
            )),
        }
    }
    for date in known.keys() {
        if !seen.contains_key(date) {
            problems.push(format!(
                "{date}: listed as a disagreement but the two calendars agree now: remove it from the list"
            ));
        }
    }
    problems
}

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture is JSON")
}

fn list() -> Value {
    serde_json::from_str(DISAGREEMENTS).expect("disagreement list is JSON")
}

#[test]
fn fixture_covers_2013_to_2025_day_by_day_and_names_its_version() {
    let f = fixture();
    assert_eq!(f["package"], "holidays");
    assert_eq!(f["version"], "0.109", "regenerate with the pinned version");
    let days = f["days"].as_array().unwrap();
    let first: NaiveDate = "2013-01-01".parse().unwrap();
    let last: NaiveDate = "2025-12-31".parse().unwrap();
    let dates: Vec<NaiveDate> = days
        .iter()
        .map(|d| d["date"].as_str().unwrap().parse().unwrap())
        .collect();
    let expected: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    assert_eq!(dates, expected, "one entry per day, in order, no gaps");
    assert_eq!(
        list()["version"],
        f["version"],
        "list written for this version"
    );
}

#[test]
fn our_calendar_agrees_with_the_independent_one_except_where_listed() {
    let cal = Calendar::kazakhstan().unwrap();
    let problems = compare(&cal, &fixture(), &list());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_working_day_verdict_agrees_on_every_day_2013_to_2025() {
    // The verdict is what a deadline depends on: every listed disagreement must be about the
    // reason for a day off, never about whether a day is worked, unless it says so.
    let cal = Calendar::kazakhstan().unwrap();
    let f = fixture();
    let known = listed(&list());
    let mut differ = Vec::new();
    for day in f["days"].as_array().unwrap() {
        let date: NaiveDate = day["date"].as_str().unwrap().parse().unwrap();
        let package = day["working"].as_bool().unwrap();
        if cal.is_working_day(date).unwrap() != package {
            differ.push(date);
        }
    }
    let listed_verdicts: Vec<NaiveDate> = known
        .iter()
        .filter(|(_, l)| (l.ours == Class::Working) != (l.package == Class::Working))
        .map(|(d, _)| *d)
        .collect();
    assert_eq!(differ, listed_verdicts);
}

#[test]
fn issue_7_resolved_disagreements_stay_resolved() {
    // Kurban Ait 2024 (DUMK and Ministry of Labour, 7 June 2024) and the May 2013 / May 2019
    // swaps (Government resolutions No. 345 of 2013 and No. 888 of 2018): the package was
    // right, our data was fixed, and the package's answer is pinned here.
    let f = fixture();
    let resolved = list()["resolved"].as_array().unwrap().clone();
    assert!(!resolved.is_empty());
    let by_date: BTreeMap<&str, &Value> = f["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["date"].as_str().unwrap(), d))
        .collect();
    let cal = Calendar::kazakhstan().unwrap();
    for r in &resolved {
        let date = r["date"].as_str().unwrap();
        let d: NaiveDate = date.parse().unwrap();
        let working = r["working"].as_bool().unwrap();
        assert_eq!(
            by_date[date]["working"],
            json!(working),
            "package on {date}"
        );
        assert_eq!(cal.is_working_day(d).unwrap(), working, "ours on {date}");
        assert!(!r["settled_by"].as_str().unwrap_or_default().is_empty());
    }
}

// ------------------------------------------------------------------------------------------
// The comparison itself: an unlisted disagreement and a stale listing both fail.
// ------------------------------------------------------------------------------------------

fn with_day(f: &Value, date: &str, working: bool, names: &[&str]) -> Value {
    let mut f = f.clone();
    for d in f["days"].as_array_mut().unwrap() {
        if d["date"] == date {
            *d = json!({"date": date, "working": working, "names": names});
        }
    }
    f
}

#[test]
fn an_unlisted_disagreement_fails() {
    let cal = Calendar::kazakhstan().unwrap();
    // Pretend the package kept 17 June 2024 as Kurban Ait, as the early calendar did.
    let f = with_day(&fixture(), "2024-06-17", false, &["Eid al-Adha"]);
    let problems = compare(&cal, &f, &list());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("2024-06-17: not listed"),
        "{problems:?}"
    );
}

#[test]
fn a_listed_disagreement_that_no_longer_disagrees_fails() {
    let cal = Calendar::kazakhstan().unwrap();
    let mut l = list();
    l["disagreements"].as_array_mut().unwrap().push(json!({
        "date": "2024-06-18", "ours": "working", "package": "named_day_off",
        "right": "ours", "settled_by": "test", "why": "test"
    }));
    let problems = compare(&cal, &fixture(), &l);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("agree now"), "{problems:?}");
}

#[test]
fn a_listing_with_the_wrong_sides_fails() {
    let cal = Calendar::kazakhstan().unwrap();
    let f = with_day(&fixture(), "2024-06-18", false, &["Eid al-Adha"]);
    let mut l = list();
    l["disagreements"].as_array_mut().unwrap().push(json!({
        "date": "2024-06-18", "ours": "weekend", "package": "named_day_off",
        "right": "ours", "settled_by": "test", "why": "test"
    }));
    let problems = compare(&cal, &f, &l);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("listed as ours weekend"),
        "{problems:?}"
    );
}
