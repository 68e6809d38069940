//! The bulk helper against the emulator: input order, bounded concurrency, faults that leave
//! outcomes unknown (never replayed), stop signals, and the by-name JSON form.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cpaas_reseller::bulk::{self, BulkOptions, BulkOutcome, Progress, RowStatus, StopSignal};
use cpaas_reseller::requests::AllocateCredit;
use cpaas_reseller::{Client, Decimal, ErrorKind};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;

fn start() -> (Emulator, Client) {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::builder()
        .credentials(emulator.username(), emulator.password())
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    (emulator, client)
}

fn decimal(value: &Value) -> Decimal {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Decimal::from_str(&text).unwrap()
}

/// Ledger entries by Reference, and the balance of every account.
fn ledger(emulator: &Emulator) -> (HashMap<String, Vec<Value>>, HashMap<i64, Decimal>) {
    let state = emulator.state();
    let mut by_reference: HashMap<String, Vec<Value>> = HashMap::new();
    for entry in state["ledger"].as_array().unwrap() {
        let reference = entry["Reference"].as_str().unwrap_or("").to_owned();
        by_reference
            .entry(reference)
            .or_default()
            .push(entry.clone());
    }
    let balances = state["balances"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, balance)| (id.parse().unwrap(), decimal(balance)))
        .collect();
    (by_reference, balances)
}

fn allocation(n: usize) -> AllocateCredit {
    AllocateCredit {
        account_id: if n.is_multiple_of(2) { 1001 } else { 1002 },
        amount: Decimal::new(100 + n as i64, 2),
        reference: Some(format!("bulk-test-{n}")),
    }
}

#[tokio::test]
async fn faults_leave_every_row_accounted_for_and_nothing_applied_twice() {
    let (emulator, client) = start();
    let status = |status, apply| FaultKind::Status { status, apply };
    for kind in [
        status(504, true),
        status(504, false),
        FaultKind::Drop { apply: true },
        FaultKind::Drop { apply: false },
        status(400, false),
    ] {
        emulator.inject(Fault::once("AllocateCredit", kind));
    }
    let items: Vec<AllocateCredit> = (0..40).map(allocation).collect();
    let seen = Mutex::new(Vec::new());
    let outcomes = bulk::run(&client, items.clone(), BulkOptions::new(6), |p| {
        seen.lock().unwrap().push(p);
    })
    .await
    .unwrap();

    assert_eq!(outcomes.len(), 40);
    let summary = Progress::of(&outcomes);
    assert_eq!(
        (summary.succeeded, summary.failed, summary.outcome_unknown),
        (35, 1, 4),
        "{outcomes:#?}"
    );
    // Outcomes are in input order: each success carries its own item's reference and amount.
    for (item, outcome) in items.iter().zip(&outcomes) {
        if let BulkOutcome::Succeeded(allocation) = outcome {
            assert_eq!(allocation.reference, item.reference);
            assert_eq!(allocation.amount, item.amount);
            assert_eq!(allocation.account_id, item.account_id);
        }
    }
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|o| o.status() == RowStatus::Failed)
        .collect();
    assert!(
        matches!(failed[0], BulkOutcome::Failed(e) if e.kind() == ErrorKind::BadRequest && !e.outcome_unknown())
    );

    // Never replayed: one call per row, and each reference at most once in the ledger.
    assert_eq!(emulator.calls("AllocateCredit"), 40);
    let (by_reference, balances) = ledger(&emulator);
    for item in &items {
        let reference = item.reference.clone().unwrap();
        assert!(
            by_reference.get(&reference).map_or(0, Vec::len) <= 1,
            "{reference} applied twice"
        );
    }
    // Applied = the 35 successes plus the two faults that applied before failing.
    let applied: usize = items
        .iter()
        .filter(|i| by_reference.contains_key(i.reference.as_deref().unwrap()))
        .count();
    assert_eq!(applied, 37);
    for (index, outcome) in outcomes.iter().enumerate() {
        let reference = items[index].reference.as_deref().unwrap();
        match outcome.status() {
            RowStatus::Succeeded => assert!(by_reference.contains_key(reference)),
            RowStatus::Failed => assert!(!by_reference.contains_key(reference)),
            _ => {}
        }
    }
    // Balances equal the sum of the ledger (seed opening allocation included).
    for account in [1001i64, 1002] {
        let sum: Decimal = by_reference
            .values()
            .flatten()
            .filter(|e| e["AccountId"].as_i64() == Some(account))
            .map(|e| decimal(&e["Amount"]))
            .sum();
        assert_eq!(balances[&account], sum, "account {account}");
    }

    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 40);
    assert!(seen.windows(2).all(|w| w[1].done == w[0].done + 1));
    assert_eq!(seen.last().copied(), Some(summary));
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let (emulator, client) = start();
    // Each call takes 150 ms: 16 calls, 4 at a time, need at least 4 rounds (2.4 s one by one).
    emulator.inject(Fault {
        method: Some("GetAccount".to_owned()),
        times: 16,
        kind: FaultKind::Delay { millis: 150 },
    });
    let items: Vec<_> = (0..16)
        .map(|n| cpaas_reseller::requests::GetAccount {
            account_id: 1001 + (n % 3),
        })
        .collect();
    let started = std::time::Instant::now();
    let outcomes = bulk::run(&client, items, BulkOptions::new(4), |_| {})
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(outcomes.iter().enumerate().all(
        |(n, o)| matches!(o, BulkOutcome::Succeeded(a) if a.account_id == 1001 + (n as i32 % 3))
    ));
    assert!(
        elapsed.as_millis() >= 600,
        "{elapsed:?}: more than 4 in flight"
    );
    assert!(elapsed.as_millis() < 2000, "{elapsed:?}: not concurrent");
}

#[tokio::test]
async fn stop_starts_nothing_more_and_in_flight_rows_finish() {
    let (emulator, client) = start();
    emulator.inject(Fault {
        method: Some("AllocateCredit".to_owned()),
        times: 100,
        kind: FaultKind::Delay { millis: 100 },
    });
    let stop = StopSignal::new();
    let trigger = stop.clone();
    let items: Vec<AllocateCredit> = (0..20).map(allocation).collect();
    let outcomes = bulk::run(
        &client,
        items,
        BulkOptions::new(3).with_stop(stop),
        move |p| {
            if p.done == 2 {
                trigger.stop();
            }
        },
    )
    .await
    .unwrap();
    let summary = Progress::of(&outcomes);
    assert!(
        summary.not_started() > 0 && summary.done >= 2,
        "{summary:?}"
    );
    assert_eq!(summary.succeeded, summary.done, "in-flight rows finished");
    assert_eq!(emulator.calls("AllocateCredit"), summary.done);
    let (by_reference, _) = ledger(&emulator);
    for (n, outcome) in outcomes.iter().enumerate() {
        let applied = by_reference.contains_key(&format!("bulk-test-{n}"));
        assert_eq!(applied, outcome.status() == RowStatus::Succeeded, "row {n}");
        if n >= summary.done {
            // Rows are started in input order, so the unstarted ones are the tail.
            assert_eq!(outcome, &BulkOutcome::NotStarted);
        }
    }
}

#[tokio::test]
async fn by_name_runs_json_inputs_and_refuses_unknown_methods() {
    let (emulator, client) = start();
    let user = |n: u32, mobile: &str| {
        json!({
            "AccountId": 1001,
            "Username": format!("bulk.user.{n}"),
            "Password": "Welcome-2026x",
            "Firstname": "Bulk",
            "LastName": format!("User{n}"),
            "EmailAddress": format!("bulk{n}@example.com"),
            "MobilePhoneNumber": mobile,
            "LandlinePhoneNumber": "+442079460000",
        })
    };
    let items = vec![
        user(1, "+447700900001"),
        user(2, "07700 900002"),
        json!({"AccountId": 1001, "Nope": 1}),
        user(3, "+447700900003"),
    ];
    let outcomes = bulk::run_by_name(
        &client,
        "AddUserToAccount",
        items,
        BulkOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    let statuses: Vec<_> = outcomes.iter().map(BulkOutcome::status).collect();
    assert_eq!(
        statuses,
        [
            RowStatus::Succeeded,
            RowStatus::Failed,
            RowStatus::Failed,
            RowStatus::Succeeded
        ]
    );
    for bad in [&outcomes[1], &outcomes[2]] {
        assert!(matches!(bad, BulkOutcome::Failed(e) if e.kind() == ErrorKind::Validation));
    }
    assert!(matches!(&outcomes[0], BulkOutcome::Succeeded(v) if v["UserId"].as_i64().is_some()));
    // Validation failures are never sent.
    assert_eq!(emulator.calls("AddUserToAccount"), 2);

    let unknown = bulk::run_by_name(
        &client,
        "DeleteEverything",
        vec![json!({})],
        BulkOptions::default(),
        |_| {},
    )
    .await;
    assert!(matches!(unknown, Err(e) if e.kind() == ErrorKind::Validation));
    // The two users and the one reconciliation read of account 1001.
    assert_eq!(emulator.journal().len(), 3);
    assert_eq!(emulator.calls("GetUsers"), 1);
}
