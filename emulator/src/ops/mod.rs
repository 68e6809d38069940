//! The operations themselves: each reads its fields, applies the contract's rules to the state
//! and returns the result body. Grouped by the contract's capability areas.
//! Each handler is `fn(&mut State, &Fields) -> ApiResult<Outcome>`; the table in
//! [`crate::catalogue`] names them and generates the dispatch.

pub(crate) mod accounts;
pub(crate) mod credit;
pub(crate) mod numbers;
pub(crate) mod reports;
pub(crate) mod roles;
pub(crate) mod users;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::activity;
use crate::error::{ApiError, ApiResult};

/// What the generator settings are, for the report.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) seed: u64,
    pub(crate) activities_per_account_day: u32,
}

impl Settings {
    /// The report of `accounts` between `start` and `end` under these settings.
    pub(crate) fn query(
        self,
        accounts: Vec<i32>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> activity::Query {
        activity::Query {
            seed: self.seed,
            per_day: self.activities_per_account_day,
            accounts,
            start,
            end,
        }
    }
}

/// A successful result.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// 200 with an empty body (the contract's "empty").
    Empty,
    /// 200 with this JSON body.
    Json(Vec<u8>),
    /// A report (accounts checked) to render after the state lock is released, with the
    /// generator [`Settings`].
    Activity {
        accounts: Vec<i32>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

/// A record as the whole body.
fn record<T: Serialize>(value: &T) -> ApiResult<Outcome> {
    serde_json::to_vec(value)
        .map(Outcome::Json)
        .map_err(|e| ApiError::internal(format!("Could not write the response: {e}.")))
}

/// A list wrapped as `{"<key>": [...]}`, the contract's shape for every list.
fn list<T: Serialize>(key: &str, items: &[T]) -> ApiResult<Outcome> {
    let mut out = Vec::with_capacity(64 + items.len() * 256);
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
    serde_json::to_writer(&mut out, items)
        .map_err(|e| ApiError::internal(format!("Could not write the response: {e}.")))?;
    out.push(b'}');
    Ok(Outcome::Json(out))
}
