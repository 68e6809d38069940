//! `-v`, `-vv` and `RUST_LOG`: one stderr line per attempt, bodies only with -vv, never a secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Env;
use cpaas_reseller_emulator::{EmulatorConfig, Fault, FaultKind};

const PASSWORD: &str = "Canary-Pa55word-7731";

fn env() -> Env {
    Env::with(EmulatorConfig {
        password: PASSWORD.to_owned(),
        ..EmulatorConfig::default()
    })
}

fn token(env: &Env) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{PASSWORD}", env.emulator.username()))
}

#[test]
fn verbosity_levels_and_rust_log() {
    let env = env();
    let quiet = env.run(&["call", "GetRoles"]).expect(0);
    assert!(quiet.stderr.is_empty(), "{quiet:#?}");

    env.emulator.inject(Fault {
        method: Some("GetRoles".to_owned()),
        times: 1,
        kind: FaultKind::Status {
            status: 503,
            apply: false,
        },
    });
    let verbose = env.run(&["-v", "call", "GetRoles"]).expect(0);
    assert!(
        verbose.stderr.contains("GetRoles attempt 1: HTTP 503")
            && verbose.stderr.contains("retrying in")
            && verbose.stderr.contains("GetRoles attempt 2: HTTP 200")
            && verbose.stderr.contains("outcome_unknown=false"),
        "{verbose:#?}"
    );
    assert!(!verbose.stderr.contains("body"), "{verbose:#?}");

    let echo =
        format!(r#"{{"AccountId": 1001, "Echo": "{PASSWORD}", "Password": "Other-Secret-99"}}"#);
    let runs = [
        env.run(&["-vv", "call", "GetAccount", "--body", &echo]),
        env.run_env(
            &["call", "GetAccount", "--body", &echo],
            &[("RUST_LOG", "cpaas_reseller=trace")],
        ),
    ];
    for run in runs {
        let run = run.expect(0);
        assert!(
            run.stderr.contains("request body") && run.stderr.contains("response body"),
            "{run:#?}"
        );
        assert!(run.stderr.contains("AccountId"), "{run:#?}");
        for secret in [PASSWORD, "Other-Secret-99", token(&env).as_str()] {
            assert!(!run.stderr.contains(secret), "{secret} leaked: {run:#?}");
            assert!(!run.stdout.contains(secret), "{secret} leaked: {run:#?}");
        }
    }
}
