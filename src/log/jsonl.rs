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
use super::gaps::Gaps;
use super::intern::{Interner, NONE};
use super::lines::{self, Chunk};
use super::names::Translation;
use super::prefetch;
use super::time::{self, Stamp};
use super::{Event, Log, NO_TIME, Names};
use crate::rules::Catalog;
use chrono_tz::Tz;
use line::{Reject, Text, check_line, start_after_end};

/// Lines whose content (the line end not counted) is longer than this are rejected
/// unread: no real event is a megabyte.
pub const MAX_LINE: usize = 1 << 20;

/// Bytes read from a file at a time; each block is parsed on every core.
const BLOCK: usize = 4 << 20;

/// Bytes of one piece of a block handed to one worker.
const PIECE: usize = 128 << 10;

/// Reads logs into a [`Log`], placing local times in each service's zone.
///
/// Input is read in blocks of whole lines, one block ahead on a thread of its own
/// ([`prefetch`]); each block is cut into pieces parsed in parallel, each piece with its
/// own small name tables, and the pieces are joined to the log in file order
/// ([`super::names`]) while the next block is parsed. Names, line numbers and the order of
/// events and rejections are therefore the same as a line-by-line read, whatever the
/// number of threads. Memory is bounded by a few blocks and the line limit, whatever the
/// input (see [`lines`]).
pub struct Reader<'c> {
    catalog: &'c Catalog,
    log: Log,
    /// Block and piece sizes: [`BLOCK`] and [`PIECE`], smaller in tests.
    block: usize,
    piece: usize,
    /// Longest line content accepted: [`MAX_LINE`], smaller in tests.
    max_line: usize,
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
    /// The cases of the piece's rejected lines, by the piece's case integers.
    gaps: Gaps,
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

    /// Says whose records the log holds (a mapping's `records`, `check --records`); by
    /// default every recorder's ([`crate::rules::recorder`]).
    pub fn with_records(mut self, records: crate::rules::recorder::Recorders) -> Reader<'c> {
        self.log.records = records;
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
    pub fn read(&mut self, name: &str, input: impl std::io::Read + Send) -> std::io::Result<()> {
        self.read_blocks(name, input, &mut |_| {})
    }

    /// As [`Reader::read`], handing the log to `on_block` after each block of lines is
    /// merged into it, so a streaming consumer can take the block's events
    /// (`std::mem::take(&mut log.events)`) while names and counts stay in the log.
    pub fn read_blocks(
        &mut self,
        name: &str,
        input: impl std::io::Read + Send,
        on_block: &mut (dyn FnMut(&mut Log) + Send),
    ) -> std::io::Result<()> {
        // Events hold the index in 16 bits ([`crate::log::MAX_FILES`], checked by the CLI).
        let file = u32::from(u16::try_from(self.log.files.len()).unwrap_or(u16::MAX));
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
        // The pieces of the block before, parsed and not yet joined: a block is joined to
        // the log (partly sequential work) while the next one is parsed on the other cores.
        let mut pending: Option<Vec<Piece>> = None;
        let result = prefetch::split_ahead(input, block, self.max_line, &mut |chunk| {
            let at_file_start = chunks == 0;
            chunks += 1;
            match chunk {
                Chunk::Lines(bytes) => {
                    let before = pending.take();
                    let (parsed, base) = rayon::join(
                        || parse_block(settings, bytes, piece, at_file_start),
                        || match before {
                            Some(p) => {
                                let base = self.join(p, file, line_base);
                                // A streaming consumer replays the block meanwhile too.
                                on_block(&mut self.log);
                                base
                            }
                            None => line_base,
                        },
                    );
                    line_base = base;
                    pending = Some(parsed);
                }
                Chunk::TooLong { head, len } => {
                    if let Some(p) = pending.take() {
                        line_base = self.join(p, file, line_base);
                    }
                    self.too_long(file, line_base + 1, head, len);
                    line_base += 1;
                    on_block(&mut self.log);
                }
            }
        });
        if let Some(p) = pending.take() {
            self.join(p, file, line_base);
            on_block(&mut self.log);
        }
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

    /// Joins the pieces of a block, in input order, to the log: their names become the
    /// log's, their lines are counted from `line_base`. Returns the lines read so far.
    fn join(&mut self, mut parsed: Vec<Piece>, file: u32, line_base: u64) -> u64 {
        use rayon::prelude::*;
        // The pieces' names become the log's in three steps (see `names`): only the
        // handing out of new integers is sequential.
        let names = &mut self.log.names;
        let mut translations: Vec<Translation> =
            parsed.par_iter().map(|p| names.look_up(&p.names)).collect();
        for (p, t) in parsed.iter().zip(&mut translations) {
            names.complete(&p.names, t);
        }
        let bases: Vec<u64> = (parsed.iter())
            .scan(line_base, |base, p| {
                let first = *base;
                *base += p.lines;
                Some(first)
            })
            .collect();
        (parsed.par_iter_mut().zip(&translations).zip(&bases)).for_each(|((p, t), &base)| {
            for e in &mut p.events {
                t.apply(e);
                e.line += base;
            }
        });
        let mut base = line_base;
        for (piece, t) in parsed.into_iter().zip(&translations) {
            (self.log.account.gaps).merge(&piece.gaps, |c| t.case(c));
            base = self.merge(piece, file, base);
        }
        base
    }

    /// Moves a piece's events, already in the log's names and lines, into the log, and
    /// counts its lines.
    fn merge(&mut self, piece: Piece, file: u32, base: u64) -> u64 {
        let log = &mut self.log;
        log.events.extend_from_slice(&piece.events);
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

/// Parses one block of whole lines on every core, a piece per task: pieces are parsed
/// apart, each with its own names, and joined to the log in input order after.
fn parse_block(s: Settings, block: &[u8], piece: usize, at_file_start: bool) -> Vec<Piece> {
    use rayon::prelude::*;
    let pieces = split_lines(block, piece);
    pieces
        .par_iter()
        .enumerate()
        .map(|(i, bytes)| Piece::parse(s, bytes, at_file_start && i == 0))
        .collect()
}

/// Whether a line holds only JSON's whitespace (space, tab, CR, LF): not a record. A form
/// feed or vertical tab is not whitespace to JSON, so a line of them is a rejected record,
/// not a blank line.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
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
        // A line is rarely shorter than 100 bytes, and most lines of a piece may name a
        // case of their own (a log in time order interleaves cases): room for that many
        // case and step names up front saves the tables' growth.
        let lines = bytes.len() / 100 + 1;
        let mut p = Piece::default();
        p.names.cases = Interner::with_capacity(lines, lines * 16);
        p.events.reserve(lines);
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
            if is_blank(line) {
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
        // The case the line belongs to, if its id can still be read (`super::gaps`); a
        // line over the limit is not read at all.
        match (r.reason != Reason::TooLong)
            .then(|| line::owner(line))
            .flatten()
        {
            Some((case, service)) => {
                let c = self.names.cases.intern(&case);
                self.gaps.add(c, service.as_deref());
            }
            None => self.gaps.add_unowned(),
        }
        *self.by_reason.entry(r.reason).or_insert(0) += 1;
        if self.rejected.len() < s.max_shown {
            let excerpt = account::excerpt(lines::content(line), lines::EXCERPT);
            self.rejected.push((self.lines, r, excerpt));
        }
    }

    /// The zone a local time of `service` on `date` is read in: that of the edition in
    /// force on that date (a local time's date needs no zone), or of the first edition
    /// when none is (the engine then lists the case as not judged, `engine::unjudged`).
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
            Stamp::Day(day) => self.zone(catalog, service, day),
        };
        time::resolve(stamp, tz)
    }

    fn event(&mut self, s: Settings, line: &[u8], line_no: u64) -> Result<Event, Reject> {
        let text = check_line(line, s.max_line)?;
        let raw = line::parse(text, self.rejected.len() < s.max_shown)?;
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
        let day_only = at.is_day() || started.is_some_and(|t| t.is_day());
        let at = self.resolve(s.catalog, service, at).map_err(bad("at"))?;
        let started = match started {
            None => NO_TIME,
            Some(st) => self
                .resolve(s.catalog, service, st)
                .map_err(bad("started"))?,
        };
        if started != NO_TIME && started > at {
            return Err(start_after_end(&raw));
        }
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
            file: u16::try_from(s.file).unwrap_or(u16::MAX),
            day_only,
            line: line_no,
        })
    }
}

#[path = "jsonl_line.rs"]
mod line;

#[cfg(test)]
#[path = "jsonl_tests.rs"]
mod tests;
