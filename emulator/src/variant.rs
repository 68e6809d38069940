//! A service that differs from the documented one: answering on the overview page's base path
//! only, or lacking some methods. For testing tools that probe a live service (`doctor`). Set
//! with [`crate::Emulator::set_variant`] or `PUT /_emulator/variant` with this type's JSON form
//! (`{"overview_base_only": true, "missing_methods": ["GetRoles"]}`); `reset` keeps it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::shared::{lock, Shared, ALT_BASE_PATH};

/// How this emulator differs from the documented service; `Default` does not differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Variant {
    /// Answer only under the overview page's base path (`.../ResellerService`): every method
    /// under the method page's (`.../ResellerServices`) is a 404.
    pub overview_base_only: bool,
    /// Vendor methods answered with 404, as if the service did not have them.
    pub missing_methods: Vec<String>,
}

impl Variant {
    /// Whether a call to `method` at `path` is answered as an unknown endpoint.
    pub(crate) fn hides(&self, path: &str, method: &str) -> bool {
        let under_overview = path.starts_with(&format!("{ALT_BASE_PATH}/"));
        (self.overview_base_only && !under_overview)
            || self.missing_methods.iter().any(|m| m == method)
    }
}

pub(crate) async fn get(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.variant).clone()).into_response()
}

pub(crate) async fn put(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Variant>(&body) {
        Ok(variant) => {
            *lock(&shared.variant) = variant;
            Json(json!({ "ok": true })).into_response()
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": format!("invalid variant: {error}") })),
        )
            .into_response(),
    }
}
