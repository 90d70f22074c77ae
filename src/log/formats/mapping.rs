//! Mappings from a provider's own names to ours.
//!
//! A provider's export uses its own column (or XES attribute) names, its own service and
//! activity names (often Russian or Kazakh phrases) and its own date format. A mapping
//! file (JSON, validated against `maps/mapping.schema.json`, errors naming the JSON
//! Pointer) says which source column is each of our fields, which source names mean each
//! service id and, per service, each step id (several source names per step), how times
//! are written and in which zone a time without offset is read.
//!
//! Names are matched after trimming and case folding ([`fold`]), so `"  Прием заявления"`
//! and `"ПРИЁМ заявления"` differ only where the letters differ (`е`/`ё` are distinct
//! letters). A name with no entry passes through unchanged, so an unmapped activity
//! becomes an `unknown_step` finding quoting the source name, never a silent drop.

use super::Field;
pub use super::times::{Shape, TimeSpec, serial_date};
use crate::rules::Catalog;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// `maps/mapping.schema.json`, compiled into the binary.
pub const SCHEMA_TEXT: &str = include_str!("../../../maps/mapping.schema.json");

/// A mapping file that cannot be used: the file, the JSON Pointer and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {pointer}: {message}")]
pub struct MappingError {
    pub file: String,
    pub pointer: String,
    pub message: String,
}

/// The file format (serde types); see `maps/mapping.schema.json` for the meaning.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "source", default)]
    _source: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    services: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    steps: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    shared_steps: Vec<SharedSteps>,
    #[serde(default)]
    channels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    variants: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    grounds: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    time: Option<TimeFile>,
    #[serde(default)]
    records: Option<Vec<String>>,
    /// What a person has to confirm (a draft's guesses); not read.
    #[serde(rename = "review", default)]
    _review: Option<BTreeMap<String, String>>,
}

/// Step names shared by several services (licences whose regulation gives them the same
/// steps, and whose export the same activity names).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedSteps {
    services: Vec<String>,
    steps: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeFile {
    #[serde(default)]
    formats: Vec<String>,
    #[serde(default)]
    serial_dates: bool,
    #[serde(default)]
    zone: Option<String>,
}

/// A loaded mapping, its name tables keyed by folded source name.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// The file it was read from, for messages.
    pub file: String,
    /// Source column (or attribute) name per field, by [`Field`] index.
    pub columns: [Option<String>; Field::COUNT],
    /// The service of every record, when the export holds one service and no column.
    pub service: Option<String>,
    /// The provider of every record without a provider value: the inspector knows whose
    /// export it is.
    pub provider: Option<String>,
    /// Our channel id for every record without a channel value (an export of one
    /// channel, a desk system that records only its own cases).
    pub channel: Option<String>,
    services: HashMap<String, String>,
    /// (our service id, folded source name) -> our step id.
    steps: HashMap<(String, String), String>,
    /// Channel, variant and ground names, by folded source name.
    values: [HashMap<String, String>; 3],
    pub time: TimeSpec,
    /// Whose records the export holds (`records`); `None`: not said, every recorder's
    /// ([`crate::rules::recorder`]).
    pub records: Option<crate::rules::recorder::Recorders>,
}

/// Trims `s` and folds its case (Unicode lower-case mapping, with the final sigma and
/// sharp s folded as case folding does), and collapses runs of white space to one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                'ς' => out.push('σ'),
                'ß' => out.push_str("ss"),
                c => out.push(c),
            }
        }
    }
    out
}

/// Which of channel, variant, ground a value map is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Channel = 0,
    Variant = 1,
    Ground = 2,
}

impl Mapping {
    /// Reads, validates (schema, then names against `catalog`) and compiles a mapping.
    pub fn parse(file: &str, text: &str, catalog: &Catalog) -> Result<Mapping, Vec<MappingError>> {
        let err = |pointer: &str, message: String| MappingError {
            file: file.to_string(),
            pointer: pointer.to_string(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| vec![err("/", format!("invalid JSON: {e}"))])?;
        let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT)
            .map_err(|e| vec![err("/", format!("maps/mapping.schema.json: {e}"))])?;
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| vec![err("/", format!("maps/mapping.schema.json: {e}"))])?;
        let violations: Vec<MappingError> = validator
            .iter_errors(&value)
            .map(|e| {
                err(
                    &crate::pointer::or_root(e.instance_path().to_string()),
                    e.to_string(),
                )
            })
            .collect();
        if !violations.is_empty() {
            return Err(violations);
        }
        let raw: File = serde_path_to_error::deserialize(value).map_err(|e| {
            vec![err(
                &crate::pointer::json_pointer(e.path()),
                e.inner().to_string(),
            )]
        })?;
        compile(file, raw, catalog).map_err(|v| v.into_iter().map(|(p, m)| err(&p, m)).collect())
    }

    /// Our service id for a source service name, if the mapping names it.
    pub fn service_id(&self, source: &str) -> Option<&str> {
        self.services.get(&fold(source)).map(String::as_str)
    }

    /// Our step id for a source activity name of `service` (our id), if mapped.
    pub fn step_id(&self, service: &str, source: &str) -> Option<&str> {
        self.steps
            .get(&(service.to_string(), fold(source)))
            .map(String::as_str)
    }

    /// Our id for a source channel, variant or ground name, if mapped.
    pub fn value_id(&self, kind: ValueKind, source: &str) -> Option<&str> {
        self.values[kind as usize]
            .get(&fold(source))
            .map(String::as_str)
    }

    /// A mapping guessed by `inspect`: columns, source service names with our ids, and
    /// how times are written; no step names (activities pass through).
    pub fn guessed(
        columns: [Option<String>; Field::COUNT],
        services: &[(String, String)],
        time: TimeSpec,
        serial_dates: bool,
    ) -> Mapping {
        let mut m = Mapping {
            file: "<guessed>".to_string(),
            columns,
            time,
            ..Mapping::default()
        };
        m.time.serial_dates = serial_dates;
        for (source, ours) in services {
            m.services.insert(fold(source), ours.clone());
        }
        m
    }

    /// Whether the mapping maps any activity name of `service`.
    pub fn maps_steps_of(&self, service: &str) -> bool {
        self.steps.keys().any(|(s, _)| s == service)
    }
}

type Problems = Vec<(String, String)>;

/// Builds the lookup tables, checking every target against the rule sets.
fn compile(file: &str, raw: File, catalog: &Catalog) -> Result<Mapping, Problems> {
    let mut problems = Problems::new();
    let mut m = Mapping {
        file: file.to_string(),
        ..Mapping::default()
    };
    for (name, column) in &raw.fields {
        match Field::parse(name) {
            Some(f) => m.columns[f as usize] = Some(column.clone()),
            None => problems.push((format!("/fields/{name}"), format!("no field {name:?}"))),
        }
    }
    if let Some(list) = &raw.records {
        match crate::rules::recorder::Recorders::parse(list) {
            Ok(r) => m.records = Some(r),
            Err(e) => problems.push(("/records".into(), e)),
        }
    }
    let known = |id: &str| catalog.editions(id).is_some();
    if let Some(s) = &raw.service {
        if !known(s) {
            problems.push(("/service".into(), format!("no rule set has service {s:?}")));
        }
        m.service = Some(s.clone());
    }
    m.provider.clone_from(&raw.provider);
    if let Some(c) = &raw.channel {
        let exists = (catalog.sets.iter()).any(|s| s.rules.channels.iter().any(|ch| &ch.id == c));
        if !exists {
            problems.push(("/channel".into(), format!("no rule set has channel {c:?}")));
        }
        m.channel = Some(c.clone());
    }
    for (id, names) in &raw.services {
        if !known(id) {
            problems.push((
                format!("/services/{id}"),
                format!("no rule set has service {id:?}"),
            ));
        }
        insert_names(
            &mut m.services,
            &format!("/services/{id}"),
            id,
            names,
            &mut problems,
        );
    }
    for (service, steps) in &raw.steps {
        let at = format!("/steps/{service}");
        compile_steps(catalog, service, steps, (&at, &at), &mut m, &mut problems);
    }
    for (i, shared) in raw.shared_steps.iter().enumerate() {
        for (j, service) in shared.services.iter().enumerate() {
            let at = format!("/shared_steps/{i}/services/{j}");
            let names_at = format!("/shared_steps/{i}/steps");
            let ats = (at.as_str(), names_at.as_str());
            compile_steps(catalog, service, &shared.steps, ats, &mut m, &mut problems);
        }
    }
    for (kind, map) in [(0, &raw.channels), (1, &raw.variants), (2, &raw.grounds)] {
        let key = ["channels", "variants", "grounds"][kind];
        for (id, names) in map {
            insert_names(
                &mut m.values[kind],
                &format!("/{key}/{id}"),
                id,
                names,
                &mut problems,
            );
        }
    }
    if let Some(t) = raw.time {
        m.time = compile_time(t, &mut problems);
    }
    if problems.is_empty() {
        Ok(m)
    } else {
        Err(problems)
    }
}

/// The step names of one service: each step checked against its rule sets, each name
/// folded. `at`: the pointer of the service (for an unknown one) and of the step table.
fn compile_steps(
    catalog: &Catalog,
    service: &str,
    steps: &BTreeMap<String, Vec<String>>,
    at: (&str, &str),
    m: &mut Mapping,
    problems: &mut Problems,
) {
    let sets = catalog.editions(service).unwrap_or(&[]);
    if sets.is_empty() {
        problems.push((
            at.0.to_string(),
            format!("no rule set has service {service:?}"),
        ));
    }
    let mut table = HashMap::new();
    for (step, names) in steps {
        let exists = sets
            .iter()
            .any(|&i| catalog.sets[i].rules.steps.iter().any(|s| &s.id == step));
        let ptr = format!("{}/{step}", at.1);
        if !sets.is_empty() && !exists {
            problems.push((
                ptr.clone(),
                format!("rule set {service} has no step {step:?}"),
            ));
        }
        insert_names(&mut table, &ptr, step, names, problems);
    }
    for (k, v) in table {
        let key = (service.to_string(), k);
        match m.steps.get(&key) {
            Some(prev) if *prev != v => problems.push((
                format!("{}/{v}", at.1),
                format!(
                    "source name {:?} of service {service} already maps to {prev:?}",
                    key.1
                ),
            )),
            _ => {
                m.steps.insert(key, v);
            }
        }
    }
}

/// How times are written: each format checked ([`Shape::of_format`]), the zone looked up.
fn compile_time(t: TimeFile, problems: &mut Problems) -> TimeSpec {
    let mut spec = TimeSpec::default();
    for (i, f) in t.formats.into_iter().enumerate() {
        match Shape::of_format(&f) {
            Ok(shape) => spec.formats.push((f, shape)),
            Err(why) => problems.push((format!("/time/formats/{i}"), why)),
        }
    }
    spec.serial_dates = t.serial_dates;
    if let Some(z) = t.zone {
        match z.parse::<Tz>() {
            Ok(tz) => spec.zone = Some(tz),
            Err(_) => problems.push((
                "/time/zone".into(),
                format!("{z:?} is not an IANA time zone"),
            )),
        }
    }
    spec
}

/// Adds each source name of `target`; one name meaning two targets is an error.
fn insert_names(
    table: &mut HashMap<String, String>,
    at: &str,
    target: &str,
    names: &[String],
    problems: &mut Problems,
) {
    for (i, n) in names.iter().enumerate() {
        let key = fold(n);
        if let Some(prev) = table.get(&key).filter(|p| *p != target) {
            problems.push((
                format!("{at}/{i}"),
                format!("source name {n:?} already maps to {prev:?}"),
            ));
            continue;
        }
        table.insert(key, target.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_trims_and_ignores_case_in_cyrillic_and_kazakh() {
        assert_eq!(fold("  Прием   ЗАЯВЛЕНИЯ "), "прием заявления");
        assert_eq!(fold("ҚАБЫЛДАУ"), "қабылдау");
        assert_ne!(fold("Приём"), fold("Прием"));
    }

    #[test]
    fn a_mapping_with_a_format_that_can_never_match_is_refused_naming_it() {
        use crate::rules::{RulesSource, load, schema::Schema};
        let schema = Schema::bundled().unwrap();
        let catalog =
            Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
        let text = r#"{"time": {"formats": ["%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M.%", "%m.%Y"]}}"#;
        let errs = Mapping::parse("m.json", text, &catalog).unwrap_err();
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("m.json: /time/formats/1: format \"%d.%m.%Y %H.%M.%\""),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("m.json: /time/formats/2: format \"%m.%Y\" has no complete date"),
            "{shown:?}"
        );
    }
}
