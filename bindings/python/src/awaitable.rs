//! The objects `AsyncClient` methods return: coroutines in all but name.
//!
//! pyo3-async-runtimes turns a Rust future into an `asyncio.Future`, which `await` and
//! `asyncio.gather` accept but `asyncio.create_task` does not. [`Call`] wraps it in the
//! coroutine protocol (`send`, `throw`, `close`, `__await__`), so `asyncio.iscoroutine` is true
//! and every asyncio API takes it. Like a coroutine, the call starts when first awaited and does
//! nothing if never awaited; cancelling the awaiting task cancels the asyncio future, which
//! drops the Rust future and with it the HTTP request.

use crate::runtime;
use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::prelude::*;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

type Start = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

enum State {
    /// Not awaited yet: how to start it.
    Pending(Start),
    /// Failed before starting (invalid input): raises when first awaited.
    Failed(PyErr),
    /// Started: the asyncio future and the iterator its `__await__` returned.
    Running {
        future: Py<PyAny>,
        iterator: Py<PyAny>,
    },
    Done,
}

/// A pending call of `AsyncClient`; await it (or pass it to `asyncio.create_task`).
#[pyclass(frozen, module = "cpaas_reseller._native", name = "_Call")]
pub(crate) struct Call {
    state: Mutex<State>,
}

impl Call {
    pub(crate) fn new<F, T>(future: F) -> Self
    where
        F: Future<Output = PyResult<T>> + Send + 'static,
        T: for<'a> IntoPyObject<'a> + Send + 'static,
    {
        Self {
            state: Mutex::new(State::Pending(Box::new(move |py| {
                runtime::awaitable(py, future)
            }))),
        }
    }

    /// A call that raises `error` when awaited, without starting anything.
    pub(crate) fn failed(error: PyErr) -> Self {
        Self {
            state: Mutex::new(State::Failed(error)),
        }
    }

    fn take(&self) -> State {
        std::mem::replace(
            &mut *self.state.lock().unwrap_or_else(PoisonError::into_inner),
            State::Done,
        )
    }

    fn put(&self, state: State) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
    }

    /// The running future's iterator, starting the call on first use. The state is taken out
    /// of the lock while Python runs, so nothing here can deadlock on it.
    fn iterator<'py>(&self, py: Python<'py>) -> PyResult<(Py<PyAny>, Bound<'py, PyAny>)> {
        let (future, iterator) = match self.take() {
            State::Pending(start) => {
                let future = start(py)?;
                let iterator = future.call_method0("__await__")?;
                (future.unbind(), iterator)
            }
            State::Running { future, iterator } => (future, iterator.into_bound(py)),
            State::Failed(error) => return Err(error),
            State::Done => {
                return Err(PyRuntimeError::new_err(
                    "cannot reuse an already awaited call",
                ))
            }
        };
        Ok((future, iterator))
    }

    /// Keeps the call running after a step that yielded, marks it done after one that raised
    /// (`StopIteration` carries the result, anything else is the call's exception).
    fn step<'py>(
        &self,
        future: Py<PyAny>,
        iterator: &Bound<'py, PyAny>,
        outcome: PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if outcome.is_ok() {
            self.put(State::Running {
                future,
                iterator: iterator.clone().unbind(),
            });
        }
        outcome
    }
}

#[pymethods]
impl Call {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (future, iterator) = self.iterator(py)?;
        let outcome = iterator.call_method0("__next__");
        self.step(future, &iterator, outcome)
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (future, iterator) = self.iterator(py)?;
        let outcome = if value.is_none() {
            iterator.call_method0("__next__")
        } else {
            iterator.call_method1("send", (value,))
        };
        self.step(future, &iterator, outcome)
    }

    #[pyo3(signature = (kind, value=None, traceback=None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        kind: Bound<'py, PyAny>,
        value: Option<Bound<'py, PyAny>>,
        traceback: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.take() {
            State::Running { future, iterator } => {
                let iterator = iterator.into_bound(py);
                let outcome = match (value, traceback) {
                    (None, None) => iterator.call_method1("throw", (kind,)),
                    (value, None) => iterator.call_method1("throw", (kind, value)),
                    (value, traceback) => iterator.call_method1("throw", (kind, value, traceback)),
                };
                self.step(future, &iterator, outcome)
            }
            // Never started: the exception is raised at once, as a fresh coroutine does.
            State::Pending(_) | State::Failed(_) | State::Done => {
                let exception = if kind.is_instance_of::<pyo3::exceptions::PyBaseException>() {
                    kind
                } else {
                    match value {
                        Some(value) if !value.is_none() => kind.call1((value,))?,
                        _ => kind.call0()?,
                    }
                };
                Err(PyErr::from_value(exception))
            }
        }
    }

    /// Cancels the call if it is running.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        if let State::Running { future, .. } = self.take() {
            future.bind(py).call_method0("cancel")?;
        }
        Ok(())
    }
}

/// An awaitable that is already complete, for `AsyncClient`'s `close()`, `__aenter__` and
/// `__aexit__`: it needs no running event loop and leaves nothing pending if never awaited.
#[pyclass(module = "cpaas_reseller._native", name = "_Ready")]
pub(crate) struct Ready {
    value: Option<Py<PyAny>>,
}

impl Ready {
    pub(crate) fn new(value: Option<Py<PyAny>>) -> Self {
        Self { value }
    }
}

#[pymethods]
impl Ready {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Completes at once: `StopIteration(value)` is how an awaitable returns its result.
    fn __next__(&mut self, py: Python<'_>) -> PyResult<()> {
        let value = self.value.take().unwrap_or_else(|| py.None());
        Err(PyStopIteration::new_err((value,)))
    }
}
