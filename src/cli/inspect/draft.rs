//! `inspect` without a mapping: which column holds which of our fields, guessed from
//! the header words (Russian, Kazakh, English) and the values (how many parse as times,
//! with which formats); the services named by the rule sets' titles; and, with
//! `--draft-map FILE`, a draft mapping that validates against `maps/mapping.schema.json`,
//! every guess listed under `review` with its score for a person to confirm.

use super::*;
use crate::log::formats::mapping::{fold, serial_date};
use crate::log::time;
use serde_json::Value;
use std::collections::BTreeSet;

/// Records whose values are studied (the rest are only counted by the inspector).
const SAMPLE: u64 = 10_000;
/// Columns studied; a wider file's others are not.
const MAX_COLUMNS: usize = 256;
/// Distinct values kept per column.
const MAX_VALUES: usize = 1_000;
/// Lowest service score taken as a guess.
const MIN_SERVICE_SCORE: f64 = 0.25;
/// Lowest step score put into a draft (lower: the activity is left for a person).
const MIN_STEP_SCORE: f64 = 0.15;

/// Time formats tried on every value that starts with a digit.
pub(super) const CANDIDATES: [&str; 12] = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
];

/// Header words of each field (folded; a header containing one names the field), the
/// most telling first.
const HEADER_WORDS: [(Field, &[&str]); 9] = [
    (
        Field::Case,
        &[
            "номер заявк",
            "номер заявлен",
            "номер дела",
            "№ заявк",
            "id заявк",
            "заявка",
            "өтініш нөмірі",
            "өтінім",
            "өтініш",
            "нөмір",
            "case",
            "application",
            "номер",
        ],
    ),
    (Field::Service, &["услуг", "қызмет", "service"]),
    (
        Field::Step,
        &[
            "действие",
            "операция",
            "этап",
            "шаг",
            "процесс",
            "әрекет",
            "кезең",
            "үдеріс",
            "activity",
            "step",
            "action",
            "event",
            "статус",
        ],
    ),
    (Field::Started, &["начал", "басталу", "басы", "start"]),
    (
        Field::At,
        &[
            "дата и время",
            "дата",
            "время",
            "күні",
            "уақыт",
            "timestamp",
            "date",
            "time",
            "when",
        ],
    ),
    (Field::Channel, &["канал", "арна", "channel"]),
    (
        Field::Variant,
        &["вид ", "вид", "тип", "түрі", "variant", "type"],
    ),
    (
        Field::Provider,
        &[
            "услугодател",
            "қызмет беруші",
            "организац",
            "ұйым",
            "provider",
            "organi",
        ],
    ),
    (
        Field::Actor,
        &[
            "исполнител",
            "сотрудник",
            "ответствен",
            "пользовател",
            "орындаушы",
            "қызметкер",
            "resource",
            "actor",
            "user",
            "executor",
            "operator",
            "оператор",
        ],
    ),
];

/// What the values of one column look like.
#[derive(Debug, Default)]
struct Col {
    filled: u64,
    values: BTreeSet<String>,
    /// Values that each candidate format reads.
    fits: [u64; CANDIDATES.len()],
    /// Values read as RFC 3339 or an ISO date.
    iso: u64,
    /// Values that are spreadsheet serial dates.
    serial: u64,
}

impl Col {
    /// The share of values read as times, with the candidates and ISO together.
    fn time_share(&self) -> f64 {
        let best = self.fits.iter().copied().max().unwrap_or(0).max(self.iso);
        if self.filled == 0 {
            0.0
        } else {
            best as f64 / self.filled as f64
        }
    }
}

/// The columns of the logs read, in the order first seen, with what their values are.
#[derive(Debug)]
pub(super) struct Columns {
    order: Vec<String>,
    by_name: BTreeMap<String, Col>,
    records: u64,
    specs: Vec<TimeSpec>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            order: Vec::new(),
            by_name: BTreeMap::new(),
            records: 0,
            specs: CANDIDATES
                .iter()
                .map(|f| TimeSpec::with_formats(&[*f]))
                .collect(),
        }
    }
}

impl Columns {
    /// One record's `(column, value)` pairs.
    pub(super) fn see(&mut self, all: &[(&str, &str)]) {
        self.records += 1;
        if self.records > SAMPLE {
            return;
        }
        for (name, value) in all {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if !self.by_name.contains_key(*name) {
                if self.by_name.len() >= MAX_COLUMNS {
                    continue;
                }
                self.order.push(name.to_string());
            }
            let col = self.by_name.entry(name.to_string()).or_default();
            col.filled += 1;
            if col.values.len() < MAX_VALUES && value.len() <= MAX_NAME_BYTES {
                col.values.insert(value.to_string());
            }
            if value.len() > 40 || !value.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let iso = time::parse(value).is_ok();
            for (fit, spec) in col.fits.iter_mut().zip(&self.specs) {
                *fit += u64::from(!iso && spec.parse(value).is_ok());
            }
            col.iso += u64::from(iso);
            col.serial += u64::from(serial_date(value).is_some());
        }
    }
}

/// A guessed mapping, and how each guess was made.
pub(super) struct Guess {
    pub(super) mapping: Mapping,
    /// `(our field, column, why)`.
    pub(super) fields: Vec<(Field, String, String)>,
    /// `(source service name, our service id, score)`.
    pub(super) services: Vec<(String, String, f64)>,
}

/// How well a header names `field`: the length of the longest header word in it.
fn header_score(field: Field, header: &str) -> usize {
    let h = fold(header).replace('ё', "е");
    HEADER_WORDS
        .iter()
        .filter(|(f, _)| *f == field)
        .flat_map(|(_, words)| words.iter())
        .filter(|w| h.contains(*w))
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// Guesses the columns, the time formats and the services; `None` when no column can be
/// told to hold the case, the activity and the time.
pub(super) fn guess(catalog: &Catalog, cols: &Columns) -> Option<Guess> {
    let mut taken: Vec<&str> = Vec::new();
    let mut fields: Vec<(Field, String, String)> = Vec::new();
    let is_time = |name: &str| {
        cols.by_name
            .get(name)
            .is_some_and(|c| c.time_share() >= 0.5)
    };
    // The time columns first, by header and by values; then the others by header.
    let order = [
        Field::Started,
        Field::At,
        Field::Case,
        Field::Step,
        Field::Service,
        Field::Channel,
        Field::Variant,
        Field::Provider,
        Field::Actor,
    ];
    for field in order {
        let timed = matches!(field, Field::At | Field::Started);
        let best = cols
            .order
            .iter()
            .filter(|n| !taken.contains(&n.as_str()) && is_time(n) == timed)
            .map(|n| (header_score(field, n), n))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, _)| *s);
        let found = match best {
            Some((_, n)) => Some((n.clone(), "header".to_string())),
            None if field == Field::At => cols
                .order
                .iter()
                .filter(|n| !taken.contains(&n.as_str()) && is_time(n))
                .max_by(|a, b| {
                    cols.by_name[*a]
                        .time_share()
                        .total_cmp(&cols.by_name[*b].time_share())
                })
                .map(|n| (n.clone(), "values: times".to_string())),
            None => None,
        };
        if let Some((n, why)) = found {
            taken.push(
                cols.order
                    .iter()
                    .find(|o| **o == n)
                    .map_or("", String::as_str),
            );
            fields.push((field, n, why));
        }
    }
    let col_of = |f: Field| {
        fields
            .iter()
            .find(|(x, ..)| *x == f)
            .map(|(_, n, _)| n.as_str())
    };
    col_of(Field::Case)?;
    col_of(Field::Step)?;
    let at = col_of(Field::At)?;
    let timed: Vec<&Col> = [Some(at), col_of(Field::Started)]
        .into_iter()
        .flatten()
        .filter_map(|n| cols.by_name.get(n))
        .collect();
    let mut formats: Vec<(u64, &str)> = CANDIDATES
        .iter()
        .enumerate()
        .map(|(i, f)| (timed.iter().map(|c| c.fits[i]).sum(), *f))
        .filter(|(n, _)| *n > 0)
        .collect();
    formats.sort_by_key(|f| std::cmp::Reverse(f.0));
    let formats: Vec<&str> = formats.into_iter().map(|(_, f)| f).collect();
    let serial = timed.iter().any(|c| c.serial > 0 && c.iso == 0);
    let services = match col_of(Field::Service).and_then(|n| cols.by_name.get(n)) {
        Some(c) => guess_services(catalog, &c.values),
        None => Vec::new(),
    };
    let mut columns: [Option<String>; Field::COUNT] = Default::default();
    for (f, n, _) in &fields {
        columns[*f as usize] = Some(n.clone());
    }
    let pairs: Vec<(String, String)> = services
        .iter()
        .map(|(s, id, _)| (s.clone(), id.clone()))
        .collect();
    let mapping = Mapping::guessed(columns, &pairs, TimeSpec::with_formats(&formats), serial);
    Some(Guess {
        mapping,
        fields,
        services,
    })
}

/// Each source service name's closest rule set, by its titles and id.
fn guess_services(catalog: &Catalog, names: &BTreeSet<String>) -> Vec<(String, String, f64)> {
    let scorer = suggest::Scorer::new(catalog.sets.iter().map(|s| {
        let t = &s.rules.title;
        let mut names = vec![s.rules.service_id(), t.kk.as_str(), t.en.as_str()];
        names.extend(t.ru.as_deref());
        (s.rules.service_id(), names)
    }));
    names
        .iter()
        .filter_map(|n| {
            if catalog.editions(n).is_some() {
                return Some((n.clone(), n.clone(), 1.0));
            }
            let (id, score) = scorer.rank(clip(n), 1).into_iter().next()?;
            (score >= MIN_SERVICE_SCORE).then(|| (n.clone(), id.to_string(), score))
        })
        .collect()
}

impl Guess {
    pub(super) fn to_json(&self) -> Value {
        json!({
            "fields": self.fields.iter().map(|(f, n, why)| json!({"field": f.name(), "source": n, "by": why})).collect::<Vec<_>>(),
            "formats": self.mapping.time.formats().collect::<Vec<_>>(),
            "serial_dates": self.mapping.time.serial_dates,
            "services": self.services.iter().map(|(s, id, score)| json!({"source": s, "service": id, "score": (score * 100.0).round() / 100.0})).collect::<Vec<_>>(),
        })
    }
}

/// The draft mapping: `map`'s columns and time, the services of `doc` and, for each
/// activity, its mapped step or the best suggestion; every guess is listed under
/// `review` (`/steps/SERVICE/STEP` -> what to check).
pub(super) fn draft(map: &Mapping, doc: &Value, source: &str) -> Value {
    let mut review = serde_json::Map::new();
    let fields = draft_fields(map, &mut review);
    let (services, source_service) = draft_services(doc, &mut review);
    let steps = draft_steps(doc, &source_service, &mut review);
    let mut time = json!({"formats": map.time.formats().collect::<Vec<_>>()});
    if map.time.serial_dates {
        time["serial_dates"] = json!(true);
    }
    if let Some(z) = map.time.zone {
        time["zone"] = json!(z.name());
    }
    let mut out = json!({
        "source": format!("Draft written by `reglament inspect --draft-map` from {source}: confirm or correct every entry under `review`, then delete it"),
        "fields": fields,
        "services": services,
        "steps": steps,
        "time": time,
        "review": review,
    });
    for (key, constant) in [
        ("service", &map.service),
        ("provider", &map.provider),
        ("channel", &map.channel),
    ] {
        if let Some(c) = constant {
            out[key] = json!(c);
        }
    }
    out
}

type Review = serde_json::Map<String, Value>;

/// The columns of our fields; a channel, variant or ground column only once its values
/// are mapped to the rule set's ids (an unmapped value would put every case off its
/// route), so it is left to the review.
fn draft_fields(map: &Mapping, review: &mut Review) -> serde_json::Map<String, Value> {
    let mut fields = serde_json::Map::new();
    for f in Field::ALL {
        let Some(c) = &map.columns[f as usize] else {
            continue;
        };
        if matches!(f, Field::Channel | Field::Variant | Field::Ground) {
            review.insert(
                format!("/fields/{}", f.name()),
                json!(format!("column {c:?} holds the {}: add \"{}\": {c:?} to `fields` once `{}s` maps its values to the rule set's ids", f.name(), f.name(), f.name())),
            );
            continue;
        }
        fields.insert(f.name().to_string(), json!(c));
    }
    fields
}

/// Our service id -> its source names, and each source name's id.
fn draft_services(
    doc: &Value,
    review: &mut Review,
) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, String>) {
    let mut services: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut source_service: BTreeMap<String, String> = BTreeMap::new();
    for s in doc["services"].as_array().into_iter().flatten() {
        let Some(raw) = s["source"].as_str() else {
            continue;
        };
        let Some(id) = s["service"].as_str() else {
            review.insert(
                format!("/services (source {raw:?})"),
                json!("no rule set's title matches this service: add it under `services` by hand"),
            );
            continue;
        };
        source_service.insert(raw.to_string(), id.to_string());
        if raw != id {
            services
                .entry(id.to_string())
                .or_default()
                .push(raw.to_string());
        }
    }
    for g in doc["guess"]["services"].as_array().into_iter().flatten() {
        if let (Some(raw), Some(id)) = (g["source"].as_str(), g["service"].as_str()) {
            review.insert(
                format!("/services/{id}"),
                json!(format!(
                    "guessed from the title for {raw:?}, score {}: confirm",
                    g["score"]
                )),
            );
        }
    }
    (services, source_service)
}

/// For each activity of a known service, its mapped step or the best suggestion (noted
/// for review); an activity no step matches is left for a person.
fn draft_steps(
    doc: &Value,
    source_service: &BTreeMap<String, String>,
    review: &mut Review,
) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut steps: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for a in doc["activities"].as_array().into_iter().flatten() {
        let (Some(svc), Some(raw)) = (a["service_source"].as_str(), a["source"].as_str()) else {
            continue;
        };
        let Some(id) = source_service.get(svc) else {
            continue;
        };
        let (step, note) = match (a["step"].as_str(), a["suggestions"].get(0)) {
            (Some(step), _) => (step.to_string(), None),
            (None, Some(best)) if best["score"].as_f64().unwrap_or(0.0) < MIN_STEP_SCORE => {
                review.insert(
                    format!("/steps/{id} (activity {raw:?})"),
                    json!(format!("{} record(s); no step matches it (best {} {}): map it by hand, or leave it out and `check` reports it as an unknown step", a["count"], best["step"].as_str().unwrap_or(""), best["score"])),
                );
                continue;
            }
            (None, Some(best)) => {
                let step = best["step"].as_str().unwrap_or_default().to_string();
                let others: Vec<String> = (a["suggestions"].as_array().into_iter().flatten())
                    .skip(1)
                    .map(|g| format!("{} {}", g["step"].as_str().unwrap_or(""), g["score"]))
                    .collect();
                let note = format!(
                    "{raw:?} ({} record(s)): suggested, score {}; next: {}",
                    a["count"],
                    best["score"],
                    others.join(", ")
                );
                (step, Some(note))
            }
            (None, None) => continue,
        };
        if step.is_empty() {
            continue;
        }
        if let Some(note) = note {
            let key = format!("/steps/{id}/{step}");
            let text = match review.get(&key).and_then(Value::as_str) {
                Some(prev) => format!("{prev}; {note}"),
                None => note,
            };
            review.insert(key, json!(text));
        }
        (steps
            .entry(id.clone())
            .or_default()
            .entry(step)
            .or_default())
        .push(raw.to_string());
    }
    steps
}
