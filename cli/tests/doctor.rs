//! `cpaas-reseller doctor`: exit 0 when the credentials work on one base URL, else the cause's code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Env;
use cpaas_reseller_emulator::Variant;

#[test]
fn doctor_reports_and_exits_by_cause() {
    let env = Env::new();
    let ok = env.run(&["doctor"]).expect(0);
    assert!(
        ok.stdout.contains("OK: use base URL") && ok.stdout.contains("GetRoles"),
        "{ok:#?}"
    );

    env.emulator.set_variant(Variant {
        overview_base_only: true,
        missing_methods: vec!["GetRoles".to_owned()],
    });
    let overview = env.run(&["doctor"]).expect(0);
    assert!(
        overview
            .stdout
            .contains(&format!("OK: use base URL {}", env.emulator.alt_base_url()))
            && overview.stdout.contains("MISSING"),
        "{overview:#?}"
    );

    let wrong = env
        .run_env(
            &["doctor"],
            &[("CPAAS_RESELLER_PASSWORD", "wrong-password1")],
        )
        .expect(4);
    assert!(wrong.stdout.contains("FAILED (credentials)"), "{wrong:#?}");
    assert!(!wrong.stdout.contains("wrong-password1"));
    assert!(!ok.stdout.contains(env.emulator.password()));
}
