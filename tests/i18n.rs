//! Issue 11, languages: every key exists in every language, every message formats
//! without errors with the arguments the code gives it, paragraphs are cited as each
//! language cites them, and numbers agree with their nouns.

use fluent_bundle::FluentValue;
use reglament::engine::{Amount, Arg, Deadline, Message};
use reglament::i18n::{Catalog, Lang};
use reglament::rules::model::{Text, Unit};
use std::collections::BTreeSet;

fn keys(lang: Lang) -> BTreeSet<String> {
    Catalog::new(lang).keys().into_iter().collect()
}

#[test]
fn every_key_exists_in_every_language_and_parses() {
    let en = keys(Lang::En);
    assert!(en.len() > 100, "{} keys", en.len());
    for lang in Lang::ALL {
        let cat = Catalog::new(lang);
        assert!(cat.errors().is_empty(), "{lang:?}: {:?}", cat.errors());
        let ks = keys(lang);
        let missing: Vec<_> = en.difference(&ks).collect();
        let extra: Vec<_> = ks.difference(&en).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang:?} has keys en lacks: {extra:?}");
    }
}

#[test]
fn every_html_label_is_in_every_catalog() {
    for lang in Lang::ALL {
        let ks = keys(lang);
        for k in reglament::report::html::Labels::keys() {
            assert!(ks.contains(&k), "{lang:?} lacks {k}");
        }
    }
}

/// Every message formats without a Fluent error, with each argument the code may give
/// it (a number where the message selects on a plural, text otherwise).
#[test]
fn every_message_formats_without_errors() {
    let numbers = [
        "n", "files", "lines", "events", "rejected", "cases", "checked", "open", "violating",
        "hard", "norm", "count", "skipped_count", "allowed_count", "provided_count",
    ];
    let text = [
        "para", "sub", "annex", "table", "row", "part", "ref", "date", "step", "name", "actual",
        "limit", "quote", "cite", "deadline", "term", "as_of", "what", "prev", "from", "to",
        "value", "provided", "rule_set", "after", "missing", "skipped", "allowed", "refusal",
        "ground", "service", "editions", "years", "terms", "file", "reason", "as_of", "case",
        "edition", "time", "field", "reasons",
    ];
    for lang in Lang::ALL {
        let cat = Catalog::new(lang);
        for key in cat.keys() {
            let mut args: Vec<(&str, FluentValue)> = Vec::new();
            for n in numbers {
                args.push((n, FluentValue::from(2)));
            }
            for t in text {
                args.push((t, FluentValue::from("x")));
            }
            args.push(("unit", FluentValue::from("working_days")));
            args.push(("inferred", FluentValue::from("no")));
            let out = cat.check(&key, &args);
            assert!(out.is_ok(), "{lang:?}: {out:?}");
            assert!(!out.unwrap().contains('{'), "{lang:?} {key}");
        }
    }
}

#[test]
fn paragraphs_are_cited_as_each_language_cites_them() {
    let kk = Catalog::new(Lang::Kk);
    let ru = Catalog::new(Lang::Ru);
    let en = Catalog::new(Lang::En);
    assert_eq!(kk.cite("5.3"), "5-тармақтың 3) тармақшасы");
    assert_eq!(ru.cite("5.3"), "подпункт 3) пункта 5");
    assert_eq!(en.cite("5.3"), "para 5(3)");
    assert_eq!(kk.cite("9"), "9-тармақ");
    assert_eq!(ru.cite("9"), "пункт 9");
    assert_eq!(en.cite("9.process8"), "para 9, process 8");
    assert_eq!(ru.cite("annex1.table2.3"), "строка 3 таблицы 2 приложения 1");
    assert_eq!(kk.cite("annex1.table2.3"), "1-қосымшаның 2-кестесінің 3-жолы");
    assert_eq!(en.cite("standard.4"), "para 4 of the national standard");
    assert_eq!(en.cite("odd ref"), "para odd ref");
}

#[test]
fn russian_numbers_agree_with_their_nouns() {
    let ru = Catalog::new(Lang::Ru);
    let wd = |n| ru.amount(&Amount::whole(n, Unit::WorkingDays));
    assert_eq!(wd(1), "1 рабочий день");
    assert_eq!(wd(2), "2 рабочих дня");
    assert_eq!(wd(5), "5 рабочих дней");
    assert_eq!(wd(11), "11 рабочих дней");
    assert_eq!(wd(21), "21 рабочий день");
    assert_eq!(wd(22), "22 рабочих дня");
    assert_eq!(ru.amount(&Amount::whole(3, Unit::Hours)), "3 часа");
    assert_eq!(ru.amount(&Amount::whole(15, Unit::Minutes)), "15 минут");
    assert_eq!(ru.amount(&Amount::whole(1, Unit::CalendarDays)), "1 календарный день");
    let en = Catalog::new(Lang::En);
    assert_eq!(en.amount(&Amount::whole(1, Unit::WorkingDays)), "1 working day");
    assert_eq!(en.amount(&Amount::whole(5, Unit::WorkingDays)), "5 working days");
    // Kazakh keeps the noun singular after a numeral.
    let kk = Catalog::new(Lang::Kk);
    assert_eq!(kk.amount(&Amount::whole(5, Unit::WorkingDays)), "5 жұмыс күні");
}

#[test]
fn locale_picks_the_language() {
    assert_eq!(Lang::from_locale("kk_KZ.UTF-8"), Lang::Kk);
    assert_eq!(Lang::from_locale("ru_RU.UTF-8"), Lang::Ru);
    assert_eq!(Lang::from_locale("ru_KZ"), Lang::Ru);
    assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
    assert_eq!(Lang::from_locale("C"), Lang::En);
    assert_eq!(Lang::from_locale(""), Lang::En);
}

/// A finding's message renders in each language with its cited paragraph, the step's
/// name in that language and the amounts in agreement.
#[test]
fn a_finding_renders_in_each_language() {
    let name = Text {
        kk: "Өтінішті тіркеу".into(),
        ru: Some("Регистрация заявления".into()),
        en: "Registration of the application".into(),
    };
    let deadline = Deadline::EndOfDay(chrono::NaiveDate::from_ymd_opt(2016, 6, 20).unwrap());
    let m = Message::new("step-overdue")
        .arg("name", Arg::Name(name))
        .id("step", "p_register")
        .arg("limit", Arg::Amount(Amount::whole(2, Unit::WorkingDays)))
        .cite("cite", "5.3")
        .arg("inferred", Arg::Flag(false))
        .id("quote", "екі жұмыс күні")
        .arg("actual", Arg::Amount(Amount::whole(5, Unit::WorkingDays)))
        .arg("deadline", Arg::Deadline(deadline));
    let ru = Catalog::new(Lang::Ru).message(&m);
    assert_eq!(
        ru,
        "шаг p_register (Регистрация заявления) занял 5 рабочих дней при сроке 2 рабочих дня \
         («екі жұмыс күні») (установлен: подпункт 3) пункта 5); срок истёк: конец дня 2016-06-20"
    );
    let kk = Catalog::new(Lang::Kk).message(&m);
    assert!(kk.contains("Өтінішті тіркеу") && kk.contains("5-тармақтың 3) тармақшасы"), "{kk}");
    let en = Catalog::new(Lang::En).message(&m);
    assert!(en.contains("5 working days") && en.contains("set by para 5(3)"), "{en}");
    // A list argument that is empty reads as "none"; the skipped steps only when there are some.
    let miss = Message::new("missing-step")
        .id("step", "b")
        .arg("after", Arg::Nested(Box::new(Message::new("at-start"))))
        .id("missing", "a")
        .arg("name", Arg::Id("A".into()))
        .cite("cite", "4")
        .list::<&str>("skipped", &[]);
    assert_eq!(
        Catalog::new(Lang::En).message(&miss),
        "step b came at the start of the case without a (A, para 4)"
    );
}
