//! An export in a legacy encoding (windows-1251 and the like, `--encoding`) read as
//! UTF-8 as it streams through the CSV reader.

use std::io::{BufRead, Read};

/// A reader that decodes `enc` to UTF-8 as it reads (malformed bytes become U+FFFD).
pub(in crate::log::formats) struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    eof: bool,
    /// The decoder was flushed: the stream has ended.
    done: bool,
}

impl<R: BufRead> Decoding<R> {
    pub(in crate::log::formats) fn new(
        inner: R,
        enc: &'static encoding_rs::Encoding,
    ) -> Decoding<R> {
        Decoding {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            eof: false,
            done: false,
        }
    }
}

impl<R: BufRead> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.len() < 4 {
            // Room for one whole UTF-8 character is needed; the callers here give 64 KiB.
            return Err(std::io::Error::other("decode buffer too small"));
        }
        loop {
            if self.done {
                return Ok(0);
            }
            if self.eof {
                let (res, _, written, _) = self.decoder.decode_to_utf8(&[], out, true);
                self.done = res == encoding_rs::CoderResult::InputEmpty;
                return Ok(written);
            }
            let raw = self.inner.fill_buf()?;
            if raw.is_empty() {
                self.eof = true;
                continue;
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(raw, out, false);
            self.inner.consume(read);
            if written > 0 {
                return Ok(written);
            }
        }
    }
}
