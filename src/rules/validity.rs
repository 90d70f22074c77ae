//! How sure a rule set's validity bounds are, and whether it was in force on a day.
//!
//! # Legal basis
//! Every bundled act "applies ten calendar days after its first official publication"
//! ("алғашқы ресми жарияланған күнінен кейін күнтізбелік он күн өткен соң қолданысқа
//! енгізіледі"), and so does the act that repeals it; the texts give registration and
//! adoption dates but no publication date. So `valid_from` and `valid_to` are only the
//! earliest possible first and last days (publication cannot precede registration or
//! adoption), and the latest possible ones (`valid_from_latest` / `valid_to_latest`,
//! `rules/README.md`, "Validity periods") are read in a source or, marked
//! `"provenance": "inferred"`, inferred from publication practice: registration at most
//! 40 days after adoption when not read, first publication at most 40 days after
//! registration, application from the eleventh day after it (shared notes/standards.md
//! 3.1; each rule set shows its arithmetic in `basis`).
//!
//! A day is then in one of three places for an edition: certainly in force (on or after
//! the latest possible first day and on or before the earliest possible last day), in a
//! window where the data cannot tell, or certainly not in force (before the earliest
//! possible first day, or after the latest possible last day when one is known).
//!
//! # Why a case in the uncertain window is judged under the edition
//! The edition may well have applied, and it is the only encoded one that can have; the
//! windows are a few weeks wide. The engine therefore judges such a case under the
//! edition that may have applied (the earliest of them when two editions of one service
//! may have: an act stays in force until its repeal is shown to apply, and here neither
//! is shown), and the report says so: the summary counts these cases
//! (`cases_validity_uncertain`) and a warning per rule set and bound names how many
//! there are, their dates, and the bound the data leave open. Its findings hold on the
//! condition the warning states. A case no encoded edition can have applied to is not
//! judged at all: it is listed with the reason ([`crate::engine::unjudged`]), never a
//! finding against the provider.

use super::model::{BoundProvenance, LatestBound};
use chrono::NaiveDate;

/// How far the latest possible day of a bound is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latest {
    /// The bound is exact: its earliest possible day is the day.
    Exact,
    /// The bound lies between its earliest possible day and this one (inclusive), a
    /// day read in a source.
    Day(NaiveDate),
    /// As [`Latest::Day`], a day inferred from evidence the rule set's `basis` cites
    /// (`"provenance": "inferred"`): registration, the act's own ten-day duty to send
    /// itself for publication and the registration-to-publication gaps observed.
    Inferred(NaiveDate),
    /// The bound lies on or after its earliest possible day; nothing says how late.
    Unknown,
}

/// One validity bound (a first or a last day) as the data know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The earliest possible day (`valid_from` or `valid_to`).
    pub earliest: NaiveDate,
    pub latest: Latest,
}

impl Bound {
    /// The bound a file gives: `earliest` with the `*_latest` field that qualifies it.
    pub fn of(earliest: NaiveDate, latest: Option<&LatestBound>) -> Bound {
        let latest = match latest {
            None => Latest::Exact,
            Some(LatestBound {
                date: Some(d),
                provenance: Some(BoundProvenance::Inferred),
                ..
            }) => Latest::Inferred(*d),
            Some(LatestBound { date: Some(d), .. }) => Latest::Day(*d),
            Some(LatestBound { date: None, .. }) => Latest::Unknown,
        };
        Bound { earliest, latest }
    }

    /// The latest possible day, `None` when unknown.
    pub fn latest_day(&self) -> Option<NaiveDate> {
        match self.latest {
            Latest::Exact => Some(self.earliest),
            Latest::Day(d) | Latest::Inferred(d) => Some(d),
            Latest::Unknown => None,
        }
    }

    /// Whether the latest possible day is an inference, not a day read.
    pub fn is_inferred(&self) -> bool {
        matches!(self.latest, Latest::Inferred(_))
    }

    /// Narrows the latest possible day to `day` when that is earlier (a later edition
    /// of the same service that certainly applies from the day after `day`; `inferred`
    /// when that edition's own latest first day is an inference).
    pub fn bound_by(&mut self, day: NaiveDate, inferred: bool) {
        if self.latest_day().is_none_or(|l| day < l) {
            self.latest = if day <= self.earliest {
                Latest::Exact
            } else if inferred {
                Latest::Inferred(day)
            } else {
                Latest::Day(day)
            };
        }
    }
}

/// Which bound leaves open whether an edition applied on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The day may fall before the edition's first day.
    Start,
    /// The day may fall after the edition's last day.
    End,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Start => "start",
            Side::End => "end",
        }
    }
}

/// Whether an edition was in force on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InForce {
    /// Certainly: judged as any case.
    Certain,
    /// Perhaps: the bounds on these sides leave it open (one side, or both).
    Uncertain(&'static [Side]),
    /// Certainly not: before the earliest possible first day or after the latest
    /// possible last day.
    No,
}

/// The validity period of a compiled rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub from: Bound,
    /// `None` while in force.
    pub to: Option<Bound>,
}

impl Validity {
    /// Whether the edition was in force on local date `day` (both bounds inclusive).
    ///
    /// # Edge cases
    /// ```
    /// use chrono::NaiveDate;
    /// use reglament::rules::validity::{Bound, InForce, Latest, Side, Validity};
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// // Zhambyl No. 84: first day 2016-05-06 at the earliest, last day 2019-11-15 at
    /// // the earliest, neither latest day known.
    /// let v = Validity {
    ///     from: Bound { earliest: d("2016-05-06"), latest: Latest::Unknown },
    ///     to: Some(Bound { earliest: d("2019-11-15"), latest: Latest::Unknown }),
    /// };
    /// assert_eq!(v.on(d("2016-05-05")), InForce::No);
    /// assert_eq!(v.on(d("2016-06-13")), InForce::Uncertain(&[Side::Start]));
    /// assert_eq!(v.on(d("2019-11-18")), InForce::Uncertain(&[Side::Start, Side::End]));
    /// // With a known latest first day, a day between the bounds is certain.
    /// let v = Validity { from: Bound { earliest: d("2016-05-06"), latest: Latest::Day(d("2016-06-01")) }, ..v };
    /// assert_eq!(v.on(d("2016-06-01")), InForce::Certain);
    /// assert_eq!(v.on(d("2019-11-15")), InForce::Certain);
    /// ```
    pub fn on(&self, day: NaiveDate) -> InForce {
        let from = &self.from;
        let may_have_begun = day >= from.earliest;
        let surely_begun = from.latest_day().is_some_and(|l| day >= l);
        let (may_not_have_ended, surely_not_ended) = match &self.to {
            None => (true, true),
            Some(to) => (to.latest_day().is_none_or(|l| day <= l), day <= to.earliest),
        };
        if !may_have_begun || !may_not_have_ended {
            return InForce::No;
        }
        match (surely_begun, surely_not_ended) {
            (true, true) => InForce::Certain,
            (false, true) => InForce::Uncertain(&[Side::Start]),
            (true, false) => InForce::Uncertain(&[Side::End]),
            (false, false) => InForce::Uncertain(&[Side::Start, Side::End]),
        }
    }

    /// The bound on `side`, if there is one.
    pub fn bound(&self, side: Side) -> Option<&Bound> {
        match side {
            Side::Start => Some(&self.from),
            Side::End => self.to.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Catalog, LoadError, RulesSource, load, schema::Schema};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A one-step rule set of service `svc` with the given validity fields (JSON text).
    fn set(id: &str, validity: &str) -> (String, String) {
        let text = format!(
            r#"{{"id": "{id}", "service": "svc", "title": {{"kk": "x", "en": "x"}},
            "source": {{"seed": "none", "act": {{"issuer": "t", "number": "0", "date": "2016-01-01"}}, "edition": "t"}},
            "region": "r", "timezone": "Asia/Almaty", {validity},
            "channels": [{{"id": "provider", "name": {{"kk": "x", "en": "x"}}, "ref": "1"}}],
            "steps": [{{"id": "apply", "ref": "1", "actor": "office", "name": {{"kk": "x", "en": "x"}}, "next": [], "start": true, "end": "result"}}]}}"#
        );
        (format!("{id}.json"), text)
    }

    fn compile(sets: Vec<(String, String)>) -> Result<Catalog, Vec<LoadError>> {
        let schema = Schema::bundled().unwrap();
        Catalog::compile(load::load(&RulesSource::Inline(sets), &schema)?)
    }

    const UNKNOWN: &str = r#"{"date": null, "basis": "publication date not read"}"#;

    /// A later edition that certainly applies from 2019-01-10 ends the earlier one by
    /// 2019-01-09 at the latest, though the earlier one's own latest last day is unknown.
    #[test]
    fn a_later_edition_bounds_the_earlier_ones_last_day() {
        let old = format!(
            r#""valid_from": "2016-01-01", "valid_to": "2018-12-31", "valid_to_latest": {UNKNOWN}"#
        );
        let new = r#""valid_from": "2019-01-01", "valid_from_latest": {"date": "2019-01-10", "basis": "read"}"#;
        let cat = compile(vec![set("old", &old), set("new", new)]).unwrap();
        let eds = cat.editions("svc").unwrap();
        let on = |day: &str| {
            cat.edition_on(eds, d(day))
                .map(|(i, f)| (cat.sets[i].id(), f))
        };
        assert_eq!(on("2018-12-31"), Some(("old", InForce::Certain)));
        // Both may apply: judged under the earlier, with its end left open.
        assert_eq!(
            on("2019-01-05"),
            Some(("old", InForce::Uncertain(&[Side::End])))
        );
        assert_eq!(
            on("2019-01-09"),
            Some(("old", InForce::Uncertain(&[Side::End])))
        );
        assert_eq!(on("2019-01-10"), Some(("new", InForce::Certain)));
        assert_eq!(on("2015-12-31"), None);
        let to = cat.sets[eds[0]].validity.to.unwrap();
        assert_eq!(to.latest, Latest::Day(d("2019-01-09")));
    }

    /// Without a later edition, an unknown latest last day leaves every later day open:
    /// never `None` (no edition), since the data cannot exclude it.
    #[test]
    fn an_unknown_latest_day_leaves_the_window_open() {
        let v = format!(
            r#""valid_from": "2016-01-01", "valid_from_latest": {UNKNOWN}, "valid_to": "2018-12-31", "valid_to_latest": {UNKNOWN}"#
        );
        let cat = compile(vec![set("only", &v)]).unwrap();
        let eds = cat.editions("svc").unwrap();
        let on = |day: &str| cat.edition_on(eds, d(day)).map(|(_, f)| f);
        assert_eq!(on("2016-06-01"), Some(InForce::Uncertain(&[Side::Start])));
        assert_eq!(
            on("2025-01-01"),
            Some(InForce::Uncertain(&[Side::Start, Side::End]))
        );
        assert_eq!(on("2015-12-31"), None);
    }

    /// Issue 16: a latest day marked `"provenance": "inferred"` is an inference, kept as
    /// such; one without a date is refused by the schema.
    #[test]
    fn an_inferred_latest_day_is_marked_and_needs_a_date() {
        let v = r#""valid_from": "2016-05-06", "valid_from_latest": {"date": "2016-06-15", "provenance": "inferred", "basis": "25.04.2016 + 40 + 11"}"#;
        let cat = compile(vec![set("inf", v)]).unwrap();
        let from = cat.sets[0].validity.from;
        assert_eq!(from.latest, Latest::Inferred(d("2016-06-15")));
        assert!(from.is_inferred());
        assert_eq!(from.latest_day(), Some(d("2016-06-15")));
        let v = r#""valid_from": "2016-05-06", "valid_from_latest": {"date": null, "provenance": "inferred", "basis": "x"}"#;
        let errors = compile(vec![set("bad", v)]).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("/valid_from_latest/date")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_latest_day_before_the_earliest_or_without_valid_to_is_refused() {
        let v = r#""valid_from": "2016-01-10", "valid_from_latest": {"date": "2016-01-09", "basis": "x"}, "valid_to": null, "valid_to_latest": {"date": null, "basis": "x"}"#;
        let errors: Vec<String> = compile(vec![set("bad", v)])
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            errors.iter().any(|e| e.contains("/valid_from_latest/date")
                && e.contains("expected the latest possible day on or after valid_from 2016-01-10, found 2016-01-09")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("/valid_to_latest")
                && e.contains("expected valid_to_latest only with a valid_to")),
            "{errors:?}"
        );
    }
}
