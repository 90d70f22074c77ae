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
        "n",
        "files",
        "lines",
        "events",
        "rejected",
        "cases",
        "checked",
        "open",
        "violating",
        "hard",
        "norm",
        "count",
        "skipped_count",
        "allowed_count",
        "provided_count",
        "big",
        "small",
        "none",
        "applicant",
        // check --state and history (issue 17)
        "new",
        "resolved",
        "previous",
        "run",
        "duplicates",
        "with",
    ];
    let text = [
        "para",
        "sub",
        "annex",
        "table",
        "row",
        "part",
        "ref",
        "date",
        "step",
        "name",
        "actual",
        "limit",
        "quote",
        "cite",
        "deadline",
        "term",
        "as_of",
        "what",
        "prev",
        "from",
        "to",
        "value",
        "provided",
        "rule_set",
        "after",
        "missing",
        "skipped",
        "allowed",
        "refusal",
        "ground",
        "service",
        "editions",
        "years",
        "terms",
        "file",
        "reason",
        "as_of",
        "case",
        "edition",
        "time",
        "field",
        "reasons",
        "closed",
        "due",
        "left",
        "kind",
        "days",
        "earliest",
        "latest",
        "cite_by",
        "actual_by",
        "limit_by",
        "issuer",
        "number",
        "next",
        // check --state and history (issue 17)
        "provider",
        "message",
        "rate",
    ];
    // Issue 16: order said once, and whose records the log holds.
    let text_16 = [
        "at",
        "line",
        "before",
        "before_at",
        "before_line",
        "held",
        "not_held",
    ];
    for lang in Lang::ALL {
        let cat = Catalog::new(lang);
        for key in cat.keys() {
            let mut args: Vec<(&str, FluentValue)> = Vec::new();
            for n in numbers {
                args.push((n, FluentValue::from(2)));
            }
            for t in text.into_iter().chain(text_16) {
                args.push((t, FluentValue::from("x")));
            }
            args.push(("unit", FluentValue::from("working_days")));
            args.push(("inferred", FluentValue::from("no")));
            args.push(("more", FluentValue::from("yes")));
            args.push(("form", FluentValue::from("by")));
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
    assert_eq!(
        ru.cite("annex1.table2.3"),
        "строка 3 таблицы 2 приложения 1"
    );
    assert_eq!(
        kk.cite("annex1.table2.3"),
        "1-қосымшаның 2-кестесінің 3-жолы"
    );
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
    assert_eq!(
        ru.amount(&Amount::whole(1, Unit::CalendarDays)),
        "1 календарный день"
    );
    // A fraction takes the genitive singular ("other" in CLDR): 2.25 часа.
    let frac = Amount {
        value: reglament::engine::finding::Number::Decimal(2.25),
        unit: Unit::Hours,
    };
    // A fraction of an hour reads as hours and minutes (issue 19): 2 ч 15 мин.
    assert_eq!(ru.amount(&frac), "2 ч 15 мин");
    let en = Catalog::new(Lang::En);
    assert_eq!(
        en.amount(&Amount::whole(1, Unit::WorkingDays)),
        "1 working day"
    );
    assert_eq!(
        en.amount(&Amount::whole(5, Unit::WorkingDays)),
        "5 working days"
    );
    // Kazakh keeps the noun singular after a numeral.
    let kk = Catalog::new(Lang::Kk);
    assert_eq!(
        kk.amount(&Amount::whole(5, Unit::WorkingDays)),
        "5 жұмыс күні"
    );
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
        .arg("name", Arg::Name(std::sync::Arc::new(name)))
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
        "процедура p_register (Регистрация заявления) заняла 5 рабочих дней при сроке 2 рабочих \
         дня («екі жұмыс күні») (установлен подпунктом 3) пункта 5); срок исполнения — до конца \
         дня 20.06.2016"
    );
    let kk = Catalog::new(Lang::Kk).message(&m);
    assert!(
        kk.contains("Өтінішті тіркеу") && kk.contains("5-тармақтың 3) тармақшасында белгіленген"),
        "{kk}"
    );
    let en = Catalog::new(Lang::En).message(&m);
    assert!(
        en.contains("5 working days") && en.contains("set by para 5(3)"),
        "{en}"
    );
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

fn bundled() -> reglament::rules::Catalog {
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

/// Every bundled rule set names its service, every step, channel and variant in Russian,
/// and says that these names are translations (the Kazakh text stays the authority).
#[test]
fn every_rule_set_has_russian_names_marked_as_translations() {
    let cat = bundled();
    assert_eq!(cat.sets.len(), 14);
    for set in &cat.sets {
        let r = &set.rules;
        assert!(
            r.title.ru.as_deref().is_some_and(|t| !t.is_empty()),
            "{}",
            r.id
        );
        for st in &r.steps {
            assert!(
                st.name.ru.as_deref().is_some_and(|t| !t.is_empty()),
                "{} {}",
                r.id,
                st.id
            );
        }
        for c in r.channels.iter().chain(&r.variants) {
            let ru = c.name.ru.as_deref();
            assert!(ru.is_some_and(|t| !t.is_empty()), "{} {}", r.id, c.id);
        }
        let marked = r
            .notes
            .iter()
            .any(|n| n.text.contains("Russian names") && n.text.contains("translations"));
        assert!(
            marked,
            "{}: no note marks the Russian names as translations",
            r.id
        );
    }
}

fn reglament(args: &[&str], env: &[(&str, &str)]) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"));
    cmd.current_dir(root)
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The text report of the bundled sample in Russian: summary first, paragraphs cited
/// the Russian way, Russian step names, numbers agreeing with their nouns.
#[test]
fn text_report_in_russian_from_lang_and_from_the_locale() {
    let args = [
        "check",
        "logs/sample.jsonl",
        "--as-of",
        "2016-08-01T00:00:00+06:00",
    ];
    let ru = reglament(&[&args[..], &["--lang", "ru"]].concat(), &[]);
    assert!(ru.starts_with("reglament check: 1 файл, "), "{ru}");
    let summary = ru.find("по услугам:").unwrap();
    let cases = ru.find("\nДела\n").unwrap();
    assert!(summary < cases);
    assert!(ru.find("по видам:").unwrap() < cases);
    assert!(
        ru.contains(
            "нарушен срок процедуры (step_overdue), установлено регламентом [подпункт 4) пункта 5]"
        ),
        "{ru}"
    );
    assert!(
        ru.contains("«Лицензия на изыскательскую деятельность»"),
        "{ru}"
    );
    // The service's title appears once, in the summary.
    assert_eq!(
        ru.matches("Лицензия на изыскательскую деятельность")
            .count(),
        1
    );
    assert!(ru.contains("рабочих дн"), "{ru}");
    // The locale decides when --lang is absent; --lang wins over it.
    assert_eq!(reglament(&args, &[("LANG", "ru_RU.UTF-8")]), ru);
    let kk = reglament(&args, &[("LC_ALL", "kk_KZ.UTF-8"), ("LANG", "ru_RU.UTF-8")]);
    assert!(kk.contains("5-тармақтың 4) тармақшасы"), "{kk}");
    let en = reglament(
        &[&args[..], &["--lang", "en"]].concat(),
        &[("LANG", "ru_RU.UTF-8")],
    );
    assert!(en.contains("[para 5(4)]"), "{en}");
}

/// CSV keeps its machine-code header in every language; only the message column is
/// translated. JSON keeps codes and gains the rendered message and its key.
#[test]
fn csv_and_json_keep_codes_and_translate_messages() {
    let args = [
        "check",
        "logs/sample.jsonl",
        "--as-of",
        "2016-08-01T00:00:00+06:00",
    ];
    let csv_en = reglament(
        &[&args[..], &["--format", "csv", "--lang", "en"]].concat(),
        &[],
    );
    let csv_ru = reglament(
        &[&args[..], &["--format", "csv", "--lang", "ru"]].concat(),
        &[],
    );
    assert_eq!(csv_en.lines().next(), csv_ru.lines().next());
    assert!(csv_ru.lines().next().unwrap().ends_with(",message"));
    assert!(csv_ru.contains("при сроке"), "{csv_ru}");
    let json = reglament(
        &[&args[..], &["--format", "json", "--lang", "kk"]].concat(),
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v["violations"][0];
    assert!(first["kind"].as_str().unwrap().contains('_') || first["kind"] == "unknown_step");
    assert!(first["message_key"].is_string());
    let all: Vec<&str> = (v["violations"].as_array().unwrap().iter())
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(all.iter().any(|m| m.contains("тармақ")), "{all:?}");
}

/// Every finding the bundled logs give (open cases judged too) renders in every language
/// with the arguments the engine gives it: a message that fails to format falls back to
/// its key, which this catches.
#[test]
fn every_finding_of_the_bundled_logs_renders_in_every_language() {
    use reglament::log::Reader;
    let catalog = bundled();
    let calendar = reglament::calendar::Calendar::kazakhstan().unwrap();
    let mut reader = Reader::new(&catalog);
    for (name, text) in reglament::rules::load::bundled_logs() {
        reader.read_str(name, text);
    }
    let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+06:00").unwrap();
    let options = reglament::check::Options {
        mode: reglament::check::Mode::default(),
        as_of: Some(reglament::check::AsOf {
            label: t.to_rfc3339(),
            ..reglament::check::AsOf::new(t.timestamp_millis())
        }),
    };
    let report = reglament::check::run(&catalog, &calendar, reader.finish(), &options);
    let keys: BTreeSet<&str> = report.violations.iter().map(|v| v.message.key).collect();
    assert!(keys.len() >= 10, "{keys:?}");
    for lang in Lang::ALL {
        let cat = Catalog::new(lang);
        for v in &report.violations {
            let text = cat.message(&v.message);
            assert_ne!(text, v.message.key, "{lang:?} {}: {:?}", v.case, v.message);
            assert!(!text.contains("{$"), "{lang:?}: {text}");
        }
        for w in reglament::report::i18n::warnings(&cat, &report.warnings) {
            assert!(!w.starts_with("warning-"), "{lang:?}: {w}");
        }
    }
}

/// The HTML page takes every label from the catalog of the chosen language.
#[test]
fn html_page_in_each_language() {
    for (lang, heading) in [("kk", "Жиынтық"), ("ru", "Сводка"), ("en", "Summary")] {
        let page = reglament(&["check", "--format", "html", "--lang", lang], &[]);
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(
            page.contains(&format!("<h2 id=\"summary\">{heading}</h2>")),
            "{lang}"
        );
        assert!(
            !page.contains("html-"),
            "{lang}: a label key left unrendered"
        );
    }
}
