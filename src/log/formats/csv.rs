//! CSV logs: a header row, then one event per record.
//!
//! A header of our field names (`case, service, step, at, ...`) needs no mapping; a
//! provider's own header is read through the mapping's `fields`. Header names are matched
//! after trimming and case folding. The delimiter is `--delimiter`, or the one of `;`,
//! `,`, tab and `|` that the header line uses most outside quotes. Quoted fields may hold
//! delimiters, quotes (`""`) and line ends; a UTF-8 BOM is skipped; a Windows-1251 (or
//! any other WHATWG-labelled) export is decoded as it is read.
//!
//! Records are parsed by `csv-core` into one reused buffer and handed on as borrowed
//! strings; a record over [`MAX_RECORD`] bytes (or [`MAX_FIELDS`] fields) is rejected and
//! its bytes dropped as they are read, so one endless quoted field cannot exhaust memory.
//! Blank lines are not records.

use super::mapping::{Mapping, fold};
use super::{Field, Fields, FormatError, MAX_RECORD, Owner, Pos, Visitor};
use crate::log::account::Reason;
use csv_core::{ReadRecordResult, ReaderBuilder};
use std::io::BufRead;

mod decoding;
mod sniff;
pub(super) use decoding::Decoding;
use sniff::sniff;

/// More fields than this in one record is not a log record.
pub const MAX_FIELDS: usize = 4096;

/// How to read CSV files.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// `None`: detected from the header line.
    pub delimiter: Option<u8>,
    /// `None`: UTF-8. Also used for XES files ([`super::read_xes`]).
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Reads a CSV log, handing each record to `v`.
pub fn read(
    input: impl BufRead,
    opts: &CsvOptions,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    match opts.encoding.filter(|e| *e != encoding_rs::UTF_8) {
        Some(enc) => {
            let decoded = Decoding::new(input, enc);
            records(
                std::io::BufReader::with_capacity(1 << 16, decoded),
                opts,
                map,
                v,
            )
        }
        None => records(input, opts, map, v),
    }
}

/// The record loop over UTF-8 input.
///
/// csv-core is fed one physical line at a time, so the reader knows when a line end
/// falls inside a quoted field, and in which field. In a field the checker reads (case,
/// service, step, times, channel, variant, provider, actor, ground) such a line end is
/// taken for a stray quote: the record is rejected there and reading starts again at the
/// next line, so one `"` cannot turn the rest of the file into one cell. Elsewhere (a
/// comment column) a quoted line end is data, and the record goes on. A file that ends
/// inside a quoted field is unreadable.
fn records(
    mut input: impl BufRead,
    opts: &CsvOptions,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => sniff(input.fill_buf()?),
    };
    let mut r = Records::new(ReaderBuilder::new().delimiter(delimiter).build());
    loop {
        let inbuf = input.fill_buf()?;
        if inbuf.is_empty() {
            r.at_end(map, v)?;
            break;
        }
        if r.fresh {
            // Line ends before a record (blank lines, the `\n` of a `\r\n`) are no record.
            let skip = inbuf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if skip > 0 {
                r.lines.feed(&inbuf[..skip]);
                input.consume(skip);
                continue;
            }
            r.start_line = r.lines.of_next();
        }
        // One physical line at most, with its line end.
        let cut = memchr::memchr2(b'\n', b'\r', inbuf).map_or(inbuf.len(), |i| i + 1);
        let nin = r.feed(&inbuf[..cut], map, v)?;
        input.consume(nin);
    }
    if r.columns.is_none() {
        return Err(FormatError::Unreadable(
            "no header row: the file is empty".to_string(),
        ));
    }
    Ok(())
}

/// The state of the record loop: csv-core, the record being parsed, and the lines.
struct Records {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    /// Fields of this record ended so far, also those dropped as too big: the index of
    /// the field being read.
    fields: usize,
    /// Line ends inside quoted fields of this record.
    inner: u64,
    oversize: bool,
    columns: Option<Columns>,
    record: u64,
    // Lines are counted here (csv-core counts only `\n`): `start_line` is the line a
    // record's first byte is on.
    lines: Lines,
    start_line: u64,
    /// No byte of a record read yet.
    fresh: bool,
}

impl Records {
    fn new(core: csv_core::Reader) -> Records {
        Records {
            core,
            out: vec![0u8; 1 << 12],
            ends: vec![0usize; 64],
            outlen: 0,
            endlen: 0,
            fields: 0,
            inner: 0,
            oversize: false,
            columns: None,
            record: 0,
            lines: Lines::default(),
            start_line: 1,
            fresh: true,
        }
    }

    /// Feeds `line` (one physical line at most); returns the bytes consumed.
    fn feed(
        &mut self,
        line: &[u8],
        map: Option<&Mapping>,
        v: &mut impl Visitor,
    ) -> Result<usize, FormatError> {
        let (res, nin, nout, nend) = (self.core).read_record(
            line,
            &mut self.out[self.outlen..],
            &mut self.ends[self.endlen..],
        );
        // The `\n` of a `\r\n` whose `\r` was fed before ends no line of its own.
        let crlf_tail = self.lines.after_cr && line.first() == Some(&b'\n');
        let line_end = nin == line.len()
            && matches!(line.last(), Some(b'\n' | b'\r'))
            && !(crlf_tail && nin == 1);
        self.lines.feed(&line[..nin]);
        self.fresh = self.fresh && nin == 0;
        self.outlen += nout;
        self.endlen += nend;
        self.fields += nend;
        match res {
            ReadRecordResult::InputEmpty if line_end => self.quoted_line_end(v),
            ReadRecordResult::InputEmpty | ReadRecordResult::End => {}
            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => self.grow(res),
            ReadRecordResult::Record => self.done(map, v)?,
        }
        Ok(nin)
    }

    /// csv-core ran out of room: the buffers grow to their limits, past which the
    /// record is too big and its bytes are dropped as it is read to its end.
    fn grow(&mut self, res: ReadRecordResult) {
        match res {
            ReadRecordResult::OutputFull if self.out.len() < MAX_RECORD => {
                let len = (self.out.len() * 2).min(MAX_RECORD);
                self.out.resize(len, 0);
            }
            ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_FIELDS => {
                let len = (self.ends.len() * 2).min(MAX_FIELDS);
                self.ends.resize(len, 0);
            }
            _ => {
                self.oversize = true;
                (self.outlen, self.endlen) = (0, 0);
            }
        }
    }

    /// A line end fed inside a quoted field: data in a column the checker does not read;
    /// in one it reads, the record is rejected and the next line starts a new one.
    fn quoted_line_end(&mut self, v: &mut impl Visitor) {
        let Some(cols) = &self.columns else {
            self.inner += 1; // a header cell may hold a line end
            return;
        };
        if !cols.found.contains(&Some(self.fields)) {
            self.inner += 1;
            return;
        }
        self.record += 1;
        let pos = Pos::Csv {
            record: self.record,
            line: self.start_line,
            lines: self.inner + 1,
        };
        v.reject(
            pos,
            cols.names.get(self.fields).map(String::as_str),
            Reason::Syntax,
            cols.stray_quote(self.fields),
        );
        self.core.reset();
        self.clear();
    }

    /// The record csv-core completed: the header, or one handed to `v`.
    fn done(&mut self, map: Option<&Mapping>, v: &mut impl Visitor) -> Result<(), FormatError> {
        let rec = Parsed {
            out: self.out.get(..self.outlen).unwrap_or(&[]),
            ends: self.ends.get(..self.endlen).unwrap_or(&[]),
            oversize: self.oversize,
            line: self.start_line,
            lines: self.inner + 1,
        };
        on_record(&mut self.columns, &mut self.record, rec, map, v)?;
        self.clear();
        Ok(())
    }

    fn clear(&mut self) {
        (self.outlen, self.endlen, self.fields, self.inner) = (0, 0, 0, 0);
        self.oversize = false;
        self.fresh = true;
    }

    /// The input ended: a record without a final line end is read as one; a file that
    /// ends inside a quoted field is cut off, and unreadable.
    fn at_end(&mut self, map: Option<&Mapping>, v: &mut impl Visitor) -> Result<(), FormatError> {
        if self.fresh {
            return Ok(());
        }
        // A line end of our own ends it, unless the record is inside quotes.
        let mut end: &[u8] = b"\n";
        loop {
            let (res, nin, nout, nend) = (self.core).read_record(
                end,
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            end = end.get(nin..).unwrap_or(&[]);
            self.outlen += nout;
            self.endlen += nend;
            match res {
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => self.grow(res),
                ReadRecordResult::Record => return self.done(map, v),
                ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
            }
        }
        Err(FormatError::Unreadable(format!(
            "line {}: the file ends inside a quoted field opened in the record of line {}: it is cut off, or a quote is not closed",
            self.lines.of_next(),
            self.start_line
        )))
    }
}

/// One record as csv-core parsed it.
struct Parsed<'o> {
    out: &'o [u8],
    ends: &'o [usize],
    /// Over the size limits: its content was dropped.
    oversize: bool,
    line: u64,
    /// Physical lines it spans.
    lines: u64,
}

/// The first record is the header; each later one is handed to `v` or rejected.
fn on_record(
    columns: &mut Option<Columns>,
    record: &mut u64,
    rec: Parsed,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    let line = rec.line;
    let Some(cols) = columns else {
        if rec.oversize {
            return Err(FormatError::Unreadable(format!(
                "line {line}: header is longer than {MAX_RECORD} bytes or {MAX_FIELDS} fields"
            )));
        }
        let cols = Columns::read(rec.out, rec.ends, map, line)?;
        let names: Vec<&str> = cols.names.iter().map(String::as_str).collect();
        v.columns(&names, &cols.found)
            .map_err(|e| FormatError::Unreadable(format!("line {line}: {e}")))?;
        *columns = Some(cols);
        return Ok(());
    };
    *record += 1;
    let pos = Pos::Csv {
        record: *record,
        line,
        lines: rec.lines,
    };
    if rec.oversize {
        let why =
            format!("record is longer than the limit of {MAX_RECORD} bytes or {MAX_FIELDS} fields");
        v.reject(pos, None, Reason::TooLong, why);
    } else if rec.ends.len() != cols.names.len() {
        let why = cols.miscount(rec.ends.len());
        // Its case column is read as it stands: if the row was split or shifted, the
        // caveat may fall on another case, which is never a verdict (issue 16).
        match cols.owner(rec.out, rec.ends) {
            Some(o) => v.reject_in_case(o, pos, None, Reason::Syntax, why),
            None => v.reject(pos, None, Reason::Syntax, why),
        }
    } else {
        cols.visit(pos, rec.out, rec.ends, v);
    }
    Ok(())
}

/// The header: the source's names, and which column holds each of our fields.
struct Columns {
    names: Vec<String>,
    found: [Option<usize>; Field::COUNT],
}

impl Columns {
    fn read(
        out: &[u8],
        ends: &[usize],
        map: Option<&Mapping>,
        line: u64,
    ) -> Result<Columns, FormatError> {
        let mut names = Vec::with_capacity(ends.len());
        for (i, raw) in fields(out, ends).enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| {
                FormatError::Unreadable(format!(
                    "line {line}: column {} of the header is not valid UTF-8 (is it another encoding? see --encoding)",
                    i + 1
                ))
            })?;
            names.push(name.trim().to_string());
        }
        let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let mut found = [None; Field::COUNT];
        for f in Field::ALL {
            let want = map
                .and_then(|m| m.columns[f as usize].as_deref())
                .unwrap_or(f.name());
            found[f as usize] = folded.iter().position(|n| *n == fold(want));
        }
        Ok(Columns { names, found })
    }

    /// Why a record of `n` fields is not read against this header. More fields than
    /// columns: the extra values belong to no column, so part of the record would be
    /// dropped unseen. Fewer: a row cut short (a line break in an unquoted field splits
    /// one record into two) cannot be told from one whose last cells are empty, and an
    /// absent `ground` or `started` changes a verdict. Both are rejected, never guessed.
    #[cold]
    fn miscount(&self, n: usize) -> String {
        let m = self.names.len();
        let what = if n > m {
            format!(
                "its field {} onward are under no column, and would be lost",
                m + 1
            )
        } else {
            format!(
                "column {} ({:?}) onward have no value: the row may be cut short",
                n + 1,
                self.names.get(n).map_or("", String::as_str)
            )
        };
        format!("record has {n} field(s), the header has {m}: {what}")
    }

    /// The case id and service of a record whose fields do not match the header, read
    /// from their columns as they stand (when those columns are in the record and UTF-8).
    #[cold]
    fn owner<'o>(&self, out: &'o [u8], ends: &[usize]) -> Option<Owner<'o>> {
        let mut values: Fields = [None; Field::COUNT];
        for f in [Field::Case, Field::Service] {
            let raw = self.found[f as usize].and_then(|col| field(out, ends, col));
            values[f as usize] = raw.and_then(|r| std::str::from_utf8(r).ok());
        }
        Owner::of(&values)
    }

    /// Why a record is rejected at a line end inside quoted field `i`, one the checker
    /// reads.
    #[cold]
    fn stray_quote(&self, i: usize) -> String {
        format!(
            "a line end inside the quoted field {:?} (column {}), which the check reads: a quote not closed on its line? Reading goes on at the next line",
            self.names.get(i).map_or("", String::as_str),
            i + 1
        )
    }

    /// Hands one data record to `v`, rejecting it if a field of ours is not UTF-8.
    fn visit(&self, pos: Pos, out: &[u8], ends: &[usize], v: &mut impl Visitor) {
        let mut values: Fields = [None; Field::COUNT];
        for f in Field::ALL {
            let Some(col) = self.found[f as usize] else {
                continue;
            };
            let Some(raw) = field(out, ends, col) else {
                continue;
            };
            match std::str::from_utf8(raw) {
                Ok(s) => values[f as usize] = Some(s),
                Err(e) => {
                    let name = self.names.get(col).map_or("", String::as_str);
                    let reason = format!(
                        "not valid UTF-8 (byte {}; is the file in another encoding? see --encoding)",
                        e.valid_up_to() + 1
                    );
                    // The case and service are read first: another field's bytes leave
                    // them readable.
                    match Owner::of(&values) {
                        Some(o) => {
                            v.reject_in_case(o, pos, Some(name), Reason::InvalidUtf8, reason)
                        }
                        None => v.reject(pos, Some(name), Reason::InvalidUtf8, reason),
                    }
                    return;
                }
            }
        }
        if v.wants_all() {
            let all: Vec<(&str, &str)> = fields(out, ends)
                .enumerate()
                .map(|(i, raw)| {
                    let name = self.names.get(i).map_or("", String::as_str);
                    (name, std::str::from_utf8(raw).unwrap_or("\u{FFFD}"))
                })
                .collect();
            v.record(pos, &values, &all);
        } else {
            v.record(pos, &values, &[]);
        }
    }
}

/// Field `i` of a record parsed by csv-core, if the record has it.
fn field<'o>(out: &'o [u8], ends: &[usize], i: usize) -> Option<&'o [u8]> {
    let start = match i.checked_sub(1) {
        None => 0,
        Some(p) => *ends.get(p)?,
    };
    out.get(start..*ends.get(i)?)
}

/// The fields of a record parsed by csv-core: `ends` are end offsets into `out`.
fn fields<'o>(out: &'o [u8], ends: &'o [usize]) -> impl Iterator<Item = &'o [u8]> + 'o {
    let mut start = 0;
    ends.iter().map(move |&end| {
        let f = out.get(start..end).unwrap_or(&[]);
        start = end;
        f
    })
}

/// Counts line ends as editors do: `\n`, `\r\n`, and a bare `\r` (old Mac exports end
/// their lines with it alone, and csv reads it as a record end too).
#[derive(Debug, Clone, Copy)]
struct Lines {
    /// Line ends counted so far, plus one.
    line: u64,
    /// The last byte fed was a `\r`: a line end unless the next byte is its `\n`.
    after_cr: bool,
}

impl Default for Lines {
    fn default() -> Lines {
        Lines {
            line: 1,
            after_cr: false,
        }
    }
}

impl Lines {
    fn feed(&mut self, bytes: &[u8]) {
        if !self.after_cr && memchr::memchr(b'\r', bytes).is_none() {
            self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
            return;
        }
        for &b in bytes {
            // A `\r` not followed by its `\n` ended a line; a `\r\n` counts at its `\n`.
            self.line += u64::from(self.after_cr && b != b'\n') + u64::from(b == b'\n');
            self.after_cr = b == b'\r';
        }
    }

    /// The line of the next byte (a `\r` fed last ends its line, as the next byte is
    /// not its `\n`: a caller asks only at a record's first byte).
    fn of_next(&self) -> u64 {
        self.line + u64::from(self.after_cr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn windows_1251_is_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Прием заявления");
        let mut d = Decoding::new(&bytes[..], encoding_rs::WINDOWS_1251);
        let mut s = String::new();
        d.read_to_string(&mut s).unwrap();
        assert_eq!(s, "Прием заявления");
    }
}
