//! JSON Lines event logs, read as a stream.
//!
//! One event per line: `case`, `service`, `step`, `at` (required), and `channel`,
//! `variant`, `provider`, `actor`, `ground`, `started` (optional); other fields are
//! ignored. Each line is parsed into borrowed strings (no `serde_json::Value` per event)
//! and its names are interned at once, so nothing of the line outlives its block.
//! A line that is not a valid event is rejected with its file, line, field and reason,
//! and the run goes on.

use super::account::{Account, Rejected};
use super::intern::{Interner, NONE};
use super::time::{self, Stamp};
use super::{Event, NO_TIME};
use crate::rules::Catalog;
use chrono_tz::Tz;
use serde::Deserialize;
use std::borrow::Cow;

/// Lines longer than this are rejected unread: no real event is a megabyte.
pub const MAX_LINE: usize = 1 << 20;

#[derive(Deserialize)]
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
    started: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    channel: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    variant: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ground: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    provider: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "actor")]
    _actor: Option<Cow<'a, str>>,
}

/// The names a set of events uses, each kind interned apart.
#[derive(Debug, Default)]
pub struct Names {
    pub cases: Interner,
    pub services: Interner,
    pub steps: Interner,
    pub channels: Interner,
    pub variants: Interner,
    pub grounds: Interner,
    pub providers: Interner,
}

/// Every event of a run, with the names they use.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    pub files: Vec<String>,
    pub names: Names,
    pub account: Account,
}

/// Bytes read from a file at a time; each block is parsed on every core.
const BLOCK: usize = 4 << 20;

/// Bytes of one piece of a block handed to one worker.
const PIECE: usize = 128 << 10;

/// Reads logs into a [`Log`], placing local times in each service's zone.
///
/// Input is read in blocks of whole lines; each block is cut into pieces parsed in
/// parallel, each piece with its own small name tables, and the pieces are merged in file
/// order. Names, line numbers and the order of events and rejections are therefore the
/// same as a line-by-line read, whatever the number of threads.
pub struct Reader<'c> {
    catalog: &'c Catalog,
    log: Log,
    /// Block and piece sizes: [`BLOCK`] and [`PIECE`], smaller in tests.
    block: usize,
    piece: usize,
}

/// Why a line was rejected: the field at fault (if one is) and what is wrong.
struct Reject {
    field: Option<String>,
    reason: String,
}

/// What one piece of a file parsed to, with names local to the piece.
#[derive(Default)]
struct Piece {
    names: Names,
    /// Events whose names index `names`, with lines counted from the piece's start.
    events: Vec<Event>,
    rejected: Vec<(u64, Reject)>,
    /// Lines in the piece: all, and blank ones.
    lines: u64,
    blank: u64,
    /// Time zone per local service id, filled on first sight.
    zones: Vec<Option<Tz>>,
}

impl<'c> Reader<'c> {
    pub fn new(catalog: &'c Catalog) -> Reader<'c> {
        Reader {
            catalog,
            log: Log::default(),
            block: BLOCK,
            piece: PIECE,
        }
    }

    /// Reads every line of `input`, named `name` in reports. An I/O error ends the file
    /// and is returned; the lines read before it stay accounted for.
    pub fn read(&mut self, name: &str, mut input: impl std::io::Read) -> std::io::Result<()> {
        let file = u32::try_from(self.log.files.len()).unwrap_or(u32::MAX);
        self.log.files.push(name.to_string());
        let mut buf: Vec<u8> = Vec::new();
        let mut line_base = 0u64;
        let mut at_file_start = true;
        loop {
            // On a read error the bytes already read are still parsed, as if the file
            // ended there (a line cut off by the error is rejected), then the error is
            // returned: nothing read is left uncounted.
            let (eof, failed) = match fill(&mut input, &mut buf, self.block) {
                Ok(eof) => (eof, None),
                Err(e) => (true, Some(e)),
            };
            // Parse up to the last complete line; the rest waits for the next block.
            let cut = if eof {
                buf.len()
            } else {
                match memchr::memrchr(b'\n', &buf) {
                    Some(i) => i + 1,
                    None => continue,
                }
            };
            if cut > 0 {
                line_base = self.block(&buf[..cut], at_file_start, file, name, line_base);
                at_file_start = false;
                buf.drain(..cut);
            }
            if eof {
                return failed.map_or(Ok(()), Err);
            }
        }
    }

    /// Reads an in-memory log (the bundled samples, tests, benchmarks).
    pub fn read_str(&mut self, name: &str, text: &str) {
        // Reading from a byte slice cannot fail.
        let _ = self.read(name, text.as_bytes());
    }

    /// Records that `name` could not be read (to its end) and why; the run goes on.
    pub fn unreadable(&mut self, name: &str, reason: String) {
        self.log.account.unreadable.push(super::Unreadable {
            file: name.to_string(),
            reason,
        });
    }

    /// The rule sets and the log being filled, for the readers of other formats
    /// ([`super::formats`]), which add their events and records to the same log.
    pub fn parts(&mut self) -> (&'c Catalog, &mut Log) {
        (self.catalog, &mut self.log)
    }

    pub fn finish(self) -> Log {
        self.log
    }

    /// Parses one block of whole lines on every core and merges it; returns the number
    /// of lines read so far in the file.
    fn block(
        &mut self,
        block: &[u8],
        at_file_start: bool,
        file: u32,
        name: &str,
        line_base: u64,
    ) -> u64 {
        use rayon::prelude::*;
        let pieces = split_lines(block, self.piece);
        let catalog = self.catalog;
        let parsed: Vec<Piece> = pieces
            .par_iter()
            .enumerate()
            .map(|(i, bytes)| Piece::parse(catalog, bytes, at_file_start && i == 0, file))
            .collect();
        let mut base = line_base;
        for piece in parsed {
            base = self.merge(piece, name, base);
        }
        base
    }

    /// Moves a piece's events into the log, turning its local names into the log's.
    fn merge(&mut self, piece: Piece, name: &str, base: u64) -> u64 {
        let log = &mut self.log;
        let remap = |local: &Interner, global: &mut Interner| -> Vec<u32> {
            local.names().map(|n| global.intern(n)).collect()
        };
        let cases = remap(&piece.names.cases, &mut log.names.cases);
        let services = remap(&piece.names.services, &mut log.names.services);
        let steps = remap(&piece.names.steps, &mut log.names.steps);
        let channels = remap(&piece.names.channels, &mut log.names.channels);
        let variants = remap(&piece.names.variants, &mut log.names.variants);
        let grounds = remap(&piece.names.grounds, &mut log.names.grounds);
        let providers = remap(&piece.names.providers, &mut log.names.providers);
        let opt = |map: &[u32], id: u32| if id == NONE { NONE } else { map[id as usize] };
        log.events.reserve(piece.events.len());
        for e in &piece.events {
            log.events.push(Event {
                case: cases[e.case as usize],
                service: services[e.service as usize],
                step: steps[e.step as usize],
                channel: opt(&channels, e.channel),
                variant: opt(&variants, e.variant),
                ground: opt(&grounds, e.ground),
                provider: opt(&providers, e.provider),
                line: u32::try_from(base + u64::from(e.line)).unwrap_or(u32::MAX),
                ..*e
            });
        }
        let account = &mut log.account;
        account.events += piece.events.len() as u64;
        account.blank_lines += piece.blank;
        account.lines += piece.lines - piece.blank;
        for (line, r) in piece.rejected {
            account.rejected.push(Rejected {
                file: name.to_string(),
                line: base + line,
                field: r.field,
                reason: r.reason,
            });
        }
        base + piece.lines
    }
}

/// Reads into `buf` until it holds at least a block, and always something more than the
/// unfinished line it may already hold, or the input ends; returns whether it ended.
fn fill(input: &mut impl std::io::Read, buf: &mut Vec<u8>, block: usize) -> std::io::Result<bool> {
    let target = (buf.len() + 1).max(block);
    while buf.len() < target {
        let len = buf.len();
        buf.resize(len + (64 << 10), 0);
        match input.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(true);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Cuts `bytes` into pieces of about `size` bytes, each ending at a line end.
fn split_lines(bytes: &[u8], size: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(bytes.len() / size + 1);
    let mut rest = bytes;
    while rest.len() > size {
        match memchr::memchr(b'\n', &rest[size..]) {
            Some(i) => {
                let (head, tail) = rest.split_at(size + i + 1);
                pieces.push(head);
                rest = tail;
            }
            None => break,
        }
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// The lines of `body`, split at `\n` (SIMD search; the last line may lack its end).
fn lines(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    ends.map(move |end| {
        let line = &body[start..end];
        start = end + 1;
        line
    })
}

impl Piece {
    /// Parses the lines of `bytes` (whole lines; the last may lack its line end).
    fn parse(catalog: &Catalog, bytes: &[u8], at_file_start: bool, file: u32) -> Piece {
        let mut p = Piece::default();
        let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        if bytes.is_empty() {
            return p;
        }
        for (i, line) in lines(body).enumerate() {
            p.lines += 1;
            let line = if at_file_start && i == 0 {
                line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
            } else {
                line
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                p.blank += 1;
                continue;
            }
            match p.event(catalog, line, file, p.lines) {
                Ok(ev) => p.events.push(ev),
                Err(r) => p.rejected.push((p.lines, r)),
            }
        }
        p
    }

    fn zone(&mut self, catalog: &Catalog, service: u32) -> Option<Tz> {
        let i = service as usize;
        while self.zones.len() <= i {
            let name = self.names.services.name(self.zones.len() as u32);
            let tz = catalog
                .editions(name)
                .and_then(|e| e.first())
                .map(|&ix| catalog.sets[ix].tz);
            self.zones.push(tz);
        }
        self.zones[i]
    }

    fn event(
        &mut self,
        catalog: &Catalog,
        line: &[u8],
        file: u32,
        line_no: u64,
    ) -> Result<Event, Reject> {
        if line.len() > MAX_LINE {
            return Err(Reject {
                field: None,
                reason: format!(
                    "line is {} bytes, longer than the {MAX_LINE}-byte limit",
                    line.len()
                ),
            });
        }
        let raw: RawEvent = match serde_json::from_slice(line) {
            Ok(r) => r,
            Err(e) => return Err(explain(line, e)),
        };
        let bad = |field: &'static str| {
            move |reason| Reject {
                field: Some(field.into()),
                reason,
            }
        };
        let at = time::parse(&raw.at).map_err(bad("at"))?;
        let started = raw
            .started
            .as_deref()
            .map(time::parse)
            .transpose()
            .map_err(bad("started"))?;
        let service = self.names.services.intern(&raw.service);
        let tz = if matches!(at, Stamp::Local(_)) || matches!(started, Some(Stamp::Local(_))) {
            self.zone(catalog, service)
        } else {
            None
        };
        let at = time::resolve(at, tz).map_err(bad("at"))?;
        let started = match started {
            None => NO_TIME,
            Some(s) => time::resolve(s, tz).map_err(bad("started"))?,
        };
        let opt =
            |i: &mut Interner, v: &Option<Cow<str>>| v.as_deref().map_or(NONE, |s| i.intern(s));
        let names = &mut self.names;
        Ok(Event {
            case: names.cases.intern(&raw.case),
            service,
            step: names.steps.intern(&raw.step),
            channel: opt(&mut names.channels, &raw.channel),
            variant: opt(&mut names.variants, &raw.variant),
            ground: opt(&mut names.grounds, &raw.ground),
            provider: opt(&mut names.providers, &raw.provider),
            at,
            started,
            file,
            line: u32::try_from(line_no).unwrap_or(u32::MAX),
        })
    }
}

/// Turns a parse error into a reason naming the field, re-reading the line with path
/// tracking (only for rejected lines, off the fast path).
#[cold]
fn explain(line: &[u8], e: serde_json::Error) -> Reject {
    if std::str::from_utf8(line).is_err() {
        return Reject {
            field: None,
            reason: "line is not valid UTF-8".into(),
        };
    }
    let mut de = serde_json::Deserializer::from_slice(line);
    let field = match serde_path_to_error::deserialize::<_, RawEvent>(&mut de) {
        Err(pe) => {
            let p = pe.path().to_string();
            (p != "." && !p.is_empty()).then_some(p)
        }
        Ok(_) => None,
    };
    let field = field.or_else(|| {
        let msg = e.to_string();
        msg.strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string)
    });
    let reason = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("invalid JSON: {e}")
        }
        _ => e.to_string(),
    };
    Reject { field, reason }
}

#[cfg(test)]
mod tests {
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
}
