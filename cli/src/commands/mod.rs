//! One module per area; each builds the typed request, sends it through the core client and
//! prints the result. The core does all validation, retries and error mapping. Which command runs
//! is decided in `dispatch.rs`; the client and output format come from `context.rs`.

pub mod accounts;
pub mod call;
pub mod credit;
pub mod numbers;
pub mod reports;
pub mod roles;
pub mod users;

use crate::exit::CliError;
use chrono::{DateTime, Utc};
use cpaas_reseller::Decimal;
use std::str::FromStr;

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
