//! Shared set-up: an emulator per test, a client pointed at it, and the conformance vectors.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use cpaas_reseller::{Client, ClientBuilder, RetryPolicy};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use serde_json::Value;
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

/// The cases of `tests/vectors/{name}.json`.
pub fn vectors(name: &str) -> Vec<Value> {
    let path = format!(
        "{}/../tests/vectors/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// `activities.0.total_cost` (empty: the value itself) -> the value in a typed result
/// re-encoded with vendor names.
pub fn lookup<'a>(mut value: &'a Value, path: &str) -> &'a Value {
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        value = match segment.parse::<usize>() {
            Ok(index) => &value[index],
            Err(_) => &value[pascal(segment)],
        };
    }
    value
}

fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
