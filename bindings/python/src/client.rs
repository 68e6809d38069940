//! `Client` (blocking, GIL released) and `AsyncClient` (asyncio awaitables) over one core
//! client. Both get one method per catalogue operation from the [`operations!`] table below:
//! keyword-only arguments named after the request's fields, converted by [`crate::convert`],
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
use pyo3::types::{PyList, PyString, PyTuple};
use serde_json::Value;
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
    handle: Handle,
}

/// The asyncio client: every call returns a coroutine-like awaitable; cancelling its task
/// cancels the call.
#[pyclass(frozen, module = "cpaas_reseller")]
pub(crate) struct AsyncClient {
    /// Shared with its calls, which take the core client when they start.
    handle: Arc<Handle>,
}

impl Client {
    fn run<'py, O>(&self, py: Python<'py>, request: O) -> PyResult<Bound<'py, PyAny>>
    where
        O: Operation + 'static,
        O::Output: IntoRecord,
    {
        request.check().map_err(|error| errors::to_py(py, &error))?;
        let client = self.handle.client(py)?;
        let reply = runtime::block_on(py, async move { client.send_with_body(&request).await })?;
        Reply(reply).into_py(py)
    }
}

impl AsyncClient {
    fn run<'py, O>(&self, py: Python<'py>, request: O) -> PyResult<Bound<'py, PyAny>>
    where
        O: Operation + 'static,
        O::Output: IntoRecord,
    {
        // Input that would never leave the process fails on await, as before, but without a
        // future being created for it.
        if let Err(error) = request.check() {
            return Ok(Bound::new(py, Call::failed(errors::to_py(py, &error)))?.into_any());
        }
        self.handle.ensure_open()?;
        let handle = Arc::clone(&self.handle);
        let origin = Origin {
            method: O::INFO.method.into(),
            mutating: O::INFO.mutating,
        };
        let call = Call::new(origin, move |py| {
            let client = handle.client(py)?;
            Ok(async move { Ok(Reply(client.send_with_body(&request).await)) })
        });
        Ok(Bound::new(py, call)?.into_any())
    }
}

crate::options::constructor!(Client, |handle| Self { handle });
crate::options::constructor!(AsyncClient, |handle| Self {
    handle: Arc::new(handle)
});

#[pymethods]
impl Client {
    #[getter]
    fn base_url(&self) -> &str {
        &self.handle.base_url
    }

    #[getter]
    fn username(&self) -> &str {
        &self.handle.username
    }

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

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.handle.repr(py, "Client")
    }

    /// Calls any vendor method with a JSON body (`dict`), through the same transport,
    /// authentication, retries and errors; returns the decoded JSON (`None` for an empty body).
    #[pyo3(signature = (method, body=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        method: String,
        body: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = body_to_json(body)?;
        let client = self.handle.client(py)?;
        let reply =
            runtime::block_on(py, async move { client.call(&method, body.as_ref()).await })?;
        RawReply(reply).into_pyobject(py)
    }

    /// Runs one operation for every item (a dict of its keyword arguments) with at most
    /// `concurrency` calls in flight; returns one `BulkOutcome` per item, in input order. A
    /// failed item never stops the others; mutating calls are never replayed. On Ctrl-C no
    /// further item starts, calls in flight finish, then `KeyboardInterrupt` is raised with the
    /// outcomes so far as its `bulk_outcomes` attribute (a second Ctrl-C abandons them).
    /// `journal` (a path) records every item durably so the same call is safe to repeat after
    /// a crash; `reconcile` looks items up on the service first; `settle` is in seconds.
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
    ) -> PyResult<Bound<'py, PyList>> {
        let rerun = Rerun {
            journal,
            reconcile,
            settle,
        };
        let job = Job::new(py, method, items, concurrency, on_progress, rerun)?;
        let stop = job.stop_signal();
        let client = self.handle.client(py)?;
        let (outcomes, interrupted) =
            runtime::block_on_stoppable(py, job.run(client), || stop.stop())?;
        let outcomes = outcomes.into_pyobject(py)?;
        if let Some(interrupt) = interrupted {
            interrupt.value(py).setattr("bulk_outcomes", &outcomes)?;
            return Err(interrupt);
        }
        Ok(outcomes)
    }
}

#[pymethods]
impl AsyncClient {
    #[getter]
    fn base_url(&self) -> &str {
        &self.handle.base_url
    }

    #[getter]
    fn username(&self) -> &str {
        &self.handle.username
    }

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

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.handle.repr(py, "AsyncClient")
    }

    /// Calls any vendor method with a JSON body (`dict`), through the same transport,
    /// authentication, retries and errors; resolves to the decoded JSON (`None` for an empty
    /// body).
    #[pyo3(signature = (method, body=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        method: String,
        body: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = body_to_json(body)?;
        self.handle.ensure_open()?;
        let handle = Arc::clone(&self.handle);
        let call = Call::new(Origin::named(method.clone()), move |py| {
            let client = handle.client(py)?;
            Ok(async move { Ok(RawReply(client.call(&method, body.as_ref()).await)) })
        });
        Ok(Bound::new(py, call)?.into_any())
    }

    /// Like `Client.bulk`, as an awaitable. Cancelling the awaiting task abandons the run
    /// (calls in flight are dropped).
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
        self.handle.ensure_open()?;
        let handle = Arc::clone(&self.handle);
        let call = Call::new(job.origin(), move |py| {
            let client = handle.client(py)?;
            Ok(async move { Ok(job.run(client).await) })
        });
        Ok(Bound::new(py, call)?.into_any())
    }
}

/// Whether two strings are equal, at compile time.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// One line per operation: `function Request(required, ...; optional, ...)`. Expands to one
/// method on each client class, named as the core names it (checked at compile time), with
/// keyword-only arguments named after the request's fields (the struct literal makes the
/// compiler check that every field is listed).
macro_rules! operations {
    ($( $function:ident $request:ident ( $($required:ident),* ; $($optional:ident),* ); )*) => {
        $(
            const _: () = assert!(
                same(<requests::$request as Operation>::INFO.function, stringify!($function)),
                concat!("method name differs from the core's for ", stringify!($request)),
            );
        )*
        operations!(@class Client; $( $function $request ( $($required),* ; $($optional),* ); )*);
        operations!(@class AsyncClient; $( $function $request ( $($required),* ; $($optional),* ); )*);
    };
    (@class $class:ident; $( $function:ident $request:ident ( $($required:ident),* ; $($optional:ident),* ); )*) => {
        #[pymethods]
        impl $class {
            $(
                #[doc = concat!("Vendor method `", stringify!($request), "`.")]
                #[pyo3(signature = (*, $($required,)* $($optional = None,)*))]
                #[allow(clippy::too_many_arguments)] // one per request field
                fn $function<'py>(
                    &self,
                    py: Python<'py>,
                    $($required: Bound<'py, PyAny>,)*
                    $($optional: Option<Bound<'py, PyAny>>,)*
                ) -> PyResult<Bound<'py, PyAny>> {
                    #[allow(unused_variables)] // operations without arguments
                    let method = <requests::$request as Operation>::INFO.method;
                    let request = requests::$request {
                        $($required: convert::arg(&$required, Field { method, keyword: stringify!($required) })?,)*
                        $($optional: convert::opt_arg($optional.as_ref(), Field { method, keyword: stringify!($optional) })?,)*
                    };
                    self.run(py, request)
                }
            )*
        }
    };
}

operations! {
    create_account CreateAccount(account_name; parent_account_id, contact_email_address, country_code, time_zone, notes);
    get_account GetAccount(account_id;);
    get_accounts GetAccounts(; parent_account_id);
    update_account UpdateAccount(account_id; account_name, contact_email_address, time_zone, notes);
    set_account_status SetAccountStatus(account_id, status;);
    add_user_to_account AddUserToAccount(account_id, username, password, firstname, last_name, email_address, mobile_phone_number, landline_phone_number; notes, change_password_at_next_logon);
    get_users GetUsers(account_id;);
    get_user GetUser(user_id;);
    update_user UpdateUser(user_id; firstname, last_name, email_address, mobile_phone_number, landline_phone_number, notes, enabled);
    remove_user_from_account RemoveUserFromAccount(user_id;);
    reset_user_password ResetUserPassword(user_id, new_password; change_password_at_next_logon);
    get_roles GetRoles(;);
    assign_role_to_user AssignRoleToUser(user_id, role_id;);
    remove_role_from_user RemoveRoleFromUser(user_id, role_id;);
    assign_role_to_account AssignRoleToAccount(account_id, role_id;);
    remove_role_from_account RemoveRoleFromAccount(account_id, role_id;);
    allocate_credit AllocateCredit(account_id, amount; reference);
    get_credit_balance GetCreditBalance(account_id;);
    get_credit_allocations GetCreditAllocations(account_id; start_date, end_date);
    get_chargeable_activity GetChargeableActivity(start_date, end_date; account_id);
    get_available_inbound_numbers GetAvailableInboundNumbers(; country_code, number_type);
    allocate_inbound_number AllocateInboundNumber(account_id, number;);
    release_inbound_number ReleaseInboundNumber(account_id, number;);
    get_allocated_inbound_numbers GetAllocatedInboundNumbers(account_id;);
}
