//! Holiday-rule expansion: from the checked calendar data to one classified day per date.
//!
//! This module owns the statutory reasoning, applied in this order:
//!
//! 1. Fixed-date public holidays from `holiday_rules`, in the years each rule was in force
//!    (Law No. 267-II "On holidays in the Republic of Kazakhstan", articles 1-3).
//! 2. The weekend transfer (Law No. 267-II, article 5; Labour Code article 84): a holiday with
//!    `weekend_transfer` that falls on a Saturday or Sunday makes the next working day after it
//!    a day off. Holidays are taken in date order, so two weekend holidays in a row (New Year
//!    2022: Sat 1 and Sun 2 January) give two days off (Mon 3 and Tue 4 January). A religious
//!    holiday (Orthodox Christmas, Kurban Ait) is never transferred.
//! 3. Explicit per-date entries (the yearly Kurban Ait date and the decreed swaps) override
//!    what the rules produce (Labour Code article 85 paragraph 3). A decree may cancel a
//!    statutory transferred day off (2020-05-11) by declaring it a working day.
//!
//! Entries that contradict the rules are load errors naming the entry: a `working_day` on a
//! day that is already a working day, or on a public holiday; a `transfer_day_off` on a day
//! that is already a day off.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::DayKind;
use super::data::{Data, EntryKind, LoadError};

/// One classification and reason per date of the range.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) from: NaiveDate,
    pub(crate) kinds: Vec<DayKind>,
    /// Index into `reason_texts`, `None` on an ordinary working day.
    pub(crate) reasons: Vec<Option<u32>>,
    pub(crate) reason_texts: Vec<String>,
}

impl Table {
    /// Index of `date`, `None` outside the table.
    pub(crate) fn offset(&self, date: NaiveDate) -> Option<usize> {
        offset(self.from, self.kinds.len(), date)
    }
}

fn offset(from: NaiveDate, len: usize, date: NaiveDate) -> Option<usize> {
    let i = usize::try_from(date.signed_duration_since(from).num_days()).ok()?;
    (i < len).then_some(i)
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn short_weekday(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

#[derive(Default)]
struct Reasons {
    texts: Vec<String>,
    index: HashMap<String, u32>,
}

impl Reasons {
    fn intern(&mut self, text: String) -> Result<u32, LoadError> {
        if let Some(&i) = self.index.get(&text) {
            return Ok(i);
        }
        let i = u32::try_from(self.texts.len())
            .map_err(|_| LoadError("too many distinct reasons".to_owned()))?;
        self.texts.push(text.clone());
        self.index.insert(text, i);
        Ok(i)
    }
}

/// Expand the rules and entries of `data` into one classified day per date.
pub(crate) fn expand(data: &Data) -> Result<Table, LoadError> {
    let (from, to) = (data.from, data.to);
    let len = usize::try_from(to.signed_duration_since(from).num_days())
        .ok()
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| LoadError(format!("/range: expected from <= to, found {from} > {to}")))?;
    let at = |d: NaiveDate| offset(from, len, d);

    let mut dates = Vec::with_capacity(len);
    let mut d = from;
    for _ in 0..len {
        dates.push(d);
        d = d.succ_opt().unwrap_or(d);
    }

    // 1. Fixed-date holidays.
    let mut holiday_of: Vec<Option<usize>> = vec![None; len];
    let mut weekend_holidays: Vec<(NaiveDate, usize)> = Vec::new();
    for year in from.year()..=to.year() {
        for (ri, rule) in data.rules.iter().enumerate() {
            if rule.movable || !rule.applies_in(year) {
                continue;
            }
            for &(m, dd) in &rule.dates {
                let Some(date) = NaiveDate::from_ymd_opt(year, m, dd) else {
                    continue;
                };
                let Some(i) = at(date) else { continue };
                if let Some(slot) = holiday_of.get_mut(i)
                    && slot.is_none()
                {
                    *slot = Some(ri);
                    if rule.weekend_transfer && is_weekend(date) {
                        weekend_holidays.push((date, ri));
                    }
                }
            }
        }
    }
    weekend_holidays.sort_unstable();

    // Explicit entries by date.
    let mut entry_of: Vec<Option<usize>> = vec![None; len];
    for (ei, e) in data.entries.iter().enumerate() {
        if let Some(slot) = at(e.date).and_then(|i| entry_of.get_mut(i)) {
            *slot = Some(ei);
        }
    }
    let entry_kind = |i: usize| -> Option<EntryKind> {
        entry_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|ei| data.entries.get(ei))
            .map(|e| e.kind)
    };

    // 2. Weekend transfer: the next working day after the holiday, skipping public holidays,
    //    days already carrying a transferred day off and days off set by entries.
    let mut transferred: Vec<Option<(usize, NaiveDate)>> = vec![None; len];
    for &(holiday, ri) in &weekend_holidays {
        let mut d = holiday;
        while let Some(next) = d.succ_opt() {
            d = next;
            let Some(i) = at(d) else { break }; // lands after the range: not representable
            let working = match entry_kind(i) {
                Some(EntryKind::WorkingDay) => true,
                Some(EntryKind::TransferDayOff | EntryKind::Holiday) => false,
                None => !is_weekend(d),
            };
            let free = holiday_of.get(i).is_some_and(Option::is_none)
                && transferred.get(i).is_some_and(Option::is_none);
            if working && free {
                if let Some(slot) = transferred.get_mut(i) {
                    *slot = Some((ri, holiday));
                }
                break;
            }
        }
    }

    // 3. Entries must make sense against the rules.
    for (ei, e) in data.entries.iter().enumerate() {
        let Some(i) = at(e.date) else { continue };
        let p = format!("/days/{ei}");
        let holiday = holiday_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|ri| data.rules.get(ri));
        let is_transfer = transferred.get(i).is_some_and(Option::is_some);
        match e.kind {
            EntryKind::WorkingDay => {
                if let Some(rule) = holiday {
                    return Err(LoadError(format!(
                        "{p}: expected a day off that a decree can make a working day, found public holiday {:?} on {}",
                        rule.name, e.date
                    )));
                }
                if !is_weekend(e.date) && !is_transfer {
                    return Err(LoadError(format!(
                        "{p}: expected a day off (weekend or transferred day off) for kind working_day, found ordinary working day {} {}",
                        short_weekday(e.date),
                        e.date
                    )));
                }
            }
            EntryKind::TransferDayOff => {
                if is_weekend(e.date) || holiday.is_some() || is_transfer {
                    return Err(LoadError(format!(
                        "{p}: expected a working day for kind transfer_day_off, found a day off on {} {}",
                        short_weekday(e.date),
                        e.date
                    )));
                }
            }
            EntryKind::Holiday => {}
        }
    }

    // 4. Classify.
    let mut reasons = Reasons::default();
    let saturday = reasons.intern("Saturday".to_owned())?;
    let sunday = reasons.intern("Sunday".to_owned())?;
    let mut kinds = Vec::with_capacity(len);
    let mut reason_ix = Vec::with_capacity(len);
    for (i, &date) in dates.iter().enumerate() {
        let entry = entry_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|ei| data.entries.get(ei));
        let holiday = holiday_of
            .get(i)
            .copied()
            .flatten()
            .and_then(|ri| data.rules.get(ri));
        let transfer = transferred.get(i).copied().flatten();
        let (kind, reason) = if let Some(e) = entry {
            let kind = match e.kind {
                EntryKind::WorkingDay => DayKind::DecreedWorkingDay,
                EntryKind::TransferDayOff => DayKind::DecreedDayOff,
                EntryKind::Holiday => DayKind::Holiday,
            };
            (kind, Some(reasons.intern(e.reason.clone())?))
        } else if let Some(rule) = holiday {
            (DayKind::Holiday, Some(reasons.intern(rule.name.clone())?))
        } else if let Some((ri, from_date)) = transfer {
            let name = data
                .rules
                .get(ri)
                .map_or("public holiday", |r| r.name.as_str());
            let text = format!(
                "day off moved from {name} ({} {from_date}), Law No. 267-II article 5",
                short_weekday(from_date)
            );
            (DayKind::TransferredDayOff, Some(reasons.intern(text)?))
        } else if is_weekend(date) {
            let r = if date.weekday() == Weekday::Sat {
                saturday
            } else {
                sunday
            };
            (DayKind::Weekend, Some(r))
        } else {
            (DayKind::Working, None)
        };
        kinds.push(kind);
        reason_ix.push(reason);
    }

    Ok(Table {
        from,
        kinds,
        reasons: reason_ix,
        reason_texts: reasons.texts,
    })
}
