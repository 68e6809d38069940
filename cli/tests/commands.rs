//! Every area's subcommands end to end: the built binary against an emulator, checking output
//! in each format, exit codes, and the emulator's state afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{path_str, Env};
use cpaas_reseller::Decimal;
use cpaas_reseller_emulator::{Fault, FaultKind};
use std::str::FromStr;

fn user_in_state(env: &Env, user_id: i64) -> serde_json::Value {
    env.emulator.state()["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["UserId"].as_i64() == Some(user_id))
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[test]
fn accounts_create_get_list_update_status() {
    let env = Env::new();
    let created = env
        .run(&[
            "--json",
            "accounts",
            "create",
            "--name",
            "Initrode Ltd",
            "--parent",
            "1001",
            "--email",
            "ops@initrode.example.com",
            "--country",
            "GB",
            "--time-zone",
            "Europe/London",
        ])
        .expect(0)
        .json();
    let id = created["AccountId"].as_i64().unwrap();
    assert_eq!(created["ParentAccountId"], 1001);
    assert_eq!(created["Status"], "Active");
    let id_text = id.to_string();

    let table = env.run(&["accounts", "get", &id_text]).expect(0).stdout;
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("AccountName") && l.ends_with("Initrode Ltd")),
        "{table}"
    );
    assert!(
        table.lines().next().unwrap().starts_with("AccountId"),
        "{table}"
    );

    let listed = env
        .run(&["accounts", "list", "--parent", "1001"])
        .expect(0)
        .stdout;
    let header = listed.lines().next().unwrap();
    assert!(header.starts_with("AccountId  AccountName"), "{listed}");
    assert!(
        listed.contains("Initrode Ltd") && listed.contains("Acme Retail Marketing"),
        "{listed}"
    );
    assert!(
        !listed.contains("Globex"),
        "only children of 1001: {listed}"
    );

    let csv = env.run(&["--csv", "accounts", "list"]).expect(0).stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "AccountId");
    // The root, three seeded accounts and the new one; never the foreign reseller's.
    assert_eq!(reader.records().count(), 5, "{csv}");

    let updated = env
        .run(&[
            "--json",
            "accounts",
            "update",
            &id_text,
            "--name",
            "Initrode plc",
            "--notes",
            "VIP",
        ])
        .expect(0)
        .json();
    assert_eq!(updated["AccountName"], "Initrode plc");
    assert_eq!(updated["Notes"], "VIP");

    let suspended = env
        .run(&["--json", "accounts", "status", &id_text, "suspended"])
        .expect(0)
        .json();
    assert_eq!(suspended["Status"], "Suspended");
    let bad = env
        .run(&["accounts", "status", &id_text, "Frozen"])
        .expect(2);
    assert!(bad.stderr.contains("Frozen"), "{bad:#?}");

    let missing = env.run(&["accounts", "get", "4242"]).expect(5);
    assert!(
        missing.stderr.contains("Account 4242 not found"),
        "{missing:#?}"
    );
    let invalid = env.run(&["accounts", "create", "--name", " "]).expect(3);
    assert!(invalid.stderr.contains("AccountName"), "{invalid:#?}");
    assert_eq!(
        env.emulator.calls("CreateAccount"),
        1,
        "the invalid one was not sent"
    );
}

#[test]
fn users_add_list_get_update_reset_remove() {
    let env = Env::new();
    let add = [
        "--json",
        "users",
        "add",
        "--account",
        "1001",
        "--username",
        "dana.dev",
        "--first-name",
        "Dana",
        "--last-name",
        "Dev",
        "--email",
        "dana@acme.example.com",
        "--mobile",
        "+447700900777",
        "--landline",
        "+442079460777",
        "--change-password-at-next-logon",
    ];
    let no_password = env.run(&add).expect(2);
    assert!(
        no_password
            .stderr
            .contains("CPAAS_RESELLER_NEW_USER_PASSWORD"),
        "{no_password:#?}"
    );
    assert_eq!(env.emulator.calls("AddUserToAccount"), 0);

    let created = env
        .run_env(
            &add,
            &[("CPAAS_RESELLER_NEW_USER_PASSWORD", "Welcome-2026x")],
        )
        .expect(0)
        .json();
    let user_id = created["UserId"].as_i64().unwrap();
    let stored = user_in_state(&env, user_id);
    assert_eq!(stored["Password"], "Welcome-2026x");
    assert_eq!(stored["ChangePasswordAtNextLogon"], true);
    assert_eq!(stored["Firstname"], "Dana");
    let id = user_id.to_string();

    let weak = env.run_env(
        &[
            "users",
            "add",
            "--account",
            "1001",
            "--username",
            "weak.one",
            "--first-name",
            "W",
            "--last-name",
            "O",
            "--email",
            "w@acme.example.com",
            "--mobile",
            "+447700900778",
            "--landline",
            "+442079460778",
        ],
        &[("CPAAS_RESELLER_NEW_USER_PASSWORD", "short")],
    );
    let weak = weak.expect(3);
    assert!(weak.stderr.contains("Password"), "{weak:#?}");
    assert_eq!(env.emulator.calls("AddUserToAccount"), 1);

    let listed = env
        .run(&["users", "list", "--account", "1001"])
        .expect(0)
        .stdout;
    assert!(
        listed.contains("dana.dev") && listed.contains("bob.billing"),
        "{listed}"
    );
    let got = env.run(&["--json", "users", "get", &id]).expect(0).json();
    assert_eq!(got["Username"], "dana.dev");

    let updated = env
        .run(&[
            "--json",
            "users",
            "update",
            &id,
            "--enabled",
            "false",
            "--last-name",
            "Developer",
        ])
        .expect(0)
        .json();
    assert_eq!(
        (updated["Enabled"].as_bool(), updated["LastName"].as_str()),
        (Some(false), Some("Developer"))
    );

    let reset = env
        .run_stdin(
            &["users", "reset-password", &id, "--password-stdin"],
            "Another-Passw0rd\n",
        )
        .expect(0);
    assert!(reset.stdout.contains("reset"), "{reset:#?}");
    assert_eq!(user_in_state(&env, user_id)["Password"], "Another-Passw0rd");

    let removed = env.run(&["--json", "users", "remove", &id]).expect(0);
    assert_eq!(removed.stdout.trim(), "null");
    assert!(user_in_state(&env, user_id).is_null());
    env.run(&["users", "get", &id]).expect(5);
}

#[test]
fn roles_list_assign_and_remove() {
    let env = Env::new();
    let roles = env.run(&["roles", "list"]).expect(0).stdout;
    assert!(
        roles
            .lines()
            .next()
            .unwrap()
            .starts_with("RoleId  RoleName"),
        "{roles}"
    );
    assert_eq!(roles.lines().count(), 6, "{roles}");
    let json = env.run(&["--json", "roles", "list"]).expect(0).json();
    assert_eq!(json["Roles"].as_array().unwrap().len(), 5);

    env.run(&["roles", "assign-user", "--user", "102", "--role", "4"])
        .expect(0);
    assert_eq!(user_in_state(&env, 102)["RoleIds"], serde_json::json!([4]));
    env.run(&["roles", "remove-user", "--user", "102", "--role", "4"])
        .expect(0);
    assert_eq!(user_in_state(&env, 102)["RoleIds"], serde_json::json!([]));
    let not_held = env
        .run(&["roles", "remove-user", "--user", "102", "--role", "4"])
        .expect(5);
    assert!(not_held.stderr.contains("HTTP 400"), "{not_held:#?}");

    env.run(&[
        "roles",
        "assign-account",
        "--account",
        "1002",
        "--role",
        "5",
    ])
    .expect(0);
    let account = env
        .run(&["--json", "accounts", "get", "1002"])
        .expect(0)
        .json();
    assert_eq!(account["RoleIds"], serde_json::json!([5]));
    let done = env
        .run(&[
            "roles",
            "remove-account",
            "--account",
            "1002",
            "--role",
            "5",
        ])
        .expect(0);
    assert_eq!(done.stdout.trim(), "Role 5 removed from account 1002.");
}

#[test]
fn credit_allocate_balance_history_and_unknown_outcome() {
    let env = Env::new();
    let allocated = env
        .run(&[
            "--json",
            "credit",
            "allocate",
            "--account",
            "1002",
            "--amount",
            "12.50",
            "--reference",
            "inv-77",
        ])
        .expect(0)
        .json();
    assert_eq!(allocated["Reference"], "inv-77");
    assert_eq!(
        Decimal::from_str(allocated["Amount"].as_str().unwrap()).unwrap(),
        Decimal::new(1250, 2)
    );

    // Without --reference one is generated, so an unknown outcome can still be reconciled.
    let generated = env
        .run(&[
            "--json",
            "credit",
            "allocate",
            "--account",
            "1002",
            "--amount",
            "0.10",
        ])
        .expect(0)
        .json();
    assert!(
        generated["Reference"].as_str().unwrap().starts_with("cli-"),
        "{generated}"
    );

    let balance = env
        .run(&["credit", "balance", "--account", "1002"])
        .expect(0)
        .stdout;
    assert!(
        balance
            .lines()
            .any(|l| l.starts_with("Balance") && l.ends_with("12.60")),
        "{balance}"
    );

    let history = env
        .run(&["--csv", "credit", "history", "--account", "1002"])
        .expect(0)
        .stdout;
    let mut reader = csv::Reader::from_reader(history.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "AllocationId");
    assert_eq!(reader.records().count(), 2, "{history}");
    let window = env
        .run(&[
            "--json",
            "credit",
            "history",
            "--account",
            "1001",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
        ])
        .expect(0)
        .json();
    assert_eq!(window["Allocations"][0]["Reference"], "OPENING-1001");

    env.run(&["credit", "allocate", "--account", "1002", "--amount", "abc"])
        .expect(3);
    env.run(&["credit", "allocate", "--account", "1002", "--amount", "-5"])
        .expect(3);
    assert_eq!(env.emulator.calls("AllocateCredit"), 2);

    env.emulator.inject(Fault::once(
        "AllocateCredit",
        FaultKind::Status {
            status: 504,
            apply: true,
        },
    ));
    let unknown = env
        .run(&[
            "credit",
            "allocate",
            "--account",
            "1002",
            "--amount",
            "5",
            "--reference",
            "inv-78",
        ])
        .expect(7);
    assert!(
        unknown.stderr.contains("inv-78") && unknown.stderr.contains("credit history"),
        "{unknown:#?}"
    );
    assert_eq!(env.emulator.calls("AllocateCredit"), 3, "never replayed");
}

#[test]
fn reports_rows_csv_and_summary_match_the_emulator() {
    let env = Env::new();
    let csv = env
        .run(&[
            "--csv",
            "reports",
            "chargeable",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-08",
            "--account",
            "1001",
        ])
        .expect(0)
        .stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().take(3).collect::<Vec<_>>(),
        ["AccountId", "ActivityDate", "ActivityType"]
    );
    assert_eq!(reader.records().count(), 7 * 3, "7 days, 3 rows a day");

    let summary = env
        .run(&[
            "--json",
            "reports",
            "chargeable",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-01",
            "--summary",
        ])
        .expect(0)
        .json();
    let lines = summary.as_array().unwrap();
    let total = lines.iter().find(|l| l["ActivityType"] == "TOTAL").unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let end = chrono::DateTime::parse_from_rfc3339("2026-02-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let (count, cost) =
        cpaas_reseller_emulator::activity::summary(42, 3, &[1000, 1001, 1002, 1003], start, end);
    assert_eq!(total["Rows"].as_u64(), Some(count));
    assert_eq!(
        Decimal::from_str(total["TotalCost"].as_str().unwrap()).unwrap(),
        cost
    );
    let by_type: u64 = lines
        .iter()
        .filter(|l| l["ActivityType"] != "TOTAL")
        .map(|l| l["Rows"].as_u64().unwrap())
        .sum();
    assert_eq!(by_type, count);

    let table = env
        .run(&[
            "reports",
            "chargeable",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--account",
            "1002",
        ])
        .expect(0)
        .stdout;
    assert!(table.starts_with("AccountId  ActivityDate"), "{table}");
    assert_eq!(table.lines().count(), 4);
    env.run(&[
        "reports",
        "chargeable",
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
    ])
    .expect(3);
    env.run(&[
        "reports",
        "chargeable",
        "--from",
        "yesterday",
        "--to",
        "2026-01-01",
    ])
    .expect(3);
}

#[test]
fn numbers_available_allocate_list_release() {
    let env = Env::new();
    let available = env
        .run(&[
            "--json",
            "numbers",
            "available",
            "--country",
            "US",
            "--type",
            "TollFree",
        ])
        .expect(0)
        .json();
    let numbers = available["Numbers"].as_array().unwrap();
    assert_eq!(numbers.len(), 3);
    let number = numbers[0]["Number"].as_str().unwrap().to_owned();

    let allocated = env
        .run(&[
            "--json",
            "numbers",
            "allocate",
            "--account",
            "1002",
            "--number",
            &number,
        ])
        .expect(0)
        .json();
    assert_eq!(allocated["AccountId"], 1002);
    let listed = env
        .run(&["numbers", "list", "--account", "1002"])
        .expect(0)
        .stdout;
    assert!(listed.contains(&number), "{listed}");
    let csv = env
        .run(&[
            "--csv",
            "numbers",
            "available",
            "--country",
            "US",
            "--type",
            "toll-free",
        ])
        .expect(0)
        .stdout;
    assert_eq!(csv.lines().count(), 3, "header and the two left: {csv}");

    let released = env
        .run(&[
            "numbers",
            "release",
            "--account",
            "1002",
            "--number",
            &number,
        ])
        .expect(0);
    assert!(released.stdout.contains(&number));
    let empty = env
        .run(&["numbers", "list", "--account", "1002"])
        .expect(0)
        .stdout;
    assert_eq!(empty.trim(), "(none)");
    env.run(&[
        "numbers",
        "allocate",
        "--account",
        "1002",
        "--number",
        "12345",
    ])
    .expect(3);
}

#[test]
fn call_reaches_any_method_with_a_json_body() {
    let env = Env::new();
    let inline = env
        .run(&["call", "GetAccount", "--body", r#"{"AccountId": 1002}"#])
        .expect(0)
        .json();
    assert_eq!(inline["AccountName"], "Globex Corporation");
    let body = env.file("body.json", br#"{"AccountId": 1001}"#);
    let from_file = env
        .run(&[
            "call",
            "GetCreditBalance",
            "--body",
            &format!("@{}", path_str(&body)),
        ])
        .expect(0)
        .json();
    assert_eq!(from_file["Balance"].to_string(), "250.00");
    let roles = env.run(&["call", "GetRoles"]).expect(0).json();
    assert_eq!(roles["Roles"].as_array().unwrap().len(), 5);
    let empty = env
        .run(&[
            "call",
            "AssignRoleToUser",
            "--body",
            r#"{"UserId":102,"RoleId":2}"#,
        ])
        .expect(0);
    assert_eq!(empty.stdout.trim(), "null");

    env.run(&["call", "GetAccount", "--body", "{not json"])
        .expect(3);
    env.run(&["call", "GetAccount", "--body", "[1]"]).expect(3);
    let unknown = env.run(&["call", "NoSuchMethod"]).expect(5);
    assert!(
        unknown.stderr.contains("HTTP 404") && unknown.stderr.contains("base URL"),
        "{unknown:#?}"
    );
    env.run(&["call", "Get Account"]).expect(3);
}

#[test]
fn exit_codes_for_authentication_api_and_transport_errors() {
    let env = Env::new();
    let refused = env
        .run_env(
            &["roles", "list"],
            &[("CPAAS_RESELLER_PASSWORD", "wrong-password1")],
        )
        .expect(4);
    assert!(
        refused.stderr.contains("401") && refused.stderr.contains("hint:"),
        "{refused:#?}"
    );
    assert!(!refused.stderr.contains("wrong-password1"));

    // A read that keeps failing with 500 is retried by the core, then reported.
    env.emulator.inject(Fault {
        method: Some("GetRoles".to_owned()),
        times: 3,
        kind: FaultKind::Status {
            status: 500,
            apply: false,
        },
    });
    env.run(&["roles", "list"]).expect(5);
    assert_eq!(
        env.emulator.calls("GetRoles"),
        4,
        "first attempt plus two retries; the 401 call counts too"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let nowhere = format!("http://127.0.0.1:{port}/WebApi/ResellerServices");
    let transport = env
        .run(&["--base-url", &nowhere, "accounts", "list"])
        .expect(6);
    assert!(transport.stderr.contains("GetAccounts"), "{transport:#?}");
    // A refused connection proves nothing was sent, so even a mutating call is not "unknown".
    env.run(&[
        "--base-url",
        &nowhere,
        "credit",
        "allocate",
        "--account",
        "1001",
        "--amount",
        "1",
    ])
    .expect(6);

    env.emulator.inject(Fault::once(
        "CreateAccount",
        FaultKind::Drop { apply: false },
    ));
    env.run(&["accounts", "create", "--name", "Lost Ltd"])
        .expect(7);

    env.run(&["--base-url", "http://example.com/x", "roles", "list"])
        .expect(2);
    env.run(&["accounts"]).expect(2);
    env.run(&["--json", "--csv", "roles", "list"]).expect(2);
    env.run(&["--timeout", "0", "roles", "list"]).expect(2);
}

#[test]
fn help_lists_the_exit_codes() {
    let env = Env::new();
    let help = env.run(&["--help"]).expect(0).stdout;
    for needle in [
        "Exit codes:",
        "  3    validation",
        "  4    authentication",
        "  7    outcome unknown",
        "CPAAS_RESELLER_USERNAME",
    ] {
        assert!(help.contains(needle), "{needle} missing: {help}");
    }
    let short = env.run(&["-h"]).expect(0).stdout;
    assert!(short.contains("Exit codes:"), "{short}");
    for area in ["accounts", "users", "roles", "credit", "reports", "numbers"] {
        let text = env.run(&[area, "--help"]).expect(0).stdout;
        assert!(text.contains("Usage: cpaas-reseller"), "{area}: {text}");
    }
}
