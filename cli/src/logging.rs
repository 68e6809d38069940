//! `-v`, `-vv` and `RUST_LOG`: the core's per-attempt events on stderr.
//!
//! `-v` shows one line per HTTP attempt (method, attempt, status, duration, retry decision,
//! `outcome_unknown`), `-vv` adds the redacted request and response bodies. `RUST_LOG`, when set,
//! replaces both (`RUST_LOG=cpaas_reseller=debug`, or any `tracing` filter). Without either,
//! nothing is logged.

use tracing_subscriber::EnvFilter;

/// The filter for `verbose` (the number of `-v`) when `RUST_LOG` is unset; `None` logs nothing.
pub fn directive(verbose: u8) -> Option<&'static str> {
    match verbose {
        0 => None,
        1 => Some("cpaas_reseller=debug"),
        _ => Some("cpaas_reseller=trace"),
    }
}

/// Installs the stderr subscriber, if `RUST_LOG` or `-v` asks for one.
pub fn init(verbose: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::new(value),
        _ => match directive(verbose) {
            Some(directive) => EnvFilter::new(directive),
            None => return,
        },
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
