//! `cpaas-reseller doctor`: prints the core's [`cpaas_reseller::doctor`] report and exits 0 when
//! the credentials work on one base URL, else with the code of the cause (4 credentials, 5 base
//! URL, 6 DNS/TLS/connection, 1 other).

use crate::args::Global;
use crate::credentials;
use crate::exit::{self, CliError};
use cpaas_reseller::doctor::{self, Cause};

pub async fn run(global: &Global) -> Result<(), CliError> {
    let settings = credentials::resolve(global.base_url.as_deref(), global.config.as_deref())?;
    let builder = crate::options::builder(&settings, global)?;
    let report = doctor::run(builder)
        .await
        .map_err(|error| CliError::Usage(error.to_string()))?;
    println!("{report}");
    match report.cause() {
        None => Ok(()),
        Some(cause) => Err(CliError::Exit(match cause {
            Cause::Credentials => exit::AUTHENTICATION,
            Cause::BaseUrl => exit::API,
            Cause::Tls | Cause::Dns | Cause::Connect => exit::TRANSPORT,
            Cause::Other => exit::OTHER,
        })),
    }
}
