//! The command line: the only place that prints, reads files named on it, or exits.

pub mod calendar;
mod check;
mod generate;
mod history;
mod inspect;
mod rules;
mod state;

use crate::Error;
use crate::error::STDOUT;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replays event logs of Kazakhstan state services against the rule sets of their
/// regulations and reports every violation with the paragraph it breaks.
#[derive(Debug, Parser)]
#[command(name = "reglament", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Formats of `calendar`, `rules list` and `rules show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a person to read.
    Text,
    /// For programs (`calendar`: one JSON object per line and date).
    Json,
}

/// `--rules DIR`, shared by every command that reads rule sets.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RulesArg {
    /// Directory of rule sets to use instead of the bundled ones (templates in DIR/templates/).
    #[arg(long = "rules", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `--format text|json`, shared by `calendar`, `rules list` and `rules show`; each
/// command has its own default.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct FormatArg {
    /// Output format (default: text for `calendar` and `rules list`, json for `rules show`).
    #[arg(long = "format", value_enum)]
    pub format: Option<Format>,
}

impl FormatArg {
    fn or(self, default: Format) -> Format {
        self.format.unwrap_or(default)
    }
}

/// Formats of the `check` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Grouped by case, for a person to read.
    Text,
    /// `{"summary", "violations", "rejected", "warnings"}`.
    Json,
    /// One row per violation.
    Csv,
    /// One self-contained page: summary, compliance rates, root causes, charts,
    /// a filterable table and case timelines.
    Html,
}

/// Which findings make `check` exit with code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any violation, target times (norm) included.
    Norm,
    /// Only violations of legal deadlines and rules (hard).
    Hard,
    /// Only findings new since the last run (with --state).
    New,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check event logs (JSON Lines, CSV, XES, Excel or LibreOffice workbooks) against the rule sets; with no LOG, the bundled logs/.
    Check(CheckArgs),
    /// Validate, list or show rule sets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Generate a synthetic event log (JSON Lines) with known violations: benchmarks and ground truth.
    Generate(GenerateArgs),
    /// The Kazakhstan working-day calendar: list days, compute a deadline, count working days.
    Calendar(CalendarArgs),
    /// What a log (CSV, XES, JSON Lines) holds: columns, services, activities, time formats;
    /// with --map, what is still unmapped and the closest steps.
    Inspect(inspect::InspectArgs),
    /// The runs recorded in a nightly state (check --state): one row per run.
    History(history::HistoryArgs),
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CalendarArgs {
    #[command(subcommand)]
    pub command: Option<CalendarCommand>,
    /// First date to list (default: the first date of the calendar data).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last date to list (default: the last date of the calendar data).
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// The last day of a term of N working days starting at DATE (the starting day is not counted).
    Deadline {
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        working_days: u32,
    },
    /// Working days d with FROM < d <= TO.
    Count {
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
    },
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Rule set ids to generate cases for; default: every bundled rule set.
    pub services: Vec<String>,
    /// Cases per rule set.
    #[arg(long, default_value_t = 1000)]
    pub cases: usize,
    /// Random seed: the same seed gives the same log.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of cases (0 to 1) with exactly one injected fault; 0 gives a log on which
    /// `check` finds nothing.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub faults: f64,
    /// Write what was injected to FILE (JSON Lines: case, service, kind, step, fault,
    /// limit or ground), one line per finding `check` must report.
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
    /// The `--as-of` the log will be checked at: open cases overdue at that moment are
    /// injected as faults too (RFC 3339, or a date meaning its start in UTC).
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Event logs to check (JSON Lines, or CSV, XES and workbooks (.xlsx, .xls, .ods) by extension; `.gz` files are decompressed);
    /// `-` reads standard input. A closed standard input (`< /dev/null`) is an empty log:
    /// a warning in the report, not an error. A FIFO (named pipe) is read until its
    /// writer closes it, and blocks until a writer opens it: with no writer, the run
    /// waits forever, as any reader of a FIFO does.
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output (atomically: a failed run
    /// leaves the previous FILE as it was).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit with code 1 on any violation (`norm`) or only on hard ones (`hard`).
    #[arg(long, value_enum, default_value = "norm")]
    pub fail_on: FailOn,
    /// Exit with code 2 when any line was rejected. Without it rejected lines are
    /// listed and counted but do not change the exit code, unless no event at all was
    /// accepted from a non-empty input (always exit 2).
    #[arg(long)]
    pub fail_on_rejected: bool,
    /// Exit with code 2 (the job was not done in full) when any case was not judged: it
    /// began on a day for which no edition of its service is encoded. Without it such
    /// cases are listed and counted but do not change the exit code.
    #[arg(long)]
    pub fail_on_unjudged: bool,
    /// Worker threads for reading and replay (default: one per core; 1: sequential;
    /// at most 8 per core, more is refused).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Judge open cases at this moment (RFC 3339, or a date meaning its start in UTC).
    /// Without it, open cases are counted but not judged.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// With --as-of: list open cases whose next deadline is within N working days as
    /// due soon (apart from violations; the exit code does not change).
    #[arg(long, value_name = "N", default_value_t = crate::engine::DEFAULT_DUE_WITHIN)]
    pub due_within: u32,
    /// List at most N rejected records in full; the rest are counted by reason.
    #[arg(long, value_name = "N", default_value_t = crate::log::account::MAX_SHOWN)]
    pub max_rejected_shown: usize,
    #[command(flatten)]
    pub input: inspect::InputArgs,
    #[command(flatten)]
    pub lang: LangArg,
    /// No progress bar on standard error, even when it is a terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Input in time order: replay each case as soon as it ends for good and drop it, in
    /// memory proportional to the open cases. An event older than the latest time its file
    /// reached, or a lone one over 31 days ahead, is rejected (out_of_order), not reordered;
    /// over 5 % so rejected exits 2. Several files are replayed at the end (as in memory).
    /// Not with --format html.
    #[arg(long)]
    pub stream: bool,
    /// Whose records the logs hold, comma-separated: applicant, portal,
    /// state_corporation, provider, state_system (default: the mapping's `records`, else
    /// all). Order is judged only over the steps they write: a provider's export that
    /// starts at its registration of a portal request is complete with `--records provider`.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub records: Option<Vec<String>>,
    /// Nightly runs: keep the open cases and the findings in this SQLite file (created on
    /// first use) and carry them to the next run; the report says what changed since the
    /// last run. Needs --as-of; see docs/state.md.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// With --state: wait up to N seconds for another run on the same state to finish,
    /// then give up (exit code 2).
    #[arg(long, value_name = "SECONDS", default_value_t = crate::state::DEFAULT_WAIT.as_secs())]
    pub state_wait: u64,
}

/// `--lang kk|ru|en`: the language of every message, label and heading of a report.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct LangArg {
    /// Language of the report (default: from LC_ALL or LANG: kk for kk_*, ru for ru_*,
    /// else en). Codes (kinds, severities, CSV headers, JSON keys) stay the same.
    #[arg(long = "lang", value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
}

impl LangArg {
    /// The language asked for, else the one of the locale (`LC_ALL`, then `LANG`; the
    /// first that is set and not empty decides, as POSIX orders them).
    pub fn resolve(self) -> crate::i18n::Lang {
        self.lang.unwrap_or_else(|| {
            let locale = ["LC_ALL", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            crate::i18n::Lang::from_locale(&locale)
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate every rule set of DIR (default: the bundled rules) against rules/schema.json.
    Validate {
        /// Directory of rule sets; default: the bundled ones.
        dir: Option<PathBuf>,
    },
    /// List rule sets with their region, validity period and step counts.
    List {
        #[command(flatten)]
        rules: RulesArg,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Show one rule set as the engine sees it, templates resolved.
    Show {
        /// Rule set id.
        id: String,
        #[command(flatten)]
        rules: RulesArg,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Draw the process graph of a rule set: channels, steps with their paragraphs and
    /// limits, branches, end steps and terms (Graphviz dot or Mermaid).
    Graph {
        /// Rule set id.
        id: String,
        #[command(flatten)]
        rules: RulesArg,
        /// Graph format.
        #[arg(long, value_enum, default_value = "dot")]
        format: crate::report::graph::GraphFormat,
        #[command(flatten)]
        lang: LangArg,
    },
}

/// Runs the command line; the result is the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Generate(args) => generate::run(args),
        Command::Calendar(args) => calendar::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::History(args) => history::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("reglament: {e}");
            2
        }
    }
}

/// Where a command's output goes: `--out FILE` or standard output, with the name its
/// errors cite. The one place that opens an output.
///
/// `--out FILE` is written atomically: into a temporary file in the same folder, renamed
/// over FILE only once everything was written and flushed. A run that fails or is killed
/// halfway leaves the last good report where it was (and no temporary file, unless it
/// was killed).
pub struct Output {
    name: String,
    writer: Box<dyn Write>,
    pending: Option<Pending>,
}

/// A `--out` file being written: the temporary file, and the file it becomes.
struct Pending {
    temp: PathBuf,
    path: PathBuf,
    /// A second handle on the temporary file, to sync it to disk before the rename.
    file: std::fs::File,
    /// Renamed into place: nothing left to remove.
    committed: bool,
}

impl Drop for Pending {
    /// A report that was not finished is removed, never left beside the good one. An
    /// error removing it changes nothing about the run, so it is ignored.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The temporary file for `path`: hidden, in the same folder (a rename across file
/// systems would not be atomic), named after the file and this process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = format!(".{name}.{}.tmp", std::process::id());
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

impl Output {
    /// `--out FILE`, or standard output when `None`.
    pub fn open(path: Option<&Path>) -> Result<Output, Error> {
        match path {
            None => Ok(Output::stdout()),
            Some(given) => {
                let name = given.display().to_string();
                // A symlink is followed: the file it points to gets the report, the link
                // stays. Something that is not a regular file (a device such as
                // /dev/null, a FIFO) is written in place: renaming over it would replace
                // it with a regular file.
                let resolved = std::fs::canonicalize(given).ok();
                if let Some(r) = &resolved
                    && std::fs::metadata(r).is_ok_and(|m| !m.is_file())
                {
                    let f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(r)
                        .map_err(Error::io(name.as_str()))?;
                    return Ok(Output {
                        name,
                        writer: Box::new(std::io::BufWriter::new(f)),
                        pending: None,
                    });
                }
                let p = resolved.as_deref().unwrap_or(given);
                let temp = temp_path(p);
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&temp)
                    .map_err(Error::io(name.as_str()))?;
                let file = f.try_clone().map_err(Error::io(name.as_str()))?;
                Ok(Output {
                    name,
                    writer: Box::new(std::io::BufWriter::new(f)),
                    pending: Some(Pending {
                        temp,
                        path: p.to_path_buf(),
                        file,
                        committed: false,
                    }),
                })
            }
        }
    }

    pub fn stdout() -> Output {
        Output {
            name: STDOUT.to_owned(),
            writer: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            pending: None,
        }
    }

    /// The writer itself, for a second output written alongside another (the generator's
    /// truth file); flush it with [`Output::write_with`].
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Writes with `f`, then flushes; a `--out` file then takes the place of FILE. An
    /// I/O error names the output, and leaves FILE as it was.
    pub fn write_with(
        &mut self,
        f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        f(&mut self.writer)
            .and_then(|()| self.writer.flush())
            .and_then(|()| self.commit())
            .map_err(Error::io(self.name.as_str()))
    }

    /// Syncs the temporary file and renames it over the `--out` file.
    fn commit(&mut self) -> std::io::Result<()> {
        let Some(p) = &mut self.pending else {
            return Ok(());
        };
        if p.committed {
            return Ok(());
        }
        p.file.sync_all()?;
        std::fs::rename(&p.temp, &p.path)?;
        p.committed = true;
        Ok(())
    }
}

/// Refuses `--out FILE` when FILE is one of the inputs (the same file by device and
/// inode, whatever path names it; `-` is standard input): the report would replace the
/// evidence it was made from. Only a regular file is compared: writing to a device such
/// as `/dev/null` destroys nothing.
pub(crate) fn refuse_out_over_input(out: Option<&Path>, inputs: &[PathBuf]) -> Result<(), Error> {
    let Some(out) = out else {
        return Ok(());
    };
    let Ok(target) = std::fs::metadata(out) else {
        return Ok(()); // not there yet: it cannot be an input
    };
    if !target.is_file() {
        return Ok(());
    }
    for input in inputs {
        let meta = if input.as_os_str() == "-" {
            std::fs::metadata("/dev/stdin")
        } else {
            std::fs::metadata(input)
        };
        if meta.is_ok_and(|m| same_file(&m, &target)) {
            return Err(Error::Usage(format!(
                "--out {}: is the input {}; the report would replace the log it checks",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len()
        && a.modified().ok() == b.modified().ok()
        && a.created().ok() == b.created().ok()
}

/// Loads and compiles the rule sets (bundled, or `--rules DIR`).
pub(crate) fn catalog(rules: &RulesArg) -> Result<crate::rules::Catalog, Error> {
    use crate::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().map_err(Error::BundledSchema)?;
    let source = match &rules.dir {
        Some(d) => RulesSource::Dir(d.clone()),
        None => RulesSource::Bundled,
    };
    let bundle = load::load(&source, &schema).map_err(Error::Rules)?;
    Catalog::compile(bundle).map_err(Error::Rules)
}
