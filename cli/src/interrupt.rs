//! Ctrl-C, listened for from the moment it matters.

/// Ctrl-C notifications, registered when created (tokio's `ctrl_c()` registers only when first
/// polled, which leaves a window where Ctrl-C would kill the process mid-run).
pub struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    pub fn listen() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            let kind = tokio::signal::unix::SignalKind::interrupt();
            Ok(Self {
                signal: tokio::signal::unix::signal(kind)?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// Waits for the next Ctrl-C; `false` when no more can come.
    pub async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            self.signal.recv().await.is_some()
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.is_ok()
        }
    }
}
