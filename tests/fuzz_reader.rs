//! Fuzzing the event reader on stable Rust: proptest with arbitrary bytes, mixed with
//! fragments of real events so that the generated lines reach the parser, the time and
//! zone code and the interner, not only the JSON syntax check.
//!
//! CI runs a few cases (`FUZZ_CASES`, default 64). The long run is ignored by default:
//!
//! ```sh
//! FUZZ_CASES=200000 nice cargo test --release --test fuzz_reader -- --ignored
//! ```
//!
//! Properties, for every input and however it is cut into reads: the reader never
//! panics; every line is counted once (`lines + blank == lines in the input`,
//! `lines == events + rejected`); the same bytes read in one go or a few bytes at a time
//! give the same log; an accepted event written back as JSON reads back to itself.
//! Inputs that once failed stay in `tests/data/fuzz/reader-corpus.txt` and replay on
//! every run.

use proptest::prelude::*;
use reglament::log::{Event, Log, NO_TIME, NONE, Reader};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        let schema = Schema::bundled().unwrap();
        Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
    })
}

/// Pieces of lines, valid and hostile, that generated inputs are made of.
const FRAGMENTS: &[&[u8]] = &[
    br#"{"case":"c1","service":"zhambyl-2016-84-survey-licence","step":"p_commission","at":"2016-06-13T15:00:00"}"#,
    br#"{"case":"c2","service":"s","step":"p","at":"2016-06-01T10:00:00.123456+06:00","started":"2016-06-01 09:00:00"}"#,
    br#"{"case":"c3","service":"s","step":"p","at":"2024-03-01T00:30:00","provider":"\u0000\u001b[2J","channel":"x"}"#,
    br#"{"case":"","service":"","step":"","at":"2016-06-01T10:00Z","x":{"y":[1,2,{"z":null}]}}"#,
    br#"["c","s","p","2016-06-01T10:00:00Z"]"#,
    br#""x":"\udc00""#,
    br#""\ud83d\ude00""#,
    b"\xEF\xBB\xBF",
    b"\xed\xa0\x80",
    b"\xff",
    b"\r\n",
    b"\n",
    b"\r",
    b"   ",
    b"{",
    b"}",
    b"\"",
    b"\\",
    b",",
    br#""at":"2016-02-30T10:00:00""#,
    br#""at":"+275760-09-13T00:00:00Z""#,
    br#""case":1e999"#,
];

fn input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..16),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// An input that hands out at most `step` bytes per read.
struct Trickle<'a> {
    rest: &'a [u8],
    step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.rest.len().min(buf.len()).min(self.step);
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

fn read(bytes: &[u8], step: usize, max_line: usize) -> Log {
    let mut r = Reader::new(catalog())
        .with_max_line(max_line)
        .with_max_rejected_shown(4);
    r.read("fuzz", Trickle { rest: bytes, step }).unwrap();
    r.finish()
}

/// Lines in `bytes` as a reader counts them: split at `\n`, the last one only if not empty.
fn line_count(bytes: &[u8]) -> u64 {
    let ends = memchr_count(bytes) as u64;
    ends + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// `e` written back as a JSON line from the names `log` gives it.
fn write_back(log: &Log, e: &Event) -> String {
    let n = &log.names;
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let mut v = serde_json::json!({
        "case": n.cases.name(e.case),
        "service": n.services.name(e.service),
        "step": n.steps.name(e.step),
        "at": at(e.at),
    });
    if e.started != NO_TIME {
        v["started"] = at(e.started).into();
    }
    for (key, table, id) in [
        ("channel", &n.channels, e.channel),
        ("variant", &n.variants, e.variant),
        ("ground", &n.grounds, e.ground),
        ("provider", &n.providers, e.provider),
    ] {
        if id != NONE {
            v[key] = table.name(id).into();
        }
    }
    v.to_string()
}

/// Checks every property on one input.
fn check(bytes: &[u8], step: usize, max_line: usize) {
    let whole = read(bytes, usize::MAX, max_line);
    let a = &whole.account;
    assert!(a.is_balanced(), "{a:?}");
    assert_eq!(a.lines + a.blank_lines, line_count(bytes), "{a:?}");
    assert_eq!(a.events, whole.events.len() as u64);
    let cut = read(bytes, step, max_line);
    assert_eq!(cut.account, whole.account, "read {step} bytes at a time");
    assert_eq!(cut.events, whole.events);
    for e in &whole.events {
        let line = write_back(&whole, e);
        let again = read(line.as_bytes(), usize::MAX, usize::MAX / 2);
        assert_eq!(again.events.len(), 1, "{line} did not read back");
        let back = &again.events[0];
        assert_eq!(write_back(&again, back), line);
        assert_eq!((back.at, back.started), (e.at, e.started), "{line}");
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]
    #[test]
    fn the_reader_accounts_for_every_line(bytes in input(), step in 1usize..40, max_line in 8usize..200) {
        check(&bytes, step, max_line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(100_000)))]
    #[test]
    #[ignore = "long fuzz run: FUZZ_CASES=N cargo test --release --test fuzz_reader -- --ignored"]
    fn the_reader_accounts_for_every_line_long(bytes in input(), step in 1usize..40, max_line in 8usize..200) {
        check(&bytes, step, max_line);
    }
}

/// Inputs kept from fuzzing (one per line, Rust byte-string escapes), replayed always.
#[test]
fn the_corpus_replays() {
    let corpus = include_str!("data/fuzz/reader-corpus.txt");
    let mut n = 0;
    for line in corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let bytes = unescape(line);
        for (step, max_line) in [(1, 8), (3, 64), (usize::MAX, 1 << 20)] {
            check(&bytes, step, max_line);
        }
        n += 1;
    }
    assert!(n > 0, "the corpus is empty");
}

/// Reads `\n`, `\r`, `\t`, `\\` and `\xNN` escapes.
fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' => {
                    out.push(u8::from_str_radix(&s[i + 2..i + 4], 16).unwrap());
                    i += 2;
                }
                c => panic!("unknown escape \\{}", c as char),
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}
