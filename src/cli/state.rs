//! `reglament check --state FILE`: a nightly run on a state (see `crate::state`).

use super::{CheckArgs, Output, ReportFormat as Format};
use crate::Error;
use crate::calendar::Calendar;
use crate::check::{AsOf, Mode, Options};
use crate::log::Reader;
use crate::log::formats::Options as InputOptions;
use crate::report;
use crate::rules::Catalog;
use crate::state::night::{self, Input};
use crate::state::{Store, history::hex};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// Runs one night: takes the state's lock first (a second run waits, up to
/// `--state-wait`), reads tonight's logs, replays, writes the report, and only then makes
/// the run's changes the state: a run that fails or is killed before that changes nothing.
pub(super) fn check(
    args: &CheckArgs,
    path: &Path,
    catalog: &Catalog,
    calendar: &Calendar,
    as_of: Option<AsOf>,
    input: &InputOptions,
) -> Result<u8, Error> {
    let Some(as_of) = as_of else {
        return Err(Error::Usage(
            "--state: needs --as-of, the moment open cases are judged at (a nightly job passes it: there is no hidden clock)".into(),
        ));
    };
    if args.format == Format::Html {
        return Err(Error::Usage(
            "--state: the HTML report is not available with --state; use --format text, json or csv".into(),
        ));
    }
    if args.logs.is_empty() {
        return Err(Error::Usage(
            "--state: name tonight's log files (the bundled sample logs are not read into a state)"
                .into(),
        ));
    }
    let store = Store::open(path, Duration::from_secs(args.state_wait))?;
    let progress = super::check::progress(args);
    let mut reader = Reader::new(catalog).with_max_rejected_shown(args.max_rejected_shown);
    let mut inputs = Vec::with_capacity(args.logs.len());
    for p in &args.logs {
        let name = p.display().to_string();
        progress.set_message(name.clone());
        let read = super::inspect::read_log_blocks(&mut reader, p, &name, input, &mut |_| {});
        if let Err(e) = read {
            reader.unreadable(&name, e.to_string());
        }
        inputs.push(describe(p, name));
        progress.inc(1);
    }
    progress.set_message("replay");
    let mode = if args.jobs == Some(1) {
        Mode::Sequential
    } else {
        Mode::Parallel
    };
    let options = Options {
        mode,
        as_of: Some(as_of),
    };
    let report = night::run(
        &store,
        catalog,
        calendar,
        &options,
        reader.finish(),
        &inputs,
    )?;
    progress.finish_and_clear();
    let lang = crate::i18n::Catalog::new(args.lang.resolve());
    let code = super::check::exit_code(&report, args);
    let written = Output::open(args.out.as_deref()).and_then(|mut out| {
        out.write_with(|out| match args.format {
            Format::Json => report::json::write(&report, &lang, out),
            Format::Csv => report::csv::write(&report, &lang, out),
            Format::Text | Format::Html => report::text::write(&report, &lang, out),
        })
    });
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        // A file could not be read, or nothing was accepted (exit code 2): the report is
        // written but the run is not recorded, so the next run, given the whole input
        // again, is not told that these events were read.
        _ if code == 2 => Ok(2),
        _ => {
            store.commit()?;
            Ok(code)
        }
    }
}

/// A log file as the run's record lists it: its name, size and SHA-256 (none for
/// standard input, a FIFO, or a file that cannot be read again).
fn describe(path: &Path, name: String) -> Input {
    if path.as_os_str() == "-" {
        return Input {
            name: "<stdin>".into(),
            size: None,
            sha256: None,
        };
    }
    // Only a regular file is read a second time: a FIFO or a device would not give its
    // bytes again (and a FIFO with no writer would block).
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Input {
            name,
            size: None,
            sha256: None,
        };
    }
    let hashed = std::fs::File::open(path).and_then(|mut f| {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            h.update(buf.get(..n).unwrap_or_default());
        }
        Ok((size, h.finalize()))
    });
    match hashed {
        Ok((size, digest)) => Input {
            name,
            size: Some(size),
            sha256: Some(hex(&digest)),
        },
        Err(_) => Input {
            name,
            size: None,
            sha256: None,
        },
    }
}
