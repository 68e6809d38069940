//! One configuration for every language: the `CPAAS_RESELLER_*` environment variables a
//! [`ClientBuilder`] falls back to, and the options that go with the network set-up (proxy
//! credentials, fallback sources).
//!
//! An option set on the builder always wins; a fallback is read only for the options left unset,
//! when [`ClientBuilder::build`] runs. Python's `Client()`, the Kotlin/Swift `ClientConfig` and
//! the CLI all fall back to the environment; a Rust program asks for it with
//! [`ClientBuilder::env_fallback`].

use crate::client::ClientBuilder;
use crate::error::{Error, Result};
use crate::secret::Secret;
use std::fmt;
use std::sync::Arc;

/// The API user's name.
pub const ENV_USERNAME: &str = "CPAAS_RESELLER_USERNAME";
/// The API user's password.
pub const ENV_PASSWORD: &str = "CPAAS_RESELLER_PASSWORD";
/// The base URL (default: [`crate::DEFAULT_BASE_URL`]).
pub const ENV_BASE_URL: &str = "CPAAS_RESELLER_BASE_URL";
/// A proxy for this client only, before `HTTPS_PROXY`.
pub const ENV_PROXY: &str = "CPAAS_RESELLER_PROXY";
/// The proxy's user name (with [`ENV_PROXY_PASSWORD`]).
pub const ENV_PROXY_USERNAME: &str = "CPAAS_RESELLER_PROXY_USERNAME";
/// The proxy's password, kept secret like the API password.
pub const ENV_PROXY_PASSWORD: &str = "CPAAS_RESELLER_PROXY_PASSWORD";
/// A PEM file of CA certificates trusted besides the platform's store.
pub const ENV_ROOT_CERTIFICATES: &str = "CPAAS_RESELLER_ROOT_CERTIFICATES";

/// Every variable a builder falls back to, in the order of the README's table.
pub const ENV_VARIABLES: &[&str] = &[
    ENV_USERNAME,
    ENV_PASSWORD,
    ENV_BASE_URL,
    ENV_PROXY,
    ENV_PROXY_USERNAME,
    ENV_PROXY_PASSWORD,
    ENV_ROOT_CERTIFICATES,
];

/// The process environment: a variable's value, `None` when unset or empty.
pub fn from_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// A lookup by environment variable name.
type Source = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where unset options are looked up.
#[derive(Clone)]
pub(crate) struct Fallback(Arc<Source>);

impl fmt::Debug for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fallback")
    }
}

impl Fallback {
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|value| !value.is_empty())
    }
}

impl ClientBuilder {
    /// Reads every option left unset from its `CPAAS_RESELLER_*` environment variable (see
    /// [`ENV_VARIABLES`]) when the client is built, as Python, Kotlin, Swift and the CLI do.
    pub fn env_fallback(self) -> Self {
        self.fallback(from_env)
    }

    /// Like [`ClientBuilder::env_fallback`] with another source, keyed by the same variable
    /// names (the CLI passes the environment, then its config file).
    pub fn fallback(
        mut self,
        source: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.fallback = Some(Fallback(Arc::new(source)));
        self
    }

    /// Credentials for the proxy set with [`ClientBuilder::proxy`] (sent as
    /// `Proxy-Authorization: Basic`); the password is kept secret like the API password.
    /// Credentials in the proxy URL itself work too.
    pub fn proxy_credentials(
        self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.proxy_username(username).proxy_password(password)
    }

    /// The proxy's user name alone, for bindings that take it as its own option:
    /// [`ClientBuilder::build`] refuses it without [`ClientBuilder::proxy_password`].
    pub fn proxy_username(mut self, username: impl Into<String>) -> Self {
        self.proxy.username = Some(username.into());
        self
    }

    /// The proxy's password alone; see [`ClientBuilder::proxy_username`].
    pub fn proxy_password(mut self, password: impl Into<Secret>) -> Self {
        self.proxy.password = Some(password.into());
        self
    }

    /// Refuses half a pair of credentials, API or proxy, naming the missing half. Checked
    /// before the fallback (an explicit half is never completed from the environment) and after
    /// it (the environment held only one of the two).
    pub(crate) fn check_pairs(&self) -> Result<()> {
        let hint = |first: &str, second: &str| match self.fallback {
            Some(_) => format!(" (set both, or neither to read {first} and {second})"),
            None => String::new(),
        };
        paired(
            ("username", self.username.is_some()),
            ("password", self.password.is_some()),
            &hint(ENV_USERNAME, ENV_PASSWORD),
        )?;
        paired(
            ("proxy_username", self.proxy.username.is_some()),
            ("proxy_password", self.proxy.password.is_some()),
            &hint(ENV_PROXY_USERNAME, ENV_PROXY_PASSWORD),
        )
    }

    /// Fills the options left unset from the fallback source, if any.
    pub(crate) fn resolve_fallback(&mut self) -> Result<()> {
        let Some(fallback) = self.fallback.clone() else {
            return Ok(());
        };
        // Each pair of credentials is one option: both from the builder, or both from the
        // fallback.
        if self.username.is_none() && self.password.is_none() {
            self.username = fallback.get(ENV_USERNAME);
            self.password = fallback.get(ENV_PASSWORD).map(Secret::new);
        }
        if self.base_url.is_none() {
            self.base_url = fallback.get(ENV_BASE_URL);
        }
        if self.proxy.url.is_none() {
            self.proxy.url = fallback.get(ENV_PROXY);
        }
        if self.proxy.username.is_none() && self.proxy.password.is_none() {
            self.proxy.username = fallback.get(ENV_PROXY_USERNAME);
            self.proxy.password = fallback.get(ENV_PROXY_PASSWORD).map(Secret::new);
        }
        if self.root_certificates_pem.is_empty() {
            if let Some(path) = fallback.get(ENV_ROOT_CERTIFICATES) {
                let pem = std::fs::read(&path).map_err(|error| {
                    Error::validation(
                        "root_certificates",
                        format!("cannot read {ENV_ROOT_CERTIFICATES} file {path}: {error}"),
                    )
                })?;
                self.root_certificates_pem.push(pem);
            }
        }
        Ok(())
    }
}

/// Two options that only work together: both set or neither, else an error naming the missing
/// one.
fn paired(first: (&str, bool), second: (&str, bool), hint: &str) -> Result<()> {
    let missing = match (first.1, second.1) {
        (true, false) => second.0,
        (false, true) => first.0,
        _ => return Ok(()),
    };
    Err(Error::validation(
        missing,
        format!("{} and {} go together{hint}", first.0, second.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    #[test]
    fn explicit_options_win_over_the_fallback() {
        let source = |name: &str| match name {
            ENV_USERNAME => Some("env-user".to_owned()),
            ENV_PASSWORD => Some("env-password".to_owned()),
            ENV_BASE_URL => Some("http://127.0.0.1:9/env".to_owned()),
            _ => None,
        };
        let client = Client::builder().fallback(source).build();
        assert_eq!(
            client.as_ref().map(|c| (c.username(), c.base_url())).ok(),
            Some(("env-user", "http://127.0.0.1:9/env"))
        );
        let client = Client::builder()
            .fallback(source)
            .credentials("mine", "pw")
            .base_url("http://127.0.0.1:9/mine")
            .build();
        assert_eq!(
            client.as_ref().map(|c| (c.username(), c.base_url())).ok(),
            Some(("mine", "http://127.0.0.1:9/mine"))
        );
        // No fallback: nothing is read.
        assert!(matches!(
            Client::builder().build(),
            Err(Error::Validation(error)) if error.field == "username"
        ));
        let missing = Client::builder()
            .fallback(|name: &str| {
                (name == ENV_ROOT_CERTIFICATES).then(|| "/nonexistent/ca.pem".to_owned())
            })
            .credentials("u", "p")
            .build();
        assert!(
            matches!(missing, Err(Error::Validation(error)) if error.field == "root_certificates")
        );
    }

    #[test]
    fn half_a_pair_of_credentials_is_refused_naming_the_missing_half() {
        let field = |builder: ClientBuilder| match builder.build() {
            Err(Error::Validation(error)) => format!("{}: {}", error.field, error.message),
            other => format!("accepted: {other:?}"),
        };
        let full = |name: &str| {
            [
                ENV_USERNAME,
                ENV_PASSWORD,
                ENV_PROXY,
                ENV_PROXY_USERNAME,
                ENV_PROXY_PASSWORD,
            ]
            .contains(&name)
            .then(|| match name {
                ENV_PROXY => "http://127.0.0.1:3128".to_owned(),
                _ => "from-env".to_owned(),
            })
        };
        assert_eq!(
            field(Client::builder().username("u")),
            "password: username and password go together"
        );
        // With a fallback the explicit half is not completed from it, and the error says how
        // to use the variables instead.
        assert_eq!(
            field(Client::builder().fallback(full).password("p")),
            "username: username and password go together (set both, or neither to read \
             CPAAS_RESELLER_USERNAME and CPAAS_RESELLER_PASSWORD)"
        );
        assert_eq!(
            field(Client::builder().credentials("u", "p").proxy_username("pu")),
            "proxy_password: proxy_username and proxy_password go together"
        );
        assert_eq!(
            field(Client::builder().fallback(full).proxy_password("XYZZY")),
            "proxy_username: proxy_username and proxy_password go together (set both, or \
             neither to read CPAAS_RESELLER_PROXY_USERNAME and CPAAS_RESELLER_PROXY_PASSWORD)"
        );
        // Half a pair in the fallback itself.
        let half = move |name: &str| (name != ENV_PROXY_PASSWORD).then(|| full(name)).flatten();
        assert!(field(Client::builder().fallback(half)).starts_with("proxy_password: "));
        assert!(Client::builder().fallback(full).build().is_ok());
    }
}
