//! `rules/schema.json`, compiled once per run.

use jsonschema::Validator;
use serde_json::Value;

/// The rule-set schema as shipped in `rules/schema.json`.
pub const SCHEMA_TEXT: &str = include_str!("../../rules/schema.json");

/// The compiled rule-set schema.
pub struct Schema {
    validator: Validator,
}

/// One schema violation: where (JSON Pointer into the document) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

impl Schema {
    /// Compiles the bundled schema. The schema is part of the binary, so failure here is
    /// a bug in the shipped schema, reported as a message rather than a panic.
    pub fn bundled() -> Result<Schema, String> {
        let value: Value =
            serde_json::from_str(SCHEMA_TEXT).map_err(|e| format!("rules/schema.json: {e}"))?;
        let validator =
            jsonschema::validator_for(&value).map_err(|e| format!("rules/schema.json: {e}"))?;
        Ok(Schema { validator })
    }

    /// Every violation of the schema in `doc`, in document order.
    pub fn violations(&self, doc: &Value) -> Vec<Violation> {
        let mut out: Vec<Violation> = self
            .validator
            .iter_errors(doc)
            .map(|e| Violation {
                pointer: crate::pointer::or_root(e.instance_path().to_string()),
                message: e.to_string(),
            })
            .collect();
        out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        out.dedup();
        out
    }
}
