//! `set_log_listener` in a process whose global `tracing` subscriber is someone else's (its own
//! test binary: the global subscriber is set once per process).

#![allow(clippy::panic)]

use cpaas_reseller::events::{self, Level, Record, Sink};
use cpaas_reseller_uniffi::{
    set_log_listener, LogLevel, LogListener, LogListenerError, LogRecord, ResellerError,
};
use std::sync::Arc;

struct Other;

impl Sink for Other {
    fn enabled(&self, _level: Level) -> bool {
        true
    }

    fn record(&self, _record: Record) {}
}

struct Ignore;

impl LogListener for Ignore {
    fn on_log(&self, _record: LogRecord) -> Result<(), LogListenerError> {
        Ok(())
    }
}

#[test]
fn a_taken_global_subscriber_is_a_clear_error_every_time() {
    assert!(
        events::forward_to(Other),
        "the test's own subscriber goes first"
    );
    for _ in 0..2 {
        match set_log_listener(Arc::new(Ignore), LogLevel::Debug) {
            Err(ResellerError::Validation {
                field, description, ..
            }) => {
                assert_eq!(field, "listener");
                assert!(
                    description.contains("another tracing subscriber"),
                    "{description}"
                );
            }
            other => panic!("expected a Validation error, got {other:?}"),
        }
    }
}
