//! The HTTP control endpoint that non-Rust suites drive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, control, start};
use serde_json::json;

#[tokio::test]
async fn faults_are_queued_listed_and_cleared_over_http() {
    let emu = start();
    let reply = control(
        &emu,
        "POST",
        "/faults",
        Some(r#"{"method":"AllocateCredit","times":1,"kind":"status","status":504,"apply":true}"#),
    )
    .await
    .ok();
    assert_eq!(reply.json()["pending"], 1);
    // An array queues several, in order.
    control(
        &emu,
        "POST",
        "/faults",
        Some(r#"[{"kind":"delay","millis":1},{"method":"GetRoles","kind":"xml","status":502}]"#),
    )
    .await
    .ok();
    let pending = control(&emu, "GET", "/faults", None).await.ok().json();
    assert_eq!(pending.as_array().unwrap().len(), 3);
    assert_eq!(
        pending[2],
        json!({"method":"GetRoles","times":1,"kind":"xml","status":502})
    );
    let reply = call(&emu, "AllocateCredit", r#"{"AccountId":1001,"Amount":1}"#).await;
    assert_eq!(reply.status, 504);
    assert_eq!(emu.state()["balances"]["1001"].to_string(), "251.00");
    control(&emu, "DELETE", "/faults", None).await.ok();
    assert!(emu.pending_faults().is_empty());
    call(&emu, "GetRoles", "{}").await.ok();
}

#[tokio::test]
async fn bad_faults_are_refused_loudly() {
    let emu = start();
    for body in [
        "not json",
        r#"{"kind":"status","status":504,"method":"AllocateCredits"}"#,
        r#"{"kind":"status"}"#,
        r#"{"kind":"status","status":42}"#,
        r#"{"kind":"teleport"}"#,
        r#"{"kind":"drop","apply":"yes"}"#,
        r#"[{"kind":"drop"},{"kind":"nope"}]"#,
    ] {
        let reply = control(&emu, "POST", "/faults", Some(body)).await;
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.json()["error"].is_string());
    }
    assert!(
        emu.pending_faults().is_empty(),
        "nothing queued from a bad batch"
    );
}

#[tokio::test]
async fn journal_calls_state_reset_and_info_over_http() {
    let emu = start();
    call(&emu, "GetRoles", "{}").await.ok();
    call(&emu, "CreateAccount", r#"{"AccountName":"Over HTTP"}"#)
        .await
        .ok();
    let journal = control(&emu, "GET", "/journal", None).await.ok().json();
    let entries = journal.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["method"], "CreateAccount");
    assert_eq!(entries[1]["applied"], true);
    assert_eq!(entries[1]["status"], 200);
    assert!(entries[1]["headers"]
        .as_array()
        .unwrap()
        .contains(&json!(["authorization", "<redacted>"])));
    let count = control(&emu, "GET", "/calls/GetRoles", None)
        .await
        .ok()
        .json();
    assert_eq!(count, json!({"count": 1}));
    let count = control(&emu, "GET", "/calls/GetUsers", None)
        .await
        .ok()
        .json();
    assert_eq!(count, json!({"count": 0}));

    let state = control(&emu, "GET", "/state", None).await.ok().json();
    assert_eq!(state["accounts"].as_array().unwrap().len(), 5);
    assert_eq!(state["root_account_id"], 1000);
    assert_eq!(state, emu.state());

    control(&emu, "DELETE", "/journal", None).await.ok();
    assert!(emu.journal().is_empty());
    call(&emu, "GetRoles", "{}").await.ok();
    control(&emu, "POST", "/reset", None).await.ok();
    assert!(emu.journal().is_empty());
    assert_eq!(emu.state()["accounts"].as_array().unwrap().len(), 4);

    let info = control(&emu, "GET", "/info", None).await.ok().json();
    assert_eq!(info["base_url"], emu.base_url());
    assert_eq!(info["alt_base_url"], emu.alt_base_url());
    assert_eq!(info["control_url"], emu.control_url());
    assert_eq!(info["username"], emu.username());
    assert_eq!(info["password"], emu.password());
    assert_eq!(info["root_account_id"], emu.root_account_id());
    let methods: Vec<_> = cpaas_reseller_emulator::methods()
        .map(|m| json!({ "name": m.name, "mutating": m.mutating }))
        .collect();
    assert!(!methods.is_empty());
    assert_eq!(info["methods"], json!(methods));
    // Control calls are not journaled.
    assert!(emu.journal().is_empty());
}

#[tokio::test]
async fn activity_summary_checks_its_query() {
    let emu = start();
    let reply = control(&emu, "GET", "/activity?StartDate=2026-01-01", None).await;
    assert_eq!(reply.status, 400);
    let reply = control(
        &emu,
        "GET",
        "/activity?StartDate=2026-01-01&EndDate=2026-01-02&AccountId=1001",
        None,
    )
    .await
    .ok()
    .json();
    assert_eq!(reply["count"], 3);
    assert_eq!(reply["accounts"], json!([1001]));
}
