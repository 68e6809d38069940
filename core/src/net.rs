//! The network side of a client: which certificates it trusts and which proxy it goes through.
//!
//! Trust: the platform's store, plus the extra PEM roots the caller adds. rustls-native-certs
//! reads `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, everywhere; otherwise the system bundle on
//! Linux and the BSDs, the certificate store on Windows, and on macOS the certificates the
//! Keychain's trust settings (user, admin, system) trust as roots, through the Security framework.
//! Verification itself stays rustls's, the same on every platform. When the platform offers no
//! root at all (Android, iOS, a container without ca-certificates) the bundled Mozilla roots
//! stand in, so a client still works.
//!
//! Proxies: an explicit proxy takes every call. Otherwise `HTTPS_PROXY` (or `ALL_PROXY`; for the
//! plain-`http://` loopback URLs, `HTTP_PROXY`), lower case first as curl reads them, with
//! `NO_PROXY`. Environment proxies never apply to loopback base URLs (the emulator).

use crate::error::{Error, Result};
use crate::secret::Secret;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use std::sync::{Arc, Mutex, PoisonError};

/// The TLS configuration every connection of a client uses.
pub(crate) fn tls_config(extra_pems: &[Vec<u8>]) -> Result<rustls::ClientConfig> {
    let mut roots = RootCertStore::clone(&platform_roots());
    for pem in extra_pems {
        let certificates = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|error| {
                Error::validation(
                    "root_certificates",
                    format!("is not PEM certificate text: {error}"),
                )
            })?;
        if certificates.is_empty() {
            return Err(Error::validation(
                "root_certificates",
                "holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            ));
        }
        for certificate in certificates {
            roots.add(certificate).map_err(|error| {
                Error::validation(
                    "root_certificates",
                    format!("is not a usable CA certificate: {error}"),
                )
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::validation("tls", error.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // What reqwest offers with its own rustls set-up and the http2 feature.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Where the platform's roots were read from; a change (a test, a long-running process that
/// sets `SSL_CERT_FILE`) reads them again.
type RootsKey = (Option<std::ffi::OsString>, Option<std::ffi::OsString>);

/// The platform's roots, read once per process (and per `SSL_CERT_FILE` / `SSL_CERT_DIR`
/// value): reading a system store takes milliseconds, building a client should not.
fn platform_roots() -> Arc<RootCertStore> {
    static CACHE: Mutex<Option<(RootsKey, Arc<RootCertStore>)>> = Mutex::new(None);
    let key = (
        std::env::var_os("SSL_CERT_FILE"),
        std::env::var_os("SSL_CERT_DIR"),
    );
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((cached, roots)) = cache.as_ref() {
        if *cached == key {
            return Arc::clone(roots);
        }
    }
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(load_platform_certificates());
    if added == 0 {
        tracing::warn!(
            ignored,
            "the platform offers no usable root certificate; using the bundled Mozilla roots"
        );
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    } else {
        tracing::debug!(added, ignored, "loaded the platform's root certificates");
    }
    let roots = Arc::new(roots);
    *cache = Some((key, Arc::clone(&roots)));
    roots
}

fn load_platform_certificates() -> Vec<CertificateDer<'static>> {
    let result = rustls_native_certs::load_native_certs();
    for error in &result.errors {
        tracing::debug!(%error, "reading the platform's root certificates");
    }
    result.certs
}

/// A proxy as configured: its URL (which may carry credentials) and separate credentials.
#[derive(Clone, Default)]
pub(crate) struct ProxyOption {
    pub(crate) url: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret>,
}

/// The proxy a client uses, and the secret the redactor must keep out of error text.
pub(crate) struct ChosenProxy {
    pub(crate) proxy: reqwest::Proxy,
    pub(crate) secret: Option<Secret>,
    /// Where it came from: `proxy` or the environment variable's name.
    pub(crate) source: String,
    /// `scheme://host:port`, without credentials (reqwest's `Debug` of a proxy shows them).
    pub(crate) address: String,
}

/// The explicit proxy, else the environment's for `base_url` (read through `env`). Its
/// credentials, a pair checked by the builder, go to whichever proxy is chosen.
pub(crate) fn choose_proxy(
    explicit: &ProxyOption,
    base_url: &url::Url,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ChosenProxy>> {
    let (username, password) = explicit
        .username
        .as_deref()
        .zip(explicit.password.as_ref())
        .unzip();
    if let Some(url) = &explicit.url {
        return proxy_for(url, "proxy", username, password, None).map(Some);
    }
    let no_proxy_for_credentials = || {
        Err(Error::validation(
            "proxy",
            "proxy credentials were given, but no proxy (proxy, HTTPS_PROXY or ALL_PROXY)",
        ))
    };
    if is_loopback(base_url) {
        return match username {
            Some(_) => no_proxy_for_credentials(),
            None => Ok(None),
        };
    }
    let names: &[&str] = match base_url.scheme() {
        "http" => &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"],
        _ => &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
    };
    let Some((name, url)) = names
        .iter()
        .find_map(|name| env(name).map(|value| (*name, value)))
    else {
        return match username {
            Some(_) => no_proxy_for_credentials(),
            None => Ok(None),
        };
    };
    let no_proxy = env("no_proxy").or_else(|| env("NO_PROXY"));
    // Credentials set for the client apply to the environment's proxy too.
    proxy_for(&url, name, username, password, no_proxy.as_deref()).map(Some)
}

fn proxy_for(
    raw: &str,
    option: &str,
    username: Option<&str>,
    password: Option<&Secret>,
    no_proxy: Option<&str>,
) -> Result<ChosenProxy> {
    // Never quote the URL back: it may carry a password.
    let invalid =
        |why: &str| Error::validation(option, format!("is not a usable proxy URL: {why}"));
    let parsed = url::Url::parse(raw.trim()).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host"));
    }
    let in_url = parsed.password().map(|password| {
        Secret::new(percent_decode(password).unwrap_or_else(|| password.to_owned()))
    });
    let mut proxy = reqwest::Proxy::all(parsed.as_str()).map_err(|_| invalid("refused"))?;
    let secret = match (username, password) {
        (Some(username), Some(password)) => {
            proxy = proxy.basic_auth(username, password.expose());
            Some(password.clone())
        }
        _ => in_url,
    };
    if let Some(no_proxy) = no_proxy {
        proxy = proxy.no_proxy(reqwest::NoProxy::from_string(no_proxy));
    }
    let address = format!(
        "{}://{}:{}",
        parsed.scheme(),
        parsed.host_str().unwrap_or_default(),
        parsed.port_or_known_default().unwrap_or_default()
    );
    Ok(ChosenProxy {
        proxy,
        secret,
        source: option.to_owned(),
        address,
    })
}

/// `%XX` sequences decoded, as the proxy receives the password; `None` if not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap_or_else(|error| unreachable!("{text}: {error}"))
    }

    fn chosen(
        explicit: &ProxyOption,
        base: &str,
        pairs: &'static [(&'static str, &'static str)],
    ) -> Option<String> {
        match choose_proxy(explicit, &url(base), &env_of(pairs)) {
            Ok(chosen) => chosen.map(|c| format!("{} from {}", c.address, c.source)),
            Err(error) => Some(format!("error: {error}")),
        }
    }

    #[test]
    fn environment_proxies_follow_the_conventions() {
        let none = ProxyOption::default();
        let service = "https://services.example.com/WebApi/ResellerServices";
        let https = &[
            ("HTTPS_PROXY", "http://upper:3128"),
            ("https_proxy", "http://lower:3128"),
        ];
        assert_eq!(
            chosen(&none, service, https).as_deref(),
            Some("http://lower:3128 from https_proxy")
        );
        let all = &[("ALL_PROXY", "http://all:3128")];
        assert_eq!(
            chosen(&none, service, all).as_deref(),
            Some("http://all:3128 from ALL_PROXY")
        );
        // HTTP_PROXY is for plain-http URLs, which only loopback hosts may use, and loopback
        // hosts never take an environment proxy.
        assert_eq!(
            chosen(&none, service, &[("HTTP_PROXY", "http://p:1")]),
            None
        );
        assert_eq!(
            chosen(
                &none,
                "http://127.0.0.1:9/x",
                &[("HTTP_PROXY", "http://p:1"), ("ALL_PROXY", "http://p:1")]
            ),
            None
        );
        assert_eq!(chosen(&none, "https://localhost:9/x", https), None);
        assert_eq!(chosen(&none, service, &[]), None);
        let bad = chosen(
            &none,
            service,
            &[("HTTPS_PROXY", "socks5://u:SECRET-1@p:1")],
        );
        assert!(
            bad.as_deref()
                .is_some_and(|e| e.contains("HTTPS_PROXY") && !e.contains("SECRET")),
            "{bad:?}"
        );
    }

    #[test]
    fn an_explicit_proxy_wins_and_its_credentials_stay_secret() {
        let explicit = ProxyOption {
            url: Some("http://127.0.0.1:3128".to_owned()),
            username: Some("proxy-user".to_owned()),
            password: Some(Secret::new("proxy-PLUGH")),
        };
        let env = env_of(&[("HTTPS_PROXY", "http://env:3128")]);
        let chosen = choose_proxy(&explicit, &url("http://127.0.0.1:9/x"), &env);
        let chosen = chosen.ok().flatten();
        assert_eq!(
            chosen
                .as_ref()
                .and_then(|c| c.secret.as_ref())
                .map(Secret::expose),
            Some("proxy-PLUGH")
        );
        assert_eq!(
            chosen.map(|c| (c.address, c.source)),
            Some(("http://127.0.0.1:3128".to_owned(), "proxy".to_owned()))
        );

        let in_url = ProxyOption {
            url: Some("http://u:p%40ss-XYZZY@proxy.example:8080".to_owned()),
            ..ProxyOption::default()
        };
        let chosen = choose_proxy(&in_url, &url("https://h.example/x"), &env)
            .ok()
            .flatten();
        assert_eq!(
            chosen.and_then(|c| c.secret).as_ref().map(Secret::expose),
            Some("p@ss-XYZZY")
        );

        for (bad, field) in [
            (
                ProxyOption {
                    url: Some("ftp://u:XYZZY@h:1".into()),
                    ..ProxyOption::default()
                },
                "proxy",
            ),
            (
                ProxyOption {
                    url: Some("not a url XYZZY".into()),
                    ..ProxyOption::default()
                },
                "proxy",
            ),
            (
                ProxyOption {
                    username: Some("u".into()),
                    password: Some(Secret::new("XYZZY")),
                    ..ProxyOption::default()
                },
                "proxy",
            ),
        ] {
            // No environment proxy here: credentials alone have no proxy to go to.
            match choose_proxy(&bad, &url("https://h.example/x"), &|_: &str| None) {
                Err(Error::Validation(error)) => {
                    assert_eq!(error.field, field);
                    assert!(!error.to_string().contains("XYZZY"), "{error}");
                }
                _ => unreachable!("accepted a bad proxy option"),
            }
        }
    }

    #[test]
    fn client_credentials_apply_to_the_environments_proxy() {
        let credentials = ProxyOption {
            username: Some("u".into()),
            password: Some(Secret::new("XYZZY")),
            ..ProxyOption::default()
        };
        let env = env_of(&[("HTTPS_PROXY", "http://env:3128")]);
        let chosen = choose_proxy(&credentials, &url("https://h.example/x"), &env);
        let chosen = chosen.ok().flatten();
        assert_eq!(
            chosen.as_ref().map(|c| c.address.as_str()),
            Some("http://env:3128")
        );
        assert_eq!(
            chosen.and_then(|c| c.secret).as_ref().map(Secret::expose),
            Some("XYZZY")
        );
    }

    #[test]
    fn extra_roots_must_be_pem_certificates() {
        for bad in [
            &b"not pem"[..],
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            match tls_config(&[bad.to_vec()]) {
                Err(Error::Validation(error)) => assert_eq!(error.field, "root_certificates"),
                _ => unreachable!("accepted {bad:?}"),
            }
        }
        assert!(tls_config(&[]).is_ok());
    }
}
