//! The core's per-attempt events (see `cpaas_reseller::events`), delivered to a [`LogListener`]
//! the Kotlin or Swift application installs with [`set_log_listener`].
//!
//! The core emits on tokio worker threads; those only push the event onto a bounded queue (no
//! foreign call, no lock held beyond the push), and one dedicated thread, `cpaas-reseller-logs`,
//! hands the queued events to the listener. So a slow listener never holds up a request: when the
//! queue is full the newest events are dropped and counted ([`dropped_log_records`]). With no
//! listener set the core's `Sink::enabled` answers false and nothing is built.
//! [`flush_logs`] waits until everything queued so far has been delivered (tests, shutdown).

use crate::config::millis;
use crate::errors::ResellerError;
use cpaas_reseller::events::{self, Level, Record, Sink};
use std::collections::VecDeque;
use std::fmt::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// Events waiting for the delivery thread at most; beyond it they are dropped and counted.
const QUEUE_LIMIT: usize = 10_000;

/// The most verbose level a listener asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum LogLevel {
    /// Retried and outcome-unknown attempts only.
    Warn,
    /// Every attempt.
    Debug,
    /// Every attempt, and the redacted request and response bodies.
    Trace,
}

impl LogLevel {
    fn of(level: Level) -> Self {
        if level == Level::TRACE {
            Self::Trace
        } else if level == Level::DEBUG {
            Self::Debug
        } else {
            Self::Warn
        }
    }

    /// Its rank in [`WANTED`]: 0 is no listener.
    fn rank(self) -> u8 {
        match self {
            Self::Warn => 1,
            Self::Debug => 2,
            Self::Trace => 3,
        }
    }
}

/// One event: an HTTP attempt (`Warn` or `Debug`), or a redacted body (`Trace`, with
/// `direction` and `body` set; its `duration_ms` is 0 and `retry`/`outcome_unknown` false).
/// Never carries the password or the `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    /// `Warn` for a retried or outcome-unknown attempt, `Debug` for the other attempts,
    /// `Trace` for a body.
    pub level: LogLevel,
    /// The core's one-line text (`GetAccount attempt 1: HTTP 500 in 3 ms, retrying in 200 ms`).
    pub message: String,
    /// The vendor method, e.g. `GetAccount`.
    pub method: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status, when the service answered.
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// Whether the client retries after this attempt.
    pub retry: bool,
    /// The wait before that retry.
    pub wait_ms: Option<u64>,
    /// The request may or may not have been applied: reconcile before repeating it.
    pub outcome_unknown: bool,
    /// Why the attempt failed (`HTTP 500`, `could not connect: ...`), none on success.
    pub reason: Option<String>,
    /// `request` or `response`, for a body.
    pub direction: Option<String>,
    /// The redacted body, cut to 4 KiB.
    pub body: Option<String>,
}

impl From<Record> for LogRecord {
    fn from(record: Record) -> Self {
        let level = LogLevel::of(record.level());
        let message = record.to_string();
        match record {
            Record::Attempt(event) => Self {
                level,
                message,
                method: event.method,
                attempt: event.attempt,
                status: event.status,
                duration_ms: millis(event.duration),
                retry: event.retry,
                wait_ms: event.wait.map(millis),
                outcome_unknown: event.outcome_unknown,
                reason: event.reason,
                direction: None,
                body: None,
            },
            Record::Body(event) => Self {
                level,
                message,
                method: event.method,
                attempt: event.attempt,
                status: None,
                duration_ms: 0,
                retry: false,
                wait_ms: None,
                outcome_unknown: false,
                reason: None,
                direction: Some(event.direction.as_str().to_owned()),
                body: Some(event.body),
            },
        }
    }
}

#[uniffi::export]
impl LogRecord {
    /// The record as one line: the level, the message, then the fields as `name=value`
    /// (`WARN GetAccount attempt 1: HTTP 500 in 3 ms, retrying in 200 ms method=GetAccount
    /// attempt=1 status=500 ...`); what the print adapters write.
    pub fn line(&self) -> String {
        let level = match self.level {
            LogLevel::Warn => "WARN",
            LogLevel::Debug => "DEBUG",
            LogLevel::Trace => "TRACE",
        };
        let mut line = format!(
            "{level} {} method={} attempt={}",
            self.message, self.method, self.attempt
        );
        if let Some(body) = &self.body {
            let direction = self.direction.as_deref().unwrap_or_default();
            let _ = write!(line, " direction={direction} body={body}");
            return line;
        }
        let status = self.status.map_or("none".to_owned(), |s| s.to_string());
        let _ = write!(
            line,
            " status={status} duration_ms={} retry={} outcome_unknown={}",
            self.duration_ms, self.retry, self.outcome_unknown
        );
        if let Some(wait) = self.wait_ms {
            let _ = write!(line, " wait_ms={wait}");
        }
        if let Some(reason) = &self.reason {
            let _ = write!(line, " reason={reason:?}");
        }
        line
    }
}

/// What a listener may throw. The record is dropped and delivery goes on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum LogListenerError {
    #[error("{reason}")]
    Failed { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for LogListenerError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: error.reason,
        }
    }
}

/// Implemented in Kotlin or Swift to receive the log records. Called on the library's own
/// delivery thread, one record at a time, in order, after the attempt (asynchronously): keep it
/// quick, as records that arrive while the queue is full are dropped. An exception it throws is
/// ignored.
#[uniffi::export(with_foreign)]
pub trait LogListener: Send + Sync {
    fn on_log(&self, record: LogRecord) -> Result<(), LogListenerError>;
}

/// The queue between the core's events and the delivery thread.
#[derive(Default)]
struct Queue {
    records: VecDeque<Record>,
    /// Records ever queued, and ever taken off by the delivery thread (delivered or discarded).
    queued: u64,
    done: u64,
    dropped: u64,
}

static QUEUE: Mutex<Queue> = Mutex::new(Queue {
    records: VecDeque::new(),
    queued: 0,
    done: 0,
    dropped: 0,
});
/// Signalled when records are queued and when a batch is done.
static CHANGED: Condvar = Condvar::new();
/// The [`LogLevel::rank`] wanted by the listener, 0 when there is none.
static WANTED: AtomicU8 = AtomicU8::new(0);
static LISTENER: Mutex<Option<Arc<dyn LogListener>>> = Mutex::new(None);
/// Set once: whether the forwarding subscriber could be installed, and the delivery thread.
static INSTALLED: OnceLock<Result<ThreadId, String>> = OnceLock::new();

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The core's side: queues without calling anything foreign.
struct Forward;

impl Sink for Forward {
    fn enabled(&self, level: Level) -> bool {
        let wanted = WANTED.load(Ordering::Relaxed);
        wanted != 0 && LogLevel::of(level).rank() <= wanted
    }

    fn record(&self, record: Record) {
        let mut queue = lock(&QUEUE);
        if queue.records.len() < QUEUE_LIMIT {
            queue.records.push_back(record);
            queue.queued += 1;
            CHANGED.notify_all();
        } else {
            queue.dropped += 1;
        }
    }
}

fn deliver() {
    let mut queue = lock(&QUEUE);
    loop {
        queue = CHANGED
            .wait_while(queue, |queue| queue.records.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        let batch = std::mem::take(&mut queue.records);
        drop(queue);
        let listener = lock(&LISTENER).clone();
        let count = batch.len() as u64;
        if let Some(listener) = listener {
            for record in batch {
                // A listener's failure drops its record only.
                let _ = listener.on_log(record.into());
            }
        }
        queue = lock(&QUEUE);
        queue.done += count;
        CHANGED.notify_all();
    }
}

/// Installs the forwarding subscriber and starts the delivery thread, once per process.
fn install() -> Result<ThreadId, ResellerError> {
    INSTALLED
        .get_or_init(|| {
            if !events::forward_to(Forward) {
                return Err(
                    "another tracing subscriber is already the process's global \
                     default, so the log listener cannot receive events; read them with that \
                     subscriber instead (targets cpaas_reseller::attempt and cpaas_reseller::body)"
                        .to_owned(),
                );
            }
            thread::Builder::new()
                .name("cpaas-reseller-logs".to_owned())
                .spawn(deliver)
                .map(|handle| handle.thread().id())
                .map_err(|error| format!("could not start the log delivery thread: {error}"))
        })
        .clone()
        .map_err(|message| ResellerError::invalid("listener", message))
}

/// Sends this library's log records at `level` and above to `listener`, replacing any listener
/// set before. Records are delivered asynchronously, on the library's own thread (see
/// [`LogListener`]); [`flush_logs`] waits for them. Fails with a `Validation` error (field
/// `listener`) when another `tracing` subscriber already owns the process.
#[uniffi::export]
pub fn set_log_listener(
    listener: Arc<dyn LogListener>,
    level: LogLevel,
) -> Result<(), ResellerError> {
    install()?;
    let previous = lock(&LISTENER).replace(listener);
    WANTED.store(level.rank(), Ordering::Relaxed);
    // Released outside the lock: dropping a foreign listener calls into its language.
    drop(previous);
    Ok(())
}

/// Removes the listener: the core builds no more records. Records still queued are discarded;
/// call [`flush_logs`] first to deliver them.
#[uniffi::export]
pub fn clear_log_listener() {
    WANTED.store(0, Ordering::Relaxed);
    let previous = lock(&LISTENER).take();
    drop(previous);
}

/// Waits until every record queued before this call has been handed to the listener, for at
/// most `timeout`; returns whether it was. Returns false at once when called from the listener
/// itself (the delivery thread cannot wait for itself).
#[uniffi::export]
pub fn flush_logs(timeout: Duration) -> bool {
    if let Some(Ok(delivery)) = INSTALLED.get() {
        if thread::current().id() == *delivery {
            return false;
        }
    }
    let deadline = Instant::now() + timeout;
    let mut queue = lock(&QUEUE);
    let target = queue.queued;
    while queue.done < target {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        queue = CHANGED
            .wait_timeout(queue, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    true
}

/// Records dropped so far because the queue was full (a listener slower than the calls).
#[uniffi::export]
pub fn dropped_log_records() -> u64 {
    lock(&QUEUE).dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpaas_reseller::events::{AttemptEvent, BodyEvent, Direction};

    fn retried() -> Record {
        Record::Attempt(AttemptEvent {
            method: "GetAccount".into(),
            attempt: 1,
            status: Some(500),
            duration: Duration::from_millis(3),
            retry: true,
            wait: Some(Duration::from_millis(200)),
            outcome_unknown: false,
            reason: Some("HTTP 500".into()),
        })
    }

    #[test]
    fn an_attempt_keeps_its_fields_and_the_core_text() {
        let record = LogRecord::from(retried());
        assert_eq!(record.level, LogLevel::Warn);
        assert_eq!(record.message, retried().to_string());
        assert_eq!(
            (record.status, record.duration_ms, record.wait_ms),
            (Some(500), 3, Some(200))
        );
        assert_eq!((record.direction, record.body), (None, None));
        assert_eq!(
            LogRecord::from(retried()).line(),
            "WARN GetAccount attempt 1: HTTP 500 in 3 ms, retrying in 200 ms method=GetAccount \
             attempt=1 status=500 duration_ms=3 retry=true outcome_unknown=false wait_ms=200 \
             reason=\"HTTP 500\""
        );
    }

    #[test]
    fn a_body_is_trace_with_its_direction() {
        let record = LogRecord::from(Record::Body(BodyEvent {
            method: "GetRoles".into(),
            attempt: 2,
            direction: Direction::Response,
            body: "{}".into(),
        }));
        assert_eq!(record.level, LogLevel::Trace);
        assert_eq!(record.direction.as_deref(), Some("response"));
        assert!(
            record
                .line()
                .ends_with("method=GetRoles attempt=2 direction=response body={}"),
            "{}",
            record.line()
        );
    }

    /// The only test of this binary that touches the queue; no delivery thread runs here.
    #[test]
    fn a_full_queue_drops_and_counts_and_flush_times_out() {
        assert!(
            !Forward.enabled(Level::WARN),
            "no listener: nothing is built"
        );
        WANTED.store(LogLevel::Debug.rank(), Ordering::Relaxed);
        assert!(Forward.enabled(Level::DEBUG) && !Forward.enabled(Level::TRACE));
        for _ in 0..QUEUE_LIMIT + 5 {
            Forward.record(retried());
        }
        assert_eq!(lock(&QUEUE).records.len(), QUEUE_LIMIT);
        assert_eq!(dropped_log_records(), 5);
        let started = Instant::now();
        assert!(
            !flush_logs(Duration::from_millis(50)),
            "nothing delivers here"
        );
        assert!(started.elapsed() >= Duration::from_millis(50));
        clear_log_listener();
        assert!(!Forward.enabled(Level::WARN));
    }

    #[test]
    fn levels_rank_from_warn_to_trace() {
        assert_eq!(LogLevel::of(Level::WARN), LogLevel::Warn);
        assert_eq!(LogLevel::of(Level::DEBUG), LogLevel::Debug);
        assert_eq!(LogLevel::of(Level::TRACE), LogLevel::Trace);
        assert!(LogLevel::Warn.rank() < LogLevel::Debug.rank());
        assert!(LogLevel::Debug.rank() < LogLevel::Trace.rank());
    }
}
