//! The process's wake-up relay for event loops that cannot watch a socket (see
//! `cpaas_reseller/_relay.py`): tokio threads queue the loop's [`Waiting`] queue and write one
//! byte to a loopback TCP connection (portable, unlike a socket pair); the relay's Python thread
//! reads it and calls [`take`], then `loop.call_soon_threadsafe` for each queue. One relay per
//! process: a forked child starts its own (the parent's thread is not in the child).

use crate::fork;
use crate::wake::Waiting;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

/// This process's relay; only touched with the GIL.
static RELAY: Mutex<Option<Arc<Relay>>> = Mutex::new(None);

pub(crate) struct Relay {
    generation: u64,
    /// Written to by tokio threads; the relay thread reads the other end.
    wake: TcpStream,
    /// Queues to wake; pushed by tokio threads, emptied by [`take`].
    pending: Mutex<Vec<Arc<dyn Waiting>>>,
}

impl Relay {
    /// This process's relay, started on first use.
    pub(crate) fn get(py: Python<'_>) -> PyResult<Arc<Relay>> {
        let mut slot = RELAY.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(relay) = slot.as_ref().filter(|relay| relay.current()) {
            return Ok(Arc::clone(relay));
        }
        let relay = Arc::new(Relay::start(py)?);
        // A parent's relay: leaked, see `crate::fork`.
        std::mem::forget(slot.replace(Arc::clone(&relay)));
        Ok(relay)
    }

    fn start(py: Python<'_>) -> PyResult<Self> {
        let failed = |error: std::io::Error| {
            PyOSError::new_err(format!(
                "cannot start the event-loop wake-up relay: {error}"
            ))
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(failed)?;
        let port = listener.local_addr().map_err(failed)?.port();
        let take = wrap_pyfunction!(take, py)?;
        let (_, relay_port): (String, u16) = py
            .import("cpaas_reseller._relay")?
            .call_method1("start", (port, take))?
            .extract()?;
        // The relay connected before `start` returned, so this does not wait.
        let (wake, peer) = listener.accept().map_err(failed)?;
        if peer != SocketAddr::from((Ipv4Addr::LOCALHOST, relay_port)) {
            return Err(PyOSError::new_err(format!(
                "the event-loop wake-up relay's port was taken by another connection ({peer})"
            )));
        }
        wake.set_nodelay(true).map_err(failed)?;
        wake.set_nonblocking(true).map_err(failed)?;
        Ok(Self {
            generation: fork::generation(),
            wake,
            pending: Mutex::new(Vec::new()),
        })
    }

    fn current(&self) -> bool {
        self.generation == fork::generation()
    }

    /// Has the relay wake `queue`'s loop. Called on a tokio thread.
    pub(crate) fn notify(&self, queue: Arc<dyn Waiting>) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(queue);
        // A full buffer (`WouldBlock`) means the relay has bytes to read, and will call `take`.
        let _ = (&self.wake).write(&[1]);
    }
}

/// For the relay thread: each loop to wake, with the callback to schedule on it.
#[pyfunction]
fn take(py: Python<'_>) -> PyResult<Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)>> {
    let relay = RELAY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .filter(|relay| relay.current());
    let Some(relay) = relay else {
        return Ok(Vec::new());
    };
    let pending =
        std::mem::take(&mut *relay.pending.lock().unwrap_or_else(PoisonError::into_inner));
    let mut wakeups = Vec::with_capacity(pending.len());
    for queue in pending {
        // Drained meanwhile, or the loop is gone: nothing to do.
        if !queue.waiting() {
            continue;
        }
        if let Some(event_loop) = queue.event_loop(py)? {
            wakeups.push((event_loop, queue.drain(py)?));
        }
    }
    Ok(wakeups)
}
