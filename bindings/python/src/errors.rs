//! The one mapping point from the core's [`Error`] to the exception classes of
//! `cpaas_reseller.errors` (defined in Python so they can also subclass `ValueError` and
//! `TimeoutError`). Every field the core carries becomes an attribute; the text is the core's
//! `Display`, which never contains the password.

use crate::convert::ToPy;
use cpaas_reseller::{ApiError, Error, ErrorKind, TransportError, ValidationError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class for each kind, as named in `cpaas_reseller/errors.py`.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "ValidationError",
        ErrorKind::BadRequest => "BadRequestError",
        ErrorKind::Authentication => "AuthenticationError",
        ErrorKind::Server => "ServerError",
        ErrorKind::GatewayTimeout => "GatewayTimeoutError",
        ErrorKind::UnexpectedResponse => "UnexpectedResponseError",
        ErrorKind::Timeout => "RequestTimeoutError",
        ErrorKind::Transport => "TransportError",
    }
}

/// The Python exception for a core error.
pub(crate) fn to_py(py: Python<'_>, error: &Error) -> PyErr {
    build(py, error).unwrap_or_else(|failure| failure)
}

/// A local validation error, for checks the binding makes while converting arguments.
pub(crate) fn validation(
    py: Python<'_>,
    method: Option<&str>,
    field: &str,
    message: String,
) -> PyErr {
    to_py(
        py,
        &Error::Validation(ValidationError {
            method: method.map(str::to_owned),
            field: field.to_owned(),
            message,
        }),
    )
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let module = ERRORS_MODULE
        .get_or_try_init(py, || py.import("cpaas_reseller.errors").map(Bound::unbind))?
        .bind(py);
    let kwargs = PyDict::new(py);
    let class = match error {
        Error::Validation(inner) => {
            validation_attributes(&kwargs, inner)?;
            class_name(ErrorKind::Validation)
        }
        Error::Timeout(inner) | Error::Transport(inner) => {
            transport_attributes(&kwargs, inner)?;
            class_name(error.kind())
        }
        _ => match error.api() {
            Some(inner) => {
                api_attributes(py, &kwargs, inner)?;
                class_name(error.kind())
            }
            // A kind this binding predates (the core's enum is non-exhaustive): the base class
            // still carries the text and the method.
            None => {
                kwargs.set_item("method", error.method())?;
                "ResellerError"
            }
        },
    };
    let instance = module
        .getattr(class)?
        .call((error.to_string(),), Some(&kwargs))?;
    if !instance.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        return Err(PyRuntimeError::new_err(format!(
            "cpaas_reseller.errors.{class} is not an exception class"
        )));
    }
    Ok(PyErr::from_value(instance))
}

fn validation_attributes(kwargs: &Bound<'_, PyDict>, error: &ValidationError) -> PyResult<()> {
    kwargs.set_item("method", error.method.as_deref())?;
    kwargs.set_item("field", &error.field)?;
    kwargs.set_item("message", &error.message)
}

fn transport_attributes(kwargs: &Bound<'_, PyDict>, error: &TransportError) -> PyResult<()> {
    kwargs.set_item("method", &error.method)?;
    kwargs.set_item("message", &error.message)?;
    kwargs.set_item("outcome_unknown", error.outcome_unknown)?;
    kwargs.set_item("attempts", error.attempts)
}

fn api_attributes(py: Python<'_>, kwargs: &Bound<'_, PyDict>, error: &ApiError) -> PyResult<()> {
    kwargs.set_item("method", &error.method)?;
    kwargs.set_item("status", error.status)?;
    kwargs.set_item("error_type", error.error_type.as_deref())?;
    kwargs.set_item("message", error.message.as_deref())?;
    kwargs.set_item("detail", error.detail.to_py(py)?)?;
    kwargs.set_item("body_excerpt", &error.body_excerpt)?;
    kwargs.set_item("content_type", error.content_type.as_deref())?;
    kwargs.set_item("hint", error.hint.as_deref())?;
    kwargs.set_item("outcome_unknown", error.outcome_unknown)?;
    kwargs.set_item("attempts", error.attempts)
}
