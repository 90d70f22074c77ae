//! Cases not judged: begun on a day for which no edition of their service is encoded.
//!
//! # Legal basis
//! A case is judged under the edition of its regulation in force on the local date of
//! its first event ([`crate::rules::validity`]). When no encoded edition can have applied
//! that day, the data say nothing about the rules the provider had to keep, not that no
//! rule bound it: the 2017 original wording of Zhambyl resolution No. 254 (registered
//! 14.12.2017, given a new wording by No. 269 of 22.11.2019) was in force in June 2018,
//! only the 2019 wording is encoded. A regulation's absence from the data is a gap in
//! the checker's coverage, never the provider's violation, so such a case gets no
//! finding: it is listed, with the reason, apart from violations, and counted in the
//! summary (`cases_not_judged`); `--fail-on-unjudged` makes the run exit with 2 (the
//! job was not done in full).
//!
//! The reason says where the day lies among the encoded editions: before the earliest
//! possible first day of the first one, between the latest possible last day of one and
//! the earliest possible first day of the next, or after the latest possible last day
//! of the last one (after its repeal). A latest day inferred from publication practice
//! (`"provenance": "inferred"`) is said to be inferred.

use super::finding::Name;
use super::message::{Arg, Message};
use crate::rules::Catalog;
use chrono::NaiveDate;
use serde::Serialize;

/// Where a case's first day lies among the encoded editions of its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Before the earliest possible first day of the earliest edition encoded.
    BeforeFirstEdition,
    /// After the latest possible last day of one edition and before the earliest
    /// possible first day of the next.
    BetweenEditions,
    /// After the latest possible last day of the latest edition encoded (its repeal).
    AfterLastEdition,
}

impl Reason {
    /// The stable code every output uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BeforeFirstEdition => "before_first_edition",
            Reason::BetweenEditions => "between_editions",
            Reason::AfterLastEdition => "after_last_edition",
        }
    }
}

/// An encoded edition next to a case's first day, and the bound of it that excludes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionBound {
    pub rule_set: String,
    /// For the edition that ended before the day: its latest possible last day; for the
    /// one that began after it: its earliest possible first day.
    pub day: NaiveDate,
    /// Whether `day` is inferred from publication practice rather than read.
    pub inferred: bool,
}

/// A case no encoded edition can have applied to on the day it began.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotJudged {
    pub case: String,
    pub service: String,
    /// The provider the case's events name (`null` when none does).
    pub provider: Option<String>,
    /// The local date of the case's first event, in the region's zone.
    pub first_day: NaiveDate,
    pub reason: Reason,
    /// The edition that ended before `first_day` (`null`: none did).
    pub ended: Option<EditionBound>,
    /// The edition that began after `first_day` (`null`: none did).
    pub begins: Option<EditionBound>,
    /// Where the case's first event is.
    pub file: Option<String>,
    pub line: u64,
    /// Its sentence, rendered by the report in the reader's language.
    #[serde(skip)]
    pub message: Message,
}

impl NotJudged {
    /// The case whose first event (in `file` at `line`) fell on local date `day`, when
    /// none of `editions` (indices into `catalog.sets`, earliest first) can have applied.
    #[cold]
    pub fn new(
        catalog: &Catalog,
        editions: &[usize],
        day: NaiveDate,
        names: [Name; 2],
        provider: Option<Name>,
        at: (Option<Name>, u64),
    ) -> NotJudged {
        let sets = editions.iter().filter_map(|&i| catalog.sets.get(i));
        let mut ended = None;
        let mut begins = None;
        for set in sets {
            let v = &set.validity;
            if day < v.from.earliest {
                begins.get_or_insert(EditionBound {
                    rule_set: set.id().to_string(),
                    day: v.from.earliest,
                    inferred: false,
                });
            } else if let Some(to) = &v.to
                && let Some(last) = to.latest_day()
                && day > last
            {
                ended = Some(EditionBound {
                    rule_set: set.id().to_string(),
                    day: last,
                    inferred: to.is_inferred(),
                });
            }
        }
        let reason = match (&ended, &begins) {
            (None, _) => Reason::BeforeFirstEdition,
            (Some(_), Some(_)) => Reason::BetweenEditions,
            (Some(_), None) => Reason::AfterLastEdition,
        };
        let message = message(reason, day, ended.as_ref(), begins.as_ref());
        let [case, service] = names;
        NotJudged {
            case: case.to_string(),
            service: service.to_string(),
            provider: provider.as_ref().map(Name::to_string),
            first_day: day,
            reason,
            ended,
            begins,
            file: at.0.as_ref().map(Name::to_string),
            line: at.1,
            message,
        }
    }
}

/// The sentence of a case not judged: its day and the bounds of the editions around it.
fn message(
    reason: Reason,
    day: NaiveDate,
    ended: Option<&EditionBound>,
    begins: Option<&EditionBound>,
) -> Message {
    let key = match reason {
        Reason::BeforeFirstEdition => "not-judged-before-first-edition",
        Reason::BetweenEditions => "not-judged-between-editions",
        Reason::AfterLastEdition => "not-judged-after-last-edition",
    };
    let mut m = Message::new(key).arg("date", Arg::Date(day));
    if let Some(e) = ended {
        m = m
            .id("prev", e.rule_set.clone())
            .arg("to", Arg::Date(e.day))
            .arg("inferred", Arg::Flag(e.inferred));
    }
    if let Some(b) = begins {
        m = m
            .id("edition", b.rule_set.clone())
            .arg("from", Arg::Date(b.day));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RulesSource, load, schema::Schema};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn bundled() -> Catalog {
        let schema = Schema::bundled().unwrap();
        Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
    }

    fn not_judged(cat: &Catalog, service: &str, day: &str) -> NotJudged {
        let eds = cat.editions(service).unwrap();
        assert_eq!(cat.edition_on(eds, d(day)), None, "{service} on {day}");
        let names = [Name::from("c"), Name::from(service)];
        NotJudged::new(cat, eds, d(day), names, None, (None, 1))
    }

    /// Two editions of one service, the earlier repealed by 2018-12-31 at the latest
    /// (inferred), the later applying from 2019-03-01 at the earliest: a case of
    /// February 2019 lies between them, and neither applies.
    #[test]
    fn a_day_between_two_editions_names_both() {
        let set = |id: &str, validity: &str| {
            let text = format!(
                r#"{{"id": "{id}", "service": "svc", "title": {{"kk": "x", "en": "x"}},
                "source": {{"seed": "none", "act": {{"issuer": "t", "number": "0", "date": "2016-01-01"}}, "edition": "t"}},
                "region": "r", "timezone": "Asia/Almaty", {validity},
                "channels": [{{"id": "provider", "name": {{"kk": "x", "en": "x"}}, "ref": "1"}}],
                "steps": [{{"id": "apply", "ref": "1", "actor": "office", "name": {{"kk": "x", "en": "x"}}, "next": [], "start": true, "end": "result"}}]}}"#
            );
            (format!("{id}.json"), text)
        };
        let old = r#""valid_from": "2016-01-01", "valid_to": "2018-12-01", "valid_to_latest": {"date": "2018-12-31", "provenance": "inferred", "basis": "x"}"#;
        let new = r#""valid_from": "2019-03-01""#;
        let schema = Schema::bundled().unwrap();
        let bundle = load::load(
            &RulesSource::Inline(vec![set("old", old), set("new", new)]),
            &schema,
        )
        .unwrap();
        let cat = Catalog::compile(bundle).unwrap();
        let n = not_judged(&cat, "svc", "2019-02-11");
        assert_eq!(n.reason, Reason::BetweenEditions);
        let (e, b) = (n.ended.unwrap(), n.begins.unwrap());
        assert_eq!(
            (e.rule_set.as_str(), e.day, e.inferred),
            ("old", d("2018-12-31"), true)
        );
        assert_eq!((b.rule_set.as_str(), b.day), ("new", d("2019-03-01")));
        // Inside the old edition's window it is judged under it, not listed.
        let eds = cat.editions("svc").unwrap();
        assert!(cat.edition_on(eds, d("2018-12-15")).is_some());
    }

    /// Seed 000: the 2019 wording of No. 254 (No. 269 of 22.11.2019) applies from
    /// 2019-12-03 at the earliest; June 2018 is before it.
    #[test]
    fn june_2018_is_before_the_first_encoded_wording_of_no_254() {
        let cat = bundled();
        let n = not_judged(&cat, "zhambyl-2017-254-hunting-grounds", "2018-06-14");
        assert_eq!(n.reason, Reason::BeforeFirstEdition);
        assert_eq!(n.ended, None);
        let b = n.begins.unwrap();
        assert_eq!(
            (b.rule_set.as_str(), b.day),
            ("zhambyl-2017-254-hunting-grounds", d("2019-12-03"))
        );
    }

    /// Seed 002: No. 41 was repealed by No. 1 of 15.01.2014; its last day is 2014-04-15
    /// at the latest (inferred), so June 2015 is after it.
    #[test]
    fn june_2015_is_after_the_repeal_of_wko_no_41() {
        let cat = bundled();
        let n = not_judged(&cat, "wko-2013-41-veterinary-licence", "2015-06-10");
        assert_eq!(n.reason, Reason::AfterLastEdition);
        let e = n.ended.unwrap();
        assert_eq!((e.day, e.inferred), (d("2014-04-15"), true));
        assert_eq!(n.begins, None);
    }
}
