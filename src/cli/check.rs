//! `reglament check`.

use super::{CheckArgs, FailOn, Output, ReportFormat as Format, catalog};
use crate::Error;
use crate::calendar::Calendar;
use crate::check::{AsOf, Mode, Options};
use crate::log::Reader;
use crate::report;
use crate::rules::model::Severity;
use std::io::BufReader;

pub fn run(args: CheckArgs) -> Result<u8, Error> {
    match args.jobs {
        None => check(args),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Usage(format!("--jobs {n}: {e}")))?
            .install(|| check(args)),
    }
}

/// The whole check, on the current rayon pool: reading and replay both use it.
fn check(args: CheckArgs) -> Result<u8, Error> {
    let catalog = catalog(&args.rules)?;
    let calendar = Calendar::kazakhstan()?;
    let as_of = args.as_of.as_deref().map(parse_as_of).transpose()?;

    if args.stream && args.format == Format::Html {
        return Err(Error::Usage(
            "--stream: the HTML report needs every case's events; use --format text, json or csv"
                .into(),
        ));
    }
    let mode = if args.jobs == Some(1) {
        Mode::Sequential
    } else {
        Mode::Parallel
    };
    let options = Options { mode, as_of };
    let read = |on_block: &mut dyn FnMut(&mut crate::log::Log)| {
        let mut reader = Reader::new(&catalog).with_max_rejected_shown(args.max_rejected_shown);
        if args.logs.is_empty() {
            for (name, text) in crate::rules::load::bundled_logs() {
                let _ = reader.read_blocks(name, text.as_bytes(), on_block);
            }
        }
        // A file that cannot be read does not stop the others: it is listed in the report,
        // and the run exits with code 2 because the job was not done in full.
        for path in &args.logs {
            let name = path.display().to_string();
            if let Err(e) = read_log(&mut reader, path, &name, on_block) {
                reader.unreadable(&name, e.to_string());
            }
        }
        reader.finish()
    };
    let (report, cases) = if args.stream {
        let report = crate::check::run_stream(&catalog, &calendar, &options, read);
        (report, None)
    } else {
        let log = read(&mut |_| {});
        // The HTML report needs per-case facts (provider, finished, events) the replay
        // does not keep; they are read from the log before the replay takes it.
        let cases =
            (args.format == Format::Html).then(|| report::summary::Cases::from_log(&log, &catalog));
        (crate::check::run(&catalog, &calendar, log, &options), cases)
    };

    Output::open(args.out.as_deref())?.write_with(|out| match args.format {
        Format::Json => report::json::write(&report, out),
        Format::Text => report::text::write(&report, out),
        Format::Csv => report::csv::write(&report, out),
        Format::Html => {
            let cases = cases.unwrap_or_default();
            report::html::write_report(&report, &cases, &calendar, out)
        }
    })?;
    let failing = match args.fail_on {
        FailOn::Norm => report.has_violations(),
        FailOn::Hard => report
            .violations
            .iter()
            .any(|v| v.severity == Severity::Hard),
    };
    if !report.unreadable.is_empty() {
        for u in &report.unreadable {
            eprintln!("reglament: {}: {}", u.file, u.reason);
        }
        return Ok(2);
    }
    Ok(u8::from(failing))
}

/// Reads one log: `-` is standard input, `.gz` is decompressed as it is read.
/// Each block read is handed to `on_block` (the streaming replay; a no-op otherwise).
fn read_log(
    reader: &mut Reader,
    path: &std::path::Path,
    name: &str,
    on_block: &mut dyn FnMut(&mut crate::log::Log),
) -> std::io::Result<()> {
    if name == "-" {
        return reader.read_blocks("<stdin>", std::io::stdin().lock(), on_block);
    }
    let f = BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    if path.extension().is_some_and(|e| e == "gz") {
        let gz = BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(f));
        reader.read_blocks(name, gz, on_block)
    } else {
        reader.read_blocks(name, f, on_block)
    }
}

/// `--as-of`: RFC 3339, or a date (its start, UTC), labelled as the report shows it, in
/// the offset it was given in.
pub(super) fn parse_as_of(s: &str) -> Result<AsOf, Error> {
    let t = chrono::DateTime::parse_from_rfc3339(s).ok().or_else(|| {
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        Some(d.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset())
    });
    match t {
        Some(t) => Ok(AsOf {
            at: t.timestamp_millis(),
            label: t.to_rfc3339(),
        }),
        None => Err(Error::Usage(format!(
            "--as-of: {s:?} is not an RFC 3339 time (2016-06-30T18:00:00+06:00) or a date (2016-06-30)"
        ))),
    }
}
