//! What the client takes from the process environment: `HTTPS_PROXY` / `NO_PROXY`,
//! `SSL_CERT_FILE` (rustls-native-certs reads it instead of the platform's store) and the
//! `CPAAS_RESELLER_*` fallbacks. These tests change the environment, so they live in a test
//! binary of their own and take turns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/net.rs"]
mod net;

use cpaas_reseller::config::{
    ENV_BASE_URL, ENV_PASSWORD, ENV_PROXY, ENV_PROXY_PASSWORD, ENV_PROXY_USERNAME,
    ENV_ROOT_CERTIFICATES, ENV_USERNAME, ENV_VARIABLES,
};
use cpaas_reseller::requests::GetRoles;
use cpaas_reseller::{Client, ErrorKind, RetryPolicy};
use net::{https_emulator, TestCa, TestProxy};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The conventional variables these tests touch besides the `CPAAS_RESELLER_*` ones
/// ([`ENV_VARIABLES`]); each test starts with all of them unset.
const CONVENTIONAL: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

fn variables() -> impl Iterator<Item = &'static str> {
    CONVENTIONAL.iter().chain(ENV_VARIABLES).copied()
}

/// Holds the environment for one test and puts it back afterwards.
struct Environment {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _turn: MutexGuard<'static, ()>,
}

impl Environment {
    fn take() -> Self {
        static TURN: Mutex<()> = Mutex::new(());
        let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        let saved = variables()
            .map(|name| (name, std::env::var_os(name)))
            .collect();
        for name in variables() {
            std::env::remove_var(name);
        }
        Self { saved, _turn: turn }
    }

    fn set(&self, name: &str, value: impl AsRef<std::ffi::OsStr>) {
        std::env::set_var(name, value);
    }
}

impl Drop for Environment {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

fn pem_file(dir: &str, ca: &TestCa) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cpaas-env-{dir}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ca.pem");
    std::fs::write(&path, ca.pem()).unwrap();
    path
}

/// A name no resolver knows: only the test proxy "resolves" it (to the emulator).
const SERVICE: &str = "https://reseller.cpaas.test/WebApi/ResellerServices";

#[tokio::test]
async fn https_proxy_carries_calls_and_no_proxy_exempts_a_host() {
    let env = Environment::take();
    let ca = TestCa::new("environment test CA").unwrap();
    let emulator = https_emulator(ca.server(&["reseller.cpaas.test"]).unwrap());
    let proxy = TestProxy::start(None, Some(emulator.addr())).await;
    env.set("HTTPS_PROXY", proxy.url());
    let builder = Client::builder()
        .credentials(emulator.username(), emulator.password())
        .base_url(SERVICE)
        .add_root_certificate_pem(ca.pem())
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none());
    let client = builder.clone().build().unwrap();
    assert_eq!(client.get_roles(&GetRoles {}).await.unwrap().roles.len(), 5);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].target.as_str()),
        ("CONNECT", "reseller.cpaas.test:443")
    );

    // NO_PROXY names the host: the client connects directly, and cannot resolve the name.
    env.set("NO_PROXY", "localhost,.cpaas.test");
    let direct = builder.clone().build().unwrap();
    let error = direct.get_roles(&GetRoles {}).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{error}"
    );
    assert_eq!(proxy.seen().len(), 1, "the proxy was not asked again");

    // An explicit proxy wins over both variables.
    let other = TestProxy::start(None, Some(emulator.addr())).await;
    let explicit = builder.proxy(other.url()).build().unwrap();
    explicit.get_roles(&GetRoles {}).await.unwrap();
    assert_eq!(other.seen().len(), 1);
    assert_eq!(proxy.seen().len(), 1);
}

#[tokio::test]
async fn ssl_cert_file_is_trusted_instead_of_the_platform_store() {
    let env = Environment::take();
    let ca = TestCa::new("SSL_CERT_FILE test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    let client = || {
        common::builder(&emulator)
            .base_url(format!(
                "https://localhost:{}/WebApi/ResellerServices",
                emulator.addr().port()
            ))
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };
    // The platform's store does not know the test CA.
    let error = client().get_roles(&GetRoles {}).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "{error}"
    );
    env.set("SSL_CERT_FILE", pem_file("ssl-cert-file", &ca));
    client().get_roles(&GetRoles {}).await.unwrap();
    assert_eq!(emulator.calls("GetRoles"), 1);
}

#[tokio::test]
async fn cpaas_reseller_variables_fill_the_options_left_unset() {
    let env = Environment::take();
    let ca = TestCa::new("fallback test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    let proxy = TestProxy::start(Some(("proxy-user", "proxy-PLUGH")), None).await;
    env.set(ENV_USERNAME, emulator.username());
    env.set(ENV_PASSWORD, emulator.password());
    env.set(
        ENV_BASE_URL,
        format!(
            "https://localhost:{}/WebApi/ResellerServices",
            emulator.addr().port()
        ),
    );
    env.set(ENV_ROOT_CERTIFICATES, pem_file("fallback", &ca));
    env.set(ENV_PROXY, proxy.url());
    env.set(ENV_PROXY_USERNAME, "proxy-user");
    env.set(ENV_PROXY_PASSWORD, "proxy-PLUGH");
    // Without env_fallback a Rust builder reads none of them.
    assert!(Client::builder().build().is_err());
    let client = Client::builder().env_fallback().build().unwrap();
    assert_eq!(client.username(), emulator.username());
    client.get_roles(&GetRoles {}).await.unwrap();
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].proxy_authorization.is_some());
    assert!(!format!("{client:?}").contains("PLUGH"));
    // A wrong proxy password from the environment: refused, and never in the error.
    env.set(ENV_PROXY_PASSWORD, "wrong-XYZZY");
    let error = Client::builder()
        .env_fallback()
        .max_retries(0)
        .build()
        .unwrap()
        .get_roles(&GetRoles {})
        .await
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("XYZZY"), "{error}");
}
