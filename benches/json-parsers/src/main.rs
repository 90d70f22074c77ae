//! serde_json, sonic-rs and simd-json on the lines of a JSON Lines event log, each into
//! the borrowed event struct reglament reads (`src/log/jsonl_line.rs`): which is fastest
//! on our event shape? Prints nanoseconds per line, best of five rounds, one core.
//!
//! ```sh
//! cargo run --release -- /tmp/300k.jsonl
//! ```

use serde::Deserialize;
use std::borrow::Cow;
use std::time::Instant;

#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawEvent<'a> {
    #[serde(borrow)]
    case: Cow<'a, str>,
    #[serde(borrow)]
    service: Cow<'a, str>,
    #[serde(borrow)]
    step: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow, default)]
    started: Option<Text<'a>>,
    #[serde(borrow, default)]
    channel: Option<Text<'a>>,
    #[serde(borrow, default)]
    variant: Option<Text<'a>>,
    #[serde(borrow, default)]
    ground: Option<Text<'a>>,
    #[serde(borrow, default)]
    provider: Option<Text<'a>>,
    #[serde(borrow, default)]
    actor: Option<Text<'a>>,
}

/// Best of five rounds of `parse` over every line, in nanoseconds per line; the sum of
/// the case ids' lengths keeps the work from being optimised away.
fn time(lines: &[&str], mut parse: impl FnMut(&str) -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut check = 0;
    for _ in 0..5 {
        let t = Instant::now();
        check = lines.iter().map(|l| parse(l)).sum();
        best = best.min(t.elapsed().as_nanos() as f64 / lines.len() as f64);
    }
    (best, check)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: json-parsers LOG.jsonl");
    let data = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let lines: Vec<&str> = data.lines().filter(|l| !l.trim().is_empty()).collect();
    let (serde, a) = time(&lines, |l| {
        serde_json::from_str::<RawEvent>(l).map_or(0, |r| r.case.len())
    });
    let (sonic, b) = time(&lines, |l| {
        sonic_rs::from_str::<RawEvent>(l).map_or(0, |r| r.case.len())
    });
    // simd-json parses in place: each line is copied into a reused buffer first (the copy
    // is counted, as the reader would have to make it), with reused parse buffers.
    let mut buf = Vec::new();
    let mut scratch = simd_json::Buffers::new(512);
    let (simd, c) = time(&lines, |l| {
        buf.clear();
        buf.extend_from_slice(l.as_bytes());
        simd_json::serde::from_slice_with_buffers::<RawEvent>(&mut buf, &mut scratch)
            .map_or(0, |r| r.case.len())
    });
    assert!(a == b && b == c, "the parsers disagree on the case ids");
    println!("{} lines of {path}", lines.len());
    println!("serde_json  {serde:6.0} ns/line");
    println!("sonic-rs    {sonic:6.0} ns/line");
    println!("simd-json   {simd:6.0} ns/line");
}
