//! `reglament rules graph ID --format dot|mermaid`: the process graph of a rule set, for
//! a person checking it against the regulation: every step with its paragraph, name and
//! limits, the channels it may start in, the branches (`next`), the end steps (result or
//! refusal) and the total terms, drawn from the rule set as loaded (templates resolved).
//! Names, units and paragraphs are in the language of the catalog.

use crate::i18n::Catalog;
use crate::rules::model::{End, Limits, RuleSet, Start, Step};
use std::io::Write;

/// The graph formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub and GitLab Markdown).
    Mermaid,
}

/// One step as the graph shows it.
struct Node {
    id: String,
    lines: Vec<String>,
    end: Option<End>,
    refusal: bool,
}

/// The steps' labels: id, name, paragraph, channels and variants when restricted, limits.
fn nodes(r: &RuleSet, cat: &Catalog) -> Vec<Node> {
    r.steps.iter().map(|s| node(s, cat)).collect()
}

fn node(s: &Step, cat: &Catalog) -> Node {
    let mut lines = vec![
        format!("{} · {}", s.id, cat.cite(&s.cite)),
        shorten(cat.pick(&s.name), 90),
    ];
    if let Some(c) = &s.channels {
        lines.push(format!("[{}]", c.join(", ")));
    }
    if let Some(v) = &s.variants {
        lines.push(format!("<{}>", v.join(", ")));
    }
    if let Some(l) = &s.limit {
        lines.push(limits(l, cat));
    }
    Node {
        id: s.id.clone(),
        lines,
        end: s.end,
        refusal: s.refusal,
    }
}

/// Limits as one line: "≤ 2 working days, hard, para 5(4)"; a limit without a value
/// (the regulation points to a standard) as "≤ ?".
fn limits(l: &Limits, cat: &Catalog) -> String {
    let parts: Vec<String> = (l.as_slice().iter())
        .map(|x| {
            let v = match x.value {
                Some(v) => cat.amount(&crate::engine::Amount::whole(i64::from(v), x.unit)),
                None => "?".to_string(),
            };
            let cite = x.cite.as_deref().map(|c| format!(", {}", cat.cite(c)));
            format!(
                "≤ {v} ({}{})",
                cat.severity(x.severity),
                cite.unwrap_or_default()
            )
        })
        .collect();
    parts.join("; ")
}

/// A term as its edge shows it: id, limits and paragraph.
fn term_label(t: &crate::rules::model::Term, cat: &Catalog) -> String {
    format!(
        "{}: {} — {}",
        t.id,
        limits(&t.limit, cat),
        cat.cite(&t.cite)
    )
}

/// `s` cut to `max` characters, with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// The channels each start step opens: `(channel, step)`.
fn starts(r: &RuleSet) -> Vec<(String, String)> {
    let all: Vec<&str> = r.channels.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    for s in &r.steps {
        let chans: Vec<&str> = match &s.start {
            Start::Always(false) => continue,
            Start::Always(true) => match &s.channels {
                Some(c) => c.iter().map(String::as_str).collect(),
                None => all.clone(),
            },
            Start::In(c) => c.iter().map(String::as_str).collect(),
        };
        for c in chans {
            out.push((c.to_string(), s.id.clone()));
        }
    }
    out
}

/// Writes the graph of `r`.
pub fn write(
    r: &RuleSet,
    cat: &Catalog,
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        GraphFormat::Dot => dot(r, cat, out),
        GraphFormat::Mermaid => mermaid(r, cat, out),
    }
}

/// A Graphviz string literal.
fn dq(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn dot(r: &RuleSet, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph {} {{", dq(&r.id))?;
    writeln!(
        out,
        "  label={};",
        dq(&format!("{} — {}", r.id, cat.pick(&r.title)))
    )?;
    writeln!(
        out,
        "  rankdir=TB; node [shape=box, style=rounded, fontsize=10];"
    )?;
    for c in &r.channels {
        let label = format!("{}\n{}", cat.pick(&c.name), cat.cite(&c.cite));
        writeln!(
            out,
            "  {} [shape=oval, style=filled, fillcolor=\"#e8eef7\", label={}];",
            dq(&format!("channel:{}", c.id)),
            dq(&label)
        )?;
    }
    for n in nodes(r, cat) {
        let style = match (n.end, n.refusal) {
            (Some(End::Result), _) => ", peripheries=2, color=\"#1b6e2a\"",
            (Some(End::Refusal), _) => ", peripheries=2, color=\"#b3261e\"",
            (None, true) => ", color=\"#b3261e\"",
            (None, false) => "",
        };
        writeln!(
            out,
            "  {} [label={}{style}];",
            dq(&n.id),
            dq(&n.lines.join("\n"))
        )?;
    }
    for (c, s) in starts(r) {
        writeln!(out, "  {} -> {};", dq(&format!("channel:{c}")), dq(&s))?;
    }
    for s in &r.steps {
        for n in &s.next {
            writeln!(out, "  {} -> {};", dq(&s.id), dq(n))?;
        }
    }
    for t in &r.terms {
        for to in &t.to {
            let label = term_label(t, cat);
            writeln!(
                out,
                "  {} -> {} [style=dashed, color=\"#6b7785\", constraint=false, label={}];",
                dq(&t.from),
                dq(to),
                dq(&label)
            )?;
        }
    }
    writeln!(out, "}}")
}

/// A Mermaid node id: letters, digits and `_` only.
fn mid(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A Mermaid quoted label: quotes and angle brackets as entities, lines joined by `<br/>`.
fn mq(lines: &[String]) -> String {
    let esc: Vec<String> = (lines.iter())
        .map(|l| {
            l.replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        })
        .collect();
    format!("\"{}\"", esc.join("<br/>"))
}

fn mermaid(r: &RuleSet, cat: &Catalog, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "---")?;
    writeln!(
        out,
        "title: {}",
        mq(&[format!("{} — {}", r.id, cat.pick(&r.title))])
    )?;
    writeln!(out, "---")?;
    writeln!(out, "flowchart TD")?;
    for c in &r.channels {
        let lines = [cat.pick(&c.name).to_string(), cat.cite(&c.cite)];
        writeln!(out, "  ch_{}([{}])", mid(&c.id), mq(&lines))?;
    }
    let mut results = Vec::new();
    let mut refusals = Vec::new();
    for n in nodes(r, cat) {
        let id = format!("s_{}", mid(&n.id));
        writeln!(out, "  {id}[{}]", mq(&n.lines))?;
        match (n.end, n.refusal) {
            (Some(End::Result), _) => results.push(id),
            (Some(End::Refusal), _) | (None, true) => refusals.push(id),
            (None, false) => {}
        }
    }
    for (c, s) in starts(r) {
        writeln!(out, "  ch_{} --> s_{}", mid(&c), mid(&s))?;
    }
    for s in &r.steps {
        for n in &s.next {
            writeln!(out, "  s_{} --> s_{}", mid(&s.id), mid(n))?;
        }
    }
    for t in &r.terms {
        for to in &t.to {
            let label = term_label(t, cat);
            writeln!(
                out,
                "  s_{} -.->|{}| s_{}",
                mid(&t.from),
                mq(&[label]),
                mid(to)
            )?;
        }
    }
    writeln!(out, "  classDef result stroke:#1b6e2a,stroke-width:3px")?;
    writeln!(out, "  classDef refusal stroke:#b3261e,stroke-width:3px")?;
    if !results.is_empty() {
        writeln!(out, "  class {} result", results.join(","))?;
    }
    if !refusals.is_empty() {
        writeln!(out, "  class {} refusal", refusals.join(","))?;
    }
    Ok(())
}
