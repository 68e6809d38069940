//! Retries counted on the server side, and the rule that mutating calls are never replayed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::requests::{AllocateCredit, CreateAccount, GetCreditBalance, GetRoles};
use cpaas_reseller::{Decimal, ErrorKind};
use cpaas_reseller_emulator::FaultKind;
use std::str::FromStr;
use std::time::Duration;

#[tokio::test]
async fn reads_recover_from_transient_failures_within_the_bound() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    for kind in [
        FaultKind::Status {
            status: 500,
            apply: false,
        },
        FaultKind::Status {
            status: 502,
            apply: false,
        },
        FaultKind::Status {
            status: 503,
            apply: false,
        },
        FaultKind::Status {
            status: 504,
            apply: false,
        },
        FaultKind::Drop { apply: false },
    ] {
        emulator.clear_journal();
        emulator.inject(fault("GetRoles", 2, kind.clone()));
        let roles = client.get_roles(&GetRoles {}).await;
        assert!(roles.is_ok(), "{kind:?}: {roles:?}");
        assert_eq!(
            emulator.calls("GetRoles"),
            3,
            "{kind:?}: two failures then success"
        );
    }
    emulator.clear_journal();
    emulator.inject(fault(
        "GetRoles",
        5,
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    let error = client.get_roles(&GetRoles {}).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.api().map(|e| e.attempts), Some(3));
    assert_eq!(
        emulator.calls("GetRoles"),
        3,
        "max_retries 2 bounds the attempts"
    );
}

#[tokio::test]
async fn reads_retry_after_a_timeout() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    emulator.inject(fault("GetRoles", 1, FaultKind::Delay { millis: 1_500 }));
    assert!(client.get_roles(&GetRoles {}).await.is_ok());
    // The abandoned first attempt is journaled once the emulator finishes it.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(emulator.calls("GetRoles"), 2);
}

fn credit(account_id: i32, reference: &str) -> AllocateCredit {
    AllocateCredit {
        account_id,
        amount: Decimal::from_str("25.00").unwrap(),
        reference: Some(reference.into()),
    }
}

async fn balance(client: &cpaas_reseller::Client, account_id: i32) -> Decimal {
    client
        .get_credit_balance(&GetCreditBalance { account_id })
        .await
        .unwrap()
        .balance
}

#[tokio::test]
async fn mutating_calls_are_never_replayed_and_report_unknown_outcomes() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let account = client
        .create_account(&CreateAccount {
            account_name: "No replay".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .account_id;
    let cases = [
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
    ];
    for (index, (kind, expected, unknown, applied)) in cases.into_iter().enumerate() {
        emulator.clear_journal();
        let before = balance(&client, account).await;
        emulator.inject(fault("AllocateCredit", 1, kind.clone()));
        let error = client
            .allocate_credit(&credit(account, &format!("ref-{index}")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), expected, "{kind:?}: {error}");
        assert_eq!(error.outcome_unknown(), unknown, "{kind:?}: {error}");
        assert_eq!(
            emulator.calls("AllocateCredit"),
            1,
            "{kind:?}: sent exactly once"
        );
        let after = balance(&client, account).await;
        let delta = if applied {
            Decimal::from_str("25.00").unwrap()
        } else {
            Decimal::ZERO
        };
        assert_eq!(after - before, delta, "{kind:?}: applied at most once");
    }
}

#[tokio::test]
async fn a_timed_out_mutating_call_is_reported_unknown_not_retried() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let account = emulator.root_account_id();
    emulator.inject(fault(
        "AllocateCredit",
        1,
        FaultKind::Delay { millis: 1_000 },
    ));
    let error = client
        .allocate_credit(&credit(account, "slow"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.outcome_unknown());
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(emulator.calls("AllocateCredit"), 1);
}
