//! Fork safety. A child made by `os.fork()` inherits the parent's memory but none of its
//! threads: the tokio workers, the connections they drive and the emulator's server stay with
//! the parent. [`after_in_child`] (registered with `os.register_at_fork`) starts a new
//! [`generation`]; whatever depends on the parent's threads records the generation it was made
//! in and, in a later one, is replaced (the runtime, a client's connection pool) or refused (an
//! inherited event loop, the emulator's state). Objects of an earlier generation are leaked,
//! never dropped: dropping the parent's sockets here would remove them from the epoll instance
//! the child shares with the parent, and a lock they hold may belong to a thread that is gone.

use crate::completions;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// How many forks separate this process from the one that loaded the module.
pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Runs [`after_in_child`] in every child `os.fork()` makes (`multiprocessing`, gunicorn and
/// Celery workers included). Windows has no fork and no `os.register_at_fork`.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let Ok(register_at_fork) = py.import("os")?.getattr("register_at_fork") else {
        return Ok(());
    };
    let hook = wrap_pyfunction!(after_in_child, module)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("after_in_child", hook)?;
    register_at_fork.call((), Some(&kwargs))?;
    Ok(())
}

/// In the child, with the GIL and no other thread: a new generation, and every async call that
/// was in flight fails instead of waiting for a thread that does not exist here.
#[pyfunction]
fn after_in_child(py: Python<'_>) {
    GENERATION.fetch_add(1, Ordering::AcqRel);
    completions::after_fork(py);
}
