//! `--format json`: `{"summary": {...}, "violations": [...], "rejected": [...], "warnings": [...]}`.

use super::Report;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
