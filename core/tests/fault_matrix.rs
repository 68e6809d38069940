//! Every mutating operation against every fault kind: each is sent once, never replayed, applied at
//! most once, and reported with `outcome_unknown` exactly when the caller cannot know the result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::{ErrorKind, OPERATIONS};
use cpaas_reseller_emulator::{Emulator, FaultKind};
use serde_json::Value;
use std::time::Duration;

/// The sample of `tests/vectors/operations.json` for `method` (valid against the emulator's initial
/// state), and the call that prepares that state when one is needed.
fn mutation(method: &str) -> (Option<(String, Value)>, Value) {
    let sample = common::vectors("operations")
        .into_iter()
        .find(|sample| sample["operation"] == method)
        .unwrap_or_else(|| panic!("tests/vectors/operations.json has no sample for {method}"));
    let prepare = sample.get("prepare").map(|prepare| {
        let setup = prepare["operation"]
            .as_str()
            .expect("a prepare call names its operation");
        (setup.to_owned(), prepare["input"].clone())
    });
    (prepare, sample["input"].clone())
}

fn state(emulator: &Emulator) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| !key.ends_with("Date") && key != "time");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = emulator.state();
    strip(&mut value);
    value
}

#[tokio::test]
async fn every_mutating_operation_under_every_fault() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    let faults = [
        (
            FaultKind::Status {
                status: 500,
                apply: false,
            },
            ErrorKind::Server,
            false,
            false,
        ),
        (
            FaultKind::Status {
                status: 503,
                apply: false,
            },
            ErrorKind::UnexpectedResponse,
            false,
            false,
        ),
        (
            FaultKind::Status {
                status: 504,
                apply: false,
            },
            ErrorKind::GatewayTimeout,
            true,
            false,
        ),
        (
            FaultKind::Status {
                status: 504,
                apply: true,
            },
            ErrorKind::GatewayTimeout,
            true,
            true,
        ),
        (
            FaultKind::Drop { apply: false },
            ErrorKind::Transport,
            true,
            false,
        ),
        (
            FaultKind::Drop { apply: true },
            ErrorKind::Transport,
            true,
            true,
        ),
        (
            FaultKind::Truncated { apply: true },
            ErrorKind::UnexpectedResponse,
            true,
            true,
        ),
        (
            FaultKind::Html { status: 502 },
            ErrorKind::UnexpectedResponse,
            false,
            false,
        ),
        // The client gives up; the service still applies the change.
        (
            FaultKind::Delay { millis: 600 },
            ErrorKind::Timeout,
            true,
            true,
        ),
    ];
    let mutating: Vec<_> = OPERATIONS
        .iter()
        .filter(|op| op.mutating)
        .map(|op| op.method)
        .collect();
    // Every mutating operation has a sample (`mutation` panics, naming one that lacks it).
    assert!(!mutating.is_empty());
    let expected_cases = mutating.len() * faults.len();
    let mut cases = 0;
    for method in mutating {
        let (prepare, input) = mutation(method);
        let run_prepare = || async {
            if let Some((setup, body)) = &prepare {
                client.invoke(setup, body.clone()).await.unwrap();
            }
        };
        // The reference: the state after one clean application, and before any.
        emulator.reset();
        run_prepare().await;
        let untouched = state(&emulator);
        client
            .invoke(method, input.clone())
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        let applied_once = state(&emulator);
        assert_ne!(untouched, applied_once, "{method} changes state");

        for (kind, expected, unknown, applies) in &faults {
            emulator.reset();
            run_prepare().await;
            emulator.inject(fault(method, 1, kind.clone()));
            let error = client.invoke(method, input.clone()).await.unwrap_err();
            let label = format!("{method} under {kind:?}");
            assert_eq!(error.kind(), *expected, "{label}: {error}");
            assert_eq!(error.outcome_unknown(), *unknown, "{label}: {error}");
            if matches!(kind, FaultKind::Delay { .. }) {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            assert_eq!(
                emulator.calls(method),
                1,
                "{label}: sent once, never replayed"
            );
            let expected_state = if *applies { &applied_once } else { &untouched };
            assert_eq!(
                &state(&emulator),
                expected_state,
                "{label}: applied {}",
                if *applies { "once" } else { "never" }
            );
            cases += 1;
        }
    }
    assert_eq!(cases, expected_cases);
}
