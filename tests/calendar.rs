//! The Kazakhstan working-day calendar (issue 3): holiday rules, the weekend transfer, decreed
//! swaps, Kurban Ait, the 2022 holiday-law changes, dates outside the data, the file checks,
//! working-day arithmetic (property tests) and an exhaustive day-by-day comparison with a
//! straightforward reimplementation from `rules/calendar/kz.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use reglament::calendar::{Calendar, DayKind, KZ_JSON, OutOfRange};
use reglament::cli::{Format as DaysFormat, calendar as cli};
use serde_json::{Value, json};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| Calendar::kazakhstan().unwrap())
}

fn working(date: NaiveDate) -> bool {
    cal().is_working_day(date).unwrap()
}

#[track_caller]
fn assert_off(date: NaiveDate) {
    assert!(
        !working(date),
        "{date} should be a day off ({:?})",
        cal().reason(date)
    );
}

#[track_caller]
fn assert_working(date: NaiveDate) {
    assert!(
        working(date),
        "{date} should be a working day ({:?})",
        cal().reason(date)
    );
}

#[track_caller]
fn assert_reason_contains(date: NaiveDate, needle: &str) {
    let reason = cal().reason(date).unwrap().unwrap_or_default();
    assert!(
        reason.contains(needle),
        "{date}: reason {reason:?} should contain {needle:?}"
    );
}

// ------------------------------------------------------------------------------------------
// Range and load
// ------------------------------------------------------------------------------------------

#[test]
fn bundled_calendar_covers_2013_to_2026() {
    let (from, to) = cal().range();
    assert!(from <= d(2013, 1, 1));
    assert!(to >= d(2026, 12, 31));
}

#[test]
fn years_without_decree_are_reported_not_hidden() {
    // 2026: only the Kurban Ait date is recorded so far; 2015 is recorded as "no transfers
    // decreed" and so is not reported (2019 had a swap decree, issue 7).
    assert_eq!(cal().years_without_decree(), vec![2026]);
}

// ------------------------------------------------------------------------------------------
// Every holiday rule
// ------------------------------------------------------------------------------------------

#[test]
fn rule_new_year() {
    assert_off(d(2014, 1, 1));
    assert_off(d(2014, 1, 2));
    assert_reason_contains(d(2014, 1, 1), "New Year");
    assert_working(d(2019, 1, 3));
}

#[test]
fn rule_orthodox_christmas_is_not_transferred() {
    assert_off(d(2015, 1, 7));
    assert_reason_contains(d(2015, 1, 7), "Orthodox Christmas");
    // 2017-01-07 and 2023-01-07 were Saturdays: no transfer to Monday.
    assert_working(d(2017, 1, 9));
    assert_working(d(2023, 1, 9));
}

#[test]
fn rule_womens_day() {
    assert_off(d(2019, 3, 8));
    assert_reason_contains(d(2019, 3, 8), "Women");
    // Saturday 2014-03-08: the day off moves to Monday 10 March.
    assert_off(d(2014, 3, 10));
    assert_reason_contains(d(2014, 3, 10), "International Women's Day");
}

#[test]
fn rule_nauryz_three_days() {
    for day in 21..=22 {
        assert_off(d(2019, 3, day));
    }
    // 23 March 2019 was a Saturday: Monday 25 March was the day off.
    assert_off(d(2019, 3, 25));
    assert_working(d(2019, 3, 26));
    assert_reason_contains(d(2019, 3, 21), "Nauryz");
}

#[test]
fn rule_may_holidays() {
    assert_off(d(2019, 5, 1));
    assert_reason_contains(d(2019, 5, 1), "Unity");
    assert_off(d(2019, 5, 7));
    assert_reason_contains(d(2019, 5, 7), "Defender");
    assert_off(d(2019, 5, 9));
    assert_reason_contains(d(2019, 5, 9), "Victory");
    assert_working(d(2019, 5, 8));
}

#[test]
fn rule_capital_day() {
    assert_off(d(2021, 7, 6));
    // Saturday 2019-07-06: Monday 8 July off.
    assert_off(d(2019, 7, 8));
    assert_reason_contains(d(2019, 7, 8), "Capital Day");
}

#[test]
fn rule_constitution_day() {
    assert_off(d(2019, 8, 30));
    // Sunday 2015-08-30: Monday 31 August off.
    assert_off(d(2015, 8, 31));
    assert_reason_contains(d(2015, 8, 31), "Constitution Day");
}

#[test]
fn rule_republic_day_from_2022() {
    assert_working(d(2021, 10, 25)); // Monday, not yet a holiday
    assert_off(d(2023, 10, 25));
    assert_reason_contains(d(2023, 10, 25), "Republic Day");
    // Saturday 2025-10-25: Monday 27 October off.
    assert_off(d(2025, 10, 27));
}

#[test]
fn rule_first_president_day_2012_to_2021() {
    assert_off(d(2021, 12, 1));
    assert_reason_contains(d(2021, 12, 1), "First President");
    // Sunday 2019-12-01: Monday 2 December off.
    assert_off(d(2019, 12, 2));
    assert_working(d(2022, 12, 1)); // Thursday, holiday abolished in 2022
    assert_working(d(2023, 12, 1));
}

#[test]
fn rule_independence_day() {
    assert_off(d(2021, 12, 16));
    assert_off(d(2021, 12, 17));
    assert_off(d(2024, 12, 16));
    assert_reason_contains(d(2024, 12, 16), "Independence Day");
    // 2017: 16-17 December on Sat-Sun, days off Mon 18 and Tue 19.
    assert_off(d(2017, 12, 18));
    assert_off(d(2017, 12, 19));
    assert_working(d(2017, 12, 20));
}

#[test]
fn rule_kurban_ait_on_the_announced_date() {
    for date in [
        d(2013, 10, 15),
        d(2015, 9, 24),
        d(2016, 9, 12),
        d(2017, 9, 1),
        d(2018, 8, 21),
        d(2020, 7, 31),
        d(2021, 7, 20),
        d(2023, 6, 28),
        d(2024, 6, 16),
        d(2025, 6, 6),
        d(2026, 5, 27),
    ] {
        assert_off(date);
        assert_eq!(cal().day_kind(date).unwrap(), DayKind::Holiday);
        assert_reason_contains(date, "Kurban Ait");
    }
    // 2024: on Sunday 16 June, so Monday 17 June is worked (issue 7).
    assert_working(d(2024, 6, 17));
}

#[test]
fn kurban_ait_on_a_weekend_is_not_transferred() {
    // 2014-10-04 and 2022-07-09 were Saturdays, 2019-08-11 and 2024-06-16 Sundays.
    assert_reason_contains(d(2014, 10, 4), "Kurban Ait");
    assert_working(d(2014, 10, 6));
    assert_reason_contains(d(2022, 7, 9), "Kurban Ait");
    assert_working(d(2022, 7, 11));
    assert_reason_contains(d(2019, 8, 11), "Kurban Ait");
    assert_working(d(2019, 8, 12));
    assert_reason_contains(d(2024, 6, 16), "Kurban Ait");
    assert_working(d(2024, 6, 17));
}

/// Issue 7: Kurban Ait 2024 began on Sunday 16 June (Spiritual Administration of Muslims of
/// Kazakhstan, 7 June 2024), and the Ministry of Labour said the same day that Monday 17
/// June stays a working day: a religious holiday on a day off is not transferred. Before
/// the fix 17 June was a day off and every working-day deadline across it was a day late.
#[test]
fn issue_7_kurban_ait_2024_fell_on_sunday_16_june() {
    assert_eq!(d(2024, 6, 16).weekday(), Weekday::Sun);
    assert_eq!(cal().day_kind(d(2024, 6, 16)).unwrap(), DayKind::Holiday);
    assert_reason_contains(d(2024, 6, 16), "Kurban Ait");
    assert_eq!(cal().day_kind(d(2024, 6, 17)).unwrap(), DayKind::Working);
    assert_eq!(cal().reason(d(2024, 6, 17)).unwrap(), None);
    // Filed on Friday 14 June: day 1 is Monday 17 June, day 2 Tuesday 18 June.
    assert_eq!(
        cal().add_working_days(d(2024, 6, 14), 1).unwrap(),
        d(2024, 6, 17)
    );
    assert_eq!(
        cal().add_working_days(d(2024, 6, 14), 2).unwrap(),
        d(2024, 6, 18)
    );
    assert_eq!(
        cal()
            .working_days_between(d(2024, 6, 14), d(2024, 6, 18))
            .unwrap(),
        2
    );
}

/// Issue 7: a religious holiday (Kurban Ait, Orthodox Christmas) that falls on a day off is
/// not moved to the next working day (Labour Code article 84; Law No. 267-II article 5
/// transfers public holidays only; Ministry of Labour, 7 June 2024). The data says so for
/// both rules, the schema refuses a movable holiday that claims a transfer, and the
/// calendar never moves one.
#[test]
fn issue_7_religious_holidays_are_never_transferred() {
    let v = kz();
    for rule in v["holiday_rules"].as_array().unwrap() {
        if rule["id"] == "kurban_ait" || rule["id"] == "orthodox_christmas" {
            assert_eq!(rule["weekend_transfer"], false, "{}", rule["id"]);
        }
    }
    // Orthodox Christmas on Sundays 2018-01-07 and 2024-01-07: Monday is worked.
    assert_off(d(2018, 1, 7));
    assert_working(d(2018, 1, 8));
    assert_off(d(2024, 1, 7));
    assert_working(d(2024, 1, 8));
    // A movable holiday that claims a weekend transfer is refused at load.
    let mut v = kz();
    let rules = v["holiday_rules"].as_array_mut().unwrap();
    let i = rules.iter().position(|r| r["id"] == "kurban_ait").unwrap();
    rules[i]["weekend_transfer"] = json!(true);
    assert_contains(
        &load_err(&v),
        &format!("/holiday_rules/{i}/weekend_transfer: false was expected"),
    );
}

/// Issue 7: Saturday 4 May was worked and Friday 10 May was a day off in 2013 (Government
/// resolution No. 345 of 2013) and in 2019 (Government resolution No. 888 of 2018); both
/// swaps were missing and 2019 was recorded as a year without a swap decree.
#[test]
fn issue_7_may_swaps_of_2013_and_2019() {
    for year in [2013, 2019] {
        assert_eq!(d(year, 5, 4).weekday(), Weekday::Sat);
        assert_swap(d(year, 5, 4), d(year, 5, 10));
        // Filed on Wednesday 8 May: 9 May (Victory Day), 10 May (moved day off) and the
        // weekend do not count, so day 1 is Monday 13 May.
        assert_eq!(
            cal().add_working_days(d(year, 5, 8), 1).unwrap(),
            d(year, 5, 13)
        );
        // Filed on Friday 3 May: day 1 is the working Saturday 4 May.
        assert_eq!(
            cal().add_working_days(d(year, 5, 3), 1).unwrap(),
            d(year, 5, 4)
        );
    }
    assert_reason_contains(d(2013, 5, 10), "No. 345");
    assert_reason_contains(d(2019, 5, 4), "No. 888");
}

// ------------------------------------------------------------------------------------------
// Weekend transfer
// ------------------------------------------------------------------------------------------

#[test]
fn weekend_transfer_two_holidays_on_one_weekend() {
    // New Year 2022 on Sat-Sun: days off Mon 3 and Tue 4 January.
    assert_off(d(2022, 1, 3));
    assert_off(d(2022, 1, 4));
    assert_working(d(2022, 1, 5));
    assert_eq!(
        cal().day_kind(d(2022, 1, 3)).unwrap(),
        DayKind::TransferredDayOff
    );
    assert_reason_contains(d(2022, 1, 4), "New Year (Sun 2022-01-02)");
}

#[test]
fn weekend_transfer_skips_a_following_holiday() {
    // 7 May 2016 (Sat): Monday 9 May is Victory Day, so the day off is Tuesday 10 May.
    assert_off(d(2016, 5, 9));
    assert_off(d(2016, 5, 10));
    assert_reason_contains(d(2016, 5, 10), "Defender");
    assert_working(d(2016, 5, 11));
    // 1 May 2016 (Sun): Monday 2 May.
    assert_off(d(2016, 5, 2));
}

#[test]
fn weekend_transfer_nauryz_on_sat_sun_mon() {
    // 2015 and 2020: 21 Sat, 22 Sun, 23 Mon -> 24 and 25 March off.
    for y in [2015, 2020] {
        assert_off(d(y, 3, 23));
        assert_off(d(y, 3, 24));
        assert_off(d(y, 3, 25));
        assert_working(d(y, 3, 26));
    }
}

#[test]
fn weekend_transfer_after_a_holiday_block() {
    // 2018: 16 December a Sunday, 17 December a Monday holiday -> Tuesday 18 off.
    assert_off(d(2018, 12, 17));
    assert_off(d(2018, 12, 18));
    assert_working(d(2018, 12, 19));
}

// ------------------------------------------------------------------------------------------
// Decreed swaps
// ------------------------------------------------------------------------------------------

#[track_caller]
fn assert_swap(work: NaiveDate, rest: NaiveDate) {
    assert_working(work);
    assert_off(rest);
    assert_eq!(cal().day_kind(work).unwrap(), DayKind::DecreedWorkingDay);
    assert_eq!(cal().day_kind(rest).unwrap(), DayKind::DecreedDayOff);
}

#[test]
fn decreed_swaps_in_many_years() {
    assert_swap(d(2013, 10, 12), d(2013, 10, 14));
    assert_swap(d(2013, 12, 28), d(2014, 1, 3));
    assert_swap(d(2014, 5, 4), d(2014, 5, 2)); // a working Sunday
    assert_swap(d(2016, 3, 5), d(2016, 3, 7));
    assert_swap(d(2017, 7, 1), d(2017, 7, 7));
    assert_swap(d(2018, 3, 3), d(2018, 3, 9));
    assert_swap(d(2018, 12, 29), d(2018, 12, 31));
    assert_swap(d(2021, 7, 3), d(2021, 7, 5));
    assert_swap(d(2022, 10, 22), d(2022, 10, 24));
    assert_swap(d(2023, 7, 1), d(2023, 7, 7));
    assert_swap(d(2024, 5, 4), d(2024, 5, 8));
    assert_swap(d(2025, 1, 5), d(2025, 1, 3)); // a working Sunday
}

#[test]
fn a_decreed_working_saturday_counts() {
    let sat = d(2024, 5, 4);
    assert_eq!(sat.weekday(), Weekday::Sat);
    assert_working(sat);
    assert_reason_contains(sat, "Ministry of Labour");
    assert_eq!(cal().add_working_days(d(2024, 5, 3), 1).unwrap(), sat);
    assert_eq!(
        cal()
            .working_days_between(d(2024, 5, 3), d(2024, 5, 6))
            .unwrap(),
        2
    );
}

#[test]
fn a_decree_can_cancel_a_statutory_transfer() {
    // Victory Day 2020 on a Saturday would give Monday 11 May off; the 2020 resolution
    // moved that day off to Friday 8 May.
    assert_off(d(2020, 5, 8));
    assert_working(d(2020, 5, 11));
    assert_eq!(
        cal().day_kind(d(2020, 5, 11)).unwrap(),
        DayKind::DecreedWorkingDay
    );
}

#[test]
fn decree_reasons_name_the_decree() {
    assert_reason_contains(d(2022, 3, 5), "No. 713 of 6 October 2021");
    assert_reason_contains(d(2023, 7, 7), "25 April 2023");
}

// ------------------------------------------------------------------------------------------
// The holiday-law changes of 2022
// ------------------------------------------------------------------------------------------

#[test]
fn law_changes_of_2022() {
    // 25 October added: Tuesday 2022-10-25 off (with the decreed Mon 24 / Sat 22 swap).
    assert_off(d(2022, 10, 25));
    assert_reason_contains(d(2022, 10, 25), "Republic Day");
    assert_working(d(2020, 10, 26)); // Monday after Sunday 2020-10-25: no holiday then
    // 1 December dropped: Thursday 2022-12-01 a working day; 2021-12-01 was a day off.
    assert_working(d(2022, 12, 1));
    assert_off(d(2021, 12, 1));
    // 17 December dropped: 2022-12-17 is an ordinary Saturday, Monday 19 December works.
    assert_eq!(cal().reason(d(2022, 12, 17)).unwrap(), Some("Saturday"));
    assert_working(d(2022, 12, 19));
    assert_off(d(2022, 12, 16));
    // 2016-12-17 (Saturday) was still a holiday: Monday 19 December off.
    assert_off(d(2016, 12, 19));
}

// ------------------------------------------------------------------------------------------
// Reasons
// ------------------------------------------------------------------------------------------

#[test]
fn reasons() {
    assert_eq!(cal().reason(d(2024, 5, 6)).unwrap(), None);
    assert_eq!(cal().reason(d(2024, 5, 11)).unwrap(), Some("Saturday"));
    assert_eq!(cal().reason(d(2024, 5, 12)).unwrap(), Some("Sunday"));
    assert_eq!(cal().reason(d(2024, 5, 9)).unwrap(), Some("Victory Day"));
    let day = cal().day(d(2024, 5, 11)).unwrap();
    assert!(!day.working);
    assert_eq!(day.kind, DayKind::Weekend);
}

// ------------------------------------------------------------------------------------------
// Outside the data: errors, never panics
// ------------------------------------------------------------------------------------------

#[test]
fn dates_outside_the_data_are_errors() {
    let c = cal();
    let (from, to) = c.range();
    let before = from.pred_opt().unwrap();
    let after = to.succ_opt().unwrap();
    let expect = |date| OutOfRange { date, from, to };

    assert_eq!(c.is_working_day(before), Err(expect(before)));
    assert_eq!(c.is_working_day(after), Err(expect(after)));
    assert_eq!(c.reason(after), Err(expect(after)));
    assert_eq!(c.add_working_days(before, 1), Err(expect(before)));
    assert_eq!(c.add_working_days(after, 0), Err(expect(after)));
    assert_eq!(c.working_days_between(before, to), Err(expect(before)));
    assert_eq!(c.working_days_between(from, after), Err(expect(after)));
    assert_eq!(c.next_working_day_on_or_after(after), Err(expect(after)));
    assert!(c.days(from, after).is_err());
    assert!(c.is_working_day(NaiveDate::MAX).is_err());
    assert!(c.is_working_day(NaiveDate::MIN).is_err());

    // A deadline after the data names the first date after the range.
    assert_eq!(c.add_working_days(d(2026, 12, 31), 1), Err(expect(after)));
    assert_eq!(c.add_working_days(from, u32::MAX), Err(expect(after)));
    let total = c.working_days_between(from, to).unwrap();
    let last = c
        .add_working_days(from, u32::try_from(total).unwrap())
        .unwrap();
    assert!(last <= to);
    assert_eq!(
        c.add_working_days(from, u32::try_from(total + 1).unwrap()),
        Err(expect(after))
    );

    let message = c.is_working_day(after).unwrap_err().to_string();
    assert_eq!(
        message,
        "date 2027-01-01 is outside the calendar range 2013-01-01..=2026-12-31"
    );
}

#[test]
fn a_range_ending_on_days_off_never_walks_out() {
    // A tiny calendar whose last days are a weekend: bdays would walk past its end.
    let mut v = minimal();
    v["range"] = json!({"from": "2024-06-03", "to": "2024-06-09"}); // Mon..Sun
    let c = Calendar::from_json(&v.to_string(), "test").unwrap();
    assert_eq!(
        c.working_days_between(d(2024, 6, 8), d(2024, 6, 9))
            .unwrap(),
        0
    );
    assert_eq!(
        c.working_days_between(d(2024, 6, 3), d(2024, 6, 9))
            .unwrap(),
        4
    );
    assert_eq!(
        c.working_days_between(d(2024, 6, 9), d(2024, 6, 3))
            .unwrap(),
        -4
    );
    assert!(c.next_working_day_on_or_after(d(2024, 6, 8)).is_err());
    assert!(c.add_working_days(d(2024, 6, 7), 1).is_err());
    assert_eq!(c.add_working_days(d(2024, 6, 3), 4).unwrap(), d(2024, 6, 7));
    assert_eq!(c.years_without_decree(), vec![2024]);

    // A range without any working day.
    v["range"] = json!({"from": "2024-06-08", "to": "2024-06-09"});
    let c = Calendar::from_json(&v.to_string(), "test").unwrap();
    assert_eq!(
        c.working_days_between(d(2024, 6, 8), d(2024, 6, 9))
            .unwrap(),
        0
    );
    assert!(c.add_working_days(d(2024, 6, 8), 0).is_err());
    assert!(c.add_working_days(d(2024, 6, 8), 1).is_err());
}

// ------------------------------------------------------------------------------------------
// The data file: checks and hostile input
// ------------------------------------------------------------------------------------------

/// A small valid calendar: one rule, no entries.
fn minimal() -> Value {
    json!({
        "range": {"from": "2024-01-01", "to": "2024-12-31"},
        "legal_basis": {"holidays": "test"},
        "holiday_rules": [
            {"id": "new_year", "name": "New Year", "dates": ["01-01"], "weekend_transfer": true, "source": "test"}
        ],
        "days": [],
        "years": []
    })
}

fn kz() -> Value {
    serde_json::from_str(KZ_JSON).unwrap()
}

#[track_caller]
fn load_err(v: &Value) -> String {
    Calendar::from_json(&v.to_string(), "test.json")
        .unwrap_err()
        .to_string()
}

#[track_caller]
fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "{haystack:?} should contain {needle:?}"
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    let e = Calendar::from_json("{\n  \"range\": ,\n}", "bad.json").unwrap_err();
    assert_eq!(e.origin, "bad.json");
    assert_contains(&e.message, "line 2, column");
    assert!(Calendar::from_json("", "empty.json").is_err());
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", minimal().to_string().replace(',', ",\r\n"));
    assert!(Calendar::from_json(&text, "bom.json").is_ok());
}

#[test]
fn schema_errors_name_the_json_pointer() {
    let mut v = kz();
    v["days"][3]["kind"] = json!("day_off");
    assert_contains(&load_err(&v), "/days/3/kind");

    let mut v = kz();
    v["days"][0]["date"] = json!(20131012);
    assert_contains(&load_err(&v), "/days/0/date");

    let mut v = kz();
    v["days"][0]["date"] = json!("2013-02-30");
    assert_contains(&load_err(&v), "/days/0/date");

    let mut v = kz();
    v["holiday_rules"][2]["weekend_transfer"] = json!("yes");
    assert_contains(&load_err(&v), "/holiday_rules/2/weekend_transfer");

    let mut v = kz();
    v["holiday_rules"][0]["dates"] = json!(["13-01"]);
    assert_contains(&load_err(&v), "/holiday_rules/0/dates/0");

    let mut v = kz();
    v["unexpected"] = json!(1);
    assert_contains(&load_err(&v), "schema violation");

    let mut v = kz();
    v["days"][0].as_object_mut().unwrap().remove("source");
    assert_contains(&load_err(&v), "/days/0");
}

#[test]
fn semantic_errors_name_the_entry() {
    // Outside the range.
    let mut v = minimal();
    v["days"] = json!([{"date": "2025-01-06", "kind": "transfer_day_off", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(
        &load_err(&v),
        "/days/0/date: expected a date inside the range 2024-01-01..=2024-12-31, found 2025-01-06",
    );

    // Out of order and duplicate dates.
    let mut v = kz();
    let days = v["days"].as_array_mut().unwrap();
    days.swap(0, 1);
    assert_contains(
        &load_err(&v),
        "/days/1/date: expected dates in ascending order",
    );

    let mut v = kz();
    let first = v["days"][0].clone();
    v["days"].as_array_mut().unwrap().insert(1, first);
    assert_contains(&load_err(&v), "/days/1/date");

    // A working_day on an ordinary working day, or on a public holiday.
    let mut v = minimal();
    v["days"] = json!([{"date": "2024-05-06", "kind": "working_day", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(&load_err(&v), "/days/0: expected a day off");
    let mut v = minimal();
    v["days"] = json!([{"date": "2024-01-01", "kind": "working_day", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(&load_err(&v), "public holiday \"New Year\"");

    // A transfer_day_off on a weekend.
    let mut v = minimal();
    v["days"] = json!([{"date": "2024-05-04", "kind": "transfer_day_off", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(&load_err(&v), "/days/0: expected a working day");

    // An unknown rule, and a fixed-date rule used as a movable one.
    let mut v = minimal();
    v["days"] = json!([{"date": "2024-06-17", "kind": "holiday", "rule": "kurban", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(&load_err(&v), "/days/0/rule");
    let mut v = minimal();
    v["days"] = json!([{"date": "2024-06-17", "kind": "holiday", "rule": "new_year", "reason": "r", "source": "s", "verified": false}]);
    assert_contains(&load_err(&v), "expected a movable holiday rule");

    // A year marked decreed without swaps, and marked none with swaps.
    let mut v = minimal();
    v["years"] = json!([{"year": 2024, "transfers": "decreed", "source": "s"}]);
    assert_contains(&load_err(&v), "/years/0/transfers");
    let mut v = kz();
    let years = v["years"].as_array_mut().unwrap();
    let y2018 = years.iter_mut().find(|y| y["year"] == 2018).unwrap();
    y2018["transfers"] = json!("none");
    assert_contains(&load_err(&v), "expected no swapped days for 2018");

    // Reversed range.
    let mut v = minimal();
    v["range"] = json!({"from": "2024-12-31", "to": "2024-01-01"});
    assert_contains(&load_err(&v), "/range: expected from <= to");

    // A hostile range.
    let mut v = minimal();
    v["range"] = json!({"from": "0001-01-01", "to": "9999-12-31"});
    assert_contains(&load_err(&v), "/range: expected at most");
}

#[test]
fn adding_next_year_is_a_data_change() {
    // Extending the range without the year's Kurban Ait date is refused...
    let mut v = kz();
    v["range"]["to"] = json!("2027-12-31");
    let e = load_err(&v);
    assert_contains(&e, "/holiday_rules/13");
    assert_contains(&e, "in 2027");

    // ...with it, 2027 loads and is reported as a year without decree until one is added.
    v["days"].as_array_mut().unwrap().push(json!({
        "date": "2027-05-16", "kind": "holiday", "rule": "kurban_ait",
        "reason": "Kurban Ait (first day)", "source": "test", "verified": false
    }));
    let c = Calendar::from_json(&v.to_string(), "kz.json").unwrap();
    assert_eq!(c.years_without_decree(), vec![2026, 2027]);
    assert!(!c.is_working_day(d(2027, 1, 1)).unwrap());
    assert!(!c.is_working_day(d(2027, 3, 22)).unwrap()); // Nauryz, Monday
    assert!(!c.is_working_day(d(2027, 3, 24)).unwrap()); // moved from Sun 21 March

    // The decree and the year record make it complete.
    let days = v["days"].as_array_mut().unwrap();
    days.push(json!({"date": "2027-07-03", "kind": "working_day", "reason": "test", "source": "test", "verified": false}));
    days.push(json!({"date": "2027-07-05", "kind": "transfer_day_off", "reason": "test", "source": "test", "verified": false}));
    v["years"]
        .as_array_mut()
        .unwrap()
        .push(json!({"year": 2027, "transfers": "decreed", "source": "test"}));
    let c = Calendar::from_json(&v.to_string(), "kz.json").unwrap();
    assert_eq!(c.years_without_decree(), vec![2026]);
    assert!(c.is_working_day(d(2027, 7, 3)).unwrap());
}

// ------------------------------------------------------------------------------------------
// Exhaustive check against a straightforward reimplementation from the data
// ------------------------------------------------------------------------------------------

/// Working day or not for every date of the range, computed directly from the JSON with
/// no shared code: fixed holidays by rule and year, the weekend transfer to the next day
/// that is neither a weekend nor a holiday nor already taken, then the explicit entries.
fn reference(v: &Value) -> BTreeMap<NaiveDate, bool> {
    let date = |s: &Value| NaiveDate::parse_from_str(s.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let from = date(&v["range"]["from"]);
    let to = date(&v["range"]["to"]);
    let entries: BTreeMap<NaiveDate, String> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (date(&e["date"]), e["kind"].as_str().unwrap().to_owned()))
        .collect();

    let mut holidays = BTreeSet::new();
    let mut to_transfer = Vec::new();
    for year in from.year()..=to.year() {
        for rule in v["holiday_rules"].as_array().unwrap() {
            let Some(dates) = rule["dates"].as_array() else {
                continue;
            };
            let in_force = rule["from_year"]
                .as_i64()
                .is_none_or(|f| i64::from(year) >= f)
                && rule["to_year"]
                    .as_i64()
                    .is_none_or(|t| i64::from(year) <= t);
            if !in_force {
                continue;
            }
            for md in dates {
                let h = NaiveDate::parse_from_str(
                    &format!("{year}-{}", md.as_str().unwrap()),
                    "%Y-%m-%d",
                )
                .unwrap();
                holidays.insert(h);
                let weekend = matches!(h.weekday(), Weekday::Sat | Weekday::Sun);
                if weekend && rule["weekend_transfer"] == json!(true) {
                    to_transfer.push(h);
                }
            }
        }
    }
    to_transfer.sort();
    let mut transferred = BTreeSet::new();
    for h in to_transfer {
        let mut t = h.succ_opt().unwrap();
        loop {
            let weekday = !matches!(t.weekday(), Weekday::Sat | Weekday::Sun);
            let entry = entries.get(&t).map(String::as_str);
            let is_working = match entry {
                Some("working_day") => true,
                Some(_) => false,
                None => weekday,
            };
            if is_working && !holidays.contains(&t) && !transferred.contains(&t) {
                transferred.insert(t);
                break;
            }
            t = t.succ_opt().unwrap();
        }
    }

    let mut out = BTreeMap::new();
    let mut t = from;
    while t <= to {
        let working = match entries.get(&t).map(String::as_str) {
            Some("working_day") => true,
            Some(_) => false,
            None => {
                !matches!(t.weekday(), Weekday::Sat | Weekday::Sun)
                    && !holidays.contains(&t)
                    && !transferred.contains(&t)
            }
        };
        out.insert(t, working);
        t = t.succ_opt().unwrap();
    }
    out
}

#[test]
fn exhaustive_day_by_day_against_the_data() {
    let c = cal();
    let expected = reference(&kz());
    let (from, to) = c.range();
    assert_eq!(
        expected.len(),
        usize::try_from((to - from).num_days() + 1).unwrap()
    );

    let mut count_since_start = 0i64;
    for (&date, &working) in &expected {
        assert_eq!(
            c.is_working_day(date).unwrap(),
            working,
            "is_working_day({date})"
        );
        let day = c.day(date).unwrap();
        assert_eq!(day.working, working, "day({date})");
        assert_eq!(day.kind.is_working(), working, "day_kind({date})");
        assert_eq!(
            day.reason.is_none(),
            day.kind == DayKind::Working,
            "reason({date})"
        );
        if date > from && working {
            count_since_start += 1;
        }
        assert_eq!(
            c.working_days_between(from, date).unwrap(),
            count_since_start,
            "count to {date}"
        );
        assert_eq!(
            c.working_days_between(date, from).unwrap(),
            -count_since_start,
            "count from {date}"
        );
        // The next working day strictly after `date`, found by walking the reference.
        let next = expected
            .range(date.succ_opt().unwrap()..)
            .find(|(_, w)| **w)
            .map(|(d, _)| *d);
        match next {
            Some(n) => assert_eq!(c.add_working_days(date, 1).unwrap(), n, "add 1 to {date}"),
            None => assert!(c.add_working_days(date, 1).is_err()),
        }
        let on_or_after = expected.range(date..).find(|(_, w)| **w).map(|(d, _)| *d);
        assert_eq!(
            c.next_working_day_on_or_after(date).ok(),
            on_or_after,
            "on or after {date}"
        );
        assert_eq!(
            c.add_working_days(date, 0).ok(),
            on_or_after,
            "add 0 to {date}"
        );
    }
    assert_eq!(c.days(from, to).unwrap().count(), expected.len());
    assert!(c.days(to, from).unwrap().next().is_none());
}

#[test]
fn working_days_per_year_are_plausible() {
    // A five-day week has 260-262 weekdays; Kazakhstan has 9-13 weekday holidays a year.
    // 1 January is a holiday, so counting from 1 January gives the whole year.
    for year in 2013..=2026 {
        let n = cal()
            .working_days_between(d(year, 1, 1), d(year, 12, 31))
            .unwrap();
        assert!((242..=252).contains(&n), "{year}: {n} working days");
    }
}

// ------------------------------------------------------------------------------------------
// Property tests: add_working_days and working_days_between agree
// ------------------------------------------------------------------------------------------

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let (from, to) = cal().range();
    let span = (to - from).num_days();
    (0..=span).prop_map(move |i| from + chrono::Duration::days(i))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn deadline_and_count_agree(from in any_date(), n in 0u32..4000) {
        let c = cal();
        match c.add_working_days(from, n) {
            Ok(deadline) => {
                prop_assert!(c.is_working_day(deadline).unwrap(), "{} is not a working day", deadline);
                if n == 0 {
                    prop_assert!(deadline >= from);
                    prop_assert_eq!(c.working_days_between(from, deadline).unwrap(), i64::from(deadline > from));
                } else {
                    prop_assert!(deadline > from);
                    prop_assert_eq!(c.working_days_between(from, deadline).unwrap(), i64::from(n));
                    prop_assert_eq!(c.working_days_between(deadline, from).unwrap(), -i64::from(n));
                    // The day before the deadline is one working day short.
                    let before = deadline.pred_opt().unwrap();
                    prop_assert_eq!(c.working_days_between(from, before).unwrap(), i64::from(n) - 1);
                }
            }
            Err(e) => {
                // Only because the deadline lies after the data.
                let (_, to) = c.range();
                prop_assert_eq!(e.date, to.succ_opt().unwrap());
                prop_assert!(c.working_days_between(from, to).unwrap() < i64::from(n));
            }
        }
    }

    #[test]
    fn deadline_grows_with_n(from in any_date(), n in 0u32..3000) {
        let c = cal();
        if let (Ok(a), Ok(b)) = (c.add_working_days(from, n), c.add_working_days(from, n + 1)) {
            if n == 0 {
                prop_assert!(a <= b);
            } else {
                prop_assert!(a < b);
            }
        }
    }

    #[test]
    fn counting_is_additive(a in any_date(), b in any_date(), m in any_date()) {
        let c = cal();
        let ab = c.working_days_between(a, b).unwrap();
        prop_assert_eq!(ab, c.working_days_between(a, m).unwrap() + c.working_days_between(m, b).unwrap());
        prop_assert_eq!(ab, -c.working_days_between(b, a).unwrap());
    }
}

// ------------------------------------------------------------------------------------------
// CLI rendering
// ------------------------------------------------------------------------------------------

#[test]
fn cli_days_json_lines() {
    let mut out = Vec::new();
    cli::write_days(
        cal(),
        d(2024, 5, 3),
        d(2024, 5, 5),
        DaysFormat::Json,
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        json!({"date": "2024-05-03", "working": true, "reason": null})
    );
    assert_eq!(lines[1]["date"], "2024-05-04");
    assert_eq!(lines[1]["working"], true);
    assert!(
        lines[1]["reason"]
            .as_str()
            .unwrap()
            .contains("working Saturday")
    );
    assert_eq!(
        lines[2],
        json!({"date": "2024-05-05", "working": false, "reason": "Sunday"})
    );
}

#[test]
fn cli_days_text_warns_about_years_without_decree() {
    let mut out = Vec::new();
    cli::write_days(
        cal(),
        d(2025, 12, 30),
        d(2026, 1, 2),
        DaysFormat::Text,
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_contains(&text, "warning: no day-swap decree recorded for 2026");
    assert_contains(&text, "2026-01-01  Thu  no       holiday");
    assert_contains(&text, "New Year");
    assert_eq!(text.lines().count(), 1 + 1 + 4);

    let mut out = Vec::new();
    cli::write_days(
        cal(),
        d(2025, 1, 1),
        d(2025, 1, 7),
        DaysFormat::Text,
        &mut out,
    )
    .unwrap();
    assert!(!String::from_utf8(out).unwrap().contains("warning"));
    assert!(cli::decree_warnings(cal(), d(2013, 1, 1), d(2025, 12, 31)).is_empty());
}

#[test]
fn cli_deadline_and_count() {
    let mut out = Vec::new();
    let deadline = cli::write_deadline(cal(), d(2015, 3, 20), 1, &mut out).unwrap();
    assert_eq!(deadline, d(2015, 3, 26));
    assert_eq!(String::from_utf8(out).unwrap(), "2015-03-26\n");

    let mut out = Vec::new();
    let n = cli::write_count(cal(), d(2024, 5, 3), d(2024, 5, 10), &mut out).unwrap();
    // Sat 4 (decreed), Mon 6 and Fri 10; Tue 7, Wed 8 (decreed) and Thu 9 are days off.
    assert_eq!(n, 3);
    assert_eq!(String::from_utf8(out).unwrap(), "3\n");

    let mut out = Vec::new();
    let err = cli::write_deadline(cal(), d(2026, 12, 31), 1, &mut out).unwrap_err();
    assert_contains(&err.to_string(), "2027-01-01");
    assert!(out.is_empty());
}

#[test]
fn cli_closed_pipe_is_recognisable() {
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err = cli::write_days(
        cal(),
        d(2024, 1, 1),
        d(2024, 12, 31),
        DaysFormat::Json,
        &mut Closed,
    )
    .unwrap_err();
    assert!(err.is_broken_pipe());
}
