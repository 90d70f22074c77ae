//! Rendering for the `calendar`, `deadline` and `count` subcommands.
//!
//! Pure functions: they take a [`Calendar`] and the parsed arguments and write to a
//! `&mut dyn Write`. Argument parsing, choosing stdout or stderr and exit codes belong to
//! `src/cli/`. A closed pipe surfaces as [`CliError::Io`] with kind `BrokenPipe`
//! ([`CliError::is_broken_pipe`]) so the caller can end quietly.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::{Calendar, Day, OutOfRange};

/// Output format of `reglament calendar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DaysFormat {
    /// One JSON object per line and date: `{"date":"YYYY-MM-DD","working":bool,"reason":...}`.
    #[default]
    Json,
    /// An aligned table for people, preceded by a warning for each year without decree.
    Text,
}

/// A calendar subcommand failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A date argument is outside the calendar's data.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Io(#[from] io::Error),
}

impl CliError {
    /// Whether the reader closed the pipe: the run should end quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::Io(io::Error::from(e))
    }
}

#[derive(Serialize)]
struct DayLine<'a> {
    date: String,
    working: bool,
    reason: Option<&'a str>,
}

/// One warning line per year in `from..=to` for which the data records no day-swap decree.
///
/// Text output includes them; for JSON output the CLI prints them to stderr.
pub fn decree_warnings(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    cal.years_without_decree()
        .into_iter()
        .filter(|y| (from.year()..=to.year()).contains(y))
        .map(|y| {
            format!(
                "warning: no day-swap decree recorded for {y}: its days follow the statutory holiday rules only and may miss decreed swaps"
            )
        })
        .collect()
}

/// `reglament calendar --from FROM --to TO --format FORMAT`: every date from `from` to `to`
/// inclusive with whether it is a working day and why.
///
/// JSON: one object per line, `reason` null on an ordinary working day. Text: a table
/// `date  weekday  working  kind  reason`, after the warnings of [`decree_warnings`].
pub fn write_days(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    format: DaysFormat,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let days = cal.days(from, to)?;
    match format {
        DaysFormat::Json => {
            for day in days {
                let line = DayLine {
                    date: day.date.to_string(),
                    working: day.working,
                    reason: day.reason,
                };
                serde_json::to_writer(&mut *out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        DaysFormat::Text => {
            for w in decree_warnings(cal, from, to) {
                writeln!(out, "{w}")?;
            }
            writeln!(
                out,
                "{:<10}  {:<3}  {:<7}  {:<19}  reason",
                "date", "day", "working", "kind"
            )?;
            for day in days {
                write_text_row(&day, out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn write_text_row(day: &Day<'_>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<10}  {:<3}  {:<7}  {:<19}  {}",
        day.date.to_string(),
        day.date.format("%a").to_string(),
        if day.working { "yes" } else { "no" },
        day.kind.code(),
        day.reason.unwrap_or("")
    )
}

/// `reglament deadline --from DATE --working-days N`: prints the last day of a term of `n`
/// working days starting on `from` ([`Calendar::add_working_days`]), as `YYYY-MM-DD`.
pub fn write_deadline(
    cal: &Calendar,
    from: NaiveDate,
    working_days: u32,
    out: &mut dyn Write,
) -> Result<NaiveDate, CliError> {
    let deadline = cal.add_working_days(from, working_days)?;
    writeln!(out, "{deadline}")?;
    out.flush()?;
    Ok(deadline)
}

/// `reglament count --from DATE --to DATE`: prints the number of working days `d` with
/// `from < d <= to` ([`Calendar::working_days_between`]), negative if `to < from`.
pub fn write_count(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut dyn Write,
) -> Result<i64, CliError> {
    let n = cal.working_days_between(from, to)?;
    writeln!(out, "{n}")?;
    out.flush()?;
    Ok(n)
}
