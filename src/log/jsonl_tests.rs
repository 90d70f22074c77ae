//! Unit tests of the JSON Lines reader: block boundaries, read errors, and hostile
//! lines with small limits (never timed).

use super::*;

fn read(text: &[u8], block: usize, piece: usize) -> Log {
    let cat = Catalog::default();
    let mut r = Reader::new(&cat);
    r.block = block;
    r.piece = piece;
    r.read("t.jsonl", text).unwrap();
    r.finish()
}

/// A read error mid-file: the lines read before it are all accounted for, and the
/// line it cut off is rejected.
#[test]
fn a_read_error_keeps_what_was_read() {
    struct Failing<'a>(&'a [u8]);
    impl std::io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let text = br#"{"case":"a","service":"s","step":"p","at":"2016-06-01T10:00:00Z"}
{"case":"b","service":"s","step":"p","at":"2016-06-01T10:00:00Z"}
{"case":"c","service":"s","st"#;
    let cat = Catalog::default();
    let mut r = Reader::new(&cat);
    assert!(r.read("t.jsonl", Failing(text)).is_err());
    let log = r.finish();
    assert_eq!(
        (
            log.account.lines,
            log.account.events,
            log.account.rejected.len()
        ),
        (3, 2, 1)
    );
}

/// Blocks and pieces cut lines anywhere; the log must be the same as read whole.
#[test]
fn block_and_piece_boundaries_do_not_change_the_log() {
    let mut text = Vec::new();
    text.extend_from_slice(b"\xEF\xBB\xBF");
    for i in 0..200 {
        let line = match i % 7 {
            0 => String::new(),
            1 => "not json".to_string(),
            _ => format!(
                r#"{{"case":"c{}","service":"s","step":"p{}","at":"2016-06-01T10:{:02}:00+06:00"}}"#,
                i % 13,
                i % 5,
                i % 60
            ),
        };
        text.extend_from_slice(line.as_bytes());
        text.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
    }
    text.extend_from_slice(
        br#"{"case":"last","service":"s","step":"p","at":"2016-06-01T10:00:00Z"}"#,
    );
    let whole = read(&text, usize::MAX / 2, usize::MAX / 2);
    assert_eq!(whole.account.lines + whole.account.blank_lines, 201);
    assert!(whole.account.is_balanced());
    for (block, piece) in [(1, 1), (7, 3), (64, 16), (300, 1000), (4096, 100)] {
        let cut = read(&text, block, piece);
        assert_eq!(cut.events, whole.events, "block {block} piece {piece}");
        assert_eq!(cut.account, whole.account, "block {block} piece {piece}");
        assert_eq!(
            cut.names.cases.names().collect::<Vec<_>>(),
            whole.names.cases.names().collect::<Vec<_>>()
        );
    }
}

const EV: &str = r#"{"case":"a","service":"s","step":"p","at":"2016-06-01T10:00:00Z"}"#;

/// Reads `text` with a small line limit, every block size in `blocks`, and checks that
/// they all give the same log; returns it.
fn read_limited(text: &[u8], max_line: usize, max_shown: usize) -> Log {
    let cat = Catalog::default();
    let mut logs = Vec::new();
    for (block, piece) in [(1, 1), (7, 3), (64, 16), (1 << 20, 1 << 20)] {
        let mut r = Reader::new(&cat)
            .with_max_line(max_line)
            .with_max_rejected_shown(max_shown);
        r.block = block;
        r.piece = piece;
        r.read("t.jsonl", text).unwrap();
        let log = r.finish();
        assert!(log.account.is_balanced(), "block {block}");
        logs.push(log);
    }
    for l in &logs[1..] {
        assert_eq!(l.events, logs[0].events);
        assert_eq!(l.account, logs[0].account);
    }
    logs.swap_remove(0)
}

fn reasons(log: &Log) -> Vec<(u64, Reason)> {
    log.account
        .rejected
        .iter()
        .map(|r| (r.line, r.reason))
        .collect()
}

/// A line over the limit is rejected with its first bytes and its length, and the
/// reader goes on at the next line, whatever the block size.
#[test]
fn a_long_line_is_rejected_with_its_first_bytes_and_reading_goes_on() {
    let mut text = vec![b'x'; 1000];
    text.push(b'\n');
    text.extend_from_slice(EV.as_bytes());
    text.push(b'\n');
    let log = read_limited(&text, 100, 10);
    assert_eq!(reasons(&log), [(1, Reason::TooLong)]);
    let r = &log.account.rejected[0];
    assert_eq!(
        r.detail,
        "line is 1000 bytes, longer than the 100-byte limit"
    );
    assert!(r.excerpt.starts_with("xxxxxxxx") && r.excerpt.ends_with('…'));
    assert_eq!(log.events.len(), 1);
    assert_eq!(log.events[0].line, 2);
}

/// A stream without a line end (as `/dev/zero`) is one long line: it is skipped in
/// reads of bounded size and rejected once, at its end.
#[test]
fn a_stream_without_a_line_end_is_one_rejected_line() {
    struct Zeros(u64);
    impl std::io::Read for Zeros {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            // The reader never asks for more than a block plus one read at a time.
            assert!(buf.len() <= 1 << 17, "asked for {} bytes", buf.len());
            let n = buf.len().min(usize::try_from(self.0).unwrap_or(usize::MAX));
            buf[..n].fill(0);
            self.0 -= n as u64;
            Ok(n)
        }
    }
    let cat = Catalog::default();
    let mut r = Reader::new(&cat).with_max_line(1000);
    r.block = 4096;
    r.read("zero", Zeros(64 << 20)).unwrap();
    let log = r.finish();
    assert_eq!(reasons(&log), [(1, Reason::TooLong)]);
    assert_eq!(
        log.account.rejected[0].detail,
        format!(
            "line is {} bytes, longer than the 1000-byte limit",
            64u64 << 20
        )
    );
}

/// The limit is on the content: a line of exactly the limit is accepted with LF and with
/// CRLF, one byte more is rejected with both.
#[test]
fn the_line_limit_does_not_count_the_line_end() {
    let max = EV.len() + 10;
    for end in ["\n", "\r\n"] {
        for (extra, accepted) in [(10, true), (11, false)] {
            let line = format!("{EV}{}{end}{EV}{end}", " ".repeat(extra));
            let log = read_limited(line.as_bytes(), max, 10);
            assert_eq!(
                log.events.len(),
                1 + usize::from(accepted),
                "{end:?} {extra}"
            );
            if !accepted {
                assert_eq!(reasons(&log), [(1, Reason::TooLong)]);
            }
        }
    }
}

/// Invalid UTF-8 anywhere in a line (an unknown field included), CESU-8 bytes and lone
/// surrogate escapes reject the line; a valid pair and an escaped backslash do not.
#[test]
fn invalid_text_anywhere_rejects_the_line() {
    let with = |x: &[u8]| {
        let mut l =
            br#"{"case":"a","service":"s","step":"p","at":"2016-06-01T10:00:00Z","x":""#.to_vec();
        l.extend_from_slice(x);
        l.extend_from_slice(b"\"}\n");
        l
    };
    for bad in [
        &b"\xff"[..],
        b"\xed\xa0\x80\xed\xb0\x80",
        br"\udc00",
        br"\ud800",
        br"\ud800\u0041",
        br"\\\udc00",
    ] {
        let log = read_limited(&with(bad), 1000, 10);
        assert_eq!(reasons(&log), [(1, Reason::InvalidUtf8)], "{bad:?}");
    }
    for good in [
        &br"\ud83d\ude00"[..],
        br"\\udc00",
        "жол".as_bytes(),
        br"\u0041",
    ] {
        let log = read_limited(&with(good), 1000, 10);
        assert_eq!(log.events.len(), 1, "{good:?}");
    }
}

/// Only a JSON object is an event: an array with the same values is rejected.
#[test]
fn an_array_is_not_an_event() {
    let log = read_limited(
        br#"["a","s","p","2016-06-01T10:00:00Z"]
 42
"#,
        1000,
        10,
    );
    assert_eq!(
        reasons(&log),
        [(1, Reason::NotAnObject), (2, Reason::NotAnObject)]
    );
}

/// Past `max_shown`, rejections are counted by reason, not kept.
#[test]
fn rejections_past_the_shown_limit_are_only_counted() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(if i % 2 == 0 { "not json\n" } else { "[1]\n" });
    }
    let log = read_limited(text.as_bytes(), 1000, 3);
    assert_eq!(
        reasons(&log),
        [
            (1, Reason::Syntax),
            (2, Reason::NotAnObject),
            (3, Reason::Syntax)
        ]
    );
    assert_eq!(log.account.rejected_total, 50);
    assert_eq!(log.account.rejected_not_shown(), 47);
    assert_eq!(log.account.rejected_by_reason[&Reason::Syntax], 25);
    assert_eq!(log.account.rejected_by_reason[&Reason::NotAnObject], 25);
}

/// Line numbers past 2^32 are kept exactly (64-bit), for events and rejections.
#[test]
fn line_numbers_do_not_saturate_at_2_pow_32() {
    let cat = Catalog::default();
    let mut r = Reader::new(&cat);
    let s = Settings {
        catalog: &cat,
        file: 0,
        max_line: MAX_LINE,
        max_shown: 10,
    };
    let text = format!("{EV}\nbad\n");
    let piece = Piece::parse(s, text.as_bytes(), false);
    let base = 5u64 << 32;
    assert_eq!(r.join(vec![piece], 0, base), base + 2);
    let log = r.finish();
    assert_eq!(log.events[0].line, base + 1);
    assert_eq!(log.account.rejected[0].line, base + 2);
}

/// An input with no byte at all is marked empty (the report warns about it); a blank
/// line is not an empty input.
#[test]
fn an_empty_input_is_marked() {
    let cat = Catalog::default();
    let mut r = Reader::new(&cat);
    r.read("<stdin>", &b""[..]).unwrap();
    r.read("blank", &b"\n"[..]).unwrap();
    let log = r.finish();
    assert_eq!(log.account.empty_files, [0]);
}

/// A step cannot end before it starts: `started` later than `at` (compared as instants,
/// so an earlier-looking text in another offset counts by its instant) is rejected at
/// `started`, as the CSV and XES readers reject it; equal times are accepted.
#[test]
fn started_later_than_at_is_rejected() {
    let ev = |started: &str| {
        format!(
            r#"{{"case":"c","service":"s","step":"a","at":"2016-06-01T10:00:00+06:00","started":"{started}"}}"#
        )
    };
    let text = [
        ev("2016-06-01T10:30:00+06:00"),
        ev("2016-06-01T10:00:00+06:00"),
        ev("2016-06-01T04:30:00Z"),
        ev("2016-06-01T09:00:00+06:00"),
    ]
    .join("\n");
    let log = read(text.as_bytes(), 1 << 20, 1 << 20);
    assert_eq!(log.account.events, 2);
    assert_eq!(reasons(&log), [(1, Reason::BadTime), (3, Reason::BadTime)]);
    let r = &log.account.rejected[0];
    assert_eq!(r.field.as_deref(), Some("started"));
    assert!(
        r.detail.contains("a step cannot end before it starts"),
        "{}",
        r.detail
    );
}

/// Only JSON's whitespace makes a blank line: a line of a form feed is a record, and it
/// is rejected (review of issue 9).
#[test]
fn a_form_feed_line_is_a_rejected_record_not_a_blank_line() {
    let log = read(b" \t\r\n\x0c\n\x0b\n", 1 << 20, 1 << 20);
    assert_eq!(log.account.blank_lines, 1);
    assert_eq!(log.account.rejected_total, 2);
    assert_eq!(reasons(&log), [(2, Reason::Syntax), (3, Reason::Syntax)]);
}
