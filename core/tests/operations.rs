//! Every operation of the catalogue, through the public API, against the emulator's state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration as Days, TimeZone, Utc};
use cpaas_reseller::records::{AccountStatus, ActivityType, NumberType};
use cpaas_reseller::requests::*;
use cpaas_reseller::{Decimal, Error, OPERATIONS};
use cpaas_reseller_emulator::{FOREIGN_CHILD_ACCOUNT_ID, FOREIGN_ROOT_ACCOUNT_ID};
use std::collections::BTreeSet;
use std::str::FromStr;

fn new_user(account_id: i32, username: &str) -> AddUserToAccount {
    AddUserToAccount {
        account_id,
        username: username.to_owned(),
        password: "Str0ngPassword".into(),
        firstname: "Jane".into(),
        last_name: "Doe".into(),
        email_address: format!("{username}@example.com"),
        mobile_phone_number: "+447700900123".into(),
        landline_phone_number: "+442079460000".into(),
        notes: Some("created by the test".into()),
        change_password_at_next_logon: Some(true),
    }
}

#[tokio::test]
async fn accounts_users_roles_credit_numbers_and_reports_persist_across_calls() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let root = emulator.root_account_id();

    // Accounts.
    let created = client
        .create_account(&CreateAccount {
            account_name: "Acme Ltd".into(),
            parent_account_id: Some(root),
            contact_email_address: Some("ops@acme.example".into()),
            country_code: Some("GB".into()),
            time_zone: Some("Europe/London".into()),
            notes: Some("pilot".into()),
        })
        .await
        .unwrap();
    let id = created.account_id;
    assert_eq!(created.account_name.as_deref(), Some("Acme Ltd"));
    assert_eq!(created.parent_account_id, Some(root));
    let fetched = client
        .get_account(&GetAccount { account_id: id })
        .await
        .unwrap();
    assert_eq!(
        fetched.contact_email_address.as_deref(),
        Some("ops@acme.example")
    );
    assert_eq!(fetched.time_zone.as_deref(), Some("Europe/London"));
    let listed = client.get_accounts(&GetAccounts::default()).await.unwrap();
    assert!(listed.accounts.iter().any(|a| a.account_id == id));
    let updated = client
        .update_account(&UpdateAccount {
            account_id: id,
            account_name: Some("Acme Group".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(updated.account_name.as_deref(), Some("Acme Group"));
    assert_eq!(
        updated.country_code.as_deref(),
        Some("GB"),
        "unchanged fields stay"
    );
    let suspended = client
        .set_account_status(&SetAccountStatus {
            account_id: id,
            status: AccountStatus::Suspended,
        })
        .await
        .unwrap();
    assert_eq!(suspended.status, Some(AccountStatus::Suspended));
    client
        .set_account_status(&SetAccountStatus {
            account_id: id,
            status: AccountStatus::Active,
        })
        .await
        .unwrap();

    // Users.
    let user_id = client
        .add_user_to_account(&new_user(id, "jane.acme"))
        .await
        .unwrap()
        .user_id
        .expect("the emulator returns UserId");
    let duplicate = client
        .add_user_to_account(&new_user(id, "jane.acme"))
        .await
        .unwrap_err();
    assert!(
        matches!(duplicate, Error::BadRequest(_)),
        "usernames are unique: {duplicate}"
    );
    let users = client
        .get_users(&GetUsers { account_id: id })
        .await
        .unwrap();
    assert_eq!(users.users.len(), 1);
    let user = client.get_user(&GetUser { user_id }).await.unwrap();
    assert_eq!(
        (user.firstname.as_deref(), user.last_name.as_deref()),
        (Some("Jane"), Some("Doe"))
    );
    let user = client
        .update_user(&UpdateUser {
            user_id,
            enabled: Some(false),
            last_name: Some("Smith".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (user.enabled, user.last_name.as_deref()),
        (Some(false), Some("Smith"))
    );
    client
        .reset_user_password(&ResetUserPassword {
            user_id,
            new_password: "An0therPassword".into(),
            change_password_at_next_logon: Some(false),
        })
        .await
        .unwrap();

    // Roles.
    let roles = client.get_roles(&GetRoles {}).await.unwrap();
    assert!(roles.roles.len() >= 2, "predefined roles");
    let role_id = roles.roles[0].role_id;
    client
        .assign_role_to_user(&AssignRoleToUser { user_id, role_id })
        .await
        .unwrap();
    let user = client.get_user(&GetUser { user_id }).await.unwrap();
    assert!(user.role_ids.contains(&role_id));
    client
        .remove_role_from_user(&RemoveRoleFromUser { user_id, role_id })
        .await
        .unwrap();
    let user = client.get_user(&GetUser { user_id }).await.unwrap();
    assert!(!user.role_ids.contains(&role_id));
    client
        .assign_role_to_account(&AssignRoleToAccount {
            account_id: id,
            role_id,
        })
        .await
        .unwrap();
    client
        .remove_role_from_account(&RemoveRoleFromAccount {
            account_id: id,
            role_id,
        })
        .await
        .unwrap();

    // Credit: exact decimals end to end.
    let first = client
        .allocate_credit(&AllocateCredit {
            account_id: id,
            amount: Decimal::from_str("100.10").unwrap(),
            reference: Some("po-1".into()),
        })
        .await
        .unwrap();
    let second = client
        .allocate_credit(&AllocateCredit {
            account_id: id,
            amount: Decimal::from_str("0.0001").unwrap(),
            reference: Some("po-2".into()),
        })
        .await
        .unwrap();
    assert_eq!(first.amount.to_string(), "100.10");
    assert_eq!(
        second.balance_after.map(|b| b.to_string()).as_deref(),
        Some("100.1001")
    );
    let balance = client
        .get_credit_balance(&GetCreditBalance { account_id: id })
        .await
        .unwrap();
    assert_eq!(balance.balance, Decimal::from_str("100.1001").unwrap());
    let history = client
        .get_credit_allocations(&GetCreditAllocations {
            account_id: id,
            ..Default::default()
        })
        .await
        .unwrap();
    let references: Vec<_> = history
        .allocations
        .iter()
        .filter_map(|a| a.reference.clone())
        .collect();
    assert_eq!(references, ["po-1", "po-2"]);

    // Numbers.
    let available = client
        .get_available_inbound_numbers(&GetAvailableInboundNumbers {
            country_code: Some("GB".into()),
            number_type: Some(NumberType::LongCode),
        })
        .await
        .unwrap();
    let number = available
        .numbers
        .first()
        .expect("GB long codes in the pool")
        .number
        .clone();
    assert!(available
        .numbers
        .iter()
        .all(|n| n.country_code.as_deref() == Some("GB")));
    let allocated = client
        .allocate_inbound_number(&AllocateInboundNumber {
            account_id: id,
            number: number.clone(),
        })
        .await
        .unwrap();
    assert_eq!(allocated.account_id, Some(id));
    let mine = client
        .get_allocated_inbound_numbers(&GetAllocatedInboundNumbers { account_id: id })
        .await
        .unwrap();
    assert_eq!(
        mine.numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect::<Vec<_>>(),
        [number.as_str()]
    );
    let again = client
        .allocate_inbound_number(&AllocateInboundNumber {
            account_id: id,
            number: number.clone(),
        })
        .await
        .unwrap_err();
    assert!(matches!(again, Error::BadRequest(_)), "{again}");
    client
        .release_inbound_number(&ReleaseInboundNumber {
            account_id: id,
            number: number.clone(),
        })
        .await
        .unwrap();
    let mine = client
        .get_allocated_inbound_numbers(&GetAllocatedInboundNumbers { account_id: id })
        .await
        .unwrap();
    assert!(mine.numbers.is_empty());

    // Reports: deterministic rows whose totals add up exactly.
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let report = client
        .get_chargeable_activity(&GetChargeableActivity {
            start_date: start,
            end_date: start + Days::days(7),
            account_id: Some(id),
        })
        .await
        .unwrap();
    assert!(!report.activities.is_empty());
    for row in &report.activities {
        assert_eq!(row.account_id, id);
        assert_eq!(row.total_cost, row.unit_cost * Decimal::from(row.quantity));
        assert!(row.activity_date >= start && row.activity_date <= start + Days::days(7));
        assert!(
            row.activity_type.is_known() || matches!(row.activity_type, ActivityType::Unknown(_))
        );
    }
    let repeat = client
        .get_chargeable_activity(&GetChargeableActivity {
            start_date: start,
            end_date: start + Days::days(7),
            account_id: Some(id),
        })
        .await
        .unwrap();
    assert_eq!(report, repeat, "reports are deterministic");

    // Users go last: removing one.
    client
        .remove_user_from_account(&RemoveUserFromAccount { user_id })
        .await
        .unwrap();
    let gone = client.get_user(&GetUser { user_id }).await.unwrap_err();
    assert!(matches!(gone, Error::BadRequest(_)), "{gone}");
}

/// `tests/vectors/operations.json` holds one sample request per operation, in catalogue order:
/// each succeeds on the emulator's seeded state through the public API (`invoke`, the typed path
/// by vendor name) and changes that state exactly when the operation is mutating. The Python
/// suite and the fault matrices read the same samples, so a new operation needs one entry there.
#[tokio::test]
async fn every_operation_has_a_sample_that_succeeds_on_the_seeded_state() {
    let samples = common::vectors("operations");
    let listed: Vec<&str> = samples
        .iter()
        .map(|s| {
            s["operation"]
                .as_str()
                .expect("a sample names its operation")
        })
        .collect();
    for op in OPERATIONS {
        assert!(
            listed.contains(&op.method),
            "tests/vectors/operations.json has no sample for {}",
            op.method
        );
    }
    let catalogue: Vec<&str> = OPERATIONS.iter().map(|op| op.method).collect();
    assert_eq!(
        listed, catalogue,
        "one sample per operation, in catalogue order"
    );

    let emulator = common::emulator();
    let client = common::builder(&emulator).max_retries(0).build().unwrap();
    for (sample, op) in samples.iter().zip(OPERATIONS) {
        emulator.reset();
        if let Some(prepare) = sample.get("prepare") {
            let method = prepare["operation"].as_str().unwrap();
            client
                .invoke(method, prepare["input"].clone())
                .await
                .unwrap_or_else(|e| panic!("{}: preparing with {method}: {e}", op.method));
        }
        let before = emulator.state();
        emulator.clear_journal();
        client
            .invoke(op.method, sample["input"].clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.method));
        assert_eq!(emulator.calls(op.method), 1, "{}", op.method);
        assert_eq!(
            emulator.state() != before,
            op.mutating,
            "{}: the state changes exactly when the operation is mutating",
            op.method
        );
    }
}

#[tokio::test]
async fn accounts_outside_the_resellers_tree_are_invisible() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let accounts = client
        .get_accounts(&GetAccounts::default())
        .await
        .unwrap()
        .accounts;
    let visible: BTreeSet<_> = accounts.iter().map(|a| a.account_id).collect();
    let foreign = [FOREIGN_ROOT_ACCOUNT_ID, FOREIGN_CHILD_ACCOUNT_ID];
    assert!(
        foreign.iter().all(|id| !visible.contains(id)),
        "{visible:?}"
    );
    for account_id in foreign {
        let error = client
            .get_account(&GetAccount { account_id })
            .await
            .unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error}");
        let error = client
            .allocate_credit(&AllocateCredit {
                account_id,
                amount: Decimal::ONE,
                reference: None,
            })
            .await
            .unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error}");
    }
}

#[tokio::test]
async fn invoke_dispatches_by_vendor_name_through_the_typed_path() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let balance = client
        .invoke(
            "GetCreditBalance",
            serde_json::json!({ "AccountId": emulator.root_account_id() }),
        )
        .await
        .unwrap();
    assert!(
        balance["Balance"].is_string(),
        "money re-encodes as exact text: {balance}"
    );
    let error = client
        .invoke("GetCreditBalance", serde_json::json!({ "Account": 1 }))
        .await
        .unwrap_err();
    match error {
        Error::Validation(e) => assert_eq!(e.field, "Account"),
        other => panic!("expected a validation error, got {other}"),
    }
    assert!(matches!(
        client.invoke("NoSuchThing", serde_json::json!({})).await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn raw_call_uses_the_same_transport_and_errors() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let roles = client.call("GetRoles", None).await.unwrap();
    assert!(
        roles["Roles"].as_array().is_some_and(|r| !r.is_empty()),
        "{roles}"
    );
    let error = client
        .call("GetAccount", Some(&serde_json::json!({})))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error}");
    let error = client.call("../admin", None).await.unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error}");
    assert_eq!(emulator.calls("GetRoles"), 1);
}
