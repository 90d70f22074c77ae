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
use super::data::{Data, Entry, EntryKind, LoadError, Rule};

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
    let mut x = Expansion {
        data,
        from,
        len,
        holiday_of: vec![None; len],
        entry_of: vec![None; len],
        transferred: vec![None; len],
    };
    let weekend_holidays = x.fixed_holidays();
    x.index_entries();
    x.transfer(&weekend_holidays);
    x.check_entries()?;
    x.classify()
}

/// The days of the range as they are worked out, one slot per date.
struct Expansion<'d> {
    data: &'d Data,
    from: NaiveDate,
    len: usize,
    /// The fixed-date holiday rule of each date.
    holiday_of: Vec<Option<usize>>,
    /// The explicit entry of each date.
    entry_of: Vec<Option<usize>>,
    /// The holiday (rule, date) whose day off moved to each date.
    transferred: Vec<Option<(usize, NaiveDate)>>,
}

impl Expansion<'_> {
    fn at(&self, d: NaiveDate) -> Option<usize> {
        offset(self.from, self.len, d)
    }

    /// 1. Fixed-date holidays. Returns those on a weekend that move, in date order.
    fn fixed_holidays(&mut self) -> Vec<(NaiveDate, usize)> {
        let data = self.data;
        let mut weekend_holidays: Vec<(NaiveDate, usize)> = Vec::new();
        for year in data.from.year()..=data.to.year() {
            for (ri, rule) in data.rules.iter().enumerate() {
                if rule.movable || !rule.applies_in(year) {
                    continue;
                }
                for &(m, dd) in &rule.dates {
                    let Some(date) = NaiveDate::from_ymd_opt(year, m, dd) else {
                        continue;
                    };
                    let Some(i) = self.at(date) else { continue };
                    if let Some(slot) = self.holiday_of.get_mut(i)
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
        weekend_holidays
    }

    /// Explicit entries by date.
    fn index_entries(&mut self) {
        for (ei, e) in self.data.entries.iter().enumerate() {
            if let Some(i) = self.at(e.date)
                && let Some(slot) = self.entry_of.get_mut(i)
            {
                *slot = Some(ei);
            }
        }
    }

    fn entry(&self, i: usize) -> Option<&Entry> {
        (self.entry_of.get(i).copied().flatten()).and_then(|ei| self.data.entries.get(ei))
    }

    fn holiday(&self, i: usize) -> Option<&Rule> {
        (self.holiday_of.get(i).copied().flatten()).and_then(|ri| self.data.rules.get(ri))
    }

    /// 2. Weekend transfer: the next working day after the holiday, skipping public
    ///    holidays, days already carrying a transferred day off and days off set by entries.
    fn transfer(&mut self, weekend_holidays: &[(NaiveDate, usize)]) {
        for &(holiday, ri) in weekend_holidays {
            let mut d = holiday;
            while let Some(next) = d.succ_opt() {
                d = next;
                let Some(i) = self.at(d) else { break }; // lands after the range: not representable
                let working = match self.entry(i).map(|e| e.kind) {
                    Some(EntryKind::WorkingDay) => true,
                    Some(EntryKind::TransferDayOff | EntryKind::Holiday) => false,
                    None => !is_weekend(d),
                };
                let free = self.holiday_of.get(i).is_some_and(Option::is_none)
                    && self.transferred.get(i).is_some_and(Option::is_none);
                if working && free {
                    if let Some(slot) = self.transferred.get_mut(i) {
                        *slot = Some((ri, holiday));
                    }
                    break;
                }
            }
        }
    }

    /// 3. Entries must make sense against the rules.
    fn check_entries(&self) -> Result<(), LoadError> {
        for (ei, e) in self.data.entries.iter().enumerate() {
            let Some(i) = self.at(e.date) else { continue };
            let p = format!("/days/{ei}");
            let holiday = self.holiday(i);
            let is_transfer = self.transferred.get(i).is_some_and(Option::is_some);
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
        Ok(())
    }

    /// 4. Classify.
    fn classify(self) -> Result<Table, LoadError> {
        let mut reasons = Reasons::default();
        let saturday = reasons.intern("Saturday".to_owned())?;
        let sunday = reasons.intern("Sunday".to_owned())?;
        let mut kinds = Vec::with_capacity(self.len);
        let mut reason_ix = Vec::with_capacity(self.len);
        let mut date = self.from;
        for i in 0..self.len {
            let (kind, reason) = if let Some(e) = self.entry(i) {
                let kind = match e.kind {
                    EntryKind::WorkingDay => DayKind::DecreedWorkingDay,
                    EntryKind::TransferDayOff => DayKind::DecreedDayOff,
                    EntryKind::Holiday => DayKind::Holiday,
                };
                (kind, Some(reasons.intern(e.reason.clone())?))
            } else if let Some(rule) = self.holiday(i) {
                (DayKind::Holiday, Some(reasons.intern(rule.name.clone())?))
            } else if let Some((ri, from_date)) = self.transferred.get(i).copied().flatten() {
                let name = (self.data.rules.get(ri)).map_or("public holiday", |r| r.name.as_str());
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
            date = date.succ_opt().unwrap_or(date);
        }
        Ok(Table {
            from: self.from,
            kinds,
            reasons: reason_ix,
            reason_texts: reasons.texts,
        })
    }
}
