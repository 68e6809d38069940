//! Bulk runs: many calls of one operation through the core's bulk runner (bounded concurrency,
//! a durable journal, reconciliation before sending, one row per input in input order).
//!
//! Everything that decides what is sent, skipped or reported is the core's
//! (`cpaas_reseller::bulk`); this module converts the options in and the outcomes out:
//!
//! - [`BulkOptions`]: concurrency, journal path, reconciliation, settle window, a
//!   [`BulkListener`] and a [`BulkStop`];
//! - typed runs for the three operations the core reconciles (`bulk_allocate_credit`,
//!   `bulk_add_user_to_account`, `bulk_create_account`), each returning its own row record,
//!   and `bulk` for any operation by vendor name with JSON inputs and results.
//!
//! A row's error is the facade's [`ResellerError`], carried as an optional record field (uniffi
//! 0.32 lowers and lifts a rich error enum like any enum there).

use crate::client::Client;
use crate::errors::ResellerError;
use crate::records::{Account, CreditAllocation, ToFacade, UserCreated};
use crate::requests::{AddUserToAccountRequest, AllocateCreditRequest, CreateAccountRequest};
use async_compat::Compat;
use cpaas_reseller::bulk::{self, Applied, AppliedSource, BulkEvent, BulkOutcome, RowStatus};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How a bulk run proceeds; every field has the core's default.
#[derive(Clone, uniffi::Record)]
pub struct BulkOptions {
    /// Calls in flight at most (0 counts as 1); also bounds the reconciliation reads.
    #[uniffi(default = 16)]
    pub concurrency: i32,
    /// The run's durable journal (none: no journal). Created if missing; if present it must
    /// belong to the same method, inputs and service, and the run resumes from it. Another
    /// run's journal, or a damaged one, is refused with `Validation` on field `journal` before
    /// anything is sent.
    #[uniffi(default)]
    pub journal_path: Option<String>,
    /// Look each row up on the service before sending it, and report the ones found as
    /// `AlreadyApplied` (credit by `Reference`, users by `Username`, accounts by `AccountName`
    /// under the parent). Without it, a row whose earlier outcome is unknown is never resent.
    #[uniffi(default = true)]
    pub reconcile: bool,
    /// Milliseconds a request may still be applied after its sender stopped waiting (none: the
    /// client's timeout). A row that may have been sent is sent again only when it is not found
    /// on the service this long after the run that sent it ended.
    #[uniffi(default)]
    pub settle_ms: Option<i64>,
    /// Told of each decided row, the counters, and warnings.
    #[uniffi(default)]
    pub listener: Option<Arc<dyn BulkListener>>,
    /// Signal it to start no further row; rows in flight finish and are reported.
    #[uniffi(default)]
    pub stop: Option<Arc<BulkStop>>,
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("journal_path", &self.journal_path)
            .field("reconcile", &self.reconcile)
            .field("settle_ms", &self.settle_ms)
            .field("listener", &self.listener.as_ref().map(|_| "BulkListener"))
            .field("stop", &self.stop)
            .finish()
    }
}

/// A "start no further row" switch for one or more runs. Stopping is permanent.
#[derive(Debug, Default, uniffi::Object)]
pub struct BulkStop(bulk::StopSignal);

#[uniffi::export]
impl BulkStop {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// No further row is started by the runs using this handle; calls in flight finish, and
    /// the rows never started are reported `NotStarted`. Idempotent, callable from any thread.
    pub fn stop(&self) {
        self.0.stop();
    }

    pub fn is_stopped(&self) -> bool {
        self.0.is_stopped()
    }
}

/// What a listener method may throw. The run ignores it and goes on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum BulkListenerError {
    #[error("{reason}")]
    Failed { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for BulkListenerError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: error.reason,
        }
    }
}

/// Implemented in Kotlin or Swift to follow a run. Called from the coroutine or task awaiting
/// the run, one call at a time; keep it quick. An exception it throws is ignored.
#[uniffi::export(with_foreign)]
pub trait BulkListener: Send + Sync {
    /// After each row is decided, with the counters so far.
    fn on_progress(&self, progress: BulkProgress) -> Result<(), BulkListenerError>;
    /// Each row as it is decided (enough to write a results line while the run goes on).
    fn on_row(&self, row: BulkRowUpdate) -> Result<(), BulkListenerError>;
    /// Something to tell the operator that does not stop the run (a repaired journal).
    fn on_warning(&self, message: String) -> Result<(), BulkListenerError>;
}

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum BulkStatus {
    /// Applied by this run.
    Applied,
    /// Applied before this run (its journal says so, or reconciliation found it); not sent.
    AlreadyApplied,
    /// Failed without effect on the service (or reconciliation refused to send it).
    Failed,
    /// Failed in a way that may have been applied: never resent blindly; a rerun with the
    /// same journal (or with reconciliation) resolves it.
    OutcomeUnknown,
    /// The run was stopped before this row started: nothing was sent for it.
    NotStarted,
}

#[uniffi::export]
impl BulkStatus {
    /// The core's spelling, as in the CLI's results files: `applied`, `already_applied`,
    /// `failed`, `outcome_unknown` or `not_started`.
    pub fn label(&self) -> String {
        RowStatus::from(*self).as_str().to_owned()
    }
}

impl From<RowStatus> for BulkStatus {
    fn from(status: RowStatus) -> Self {
        match status {
            RowStatus::Succeeded => Self::Applied,
            RowStatus::AlreadyApplied => Self::AlreadyApplied,
            RowStatus::Failed => Self::Failed,
            RowStatus::OutcomeUnknown => Self::OutcomeUnknown,
            RowStatus::NotStarted => Self::NotStarted,
        }
    }
}

impl From<BulkStatus> for RowStatus {
    fn from(status: BulkStatus) -> Self {
        match status {
            BulkStatus::Applied => Self::Succeeded,
            BulkStatus::AlreadyApplied => Self::AlreadyApplied,
            BulkStatus::Failed => Self::Failed,
            BulkStatus::OutcomeUnknown => Self::OutcomeUnknown,
            BulkStatus::NotStarted => Self::NotStarted,
        }
    }
}

/// Where an `AlreadyApplied` row was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum BulkAppliedSource {
    /// The journal of an earlier run recorded it.
    Journal,
    /// Reconciliation found it on the service.
    Service,
}

impl From<AppliedSource> for BulkAppliedSource {
    fn from(source: AppliedSource) -> Self {
        match source {
            AppliedSource::Journal => Self::Journal,
            AppliedSource::Service => Self::Service,
        }
    }
}

/// The counters after each decided row: `done = applied + already_applied + failed +
/// outcome_unknown`, and `not_started = total - done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Record)]
pub struct BulkProgress {
    pub done: i32,
    pub total: i32,
    pub applied: i32,
    pub already_applied: i32,
    pub failed: i32,
    pub outcome_unknown: i32,
    pub not_started: i32,
}

impl From<bulk::Progress> for BulkProgress {
    fn from(progress: bulk::Progress) -> Self {
        Self {
            done: count(progress.done),
            total: count(progress.total),
            applied: count(progress.succeeded),
            already_applied: count(progress.already_applied),
            failed: count(progress.failed),
            outcome_unknown: count(progress.outcome_unknown),
            not_started: count(progress.not_started()),
        }
    }
}

/// One row as it is decided, for [`BulkListener::on_row`].
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BulkRowUpdate {
    /// The row's position in the input (0-based).
    pub index: i32,
    pub status: BulkStatus,
    /// The id the row created or was found with (`AllocationId`, `UserId`, `AccountId`).
    pub id: Option<i64>,
    /// The result (applied) or the record found (already applied) as JSON, vendor field names.
    pub record_json: Option<String>,
    /// Why the row failed or has an unknown outcome.
    pub error: Option<ResellerError>,
}

/// Counts and indices cross as `Int`/`Int32`: an input list cannot hold more.
fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A row's fields common to every row record, before the result is typed.
struct RowParts<T> {
    index: i32,
    status: BulkStatus,
    id: Option<i64>,
    result: Option<T>,
    record_json: Option<String>,
    applied_source: Option<BulkAppliedSource>,
    error: Option<ResellerError>,
}

impl<T> RowParts<T> {
    /// Converts one outcome; `convert` gives a result's facade value and its id.
    fn of<O>(
        index: usize,
        outcome: BulkOutcome<O>,
        convert: impl Fn(O) -> (T, Option<i64>),
    ) -> Self {
        let mut parts = Self {
            index: count(index),
            status: outcome.status().into(),
            id: None,
            result: None,
            record_json: None,
            applied_source: None,
            error: None,
        };
        match outcome {
            BulkOutcome::Succeeded(output) => {
                let (result, id) = convert(output);
                parts.result = Some(result);
                parts.id = id;
            }
            BulkOutcome::AlreadyApplied(Applied { id, record, source }) => {
                parts.id = id;
                parts.record_json = Some(record.to_string());
                parts.applied_source = Some(source.into());
            }
            BulkOutcome::Failed(error) => parts.error = Some(error.into()),
            BulkOutcome::NotStarted => {}
        }
        parts
    }
}

/// Declares a row record whose result field is `$result: Option<$ty>`.
macro_rules! row_record {
    ($(#[$meta:meta])* $name:ident { $(#[$rmeta:meta])* $result:ident: $ty:ty }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            /// The row's position in the input (0-based); rows come back in input order.
            pub index: i32,
            pub status: BulkStatus,
            /// The id the row created (`Applied`) or was found with (`AlreadyApplied`).
            pub id: Option<i64>,
            $(#[$rmeta])*
            pub $result: Option<$ty>,
            /// `AlreadyApplied`: the result an earlier run recorded, or the record found on the
            /// service, as JSON with vendor field names.
            pub record_json: Option<String>,
            /// `AlreadyApplied`: where it was found.
            pub applied_source: Option<BulkAppliedSource>,
            /// `Failed` and `OutcomeUnknown`: why.
            pub error: Option<ResellerError>,
        }

        impl From<RowParts<$ty>> for $name {
            fn from(parts: RowParts<$ty>) -> Self {
                Self {
                    index: parts.index,
                    status: parts.status,
                    id: parts.id,
                    $result: parts.result,
                    record_json: parts.record_json,
                    applied_source: parts.applied_source,
                    error: parts.error,
                }
            }
        }
    };
}

row_record! {
    /// One row of `bulk_allocate_credit`.
    BulkCreditRow {
        /// `Applied`: the allocation made now.
        result: CreditAllocation
    }
}

row_record! {
    /// One row of `bulk_add_user_to_account`.
    BulkUserRow {
        /// `Applied`: the user created now.
        result: UserCreated
    }
}

row_record! {
    /// One row of `bulk_create_account`.
    BulkAccountRow {
        /// `Applied`: the account created now.
        result: Account
    }
}

row_record! {
    /// One row of `bulk`.
    BulkJsonRow {
        /// `Applied`: the result as JSON with vendor field names.
        result_json: String
    }
}

impl BulkOptions {
    /// The core's options, and the listener for the progress callback.
    fn into_core(
        self,
    ) -> Result<(bulk::BulkOptions, Option<Arc<dyn BulkListener>>), ResellerError> {
        let concurrency = usize::try_from(self.concurrency)
            .map_err(|_| ResellerError::invalid("concurrency", "must not be negative"))?;
        let mut options = bulk::BulkOptions::new(concurrency).with_reconcile(self.reconcile);
        if let Some(stop) = &self.stop {
            options = options.with_stop(stop.0.clone());
        }
        if let Some(path) = self.journal_path {
            options = options.with_journal(path);
        }
        if let Some(settle) = self.settle_ms {
            let settle = u64::try_from(settle)
                .map_err(|_| ResellerError::invalid("settle_ms", "must not be negative"))?;
            options = options.with_settle(Duration::from_millis(settle));
        }
        if let Some(listener) = self.listener.clone() {
            // A listener's exception is dropped: telling it is no reason to stop the run.
            options = options.with_on_event(move |event| {
                let _ = match event {
                    BulkEvent::Row(row) => listener.on_row(BulkRowUpdate {
                        index: count(row.index),
                        status: row.status.into(),
                        id: row.id,
                        record_json: row.record.map(Value::to_string),
                        error: row.error.cloned().map(ResellerError::from),
                    }),
                    BulkEvent::Warning(message) => listener.on_warning((*message).to_owned()),
                };
            });
        }
        Ok((options, self.listener))
    }
}

/// The core's progress callback for `listener`.
fn progress_to(listener: Option<Arc<dyn BulkListener>>) -> impl Fn(bulk::Progress) + Send + Sync {
    move |progress| {
        if let Some(listener) = &listener {
            let _ = listener.on_progress(progress.into());
        }
    }
}

/// One row record per outcome, in input order; `convert` gives a result's facade value and id.
fn rows<O, T, R: From<RowParts<T>>>(
    outcomes: Vec<BulkOutcome<O>>,
    convert: impl Fn(O) -> (T, Option<i64>),
) -> Vec<R> {
    outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| R::from(RowParts::of(index, outcome, &convert)))
        .collect()
}

/// The typed bulk methods: each converts its requests, runs them, and types the rows.
macro_rules! bulk_operations {
    ($( $(#[$doc:meta])* $function:ident($request:ident) -> $row:ident, id: |$result:ident| $id:expr; )*) => {
        #[uniffi::export]
        impl Client {
            $(
                $(#[$doc])*
                #[uniffi::method(default(options))]
                pub async fn $function(
                    &self,
                    requests: Vec<$request>,
                    options: BulkOptions,
                ) -> Result<Vec<$row>, ResellerError> {
                    let requests = requests
                        .into_iter()
                        .map($request::into_core)
                        .collect::<Result<Vec<_>, _>>()?;
                    let (options, listener) = options.into_core()?;
                    let run = bulk::run(self.core(), requests, options, progress_to(listener));
                    let outcomes = Compat::new(run).await?;
                    Ok(rows(outcomes, |output| {
                        let $result = output.to_facade();
                        let id = $id;
                        ($result, id)
                    }))
                }
            )*

            /// Runs the vendor method `method` (`AllocateCredit`) once per element of
            /// `items_json`, a JSON array of request objects with vendor field names (as
            /// `call` takes them), with the same journal, reconciliation and options as the
            /// typed bulk methods; results come back as JSON. An element that does not fit the
            /// method's request fails its row (`Validation`). A method outside the catalogue
            /// or text that is not a JSON array fails the call before anything is sent.
            #[uniffi::method(default(options))]
            pub async fn bulk(
                &self,
                method: String,
                items_json: String,
                options: BulkOptions,
            ) -> Result<Vec<BulkJsonRow>, ResellerError> {
                let items = match serde_json::from_str::<Value>(&items_json) {
                    Ok(Value::Array(items)) => items,
                    Ok(_) => return Err(ResellerError::invalid("items_json", "is not a JSON array")),
                    Err(error) => {
                        return Err(ResellerError::invalid("items_json", format!("is not JSON: {error}")))
                    }
                };
                let id_field = bulk::reconcile::find(&method).map(|reconciler| reconciler.id);
                let (options, listener) = options.into_core()?;
                let run = bulk::run_by_name(self.core(), &method, items, options, progress_to(listener));
                let outcomes = Compat::new(run).await?;
                Ok(rows(outcomes, |value: Value| {
                    let id = id_field.and_then(|field| value.get(field)).and_then(Value::as_i64);
                    (value.to_string(), id)
                }))
            }
        }
    };
}

bulk_operations! {
    /// `AllocateCredit` for every request, through the core's bulk runner: at most
    /// `options.concurrency` in flight, one row per request in input order. With
    /// reconciliation (the default) each request's `reference` is first looked up among the
    /// account's credit allocations (one read per account) and a match is reported
    /// `AlreadyApplied`, never allocated twice. Fails before anything is sent when the journal
    /// cannot be used.
    bulk_allocate_credit(AllocateCreditRequest) -> BulkCreditRow, id: |allocation| Some(allocation.allocation_id);
    /// `AddUserToAccount` for every request, reconciled by `username` with `GetUsers` (one read
    /// per account). Passwords are never written to the journal.
    bulk_add_user_to_account(AddUserToAccountRequest) -> BulkUserRow, id: |user| user.user_id.map(i64::from);
    /// `CreateAccount` for every request, reconciled by `account_name` with `GetAccounts` under
    /// the parent (the reseller's own account when none is given); an ambiguous match fails the
    /// row and nothing is sent for it.
    bulk_create_account(CreateAccountRequest) -> BulkAccountRow, id: |account| Some(i64::from(account.account_id));
}
