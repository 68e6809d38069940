//! `get_account` calls through one Rust client at a fixed concurrency: the ceiling the bindings
//! are compared against. Runs against the shared benchmark emulator when `scripts/bench.sh`
//! names one, else against one of its own (whose CPU time then counts as the client's). Prints
//! one JSON line, with the process's CPU time per call.

use cpaas_reseller::requests::GetAccount;
use std::time::Instant;

const CONCURRENCY: usize = 64;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _own_emulator) = match cpaas_reseller_bench::shared_client() {
        Some(client) => (client?, None),
        None => {
            let emulator = cpaas_reseller_bench::emulator(3)?;
            (cpaas_reseller_bench::client(&emulator)?, Some(emulator))
        }
    };
    // As compare.py: 20,000 calls unless CPAAS_BENCH_CALLS says otherwise.
    let calls: usize = match std::env::var("CPAAS_BENCH_CALLS") {
        Ok(text) => text.parse()?,
        Err(_) => 20_000,
    };
    let request = GetAccount { account_id: 1001 };
    client.get_account(&request).await?; // warm the pool
    let cpu_before = cpaas_reseller_bench::process_cpu_seconds();
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..CONCURRENCY {
        let client = client.clone();
        let request = request.clone();
        let share = calls / CONCURRENCY + usize::from(worker < calls % CONCURRENCY);
        workers.spawn(async move {
            for _ in 0..share {
                client.get_account(&request).await?;
            }
            Ok::<_, cpaas_reseller::Error>(())
        });
    }
    while let Some(outcome) = workers.join_next().await {
        outcome??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpaas_reseller_bench::process_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / calls as f64 * 1e6);
    println!(
        "{}",
        serde_json::json!({
            "bench": "rust_core_get_account",
            "calls": calls,
            "concurrency": CONCURRENCY,
            "seconds": seconds,
            "calls_per_second": calls as f64 / seconds,
            "client_cpu_us_per_call": cpu,
        })
    );
    Ok(())
}
