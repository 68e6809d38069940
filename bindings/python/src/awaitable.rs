//! The objects `AsyncClient` methods return: coroutines in all but name.
//!
//! A call runs as a tokio task whose result resolves an `asyncio.Future` (see
//! [`crate::completions`]); an `asyncio.Future` alone is accepted by `await` and
//! `asyncio.gather` but not by `asyncio.create_task`. [`Call`] wraps it in the coroutine protocol
//! (`send`, `throw`, `close`, `__await__`), so `asyncio.iscoroutine` is true and every asyncio
//! API takes it. Like a coroutine, the call starts when first awaited and does nothing if never
//! awaited. Cancelling the awaiting task throws into the call, which aborts the tokio task and
//! with it the HTTP request; so does closing or dropping a started call.

use crate::completions::{self, Origin};
use futures_util::future::AbortHandle;
use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::intern;
use pyo3::prelude::*;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

type Start =
    Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<(Bound<'py, PyAny>, AbortHandle)> + Send>;

enum State {
    /// Not awaited yet: how to start it.
    Pending(Start),
    /// Failed before starting (invalid input): raises when first awaited.
    Failed(PyErr),
    /// Started: the asyncio future, the iterator its `__await__` returned, and the task.
    Running {
        future: Py<PyAny>,
        iterator: Py<PyAny>,
        task: AbortHandle,
    },
    Done,
}

/// A pending call of `AsyncClient`; await it (or pass it to `asyncio.create_task`).
#[pyclass(frozen, module = "cpaas_reseller._native", name = "_Call")]
pub(crate) struct Call {
    state: Mutex<State>,
}

impl Call {
    /// A call that makes its future with `make` when first awaited: on the loop that awaits
    /// it, with the client as it is then (rebuilt if the process forked since).
    pub(crate) fn new<M, F, T>(origin: Origin, make: M) -> Self
    where
        M: FnOnce(Python<'_>) -> PyResult<F> + Send + 'static,
        F: Future<Output = PyResult<T>> + Send + 'static,
        T: for<'a> IntoPyObject<'a> + Send + 'static,
    {
        Self {
            state: Mutex::new(State::Pending(Box::new(move |py| {
                // Boxed once here: the HTTP call's future is several kilobytes, and every later
                // move would otherwise copy it.
                let future = Box::pin(make(py)?);
                completions::start(py, origin, future)
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

    /// The running call, starting it on first use. The state is taken out of the lock while
    /// Python runs, so nothing here can deadlock on it.
    fn running<'py>(&self, py: Python<'py>) -> PyResult<Running<'py>> {
        match self.take() {
            State::Pending(start) => {
                let (future, task) = start(py)?;
                let iterator = future.call_method0("__await__")?;
                Ok(Running {
                    future: future.unbind(),
                    iterator,
                    task,
                })
            }
            State::Running {
                future,
                iterator,
                task,
            } => Ok(Running {
                future,
                iterator: iterator.into_bound(py),
                task,
            }),
            State::Failed(error) => Err(error),
            State::Done => Err(PyRuntimeError::new_err(
                "cannot reuse an already awaited call",
            )),
        }
    }

    /// Keeps the call running after a step that yielded, marks it done after one that raised
    /// (`StopIteration` carries the result, anything else is the call's exception).
    fn step<'py>(
        &self,
        running: Running<'py>,
        outcome: PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if outcome.is_ok() {
            self.put(State::Running {
                future: running.future,
                iterator: running.iterator.unbind(),
                task: running.task,
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
        let running = self.running(py)?;
        let outcome = running.iterator.call_method0(intern!(py, "__next__"));
        self.step(running, outcome)
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let running = self.running(py)?;
        let outcome = if value.is_none() {
            running.iterator.call_method0(intern!(py, "__next__"))
        } else {
            running.iterator.call_method1(intern!(py, "send"), (value,))
        };
        self.step(running, outcome)
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
            State::Running {
                future,
                iterator,
                task,
            } => {
                // Whatever is thrown in (cancellation above all) ends the call.
                task.abort();
                let iterator = iterator.into_bound(py);
                let outcome = match (value, traceback) {
                    (None, None) => iterator.call_method1("throw", (kind,)),
                    (value, None) => iterator.call_method1("throw", (kind, value)),
                    (value, traceback) => iterator.call_method1("throw", (kind, value, traceback)),
                };
                let running = Running {
                    future,
                    iterator,
                    task,
                };
                self.step(running, outcome)
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
        if let State::Running { future, task, .. } = self.take() {
            task.abort();
            future.bind(py).call_method0("cancel")?;
        }
        Ok(())
    }
}

/// A started call between two steps.
struct Running<'py> {
    future: Py<PyAny>,
    iterator: Bound<'py, PyAny>,
    task: AbortHandle,
}

/// A started call that is garbage-collected unfinished stops its request.
impl Drop for Call {
    fn drop(&mut self) {
        if let State::Running { task, .. } =
            self.state.get_mut().unwrap_or_else(PoisonError::into_inner)
        {
            task.abort();
        }
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
