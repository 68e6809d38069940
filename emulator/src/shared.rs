//! What the server tasks and the [`crate::Emulator`] handle share: settings, state, faults and
//! journal, each behind its own short-held lock.

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::{header, HeaderMap};
use base64::Engine as _;
use serde_json::Value;

use crate::faults::FaultQueue;
use crate::journal::Journal;
use crate::ops::Settings;
use crate::state::State;
use crate::variant::Variant;
use crate::EmulatorConfig;

/// The vendor's documented base path (method page) and the overview page's variant.
pub(crate) const BASE_PATH: &str = "/WebApi/ResellerServices";
pub(crate) const ALT_BASE_PATH: &str = "/WebApi/ResellerService";
pub(crate) const CONTROL_PATH: &str = "/_emulator";

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) addr: SocketAddr,
    expected_token: String,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) journal: Mutex<Journal>,
    pub(crate) variant: Mutex<Variant>,
}

/// Locks, ignoring poisoning: no lock holder panics, and a half-updated emulator is still more
/// useful to a test than a second panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn new(config: EmulatorConfig, addr: SocketAddr) -> Shared {
        let expected_token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", config.username, config.password));
        let state = State::initial(config.empty);
        Shared {
            config,
            addr,
            expected_token,
            state: Mutex::new(state),
            faults: Mutex::new(FaultQueue::default()),
            journal: Mutex::new(Journal::default()),
            variant: Mutex::new(Variant::default()),
        }
    }

    pub(crate) fn settings(&self) -> Settings {
        Settings {
            seed: self.config.seed,
            activities_per_account_day: self.config.activities_per_account_day,
        }
    }

    /// HTTP Basic with the configured credentials, scheme name case-insensitive.
    pub(crate) fn authorized(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::AUTHORIZATION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                let v = v.trim();
                v.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("basic "))
                    && v.get(6..).is_some_and(|t| t.trim() == self.expected_token)
            })
    }

    pub(crate) fn reset(&self) {
        *lock(&self.state) = State::initial(self.config.empty);
        lock(&self.faults).clear();
        lock(&self.journal).reset();
    }

    pub(crate) fn state_dump(&self) -> Value {
        lock(&self.state).dump()
    }

    pub(crate) fn url(&self, path: &str) -> String {
        let scheme = if self.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}{path}", self.addr)
    }
}
