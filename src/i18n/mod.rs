//! The reader's language: `--lang kk|ru|en`, the message catalogs (`i18n/*.ftl`, Fluent,
//! embedded in the binary) and the formatting each language needs that a catalog alone
//! cannot give: how a paragraph is cited ("5-тармақтың 3) тармақшасы", "подпункт 3)
//! пункта 5", "para 5(3)"), numbers agreeing with their nouns (CLDR plural rules: "1
//! рабочий день, 2 рабочих дня, 5 рабочих дней"), and which of a rule set's names to show.
//!
//! The engine says what a finding is ([`Message`]: a key and typed arguments); this
//! module says how it reads. Nothing here reads the environment: `cli/` picks the
//! language (from `--lang`, else `LC_ALL`/`LANG`) and passes it down.

use crate::engine::finding::Number;
use crate::engine::{Amount, Arg, Deadline, Kind, Message};
use crate::rules::model::{Severity, Text, Unit};
use chrono::{DateTime, FixedOffset};
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::collections::HashMap;

/// A language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// Kazakh, the language of the regulations.
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The ISO 639-1 code (`kk`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language a POSIX locale (`LC_ALL`/`LANG`, e.g. `kk_KZ.UTF-8`) asks for: kk
    /// for Kazakh, ru for Russian (`ru_RU`, `ru_KZ`), else English.
    pub fn from_locale(locale: &str) -> Lang {
        let lang = locale.split(['_', '.', '@', '-']).next().unwrap_or("");
        match lang.to_ascii_lowercase().as_str() {
            "kk" => Lang::Kk,
            "ru" => Lang::Ru,
            _ => Lang::En,
        }
    }

    /// The catalog's source text.
    fn source(self) -> &'static str {
        match self {
            Lang::Kk => include_str!("../../i18n/kk.ftl"),
            Lang::Ru => include_str!("../../i18n/ru.ftl"),
            Lang::En => include_str!("../../i18n/en.ftl"),
        }
    }
}

/// The messages of one language, ready to format.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// Messages without arguments, formatted once (labels and headings).
    plain: HashMap<String, String>,
    /// Problems in the embedded catalog (a test keeps this empty).
    errors: Vec<String>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("lang", &self.lang).finish()
    }
}

impl Catalog {
    /// The catalog of `lang`. It is compiled in; a syntax error in it is kept in
    /// [`Catalog::errors`] (the rest of the catalog still works) rather than stopping a run.
    pub fn new(lang: Lang) -> Catalog {
        let mut errors = Vec::new();
        let res = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, es)| {
            errors.extend(es.iter().map(|e| format!("{}.ftl: {e:?}", lang.code())));
            r
        });
        let keys = message_ids_of(lang.source());
        // The three codes are valid language tags; `und` (no plural rules) only if not.
        let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![id]);
        // Reports go to terminals, files and spreadsheets, not to a bidi-aware UI.
        bundle.set_use_isolating(false);
        if let Err(es) = bundle.add_resource(res) {
            errors.extend(es.iter().map(|e| format!("{}.ftl: {e:?}", lang.code())));
        }
        let mut cat = Catalog {
            lang,
            bundle,
            plain: HashMap::new(),
            errors,
        };
        for k in keys {
            if let Some(text) = cat.try_format(&k, None) {
                cat.plain.insert(k, text);
            }
        }
        cat
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Problems found in the embedded catalog.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// Every message id of the catalog.
    pub fn keys(&self) -> Vec<String> {
        message_ids_of(self.lang.source())
    }

    /// A message without arguments (a label); its key if the catalog lacks it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.plain.get(key).map_or(key, String::as_str)
    }

    /// Message `key` with `args`; the key itself if the catalog lacks it.
    pub fn format(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.try_format(key, Some(&fa))
            .unwrap_or_else(|| key.to_string())
    }

    /// Message `key` formatted with `args`; `None` when it is missing or does not format
    /// cleanly (an argument it needs is missing).
    fn try_format(&self, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let msg = self.bundle.get_message(key)?;
        let pattern = msg.value()?;
        let mut errs = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errs);
        errs.is_empty().then(|| text.into_owned())
    }

    /// Message `key` formatted with `args`, and the problems formatting it met (for the
    /// catalog tests).
    pub fn check(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> Result<String, String> {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        let msg = (self.bundle.get_message(key)).ok_or_else(|| format!("no message {key}"))?;
        let pattern = msg.value().ok_or_else(|| format!("{key} has no value"))?;
        let mut errs = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fa), &mut errs);
        if errs.is_empty() {
            Ok(text.into_owned())
        } else {
            Err(format!("{key}: {errs:?}"))
        }
    }

    /// The name in this language: Russian falls back to the Kazakh authority when a rule
    /// set gives no translation.
    pub fn pick<'t>(&self, t: &'t Text) -> &'t str {
        match self.lang {
            Lang::Kk => &t.kk,
            Lang::Ru => t.ru.as_deref().unwrap_or(&t.kk),
            Lang::En => &t.en,
        }
    }

    /// Why a record was rejected, for a person: the reader's own explanation in English
    /// (it names what was expected: "is not an RFC 3339 timestamp (e.g. ...)"), the
    /// catalog's sentence for the reason in Kazakh and Russian, where a reader's English
    /// would not be read. The code stays beside it in every report.
    pub fn reason(&self, code: crate::log::Reason, detail: &str) -> String {
        match self.lang {
            Lang::En => detail.to_string(),
            Lang::Kk | Lang::Ru => self
                .plain
                .get(&format!("reason-{}", code.as_str()))
                .cloned()
                .unwrap_or_else(|| detail.to_string()),
        }
    }

    /// A finding kind, for a person.
    pub fn kind(&self, k: Kind) -> &str {
        self.plain
            .get(&format!("kind-{}", k.as_str()))
            .map_or(k.as_str(), String::as_str)
    }

    /// A severity, for a person.
    pub fn severity(&self, s: Severity) -> &str {
        self.plain
            .get(&format!("severity-{}", s.as_str()))
            .map_or(s.as_str(), String::as_str)
    }

    /// Paragraph reference `r` of a regulation as this language cites it: `5` a
    /// paragraph, `5.3` its sub-paragraph 3), `9.process8` a process of paragraph 9,
    /// `annex1.table2.3` a row of a table of an annex, `standard.x` the national standard.
    pub fn cite(&self, r: &str) -> String {
        self.cite_as(r, Form::Nominative)
    }

    /// Paragraph reference `r` in the form "set by ..." needs: Russian instrumental
    /// ("установлен подпунктом 3) пункта 5"), Kazakh locative ("5-тармақтың 3)
    /// тармақшасында белгіленген"); English has one form.
    pub fn cite_by(&self, r: &str) -> String {
        self.cite_as(r, Form::Agent)
    }

    fn cite_as(&self, r: &str, form: Form) -> String {
        let parts: Vec<&str> = r.split('.').collect();
        let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let s = |v: &str| FluentValue::from(v.to_string());
        let format = |key: &str, args: &[(&str, FluentValue<'_>)]| {
            let mut all = args.to_vec();
            all.push(("form", FluentValue::from(form.code())));
            self.format(key, &all)
        };
        match parts.as_slice() {
            [p] if num(p) => format("cite-para", &[("para", s(p))]),
            [p, q] if num(p) && num(q) => format("cite-sub", &[("para", s(p)), ("sub", s(q))]),
            [p, q] if num(p) && q.strip_prefix("process").is_some_and(num) => {
                let n = q.trim_start_matches("process");
                format("cite-process", &[("para", s(p)), ("n", s(n))])
            }
            ["standard", p] if num(p) => format("cite-standard-para", &[("para", s(p))]),
            ["standard", "term"] => format("cite-standard-term", &[]),
            ["standard", "schedule"] => format("cite-standard-schedule", &[]),
            ["standard", rest @ ..] => format("cite-standard", &[("part", s(&rest.join(".")))]),
            [a, rest @ ..] if a.strip_prefix("annex").is_some_and(num) => {
                let annex = s(a.trim_start_matches("annex"));
                match rest {
                    [] => format("cite-annex", &[("annex", annex)]),
                    [t] if t.strip_prefix("table").is_some_and(num) => {
                        let table = s(t.trim_start_matches("table"));
                        format("cite-annex-table", &[("annex", annex), ("table", table)])
                    }
                    [t, row] if t.strip_prefix("table").is_some_and(num) => {
                        let table = s(t.trim_start_matches("table"));
                        let args = [("annex", annex), ("table", table), ("row", s(row))];
                        format("cite-annex-row", &args)
                    }
                    _ => format("cite-other", &[("ref", s(r))]),
                }
            }
            _ => format("cite-other", &[("ref", s(r))]),
        }
    }

    /// A quantity of time with its noun in the form its number needs.
    pub fn amount(&self, a: &Amount) -> String {
        self.amount_as(a, Form::Nominative)
    }

    /// A quantity of time in the form "took ..." needs in Kazakh, the dative ("10 жұмыс
    /// күніне созылды"); the nominative elsewhere.
    pub fn amount_took(&self, a: &Amount) -> String {
        self.amount_as(a, Form::Agent)
    }

    /// Whole amounts agree with their noun; a fraction of an hour or a minute reads as
    /// hours and minutes, or minutes and seconds ("3 ч 10 мин", not "3.17 часа"); a
    /// fraction of a second with this language's decimal sign.
    fn amount_as(&self, a: &Amount, form: Form) -> String {
        let form = FluentValue::from(form.code());
        let (n, unit) = match (a.value, a.unit) {
            (Number::Whole(n), unit) => (FluentValue::from(n), unit),
            (Number::Decimal(x), Unit::Hours | Unit::Minutes) => {
                // Hours to minutes, minutes to seconds: the smaller unit, rounded.
                let small = (x * 60.0).round() as i64;
                let (big, rest) = (small / 60, small % 60);
                let key = match a.unit {
                    Unit::Hours => "amount-hours-minutes",
                    _ => "amount-minutes-seconds",
                };
                let args = [
                    ("big", FluentValue::from(big)),
                    ("small", FluentValue::from(rest)),
                    ("form", form),
                ];
                return self.format(key, &args);
            }
            (Number::Decimal(x), unit) => (FluentValue::from(self.decimal(x, 2)), unit),
        };
        let unit = FluentValue::from(unit.as_str());
        self.format("amount", &[("n", n), ("unit", unit), ("form", form)])
    }

    /// A number with `digits` decimals and this language's decimal sign (a comma in
    /// Kazakh and Russian: "67,6").
    pub fn decimal(&self, x: f64, digits: usize) -> String {
        let s = format!("{x:.digits$}");
        match self.lang {
            Lang::En => s,
            Lang::Kk | Lang::Ru => s.replace('.', ","),
        }
    }

    /// A share as a percentage with one decimal: "67.6%", "67,6 %".
    pub fn percent(&self, share: f64) -> String {
        let n = self.decimal(share * 100.0, 1);
        match self.lang {
            Lang::En => format!("{n}%"),
            Lang::Kk | Lang::Ru => format!("{n}\u{a0}%"),
        }
    }

    /// A local date as this language writes it: 2016-07-01, 01.07.2016.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::En => d.format("%Y-%m-%d").to_string(),
            Lang::Kk | Lang::Ru => d.format("%d.%m.%Y").to_string(),
        }
    }

    /// A local time to the minute, with its offset: 2016-06-29 09:20+06:00,
    /// 29.06.2016 09:20 (+06:00).
    pub fn time(&self, t: &DateTime<FixedOffset>) -> String {
        match self.lang {
            Lang::En => t.format("%Y-%m-%d %H:%M%:z").to_string(),
            Lang::Kk | Lang::Ru => t.format("%d.%m.%Y %H:%M (%:z)").to_string(),
        }
    }

    /// A local time to the second, with its offset (an elapsed-time deadline).
    pub fn instant(&self, t: &DateTime<FixedOffset>) -> String {
        match self.lang {
            Lang::En => t.format("%Y-%m-%d %H:%M:%S%:z").to_string(),
            Lang::Kk | Lang::Ru => t.format("%d.%m.%Y %H:%M:%S (%:z)").to_string(),
        }
    }

    /// A deadline as a sentence gives it: "end of 2016-06-20", "до конца дня 20.06.2016",
    /// "20.06.2016 күнінің соңына дейін"; an elapsed-time deadline to the second.
    pub fn deadline(&self, d: &Deadline) -> String {
        match d {
            Deadline::EndOfDay(day) => self.format(
                "deadline-day",
                &[("date", FluentValue::from(self.date(*day)))],
            ),
            Deadline::Instant(t) => self.format(
                "deadline-time",
                &[("time", FluentValue::from(self.instant(t)))],
            ),
        }
    }

    /// What a consequential finding says of its root (one delay, one finding): "consequence
    /// of step overdue p_register, not counted". Unescaped: each writer escapes it.
    pub fn consequence_of(&self, root: &crate::engine::Finding) -> String {
        let step = root.step.as_deref().unwrap_or_default().to_string();
        let args = [
            ("kind", FluentValue::from(self.kind(root.kind).to_string())),
            ("step", FluentValue::from(step)),
        ];
        self.format("text-consequence-of", &args)
    }

    /// A date with its day of the week, abbreviated as this language does ("Sat
    /// 2016-06-18", "сб 2016-06-18", "сн 2016-06-18").
    pub fn weekday(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let i = d.weekday().num_days_from_monday() as usize;
        let names: [&str; 7] = match self.lang() {
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            Lang::Ru => ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
            Lang::Kk => ["дс", "сс", "ср", "бс", "жм", "сб", "жс"],
        };
        format!("{} {}", names[i], self.date(d))
    }

    /// A finding's sentence in this language.
    pub fn message(&self, m: &Message) -> String {
        let mut args: Vec<(&str, FluentValue)> = Vec::with_capacity(m.args.len() + 2);
        let mut has_quote = false;
        for (name, arg) in &m.args {
            let v = match arg {
                Arg::Id(s) => s.clone(),
                Arg::Name(t) => self.pick(t).to_string(),
                Arg::Cite(c) => {
                    if let Some(by) = agent_form(name) {
                        args.push((by, FluentValue::from(self.cite_by(c))));
                    }
                    self.cite(c)
                }
                Arg::Amount(a) => {
                    if let Some(took) = agent_form(name) {
                        args.push((took, FluentValue::from(self.amount_took(a))));
                    }
                    self.amount(a)
                }
                Arg::Deadline(d) => self.deadline(d),
                Arg::Time(t) => self.time(t),
                Arg::Date(d) => self.date(*d),
                Arg::Weekday(d) => self.weekday(*d),
                Arg::List(items) => {
                    let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    args.push((list_count(name), FluentValue::from(n)));
                    if items.is_empty() {
                        self.text("list-none").to_string()
                    } else {
                        items.join(", ")
                    }
                }
                Arg::Flag(b) => (if *b { "yes" } else { "no" }).to_string(),
                Arg::Nested(inner) => self.message(inner),
            };
            let v = match (*name, arg) {
                ("quote", Arg::Id(q)) => {
                    has_quote = true;
                    format!(" («{q}»)")
                }
                _ => v,
            };
            args.push((name, FluentValue::from(v)));
        }
        if !has_quote {
            args.push(("quote", FluentValue::from("")));
        }
        self.format(m.key, &args)
    }
}

/// The grammatical form a catalog asks of a citation or an amount besides its
/// nominative: the citation of "set by ..." (Russian instrumental, Kazakh locative) and
/// the amount of "took ..." (Kazakh dative). Passed to the catalog as `$form`.
#[derive(Debug, Clone, Copy)]
enum Form {
    Nominative,
    Agent,
}

impl Form {
    fn code(self) -> &'static str {
        match self {
            Form::Nominative => "nom",
            Form::Agent => "by",
        }
    }
}

/// The name of the argument that carries argument `name` in its [`Form::Agent`] form:
/// `cite_by` for `cite`, `actual_by` and `limit_by` for the amounts.
fn agent_form(name: &str) -> Option<&'static str> {
    match name {
        "cite" => Some("cite_by"),
        "actual" => Some("actual_by"),
        "limit" => Some("limit_by"),
        _ => None,
    }
}

/// The name of the count argument that goes with list argument `name`.
fn list_count(name: &str) -> &'static str {
    match name {
        "skipped" => "skipped_count",
        "allowed" => "allowed_count",
        "provided" => "provided_count",
        "editions" => "editions_count",
        _ => "count",
    }
}

/// The message ids of a catalog's source: each line that starts an entry (`key = ...`).
fn message_ids_of(src: &str) -> Vec<String> {
    src.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
        .collect()
}
