//! How a tokio thread tells an event loop that calls have finished, without waiting for the GIL.
//!
//! Where the loop can watch a socket (`loop.add_reader`: the selector loops on Unix, uvloop), a
//! byte written to a socket pair wakes it: the cheapest way, and no Python on the tokio side.
//! Elsewhere (Windows, whose default proactor loop raises `NotImplementedError` for
//! `add_reader`), a blocking-pool thread takes the GIL and calls `loop.call_soon_threadsafe`, so
//! that no tokio worker stops driving connections while it waits for the GIL. Either way the
//! caller wakes the loop once per burst: only for the first result since the last drain.

#[cfg(unix)]
use pyo3::exceptions::{PyAttributeError, PyNotImplementedError};
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
    /// The callback that hands them to Python, for `call_soon_threadsafe`.
    fn drain<'py>(self: Arc<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

pub(crate) enum Wake {
    /// Written to by the tokio side; the loop watches `ready`.
    #[cfg(unix)]
    Socket { wake: UnixStream, ready: UnixStream },
    /// A weak reference to the loop, which must not be kept alive by its own queue (shared, so
    /// a tokio thread can hand it on without the GIL).
    Threadsafe(Arc<Py<PyAny>>),
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
        Ok(Self::Threadsafe(Arc::new(weak.unbind())))
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
            Self::Threadsafe(_) => Ok(false),
        }
    }

    /// Wakes the loop for `queue`. Called on a tokio thread.
    pub(crate) fn notify<W: Waiting>(&self, queue: &Arc<W>) {
        match self {
            // A full socket buffer (`WouldBlock`) means a wake-up is already pending.
            #[cfg(unix)]
            Self::Socket { wake, .. } => drop((&*wake).write(&[1])),
            Self::Threadsafe(weak) => {
                let (weak, queue) = (Arc::clone(weak), Arc::clone(queue));
                drop(tokio::task::spawn_blocking(move || {
                    // Drained meanwhile (a late wake-up): no reason to wait for the GIL.
                    if !queue.waiting() {
                        return;
                    }
                    // `try_attach`: never into an interpreter that is shutting down, whose
                    // threads waiting for the GIL are made to exit (through Rust frames).
                    Python::try_attach(|py| {
                        // Fails only for a closed loop: nobody is left to wait for the results.
                        let _closed = call_soon_threadsafe(py, &weak, queue);
                    });
                }));
            }
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
            Self::Threadsafe(_) => {}
        }
    }
}

fn call_soon_threadsafe<W: Waiting>(
    py: Python<'_>,
    weak: &Py<PyAny>,
    queue: Arc<W>,
) -> PyResult<()> {
    let event_loop = weak.bind(py).call0()?;
    if event_loop.is_none() {
        return Ok(());
    }
    event_loop.call_method1(intern!(py, "call_soon_threadsafe"), (queue.drain(py)?,))?;
    Ok(())
}
