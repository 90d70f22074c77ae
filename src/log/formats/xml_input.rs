//! The input of the XES reader, with XML's unbounded pieces bounded.
//!
//! `quick-xml` reads a whole tag, or a whole text node, into memory before it hands it
//! on: a case id of 1 GB in one attribute took 3.1 GB of memory (issue 20). This reader
//! counts the bytes since the last `<` (a tag's start: a text node and the tag after it,
//! or a tag whose attribute value never ends) and fails the read once they pass
//! [`MAX_RUN`], so `quick-xml` never holds more than that plus one read. The file is then
//! unreadable from there, as for any XML that is not well formed; the events before it
//! stay read. A `<` inside a comment or CDATA section restarts the count: those are the
//! only places an XES file may hold one unescaped.

use super::MAX_RECORD;
use std::io::{BufRead, Read};

/// Bytes allowed between two `<`: 16 times the limit of a whole event. An attribute
/// over [`MAX_RECORD`] is already a rejected record (its event or trace too large);
/// this bound only keeps memory bounded when the XML would not end (a 1 GB case id).
pub const MAX_RUN: usize = 16 * MAX_RECORD;

/// A [`BufRead`] that fails once more than `limit` bytes pass without a `<`.
pub struct Bounded<R> {
    inner: R,
    run: usize,
    limit: usize,
}

impl<R: BufRead> Bounded<R> {
    pub fn new(inner: R) -> Bounded<R> {
        Bounded::with_limit(inner, MAX_RUN)
    }

    pub fn with_limit(inner: R, limit: usize) -> Bounded<R> {
        Bounded {
            inner,
            run: 0,
            limit,
        }
    }

    fn too_long(&self) -> std::io::Error {
        std::io::Error::other(format!(
            "an XML tag or text of more than {} bytes: not read further",
            self.limit
        ))
    }
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.run > self.limit {
            return Err(self.too_long());
        }
        // No more than the run may still take (an input held whole in memory would
        // otherwise hand `quick-xml` any length at once).
        let room = self.limit - self.run + 1;
        let buf = self.inner.fill_buf()?;
        Ok(buf.get(..room).unwrap_or(buf))
    }

    fn consume(&mut self, n: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let seen = buf.get(..n).unwrap_or(buf);
            self.run = match memchr::memrchr(b'<', seen) {
                Some(i) => seen.len() - i - 1,
                None => self.run.saturating_add(seen.len()),
            };
        }
        self.inner.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], limit: usize) -> std::io::Result<usize> {
        let mut all = Vec::new();
        Bounded::with_limit(std::io::BufReader::with_capacity(4, bytes), limit)
            .read_to_end(&mut all)?;
        // Handed whole, as a slice is: the same.
        let mut whole = Vec::new();
        Bounded::with_limit(bytes, limit).read_to_end(&mut whole)?;
        assert_eq!(all, whole);
        Ok(all.len())
    }

    #[test]
    fn a_long_run_without_a_tag_start_fails_and_tags_restart_the_count() {
        assert_eq!(read_all(b"<a>1234</a><b>5678</b>", 8).unwrap(), 22);
        assert!(read_all(b"<a value=\"123456789012345\"/>", 8).is_err());
        assert!(read_all(b"<a>12345678901234567890</a>", 8).is_err());
    }
}
