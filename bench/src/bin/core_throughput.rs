//! `get_account` calls through one Rust client at a fixed concurrency: the ceiling the bindings
//! are compared against. Runs against the shared benchmark emulator when `scripts/bench.sh`
//! names one, else against one of its own. Prints one JSON line.

use cpaas_reseller::requests::GetAccount;
use std::time::Instant;

const CALLS: usize = 20_000;
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
    let request = GetAccount { account_id: 1001 };
    client.get_account(&request).await?; // warm the pool
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..CONCURRENCY {
        let client = client.clone();
        let request = request.clone();
        let share = CALLS / CONCURRENCY + usize::from(worker < CALLS % CONCURRENCY);
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
    println!(
        "{}",
        serde_json::json!({
            "bench": "rust_core_get_account",
            "calls": CALLS,
            "concurrency": CONCURRENCY,
            "seconds": seconds,
            "calls_per_second": CALLS as f64 / seconds,
        })
    );
    Ok(())
}
