//! The process-wide tokio runtime, and the two ways Python waits on it: blocking with the
//! GIL released (sync client) or through an asyncio awaitable (async client, see
//! [`crate::completions`]).

use crate::fork;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::Duration;
use tokio::runtime::Runtime;

/// A runtime and the fork generation whose threads run it.
struct Current {
    generation: u64,
    runtime: Runtime,
}

/// This process's runtime, built on first use. After a fork the child builds its own: the
/// parent's is leaked, never dropped (its workers are not in the child, see [`crate::fork`]),
/// which is also why this is a raw pointer to a leaked box rather than a `OnceLock`.
static CURRENT: AtomicPtr<Current> = AtomicPtr::new(ptr::null_mut());

/// How often a blocked sync call looks for Ctrl-C (`KeyboardInterrupt`) and other signals.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// The runtime shared by every client of this process: sync and async calls share one
/// connection-driving thread pool.
pub(crate) fn runtime() -> PyResult<&'static Runtime> {
    let generation = fork::generation();
    loop {
        let current = CURRENT.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from `Box::into_raw` below and is never freed.
        if let Some(current) = unsafe { current.as_ref() } {
            if current.generation == generation {
                return Ok(&current.runtime);
            }
        }
        let built = Box::into_raw(Box::new(Current {
            generation,
            runtime: build()?,
        }));
        match CURRENT.compare_exchange(current, built, Ordering::AcqRel, Ordering::Acquire) {
            // The replaced runtime, if any, is another generation's: leaked on purpose.
            // SAFETY: `built` was just published and is never freed.
            Ok(_) => return Ok(unsafe { &(*built).runtime }),
            // Another thread published one first; ours was never shared.
            // SAFETY: `built` came from `Box::into_raw` above and nothing else refers to it.
            Err(_) => drop(unsafe { Box::from_raw(built) }),
        }
    }
}

fn build() -> PyResult<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("cpaas-reseller")
        .enable_all()
        .build()
        .map_err(|error| PyRuntimeError::new_err(format!("cannot start tokio: {error}")))
}

/// One worker per core, at most four: more cannot be fed by the single Python thread that
/// converts every result (measured: one worker on two cores was slower for both clients).
fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
}

/// Runs a future to completion on the shared runtime with the GIL released, so other Python
/// threads run meanwhile. Every [`SIGNAL_CHECK_INTERVAL`] it briefly re-attaches to let Python
/// handle signals: a `KeyboardInterrupt` drops (cancels) the call and propagates.
pub(crate) fn block_on<F>(py: Python<'_>, future: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    wait(py, future, Err)
}

/// Like [`block_on`] for work that can stop cleanly (a bulk run): the first signal's exception
/// calls `stop` and waiting goes on until the work finishes, then the exception is handed back
/// with the output; a second signal abandons the work at once.
pub(crate) fn block_on_stoppable<F>(
    py: Python<'_>,
    future: F,
    stop: impl Fn(),
) -> PyResult<(F::Output, Option<PyErr>)>
where
    F: Future + Send,
    F::Output: Send,
{
    let mut interrupted: Option<PyErr> = None;
    let output = wait(py, future, |error| {
        if interrupted.is_some() {
            return Err(error);
        }
        stop();
        interrupted = Some(error);
        Ok(())
    })?;
    Ok((output, interrupted))
}

fn wait<F>(
    py: Python<'_>,
    future: F,
    mut on_signal: impl FnMut(PyErr) -> PyResult<()>,
) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(PyRuntimeError::new_err(
            "the sync Client cannot block inside a tokio runtime thread; use AsyncClient",
        ));
    }
    let runtime = runtime()?;
    crate::logging::refresh(py);
    let mut future = std::pin::pin!(future);
    loop {
        let step = py.detach(|| {
            // The timer must be created inside the runtime, hence the async block.
            runtime.block_on(async {
                tokio::time::timeout(SIGNAL_CHECK_INTERVAL, future.as_mut()).await
            })
        });
        crate::logging::flush(py);
        match step {
            Ok(output) => return Ok(output),
            Err(_elapsed) => {
                if let Err(error) = py.check_signals() {
                    on_signal(error)?;
                }
            }
        }
    }
}
