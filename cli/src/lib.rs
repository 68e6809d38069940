//! The `cpaas-reseller` command-line tool: every Reseller Services operation from the shell,
//! bulk provisioning from CSV, the emulator, and the demo. All behaviour that concerns the
//! service (validation, retries, errors, decoding) comes from the core crate; this crate parses
//! arguments, reads files and credentials, and prints.

pub mod args;
mod bulk;
mod commands;
mod context;
pub mod credentials;
mod csv_input;
mod demo;
mod dispatch;
mod doctor;
pub mod exit;
mod interrupt;
mod logging;
pub mod options;
mod output;
mod progress;
mod serve;

use clap::Parser;
use exit::CliError;
use std::process::ExitCode;

/// Parses the command line, runs it and turns the outcome into an exit code (see [`exit`]).
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    logging::init(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(exit::OTHER);
        }
    };
    match runtime.block_on(dispatch::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

fn report(error: &CliError) -> ExitCode {
    match error {
        CliError::Exit(_) => {}
        CliError::Api(api) => {
            eprintln!("error: {api}");
            if let Some(hint) = exit::hint(api) {
                eprintln!("hint: {hint}");
            }
        }
        other => eprintln!("error: {other}"),
    }
    error.exit_code()
}
