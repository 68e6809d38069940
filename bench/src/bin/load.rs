//! Load: 100,000 calls through one client at concurrency 64, sampling this process's resident
//! memory (`VmRSS`) and open file descriptors every 10,000 calls. The emulator runs in a child
//! process (this binary with `--serve`), so the figures are the client's alone. The mix is
//! `GetAccount`, `GetRoles`, `GetCreditBalance`, `AllocateCredit` and a 400 every 50th call.
//!
//! `cargo run --release -p cpaas-reseller-bench --bin load` prints a table and one JSON line.

use cpaas_reseller::requests::{AllocateCredit, GetAccount, GetCreditBalance, GetRoles};
use cpaas_reseller::{Client, Decimal, ErrorKind};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const CALLS: usize = 100_000;
const CONCURRENCY: usize = 64;
const SAMPLE_EVERY: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Sample {
    calls: usize,
    rss_kib: u64,
    fds: usize,
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count())
}

/// The child: serves an emulator and prints its base URL, until stdin closes.
fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    println!(
        "{} {} {}",
        emulator.base_url(),
        emulator.username(),
        emulator.password()
    );
    std::io::stdout().flush()?;
    let mut sink = Vec::new();
    std::io::stdin().read_to_end(&mut sink)?;
    emulator.shutdown();
    Ok(())
}

async fn one_call(client: &Client, n: usize) -> Result<(), cpaas_reseller::Error> {
    match n % 50 {
        // An error path too: a 400 for an account that does not exist.
        0 => match client.get_account(&GetAccount { account_id: 999 }).await {
            Err(error) if error.kind() == ErrorKind::BadRequest => Ok(()),
            Err(error) => Err(error),
            Ok(_) => Ok(()),
        },
        n if n % 4 == 1 => client.get_roles(&GetRoles {}).await.map(drop),
        n if n % 4 == 2 => client
            .get_credit_balance(&GetCreditBalance { account_id: 1001 })
            .await
            .map(drop),
        n if n % 4 == 3 => client
            .allocate_credit(&AllocateCredit {
                account_id: 1002,
                amount: Decimal::new(1, 2),
                reference: None,
            })
            .await
            .map(drop),
        _ => client
            .get_account(&GetAccount { account_id: 1001 })
            .await
            .map(drop),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|a| a == "--serve") {
        return serve();
    }
    let mut child = Command::new(std::env::current_exe()?)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no child stdout")?).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(base_url), Some(username), Some(password)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("unexpected emulator output {line:?}").into());
    };
    let client = Client::builder()
        .credentials(username, password)
        .base_url(base_url)
        .build()?;

    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(vec![Sample {
        calls: 0,
        rss_kib: rss_kib(),
        fds: open_fds(),
    }]));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, next, done, samples) =
            (client.clone(), next.clone(), done.clone(), samples.clone());
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= CALLS {
                    break;
                }
                one_call(&client, n).await?;
                let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                if finished % SAMPLE_EVERY == 0 {
                    let sample = Sample {
                        calls: finished,
                        rss_kib: rss_kib(),
                        fds: open_fds(),
                    };
                    if let Ok(mut samples) = samples.lock() {
                        samples.push(sample);
                    }
                }
            }
            Ok::<_, cpaas_reseller::Error>(())
        });
    }
    while let Some(outcome) = workers.join_next().await {
        outcome??;
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(child.stdin.take());
    child.wait()?;

    let samples = samples.lock().map(|s| s.clone()).unwrap_or_default();
    println!("{:>8}  {:>10}  {:>4}", "calls", "VmRSS KiB", "fds");
    for s in &samples {
        println!("{:>8}  {:>10}  {:>4}", s.calls, s.rss_kib, s.fds);
    }
    let warm = samples
        .iter()
        .find(|s| s.calls == SAMPLE_EVERY)
        .copied()
        .ok_or("no warm-up sample")?;
    let last = samples.last().copied().ok_or("no sample")?;
    let growth_kib = i128::from(last.rss_kib) - i128::from(warm.rss_kib);
    let fd_growth = last.fds as i64 - warm.fds as i64;
    let max_fds = samples.iter().map(|s| s.fds).max().unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({
            "bench": "load",
            "calls": done.load(Ordering::SeqCst),
            "concurrency": CONCURRENCY,
            "seconds": seconds,
            "calls_per_second": CALLS as f64 / seconds,
            "rss_kib_after_warmup": warm.rss_kib,
            "rss_kib_final": last.rss_kib,
            "rss_growth_kib": growth_kib,
            "fds_after_warmup": warm.fds,
            "fds_final": last.fds,
            "fds_max": max_fds,
            "fd_growth": fd_growth,
        })
    );
    if growth_kib > 10 * 1024 || fd_growth > 0 {
        return Err(format!(
            "over target: RSS grew {growth_kib} KiB after warm-up (target <= 10240), fds grew {fd_growth}"
        )
        .into());
    }
    Ok(())
}
