//! Every server-side rule of the contract: a 400 ArgumentFaultContract naming the field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, start};
use serde_json::{json, Value};

fn user(overrides: Value) -> String {
    let mut body = json!({
        "AccountId": 1001,
        "Username": "new.user",
        "Password": "Secret123x",
        "Firstname": "New",
        "LastName": "User",
        "EmailAddress": "new.user@example.com",
        "MobilePhoneNumber": "+447700900123",
        "LandlinePhoneNumber": "+442079460000",
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body.to_string()
}

#[tokio::test]
async fn add_user_requires_every_documented_field() {
    let emu = start();
    for field in [
        "AccountId",
        "Username",
        "Password",
        "Firstname",
        "LastName",
        "EmailAddress",
        "MobilePhoneNumber",
        "LandlinePhoneNumber",
    ] {
        let mut body: Value = serde_json::from_str(&user(json!({}))).unwrap();
        body.as_object_mut().unwrap().remove(field);
        call(&emu, "AddUserToAccount", &body.to_string())
            .await
            .rejected(&format!("{field} is required"));
        if field != "AccountId" {
            call(&emu, "AddUserToAccount", &user(json!({ field: "  " })))
                .await
                .rejected(&format!("{field} is required"));
        }
    }
    assert_eq!(emu.journal().iter().filter(|e| e.applied).count(), 0);
}

#[tokio::test]
async fn password_must_be_long_and_complex() {
    let emu = start();
    for bad in ["Secret12", "secretpassword", "123456789", "Sécret12"] {
        call(&emu, "AddUserToAccount", &user(json!({ "Password": bad })))
            .await
            .rejected("Password must be more than 8 characters");
    }
    // Nine characters with a letter and a digit is enough; non-ASCII letters count.
    call(
        &emu,
        "AddUserToAccount",
        &user(json!({ "Password": "abcdefgh1" })),
    )
    .await
    .ok();
    call(
        &emu,
        "AddUserToAccount",
        &user(json!({ "Username": "other", "Password": "Sécret123" })),
    )
    .await
    .ok();
    call(
        &emu,
        "ResetUserPassword",
        r#"{"UserId":100,"NewPassword":"short1"}"#,
    )
    .await
    .rejected("NewPassword must be more than 8 characters");
}

#[tokio::test]
async fn phone_numbers_must_be_e164() {
    let emu = start();
    for field in ["MobilePhoneNumber", "LandlinePhoneNumber"] {
        for bad in [
            "07700900123",
            "+07700900123",
            "+1234567",
            "+1234567890123456",
            "+44 7700 900123",
            "+44-7700900123",
            "",
        ] {
            let reply = call(&emu, "AddUserToAccount", &user(json!({ field: bad }))).await;
            if bad.is_empty() {
                reply.rejected(&format!("{field} is required"));
            } else {
                reply.rejected(&format!("{field} must be an E.164 number"));
            }
        }
    }
    // Boundaries: 8 and 15 digits.
    call(
        &emu,
        "AddUserToAccount",
        &user(json!({ "MobilePhoneNumber": "+12345678" })),
    )
    .await
    .ok();
    call(
        &emu,
        "UpdateUser",
        r#"{"UserId":100,"MobilePhoneNumber":"+123456789012345"}"#,
    )
    .await
    .ok();
    call(
        &emu,
        "UpdateUser",
        r#"{"UserId":100,"LandlinePhoneNumber":"12345"}"#,
    )
    .await
    .rejected("LandlinePhoneNumber must be an E.164 number");
    call(
        &emu,
        "AllocateInboundNumber",
        r#"{"AccountId":1001,"Number":"447700900101"}"#,
    )
    .await
    .rejected("Number must be an E.164 number");
}

#[tokio::test]
async fn email_addresses_must_look_like_email_addresses() {
    let emu = start();
    for bad in [
        "plain",
        "a@b",
        "@example.com",
        "a b@example.com",
        "a@@example.com",
        "a@example.",
    ] {
        call(
            &emu,
            "AddUserToAccount",
            &user(json!({ "EmailAddress": bad })),
        )
        .await
        .rejected("EmailAddress is not a valid e-mail address");
    }
    call(&emu, "UpdateUser", r#"{"UserId":100,"EmailAddress":"x"}"#)
        .await
        .rejected("EmailAddress is not a valid e-mail address");
    call(
        &emu,
        "CreateAccount",
        r#"{"AccountName":"X","ContactEmailAddress":"nope"}"#,
    )
    .await
    .rejected("ContactEmailAddress is not a valid e-mail address");
}

#[tokio::test]
async fn usernames_are_unique_across_the_service() {
    let emu = start();
    call(&emu, "AddUserToAccount", &user(json!({}))).await.ok();
    for taken in ["new.user", "NEW.USER", "alice.admin", "mallory"] {
        call(
            &emu,
            "AddUserToAccount",
            &user(json!({ "Username": taken, "AccountId": 1002 })),
        )
        .await
        .rejected("is already in use");
    }
}

#[tokio::test]
async fn other_resellers_accounts_and_users_are_not_found() {
    let emu = start();
    for id in [5000, 5001, 424242] {
        let body = format!(r#"{{"AccountId":{id}}}"#);
        let message = format!("Account {id} not found");
        for method in [
            "GetAccount",
            "GetUsers",
            "GetCreditBalance",
            "GetCreditAllocations",
            "GetAllocatedInboundNumbers",
        ] {
            call(&emu, method, &body).await.rejected(&message);
        }
        call(
            &emu,
            "AllocateCredit",
            &format!(r#"{{"AccountId":{id},"Amount":1}}"#),
        )
        .await
        .rejected(&message);
        call(
            &emu,
            "SetAccountStatus",
            &format!(r#"{{"AccountId":{id},"Status":"Closed"}}"#),
        )
        .await
        .rejected(&message);
        call(
            &emu,
            "CreateAccount",
            &format!(r#"{{"AccountName":"x","ParentAccountId":{id}}}"#),
        )
        .await
        .rejected(&message);
        call(&emu, "AddUserToAccount", &user(json!({ "AccountId": id })))
            .await
            .rejected(&message);
        call(
            &emu,
            "GetChargeableActivity",
            &format!(r#"{{"AccountId":{id},"StartDate":"2026-01-01","EndDate":"2026-01-02"}}"#),
        )
        .await
        .rejected(&message);
        call(
            &emu,
            "GetAccounts",
            &format!(r#"{{"ParentAccountId":{id}}}"#),
        )
        .await
        .rejected(&message);
    }
    for method in ["GetUser", "RemoveUserFromAccount"] {
        call(&emu, method, r#"{"UserId":900}"#)
            .await
            .rejected("User 900 not found");
    }
    call(&emu, "AssignRoleToUser", r#"{"UserId":900,"RoleId":1}"#)
        .await
        .rejected("User 900 not found");
    let accounts = call(&emu, "GetAccounts", "{}").await.ok().json();
    let ids: Vec<i64> = accounts["Accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1000, 1001, 1002, 1003]);
}

#[tokio::test]
async fn amounts_must_be_positive_exact_decimals() {
    let emu = start();
    for bad in ["0", "-1", "0.00", "\"-0.01\""] {
        call(
            &emu,
            "AllocateCredit",
            &format!(r#"{{"AccountId":1001,"Amount":{bad}}}"#),
        )
        .await
        .rejected("Amount must be greater than 0");
    }
    for bad in ["\"abc\"", "\"\"", "\" 1\"", "true", "[1]"] {
        call(
            &emu,
            "AllocateCredit",
            &format!(r#"{{"AccountId":1001,"Amount":{bad}}}"#),
        )
        .await
        .rejected("Amount must be a decimal amount");
    }
    call(&emu, "AllocateCredit", r#"{"AccountId":1001}"#)
        .await
        .rejected("Amount is required");
    assert_eq!(emu.state()["ledger"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn start_date_must_not_follow_end_date_and_dates_must_parse() {
    let emu = start();
    call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-02-01T00:00:00Z","EndDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .rejected("StartDate must not be after EndDate");
    call(
        &emu,
        "GetCreditAllocations",
        r#"{"AccountId":1001,"StartDate":"2026-02-01","EndDate":"2026-01-01"}"#,
    )
    .await
    .rejected("StartDate must not be after EndDate");
    call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"yesterday","EndDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .rejected("StartDate must be an ISO 8601 date");
    call(
        &emu,
        "GetChargeableActivity",
        r#"{"EndDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .rejected("StartDate is required");
    call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .rejected("EndDate is required");
    // Equal bounds are allowed (and empty).
    let reply = call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .ok();
    assert_eq!(reply.json()["Activities"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn enumerations_are_checked() {
    let emu = start();
    call(
        &emu,
        "SetAccountStatus",
        r#"{"AccountId":1001,"Status":"Frozen"}"#,
    )
    .await
    .rejected("Status must be one of Active, Suspended, Closed");
    call(
        &emu,
        "SetAccountStatus",
        r#"{"AccountId":1001,"Status":"active"}"#,
    )
    .await
    .rejected("Status must be one of");
    call(&emu, "SetAccountStatus", r#"{"AccountId":1001}"#)
        .await
        .rejected("Status is required");
    call(
        &emu,
        "GetAvailableInboundNumbers",
        r#"{"NumberType":"Mobile"}"#,
    )
    .await
    .rejected("NumberType must be one of LongCode, ShortCode, TollFree");
}

#[tokio::test]
async fn country_codes_and_time_zones_are_checked() {
    let emu = start();
    for bad in ["GBR", "G", "1A", ""] {
        let reply = call(
            &emu,
            "CreateAccount",
            &json!({"AccountName":"X","CountryCode":bad}).to_string(),
        )
        .await;
        reply.rejected("CountryCode must be an ISO 3166-1 alpha-2 country code");
        call(
            &emu,
            "GetAvailableInboundNumbers",
            &json!({ "CountryCode": bad }).to_string(),
        )
        .await
        .rejected("CountryCode must be an ISO 3166-1 alpha-2");
    }
    for bad in ["London", "Europe/", "Europe London", "+01:00"] {
        call(
            &emu,
            "CreateAccount",
            &json!({"AccountName":"X","TimeZone":bad}).to_string(),
        )
        .await
        .rejected("TimeZone must be an IANA time zone name");
    }
    let created = call(
        &emu,
        "CreateAccount",
        r#"{"AccountName":"X","CountryCode":"gb","TimeZone":"America/Argentina/Buenos_Aires"}"#,
    )
    .await
    .ok()
    .json();
    assert_eq!(created["CountryCode"], "GB");
    call(
        &emu,
        "UpdateAccount",
        r#"{"AccountId":1001,"TimeZone":"UTC"}"#,
    )
    .await
    .ok();
    call(
        &emu,
        "UpdateAccount",
        r#"{"AccountId":1001,"AccountName":" "}"#,
    )
    .await
    .rejected("AccountName must not be empty");
    call(&emu, "CreateAccount", r#"{"AccountName":""}"#)
        .await
        .rejected("AccountName is required");
}

#[tokio::test]
async fn closed_accounts_take_nothing_new_and_the_root_status_is_fixed() {
    let emu = start();
    call(
        &emu,
        "SetAccountStatus",
        r#"{"AccountId":1000,"Status":"Suspended"}"#,
    )
    .await
    .rejected("Account 1000 is the reseller's own account");
    call(
        &emu,
        "SetAccountStatus",
        r#"{"AccountId":1002,"Status":"Closed"}"#,
    )
    .await
    .ok();
    call(&emu, "AllocateCredit", r#"{"AccountId":1002,"Amount":5}"#)
        .await
        .rejected("Account 1002 is closed");
    call(
        &emu,
        "AddUserToAccount",
        &user(json!({ "AccountId": 1002 })),
    )
    .await
    .rejected("Account 1002 is closed");
    call(
        &emu,
        "CreateAccount",
        r#"{"AccountName":"Sub","ParentAccountId":1002}"#,
    )
    .await
    .rejected("Account 1002 is closed");
    call(
        &emu,
        "AllocateInboundNumber",
        r#"{"AccountId":1002,"Number":"+447700900101"}"#,
    )
    .await
    .rejected("Account 1002 is closed");
    // Still readable, and it can be reopened.
    call(&emu, "GetCreditBalance", r#"{"AccountId":1002}"#)
        .await
        .ok();
    call(
        &emu,
        "SetAccountStatus",
        r#"{"AccountId":1002,"Status":"Active"}"#,
    )
    .await
    .ok();
    call(&emu, "AllocateCredit", r#"{"AccountId":1002,"Amount":5}"#)
        .await
        .ok();
}

#[tokio::test]
async fn roles_must_exist_and_be_held_to_be_removed() {
    let emu = start();
    call(&emu, "AssignRoleToUser", r#"{"UserId":101,"RoleId":99}"#)
        .await
        .rejected("Role 99 not found");
    call(
        &emu,
        "AssignRoleToAccount",
        r#"{"AccountId":1001,"RoleId":0}"#,
    )
    .await
    .rejected("Role 0 not found");
    call(&emu, "RemoveRoleFromUser", r#"{"UserId":101,"RoleId":1}"#)
        .await
        .rejected("User 101 does not have role 1");
    call(
        &emu,
        "RemoveRoleFromAccount",
        r#"{"AccountId":1001,"RoleId":1}"#,
    )
    .await
    .rejected("Account 1001 does not have role 1");
    call(&emu, "AssignRoleToUser", r#"{"UserId":101}"#)
        .await
        .rejected("RoleId is required");
}

#[tokio::test]
async fn numbers_must_be_available_to_allocate_and_held_to_release() {
    let emu = start();
    for taken in ["+447700900100", "+447700900199", "+449999999999"] {
        call(
            &emu,
            "AllocateInboundNumber",
            &format!(r#"{{"AccountId":1002,"Number":"{taken}"}}"#),
        )
        .await
        .rejected(&format!("Number {taken} is not available"));
    }
    for (account, number) in [
        (1002, "+447700900100"),
        (1001, "+447700900101"),
        (1001, "+447700900199"),
    ] {
        call(
            &emu,
            "ReleaseInboundNumber",
            &format!(r#"{{"AccountId":{account},"Number":"{number}"}}"#),
        )
        .await
        .rejected(&format!(
            "Number {number} is not allocated to account {account}"
        ));
    }
}

#[tokio::test]
async fn a_balance_beyond_the_decimal_range_is_refused_not_a_crash() {
    let emu = start();
    let max = r#"{"AccountId":1002,"Amount":79228162514264337593543950335}"#;
    call(&emu, "AllocateCredit", max).await.ok();
    call(&emu, "AllocateCredit", max)
        .await
        .rejected("beyond the largest supported value");
    call(&emu, "GetCreditBalance", r#"{"AccountId":1002}"#)
        .await
        .ok();
}
