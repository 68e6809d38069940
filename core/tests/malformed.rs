//! The malformed-body corpus (`tests/vectors/malformed.json`, format in `tests/vectors/README.md`):
//! every body is served by the emulator and must give a typed error (or the documented success),
//! never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine as _;
use cpaas_reseller::{Decimal, BODY_EXCERPT_LIMIT};
use cpaas_reseller_emulator::Fault;
use serde_json::{json, Value};
use std::str::FromStr;
use std::time::Duration;

fn corpus() -> Vec<Value> {
    common::vectors("malformed")
}

/// The emulator fault that serves the case's body.
fn fault(case: &Value) -> Fault {
    let method = case["operation"].as_str().unwrap();
    let mut fault = json!({ "method": method, "times": 1 });
    if let Some(bytes) = case.get("large_bytes") {
        fault["kind"] = json!("large");
        fault["bytes"] = bytes.clone();
    } else {
        fault["kind"] = json!("body");
        fault["status"] = case["status"].clone();
        fault["content_type"] = case["content_type"].clone();
        fault["apply"] = json!(false);
        if let Some(encoded) = case.get("body_base64") {
            fault["body_base64"] = encoded.clone();
        } else if let Some(parts) = case.get("body_parts") {
            let body: String = parts
                .as_array()
                .unwrap()
                .iter()
                .map(|part| {
                    part["text"]
                        .as_str()
                        .unwrap()
                        .repeat(part["repeat"].as_u64().unwrap() as usize)
                })
                .collect();
            fault["body"] = json!(body);
        } else {
            fault["body"] = case["body"].clone();
        }
    }
    Fault::from_value(&fault).unwrap()
}

fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(e)) => {
            match (Decimal::from_str(a), Decimal::from_str(e)) {
                (Ok(a), Ok(e)) => a == e,
                _ => a == e,
            }
        }
        (Value::Number(a), Value::Number(e)) => a.to_string() == e.to_string(),
        _ => actual == expected,
    }
}

#[test]
fn corpus_is_large_and_covers_every_kind_of_damage() {
    let cases = corpus();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let names: std::collections::HashSet<_> = cases.iter().map(|c| &c["name"]).collect();
    assert_eq!(names.len(), cases.len(), "names are unique");
    let has = |f: &dyn Fn(&Value) -> bool| cases.iter().any(f);
    assert!(has(&|c| c["content_type"]
        .as_str()
        .is_some_and(|t| t.contains("xml"))));
    assert!(has(&|c| c["content_type"]
        .as_str()
        .is_some_and(|t| t.contains("html"))));
    assert!(has(&|c| c["body"] == ""));
    assert!(has(&|c| c.get("body_base64").is_some()));
    assert!(has(&|c| c["large_bytes"].as_u64() >= Some(100_000_000)));
    assert!(has(
        &|c| c["body_parts"][0]["repeat"].as_u64() >= Some(100_000)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_body_gives_a_typed_outcome() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .max_retries(0)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let cases = corpus();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let method = case["operation"].as_str().unwrap();
        let expect = &case["expect"];
        emulator.clear_journal();
        emulator.inject(fault(case));
        let outcome = tokio::time::timeout(
            Duration::from_secs(60),
            client.invoke(method, case["input"].clone()),
        )
        .await
        .unwrap_or_else(|_| panic!("{name}: hung"));
        assert_eq!(emulator.calls(method), 1, "{name}: sent once");
        assert!(emulator.pending_faults().is_empty(), "{name}: fault used");
        match (expect["kind"].as_str().unwrap(), outcome) {
            ("success", Ok(value)) => {
                for check in expect["values"].as_array().unwrap() {
                    let path = check["path"].as_str().unwrap();
                    let actual = common::lookup(&value, path);
                    assert!(
                        same(actual, &check["value"]),
                        "{name}: {path} is {actual}, expected {}",
                        check["value"]
                    );
                }
            }
            ("success", Err(error)) => panic!("{name}: expected success, got {error}"),
            (kind, Ok(value)) => {
                let shown = value.to_string();
                panic!(
                    "{name}: expected {kind}, got {}",
                    &shown[..shown.len().min(200)]
                )
            }
            (kind, Err(error)) => {
                assert_eq!(error.kind().as_str(), kind, "{name}: {error}");
                assert_eq!(
                    error.outcome_unknown(),
                    expect["outcome_unknown"].as_bool().unwrap(),
                    "{name}: {error}"
                );
                let api = error.api().unwrap_or_else(|| panic!("{name}: {error:?}"));
                let status = if case.get("large_bytes").is_some() {
                    200
                } else {
                    case["status"].as_u64().unwrap()
                };
                assert_eq!(u64::from(api.status), status, "{name}");
                assert!(api.body_excerpt.len() <= BODY_EXCERPT_LIMIT, "{name}");
                // The text names the call and the status, whatever the body held.
                let display = error.to_string();
                assert!(
                    display.starts_with(&format!("{method}: HTTP {status}")),
                    "{name}: {}",
                    &display[..display.len().min(300)]
                );
                let _ = format!("{error:?}");
            }
        }
    }
}

#[test]
fn body_base64_decodes_to_the_exact_bytes() {
    let case = corpus()
        .into_iter()
        .find(|c| c["name"] == "invalid UTF-8 in a string")
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(case["body_base64"].as_str().unwrap())
        .unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
}
