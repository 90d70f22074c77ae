//! Issue 11: `reglament rules graph ID --format dot|mermaid` draws the process graph of
//! a rule set: every step with its paragraph and limits, every branch, the channels a
//! case starts in, the end steps and the terms.

use std::process::Command;

fn graph(id: &str, format: &str, lang: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["rules", "graph", id, "--format", format, "--lang", lang])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn survey() -> reglament::rules::model::RuleSet {
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().unwrap();
    let cat = Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap();
    let set = cat
        .sets
        .iter()
        .find(|s| s.id() == "zhambyl-2016-84-survey-licence");
    set.unwrap().rules.clone()
}

#[test]
fn dot_graph_of_the_survey_licence_has_every_step_branch_start_and_term() {
    let r = survey();
    let dot = graph(&r.id, "dot", "en");
    assert!(
        dot.starts_with("digraph \"zhambyl-2016-84-survey-licence\" {"),
        "{dot}"
    );
    assert!(dot.trim_end().ends_with('}'));
    for s in &r.steps {
        assert!(
            dot.contains(&format!("  \"{}\" [label=\"{} · ", s.id, s.id)),
            "{}",
            s.id
        );
        for n in &s.next {
            assert!(
                dot.contains(&format!("  \"{}\" -> \"{n}\";", s.id)),
                "{} -> {n}",
                s.id
            );
        }
    }
    let branches: usize = r.steps.iter().map(|s| s.next.len()).sum();
    let plain_edges = dot
        .lines()
        .filter(|l| l.ends_with("\";") && l.contains("\" -> \""))
        .count();
    let starts = dot
        .lines()
        .filter(|l| l.starts_with("  \"channel:") && l.contains(" -> "))
        .count();
    assert_eq!(plain_edges, branches + starts);
    // Both channels open the case: the State Corporation at sc_accept (or its refusal),
    // the portal at sign-up or sign-in.
    assert!(dot.contains("\"channel:state_corporation\" -> \"sc_accept\";"));
    assert!(dot.contains("\"channel:portal\" -> \"portal_auth\";"));
    // Paragraph 5(4): the commission has 2 working days; 5(3): the executor 8.
    assert!(dot.contains("p_commission · para 5(4)"));
    assert!(dot.contains("≤ 2 working days (hard)"));
    assert!(dot.contains("≤ 8 working days (hard)"));
    // Terms are dashed edges with their limit and paragraph; ends are double-bordered.
    let terms: usize = r.terms.iter().map(|t| t.to.len()).sum();
    assert_eq!(dot.matches("style=dashed").count(), terms);
    assert!(
        dot.contains("\"sc_issue\" [label=") && dot.contains("peripheries=2, color=\"#1b6e2a\"")
    );
}

#[test]
fn mermaid_graph_is_the_same_graph_in_the_chosen_language() {
    let r = survey();
    let m = graph(&r.id, "mermaid", "ru");
    assert!(m.contains("\nflowchart TD\n"));
    let branches: usize = r.steps.iter().map(|s| s.next.len()).sum();
    let starts = m
        .lines()
        .filter(|l| l.starts_with("  ch_") && l.contains(" --> "))
        .count();
    let edges = m.lines().filter(|l| l.contains(" --> ")).count();
    assert_eq!(edges, branches + starts);
    let terms: usize = r.terms.iter().map(|t| t.to.len()).sum();
    assert_eq!(m.matches(" -.->|").count(), terms);
    assert!(m.contains("p_commission · подпункт 4) пункта 5"), "{m}");
    assert!(
        m.contains("≤ 2 рабочих дня (установлено регламентом)"),
        "{m}"
    );
    assert!(m.contains("Лицензия на изыскательскую деятельность"));
    // No raw quote breaks a label.
    for l in m.lines().filter(|l| l.contains("[\"")) {
        assert_eq!(l.matches('"').count() % 2, 0, "{l}");
    }
}

#[test]
fn an_unknown_rule_set_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["rules", "graph", "no-such-set"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule set \"no-such-set\""));
}
