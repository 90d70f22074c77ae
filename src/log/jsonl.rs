//! JSON Lines event logs, read as a stream.
//!
//! One event per line: a JSON object with `case`, `service`, `step`, `at` (required), and
//! `channel`, `variant`, `provider`, `actor`, `ground`, `started` (optional); other fields
//! are ignored. Each line is parsed into borrowed strings (no `serde_json::Value` per
//! event) and its names are interned at once, so nothing of the line outlives its block.
//! A line that is not a valid event is rejected with its file, line, field and reason,
//! and the run goes on. What is accepted is valid: the whole line is checked as UTF-8
//! (unknown fields included, whose escapes serde skips unchecked), lone surrogate
//! escapes are refused, and only an object is an event.

use super::account::{self, Reason, Rejected};
use super::intern::{Interner, NONE};
use super::lines::{self, Chunk};
use super::time::{self, Stamp};
use super::{Event, Log, NO_TIME, Names};
use crate::rules::Catalog;
use chrono_tz::Tz;
use serde::Deserialize;
use std::borrow::Cow;

/// Lines whose content (the line end not counted) is longer than this are rejected
/// unread: no real event is a megabyte.
pub const MAX_LINE: usize = 1 << 20;

/// An optional string field, borrowed from the line unless it has escapes. serde borrows
/// a `Cow<str>` only as a field's own type: inside an `Option` it allocates a `String`
/// for every value, three allocations per event on a typical log.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl Text<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

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
    started: Option<Text<'a>>,
    #[serde(borrow, default)]
    channel: Option<Text<'a>>,
    #[serde(borrow, default)]
    variant: Option<Text<'a>>,
    #[serde(borrow, default)]
    ground: Option<Text<'a>>,
    #[serde(borrow, default)]
    provider: Option<Text<'a>>,
    #[serde(borrow, default, rename = "actor")]
    _actor: Option<Text<'a>>,
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
/// same as a line-by-line read, whatever the number of threads. Memory is bounded by the
/// block size and the line limit, whatever the input (see [`lines`]).
pub struct Reader<'c> {
    catalog: &'c Catalog,
    log: Log,
    /// Block and piece sizes: [`BLOCK`] and [`PIECE`], smaller in tests.
    block: usize,
    piece: usize,
    /// Longest line content accepted: [`MAX_LINE`], smaller in tests.
    max_line: usize,
}

/// Why a line was rejected: the field at fault (if one is) and what is wrong.
struct Reject {
    field: Option<String>,
    reason: Reason,
    detail: String,
}

impl Reject {
    fn new(reason: Reason, detail: impl Into<String>) -> Reject {
        Reject {
            field: None,
            reason,
            detail: detail.into(),
        }
    }
}

/// What one piece of a file parsed to, with names local to the piece.
#[derive(Default)]
struct Piece {
    names: Names,
    /// Events whose names index `names`, with lines counted from the piece's start.
    events: Vec<Event>,
    /// The first rejections of the piece (as many as the account shows at most), with
    /// their line from the piece's start and their excerpt.
    rejected: Vec<(u64, Reject, String)>,
    /// Every rejection of the piece by reason.
    by_reason: std::collections::BTreeMap<Reason, u64>,
    /// Lines in the piece: all, and blank ones.
    lines: u64,
    blank: u64,
    /// Editions per local service id, filled on first sight.
    editions: Vec<Option<Vec<usize>>>,
}

/// What a piece needs to know besides its bytes.
#[derive(Clone, Copy)]
struct Settings<'c> {
    catalog: &'c Catalog,
    file: u32,
    max_line: usize,
    max_shown: usize,
}

impl<'c> Reader<'c> {
    pub fn new(catalog: &'c Catalog) -> Reader<'c> {
        Reader {
            catalog,
            log: Log::default(),
            block: BLOCK,
            piece: PIECE,
            max_line: MAX_LINE,
        }
    }

    /// Keeps the first `n` rejected records in full (`--max-rejected-shown`); the rest
    /// are counted by reason.
    pub fn with_max_rejected_shown(mut self, n: usize) -> Reader<'c> {
        self.log.account.max_shown = n;
        self
    }

    /// Sets the bytes read at a time and parsed per worker ([`BLOCK`] and [`PIECE`] by
    /// default); tests use small blocks so that cases cross block boundaries.
    pub fn with_block_size(mut self, block: usize, piece: usize) -> Reader<'c> {
        self.block = block.max(1);
        self.piece = piece.max(1);
        self
    }

    /// Sets the longest line content accepted, [`MAX_LINE`] by default (small limits let
    /// tests exercise long lines without megabytes of input).
    pub fn with_max_line(mut self, bytes: usize) -> Reader<'c> {
        self.max_line = bytes;
        self
    }

    /// Reads every line of `input`, named `name` in reports. An I/O error ends the file
    /// and is returned; the lines read before it stay accounted for.
    pub fn read(&mut self, name: &str, input: impl std::io::Read) -> std::io::Result<()> {
        self.read_blocks(name, input, &mut |_| {})
    }

    /// As [`Reader::read`], handing the log to `on_block` after each block of lines is
    /// merged into it, so a streaming consumer can take the block's events
    /// (`std::mem::take(&mut log.events)`) while names and counts stay in the log.
    pub fn read_blocks(
        &mut self,
        name: &str,
        mut input: impl std::io::Read,
        on_block: &mut dyn FnMut(&mut Log),
    ) -> std::io::Result<()> {
        let file = u32::try_from(self.log.files.len()).unwrap_or(u32::MAX);
        self.log.files.push(name.to_string());
        let settings = Settings {
            catalog: self.catalog,
            file,
            max_line: self.max_line,
            max_shown: self.log.account.max_shown,
        };
        let (block, piece) = (self.block, self.piece);
        let mut line_base = 0u64;
        let mut chunks = 0u64;
        let result = lines::split(&mut input, block, self.max_line, &mut |chunk| {
            let at_file_start = chunks == 0;
            chunks += 1;
            line_base = match chunk {
                Chunk::Lines(bytes) => self.block(bytes, at_file_start, settings, piece, line_base),
                Chunk::TooLong { head, len } => {
                    self.too_long(file, line_base + 1, head, len);
                    line_base + 1
                }
            };
            on_block(&mut self.log);
        });
        if result.is_ok() && chunks == 0 {
            self.log.account.empty_files.push(file);
        }
        result
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

    #[cold]
    fn too_long(&mut self, file: u32, line: u64, head: &[u8], len: u64) {
        let max = self.max_line;
        self.log.account.reject(Rejected {
            file,
            line,
            field: None,
            reason: Reason::TooLong,
            detail: format!("line is {len} bytes, longer than the {max}-byte limit"),
            excerpt: account::excerpt(head, lines::EXCERPT),
        });
    }

    /// Parses one block of whole lines on every core and merges it; returns the number
    /// of lines read so far in the file.
    fn block(
        &mut self,
        block: &[u8],
        at_file_start: bool,
        settings: Settings,
        piece: usize,
        line_base: u64,
    ) -> u64 {
        use rayon::prelude::*;
        let pieces = split_lines(block, piece);
        let parsed: Vec<Piece> = pieces
            .par_iter()
            .enumerate()
            .map(|(i, bytes)| Piece::parse(settings, bytes, at_file_start && i == 0))
            .collect();
        let mut base = line_base;
        for piece in parsed {
            base = self.merge(piece, settings.file, base);
        }
        base
    }

    /// Moves a piece's events into the log, turning its local names into the log's.
    fn merge(&mut self, piece: Piece, file: u32, base: u64) -> u64 {
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
        // Local ids index their piece's tables by construction.
        let at = |map: &[u32], id: u32| map.get(id as usize).copied().unwrap_or(NONE);
        let opt = |map: &[u32], id: u32| if id == NONE { NONE } else { at(map, id) };
        log.events.reserve(piece.events.len());
        for e in &piece.events {
            log.events.push(Event {
                case: at(&cases, e.case),
                service: at(&services, e.service),
                step: at(&steps, e.step),
                channel: opt(&channels, e.channel),
                variant: opt(&variants, e.variant),
                ground: opt(&grounds, e.ground),
                provider: opt(&providers, e.provider),
                line: base + e.line,
                ..*e
            });
        }
        let account = &mut log.account;
        account.events += piece.events.len() as u64;
        account.blank_lines += piece.blank;
        account.lines += piece.lines - piece.blank;
        for (reason, n) in piece.by_reason {
            account.rejected_total += n;
            *account.rejected_by_reason.entry(reason).or_insert(0) += n;
        }
        for (line, r, excerpt) in piece.rejected {
            if account.rejected.len() >= account.max_shown {
                break;
            }
            account.rejected.push(Rejected {
                file,
                line: base + line,
                field: r.field,
                reason: r.reason,
                detail: r.detail,
                excerpt,
            });
        }
        base + piece.lines
    }
}

/// Cuts `bytes` into pieces of about `size` bytes, each ending at a line end.
fn split_lines(bytes: &[u8], size: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(bytes.len() / size.max(1) + 1);
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
fn split_at_newlines(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    ends.map(move |end| {
        let line = body.get(start..end).unwrap_or_default();
        start = end + 1;
        line
    })
}

impl Piece {
    /// Parses the lines of `bytes` (whole lines; the last may lack its line end).
    fn parse(s: Settings, bytes: &[u8], at_file_start: bool) -> Piece {
        let mut p = Piece::default();
        let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        if bytes.is_empty() {
            return p;
        }
        for (i, line) in split_at_newlines(body).enumerate() {
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
            match p.event(s, line, p.lines) {
                Ok(ev) => p.events.push(ev),
                Err(r) => p.reject(s, line, r),
            }
        }
        p
    }

    #[cold]
    fn reject(&mut self, s: Settings, line: &[u8], r: Reject) {
        *self.by_reason.entry(r.reason).or_insert(0) += 1;
        if self.rejected.len() < s.max_shown {
            let excerpt = account::excerpt(lines::content(line), lines::EXCERPT);
            self.rejected.push((self.lines, r, excerpt));
        }
    }

    /// The zone a local time of `service` on `date` is read in: that of the edition in
    /// force on that date (a local time's date needs no zone), or of the first edition
    /// when none is (the engine then reports `no_rule_in_force`).
    fn zone(&mut self, catalog: &Catalog, service: u32, date: chrono::NaiveDate) -> Option<Tz> {
        while self.editions.len() <= service as usize {
            let name = self.names.services.name(self.editions.len() as u32);
            self.editions
                .push(catalog.editions(name).map(<[usize]>::to_vec));
        }
        let editions = self.editions.get(service as usize)?.as_deref()?;
        let sets = editions.iter().filter_map(|&i| catalog.sets.get(i));
        let mut in_force = sets.clone().filter(|c| c.is_in_force(date));
        in_force.next().or(sets.clone().next()).map(|c| c.tz)
    }

    /// The instant of `stamp`, a local time read in the zone of `service`.
    fn resolve(&mut self, catalog: &Catalog, service: u32, stamp: Stamp) -> Result<i64, String> {
        let tz = match stamp {
            Stamp::Instant(_) => None,
            Stamp::Local(naive) => self.zone(catalog, service, naive.date()),
        };
        time::resolve(stamp, tz)
    }

    fn event(&mut self, s: Settings, line: &[u8], line_no: u64) -> Result<Event, Reject> {
        let text = check_line(line, s.max_line)?;
        let raw = match flat::parse(text) {
            Some(raw) => raw,
            None => slow_parse(text, self.rejected.len() < s.max_shown)?,
        };
        let bad = |field: &'static str| {
            move |detail| Reject {
                field: Some(field.into()),
                reason: Reason::BadTime,
                detail,
            }
        };
        let at = time::parse(&raw.at).map_err(bad("at"))?;
        let started = raw
            .started
            .as_ref()
            .map(|t| time::parse(t.as_str()))
            .transpose()
            .map_err(bad("started"))?;
        let service = self.names.services.intern(&raw.service);
        let at = self.resolve(s.catalog, service, at).map_err(bad("at"))?;
        let started = match started {
            None => NO_TIME,
            Some(st) => self
                .resolve(s.catalog, service, st)
                .map_err(bad("started"))?,
        };
        let opt =
            |i: &mut Interner, v: &Option<Text>| v.as_ref().map_or(NONE, |t| i.intern(t.as_str()));
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
            file: s.file,
            line: line_no,
        })
    }
}

/// The checks a line passes before it is parsed: its content is within the limit, it is
/// valid UTF-8 throughout, and it has no lone surrogate escape.
fn check_line(line: &[u8], max_line: usize) -> Result<&str, Reject> {
    let content = lines::content(line);
    if content.len() > max_line {
        return Err(Reject::new(
            Reason::TooLong,
            format!(
                "line is {} bytes, longer than the {max_line}-byte limit",
                content.len()
            ),
        ));
    }
    // SIMD validation on the fast path; std's only to say where a bad line goes wrong.
    let text = simdutf8::basic::from_utf8(line)
        .or_else(|_| std::str::from_utf8(line))
        .map_err(|e| {
            Reject::new(
                Reason::InvalidUtf8,
                format!("line is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            )
        })?;
    if let Some(at) = lone_surrogate(text.as_bytes()) {
        return Err(Reject::new(
            Reason::InvalidUtf8,
            format!(
                "line has a lone surrogate escape at byte {}: not valid UTF-16, so not valid text",
                at + 1
            ),
        ));
    }
    Ok(text)
}

/// The byte offset of the first `\uXXXX` escape that is a lone surrogate (a high one not
/// followed by a low one, or a low one alone), if any.
///
/// serde_json refuses these in the fields it reads, but skips the strings of unknown
/// fields without decoding them. Backslashes only occur inside JSON strings, so every
/// backslash outside an escape starts one; a line that is not JSON is refused later.
fn lone_surrogate(text: &[u8]) -> Option<usize> {
    let hex = |at: usize| -> Option<u16> {
        let digits = text.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let escape = |at: usize| -> Option<u16> {
        (text.get(at..at + 2)? == b"\\u")
            .then(|| hex(at + 2))
            .flatten()
    };
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'\\', text.get(i..)?) {
        let at = i + off;
        match text.get(at + 1) {
            Some(b'u') => match escape(at) {
                Some(0xD800..=0xDBFF) => match escape(at + 6) {
                    Some(0xDC00..=0xDFFF) => i = at + 12,
                    _ => return Some(at),
                },
                Some(0xDC00..=0xDFFF) => return Some(at),
                _ => i = at + 2,
            },
            _ => i = at + 2,
        }
    }
    None
}

/// Parses a line off the fast path ([`flat`]) with serde_json, which also explains a
/// rejection: in full when `detailed` (a rejection past those shown is only counted, and
/// no field path is traced for it).
fn slow_parse(text: &str, detailed: bool) -> Result<RawEvent<'_>, Reject> {
    // serde reads a struct from an array too: only an object is an event.
    match serde_json::from_str(text) {
        Ok(r) if is_object(text) => Ok(r),
        Ok(_) => Err(not_an_object()),
        Err(e) => Err(explain(text, e, detailed)),
    }
}

/// Whether a JSON text is an object (it starts with `{`, after whitespace).
fn is_object(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

#[cold]
fn not_an_object() -> Reject {
    Reject::new(
        Reason::NotAnObject,
        "an event is a JSON object ({\"case\": ..., \"service\": ..., \"step\": ..., \"at\": ...})",
    )
}

/// Turns a parse error into a reason naming the field, re-reading the line with path
/// tracking when `detailed` (only for rejected lines that are shown, off the fast path).
#[cold]
fn explain(text: &str, e: serde_json::Error, detailed: bool) -> Reject {
    if !is_object(text) && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return not_an_object();
    }
    if let serde_json::error::Category::Syntax | serde_json::error::Category::Eof = e.classify() {
        let detail = if detailed {
            format!("invalid JSON: {e}")
        } else {
            String::new()
        };
        return Reject::new(Reason::Syntax, detail);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let field = match detailed.then(|| serde_path_to_error::deserialize::<_, RawEvent>(&mut de)) {
        Some(Err(pe)) => {
            let p = pe.path().to_string();
            (p != "." && !p.is_empty()).then_some(p)
        }
        _ => None,
    };
    let msg = e.to_string();
    let missing = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
        .map(str::to_string);
    let reason = if missing.is_some() {
        Reason::MissingField
    } else {
        Reason::WrongType
    };
    Reject {
        field: field.or(missing),
        reason,
        detail: msg,
    }
}

#[path = "jsonl_flat.rs"]
mod flat;

#[cfg(test)]
#[path = "jsonl_tests.rs"]
mod tests;
