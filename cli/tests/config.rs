//! Where credentials come from: the environment, or a config file only its owner can read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{bare, path_str, Env, Run};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn write_config(path: &Path, env: &Env, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!(
            "username = \"{}\"\npassword = \"{}\"\nbase_url = \"{}\"\n",
            env.emulator.username(),
            env.emulator.password(),
            env.emulator.base_url()
        ),
    )
    .unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn run_bare(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = bare(&env.home, args);
    for (key, value) in vars {
        command.env(key, value);
    }
    command.output().unwrap().into()
}

#[test]
fn a_missing_credential_gives_a_one_line_hint() {
    let env = Env::new();
    let none = run_bare(&env, &["roles", "list"], &[]).expect(2);
    assert_eq!(none.stderr.trim().lines().count(), 1, "{none:#?}");
    assert!(none.stderr.contains("CPAAS_RESELLER_USERNAME"), "{none:#?}");
    assert!(none.stderr.contains("config.toml"), "{none:#?}");

    let user_only = run_bare(
        &env,
        &["roles", "list"],
        &[
            ("CPAAS_RESELLER_USERNAME", "reseller"),
            ("CPAAS_RESELLER_BASE_URL", &env.emulator.base_url()),
        ],
    )
    .expect(2);
    assert_eq!(user_only.stderr.trim().lines().count(), 1, "{user_only:#?}");
    assert!(
        user_only.stderr.contains("set CPAAS_RESELLER_PASSWORD"),
        "{user_only:#?}"
    );
    assert_eq!(env.emulator.journal().len(), 0, "nothing was sent");
}

#[test]
fn the_default_config_file_is_used_when_private_and_refused_otherwise() {
    let env = Env::new();
    let path = env.home.join(".config/cpaas-reseller/config.toml");
    write_config(&path, &env, 0o600);
    let ok = run_bare(&env, &["--json", "roles", "list"], &[]).expect(0);
    assert_eq!(ok.json()["Roles"].as_array().unwrap().len(), 5);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = run_bare(&env, &["roles", "list"], &[]).expect(2);
    assert!(refused.stderr.contains("refusing"), "{refused:#?}");
    assert!(
        refused
            .stderr
            .contains(&format!("chmod 600 {}", path.display())),
        "{refused:#?}"
    );
    assert_eq!(
        env.emulator.calls("GetRoles"),
        1,
        "the refused run sent nothing"
    );

    // XDG_CONFIG_HOME moves the default location.
    let xdg = env.home.join("xdg");
    write_config(&xdg.join("cpaas-reseller/config.toml"), &env, 0o600);
    run_bare(
        &env,
        &["roles", "list"],
        &[("XDG_CONFIG_HOME", path_str(&xdg))],
    )
    .expect(0);
}

#[test]
fn an_explicit_config_file_must_exist_and_be_private_and_env_wins() {
    let env = Env::new();
    let path = env.home.join("custom.toml");
    let missing = run_bare(&env, &["--config", path_str(&path), "roles", "list"], &[]).expect(2);
    assert!(missing.stderr.contains("does not exist"), "{missing:#?}");

    write_config(&path, &env, 0o640);
    let refused = run_bare(&env, &["--config", path_str(&path), "roles", "list"], &[]).expect(2);
    assert!(refused.stderr.contains("chmod 600"), "{refused:#?}");

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    run_bare(&env, &["--config", path_str(&path), "roles", "list"], &[]).expect(0);
    run_bare(
        &env,
        &["roles", "list"],
        &[("CPAAS_RESELLER_CONFIG", path_str(&path))],
    )
    .expect(0);

    // The environment overrides the file, field by field.
    let wrong = run_bare(
        &env,
        &["--config", path_str(&path), "roles", "list"],
        &[("CPAAS_RESELLER_PASSWORD", "not-the-password1")],
    )
    .expect(4);
    assert!(!wrong.stderr.contains("not-the-password1"), "{wrong:#?}");

    let typo = env.home.join("typo.toml");
    std::fs::write(&typo, "usernme = \"x\"\n").unwrap();
    std::fs::set_permissions(&typo, std::fs::Permissions::from_mode(0o600)).unwrap();
    let bad = run_bare(&env, &["--config", path_str(&typo), "roles", "list"], &[]).expect(2);
    assert!(bad.stderr.contains("usernme"), "{bad:#?}");
}

#[test]
fn passwords_are_never_accepted_as_arguments() {
    let env = Env::new();
    for args in [
        &["--password", "x", "roles", "list"][..],
        &[
            "users",
            "reset-password",
            "101",
            "--password",
            "Secret-123x",
        ][..],
    ] {
        let run = env.run(args).expect(2);
        assert!(run.stderr.contains("unexpected argument"), "{run:#?}");
    }
}
