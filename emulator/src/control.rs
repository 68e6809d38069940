//! The control endpoint under `/_emulator`: faults, journal, state and reset over plain JSON
//! HTTP, so test suites in any language can drive the emulator. No authentication.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::activity::{self, MAX_ROWS};
use crate::catalogue;
use crate::faults::Fault;
use crate::shared::{lock, Shared, ALT_BASE_PATH, BASE_PATH, CONTROL_PATH};
use crate::wire;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/faults",
            post(add_faults).get(list_faults).delete(clear_faults),
        )
        .route("/journal", get(journal).delete(clear_journal))
        .route("/state", get(state))
        .route("/reset", post(reset))
        .route("/calls/{method}", get(calls))
        .route("/info", get(info))
        .route("/activity", get(activity_summary))
        .route(
            "/variant",
            get(crate::variant::get).put(crate::variant::put),
        )
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

fn ok() -> Response {
    Json(json!({ "ok": true })).into_response()
}

/// Checks a fault before queueing it, so a typo in a test fails loudly instead of never firing.
fn checked(value: &Value) -> Result<Fault, String> {
    let fault = Fault::from_value(value)?;
    if let Some(m) = &fault.method {
        if catalogue::lookup(m).is_none() {
            return Err(format!("unknown method '{m}'"));
        }
    }
    if !fault.kind.status_ok() {
        return Err("status must be between 100 and 999".to_owned());
    }
    Ok(fault)
}

/// Body: one fault object, or an array of them (queued in order).
async fn add_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("the body is not valid JSON: {e}")),
    };
    let items = match value {
        Value::Array(items) => items,
        one => vec![one],
    };
    let mut faults = Vec::with_capacity(items.len());
    for item in &items {
        match checked(item) {
            Ok(f) => faults.push(f),
            Err(e) => return bad_request(e),
        }
    }
    let mut queue = lock(&shared.faults);
    for fault in faults {
        queue.push(fault);
    }
    Json(json!({ "ok": true, "pending": queue.pending().len() })).into_response()
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.faults).pending()).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    ok()
}

async fn journal(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.journal).entries()).into_response()
}

async fn clear_journal(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.journal).clear();
    ok()
}

async fn state(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.state_dump()).into_response()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    ok()
}

async fn calls(State(shared): State<Arc<Shared>>, Path(method): Path<String>) -> Response {
    Json(json!({ "count": lock(&shared.journal).calls(&method) })).into_response()
}

/// Where the emulator is and what it accepts, for suites that start it as a process.
async fn info(State(shared): State<Arc<Shared>>) -> Response {
    let c = &shared.config;
    Json(json!({
        "base_url": shared.url(BASE_PATH),
        "alt_base_url": shared.url(ALT_BASE_PATH),
        "control_url": shared.url(CONTROL_PATH),
        "username": c.username,
        "password": c.password,
        "root_account_id": crate::state::ROOT_ACCOUNT_ID,
        "seed": c.seed,
        "empty": c.empty,
        "activities_per_account_day": c.activities_per_account_day,
        "methods": catalogue::methods()
            .map(|m| json!({ "name": m.name, "mutating": m.mutating }))
            .collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `?StartDate=..&EndDate=..[&AccountId=..]`: the row count and `TotalCost` sum the report for
/// that request would have, so other languages can check their decoding without copying the
/// formula.
async fn activity_summary(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let date = |name: &str| {
        query
            .get(name)
            .and_then(|v| wire::parse_date(v))
            .ok_or_else(|| format!("{name} is required (ISO 8601)"))
    };
    let (start, end) = match (date("StartDate"), date("EndDate")) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return bad_request(e),
    };
    let accounts = match query.get("AccountId").map(|v| v.parse::<i32>()) {
        None => lock(&shared.state).visible_account_ids(),
        Some(Ok(id)) => vec![id],
        Some(Err(_)) => return bad_request("AccountId must be an integer".to_owned()),
    };
    let query = shared.settings().query(accounts, start, end);
    if query.row_count() > MAX_ROWS {
        return bad_request(format!("more than {MAX_ROWS} rows"));
    }
    let (count, total) = activity::summary(
        query.seed,
        query.per_day,
        &query.accounts,
        query.start,
        query.end,
    );
    Json(json!({
        "count": count,
        "total": wire::money_value(&total),
        "accounts": query.accounts,
    }))
    .into_response()
}
