//! Many calls of one operation, run concurrently, with one outcome per input in input order.
//!
//! Bulk provisioning (a CSV of users, accounts or credit allocations) needs more than a loop:
//! bounded concurrency, progress, a failed row that never stops the others, and a clean stop
//! (Ctrl-C) that lets calls already sent finish so their outcome is known. This module is the
//! one implementation the CLI and the bindings share.
//!
//! Nothing here retries. Each call goes through the client's normal path, so read-only calls
//! get the client's retry policy and a mutating call whose outcome is unknown (a 504, a lost
//! response) comes back as [`BulkOutcome::Failed`] with [`Error::outcome_unknown`] set, never
//! replayed: a second `AllocateCredit` could allocate twice.
//!
//! * [`run`] takes typed requests (any [`Operation`]) and returns typed results.
//! * [`run_by_name`] takes a vendor method name and JSON inputs (vendor field names) and returns
//!   JSON results, through [`Client::invoke`]: the form for bindings that dispatch by name (the
//!   Python `Client.bulk(method, items, concurrency=..., on_progress=...)`).

use crate::catalogue::{self, Operation};
use crate::client::Client;
use crate::error::{Error, Result, TransportError};
use serde_json::Value;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// Concurrency used when none is given: enough to hide latency, few enough not to look like
/// an attack to the service.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// How a bulk run proceeds.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Calls in flight at most (a value of 0 is treated as 1).
    pub concurrency: usize,
    /// When signalled, no further item is started; calls in flight finish and are reported.
    pub stop: StopSignal,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            stop: StopSignal::new(),
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

/// Counters after each finished item. `done = succeeded + failed + outcome_unknown`; items not
/// started (after a stop) are not counted in `done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub succeeded: usize,
    /// Failed without effect on the server (validation, 400, 401, a refused connection, ...).
    pub failed: usize,
    /// Failed in a way that may have been applied ([`Error::outcome_unknown`]): reconcile, do not
    /// repeat blindly.
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
    Succeeded(T),
    /// The call failed; check [`Error::outcome_unknown`] (or [`BulkOutcome::status`]) before
    /// doing anything about it.
    Failed(Error),
    /// The run was stopped before this item was started: nothing was sent for it.
    NotStarted,
}

/// The four states of an item, as a results file reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowStatus {
    Succeeded,
    Failed,
    OutcomeUnknown,
    NotStarted,
}

impl RowStatus {
    /// `applied`, `failed`, `outcome_unknown` or `not_started`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "applied",
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
            Self::Failed(error) if error.outcome_unknown() => RowStatus::OutcomeUnknown,
            Self::Failed(_) => RowStatus::Failed,
            Self::NotStarted => RowStatus::NotStarted,
        }
    }

    /// Converts to a `Result`; `None` when the item was not started.
    pub fn into_result(self) -> Option<Result<T>> {
        match self {
            Self::Succeeded(value) => Some(Ok(value)),
            Self::Failed(error) => Some(Err(error)),
            Self::NotStarted => None,
        }
    }
}

/// Sends every typed request through `client`, at most `options.concurrency` at a time, and
/// returns one outcome per request in input order. `progress` is called after each finished
/// request, from the task awaiting this function.
pub async fn run<O>(
    client: &Client,
    items: Vec<O>,
    options: BulkOptions,
    progress: impl Fn(Progress) + Send + Sync,
) -> Vec<BulkOutcome<O::Output>>
where
    O: Operation + 'static,
    O::Output: 'static,
{
    let client = client.clone();
    run_with(
        items,
        options,
        progress,
        O::INFO.method,
        O::INFO.mutating,
        move |item: O| {
            let client = client.clone();
            async move { client.send(&item).await }
        },
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
    let client = client.clone();
    let outcomes = run_with(
        items,
        options,
        progress,
        info.method,
        info.mutating,
        move |item: Value| {
            let client = client.clone();
            async move { client.invoke(info.method, item).await }
        },
    )
    .await;
    Ok(outcomes)
}

/// The engine: runs `work` on every item with bounded concurrency and collects by index.
async fn run_with<I, T, F, Fut>(
    items: Vec<I>,
    options: BulkOptions,
    progress: impl Fn(Progress) + Send + Sync,
    method: &'static str,
    mutating: bool,
    work: F,
) -> Vec<BulkOutcome<T>>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<T>> + Send + 'static,
{
    let total = items.len();
    let limit = options.concurrency.max(1);
    let stop = options.stop;
    let mut outcomes: Vec<BulkOutcome<T>> = (0..total).map(|_| BulkOutcome::NotStarted).collect();
    let mut counters = Progress {
        total,
        ..Progress::default()
    };
    let mut pending = items.into_iter().enumerate();
    let mut running: JoinSet<(usize, Result<T>)> = JoinSet::new();
    // Which item each task runs, so a task that panics is still accounted for.
    let mut task_rows = std::collections::HashMap::new();

    loop {
        while running.len() < limit && !stop.is_stopped() {
            let Some((index, item)) = pending.next() else {
                break;
            };
            let call = work(item);
            let handle = running.spawn(async move { (index, call.await) });
            task_rows.insert(handle.id(), index);
        }
        if running.is_empty() {
            break;
        }
        let joined = tokio::select! {
            joined = running.join_next_with_id() => joined,
            // Wake up to stop launching; in-flight calls keep running and are collected.
            () = stop.stopped(), if !stop.is_stopped() => continue,
        };
        let Some(joined) = joined else { break };
        let (index, result) = match joined {
            Ok((id, (index, result))) => {
                task_rows.remove(&id);
                (index, result)
            }
            Err(join_error) => {
                let Some(index) = task_rows.remove(&join_error.id()) else {
                    continue;
                };
                (index, Err(lost_task(method, mutating)))
            }
        };
        let outcome = match result {
            Ok(value) => BulkOutcome::Succeeded(value),
            Err(error) => BulkOutcome::Failed(error),
        };
        counters.count(outcome.status());
        if let Some(slot) = outcomes.get_mut(index) {
            *slot = outcome;
        }
        progress(counters);
    }
    outcomes
}

/// A task that died without an answer (a panic in user code or the runtime shutting down): for
/// a mutating call the request may have been sent, so its outcome is unknown.
fn lost_task(method: &str, mutating: bool) -> Error {
    Error::Transport(TransportError {
        method: method.to_owned(),
        message: "the task running this item ended without a result".to_owned(),
        outcome_unknown: mutating,
        attempts: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;
    use std::time::Duration;

    fn failure(unknown: bool) -> Error {
        Error::Transport(TransportError {
            method: "AllocateCredit".to_owned(),
            message: "lost".to_owned(),
            outcome_unknown: unknown,
            attempts: 1,
        })
    }

    #[tokio::test]
    async fn keeps_input_order_and_bounds_concurrency() {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u64> = (0..40).collect();
        let outcomes = run_with(
            items,
            BulkOptions::new(4),
            |p| seen.lock().map(|mut s| s.push(p)).unwrap_or(()),
            "GetAccount",
            false,
            |n: u64| {
                let in_flight = in_flight.clone();
                let peak = peak.clone();
                async move {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Later items finish first, so completion order differs from input order.
                    tokio::time::sleep(Duration::from_millis(40 - n)).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    match n % 10 {
                        3 => Err(failure(false)),
                        7 => Err(failure(true)),
                        _ => Ok(n * 2),
                    }
                }
            },
        )
        .await;
        assert_eq!(outcomes.len(), 40);
        for (n, outcome) in outcomes.iter().enumerate() {
            match n % 10 {
                3 => assert_eq!(outcome.status(), RowStatus::Failed),
                7 => assert_eq!(outcome.status(), RowStatus::OutcomeUnknown),
                _ => assert_eq!(outcome, &BulkOutcome::Succeeded(n as u64 * 2)),
            }
        }
        assert!(peak.load(Ordering::SeqCst) <= 4);
        assert!(peak.load(Ordering::SeqCst) >= 2);
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen.len(), 40);
        assert_eq!(
            seen.iter().map(|p| p.done).collect::<Vec<_>>(),
            (1..=40).collect::<Vec<_>>()
        );
        let last = seen[39];
        assert_eq!(
            (last.succeeded, last.failed, last.outcome_unknown),
            (32, 4, 4)
        );
        assert_eq!(Progress::of(&outcomes), last);
    }

    #[tokio::test]
    async fn stop_lets_in_flight_items_finish_and_starts_no_more() {
        let stop = StopSignal::new();
        let started = Arc::new(AtomicUsize::new(0));
        let trigger = stop.clone();
        let outcomes = run_with(
            (0..10).collect::<Vec<u32>>(),
            BulkOptions::new(2).with_stop(stop.clone()),
            |_| {},
            "AllocateCredit",
            true,
            |n: u32| {
                let started = started.clone();
                let trigger = trigger.clone();
                async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    if n == 1 {
                        trigger.stop();
                    }
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    Ok(n)
                }
            },
        )
        .await;
        assert_eq!(started.load(Ordering::SeqCst), 2);
        assert_eq!(outcomes[0], BulkOutcome::Succeeded(0));
        assert_eq!(outcomes[1], BulkOutcome::Succeeded(1));
        assert!(outcomes[2..].iter().all(|o| *o == BulkOutcome::NotStarted));
        let summary = Progress::of(&outcomes);
        assert_eq!((summary.done, summary.not_started()), (2, 8));
    }

    #[tokio::test]
    async fn a_panicking_item_is_reported_and_the_rest_run() {
        let outcomes = run_with(
            vec![1u32, 2, 3],
            BulkOptions::new(3),
            |_| {},
            "AllocateCredit",
            true,
            |n: u32| async move {
                if n == 2 {
                    #[allow(clippy::panic)]
                    {
                        panic!("boom");
                    }
                }
                Ok(n)
            },
        )
        .await;
        assert_eq!(outcomes[0], BulkOutcome::Succeeded(1));
        assert_eq!(outcomes[1].status(), RowStatus::OutcomeUnknown);
        assert_eq!(outcomes[2], BulkOutcome::Succeeded(3));
    }

    #[tokio::test]
    async fn empty_input_and_zero_concurrency() {
        let none: Vec<BulkOutcome<u8>> = run_with(
            Vec::<u8>::new(),
            BulkOptions::new(0),
            |_| {},
            "GetRoles",
            false,
            |n| async move { Ok(n) },
        )
        .await;
        assert!(none.is_empty());
        let one = run_with(
            vec![5u8],
            BulkOptions::new(0),
            |_| {},
            "GetRoles",
            false,
            |n| async move { Ok(n) },
        )
        .await;
        assert_eq!(one, vec![BulkOutcome::Succeeded(5)]);
    }
}
