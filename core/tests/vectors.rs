//! The language-neutral conformance vectors in `tests/vectors/`, run through the public API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fault, lookup, vectors};
use cpaas_reseller::{parse_date, Decimal, Error};
use cpaas_reseller_emulator::FaultKind;
use serde_json::Value;
use std::str::FromStr;

fn text(case: &Value, key: &str) -> String {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {case}"))
        .to_owned()
}

/// Decimals compare as exact values and dates as instants; everything else as JSON.
fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(e)) => {
            if let (Ok(a), Ok(e)) = (Decimal::from_str(a), Decimal::from_str(e)) {
                return a == e;
            }
            if let (Ok(a), Ok(e)) = (parse_date(a), parse_date(e)) {
                return a == e;
            }
            a == e
        }
        _ => actual == expected,
    }
}

#[tokio::test]
async fn request_vectors_encode_exactly() {
    let emulator = common::emulator();
    let client = common::builder(&emulator).max_retries(0).build().unwrap();
    for case in vectors("requests") {
        let method = text(&case, "operation");
        emulator.clear_journal();
        let _ = client.invoke(&method, case["input"].clone()).await;
        let journal = emulator.journal();
        let entry = journal
            .iter()
            .rev()
            .find(|e| e.method == method)
            .unwrap_or_else(|| panic!("{case}: nothing sent"));
        assert_eq!(entry.body, text(&case, "wire"), "{}", case["name"]);
    }
}

#[tokio::test]
async fn response_vectors_decode_exactly() {
    let emulator = common::emulator();
    let client = common::builder(&emulator).max_retries(0).build().unwrap();
    for case in vectors("responses") {
        let method = text(&case, "operation");
        emulator.inject(fault(
            &method,
            1,
            FaultKind::Body {
                status: 200,
                content_type: "application/json".into(),
                body: text(&case, "body"),
                apply: false,
            },
        ));
        let output = client
            .invoke(&method, case["input"].clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case["name"]));
        for check in case["expect"].as_array().unwrap() {
            let path = check["path"].as_str().unwrap();
            let actual = lookup(&output, path);
            assert!(
                same(actual, &check["value"]),
                "{}: {path} = {actual}, expected {}",
                case["name"],
                check["value"]
            );
        }
        if let Some(extra) = case.get("extra") {
            let record = lookup(&output, extra["path"].as_str().unwrap());
            for key in extra["keys"].as_array().unwrap() {
                let key = key.as_str().unwrap();
                let original: Value = serde_json::from_str(&text(&case, "body")).unwrap();
                let original = lookup(&original, extra["path"].as_str().unwrap());
                assert_eq!(
                    record[key], original[key],
                    "{}: unknown field {key} kept",
                    case["name"]
                );
            }
        }
    }
}

#[tokio::test]
async fn error_vectors_map_exactly() {
    let emulator = common::emulator();
    let client = common::builder(&emulator).max_retries(0).build().unwrap();
    for case in vectors("errors") {
        let method = text(&case, "operation");
        emulator.inject(fault(
            &method,
            1,
            FaultKind::Body {
                status: case["status"].as_u64().unwrap() as u16,
                content_type: text(&case, "content_type"),
                body: text(&case, "body"),
                apply: false,
            },
        ));
        let error = client
            .invoke(&method, case["input"].clone())
            .await
            .expect_err(&text(&case, "name"));
        let expect = &case["expect"];
        let name = case["name"].as_str().unwrap();
        assert_eq!(
            error.kind().as_str(),
            expect["kind"].as_str().unwrap(),
            "{name}: {error}"
        );
        let api = error.api().unwrap_or_else(|| panic!("{name}: {error}"));
        let checks: [(&str, Value); 5] = [
            ("status", api.status.into()),
            ("error_type", api.error_type.clone().into()),
            ("message", api.message.clone().into()),
            ("detail", Value::Object(api.detail.clone())),
            ("outcome_unknown", api.outcome_unknown.into()),
        ];
        for (key, actual) in checks {
            if let Some(expected) = expect.get(key) {
                assert_eq!(&actual, expected, "{name}: {key}");
            }
        }
        if let Some(fragment) = expect.get("body_excerpt_contains").and_then(Value::as_str) {
            assert!(
                api.body_excerpt.contains(fragment),
                "{name}: {:?}",
                api.body_excerpt
            );
        }
        assert_eq!(api.method, method);
        assert_eq!(
            api.content_type.as_deref(),
            Some(text(&case, "content_type").as_str()),
            "{name}"
        );
    }
}

#[tokio::test]
async fn validation_vectors_name_the_field_and_send_nothing() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    for case in vectors("validation") {
        let method = text(&case, "operation");
        let error = client
            .invoke(&method, case["input"].clone())
            .await
            .expect_err(&text(&case, "name"));
        match error {
            Error::Validation(v) => {
                assert_eq!(v.field, text(&case, "field"), "{}", case["name"]);
                assert_eq!(v.method.as_deref(), Some(method.as_str()));
            }
            other => panic!("{}: expected validation, got {other}", case["name"]),
        }
        assert_eq!(emulator.calls(&method), 0, "{}", case["name"]);
    }
}
