//! Cutting a byte stream into lines in bounded memory and linear time, whatever the
//! stream holds: a 256 MB line, `/dev/zero`, a stream with no line end at all.
//!
//! Whole lines are handed on in blocks (parsed in parallel by the format reader). A line
//! whose content (the line end not counted) passes the limit is not buffered past it:
//! its first bytes are kept for the report, the rest is skipped to the next `\n`, and it
//! is handed on as [`Chunk::TooLong`]. Each byte is searched for a line end once, so
//! time is linear in the input; the buffer never holds more than a block, or the limit
//! plus one read, whichever is larger.

use std::io::Read;

/// Bytes read from the input at a time.
const READ: usize = 64 << 10;

/// Bytes of an over-long line kept for the report.
pub const EXCERPT: usize = 64;

/// What the splitter hands on, in input order.
pub enum Chunk<'a> {
    /// Whole lines, each ending in `\n` except perhaps the last one of the input. A line
    /// in here may still be over the limit (one that fit in a block): the format reader
    /// checks each line's length.
    Lines(&'a [u8]),
    /// One line whose content is over the limit: its first [`EXCERPT`] bytes, and its
    /// content length (without `\r\n` or `\n`).
    TooLong { head: &'a [u8], len: u64 },
}

/// The content of `line` (without its `\n`): a final `\r` is part of the line end.
pub fn content(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Cuts `input` into blocks of about `block` bytes of whole lines and over-long lines
/// (content longer than `max_line` bytes), calling `on` for each in order. An I/O error
/// ends the input: what was read before it is still handed on (a cut-off line as the
/// last line), then the error is returned.
pub fn split(
    input: &mut impl Read,
    block: usize,
    max_line: usize,
    on: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    // `buf[..searched]` holds no line end: each byte is searched once.
    let mut searched = 0;
    loop {
        let (eof, failed) = match fill(input, &mut buf, block) {
            Ok(eof) => (eof, None),
            Err(e) => (true, Some(e)),
        };
        if let Some(i) = memchr::memrchr(b'\n', &buf[searched..]) {
            let cut = searched + i + 1;
            on(Chunk::Lines(&buf[..cut]));
            buf.drain(..cut);
        }
        searched = buf.len();
        // The unfinished line is over the limit even if a `\r` ends it: stop buffering.
        if buf.len() > max_line.saturating_add(1) {
            if eof {
                let len = content(&buf).len();
                on(Chunk::TooLong {
                    head: &buf[..EXCERPT.min(len)],
                    len: len as u64,
                });
                return failed.map_or(Ok(()), Err);
            }
            skip_long_line(input, &mut buf, on)?;
            searched = 0;
            continue;
        }
        if eof {
            if !buf.is_empty() {
                on(Chunk::Lines(&buf));
            }
            return failed.map_or(Ok(()), Err);
        }
    }
}

/// `buf` holds the start of an over-long line: reads on to its end without keeping it,
/// hands it on as [`Chunk::TooLong`] and leaves in `buf` what followed its line end.
#[cold]
fn skip_long_line(
    input: &mut impl Read,
    buf: &mut Vec<u8>,
    on: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    let head = buf[..EXCERPT.min(buf.len())].to_vec();
    let mut len = buf.len() as u64;
    let mut last = buf.last().copied();
    let too_long = |len: u64, last: Option<u8>| Chunk::TooLong {
        head: &head,
        len: len - u64::from(last == Some(b'\r')),
    };
    loop {
        buf.clear();
        buf.resize(READ, 0);
        let n = match input.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.clear();
                on(too_long(len, last));
                return Err(e);
            }
        };
        buf.truncate(n);
        if n == 0 {
            on(too_long(len, last));
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', buf) {
            if i > 0 {
                last = Some(buf[i - 1]);
            }
            on(too_long(len + i as u64, last));
            buf.drain(..=i);
            return Ok(());
        }
        len += n as u64;
        last = buf.last().copied();
    }
}

/// Reads into `buf` until it holds at least a block, and always something more than the
/// unfinished line it may already hold, or the input ends; returns whether it ended.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, block: usize) -> std::io::Result<bool> {
    let target = (buf.len() + 1).max(block);
    while buf.len() < target {
        // `read_to_end` reads into spare room without zeroing it first (a `resize` before
        // each read cost a memset of every byte read); it retries `Interrupted`, and
        // keeps what it read before an error.
        let want = (target - buf.len()).max(READ) as u64;
        if input.by_ref().take(want).read_to_end(buf)? == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}
