//! Every fault kind fires exactly as asked, applied or not, in order, for the right calls.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{call, call_xml, send, start, try_call};
use cpaas_reseller_emulator::{Emulator, Fault, FaultKind};
use serde_json::json;

const ALLOCATE: &str = r#"{"AccountId":1002,"Amount":"10.00","Reference":"f-1"}"#;

fn balance(emu: &Emulator) -> String {
    emu.state()["balances"]["1002"].to_string()
}

fn last_entry(emu: &Emulator) -> cpaas_reseller_emulator::JournalEntry {
    emu.journal().pop().unwrap()
}

/// Waits for a journal entry of a call whose connection the client abandoned.
async fn journaled(emu: &Emulator, n: usize) {
    for _ in 0..200 {
        if emu.journal().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("journal never reached {n} entries");
}

#[tokio::test]
async fn status_before_applying_changes_nothing() {
    let emu = start();
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 504,
            apply: false,
        },
    ));
    let reply = call(&emu, "AllocateCredit", ALLOCATE).await;
    assert_eq!(reply.status, 504);
    assert_eq!(reply.json()["ErrorType"], "TimeoutFaultContract");
    assert_eq!(reply.json()["ErrorDetail"]["InjectedFault"], true);
    assert_eq!(balance(&emu), "0.00");
    let entry = last_entry(&emu);
    assert_eq!((entry.status, entry.applied), (504, false));
    // Used up: the next call is normal.
    call(&emu, "AllocateCredit", ALLOCATE).await.ok();
    assert_eq!(balance(&emu), "10.00");
}

#[tokio::test]
async fn status_after_applying_makes_the_change_and_still_fails() {
    let emu = start();
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 504,
            apply: true,
        },
    ));
    let reply = call(&emu, "AllocateCredit", ALLOCATE).await;
    assert_eq!(reply.status, 504);
    assert_eq!(balance(&emu), "10.00");
    let entry = last_entry(&emu);
    assert_eq!((entry.status, entry.applied), (504, true));
    for status in [500, 503, 429, 400] {
        emu.inject(Fault::once(
            "GetRoles",
            FaultKind::Status {
                status,
                apply: false,
            },
        ));
        let reply = call(&emu, "GetRoles", "{}").await;
        assert_eq!(reply.status, status);
        assert!(reply.json()["ErrorType"]
            .as_str()
            .unwrap()
            .ends_with("FaultContract"));
    }
    emu.inject(Fault::once(
        "GetRoles",
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    let reply = call_xml(&emu, "GetRoles", "{}").await;
    assert_eq!(reply.status, 500);
    assert!(reply
        .body
        .contains("<ErrorType>InternalFaultContract</ErrorType>"));
}

#[tokio::test]
async fn delay_then_normal_handling_and_abandoned_calls_are_journaled() {
    let emu = start();
    emu.inject(Fault::once("GetRoles", FaultKind::Delay { millis: 300 }));
    let started = Instant::now();
    call(&emu, "GetRoles", "{}").await.ok();
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A client that gives up during the delay: like the real service, the emulator still
    // finishes the operation; the journal shows it applied, with status 0 (nothing delivered).
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Delay { millis: 500 },
    ));
    let outcome = tokio::time::timeout(
        Duration::from_millis(100),
        try_call(&emu, "AllocateCredit", ALLOCATE),
    )
    .await;
    assert!(outcome.is_err(), "the call should have timed out");
    journaled(&emu, 2).await;
    let entry = last_entry(&emu);
    assert_eq!(
        (entry.method.as_str(), entry.status, entry.applied),
        ("AllocateCredit", 0, true)
    );
    assert_ne!(balance(&emu), "0.00");
}

#[tokio::test]
async fn drop_closes_the_connection_without_a_response() {
    let emu = start();
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Drop { apply: false },
    ));
    let err = try_call(&emu, "AllocateCredit", ALLOCATE)
        .await
        .unwrap_err();
    assert!(!err.is_empty());
    journaled(&emu, 1).await;
    let entry = last_entry(&emu);
    assert_eq!((entry.status, entry.applied), (0, false));
    assert_eq!(balance(&emu), "0.00");

    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Drop { apply: true },
    ));
    assert!(try_call(&emu, "AllocateCredit", ALLOCATE).await.is_err());
    journaled(&emu, 2).await;
    let entry = last_entry(&emu);
    assert_eq!((entry.status, entry.applied), (0, true));
    assert_eq!(balance(&emu), "10.00");
    // The server is fine afterwards.
    call(&emu, "GetRoles", "{}").await.ok();
}

#[tokio::test]
async fn body_sends_exactly_what_was_asked() {
    let emu = start();
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Body {
            status: 502,
            content_type: "text/plain".into(),
            body: "Bad Gateway from the proxy".into(),
            apply: true,
        },
    ));
    let reply = call(&emu, "AllocateCredit", ALLOCATE).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type(), "text/plain");
    assert_eq!(reply.body, "Bad Gateway from the proxy");
    assert_eq!(balance(&emu), "10.00");
    emu.inject(Fault::once(
        "GetRoles",
        FaultKind::Body {
            status: 200,
            content_type: "application/json".into(),
            body: String::new(),
            apply: false,
        },
    ));
    let reply = call(&emu, "GetRoles", "{}").await;
    assert_eq!((reply.status, reply.body.as_str()), (200, ""));
}

#[tokio::test]
async fn truncated_cuts_the_real_response_in_half() {
    let emu = start();
    let full = call(&emu, "GetAccount", r#"{"AccountId":1001}"#)
        .await
        .ok()
        .body;
    emu.inject(Fault::once(
        "GetAccount",
        FaultKind::Truncated { apply: false },
    ));
    let reply = call(&emu, "GetAccount", r#"{"AccountId":1001}"#).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), "application/json");
    assert_eq!(reply.body, full[..full.len() / 2]);
    assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_err());

    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Truncated { apply: false },
    ));
    let reply = call(&emu, "AllocateCredit", ALLOCATE).await;
    assert!(
        reply.body.starts_with(r#"{"AllocationId":2"#),
        "{}",
        reply.body
    );
    assert_eq!(balance(&emu), "0.00");
    assert!(!last_entry(&emu).applied);
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Truncated { apply: true },
    ));
    call(&emu, "AllocateCredit", ALLOCATE).await;
    assert_eq!(balance(&emu), "10.00");
    assert!(last_entry(&emu).applied);
}

#[tokio::test]
async fn xml_and_html_bodies_carry_the_asked_status() {
    let emu = start();
    emu.inject(Fault::once("GetRoles", FaultKind::Xml { status: 500 }));
    let reply = call(&emu, "GetRoles", "{}").await;
    assert_eq!(reply.status, 500);
    assert!(reply.content_type().starts_with("application/xml"));
    assert!(reply.body.starts_with("<Fault xmlns="), "{}", reply.body);
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Html { status: 502 },
    ));
    let reply = call(&emu, "AllocateCredit", ALLOCATE).await;
    assert_eq!(reply.status, 502);
    assert!(reply.content_type().starts_with("text/html"));
    assert!(
        reply.body.contains("<title>502 - Bad Gateway</title>"),
        "{}",
        reply.body
    );
    assert_eq!(balance(&emu), "0.00");
}

#[tokio::test]
async fn large_is_a_valid_padded_response_of_about_the_asked_size() {
    let emu = start();
    emu.inject(Fault::once(
        "GetAccount",
        FaultKind::Large { bytes: 3_000_000 },
    ));
    let reply = call(&emu, "GetAccount", r#"{"AccountId":1001}"#).await.ok();
    assert!(
        reply.body.len().abs_diff(3_000_000) < 64,
        "{}",
        reply.body.len()
    );
    let value = reply.json();
    assert_eq!(value["AccountId"], 1001);
    assert!(value["Padding"].as_str().unwrap().len() > 2_900_000);
    emu.inject(Fault::once(
        "RemoveUserFromAccount",
        FaultKind::Large { bytes: 1000 },
    ));
    let reply = call(&emu, "RemoveUserFromAccount", r#"{"UserId":101}"#)
        .await
        .ok();
    assert!(reply.json()["Padding"].is_string());
    assert_eq!(reply.body.len(), 1000);
    // Not applied.
    call(&emu, "GetUser", r#"{"UserId":101}"#).await.ok();
}

#[tokio::test]
async fn faults_fire_first_in_first_out_for_matching_calls_only() {
    let emu = start();
    emu.inject(Fault {
        method: None,
        times: 2,
        kind: FaultKind::Status {
            status: 500,
            apply: false,
        },
    });
    emu.inject(Fault::once(
        "GetRoles",
        FaultKind::Status {
            status: 503,
            apply: false,
        },
    ));
    emu.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 504,
            apply: false,
        },
    ));
    assert_eq!(emu.pending_faults().len(), 3);
    assert_eq!(call(&emu, "GetRoles", "{}").await.status, 500);
    assert_eq!(
        call(&emu, "GetAccount", r#"{"AccountId":1000}"#)
            .await
            .status,
        500
    );
    assert_eq!(call(&emu, "GetRoles", "{}").await.status, 503);
    assert_eq!(call(&emu, "GetRoles", "{}").await.status, 200);
    assert_eq!(call(&emu, "AllocateCredit", ALLOCATE).await.status, 504);
    assert!(emu.pending_faults().is_empty());

    // Calls rejected before the operation (404, 405, 401) do not use up faults.
    emu.inject(Fault {
        method: None,
        times: 1,
        kind: FaultKind::Status {
            status: 500,
            apply: false,
        },
    });
    send(
        emu.addr(),
        "POST",
        "/WebApi/ResellerServices/GetRoles",
        &[],
        Some("{}"),
    )
    .await
    .unwrap();
    call(&emu, "Nope", "{}").await;
    assert_eq!(emu.pending_faults().len(), 1);
    emu.clear_faults();
    call(&emu, "GetRoles", "{}").await.ok();
}

#[tokio::test]
async fn faults_read_and_write_their_json_form() {
    let fault: Fault = serde_json::from_str(
        r#"{"method":"AllocateCredit","times":2,"kind":"status","status":504,"apply":true}"#,
    )
    .unwrap();
    assert_eq!(
        fault,
        Fault {
            method: Some("AllocateCredit".into()),
            times: 2,
            kind: FaultKind::Status {
                status: 504,
                apply: true
            }
        }
    );
    let defaults: Fault = serde_json::from_str(r#"{"kind":"large","bytes":10}"#).unwrap();
    assert_eq!((defaults.method, defaults.times), (None, 1));
    let written = serde_json::to_value(&fault).unwrap();
    assert_eq!(
        written,
        json!({"method":"AllocateCredit","times":2,"kind":"status","status":504,"apply":true})
    );
    for kind in [
        FaultKind::Delay { millis: 5 },
        FaultKind::Drop { apply: true },
        FaultKind::Body {
            status: 418,
            content_type: "text/plain".into(),
            body: "b".into(),
            apply: false,
        },
        FaultKind::Truncated { apply: false },
        FaultKind::Xml { status: 502 },
        FaultKind::Html { status: 503 },
        FaultKind::Large { bytes: 1 << 20 },
    ] {
        let fault = Fault {
            method: None,
            times: 3,
            kind,
        };
        let text = serde_json::to_string(&fault).unwrap();
        assert_eq!(
            serde_json::from_str::<Fault>(&text).unwrap(),
            fault,
            "{text}"
        );
    }
    assert!(serde_json::from_str::<Fault>(r#"{"kind":"explode"}"#).is_err());
    assert!(serde_json::from_str::<Fault>(r#"{"kind":"status"}"#).is_err());
}

#[tokio::test]
async fn body_base64_sends_bytes_that_are_not_utf8() {
    let emu = start();
    let fault = Fault::from_value(&json!({
        "method": "GetRoles", "kind": "body", "status": 200,
        "content_type": "", "body_base64": "/3t9/w==", "apply": false
    }))
    .unwrap();
    assert_eq!(
        fault.kind,
        FaultKind::BodyBytes {
            status: 200,
            content_type: String::new(),
            body: vec![0xFF, b'{', b'}', 0xFF],
            apply: false,
        }
    );
    // The JSON form reads back the same (the control endpoint lists pending faults this way).
    let listed = serde_json::to_value(&fault).unwrap();
    assert_eq!(listed["kind"], "body");
    assert_eq!(listed["body_base64"], "/3t9/w==");
    assert_eq!(Fault::from_value(&listed).unwrap(), fault);
    emu.inject(fault);
    let reply = call(&emu, "GetRoles", "{}").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.content_type(),
        "",
        "an empty content type sends no header"
    );
    assert!(reply.headers.get("content-type").is_none());
    assert_eq!(reply.body, "\u{FFFD}{}\u{FFFD}");
    for bad in [
        json!({"kind": "body", "status": 200, "body_base64": "not base64!"}),
        json!({"kind": "body", "status": 200, "body_base64": 7}),
        json!({"kind": "body", "status": 200, "body": "x", "body_base64": "eA=="}),
    ] {
        assert!(Fault::from_value(&bad).is_err(), "{bad}");
    }
}
