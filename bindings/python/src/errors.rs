//! The one mapping point from the core's [`Error`] to the exception classes of
//! `cpaas_reseller.errors` (defined in Python so they can also subclass `ValueError` and
//! `TimeoutError`). Every field the core carries becomes an attribute; the text is the core's
//! `Display`, which never contains the password.

use crate::convert::ToPy;
use cpaas_reseller::{ApiError, Error, ErrorKind, TransportError, ValidationError};
use pyo3::exceptions::{PyBaseException, PyRuntimeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyModule, PyType};

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

/// Builds the instance as unpickling does (`_rebuild` in errors.py): `BaseException.__new__`
/// sets `args` to the text, then each attribute `__init__` would set is set directly. Skipping the
/// Python-level `__init__` chain halves the cost of a failed call.
fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let module = ERRORS_MODULE
        .get_or_try_init(py, || py.import("cpaas_reseller.errors").map(Bound::unbind))?
        .bind(py);
    let class_name = match (error, error.api()) {
        (Error::Validation(_) | Error::Timeout(_) | Error::Transport(_), _) | (_, Some(_)) => {
            class_name(error.kind())
        }
        // A kind this binding predates (the core's enum is non-exhaustive): the base class
        // still carries the text and the method.
        _ => "ResellerError",
    };
    let class = module.getattr(class_name)?;
    if !class
        .cast::<PyType>()
        .is_ok_and(|class| class.is_subclass_of::<PyBaseException>().unwrap_or(false))
    {
        return Err(PyRuntimeError::new_err(format!(
            "cpaas_reseller.errors.{class_name} is not an exception class"
        )));
    }
    let instance = class.call_method1(intern!(py, "__new__"), (&class, error.to_string()))?;
    match error {
        Error::Validation(inner) => validation_attributes(&instance, inner)?,
        Error::Timeout(inner) | Error::Transport(inner) => transport_attributes(&instance, inner)?,
        _ => match error.api() {
            Some(inner) => api_attributes(py, &instance, inner)?,
            None => instance.setattr(intern!(py, "method"), error.method())?,
        },
    }
    Ok(PyErr::from_value(instance))
}

fn validation_attributes(target: &Bound<'_, PyAny>, error: &ValidationError) -> PyResult<()> {
    let py = target.py();
    target.setattr(intern!(py, "method"), error.method.as_deref())?;
    target.setattr(intern!(py, "field"), &error.field)?;
    target.setattr(intern!(py, "message"), &error.message)
}

fn transport_attributes(target: &Bound<'_, PyAny>, error: &TransportError) -> PyResult<()> {
    let py = target.py();
    target.setattr(intern!(py, "method"), &error.method)?;
    target.setattr(intern!(py, "message"), &error.message)?;
    target.setattr(intern!(py, "outcome_unknown"), error.outcome_unknown)?;
    target.setattr(intern!(py, "attempts"), error.attempts)
}

fn api_attributes(py: Python<'_>, target: &Bound<'_, PyAny>, error: &ApiError) -> PyResult<()> {
    target.setattr(intern!(py, "method"), &error.method)?;
    target.setattr(intern!(py, "status"), error.status)?;
    target.setattr(intern!(py, "error_type"), error.error_type.as_deref())?;
    target.setattr(intern!(py, "message"), error.message.as_deref())?;
    target.setattr(intern!(py, "detail"), error.detail.to_py(py)?)?;
    target.setattr(intern!(py, "body_excerpt"), &error.body_excerpt)?;
    target.setattr(intern!(py, "content_type"), error.content_type.as_deref())?;
    target.setattr(intern!(py, "hint"), error.hint.as_deref())?;
    target.setattr(intern!(py, "outcome_unknown"), error.outcome_unknown)?;
    target.setattr(intern!(py, "attempts"), error.attempts)
}
