//! `cpaas_reseller.doctor(...)`: the core's `doctor::run`, its report as a dict.

use crate::errors;
use crate::runtime;
use cpaas_reseller::doctor as checks;
use cpaas_reseller::Client;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::time::Duration;

/// Checks both base URLs, the credentials and every read-only method (never a mutating one).
/// Returns `{"ok", "cause", "working_base_url", "report", "base_urls": [{"base_url", "cause",
/// "steps": [...], "methods": [{"method", "known", "status", "duration_ms", "detail"}]}]}`.
#[pyfunction]
#[pyo3(signature = (username, password, *, base_url=None, timeout=130.0))]
pub(crate) fn doctor<'py>(
    py: Python<'py>,
    username: String,
    password: String,
    base_url: Option<String>,
    timeout: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let mut builder = Client::builder()
        .credentials(username, password)
        .timeout(Duration::from_secs_f64(timeout.max(0.001)));
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let report =
        runtime::block_on(py, checks::run(builder))?.map_err(|error| errors::to_py(py, &error))?;
    let out = PyDict::new(py);
    out.set_item("ok", report.ok())?;
    out.set_item("cause", report.cause().map(|c| c.as_str()))?;
    out.set_item("working_base_url", report.working_base_url())?;
    out.set_item("report", report.to_string())?;
    let bases = PyList::empty(py);
    for check in &report.base_urls {
        let base = PyDict::new(py);
        base.set_item("base_url", &check.base_url)?;
        base.set_item("cause", check.cause.map(|c| c.as_str()))?;
        let steps = PyList::empty(py);
        for step in &check.steps {
            let item = PyDict::new(py);
            item.set_item("name", step.name)?;
            item.set_item("ok", step.ok)?;
            item.set_item("detail", &step.detail)?;
            item.set_item("duration_ms", step.duration.as_millis() as u64)?;
            steps.append(item)?;
        }
        base.set_item("steps", steps)?;
        let methods = PyList::empty(py);
        for method in &check.methods {
            let item = PyDict::new(py);
            item.set_item("method", method.method)?;
            item.set_item("known", method.known)?;
            item.set_item("status", method.status)?;
            item.set_item("duration_ms", method.duration.as_millis() as u64)?;
            item.set_item("detail", &method.detail)?;
            methods.append(item)?;
        }
        base.set_item("methods", methods)?;
        bases.append(base)?;
    }
    out.set_item("base_urls", bases)?;
    Ok(out)
}
