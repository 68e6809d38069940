//! Keeps a closed socket from killing the host process.
//!
//! Writing to a socket whose peer has gone raises SIGPIPE, and its default action ends the
//! process. Rust executables, CPython and the JVM ignore SIGPIPE at start-up; a Swift (or C) host
//! on Linux does not, so one connection reset by the service, or a client that gives up on the
//! embedded emulator, would end the app. The library therefore ignores SIGPIPE once, the first
//! time a client or emulator is created, unless the host has installed a handler of its own.

#[cfg(unix)]
pub(crate) fn ignore_sigpipe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sigaction reads the current disposition into a zeroed struct we own, and
        // signal() replaces only the default action; no Rust state is touched.
        #[allow(unsafe_code)]
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == libc::SIG_DFL
            {
                libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            }
        }
    });
}

#[cfg(not(unix))]
pub(crate) fn ignore_sigpipe() {}
