//! One structured log event per attempt, and the bridge the language bindings forward them by.
//!
//! The transport emits, through [`tracing`]:
//! - one [`AttemptEvent`] per HTTP attempt (target [`ATTEMPT_TARGET`]) at `DEBUG`, or at `WARN`
//!   when the attempt is retried or its outcome is unknown;
//! - at `TRACE` only, the request and response bodies of each attempt (target [`BODY_TARGET`]),
//!   redacted: the API password and the Basic credential are replaced, and so is the value of
//!   every JSON field whose name contains `password`. The `Authorization` header is never logged.
//!
//! A Rust application reads them with any `tracing` subscriber (`RUST_LOG=cpaas_reseller=debug`).
//! The bindings have none, so they install [`forward_to`], which hands each event to a [`Sink`]
//! (Python's `logging`, a JVM or Swift listener) and asks the sink first whether the level is
//! wanted, so nothing is built for a disabled logger.

use crate::error::excerpt;
use crate::transport::Redactor;
use serde_json::Value;
use std::fmt;
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata};

pub use tracing::Level;

/// The `tracing` target of the per-attempt events.
pub const ATTEMPT_TARGET: &str = "cpaas_reseller::attempt";
/// The `tracing` target of the (redacted) request and response bodies, at `TRACE`.
pub const BODY_TARGET: &str = "cpaas_reseller::body";
/// Logged bodies are cut to this many bytes.
pub const BODY_LOG_LIMIT: usize = 4096;

/// What happened in one HTTP attempt of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptEvent {
    /// The vendor method, e.g. `GetAccount`.
    pub method: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status, when the service answered.
    pub status: Option<u16>,
    /// How long this attempt took.
    pub duration: Duration,
    /// Whether the client retries after this attempt.
    pub retry: bool,
    /// The wait before the retry, when there is one.
    pub wait: Option<Duration>,
    /// The request may or may not have been applied: reconcile before repeating it.
    pub outcome_unknown: bool,
    /// Why the attempt failed (`HTTP 500`, `could not connect: ...`; never a body), `None` on
    /// success.
    pub reason: Option<String>,
}

impl AttemptEvent {
    /// `WARN` for a retried or outcome-unknown attempt, `DEBUG` otherwise.
    pub fn level(&self) -> Level {
        if self.retry || self.outcome_unknown {
            Level::WARN
        } else {
            Level::DEBUG
        }
    }

    /// Logs the event as `method`'s. The transport builds it with an empty `method`, named here
    /// only once its level is enabled, so with no listener (the bindings' default) an attempt
    /// allocates nothing for its event.
    pub(crate) fn emit(mut self, method: &str) {
        macro_rules! at {
            ($level:expr) => {
                if tracing::enabled!(target: ATTEMPT_TARGET, $level) {
                    self.method = method.to_owned();
                    let status = self.status;
                    let duration_ms = self.duration.as_millis() as u64;
                    let wait_ms = self.wait.map(|wait| wait.as_millis() as u64);
                    let reason = self.reason.as_deref();
                    tracing::event!(
                        target: ATTEMPT_TARGET,
                        $level,
                        method = self.method.as_str(),
                        attempt = self.attempt,
                        status,
                        duration_ms,
                        retry = self.retry,
                        wait_ms,
                        outcome_unknown = self.outcome_unknown,
                        reason,
                        "{self}"
                    )
                }
            };
        }
        if self.level() == Level::WARN {
            at!(Level::WARN);
        } else {
            at!(Level::DEBUG);
        }
    }
}

impl fmt::Display for AttemptEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} attempt {}: ", self.method, self.attempt)?;
        match (self.status, &self.reason) {
            (_, Some(reason)) => write!(f, "{reason}")?,
            (Some(status), None) => write!(f, "HTTP {status}")?,
            (None, None) => write!(f, "no answer")?,
        }
        write!(f, " in {} ms", self.duration.as_millis())?;
        if let Some(wait) = self.wait.filter(|_| self.retry) {
            write!(f, ", retrying in {} ms", wait.as_millis())?;
        } else if self.retry {
            write!(f, ", retrying")?;
        }
        if self.outcome_unknown {
            write!(f, ", outcome unknown: reconcile before repeating")?;
        }
        Ok(())
    }
}

/// Which way a logged body went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Response => "response",
        }
    }
}

/// A redacted request or response body, logged at `TRACE` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyEvent {
    pub method: String,
    pub attempt: u32,
    pub direction: Direction,
    /// Redacted and cut to [`BODY_LOG_LIMIT`].
    pub body: String,
}

impl fmt::Display for BodyEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} attempt {} {} body: {}",
            self.method,
            self.attempt,
            self.direction.as_str(),
            self.body
        )
    }
}

/// Logs a body at `TRACE`; redaction is only done when that level is enabled.
pub(crate) fn body(
    redactor: &Redactor,
    method: &str,
    attempt: u32,
    direction: Direction,
    bytes: &[u8],
) {
    if !tracing::enabled!(target: BODY_TARGET, Level::TRACE) {
        return;
    }
    let event = BodyEvent {
        method: method.to_owned(),
        attempt,
        direction,
        body: redact_body(redactor, bytes),
    };
    tracing::event!(
        target: BODY_TARGET,
        Level::TRACE,
        method,
        attempt,
        direction = direction.as_str(),
        body = event.body.as_str(),
        "{event}"
    );
}

/// Masks JSON fields named like a password, then the API password and the Basic credential.
fn redact_body(redactor: &Redactor, bytes: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(bytes) {
        Ok(mut value) => {
            mask_passwords(&mut value);
            value.to_string()
        }
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    // Redact before cutting, so a secret is never left half-visible at the cut.
    excerpt(redactor.redact(&text).as_bytes(), BODY_LOG_LIMIT)
}

fn mask_passwords(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key.to_ascii_lowercase().contains("password") {
                    *item = Value::String("***".to_owned());
                } else {
                    mask_passwords(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_passwords),
        _ => {}
    }
}

/// One event of this crate, as a [`Sink`] receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Attempt(AttemptEvent),
    Body(BodyEvent),
}

impl Record {
    /// Reads one of this crate's events back from `tracing`; `None` for any other event.
    pub fn from_event(event: &Event<'_>) -> Option<Self> {
        let target = event.metadata().target();
        if target != ATTEMPT_TARGET && target != BODY_TARGET {
            return None;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let method = fields.method?;
        let attempt = u32::try_from(fields.attempt?).ok()?;
        if target == BODY_TARGET {
            let direction = match fields.direction.as_deref()? {
                "request" => Direction::Request,
                _ => Direction::Response,
            };
            return Some(Self::Body(BodyEvent {
                method,
                attempt,
                direction,
                body: fields.body.unwrap_or_default(),
            }));
        }
        Some(Self::Attempt(AttemptEvent {
            method,
            attempt,
            status: fields.status.and_then(|s| u16::try_from(s).ok()),
            duration: Duration::from_millis(fields.duration_ms.unwrap_or(0)),
            retry: fields.retry,
            wait: fields.wait_ms.map(Duration::from_millis),
            outcome_unknown: fields.outcome_unknown,
            reason: fields.reason,
        }))
    }

    pub fn level(&self) -> Level {
        match self {
            Self::Attempt(event) => event.level(),
            Self::Body(_) => Level::TRACE,
        }
    }
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Attempt(event) => event.fmt(f),
            Self::Body(event) => event.fmt(f),
        }
    }
}

#[derive(Default)]
struct Fields {
    method: Option<String>,
    attempt: Option<u64>,
    status: Option<u64>,
    duration_ms: Option<u64>,
    retry: bool,
    wait_ms: Option<u64>,
    outcome_unknown: bool,
    reason: Option<String>,
    direction: Option<String>,
    body: Option<String>,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = Some(value),
            "status" => self.status = Some(value),
            "duration_ms" => self.duration_ms = Some(value),
            "wait_ms" => self.wait_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        match field.name() {
            "retry" => self.retry = value,
            "outcome_unknown" => self.outcome_unknown = value,
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let slot = match field.name() {
            "method" => &mut self.method,
            "reason" => &mut self.reason,
            "direction" => &mut self.direction,
            "body" => &mut self.body,
            _ => return,
        };
        *slot = Some(value.to_owned());
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn fmt::Debug) {}
}

/// Where [`forward_to`] sends this crate's events.
pub trait Sink: Send + Sync + 'static {
    /// Whether events at `level` are wanted now; asked before each event is built.
    fn enabled(&self, level: Level) -> bool;
    /// Receives one event whose level was enabled.
    fn record(&self, record: Record);
}

/// Installs, as the process's global `tracing` subscriber, one that forwards this crate's events
/// to `sink` and ignores everything else. For the language bindings, whose processes have no Rust
/// subscriber; fails (returning `false`) when a global subscriber is already set.
pub fn forward_to(sink: impl Sink) -> bool {
    tracing::subscriber::set_global_default(subscriber(sink)).is_ok()
}

/// The subscriber [`forward_to`] installs, for a scope (`tracing::subscriber::with_default`).
pub fn subscriber(sink: impl Sink) -> impl tracing::Subscriber + Send + Sync {
    Forward { sink }
}

struct Forward<S> {
    sink: S,
}

fn ours(metadata: &Metadata<'_>) -> bool {
    !metadata.is_span() && matches!(metadata.target(), ATTEMPT_TARGET | BODY_TARGET)
}

impl<S: Sink> tracing::Subscriber for Forward<S> {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if ours(metadata) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        ours(metadata) && self.sink.enabled(*metadata.level())
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, _span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _span: &tracing::span::Id, _values: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _span: &tracing::span::Id, _follows: &tracing::span::Id) {}

    fn event(&self, event: &Event<'_>) {
        if let Some(record) = Record::from_event(event) {
            self.sink.record(record);
        }
    }

    fn enter(&self, _span: &tracing::span::Id) {}

    fn exit(&self, _span: &tracing::span::Id) {}
}
