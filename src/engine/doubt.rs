//! Cases judged under an edition that may not have applied on the day they began.
//!
//! # Legal basis
//! The acts apply ten calendar days after a publication date the texts do not give, so
//! an edition's first and last days are known only as their earliest possible days
//! ([`crate::rules::validity`]). A case begun where the data cannot tell whether its
//! edition applied is judged under it (why: [`crate::rules::validity`]), and counted
//! here so the report says so: how many such cases, per rule set and per bound left
//! open, and the first and last day they began on (the local date of the first event in
//! the region's zone). Nothing is judged silently on an uncertain edition.

use crate::rules::validity::Side;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The cases begun on days one bound of one edition leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    pub cases: u64,
    /// The first and last local date such a case began on.
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DaySpan {
    fn add(&mut self, o: &DaySpan) {
        self.cases += o.cases;
        self.first = self.first.min(o.first);
        self.last = self.last.max(o.last);
    }
}

/// Every case of a run judged under an edition that may not have applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doubts {
    /// Cases counted once each, whichever bounds leave them open.
    pub cases: u64,
    /// By rule set (index into the catalog's sets) and bound: a case both bounds leave
    /// open (an edition whose first and last days are both uncertain) is in both.
    pub by_bound: BTreeMap<(usize, Side), DaySpan>,
}

impl Doubts {
    /// One case of rule set `set`, begun on `day`, which the bounds `sides` leave open.
    pub fn add(&mut self, set: usize, sides: &[Side], day: NaiveDate) {
        self.cases += 1;
        for &side in sides {
            let one = DaySpan {
                cases: 1,
                first: day,
                last: day,
            };
            (self.by_bound.entry((set, side)))
                .and_modify(|s| s.add(&one))
                .or_insert(one);
        }
    }

    /// Adds the counts of another part of the same run.
    pub fn merge(&mut self, o: &Doubts) {
        self.cases += o.cases;
        for (k, span) in &o.by_bound {
            (self.by_bound.entry(*k))
                .and_modify(|s| s.add(span))
                .or_insert(*span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_both_bounds_leave_open_is_counted_once_and_listed_under_both() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut a = Doubts::default();
        a.add(3, &[Side::Start], d("2016-06-13"));
        let mut b = Doubts::default();
        b.add(3, &[Side::Start, Side::End], d("2019-11-18"));
        a.merge(&b);
        assert_eq!(a.cases, 2);
        let start = a.by_bound[&(3, Side::Start)];
        assert_eq!(
            (start.cases, start.first, start.last),
            (2, d("2016-06-13"), d("2019-11-18"))
        );
        assert_eq!(a.by_bound[&(3, Side::End)].cases, 1);
    }
}
