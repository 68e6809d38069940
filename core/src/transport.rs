//! The one place requests are sent: authentication, headers, retries, size limits and the
//! mapping of every status and body to a result or an [`Error`].

use crate::error::{excerpt, ApiError, Error, Result, TransportError, BODY_EXCERPT_LIMIT};
use crate::events::{self, AttemptEvent, Direction};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::time::{Duration, Instant};
use tracing::Instrument;

pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// `base_url` parsed once: each call's URL is this plus the method's path segment, so no
    /// call parses a URL (reqwest parses a `&str` on every request).
    pub(crate) endpoint: reqwest::Url,
    pub(crate) username: String,
    pub(crate) authorization: HeaderValue,
    pub(crate) redactor: Redactor,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_size: usize,
    /// The total timeout of one attempt.
    pub(crate) timeout: Duration,
}

/// A complete HTTP answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    retry_after: Option<Duration>,
}

/// Why one attempt failed, classified by whether the request may have reached the service.
enum Failure {
    /// Connecting failed (refused, DNS, TLS handshake): the request was never sent.
    Connect { message: String, timeout: bool },
    /// The request may have been received: a timeout or a connection lost mid-exchange.
    Lost { message: String, timeout: bool },
    /// The service answered with a non-success status.
    Status(Reply),
    /// The body was larger than the configured limit.
    TooLarge {
        status: u16,
        content_type: Option<String>,
        limit: usize,
    },
}

impl Failure {
    fn retryable(&self, mutating: bool) -> bool {
        match self {
            Self::Connect { .. } => true,
            Self::Lost { .. } => !mutating,
            Self::Status(reply) => !mutating && matches!(reply.status, 500 | 502 | 503 | 504),
            Self::TooLarge { .. } => false,
        }
    }

    fn status(&self) -> Option<u16> {
        match self {
            Self::Status(reply) => Some(reply.status),
            Self::TooLarge { status, .. } => Some(*status),
            Self::Connect { .. } | Self::Lost { .. } => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Connect { message, .. } | Self::Lost { message, .. } => message.clone(),
            Self::Status(reply) => format!("HTTP {}", reply.status),
            Self::TooLarge { limit, .. } => format!("body over {limit} bytes"),
        }
    }
}

impl Transport {
    /// Sends one call, retrying as the policy and the call's mutability allow.
    pub(crate) async fn execute(
        &self,
        method: &str,
        mutating: bool,
        body: Vec<u8>,
    ) -> Result<Reply> {
        let span = tracing::debug_span!("cpaas_reseller.call", method, mutating);
        async {
            let started = Instant::now();
            let body = Bytes::from(body);
            let mut attempt = 0u32;
            loop {
                attempt += 1;
                events::body(&self.redactor, method, attempt, Direction::Request, &body);
                let attempt_started = Instant::now();
                let result = self.attempt(method, attempt, body.clone()).await;
                let mut event = AttemptEvent {
                    method: String::new(),
                    attempt,
                    status: None,
                    duration: attempt_started.elapsed(),
                    retry: false,
                    wait: None,
                    outcome_unknown: false,
                    reason: None,
                };
                let failure = match result {
                    Ok(mut reply) if (200..300).contains(&reply.status) => {
                        reply.attempts = attempt;
                        event.status = Some(reply.status);
                        event.emit(method);
                        return Ok(reply);
                    }
                    Ok(reply) => Failure::Status(reply),
                    Err(failure) => failure,
                };
                event.status = failure.status();
                let retry_after = match &failure {
                    Failure::Status(reply) => reply.retry_after,
                    _ => None,
                };
                let wait = self.retry.backoff(attempt, retry_after);
                let may_retry = attempt <= self.retry.max_retries
                    && failure.retryable(mutating)
                    && started.elapsed() + wait <= self.retry.max_elapsed;
                event.reason = Some(failure.describe());
                if !may_retry {
                    let error = self.error(method, mutating, attempt, failure);
                    event.outcome_unknown = error.outcome_unknown();
                    event.emit(method);
                    return Err(error);
                }
                event.retry = true;
                event.wait = Some(wait);
                event.emit(method);
                tokio::time::sleep(wait).await;
            }
        }
        .instrument(span)
        .await
    }

    /// `{base_url}/{method}`. Method names are ASCII letters and digits (the catalogue's, or
    /// checked by [`crate::Client::call`]), so the segment needs no escaping.
    pub(crate) fn method_url(&self, method: &str) -> reqwest::Url {
        let mut url = self.endpoint.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(method);
        }
        url
    }

    /// Maps one complete answer as the last attempt of [`Transport::execute`] would: a success
    /// is returned for decoding, anything else becomes its error.
    pub(crate) fn settle(
        &self,
        method: &str,
        mutating: bool,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Reply> {
        let content_type = content_type.map(str::to_owned);
        let failure = if body.len() > self.max_body_size {
            Failure::TooLarge {
                status,
                content_type,
                limit: self.max_body_size,
            }
        } else {
            let reply = Reply {
                status,
                content_type,
                body: Bytes::copy_from_slice(body),
                attempts: 1,
                retry_after: None,
            };
            if (200..300).contains(&status) {
                return Ok(reply);
            }
            Failure::Status(reply)
        };
        Err(self.error(method, mutating, 1, failure))
    }

    async fn attempt(
        &self,
        method: &str,
        attempt: u32,
        body: Bytes,
    ) -> std::result::Result<Reply, Failure> {
        let response = self
            .http
            .post(self.method_url(method))
            // Static values: a `&str` would be copied and validated on every request.
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )
            .header(AUTHORIZATION, self.authorization.clone())
            .body(body)
            .send()
            .await
            .map_err(|error| classify(&error))?;
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let retry_after = header(RETRY_AFTER)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = self.read_body(response, status, &content_type).await?;
        events::body(&self.redactor, method, attempt, Direction::Response, &body);
        Ok(Reply {
            status,
            content_type,
            body,
            attempts: 0,
            retry_after,
        })
    }

    /// Reads the body, refusing it once it passes the size limit rather than buffering it all.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        status: u16,
        content_type: &Option<String>,
    ) -> std::result::Result<Bytes, Failure> {
        let limit = self.max_body_size;
        let too_large = || Failure::TooLarge {
            status,
            content_type: content_type.clone(),
            limit,
        };
        let declared = response.content_length().unwrap_or(0);
        if declared > limit as u64 {
            return Err(too_large());
        }
        let mut buffer = BytesMut::with_capacity(declared as usize);
        while let Some(chunk) = response.chunk().await.map_err(|error| Failure::Lost {
            message: format!("reading the response failed: {}", describe(&error)),
            timeout: error.is_timeout(),
        })? {
            if buffer.len() + chunk.len() > limit {
                return Err(too_large());
            }
            buffer.extend_from_slice(&chunk);
        }
        Ok(buffer.freeze())
    }

    fn error(&self, method: &str, mutating: bool, attempts: u32, failure: Failure) -> Error {
        // No complete answer: a timeout or another transport failure, whose outcome is unknown
        // only when a mutating request may have reached the service.
        let no_answer = |message: String, timeout: bool, outcome_unknown: bool| {
            let error = TransportError {
                method: method.to_owned(),
                // A proxy's error text could quote its credentials.
                message: self.redactor.redact(&message),
                outcome_unknown,
                attempts,
            };
            if timeout {
                Error::Timeout(error)
            } else {
                Error::Transport(error)
            }
        };
        match failure {
            Failure::Connect { message, timeout } => no_answer(message, timeout, false),
            Failure::Lost { message, timeout } => no_answer(message, timeout, mutating),
            Failure::Status(mut reply) => {
                reply.attempts = attempts;
                self.status_error(method, mutating, &reply)
            }
            Failure::TooLarge {
                status,
                content_type,
                limit,
            } => {
                let success = (200..300).contains(&status);
                Error::UnexpectedResponse(Box::new(ApiError {
                    method: method.to_owned(),
                    status,
                    content_type,
                    error_type: None,
                    message: Some(format!(
                        "the response body is larger than the {limit}-byte limit (see max_body_size)"
                    )),
                    detail: Map::new(),
                    body_excerpt: String::new(),
                    hint: None,
                    outcome_unknown: mutating && success,
                    attempts,
                }))
            }
        }
    }

    /// Maps a non-success answer to its error, keeping the vendor's error body when there is one.
    fn status_error(&self, method: &str, mutating: bool, reply: &Reply) -> Error {
        let vendor = VendorError::parse(&reply.body);
        let message = vendor.message.as_deref().map(|m| self.redactor.redact(m));
        let hint = (reply.status == 404).then(|| {
            format!(
                "no method {method} at {base}: check the base URL. The vendor's overview page gives \
                 .../WebApi/ResellerService while its method page uses .../WebApi/ResellerServices \
                 (the default); set the other with base_url",
                base = self.base_url
            )
        });
        let error = Box::new(ApiError {
            method: method.to_owned(),
            status: reply.status,
            content_type: reply.content_type.clone(),
            error_type: vendor.error_type.map(|t| self.redactor.redact(&t)),
            message,
            detail: self.redactor.redact_map(vendor.detail),
            body_excerpt: self
                .redactor
                .redact(&excerpt(&reply.body, BODY_EXCERPT_LIMIT)),
            hint,
            outcome_unknown: mutating && reply.status == 504,
            attempts: reply.attempts,
        });
        match reply.status {
            400 => Error::BadRequest(error),
            401 => Error::Authentication(error),
            500 => Error::Server(error),
            504 => Error::GatewayTimeout(error),
            _ => Error::UnexpectedResponse(error),
        }
    }

    /// A success whose body could not be decoded. For a mutating call the change was made but
    /// its result is unknown, so the outcome is reported as unknown.
    pub(crate) fn undecodable(
        &self,
        method: &str,
        mutating: bool,
        reply: &Reply,
        error: &serde_json::Error,
    ) -> Error {
        let what = match reply.content_type.as_deref() {
            Some(ct) if !ct.contains("json") => {
                format!("expected a JSON body, got {ct} ({error})")
            }
            _ => format!("could not decode the response: {error}"),
        };
        Error::UnexpectedResponse(Box::new(ApiError {
            method: method.to_owned(),
            status: reply.status,
            content_type: reply.content_type.clone(),
            error_type: None,
            message: Some(self.redactor.redact(&what)),
            detail: Map::new(),
            body_excerpt: self
                .redactor
                .redact(&excerpt(&reply.body, BODY_EXCERPT_LIMIT)),
            hint: None,
            outcome_unknown: mutating,
            attempts: reply.attempts,
        }))
    }
}

/// The vendor's error body: `{"ErrorDetail": {"Message": ...}, "ErrorType": ...}`, or its WCF
/// XML rendering when the service ignored `Accept`.
#[derive(Default)]
struct VendorError {
    error_type: Option<String>,
    message: Option<String>,
    detail: Map<String, Value>,
}

impl VendorError {
    fn parse(body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(rename = "ErrorDetail", default)]
            detail: Option<Map<String, Value>>,
            #[serde(rename = "ErrorType", default)]
            error_type: Option<String>,
        }
        if let Ok(wire) = serde_json::from_slice::<Wire>(body) {
            let detail = wire.detail.unwrap_or_default();
            let message = detail
                .get("Message")
                .and_then(Value::as_str)
                .map(str::to_owned);
            return Self {
                error_type: wire.error_type,
                message,
                detail,
            };
        }
        let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
        let message = xml_element(&text, "Message");
        let error_type = xml_element(&text, "ErrorType");
        let mut detail = Map::new();
        if let Some(message) = &message {
            detail.insert("Message".to_owned(), Value::String(message.clone()));
        }
        Self {
            error_type,
            message,
            detail,
        }
    }
}

/// The text of the first `<name>` element (namespace prefixes allowed), entities decoded.
fn xml_element(text: &str, name: &str) -> Option<String> {
    let open = text.find(&format!("{name}>")).filter(|i| {
        let before = &text[..*i];
        before.ends_with('<')
            || before
                .rfind('<')
                .is_some_and(|lt| before[lt + 1..].ends_with(':'))
    })?;
    let start = open + name.len() + 1;
    let end = text[start..].find("</")? + start;
    let raw = text[start..end].trim();
    (!raw.is_empty() && !raw.contains('<')).then(|| {
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    })
}

/// Turns a reqwest error into the failure class that decides retries.
fn classify(error: &reqwest::Error) -> Failure {
    let message = describe(error);
    if error.is_connect() {
        Failure::Connect {
            message: format!("could not connect: {message}"),
            timeout: error.is_timeout(),
        }
    } else if error.is_timeout() {
        Failure::Lost {
            message: "no response within the timeout".to_owned(),
            timeout: true,
        }
    } else {
        Failure::Lost {
            message: format!("the connection failed before a complete response: {message}"),
            timeout: false,
        }
    }
}

/// The error's causes as one line, without reqwest's own prefix and URL.
fn describe(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(
            if error.is_body() {
                "body error"
            } else {
                "request error"
            }
            .to_owned(),
        );
    }
    parts.join(": ")
}

/// Removes the API password and the Basic credential from text that came from the network.
pub(crate) struct Redactor {
    password: Secret,
    pub(crate) basic_value: String,
    basic_token: String,
    /// Other secrets the client holds (a proxy's password).
    others: Vec<Secret>,
}

impl Redactor {
    pub(crate) fn new(username: &str, password: &Secret, others: Vec<Secret>) -> Self {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose()));
        Self {
            password: password.clone(),
            basic_value: format!("Basic {token}"),
            basic_token: token,
            others,
        }
    }

    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.replace(&self.basic_token, "***");
        for secret in std::iter::once(&self.password).chain(&self.others) {
            if secret.expose().len() >= 4 {
                out = out.replace(secret.expose(), "***");
            }
        }
        out
    }

    /// Redacts every key and string in an error body's object (a service may echo anything).
    pub(crate) fn redact_map(&self, map: Map<String, Value>) -> Map<String, Value> {
        map.into_iter()
            .map(|(key, value)| (self.redact(&key), self.redact_value(value)))
            .collect()
    }

    fn redact_value(&self, value: Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.redact(&text)),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.redact_value(v)).collect())
            }
            Value::Object(map) => Value::Object(self.redact_map(map)),
            other => other,
        }
    }
}
