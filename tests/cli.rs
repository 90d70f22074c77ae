//! The command line end to end: formats, exit codes, compressed input, rules and
//! calendar subcommands.

use std::path::Path;
use std::process::{Command, Output};

fn reglament(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        // Reports follow the locale (`--lang` default); these tests read the English one.
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn main_job_checks_the_bundled_logs_and_exits_1() {
    let o = reglament(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.starts_with("reglament check: 5 files"), "{text}");
    for log in [
        "logs/sample.jsonl",
        "logs/wildlife.jsonl",
        "logs/wko-e-licences.jsonl",
        "logs/almaty-licences.jsonl",
        "logs/culture.jsonl",
    ] {
        assert!(text.contains(log), "{log} not in the report");
    }
}

#[test]
fn bundled_rules_work_from_any_directory() {
    let o = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(std::env::temp_dir())
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 14, "14 services with text in the seeds");
    for s in list {
        assert!(s["steps"].as_u64().unwrap() > 0);
        assert!(s["region"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(s["valid_from"].as_str().is_some());
    }
}

#[test]
fn rules_show_resolves_templates() {
    let o = reglament(&[
        "rules",
        "show",
        "zhambyl-2016-84-design-licence",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let rs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rs["id"], "zhambyl-2016-84-design-licence");
    assert_eq!(rs["source"]["annex"], "3");
    // From the template: the steps and the paragraph of each.
    let commission = rs["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "p_commission")
        .unwrap();
    assert_eq!(commission["ref"], "5.4");
    assert_eq!(commission["limit"]["value"], 2);
    let o = reglament(&["rules", "show", "no-such-service"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn csv_report_has_one_row_per_violation() {
    let json = reglament(&["check", "logs/sample.jsonl", "--format", "json"]);
    let n = serde_json::from_slice::<serde_json::Value>(&json.stdout).unwrap()["violations"]
        .as_array()
        .unwrap()
        .len();
    let o = reglament(&["check", "logs/sample.jsonl", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(1));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // Issue 16: the case no edition covers (sv-before-2016) is a row of kind
    // `not_judged` after the violations, not a violation.
    let (violations, unjudged): (Vec<_>, Vec<_>) =
        rows.iter().partition(|row| &row[0] != "not_judged");
    assert_eq!(violations.len(), n);
    assert_eq!(unjudged.len(), 1);
    assert_eq!(&unjudged[0][2], "sv-before-2016");
    assert_eq!(&unjudged[0][14], "2015-11-02");
    let headers = r.headers().unwrap().clone();
    let late = rows
        .iter()
        .find(|row| &row[2] == "sv-late-commission")
        .unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&late[col("ref")], "5.4");
    assert_eq!(&late[col("deadline")], "2016-06-14");
}

#[test]
fn gzip_logs_are_read() {
    use std::io::Write;
    let path = std::env::temp_dir().join(format!("reglament-gz-{}.jsonl.gz", std::process::id()));
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("logs/sample.jsonl")).unwrap(),
    )
    .unwrap();
    gz.finish().unwrap();
    let o = reglament(&["check", path.to_str().unwrap(), "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["summary"]["events"], 163);
}

#[test]
fn fail_on_hard_ignores_target_times() {
    // The events of one case of the Almaty log whose violations are target times only.
    let path = std::env::temp_dir().join(format!("reglament-norm-{}.jsonl", std::process::id()));
    let all = reglament(&["check", "logs/almaty-licences.jsonl", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let norm_case = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["severity"] == "norm")
        .unwrap()["case"]
        .as_str()
        .unwrap()
        .to_string();
    let lines: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("logs/almaty-licences.jsonl"),
    )
    .unwrap()
    .lines()
    .filter(|l| {
        l.contains(&format!("\"case\": \"{norm_case}\""))
            || l.contains(&format!("\"case\":\"{norm_case}\""))
    })
    .map(str::to_string)
    .collect();
    assert!(!lines.is_empty());
    std::fs::write(&path, lines.join("\n")).unwrap();
    let p = path.to_str().unwrap();
    let only_norm: serde_json::Value =
        serde_json::from_slice(&reglament(&["check", p, "--format", "json"]).stdout).unwrap();
    assert!(
        only_norm["violations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["severity"] == "norm"),
        "{only_norm:#}"
    );
    assert_eq!(reglament(&["check", p]).status.code(), Some(1));
    assert_eq!(
        reglament(&["check", p, "--fail-on", "hard"]).status.code(),
        Some(0)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        reglament(&["check", "--as-of", "tomorrow"]).status.code(),
        Some(2)
    );
    assert_eq!(
        reglament(&["check", "no/such/file.jsonl"]).status.code(),
        Some(2)
    );
    let o = reglament(&["check", "no/such/file.jsonl"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/file.jsonl"));
}

#[test]
fn calendar_lists_days_as_json_lines() {
    let o = reglament(&[
        "calendar",
        "--from",
        "2022-10-22",
        "--to",
        "2022-10-25",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let days: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(days.len(), 4);
    assert_eq!(days[0]["date"], "2022-10-22");
    assert_eq!(days[0]["working"], true, "decreed working Saturday");
    assert_eq!(days[3]["working"], false, "Republic Day, from 2022");
    assert!(days[3]["reason"].as_str().unwrap().contains("Republic Day"));
}

#[test]
fn calendar_deadline_and_count() {
    // Thu 2016-06-02 + 8 working days, the 2nd not counted: 3, 6, 7, 8, 9, 10, 13, 14.
    let o = reglament(&[
        "calendar",
        "deadline",
        "--from",
        "2016-06-02",
        "--working-days",
        "8",
    ]);
    assert_eq!(stdout(&o).trim(), "2016-06-14");
    let o = reglament(&[
        "calendar",
        "count",
        "--from",
        "2016-06-02",
        "--to",
        "2016-06-14",
    ]);
    assert_eq!(stdout(&o).trim(), "8");
    let o = reglament(&[
        "calendar",
        "deadline",
        "--from",
        "2026-12-30",
        "--working-days",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the calendar range"));
}

#[test]
fn an_unreadable_log_is_listed_and_the_others_are_checked() {
    let o = reglament(&[
        "check",
        "logs/sample.jsonl",
        "no/such/log.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "the job was not done in full");
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        r["summary"]["events"], 163,
        "the readable log was still checked"
    );
    assert_eq!(r["summary"]["unreadable_files"], 1);
    assert_eq!(r["unreadable"][0]["file"], "no/such/log.jsonl");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/log.jsonl"));
}

/// Validity dates that are only the earliest possible (no publication date is known for
/// any bundled act) are marked as such in `rules list` and said in words by `rules show`,
/// not printed as if they were exact.
#[test]
fn rules_list_and_show_mark_earliest_possible_validity_days() {
    let list = reglament(&["rules", "list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("2016-05-06+..2019-11-21+"), "{text}");
    assert!(text.contains("+: the earliest possible day"), "{text}");
    let show = reglament(&[
        "rules",
        "show",
        "zhambyl-2016-84-survey-licence",
        "--format",
        "text",
    ]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains(
            "in force from 2016-05-06 at the earliest, 2016-06-15 at the latest (inferred) to 2019-11-21 at the earliest, 2019-12-31 at the latest (inferred)"
        ),
        "{text}"
    );
}
