//! What the report says about gaps in the evidence (issue 16): the findings of cases
//! that lost a record of their own, which are listed apart and not counted, and the
//! limits that could not be measured, per rule set and step. The engine decides both
//! ([`crate::engine::evidence`]); this module only gathers them for the writers.

use crate::engine::evidence::{NotMeasured, Unmeasured};
use crate::engine::{Amount, Finding};
use crate::rules::Catalog;
use crate::rules::model::Unit;
use serde::Serialize;
use std::collections::BTreeSet;

/// One limit of one step that was not measured in `cases` cases, and why
/// (`summary.limits_not_measured`, and a warning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitNotMeasured {
    /// The service id logs use.
    pub service: String,
    /// The edition (rule set) the cases were judged under.
    pub rule_set: String,
    pub step: String,
    /// Paragraph of the limit.
    #[serde(rename = "ref")]
    pub cite: String,
    pub limit: Figure,
    pub cases: u64,
    pub reason: NotMeasured,
}

/// A limit's figure as the rule set states it (`{value, unit}`, as findings give limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub value: u32,
    pub unit: Unit,
}

impl Figure {
    pub fn amount(self) -> Amount {
        Amount::whole(i64::from(self.value), self.unit)
    }
}

/// The limits not measured, named, in rule set and step order.
pub fn limits_not_measured(catalog: &Catalog, u: &Unmeasured) -> Vec<LimitNotMeasured> {
    (u.cases.iter())
        .filter_map(|(&(set, step, limit, reason), &cases)| {
            let c = catalog.sets.get(set)?;
            let rule = c.steps.get(usize::from(step))?;
            let lim = rule.limits.get(limit)?;
            Some(LimitNotMeasured {
                service: c
                    .rules
                    .service
                    .clone()
                    .unwrap_or_else(|| c.id().to_string()),
                rule_set: c.id().to_string(),
                step: rule.id.clone(),
                cite: lim.cite.clone(),
                limit: Figure {
                    value: lim.value,
                    unit: lim.unit,
                },
                cases,
                reason,
            })
        })
        .collect()
}

/// A finding's sentence in the reader's language, with the caveat in words when its
/// case lost a record of its own. Unescaped: each writer escapes it.
pub fn message(cat: &crate::i18n::Catalog, f: &Finding) -> String {
    let m = cat.message(&f.message);
    if f.evidence_incomplete {
        format!("{m} ({})", cat.text("evidence-incomplete"))
    } else {
        m
    }
}

/// Whether a finding is counted against the provider: a root finding (not a consequence
/// of another) of a case whose evidence is whole.
pub fn is_counted(f: &Finding) -> bool {
    f.caused_by.is_none() && !f.evidence_incomplete
}

/// The cases (service, case) with a finding on incomplete evidence.
pub fn incomplete_cases(findings: &[Finding]) -> BTreeSet<(&str, &str)> {
    (findings.iter())
        .filter(|f| f.evidence_incomplete)
        .map(|f| (f.service.as_str(), f.case.as_str()))
        .collect()
}
