//! Many calls of one operation, run concurrently, with one outcome per input in input order,
//! safe to kill and to run again.
//!
//! Bulk provisioning (a CSV of users, accounts or credit allocations) needs more than a loop:
//! bounded concurrency, progress, a failed row that never stops the others, a clean stop
//! (Ctrl-C) that lets calls already sent finish so their outcome is known, and reruns that
//! never apply a row twice. This module is the one implementation the CLI and the bindings share.
//!
//! Nothing here retries a call. Each call goes through the client's normal path, so read-only
//! calls get the client's retry policy and a mutating call whose outcome is unknown (a 504, a
//! lost response) comes back as [`BulkOutcome::Failed`] with [`Error::outcome_unknown`] set,
//! never replayed: a second `AllocateCredit` could allocate twice.
//!
//! # Reruns: the journal and reconciliation
//! * With [`BulkOptions::journal`], every row's fate is appended to a durable file as it
//!   happens (see [`journal`] for the format and its guarantees). Running the same input again
//!   with the same journal skips the rows it says were applied (reported
//!   [`BulkOutcome::AlreadyApplied`]), sends again the rows that failed without effect, and
//!   resolves the rows that may have been sent (a kill, a 504) by reconciliation. A journal of
//!   another input, method or service, or one that is corrupt, is refused before anything is
//!   sent ([`Error::Validation`] on field `journal`).
//! * With [`BulkOptions::reconcile`] (the default), every row about to be sent is first looked
//!   up on the service (see [`reconcile`]): `AllocateCredit` by `Reference`, `AddUserToAccount`
//!   by `Username`, `CreateAccount` by `AccountName` under its parent, one read per account or
//!   parent. A row found there is reported `AlreadyApplied` with its id and not sent; a match
//!   that disagrees or is ambiguous fails the row and nothing is sent.
//! * A row that may have been sent and is not found is sent again only once the
//!   [`BulkOptions::settle`] window has passed since the run that sent it last wrote to the
//!   journal: before that, a request still in flight at the service could yet be applied.
//!   Without reconciliation such a row stays `outcome_unknown` and is never sent again.
//!
//! * [`run`] takes typed requests (any [`Operation`]) and returns typed results.
//! * [`run_by_name`] takes a vendor method name and JSON inputs (vendor field names) and returns
//!   JSON results, through [`Client::invoke`]: the form for bindings that dispatch by name (the
//!   Python `Client.bulk(method, items, concurrency=..., journal=...)`).

mod engine;
pub mod journal;
pub mod reconcile;

use crate::catalogue::{self, Operation};
use crate::client::Client;
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

use engine::Setup;

/// Concurrency used when none is given: enough to hide latency, few enough not to look like
/// an attack to the service.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Called with each [`BulkEvent`] as it happens.
pub type EventCallback = Arc<dyn Fn(&BulkEvent<'_>) + Send + Sync>;

/// How a bulk run proceeds.
#[derive(Clone)]
pub struct BulkOptions {
    /// Calls in flight at most (a value of 0 is treated as 1); also bounds reconciliation reads.
    pub concurrency: usize,
    /// When signalled, no further item is started; calls in flight finish and are reported.
    pub stop: StopSignal,
    /// The durable journal of this input (`None`: no journal). Created if missing; if present,
    /// it must belong to the same method, inputs and service, and the run resumes from it.
    pub journal: Option<PathBuf>,
    /// Look rows up on the service before sending them (default `true`).
    pub reconcile: bool,
    /// How long a request may still be applied after its sender stopped waiting (`None`: the
    /// client's total timeout, 130 s by default). A row that may have been sent is sent again
    /// only when it is not found on the service this long after the journal last saw it.
    pub settle: Option<Duration>,
    /// Called with each row's outcome as it is decided and with warnings (a repaired journal),
    /// from the task awaiting the run.
    pub on_event: Option<EventCallback>,
}

impl fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("stop", &self.stop)
            .field("journal", &self.journal)
            .field("reconcile", &self.reconcile)
            .field("settle", &self.settle)
            .field("on_event", &self.on_event.as_ref().map(|_| "Fn"))
            .finish()
    }
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            stop: StopSignal::new(),
            journal: None,
            reconcile: true,
            settle: None,
            on_event: None,
        }
    }
}

impl BulkOptions {
    pub fn new(concurrency: usize) -> Self {
        Self {
            concurrency,
            ..Self::default()
        }
    }

    /// Uses this stop signal (keep a clone to signal it, e.g. from a Ctrl-C handler).
    pub fn with_stop(mut self, stop: StopSignal) -> Self {
        self.stop = stop;
        self
    }

    /// Keeps the run's journal at `path` (see [`BulkOptions::journal`]).
    pub fn with_journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// Turns reconciliation with the service on or off (see [`BulkOptions::reconcile`]).
    pub fn with_reconcile(mut self, reconcile: bool) -> Self {
        self.reconcile = reconcile;
        self
    }

    /// Sets the settle window (see [`BulkOptions::settle`]).
    pub fn with_settle(mut self, settle: Duration) -> Self {
        self.settle = Some(settle);
        self
    }

    /// Calls `on_event` with each row's outcome as it is decided, and with warnings.
    pub fn with_on_event(
        mut self,
        on_event: impl Fn(&BulkEvent<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.on_event = Some(Arc::new(on_event));
        self
    }
}

/// A cloneable "stop starting new items" switch. Signalling it is permanent and idempotent.
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<StopInner>);

#[derive(Debug, Default)]
struct StopInner {
    stopped: AtomicBool,
    notify: Notify,
}

impl StopSignal {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every run using this signal to start no further item.
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }

    /// Completes once [`StopSignal::stop`] has been called.
    pub async fn stopped(&self) {
        loop {
            let notified = self.0.notify.notified();
            tokio::pin!(notified);
            // Registered before the check, so a stop between the check and the wait is seen.
            notified.as_mut().enable();
            if self.is_stopped() {
                return;
            }
            notified.await;
        }
    }
}

/// Counters after each decided item. `done = succeeded + already_applied + failed +
/// outcome_unknown`; items not started (after a stop) are not counted in `done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// Applied by this run.
    pub succeeded: usize,
    /// Applied before this run: by an earlier run (its journal says so) or found on the service.
    pub already_applied: usize,
    /// Failed without effect on the server (validation, 400, 401, a refused connection, a
    /// conflicting or ambiguous match found by reconciliation, ...).
    pub failed: usize,
    /// Failed in a way that may have been applied ([`Error::outcome_unknown`]): never repeated
    /// blindly; a rerun resolves it by reconciliation.
    pub outcome_unknown: usize,
}

impl Progress {
    /// The counters for a finished run's outcomes (`total` is the number of outcomes).
    pub fn of<T>(outcomes: &[BulkOutcome<T>]) -> Self {
        let mut progress = Progress {
            total: outcomes.len(),
            ..Progress::default()
        };
        for outcome in outcomes {
            progress.count(outcome.status());
        }
        progress
    }

    /// Items that were never started (`total - done`).
    pub fn not_started(&self) -> usize {
        self.total.saturating_sub(self.done)
    }

    fn count(&mut self, status: RowStatus) {
        match status {
            RowStatus::Succeeded => self.succeeded += 1,
            RowStatus::AlreadyApplied => self.already_applied += 1,
            RowStatus::Failed => self.failed += 1,
            RowStatus::OutcomeUnknown => self.outcome_unknown += 1,
            RowStatus::NotStarted => return,
        }
        self.done += 1;
    }
}

/// What happened to one item.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkOutcome<T> {
    /// Applied by this run.
    Succeeded(T),
    /// Applied before this run; nothing was sent for it now.
    AlreadyApplied(Applied),
    /// The call failed (or reconciliation refused to send it); check [`Error::outcome_unknown`]
    /// (or [`BulkOutcome::status`]) before doing anything about it.
    Failed(Error),
    /// The run was stopped before this item was started: nothing was sent for it.
    NotStarted,
}

/// A row found applied before this run.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The id of what the row created (`AllocationId`, `UserId`, `AccountId`), when the
    /// operation's result has one.
    pub id: Option<i64>,
    /// As JSON with vendor field names: the result an earlier run recorded, or the record found
    /// on the service.
    pub record: Value,
    pub source: AppliedSource,
}

/// Where an [`Applied`] row was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppliedSource {
    /// The journal of an earlier run recorded it.
    Journal,
    /// Reconciliation found it on the service.
    Service,
}

impl AppliedSource {
    /// `journal` or `service`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::Service => "service",
        }
    }
}

/// The five states of an item, as a results file reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowStatus {
    Succeeded,
    AlreadyApplied,
    Failed,
    OutcomeUnknown,
    NotStarted,
}

impl RowStatus {
    /// `applied`, `already_applied`, `failed`, `outcome_unknown` or `not_started`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "applied",
            Self::AlreadyApplied => "already_applied",
            Self::Failed => "failed",
            Self::OutcomeUnknown => "outcome_unknown",
            Self::NotStarted => "not_started",
        }
    }
}

impl<T> BulkOutcome<T> {
    pub fn status(&self) -> RowStatus {
        match self {
            Self::Succeeded(_) => RowStatus::Succeeded,
            Self::AlreadyApplied(_) => RowStatus::AlreadyApplied,
            Self::Failed(error) if error.outcome_unknown() => RowStatus::OutcomeUnknown,
            Self::Failed(_) => RowStatus::Failed,
            Self::NotStarted => RowStatus::NotStarted,
        }
    }
}

/// What [`BulkOptions::on_event`] is told while a run goes on.
#[derive(Debug, Clone, Copy)]
pub enum BulkEvent<'a> {
    /// A row's outcome was decided.
    Row(RowUpdate<'a>),
    /// Something the operator should know that does not stop the run (a journal whose
    /// incomplete final line was dropped).
    Warning(&'a str),
}

/// One row's outcome as it is decided: enough to write a results line while the run goes on.
#[derive(Debug, Clone, Copy)]
pub struct RowUpdate<'a> {
    pub index: usize,
    pub status: RowStatus,
    /// The id of what the row created, when known (`AllocationId`, `UserId`, `AccountId`).
    pub id: Option<i64>,
    /// The result (applied) or the record found (already applied), as vendor JSON.
    pub record: Option<&'a Value>,
    /// Why the row failed or has an unknown outcome.
    pub error: Option<&'a Error>,
}

/// Sends every typed request through `client`, at most `options.concurrency` at a time, and
/// returns one outcome per request in input order. `progress` is called after each decided
/// request, from the task awaiting this function. Fails before sending anything when the
/// journal cannot be used, and after the calls in flight when it can no longer be written.
pub async fn run<O>(
    client: &Client,
    items: Vec<O>,
    options: BulkOptions,
    progress: impl Fn(Progress) + Send + Sync,
) -> Result<Vec<BulkOutcome<O::Output>>>
where
    O: Operation + 'static,
    O::Output: Serialize + 'static,
{
    let items = items
        .into_iter()
        .map(|item| {
            // The vendor JSON of a request; serializing these plain structs cannot fail.
            let json = serde_json::to_value(&item).unwrap_or(Value::Null);
            (item, json)
        })
        .collect();
    let sender = client.clone();
    engine::execute(
        Setup::new(Some(client), O::INFO.method, O::INFO.mutating),
        items,
        options,
        progress,
        move |item: O| {
            let client = sender.clone();
            async move { client.send(&item).await }
        },
        |output| serde_json::to_value(output).unwrap_or(Value::Null),
    )
    .await
}

/// Like [`run`] for a vendor method named at run time, with inputs and results as JSON using
/// the vendor's field names (see [`Client::invoke`]). An input that does not fit the method's
/// request is that item's validation error. A method outside the catalogue is refused before
/// anything is sent.
pub async fn run_by_name(
    client: &Client,
    method: &str,
    items: Vec<Value>,
    options: BulkOptions,
    progress: impl Fn(Progress) + Send + Sync,
) -> Result<Vec<BulkOutcome<Value>>> {
    let info = catalogue::find(method).ok_or_else(|| {
        Error::validation(
            "method",
            format!("{method:?} is not an operation of the catalogue"),
        )
    })?;
    let items = items.into_iter().map(|item| (item.clone(), item)).collect();
    let sender = client.clone();
    engine::execute(
        Setup::new(Some(client), info.method, info.mutating),
        items,
        options,
        progress,
        move |item: Value| {
            let client = sender.clone();
            async move { client.invoke(info.method, item).await }
        },
        Value::clone,
    )
    .await
}
