//! How async calls pass between an asyncio event loop and the tokio runtime, in batches, without
//! a tokio thread ever taking the GIL.
//!
//! Each event loop gets one [`Completions`]. Calls started during one turn of the loop are handed
//! to the runtime together, by one `call_soon` callback ([`Flush`]), so a burst of starts wakes
//! the runtime once. Finished calls go the other way through a queue and a socket pair whose
//! read end the loop watches (`loop.add_reader`): a push into an empty queue writes one byte,
//! and the loop then runs [`Drain`], which converts every queued result to Python and resolves
//! its `asyncio.Future`. The GIL stays with the loop's thread, so the tokio threads keep driving
//! connections meanwhile.

use crate::runtime;
use futures_util::future::{AbortHandle, Abortable};
use futures_util::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::{intern, BoundObject};
use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
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

/// A call that has finished in Rust and waits for the loop to hand its result to Python.
struct Finished {
    future: Py<PyAny>,
    convert: Convert,
}

/// A started call, wrapped to report its result, waiting to be spawned.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One event loop's calls waiting to be spawned, its queue of finished calls, and the socket pair
/// that wakes the loop for them.
struct Completions {
    starts: Mutex<Vec<Job>>,
    queue: Mutex<Vec<Finished>>,
    wake: UnixStream,
    ready: UnixStream,
}

impl Completions {
    fn new() -> std::io::Result<Self> {
        let (wake, ready) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        ready.set_nonblocking(true)?;
        Ok(Self {
            starts: Mutex::new(Vec::new()),
            queue: Mutex::new(Vec::new()),
            wake,
            ready,
        })
    }

    fn push(&self, finished: Finished) {
        let was_empty = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.push(finished);
            queue.len() == 1
        };
        if was_empty {
            // A full socket buffer (`WouldBlock`) means a wake-up is already pending.
            let _ = (&self.wake).write(&[1]);
        }
    }

    fn take(&self) -> Vec<Finished> {
        let mut sink = [0_u8; 256];
        loop {
            match (&self.ready).read(&mut sink) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        std::mem::take(&mut *self.queue.lock().unwrap_or_else(PoisonError::into_inner))
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

/// The loop's reader callback: resolves every queued call's future.
#[pyclass(frozen, module = "cpaas_reseller._native", name = "_Drain")]
pub(crate) struct Drain {
    completions: Arc<Completions>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        for Finished { future, convert } in self.completions.take() {
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
        return Ok(Arc::clone(&drain.get().completions));
    }
    let completions = Arc::new(Completions::new()?);
    let drain = Bound::new(
        py,
        Drain {
            completions: Arc::clone(&completions),
        },
    )?;
    let fd = completions.ready.as_raw_fd();
    event_loop.call_method1(intern!(py, "add_reader"), (fd, &drain))?;
    loops.set_item(event_loop, drain)?;
    Ok(completions)
}

/// Starts `future` on the shared runtime (with the other calls started in this turn of the loop)
/// and returns the running loop's `asyncio.Future` that its result will resolve, with the handle
/// that cancels it. Must be called on the loop's thread. A panic in the future resolves it with `RuntimeError` (an ordinary exception: asyncio
/// lets other `BaseException`s escape the event loop).
pub(crate) fn start<'py, F, T>(
    py: Python<'py>,
    future: F,
) -> PyResult<(Bound<'py, PyAny>, AbortHandle)>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime::runtime()?;
    let (event_loop, completions) = running_loop(py)?;
    let awaited = event_loop.call_method0(intern!(py, "create_future"))?;
    let target = awaited.clone().unbind();
    let (abort, registration) = AbortHandle::new_pair();
    let reporter = Arc::clone(&completions);
    let job = Abortable::new(
        async move {
            let output = AssertUnwindSafe(future).catch_unwind().await;
            let convert: Convert = Box::new(move |py| match output {
                Ok(Ok(value)) => value
                    .into_pyobject(py)
                    .map(|value| value.into_any().into_bound())
                    .map_err(Into::into),
                Ok(Err(error)) => Err(error),
                Err(panic) => Err(PyRuntimeError::new_err(format!(
                    "the call panicked: {}",
                    panic_message(panic.as_ref())
                ))),
            });
            reporter.push(Finished {
                future: target,
                convert,
            });
        },
        registration,
    );
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
    completions
        .starts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Box::pin(job.map(drop)));
    Ok((awaited, abort))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
