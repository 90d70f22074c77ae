//! The findings of cases that lost a record of their own (issue 16), in a table of their
//! own after the violations: listed for the inspector, not counted.

use super::{Labels, esc, header_cells, violation_row};
use crate::i18n::Catalog;
use crate::report::Report;
use crate::report::summary::Cases;
use std::fmt::Write as _;

/// The section, when there is any such finding.
pub(super) fn section(h: &mut String, r: &Report, cases: &Cases, l: &Labels, cat: &Catalog) {
    let v = &r.violations;
    let n = v.iter().filter(|f| f.evidence_incomplete).count();
    if n == 0 {
        return;
    }
    let _ = write!(
        h,
        "<h2 id=\"evidence-incomplete\">{} ({n})</h2><p class=\"note\">{}</p><div class=\"scroll\"><table id=\"et\"><thead><tr>",
        esc(cat.text("html-evidence_incomplete")),
        esc(cat.text("html-evidence_incomplete_note"))
    );
    header_cells(h, l);
    h.push_str("</tr></thead><tbody>\n");
    for f in v.iter().filter(|f| f.evidence_incomplete) {
        let provider = f.provider.as_ref().map_or(l.no_provider, |p| p.as_str());
        let root = (f.caused_by.and_then(|i| v.get(i))).map(|r| cat.consequence_of(r));
        violation_row(h, f, provider, cases, cat, root.as_deref());
    }
    h.push_str("</tbody></table></div>\n");
}

/// What a step's card says of the cases where its limit was not measured: counted apart,
/// never as within the limit.
pub(super) fn not_measured(s: &crate::report::summary::StepTimes, l: &Labels) -> String {
    if s.not_measured == 0 {
        return String::new();
    }
    format!(
        " · <span class=\"norm\">{} {}</span>",
        s.not_measured,
        esc(l.not_measured)
    )
}
