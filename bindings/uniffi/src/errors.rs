//! The one error type of the facade: the core's error, variant for variant, with fields.
//!
//! Kotlin sees a sealed `ResellerException` hierarchy, Swift an `enum ResellerError: Error`.
//! The five variants that carry an HTTP answer share one record, [`HttpError`] (Kotlin
//! `e.http.status`, Swift `case .BadRequest(let http, _)`), and the two without one share
//! [`TransportError`] (`e.transport.attempts`, `case .Timeout(let transport, _)`); the
//! hand-written Kotlin and Swift helpers read them, `outcome_unknown`, `method` and `attempts`
//! from any error without a match.
//! Every variant carries `description`, the core's `Display` text (also exported as the type's
//! `Display`: Kotlin `toString()`, Swift `description`). Kotlin renames the variants' `message`
//! field to `errorMessage` (see `uniffi.toml`) because `Throwable.message` is taken; the
//! records' `message` keeps its name.

use cpaas_reseller::{ApiError, Error, ValidationError};
use serde_json::Value;

/// The service's answer to a call that failed with an HTTP status (or a body that could not be
/// read or decoded): what `BadRequest`, `Authentication`, `Server`, `GatewayTimeout` and
/// `UnexpectedResponse` carry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpError {
    /// The vendor method (`AllocateCredit`).
    pub method: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// `ErrorType` of the vendor error body (`ArgumentFaultContract`, ...).
    pub error_type: Option<String>,
    /// `ErrorDetail.Message` of the vendor error body, or what went wrong reading the body.
    pub message: Option<String>,
    /// The whole `ErrorDetail` object as JSON text (`{}` when absent), every field kept.
    pub detail_json: String,
    /// At most 1 KiB of the body, secrets removed.
    pub body_excerpt: String,
    /// What to check next (for a 404: the base URL used).
    pub hint: Option<String>,
    /// True when a mutating call may have been applied (a 504, an unreadable success body).
    pub outcome_unknown: bool,
    /// Attempts made, retries included.
    pub attempts: u32,
}

/// A call that got no complete answer, or none in time: what `Timeout` and `Transport` carry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TransportError {
    /// The vendor method (`AllocateCredit`).
    pub method: String,
    /// What failed: the timeout, or the connect, TLS or I/O error.
    pub message: String,
    /// True when a mutating call may have been applied (the request may have reached the
    /// service).
    pub outcome_unknown: bool,
    /// Attempts made, retries included.
    pub attempts: u32,
}

/// Everything that can go wrong with a call.
///
/// Mutating calls whose effect on the server is unknown (a timeout, a dropped connection, a 504,
/// an unreadable success body) have `outcome_unknown` set: reconcile before repeating them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum ResellerError {
    /// The request failed local validation; nothing was sent.
    #[error("{description}")]
    Validation {
        /// The vendor method, or none when the client configuration was invalid.
        method: Option<String>,
        /// The field as the vendor spells it (PascalCase, as on the wire), or the configuration
        /// option.
        field: String,
        message: String,
        description: String,
    },
    /// HTTP 400: the service rejected the parameters.
    #[error("{description}")]
    BadRequest {
        http: HttpError,
        description: String,
    },
    /// HTTP 401: the user name or password was refused.
    #[error("{description}")]
    Authentication {
        http: HttpError,
        description: String,
    },
    /// HTTP 500: the service failed internally.
    #[error("{description}")]
    Server {
        http: HttpError,
        description: String,
    },
    /// HTTP 504: the service's own timeout passed; a mutating call may have been applied.
    #[error("{description}")]
    GatewayTimeout {
        http: HttpError,
        description: String,
    },
    /// Any other status (404 included, with a hint about the base URL), or a body that could not
    /// be read or decoded.
    #[error("{description}")]
    UnexpectedResponse {
        http: HttpError,
        description: String,
    },
    /// No complete response within the configured timeout.
    #[error("{description}")]
    Timeout {
        transport: TransportError,
        description: String,
    },
    /// Connecting, TLS or I/O failed.
    #[error("{description}")]
    Transport {
        transport: TransportError,
        description: String,
    },
}

#[uniffi::export]
impl ResellerError {
    /// The core's stable kind name: `validation`, `bad_request`, `authentication`, `server`,
    /// `gateway_timeout`, `unexpected_response`, `timeout` or `transport`.
    pub fn kind(&self) -> String {
        match self {
            Self::Validation { .. } => "validation",
            Self::BadRequest { .. } => "bad_request",
            Self::Authentication { .. } => "authentication",
            Self::Server { .. } => "server",
            Self::GatewayTimeout { .. } => "gateway_timeout",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::Timeout { .. } => "timeout",
            Self::Transport { .. } => "transport",
        }
        .to_owned()
    }

    /// True when a mutating call may have been applied although it did not succeed.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Self::Validation { .. } => false,
            Self::Timeout { transport, .. } | Self::Transport { transport, .. } => {
                transport.outcome_unknown
            }
            Self::BadRequest { http, .. }
            | Self::Authentication { http, .. }
            | Self::Server { http, .. }
            | Self::GatewayTimeout { http, .. }
            | Self::UnexpectedResponse { http, .. } => http.outcome_unknown,
        }
    }
}

impl ResellerError {
    /// A validation failure raised by the facade itself (a value that cannot cross the FFI).
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            method: None,
            field: field.to_owned(),
            description: format!("invalid {field}: {message}"),
            message,
        }
    }
}

impl From<ApiError> for HttpError {
    fn from(api: ApiError) -> Self {
        let ApiError {
            method,
            status,
            content_type,
            error_type,
            message,
            detail,
            body_excerpt,
            hint,
            outcome_unknown,
            attempts,
        } = api;
        Self {
            method,
            status,
            content_type,
            error_type,
            message,
            detail_json: Value::Object(detail).to_string(),
            body_excerpt,
            hint,
            outcome_unknown,
            attempts,
        }
    }
}

impl From<cpaas_reseller::TransportError> for TransportError {
    fn from(transport: cpaas_reseller::TransportError) -> Self {
        let cpaas_reseller::TransportError {
            method,
            message,
            outcome_unknown,
            attempts,
        } = transport;
        Self {
            method,
            message,
            outcome_unknown,
            attempts,
        }
    }
}

/// The core error's `Display` text, written into a buffer sized for it at once (`to_string`
/// would grow it piece by piece: a reallocation per doubling on every failed call).
fn display_text(error: &Error) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(256);
    // Writing into a String cannot fail.
    let _ = write!(text, "{error}");
    text
}

impl From<Error> for ResellerError {
    fn from(error: Error) -> Self {
        let description = display_text(&error);
        match error {
            Error::Validation(ValidationError {
                method,
                field,
                message,
            }) => Self::Validation {
                method,
                field,
                message,
                description,
            },
            Error::BadRequest(api) => Self::BadRequest {
                http: HttpError::from(*api),
                description,
            },
            Error::Authentication(api) => Self::Authentication {
                http: HttpError::from(*api),
                description,
            },
            Error::Server(api) => Self::Server {
                http: HttpError::from(*api),
                description,
            },
            Error::GatewayTimeout(api) => Self::GatewayTimeout {
                http: HttpError::from(*api),
                description,
            },
            Error::UnexpectedResponse(api) => Self::UnexpectedResponse {
                http: HttpError::from(*api),
                description,
            },
            Error::Timeout(transport) => Self::Timeout {
                transport: transport.into(),
                description,
            },
            Error::Transport(transport) => Self::Transport {
                transport: transport.into(),
                description,
            },
            // The core's error is non-exhaustive: a kind added there before this facade knows it
            // still reaches the caller, as a transport failure carrying its text.
            other => Self::Transport {
                transport: TransportError {
                    method: other.method().unwrap_or_default().to_owned(),
                    message: description.clone(),
                    outcome_unknown: other.outcome_unknown(),
                    attempts: 1,
                },
                description,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::{json, Map};

    fn api(status: u16) -> Box<ApiError> {
        let Value::Object(detail) = json!({"Message": "nope", "Code": 7}) else {
            unreachable!()
        };
        Box::new(ApiError {
            method: "AllocateCredit".into(),
            status,
            content_type: Some("application/json".into()),
            error_type: Some("ArgumentFaultContract".into()),
            message: Some("nope".into()),
            detail,
            body_excerpt: "{...}".into(),
            hint: None,
            outcome_unknown: status == 504,
            attempts: 1,
        })
    }

    #[test]
    fn every_api_kind_keeps_its_fields_and_display_text() {
        let cases = [
            (Error::BadRequest(api(400)), "bad_request"),
            (Error::Authentication(api(401)), "authentication"),
            (Error::Server(api(500)), "server"),
            (Error::GatewayTimeout(api(504)), "gateway_timeout"),
            (Error::UnexpectedResponse(api(418)), "unexpected_response"),
        ];
        for (core, kind) in cases {
            let text = core.to_string();
            let status = core.status().unwrap();
            let error = ResellerError::from(core);
            assert_eq!(error.kind(), kind);
            assert_eq!(error.to_string(), text);
            assert_eq!(error.is_outcome_unknown(), status == 504);
            let (ResellerError::BadRequest { http, description }
            | ResellerError::Authentication { http, description }
            | ResellerError::Server { http, description }
            | ResellerError::GatewayTimeout { http, description }
            | ResellerError::UnexpectedResponse { http, description }) = error
            else {
                panic!("{kind} has no HTTP answer");
            };
            assert_eq!(description, text);
            let expected = HttpError {
                method: "AllocateCredit".into(),
                status,
                content_type: Some("application/json".into()),
                error_type: Some("ArgumentFaultContract".into()),
                message: Some("nope".into()),
                detail_json: http.detail_json.clone(),
                body_excerpt: "{...}".into(),
                hint: None,
                outcome_unknown: status == 504,
                attempts: 1,
            };
            assert_eq!(http, expected);
            let detail: Map<String, Value> = serde_json::from_str(&http.detail_json).unwrap();
            assert_eq!(detail.get("Code"), Some(&json!(7)));
            assert_eq!(detail.get("Message"), Some(&json!("nope")));
        }
    }

    #[test]
    fn transport_kinds_keep_outcome_unknown() {
        let transport = cpaas_reseller::TransportError {
            method: "AllocateCredit".into(),
            message: "timed out".into(),
            outcome_unknown: true,
            attempts: 2,
        };
        let error = ResellerError::from(Error::Timeout(transport));
        assert_eq!(error.kind(), "timeout");
        assert!(error.is_outcome_unknown());
        assert!(error.to_string().contains("outcome unknown"));
        let ResellerError::Timeout { transport, .. } = error else {
            panic!("a timeout stays a timeout: {error}");
        };
        let expected = TransportError {
            method: "AllocateCredit".into(),
            message: "timed out".into(),
            outcome_unknown: true,
            attempts: 2,
        };
        assert_eq!(transport, expected);
    }
}
