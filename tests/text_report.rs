//! The text report's summary counts what the JSON summary counts: root findings only (a
//! consequence of one delay is listed with its root, not counted again; issue 7 point 12),
//! in every breakdown (by provider, by service, by kind).

use std::process::Command;

fn text(log: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", log, "--as-of", "2016-08-01T00:00:00+06:00"])
        .args(["--lang", "en", "--quiet"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The counts listed under `heading` (each line starts with a number), summed.
fn section_sum(text: &str, heading: &str) -> u64 {
    text.lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn every_breakdown_sums_to_the_counted_violations() {
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/logs/sample.jsonl");
    let t = text(log);
    let total: u64 = t
        .lines()
        .find_map(|l| l.trim().strip_prefix("violations "))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .expect(&t);
    assert!(
        t.contains("consequences of these listed with them, not counted"),
        "the sample has consequential findings: {t}"
    );
    for heading in ["by provider:", "by service:", "by kind:"] {
        assert_eq!(section_sum(&t, heading), total, "{heading}\n{t}");
    }
}
