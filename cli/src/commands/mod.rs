//! One function per area; each builds the typed request, sends it through the core client and
//! prints the result. The core does all validation, retries and error mapping.

mod accounts;
mod call;
mod credit;
mod numbers;
pub mod reports;
mod roles;
mod users;

use crate::args::{Cli, Command, Global};
use crate::credentials::{self, Settings};
use crate::exit::CliError;
use crate::output::Format;
use chrono::{DateTime, Utc};
use cpaas_reseller::{Client, Decimal};
use std::str::FromStr;
use std::time::Duration;

/// What every API command needs.
pub struct Ctx {
    pub client: Client,
    pub format: Format,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Cli { global, command } = cli;
    match command {
        Command::Emulator(args) => crate::serve::run(args).await,
        Command::Doctor => crate::doctor::run(&global).await,
        Command::Demo(args) => crate::demo::run(&global, args).await,
        Command::Bulk(bulk) => crate::bulk::run(&connect(&global)?, bulk).await,
        Command::Accounts(command) => accounts::run(&connect(&global)?, command).await,
        Command::Users(command) => users::run(&connect(&global)?, command).await,
        Command::Roles(command) => roles::run(&connect(&global)?, command).await,
        Command::Credit(command) => credit::run(&connect(&global)?, command).await,
        Command::Reports(command) => reports::run(&connect(&global)?, command).await,
        Command::Numbers(command) => numbers::run(&connect(&global)?, command).await,
        Command::Call(args) => call::run(&connect(&global)?, args).await,
    }
}

pub fn format(global: &Global) -> Format {
    if global.json {
        Format::Json
    } else if global.csv {
        Format::Csv
    } else {
        Format::Table
    }
}

/// Resolves credentials and builds the client.
pub fn connect(global: &Global) -> Result<Ctx, CliError> {
    let settings = credentials::resolve(global.base_url.as_deref(), global.config.as_deref())?;
    Ok(Ctx {
        client: build_client(&settings, global.timeout)?,
        format: format(global),
    })
}

pub fn build_client(settings: &Settings, timeout_secs: u64) -> Result<Client, CliError> {
    if timeout_secs == 0 {
        return Err(CliError::Usage(
            "--timeout must be at least 1 second".to_owned(),
        ));
    }
    let mut builder = Client::builder()
        .credentials(settings.username.clone(), settings.password.clone())
        .timeout(Duration::from_secs(timeout_secs))
        .user_agent_suffix(concat!("cpaas-reseller-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &settings.base_url {
        builder = builder.base_url(url.clone());
    }
    builder
        .build()
        .map_err(|error| CliError::Usage(error.to_string()))
}

/// A date option: `2026-01-31`, RFC 3339 or `/Date(ms)/`, always UTC.
pub fn date(option: &str, text: &str) -> Result<DateTime<Utc>, CliError> {
    cpaas_reseller::parse_date(text).map_err(|e| CliError::Input(format!("{option}: {e}")))
}

pub fn optional_date(option: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>, CliError> {
    text.map(|t| date(option, t)).transpose()
}

/// An exact decimal amount (`125.50`), never through a binary float.
pub fn amount(option: &str, text: &str) -> Result<Decimal, CliError> {
    Decimal::from_str(text.trim()).map_err(|_| {
        CliError::Input(format!(
            "{option}: {text:?} is not a decimal amount such as 125.50"
        ))
    })
}
