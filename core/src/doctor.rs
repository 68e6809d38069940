//! `doctor`: what a live service answers, checked step by step with the client's own settings.
//!
//! For the configured base URL and its sibling (the vendor's two pages disagree:
//! `.../ResellerServices` and `.../ResellerService`), [`run`] resolves the host, connects, and
//! then calls every read-only method of the catalogue ([`OPERATIONS`] with `mutating == false`,
//! never a mutating one) with an empty JSON body `{}`, one attempt each: whatever the answer,
//! it is harmless. A method the service knows answers anything but 404 (a 400 for the empty
//! body is a known method); the first answer other than 401 and 404 proves the credentials, and
//! a 401 stops the base URL's calls (no second refused login). TLS is checked by those calls
//! (`https://`), so a proxy or the client's trust settings apply as they do to real calls.
//!
//! The report names, when no base URL works, the likeliest cause ([`Cause`]): the credentials,
//! TLS, DNS, the connection or the base URL. No password appears in it.

use crate::catalogue::OPERATIONS;
use crate::client::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Why no base URL works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The service answered 401: the user name or password is refused.
    Credentials,
    /// The TLS handshake failed (certificate not trusted, wrong name, no TLS).
    Tls,
    /// The host name does not resolve.
    Dns,
    /// The host resolves but no connection could be made (refused, unreachable, timeout).
    Connect,
    /// The service answers, but 404 to every read-only method: wrong base URL.
    BaseUrl,
    /// Another failure (timeouts, unexpected answers).
    Other,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
            Self::Tls => "tls",
            Self::Dns => "dns",
            Self::Connect => "connect",
            Self::BaseUrl => "base_url",
            Self::Other => "other",
        }
    }

    /// What to do about it, in one sentence.
    pub fn advice(self) -> &'static str {
        match self {
            Self::Credentials => "the service refused the user name or password (HTTP 401): check the API user's credentials",
            Self::Tls => "the TLS handshake failed: add the proxy's or company's CA certificate, or check the host name",
            Self::Dns => "the host name does not resolve: check the base URL's host and the DNS or proxy settings",
            Self::Connect => "no connection to the host: check the network, firewall and proxy settings",
            Self::BaseUrl => "the host answers 404 to every method: the base URL's path is wrong",
            Self::Other => "the service did not answer as expected; see the steps above",
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a base URL's check: `ok` is `None` when it was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `dns`, `connect`, `tls` or `credentials`.
    pub name: &'static str,
    pub ok: Option<bool>,
    pub detail: String,
    pub duration: Duration,
}

/// What one read-only method answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodCheck {
    pub method: &'static str,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The service has the method: it answered something other than 404.
    pub known: bool,
    pub duration: Duration,
    /// The answer in a few words (`ok`, `HTTP 400 bad_request`, the transport error).
    pub detail: String,
}

/// Everything checked for one base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlCheck {
    pub base_url: String,
    pub steps: Vec<Step>,
    /// Every read-only method called, in catalogue order (fewer when the checks stopped early).
    pub methods: Vec<MethodCheck>,
    /// `None` when the credentials work on this base URL.
    pub cause: Option<Cause>,
}

impl BaseUrlCheck {
    pub fn works(&self) -> bool {
        self.cause.is_none()
    }
}

/// The result of [`run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The configured base URL first, then its sibling.
    pub base_urls: Vec<BaseUrlCheck>,
}

impl Report {
    /// The first base URL the credentials work on.
    pub fn working_base_url(&self) -> Option<&str> {
        self.base_urls
            .iter()
            .find(|check| check.works())
            .map(|check| check.base_url.as_str())
    }

    pub fn ok(&self) -> bool {
        self.working_base_url().is_some()
    }

    /// Why no base URL works (`None` when one does): a refused login first, then a failure
    /// the two base URLs share (TLS, DNS, connecting), then a wrong path.
    pub fn cause(&self) -> Option<Cause> {
        if self.ok() {
            return None;
        }
        let causes: Vec<Cause> = self.base_urls.iter().filter_map(|c| c.cause).collect();
        [
            Cause::Credentials,
            Cause::Tls,
            Cause::Dns,
            Cause::Connect,
            Cause::BaseUrl,
        ]
        .into_iter()
        .find(|cause| causes.contains(cause))
        .or(Some(Cause::Other))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.base_urls {
            writeln!(f, "{}", check.base_url)?;
            for step in &check.steps {
                let mark = match step.ok {
                    Some(true) => "ok",
                    Some(false) => "FAILED",
                    None => "skipped",
                };
                writeln!(
                    f,
                    "  {:<12} {:<8} {:>6} ms  {}",
                    step.name,
                    mark,
                    step.duration.as_millis(),
                    step.detail
                )?;
            }
            for method in &check.methods {
                writeln!(
                    f,
                    "  {:<30} {:<8} {:>6} ms  {}",
                    method.method,
                    if method.known { "known" } else { "MISSING" },
                    method.duration.as_millis(),
                    method.detail
                )?;
            }
            match check.cause {
                None => writeln!(f, "  => credentials work here")?,
                Some(cause) => writeln!(f, "  => does not work: {cause}")?,
            }
        }
        match (self.working_base_url(), self.cause()) {
            (Some(url), _) => write!(f, "OK: use base URL {url}"),
            (None, Some(cause)) => write!(f, "FAILED ({cause}): {}", cause.advice()),
            (None, None) => write!(f, "FAILED"),
        }
    }
}

/// The other vendor base path for `base_url` (`...ResellerServices` <-> `...ResellerService`),
/// on the same host; `None` when the path is neither.
pub fn sibling(base_url: &str) -> Option<String> {
    let trimmed = base_url.trim_end_matches('/');
    if let Some(stem) = trimmed.strip_suffix("/ResellerServices") {
        Some(format!("{stem}/ResellerService"))
    } else {
        trimmed
            .strip_suffix("/ResellerService")
            .map(|stem| format!("{stem}/ResellerServices"))
    }
}

/// Checks the builder's base URL and its [`sibling`] with the builder's credentials and
/// settings (retries off). Fails only when the builder itself is invalid (no credentials, a
/// malformed base URL); everything the network does is in the [`Report`].
pub async fn run(builder: ClientBuilder) -> Result<Report> {
    let builder = builder.max_retries(0);
    let primary = builder.clone().build()?;
    let mut urls = vec![primary.base_url().to_owned()];
    urls.extend(sibling(primary.base_url()));
    let mut base_urls = Vec::new();
    for url in urls {
        let client = builder.clone().base_url(url.clone()).build()?;
        base_urls.push(check_base_url(&client, url).await);
    }
    Ok(Report { base_urls })
}

async fn check_base_url(client: &crate::Client, base_url: String) -> BaseUrlCheck {
    let mut steps = Vec::new();
    let parsed = url::Url::parse(&base_url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_owned()));
    let port = parsed.as_ref().and_then(url::Url::port_or_known_default);
    let https = parsed.as_ref().is_some_and(|u| u.scheme() == "https");

    let started = Instant::now();
    let resolved: Option<Vec<SocketAddr>> = match (&host, port) {
        (Some(host), Some(port)) => {
            let lookup = tokio::net::lookup_host((host.as_str(), port));
            match tokio::time::timeout(DEFAULT_CONNECT_TIMEOUT, lookup).await {
                Ok(Ok(addrs)) => Some(addrs.collect()),
                Ok(Err(error)) => {
                    steps.push(failed("dns", started, format!("{host}: {error}")));
                    None
                }
                Err(_) => {
                    steps.push(failed("dns", started, format!("{host}: no answer in time")));
                    None
                }
            }
        }
        _ => {
            steps.push(failed("dns", started, "no host in the base URL".to_owned()));
            None
        }
    };
    let dns_failed = resolved.is_none();
    let mut connect_failed = false;
    if let Some(addrs) = resolved.filter(|a| !a.is_empty()) {
        let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        steps.push(passed("dns", started, list.join(", ")));
        let started = Instant::now();
        let mut last = String::new();
        let mut connected = None;
        for addr in &addrs {
            let connect = tokio::net::TcpStream::connect(addr);
            match tokio::time::timeout(DEFAULT_CONNECT_TIMEOUT, connect).await {
                Ok(Ok(_)) => {
                    connected = Some(*addr);
                    break;
                }
                Ok(Err(error)) => last = format!("{addr}: {error}"),
                Err(_) => last = format!("{addr}: no connection in time"),
            }
        }
        match connected {
            Some(addr) => steps.push(passed("connect", started, addr.to_string())),
            None => {
                connect_failed = true;
                steps.push(failed("connect", started, last));
            }
        }
    }

    let mut methods = Vec::new();
    let mut credentials: Option<Step> = None;
    let mut transport_failure: Option<(Cause, String)> = None;
    let empty = Value::Object(Map::new());
    for op in OPERATIONS.iter().filter(|op| !op.mutating) {
        let started = Instant::now();
        let outcome = client.call(op.method, Some(&empty)).await;
        let duration = started.elapsed();
        let status = match &outcome {
            Ok(_) => Some(200),
            Err(error) => error.status(),
        };
        let detail = match &outcome {
            Ok(_) => "ok".to_owned(),
            Err(error) => match error.status() {
                Some(status) => format!("HTTP {status} {}", error.kind()),
                None => error.to_string(),
            },
        };
        methods.push(MethodCheck {
            method: op.method,
            status,
            known: status.is_some_and(|s| s != 404),
            duration,
            detail: detail.clone(),
        });
        match (&outcome, status) {
            (_, Some(401)) => {
                credentials = Some(Step {
                    name: "credentials",
                    ok: Some(false),
                    detail: format!("refused by {} (HTTP 401)", op.method),
                    duration,
                });
                break;
            }
            (_, Some(404)) => {}
            (_, Some(_)) if credentials.is_none() => {
                credentials = Some(Step {
                    name: "credentials",
                    ok: Some(true),
                    detail: format!("accepted by {} ({detail})", op.method),
                    duration,
                });
            }
            (Err(error), None) => {
                transport_failure = Some((
                    classify(error, https, dns_failed, connect_failed),
                    error.to_string(),
                ));
                break;
            }
            _ => {}
        }
    }

    let answered = methods.iter().any(|m| m.status.is_some());
    let tls_started = Instant::now();
    if https {
        match &transport_failure {
            Some((Cause::Tls, detail)) => steps.push(failed("tls", tls_started, detail.clone())),
            _ if answered => steps.push(passed(
                "tls",
                tls_started,
                "handshake completed, certificate trusted".to_owned(),
            )),
            _ => steps.push(skipped("tls", "no connection".to_owned())),
        }
    } else {
        steps.push(skipped("tls", "plain http (loopback only)".to_owned()));
    }
    let cause = match (&credentials, &transport_failure) {
        (Some(step), _) if step.ok == Some(true) => None,
        (Some(_), _) => Some(Cause::Credentials),
        (None, Some((cause, _))) => Some(*cause),
        (None, None) if answered => Some(Cause::BaseUrl),
        (None, None) => Some(Cause::Other),
    };
    steps.push(credentials.unwrap_or_else(|| {
        skipped(
            "credentials",
            if answered {
                "every method answered 404".to_owned()
            } else {
                "no answer".to_owned()
            },
        )
    }));
    BaseUrlCheck {
        base_url,
        steps,
        methods,
        cause,
    }
}

/// A call without an answer: which step it points at.
fn classify(error: &Error, https: bool, dns_failed: bool, connect_failed: bool) -> Cause {
    let text = error.to_string().to_ascii_lowercase();
    if dns_failed || text.contains("dns error") {
        Cause::Dns
    } else if https
        && [
            "certificate",
            "tls",
            "handshake",
            "unknownissuer",
            "notvalidforname",
        ]
        .iter()
        .any(|word| text.contains(word))
    {
        Cause::Tls
    } else if connect_failed || text.contains("could not connect") {
        Cause::Connect
    } else {
        Cause::Other
    }
}

fn passed(name: &'static str, started: Instant, detail: String) -> Step {
    Step {
        name,
        ok: Some(true),
        detail,
        duration: started.elapsed(),
    }
}

fn failed(name: &'static str, started: Instant, detail: String) -> Step {
    Step {
        name,
        ok: Some(false),
        detail,
        duration: started.elapsed(),
    }
}

fn skipped(name: &'static str, detail: String) -> Step {
    Step {
        name,
        ok: None,
        detail,
        duration: Duration::ZERO,
    }
}
