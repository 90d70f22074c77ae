//! Review of the fast JSON Lines reader (issue 9) through its public face, `Reader`:
//! the log it builds (events, every name table, the account with each rejection's
//! reason, field and detail) must not depend on the block size, the piece size or the
//! number of threads, and must be what a one-piece read gives (names in order of first
//! appearance); nothing serde_json refuses is accepted; a read error keeps every line
//! read before it. The input is a generated log of every rule set, with real lines
//! damaged in the ways exporters damage them, so that cases, names and rejections cross
//! block and piece boundaries.

use reglament::calendar::Calendar;
use reglament::generate::{Spec, generate};
use reglament::log::{Log, NONE, Names, Reader};
use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| {
        let schema = Schema::bundled().unwrap();
        Catalog::compile(load::load(&RulesSource::Bundled, &schema).unwrap()).unwrap()
    })
}

/// A generated log of every rule set (cases interleaved in time order, with faults).
fn generated(cases: usize, seed: u64) -> String {
    let cat = catalog();
    let cal = Calendar::kazakhstan().unwrap();
    let sets: Vec<_> = cat.sets.iter().collect();
    let spec = Spec {
        cases,
        seed,
        faults: 0.3,
        as_of: None,
    };
    let mut out = Vec::new();
    generate(&sets, &cat.sets, &cal, &spec, &mut out, None).unwrap();
    String::from_utf8(out).unwrap()
}

/// Tokens a damage inserts: escapes, control characters, JSON punctuation, values of
/// other types, keys with unicode escapes, non-ASCII text.
const TOKENS: &[&str] = &[
    "\\",
    "\\\"",
    "\\u0063",
    "\\ud800",
    "\\n",
    "\"",
    " ",
    "\t",
    "\r",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{a0}",
    "я",
    "😀",
    "null",
    "1",
    "-2e9",
    "true",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"case\":\"x\",",
    "\"\\u0063ase\":\"x\",",
    "\"started\":null,",
    "\"ground\":1,",
    "\"at\":\"2016-06-01T10:00:00\",",
    "\"at\":\"2016-06-01 10:00:00+06:00\",",
];

/// `line` damaged once, at a char boundary chosen by `rng`.
fn damage(rng: &mut fastrand::Rng, line: &str) -> String {
    let mut s = line.to_string();
    let mut at = rng.usize(..=s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    match rng.u8(..6) {
        0 => s.insert_str(at, TOKENS[rng.usize(..TOKENS.len())]),
        1 => {
            let mut end = (at + rng.usize(1..8)).min(s.len());
            while !s.is_char_boundary(end) {
                end += 1;
            }
            s.replace_range(at..end, TOKENS[rng.usize(..TOKENS.len())]);
        }
        2 => {
            let mut end = (at + rng.usize(1..12)).min(s.len());
            while !s.is_char_boundary(end) {
                end += 1;
            }
            s.replace_range(at..end, "");
        }
        3 => s = s.replacen("\"case\"", "\"\\u0063ase\"", 1),
        4 => s = s.replacen("T", " ", 1),
        _ => s = s.replacen("+06:00", "", 1).replacen("+05:00", "", 1),
    }
    s
}

/// A hostile file: the generated lines, about one in six damaged, with blank lines,
/// CRLF ends, whitespace-only lines, a BOM and a last line without its end.
fn hostile(cases: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for line in generated(cases, seed).lines() {
        let line = if rng.u8(..6) == 0 {
            damage(&mut rng, line)
        } else {
            line.to_string()
        };
        out.extend_from_slice(line.as_bytes());
        match rng.u8(..20) {
            0 => out.extend_from_slice(b"\r\n"),
            1 => out.extend_from_slice(b"\n\n"),
            2 => out.extend_from_slice(b"\n  \t \n"),
            _ => out.push(b'\n'),
        }
    }
    out.extend_from_slice(
        br#"{"case":"last","service":"s","step":"p","at":"2016-06-01T10:00:00Z"}"#,
    );
    out
}

/// Reads `files` with the given sizes (`None`: the defaults) on a pool of `threads`.
fn read(files: &[&[u8]], sizes: Option<(usize, usize)>, threads: usize, shown: usize) -> Log {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let mut r = Reader::new(catalog()).with_max_rejected_shown(shown);
        if let Some((block, piece)) = sizes {
            r = r.with_block_size(block, piece);
        }
        for (i, f) in files.iter().enumerate() {
            r.read(&format!("f{i}.jsonl"), *f).unwrap();
        }
        r.finish()
    })
}

fn names(n: &Names) -> Vec<Vec<String>> {
    [
        &n.cases,
        &n.services,
        &n.steps,
        &n.channels,
        &n.variants,
        &n.grounds,
        &n.providers,
    ]
    .iter()
    .map(|i| i.names().map(str::to_string).collect())
    .collect()
}

fn assert_same(got: &Log, want: &Log, what: &str) {
    assert_eq!(got.files, want.files, "{what}: files");
    assert_eq!(names(&got.names), names(&want.names), "{what}: names");
    assert_eq!(got.account, want.account, "{what}: account");
    assert!(got.events == want.events, "{what}: events differ");
}

/// Two hostile files of about 400 KB each (several 64 KB reads, so several blocks with
/// small block sizes), read with one piece per block as the reference, then with every
/// combination of sizes and thread counts: the same log, byte for byte.
#[test]
fn sizes_and_threads_never_change_the_log() {
    let a = hostile(40, 1);
    let b = hostile(25, 2);
    assert!(a.len() > 300_000, "{} bytes", a.len());
    let files: [&[u8]; 2] = [&a, &b];
    let whole = read(&files, Some((usize::MAX / 2, usize::MAX / 2)), 1, 50);
    let acc = &whole.account;
    assert!(acc.is_balanced());
    assert!(acc.rejected_total > 200 && acc.events > 5000, "{acc:?}");
    assert!(
        acc.rejected_by_reason.len() >= 4,
        "{:?}",
        acc.rejected_by_reason
    );
    for (sizes, threads) in [
        (None, 1),
        (None, 4),
        (Some((1, 1)), 3),
        (Some((1, 1)), 1),
        (Some((70_000, 777)), 2),
        (Some((200_000, 5_000)), 5),
        (Some((1 << 17, 1 << 12)), 8),
    ] {
        let cut = read(&files, sizes, threads, 50);
        assert_same(&cut, &whole, &format!("sizes {sizes:?}, {threads} threads"));
    }
    // Fewer rejections shown: the same counts, the first ones in the same words.
    let few = read(&files, Some((1, 1)), 3, 3);
    assert_eq!(few.events, whole.events);
    assert_eq!(few.account.rejected_by_reason, acc.rejected_by_reason);
    assert_eq!(few.account.rejected[..], acc.rejected[..3]);
}

/// Every line the reader accepts is an object serde_json reads, whose required fields
/// are the strings the event's names say; every line serde_json cannot read at all is
/// rejected. (The reader refuses more than serde_json's syntax: bad times, duplicate
/// fields, lone surrogates; never less.)
#[test]
fn nothing_serde_json_refuses_is_accepted() {
    let text = hostile(30, 5);
    let log = read(&[&text], Some((1, 1)), 2, usize::MAX);
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let mut accepted = vec![None; lines.len() + 1];
    for e in &log.events {
        accepted[e.line as usize] = Some(e);
    }
    let n = &log.names;
    let (mut checked, mut refused) = (0, 0);
    for (i, raw) in lines.iter().enumerate() {
        let raw = if i == 0 { &raw[3..] } else { raw };
        let parsed = std::str::from_utf8(raw)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
        match (accepted[i + 1], parsed) {
            (Some(e), Some(v)) => {
                checked += 1;
                assert!(v.is_object(), "line {}: {v}", i + 1);
                assert_eq!(v["case"], n.cases.name(e.case), "line {}", i + 1);
                assert_eq!(v["service"], n.services.name(e.service));
                assert_eq!(v["step"], n.steps.name(e.step));
                for (key, table, id) in [
                    ("channel", &n.channels, e.channel),
                    ("variant", &n.variants, e.variant),
                    ("ground", &n.grounds, e.ground),
                    ("provider", &n.providers, e.provider),
                ] {
                    if id == NONE {
                        assert!(v[key].is_null(), "line {}: {key}", i + 1);
                    } else {
                        assert_eq!(v[key], table.name(id), "line {}: {key}", i + 1);
                    }
                }
            }
            (Some(_), None) => panic!(
                "line {} accepted, but serde_json refuses it: {:?}",
                i + 1,
                String::from_utf8_lossy(raw)
            ),
            (None, None) => refused += 1,
            (None, Some(_)) => {}
        }
    }
    assert!(
        checked > 2000 && refused > 100,
        "{checked} checked, {refused} refused"
    );
    // Every rejected line is listed (none is lost), each on a line with content.
    assert_eq!(
        log.account.rejected.len() as u64,
        log.account.rejected_total
    );
    for r in &log.account.rejected {
        assert!(accepted[r.line as usize].is_none(), "line {} both", r.line);
    }
}

/// An input that fails with an I/O error after `at` bytes, in reads of odd sizes.
struct FailingAt<'a> {
    rest: &'a [u8],
    left: usize,
}

impl std::io::Read for FailingAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("disk gone"));
        }
        let n = self.rest.len().min(buf.len()).min(self.left).min(4099);
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        self.left -= n;
        Ok(n)
    }
}

/// A read error mid-file, past several blocks read ahead: the error is returned, and the
/// log is exactly that of the bytes read before it (the cut-off line rejected).
#[test]
fn a_read_error_mid_file_keeps_every_line_before_it() {
    let text = hostile(30, 9);
    for (at, sizes) in [
        (150_001, Some((1, 1))),
        (150_001, None),
        (text.len() / 2, Some((65_536, 4_000))),
        (70_000, Some((70_000, 70_000))),
    ] {
        let prefix = &text[..at];
        let want = read(&[prefix], sizes, 2, 50);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let got = pool.install(|| {
            let mut r = Reader::new(catalog()).with_max_rejected_shown(50);
            if let Some((block, piece)) = sizes {
                r = r.with_block_size(block, piece);
            }
            let input = FailingAt {
                rest: &text,
                left: at,
            };
            let err = r.read("f0.jsonl", input).unwrap_err();
            assert_eq!(err.to_string(), "disk gone");
            r.finish()
        });
        assert_same(&got, &want, &format!("error at byte {at}"));
        assert!(want.account.lines > 100);
    }
}

/// Lines whose names repeat across pieces, some rejected after their service was read
/// (`started` later than `at`, a bad time), so that a name may first appear on a
/// rejected line, in one piece, and be used in the next.
const LINES: &[&str] = &[
    r#"{"case":"a","service":"zhambyl-2016-84-survey-licence","step":"sc_accept","at":"2016-06-01T10:00:00+06:00","provider":"p1"}"#,
    r#"{"case":"b","service":"zhambyl-2016-84-survey-licence","step":"sc_accept","at":"2016-06-01T10:00:00","channel":"portal"}"#,
    r#"{"case":"a","service":"new-service","step":"x","at":"2016-06-01T10:00:00Z","started":"2016-06-01T11:00:00Z"}"#,
    r#"{"case":"c","service":"new-service","step":"y","at":"2016-06-01 10:00:00"}"#,
    r#"{"case":"b","service":"other","step":"x","at":"bad","provider":"p2"}"#,
    r#"{"case":"c","service":"other","step":"z","at":"2016-06-01T10:00:00.5+05:00","provider":"p2","ground":null}"#,
    r#"{"\u0063ase":"d","service":"other","step":"x","at":"2016-06-01T10:00:00Z","variant":"v"}"#,
    r#"{"case":"d","case":"e","service":"other","step":"x","at":"2016-06-01T10:00:00Z"}"#,
    "",
    "   ",
    "not json",
    "{\"case\":\"e\",\"service\":\"zhambyl-2016-84-survey-licence\",\"step\":\"sc_accept\",\"at\":\"2016-06-01T10:00:00Z\"}\r",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Small logs of these lines, cut into pieces of any size, on 1 to 4 threads: the
    /// log of a one-piece read.
    #[test]
    fn pieces_of_any_size_give_the_one_piece_log(
        picks in proptest::collection::vec(0..LINES.len(), 0..120),
        piece in 1usize..400,
        threads in 1usize..5,
        shown in 0usize..6,
    ) {
        let text: String = picks.iter().map(|&i| format!("{}\n", LINES[i])).collect();
        let whole = read(&[text.as_bytes()], Some((usize::MAX / 2, usize::MAX / 2)), 1, shown);
        let cut = read(&[text.as_bytes()], Some((1, piece)), threads, shown);
        assert_same(&cut, &whole, &format!("piece {piece}, {threads} threads"));
        proptest::prop_assert!(whole.account.is_balanced());
    }
}
