//! The password and the Authorization value never reach Debug, Display, errors or logs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::requests::{AddUserToAccount, GetRoles};
use cpaas_reseller::Client;
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, FaultKind};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "Canary-Pa55word-7731";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_logs_errors_or_debug_output() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(EmulatorConfig {
        password: PASSWORD.to_owned(),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let wrong = Client::builder()
        .credentials(emulator.username(), format!("{PASSWORD}-wrong"))
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let mut seen = vec![format!("{client:?}"), format!("{wrong:?}")];
    seen.push(format!(
        "{:?}",
        client.get_roles(&GetRoles {}).await.unwrap()
    ));
    emulator.inject(fault(
        "GetRoles",
        3,
        FaultKind::Status {
            status: 500,
            apply: false,
        },
    ));
    emulator.inject(fault("GetRoles", 3, FaultKind::Delay { millis: 1_000 }));
    for outcome in [
        client.get_roles(&GetRoles {}).await,
        client.get_roles(&GetRoles {}).await,
        wrong.get_roles(&GetRoles {}).await,
    ] {
        let error = outcome.unwrap_err();
        seen.push(format!("{error} {error:?}"));
    }
    let bad_user = AddUserToAccount {
        account_id: emulator.root_account_id(),
        password: PASSWORD.into(),
        ..Default::default()
    };
    seen.push(format!("{bad_user:?}"));
    seen.push(format!("{:?}", client.add_user_to_account(&bad_user).await));

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("cpaas_reseller.call"),
        "spans are logged: {logs}"
    );
    assert!(logs.contains("retrying"), "retries are logged");
    let token = base64_token(emulator.username(), PASSWORD);
    for text in seen.iter().chain([&logs]) {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
        assert!(!text.contains(&token), "authorization leaked: {text}");
    }
}

fn base64_token(username: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
}
