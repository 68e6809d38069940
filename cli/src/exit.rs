//! Exit codes and the CLI's own error type: one code per kind of failure, so scripts can tell a
//! typo from a refused password from a call that may have been applied.

use cpaas_reseller::{Error, ErrorKind};
use std::fmt;
use std::process::ExitCode;

/// Success.
pub const OK: u8 = 0;
/// Anything else (a results file that cannot be written, an emulator that cannot start).
pub const OTHER: u8 = 1;
/// Bad arguments or configuration: unknown flag, missing credentials, unsafe config file.
pub const USAGE: u8 = 2;
/// Local validation failed (a request field or an input file); nothing was sent.
pub const VALIDATION: u8 = 3;
/// The service refused the user name or password (HTTP 401).
pub const AUTHENTICATION: u8 = 4;
/// The service answered with another error (400, 500, another status, an unreadable body).
pub const API: u8 = 5;
/// No answer: connection failed, timeout, gateway timeout on a read. The call was not applied.
pub const TRANSPORT: u8 = 6;
/// A call that changes state may have been applied: reconcile before retrying.
pub const OUTCOME_UNKNOWN: u8 = 7;
/// A bulk run finished and some rows failed (none with an unknown outcome).
pub const BULK_FAILED: u8 = 8;
/// A bulk run was stopped with Ctrl-C; the results list every row.
pub const INTERRUPTED: u8 = 130;

/// The exit-code table printed at the end of `--help`.
pub const HELP: &str = "\
Exit codes:
  0    success
  1    other failure (e.g. a results file could not be written)
  2    usage or configuration error (bad arguments, missing credentials, unsafe config file)
  3    validation error: a request or input file failed local checks; nothing was sent
  4    authentication refused by the service (HTTP 401)
  5    other API error (HTTP 400, 500, any other status, an unreadable response)
  6    transport error or timeout: no answer, and nothing was applied
  7    outcome unknown: a call that changes state may have been applied; reconcile, do not repeat
  8    bulk run finished with failed rows (none with an unknown outcome)
  130  bulk run interrupted with Ctrl-C (the results list every row)
A bulk run exits 0 when every row was applied now or already applied (a rerun), else 7 if any
row's outcome is unknown (run the same command again to resolve it), else 130 if interrupted,
else 8 if a row failed. A refused journal (another file or service, damaged, in use) exits 3
with nothing sent; a journal that can no longer be written stops the run and exits 7.";

/// Why a command failed, with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments or configuration (exit 2).
    Usage(String),
    /// Local input problems: a bad file, a bad value (exit 3).
    Input(String),
    /// An error from the client (exit 3 to 7 by kind).
    Api(Error),
    /// Exit with this code; the details were already printed.
    Exit(u8),
    /// Anything else (exit 1).
    Other(String),
}

impl CliError {
    pub fn code(&self) -> u8 {
        match self {
            Self::Usage(_) => USAGE,
            Self::Input(_) => VALIDATION,
            Self::Api(error) => code_of(error),
            Self::Exit(code) => *code,
            Self::Other(_) => OTHER,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) | Self::Input(message) | Self::Other(message) => {
                f.write_str(message)
            }
            Self::Api(error) => write!(f, "{error}"),
            Self::Exit(code) => write!(f, "exit {code}"),
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::Api(error)
    }
}

impl From<std::io::Error> for CliError {
    /// Output errors. A closed pipe (`| head`) is a reader that has seen enough, not a failure.
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Self::Exit(OK)
        } else {
            Self::Other(format!("cannot write the output: {error}"))
        }
    }
}

/// The exit code for a client error. An unknown outcome wins over the error's kind, because
/// what the operator must do next (reconcile) matters more than how it failed.
pub fn code_of(error: &Error) -> u8 {
    if error.outcome_unknown() {
        return OUTCOME_UNKNOWN;
    }
    match error.kind() {
        ErrorKind::Validation => VALIDATION,
        ErrorKind::Authentication => AUTHENTICATION,
        ErrorKind::BadRequest | ErrorKind::Server | ErrorKind::UnexpectedResponse => API,
        ErrorKind::GatewayTimeout | ErrorKind::Timeout | ErrorKind::Transport => TRANSPORT,
    }
}

/// What to do about an error, when there is something useful to say.
pub fn hint(error: &Error) -> Option<&'static str> {
    if error.outcome_unknown() {
        return Some(
            "the call may have been applied: check the current state (e.g. `credit history`, \
             `users list`, `accounts list`) before trying again",
        );
    }
    match error.kind() {
        ErrorKind::Authentication => Some(
            "check CPAAS_RESELLER_USERNAME / CPAAS_RESELLER_PASSWORD (or the config file) and the \
             base URL",
        ),
        ErrorKind::Transport | ErrorKind::Timeout => {
            Some("check the base URL (CPAAS_RESELLER_BASE_URL or --base-url) and the network")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpaas_reseller::TransportError;

    #[test]
    fn unknown_outcome_wins_over_the_kind() {
        let lost = |unknown| {
            Error::Transport(TransportError {
                method: "AllocateCredit".to_owned(),
                message: "connection closed".to_owned(),
                outcome_unknown: unknown,
                attempts: 1,
            })
        };
        assert_eq!(code_of(&lost(true)), OUTCOME_UNKNOWN);
        assert_eq!(code_of(&lost(false)), TRANSPORT);
        let codes = [OK, OTHER, USAGE, VALIDATION, AUTHENTICATION, API, TRANSPORT];
        let mut all = codes.to_vec();
        all.extend([OUTCOME_UNKNOWN, BULK_FAILED, INTERRUPTED]);
        for code in &all {
            assert!(
                HELP.contains(&format!("  {code} ")),
                "{code} missing from help"
            );
        }
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 10);
    }
}
