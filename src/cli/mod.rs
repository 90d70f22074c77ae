//! The command line: the only place that prints, reads files named on it, or exits.

mod calendar;
mod check;
mod generate;
mod inspect;
mod rules;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Replays event logs of Kazakhstan state services against the rule sets of their
/// regulations and reports every violation with the paragraph it breaks.
#[derive(Debug, Parser)]
#[command(name = "reglament", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
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
    /// Generate a synthetic event log for benchmarks (JSON Lines).
    Generate(GenerateArgs),
    /// The Kazakhstan working-day calendar: list days, compute a deadline, count working days.
    Calendar(CalendarArgs),
    /// What a log (CSV, XES, JSON Lines) holds: columns, services, activities, time formats;
    /// with --map, what is still unmapped and the closest steps.
    Inspect(inspect::InspectArgs),
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
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
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
    /// About one step in N overruns its limit (0: none).
    #[arg(long, default_value_t = 20)]
    pub late_one_in: u32,
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Event logs to check (JSON Lines, or CSV and XES by extension; `.gz` files are decompressed);
    /// `-` reads standard input.
    pub logs: Vec<PathBuf>,
    /// Directory of rule sets to use instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
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
    #[command(flatten)]
    pub input: inspect::InputArgs,
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
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Show one rule set as the engine sees it, templates resolved.
    Show {
        /// Rule set id.
        id: String,
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
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
    };
    match result {
        Ok(code) => code,
        Err(reglament::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(e) => {
            eprintln!("reglament: {e}");
            2
        }
    }
}

/// Where output goes: `--out FILE` or standard output.
pub(crate) fn output(
    out: Option<&std::path::Path>,
) -> Result<Box<dyn std::io::Write>, reglament::Error> {
    match out {
        None => Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock()))),
        Some(p) => {
            let f = std::fs::File::create(p).map_err(|source| reglament::Error::Io {
                path: p.display().to_string(),
                source,
            })?;
            Ok(Box::new(std::io::BufWriter::new(f)))
        }
    }
}

pub(crate) fn io_err(path: &str) -> impl FnOnce(std::io::Error) -> reglament::Error + '_ {
    move |source| reglament::Error::Io {
        path: path.to_string(),
        source,
    }
}

/// Loads and compiles the rule sets (bundled, or a directory).
pub(crate) fn catalog(
    dir: Option<&std::path::Path>,
) -> Result<reglament::rules::Catalog, reglament::Error> {
    use reglament::rules::{Catalog, RulesSource, load, schema::Schema};
    let schema = Schema::bundled().map_err(reglament::Error::Usage)?;
    let source = match dir {
        Some(d) => RulesSource::Dir(d.to_path_buf()),
        None => RulesSource::Bundled,
    };
    let bundle = load::load(&source, &schema).map_err(reglament::Error::Rules)?;
    Catalog::compile(bundle).map_err(reglament::Error::Rules)
}
