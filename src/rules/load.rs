//! Reading rule files: parse, resolve `extends`, validate against the schema, deserialize.
//!
//! Every error names the file and the JSON Pointer of the field, as `file: /pointer: message`.
//! A whole directory is read before any error is returned, so `rules validate` lists every
//! problem at once.

use super::model::RuleSet;
use super::schema::Schema;
use serde_json::{Map, Value};
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
}

/// A file's name and text.
struct Doc {
    origin: String,
    text: String,
}

fn read_dir_docs(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<Doc> {
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
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("schema.json"))
        })
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
/// and `refusal_grounds`, which are appended to the template's lists.
fn resolve(file: Map<String, Value>, template: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = template.clone();
    merged.remove("$schema");
    for (k, v) in file {
        match (k.as_str(), merged.get_mut(&k), v) {
            ("notes" | "refusal_grounds", Some(Value::Array(base)), Value::Array(extra)) => {
                base.extend(extra)
            }
            (_, _, v) => {
                merged.insert(k, v);
            }
        }
    }
    merged
}

/// Reads, resolves, validates and deserializes every rule set of `source`.
pub fn load(source: &RulesSource, schema: &Schema) -> Result<Bundle, Vec<LoadError>> {
    let mut errors = Vec::new();
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
        RulesSource::Dir(dir) => {
            let files = read_dir_docs(dir, &mut errors);
            let tdir = dir.join("templates");
            let templates = if tdir.is_dir() {
                read_dir_docs(&tdir, &mut errors)
            } else {
                Vec::new()
            };
            (files, templates)
        }
    };

    let mut tmpl: Vec<(String, String, Map<String, Value>)> = Vec::new();
    for doc in &templates {
        match parse(doc) {
            Ok(Value::Object(m)) => tmpl.push((stem(&doc.origin), doc.origin.clone(), m)),
            Ok(_) => errors.push(err(
                &doc.origin,
                Some("/".into()),
                "expected a JSON object, found another JSON value",
            )),
            Err(e) => errors.push(e),
        }
    }

    let mut rule_sets = Vec::new();
    for doc in &files {
        let value = match parse(doc) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let value = match value {
            Value::Object(m) => match m.get("extends").cloned() {
                Some(Value::String(name)) => match tmpl.iter().find(|(id, _, _)| *id == name) {
                    Some((_, _, t)) => Value::Object(resolve(m, t)),
                    None => {
                        errors.push(err(
                            &doc.origin,
                            Some("/extends".into()),
                            format!("expected a template in templates/, found no {name:?}"),
                        ));
                        continue;
                    }
                },
                _ => Value::Object(m),
            },
            other => other,
        };
        let violations = schema.violations(&value);
        if !violations.is_empty() {
            for v in violations {
                errors.push(err(&doc.origin, Some(v.pointer), v.message));
            }
            continue;
        }
        let mut track = serde_path_to_error::Track::new();
        let de = serde_path_to_error::Deserializer::new(&value, &mut track);
        match <RuleSet as serde::Deserialize>::deserialize(de) {
            Ok(rs) => rule_sets.push((doc.origin.clone(), rs)),
            Err(e) => {
                let pointer = crate::error::json_pointer(&track.path());
                errors.push(err(&doc.origin, Some(pointer), e.to_string()));
            }
        }
    }
    if errors.is_empty() {
        Ok(Bundle { rule_sets })
    } else {
        Err(errors)
    }
}
