//! Timelines of violating cases: each event on a local time axis, the deadlines the
//! findings name, the late part in red, non-working days shaded.

use super::{Extras, Labels, esc};
use crate::report::summary::CaseTimeline;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::fmt::Write as _;

const LEFT: f64 = 210.0;
const PLOT: f64 = 850.0;
const ROW: f64 = 20.0;
const TOP: f64 = 8.0;

/// The section: one collapsible timeline per violating case.
pub fn section(h: &mut String, x: &Extras, l: &Labels) {
    let _ = write!(
        h,
        "<h2 id=\"timelines\">{}</h2><p class=\"note\">{}</p>",
        esc(l.timelines),
        esc(l.timelines_note)
    );
    if x.timelines.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(l.none));
    }
    for (i, t) in x.timelines.iter().enumerate() {
        let open = if i < 3 { " open" } else { "" };
        let _ = writeln!(
            h,
            "<details{open}><summary><b>{}</b> · {} · {} · {}</summary>{}</details>",
            esc(&t.case),
            esc(&t.service),
            esc(t.provider.as_deref().unwrap_or(l.no_provider)),
            esc(&kinds(t)),
            draw(t, l)
        );
    }
    if x.violating_cases > x.timelines.len() {
        let _ = write!(
            h,
            "<p class=\"note\">{} ({} / {})</p>",
            esc(l.timelines_cut),
            x.timelines.len(),
            x.violating_cases
        );
    }
}

/// The kinds of a case's findings, each once, in order: "step_overdue, term_overdue".
fn kinds(t: &CaseTimeline) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for m in &t.marks {
        if !seen.contains(&m.kind.as_str()) {
            seen.push(m.kind.as_str());
        }
    }
    seen.join(", ")
}

/// One row of the drawing: an event, or a deadline no event row carries (a term).
struct Row<'a> {
    label: &'a str,
    at: Option<DateTime<FixedOffset>>,
    prev: Option<DateTime<FixedOffset>>,
}

/// Tick steps to choose from, in seconds, smallest first.
const STEPS: [i64; 14] = [
    60, 300, 900, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000,
    7_776_000, 31_536_000,
];

fn draw(t: &CaseTimeline, l: &Labels) -> String {
    let offset = t.events.first().map(|e| *e.1.offset());
    let all = t
        .events
        .iter()
        .map(|e| e.1)
        .chain(t.marks.iter().filter_map(|m| m.deadline))
        .chain(t.marks.iter().filter_map(|m| m.at));
    let (Some(lo), Some(hi)) = (all.clone().min(), all.max()) else {
        return String::new();
    };
    let span = (hi - lo).num_seconds().max(60) as f64;
    let (t0, t1) = (
        lo.timestamp() as f64 - span * 0.03,
        hi.timestamp() as f64 + span * 0.03,
    );
    let x = |t: DateTime<FixedOffset>| LEFT + PLOT * (t.timestamp() as f64 - t0) / (t1 - t0);
    let (rows, mark_rows) = rows_of(t);
    let height = TOP + ROW * rows.len() as f64 + 40.0;
    let width = LEFT + PLOT + 20.0;
    let axis_y = TOP + ROW * rows.len() as f64 + 4.0;
    let mut s = format!(
        "<svg role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    if let Some(off) = offset {
        for d in &t.days_off {
            shade_day(&mut s, *d, off, &x, axis_y, l);
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#eef1f5\"/>",
            LEFT - 8.0,
            y + 14.0,
            esc(&super::svg::shorten(r.label, 30)),
            y + 10.0,
            LEFT + PLOT,
            y + 10.0
        );
        if let (Some(a), Some(p)) = (r.at, r.prev) {
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"6\" fill=\"#9aa5b1\"/>",
                x(p),
                y + 7.0,
                (x(a) - x(p)).max(0.5)
            );
        }
        if let Some(a) = r.at {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{}\" r=\"4\" fill=\"#1d2733\"><title>{} {}</title></circle>",
                x(a),
                y + 10.0,
                esc(r.label),
                esc(&a.format("%Y-%m-%d %H:%M:%S%:z").to_string())
            );
        }
    }
    draw_marks(&mut s, t, &mark_rows, &x, l);
    axis(&mut s, lo, hi, offset, &x, axis_y);
    s.push_str("</svg>");
    s
}

/// The rows of a drawing (one per event, then one per term deadline) and, for each mark,
/// the row it sits on.
fn rows_of(t: &CaseTimeline) -> (Vec<Row<'_>>, Vec<usize>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut prev = None;
    for (step, at) in &t.events {
        rows.push(Row {
            label: step,
            at: Some(*at),
            prev,
        });
        prev = Some(*at);
    }
    // A mark sits on the row of the event it is about; a term's deadline gets its own row.
    let mut mark_rows = Vec::new();
    for m in &t.marks {
        let row = rows
            .iter()
            .position(|r| r.label == m.label && r.at == m.at)
            // An order finding may name another step (the one skipped): its event's row.
            .or_else(|| {
                m.deadline
                    .is_none()
                    .then(|| rows.iter().position(|r| r.at.is_some() && r.at == m.at))
                    .flatten()
            })
            .or_else(|| {
                rows.push(Row {
                    label: &m.label,
                    at: None,
                    prev: None,
                });
                Some(rows.len() - 1)
            });
        mark_rows.push(row.unwrap_or(0));
    }
    (rows, mark_rows)
}

/// The findings on their rows: a deadline tick and the late part in red, or a ring
/// around the event of a finding about order or grounds.
fn draw_marks(
    s: &mut String,
    t: &CaseTimeline,
    mark_rows: &[usize],
    x: &dyn Fn(DateTime<FixedOffset>) -> f64,
    l: &Labels,
) {
    for (m, &i) in t.marks.iter().zip(mark_rows) {
        let y = TOP + ROW * i as f64;
        let Some(deadline) = m.deadline else {
            // A finding about order or grounds: a ring around its event.
            if let Some(a) = m.at {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{}\" r=\"7\" fill=\"none\" stroke=\"#c77700\" stroke-width=\"2\"><title>{}: {}</title></circle>",
                    x(a),
                    y + 10.0,
                    esc(&m.label),
                    esc(m.kind.as_str())
                );
            }
            continue;
        };
        let dx = x(deadline);
        if let Some(a) = m.at.filter(|a| *a > deadline) {
            let _ = write!(
                s,
                "<rect x=\"{dx:.1}\" y=\"{}\" width=\"{:.1}\" height=\"8\" fill=\"#b3261e\"><title>{} {}: {}</title></rect>",
                y + 6.0,
                (x(a) - dx).max(3.0),
                esc(&m.label),
                esc(l.late),
                esc(m.kind.as_str())
            );
        }
        let _ = write!(
            s,
            "<line x1=\"{dx:.1}\" y1=\"{}\" x2=\"{dx:.1}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"2\"><title>{} {}</title></line>",
            y + 1.0,
            y + 19.0,
            esc(l.deadline),
            esc(&deadline.format("%Y-%m-%d %H:%M:%S%:z").to_string())
        );
    }
}

/// A local day off as a shaded column (midnight to midnight at the case's offset).
fn shade_day(
    s: &mut String,
    d: NaiveDate,
    off: FixedOffset,
    x: &dyn Fn(DateTime<FixedOffset>) -> f64,
    bottom: f64,
    l: &Labels,
) {
    let start = d
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(off).single());
    let end = d
        .succ_opt()
        .and_then(|n| n.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(off).single());
    if let (Some(a), Some(b)) = (start, end) {
        let (xa, xb) = (x(a).max(LEFT), x(b).min(LEFT + PLOT));
        if xb > xa {
            let _ = write!(
                s,
                "<rect x=\"{xa:.1}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#dfe4ea\" opacity=\"0.7\"><title>{d} {}</title></rect>",
                xb - xa,
                bottom - TOP,
                esc(l.day_off)
            );
        }
    }
}

/// The time axis with ticks at a round step, labelled in the case's local time.
fn axis(
    s: &mut String,
    lo: DateTime<FixedOffset>,
    hi: DateTime<FixedOffset>,
    offset: Option<FixedOffset>,
    x: &dyn Fn(DateTime<FixedOffset>) -> f64,
    y: f64,
) {
    let span = (hi - lo).num_seconds().max(1);
    let step = STEPS
        .iter()
        .copied()
        .find(|st| span / st <= 7)
        .unwrap_or(31_536_000);
    let off = offset.map_or(0, |o| i64::from(o.local_minus_utc()));
    let first = (lo.timestamp() + off).div_euclid(step) * step + step - off;
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#1d2733\"/>",
        LEFT + PLOT
    );
    let fmt = if step >= 86_400 {
        "%Y-%m-%d"
    } else {
        "%m-%d %H:%M"
    };
    let mut t = first;
    while t <= hi.timestamp() {
        let at = DateTime::from_timestamp(t, 0)
            .map(|u| u.with_timezone(&offset.unwrap_or(*lo.offset())));
        if let Some(at) = at {
            let _ = write!(
                s,
                "<line x1=\"{0:.1}\" y1=\"{y}\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#1d2733\"/><text x=\"{0:.1}\" y=\"{2}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5a6675\">{3}</text>",
                x(at),
                y + 4.0,
                y + 16.0,
                at.format(fmt)
            );
        }
        t += step;
    }
}
