//! Decoding a 200,000-row chargeable-activity report: end to end through the client, and the
//! decoder alone on the body it received. Prints one JSON line.

use chrono::{TimeZone, Utc};
use cpaas_reseller::records::ActivityReport;
use cpaas_reseller::requests::GetChargeableActivity;
use cpaas_reseller::Decode;
use std::time::Instant;

const DECODE_ROUNDS: u32 = 15;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator =
        cpaas_reseller_bench::emulator(cpaas_reseller_bench::REPORT_ROWS_PER_ACCOUNT_DAY)?;
    let client = cpaas_reseller_bench::client(&emulator)?;
    let request = GetChargeableActivity {
        start_date: Utc
            .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
            .single()
            .ok_or("date")?,
        end_date: Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .ok_or("date")?,
        account_id: None,
    };
    let rss_before = cpaas_reseller_bench::peak_rss_bytes();
    let started = Instant::now();
    let reply = client.send_with_body(&request).await?;
    let end_to_end = started.elapsed().as_secs_f64();
    let rss_after = cpaas_reseller_bench::peak_rss_bytes();
    let rows = reply.value.activities.len();
    let bytes = reply.body.len();
    drop(reply.value);

    let mut best = f64::MAX;
    for _ in 0..DECODE_ROUNDS {
        let started = Instant::now();
        let report = ActivityReport::decode(&reply.body)?;
        best = best.min(started.elapsed().as_secs_f64());
        if report.activities.len() != rows {
            return Err("row count changed between decodes".into());
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "bench": "rust_core_report_decode",
            "rows": rows,
            "body_bytes": bytes,
            "end_to_end_seconds": end_to_end,
            "decode_seconds": best,
            "decode_mb_per_second": bytes as f64 / 1e6 / best,
            "peak_rss_growth_bytes": rss_after.zip(rss_before).map(|(a, b)| a.saturating_sub(b)),
        })
    );
    Ok(())
}
