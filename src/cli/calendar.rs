//! `reglament calendar [deadline | count]`.

use super::{CalendarArgs, CalendarCommand, Format, output};
use reglament::Error;
use reglament::calendar::Calendar;
use reglament::calendar::cli::{
    CliError, DaysFormat, decree_warnings, write_count, write_days, write_deadline,
};

pub fn run(args: CalendarArgs) -> Result<u8, Error> {
    let cal = Calendar::kazakhstan()?;
    let mut out = output(None)?;
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
            if args.format == Format::Json {
                for w in decree_warnings(&cal, from, to) {
                    eprintln!("{w}");
                }
            }
            let format = if args.format == Format::Json {
                DaysFormat::Json
            } else {
                DaysFormat::Text
            };
            write_days(&cal, from, to, format, &mut out)
        }
    };
    match result {
        Ok(()) => Ok(0),
        Err(e) if e.is_broken_pipe() => Ok(0),
        Err(CliError::OutOfRange(e)) => Err(Error::Usage(e.to_string())),
        Err(CliError::Io(source)) => Err(Error::Io {
            path: "<stdout>".into(),
            source,
        }),
    }
}
