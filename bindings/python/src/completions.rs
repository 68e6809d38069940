//! How async calls pass between an asyncio event loop and the tokio runtime, in batches, without
//! a tokio thread ever waiting for the GIL.
//!
//! Each event loop gets one [`Completions`]. Calls started during one turn of the loop are handed
//! to the runtime together, by one `call_soon` callback ([`Flush`]), so a burst of starts wakes
//! the runtime once. Finished calls go the other way through a queue: the first result since the
//! last drain wakes the loop ([`crate::wake`]), and the loop then runs [`Drain`], which converts
//! every queued result to Python and resolves its `asyncio.Future`. The futures stay on the loop's
//! side, keyed by call, so the tokio threads never hold a Python object, and a fork can fail
//! the calls it cut off ([`after_fork`]).

use crate::wake::{Waiting, Wake};
use crate::{errors, fork, runtime};
use cpaas_reseller::{catalogue, Error, TransportError};
use futures_util::future::{AbortHandle, Abortable};
use futures_util::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::{intern, BoundObject};
use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// `weakref.WeakKeyDictionary`: event loop -> its [`Drain`], forgotten with the loop.
static LOOPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
/// The loop of the last lookup (a weak reference) and its queue: nearly every call finds it here.
static LAST: Mutex<Option<(Py<PyAny>, Arc<Completions>)>> = Mutex::new(None);

/// Turns a call's output into its Python result, on the loop's thread.
type Convert = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

/// What a call is for: named by the error that ends it if the process forks under it.
pub(crate) struct Origin {
    pub(crate) method: Cow<'static, str>,
    pub(crate) mutating: bool,
}

impl Origin {
    /// A vendor method by name; one the catalogue does not know counts as mutating, as in the
    /// core.
    pub(crate) fn named(method: impl Into<Cow<'static, str>>) -> Self {
        let method = method.into();
        let mutating = catalogue::find(&method).is_none_or(|op| op.mutating);
        Self { method, mutating }
    }
}

/// A call that has ended in Rust: its output, or `None` if it was cancelled.
struct Finished {
    key: u64,
    convert: Option<Convert>,
}

/// The futures of the calls started and not yet drained, by key.
#[derive(Default)]
struct InFlight {
    next: u64,
    calls: HashMap<u64, (Py<PyAny>, Origin)>,
}

/// A started call, wrapped to report its result, waiting to be spawned.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Ended calls waiting for the loop, and whether a wake-up for them is under way.
#[derive(Default)]
struct Queue {
    finished: Vec<Finished>,
    armed: bool,
}

/// One event loop's calls: waiting to be spawned, in flight, finished; and how to wake the
/// loop. `starts` and `in_flight` are only touched with the GIL, `queue` also by tokio threads.
struct Completions {
    /// The fork generation it belongs to; in a later one it is never touched again.
    generation: u64,
    starts: Mutex<Vec<Job>>,
    in_flight: Mutex<InFlight>,
    queue: Mutex<Queue>,
    wake: Wake,
}

impl Completions {
    fn new(wake: Wake) -> Self {
        Self {
            generation: fork::generation(),
            starts: Mutex::new(Vec::new()),
            in_flight: Mutex::new(InFlight::default()),
            queue: Mutex::new(Queue::default()),
            wake,
        }
    }

    fn current(&self) -> bool {
        self.generation == fork::generation()
    }

    /// Queues an ended call; the first result since the last drain wakes the loop. A cancelled
    /// call waits for the next drain: nobody waits for it, and a wake-up for it could come
    /// while the interpreter is shutting down.
    fn push(self: &Arc<Self>, finished: Finished) {
        let wake = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            let wake = finished.convert.is_some() && !queue.armed;
            queue.armed |= wake;
            queue.finished.push(finished);
            wake
        };
        if wake {
            self.wake.notify(self);
        }
    }

    /// The ended calls with their futures, each leaving `in_flight`.
    fn take(&self) -> Vec<(Py<PyAny>, Option<Convert>)> {
        self.wake.acknowledge();
        let finished = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.armed = false;
            std::mem::take(&mut queue.finished)
        };
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        finished
            .into_iter()
            .filter_map(|Finished { key, convert }| {
                in_flight
                    .calls
                    .remove(&key)
                    .map(|(future, _)| (future, convert))
            })
            .collect()
    }

    /// Fails every call in flight: in a forked child, where nothing will finish them.
    fn abandon(&self, py: Python<'_>) {
        let calls = std::mem::take(
            &mut self
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .calls,
        );
        for (future, origin) in calls.into_values() {
            let future = future.bind(py);
            let failed = future.call_method0(intern!(py, "done")).and_then(|done| {
                if done.is_truthy()? {
                    return Ok(());
                }
                let error = forked(py, origin).into_value(py);
                future.call_method1(intern!(py, "set_exception"), (error,))?;
                Ok(())
            });
            if let Err(error) = failed {
                error.write_unraisable(py, Some(future));
            }
        }
        // Jobs not spawned yet hold the parent's client: never run, never dropped here.
        std::mem::forget(std::mem::take(
            &mut *self.starts.lock().unwrap_or_else(PoisonError::into_inner),
        ));
    }
}

impl Waiting for Completions {
    fn waiting(&self) -> bool {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .armed
    }

    fn event_loop<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.wake.event_loop(py)
    }

    fn drain<'py>(self: Arc<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(py, Drain { completions: self })?.into_any())
    }
}

/// The error of a call the fork cut off: its answer goes to the parent process.
fn forked(py: Python<'_>, origin: Origin) -> PyErr {
    errors::to_py(
        py,
        &Error::Transport(TransportError {
            method: origin.method.into_owned(),
            message: "the process forked while the call was in flight; its response goes to \
                      the parent process"
                .to_owned(),
            outcome_unknown: origin.mutating,
            attempts: 1,
        }),
    )
}

/// In a forked child: fails the calls that were in flight on every loop, and leaks the queues
/// of the parent's loops (a tokio thread that is gone may have held a lock in them).
pub(crate) fn after_fork(py: Python<'_>) {
    if let Some((_, completions)) = LAST.lock().unwrap_or_else(PoisonError::into_inner).take() {
        std::mem::forget(completions);
    }
    let Some(loops) = LOOPS.get(py) else {
        return;
    };
    let drains = loops
        .bind(py)
        .call_method0(intern!(py, "values"))
        .and_then(|values| values.try_iter()?.collect::<PyResult<Vec<_>>>());
    match drains {
        Ok(drains) => {
            for drain in drains {
                if let Ok(drain) = drain.cast::<Drain>() {
                    let completions = &drain.get().completions;
                    std::mem::forget(Arc::clone(completions));
                    completions.abandon(py);
                }
            }
        }
        Err(error) => error.write_unraisable(py, None),
    }
}

/// The loop's `call_soon` callback: spawns the calls started since it was scheduled.
#[pyclass(frozen, module = "cpaas_reseller._native", name = "_Flush")]
struct Flush {
    completions: Arc<Completions>,
}

#[pymethods]
impl Flush {
    fn __call__(&self) -> PyResult<()> {
        // Scheduled before a fork: the calls were failed by `after_fork`.
        if !self.completions.current() {
            return Ok(());
        }
        let runtime = runtime::runtime()?;
        let mut jobs = std::mem::take(
            &mut *self
                .completions
                .starts
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        match jobs.len() {
            0 => {}
            1 => drop(runtime.spawn(jobs.remove(0))),
            // One hand-over to the runtime; the rest are spawned from inside it, which is cheap.
            _ => drop(runtime.spawn(async move {
                for job in jobs {
                    drop(tokio::spawn(job));
                }
            })),
        }
        Ok(())
    }
}

/// The loop's wake-up callback: resolves every queued call's future.
#[pyclass(frozen, module = "cpaas_reseller._native", name = "_Drain")]
pub(crate) struct Drain {
    completions: Arc<Completions>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        crate::logging::flush(py);
        // A loop inherited across a fork: the parent's queue is not this process's to read.
        if !self.completions.current() {
            return;
        }
        for (future, convert) in self.completions.take() {
            // Cancelled: the future was cancelled with it, or nobody holds it any more.
            let Some(convert) = convert else {
                continue;
            };
            let future = future.bind(py);
            // One failure must not strand the other calls: it is reported, and draining goes on.
            if let Err(error) = resolve(future, convert) {
                error.write_unraisable(py, Some(future));
            }
        }
    }
}

fn resolve(future: &Bound<'_, PyAny>, convert: Convert) -> PyResult<()> {
    let py = future.py();
    // Cancelled while the call was finishing: nobody waits for the result.
    if future.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    match convert(py) {
        Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
        Err(error) => future.call_method1(intern!(py, "set_exception"), (error.into_value(py),))?,
    };
    Ok(())
}

/// The running loop and its queue.
fn running_loop(py: Python<'_>) -> PyResult<(Bound<'_, PyAny>, Arc<Completions>)> {
    let event_loop = GET_RUNNING_LOOP
        .import(py, "asyncio", "get_running_loop")?
        .call0()?;
    // Copied out so that no lock is held while Python runs.
    let cached = LAST
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .map(|(last, completions)| (last.clone_ref(py), Arc::clone(completions)));
    if let Some((last, completions)) = cached {
        if last.bind(py).call0()?.is(&event_loop) {
            return Ok((event_loop, completions));
        }
    }
    let completions = lookup(&event_loop)?;
    let last = py
        .import("weakref")?
        .getattr("ref")?
        .call1((&event_loop,))?;
    *LAST.lock().unwrap_or_else(PoisonError::into_inner) =
        Some((last.unbind(), Arc::clone(&completions)));
    Ok((event_loop, completions))
}

/// The loop's queue, registering a new one with the loop on first use.
fn lookup(event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Completions>> {
    let py = event_loop.py();
    let loops = LOOPS
        .get_or_try_init(py, || {
            py.import("weakref")?
                .getattr("WeakKeyDictionary")?
                .call0()
                .map(Bound::unbind)
        })?
        .bind(py);
    let known = loops.call_method1(intern!(py, "get"), (event_loop,))?;
    if let Ok(drain) = known.cast::<Drain>() {
        let completions = &drain.get().completions;
        if !completions.current() {
            return Err(PyRuntimeError::new_err(
                "this event loop was in use when the process forked, and asyncio event loops \
                 do not survive fork: run a new one in the child (asyncio.run)",
            ));
        }
        return Ok(Arc::clone(completions));
    }
    let drain = register(event_loop)?;
    let completions = Arc::clone(&drain.get().completions);
    loops.set_item(event_loop, drain)?;
    Ok(completions)
}

/// A new queue for `event_loop`, woken through a socket the loop watches where it can.
fn register<'py>(event_loop: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Drain>> {
    let py = event_loop.py();
    #[cfg(unix)]
    {
        let completions = Arc::new(Completions::new(Wake::socket()?));
        let wake = &completions.wake;
        let drain = Bound::new(
            py,
            Drain {
                completions: Arc::clone(&completions),
            },
        )?;
        if wake.watch(event_loop, &drain)? {
            return Ok(drain);
        }
    }
    let completions = Arc::new(Completions::new(Wake::threadsafe(event_loop)?));
    Bound::new(py, Drain { completions })
}

/// Starts `future` on the shared runtime (with the other calls started in this turn of the loop)
/// and returns the running loop's `asyncio.Future` that its result will resolve, with the handle
/// that cancels it. Must be called on the loop's thread. A panic in the future resolves it with
/// `RuntimeError` (an ordinary exception: asyncio lets other `BaseException`s escape the event
/// loop).
pub(crate) fn start<'py, F, T>(
    py: Python<'py>,
    origin: Origin,
    future: F,
) -> PyResult<(Bound<'py, PyAny>, AbortHandle)>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime::runtime()?;
    crate::logging::refresh(py);
    let (event_loop, completions) = running_loop(py)?;
    let awaited = event_loop.call_method0(intern!(py, "create_future"))?;
    // Before anything is registered: a loop that refuses the callback leaves nothing behind.
    let first = completions
        .starts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .is_empty();
    if first {
        let flush = Flush {
            completions: Arc::clone(&completions),
        };
        event_loop.call_method1(intern!(py, "call_soon"), (flush,))?;
    }
    let key = {
        let mut in_flight = completions
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let key = in_flight.next;
        in_flight.next += 1;
        in_flight
            .calls
            .insert(key, (awaited.clone().unbind(), origin));
        key
    };
    let (abort, registration) = AbortHandle::new_pair();
    let reporter = Arc::clone(&completions);
    let job = async move {
        let output = Abortable::new(AssertUnwindSafe(future).catch_unwind(), registration).await;
        let convert = output.ok().map(|output| -> Convert {
            Box::new(move |py| match output {
                Ok(Ok(value)) => value
                    .into_pyobject(py)
                    .map(|value| value.into_any().into_bound())
                    .map_err(Into::into),
                Ok(Err(error)) => Err(error),
                Err(panic) => Err(PyRuntimeError::new_err(format!(
                    "the call panicked: {}",
                    panic_message(panic.as_ref())
                ))),
            })
        });
        // Cancelled calls are reported too, so that their futures leave `in_flight`.
        reporter.push(Finished { key, convert });
    };
    completions
        .starts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Box::pin(job));
    Ok((awaited, abort))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
