//! Every mutating operation against every fault kind: each is sent once, never replayed, applied at
//! most once, and reported with `outcome_unknown` exactly when the caller cannot know the result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::{ErrorKind, OPERATIONS};
use cpaas_reseller_emulator::{Emulator, FaultKind, PREALLOCATED_NUMBER};
use serde_json::{json, Value};
use std::time::Duration;

/// A valid input for each mutating operation against the emulator's initial state, and the call
/// that prepares that state when one is needed.
fn mutation(method: &str) -> (Option<(&'static str, Value)>, Value) {
    let user = json!({
        "AccountId": 1001, "Username": "matrix.user", "Password": "Matr1xPassword",
        "Firstname": "Mat", "LastName": "Rix", "EmailAddress": "matrix@example.com",
        "MobilePhoneNumber": "+447700900555", "LandlinePhoneNumber": "+442079460555"
    });
    match method {
        "CreateAccount" => (
            None,
            json!({ "AccountName": "Matrix Ltd", "ParentAccountId": 1000 }),
        ),
        "UpdateAccount" => (None, json!({ "AccountId": 1001, "AccountName": "Renamed" })),
        "SetAccountStatus" => (None, json!({ "AccountId": 1002, "Status": "Suspended" })),
        "AddUserToAccount" => (None, user),
        "UpdateUser" => (None, json!({ "UserId": 101, "Firstname": "Robert" })),
        "RemoveUserFromAccount" => (None, json!({ "UserId": 102 })),
        "ResetUserPassword" => (
            None,
            json!({ "UserId": 101, "NewPassword": "Fresh-Passw0rd" }),
        ),
        "AssignRoleToUser" => (None, json!({ "UserId": 102, "RoleId": 2 })),
        "RemoveRoleFromUser" => (None, json!({ "UserId": 100, "RoleId": 1 })),
        "AssignRoleToAccount" => (None, json!({ "AccountId": 1001, "RoleId": 2 })),
        "RemoveRoleFromAccount" => (
            Some((
                "AssignRoleToAccount",
                json!({ "AccountId": 1001, "RoleId": 4 }),
            )),
            json!({ "AccountId": 1001, "RoleId": 4 }),
        ),
        "AllocateCredit" => (
            None,
            json!({ "AccountId": 1001, "Amount": "5.25", "Reference": "matrix-1" }),
        ),
        "AllocateInboundNumber" => (
            None,
            json!({ "AccountId": 1001, "Number": "+447700900101" }),
        ),
        "ReleaseInboundNumber" => (
            None,
            json!({ "AccountId": 1001, "Number": PREALLOCATED_NUMBER }),
        ),
        other => panic!("no input for mutating operation {other}"),
    }
}

/// The state without the clock: creation times differ between runs.
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
    // Every mutating operation has an input in `mutation` (which panics on one it lacks).
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
