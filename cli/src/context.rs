//! What every API command, `bulk` and `demo` share: the output format and the client built
//! from the global options and the resolved credentials.

use crate::args::Global;
use crate::credentials::{self, Settings};
use crate::exit::CliError;
use crate::output::Format;
use cpaas_reseller::Client;

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
        client: build_client(&settings, global)?,
        format: format(global),
    })
}

/// The client for `settings` and the command line's options (see [`crate::options`]).
pub fn build_client(settings: &Settings, global: &Global) -> Result<Client, CliError> {
    crate::options::build_client(settings, global)
}
