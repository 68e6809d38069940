//! One structured event per attempt, bodies only at TRACE and redacted, and a sink that does not
//! want a level is never handed an event of it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::events::{self, Direction, Level, Record, Sink};
use cpaas_reseller::requests::{AddUserToAccount, GetRoles};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, FaultKind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "Canary-Pa55word-7731";
const USER_PASSWORD: &str = "New-User-Secret-4242";

#[derive(Clone)]
struct Capture {
    min: Level,
    asked: Arc<Mutex<Vec<Level>>>,
    records: Arc<Mutex<Vec<Record>>>,
}

impl Capture {
    fn new(min: Level) -> Self {
        Self {
            min,
            asked: Arc::default(),
            records: Arc::default(),
        }
    }

    fn records(&self) -> Vec<Record> {
        self.records.lock().unwrap().clone()
    }
}

impl Sink for Capture {
    fn enabled(&self, level: Level) -> bool {
        self.asked.lock().unwrap().push(level);
        // tracing orders levels by verbosity: TRACE > DEBUG > WARN.
        level <= self.min
    }

    fn record(&self, record: Record) {
        assert!(record.level() <= self.min, "a disabled level was recorded");
        self.records.lock().unwrap().push(record);
    }
}

fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        password: PASSWORD.to_owned(),
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn new_user(emulator: &Emulator) -> AddUserToAccount {
    AddUserToAccount {
        account_id: emulator.root_account_id(),
        username: "canary.user".to_owned(),
        password: USER_PASSWORD.into(),
        firstname: "Canary".to_owned(),
        last_name: "User".to_owned(),
        email_address: "canary@example.com".to_owned(),
        mobile_phone_number: "+447700900123".to_owned(),
        landline_phone_number: "+442079460123".to_owned(),
        ..Default::default()
    }
}

#[tokio::test]
async fn one_event_per_attempt_with_the_retry_decision() {
    let emulator = emulator();
    let client = common::client(&emulator);
    let capture = Capture::new(Level::DEBUG);
    let _guard = tracing::subscriber::set_default(events::subscriber(capture.clone()));
    emulator.inject(fault(
        "GetRoles",
        2,
        FaultKind::Status {
            status: 503,
            apply: false,
        },
    ));
    client.get_roles(&GetRoles {}).await.unwrap();
    let attempts: Vec<_> = capture
        .records()
        .into_iter()
        .map(|record| match record {
            Record::Attempt(event) => event,
            Record::Body(_) => panic!("a body below TRACE"),
        })
        .collect();
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    for (index, event) in attempts.iter().enumerate() {
        assert_eq!(event.method, "GetRoles");
        assert_eq!(event.attempt as usize, index + 1);
        assert!(!event.outcome_unknown);
    }
    assert_eq!(attempts[0].status, Some(503));
    assert!(attempts[0].retry && attempts[0].wait.is_some());
    assert_eq!(attempts[0].level(), Level::WARN);
    assert_eq!(attempts[2].status, Some(200));
    assert!(!attempts[2].retry && attempts[2].reason.is_none());
    assert_eq!(attempts[2].level(), Level::DEBUG);
    assert!(attempts[0].to_string().contains("retrying in"));
}

#[tokio::test]
async fn outcome_unknown_is_a_warning_and_debug_is_never_built_for_a_warn_sink() {
    let emulator = emulator();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let capture = Capture::new(Level::WARN);
    let _guard = tracing::subscriber::set_default(events::subscriber(capture.clone()));
    client.get_roles(&GetRoles {}).await.unwrap();
    assert!(capture.records().is_empty(), "a success is DEBUG");
    emulator.inject(fault(
        "AddUserToAccount",
        1,
        FaultKind::Delay { millis: 1_000 },
    ));
    let request = new_user(&emulator);
    let error = client.add_user_to_account(&request).await;
    let records = capture.records();
    assert_eq!(records.len(), 1, "{records:?} after {error:?}");
    let Record::Attempt(event) = &records[0] else {
        panic!("{records:?}")
    };
    assert!(error.is_err_and(|e| e.outcome_unknown()));
    assert!(event.outcome_unknown && !event.retry, "{event:?}");
    assert_eq!(event.status, None);
    assert_eq!(event.level(), Level::WARN);
    assert!(event.to_string().contains("outcome unknown"));
    let asked = capture.asked.lock().unwrap();
    assert!(asked.contains(&Level::DEBUG) && asked.contains(&Level::TRACE));
}

#[tokio::test]
async fn bodies_only_at_trace_and_redacted() {
    let emulator = emulator();
    let client = common::client(&emulator);
    let capture = Capture::new(Level::TRACE);
    let _guard = tracing::subscriber::set_default(events::subscriber(capture.clone()));
    client
        .add_user_to_account(&new_user(&emulator))
        .await
        .unwrap();
    let _ = client
        .call("GetRoles", Some(&serde_json::json!({ "Echo": PASSWORD })))
        .await;
    let records = capture.records();
    let bodies: Vec<_> = records
        .iter()
        .filter_map(|record| match record {
            Record::Body(body) => Some(body),
            Record::Attempt(_) => None,
        })
        .collect();
    assert!(bodies.iter().any(|b| b.direction == Direction::Request
        && b.method == "AddUserToAccount"
        && b.body.contains("canary.user")
        && b.body.contains("***")));
    assert!(bodies.iter().any(|b| b.direction == Direction::Response));
    let token = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{PASSWORD}", emulator.username()))
    };
    for record in &records {
        let text = format!("{record} {record:?}");
        for secret in [PASSWORD, USER_PASSWORD, token.as_str()] {
            assert!(!text.contains(secret), "leaked {secret}: {text}");
        }
    }
}
