//! Chargeable activity: deterministic, predictable from the documented formula, and large.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::str::FromStr;

use chrono::{DateTime, Utc};
use common::{call, control, start};
use cpaas_reseller_emulator::activity::{self, ACTIVITY_TYPES};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use rust_decimal::Decimal;
use serde_json::json;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn report(emu: &Emulator, body: serde_json::Value) -> Vec<serde_json::Value> {
    let reply = call(emu, "GetChargeableActivity", &body.to_string())
        .await
        .ok();
    reply.json()["Activities"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_day_aligned_range_has_days_times_rows_times_accounts_rows() {
    let emu = start();
    let rows = report(
        &emu,
        json!({"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-01-31T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        rows.len(),
        30 * 3 * 4,
        "end is exclusive: 30 days, 3 rows, 4 accounts"
    );
    let one = report(
        &emu,
        json!({"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-01-31T00:00:00Z","AccountId":1003}),
    )
    .await;
    assert_eq!(one.len(), 90);
    assert!(one.iter().all(|r| r["AccountId"] == 1003));
    // Accounts created later are in scope too.
    call(&emu, "CreateAccount", r#"{"AccountName":"New"}"#)
        .await
        .ok();
    let rows = report(
        &emu,
        json!({"StartDate":"2026-01-01","EndDate":"2026-01-02"}),
    )
    .await;
    assert_eq!(rows.len(), 3 * 5);
}

#[tokio::test]
async fn rows_follow_the_documented_formula_exactly() {
    let emu = start();
    let reply = call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-03-01T00:00:00Z","EndDate":"2026-03-03T00:00:00Z"}"#,
    )
    .await
    .ok();
    let rows = reply.json()["Activities"].as_array().unwrap().clone();
    let expected = activity::rows(
        42,
        3,
        &[1000, 1001, 1002, 1003],
        at("2026-03-01T00:00:00Z"),
        at("2026-03-03T00:00:00Z"),
    );
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got["AccountId"], want.account_id);
        assert_eq!(
            got["ActivityDate"],
            want.activity_date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
        assert_eq!(got["ActivityType"], want.activity_type);
        assert_eq!(got["Description"], format!("{} usage", want.activity_type));
        assert_eq!(got["Quantity"], want.quantity);
        assert_eq!(got["UnitCost"].to_string(), want.unit_cost.to_string());
        assert_eq!(got["TotalCost"].to_string(), want.total_cost.to_string());
        assert_eq!(got["Currency"], "GBP");
        let q = Decimal::from(want.quantity);
        assert_eq!(q * want.unit_cost, want.total_cost);
    }
    // Slots at 00:00, 08:00 and 16:00, ordered by time then account.
    let first: Vec<_> = rows[..5]
        .iter()
        .map(|r| {
            (
                r["ActivityDate"].as_str().unwrap().to_owned(),
                r["AccountId"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(first[0], ("2026-03-01T00:00:00Z".to_owned(), 1000));
    assert_eq!(first[3], ("2026-03-01T00:00:00Z".to_owned(), 1003));
    assert_eq!(first[4], ("2026-03-01T08:00:00Z".to_owned(), 1000));
    // Types cycle in the documented order; 4 decimal unit costs; all six appear in two days.
    let types: std::collections::BTreeSet<_> = rows
        .iter()
        .map(|r| r["ActivityType"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), ACTIVITY_TYPES.len());
    assert!(rows
        .iter()
        .all(|r| r["UnitCost"].to_string().split('.').nth(1).unwrap().len() == 4));
    // Same seed, same answer; another seed, other quantities.
    let again = call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-03-01T00:00:00Z","EndDate":"2026-03-03T00:00:00Z"}"#,
    )
    .await
    .ok();
    assert_eq!(again.body, reply.body);
    let other = Emulator::start(EmulatorConfig {
        seed: 7,
        ..Default::default()
    })
    .unwrap();
    let other_reply = call(
        &other,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-03-01T00:00:00Z","EndDate":"2026-03-03T00:00:00Z"}"#,
    )
    .await
    .ok();
    assert_ne!(other_reply.body, reply.body);
}

#[test]
fn the_quantity_formula_is_splitmix64_as_documented() {
    // Reference values other languages can check their copy of the formula against.
    assert_eq!(activity::splitmix64(0), 0xE220_A839_7B1D_CDAF);
    let day = at("2026-01-01T00:00:00Z").timestamp() / 86_400;
    let key = 42u64
        ^ 1000u64.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (day as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    assert_eq!(
        activity::quantity(42, 1000, day, 0),
        1 + (activity::splitmix64(key) % 1000) as i64
    );
    let rows = activity::rows(
        42,
        3,
        &[1000],
        at("2026-01-01T00:00:00Z"),
        at("2026-01-02T00:00:00Z"),
    );
    let index = |day: i64, slot: i64| ((day * 3 + slot).rem_euclid(6)) as usize;
    for (slot, row) in rows.iter().enumerate() {
        assert_eq!(row.activity_type, ACTIVITY_TYPES[index(day, slot as i64)]);
        assert!((1..=1000).contains(&row.quantity));
    }
}

#[tokio::test]
async fn partial_days_and_odd_bounds_count_slots_inside_the_range() {
    let emu = start();
    // 08:00 inclusive to 16:00 exclusive: only the 08:00 slot.
    let rows = report(
        &emu,
        json!({"StartDate":"2026-01-01T08:00:00Z","EndDate":"2026-01-01T16:00:00Z","AccountId":1001}),
    )
    .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ActivityDate"], "2026-01-01T08:00:00Z");
    // Offsets and the WCF form are understood.
    let rows = report(
        &emu,
        json!({"StartDate":"2026-01-01T09:00:00+01:00","EndDate":"/Date(1767312000000)/","AccountId":1001}),
    )
    .await;
    // 08:00Z..2026-01-02T00:00Z: slots 08:00 and 16:00.
    assert_eq!(rows.len(), 2);
    // Dates before 1970 work too.
    let rows = report(
        &emu,
        json!({"StartDate":"1969-12-31","EndDate":"1970-01-02","AccountId":1001}),
    )
    .await;
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["ActivityDate"], "1969-12-31T00:00:00Z");
    assert_eq!(rows[5]["ActivityDate"], "1970-01-01T16:00:00Z");
}

#[tokio::test]
async fn totals_are_predictable_through_the_control_endpoint_and_the_library() {
    let emu = start();
    let rows = report(
        &emu,
        json!({"StartDate":"2026-01-01","EndDate":"2026-02-01"}),
    )
    .await;
    let sum: Decimal = rows
        .iter()
        .map(|r| Decimal::from_str(&r["TotalCost"].to_string()).unwrap())
        .sum();
    let (count, total) = activity::summary(
        42,
        3,
        &[1000, 1001, 1002, 1003],
        at("2026-01-01T00:00:00Z"),
        at("2026-02-01T00:00:00Z"),
    );
    assert_eq!(count as usize, rows.len());
    assert_eq!(total, sum);
    let summary = control(
        &emu,
        "GET",
        "/activity?StartDate=2026-01-01T00:00:00Z&EndDate=2026-02-01T00:00:00Z",
        None,
    )
    .await
    .ok()
    .json();
    assert_eq!(summary["count"], rows.len());
    assert_eq!(summary["total"].to_string(), sum.to_string());
}

#[tokio::test]
async fn large_reports_are_served_and_absurd_ones_refused() {
    let emu = Emulator::start(EmulatorConfig {
        activities_per_account_day: 1000,
        ..Default::default()
    })
    .unwrap();
    // 50 days * 1000 * 4 accounts = 200,000 rows.
    let reply = call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-02-20T00:00:00Z"}"#,
    )
    .await
    .ok();
    let parsed: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(parsed["Activities"].as_array().unwrap().len(), 200_000);
    call(
        &emu,
        "GetChargeableActivity",
        r#"{"StartDate":"2000-01-01T00:00:00Z","EndDate":"2026-01-01T00:00:00Z"}"#,
    )
    .await
    .rejected("narrow the date range");
}
