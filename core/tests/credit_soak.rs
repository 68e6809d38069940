//! Credit soak: 10,000 `AllocateCredit` calls through the bulk helper while about one call in ten
//! meets an injected fault of a mixed kind. Afterwards the books must balance: every row is
//! reported, nothing is applied twice, the outcome-unknown rows reconcile against
//! `GetCreditAllocations` by `Reference`, and the balance is the sum of what the emulator applied.
//!
//! `CPAAS_SOAK_ROWS` overrides the number of rows (default 10,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cpaas_reseller::bulk::{self, BulkOptions, BulkOutcome, Progress, RowStatus};
use cpaas_reseller::requests::{
    AllocateCredit, CreateAccount, GetCreditAllocations, GetCreditBalance,
};
use cpaas_reseller::{Decimal, ErrorKind};
use cpaas_reseller_emulator::{Fault, FaultKind};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FAULT_RATE: f64 = 0.10;
const CLIENT_TIMEOUT: Duration = Duration::from_millis(1_000);
const DELAY: u64 = 1_500;

/// The fault mix: errors before and after the change is applied, lost connections, a cut
/// response, and a service slower than the client's timeout.
fn faults() -> Vec<FaultKind> {
    let status = |status, apply| FaultKind::Status { status, apply };
    vec![
        status(500, false),
        status(500, true),
        status(503, false),
        status(503, true),
        status(504, false),
        status(504, true),
        FaultKind::Drop { apply: false },
        FaultKind::Drop { apply: true },
        FaultKind::Truncated { apply: true },
        FaultKind::Delay { millis: DELAY },
    ]
}

fn rows() -> usize {
    std::env::var("CPAAS_SOAK_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_allocations_under_faults_balance_exactly() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .timeout(CLIENT_TIMEOUT)
        .build()
        .unwrap();
    let account_id = client
        .create_account(&CreateAccount {
            account_name: "Soak Ltd".to_owned(),
            parent_account_id: Some(emulator.root_account_id()),
            ..CreateAccount::default()
        })
        .await
        .unwrap()
        .account_id;

    let total = rows();
    let mut rng = fastrand::Rng::with_seed(20_260_101);
    let items: Vec<AllocateCredit> = (0..total)
        .map(|row| AllocateCredit {
            account_id,
            amount: Decimal::new(rng.i64(1..=99_999), 2),
            reference: Some(format!("soak-{row:05}")),
        })
        .collect();

    // Each finished row queues a fault for a later call with probability FAULT_RATE, so faults
    // land on calls all through the run, whatever the scheduling.
    let kinds = faults();
    let injected = Mutex::new((
        fastrand::Rng::with_seed(7),
        BTreeMap::<String, usize>::new(),
    ));
    let on_progress = |_: Progress| {
        let mut guard = injected.lock().unwrap();
        let (rng, counts) = &mut *guard;
        if rng.f64() < FAULT_RATE {
            let kind = kinds[rng.usize(..kinds.len())].clone();
            *counts.entry(format!("{kind:?}")).or_default() += 1;
            emulator.inject(Fault::once("AllocateCredit", kind));
        }
    };
    // The first calls get faults too.
    for kind in &kinds {
        emulator.inject(Fault::once("AllocateCredit", kind.clone()));
    }
    let started = Instant::now();
    let outcomes = bulk::run(&client, items.clone(), BulkOptions::new(32), on_progress)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let unused = emulator.pending_faults().len();
    emulator.clear_faults();
    // A delayed call is still applied after its client gave up: let those finish.
    tokio::time::sleep(Duration::from_millis(DELAY + 500)).await;

    // Every row is reported, in input order.
    assert_eq!(outcomes.len(), total);
    let summary = Progress::of(&outcomes);
    assert_eq!(summary.not_started(), 0);
    assert_eq!(
        summary.succeeded + summary.failed + summary.outcome_unknown,
        total
    );

    // The emulator's record: every row sent exactly once, and what each call did.
    let journal: Vec<_> = emulator
        .journal()
        .into_iter()
        .filter(|e| e.method == "AllocateCredit")
        .collect();
    let mut sent: HashMap<String, Vec<_>> = HashMap::new();
    for entry in &journal {
        let body: serde_json::Value = serde_json::from_str(&entry.body).unwrap();
        let reference = body["Reference"].as_str().unwrap().to_owned();
        sent.entry(reference).or_default().push(entry);
    }
    assert_eq!(sent.len(), total, "every row reached the service");
    assert!(
        sent.values().all(|entries| entries.len() == 1),
        "no row was sent twice"
    );

    // The ledger: nothing applied twice, and exactly the calls the journal marks as applied.
    let state = emulator.state();
    let mut ledger: HashMap<String, Decimal> = HashMap::new();
    for allocation in state["ledger"].as_array().unwrap() {
        if allocation["AccountId"].as_i64() != Some(i64::from(account_id)) {
            continue;
        }
        let reference = allocation["Reference"].as_str().unwrap().to_owned();
        let amount = Decimal::from_str(&allocation["Amount"].to_string()).unwrap();
        assert!(
            ledger.insert(reference.clone(), amount).is_none(),
            "{reference} applied twice"
        );
    }
    for (reference, entries) in &sent {
        assert_eq!(
            ledger.contains_key(reference),
            entries[0].applied,
            "{reference}: ledger and journal agree"
        );
    }

    // Reconcile as a caller would: by Reference, through the SDK.
    let listed = client
        .get_credit_allocations(&GetCreditAllocations {
            account_id,
            ..GetCreditAllocations::default()
        })
        .await
        .unwrap();
    let mut by_reference: HashMap<String, Vec<Decimal>> = HashMap::new();
    for allocation in &listed.allocations {
        let reference = allocation.reference.clone().unwrap();
        by_reference
            .entry(reference)
            .or_default()
            .push(allocation.amount);
    }
    assert!(by_reference.values().all(|found| found.len() == 1));

    let mut status_counts: BTreeMap<u16, usize> = BTreeMap::new();
    let (mut unknown_applied, mut unknown_absent, mut failed_but_applied) = (0, 0, 0);
    for (row, (item, outcome)) in items.iter().zip(&outcomes).enumerate() {
        let reference = item.reference.as_deref().unwrap();
        let entry = sent[reference][0];
        *status_counts.entry(entry.status).or_default() += 1;
        let found = by_reference.get(reference);
        match outcome {
            BulkOutcome::Succeeded(allocation) => {
                assert_eq!(
                    allocation.reference.as_deref(),
                    Some(reference),
                    "row {row}"
                );
                assert_eq!(allocation.amount, item.amount, "row {row}");
                assert_eq!(found, Some(&vec![item.amount]), "row {row}: applied once");
            }
            BulkOutcome::Failed(error) if outcome.status() == RowStatus::OutcomeUnknown => {
                assert!(
                    matches!(
                        error.kind(),
                        ErrorKind::GatewayTimeout
                            | ErrorKind::Transport
                            | ErrorKind::Timeout
                            | ErrorKind::UnexpectedResponse
                    ),
                    "row {row}: {error}"
                );
                match found {
                    Some(amounts) => {
                        assert_eq!(amounts, &vec![item.amount], "row {row}");
                        unknown_applied += 1;
                    }
                    None => unknown_absent += 1,
                }
            }
            BulkOutcome::Failed(error) => {
                // A definite failure: 500 or 503, which the contract says change nothing. The
                // emulator can break that promise (status after apply); such rows are counted.
                assert!(
                    matches!(error.status(), Some(500 | 503)),
                    "row {row}: {error}"
                );
                if let Some(amounts) = found {
                    assert_eq!(amounts, &vec![item.amount], "row {row}");
                    failed_but_applied += 1;
                }
            }
            BulkOutcome::NotStarted => panic!("row {row} not started"),
            BulkOutcome::AlreadyApplied(found) => {
                panic!("row {row} found before it was sent: {found:?}")
            }
        }
    }

    // The books balance: the SDK's balance is the sum of what the emulator applied.
    let balance = client
        .get_credit_balance(&GetCreditBalance { account_id })
        .await
        .unwrap()
        .balance;
    let applied_sum: Decimal = ledger.values().copied().sum();
    assert_eq!(balance, applied_sum);
    let reported_sum: Decimal = items
        .iter()
        .zip(&outcomes)
        .filter(|(item, _)| by_reference.contains_key(item.reference.as_deref().unwrap()))
        .map(|(item, _)| item.amount)
        .sum();
    assert_eq!(balance, reported_sum);
    assert_eq!(
        ledger.len(),
        summary.succeeded + unknown_applied + failed_but_applied
    );

    // The faults really happened, in every shape.
    let (_, counts) = &*injected.lock().unwrap();
    let consumed = counts.values().sum::<usize>() + kinds.len() - unused;
    let faulted = total - summary.succeeded;
    assert!(
        consumed >= total / 20,
        "about one call in ten faulted: {consumed}"
    );
    assert!(unknown_applied > 0 && unknown_absent > 0 && failed_but_applied > 0);
    for status in [0, 200, 500, 503, 504] {
        assert!(status_counts.contains_key(&status), "{status_counts:?}");
    }
    eprintln!(
        "credit soak: {total} rows in {:.1} s; applied {}, failed {} ({failed_but_applied} of them \
         applied by a 500/503-after-apply fault), outcome unknown {} ({unknown_applied} found \
         applied, {unknown_absent} absent); faults consumed {consumed}, rows not \
         reported applied {faulted}; balance {balance} = sum of {} ledger entries; statuses {status_counts:?}",
        elapsed.as_secs_f64(),
        summary.succeeded,
        summary.failed,
        summary.outcome_unknown,
        ledger.len(),
    );
}
