//! Bulk provisioning end to end: faults that leave rows unknown, a results line for every row,
//! no credit allocated twice, bad files refused before anything is sent, and Ctrl-C.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{path_str, read_results, Env};
use cpaas_reseller::Decimal;
use cpaas_reseller_emulator::{Fault, FaultKind};
use std::collections::HashMap;
use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant};

fn decimal(value: &serde_json::Value) -> Decimal {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Decimal::from_str(&text).unwrap()
}

/// Every ledger entry's Reference must be unique, and every balance the sum of its ledger.
fn assert_ledger_consistent(env: &Env) -> HashMap<String, serde_json::Value> {
    let state = env.emulator.state();
    let mut by_reference = HashMap::new();
    let mut sums: HashMap<i64, Decimal> = HashMap::new();
    for entry in state["ledger"].as_array().unwrap() {
        let reference = entry["Reference"].as_str().unwrap().to_owned();
        assert!(
            by_reference
                .insert(reference.clone(), entry.clone())
                .is_none(),
            "{reference} allocated twice"
        );
        *sums
            .entry(entry["AccountId"].as_i64().unwrap())
            .or_default() += decimal(&entry["Amount"]);
    }
    for (account, balance) in state["balances"].as_object().unwrap() {
        let account: i64 = account.parse().unwrap();
        assert_eq!(
            decimal(balance),
            sums.get(&account).copied().unwrap_or_default(),
            "balance of {account}"
        );
    }
    by_reference
}

fn credit_csv(rows: usize) -> String {
    let mut text = String::from("AccountId,Amount,Reference\n");
    for n in 1..=rows {
        let account = [1001, 1002, 1003][n % 3];
        // Every third row leaves Reference empty: the CLI generates one.
        let reference = if n % 3 == 0 {
            String::new()
        } else {
            format!("feb-{n}")
        };
        text.push_str(&format!("{account},{n}.25,{reference}\n"));
    }
    text
}

#[test]
fn credit_with_faults_accounts_for_every_row_and_never_allocates_twice() {
    let env = Env::new();
    let file = env.file("credit.csv", credit_csv(24).as_bytes());
    let results = env.home.join("results.csv");
    let status = |status, apply| FaultKind::Status { status, apply };
    for kind in [
        status(504, true),
        status(504, false),
        FaultKind::Drop { apply: true },
        FaultKind::Drop { apply: false },
        status(500, false),
        status(400, false),
    ] {
        env.emulator.inject(Fault::once("AllocateCredit", kind));
    }
    let run = env
        .run(&[
            "bulk",
            "credit",
            "allocate",
            "--file",
            path_str(&file),
            "--concurrency",
            "4",
            "--results",
            path_str(&results),
            "--reference-prefix",
            "feb-gen",
        ])
        .expect(7);

    let rows = read_results(&results);
    assert_eq!(rows.len(), 24, "one line per input row");
    let count = |status: &str| rows.iter().filter(|r| r["status"] == status).count();
    assert_eq!(
        (
            count("applied"),
            count("failed"),
            count("outcome_unknown"),
            count("not_started")
        ),
        (18, 2, 4, 0)
    );
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(row["row"], (index + 1).to_string());
        assert_eq!(row["line"], (index + 2).to_string());
        let n = index + 1;
        let expected = if n % 3 == 0 {
            format!("feb-gen-{n}")
        } else {
            format!("feb-{n}")
        };
        assert_eq!(row["Reference"], expected);
        match row["status"].as_str() {
            "applied" => assert!(!row["AllocationId"].is_empty() && row["error_kind"].is_empty()),
            _ => assert!(
                row["AllocationId"].is_empty()
                    && !row["error_kind"].is_empty()
                    && !row["message"].is_empty()
            ),
        }
    }

    assert_eq!(
        env.emulator.calls("AllocateCredit"),
        24,
        "no row was sent twice"
    );
    let ledger = assert_ledger_consistent(&env);
    for row in &rows {
        let entry = ledger.get(&row["Reference"]);
        match row["status"].as_str() {
            "applied" => assert_eq!(
                entry.unwrap()["AllocationId"].to_string(),
                row["AllocationId"]
            ),
            "failed" => assert!(entry.is_none(), "{row:?}"),
            _ => {}
        }
    }
    // The two faults that applied before failing are in the ledger; the others are not.
    let unknown_applied = rows
        .iter()
        .filter(|r| r["status"] == "outcome_unknown" && ledger.contains_key(&r["Reference"]))
        .count();
    assert_eq!(unknown_applied, 2);

    for row in rows.iter().filter(|r| r["status"] == "outcome_unknown") {
        assert!(
            run.stderr
                .contains(&format!("compare Reference {}", row["Reference"])),
            "{run:#?}"
        );
    }
    assert!(run.stderr.contains("credit history --account"), "{run:#?}");
    assert!(
        run.stderr
            .contains("24 rows: 18 applied now, 0 already applied, 2 failed, 4 outcome unknown, 0 not started"),
        "{run:#?}"
    );
    assert!(
        run.stderr.contains("progress: 24/24 rows done"),
        "plain progress lines off a terminal: {run:#?}"
    );
}

#[test]
fn generated_references_are_deterministic_per_file() {
    let env = Env::new();
    let file = env.file("credit.csv", b"AccountId,Amount\n1001,1.00\n1002,2.00\n");
    let first = env
        .run(&[
            "--json",
            "bulk",
            "credit",
            "allocate",
            "--file",
            path_str(&file),
        ])
        .expect(0)
        .json();
    let second = env
        .run(&[
            "--json",
            "bulk",
            "credit",
            "allocate",
            "--file",
            path_str(&file),
            "--dry-run",
        ])
        .expect(0);
    assert!(
        second.stdout.is_empty() && second.stderr.contains("nothing sent"),
        "{second:#?}"
    );
    let references: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Reference"].as_str().unwrap())
        .collect();
    assert!(
        references[0].starts_with("bulk-") && references[0].ends_with("-1"),
        "{references:?}"
    );
    assert_eq!(
        references[0].trim_end_matches("-1"),
        references[1].trim_end_matches("-2")
    );
    // The same bytes give the same prefix; other bytes another one.
    let other = env.file("other.csv", b"AccountId,Amount\n1001,1.00\n1002,2.50\n");
    let third = env
        .run(&[
            "--json",
            "bulk",
            "credit",
            "allocate",
            "--file",
            path_str(&other),
        ])
        .expect(0)
        .json();
    assert_ne!(third[0]["Reference"].as_str().unwrap(), references[0]);
    assert_eq!(
        env.emulator.calls("AllocateCredit"),
        4,
        "the dry run sent nothing"
    );
    assert_ledger_consistent(&env);
}

#[test]
fn users_and_accounts_from_csv() {
    let env = Env::new();
    let users = env.file(
        "users.csv",
        "AccountId,Username,Firstname,LastName,EmailAddress,MobilePhoneNumber,LandlinePhoneNumber,Notes,Password\n\
         1001,jane.doe,Jane,Doe,jane@acme.example.com,+447700900555,+442079460555,,\n\
         1001,mallory,Mal,Lory,mal@acme.example.com,+447700900556,+442079460556,taken name,\n\
         1002,john.roe,John,Roe,john@globex.example.com,+12025550123,+12025550124,own password,Own-Passw0rd1\n"
            .as_bytes(),
    );
    std::fs::set_permissions(&users, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let refused = env
        .run(&["bulk", "users", "add", "--file", path_str(&users)])
        .expect(3);
    assert!(
        refused.stderr.contains("line 2: no Password")
            && refused.stderr.contains("line 3: no Password"),
        "{refused:#?}"
    );
    assert_eq!(env.emulator.calls("AddUserToAccount"), 0);

    let run = env
        .run_env(
            &["--json", "bulk", "users", "add", "--file", path_str(&users)],
            &[("CPAAS_RESELLER_NEW_USER_PASSWORD", "Welcome-2026x")],
        )
        .expect(8);
    let rows = run.json();
    let statuses: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["applied", "failed", "applied"]);
    assert_eq!(rows[1]["error_kind"], "bad_request");
    assert_eq!(rows[1]["http_status"], 400);
    assert!(rows[0]["UserId"].as_i64().is_some());
    let state = env.emulator.state();
    let user = |name: &str| {
        state["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["Username"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(user("jane.doe")["Password"], "Welcome-2026x");
    assert_eq!(
        user("jane.doe")["ChangePasswordAtNextLogon"],
        true,
        "a shared password must be changed"
    );
    assert_eq!(user("john.roe")["Password"], "Own-Passw0rd1");
    assert!(!run.stdout.contains("Welcome-2026x") && !run.stderr.contains("Own-Passw0rd1"));

    let accounts = env.file(
        "accounts.csv",
        b"AccountName,ParentAccountId,CountryCode,TimeZone\nAcme North,1001,GB,Europe/London\nAcme South,,GB,\n",
    );
    let results = env.home.join("accounts-results.csv");
    env.run(&[
        "bulk",
        "accounts",
        "create",
        "--file",
        path_str(&accounts),
        "--results",
        path_str(&results),
    ])
    .expect(0);
    let rows = read_results(&results);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["status"] == "applied"));
    let north: i64 = rows[0]["AccountId"].parse().unwrap();
    let account = env
        .run(&["--json", "accounts", "get", &north.to_string()])
        .expect(0)
        .json();
    assert_eq!(
        (
            account["AccountName"].as_str(),
            account["ParentAccountId"].as_i64()
        ),
        (Some("Acme North"), Some(1001))
    );
}

#[test]
fn bad_csv_is_reported_with_line_numbers_before_anything_is_sent() {
    let env = Env::new();
    let cases: [(&str, &[u8], &[&str]); 6] = [
        (
            "missing.csv",
            b"AccountId,Reference\n1001,x\n",
            &["line 1: missing column Amount"],
        ),
        (
            "unknown.csv",
            b"AccountId,Amount,Ref\n1001,1,x\n",
            &["line 1: unknown column \"Ref\""],
        ),
        (
            "numbers.csv",
            b"AccountId,Amount\n1001,1.00\nabc,2\n1002,12,5\n1003,-1\n1003,\n",
            &[
                "line 3: AccountId \"abc\" is not a whole number",
                "line 4: 3 field(s), the header has 2",
                "line 5: invalid Amount",
                "line 6: Amount is empty",
            ],
        ),
        (
            "encoding.csv",
            b"AccountId,Amount,Reference\n1001,1,ok\n1002,2,caf\xe9\n",
            &["line 3: column Reference is not valid UTF-8"],
        ),
        (
            "duplicate.csv",
            b"AccountId,Amount,Reference\n1001,1,a\n1002,2,a\n",
            &["line 3: Reference \"a\" already used on line 2"],
        ),
        ("empty.csv", b"", &["the file is empty"]),
    ];
    for (name, content, expected) in cases {
        let file = env.file(name, content);
        let results = env.home.join(format!("{name}.results"));
        let run = env
            .run(&[
                "bulk",
                "credit",
                "allocate",
                "--file",
                path_str(&file),
                "--results",
                path_str(&results),
            ])
            .expect(3);
        for needle in expected {
            assert!(
                run.stderr.contains(needle),
                "{name}: {needle:?} not in {run:#?}"
            );
        }
        assert!(
            !results.exists(),
            "{name}: no results file when nothing ran"
        );
    }
    let missing = env
        .run(&["bulk", "credit", "allocate", "--file", "/nonexistent/x.csv"])
        .expect(3);
    assert!(missing.stderr.contains("cannot read"), "{missing:#?}");
    let bad_user = env.file("u.csv", b"AccountId,Username,Firstname,LastName,EmailAddress,MobilePhoneNumber,LandlinePhoneNumber,Password\n1001,a,b,c,d@e.fg,+447700900001,07700900002,Passw0rd-long\n");
    let run = env
        .run(&["bulk", "users", "add", "--file", path_str(&bad_user)])
        .expect(3);
    assert!(
        run.stderr
            .contains("line 2: AddUserToAccount: invalid LandlinePhoneNumber")
            || run.stderr.contains("line 2: invalid LandlinePhoneNumber"),
        "{run:#?}"
    );
    assert_eq!(env.emulator.journal().len(), 0, "nothing was sent");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_new_rows_and_the_results_cover_every_row() {
    let env = Env::new();
    env.emulator.inject(Fault {
        method: Some("AllocateCredit".to_owned()),
        times: 1000,
        kind: FaultKind::Delay { millis: 300 },
    });
    let file = env.file("credit.csv", credit_csv(40).as_bytes());
    let results = env.home.join("results.csv");
    let child = env
        .command(&[
            "bulk",
            "credit",
            "allocate",
            "--file",
            path_str(&file),
            "--concurrency",
            "2",
            "--results",
            path_str(&results),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while env.emulator.calls("AllocateCredit") < 3 {
        assert!(Instant::now() < deadline, "the run never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let run: common::Run = child.wait_with_output().unwrap().into();
    let run = run.expect(130);
    assert!(
        run.stderr.contains("Ctrl-C: no new rows will start"),
        "{run:#?}"
    );

    let rows = read_results(&results);
    assert_eq!(rows.len(), 40, "a line for every row, started or not");
    let applied: Vec<_> = rows.iter().filter(|r| r["status"] == "applied").collect();
    let not_started = rows.iter().filter(|r| r["status"] == "not_started").count();
    assert_eq!(
        applied.len() + not_started,
        40,
        "in-flight rows finished: {rows:?}"
    );
    assert!(not_started > 0 && applied.len() >= 3, "{rows:?}");
    // Rows start in file order, so the unstarted ones are the tail.
    assert!(rows[applied.len()..]
        .iter()
        .all(|r| r["status"] == "not_started"));
    assert_eq!(env.emulator.calls("AllocateCredit"), applied.len());
    let ledger = assert_ledger_consistent(&env);
    for row in &rows {
        assert_eq!(
            ledger.contains_key(&row["Reference"]),
            row["status"] == "applied",
            "{row:?}"
        );
    }
}

#[test]
fn the_identical_command_again_is_safe_and_a_foreign_or_damaged_journal_is_refused() {
    let env = Env::new();
    let file = env.file("credit.csv", credit_csv(9).as_bytes());
    let results = env.home.join("results.csv");
    let args = [
        "bulk",
        "credit",
        "allocate",
        "--file",
        path_str(&file),
        "--results",
        path_str(&results),
    ];
    env.run(&args).expect(0);
    let journal = env.home.join("credit.csv.journal");
    assert!(journal.exists(), "the journal sits beside the input");
    let first = read_results(&results);

    // Again: nothing sent, every row already applied with the same id, exit 0.
    let again = env.run(&args).expect(0);
    assert!(
        again
            .stderr
            .contains("9 rows: 0 applied now, 9 already applied, 0 failed, 0 outcome unknown"),
        "{again:#?}"
    );
    assert_eq!(env.emulator.calls("AllocateCredit"), 9);
    let rows = read_results(&results);
    for (before, now) in first.iter().zip(&rows) {
        assert_eq!(now["status"], "already_applied");
        assert_eq!(now["AllocationId"], before["AllocationId"]);
        assert_eq!(now["message"], "applied by an earlier run (journal)");
    }

    // Without the journal, reconciliation finds every row on the service.
    let elsewhere = env.home.join("other.journal");
    let mut with_other = args.to_vec();
    with_other.extend(["--journal", path_str(&elsewhere)]);
    env.run(&with_other).expect(0);
    assert!(read_results(&results)
        .iter()
        .all(|r| r["message"] == "found on the service"));
    assert_eq!(env.emulator.calls("AllocateCredit"), 9);

    // The file changed: its journal is refused, and the results of the earlier run are kept.
    let kept = std::fs::read(&results).unwrap();
    std::fs::write(&file, credit_csv(10)).unwrap();
    let refused = env.run(&args).expect(3);
    assert!(
        refused.stderr.contains("belongs to another input")
            && refused
                .stderr
                .contains("delete the journal or pass --journal"),
        "{refused:#?}"
    );
    assert_eq!(std::fs::read(&results).unwrap(), kept);
    std::fs::write(&file, credit_csv(9)).unwrap();

    // A damaged journal is refused and left as it is.
    let mut damaged = std::fs::read_to_string(&journal).unwrap();
    damaged = damaged.replacen("\"row\":3", "\"row\":4", 1);
    std::fs::write(&journal, &damaged).unwrap();
    let refused = env.run(&args).expect(3);
    assert!(
        refused.stderr.contains("checksum mismatch") && refused.stderr.contains("Move it aside"),
        "{refused:#?}"
    );
    assert_eq!(std::fs::read_to_string(&journal).unwrap(), damaged);
    assert_eq!(env.emulator.calls("AllocateCredit"), 9, "nothing sent");
}

#[test]
fn without_reconciliation_an_unknown_row_is_left_alone() {
    let env = Env::new();
    let file = env.file("credit.csv", credit_csv(3).as_bytes());
    env.emulator.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Drop { apply: false },
    ));
    let args = [
        "--json",
        "bulk",
        "credit",
        "allocate",
        "--file",
        path_str(&file),
        "--no-reconcile",
        "--settle",
        "0",
    ];
    env.run(&args).expect(7);
    let rerun = env.run(&args).expect(7);
    let rows = rerun.json();
    assert_eq!(rows[0]["status"], "outcome_unknown");
    assert!(rows[0]["message"]
        .as_str()
        .unwrap()
        .contains("reconciliation is off"));
    assert_eq!(rows[1]["status"], "already_applied");
    assert!(
        rerun.stderr.contains("without --no-reconcile"),
        "{rerun:#?}"
    );
    assert_eq!(env.emulator.calls("AllocateCredit"), 3);
    assert_eq!(env.emulator.calls("GetCreditAllocations"), 0);
    // With reconciliation (and the window passed), the row is found missing and sent.
    let args: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--no-reconcile")
        .collect();
    let done = env.run(&args).expect(0).json();
    assert_eq!(done[0]["status"], "applied");
    assert_eq!(env.emulator.calls("AllocateCredit"), 4);
    assert_ledger_consistent(&env);
}
