//! `Client` (blocking, GIL released) and `AsyncClient` (asyncio awaitables) over one core
//! client. Both get one method per catalogue operation from the core's tables (`operation!`
//! below, through `crate::tables`): keyword-only arguments named after the request's fields,
//! converted by [`crate::convert`],
//! sent through `Client::send_with_body` so the result keeps the exact body as `.raw`.

use crate::awaitable::{Call, Ready};
use crate::bulk::{Job, Rerun};
use crate::completions::Origin;
use crate::convert::{self, Field, ToPy};
use crate::errors;
use crate::fork;
use crate::records::{IntoRecord, Reply};
use crate::runtime;
use cpaas_reseller::{bulk, requests};
use cpaas_reseller::{Client as CoreClient, ClientBuilder, Error, Operation};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use pyo3::BoundObject;
use serde_json::Value;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

/// What both client classes hold: the core client until `close()`, and what `repr` shows.
/// The password lives only inside the core client and its builder (as a `Secret`).
struct Handle {
    username: String,
    base_url: String,
    /// Builds the core client again in a forked child, where the parent's pool cannot work.
    builder: ClientBuilder,
    client: Mutex<Option<Pooled>>,
}

/// A core client and the fork generation whose runtime drives its connections.
struct Pooled {
    generation: u64,
    client: CoreClient,
}

impl Handle {
    /// Builds the core client (see [`crate::options`] for the constructor's options).
    fn new(py: Python<'_>, builder: ClientBuilder) -> PyResult<Self> {
        let client = build(py, &builder)?;
        Ok(Self {
            username: client.username().to_owned(),
            base_url: client.base_url().to_owned(),
            builder,
            client: Mutex::new(Some(Pooled {
                generation: fork::generation(),
                client,
            })),
        })
    }

    /// A clone of the core client (cheap: it shares the connection pool), so a call in flight
    /// is not affected by a concurrent `close()`. In a forked child the first call builds the
    /// client again, with a pool of its own.
    fn client(&self, py: Python<'_>) -> PyResult<CoreClient> {
        let mut slot = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let pooled = slot.as_mut().ok_or_else(closed)?;
        let generation = fork::generation();
        if pooled.generation != generation {
            let client = build(py, &self.builder)?;
            // Leaked, see `crate::fork`: the parent's sockets are not this process's to close.
            std::mem::forget(std::mem::replace(pooled, Pooled { generation, client }));
        }
        Ok(pooled.client.clone())
    }

    /// Raises as a call would if the client is closed.
    fn ensure_open(&self) -> PyResult<()> {
        match *self.client.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(_) => Ok(()),
            None => Err(closed()),
        }
    }

    fn close(&self) {
        let pooled = self
            .client
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        forget_if_inherited(pooled);
    }

    /// `Client(username='api-user', base_url='https://...')`: never the password.
    fn repr(&self, py: Python<'_>, class: &str) -> PyResult<String> {
        let closed = self
            .client
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none();
        let text = |value: &str| -> PyResult<String> {
            Ok(PyString::new(py, value).repr()?.to_cow()?.into_owned())
        };
        Ok(format!(
            "{class}(username={}, base_url={}{})",
            text(&self.username)?,
            text(&self.base_url)?,
            if closed { ", closed" } else { "" }
        ))
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        forget_if_inherited(
            self.client
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
    }
}

/// Drops a core client made in this process; leaks one inherited across a fork.
fn forget_if_inherited(pooled: Option<Pooled>) {
    if let Some(pooled) = pooled {
        if pooled.generation != fork::generation() {
            std::mem::forget(pooled);
        }
    }
}

fn build(py: Python<'_>, builder: &ClientBuilder) -> PyResult<CoreClient> {
    builder
        .clone()
        .build()
        .map_err(|error| errors::to_py(py, &error))
}

fn closed() -> PyErr {
    PyRuntimeError::new_err("the client is closed")
}

fn body_to_json(body: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Value>> {
    body.filter(|body| !body.is_none())
        .map(convert::py_to_json)
        .transpose()
}

/// The result of `call()`: JSON as Python values (non-integral numbers as `Decimal`), or the
/// exception.
struct RawReply(Result<Value, Error>);

impl<'py> IntoPyObject<'py> for RawReply {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            Ok(value) => value.to_py(py),
            Err(error) => Err(errors::to_py(py, &error)),
        }
    }
}

/// The sync client: every call blocks the calling thread, with the GIL released, on the
/// process-wide tokio runtime.
#[pyclass(frozen, module = "cpaas_reseller")]
pub(crate) struct Client {
    handle: Arc<Handle>,
}

/// The asyncio client: every call returns a coroutine-like awaitable; cancelling its task
/// cancels the call.
#[pyclass(frozen, module = "cpaas_reseller")]
pub(crate) struct AsyncClient {
    /// Shared with its calls, which take the core client when they start.
    handle: Arc<Handle>,
}

/// What differs between the two client classes: how a call's result reaches Python. Everything
/// else (construction options, argument conversion, error mapping, the methods themselves) is
/// written once, in `client_methods!` and `operations!`, over this trait.
trait Dispatch: Sized {
    fn from_handle(handle: Handle) -> Self;

    /// Input rejected before any call starts: raised now (sync) or when awaited (async, so no
    /// future is created for input that would never leave the process).
    fn rejected<'py>(py: Python<'py>, error: PyErr) -> PyResult<Bound<'py, PyAny>>;

    /// Runs `work` on the core client: to completion with the GIL released (sync), or as an
    /// awaitable that starts it when first awaited (async). `origin` names the call for the
    /// awaitable.
    fn dispatch<'py, W, F, T>(
        &self,
        py: Python<'py>,
        origin: impl FnOnce() -> Origin,
        work: W,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        W: FnOnce(CoreClient) -> F + Send + 'static,
        F: Future<Output = T> + Send + 'static,
        T: for<'a> IntoPyObject<'a> + Send + 'static;

    /// Runs a bulk job: the sync client stops it cleanly on the first Ctrl-C.
    fn bulk_job<'py>(&self, py: Python<'py>, job: Job) -> PyResult<Bound<'py, PyAny>>;

    /// One typed operation: checked locally, sent, its result as a record (or `None`).
    fn run<'py, O>(&self, py: Python<'py>, request: O) -> PyResult<Bound<'py, PyAny>>
    where
        O: Operation + 'static,
        O::Output: IntoRecord,
    {
        if let Err(error) = request.check() {
            return Self::rejected(py, errors::to_py(py, &error));
        }
        let origin = || Origin {
            method: O::INFO.method.into(),
            mutating: O::INFO.mutating,
        };
        self.dispatch(py, origin, move |client| async move {
            Reply(client.send_with_body(&request).await)
        })
    }
}

impl Dispatch for Client {
    fn from_handle(handle: Handle) -> Self {
        Self {
            handle: Arc::new(handle),
        }
    }

    fn rejected<'py>(_py: Python<'py>, error: PyErr) -> PyResult<Bound<'py, PyAny>> {
        Err(error)
    }

    fn dispatch<'py, W, F, T>(
        &self,
        py: Python<'py>,
        _origin: impl FnOnce() -> Origin,
        work: W,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        W: FnOnce(CoreClient) -> F + Send + 'static,
        F: Future<Output = T> + Send + 'static,
        T: for<'a> IntoPyObject<'a> + Send + 'static,
    {
        let client = self.handle.client(py)?;
        runtime::block_on(py, work(client))?
            .into_pyobject(py)
            .map(|value| value.into_any().into_bound())
            .map_err(Into::into)
    }

    fn bulk_job<'py>(&self, py: Python<'py>, job: Job) -> PyResult<Bound<'py, PyAny>> {
        let stop = job.stop_signal();
        let client = self.handle.client(py)?;
        let (outcomes, interrupted) =
            runtime::block_on_stoppable(py, job.run(client), || stop.stop())?;
        let outcomes = outcomes.into_pyobject(py)?;
        if let Some(interrupt) = interrupted {
            interrupt.value(py).setattr("bulk_outcomes", &outcomes)?;
            return Err(interrupt);
        }
        Ok(outcomes.into_any())
    }
}

impl Dispatch for AsyncClient {
    fn from_handle(handle: Handle) -> Self {
        Self {
            handle: Arc::new(handle),
        }
    }

    fn rejected<'py>(py: Python<'py>, error: PyErr) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, Call::failed(error))?.into_any())
    }

    fn dispatch<'py, W, F, T>(
        &self,
        py: Python<'py>,
        origin: impl FnOnce() -> Origin,
        work: W,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        W: FnOnce(CoreClient) -> F + Send + 'static,
        F: Future<Output = T> + Send + 'static,
        T: for<'a> IntoPyObject<'a> + Send + 'static,
    {
        self.handle.ensure_open()?;
        let handle = Arc::clone(&self.handle);
        let call = Call::new(origin(), move |py| {
            let client = handle.client(py)?;
            let future = work(client);
            Ok(async move { Ok(future.await) })
        });
        Ok(Bound::new(py, call)?.into_any())
    }

    fn bulk_job<'py>(&self, py: Python<'py>, job: Job) -> PyResult<Bound<'py, PyAny>> {
        let origin = job.origin();
        self.dispatch(py, || origin, move |client| job.run(client))
    }
}

/// The methods both classes have, with their docs: `returns` says what a call gives back
/// ("returns" for the sync client, "resolves to" for the awaitable).
macro_rules! client_methods {
    ($class:ident, $returns:literal) => {
        #[pymethods]
        impl $class {
            #[getter]
            fn base_url(&self) -> &str {
                &self.handle.base_url
            }

            #[getter]
            fn username(&self) -> &str {
                &self.handle.username
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                self.handle.repr(py, stringify!($class))
            }

            #[doc = concat!(
                "Calls any vendor method with a JSON body (`dict`), through the same transport,\n",
                "authentication, retries and errors; ", $returns, " the decoded JSON (`None` for an\n",
                "empty body)."
            )]
            #[pyo3(signature = (method, body=None))]
            fn call<'py>(
                &self,
                py: Python<'py>,
                method: String,
                body: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let body = body_to_json(body)?;
                let name = method.clone();
                let origin = move || Origin::named(name);
                self.dispatch(py, origin, move |client| async move {
                    RawReply(client.call(&method, body.as_ref()).await)
                })
            }

            /// Runs one operation for every item (a dict of its keyword arguments) with at most
            /// `concurrency` calls in flight; returns one `BulkOutcome` per item, in input order.
            /// A failed item never stops the others; mutating calls are never replayed. On
            /// Ctrl-C (sync client) no further item starts, calls in flight finish, then
            /// `KeyboardInterrupt` is raised with the outcomes so far as its `bulk_outcomes`
            /// attribute (a second Ctrl-C abandons them); cancelling the awaiting task (async
            /// client) abandons the run. `journal` (a path) records every item durably so the
            /// same call is safe to repeat after a crash; `reconcile` looks items up on the
            /// service first; `settle` is in seconds.
            #[pyo3(signature = (method, items, *, concurrency=bulk::DEFAULT_CONCURRENCY, on_progress=None, journal=None, reconcile=true, settle=None))]
            #[allow(clippy::too_many_arguments)]
            fn bulk<'py>(
                &self,
                py: Python<'py>,
                method: &str,
                items: &Bound<'py, PyAny>,
                concurrency: usize,
                on_progress: Option<Py<PyAny>>,
                journal: Option<std::path::PathBuf>,
                reconcile: bool,
                settle: Option<f64>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let rerun = Rerun {
                    journal,
                    reconcile,
                    settle,
                };
                let job = Job::new(py, method, items, concurrency, on_progress, rerun)?;
                self.bulk_job(py, job)
            }
        }
    };
}

client_methods!(Client, "returns");
client_methods!(AsyncClient, "resolves to");
crate::options::constructor!(Client, |handle| Self::from_handle(handle));
crate::options::constructor!(AsyncClient, |handle| Self::from_handle(handle));

#[pymethods]
impl Client {
    /// Releases the connection pool; later calls raise `RuntimeError`.
    fn close(&self) {
        self.handle.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, PyTuple>) {
        self.handle.close();
    }
}

#[pymethods]
impl AsyncClient {
    /// Releases the connection pool; later calls raise `RuntimeError`. Awaitable (and
    /// effective even if not awaited).
    fn close(&self) -> Ready {
        self.handle.close();
        Ready::new(None)
    }

    fn __aenter__(slf: Py<Self>) -> Ready {
        Ready::new(Some(slf.into_any()))
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__(&self, _exc: &Bound<'_, PyTuple>) -> Ready {
        self.close()
    }
}

/// One method per operation of the core's tables (see `crate::tables`), on the class given
/// first: named as the core names it, with keyword-only arguments named after the request's
/// fields, required ones first (the struct literal makes the compiler check that every field is
/// there).
macro_rules! operation {
    (
        $class:ident
        $(#[doc = $doc:literal])*
        $function:ident $method:ident -> $output:ty [$($key:tt)*]
        required { $( $(#[doc = $rdoc:literal])* $rwire:literal $required:ident : $rty:ty [$($rkey:tt)*], )* }
        optional { $( $(#[doc = $odoc:literal])* $owire:literal $optional:ident : $oty:ty [$($okey:tt)*], )* }
    ) => {
        #[pymethods]
        impl $class {
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = concat!("Vendor method `", stringify!($method), "`.")]
            #[pyo3(signature = (*, $($required,)* $($optional = None,)*))]
            #[allow(clippy::too_many_arguments)] // one per request field
            fn $function<'py>(
                &self,
                py: Python<'py>,
                $($required: Bound<'py, PyAny>,)*
                $($optional: Option<Bound<'py, PyAny>>,)*
            ) -> PyResult<Bound<'py, PyAny>> {
                #[allow(unused_variables)] // operations without arguments
                let method = <requests::$method as Operation>::INFO.method;
                let request = requests::$method {
                    $($required: convert::arg(&$required, Field { method, keyword: stringify!($required), wire: $rwire })?,)*
                    $($optional: convert::opt_arg($optional.as_ref(), Field { method, keyword: stringify!($optional), wire: $owire })?,)*
                };
                self.run(py, request)
            }
        }
    };
}

crate::tables::for_each_method!(operation { Client });
crate::tables::for_each_method!(operation { AsyncClient });
