//! The `debrief` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = debrief::cli::Cli::parse();
    debrief::main_with(cli)
}
