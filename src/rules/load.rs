//! Reading rule files: parse, resolve `extends`, validate against the schema, deserialize.
//!
//! Every error names the file and the JSON Pointer of the field, as `file: /pointer: message`.
//! A whole directory is read before any error is returned, so `rules validate` lists every
//! problem at once.

use super::model::RuleSet;
use super::schema::Schema;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Logs shipped with the binary (`logs/*.jsonl`), checked when `check` gets no LOG.
pub fn bundled_logs() -> &'static [(&'static str, &'static str)] {
    bundled::LOGS
}

/// Where rule sets come from.
#[derive(Debug, Clone)]
pub enum RulesSource {
    /// The rule sets compiled into the binary from `rules/`.
    Bundled,
    /// A directory of the user's own: `DIR/*.json` and templates in `DIR/templates/`.
    Dir(PathBuf),
    /// Rule files given as `(name, text)` pairs (tests, embedding applications).
    Inline(Vec<(String, String)>),
}

/// A rule file that could not be used: `file: /pointer: message`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{origin}: {}{message}", at_prefix(.at))]
pub struct LoadError {
    /// File the error is in.
    pub origin: String,
    /// JSON Pointer of the offending field, or a line/column for syntax errors.
    pub at: Option<String>,
    pub message: String,
}

fn at_prefix(at: &Option<String>) -> String {
    at.as_deref().map_or(String::new(), |at| format!("{at}: "))
}

fn err(origin: &str, at: Option<String>, message: impl Into<String>) -> LoadError {
    LoadError {
        origin: origin.to_string(),
        at,
        message: message.into(),
    }
}

/// Rule sets as read from their files, each with the file it came from.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub rule_sets: Vec<(String, RuleSet)>,
    /// What each rule file (by origin) took from its template, so that compile errors in
    /// inherited fields are reported once, against the template.
    pub(crate) inherited: HashMap<String, Inherited>,
}

/// The fields a rule file took from its template (`extends`): an error at one of them
/// lives in the template, not in each file that extends it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inherited {
    /// The template file.
    template: String,
    /// Top-level keys the file did not set, taken whole from the template.
    keys: Vec<String>,
    /// Lists appended to the template's (`notes`, `refusal_grounds`): elements before
    /// this index are the template's.
    appended: Vec<(String, usize)>,
}

impl Inherited {
    /// The file an error at `pointer` belongs to: the template when the field is
    /// inherited, otherwise `None` (the rule file itself).
    fn owner(&self, pointer: &str) -> Option<&str> {
        let mut parts = pointer.strip_prefix('/')?.split('/');
        let key = parts.next()?;
        if self.keys.iter().any(|k| k == key) {
            return Some(&self.template);
        }
        let (_, len) = self.appended.iter().find(|(k, _)| k == key)?;
        let index: usize = parts.next()?.parse().ok()?;
        (index < *len).then_some(self.template.as_str())
    }
}

/// Errors of a whole load, each reported once: an error in a template is moved to the
/// template's file and kept only the first time, however many files extend it.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    list: Vec<LoadError>,
    seen: HashSet<LoadError>,
}

impl Errors {
    pub(crate) fn push(&mut self, e: LoadError) {
        self.list.push(e);
    }

    /// `e`, moved to the template when it lies in a field `inherited` took from one.
    pub(crate) fn push_in(&mut self, inherited: Option<&Inherited>, mut e: LoadError) {
        let owner = inherited.and_then(|i| i.owner(e.at.as_deref().unwrap_or("")));
        if let Some(template) = owner {
            e.origin = template.to_string();
            if !self.seen.insert(e.clone()) {
                return;
            }
        }
        self.list.push(e);
    }

    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, Vec<LoadError>> {
        if self.list.is_empty() {
            Ok(ok)
        } else {
            Err(self.list)
        }
    }
}

/// A file's name and text.
struct Doc {
    origin: String,
    text: String,
}

/// The `*.json` files of `dir`, sorted by name. Only a file named exactly `schema.json`
/// is skipped (the schema a rule file's `$schema` may point to); `my-schema.json` is a
/// rule file like any other, never silently ignored.
fn read_dir_docs(dir: &Path, errors: &mut Errors) -> Vec<Doc> {
    let mut docs = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(err(
                &dir.display().to_string(),
                None,
                format!("cannot read directory: {e}"),
            ));
            return docs;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("json"))
        .filter(|p| p.file_name().and_then(|n| n.to_str()) != Some("schema.json"))
        .collect();
    paths.sort();
    for p in paths {
        let origin = p.display().to_string();
        match std::fs::read(&p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => docs.push(Doc { origin, text }),
                Err(e) => errors.push(err(&origin, None, format!("expected UTF-8: {e}"))),
            },
            Err(e) => errors.push(err(&origin, None, format!("cannot read: {e}"))),
        }
    }
    docs
}

fn parse(doc: &Doc) -> Result<Value, LoadError> {
    let text = doc.text.strip_prefix('\u{feff}').unwrap_or(&doc.text);
    serde_json::from_str(text).map_err(|e| {
        err(
            &doc.origin,
            Some(format!("line {} column {}", e.line(), e.column())),
            format!("expected JSON: {e}"),
        )
    })
}

/// Template id of a template file: its file stem.
fn stem(origin: &str) -> String {
    Path::new(origin)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(origin)
        .to_string()
}

/// Resolves `extends`: the file's top-level keys replace the template's, except `notes`
/// and `refusal_grounds`, which are appended to the template's lists. Also says which
/// fields came from the template (`origin`).
fn resolve(
    file: Map<String, Value>,
    template: &Map<String, Value>,
    origin: &str,
) -> (Map<String, Value>, Inherited) {
    let mut merged = template.clone();
    merged.remove("$schema");
    let mut inherited = Inherited {
        template: origin.to_string(),
        keys: (merged.keys())
            .filter(|k| !file.contains_key(*k))
            .cloned()
            .collect(),
        appended: Vec::new(),
    };
    for (k, v) in file {
        match (k.as_str(), merged.get_mut(&k), v) {
            ("notes" | "refusal_grounds", Some(Value::Array(base)), Value::Array(extra)) => {
                inherited.appended.push((k.clone(), base.len()));
                base.extend(extra)
            }
            (_, _, v) => {
                merged.insert(k, v);
            }
        }
    }
    (merged, inherited)
}

/// The templates of `docs`, by id; a template that `extends` another is refused (one
/// level only: no chains, so no cycles), at its own `/extends`.
fn templates(docs: &[Doc], errors: &mut Errors) -> Vec<(String, String, Map<String, Value>)> {
    let mut tmpl = Vec::new();
    for doc in docs {
        match parse(doc) {
            Ok(Value::Object(m)) if m.contains_key("extends") => errors.push(err(
                &doc.origin,
                Some("/extends".into()),
                "expected a template without `extends` (templates do not chain), found one",
            )),
            Ok(Value::Object(m)) => tmpl.push((stem(&doc.origin), doc.origin.clone(), m)),
            Ok(_) => errors.push(err(
                &doc.origin,
                Some("/".into()),
                "expected a JSON object, found another JSON value",
            )),
            Err(e) => errors.push(e),
        }
    }
    tmpl
}

/// Reads, resolves, validates and deserializes every rule set of `source`. A directory
/// without any rule file is an error: "all valid" about nothing would pass any check.
pub fn load(source: &RulesSource, schema: &Schema) -> Result<Bundle, Vec<LoadError>> {
    let mut errors = Errors::default();
    let (files, templates) = match source {
        RulesSource::Bundled => {
            let conv = |list: &[(&str, &str)]| -> Vec<Doc> {
                list.iter()
                    .map(|(o, t)| Doc {
                        origin: (*o).to_string(),
                        text: (*t).to_string(),
                    })
                    .collect()
            };
            (conv(bundled::RULES), conv(bundled::TEMPLATES))
        }
        RulesSource::Inline(docs) => (
            docs.iter()
                .map(|(o, t)| Doc {
                    origin: o.clone(),
                    text: t.clone(),
                })
                .collect(),
            Vec::new(),
        ),
        RulesSource::Dir(dir) => read_dir(dir, &mut errors),
    };
    let tmpl = self::templates(&templates, &mut errors);
    let mut bundle = Bundle {
        rule_sets: Vec::new(),
        inherited: HashMap::new(),
    };
    for doc in &files {
        let value = match parse(doc) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let (value, inherited) = match value {
            Value::Object(m) => match m.get("extends").cloned() {
                Some(Value::String(name)) => match tmpl.iter().find(|(id, _, _)| *id == name) {
                    Some((_, origin, t)) => {
                        let (merged, inherited) = resolve(m, t, origin);
                        (Value::Object(merged), Some(inherited))
                    }
                    None => {
                        errors.push(err(
                            &doc.origin,
                            Some("/extends".into()),
                            format!("expected a template in templates/, found no {name:?}"),
                        ));
                        continue;
                    }
                },
                _ => (Value::Object(m), None),
            },
            other => (other, None),
        };
        let violations = schema.violations(&value);
        if !violations.is_empty() {
            for v in violations {
                let e = err(&doc.origin, Some(v.pointer), v.message);
                errors.push_in(inherited.as_ref(), e);
            }
            continue;
        }
        let mut track = serde_path_to_error::Track::new();
        let de = serde_path_to_error::Deserializer::new(&value, &mut track);
        match <RuleSet as serde::Deserialize>::deserialize(de) {
            Ok(rs) => {
                if let Some(i) = inherited {
                    bundle.inherited.insert(doc.origin.clone(), i);
                }
                bundle.rule_sets.push((doc.origin.clone(), rs));
            }
            Err(e) => {
                let pointer = crate::pointer::json_pointer(&track.path());
                let e = err(&doc.origin, Some(pointer), e.to_string());
                errors.push_in(inherited.as_ref(), e);
            }
        }
    }
    errors.into_result(bundle)
}

/// The rule files and templates of a `--rules DIR`; none at all is an error.
fn read_dir(dir: &Path, errors: &mut Errors) -> (Vec<Doc>, Vec<Doc>) {
    let before = errors.list.len();
    let files = read_dir_docs(dir, errors);
    if files.is_empty() && errors.list.len() == before {
        errors.push(err(
            &dir.display().to_string(),
            None,
            "expected at least one rule file (*.json), found none",
        ));
    }
    let tdir = dir.join("templates");
    let templates = if tdir.is_dir() {
        read_dir_docs(&tdir, errors)
    } else {
        Vec::new()
    };
    (files, templates)
}
