//! Review of the CSV/XES readers: hostile inputs found by the reviewer.

use reglament::log::formats::{self, InputFormat, Options};
use reglament::log::{Log, Reader};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::sync::mpsc;
use std::time::Duration;

fn catalog() -> Catalog {
    let schema = Schema::bundled().unwrap();
    Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
}

fn read_xes(bytes: &[u8]) -> Log {
    let cat = catalog();
    let mut r = Reader::new(&cat);
    let err = formats::read(&mut r, "t", bytes, InputFormat::Xes, &Options::default()).err();
    assert!(err.is_none(), "{err:?}");
    r.finish()
}

/// A trace of N lifecycle `start`s of one activity followed by N `complete`s of another
/// made the start/complete pairing scan every pending start for every complete: O(N^2)
/// (40 000 of each took 29 s in a release build, 100 000 did not end in 2 minutes), so a
/// 28 MB log hung the checker. Read here in a worker thread with a bound far above the
/// linear cost (about a second) and far below the quadratic one (hours in a debug build).
#[test]
fn xes_many_unmatched_lifecycle_starts_are_read_in_linear_time() {
    const N: usize = 100_000;
    let ev = |step: &str, lifecycle: &str| {
        format!(
            "<event><string key=\"concept:name\" value=\"{step}\"/>{lifecycle}<date key=\"time:timestamp\" value=\"2016-06-01T10:00:00+06:00\"/></event>\n"
        )
    };
    let start = ev(
        "sc_accept",
        "<string key=\"lifecycle:transition\" value=\"start\"/>",
    );
    let complete = ev("sc_forward", "");
    let mut xes = String::from(
        "<log><trace><string key=\"concept:name\" value=\"c1\"/><string key=\"service\" value=\"zhambyl-2016-84-survey-licence\"/>\n",
    );
    for _ in 0..N {
        xes.push_str(&start);
    }
    for _ in 0..N {
        xes.push_str(&complete);
    }
    xes.push_str("</trace></log>\n");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let log = read_xes(xes.as_bytes());
        let _ = tx.send((
            log.account.events,
            log.account.rejected_total,
            log.account.is_balanced(),
        ));
    });
    let (events, rejected, balanced) = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("pairing lifecycle starts is quadratic in the trace length");
    // Every complete is an event; every start, never completed, is a counted rejection.
    assert_eq!(events as usize, N);
    assert_eq!(rejected as usize, N);
    assert!(balanced);
}

/// The pairing still takes the latest pending start of the same activity, and leftover
/// starts are rejected in trace order.
#[test]
fn xes_lifecycle_pairing_is_per_activity_and_latest_first() {
    let ev = |step: &str, t: &str, at: &str| {
        format!(
            "<event><string key=\"concept:name\" value=\"{step}\"/><string key=\"lifecycle:transition\" value=\"{t}\"/><date key=\"time:timestamp\" value=\"{at}\"/></event>\n"
        )
    };
    let body = [
        ev("sc_accept", "start", "2016-06-01T09:00:00+06:00"),
        ev("sc_forward", "start", "2016-06-01T09:10:00+06:00"),
        ev("sc_accept", "start", "2016-06-01T09:50:00+06:00"),
        ev("sc_accept", "complete", "2016-06-01T10:00:00+06:00"),
        ev("p_register", "start", "2016-06-02T09:00:00+06:00"),
    ]
    .concat();
    let xes = format!(
        "<log><trace><string key=\"concept:name\" value=\"c1\"/><string key=\"service\" value=\"zhambyl-2016-84-survey-licence\"/>\n{body}</trace></log>\n"
    );
    let log = read_xes(xes.as_bytes());
    assert_eq!(log.account.events, 1);
    assert_eq!(log.events[0].at - log.events[0].started, 10 * 60 * 1000);
    let lines: Vec<String> = log
        .account
        .rejected
        .iter()
        .map(|r| r.detail.clone())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    for (l, want) in lines.iter().zip(["event 1:", "event 2:", "event 5:"]) {
        assert!(l.contains(want) && l.contains("no later complete"), "{l}");
    }
}

/// An `<event>` nested in another event, in a `<trace>` inside a trace, or in a list was
/// neither accepted nor rejected: 5 events in the file, 2 accepted, 1 rejected, and the
/// account still balanced because the other two were never counted as records.
#[test]
fn xes_a_misplaced_event_is_rejected_and_counted() {
    let e = "<event><string key=\"concept:name\" value=\"sc_accept\"/><date key=\"time:timestamp\" value=\"2016-06-01T10:00:00+06:00\"/></event>";
    let xes = format!(
        "<log>\n<trace><string key=\"concept:name\" value=\"a\"/><string key=\"service\" value=\"zhambyl-2016-84-survey-licence\"/>\n\
         <trace><string key=\"concept:name\" value=\"b\"/>{e}</trace>\n\
         {e}\n\
         <event><string key=\"concept:name\" value=\"sc_forward\"/>{e}<date key=\"time:timestamp\" value=\"2016-06-02T10:00:00+06:00\"/></event>\n\
         <list key=\"l\">{e}</list>\n\
         </trace>\n<wrapper>{e}</wrapper>\n</log>\n"
    );
    let log = read_xes(xes.as_bytes());
    assert_eq!(log.account.events, 2);
    // The nested trace's event, the event inside an event, the one in a list and the
    // one in a wrapper element.
    assert_eq!(log.account.rejected_total, 4, "{:?}", log.account.rejected);
    assert_eq!(log.account.lines, 6);
    assert!(log.account.is_balanced());
    assert!(
        log.account
            .rejected
            .iter()
            .all(|r| r.detail.contains("nested inside another element")),
        "{:?}",
        log.account.rejected
    );
}
