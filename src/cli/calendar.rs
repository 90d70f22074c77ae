//! `reglament calendar [deadline | count]`: every output of the working-day calendar.
//!
//! The writers take a [`Calendar`] and the parsed arguments and write to a
//! `&mut dyn Write`, so tests can render into a buffer. A closed pipe surfaces as an
//! [`Error::Io`] for which [`Error::is_broken_pipe`] holds, and the run ends quietly.

use super::{CalendarArgs, CalendarCommand, Format, Output};
use crate::Error;
use crate::calendar::{Calendar, Days};
use crate::error::STDOUT;
use crate::report::Warning;
use chrono::NaiveDate;
use serde::Serialize;
use std::io::{self, Write};

pub fn run(args: CalendarArgs) -> Result<u8, Error> {
    let cal = Calendar::kazakhstan()?;
    let mut out = Output::stdout();
    let result = match args.command {
        Some(CalendarCommand::Deadline { from, working_days }) => {
            write_deadline(&cal, from, working_days, &mut out).map(drop)
        }
        Some(CalendarCommand::Count { from, to }) => {
            write_count(&cal, from, to, &mut out).map(drop)
        }
        None => {
            let (first, last) = cal.range();
            let (from, to) = (args.from.unwrap_or(first), args.to.unwrap_or(last));
            let format = args.format.or(Format::Text);
            // JSON lines stay pure data: their warnings go to standard error.
            if format == Format::Json {
                for w in decree_warnings(&cal, from, to) {
                    eprintln!("warning: {w}");
                }
            }
            write_days(&cal, from, to, format, &mut out)
        }
    };
    match result {
        Ok(()) => Ok(0),
        Err(e) if e.is_broken_pipe() => Ok(0),
        Err(e) => Err(e),
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[derive(Serialize)]
struct DayLine<'a> {
    date: String,
    working: bool,
    reason: Option<&'a str>,
}

/// A year in `from..=to` for which the data records no day-swap decree.
///
/// Text output includes them; for JSON output the CLI prints them to stderr.
pub fn decree_warnings(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<Warning> {
    use chrono::Datelike;
    cal.years_without_decree()
        .into_iter()
        .filter(|y| (from.year()..=to.year()).contains(y))
        .map(|year| Warning::NoDecree { year })
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
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut days = cal.days(from, to)?;
    let written = match format {
        Format::Json => days.try_for_each(|day| {
            let line = DayLine {
                date: day.date.to_string(),
                working: day.working,
                reason: day.reason,
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")
        }),
        Format::Text => write_days_text(cal, from, to, days, out),
    };
    written
        .and_then(|()| out.flush())
        .map_err(Error::io(STDOUT))
}

fn write_days_text(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    days: Days<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for w in decree_warnings(cal, from, to) {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(
        out,
        "{:<10}  {:<3}  {:<7}  {:<19}  reason",
        "date", "day", "working", "kind"
    )?;
    for day in days {
        writeln!(
            out,
            "{:<10}  {:<3}  {:<7}  {:<19}  {}",
            day.date.to_string(),
            day.date.format("%a").to_string(),
            if day.working { "yes" } else { "no" },
            day.kind.code(),
            day.reason.unwrap_or("")
        )?;
    }
    Ok(())
}

/// `reglament calendar deadline --from DATE --working-days N`: prints the last day of a
/// term of `n` working days starting on `from` ([`Calendar::add_working_days`]).
pub fn write_deadline(
    cal: &Calendar,
    from: NaiveDate,
    working_days: u32,
    out: &mut dyn Write,
) -> Result<NaiveDate, Error> {
    let deadline = cal.add_working_days(from, working_days)?;
    writeln!(out, "{deadline}")
        .and_then(|()| out.flush())
        .map_err(Error::io(STDOUT))?;
    Ok(deadline)
}

/// `reglament calendar count --from DATE --to DATE`: prints the number of working days
/// `d` with `from < d <= to` ([`Calendar::working_days_between`]).
///
/// `to` before `from` is a usage error naming both dates: a count of working days is
/// never negative, and a negative number on the command line reads as a typo in a
/// script, not as a term. The library's signed count stays available to code.
pub fn write_count(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut dyn Write,
) -> Result<i64, Error> {
    if to < from {
        return Err(Error::Usage(format!(
            "calendar count: --to {to} is before --from {from}; working days d with FROM < d <= TO are counted, so TO must not be before FROM"
        )));
    }
    let n = cal.working_days_between(from, to)?;
    writeln!(out, "{n}")
        .and_then(|()| out.flush())
        .map_err(Error::io(STDOUT))?;
    Ok(n)
}
