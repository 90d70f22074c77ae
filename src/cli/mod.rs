//! The command line: the only place that prints, reads files named on it, or exits.

pub mod calendar;
mod check;
mod generate;
mod rules;

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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check event logs (JSON Lines) against the rule sets; with no LOG, the bundled logs/.
    Check(CheckArgs),
    /// Validate, list or show rule sets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Generate a synthetic event log (JSON Lines) with known violations: benchmarks and ground truth.
    Generate(GenerateArgs),
    /// The Kazakhstan working-day calendar: list days, compute a deadline, count working days.
    Calendar(CalendarArgs),
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
    /// Event logs to check (JSON Lines, one event per line; `.gz` files are decompressed);
    /// `-` reads standard input.
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit with code 1 on any violation (`norm`) or only on hard ones (`hard`).
    #[arg(long, value_enum, default_value = "norm")]
    pub fail_on: FailOn,
    /// Worker threads for reading and replay (default: one per core; 1: sequential).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Judge open cases at this moment (RFC 3339, or a date meaning its start in UTC).
    /// Without it, open cases are counted but not judged.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// List at most N rejected records in full; the rest are counted by reason.
    #[arg(long, value_name = "N", default_value_t = crate::log::account::MAX_SHOWN)]
    pub max_rejected_shown: usize,
    /// Input in time order: replay each case as soon as it ends for good and drop it, in
    /// memory proportional to the open cases. An event older than the latest time seen is
    /// rejected (out_of_order), not reordered. Not with --format html.
    #[arg(long)]
    pub stream: bool,
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
}

/// Runs the command line; the result is the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Generate(args) => generate::run(args),
        Command::Calendar(args) => calendar::run(args),
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
pub struct Output {
    name: String,
    writer: Box<dyn Write>,
}

impl Output {
    /// `--out FILE`, or standard output when `None`.
    pub fn open(path: Option<&Path>) -> Result<Output, Error> {
        match path {
            None => Ok(Output::stdout()),
            Some(p) => {
                let name = p.display().to_string();
                let f = std::fs::File::create(p).map_err(Error::io(name.as_str()))?;
                Ok(Output {
                    name,
                    writer: Box::new(std::io::BufWriter::new(f)),
                })
            }
        }
    }

    pub fn stdout() -> Output {
        Output {
            name: STDOUT.to_owned(),
            writer: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        }
    }

    /// The writer itself, for a second output written alongside another (the generator's
    /// truth file); flush it with [`Output::write_with`].
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Writes with `f`, then flushes; an I/O error names the output.
    pub fn write_with(
        &mut self,
        f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        f(&mut self.writer)
            .and_then(|()| self.writer.flush())
            .map_err(Error::io(self.name.as_str()))
    }
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
