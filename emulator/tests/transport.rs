//! The service's transport rules: paths, verbs, auth, content negotiation, body parsing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{auth, base_path, basic, call, call_xml, send, start};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};

#[tokio::test]
async fn both_base_paths_serve_every_operation() {
    let emu = start();
    assert!(emu.base_url().ends_with("/WebApi/ResellerServices"));
    assert!(emu.alt_base_url().ends_with("/WebApi/ResellerService"));
    let auth = auth(&emu);
    for path in [
        "/WebApi/ResellerServices/GetRoles",
        "/WebApi/ResellerService/GetRoles",
    ] {
        let reply = send(
            emu.addr(),
            "POST",
            path,
            &[("authorization", &auth), ("accept", "application/json")],
            Some("{}"),
        )
        .await
        .unwrap()
        .ok();
        assert!(reply.content_type().starts_with("application/json"));
        assert_eq!(reply.json()["Roles"].as_array().unwrap().len(), 5);
    }
}

#[tokio::test]
async fn missing_or_wrong_credentials_are_401_with_the_vendor_body() {
    let emu = start();
    let path = format!("{}/GetRoles", base_path(&emu));
    let wrong = basic("reseller", "nope");
    let cases: [&[(&str, &str)]; 3] = [
        &[("accept", "application/json")],
        &[("accept", "application/json"), ("authorization", &wrong)],
        &[
            ("accept", "application/json"),
            ("authorization", "Bearer abc"),
        ],
    ];
    for headers in cases {
        let reply = send(emu.addr(), "POST", &path, headers, Some("{}"))
            .await
            .unwrap();
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.json(),
            serde_json::json!({"ErrorDetail":{"Message":"Invalid user name or password."},"ErrorType":"AuthenticationFaultContract"})
        );
        assert!(reply.headers.contains_key("www-authenticate"));
    }
    // The scheme name is case-insensitive.
    let lower = auth(&emu).replacen("Basic", "basic", 1);
    let reply = send(
        emu.addr(),
        "POST",
        &path,
        &[("accept", "application/json"), ("authorization", &lower)],
        Some("{}"),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(emu.calls("GetRoles"), 4);
    assert_eq!(emu.journal().iter().filter(|e| e.status == 401).count(), 3);
}

#[tokio::test]
async fn configured_credentials_are_the_ones_accepted() {
    let emu = Emulator::start(EmulatorConfig {
        username: "someone".into(),
        password: "Other-Passw0rd".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(emu.username(), "someone");
    call(&emu, "GetRoles", "{}").await.ok();
}

#[tokio::test]
async fn unknown_method_is_404_and_other_verbs_are_405_both_journaled() {
    let emu = start();
    let base = base_path(&emu);
    let auth = auth(&emu);
    let headers = [
        ("authorization", auth.as_str()),
        ("accept", "application/json"),
    ];
    let reply = send(
        emu.addr(),
        "POST",
        &format!("{base}/NoSuchMethod"),
        &headers,
        Some("{}"),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("NoSuchMethod"));
    // Method names are case-sensitive.
    let reply = send(
        emu.addr(),
        "POST",
        &format!("{base}/getroles"),
        &headers,
        Some("{}"),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 404);
    for verb in ["GET", "PUT", "DELETE"] {
        let reply = send(
            emu.addr(),
            verb,
            &format!("{base}/GetRoles"),
            &headers,
            None,
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 405, "{verb}");
        assert_eq!(reply.headers["allow"], "POST");
    }
    let journal = emu.journal();
    let statuses: Vec<(String, String, u16)> = journal
        .iter()
        .map(|e| (e.method.clone(), e.http_method.clone(), e.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("NoSuchMethod".into(), "POST".into(), 404),
            ("getroles".into(), "POST".into(), 404),
            ("GetRoles".into(), "GET".into(), 405),
            ("GetRoles".into(), "PUT".into(), 405),
            ("GetRoles".into(), "DELETE".into(), 405),
        ]
    );
    assert!(journal.iter().all(|e| !e.applied));
    // Paths outside the service are plain 404s, not journaled.
    let reply = send(emu.addr(), "POST", "/elsewhere", &headers, Some("{}"))
        .await
        .unwrap();
    assert_eq!(reply.status, 404);
    assert_eq!(emu.journal().len(), 5);
}

#[tokio::test]
async fn without_json_accept_results_and_errors_are_xml() {
    let emu = start();
    let reply = call_xml(&emu, "GetAccount", r#"{"AccountId":1001}"#)
        .await
        .ok();
    assert!(
        reply.content_type().starts_with("application/xml"),
        "{}",
        reply.content_type()
    );
    assert!(
        reply.body.starts_with("<GetAccountResponse xmlns="),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<AccountId>1001</AccountId>"));
    assert!(reply
        .body
        .contains("<AccountName>Acme Retail</AccountName>"));
    assert!(reply
        .body
        .contains("<ParentAccountId>1000</ParentAccountId>"));
    assert!(reply.body.contains("<RoleIds/>") || reply.body.contains("<RoleIds></RoleIds>"));

    let reply = call_xml(&emu, "GetCreditAllocations", r#"{"AccountId":1001}"#)
        .await
        .ok();
    assert!(
        reply.body.contains("<Allocations><CreditAllocation>"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("<Amount>250.00</Amount>"));
    assert!(reply.body.contains("<Reference>OPENING-1001</Reference>"));

    let reply = call_xml(&emu, "GetAccount", r#"{"AccountId":5000}"#).await;
    assert_eq!(reply.status, 400);
    assert!(reply.content_type().starts_with("application/xml"));
    assert!(
        reply
            .body
            .contains("<Message>Account 5000 not found.</Message>"),
        "{}",
        reply.body
    );
    assert!(reply
        .body
        .contains("<ErrorType>ArgumentFaultContract</ErrorType>"));

    let reply = send(
        emu.addr(),
        "POST",
        &format!("{}/GetRoles", base_path(&emu)),
        &[("accept", "application/xml")],
        Some("{}"),
    )
    .await
    .unwrap();
    assert_eq!(reply.status, 401);
    assert!(reply
        .body
        .contains("<Message>Invalid user name or password.</Message>"));
}

#[tokio::test]
async fn xml_escapes_text_and_renders_null_as_nil() {
    let emu = start();
    let created = call(
        &emu,
        "CreateAccount",
        r#"{"AccountName":"Fish & Chips <Ltd>"}"#,
    )
    .await
    .ok()
    .json();
    let id = created["AccountId"].as_i64().unwrap();
    let reply = call_xml(&emu, "GetAccount", &format!(r#"{{"AccountId":{id}}}"#))
        .await
        .ok();
    assert!(reply
        .body
        .contains("<AccountName>Fish &amp; Chips &lt;Ltd&gt;</AccountName>"));
    assert!(reply.body.contains("<Notes i:nil=\"true\"/>"));
}

#[tokio::test]
async fn missing_malformed_and_mistyped_bodies_are_400_argument_faults() {
    let emu = start();
    for body in ["", "null", "  "] {
        call(&emu, "GetAccount", body)
            .await
            .rejected("Value cannot be null. Parameter name: request");
    }
    call(&emu, "GetAccount", "{\"AccountId\":")
        .await
        .rejected("not valid JSON");
    call(&emu, "GetAccount", "[1000]")
        .await
        .rejected("must be a JSON object");
    call(&emu, "GetAccount", r#"{"AccountId":"1000"}"#)
        .await
        .rejected("AccountId must be a 32-bit integer");
    call(&emu, "GetAccount", r#"{"AccountId":1000.5}"#)
        .await
        .rejected("AccountId must be a 32-bit integer");
    call(&emu, "GetAccount", r#"{"AccountId":3000000000}"#)
        .await
        .rejected("AccountId must be a 32-bit integer");
    call(&emu, "UpdateUser", r#"{"UserId":100,"Enabled":"yes"}"#)
        .await
        .rejected("Enabled must be true or false");
    call(&emu, "CreateAccount", r#"{"AccountName":42}"#)
        .await
        .rejected("AccountName must be a string");
    call(&emu, "GetAccount", "{}")
        .await
        .rejected("AccountId is required");
    call(&emu, "GetAccount", r#"{"AccountId":null}"#)
        .await
        .rejected("AccountId is required");
    // Methods with no required field accept a missing body.
    call(&emu, "GetRoles", "").await.ok();
    call(&emu, "GetAccounts", "").await.ok();
    call(&emu, "GetAvailableInboundNumbers", "").await.ok();
}

#[tokio::test]
async fn unknown_request_fields_are_ignored_and_records_carry_extra_fields() {
    let emu = start();
    let account = call(
        &emu,
        "GetAccount",
        r#"{"AccountId":1001,"Surprise":{"x":[1,2]}}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(account["BillingReference"], "BR-1001");
    assert_eq!(account["CreatedDate"], "2025-01-01T00:00:00Z");
    assert!(account["ParentAccountId"] == 1000);
    let user = call(&emu, "GetUser", r#"{"UserId":100}"#).await.ok().json();
    assert!(user.get("CreatedDate").is_some());
    assert!(user.get("Password").is_none());
    let roles = call(&emu, "GetRoles", "{}").await.ok().json();
    assert_eq!(roles["Roles"][0]["IsSystemRole"], true);
    let numbers = call(
        &emu,
        "GetAvailableInboundNumbers",
        r#"{"CountryCode":"DE"}"#,
    )
    .await
    .ok()
    .json();
    assert!(numbers["Numbers"][0]["Capabilities"].is_array());
}

#[tokio::test]
async fn journal_redacts_authorization_and_keeps_headers_and_body() {
    let emu = start();
    call(&emu, "GetAccount", r#"{"AccountId":1001}"#).await.ok();
    let journal = emu.journal();
    assert_eq!(journal.len(), 1);
    let entry = &journal[0];
    assert_eq!(entry.seq, 1);
    assert_eq!(entry.method, "GetAccount");
    assert_eq!(entry.path, "/WebApi/ResellerServices/GetAccount");
    assert_eq!(entry.body, r#"{"AccountId":1001}"#);
    assert_eq!(entry.status, 200);
    assert!(entry.applied);
    let header = |name: &str| {
        entry
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("authorization").as_deref(), Some("<redacted>"));
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert!(!format!("{journal:?}").contains(emu.password()));
    emu.clear_journal();
    assert!(emu.journal().is_empty());
    assert_eq!(emu.calls("GetAccount"), 0);
}

#[test]
fn starts_and_stops_from_plain_sync_code() {
    let emu = start();
    let addr = emu.addr();
    assert!(addr.ip().is_loopback());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let reply = runtime.block_on(call(&emu, "GetRoles", "{}"));
    assert_eq!(reply.status, 200);
    emu.shutdown();
    let after = runtime.block_on(common::send(addr, "POST", "/", &[], None));
    assert!(after.is_err(), "still serving after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_inside_a_multi_thread_runtime_and_serves_concurrently() {
    let emu = std::sync::Arc::new(start());
    let mut tasks = Vec::new();
    for i in 0..32 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            call(
                &emu,
                "GetCreditBalance",
                &format!(r#"{{"AccountId":{}}}"#, 1000 + i % 4),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(emu.calls("GetCreditBalance"), 32);
}

#[test]
fn the_handle_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Emulator>();
}
