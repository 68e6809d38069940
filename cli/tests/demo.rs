//! `demo` (embedded and against a given service) and `emulator` (served until Ctrl-C).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bare, scratch, Env, Run};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

const STEPS: [&str; 7] = [
    "GetRoles",
    "CreateAccount",
    "AddUserToAccount",
    "AssignRoleToUser",
    "AllocateCredit",
    "AllocateInboundNumber",
    "GetChargeableActivity",
];

#[test]
fn demo_runs_the_story_on_the_embedded_emulator_without_any_setup() {
    let home = scratch();
    let run: Run = bare(home.path(), &["demo"]).output().unwrap().into();
    let run = run.expect(0);
    assert!(
        run.stdout
            .contains("embedded emulator at http://127.0.0.1:"),
        "{run:#?}"
    );
    for (number, method) in STEPS.iter().enumerate() {
        assert!(
            run.stdout.contains(&format!("{}. ", number + 1)) && run.stdout.contains(method),
            "{method}: {run:#?}"
        );
    }
    assert!(run.stdout.contains("AccountId 1004"), "{run:#?}");
    assert!(run.stdout.contains("balance now 100.00 GBP"), "{run:#?}");
    assert!(run.stdout.contains("TOTAL"), "{run:#?}");
    assert!(
        !run.stdout.contains("emulator-Passw0rd"),
        "no secrets printed: {run:#?}"
    );
}

#[test]
fn demo_runs_the_same_story_against_a_configured_service() {
    let env = Env::new();
    let run = env.run(&["demo"]).expect(0);
    assert!(run.stdout.contains(&env.emulator.base_url()), "{run:#?}");
    let state = env.emulator.state();
    let account = state["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["AccountName"]
                .as_str()
                .unwrap_or("")
                .starts_with("Demo Customer")
        })
        .cloned()
        .unwrap();
    let id = account["AccountId"].as_i64().unwrap();
    assert_eq!(account["RoleIds"], serde_json::json!([5]));
    let users: Vec<_> = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["AccountId"].as_i64() == Some(id))
        .collect();
    assert_eq!(users.len(), 2);
    assert!(users
        .iter()
        .all(|u| u["ChangePasswordAtNextLogon"] == true
            && u["RoleIds"].as_array().unwrap().len() == 1));
    let ledger = state["ledger"].as_array().unwrap();
    assert!(ledger
        .iter()
        .any(|e| e["Reference"] == format!("demo-{id}-opening")
            && e["AccountId"].as_i64() == Some(id)));
    assert!(state["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["AccountId"].as_i64() == Some(id)));
    for method in STEPS {
        assert!(env.emulator.calls(method) >= 1, "{method} was not called");
    }

    // Without credentials for a configured service, the usual one-line hint.
    let mut command = bare(&env.home, &["demo"]);
    command.env("CPAAS_RESELLER_BASE_URL", env.emulator.base_url());
    let missing: Run = command.output().unwrap().into();
    missing.expect(2);

    // A non-local service needs --yes before anything is created.
    let remote = env
        .run(&[
            "--base-url",
            "https://reseller.example.com/WebApi/ResellerServices",
            "demo",
        ])
        .expect(2);
    assert!(remote.stderr.contains("--yes"), "{remote:#?}");
}

#[cfg(unix)]
#[test]
fn emulator_subcommand_serves_until_ctrl_c() {
    let home = scratch();
    let mut child = bare(
        home.path(),
        &[
            "emulator",
            "--port",
            "0",
            "--username",
            "tester",
            "--password",
            "Test-Passw0rd",
            "--empty",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base_url = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("base URL:") {
            base_url = Some(url.trim().to_owned());
        }
        if line.contains("Ctrl-C") {
            break;
        }
    }
    let base_url = base_url.expect("the base URL is printed");
    let list = |password: &str| -> Run {
        let mut command = bare(home.path(), &["--json", "accounts", "list"]);
        command
            .env("CPAAS_RESELLER_BASE_URL", &base_url)
            .env("CPAAS_RESELLER_USERNAME", "tester")
            .env("CPAAS_RESELLER_PASSWORD", password);
        command.output().unwrap().into()
    };
    let accounts = list("Test-Passw0rd").expect(0).json();
    assert_eq!(
        accounts["Accounts"].as_array().unwrap().len(),
        1,
        "--empty: only the root"
    );
    list("emulator-Passw0rd").expect(4);

    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}
