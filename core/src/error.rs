//! The one public error type, modelled on the service's own error body.

use serde_json::{Map, Value};
use std::fmt;

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The largest body excerpt an error carries.
pub const BODY_EXCERPT_LIMIT: usize = 1024;

/// Everything that can go wrong with a call.
///
/// Variants carry what a caller needs to act and to file a support ticket. Mutating calls whose
/// effect on the server is unknown (a timeout, a dropped connection, a 504, an unreadable success
/// body) say so with [`Error::outcome_unknown`]; the client never replays them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request failed local validation; nothing was sent.
    #[error("{0}")]
    Validation(ValidationError),
    /// HTTP 400: the service rejected the parameters.
    #[error("{0}")]
    BadRequest(Box<ApiError>),
    /// HTTP 401: the user name or password was refused.
    #[error("{0}")]
    Authentication(Box<ApiError>),
    /// HTTP 500: the service failed internally.
    #[error("{0}")]
    Server(Box<ApiError>),
    /// HTTP 504: the service's own timeout passed; a mutating call may have been applied.
    #[error("{0}")]
    GatewayTimeout(Box<ApiError>),
    /// Any other status (404 included, with a hint about the base URL), or a body that could not
    /// be read or decoded.
    #[error("{0}")]
    UnexpectedResponse(Box<ApiError>),
    /// No complete response within the configured timeout.
    #[error("{0}")]
    Timeout(TransportError),
    /// Connecting, TLS or I/O failed.
    #[error("{0}")]
    Transport(TransportError),
}

/// The kind of an [`Error`], for callers (and bindings) that dispatch on it without its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Validation,
    BadRequest,
    Authentication,
    Server,
    GatewayTimeout,
    UnexpectedResponse,
    Timeout,
    Transport,
}

impl ErrorKind {
    /// A stable snake_case name, used by the CLI, bindings and test vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::BadRequest => "bad_request",
            Self::Authentication => "authentication",
            Self::Server => "server",
            Self::GatewayTimeout => "gateway_timeout",
            Self::UnexpectedResponse => "unexpected_response",
            Self::Timeout => "timeout",
            Self::Transport => "transport",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) => ErrorKind::Validation,
            Self::BadRequest(_) => ErrorKind::BadRequest,
            Self::Authentication(_) => ErrorKind::Authentication,
            Self::Server(_) => ErrorKind::Server,
            Self::GatewayTimeout(_) => ErrorKind::GatewayTimeout,
            Self::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
            Self::Timeout(_) => ErrorKind::Timeout,
            Self::Transport(_) => ErrorKind::Transport,
        }
    }

    /// The HTTP response behind the error, if the service answered.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::BadRequest(e)
            | Self::Authentication(e)
            | Self::Server(e)
            | Self::GatewayTimeout(e)
            | Self::UnexpectedResponse(e) => Some(e),
            _ => None,
        }
    }

    /// The transport failure behind the error, if no complete response arrived.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Self::Timeout(e) | Self::Transport(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// The vendor method the call was for (`None` for client configuration errors).
    pub fn method(&self) -> Option<&str> {
        match self {
            Self::Validation(e) => e.method.as_deref(),
            _ => self
                .api()
                .map(|e| e.method.as_str())
                .or_else(|| self.transport().map(|e| e.method.as_str())),
        }
    }

    /// True when a mutating call may have been applied although it did not succeed.
    /// Such a call must be reconciled, never blindly repeated.
    pub fn outcome_unknown(&self) -> bool {
        self.api()
            .map(|e| e.outcome_unknown)
            .or_else(|| self.transport().map(|e| e.outcome_unknown))
            .unwrap_or(false)
    }

    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(ValidationError {
            method: None,
            field: field.to_owned(),
            message: message.into(),
        })
    }

    /// Names the operation a validation error belongs to; other errors already carry it.
    pub(crate) fn in_method(self, method: &str) -> Self {
        match self {
            Self::Validation(inner) => Self::Validation(ValidationError {
                method: Some(method.to_owned()),
                ..inner
            }),
            other => other,
        }
    }
}

/// A local validation failure: names the field (vendor spelling) and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The vendor method, or `None` when the client configuration was invalid.
    pub method: Option<String>,
    /// The field, as the vendor spells it (PascalCase, as on the wire), or the builder option.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.method {
            Some(method) => write!(f, "{method}: invalid {}: {}", self.field, self.message),
            None => write!(f, "invalid {}: {}", self.field, self.message),
        }
    }
}

impl std::error::Error for ValidationError {}

/// An answer from the service that is not a success.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub method: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// `ErrorType` from the vendor error body (`ArgumentFaultContract`, ...).
    pub error_type: Option<String>,
    /// `ErrorDetail.Message` from the vendor error body, or what went wrong reading the body.
    pub message: Option<String>,
    /// The whole `ErrorDetail` object, every field kept.
    pub detail: Map<String, Value>,
    /// At most [`BODY_EXCERPT_LIMIT`] bytes of the body, secrets removed.
    pub body_excerpt: String,
    /// What to check next (for a 404: the base URL used and the documented path discrepancy).
    pub hint: Option<String>,
    pub outcome_unknown: bool,
    /// How many attempts were made, retries included.
    pub attempts: u32,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.method, self.status)?;
        if let Some(error_type) = &self.error_type {
            write!(f, " {error_type}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None => {
                let content_type = self.content_type.as_deref().unwrap_or("no content type");
                write!(
                    f,
                    " ({content_type}): {:?}",
                    excerpt_head(&self.body_excerpt)
                )?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, ". {hint}")?;
        }
        if self.outcome_unknown {
            f.write_str(
                " (outcome unknown: the call may have been applied; reconcile before retrying)",
            )?;
        }
        Ok(())
    }
}

/// No complete response: connect, TLS, I/O or timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub method: String,
    pub message: String,
    pub outcome_unknown: bool,
    pub attempts: u32,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.method, self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if self.outcome_unknown {
            f.write_str(
                " (outcome unknown: the call may have been applied; reconcile before retrying)",
            )?;
        }
        Ok(())
    }
}

/// The first line of an excerpt, short enough for a one-line message.
fn excerpt_head(excerpt: &str) -> &str {
    let line = excerpt.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let end = line
        .char_indices()
        .nth(160)
        .map_or(line.len(), |(index, _)| index);
    &line[..end]
}

/// The start of a body as text, cut at a character boundary within `limit` bytes.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let mut cut = &body[..body.len().min(limit)];
    if cut.len() < body.len() {
        cut = without_partial_char(cut);
    }
    let text = String::from_utf8_lossy(cut);
    // Each invalid byte became a three-byte replacement character: bound the text itself too.
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Drops a multi-byte UTF-8 character cut in half at the end, so the cut does not show up as a
/// replacement character.
fn without_partial_char(bytes: &[u8]) -> &[u8] {
    let len = bytes.len();
    for back in 1..=len.min(4) {
        let byte = bytes[len - back];
        if byte & 0xC0 != 0x80 {
            let width = match byte {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            };
            return if width > back {
                &bytes[..len - back]
            } else {
                bytes
            };
        }
    }
    bytes
}
