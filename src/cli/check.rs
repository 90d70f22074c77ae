//! `reglament check`.

use super::{CheckArgs, FailOn, Output, ReportFormat as Format, catalog};
use crate::Error;
use crate::calendar::Calendar;
use crate::check::{AsOf, Mode, Options};
use crate::log::Reader;
use crate::report;
use crate::rules::model::Severity;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufReader, IsTerminal};

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

    let mut reader = Reader::new(&catalog).with_max_rejected_shown(args.max_rejected_shown);
    let progress = progress(&args);
    if args.logs.is_empty() {
        for (name, text) in crate::rules::load::bundled_logs() {
            reader.read_str(name, text);
        }
    }
    // A file that cannot be read does not stop the others: it is listed in the report,
    // and the run exits with code 2 because the job was not done in full.
    for path in &args.logs {
        let name = path.display().to_string();
        if let Err(e) = read_log(&mut reader, path, &name, &progress) {
            reader.unreadable(&name, e.to_string());
        }
    }
    let log = reader.finish();
    progress.set_message("replay");
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    // The HTML report needs per-case facts (provider, finished, events) the replay does
    // not keep; they are read from the log before the replay takes it.
    let cases =
        (args.format == Format::Html).then(|| report::summary::Cases::from_log(&log, &catalog));
    let mode = if args.jobs == Some(1) {
        Mode::Sequential
    } else {
        Mode::Parallel
    };
    let report = crate::check::run(&catalog, &calendar, log, &Options { mode, as_of });
    progress.finish_and_clear();
    let lang = crate::i18n::Catalog::new(args.lang.resolve());

    Output::open(args.out.as_deref())?.write_with(|out| match args.format {
        Format::Json => report::json::write(&report, &lang, out),
        Format::Text => report::text::write(&report, &lang, out),
        Format::Csv => report::csv::write(&report, &lang, out),
        Format::Html => {
            let cases = cases.unwrap_or_default();
            report::html::write_report(&report, &cases, &calendar, &lang, out)
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

/// The progress bar of a run: bytes of the named log files read, then a spinner while
/// the cases are replayed. Drawn on standard error only when it is a terminal and
/// `--quiet` is not given; otherwise hidden (nothing is written).
fn progress(args: &CheckArgs) -> ProgressBar {
    if args.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = (args.logs.iter())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let style = ProgressStyle::with_template(
        "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({elapsed})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar =
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style);
    bar.set_message("read");
    bar
}

/// Reads one log: `-` is standard input, `.gz` is decompressed as it is read; the
/// bytes read from the file advance `progress`.
fn read_log(
    reader: &mut Reader,
    path: &std::path::Path,
    name: &str,
    progress: &ProgressBar,
) -> std::io::Result<()> {
    if name == "-" {
        return reader.read("<stdin>", std::io::stdin().lock());
    }
    let file = progress.wrap_read(std::fs::File::open(path)?);
    let f = BufReader::with_capacity(1 << 16, file);
    if path.extension().is_some_and(|e| e == "gz") {
        let gz = BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(f));
        reader.read(name, gz)
    } else {
        reader.read(name, f)
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
