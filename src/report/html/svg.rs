//! Charts drawn as inline SVG: compliance bars, the Pareto chart of root causes and the
//! histogram of the time a step took against its limit. Every text is escaped.

use super::{Labels, esc};
use crate::engine::Amount;
use crate::engine::finding::Number;
use crate::i18n::Catalog;
use crate::report::summary::{RootCause, StepTimes};
use std::fmt::Write as _;

/// One horizontal bar: a share between 0 and 1 and the count behind it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the reader writes a share ("67,6 %").
    pub shown: String,
    pub note: String,
}

const GOOD: &str = "#2e7d32";
const FAIR: &str = "#c77700";
const BAD: &str = "#b3261e";

pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Horizontal bars of rates (0..=1), one per row, label on the left, count on the right.
pub fn rate_bars(bars: &[Bar]) -> String {
    let (label_w, bar_w, note_w, row) = (430.0, 400.0, 240.0, 24.0);
    let width = label_w + bar_w + note_w;
    let height = row * bars.len() as f64 + 24.0;
    let mut s = format!(
        "<svg role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for pct in [0.0, 0.5, 1.0] {
        let x = label_w + bar_w * pct;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\" stroke=\"#c9d0d9\" stroke-dasharray=\"3 3\"/><text x=\"{x}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5a6675\">{:.0}%</text>",
            height - 18.0,
            height - 4.0,
            pct * 100.0
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = row * i as f64;
        let v = b.value.clamp(0.0, 1.0);
        let color = if v >= 0.95 {
            GOOD
        } else if v >= 0.8 {
            FAIR
        } else {
            BAD
        };
        let _ = write!(
            s,
            "<g><title>{}</title><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"16\" fill=\"#eef1f5\"/><rect x=\"{label_w}\" y=\"{}\" width=\"{:.1}\" height=\"16\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{} · {}</text></g>",
            esc(&b.label),
            label_w - 8.0,
            y + 16.0,
            esc(&shorten(&b.label, 58)),
            y + 4.0,
            y + 4.0,
            bar_w * v,
            label_w + bar_w + 8.0,
            y + 16.0,
            esc(&b.shown),
            esc(&b.note)
        );
    }
    s.push_str("</svg>");
    s
}

/// The Pareto chart: bars of each cause's share of overdue days, largest first, and
/// the running total as a line. At most 20 causes are drawn (the table lists all).
pub fn pareto(causes: &[RootCause], cat: &Catalog) -> String {
    let shown: Vec<&RootCause> = causes.iter().take(20).collect();
    let (left, top, plot_h, bottom, col) = (48.0, 12.0, 220.0, 130.0, 46.0);
    let width = left + col * shown.len().max(1) as f64 + 48.0;
    let height = top + plot_h + bottom;
    let y = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 1.0));
    let mut s = format!(
        "<svg role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for pct in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#dde2e8\"/><text x=\"{2}\" y=\"{3}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5a6675\">{4:.0}%</text>",
            y(pct),
            width - 40.0,
            left - 6.0,
            y(pct) + 4.0,
            pct * 100.0
        );
    }
    let mut line = String::new();
    for (i, c) in shown.iter().enumerate() {
        let x = left + col * i as f64;
        let cx = x + col / 2.0;
        // The bar names its step; the paragraph, cited as the reader's language cites
        // it, is in the tooltip and the table below (a raw `annex1.table1.9` cut to fit
        // read as English in a Kazakh or Russian report).
        let label = c.step.as_str();
        let _ = write!(
            s,
            "<g><title>{} · {} · {}: {} · {} · {}</title><rect x=\"{}\" y=\"{:.1}\" width=\"{}\" height=\"{:.1}\" fill=\"{BAD}\" opacity=\"0.85\"/><text transform=\"translate({},{}) rotate(-50)\" font-size=\"11\" text-anchor=\"end\">{}</text></g>",
            esc(&c.rule_set),
            esc(&c.step),
            esc(&cat.cite(&c.cite)),
            c.count,
            esc(&overdue_days(cat, c.overdue_days)),
            esc(&cat.percent(c.share)),
            x + 6.0,
            y(c.share),
            col - 12.0,
            top + plot_h - y(c.share),
            cx + 4.0,
            top + plot_h + 10.0,
            esc(&shorten(label, 24))
        );
        let _ = write!(
            line,
            "{}{cx:.1},{:.1}",
            if i == 0 { "" } else { " " },
            y(c.cumulative)
        );
    }
    let _ = write!(
        s,
        "<polyline points=\"{line}\" fill=\"none\" stroke=\"#1d2733\" stroke-width=\"2\"/>"
    );
    for (i, c) in shown.iter().enumerate() {
        let cx = left + col * i as f64 + col / 2.0;
        let _ = write!(
            s,
            "<circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1d2733\"/>",
            y(c.cumulative)
        );
    }
    s.push_str("</svg>");
    s
}

/// Histogram of the time a step took, in the limit's unit: one bar for the cases within
/// the limit, then the overruns in up to six bins from the limit to the longest.
pub fn histogram(st: &StepTimes, l: &Labels, cat: &Catalog) -> String {
    // A limit not measured is neither kept nor broken (issue 16).
    let within = (st.reached)
        .saturating_sub(st.overruns.len() as u64)
        .saturating_sub(st.not_measured);
    let max = st.overruns.iter().copied().fold(st.limit, f64::max);
    let whole = st
        .overruns
        .iter()
        .chain([&st.limit])
        .all(|v| v.fract() == 0.0);
    let raw = (max - st.limit).max(f64::EPSILON);
    // Whole units (days, whole minutes) get whole-unit bins; at most six of them.
    let width_of_bin = if whole {
        (raw / 6.0).ceil().max(1.0)
    } else {
        raw / 6.0
    };
    let bins = if st.overruns.is_empty() {
        0
    } else {
        ((raw / width_of_bin).ceil() as usize).clamp(1, 6)
    };
    let span = width_of_bin * bins as f64;
    let mut counts = vec![0u64; bins];
    for &v in &st.overruns {
        // Bin i holds (limit + i*w, limit + (i+1)*w].
        let i = (((v - st.limit) / span) * bins as f64).ceil() as usize;
        if let Some(c) = counts.get_mut(i.saturating_sub(1).min(bins.saturating_sub(1))) {
            *c += 1;
        }
    }
    let peak = counts
        .iter()
        .copied()
        .chain([within])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, top, plot_h, col) = (30.0, 14.0, 90.0, 34.0);
    // Always room for seven bars, so the cards line up and the caption fits.
    let width = left + col * 7.0 + 10.0;
    let height = top + plot_h + 34.0;
    let bar = |s: &mut String, i: usize, n: u64, color: &str, label: &str| {
        let h = plot_h * n as f64 / peak;
        let x = left + col * i as f64;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{h:.1}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{n}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#5a6675\">{}</text>",
            x + 3.0,
            top + plot_h - h,
            col - 6.0,
            x + col / 2.0,
            top + plot_h - h - 2.0,
            x + col / 2.0,
            top + plot_h + 12.0,
            esc(label)
        );
    };
    // "Лимит 2 рабочих дня": the limit in the reader's words, its noun agreeing.
    let limit = cat.amount(&Amount {
        value: if st.limit.fract() == 0.0 {
            Number::Whole(st.limit as i64)
        } else {
            Number::Decimal(st.limit)
        },
        unit: st.unit,
    });
    let mut s = format!(
        "<svg role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{} {}</title>",
        esc(l.limit),
        esc(&limit)
    );
    bar(&mut s, 0, within, GOOD, &format!("≤{}", fmt(st.limit)));
    for (i, &n) in counts.iter().enumerate() {
        let hi = st.limit + span * (i + 1) as f64 / bins as f64;
        bar(&mut s, i + 1, n, BAD, &format!("≤{}", fmt(hi)));
    }
    let xl = left + col;
    let _ = write!(
        s,
        "<line x1=\"{xl}\" y1=\"{top}\" x2=\"{xl}\" y2=\"{}\" stroke=\"#1d2733\" stroke-dasharray=\"4 2\"/><text x=\"{left}\" y=\"{}\" font-size=\"10\" fill=\"#5a6675\">{} {} ({})</text></svg>",
        top + plot_h,
        height - 4.0,
        esc(l.limit),
        esc(&limit),
        esc(cat.severity(st.severity))
    );
    s
}

/// Days overdue (calendar days, to hundredths) in the reader's words.
pub fn overdue_days(cat: &Catalog, days: f64) -> String {
    let value = if days.fract() == 0.0 {
        Number::Whole(days as i64)
    } else {
        Number::Decimal(days)
    };
    cat.amount(&Amount {
        value,
        unit: crate::rules::model::Unit::CalendarDays,
    })
}

/// A number as a label: whole when it is, else to one decimal.
fn fmt(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{Severity, Unit};

    fn times(limit: f64, overruns: Vec<f64>, reached: u64) -> StepTimes {
        StepTimes {
            rule_set: "rs".into(),
            step: "<s>".into(),
            cite: "5.4".into(),
            limit,
            unit: Unit::WorkingDays,
            severity: Severity::Hard,
            quote: None,
            reached,
            overruns,
            not_measured: 0,
        }
    }

    /// The bar labels (`≤N`) and counts of a histogram, in order.
    fn bars(svg: &str) -> Vec<(String, u64)> {
        let counts: Vec<u64> = svg
            .split("text-anchor=\"middle\">")
            .skip(1)
            .filter_map(|t| t.split('<').next()?.parse().ok())
            .collect();
        let labels: Vec<String> = svg
            .split("fill=\"#5a6675\">≤")
            .skip(1)
            .filter_map(|t| t.split('<').next().map(str::to_string))
            .collect();
        labels.into_iter().zip(counts).collect()
    }

    fn en() -> Catalog {
        Catalog::new(crate::i18n::Lang::En)
    }

    #[test]
    fn whole_units_get_whole_bins_above_the_limit() {
        // 2 working days allowed; overruns took 3, 4 and 9: bins of 2 days up to 10.
        let svg = histogram(
            &times(2.0, vec![3.0, 4.0, 9.0], 10),
            &super::super::Labels::new(&en()),
            &en(),
        );
        let expect = [("2", 7), ("4", 2), ("6", 0), ("8", 0), ("10", 1)];
        let expect: Vec<(String, u64)> = expect.iter().map(|(l, n)| (l.to_string(), *n)).collect();
        assert_eq!(bars(&svg), expect);
    }

    #[test]
    fn a_step_without_overruns_has_one_bar() {
        let svg = histogram(
            &times(15.0, vec![], 4),
            &super::super::Labels::new(&en()),
            &en(),
        );
        assert_eq!(bars(&svg), vec![("15".to_string(), 4)]);
    }
}
