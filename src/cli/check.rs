//! `reglament check`.

use super::{CheckArgs, FailOn, Output, ReportFormat as Format, catalog};
use crate::Error;
use crate::calendar::Calendar;
use crate::check::{AsOf, Mode, Options};
use crate::log::Reader;
use crate::report;
use crate::rules::model::Severity;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// `--jobs` past this many threads per core is refused: more threads than that only cost
/// time to create (100,000 took minutes) and cannot make the run faster.
pub const JOBS_PER_CORE: usize = 8;

pub fn run(args: CheckArgs) -> Result<u8, Error> {
    match args.jobs {
        None => check(args),
        Some(n) => {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            check_jobs(n, cores)?;
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Usage(format!("--jobs {n}: {e}")))?
                .install(|| check(args))
        }
    }
}

/// `--jobs N` on a machine of `cores` cores: 1 to [`JOBS_PER_CORE`] per core.
fn check_jobs(n: usize, cores: usize) -> Result<(), Error> {
    let max = cores.saturating_mul(JOBS_PER_CORE);
    if (1..=max).contains(&n) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--jobs {n}: expected 1 to {max} ({JOBS_PER_CORE} per core, {cores} core(s) here)"
        )))
    }
}

/// The whole check, on the current rayon pool: reading and replay both use it.
fn check(args: CheckArgs) -> Result<u8, Error> {
    super::refuse_out_over_input(args.out.as_deref(), &args.logs)?;
    let catalog = catalog(&args.rules)?;
    let calendar = Calendar::kazakhstan()?;
    let as_of = (args.as_of.as_deref().map(parse_as_of).transpose()?).map(|a| AsOf {
        due_within: args.due_within,
        ..a
    });
    let input = args.input.options(&catalog)?;
    // Whose records the logs hold: `--records`, else the mapping's, else every recorder's.
    let records = match (
        &args.records,
        input.mapping.as_ref().and_then(|m| m.records),
    ) {
        (Some(list), _) => crate::rules::recorder::Recorders::parse(list)
            .map_err(|e| Error::Usage(format!("--records: {e}")))?,
        (None, Some(r)) => r,
        (None, None) => crate::rules::recorder::Recorders::ALL,
    };
    if args.logs.len() > crate::log::MAX_FILES {
        return Err(Error::Usage(format!(
            "{} logs given; one run reads at most {}: check them in several runs",
            args.logs.len(),
            crate::log::MAX_FILES
        )));
    }
    if let Some(path) = &args.state {
        return super::state::check(&args, path, &catalog, &calendar, as_of, &input);
    }
    if args.fail_on == FailOn::New {
        return Err(Error::Usage(
            "--fail-on new: needs --state (new since the last run on that state)".into(),
        ));
    }

    if args.stream && args.format == Format::Html {
        return Err(Error::Usage(
            "--stream: the HTML report needs every case's events; use --format text, json or csv"
                .into(),
        ));
    }
    let progress = progress(&args);
    let mode = if args.jobs == Some(1) {
        Mode::Sequential
    } else {
        Mode::Parallel
    };
    let options = Options { mode, as_of };
    let read = |on_block: &mut (dyn FnMut(&mut crate::log::Log) + Send)| {
        let mut reader = Reader::new(&catalog)
            .with_max_rejected_shown(args.max_rejected_shown)
            .with_records(records);
        if args.logs.is_empty() {
            for (name, text) in crate::rules::load::bundled_logs() {
                let _ = reader.read_blocks(name, text.as_bytes(), on_block);
            }
        }
        // A file that cannot be read does not stop the others: it is listed in the report,
        // and the run exits with code 2 because the job was not done in full.
        for path in &args.logs {
            let name = path.display().to_string();
            progress.set_message(name.clone());
            let read = super::inspect::read_log_blocks(&mut reader, path, &name, &input, on_block);
            if let Err(e) = read {
                reader.unreadable(&name, e.to_string());
            }
            progress.inc(1);
        }
        progress.set_message("replay");
        reader.finish()
    };
    let (report, cases) = if args.stream {
        let files = if args.logs.is_empty() {
            crate::rules::load::bundled_logs().len()
        } else {
            args.logs.len()
        };
        let report = crate::check::run_stream_of(&catalog, &calendar, &options, files, read);
        (report, None)
    } else {
        let log = read(&mut |_| {});
        // The HTML report needs per-case facts (provider, finished, events) the replay
        // does not keep; they are read from the log before the replay takes it.
        let cases =
            (args.format == Format::Html).then(|| report::summary::Cases::from_log(&log, &catalog));
        (crate::check::run(&catalog, &calendar, log, &options), cases)
    };
    progress.finish_and_clear();
    let lang = crate::i18n::Catalog::new(args.lang.resolve());

    // Messages on standard error come first and the exit code is settled whatever
    // happens to the report: a reader that closes the pipe early (`| head`) stops only
    // the writing.
    let code = exit_code(&report, &args);
    let written = Output::open(args.out.as_deref()).and_then(|mut out| {
        out.write_with(|out| match args.format {
            Format::Json => report::json::write(&report, &lang, out),
            Format::Text => report::text::write(&report, &lang, out),
            Format::Csv => report::csv::write(&report, &lang, out),
            Format::Html => {
                let cases = cases.unwrap_or_default();
                report::html::write_report(&report, &cases, &calendar, &lang, out)
            }
        })
    });
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        _ => Ok(code),
    }
}

/// The progress bar of a run: the log files read (the one being read named), then a
/// spinner while the cases are replayed. Drawn on standard error only when it is a
/// terminal and `--quiet` is not given; otherwise hidden (nothing is written).
pub(super) fn progress(args: &CheckArgs) -> ProgressBar {
    if args.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let files = u64::try_from(args.logs.len()).unwrap_or(u64::MAX);
    let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar =
        ProgressBar::with_draw_target(Some(files), ProgressDrawTarget::stderr()).with_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The exit code of a finished check, with the reason for a 2 on standard error: 2 when
/// a file could not be read, when no event was accepted from a non-empty input (a CSV
/// file given as JSON Lines must not pass as "no violations"), when `--stream` rejected
/// more than [`crate::check::order::MAX_OUT_OF_ORDER_PERCENT`] % of the records as out of
/// order (one far-future line must not switch the check off), or, with
/// `--fail-on-rejected`, when any line was rejected, or, with `--fail-on-unjudged`, when
/// any case was not judged (no edition encoded for its first day); else 1 for failing
/// violations.
pub(super) fn exit_code(report: &report::Report, args: &CheckArgs) -> u8 {
    let s = &report.summary;
    let mut code = 0;
    for u in &report.unreadable {
        eprintln!("reglament: {}: {}", u.file, u.reason);
        code = 2;
    }
    // With --state, a night given again is all duplicates: read, not rejected as unusable.
    let duplicates = (s.rejected_by_reason.get(&crate::log::Reason::Duplicate)).map_or(0, |n| *n);
    if s.lines > duplicates && s.events == 0 {
        eprintln!(
            "reglament: no event accepted: all {} line(s) read were rejected (see the report's rejected records)",
            s.lines
        );
        code = 2;
    } else if args.stream && crate::check::order::too_disordered(s.lines, out_of_order(s)) {
        eprintln!(
            "reglament: --stream rejected {} of {} record(s) as out of order, more than {} %: the input is not in time order, and most of it was not checked (sort it, or check without --stream)",
            out_of_order(s),
            s.lines,
            crate::check::order::MAX_OUT_OF_ORDER_PERCENT
        );
        code = 2;
    } else if args.fail_on_rejected && s.rejected > 0 {
        eprintln!(
            "reglament: {} of {} line(s) rejected (--fail-on-rejected)",
            s.rejected, s.lines
        );
        code = 2;
    }
    if args.fail_on_unjudged && s.cases_not_judged > 0 {
        eprintln!(
            "reglament: {} case(s) not judged: no edition of their service is encoded for the day they began (--fail-on-unjudged)",
            s.cases_not_judged
        );
        code = 2;
    }
    if code == 2 {
        return 2;
    }
    let failing = match args.fail_on {
        FailOn::Norm => report.has_violations(),
        FailOn::Hard => (report.violations.iter())
            .any(|v| v.severity == Severity::Hard && !v.evidence_incomplete),
        FailOn::New => (report.since.as_ref())
            .is_some_and(|s| s.statuses.contains(&report::since::Status::New)),
    };
    u8::from(failing)
}

/// The records a run rejected as out of order (`--stream`).
fn out_of_order(s: &report::Summary) -> u64 {
    let code = crate::log::account::Reason::OutOfOrder;
    s.rejected_by_reason.get(&code).copied().unwrap_or(0)
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
            due_within: crate::engine::DEFAULT_DUE_WITHIN,
        }),
        None => Err(Error::Usage(format!(
            "--as-of: {s:?} is not an RFC 3339 time (2016-06-30T18:00:00+06:00) or a date (2016-06-30)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::check_jobs;

    /// The cap follows the machine: 8 threads per core, whatever this machine has.
    #[test]
    fn jobs_are_capped_at_8_per_core() {
        assert!(check_jobs(1, 1).is_ok());
        assert!(check_jobs(16, 2).is_ok());
        let e = check_jobs(17, 2).unwrap_err().to_string();
        assert_eq!(
            e,
            "--jobs 17: expected 1 to 16 (8 per core, 2 core(s) here)"
        );
        assert!(check_jobs(0, 2).is_err());
        assert!(check_jobs(usize::MAX, usize::MAX).is_ok(), "no overflow");
    }
}
