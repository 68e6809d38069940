//! HTTPS: the client verifies the service's certificate. Against an emulator serving TLS with a
//! certificate from a throwaway CA, it works when given the CA as an extra root, and refuses a
//! certificate for another name and one from a CA it does not know: a typed transport error,
//! with nothing sent to the service (so never retried into success, never applied).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/net.rs"]
mod net;

use cpaas_reseller::requests::{AllocateCredit, GetCreditBalance, GetRoles};
use cpaas_reseller::{Client, Decimal, Error, ErrorKind};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use net::{https_emulator, TestCa};
use std::time::Duration;

/// The base URL by name, as a certificate for `localhost` requires.
fn localhost_url(emulator: &Emulator) -> String {
    format!(
        "https://localhost:{}/WebApi/ResellerServices",
        emulator.addr().port()
    )
}

fn client(emulator: &Emulator, root: Option<&str>) -> Client {
    let mut builder = common::builder(emulator)
        .base_url(localhost_url(emulator))
        .timeout(Duration::from_secs(10));
    if let Some(pem) = root {
        builder = builder.add_root_certificate_pem(pem.as_bytes().to_vec());
    }
    builder.build().unwrap()
}

fn allocation() -> AllocateCredit {
    AllocateCredit {
        account_id: 1001,
        amount: Decimal::new(1234, 2),
        reference: Some("tls-1".to_owned()),
    }
}

/// A refused certificate: a transport error before anything was sent, for reads and writes.
async fn assert_refused(emulator: &Emulator, client: &Client, reason: &str) {
    let read = client.get_roles(&GetRoles {}).await.unwrap_err();
    let write = client.allocate_credit(&allocation()).await.unwrap_err();
    for error in [&read, &write] {
        assert_eq!(error.kind(), ErrorKind::Transport, "{reason}: {error}");
        assert!(!error.outcome_unknown(), "{reason}: never sent: {error}");
        let Error::Transport(transport) = error else {
            unreachable!()
        };
        // A handshake failure is a connect failure: retried within the policy, and each
        // attempt fails the same way, so it never turns into a success.
        assert_eq!(transport.attempts, 3, "{reason}: {error}");
        let text = error.to_string().to_lowercase();
        assert!(
            text.contains("certificate"),
            "{reason}: names the cause: {error}"
        );
    }
    assert_eq!(
        emulator.calls("GetRoles"),
        0,
        "{reason}: no request reached it"
    );
    assert_eq!(emulator.calls("AllocateCredit"), 0, "{reason}");
    assert_eq!(
        emulator.state()["balances"]["1001"].to_string(),
        "250.00",
        "{reason}: nothing applied"
    );
}

#[tokio::test]
async fn talks_https_to_a_server_signed_by_an_added_root() {
    let ca = TestCa::new("cpaas-reseller test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    assert!(emulator.base_url().starts_with("https://"));
    let client = client(&emulator, Some(&ca.pem()));
    let roles = client.get_roles(&GetRoles {}).await.unwrap();
    assert_eq!(roles.roles.len(), 5);
    let allocated = client.allocate_credit(&allocation()).await.unwrap();
    assert_eq!(allocated.amount, Decimal::new(1234, 2));
    let balance = client
        .get_credit_balance(&GetCreditBalance { account_id: 1001 })
        .await
        .unwrap();
    assert_eq!(balance.balance, Decimal::new(26234, 2));
    let entry = emulator.journal().pop().unwrap();
    assert_eq!(entry.method, "GetCreditBalance");
    assert_eq!(emulator.calls("AllocateCredit"), 1);
}

#[tokio::test]
async fn refuses_a_certificate_for_another_name() {
    let ca = TestCa::new("cpaas-reseller test CA").unwrap();
    let emulator = https_emulator(ca.server(&["services.example.invalid"]).unwrap());
    let client = client(&emulator, Some(&ca.pem()));
    assert_refused(&emulator, &client, "name mismatch").await;
}

#[tokio::test]
async fn refuses_a_certificate_from_an_unknown_ca() {
    let ca = TestCa::new("cpaas-reseller test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    assert_refused(&emulator, &client(&emulator, None), "no extra root").await;
    // Trusting some other CA does not help either.
    let other = TestCa::new("another CA").unwrap();
    assert_refused(
        &emulator,
        &client(&emulator, Some(&other.pem())),
        "other root",
    )
    .await;
}

#[test]
fn a_bad_identity_fails_to_start_and_debug_hides_the_key() {
    let ca = TestCa::new("cpaas-reseller test CA").unwrap();
    let mut identity = ca.server(&["localhost"]).unwrap();
    assert!(!format!("{identity:?}").contains("PRIVATE KEY"));
    identity.key_pem = "not a key".to_owned();
    let error = Emulator::start(EmulatorConfig {
        tls: Some(identity),
        ..EmulatorConfig::default()
    })
    .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
}
