//! The parsed command line to the module that runs it: the API commands, `bulk`, `demo` and
//! `emulator`. Nothing here is shared back: those modules depend on [`crate::context`], never
//! on this one.

use crate::args::{Cli, Command};
use crate::commands::{accounts, call, credit, numbers, reports, roles, users};
use crate::context::connect;
use crate::exit::CliError;
use crate::{bulk, demo, doctor, serve};

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Cli { global, command } = cli;
    match command {
        Command::Emulator(args) => serve::run(args).await,
        Command::Doctor => doctor::run(&global).await,
        Command::Demo(args) => demo::run(&global, args).await,
        Command::Bulk(bulk) => bulk::run(&connect(&global)?, bulk).await,
        Command::Accounts(command) => accounts::run(&connect(&global)?, command).await,
        Command::Users(command) => users::run(&connect(&global)?, command).await,
        Command::Roles(command) => roles::run(&connect(&global)?, command).await,
        Command::Credit(command) => credit::run(&connect(&global)?, command).await,
        Command::Reports(command) => reports::run(&connect(&global)?, command).await,
        Command::Numbers(command) => numbers::run(&connect(&global)?, command).await,
        Command::Call(args) => call::run(&connect(&global)?, args).await,
    }
}
