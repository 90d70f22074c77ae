//! The `reglament` binary: parse arguments, run, turn the outcome into an exit code
//! (0 no violations, 1 violations found, 2 the job could not be done).

use clap::Parser;
use reglament::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(cli::run(cli::Cli::parse()))
}
