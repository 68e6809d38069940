//! Bulk reruns against the emulator: the journal (lease, completions, torn tail, corruption,
//! foreign headers, locking) and reconciliation of the three creating operations (found,
//! conflicting, ambiguous, failed read, settle window).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cpaas_reseller::bulk::{
    self, AppliedSource, BulkEvent, BulkOptions, BulkOutcome, Progress, RowStatus,
};
use cpaas_reseller::requests::{AddUserToAccount, AllocateCredit, CreateAccount};
use cpaas_reseller::{Client, Decimal, Error, ErrorKind};
use cpaas_reseller_emulator::{Emulator, Fault, FaultKind};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const LONG: Duration = Duration::from_secs(3600);

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("cpaas-bulk-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn credit(n: usize, prefix: &str) -> AllocateCredit {
    AllocateCredit {
        account_id: [1001, 1002, 1003][n % 3],
        amount: Decimal::new(100 + n as i64, 2),
        reference: Some(format!("{prefix}-{n}")),
    }
}

fn credits(count: usize, prefix: &str) -> Vec<AllocateCredit> {
    (0..count).map(|n| credit(n, prefix)).collect()
}

/// Ledger entries per reference.
fn ledger(emulator: &Emulator) -> HashMap<String, Vec<Value>> {
    let mut by_reference: HashMap<String, Vec<Value>> = HashMap::new();
    for entry in emulator.state()["ledger"].as_array().unwrap() {
        let reference = entry["Reference"].as_str().unwrap_or("").to_owned();
        by_reference
            .entry(reference)
            .or_default()
            .push(entry.clone());
    }
    by_reference
}

fn options(journal: &Path, settle: Duration) -> BulkOptions {
    BulkOptions::new(4)
        .with_journal(journal)
        .with_settle(settle)
}

async fn run_credit(
    client: &Client,
    items: &[AllocateCredit],
    options: BulkOptions,
) -> Vec<BulkOutcome<cpaas_reseller::records::CreditAllocation>> {
    bulk::run(client, items.to_vec(), options, |_| {})
        .await
        .unwrap()
}

fn statuses<T>(outcomes: &[BulkOutcome<T>]) -> Vec<RowStatus> {
    outcomes.iter().map(BulkOutcome::status).collect()
}

fn journal_error(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Validation(error)) if error.field == "journal" => error.message,
        other => panic!("expected a journal validation error, got {other:?}"),
    }
}

/// The records of a journal file, checksums not verified.
fn records(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["r"].clone())
        .collect()
}

fn line(record: &Value) -> String {
    let text = serde_json::to_string(record).unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    let check: String = digest.as_ref()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{{\"r\":{text},\"c\":\"{check}\"}}\n")
}

#[tokio::test]
async fn a_rerun_skips_applied_rows_resends_failed_ones_and_reconciles_unknown_ones() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("rerun");
    let journal = dir.path("credit.journal");
    let items = credits(30, "rerun");
    for kind in [
        FaultKind::Status {
            status: 504,
            apply: true,
        },
        FaultKind::Drop { apply: false },
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ] {
        emulator.inject(Fault::once("AllocateCredit", kind));
    }
    let first = run_credit(&client, &items, BulkOptions::new(1).with_journal(&journal)).await;
    assert_eq!(
        statuses(&first[..4]),
        [
            RowStatus::OutcomeUnknown,
            RowStatus::OutcomeUnknown,
            RowStatus::Failed,
            RowStatus::Succeeded
        ]
    );
    // The journal: header, run, a lease of every row before any completion, one record per row.
    let written = records(&journal);
    assert_eq!(written[0]["e"], "header");
    assert_eq!(written[0]["method"], "AllocateCredit");
    assert_eq!(written[0]["row_count"], 30);
    assert_eq!(written[1]["e"], "run");
    assert_eq!(written[2]["e"], "lease");
    assert_eq!(written[2]["rows"], json!([[0, 30]]));
    let kinds: Vec<&str> = written[3..]
        .iter()
        .filter_map(|r| r["e"].as_str())
        .filter(|e| *e != "alive")
        .collect();
    assert_eq!(kinds.len(), 30);
    assert_eq!(
        &kinds[..4],
        ["outcome_unknown", "outcome_unknown", "failed", "applied"]
    );
    assert_eq!(emulator.calls("AllocateCredit"), 30);

    // The settle window has not passed: the unknown row that is not on the service waits.
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let waiting = run_credit(
        &client,
        &items,
        options(&journal, LONG).with_on_event(move |event| {
            if let BulkEvent::Row(row) = event {
                seen.lock().unwrap().push((row.index, row.status, row.id));
            }
        }),
    )
    .await;
    assert_eq!(
        statuses(&waiting[..4]),
        [
            RowStatus::AlreadyApplied,
            RowStatus::OutcomeUnknown,
            RowStatus::Succeeded,
            RowStatus::AlreadyApplied
        ]
    );
    let ledger_now = ledger(&emulator);
    match &waiting[0] {
        BulkOutcome::AlreadyApplied(found) => {
            assert_eq!(found.source, AppliedSource::Service);
            assert_eq!(
                found.id,
                ledger_now["rerun-0"][0]["AllocationId"].as_i64(),
                "the id found on the service"
            );
        }
        other => panic!("{other:?}"),
    }
    match &waiting[3] {
        BulkOutcome::AlreadyApplied(found) => {
            assert_eq!(found.source, AppliedSource::Journal);
            assert_eq!(found.id, ledger_now["rerun-3"][0]["AllocationId"].as_i64());
        }
        other => panic!("{other:?}"),
    }
    match &waiting[1] {
        BulkOutcome::Failed(error) => {
            assert!(error.outcome_unknown());
            assert!(error.to_string().contains("run again after"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        emulator.calls("AllocateCredit"),
        31,
        "only the failed row was sent again"
    );
    // One read per account and run: the first run looked its (new) rows up too.
    assert_eq!(emulator.calls("GetCreditAllocations"), 6);
    assert_eq!(events.lock().unwrap().len(), 30, "an event per row");

    // Once the window has passed, the row not found is sent; everything else is skipped.
    let last = run_credit(&client, &items, options(&journal, Duration::ZERO)).await;
    let summary = Progress::of(&last);
    assert_eq!((summary.succeeded, summary.already_applied), (1, 29));
    assert_eq!(emulator.calls("AllocateCredit"), 32);
    let ledger = ledger(&emulator);
    for item in &items {
        let reference = item.reference.as_deref().unwrap();
        assert_eq!(
            ledger[reference].len(),
            1,
            "{reference} applied exactly once"
        );
    }

    // A fourth run is all already applied, from the journal alone.
    let reads = emulator.calls("GetCreditAllocations");
    let again = run_credit(&client, &items, options(&journal, Duration::ZERO)).await;
    assert_eq!(Progress::of(&again).already_applied, 30);
    assert_eq!(emulator.calls("AllocateCredit"), 32);
    assert_eq!(emulator.calls("GetCreditAllocations"), reads);
}

#[tokio::test]
async fn without_reconciliation_unknown_rows_are_never_sent_again() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("noreconcile");
    let journal = dir.path("j");
    let items = credits(6, "off");
    emulator.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Drop { apply: false },
    ));
    emulator.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    run_credit(
        &client,
        &items,
        BulkOptions::new(1)
            .with_journal(&journal)
            .with_reconcile(false),
    )
    .await;
    let rerun = run_credit(
        &client,
        &items,
        options(&journal, Duration::ZERO).with_reconcile(false),
    )
    .await;
    assert_eq!(
        statuses(&rerun[..3]),
        [
            RowStatus::OutcomeUnknown,
            RowStatus::Succeeded,
            RowStatus::AlreadyApplied
        ]
    );
    assert!(
        matches!(&rerun[0], BulkOutcome::Failed(e) if e.to_string().contains("reconciliation is off"))
    );
    assert_eq!(emulator.calls("AllocateCredit"), 7);
    assert_eq!(emulator.calls("GetCreditAllocations"), 0);
    assert!(!ledger(&emulator).contains_key("off-0"), "never resent");
}

#[tokio::test]
async fn without_a_journal_a_rerun_finds_every_row_on_the_service() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let items = credits(12, "nojournal");
    let first = run_credit(&client, &items, BulkOptions::new(4)).await;
    let second = run_credit(&client, &items, BulkOptions::new(4)).await;
    assert_eq!(emulator.calls("AllocateCredit"), 12);
    for (a, b) in first.iter().zip(&second) {
        match (a, b) {
            (BulkOutcome::Succeeded(made), BulkOutcome::AlreadyApplied(found)) => {
                assert_eq!(found.id, Some(made.allocation_id));
                assert_eq!(found.source, AppliedSource::Service);
                assert_eq!(found.record["Reference"], json!(made.reference));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn credit_conflicts_ambiguity_and_failed_reads_send_nothing() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let direct = |account_id, amount: i64, reference: &str| AllocateCredit {
        account_id,
        amount: Decimal::new(amount, 2),
        reference: Some(reference.to_owned()),
    };
    client
        .allocate_credit(&direct(1001, 100, "same"))
        .await
        .unwrap();
    client
        .allocate_credit(&direct(1001, 100, "other-amount"))
        .await
        .unwrap();
    for _ in 0..2 {
        client
            .allocate_credit(&direct(1001, 300, "twice"))
            .await
            .unwrap();
    }
    // A read that fails (500 on every attempt): the rows of its account are not sent.
    let sent_before = emulator.calls("AllocateCredit");
    let failing = vec![direct(1002, 500, "new-1002")];
    emulator.inject(common::fault(
        "GetCreditAllocations",
        10,
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    let failed = run_credit(&client, &failing, BulkOptions::new(2)).await;
    match &failed[0] {
        BulkOutcome::Failed(error) => {
            assert_eq!(error.kind(), ErrorKind::Server);
            assert_eq!(error.method(), Some("GetCreditAllocations"));
            assert!(!error.outcome_unknown());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(emulator.calls("AllocateCredit"), sent_before);
    emulator.clear_faults();

    let items = vec![
        direct(1001, 100, "same"),
        direct(1001, 200, "other-amount"),
        direct(1001, 300, "twice"),
        direct(1001, 400, "new-1001"),
        direct(1002, 500, "new-1002"),
        direct(1001, 600, "dup"),
        direct(1001, 700, "dup"),
    ];
    let outcomes = run_credit(&client, &items, BulkOptions::new(2)).await;
    let message = |n: usize| match &outcomes[n] {
        BulkOutcome::Failed(Error::Validation(e)) => {
            assert_eq!(e.field, "Reference");
            e.message.clone()
        }
        other => panic!("row {n}: {other:?}"),
    };
    assert_eq!(outcomes[0].status(), RowStatus::AlreadyApplied);
    assert!(message(1).contains("conflicting"), "{}", message(1));
    assert!(message(1).contains("Amount"), "{}", message(1));
    assert!(message(2).contains("ambiguous"), "{}", message(2));
    assert_eq!(outcomes[3].status(), RowStatus::Succeeded);
    assert_eq!(outcomes[4].status(), RowStatus::Succeeded);
    assert!(message(5).contains("rows 6, 7"), "{}", message(5));
    assert!(message(6).contains("cannot tell them apart"));
    assert_eq!(
        emulator.calls("AllocateCredit"),
        sent_before + 2,
        "only the two new rows were sent"
    );
}

fn user(account_id: i32, username: &str, email: &str) -> AddUserToAccount {
    AddUserToAccount {
        account_id,
        username: username.to_owned(),
        password: "Welcome-2026x".into(),
        firstname: "Bulk".to_owned(),
        last_name: "User".to_owned(),
        email_address: email.to_owned(),
        mobile_phone_number: "+447700900001".to_owned(),
        landline_phone_number: "+442079460000".to_owned(),
        notes: None,
        change_password_at_next_logon: None,
    }
}

#[tokio::test]
async fn users_are_reconciled_by_username_in_their_account() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let existing = client
        .add_user_to_account(&user(1001, "dora.explorer", "dora@example.com"))
        .await
        .unwrap();
    client
        .add_user_to_account(&user(1001, "eve.other", "eve@example.com"))
        .await
        .unwrap();
    let items = vec![
        user(1001, "Dora.Explorer", "DORA@example.com"),
        user(1001, "eve.other", "not-eve@example.com"),
        user(1002, "fred.new", "fred@example.com"),
    ];
    let outcomes = bulk::run(&client, items, BulkOptions::new(2), |_| {})
        .await
        .unwrap();
    match &outcomes[0] {
        BulkOutcome::AlreadyApplied(found) => {
            assert_eq!(found.id, existing.user_id.map(i64::from));
            assert_eq!(found.record["Username"], "dora.explorer");
            assert!(found.record.get("Password").is_none());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&outcomes[1], BulkOutcome::Failed(Error::Validation(e)) if e.field == "Username" && e.message.contains("EmailAddress"))
    );
    assert_eq!(outcomes[2].status(), RowStatus::Succeeded);
    assert_eq!(emulator.calls("AddUserToAccount"), 3);
    assert_eq!(emulator.calls("GetUsers"), 2, "one read per account");
}

fn account(name: &str, parent: Option<i32>) -> CreateAccount {
    CreateAccount {
        account_name: name.to_owned(),
        parent_account_id: parent,
        ..CreateAccount::default()
    }
}

#[tokio::test]
async fn accounts_are_reconciled_by_name_under_their_parent() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let north = client
        .create_account(&account("Acme North", Some(1001)))
        .await
        .unwrap();
    for _ in 0..2 {
        client
            .create_account(&account("Twin", Some(1002)))
            .await
            .unwrap();
    }
    // "Acme North" exists under 1001 only: under the reseller's own account it is new.
    let items = vec![
        account("Acme North", Some(1001)),
        account("Acme North", None),
        account("Twin", Some(1002)),
        account("Acme North", Some(1002)),
    ];
    let outcomes = bulk::run(&client, items.clone(), BulkOptions::new(2), |_| {})
        .await
        .unwrap();
    assert!(
        matches!(&outcomes[0], BulkOutcome::AlreadyApplied(f) if f.id == Some(north.account_id.into()))
    );
    let under_root = match &outcomes[1] {
        BulkOutcome::Succeeded(made) => {
            assert_eq!(made.parent_account_id, Some(1000));
            made.account_id
        }
        other => panic!("{other:?}"),
    };
    assert!(
        matches!(&outcomes[2], BulkOutcome::Failed(Error::Validation(e)) if e.field == "AccountName" && e.message.contains("ambiguous"))
    );
    assert_eq!(outcomes[3].status(), RowStatus::Succeeded);
    assert_eq!(emulator.calls("CreateAccount"), 5);

    let again = bulk::run(&client, items, BulkOptions::new(2), |_| {})
        .await
        .unwrap();
    assert!(
        matches!(&again[1], BulkOutcome::AlreadyApplied(f) if f.id == Some(under_root.into())),
        "found under the root: {:?}",
        again[1]
    );
    assert_eq!(again[3].status(), RowStatus::AlreadyApplied);
    assert_eq!(emulator.calls("CreateAccount"), 5, "nothing created twice");
}

#[tokio::test]
async fn leased_rows_without_a_completion_are_reconciled_and_wait_for_the_settle_window() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("lease");
    let journal = dir.path("j");
    let items = credits(8, "lease");
    // Row 5 fails before being applied; the others are applied.
    for _ in 0..5 {
        emulator.inject(Fault::once(
            "AllocateCredit",
            FaultKind::Delay { millis: 0 },
        ));
    }
    emulator.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    run_credit(&client, &items, BulkOptions::new(1).with_journal(&journal)).await;
    // As if the process had died before recording rows 3 and 5: drop their completions.
    let text = std::fs::read_to_string(&journal).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| {
            let r: Value = serde_json::from_str::<Value>(l).unwrap()["r"].clone();
            !(r["row"] == 3 || r["row"] == 5)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&journal, kept).unwrap();

    let waiting = run_credit(&client, &items, options(&journal, LONG)).await;
    assert_eq!(waiting[3].status(), RowStatus::AlreadyApplied, "found");
    assert_eq!(
        waiting[5].status(),
        RowStatus::OutcomeUnknown,
        "may be in flight"
    );
    assert_eq!(emulator.calls("AllocateCredit"), 8);
    let resolved = run_credit(&client, &items, options(&journal, Duration::ZERO)).await;
    assert_eq!(resolved[5].status(), RowStatus::Succeeded);
    assert_eq!(Progress::of(&resolved).already_applied, 7);
    assert_eq!(emulator.calls("AllocateCredit"), 9);
    assert!(ledger(&emulator).values().all(|entries| entries.len() == 1));
}

#[tokio::test]
async fn a_torn_final_line_is_dropped_with_a_warning() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("torn");
    let journal = dir.path("j");
    let items = credits(4, "torn");
    run_credit(&client, &items, BulkOptions::new(1).with_journal(&journal)).await;
    // Cut the last record (row 3's completion) in the middle, as a crash mid-write would.
    let text = std::fs::read_to_string(&journal).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap() + 20;
    std::fs::write(&journal, &text[..cut]).unwrap();
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let seen = warnings.clone();
    let rerun = run_credit(
        &client,
        &items,
        options(&journal, LONG).with_on_event(move |event| {
            if let BulkEvent::Warning(text) = event {
                seen.lock().unwrap().push(text.to_string());
            }
        }),
    )
    .await;
    let warnings = warnings.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("incomplete final line"),
        "{warnings:?}"
    );
    assert_eq!(Progress::of(&rerun).already_applied, 4);
    match &rerun[3] {
        BulkOutcome::AlreadyApplied(found) => assert_eq!(found.source, AppliedSource::Service),
        other => panic!("{other:?}"),
    }
    assert_eq!(emulator.calls("AllocateCredit"), 4);
    // The journal is whole again: every line ends with a newline and reads back.
    let repaired = std::fs::read_to_string(&journal).unwrap();
    assert!(repaired.ends_with('\n'));
    let third = run_credit(&client, &items, options(&journal, LONG)).await;
    assert_eq!(Progress::of(&third).already_applied, 4);
}

#[tokio::test]
async fn damaged_or_foreign_journals_are_refused_and_left_alone() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("refused");
    let journal = dir.path("j");
    let items = credits(5, "refused");
    run_credit(&client, &items, BulkOptions::new(1).with_journal(&journal)).await;
    let good = std::fs::read(&journal).unwrap();
    let sent = emulator.journal().len();
    let attempt = |items: Vec<AllocateCredit>, client: Client| {
        let journal = journal.clone();
        async move {
            bulk::run(
                &client,
                items,
                BulkOptions::new(1).with_journal(&journal),
                |_| {},
            )
            .await
        }
    };

    // Another input, another service, another method.
    let message = journal_error(attempt(credits(5, "other"), client.clone()).await);
    assert!(message.contains("another input"), "{message}");
    let message = journal_error(attempt(credits(6, "refused"), client.clone()).await);
    assert!(
        message.contains("another input") && message.contains("5 rows"),
        "{message}"
    );
    let elsewhere = common::builder(&emulator)
        .base_url(emulator.alt_base_url())
        .build()
        .unwrap();
    let message = journal_error(attempt(items.clone(), elsewhere).await);
    assert!(message.contains("another service"), "{message}");
    let message = journal_error(
        bulk::run_by_name(
            &client,
            "CreateAccount",
            vec![json!({}); 5],
            BulkOptions::new(1).with_journal(&journal),
            |_| {},
        )
        .await,
    );
    assert!(message.contains("another method"), "{message}");

    // A flipped byte (checksum mismatch), a line that is not JSON, a row out of range.
    let text = String::from_utf8(good.clone()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let flipped = {
        let mut l = lines.clone();
        l[4] = l[4].replacen("\"row\":", "\"row\": ", 1);
        l
    };
    let garbage = {
        let mut l = lines.clone();
        l.insert(3, "not json".to_owned());
        l
    };
    lines.push(line(&json!({"e": "failed", "row": 99, "kind": "server", "status": 500, "message": "x", "t": "2026-01-01T00:00:00.000Z"})).trim_end().to_owned());
    for (what, bad, expected) in [
        ("checksum", flipped, "checksum mismatch"),
        ("garbage", garbage, "not a journal line"),
        ("range", lines, "out of range"),
    ] {
        let bytes = format!("{}\n", bad.join("\n"));
        std::fs::write(&journal, &bytes).unwrap();
        let message = journal_error(attempt(items.clone(), client.clone()).await);
        assert!(
            message.contains(expected) && message.contains("corrupt"),
            "{what}: {message}"
        );
        assert_eq!(
            std::fs::read(&journal).unwrap(),
            bytes.as_bytes(),
            "{what}: untouched"
        );
    }
    // A foreign journal is refused as it is, torn final line included.
    let mut torn = good.clone();
    torn.extend_from_slice(b"{\"r\":{\"e\":\"app");
    std::fs::write(&journal, &torn).unwrap();
    let message = journal_error(attempt(credits(5, "other"), client.clone()).await);
    assert!(message.contains("another input"), "{message}");
    assert_eq!(std::fs::read(&journal).unwrap(), torn, "untouched");
    assert_eq!(emulator.journal().len(), sent, "nothing was sent");
    std::fs::write(&journal, &good).unwrap();
    let fine = attempt(items, client.clone()).await.unwrap();
    assert_eq!(Progress::of(&fine).already_applied, 5);
}

#[tokio::test]
async fn a_journal_serves_one_run_at_a_time() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let dir = Scratch::new("lock");
    let journal = dir.path("j");
    emulator.inject(common::fault(
        "AllocateCredit",
        10,
        FaultKind::Delay { millis: 100 },
    ));
    let items = credits(4, "lock");
    let first = bulk::run(
        &client,
        items.clone(),
        BulkOptions::new(1).with_journal(&journal),
        |_| {},
    );
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        bulk::run(
            &client,
            items.clone(),
            BulkOptions::new(1).with_journal(&journal),
            |_| {},
        )
        .await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(Progress::of(&first.unwrap()).succeeded, 4);
    let message = journal_error(second);
    assert!(message.contains("in use by another run"), "{message}");
    assert_eq!(emulator.calls("AllocateCredit"), 4);
}
