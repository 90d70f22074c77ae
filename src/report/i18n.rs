//! What every report format renders the same way in the reader's language: the
//! warnings, grouped (one line per rule set for its unchecked terms, one line for all
//! years without a decree), and a rule set's title.

use super::{Report, Warning};
use crate::i18n::Catalog;
use crate::rules::validity::Side;
use fluent_bundle::FluentValue;
use std::collections::BTreeMap;

/// The warnings of a report as sentences, grouped: every term a rule set leaves
/// unchecked in one line per rule set, every year without a decree in one line.
pub fn warnings(cat: &Catalog, ws: &[Warning]) -> Vec<String> {
    let mut years: Vec<i32> = Vec::new();
    let mut terms: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut rest = Vec::new();
    for w in ws {
        match w {
            Warning::NoDecree { year } => years.push(*year),
            Warning::TermNotChecked {
                rule_set,
                term,
                cite,
            } => terms
                .entry(rule_set.as_str())
                .or_default()
                .push(format!("{term} ({})", cat.cite(cite))),
            w => rest.extend(sentence(cat, w)),
        }
    }
    let mut out = Vec::new();
    if !years.is_empty() {
        years.sort_unstable();
        years.dedup();
        let list: Vec<String> = years.iter().map(i32::to_string).collect();
        out.push(cat.format(
            "warning-no-decree",
            &[
                ("years", FluentValue::from(list.join(", "))),
                ("count", FluentValue::from(list.len())),
            ],
        ));
    }
    for (rule_set, ts) in terms {
        out.push(cat.format(
            "warning-terms-not-checked",
            &[
                ("rule_set", FluentValue::from(rule_set)),
                ("terms", FluentValue::from(ts.join(", "))),
                ("count", FluentValue::from(ts.len())),
            ],
        ));
    }
    out.extend(rest);
    out
}

/// A warning that stands alone as one sentence; `None` for those said in groups.
fn sentence(cat: &Catalog, w: &Warning) -> Option<String> {
    let s = |v: &str| FluentValue::from(v.to_string());
    Some(match w {
        Warning::NoDecree { .. } | Warning::TermNotChecked { .. } => return None,
        Warning::EmptyInput { file } => cat.format("warning-empty-input", &[("file", s(file))]),
        Warning::ValidityUncertain {
            rule_set,
            side,
            cases,
            first,
            last,
            earliest,
            latest,
            latest_inferred,
        } => {
            // Days as the reader writes them (issue 19): "01.06.2016–10.06.2016".
            let days = if first == last {
                cat.date(*first)
            } else {
                let dash = match cat.lang() {
                    crate::i18n::Lang::En => "..",
                    crate::i18n::Lang::Kk | crate::i18n::Lang::Ru => "–",
                };
                format!("{}{dash}{}", cat.date(*first), cat.date(*last))
            };
            let key = match side {
                Side::Start => "warning-validity-start",
                Side::End => "warning-validity-end",
            };
            let latest = latest.map_or_else(|| "unknown".into(), |d| cat.date(d));
            let inferred = if *latest_inferred { "yes" } else { "no" };
            cat.format(
                key,
                &[
                    ("rule_set", s(rule_set)),
                    ("cases", FluentValue::from(*cases)),
                    ("days", s(&days)),
                    ("earliest", s(&cat.date(*earliest))),
                    ("latest", s(&latest)),
                    ("inferred", s(inferred)),
                ],
            )
        }
        Warning::Records { held, not_held } => {
            let names = |codes: &[&str]| {
                let names: Vec<String> = (codes.iter())
                    .map(|c| cat.text(&format!("recorder-{c}")).to_string())
                    .collect();
                FluentValue::from(names.join(", "))
            };
            cat.format(
                "warning-records",
                &[("held", names(held)), ("not_held", names(not_held))],
            )
        }
        Warning::LimitNotMeasured(l) => cat.format(
            "warning-limit-not-measured",
            &[
                ("rule_set", s(&l.rule_set)),
                ("limit", s(&cat.amount(&l.limit.amount()))),
                ("cite", s(&cat.cite(&l.cite))),
                ("step", s(&l.step)),
                ("cases", FluentValue::from(l.cases)),
                ("reason", s(l.reason.as_str())),
            ],
        ),
        Warning::OpenNoDeadline {
            rule_set,
            step,
            cite,
            cases,
        } => cat.format(
            "warning-open-no-deadline",
            &[
                ("rule_set", s(rule_set)),
                ("step", s(step)),
                ("cite", s(&cat.cite(cite))),
                ("cases", FluentValue::from(*cases)),
            ],
        ),
    })
}

/// The title of rule set `id` in the reader's language, when the report knows it.
pub fn title<'r>(cat: &Catalog, r: &'r Report, id: &str) -> Option<&'r str> {
    r.rule_sets.get(id).map(|rs| cat.pick(&rs.title))
}

/// One warning as a sentence in the reader's language (JSON lists them one by one).
pub fn warning(cat: &Catalog, w: &Warning) -> String {
    warnings(cat, std::slice::from_ref(w))
        .pop()
        .unwrap_or_default()
}
