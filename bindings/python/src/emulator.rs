//! The emulator in-process, for `cpaas_reseller.testing`: the same Rust emulator the other
//! languages test against, serving on a loopback port from its own thread.
//!
//! A forked child inherits the object but not the server thread, which keeps serving in the
//! parent: the child can call it (its URLs and credentials work), but its state, faults and
//! journal live in the parent, so reading or changing them here raises, and `shutdown` only
//! forgets it (see [`crate::fork`]).

use crate::convert::{self, ToPy};
use crate::fork;
use cpaas_reseller_emulator::{Emulator as CoreEmulator, EmulatorConfig, Fault};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};

/// A running emulator (`cpaas_reseller.testing.Emulator` wraps it as a context manager).
#[pyclass(frozen, module = "cpaas_reseller._native", name = "Emulator")]
pub(crate) struct PyEmulator {
    inner: Mutex<Option<CoreEmulator>>,
    /// With `tls=True`: the PEM of the throwaway CA that signed the server's certificate.
    ca_pem: Option<String>,
    /// The fork generation whose process runs the server.
    generation: u64,
}

impl PyEmulator {
    /// What the emulator was configured with: the same in every process.
    fn with<T>(&self, f: impl FnOnce(&CoreEmulator) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| PyRuntimeError::new_err("the emulator is shut down"))
    }

    /// The live state, faults and journal: only in the process that runs the server.
    fn with_state<T>(&self, f: impl FnOnce(&CoreEmulator) -> T) -> PyResult<T> {
        if !self.here() {
            return Err(PyRuntimeError::new_err(
                "this emulator was started before the process forked and runs in the parent \
                 process: its state, faults and journal are only available there (clients \
                 made here can still call it)",
            ));
        }
        self.with(f)
    }

    fn here(&self) -> bool {
        self.generation == fork::generation()
    }
}

/// In a forked child the server is the parent's: stopping it would mean joining a thread this
/// process does not have, so it is forgotten instead.
impl Drop for PyEmulator {
    fn drop(&mut self) {
        if !self.here() {
            let inner = self.inner.get_mut().unwrap_or_else(PoisonError::into_inner);
            std::mem::forget(inner.take());
        }
    }
}

#[pymethods]
impl PyEmulator {
    /// Starts serving on `127.0.0.1:port` (0: any free port); with `tls`, HTTPS with a
    /// certificate from a throwaway CA (`ca_pem`).
    #[new]
    #[pyo3(signature = (*, username=None, password=None, port=0, seed=None, empty=false, activities_per_account_day=None, tls=false))]
    #[allow(clippy::too_many_arguments)] // one per option
    fn new(
        py: Python<'_>,
        username: Option<String>,
        password: Option<String>,
        port: u16,
        seed: Option<u64>,
        empty: bool,
        activities_per_account_day: Option<u32>,
        tls: bool,
    ) -> PyResult<Self> {
        let cannot_start = |error: std::io::Error| {
            PyOSError::new_err(format!("cannot start the emulator: {error}"))
        };
        let defaults = EmulatorConfig::default();
        let mut config = EmulatorConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            username: username.unwrap_or(defaults.username),
            password: password.unwrap_or(defaults.password),
            seed: seed.unwrap_or(defaults.seed),
            empty,
            activities_per_account_day: activities_per_account_day
                .unwrap_or(defaults.activities_per_account_day),
            worker_threads: defaults.worker_threads,
            tls: None,
        };
        let ca_pem = tls
            .then(|| config.serve_test_https())
            .transpose()
            .map_err(cannot_start)?;
        let emulator = py
            .detach(|| CoreEmulator::start(config))
            .map_err(cannot_start)?;
        Ok(Self {
            inner: Mutex::new(Some(emulator)),
            ca_pem,
            generation: fork::generation(),
        })
    }

    #[getter]
    fn base_url(&self) -> PyResult<String> {
        self.with(CoreEmulator::base_url)
    }

    /// The CA to trust for an emulator started with `tls=True` (`None` otherwise).
    #[getter]
    fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    #[getter]
    fn alt_base_url(&self) -> PyResult<String> {
        self.with(CoreEmulator::alt_base_url)
    }

    #[getter]
    fn control_url(&self) -> PyResult<String> {
        self.with(CoreEmulator::control_url)
    }

    #[getter]
    fn username(&self) -> PyResult<String> {
        self.with(|emulator| emulator.username().to_owned())
    }

    #[getter]
    fn password(&self) -> PyResult<String> {
        self.with(|emulator| emulator.password().to_owned())
    }

    #[getter]
    fn root_account_id(&self) -> PyResult<i32> {
        self.with(CoreEmulator::root_account_id)
    }

    /// Queues a fault given in the control endpoint's JSON form
    /// (`{"method": "AllocateCredit", "times": 1, "kind": "status", "status": 504, "apply": True}`).
    fn inject(&self, fault: &Bound<'_, PyAny>) -> PyResult<()> {
        let fault =
            Fault::from_value(&convert::py_to_json(fault)?).map_err(PyValueError::new_err)?;
        self.with_state(|emulator| emulator.inject(fault))
    }

    fn clear_faults(&self) -> PyResult<()> {
        self.with_state(CoreEmulator::clear_faults)
    }

    fn pending_faults<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let faults = self.with_state(CoreEmulator::pending_faults)?;
        json(py, &faults)
    }

    /// Every vendor-path call so far, oldest first, as dicts (`body` is the exact request body).
    fn journal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let journal = self.with_state(CoreEmulator::journal)?;
        json(py, &journal)
    }

    fn clear_journal(&self) -> PyResult<()> {
        self.with_state(CoreEmulator::clear_journal)
    }

    fn calls(&self, method: &str) -> PyResult<usize> {
        self.with_state(|emulator| emulator.calls(method))
    }

    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.with_state(CoreEmulator::state)?.to_py(py)
    }

    fn reset(&self) -> PyResult<()> {
        self.with_state(CoreEmulator::reset)
    }

    /// Stops the server; idempotent. In a forked child it only forgets the parent's server.
    fn shutdown(&self, py: Python<'_>) {
        let emulator = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match emulator {
            Some(emulator) if self.here() => py.detach(|| emulator.shutdown()),
            inherited => std::mem::forget(inherited),
        }
    }

    fn __repr__(&self) -> String {
        self.with(|emulator| format!("Emulator(base_url='{}')", emulator.base_url()))
            .unwrap_or_else(|_| "Emulator(shut down)".to_owned())
    }
}

fn json<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    serde_json::to_value(value)
        .map_err(|error| PyRuntimeError::new_err(error.to_string()))?
        .to_py(py)
}
