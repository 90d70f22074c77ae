//! Issue 19, grammar an official would sign: every sentence shape of every catalog with
//! the numbers 1, 2, 5, 11 and 21 (one of each CLDR plural form in Russian, and the
//! teens and twenties that trip a hand-written rule).
//!
//! - Every message formats without a Fluent error with every count at each number.
//! - Russian nouns agree with their numbers ("21 рабочий день", "11 рабочих дней",
//!   "2 дела дошли"), checked on every message that counts something.
//! - Kazakh keeps the noun singular after a numeral ("13 лимит", not "13 лимиттер"),
//!   checked on every message of the catalog.
//! - Citations and durations take the case their sentence needs ("установлен подпунктом
//!   3) пункта 5", "5-тармақтың 3) тармақшасында белгіленген", "10 жұмыс күніне созылды").

use fluent_bundle::FluentValue;
use reglament::engine::finding::Number;
use reglament::engine::{Amount, Arg, Deadline, Message};
use reglament::i18n::{Catalog, Lang};
use reglament::rules::model::Unit;
use std::collections::{BTreeMap, BTreeSet};

const NUMBERS: [i64; 5] = [1, 2, 5, 11, 21];

/// The variables each message of `lang`'s catalog refers to, read from its source (an
/// entry is a line `key = ...` and the indented, or closing `}`, lines after it), with
/// those of the messages it refers to (`{ basis }`).
fn variables(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let src = source(lang);
    let mut own: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut key = None;
    for line in src.lines() {
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            key = line.split_once(" =").map(|(k, _)| k.trim().to_string());
        } else if !line.starts_with([' ', '}']) {
            key = None;
        }
        let Some(k) = &key else { continue };
        let (vars, refs) = own.entry(k.clone()).or_default();
        for part in line.split('{').skip(1) {
            let part = part.trim_start();
            let name: String = (part.trim_start_matches('$').chars())
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if part.starts_with('$') {
                vars.insert(name);
            } else if !name.is_empty() && !part.starts_with('"') {
                refs.insert(name);
            }
        }
    }
    own.iter()
        .map(|(k, (vars, refs))| {
            let mut all = vars.clone();
            for r in refs {
                all.extend(own.get(r).map(|(v, _)| v.clone()).unwrap_or_default());
            }
            (k.clone(), all)
        })
        .collect()
}

fn source(lang: Lang) -> String {
    let path = format!("{}/i18n/{}.ftl", env!("CARGO_MANIFEST_DIR"), lang.code());
    std::fs::read_to_string(path).unwrap()
}

/// The variables that count something: those a Russian message selects a plural form
/// on (`{ $n -> [one] ... [few] ...`), and the counts every report gives.
fn counts() -> BTreeSet<String> {
    let src = source(Lang::Ru);
    let mut out: BTreeSet<String> = ["n", "count", "big", "small"].map(String::from).into();
    let lines: Vec<&str> = src.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line
            .rfind("{ $")
            .filter(|_| line.trim_end().ends_with("->"))
        else {
            continue;
        };
        let name: String = (line[at + 3..].chars())
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let variant = lines.get(i + 1).map_or("", |l| l.trim_start());
        if ["[one]", "[few]", "[many]", "[0]"]
            .iter()
            .any(|p| variant.starts_with(p))
        {
            out.insert(name);
        }
    }
    out
}

/// Every argument message `key` takes: each count the number `n`, every other argument
/// a plain word (a selector on words, `$unit` or `$inferred`, falls to its default).
fn args<'a>(
    vars: &'a BTreeSet<String>,
    counts: &BTreeSet<String>,
    n: i64,
) -> Vec<(&'a str, FluentValue<'static>)> {
    vars.iter()
        .map(|v| {
            let value = if counts.contains(v) || v.ends_with("_count") {
                FluentValue::from(n)
            } else {
                FluentValue::from("X")
            };
            (v.as_str(), value)
        })
        .collect()
}

#[test]
fn every_message_formats_with_every_number() {
    for lang in Lang::ALL {
        let cat = Catalog::new(lang);
        let vars = variables(lang);
        let counts = counts();
        for key in cat.keys() {
            for n in NUMBERS {
                let out = cat.check(&key, &args(&vars[&key], &counts, n));
                assert!(out.is_ok(), "{lang:?} {key} n={n}: {out:?}");
            }
        }
    }
}

/// Kazakh plural suffixes: a noun right after a numeral never takes one.
#[test]
fn kazakh_keeps_the_noun_singular_after_a_numeral() {
    let kk = Catalog::new(Lang::Kk);
    let vars = variables(Lang::Kk);
    let counts = counts();
    let plural = ["лар", "лер", "дар", "дер", "тар", "тер"];
    for key in kk.keys() {
        for n in NUMBERS {
            let text = kk
                .check(&key, &args(&vars[&key], &counts, n))
                .unwrap_or_default();
            let words: Vec<&str> = text.split_whitespace().collect();
            for pair in words.windows(2) {
                if pair[0] == n.to_string() {
                    let noun = pair[1].trim_matches(|c: char| !c.is_alphabetic());
                    assert!(
                        !plural.iter().any(|p| noun.ends_with(p)),
                        "{key} n={n}: «{} {}» in «{text}»",
                        pair[0],
                        pair[1]
                    );
                }
            }
        }
    }
}

/// What each counting message says for 1, 2, 5, 11 and 21, in each language.
#[test]
fn counted_nouns_agree_in_every_language() {
    let expect: [(Lang, &str, [&str; 5]); 9] = [
        (
            Lang::Ru,
            "html-reached-n",
            [
                "1 дело дошло до процедуры",
                "2 дела дошли до процедуры",
                "5 дел дошли до процедуры",
                "11 дел дошли до процедуры",
                "21 дело дошло до процедуры",
            ],
        ),
        (
            Lang::Ru,
            "html-limits-n",
            ["1 лимит", "2 лимита", "5 лимитов", "11 лимитов", "21 лимит"],
        ),
        (
            Lang::Ru,
            "html-overruns-n",
            [
                "1 превышение",
                "2 превышения",
                "5 превышений",
                "11 превышений",
                "21 превышение",
            ],
        ),
        (
            Lang::Kk,
            "html-reached-n",
            [
                "1 іс рәсімге жетті",
                "2 іс рәсімге жетті",
                "5 іс рәсімге жетті",
                "11 іс рәсімге жетті",
                "21 іс рәсімге жетті",
            ],
        ),
        (
            Lang::Kk,
            "html-limits-n",
            ["1 лимит", "2 лимит", "5 лимит", "11 лимит", "21 лимит"],
        ),
        (
            Lang::Kk,
            "html-overruns-n",
            [
                "1 асып кету",
                "2 асып кету",
                "5 асып кету",
                "11 асып кету",
                "21 асып кету",
            ],
        ),
        (
            Lang::En,
            "html-reached-n",
            [
                "1 case reached the step",
                "2 cases reached the step",
                "5 cases reached the step",
                "11 cases reached the step",
                "21 cases reached the step",
            ],
        ),
        (
            Lang::En,
            "html-limits-n",
            ["1 limit", "2 limits", "5 limits", "11 limits", "21 limits"],
        ),
        (
            Lang::En,
            "html-overruns-n",
            [
                "1 overrun",
                "2 overruns",
                "5 overruns",
                "11 overruns",
                "21 overruns",
            ],
        ),
    ];
    for (lang, key, want) in expect {
        let cat = Catalog::new(lang);
        for (n, w) in NUMBERS.iter().zip(want) {
            let got = cat.format(key, &[("n", FluentValue::from(*n))]);
            assert_eq!(got, w, "{lang:?} {key} n={n}");
        }
    }
}

#[test]
fn durations_agree_with_their_numbers_in_every_unit() {
    let ru = Catalog::new(Lang::Ru);
    let kk = Catalog::new(Lang::Kk);
    let en = Catalog::new(Lang::En);
    let table: [(Unit, [&str; 5], &str, &str); 5] = [
        (
            Unit::WorkingDays,
            [
                "рабочий день",
                "рабочих дня",
                "рабочих дней",
                "рабочих дней",
                "рабочий день",
            ],
            "жұмыс күні",
            "working day",
        ),
        (
            Unit::CalendarDays,
            [
                "календарный день",
                "календарных дня",
                "календарных дней",
                "календарных дней",
                "календарный день",
            ],
            "күнтізбелік күн",
            "calendar day",
        ),
        (
            Unit::Hours,
            ["час", "часа", "часов", "часов", "час"],
            "сағат",
            "hour",
        ),
        (
            Unit::Minutes,
            ["минута", "минуты", "минут", "минут", "минута"],
            "минут",
            "minute",
        ),
        (
            Unit::Seconds,
            ["секунда", "секунды", "секунд", "секунд", "секунда"],
            "секунд",
            "second",
        ),
    ];
    for (unit, ru_nouns, kk_noun, en_noun) in table {
        for (n, ru_noun) in NUMBERS.iter().zip(ru_nouns) {
            let a = Amount::whole(*n, unit);
            assert_eq!(ru.amount(&a), format!("{n} {ru_noun}"));
            assert_eq!(kk.amount(&a), format!("{n} {kk_noun}"));
            let s = if *n == 1 { "" } else { "s" };
            assert_eq!(en.amount(&a), format!("{n} {en_noun}{s}"));
        }
    }
}

#[test]
fn fractions_read_as_hours_and_minutes_with_the_readers_decimal_sign() {
    let ru = Catalog::new(Lang::Ru);
    let kk = Catalog::new(Lang::Kk);
    let en = Catalog::new(Lang::En);
    let hours = Amount {
        value: Number::Decimal(3.17),
        unit: Unit::Hours,
    };
    assert_eq!(ru.amount(&hours), "3 ч 10 мин");
    assert_eq!(kk.amount(&hours), "3 сағат 10 минут");
    assert_eq!(en.amount(&hours), "3 h 10 min");
    let minutes = Amount {
        value: Number::Decimal(16.5),
        unit: Unit::Minutes,
    };
    assert_eq!(ru.amount(&minutes), "16 мин 30 с");
    assert_eq!(ru.percent(0.676), "67,6\u{a0}%");
    assert_eq!(kk.percent(0.676), "67,6\u{a0}%");
    assert_eq!(en.percent(0.676), "67.6%");
}

#[test]
fn dates_and_deadlines_as_the_reader_writes_them() {
    let day = chrono::NaiveDate::from_ymd_opt(2016, 7, 1).unwrap();
    let ru = Catalog::new(Lang::Ru);
    let kk = Catalog::new(Lang::Kk);
    let en = Catalog::new(Lang::En);
    assert_eq!(ru.date(day), "01.07.2016");
    assert_eq!(en.date(day), "2016-07-01");
    let end = Deadline::EndOfDay(day);
    assert_eq!(ru.deadline(&end), "до конца дня 01.07.2016");
    assert_eq!(kk.deadline(&end), "01.07.2016 күнінің соңына дейін");
    assert_eq!(en.deadline(&end), "end of 2016-07-01");
    let t = chrono::DateTime::parse_from_rfc3339("2016-06-29T09:20:00+06:00").unwrap();
    assert_eq!(ru.time(&t), "29.06.2016 09:20 (+06:00)");
    assert_eq!(kk.time(&t), "29.06.2016 09:20 (+06:00)");
}

/// A step overrun in each language: the limit "set by" its paragraph in the case that
/// verb needs, and in Kazakh the time taken in the dative of "созылды".
#[test]
fn the_basis_and_the_duration_take_the_case_their_sentence_needs() {
    let msg = Message::new("step-overdue-day")
        .id("step", "p_register")
        .arg(
            "name",
            Arg::Name(std::sync::Arc::new(reglament::rules::model::Text {
                kk: "Өтінішті тіркеу".into(),
                ru: Some("Регистрация заявления".into()),
                en: "Registration".into(),
            })),
        )
        .arg(
            "closed",
            Arg::Weekday(chrono::NaiveDate::from_ymd_opt(2016, 6, 21).unwrap()),
        )
        .arg(
            "due",
            Arg::Weekday(chrono::NaiveDate::from_ymd_opt(2016, 6, 20).unwrap()),
        )
        .arg("limit", Arg::Amount(Amount::whole(2, Unit::WorkingDays)))
        .arg("actual", Arg::Amount(Amount::whole(10, Unit::WorkingDays)))
        .arg("more", Arg::Flag(true))
        .arg("inferred", Arg::Flag(false))
        .cite("cite", "5.3");
    let ru = Catalog::new(Lang::Ru).message(&msg);
    assert!(ru.contains("установлен подпунктом 3) пункта 5"), "{ru}");
    assert!(ru.contains("в конце дня пн 20.06.2016"), "{ru}");
    assert!(ru.contains("заняла 10 рабочих дней"), "{ru}");
    let kk = Catalog::new(Lang::Kk).message(&msg);
    assert!(
        kk.contains("5-тармақтың 3) тармақшасында белгіленген"),
        "{kk}"
    );
    assert!(kk.contains("10 жұмыс күніне созылды"), "{kk}");
    let en = Catalog::new(Lang::En).message(&msg);
    assert!(en.contains("set by para 5(3)"), "{en}");
}
