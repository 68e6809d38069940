//! Shared set-up: an emulator per test and a client pointed at it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use cpaas_reseller::{Client, ClientBuilder, RetryPolicy};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use std::time::Duration;

pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

/// A builder for the emulator with fast retries, so retry tests take milliseconds.
pub fn builder(emulator: &Emulator) -> ClientBuilder {
    Client::builder()
        .credentials(emulator.username(), emulator.password())
        .base_url(emulator.base_url())
        .retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            jitter: true,
            max_elapsed: Duration::from_secs(10),
        })
}

pub fn client(emulator: &Emulator) -> Client {
    builder(emulator).build().expect("client builds")
}

pub fn fault(method: &str, times: u32, kind: FaultKind) -> Fault {
    Fault {
        method: Some(method.to_owned()),
        times,
        kind,
    }
}
