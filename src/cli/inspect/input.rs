//! Opening a log for `check` and `inspect`: a file, standard input or a `.gz`, and a
//! binary file that is not the format it is read as refused before a line is read.

use crate::log::formats::{self, InputFormat};
use std::io::BufRead;
use std::path::Path;

/// Opens `path` (`-`: standard input; `.gz`: decompressed) and hands it to `f`. The
/// input may be read on a thread of its own ([`crate::log::prefetch`]), hence `Send`.
/// A binary file that is not of `format` ([`formats::sniff`]) is unreadable, with what it
/// looks like and what to do.
pub(super) fn with_input<T>(
    path: &Path,
    format: InputFormat,
    f: impl FnOnce(&mut (dyn BufRead + Send)) -> Result<T, formats::FormatError>,
) -> Result<T, formats::FormatError> {
    if path.as_os_str() == "-" {
        let mut stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
        not_binary(&mut stdin, format, false)?;
        return f(&mut stdin);
    }
    let mut file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    if path.extension().is_some_and(|e| e == "gz") {
        let gz = flate2::bufread::MultiGzDecoder::new(file);
        let mut gz = std::io::BufReader::with_capacity(1 << 16, gz);
        not_binary(&mut gz, format, true)?;
        f(&mut gz)
    } else {
        not_binary(&mut file, format, false)?;
        f(&mut file)
    }
}

/// Refuses a binary file ([`formats::sniff::binary`]) that is to be read as text.
fn not_binary(
    input: &mut impl BufRead,
    format: InputFormat,
    gzipped: bool,
) -> Result<(), formats::FormatError> {
    if format == InputFormat::Workbook {
        return Ok(());
    }
    let head = input.fill_buf()?;
    let head = head.get(..formats::sniff::HEAD).unwrap_or(head);
    match formats::sniff::binary(head) {
        Some(kind) => Err(formats::FormatError::Unreadable(formats::sniff::explain(
            kind, format, gzipped,
        ))),
        None => Ok(()),
    }
}
