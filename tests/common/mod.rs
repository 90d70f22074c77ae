//! Helpers shared by the end-to-end tests: run the real binary on a log and read its JSON report.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Output of one `reglament check` run.
pub struct Run {
    pub code: i32,
    pub report: Value,
    pub stderr: String,
}

/// Runs `reglament check LOG --format json --as-of AS_OF` with the bundled rules.
pub fn check(log: &str, as_of: &str) -> Run {
    check_with(&[log, "--as-of", as_of])
}

/// Runs `reglament check ARGS... --format json`.
pub fn check_with(args: &[&str]) -> Run {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(root)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run reglament");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "report is not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The violations of one case as `(kind, step, ref)` triples, in report order.
pub fn findings_of(run: &Run, case: &str) -> Vec<(String, String, String)> {
    violations(run)
        .into_iter()
        .filter(|v| v["case"] == case)
        .map(|v| {
            (
                v["kind"].as_str().unwrap_or("").to_string(),
                v["step"].as_str().unwrap_or("").to_string(),
                v["ref"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The one violation of `kind` in `case`; panics if there is not exactly one.
pub fn only(run: &Run, case: &str, kind: &str) -> Value {
    let found: Vec<Value> = violations(run)
        .into_iter()
        .filter(|v| v["case"] == case && v["kind"] == kind)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind} in {case}, got {found:#?}"
    );
    found.into_iter().next().expect("one")
}

pub fn violations(run: &Run) -> Vec<Value> {
    run.report["violations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn owned(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// Asserts an overdue finding: its severity, its limit, its deadline (a local date for
/// day units, an RFC 3339 time for elapsed ones) and what was taken, in the limit's unit.
pub fn assert_overdue(f: &Value, severity: &str, limit: (i64, &str), deadline: &str, actual: i64) {
    assert_eq!(f["severity"], severity, "{f:#?}");
    assert_eq!(f["limit"]["value"], limit.0, "{f:#?}");
    assert_eq!(f["limit"]["unit"], limit.1, "{f:#?}");
    assert_eq!(f["deadline"], deadline, "{f:#?}");
    assert_eq!(f["actual"]["value"], actual, "{f:#?}");
    assert_eq!(f["actual"]["unit"], limit.1, "{f:#?}");
}
