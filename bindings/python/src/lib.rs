//! The native module `cpaas_reseller._native`, built by maturin from `python/`.
//!
//! A thin layer over the core crate: it converts arguments, records and errors and adapts the
//! calling conventions (blocking with the GIL released, asyncio awaitables). Validation,
//! retries, decoding and error mapping all happen in the core.

// The workspace denies unsafe code; pyo3's macros (`#[pyclass]`, `#[pymethods]`, `#[pymodule]`)
// expand to it and `allocator.rs` implements `GlobalAlloc`, so this crate alone allows it. Every
// other workspace lint ([lints] workspace = true) applies here.
#![allow(unsafe_code)]

mod allocator;
mod awaitable;
mod bulk;
mod client;
mod completions;
mod convert;
mod datetime_api;
mod doctor;
mod emulator;
mod errors;
mod fork;
mod logging;
mod options;
mod records;
mod relay;
mod runtime;
mod tables;
mod wake;

use cpaas_reseller::OPERATIONS;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

#[global_allocator]
static ALLOCATOR: allocator::Split = allocator::Split;

/// The core's operation catalogue: one dict per operation (`method`, `function`, `area`,
/// `mutating`, `documented`), in catalogue order.
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    OPERATIONS
        .iter()
        .map(|op| {
            let dict = PyDict::new(py);
            dict.set_item("method", op.method)?;
            dict.set_item("function", op.function)?;
            dict.set_item("area", op.area.as_str())?;
            dict.set_item("mutating", op.mutating)?;
            dict.set_item("documented", op.documented)?;
            Ok(dict)
        })
        .collect()
}

/// Panics inside Rust, on the calling thread or (`in_task`) inside a tokio task behind an
/// awaitable. It exists so the test suite can prove that a Rust panic surfaces as a Python
/// exception and never aborts the interpreter.
#[pyfunction]
#[pyo3(signature = (*, in_task=false))]
#[allow(clippy::panic)]
fn _panic_for_tests(py: Python<'_>, in_task: bool) -> PyResult<Bound<'_, PyAny>> {
    if in_task {
        let origin = completions::Origin {
            method: "_panic_for_tests".into(),
            mutating: false,
        };
        let call = awaitable::Call::new(origin, |_| {
            Ok(async {
                if std::hint::black_box(true) {
                    panic!("deliberate panic in a tokio task");
                }
                Err::<(), PyErr>(PyValueError::new_err("unreachable"))
            })
        });
        return Ok(Bound::new(py, call)?.into_any());
    }
    panic!("deliberate panic on the calling thread");
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install(module.py())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("DEFAULT_BASE_URL", cpaas_reseller::DEFAULT_BASE_URL)?;
    module.add("OVERVIEW_BASE_URL", cpaas_reseller::OVERVIEW_BASE_URL)?;
    module.add_function(wrap_pyfunction!(doctor::doctor, module)?)?;
    module.add_class::<client::Client>()?;
    module.add_class::<client::AsyncClient>()?;
    module.add_class::<awaitable::Call>()?;
    module.add_class::<awaitable::Ready>()?;
    module.add_class::<emulator::PyEmulator>()?;
    module.add_class::<bulk::BulkProgress>()?;
    module.add_class::<bulk::BulkOutcomeItem>()?;
    records::register(module)?;
    module.add_function(wrap_pyfunction!(operations, module)?)?;
    module.add_function(wrap_pyfunction!(_panic_for_tests, module)?)?;
    fork::register(module)?;
    Ok(())
}
