//! The core's per-attempt events, forwarded to the `cpaas_reseller` logger of Python's `logging`.
//!
//! Tokio threads never take the GIL, so the core's events (see `cpaas_reseller::events`) are
//! queued without it and logged on a Python thread: by a sync call while it waits (each signal
//! check) and when it returns, by an async call when the event loop resolves it. Whether a level
//! is wanted is read from the logger (`isEnabledFor`) whenever a call starts, so with the logger
//! disabled the core builds nothing. Levels: `WARNING` for a retried or outcome-unknown attempt,
//! `DEBUG` for the others, `TRACE` (5) for the redacted bodies. Each record carries the event's
//! fields as attributes (`method`, `attempt`, `status`, `duration_ms`, `retry`, `wait_ms`,
//! `outcome_unknown`, `reason`; `direction` and `body` for bodies).

use cpaas_reseller::events::{self, Level, Record, Sink};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};

/// The logger's name.
pub(crate) const LOGGER: &str = "cpaas_reseller";
/// The number of the `TRACE` level the bodies are logged at.
pub(crate) const TRACE: u8 = 5;
/// Events kept for logging at most; a flood beyond it (no Python thread logging) is dropped.
const QUEUE_LIMIT: usize = 10_000;

/// The most verbose level enabled: 0 none, 1 `WARNING`, 2 `DEBUG`, 3 `TRACE`.
static ENABLED: AtomicU8 = AtomicU8::new(0);
static QUEUE: Mutex<Vec<Record>> = Mutex::new(Vec::new());
static LOGGER_OBJECT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn rank(level: Level) -> u8 {
    if level == Level::TRACE {
        3
    } else if level == Level::DEBUG {
        2
    } else if level == Level::INFO || level == Level::WARN || level == Level::ERROR {
        1
    } else {
        0
    }
}

fn python_level(level: Level) -> u8 {
    match rank(level) {
        3 => TRACE,
        2 => 10,
        _ => 30,
    }
}

struct Queue;

impl Sink for Queue {
    fn enabled(&self, level: Level) -> bool {
        rank(level) <= ENABLED.load(Ordering::Relaxed)
    }

    fn record(&self, record: Record) {
        let mut queue = QUEUE.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.len() < QUEUE_LIMIT {
            queue.push(record);
        }
    }
}

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER_OBJECT
        .get_or_try_init(py, || {
            let logging = py.import(intern!(py, "logging"))?;
            if logging
                .call_method1(intern!(py, "getLevelName"), (TRACE,))?
                .extract::<String>()?
                == format!("Level {TRACE}")
            {
                logging.call_method1(intern!(py, "addLevelName"), (TRACE, "TRACE"))?;
            }
            Ok::<_, PyErr>(
                logging
                    .call_method1(intern!(py, "getLogger"), (LOGGER,))?
                    .unbind(),
            )
        })
        .map(|logger| logger.bind(py))
}

/// Installs the forwarding subscriber (module import).
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    logger(py)?;
    events::forward_to(Queue);
    Ok(())
}

/// Reads which levels the logger wants now (when a call starts).
pub(crate) fn refresh(py: Python<'_>) {
    let enabled = (|| -> PyResult<u8> {
        let logger = logger(py)?;
        for (level, rank) in [(TRACE, 3), (10, 2), (30, 1)] {
            if logger
                .call_method1(intern!(py, "isEnabledFor"), (level,))?
                .is_truthy()?
            {
                return Ok(rank);
            }
        }
        Ok(0)
    })()
    .unwrap_or(0);
    ENABLED.store(enabled, Ordering::Relaxed);
}

/// Logs the queued events on this (Python) thread.
pub(crate) fn flush(py: Python<'_>) {
    let records = {
        let mut queue = QUEUE.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.is_empty() {
            return;
        }
        std::mem::take(&mut *queue)
    };
    let Ok(logger) = logger(py) else {
        return;
    };
    for record in records {
        if let Err(error) = log(logger, &record) {
            error.write_unraisable(py, Some(logger));
        }
    }
}

fn log(logger: &Bound<'_, PyAny>, record: &Record) -> PyResult<()> {
    let py = logger.py();
    let fields = PyDict::new(py);
    match record {
        Record::Attempt(event) => {
            fields.set_item("method", &event.method)?;
            fields.set_item("attempt", event.attempt)?;
            fields.set_item("status", event.status)?;
            fields.set_item("duration_ms", event.duration.as_millis() as u64)?;
            fields.set_item("retry", event.retry)?;
            fields.set_item("wait_ms", event.wait.map(|w| w.as_millis() as u64))?;
            fields.set_item("outcome_unknown", event.outcome_unknown)?;
            fields.set_item("reason", &event.reason)?;
        }
        Record::Body(event) => {
            fields.set_item("method", &event.method)?;
            fields.set_item("attempt", event.attempt)?;
            fields.set_item("direction", event.direction.as_str())?;
            fields.set_item("body", &event.body)?;
        }
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", fields)?;
    logger.call_method(
        intern!(py, "log"),
        (python_level(record.level()), "%s", record.to_string()),
        Some(&kwargs),
    )?;
    Ok(())
}
