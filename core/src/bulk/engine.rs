//! The engine: replays the journal, reconciles the rows about to be sent, then sends them with
//! bounded concurrency, leasing rows in the journal before starting them and recording each
//! outcome as it arrives.

use super::journal::{Header, Journal, Prior, LEASE_ROWS, SYNC_INTERVAL};
use super::reconcile::{self, Verdict};
use super::{BulkEvent, BulkOptions, BulkOutcome, EventCallback, Progress, RowUpdate};
use crate::client::{Client, DEFAULT_TIMEOUT};
use crate::error::{Error, Result, TransportError};
use chrono::SecondsFormat;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use tokio::task::JoinSet;

/// What the engine needs to know about the operation and where it goes.
pub(crate) struct Setup<'a> {
    /// The client for reconciliation reads and the journal's service identity (`None` in unit
    /// tests of the engine alone).
    client: Option<&'a Client>,
    method: &'static str,
    mutating: bool,
}

impl<'a> Setup<'a> {
    pub(crate) fn new(client: Option<&'a Client>, method: &'static str, mutating: bool) -> Self {
        Self {
            client,
            method,
            mutating,
        }
    }
}

/// Outcomes so far, and everything told about each as it is decided.
struct Tally<'p, T, P> {
    method: &'static str,
    outcomes: Vec<BulkOutcome<T>>,
    counters: Progress,
    progress: &'p P,
    on_event: Option<EventCallback>,
    encode: fn(&T) -> Value,
    journal: Option<Journal>,
    journal_error: Option<std::io::Error>,
}

impl<T, P: Fn(Progress)> Tally<'_, T, P> {
    /// Settles row `index`; `record` says whether the journal must learn of it (a row sent now,
    /// or found on the service).
    fn decide(&mut self, index: usize, outcome: BulkOutcome<T>, record: bool) {
        let encoded = match &outcome {
            BulkOutcome::Succeeded(value) if self.on_event.is_some() || self.journal.is_some() => {
                Some((self.encode)(value))
            }
            _ => None,
        };
        let id = encoded
            .as_ref()
            .and_then(|value| reconcile::id_of(self.method, value));
        if let (true, Some(journal), None) = (record, self.journal.as_mut(), &self.journal_error) {
            let written = match &outcome {
                BulkOutcome::Succeeded(_) => {
                    journal.applied(index, id, encoded.as_ref().unwrap_or(&Value::Null))
                }
                BulkOutcome::AlreadyApplied(found) => journal.already_applied(index, found),
                BulkOutcome::Failed(error) => journal.failed(index, error),
                BulkOutcome::NotStarted => Ok(()),
            };
            if let Err(error) = written {
                self.journal_error = Some(error);
            }
        }
        if let Some(on_event) = &self.on_event {
            let (id, record, error) = match &outcome {
                BulkOutcome::Succeeded(_) => (id, encoded.as_ref(), None),
                BulkOutcome::AlreadyApplied(found) => (found.id, Some(&found.record), None),
                BulkOutcome::Failed(error) => (None, None, Some(error)),
                BulkOutcome::NotStarted => (None, None, None),
            };
            on_event(&BulkEvent::Row(RowUpdate {
                index,
                status: outcome.status(),
                id,
                record,
                error,
            }));
        }
        self.counters.count(outcome.status());
        if let Some(slot) = self.outcomes.get_mut(index) {
            *slot = outcome;
        }
        (self.progress)(self.counters);
    }

    /// The journal, unless there is none or writing it already failed.
    fn usable(&mut self) -> Option<&mut Journal> {
        match self.journal_error {
            None => self.journal.as_mut(),
            Some(_) => None,
        }
    }

    fn note(&mut self, written: std::io::Result<()>) {
        if let Err(error) = written {
            self.journal_error = Some(error);
        }
    }

    async fn lease(&mut self, rows: &[usize]) {
        if let Some(journal) = self.usable() {
            let written = journal.lease(rows).await;
            self.note(written);
        }
    }

    async fn release(&mut self, rows: &[usize]) {
        if let Some(journal) = self.usable() {
            let written = journal.release(rows).await;
            self.note(written);
        }
    }

    async fn sync_if_due(&mut self) {
        if let Some(journal) = self.usable() {
            let written = journal.sync_if_due().await;
            self.note(written);
        }
    }

    async fn tick(&mut self, in_flight: bool) {
        if let Some(journal) = self.usable() {
            let written = journal.tick(in_flight).await;
            self.note(written);
        }
    }

    async fn finish(&mut self) {
        if let Some(journal) = self.usable() {
            let written = journal.finish().await;
            self.note(written);
        }
    }
}

/// A finished call task: the row and its result, or why the task died.
type Joined<T> = std::result::Result<(tokio::task::Id, (usize, Result<T>)), tokio::task::JoinError>;

/// What woke the sending loop.
enum Wake<T> {
    Joined(Option<Joined<T>>),
    Stop,
    Tick,
}

/// Runs `work` on every item that needs sending and collects one outcome per item by index.
/// Each item comes with its request as vendor JSON (for the journal and reconciliation);
/// `encode` gives a result's vendor JSON.
pub(crate) async fn execute<I, T, F, Fut, P>(
    setup: Setup<'_>,
    items: Vec<(I, Value)>,
    options: BulkOptions,
    progress: P,
    work: F,
    encode: fn(&T) -> Value,
) -> Result<Vec<BulkOutcome<T>>>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<T>> + Send + 'static,
    P: Fn(Progress) + Send + Sync,
{
    let Setup {
        client,
        method,
        mutating,
    } = setup;
    let total = items.len();
    let limit = options.concurrency.max(1);
    let stop = options.stop.clone();
    let settle = options
        .settle
        .or(client.map(Client::timeout))
        .unwrap_or(DEFAULT_TIMEOUT);
    let settle = chrono::Duration::from_std(settle).unwrap_or(chrono::Duration::MAX);
    let (mut slots, inputs): (Vec<Option<I>>, Vec<Value>) = items
        .into_iter()
        .map(|(item, json)| (Some(item), json))
        .unzip();

    let (journal, prior, warnings) = match &options.journal {
        Some(path) => {
            let header = Header::new(
                method,
                &inputs,
                client.map_or("", Client::base_url),
                client.map_or("", Client::username),
            );
            let opened = Journal::open(path, &header)?;
            (Some(opened.journal), opened.prior, opened.warnings)
        }
        None => (None, vec![Prior::Fresh; total], Vec::new()),
    };
    for warning in &warnings {
        tracing::warn!(target: "cpaas_reseller::bulk", "{warning}");
        if let Some(on_event) = &options.on_event {
            on_event(&BulkEvent::Warning(warning));
        }
    }
    let mut tally = Tally {
        method,
        outcomes: (0..total).map(|_| BulkOutcome::NotStarted).collect(),
        counters: Progress {
            total,
            ..Progress::default()
        },
        progress: &progress,
        on_event: options.on_event.clone(),
        encode,
        journal,
        journal_error: None,
    };

    // What the journal says: applied rows are done; the others are checked, then sent.
    let reconciler = client
        .filter(|_| options.reconcile)
        .and(reconcile::find(method));
    let mut check = Vec::new();
    let mut maybe = HashMap::new();
    for (row, prior) in prior.into_iter().enumerate() {
        match prior {
            Prior::Done(applied) => tally.decide(row, BulkOutcome::AlreadyApplied(applied), false),
            Prior::Fresh | Prior::Failed => check.push(row),
            Prior::Maybe { since, why } if reconciler.is_some() => {
                check.push(row);
                maybe.insert(row, (since, why));
            }
            Prior::Maybe { why, .. } => {
                let reason = if options.reconcile {
                    format!("{method} has no reconciliation")
                } else {
                    "reconciliation is off".to_owned()
                };
                let error = unresolved(method, format!("{why}; not sent again: {reason}"));
                tally.decide(row, BulkOutcome::Failed(error), false);
            }
        }
    }

    let mut send = Vec::new();
    match (reconciler, client) {
        (Some(reconciler), Some(client)) if !check.is_empty() && !stop.is_stopped() => {
            let mut verdicts = reconcile::check(client, reconciler, &inputs, &check, limit).await;
            for row in check {
                let maybe = maybe.remove(&row);
                let Some(verdict) = verdicts.remove(&row) else {
                    continue;
                };
                match (verdict, maybe) {
                    (Verdict::Found(found), _) => {
                        tally.decide(row, BulkOutcome::AlreadyApplied(found), true);
                    }
                    (Verdict::Refused(error), None) => {
                        tally.decide(row, BulkOutcome::Failed(error), false);
                    }
                    (Verdict::Refused(error), Some((_, why))) => {
                        let error = unresolved(
                            method,
                            format!("{why}; reconciliation could not settle it: {error}"),
                        );
                        tally.decide(row, BulkOutcome::Failed(error), false);
                    }
                    (Verdict::Unkeyed(_) | Verdict::Absent { .. }, None) => send.push(row),
                    (Verdict::Unkeyed(reason), Some((_, why))) => {
                        let error = unresolved(method, format!("{why}; not sent again: {reason}"));
                        tally.decide(row, BulkOutcome::Failed(error), false);
                    }
                    (Verdict::Absent { read_at }, Some((since, why))) => {
                        let settled = since.checked_add_signed(settle);
                        if settled.is_some_and(|settled| read_at >= settled) {
                            send.push(row);
                        } else {
                            let time = |t: chrono::DateTime<chrono::Utc>| {
                                t.to_rfc3339_opts(SecondsFormat::Secs, true)
                            };
                            let error = unresolved(
                                method,
                                format!(
                                    "{why}; not found on the service at {}, but a request sent \
                                     until {} could still be applied: run again after {} to \
                                     resolve it",
                                    time(read_at),
                                    time(since),
                                    settled.map_or("?".to_owned(), time)
                                ),
                            );
                            tally.decide(row, BulkOutcome::Failed(error), false);
                        }
                    }
                }
            }
        }
        // No reconciliation (or stopped already): possibly-sent rows were decided above.
        _ => {
            send = check
                .into_iter()
                .filter(|row| !maybe.contains_key(row))
                .collect()
        }
    }
    tally.sync_if_due().await;

    // Send, leasing rows in the journal before they start.
    let chunk = LEASE_ROWS.max(limit * 4);
    let mut leased = 0;
    let mut next = 0;
    let mut running: JoinSet<(usize, Result<T>)> = JoinSet::new();
    // Which item each task runs, so a task that panics is still accounted for.
    let mut task_rows = HashMap::new();
    let mut ticker = tokio::time::interval(SYNC_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        while running.len() < limit
            && !stop.is_stopped()
            && tally.journal_error.is_none()
            && next < send.len()
        {
            if next >= leased {
                let upto = (next + chunk).min(send.len());
                let rows = &send[next..upto];
                tally.lease(rows).await;
                if tally.journal_error.is_some() {
                    break;
                }
                leased = upto;
            }
            let row = send[next];
            next += 1;
            let Some(item) = slots.get_mut(row).and_then(Option::take) else {
                continue;
            };
            let call = work(item);
            let handle = running.spawn(async move { (row, call.await) });
            task_rows.insert(handle.id(), row);
        }
        if running.is_empty() {
            break;
        }
        let wake = tokio::select! {
            joined = running.join_next_with_id() => Wake::Joined(joined),
            // Wake up to stop launching; in-flight calls keep running and are collected.
            () = stop.stopped(), if !stop.is_stopped() => Wake::Stop,
            _ = ticker.tick(), if tally.journal.is_some() => Wake::Tick,
        };
        let joined = match wake {
            Wake::Joined(Some(joined)) => joined,
            Wake::Joined(None) => break,
            Wake::Stop => continue,
            Wake::Tick => {
                let in_flight = !running.is_empty();
                tally.tick(in_flight).await;
                continue;
            }
        };
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
        tally.decide(index, outcome, true);
        tally.sync_if_due().await;
    }
    let unstarted = &send[next..leased.max(next)];
    tally.release(unstarted).await;
    tally.finish().await;

    if let (Some(error), Some(journal)) = (&tally.journal_error, &tally.journal) {
        return Err(Error::validation(
            "journal",
            format!(
                "{}: cannot write the journal ({error}); no further row was started. Run again \
                 with the same journal once it can be written: rows in flight are resolved by \
                 reconciliation",
                journal.path().display()
            ),
        ));
    }
    Ok(tally.outcomes)
}

/// A row that may have been applied and that this run leaves alone.
fn unresolved(method: &str, message: String) -> Error {
    Error::Transport(TransportError {
        method: method.to_owned(),
        message,
        outcome_unknown: true,
        attempts: 0,
    })
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
    use crate::bulk::{RowStatus, StopSignal};
    use std::sync::atomic::AtomicUsize;
    use std::sync::atomic::Ordering;
    use std::sync::Arc;
    use std::sync::Mutex;
    use std::time::Duration;

    /// The engine alone: no client, so no journal identity and no reconciliation.
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
        let items = items.into_iter().map(|item| (item, Value::Null)).collect();
        execute(
            Setup::new(None, method, mutating),
            items,
            options,
            progress,
            work,
            |_| Value::Null,
        )
        .await
        .unwrap_or_default()
    }

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
