//! What a file that is no text log looks like, told from its first bytes.
//!
//! A workbook, a PDF or an archive read as JSON Lines or CSV would turn into a heap of
//! rejected "lines" of binary noise, and the person would learn nothing from them. Before
//! a text format is read, its first bytes are compared with the signatures of the binary
//! files an inspector is likely to be handed; a match makes the file unreadable with one
//! sentence that says what it looks like and what to do. Only exact signatures are
//! matched, so a text log with stray control bytes is still read, and rejected record by
//! record.

use super::InputFormat;

/// Bytes looked at.
pub const HEAD: usize = 8;

/// A kind of binary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    /// `PK\3\4`: an `.xlsx`, `.ods`, `.docx` or any zip archive.
    Zip,
    /// The OLE compound file of `.xls` and `.doc`.
    Ole,
    Pdf,
    Gzip,
    SevenZip,
    Rar,
    Png,
    Jpeg,
    /// A UTF-16 byte order mark: Excel's "Unicode text" export.
    Utf16,
}

/// The binary kind of a file starting with `head`, if it is one of [`Binary`].
pub fn binary(head: &[u8]) -> Option<Binary> {
    const SIGNATURES: [(&[u8], Binary); 10] = [
        (b"PK\x03\x04", Binary::Zip),
        (b"PK\x05\x06", Binary::Zip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Binary::Ole),
        (b"%PDF-", Binary::Pdf),
        (b"\x1F\x8B", Binary::Gzip),
        (b"7z\xBC\xAF\x27\x1C", Binary::SevenZip),
        (b"Rar!\x1A\x07", Binary::Rar),
        (b"\x89PNG\r\n\x1A\n", Binary::Png),
        (b"\xFF\xD8\xFF", Binary::Jpeg),
        (b"\xFF\xFE", Binary::Utf16),
    ];
    if head.starts_with(b"\xFE\xFF") {
        return Some(Binary::Utf16);
    }
    SIGNATURES
        .iter()
        .find(|(sig, _)| head.starts_with(sig))
        .map(|&(_, kind)| kind)
}

/// The sentence for a file of kind `kind` that was to be read as `format`;
/// `gzipped`: it came out of a `.gz`.
#[cold]
pub fn explain(kind: Binary, format: InputFormat, gzipped: bool) -> String {
    let what = match format {
        InputFormat::Jsonl => "a JSON Lines log",
        InputFormat::Csv => "a CSV log",
        InputFormat::Xes => "an XES log",
        InputFormat::Workbook => "a workbook",
    };
    let looks = match kind {
        Binary::Zip => {
            "a zip archive (an Excel .xlsx or LibreOffice .ods workbook, or another zip)"
        }
        Binary::Ole => "an OLE compound file (an Excel 97-2003 .xls workbook, or a Word .doc)",
        Binary::Pdf => "a PDF document",
        Binary::Gzip => "gzip-compressed data",
        Binary::SevenZip => "a 7-Zip archive",
        Binary::Rar => "a RAR archive",
        Binary::Png => "a PNG image",
        Binary::Jpeg => "a JPEG image",
        Binary::Utf16 => "UTF-16 text (Excel's \"Unicode text\" export)",
    };
    let todo = match kind {
        Binary::Zip | Binary::Ole => {
            "if it is a workbook, give it its extension (.xlsx, .xls, .ods) or pass --input-format workbook"
        }
        Binary::Gzip if gzipped => "decompress it until a log comes out, and read that",
        Binary::Gzip => "name it with a .gz ending, so that it is decompressed as it is read",
        Binary::Pdf | Binary::Png | Binary::Jpeg => {
            "a log cannot be read from it: ask the provider for the export as CSV, a workbook, XES or JSON Lines"
        }
        Binary::SevenZip | Binary::Rar => "extract the log from it and read that",
        Binary::Utf16 => "save it as CSV UTF-8, or pass --encoding utf-16le",
    };
    if gzipped {
        format!("this .gz file holds what looks like {looks}, not {what}: {todo}")
    } else {
        format!("this looks like {looks}, not {what}: {todo}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_told_apart_and_text_is_not_binary() {
        assert_eq!(binary(b"PK\x03\x04\x14\0"), Some(Binary::Zip));
        assert_eq!(
            binary(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            Some(Binary::Ole)
        );
        assert_eq!(binary(b"%PDF-1.7"), Some(Binary::Pdf));
        assert_eq!(binary(b"\x1F\x8B\x08"), Some(Binary::Gzip));
        assert_eq!(binary(b"\xFF\xFEc\0"), Some(Binary::Utf16));
        assert_eq!(binary(b"{\"case\":1}"), None);
        assert_eq!(binary(b"\xEF\xBB\xBFcase;step"), None);
        assert_eq!(binary(b"PK"), None);
        assert_eq!(binary(b""), None);
    }

    #[test]
    fn the_sentence_says_what_it_is_and_what_to_do() {
        let s = explain(Binary::Zip, InputFormat::Jsonl, false);
        assert!(
            s.contains("zip archive") && s.contains("--input-format workbook"),
            "{s}"
        );
        let s = explain(Binary::Pdf, InputFormat::Csv, true);
        assert!(
            s.starts_with("this .gz file holds what looks like a PDF document, not a CSV log: "),
            "{s}"
        );
    }
}
