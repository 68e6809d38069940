//! The network options: `--proxy` with credentials from the environment or the config file
//! (never from a flag), `--root-certificates`, and the system's store refusing an unknown CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../../core/tests/common/net.rs"]
mod net;

use base64::Engine as _;
use common::{path_str, Env, Run};
use cpaas_reseller_emulator::EmulatorConfig;
use net::{TestCa, TestProxy};
use std::os::unix::fs::PermissionsExt;

/// Runs the binary off the runtime's threads, so the proxy keeps serving meanwhile.
async fn run(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = env.command(args);
    for (key, value) in vars {
        command.env(key, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap().into())
        .await
        .unwrap()
}

fn basic(user: &str, password: &str) -> Option<String> {
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_flag_with_credentials_from_the_environment() {
    let env = Env::new();
    let proxy = TestProxy::start(Some(("proxy-user", "proxy-PLUGH")), None).await;
    let url = proxy.url();
    let vars = [
        ("CPAAS_RESELLER_PROXY_USERNAME", "proxy-user"),
        ("CPAAS_RESELLER_PROXY_PASSWORD", "proxy-PLUGH"),
    ];
    run(&env, &["--proxy", &url, "roles", "list", "--json"], &vars)
        .await
        .expect(0);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        seen[0].proxy_authorization,
        basic("proxy-user", "proxy-PLUGH")
    );

    // The same proxy from CPAAS_RESELLER_PROXY, with a wrong password: refused by the proxy,
    // nothing reaches the service, and the password is not printed.
    let wrong = run(
        &env,
        &["roles", "list"],
        &[
            ("CPAAS_RESELLER_PROXY", &url),
            ("CPAAS_RESELLER_PROXY_USERNAME", "proxy-user"),
            ("CPAAS_RESELLER_PROXY_PASSWORD", "wrong-XYZZY"),
        ],
    )
    .await;
    assert_ne!(wrong.code, 0, "{wrong:#?}");
    assert!(!format!("{wrong:?}").contains("XYZZY"), "{wrong:#?}");
    assert_eq!(proxy.seen().len(), 2);
    assert_eq!(env.emulator.calls("GetRoles"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_credentials_come_from_the_config_file_never_from_the_flag() {
    let env = Env::new();
    let proxy = TestProxy::start(Some(("file-user", "file-PLUGH")), None).await;
    let config = env.home.join("private.toml");
    std::fs::write(
        &config,
        format!(
            "proxy = \"{}\"\nproxy_username = \"file-user\"\nproxy_password = \"file-PLUGH\"\n",
            proxy.url()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    run(&env, &["--config", path_str(&config), "roles", "list"], &[])
        .await
        .expect(0);
    assert_eq!(
        proxy
            .seen()
            .last()
            .and_then(|s| s.proxy_authorization.clone()),
        basic("file-user", "file-PLUGH")
    );

    let flagged = format!("http://file-user:file-PLUGH@{}", proxy.addr);
    let refused = run(&env, &["--proxy", &flagged, "roles", "list"], &[])
        .await
        .expect(2);
    assert!(
        refused.stderr.contains("CPAAS_RESELLER_PROXY_PASSWORD"),
        "{refused:#?}"
    );
    assert!(!refused.stderr.contains("PLUGH"), "{refused:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_certificates_flag_trusts_a_private_ca() {
    let ca = TestCa::new("cli test CA").unwrap();
    let env = Env::with(EmulatorConfig {
        tls: Some(ca.server(&["localhost"]).unwrap()),
        ..EmulatorConfig::default()
    });
    let base = format!(
        "https://localhost:{}/WebApi/ResellerServices",
        env.emulator.addr().port()
    );
    let pem = env.file("ca.pem", ca.pem().as_bytes());
    let unknown = run(
        &env,
        &["--base-url", &base, "--max-retries", "0", "roles", "list"],
        &[],
    )
    .await;
    assert_ne!(unknown.code, 0, "{unknown:#?}");
    assert!(
        unknown.stderr.to_lowercase().contains("certificate"),
        "{unknown:#?}"
    );
    run(
        &env,
        &[
            "--base-url",
            &base,
            "--root-certificates",
            path_str(&pem),
            "roles",
            "list",
        ],
        &[],
    )
    .await
    .expect(0);
    run(
        &env,
        &["--base-url", &base, "roles", "list"],
        &[("CPAAS_RESELLER_ROOT_CERTIFICATES", path_str(&pem))],
    )
    .await
    .expect(0);
    assert_eq!(env.emulator.calls("GetRoles"), 2);
}
