//! The client options as flags: every option of the core's `ClientBuilder` that is not a
//! secret. The API password and the proxy's credentials never come from flags (they would land
//! in shell history and `ps`): they come from the environment or the private config file, which
//! the core reads as its fallback for every option left unset (see `cpaas_reseller::config`).

use crate::args::Global;
use crate::credentials::{self, Settings};
use crate::exit::CliError;
use clap::Args;
use cpaas_reseller::{Client, ClientBuilder, RetryPolicy};
use std::path::PathBuf;
use std::time::Duration;

/// Connection and retry options every subcommand accepts.
#[derive(Debug, Args)]
pub struct ClientOptions {
    /// Seconds to wait for a connection (default 10)
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    pub connect_timeout: Option<Duration>,
    /// Retries after the first attempt (default 2; 0 disables them). Mutating calls are
    /// retried only when the request provably never reached the service
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    /// Seconds before the first retry (default 0.2); each later wait doubles
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    pub initial_backoff: Option<Duration>,
    /// The longest wait between retries, in seconds (default 10)
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    pub max_backoff: Option<Duration>,
    /// No retry starts after this many seconds since the first attempt (default 300)
    #[arg(long, global = true, value_name = "SECONDS", value_parser = seconds)]
    pub max_elapsed: Option<Duration>,
    /// Wait exactly the backoff instead of a random part of its upper half
    #[arg(long, global = true)]
    pub no_jitter: bool,
    /// Appended to the user agent (`cpaas-reseller/<v> cpaas-reseller-cli/<v> TEXT`)
    #[arg(long, global = true, value_name = "TEXT")]
    pub user_agent_suffix: Option<String>,
    /// Proxy for every call, without credentials [env: CPAAS_RESELLER_PROXY; default:
    /// HTTPS_PROXY / NO_PROXY]. Proxy credentials: CPAAS_RESELLER_PROXY_USERNAME and
    /// CPAAS_RESELLER_PROXY_PASSWORD, or proxy_username / proxy_password in the config file
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// PEM file of CA certificates to trust besides the system's store (repeatable)
    /// [env: CPAAS_RESELLER_ROOT_CERTIFICATES]
    #[arg(long = "root-certificates", global = true, value_name = "PATH")]
    pub root_certificates: Vec<PathBuf>,
    /// Refuse response bodies larger than this many bytes (default 64 MiB)
    #[arg(long, global = true, value_name = "BYTES")]
    pub max_body_size: Option<usize>,
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|value| Duration::try_from_secs_f64(value).ok())
        .ok_or_else(|| format!("{text:?} is not a number of seconds such as 10 or 0.5"))
}

/// The client for `settings` with every option of the command line, the rest from the
/// environment and then the config file.
pub fn build_client(settings: &Settings, global: &Global) -> Result<Client, CliError> {
    builder(settings, global)?
        .build()
        .map_err(|error| CliError::Usage(error.to_string()))
}

/// The builder behind [`build_client`], for `doctor`, which builds a client per base URL.
pub fn builder(settings: &Settings, global: &Global) -> Result<ClientBuilder, CliError> {
    if global.timeout == 0 {
        return Err(CliError::Usage(
            "--timeout must be at least 1 second".to_owned(),
        ));
    }
    let options = &global.client;
    let file = credentials::fallback_values(global.config.as_deref())?;
    let mut user_agent = concat!("cpaas-reseller-cli/", env!("CARGO_PKG_VERSION")).to_owned();
    if let Some(suffix) = options
        .user_agent_suffix
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        user_agent = format!("{user_agent} {suffix}");
    }
    let defaults = RetryPolicy::default();
    let mut builder = Client::builder()
        .fallback(move |name| {
            cpaas_reseller::config::from_env(name).or_else(|| {
                file.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.clone())
            })
        })
        .credentials(settings.username.clone(), settings.password.clone())
        .timeout(Duration::from_secs(global.timeout))
        .retry(RetryPolicy {
            max_retries: options.max_retries.unwrap_or(defaults.max_retries),
            initial_backoff: options.initial_backoff.unwrap_or(defaults.initial_backoff),
            max_backoff: options.max_backoff.unwrap_or(defaults.max_backoff),
            jitter: !options.no_jitter,
            max_elapsed: options.max_elapsed.unwrap_or(defaults.max_elapsed),
        })
        .user_agent_suffix(user_agent);
    if let Some(url) = &settings.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(timeout) = options.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(proxy) = &options.proxy {
        if url_has_password(proxy) {
            return Err(CliError::Usage(format!(
                "--proxy must not carry a password (shell history, ps): set {} and {} or \
                 proxy_username / proxy_password in the config file",
                cpaas_reseller::config::ENV_PROXY_USERNAME,
                cpaas_reseller::config::ENV_PROXY_PASSWORD
            )));
        }
        builder = builder.proxy(proxy.clone());
    }
    for path in &options.root_certificates {
        let pem = std::fs::read(path).map_err(|error| {
            CliError::Usage(format!("--root-certificates {}: {error}", path.display()))
        })?;
        builder = builder.add_root_certificate_pem(pem);
    }
    if let Some(bytes) = options.max_body_size {
        builder = builder.max_body_size(bytes);
    }
    Ok(builder)
}

/// Whether a URL's user information holds a password (`http://user:secret@host`).
fn url_has_password(text: &str) -> bool {
    let Some((_, rest)) = text.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_proxy_url_is_spotted() {
        assert!(url_has_password("http://u:p@proxy:3128"));
        assert!(url_has_password("http://u:p@proxy:3128/"));
        assert!(!url_has_password("http://u@proxy:3128"));
        assert!(!url_has_password("http://proxy:3128"));
        assert!(!url_has_password("http://proxy:3128/a:b@c"));
    }

    #[test]
    fn seconds_take_decimals() {
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(seconds("-1").is_err() && seconds("ten").is_err());
    }
}
