//! What every API command, `bulk` and `demo` share: the output format and the client built
//! from the global options and the resolved credentials.

use crate::args::Global;
use crate::credentials::{self, Settings};
use crate::exit::CliError;
use crate::output::Format;
use cpaas_reseller::Client;
use std::time::Duration;

/// What every API command needs.
pub struct Ctx {
    pub client: Client,
    pub format: Format,
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
