//! The uniffi facade of `cpaas-reseller`: the native library behind the Kotlin and Swift packages.
//!
//! Everything that decides behaviour (validation, retries, error mapping, decoding) is the core's;
//! this crate only converts types and errors so that uniffi can carry them:
//!
//! - [`Client`]: one async method per operation of the catalogue, plus [`Client::call`];
//!   [`operations`] lists the catalogue (method names, `mutating`);
//! - request records (`GetAccountRequest`, ...) mirroring the core's requests, and result records
//!   mirroring the core's, each with `extra_json` holding the fields this version does not know;
//! - money as [`Money`] (`java.math.BigDecimal` / `Decimal`, exact decimal text on the FFI), dates
//!   as `SystemTime` (`java.time.Instant` / `Date`), enums with an `Unknown { value }` case;
//! - bulk runs ([`BulkOptions`], rows per input, a [`BulkListener`] and a [`BulkStop`]): the
//!   core's crash-safe bulk runner for Kotlin and Swift;
//! - one error enum, [`ResellerError`], with the core's kinds and fields (the HTTP kinds share
//!   one [`HttpError`] record);
//! - logs: a [`LogListener`] installed with [`set_log_listener`] receives the core's per-attempt
//!   events as [`LogRecord`]s, delivered from a queue on the library's own thread;
//! - [`Emulator`] (feature `emulator`, on by default): the offline emulator, for tests.
//!
//! Nothing here panics across the FFI: every failure is a `ResellerError`.

// `ResellerError` carries its fields inline, as uniffi needs them to build the foreign
// exception classes; it is large, but only on the cold failure path.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("cpaas_reseller");

mod bulk;
mod catalogue;
mod client;
mod config;
mod dates;
#[cfg(feature = "emulator")]
mod emulator;
mod errors;
mod logs;
mod money;
mod records;
mod requests;
mod secret;
mod signals;

pub use bulk::{
    BulkAccountRow, BulkAppliedSource, BulkCreditRow, BulkJsonRow, BulkListener, BulkListenerError,
    BulkOptions, BulkProgress, BulkRowUpdate, BulkStatus, BulkStop, BulkUserRow,
};
pub use catalogue::{operations, OperationInfo};
pub use client::Client;
pub use config::ClientConfig;
#[cfg(feature = "emulator")]
pub use emulator::{
    Emulator, EmulatorFault, EmulatorFaultKind, EmulatorOptions, JournalEntry, JournalHeader,
};
pub use errors::{HttpError, ResellerError, TransportError};
pub use logs::{
    clear_log_listener, dropped_log_records, flush_logs, set_log_listener, LogLevel, LogListener,
    LogListenerError, LogRecord,
};
pub use money::Money;
pub use records::*;
pub use requests::*;
pub use secret::Secret;
