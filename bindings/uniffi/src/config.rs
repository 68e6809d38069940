//! The client's configuration as one record with the core's defaults.

use crate::errors::ResellerError;
use crate::secret::Secret;
use cpaas_reseller::{ClientBuilder, RetryPolicy};
use std::fmt;
use std::time::Duration;

/// How to build a [`crate::Client`]: the same options as the core's `ClientBuilder`.
///
/// Every field has a default: the credentials, base URL, proxy and extra CA fall back to
/// `CPAAS_RESELLER_USERNAME`, `_PASSWORD`, `_BASE_URL`, `_PROXY`, `_PROXY_USERNAME`,
/// `_PROXY_PASSWORD` and `_ROOT_CERTIFICATES` (a PEM file) when left out, as the CLI and Python do;
/// the proxy otherwise to `HTTPS_PROXY` / `NO_PROXY`. Times are in milliseconds. Its `Debug`
/// (Kotlin `toString()`) hides the passwords and the proxy.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug)]
pub struct ClientConfig {
    /// The partner/reseller API user (HTTP Basic on every call).
    #[uniffi(default)]
    pub username: Option<String>,
    #[uniffi(default)]
    pub password: Option<Secret>,
    /// Defaults to the vendor's method-page URL (`.../WebApi/ResellerServices`). Must be
    /// `https://`, except for loopback hosts (the emulator).
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// Total time for one attempt, body included.
    #[uniffi(default = 130000)]
    pub timeout_ms: u64,
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    /// Retries after the first attempt; 0 disables retries. Mutating calls are retried only when
    /// the request provably never reached the service.
    #[uniffi(default = 2)]
    pub max_retries: u32,
    #[uniffi(default = 200)]
    pub initial_backoff_ms: u64,
    #[uniffi(default = 10000)]
    pub max_backoff_ms: u64,
    /// No retry starts after this much time since the first attempt.
    #[uniffi(default = 300000)]
    pub max_elapsed_ms: u64,
    /// Draws each wait from the upper half of its bound, so clients do not retry in step.
    #[uniffi(default = true)]
    pub jitter: bool,
    /// Appended to the `cpaas-reseller/<version>` user agent, e.g. `billing-sync/2.1`.
    #[uniffi(default)]
    pub user_agent_suffix: Option<String>,
    /// Sends every call through this `http://` or `https://` proxy (credentials allowed), whatever
    /// `HTTPS_PROXY` and `NO_PROXY` say.
    #[uniffi(default)]
    pub proxy: Option<String>,
    /// The proxy's user name (`Proxy-Authorization: Basic`), with `proxy_password`.
    #[uniffi(default)]
    pub proxy_username: Option<String>,
    /// Kept secret like the API password.
    #[uniffi(default)]
    pub proxy_password: Option<Secret>,
    /// PEM-encoded CA certificates (or bundles) trusted besides the platform's trust store.
    #[uniffi(default)]
    pub root_certificates_pem: Vec<String>,
    /// Response bodies larger than this many bytes are refused (64 MiB).
    #[uniffi(default = 67108864)]
    pub max_body_size: u64,
}

impl ClientConfig {
    /// The configuration with the given credentials and every default (Rust callers and tests).
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        let retry = RetryPolicy::default();
        Self {
            username: Some(username.into()),
            password: Some(Secret(password.into())),
            base_url: None,
            timeout_ms: millis(cpaas_reseller::DEFAULT_TIMEOUT),
            connect_timeout_ms: millis(cpaas_reseller::DEFAULT_CONNECT_TIMEOUT),
            max_retries: retry.max_retries,
            initial_backoff_ms: millis(retry.initial_backoff),
            max_backoff_ms: millis(retry.max_backoff),
            max_elapsed_ms: millis(retry.max_elapsed),
            jitter: retry.jitter,
            user_agent_suffix: None,
            proxy: None,
            proxy_username: None,
            proxy_password: None,
            root_certificates_pem: Vec::new(),
            max_body_size: u64::try_from(cpaas_reseller::DEFAULT_MAX_BODY_SIZE).unwrap_or(u64::MAX),
        }
    }

    /// The core builder for this configuration (the core checks every value when it builds).
    pub(crate) fn builder(self) -> Result<ClientBuilder, ResellerError> {
        let max_body_size = usize::try_from(self.max_body_size).map_err(|_| {
            ResellerError::invalid("max_body_size", "is too large for this platform")
        })?;
        let mut builder = cpaas_reseller::Client::builder()
            .env_fallback()
            .timeout(Duration::from_millis(self.timeout_ms))
            .connect_timeout(Duration::from_millis(self.connect_timeout_ms))
            .retry(RetryPolicy {
                max_retries: self.max_retries,
                initial_backoff: Duration::from_millis(self.initial_backoff_ms),
                max_backoff: Duration::from_millis(self.max_backoff_ms),
                jitter: self.jitter,
                max_elapsed: Duration::from_millis(self.max_elapsed_ms),
            })
            .max_body_size(max_body_size);
        // The core checks that the credentials (API and proxy) come in pairs.
        if let Some(username) = self.username {
            builder = builder.username(username);
        }
        if let Some(password) = self.password {
            builder = builder.password(password);
        }
        if let Some(base_url) = self.base_url {
            builder = builder.base_url(base_url);
        }
        if let Some(suffix) = self.user_agent_suffix {
            builder = builder.user_agent_suffix(suffix);
        }
        if let Some(proxy) = self.proxy {
            builder = builder.proxy(proxy);
        }
        if let Some(username) = self.proxy_username {
            builder = builder.proxy_username(username);
        }
        if let Some(password) = self.proxy_password {
            builder = builder.proxy_password(password);
        }
        for pem in self.root_certificates_pem {
            builder = builder.add_root_certificate_pem(pem);
        }
        Ok(builder)
    }
}

/// Milliseconds, for the foreign side's `u64` times (saturating).
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("initial_backoff_ms", &self.initial_backoff_ms)
            .field("max_backoff_ms", &self.max_backoff_ms)
            .field("max_elapsed_ms", &self.max_elapsed_ms)
            .field("jitter", &self.jitter)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .field("proxy_username", &self.proxy_username)
            .field("proxy_password", &self.proxy_password)
            .field("root_certificates", &self.root_certificates_pem.len())
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record's declared defaults (what Kotlin and Swift get) are the core's defaults.
    #[test]
    fn declared_defaults_are_the_cores() {
        let config = ClientConfig::new("u", "p");
        assert_eq!(config.timeout_ms, 130_000);
        assert_eq!(config.connect_timeout_ms, 10_000);
        assert_eq!(config.max_retries, 2);
        assert_eq!(config.initial_backoff_ms, 200);
        assert_eq!(config.max_backoff_ms, 10_000);
        assert_eq!(config.max_elapsed_ms, 300_000);
        assert!(config.jitter);
        assert_eq!(config.max_body_size, 67_108_864);
    }

    #[test]
    fn debug_hides_the_password_and_proxy() {
        let mut config = ClientConfig::new("api-user", "pa55word-XYZZY");
        config.proxy = Some("http://user:proxy-PLUGH@127.0.0.1:3128".into());
        config.proxy_username = Some("proxy-user".into());
        config.proxy_password = Some(Secret("proxy-PLUGH-2".into()));
        let text = format!("{config:?}");
        assert!(!text.contains("XYZZY") && !text.contains("PLUGH"), "{text}");
        assert!(text.contains("api-user"));
    }
}
