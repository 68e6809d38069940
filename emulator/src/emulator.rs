//! The handle tests hold: starts the server on its own thread and runtime, so it works the same
//! from plain code and from inside another tokio runtime, and stops it when dropped.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::faults::Fault;
use crate::journal::JournalEntry;
use crate::shared::{lock, Shared, ALT_BASE_PATH, BASE_PATH, CONTROL_PATH};
use crate::{server, state, EmulatorConfig};

/// A running emulator. Dropping it (or [`Emulator::shutdown`]) stops the server and closes
/// its connections.
#[derive(Debug)]
pub struct Emulator {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config.addr` and serves on a background thread with its own multi-thread tokio
    /// runtime (`config.worker_threads` workers). Returns once the socket is listening.
    pub fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        let tls = config.tls.as_ref().map(|t| t.acceptor()).transpose()?;
        let std_listener = std::net::TcpListener::bind(config.addr)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("cpaas-emulator")
            .enable_all()
            .build()?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared::new(config, addr));
        let (stop, stopped) = oneshot::channel::<()>();
        let server_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("cpaas-emulator".to_owned())
            .spawn(move || {
                runtime.block_on(server::run(listener, server_shared, tls, async {
                    let _ = stopped.await;
                }));
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(Emulator {
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT/WebApi/ResellerServices`, the method page's base path
    /// (`https://` when [`EmulatorConfig::tls`] is set, as for every URL here).
    pub fn base_url(&self) -> String {
        self.shared.url(BASE_PATH)
    }

    /// `http://127.0.0.1:PORT/WebApi/ResellerService`, the overview page's base path.
    pub fn alt_base_url(&self) -> String {
        self.shared.url(ALT_BASE_PATH)
    }

    /// `http://127.0.0.1:PORT/_emulator`, the control endpoint.
    pub fn control_url(&self) -> String {
        self.shared.url(CONTROL_PATH)
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    pub fn username(&self) -> &str {
        &self.shared.config.username
    }

    pub fn password(&self) -> &str {
        &self.shared.config.password
    }

    /// The reseller's own account, root of everything the caller can see.
    pub fn root_account_id(&self) -> i32 {
        state::ROOT_ACCOUNT_ID
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// Queues a fault behind those already pending.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Makes the emulator differ from the documented service (see [`crate::Variant`]).
    pub fn set_variant(&self, variant: crate::Variant) {
        *lock(&self.shared.variant) = variant;
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Faults not yet used up, oldest first.
    pub fn pending_faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).pending()
    }

    /// Journaled calls in arrival order (the last [`crate::JOURNAL_CAPACITY`]).
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.shared.journal).entries()
    }

    pub fn clear_journal(&self) {
        lock(&self.shared.journal).clear();
    }

    /// Calls of that vendor method since start or the last journal clear.
    pub fn calls(&self, method: &str) -> usize {
        lock(&self.shared.journal).calls(method)
    }

    /// The whole state as JSON (see the crate docs for its shape).
    pub fn state(&self) -> serde_json::Value {
        self.shared.state_dump()
    }

    /// Back to the initial state, with no faults and an empty journal.
    pub fn reset(&self) {
        self.shared.reset();
    }

    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
