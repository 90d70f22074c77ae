//! Review of the in-place grouping sort (`src/log/group.rs`): events that share a place
//! in the input (file and line) must keep their input order among events of their case
//! at the same time, whatever the number of threads. A one-line XES file puts every
//! event on line 1; a CSV export with bare `\r` line ends puts every record on line 1.

use reglament::log::{Event, NONE, group};
use std::path::Path;
use std::process::Command;

fn event(case: u32, at: i64, step: u32, file: u16, line: u64) -> Event {
    Event {
        case,
        service: 0,
        step,
        channel: NONE,
        variant: NONE,
        ground: NONE,
        provider: NONE,
        at,
        started: i64::MIN,
        file,
        day_only: false,
        line,
    }
}

/// The order the grouping promises: by case and time, ties in input order (a stable
/// sort by case, service and time, which is what it did before the in-place sort).
fn reference(events: &[Event]) -> Vec<Event> {
    let mut v = events.to_vec();
    v.sort_by_key(|e| (e.case, e.service, e.at));
    v
}

fn check(events: &[Event]) {
    let want = reference(events);
    let mut a = events.to_vec();
    let seq: Vec<Event> = group::group(&mut a).flatten().copied().collect();
    let mut b = events.to_vec();
    let par: Vec<Event> = group::group_parallel(&mut b)
        .into_iter()
        .flatten()
        .copied()
        .collect();
    assert_eq!(seq, want, "sequential grouping");
    assert_eq!(par, want, "parallel grouping");
}

/// Many events of few cases at few times, all on one line of one file: before the fix
/// the unstable sort put ties in an order of its own (and a different one per thread
/// count), breaking the promise that events at the same time keep file order.
#[test]
fn events_sharing_a_line_keep_their_input_order() {
    let mut rng = fastrand::Rng::with_seed(7);
    for size in [2usize, 30, 200, 5000] {
        let events: Vec<Event> = (0..size)
            .map(|i| event(rng.u32(0..5), rng.i64(0..3), i as u32, 0, 1))
            .collect();
        check(&events);
    }
}

/// Events on distinct lines (JSON Lines, CSV) in any order of cases and times, some
/// lines shared: the order is the promised one either way.
#[test]
fn distinct_and_shared_places_give_the_promised_order() {
    let mut rng = fastrand::Rng::with_seed(11);
    for round in 0..40u64 {
        let n = rng.usize(0..400);
        let mut place = (0u16, 1u64);
        let events: Vec<Event> = (0..n)
            .map(|i| {
                // Places ascend, strictly unless this round shares some of them.
                if round % 2 == 0 || rng.u8(0..4) != 0 {
                    place.1 += 1;
                }
                if rng.u8(0..50) == 0 {
                    place = (place.0 + 1, 1);
                }
                event(rng.u32(0..8), rng.i64(0..6), i as u32, place.0, place.1)
            })
            .collect();
        check(&events);
    }
}

fn run(path: &Path, jobs: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check"])
        .arg(path)
        .args(["--as-of", "2016-07-01", "--format", "json", "--jobs", jobs])
        .output()
        .expect("run reglament");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// End to end: a one-line XES log whose case `c5` has 40 events of steps the rule set
/// does not have, all at one instant (ties that the process graph cannot order), among
/// traces whose events are out of time order. Every `--jobs` gives the same report, and
/// the unknown steps are reported in the file's order.
#[test]
fn a_one_line_xes_gives_one_report_for_every_thread_count() {
    let service = "zhambyl-2016-84-survey-licence";
    let event = |step: &str, at: &str| {
        format!(
            r#"<event><string key="concept:name" value="{step}"/><string key="lifecycle:transition" value="complete"/><date key="time:timestamp" value="{at}"/></event>"#
        )
    };
    let mut rng = fastrand::Rng::with_seed(3);
    let mut xes = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">"#,
    );
    let mut unknown_in_file_order = Vec::new();
    for c in 0..30 {
        xes += &format!(
            r#"<trace><string key="concept:name" value="c{c}"/><string key="service" value="{service}"/><string key="channel" value="state_corporation"/><string key="variant" value="issue"/>"#
        );
        let mut events: Vec<(Option<String>, String)> = (0..10)
            .map(|_| {
                let at = format!("2016-06-{:02}T10:00:00.000+06:00", rng.u32(1..10));
                (None, event("sc_accept", &at))
            })
            .collect();
        if c == 5 {
            for k in 0..40 {
                let step = format!("zz_unknown_{k:02}");
                let ev = event(&step, "2016-06-01T10:00:00.000+06:00");
                events.push((Some(step), ev));
            }
        }
        rng.shuffle(&mut events);
        for (step, ev) in events {
            unknown_in_file_order.extend(step);
            xes += &ev;
        }
        xes += "</trace>";
    }
    xes += "</log>\n";
    let dir = std::env::temp_dir().join(format!("reglament-breaker-group-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("one-line.xes");
    std::fs::write(&path, xes).unwrap();
    let reports: Vec<String> = ["1", "2", "3"].iter().map(|j| run(&path, j)).collect();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(reports[0], reports[1], "--jobs 1 and --jobs 2 differ");
    assert_eq!(reports[0], reports[2], "--jobs 1 and --jobs 3 differ");
    let report: serde_json::Value = serde_json::from_str(&reports[0]).unwrap();
    let reported: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["case"] == "c5" && v["kind"] == "unknown_step")
        .filter_map(|v| v["step"].as_str())
        .collect();
    assert_eq!(reported, unknown_in_file_order);
}
