//! How a tokio thread tells an event loop that calls have finished, without waiting for the GIL.
//!
//! Where the loop can watch a socket (`loop.add_reader`: the selector loops on Unix, uvloop), a
//! byte written to a socket pair wakes it: the cheapest way, and no Python on the tokio side.
//! Elsewhere (Windows, whose default proactor loop raises `NotImplementedError` for
//! `add_reader`), a Python thread calls `loop.call_soon_threadsafe` ([`crate::relay`]). Either
//! way the caller wakes the loop once per burst: only for the first result since the last drain.

use crate::relay::Relay;
#[cfg(unix)]
use pyo3::exceptions::{PyAttributeError, PyNotImplementedError};
#[cfg(unix)]
use pyo3::intern;
use pyo3::prelude::*;
#[cfg(unix)]
use std::io::{ErrorKind, Read, Write};
#[cfg(unix)]
use std::os::fd::AsRawFd;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::Arc;

/// The queue a wake-up is for.
pub(crate) trait Waiting: Send + Sync + 'static {
    /// Whether ended calls still wait for the loop (a wake-up may come after they were drained).
    fn waiting(&self) -> bool;
    /// The loop to wake through the relay, if it is still there.
    fn event_loop<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>>;
    /// The callback that hands the calls to Python, for `call_soon_threadsafe`.
    fn drain<'py>(self: Arc<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

pub(crate) enum Wake {
    /// Written to by the tokio side; the loop watches `ready`.
    #[cfg(unix)]
    Socket { wake: UnixStream, ready: UnixStream },
    /// Through the relay; a weak reference to the loop, which must not be kept alive by its own
    /// queue.
    Threadsafe {
        event_loop: Py<PyAny>,
        relay: Arc<Relay>,
    },
}

impl Wake {
    /// A socket pair whose read end [`Wake::watch`] hands to the loop.
    #[cfg(unix)]
    pub(crate) fn socket() -> std::io::Result<Self> {
        let (wake, ready) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        ready.set_nonblocking(true)?;
        Ok(Self::Socket { wake, ready })
    }

    pub(crate) fn threadsafe(event_loop: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = event_loop.py();
        let weak = py.import("weakref")?.getattr("ref")?.call1((event_loop,))?;
        Ok(Self::Threadsafe {
            event_loop: weak.unbind(),
            relay: Relay::get(py)?,
        })
    }

    /// The loop a [`Wake::threadsafe`] wakes, while it exists.
    pub(crate) fn event_loop<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self {
            #[cfg(unix)]
            Self::Socket { .. } => Ok(None),
            Self::Threadsafe { event_loop, .. } => {
                let event_loop = event_loop.bind(py).call0()?;
                Ok((!event_loop.is_none()).then_some(event_loop))
            }
        }
    }

    /// Has `event_loop` call `reader` whenever the socket is readable. `Ok(false)`: the loop
    /// cannot watch sockets, use [`Wake::threadsafe`].
    #[cfg(unix)]
    pub(crate) fn watch(
        &self,
        event_loop: &Bound<'_, PyAny>,
        reader: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        let py = event_loop.py();
        match self {
            #[cfg(unix)]
            Self::Socket { ready, .. } => {
                match event_loop
                    .call_method1(intern!(py, "add_reader"), (ready.as_raw_fd(), reader))
                {
                    Ok(_) => Ok(true),
                    Err(error)
                        if error.is_instance_of::<PyNotImplementedError>(py)
                            || error.is_instance_of::<PyAttributeError>(py) =>
                    {
                        Ok(false)
                    }
                    Err(error) => Err(error),
                }
            }
            Self::Threadsafe { .. } => Ok(false),
        }
    }

    /// Wakes the loop for `queue`. Called on a tokio thread.
    pub(crate) fn notify<W: Waiting>(&self, queue: &Arc<W>) {
        match self {
            // A full socket buffer (`WouldBlock`) means a wake-up is already pending.
            #[cfg(unix)]
            Self::Socket { wake, .. } => drop((&*wake).write(&[1])),
            Self::Threadsafe { relay, .. } => relay.notify(Arc::clone(queue) as Arc<dyn Waiting>),
        }
    }

    /// Empties the socket after a wake-up, so the next one is seen.
    pub(crate) fn acknowledge(&self) {
        match self {
            #[cfg(unix)]
            Self::Socket { ready, .. } => {
                let mut sink = [0_u8; 256];
                loop {
                    match (&*ready).read(&mut sink) {
                        Ok(0) => break,
                        Ok(_) => continue,
                        Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    }
                }
            }
            Self::Threadsafe { .. } => {}
        }
    }
}
