//! Review of `reglament inspect` on hostile input.

use std::process::Command;

/// `inspect` kept every distinct (service, activity) pair, timestamp shape and service
/// in unbounded maps and, for every unmapped activity, computed the Levenshtein
/// similarity to every id and name (long Kazakh sentences) of the service's steps: a
/// CSV of 300 000 rows with distinct 200-byte activity names (82 MB) did not finish in
/// 2 minutes in a release build (5 000 rows: 23 s; 10 000: 52 s), memory growing with
/// the log. Now each map keeps at most 10 000 distinct values (the rest counted as
/// `not_kept`), and only the 1 000 most frequent activities are listed and scored (the
/// rest counted in `activities_not_listed`).
#[test]
fn inspect_bounds_the_activities_it_lists_and_scores() {
    const N: usize = 20_000;
    const CAP: usize = 1_000;
    let dir = std::env::temp_dir().join(format!("review-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("distinct.csv");
    let mut csv = String::from("case,service,step,at\n");
    for i in 0..N {
        csv.push_str(&format!(
            "c{i},zhambyl-2016-84-survey-licence,act{i}{},2016-06-01T10:00:00+06:00\n",
            "x".repeat(200)
        ));
    }
    std::fs::write(&path, &csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["inspect", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = doc["activities"].as_array().unwrap().len();
    assert!(
        listed <= CAP,
        "{listed} activities listed and scored; expected at most {CAP}, the rest counted"
    );
    assert_eq!(listed, CAP);
    // 10 000 distinct kept: 1 000 listed, 9 000 counted as not listed, and the 10 000
    // that came after the map was full counted as not kept. Every row is accounted for.
    assert_eq!(doc["activities_not_listed"]["distinct"], 9_000);
    assert_eq!(doc["activities_not_listed"]["count"], 9_000);
    assert_eq!(doc["activities_not_kept"], 10_000);
    assert_eq!(doc["limits"]["distinct_kept"], 10_000);
    // Only listed activities of a known service are scored; names are clipped to 64
    // characters first, so a suggestion is still given.
    let first = &doc["activities"][0];
    assert_eq!(first["suggestions"].as_array().unwrap().len(), 3);
    assert_eq!(doc["services"][0]["count"], N as u64);
    assert_eq!(doc["time_shapes_not_kept"], 0);

    // The text form says the same; under a service no rule set knows, so nothing is
    // scored and the debug build stays quick.
    std::fs::write(
        &path,
        csv.replace("zhambyl-2016-84-survey-licence", "no-such"),
    )
    .unwrap();
    let text = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .arg("inspect")
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("... 9000 more activit(ies), 9000 record(s), not listed"),
        "{text}"
    );
    assert!(
        text.contains("... 10000 record(s) with activity first seen after 10000"),
        "{text}"
    );
}
