//! Every operation against state that persists across calls.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, start};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

#[tokio::test]
async fn accounts_are_created_read_listed_updated_and_given_a_status() {
    let emu = start();
    let root = call(&emu, "GetAccount", r#"{"AccountId":1000}"#)
        .await
        .ok()
        .json();
    assert_eq!(root["ParentAccountId"], serde_json::Value::Null);
    assert_eq!(root["Status"], "Active");
    let created = call(
        &emu,
        "CreateAccount",
        r#"{"AccountName":"Initrode","ParentAccountId":1001,"ContactEmailAddress":"a@initrode.example.com","CountryCode":"US","TimeZone":"America/Chicago","Notes":"n"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(created["AccountId"], 1004);
    assert_eq!(created["ParentAccountId"], 1001);
    assert_eq!(created["Status"], "Active");
    assert!(created["CreatedDate"].as_str().unwrap().ends_with('Z'));
    let default_parent = call(&emu, "CreateAccount", r#"{"AccountName":"Top"}"#)
        .await
        .ok()
        .json();
    assert_eq!(default_parent["AccountId"], 1005);
    assert_eq!(default_parent["ParentAccountId"], 1000);

    let children = call(&emu, "GetAccounts", r#"{"ParentAccountId":1001}"#)
        .await
        .ok()
        .json();
    let ids: Vec<_> = children["Accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1003, 1004]);

    let updated = call(
        &emu,
        "UpdateAccount",
        r#"{"AccountId":1004,"AccountName":"Initrode Inc","Notes":"changed"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(updated["AccountName"], "Initrode Inc");
    assert_eq!(updated["TimeZone"], "America/Chicago");
    let read = call(&emu, "GetAccount", r#"{"AccountId":1004}"#)
        .await
        .ok()
        .json();
    assert_eq!(read, updated);

    for status in ["Suspended", "Closed", "Active"] {
        let account = call(
            &emu,
            "SetAccountStatus",
            &json!({"AccountId":1004,"Status":status}).to_string(),
        )
        .await
        .ok()
        .json();
        assert_eq!(account["Status"], status);
    }
    let state = emu.state();
    assert_eq!(state["accounts"].as_array().unwrap().len(), 6);
    assert_eq!(state["foreign_accounts"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn users_are_added_read_updated_reset_and_removed() {
    let emu = start();
    let added = call(
        &emu,
        "AddUserToAccount",
        r#"{"AccountId":1002,"Username":"dave","Password":"Passw0rd!x","Firstname":"Dave","LastName":"Jones","EmailAddress":"dave@example.com","MobilePhoneNumber":"+447700900555","LandlinePhoneNumber":"+442079460555","Notes":"hi","ChangePasswordAtNextLogon":true}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(added, json!({"UserId": 103}));
    let read = call(&emu, "GetUser", r#"{"UserId":103}"#).await.ok().json();
    assert_eq!(read["Firstname"], "Dave");
    assert_eq!(read["LastName"], "Jones");
    assert_eq!(read["AccountId"], 1002);
    assert_eq!(read["Enabled"], true);
    assert_eq!(read["RoleIds"], json!([]));
    let listed = call(&emu, "GetUsers", r#"{"AccountId":1002}"#)
        .await
        .ok()
        .json();
    let names: Vec<_> = listed["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["carol.ops", "dave"]);

    let updated = call(
        &emu,
        "UpdateUser",
        r#"{"UserId":103,"Firstname":"David","Enabled":false,"Notes":"n2"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(updated["Firstname"], "David");
    assert_eq!(updated["Enabled"], false);
    assert_eq!(updated["LastName"], "Jones");

    let reply = call(
        &emu,
        "ResetUserPassword",
        r#"{"UserId":103,"NewPassword":"Brand-New-1","ChangePasswordAtNextLogon":false}"#,
    )
    .await
    .ok();
    assert_eq!(reply.body, "");
    let dumped = emu.state()["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["UserId"] == 103)
        .cloned()
        .unwrap();
    assert_eq!(dumped["Password"], "Brand-New-1");
    assert_eq!(dumped["ChangePasswordAtNextLogon"], false);

    call(&emu, "RemoveUserFromAccount", r#"{"UserId":103}"#)
        .await
        .ok();
    call(&emu, "GetUser", r#"{"UserId":103}"#)
        .await
        .rejected("User 103 not found");
    // The name is free again.
    let again = call(
        &emu,
        "AddUserToAccount",
        r#"{"AccountId":1002,"Username":"dave","Password":"Passw0rd!x","Firstname":"D","LastName":"J","EmailAddress":"d@example.com","MobilePhoneNumber":"+447700900555","LandlinePhoneNumber":"+442079460555"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(again["UserId"], 104);
}

#[tokio::test]
async fn roles_are_listed_and_assigned_to_users_and_accounts() {
    let emu = start();
    let roles = call(&emu, "GetRoles", "{}").await.ok().json();
    let names: Vec<_> = roles["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["RoleName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        vec![
            "Administrator",
            "AccountManager",
            "Billing",
            "Reporting",
            "Messaging"
        ]
    );
    for _ in 0..2 {
        call(&emu, "AssignRoleToUser", r#"{"UserId":102,"RoleId":4}"#)
            .await
            .ok();
    }
    call(&emu, "AssignRoleToUser", r#"{"UserId":102,"RoleId":2}"#)
        .await
        .ok();
    let user = call(&emu, "GetUser", r#"{"UserId":102}"#).await.ok().json();
    assert_eq!(user["RoleIds"], json!([2, 4]));
    call(&emu, "RemoveRoleFromUser", r#"{"UserId":102,"RoleId":4}"#)
        .await
        .ok();
    let user = call(&emu, "GetUser", r#"{"UserId":102}"#).await.ok().json();
    assert_eq!(user["RoleIds"], json!([2]));

    call(
        &emu,
        "AssignRoleToAccount",
        r#"{"AccountId":1001,"RoleId":5}"#,
    )
    .await
    .ok();
    let account = call(&emu, "GetAccount", r#"{"AccountId":1001}"#)
        .await
        .ok()
        .json();
    assert_eq!(account["RoleIds"], json!([5]));
    call(
        &emu,
        "RemoveRoleFromAccount",
        r#"{"AccountId":1001,"RoleId":5}"#,
    )
    .await
    .ok();
    let account = call(&emu, "GetAccount", r#"{"AccountId":1001}"#)
        .await
        .ok()
        .json();
    assert_eq!(account["RoleIds"], json!([]));
}

#[tokio::test]
async fn credit_is_an_exact_ledger() {
    let emu = start();
    let balance = call(&emu, "GetCreditBalance", r#"{"AccountId":1002}"#)
        .await
        .ok();
    assert_eq!(
        balance.body,
        r#"{"AccountId":1002,"Balance":0.00,"Currency":"GBP"}"#
    );
    let first = call(
        &emu,
        "AllocateCredit",
        r#"{"AccountId":1002,"Amount":0.1,"Reference":"r-1"}"#,
    )
    .await
    .ok();
    assert!(first.body.contains(r#""Amount":0.1,"#), "{}", first.body);
    assert!(
        first.body.contains(r#""BalanceAfter":0.10"#),
        "{}",
        first.body
    );
    let second = call(
        &emu,
        "AllocateCredit",
        r#"{"AccountId":1002,"Amount":"0.2","Reference":"r-2"}"#,
    )
    .await
    .ok();
    assert!(
        second.body.contains(r#""BalanceAfter":0.30"#),
        "{}",
        second.body
    );
    let big = call(
        &emu,
        "AllocateCredit",
        r#"{"AccountId":1002,"Amount":12345678901234567.89}"#,
    )
    .await
    .ok();
    assert!(
        big.body.contains(r#""Amount":12345678901234567.89,"#),
        "{}",
        big.body
    );
    assert!(
        big.body.contains(r#""BalanceAfter":12345678901234568.19"#),
        "{}",
        big.body
    );
    let ids: Vec<i64> = [&first, &second, &big]
        .iter()
        .map(|r| r.json()["AllocationId"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![2, 3, 4]);
    let balance = call(&emu, "GetCreditBalance", r#"{"AccountId":1002}"#)
        .await
        .ok();
    assert!(balance.body.contains(r#""Balance":12345678901234568.19"#));

    let all = call(&emu, "GetCreditAllocations", r#"{"AccountId":1002}"#)
        .await
        .ok()
        .json();
    let refs: Vec<_> = all["Allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Reference"].clone())
        .collect();
    assert_eq!(refs, vec![json!("r-1"), json!("r-2"), json!(null)]);

    // 1001's opening allocation is dated 2026-01-01; the end bound is exclusive.
    let count = |body: serde_json::Value| body["Allocations"].as_array().unwrap().len();
    for (filter, expected) in [
        (r#""StartDate":"2026-01-01T00:00:00Z""#, 1),
        (r#""EndDate":"2026-01-01T00:00:00Z""#, 0),
        (r#""EndDate":"/Date(1767225601000)/""#, 1),
        (r#""StartDate":"2025-12-31","EndDate":"2026-01-02""#, 1),
        (r#""StartDate":"2026-01-01T00:00:01+00:00""#, 0),
    ] {
        let body = format!(r#"{{"AccountId":1001,{filter}}}"#);
        let reply = call(&emu, "GetCreditAllocations", &body).await.ok().json();
        assert_eq!(count(reply), expected, "{filter}");
    }
    assert_eq!(
        emu.state()["balances"]["1002"].to_string(),
        "12345678901234568.19"
    );
}

#[tokio::test]
async fn numbers_move_between_the_pool_and_accounts() {
    let emu = start();
    let gb_long = call(
        &emu,
        "GetAvailableInboundNumbers",
        r#"{"CountryCode":"GB","NumberType":"LongCode"}"#,
    )
    .await
    .ok()
    .json();
    let numbers = gb_long["Numbers"].as_array().unwrap();
    assert_eq!(numbers.len(), 9, "one of the ten is allocated to 1001");
    assert!(numbers
        .iter()
        .all(|n| n["CountryCode"] == "GB" && n["NumberType"] == "LongCode"));
    let all = call(&emu, "GetAvailableInboundNumbers", "{}")
        .await
        .ok()
        .json();
    assert_eq!(all["Numbers"].as_array().unwrap().len(), 38);
    let us = call(
        &emu,
        "GetAvailableInboundNumbers",
        r#"{"CountryCode":"us"}"#,
    )
    .await
    .ok();
    assert!(us.body.contains(r#""MonthlyCost":1.15"#));
    assert!(us.body.contains(r#""MonthlyCost":500.00"#));

    let allocated = call(
        &emu,
        "AllocateInboundNumber",
        r#"{"AccountId":1002,"Number":"+12025550100"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(allocated["AccountId"], 1002);
    assert!(allocated["AllocatedDate"].is_string());
    let held = call(&emu, "GetAllocatedInboundNumbers", r#"{"AccountId":1002}"#)
        .await
        .ok()
        .json();
    assert_eq!(held["Numbers"][0]["Number"], "+12025550100");
    let all = call(&emu, "GetAvailableInboundNumbers", "{}")
        .await
        .ok()
        .json();
    assert_eq!(all["Numbers"].as_array().unwrap().len(), 37);

    call(
        &emu,
        "ReleaseInboundNumber",
        r#"{"AccountId":1002,"Number":"+12025550100"}"#,
    )
    .await
    .ok();
    let held = call(&emu, "GetAllocatedInboundNumbers", r#"{"AccountId":1002}"#)
        .await
        .ok()
        .json();
    assert_eq!(held["Numbers"], json!([]));
    let preallocated = call(&emu, "GetAllocatedInboundNumbers", r#"{"AccountId":1001}"#)
        .await
        .ok()
        .json();
    assert_eq!(preallocated["Numbers"][0]["Number"], "+447700900100");
}

#[tokio::test]
async fn empty_mode_has_only_the_root_roles_and_pool() {
    let emu = Emulator::start(EmulatorConfig {
        empty: true,
        ..Default::default()
    })
    .unwrap();
    let state = emu.state();
    assert_eq!(state["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(state["users"], json!([]));
    assert_eq!(state["ledger"], json!([]));
    assert_eq!(state["roles"].as_array().unwrap().len(), 5);
    let available = call(&emu, "GetAvailableInboundNumbers", "{}")
        .await
        .ok()
        .json();
    assert_eq!(available["Numbers"].as_array().unwrap().len(), 39);
    let created = call(&emu, "CreateAccount", r#"{"AccountName":"First"}"#)
        .await
        .ok()
        .json();
    assert_eq!(created["AccountId"], 1001);
    let allocation = call(&emu, "AllocateCredit", r#"{"AccountId":1001,"Amount":10}"#)
        .await
        .ok()
        .json();
    assert_eq!(allocation["AllocationId"], 1);
}

#[tokio::test]
async fn reset_restores_the_initial_state() {
    let emu = start();
    let initial = emu.state();
    call(&emu, "CreateAccount", r#"{"AccountName":"Temp"}"#)
        .await
        .ok();
    call(&emu, "AllocateCredit", r#"{"AccountId":1001,"Amount":1}"#)
        .await
        .ok();
    assert_ne!(emu.state(), initial);
    emu.inject(cpaas_reseller_emulator::Fault::once(
        "GetRoles",
        cpaas_reseller_emulator::FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    emu.reset();
    assert_eq!(emu.state(), initial);
    assert!(emu.journal().is_empty());
    assert!(emu.pending_faults().is_empty());
    call(&emu, "GetRoles", "{}").await.ok();
    assert_eq!(emu.journal()[0].seq, 1);
}
