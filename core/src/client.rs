//! The client and its builder.

use crate::catalogue::{self, Operation};
use crate::config::Fallback;
use crate::error::{Error, Result};
use crate::net::{self, ProxyOption};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::{Redactor, Reply, Transport};
use crate::wire::Decode;
use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The base URL the vendor's method page shows (`.../ResellerServices`, plural): the default.
pub const DEFAULT_BASE_URL: &str = "https://services-cpaas.dotdigital.com/WebApi/ResellerServices";

/// The endpoint the vendor's overview page gives (`.../ResellerService`, singular). The two
/// vendor pages disagree; if the default answers 404, try this one with
/// [`ClientBuilder::base_url`].
pub const OVERVIEW_BASE_URL: &str = "https://services-cpaas.dotdigital.com/WebApi/ResellerService";

/// The service gives up after 125 s; waiting 130 s lets its own timeout answer first.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(130);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Responses larger than this are refused rather than buffered.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// A typed client for the Reseller Services API.
///
/// Cheap to clone: clones share one connection pool. `Send + Sync`, so one client serves a whole
/// application.
///
/// ```no_run
/// # async fn run() -> cpaas_reseller::Result<()> {
/// use cpaas_reseller::{Client, requests::GetAccount};
/// let client = Client::builder().credentials("api-user", "api-password").build()?;
/// let account = client.get_account(&GetAccount { account_id: 1001 }).await?;
/// println!("{:?}", account.account_name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

/// A decoded result together with the body exactly as the service sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct WithBody<T> {
    pub value: T,
    pub body: Bytes,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.transport.base_url
    }

    /// The API user calls authenticate as.
    pub fn username(&self) -> &str {
        &self.transport.username
    }

    /// The total timeout of one attempt: how long a request the client gave up on could still
    /// be running at the service.
    pub fn timeout(&self) -> Duration {
        self.transport.timeout
    }

    /// Validates, sends and decodes one typed operation.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Output> {
        self.send_with_body(request).await.map(|reply| reply.value)
    }

    /// Like [`Client::send`], also returning the raw body (for callers that keep it verbatim).
    pub async fn send_with_body<O: Operation>(&self, request: &O) -> Result<WithBody<O::Output>> {
        let info = O::INFO;
        request.check()?;
        let body = serde_json::to_vec(request).map_err(|error| {
            Error::validation("request", error.to_string()).in_method(info.method)
        })?;
        let reply = self
            .transport
            .execute(info.method, info.mutating, body)
            .await?;
        self.decode_reply::<O>(reply)
    }

    /// What [`Client::send`] returns when the service answers `status`, `content_type` and
    /// `body` to operation `O`: the same status mapping, error-body parsing, redaction, size
    /// limit and decoding, without sending anything (and without retries). For replaying
    /// recorded answers, and for fuzzing the decoders.
    pub fn decode_response<O: Operation>(
        &self,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<O::Output> {
        let info = O::INFO;
        let reply =
            self.transport
                .settle(info.method, info.mutating, status, content_type, body)?;
        self.decode_reply::<O>(reply).map(|reply| reply.value)
    }

    fn decode_reply<O: Operation>(&self, reply: Reply) -> Result<WithBody<O::Output>> {
        let info = O::INFO;
        let value = O::Output::decode(&reply.body).map_err(|error| {
            self.transport
                .undecodable(info.method, info.mutating, &reply, &error)
        })?;
        Ok(WithBody {
            value,
            body: reply.body,
        })
    }

    /// The raw escape hatch: calls any vendor method with a JSON body, through the same
    /// transport, authentication, retries and errors. A method missing from the catalogue is
    /// treated as mutating (never retried once sent). An empty success body gives `null`.
    pub async fn call(&self, method: &str, body: Option<&Value>) -> Result<Value> {
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::validation(
                "method",
                format!("must be a vendor method name such as GetAccount, got {method:?}"),
            ));
        }
        let mutating = catalogue::find(method).is_none_or(|op| op.mutating);
        let body = match body {
            Some(value) => serde_json::to_vec(value)
                .map_err(|error| Error::validation("body", error.to_string()).in_method(method))?,
            None => b"{}".to_vec(),
        };
        let reply = self.transport.execute(method, mutating, body).await?;
        Value::decode(&reply.body)
            .map_err(|error| self.transport.undecodable(method, mutating, &reply, &error))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url)
            .field("username", &self.transport.username)
            .field("password", &"***")
            .field("retry", &self.transport.retry)
            .finish()
    }
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    pub(crate) username: Option<String>,
    pub(crate) password: Option<Secret>,
    /// `None`: the fallback's, else [`DEFAULT_BASE_URL`].
    pub(crate) base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    pub(crate) proxy: ProxyOption,
    pub(crate) root_certificates_pem: Vec<Vec<u8>>,
    max_body_size: usize,
    /// Where unset options come from (see [`crate::config`]).
    pub(crate) fallback: Option<Fallback>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            username: None,
            password: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            proxy: ProxyOption::default(),
            root_certificates_pem: Vec::new(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            fallback: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("proxy", &self.proxy.url.as_ref().map(|_| "***"))
            .field("proxy_username", &self.proxy.username)
            .field("proxy_password", &self.proxy.password)
            .field("root_certificates", &self.root_certificates_pem.len())
            .field("max_body_size", &self.max_body_size)
            .field("fallback", &self.fallback.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The partner/reseller API user's name and password (HTTP Basic on every call).
    pub fn credentials(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.username(username).password(password)
    }

    /// The user name alone, for bindings that take it as its own option:
    /// [`ClientBuilder::build`] refuses it without [`ClientBuilder::password`] (a fallback
    /// never completes half of the credentials).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The password alone; see [`ClientBuilder::username`].
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Where calls go; defaults to [`DEFAULT_BASE_URL`]. Must be `https://`, except for loopback
    /// hosts (the emulator). A trailing slash is ignored.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Total time for one attempt, body included (default 130 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Shortcut for the retry policy's attempt bound: `0` disables retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Appended to the `cpaas-reseller/<version>` user agent, e.g. `billing-sync/2.1`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sends every call through this proxy (`http://` or `https://` URL, credentials allowed,
    /// see also [`ClientBuilder::proxy_credentials`]), whatever `HTTPS_PROXY` and `NO_PROXY`
    /// say. Without it the client follows `HTTPS_PROXY` / `ALL_PROXY` and `NO_PROXY` (never for
    /// loopback base URLs).
    pub fn proxy(mut self, proxy_url: impl Into<String>) -> Self {
        self.proxy.url = Some(proxy_url.into());
        self
    }

    /// Trusts this PEM-encoded CA certificate (or bundle) besides the platform's trust store
    /// (a company's TLS-inspecting proxy, a private CA).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates_pem.push(pem.into());
        self
    }

    /// Refuse response bodies larger than this many bytes (default 64 MiB).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    pub fn build(mut self) -> Result<Client> {
        self.check_pairs()?;
        self.resolve_fallback()?;
        self.check_pairs()?;
        let username = self
            .username
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::validation("username", "is required"))?;
        let password = self
            .password
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::validation("password", "is required"))?;
        if username.contains(':') {
            return Err(Error::validation(
                "username",
                "must not contain ':' (HTTP Basic)",
            ));
        }
        let base_url = checked_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::validation("timeout", "must be greater than zero"));
        }
        self.retry.check()?;

        let mut user_agent = format!("cpaas-reseller/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(&suffix);
        }
        let mut http = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .https_only(base_url.starts_with("https://"))
            .use_preconfigured_tls(net::tls_config(&self.root_certificates_pem)?)
            // The core chooses the proxy itself (net.rs), the same way in every language.
            .no_proxy();
        let parsed = url::Url::parse(&base_url)
            .map_err(|error| Error::validation("base_url", error.to_string()))?;
        let proxy = net::choose_proxy(&self.proxy, &parsed, &crate::config::from_env)?;
        let mut secrets = Vec::new();
        if let Some(chosen) = proxy {
            tracing::debug!(proxy = %chosen.address, source = %chosen.source, "using a proxy");
            secrets.extend(chosen.secret);
            http = http.proxy(chosen.proxy);
        }
        let http = http
            .build()
            .map_err(|error| Error::validation("client", error.to_string()))?;

        let redactor = Redactor::new(&username, &password, secrets);
        let mut authorization = HeaderValue::from_str(&redactor.basic_value)
            .map_err(|_| Error::validation("username", "must be printable ASCII/UTF-8"))?;
        authorization.set_sensitive(true);
        Ok(Client {
            transport: Arc::new(Transport {
                http,
                base_url,
                endpoint: parsed,
                username,
                authorization,
                redactor,
                retry: self.retry,
                max_body_size: self.max_body_size,
                timeout: self.timeout,
            }),
        })
    }
}

/// Accepts `https://` anywhere and `http://` only for loopback hosts.
fn checked_base_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = url::Url::parse(trimmed).map_err(|error| {
        Error::validation("base_url", format!("is not a URL ({error}): {raw:?}"))
    })?;
    let loopback = net::is_loopback(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::validation(
                "base_url",
                "must use https:// (plain http:// is accepted only for loopback addresses)",
            ))
        }
        other => {
            return Err(Error::validation(
                "base_url",
                format!("unsupported scheme {other:?}"),
            ))
        }
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(Error::validation(
            "base_url",
            "must not carry a query, a fragment or credentials",
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_plain_http_except_loopback() {
        assert!(checked_base_url("http://127.0.0.1:8080/WebApi/ResellerServices").is_ok());
        assert!(checked_base_url("http://localhost/x/").is_ok());
        assert!(checked_base_url("http://[::1]:9/x").is_ok());
        assert_eq!(
            checked_base_url("https://h.example/x/").ok().as_deref(),
            Some("https://h.example/x")
        );
        for bad in [
            "http://example.com/x",
            "http://127.0.0.1.nip.io/x",
            "ftp://h/x",
            "not a url",
            "https://u:p@h/x",
        ] {
            assert!(
                matches!(checked_base_url(bad), Err(Error::Validation(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_calls_url_is_the_base_url_and_the_method() {
        for base in [
            "http://127.0.0.1:8080/WebApi/ResellerServices",
            "http://127.0.0.1:8080/WebApi/ResellerServices/",
            "http://LOCALHOST:80",
            "http://[::1]:9/a/./b/../c%20d",
            "https://h.example/x/",
        ] {
            let client = Client::builder()
                .credentials("u", "p")
                .base_url(base)
                .build()
                .map_err(|e| e.to_string());
            let url = client.map(|c| c.transport.method_url("GetAccount"));
            let joined = format!("{}/GetAccount", base.trim_end_matches('/'));
            let parsed = url::Url::parse(&joined).map_err(|e| e.to_string());
            assert_eq!(url, parsed, "{base}");
        }
    }

    #[test]
    fn client_is_cheap_to_share_across_tasks() {
        fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
        assert_shareable::<Client>();
        assert_shareable::<Error>();
    }

    #[test]
    fn debug_never_shows_the_password() {
        let client = Client::builder()
            .credentials("api-user", "pa55word-XYZZY")
            .build()
            .map_err(|e| e.to_string());
        let text = format!(
            "{client:?} {:?}",
            Client::builder().credentials("u", "pa55word-XYZZY")
        );
        assert!(!text.contains("XYZZY"), "{text}");
        assert!(text.contains("api-user"));
    }
}
