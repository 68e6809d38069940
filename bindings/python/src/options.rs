//! The constructor of `Client` and `AsyncClient`: every option of the core's `ClientBuilder` as
//! a keyword argument, with the core's `CPAAS_RESELLER_*` fallback for the ones left out. The
//! core does the checking, the environment fallback, proxy choice and CA loading; this only
//! converts Python values.

use crate::errors;
use cpaas_reseller::{Client as CoreClient, ClientBuilder, RetryPolicy};
use pyo3::prelude::*;
use std::time::Duration;

/// A PEM certificate given as `str` or `bytes`.
#[derive(FromPyObject)]
pub(crate) enum Pem {
    Text(String),
    Bytes(Vec<u8>),
}

/// The keyword arguments, as Python passed them.
pub(crate) struct Options {
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) timeout: f64,
    pub(crate) connect_timeout: f64,
    pub(crate) max_retries: i64,
    pub(crate) initial_backoff: f64,
    pub(crate) max_backoff: f64,
    pub(crate) max_elapsed: f64,
    pub(crate) jitter: bool,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_username: Option<String>,
    pub(crate) proxy_password: Option<String>,
    pub(crate) root_certificates_pem: Option<Vec<Pem>>,
    pub(crate) max_body_size: u64,
}

impl Options {
    /// The core builder for these options, falling back to the environment.
    pub(crate) fn builder(self, py: Python<'_>) -> PyResult<ClientBuilder> {
        let invalid =
            |field: &str, message: &str| errors::validation(py, None, field, message.to_owned());
        let mut builder = CoreClient::builder()
            .env_fallback()
            .timeout(seconds(py, "timeout", self.timeout)?)
            .connect_timeout(seconds(py, "connect_timeout", self.connect_timeout)?)
            .retry(RetryPolicy {
                max_retries: u32::try_from(self.max_retries)
                    .map_err(|_| invalid("max_retries", "must be 0 or more"))?,
                initial_backoff: seconds(py, "initial_backoff", self.initial_backoff)?,
                max_backoff: seconds(py, "max_backoff", self.max_backoff)?,
                jitter: self.jitter,
                max_elapsed: seconds(py, "max_elapsed", self.max_elapsed)?,
            })
            .max_body_size(
                usize::try_from(self.max_body_size)
                    .map_err(|_| invalid("max_body_size", "is too large for this platform"))?,
            );
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
        for pem in self.root_certificates_pem.unwrap_or_default() {
            builder = builder.add_root_certificate_pem(match pem {
                Pem::Text(text) => text.into_bytes(),
                Pem::Bytes(bytes) => bytes,
            });
        }
        Ok(builder)
    }
}

/// Seconds as a `Duration`: finite and not negative (the core refuses zero timeouts).
fn seconds(py: Python<'_>, field: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        errors::validation(
            py,
            None,
            field,
            format!("must be a finite number of seconds greater than zero, got {value}"),
        )
    })
}

/// The `#[new]` of a client class: `$make` turns the `Handle` into the class.
macro_rules! constructor {
    ($class:ident, |$handle:ident| $make:expr) => {
        #[pymethods]
        impl $class {
            /// Every option is optional: the credentials, base URL, proxy and extra CA fall back
            /// to CPAAS_RESELLER_USERNAME, _PASSWORD, _BASE_URL, _PROXY, _PROXY_USERNAME,
            /// _PROXY_PASSWORD and _ROOT_CERTIFICATES (a PEM file); the proxy otherwise to
            /// HTTPS_PROXY / NO_PROXY. Times are in seconds.
            #[new]
            #[pyo3(signature = (username=None, password=None, *, base_url=None, timeout=130.0, connect_timeout=10.0, max_retries=2, initial_backoff=0.2, max_backoff=10.0, max_elapsed=300.0, jitter=true, user_agent_suffix=None, proxy=None, proxy_username=None, proxy_password=None, root_certificates_pem=None, max_body_size=67108864))]
            #[allow(clippy::too_many_arguments)] // one per option
            fn new(
                py: Python<'_>,
                username: Option<String>,
                password: Option<String>,
                base_url: Option<String>,
                timeout: f64,
                connect_timeout: f64,
                max_retries: i64,
                initial_backoff: f64,
                max_backoff: f64,
                max_elapsed: f64,
                jitter: bool,
                user_agent_suffix: Option<String>,
                proxy: Option<String>,
                proxy_username: Option<String>,
                proxy_password: Option<String>,
                root_certificates_pem: Option<Vec<$crate::options::Pem>>,
                max_body_size: u64,
            ) -> PyResult<Self> {
                let options = $crate::options::Options {
                    username,
                    password,
                    base_url,
                    timeout,
                    connect_timeout,
                    max_retries,
                    initial_backoff,
                    max_backoff,
                    max_elapsed,
                    jitter,
                    user_agent_suffix,
                    proxy,
                    proxy_username,
                    proxy_password,
                    root_certificates_pem,
                    max_body_size,
                };
                let $handle = Handle::new(py, options.builder(py)?)?;
                Ok($make)
            }
        }
    };
}
pub(crate) use constructor;
