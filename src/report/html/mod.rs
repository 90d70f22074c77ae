//! `--format html`: one self-contained page an inspector can open from a USB stick.
//!
//! Inline CSS, SVG drawn here, one small inline script (filtering and sorting the
//! violations table), no network: the page's Content-Security-Policy forbids every
//! fetch. Everything that comes from a log or a rule set goes through [`esc`]; the
//! script reads only `textContent` and attributes, never writes HTML.
//!
//! Every word of the page is in [`Labels`], filled from the language catalog (`--lang`);
//! findings, amounts, paragraphs and warnings are rendered by the same catalog.

mod gaps;
mod labels;
mod print;
mod svg;
mod timeline;

pub use labels::Labels;

use super::Report;
use super::summary::{Aggregates, CaseTimeline, Cases, DueSoon};
use crate::engine::{Finding, Name};
use crate::i18n::Catalog;
use crate::rules::model::Severity;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

/// Escapes text for HTML element content and double-quoted attribute values. Control,
/// bidi, zero-width and invisible characters are first shown as the text and CSV reports
/// show them ([`crate::report::text::escape`]: `\u{202e}`, `\n`): a case id cannot be
/// displayed reversed (`ZH-2016-\u{202e}1000-ok` as `ZH-2016-ko-0001`) or pass for
/// another (`sv-ok\u{200b}-1` for `sv-ok-1`).
pub fn esc(s: &str) -> String {
    let s = crate::report::text::escape(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the page needs besides the report: the aggregates and the timelines.
pub struct Extras<'a> {
    pub aggregates: &'a Aggregates,
    pub cases: &'a Cases,
    pub timelines: &'a [CaseTimeline],
    /// Cases with a finding; more than `timelines.len()` means some were not drawn.
    pub violating_cases: usize,
    /// Open cases about to go overdue: shown first, apart from violations.
    pub due_soon: &'a [DueSoon],
}

const STYLE: &str = "body{font:14px/1.45 system-ui,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}h1{font-size:24px;margin:8px 0 2px}
h2{font-size:19px;margin:28px 0 6px;border-bottom:2px solid #d5dbe3;padding-bottom:4px}h3{font-size:15px;margin:14px 0 4px}
.sub,.note{color:#5a6675;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:#fff;border:1px solid #d5dbe3;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card.hard b{color:#b3261e}.card.norm b{color:#a05a00}
table{border-collapse:collapse;background:#fff;font-size:12.5px;width:100%}th,td{border:1px solid #d5dbe3;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer;white-space:nowrap}th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}
td.n{text-align:right;font-variant-numeric:tabular-nums}.hard{color:#b3261e}.norm{color:#a05a00}q{font-style:italic;quotes:'«' '»'}
.filters{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}.filters label{font-size:12.5px}.filters select{max-width:260px}
.grid{display:flex;flex-wrap:wrap;gap:12px}.grid>div{width:290px;font-size:12.5px;background:#fff;border:1px solid #d5dbe3;border-radius:6px;padding:6px 8px}
details{background:#fff;border:1px solid #d5dbe3;border-radius:6px;margin:6px 0;padding:4px 8px}summary{cursor:pointer}
svg{display:block;max-width:100%;height:auto}svg text{font-family:system-ui,Arial,sans-serif}code{font-size:12px}
.scroll{overflow-x:auto}#vt{width:max-content}#vt td{max-width:200px}#vt td.msg{max-width:none;width:440px;color:#3a4655}";

/// Writes the page in the language of `cat`.
pub fn write(
    report: &Report,
    extras: &Extras,
    cat: &Catalog,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let labels = Labels::new(cat);
    let l = &labels;
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style><style>{}</style></head><body><main>\n<h1>{}</h1>\n",
        l.lang,
        content_policy(),
        esc(l.title),
        print::style(report, l),
        esc(l.title)
    );
    summary(&mut h, report, l, cat);
    due_soon(&mut h, extras.due_soon, l, cat);
    super::open_listing::html(&mut h, report, cat);
    super::not_judged::html(&mut h, report, l, cat);
    compliance(&mut h, report, extras.aggregates, l, cat);
    causes(&mut h, extras.aggregates, l, cat);
    violations(&mut h, report, extras.cases, l, cat);
    gaps::section(&mut h, report, extras.cases, l, cat);
    step_times(&mut h, extras.aggregates, l, cat);
    timeline::section(&mut h, extras, l);
    notes(&mut h, report, l, cat);
    let _ = writeln!(h, "</main><script>{SCRIPT}</script></body></html>");
    out.write_all(h.as_bytes())
}

/// Open cases whose deadline is near, soonest first: what a provider can still save.
fn due_soon(h: &mut String, due: &[DueSoon], l: &Labels, cat: &Catalog) {
    if due.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h2 id=\"due-soon\">{} ({})</h2><p class=\"note\">{}</p><table><thead><tr>",
        esc(l.due_soon),
        due.len(),
        esc(l.due_soon_note)
    );
    for c in [
        l.days_left,
        l.deadline,
        l.case,
        l.service,
        l.provider,
        l.step,
        l.paragraph,
        l.limit,
        l.phrase,
    ] {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    let mut sorted: Vec<&DueSoon> = due.iter().collect();
    sorted.sort_by_key(|d| d.working_days_left);
    for d in sorted {
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            d.working_days_left,
            esc(&cat.deadline(&d.deadline)),
            esc(&d.case),
            esc(&d.service),
            esc(d.provider.as_deref().unwrap_or(l.no_provider)),
            esc(&d.step),
            esc(&cat.cite(&d.cite)),
            esc(&cat.amount(&d.limit)),
            d.quote
                .as_deref()
                .map(|q| format!("<q lang=\"kk\">{}</q>", esc(q)))
                .unwrap_or_default()
        );
    }
    h.push_str("</tbody></table>\n");
}

fn card(h: &mut String, class: &str, label: &str, value: impl std::fmt::Display) {
    let _ = write!(
        h,
        "<div class=\"card {class}\"><b>{}</b>{}</div>",
        esc(&value.to_string()),
        esc(label)
    );
}

fn summary(h: &mut String, r: &Report, l: &Labels, cat: &Catalog) {
    let s = &r.summary;
    let _ = write!(
        h,
        "<h2 id=\"summary\">{}</h2><div class=\"cards\">",
        esc(l.summary)
    );
    card(h, "", l.files, s.files.len());
    card(h, "", l.events, s.events);
    card(h, "", l.rejected, s.rejected);
    if s.unreadable_files > 0 {
        card(h, "hard", l.unreadable, s.unreadable_files);
    }
    card(h, "", l.cases, s.cases);
    card(h, "", l.cases_checked, s.cases_checked);
    card(h, "", l.open_cases, s.open_cases);
    card(h, "", l.cases_with_violations, s.cases_with_violations);
    card(h, "", l.violations, s.violations);
    let by = |sev| s.violations_by_severity.get(&sev).copied().unwrap_or(0);
    card(h, "hard", l.hard, by(Severity::Hard));
    card(h, "norm", l.norm, by(Severity::Norm));
    h.push_str("</div><p class=\"sub\">");
    let _ = write!(h, "{}: ", esc(l.files));
    let files: Vec<String> = s
        .files
        .iter()
        .map(|f| format!("<code>{}</code>", esc(f)))
        .collect();
    h.push_str(&files.join(", "));
    let _ = write!(h, " · {}: {}", esc(l.lines), s.lines);
    match &s.as_of {
        Some(t) => {
            // The moment as the reader writes a time; the run's own string if not one.
            let shown = chrono::DateTime::parse_from_rfc3339(t)
                .map_or_else(|_| t.clone(), |t| cat.time(&t));
            let _ = write!(h, " · {}: {}", esc(l.as_of), esc(&shown));
        }
        None => {
            let _ = write!(h, " · {}", esc(l.not_judged));
        }
    }
    h.push_str("</p>\n");
}

fn compliance(h: &mut String, r: &Report, a: &Aggregates, l: &Labels, cat: &Catalog) {
    let _ = write!(
        h,
        "<h2 id=\"compliance\">{}</h2><p class=\"note\">{}</p>",
        esc(l.compliance),
        esc(l.compliance_note)
    );
    let title = |name: &str| {
        r.rule_sets
            .get(name)
            .map(|t| format!("{} — {}", name, cat.pick(&t.title)))
            .unwrap_or_else(|| name.to_string())
    };
    for (heading, rows, titled) in [
        (l.by_provider, &a.compliance_by_provider, false),
        (l.by_service, &a.compliance_by_service, true),
    ] {
        let _ = write!(h, "<h3>{}</h3>", esc(heading));
        if rows.is_empty() {
            let _ = write!(h, "<p class=\"note\">{}</p>", esc(l.none));
            continue;
        }
        let bars: Vec<svg::Bar> = rows
            .iter()
            .map(|c| svg::Bar {
                label: match &c.name {
                    Some(n) if titled => title(n),
                    Some(n) => n.clone(),
                    None => l.no_provider.to_string(),
                },
                value: c.rate.unwrap_or(0.0),
                shown: cat.percent(c.rate.unwrap_or(0.0)),
                note: format!("{} / {} {}", c.compliant, c.finished, l.finished),
            })
            .collect();
        h.push_str(&svg::rate_bars(&bars));
    }
}

fn causes(h: &mut String, a: &Aggregates, l: &Labels, cat: &Catalog) {
    let _ = write!(
        h,
        "<h2 id=\"causes\">{}</h2><p class=\"note\">{}</p>",
        esc(l.root_causes),
        esc(l.root_causes_note)
    );
    if a.root_causes.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(l.none));
        return;
    }
    h.push_str(&svg::pareto(&a.root_causes, cat));
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(l.service),
        esc(l.step),
        esc(l.paragraph),
        esc(l.count),
        esc(l.overdue_days),
        esc(l.share),
        esc(l.cumulative)
    );
    for c in &a.root_causes {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.rule_set),
            esc(&c.step),
            esc(&cat.cite(&c.cite)),
            c.count,
            esc(&cat.decimal(c.overdue_days, 2)),
            esc(&cat.percent(c.share)),
            esc(&cat.percent(c.cumulative))
        );
    }
    h.push_str("</tbody></table>\n");
}

fn step_times(h: &mut String, a: &Aggregates, l: &Labels, cat: &Catalog) {
    let _ = write!(
        h,
        "<h2 id=\"steps\">{}</h2><p class=\"note\">{}</p>",
        esc(l.step_times),
        esc(l.step_times_note)
    );
    let mut sets: Vec<&str> = a.step_times.iter().map(|s| s.rule_set.as_str()).collect();
    sets.dedup();
    for set in sets {
        let items: Vec<_> = a.step_times.iter().filter(|s| s.rule_set == set).collect();
        let late = items.iter().map(|s| s.overruns.len()).sum::<usize>();
        let _ = write!(
            h,
            "<details><summary><b>{}</b> · {} · <span class=\"{}\">{}</span></summary><div class=\"grid\">",
            esc(set),
            esc(&cat.format("html-limits-n", &[("n", items.len().into())])),
            if late > 0 { "hard" } else { "" },
            esc(&cat.format("html-overruns-n", &[("n", late.into())])),
        );
        for s in items {
            let _ = write!(
                h,
                "<div><b>{}</b> · {} · {}{}{}<br>{}</div>",
                esc(&s.step),
                esc(&cat.cite(&s.cite)),
                esc(&cat.format("html-reached-n", &[("n", s.reached.into())])),
                gaps::not_measured(s, l),
                s.quote
                    .as_deref()
                    .map(|q| format!(" · <q lang=\"kk\">{}</q>", esc(q)))
                    .unwrap_or_default(),
                svg::histogram(s, l, cat)
            );
        }
        h.push_str("</div></details>\n");
    }
}

fn violations(h: &mut String, r: &Report, cases: &Cases, l: &Labels, cat: &Catalog) {
    // Findings on incomplete evidence have a table of their own (`gaps`).
    let complete = r
        .violations
        .iter()
        .filter(|f| !f.evidence_incomplete)
        .count();
    let _ = write!(
        h,
        "<h2 id=\"violations\">{} (<span id=\"vcount\">{}</span> {} / {})</h2><p class=\"note\">{}</p><div class=\"filters\">",
        esc(l.violations),
        complete,
        esc(l.shown),
        complete,
        esc(l.table_note)
    );
    let v = &r.violations;
    let provider = |f: &Finding| {
        f.provider
            .as_ref()
            .map_or_else(|| l.no_provider.to_string(), Name::to_string)
    };
    let providers: Vec<String> = v.iter().map(provider).collect();
    // Each filter option: the code it matches (the rows' `data-` value) and the word shown.
    let filters: [(&str, &str, FilterOptions); 4] = [
        (
            "provider",
            l.provider,
            providers.iter().map(|p| (p.as_str(), p.as_str())).collect(),
        ),
        (
            "service",
            l.service,
            v.iter()
                .map(|f| (f.service.as_str(), f.service.as_str()))
                .collect(),
        ),
        (
            "kind",
            l.kind,
            v.iter()
                .map(|f| (f.kind.as_str(), cat.kind(f.kind)))
                .collect(),
        ),
        (
            "severity",
            l.severity,
            (v.iter())
                .map(|f| (f.severity.as_str(), cat.severity(f.severity)))
                .collect(),
        ),
    ];
    for (col, label, values) in &filters {
        let _ = write!(
            h,
            "<label>{} <select data-col=\"{col}\"><option value=\"\">{}</option>",
            esc(label),
            esc(l.all)
        );
        for (code, word) in values {
            let _ = write!(h, "<option value=\"{}\">{}</option>", esc(code), esc(word));
        }
        h.push_str("</select></label>");
    }
    h.push_str("</div><div class=\"scroll\"><table id=\"vt\"><thead><tr>");
    header_cells(h, l);
    h.push_str("</tr></thead><tbody>\n");
    for (f, p) in (v.iter().zip(&providers)).filter(|(f, _)| !f.evidence_incomplete) {
        // A consequence of one delay is listed with its root and not counted (issue 7
        // point 12): the row says so, as the text report does.
        let root = f
            .caused_by
            .and_then(|i| v.get(i))
            .map(|r| cat.consequence_of(r));
        violation_row(h, f, p, cases, cat, root.as_deref());
    }
    h.push_str("</tbody></table></div>\n");
}

/// The columns of a table of findings, in the order `violation_row` writes its cells
/// (the screen's headings and the printed page's labels both come from here).
pub(super) fn columns<'l>(l: &Labels<'l>) -> [&'l str; 14] {
    [
        l.case,
        l.service,
        l.provider,
        l.kind,
        l.severity,
        l.step,
        l.paragraph,
        l.limit,
        l.actual,
        l.phrase,
        l.deadline,
        l.at,
        l.source,
        l.message,
    ]
}

/// The column headings of a table of findings.
pub(super) fn header_cells(h: &mut String, l: &Labels) {
    for c in columns(l) {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
}

/// A filter's options: the code each matches (the rows' `data-` value) and the word shown.
type FilterOptions<'a> = BTreeSet<(&'a str, &'a str)>;

/// One row of the violations table; the `data-` attributes are what the filters match.
pub(super) fn violation_row(
    h: &mut String,
    f: &Finding,
    p: &str,
    cases: &Cases,
    cat: &Catalog,
    root: Option<&str>,
) {
    let sev = f.severity.as_str();
    let _ = write!(
        h,
        "<tr data-provider=\"{}\" data-service=\"{}\" data-kind=\"{}\" data-severity=\"{sev}\">",
        esc(p),
        esc(&f.service),
        f.kind.as_str()
    );
    let opt = |x: &Option<String>| x.as_deref().map(esc).unwrap_or_default();
    let step = f.term.clone().or_else(|| f.step.clone());
    let amount = |a: Option<crate::engine::Amount>| a.map(|a| cat.amount(&a)).unwrap_or_default();
    let num = |a: Option<crate::engine::Amount>| a.map(|a| a.value.to_string()).unwrap_or_default();
    let source = match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file.to_string(),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<td>{}</td><td>{}</td><td>{}</td><td title=\"{}\">{}</td><td class=\"{sev}\" title=\"{sev}\">{}</td><td>{}</td><td>{}</td><td class=\"n\" data-n=\"{}\">{}</td><td class=\"n\" data-n=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"msg\">{}{}</td></tr>",
        esc(&f.case),
        esc(&f.service),
        esc(p),
        f.kind.as_str(),
        esc(cat.kind(f.kind)),
        esc(cat.severity(f.severity)),
        opt(&step),
        (f.cite.as_deref())
            .map(|c| esc(&cat.cite(c)))
            .unwrap_or_default(),
        num(f.limit),
        esc(&amount(f.limit)),
        num(f.actual),
        esc(&amount(f.actual)),
        cases
            .quote(f)
            .map(|q| format!("<q lang=\"kk\">{}</q>", esc(q)))
            .unwrap_or_default(),
        f.deadline
            .map(|d| esc(&cat.deadline(&d)))
            .unwrap_or_default(),
        f.at.map(|t| esc(&cat.instant(&t))).unwrap_or_default(),
        esc(&source),
        esc(&super::gaps::message(cat, f)),
        root.map(|r| format!(" <em>({})</em>", esc(r)))
            .unwrap_or_default()
    );
}

fn notes(h: &mut String, r: &Report, l: &Labels, cat: &Catalog) {
    let _ = write!(h, "<h2 id=\"warnings\">{}</h2>", esc(l.warnings));
    if r.warnings.is_empty() && r.unreadable.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(l.none));
    } else {
        h.push_str("<ul>");
        for u in &r.unreadable {
            let _ = write!(
                h,
                "<li class=\"hard\">{}: {}</li>",
                esc(&u.file),
                esc(&u.reason)
            );
        }
        for w in super::i18n::warnings(cat, &r.warnings) {
            let _ = write!(h, "<li>{}</li>", esc(&w));
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "<h2 id=\"rejected\">{} ({})</h2>",
        esc(l.rejected_records),
        r.rejected.len()
    );
    if r.rejected.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(l.none));
        return;
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(l.source),
        esc(l.field),
        esc(l.reason)
    );
    for x in &r.rejected {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&format!("{}:{}", x.file, x.line)),
            x.field.as_deref().map(esc).unwrap_or_default(),
            esc(&cat.reason(x.code, &x.reason))
        );
    }
    h.push_str("</tbody></table>\n");
}

/// Filters and sorts the violations table. Reads attributes and `textContent` only.
/// Marks the document `data-script="ok"` when it ran to its end, for the screenshot check.
pub const SCRIPT: &str = include_str!("script.js");

/// The base64 SHA-256 of [`SCRIPT`], computed by `build.rs`: the page's content policy
/// allows this one script and no other (an injected `<script>` would not run).
pub const SCRIPT_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/script.sha256"));

/// The page's Content-Security-Policy: nothing fetched, no script but [`SCRIPT`], no
/// `<base>` to redirect links, no form to send anything.
fn content_policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_SHA256}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
}

/// At most this many case timelines are drawn (the table lists every violation).
pub const MAX_TIMELINES: usize = 200;

/// Computes the aggregates and timelines from the report and the log's cases, then
/// writes the page.
pub fn write_report(
    report: &Report,
    cases: &Cases,
    calendar: &crate::calendar::Calendar,
    cat: &Catalog,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let aggregates = Aggregates::compute(report, cases);
    let timelines = super::summary::timelines(report, cases, calendar, MAX_TIMELINES);
    // Cases that lost a record of their own are not drawn (issue 16).
    let violating: BTreeSet<(&str, &str)> = (report.violations.iter())
        .filter(|f| !f.evidence_incomplete)
        .map(|f| (f.service.as_str(), f.case.as_str()))
        .collect();
    let extras = Extras {
        aggregates: &aggregates,
        cases,
        timelines: &timelines,
        violating_cases: violating.len(),
        due_soon: &report.due_soon,
    };
    write(report, &extras, cat, out)
}
