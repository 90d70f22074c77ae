//! Reading one block ahead: the input is read and cut into lines on a thread of its own
//! while the block before is parsed, so the cores never wait for the read.
//!
//! The thread runs [`lines::split`] unchanged and hands each chunk over in a buffer of
//! its own (buffers are handed back and reused, so a run allocates a few blocks, not one
//! per block). At most one chunk waits between the two sides, so memory stays bounded
//! by a few blocks whatever the input, as [`lines`] promises.

use super::lines::{self, Chunk};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// A chunk in a buffer of its own, to cross to the parsing thread.
enum Owned {
    Lines(Vec<u8>),
    TooLong { head: Vec<u8>, len: u64 },
}

/// As [`lines::split`], reading `input` on a thread of its own one chunk ahead of `on`,
/// which is called on the calling thread, for every chunk, in input order.
pub fn split_ahead(
    input: impl Read + Send,
    block: usize,
    max_line: usize,
    on: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    // No room in the channel: a chunk read ahead waits in `send` until it is taken, so at
    // most the chunk being parsed, that one and the one being read are in memory.
    let (full_tx, full_rx) = mpsc::sync_channel::<Owned>(0);
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    // Set when the parsing side is gone (it panicked): the reader then stops, rather
    // than read an endless input (`/dev/zero`) for nobody.
    let stop = &AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut input = Stoppable { inner: input, stop };
            lines::split(&mut input, block, max_line, &mut |chunk| {
                let owned = match chunk {
                    Chunk::Lines(bytes) => {
                        let mut buf = spare_rx.try_recv().unwrap_or_default();
                        buf.clear();
                        buf.extend_from_slice(bytes);
                        Owned::Lines(buf)
                    }
                    Chunk::TooLong { head, len } => Owned::TooLong {
                        head: head.to_vec(),
                        len,
                    },
                };
                if full_tx.send(owned).is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
            })
        });
        // Stops the reader if `on` panics: the receiver is dropped while unwinding.
        let guard = StopOnDrop(stop);
        for owned in full_rx {
            match owned {
                Owned::Lines(buf) => {
                    on(Chunk::Lines(&buf));
                    // The reader may have ended: then the buffer is simply dropped.
                    let _ = spare_tx.send(buf);
                }
                Owned::TooLong { head, len } => on(Chunk::TooLong { head: &head, len }),
            }
        }
        drop(guard);
        reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// An input that ends early once `stop` is set.
struct Stoppable<'a, R> {
    inner: R,
    stop: &'a AtomicBool,
}

impl<R: Read> Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

/// Sets the flag when dropped by an unwinding parse (and harmlessly at the end).
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `lines::split` hands on, as owned values, to compare the two.
    fn chunks(
        split: impl FnOnce(&mut dyn FnMut(Chunk<'_>)) -> std::io::Result<()>,
    ) -> Vec<(bool, Vec<u8>, u64)> {
        let mut out = Vec::new();
        split(&mut |c| match c {
            Chunk::Lines(b) => out.push((true, b.to_vec(), 0)),
            Chunk::TooLong { head, len } => out.push((false, head.to_vec(), len)),
        })
        .unwrap();
        out
    }

    /// Reading ahead hands on exactly what reading in place does, long lines included.
    #[test]
    fn reading_ahead_hands_on_the_same_chunks() {
        let mut text = Vec::new();
        for i in 0..5000 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
            if i % 777 == 0 {
                text.extend(std::iter::repeat_n(b'x', 3000));
                text.push(b'\n');
            }
        }
        let inline = chunks(|on| lines::split(&mut &text[..], 1000, 2000, on));
        let ahead = chunks(|on| split_ahead(&text[..], 1000, 2000, on));
        assert_eq!(inline, ahead);
        assert!(ahead.iter().any(|c| !c.0), "a long line was in the input");
    }

    /// A parse that panics does not leave the reader reading an endless input (of
    /// endless blank lines: without a line end, nothing is handed on at all).
    #[test]
    fn a_panicking_parse_stops_the_reader() {
        let zeros = std::io::repeat(b'\n');
        let result = std::panic::catch_unwind(|| {
            split_ahead(zeros, 1 << 10, 1 << 12, &mut |_| panic!("parse failed"))
        });
        assert!(result.is_err());
    }

    /// An input that hands out odd-sized reads and fails after `left` bytes.
    struct Failing {
        text: Vec<u8>,
        at: usize,
        left: usize,
    }

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(std::io::Error::other("disk gone"));
            }
            let rest = self.text.get(self.at..).unwrap_or_default();
            let n = rest.len().min(buf.len()).min(self.left).min(333);
            buf[..n].copy_from_slice(&rest[..n]);
            self.at += n;
            self.left -= n;
            Ok(n)
        }
    }

    /// Chunks as owned values: (whole lines?, bytes or head, long line's length).
    type Owned = Vec<(bool, Vec<u8>, u64)>;

    /// What a split hands on before it ends, and how it ends.
    fn chunks_until_error(
        split: impl FnOnce(&mut dyn FnMut(Chunk<'_>)) -> std::io::Result<()>,
    ) -> (Owned, Option<String>) {
        let mut out = Vec::new();
        let end = split(&mut |c| match c {
            Chunk::Lines(b) => out.push((true, b.to_vec(), 0)),
            Chunk::TooLong { head, len } => out.push((false, head.to_vec(), len)),
        });
        (out, end.err().map(|e| e.to_string()))
    }

    /// A read error anywhere (mid-line, mid-long-line, at a line end) ends the input
    /// with the same chunks and the same error whether read ahead or in place, and
    /// every byte read before the error is handed on.
    #[test]
    fn a_read_error_hands_on_the_same_chunks_and_the_error() {
        let mut text = Vec::new();
        for i in 0..3000 {
            text.extend_from_slice(format!("line {i}\r\n").as_bytes());
            if i % 500 == 7 {
                text.extend(std::iter::repeat_n(b'x', 2500 + i));
                text.push(b'\n');
            }
        }
        for left in [1, 50, 2000, 5000, 11_111, 20_000, 33_333, text.len() - 1] {
            let failing = || Failing {
                text: text.clone(),
                at: 0,
                left,
            };
            let inline = chunks_until_error(|on| lines::split(&mut failing(), 700, 2000, on));
            let ahead = chunks_until_error(|on| split_ahead(failing(), 700, 2000, on));
            assert_eq!(inline, ahead, "error after {left} bytes");
            assert_eq!(ahead.1.as_deref(), Some("disk gone"));
            let handed: usize = (ahead.0.iter())
                .map(|(lines, b, len)| if *lines { b.len() } else { *len as usize + 1 })
                .sum();
            // A long line cut off has no line end: one byte less than counted above,
            // or its `\r` was not counted in its length.
            assert!(
                handed.abs_diff(left) <= 2,
                "{handed} of {left} bytes handed on"
            );
        }
    }
}
