//! Typed async client for the CPaaS Partner / Reseller Services API.
//!
//! Resellers use the API to provision their customers: accounts, users, roles, credit,
//! chargeable-activity reports and inbound numbers. Every operation is one async method on
//! [`Client`], named after the vendor method in snake_case, taking a request struct named after
//! the vendor method (see [`requests`]) and returning a typed record (see [`records`]).
//!
//! # Documented and inferred operations
//! The vendor publishes one method page (`AddUserToAccount`) and an overview naming six
//! capability areas. The other operations, their fields and records are **inferred** from the
//! vendor's naming style; each one's docs say so, and [`catalogue::OPERATIONS`] records which
//! is which. If the live service differs, the catalogue and the request/record types are where
//! a name is corrected, and [`Client::call`] reaches any method meanwhile.
//!
//! # Base URL
//! The vendor's overview page gives `.../WebApi/ResellerService` while its method page uses
//! `.../WebApi/ResellerServices`. The client defaults to the method page's
//! ([`DEFAULT_BASE_URL`]); [`OVERVIEW_BASE_URL`] is the other. A 404 names the base URL used.
//!
//! # One declaration per operation and field
//! The operations, the request and record fields and the enumeration values are declared once,
//! in the tables of [`tables`] ([`for_each_operation!`], [`for_each_request!`],
//! [`for_each_record!`], [`for_each_string_enum!`]). The catalogue, requests and records here
//! are expanded from them, and so are the Python, Kotlin and Swift bindings.
//!
//! # Failures and retries
//! Every failure is an [`Error`]. Read-only calls are retried within a [`RetryPolicy`]; a
//! mutating call is retried only if it provably never reached the service, and otherwise
//! reports [`Error::outcome_unknown`] instead of risking a second application.

pub mod bulk;
pub mod catalogue;
mod client;
pub mod config;
mod dispatch;
pub mod doctor;
mod error;
pub mod events;
mod net;
pub mod records;
pub mod requests;
mod retry;
mod secret;
pub mod tables;
mod transport;
pub mod validate;
mod wire;

pub use catalogue::{Area, Operation, OperationInfo, OPERATIONS};
pub use client::{
    Client, ClientBuilder, WithBody, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, OVERVIEW_BASE_URL,
};
pub use error::{
    ApiError, Error, ErrorKind, Result, TransportError, ValidationError, BODY_EXCERPT_LIMIT,
};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use wire::{format_date, parse_date, Decode};

/// What the tables (`for_each_record!`, ...) name by `$crate::` paths; not an API of its own.
#[doc(hidden)]
pub mod __tables {
    pub use chrono::{DateTime, Utc};
}

/// Exact decimal type used for money.
pub use rust_decimal::Decimal;
