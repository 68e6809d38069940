//! The vendor's error body, `{"ErrorDetail":{"Message":...},"ErrorType":...}`, and the statuses
//! that carry it.

use serde_json::{json, Value};

/// A failed call as the service reports it.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) error_type: &'static str,
    pub(crate) message: String,
    /// Injected faults add `ErrorDetail.InjectedFault: true`, an extra field that clients must keep.
    pub(crate) injected: bool,
}

impl ApiError {
    /// A rule violation: 400 `ArgumentFaultContract`.
    pub(crate) fn argument(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            error_type: "ArgumentFaultContract",
            message: message.into(),
            injected: false,
        }
    }

    /// Wrong or missing credentials: the vendor's exact 401 body.
    pub(crate) fn authentication() -> Self {
        ApiError {
            status: 401,
            error_type: "AuthenticationFaultContract",
            message: "Invalid user name or password.".to_owned(),
            injected: false,
        }
    }

    /// An emulator bug surfaced as the service's own 500.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: 500,
            error_type: "InternalFaultContract",
            message: message.into(),
            injected: false,
        }
    }

    /// The error body of an injected `Status` fault.
    pub(crate) fn injected(status: u16) -> Self {
        let (error_type, message) = match status {
            400 => (
                "ArgumentFaultContract",
                "Injected fault: the request was rejected.",
            ),
            401 => (
                "AuthenticationFaultContract",
                "Invalid user name or password.",
            ),
            403 => (
                "AuthorizationFaultContract",
                "Injected fault: access denied.",
            ),
            429 => (
                "ThrottlingFaultContract",
                "Injected fault: too many requests.",
            ),
            500 => (
                "InternalFaultContract",
                "Injected fault: an internal error occurred.",
            ),
            503 => (
                "ServiceUnavailableFaultContract",
                "Injected fault: the service is unavailable.",
            ),
            504 => (
                "TimeoutFaultContract",
                "Injected fault: the operation timed out; it may or may not have been applied.",
            ),
            _ => ("FaultContract", "Injected fault."),
        };
        ApiError {
            status,
            error_type,
            message: message.to_owned(),
            injected: true,
        }
    }

    /// The vendor's JSON error body.
    pub(crate) fn to_value(&self) -> Value {
        let mut detail = json!({ "Message": self.message });
        if self.injected {
            detail["InjectedFault"] = Value::Bool(true);
        }
        json!({ "ErrorDetail": detail, "ErrorType": self.error_type })
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.to_value()).unwrap_or_default()
    }
}

/// Short for operation results.
pub(crate) type ApiResult<T> = Result<T, ApiError>;
