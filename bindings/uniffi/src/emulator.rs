//! The offline emulator, exported so Kotlin and Swift tests (and apps) can run without the
//! service: start one, point a `ClientConfig` at `base_url()` with its credentials, inject faults
//! and read the journal.

use crate::config::ClientConfig;
use crate::dates::to_system_time;
use crate::errors::{ResellerError, TransportError};
use cpaas_reseller_emulator as emulator;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// How to start an [`Emulator`]; every field has the emulator's default.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EmulatorOptions {
    /// Loopback port to listen on; 0 picks a free one.
    #[uniffi(default = 0)]
    pub port: u16,
    #[uniffi(default = "reseller")]
    pub username: String,
    #[uniffi(default = "emulator-Passw0rd")]
    pub password: String,
    /// Drives chargeable-activity generation.
    #[uniffi(default = 42)]
    pub seed: u64,
    /// Start with only the root account, the roles and the number pool.
    #[uniffi(default = false)]
    pub empty: bool,
    /// Chargeable-activity rows per account per UTC day.
    #[uniffi(default = 3)]
    pub activities_per_account_day: u32,
    /// Serve HTTPS with a certificate from a throwaway CA (see [`Emulator::ca_pem`]).
    #[uniffi(default = false)]
    pub tls: bool,
}

/// What the next matching calls do instead of (or as well as) their normal work.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum EmulatorFaultKind {
    /// Answer `status` with the vendor's error body; `apply` carries the operation out first.
    Status { status: u16, apply: bool },
    /// Sleep, then handle the call normally.
    Delay { millis: u64 },
    /// Close the connection without a complete response.
    Drop { apply: bool },
    /// Answer exactly this status, content type and body.
    Body {
        status: u16,
        content_type: String,
        body: String,
        apply: bool,
    },
    /// The real JSON response cut in half, status 200.
    Truncated { apply: bool },
    /// A WCF XML fault with this status.
    Xml { status: u16 },
    /// An IIS/gateway-style HTML error page with this status.
    Html { status: u16 },
    /// A valid 200 JSON response padded to about `bytes` bytes.
    Large { bytes: u64 },
}

/// A fault for the next `times` calls of `method` (any vendor method when none).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmulatorFault {
    #[uniffi(default)]
    pub method: Option<String>,
    #[uniffi(default = 1)]
    pub times: u32,
    pub kind: EmulatorFaultKind,
}

/// One call on a vendor path, as the emulator received it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JournalEntry {
    pub seq: u64,
    pub method: String,
    pub http_method: String,
    pub path: String,
    /// Request headers, names lower-case; the `Authorization` value is `<redacted>`.
    pub headers: Vec<JournalHeader>,
    /// The request body exactly as received.
    pub body: String,
    /// 0 when no complete response was sent.
    pub status: u16,
    pub time: SystemTime,
    /// The operation ran against the state and succeeded.
    pub applied: bool,
}

/// One request header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JournalHeader {
    pub name: String,
    pub value: String,
}

/// A running emulator on a loopback port. `shutdown()` (or dropping it) stops it.
#[derive(Debug, uniffi::Object)]
pub struct Emulator {
    running: Mutex<Option<emulator::Emulator>>,
    base_url: String,
    alt_base_url: String,
    control_url: String,
    username: String,
    password: String,
    root_account_id: i32,
    ca_pem: Option<String>,
}

#[uniffi::export]
impl Emulator {
    /// Starts an emulator on its own thread; returns once it listens.
    #[uniffi::constructor(default(options = None))]
    pub fn new(options: Option<EmulatorOptions>) -> Result<Arc<Self>, ResellerError> {
        crate::signals::ignore_sigpipe();
        let cannot_start = |error: std::io::Error| ResellerError::Transport {
            transport: TransportError {
                method: String::new(),
                message: format!("could not start the emulator: {error}"),
                outcome_unknown: false,
                attempts: 1,
            },
            description: format!("could not start the emulator: {error}"),
        };
        let mut config = emulator::EmulatorConfig::default();
        let mut ca = None;
        if let Some(options) = options {
            config.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
            config.username = options.username;
            config.password = options.password;
            config.seed = options.seed;
            config.empty = options.empty;
            config.activities_per_account_day = options.activities_per_account_day;
            if options.tls {
                ca = Some(config.serve_test_https().map_err(cannot_start)?);
            }
        }
        let running = emulator::Emulator::start(config).map_err(cannot_start)?;
        Ok(Arc::new(Self {
            base_url: running.base_url(),
            alt_base_url: running.alt_base_url(),
            control_url: running.control_url(),
            username: running.username().to_owned(),
            password: running.password().to_owned(),
            root_account_id: running.root_account_id(),
            ca_pem: ca,
            running: Mutex::new(Some(running)),
        }))
    }

    /// `http://127.0.0.1:PORT/WebApi/ResellerServices` (the method page's path; `https://` with
    /// `EmulatorOptions.tls`).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// With `EmulatorOptions.tls`: the PEM of the CA that signed the server's certificate, to
    /// trust through `ClientConfig.root_certificates_pem` (`None` for plain HTTP).
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// The overview page's path (`.../ResellerService`), also served.
    pub fn alt_base_url(&self) -> String {
        self.alt_base_url.clone()
    }

    /// The control endpoint (`http://127.0.0.1:PORT/_emulator`), for tools outside the process.
    pub fn control_url(&self) -> String {
        self.control_url.clone()
    }

    pub fn username(&self) -> String {
        self.username.clone()
    }

    pub fn password(&self) -> String {
        self.password.clone()
    }

    /// The reseller's own account id.
    pub fn root_account_id(&self) -> i32 {
        self.root_account_id
    }

    /// A client configuration for this emulator: its base URL, credentials and (with
    /// `EmulatorOptions.tls`) CA, every other option at its default (change fields with
    /// Kotlin's `copy` or Swift's `var`).
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            base_url: Some(self.base_url.clone()),
            root_certificates_pem: self.ca_pem.iter().cloned().collect(),
            ..ClientConfig::new(self.username.clone(), self.password.clone())
        }
    }

    /// Queues a fault; each matching call takes the oldest one.
    pub fn inject_fault(&self, fault: EmulatorFault) -> Result<(), ResellerError> {
        let kind = match fault.kind {
            EmulatorFaultKind::Status { status, apply } => {
                emulator::FaultKind::Status { status, apply }
            }
            EmulatorFaultKind::Delay { millis } => emulator::FaultKind::Delay { millis },
            EmulatorFaultKind::Drop { apply } => emulator::FaultKind::Drop { apply },
            EmulatorFaultKind::Body {
                status,
                content_type,
                body,
                apply,
            } => emulator::FaultKind::Body {
                status,
                content_type,
                body,
                apply,
            },
            EmulatorFaultKind::Truncated { apply } => emulator::FaultKind::Truncated { apply },
            EmulatorFaultKind::Xml { status } => emulator::FaultKind::Xml { status },
            EmulatorFaultKind::Html { status } => emulator::FaultKind::Html { status },
            EmulatorFaultKind::Large { bytes } => emulator::FaultKind::Large {
                bytes: usize::try_from(bytes)
                    .map_err(|_| ResellerError::invalid("bytes", "is too large"))?,
            },
        };
        self.with_running(|running| {
            running.inject(emulator::Fault {
                method: fault.method,
                times: fault.times,
                kind,
            })
        })
    }

    /// Queues a fault given in the control endpoint's JSON form, e.g.
    /// `{"method":"AllocateCredit","times":1,"kind":"status","status":504,"apply":true}`.
    pub fn inject_fault_json(&self, json: String) -> Result<(), ResellerError> {
        let value: serde_json::Value = serde_json::from_str(&json)
            .map_err(|error| ResellerError::invalid("fault", format!("is not JSON: {error}")))?;
        let fault = emulator::Fault::from_value(&value)
            .map_err(|message| ResellerError::invalid("fault", message))?;
        self.with_running(|running| running.inject(fault))
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) -> Result<(), ResellerError> {
        self.with_running(emulator::Emulator::clear_faults)
    }

    /// Every vendor-path call so far, oldest first.
    pub fn journal(&self) -> Result<Vec<JournalEntry>, ResellerError> {
        self.with_running(|running| running.journal().into_iter().map(journal_entry).collect())
    }

    /// The journal as a JSON array (the control endpoint's form).
    pub fn journal_json(&self) -> Result<String, ResellerError> {
        let journal = self.with_running(emulator::Emulator::journal)?;
        serde_json::to_string(&journal)
            .map_err(|error| ResellerError::invalid("journal", error.to_string()))
    }

    pub fn clear_journal(&self) -> Result<(), ResellerError> {
        self.with_running(emulator::Emulator::clear_journal)
    }

    /// How many calls `method` (vendor name) has received.
    pub fn calls(&self, method: String) -> Result<u64, ResellerError> {
        self.with_running(|running| u64::try_from(running.calls(&method)).unwrap_or(u64::MAX))
    }

    /// The whole state as JSON text (accounts, users, roles, ledger, balances, numbers).
    pub fn state_json(&self) -> Result<String, ResellerError> {
        self.with_running(|running| running.state().to_string())
    }

    /// Back to the initial state, with no faults and an empty journal.
    pub fn reset(&self) -> Result<(), ResellerError> {
        self.with_running(emulator::Emulator::reset)
    }

    /// Stops the server and closes its connections; later calls fail. Idempotent.
    pub fn shutdown(&self) {
        let running = lock(&self.running).take();
        if let Some(running) = running {
            running.shutdown();
        }
    }

    /// Whether `shutdown()` has not been called yet.
    pub fn is_running(&self) -> bool {
        lock(&self.running).is_some()
    }
}

impl Emulator {
    fn with_running<T>(
        &self,
        action: impl FnOnce(&emulator::Emulator) -> T,
    ) -> Result<T, ResellerError> {
        lock(&self.running)
            .as_ref()
            .map(action)
            .ok_or_else(|| ResellerError::invalid("emulator", "has been shut down"))
    }
}

/// A poisoned lock only means another call panicked while holding it; the emulator itself is
/// still consistent (it keeps its own state), so go on with the inner value.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn journal_entry(entry: emulator::JournalEntry) -> JournalEntry {
    JournalEntry {
        seq: entry.seq,
        method: entry.method,
        http_method: entry.http_method,
        path: entry.path,
        headers: entry
            .headers
            .into_iter()
            .map(|(name, value)| JournalHeader { name, value })
            .collect(),
        body: entry.body,
        status: entry.status,
        time: to_system_time(entry.time),
        applied: entry.applied,
    }
}
