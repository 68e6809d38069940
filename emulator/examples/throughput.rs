//! Emulator throughput, measured (never asserted): small keep-alive requests at concurrency 64,
//! then 200,000-row activity reports. Loopback only, bounded request counts.
//!
//! `cargo run --release -p cpaas-reseller-emulator --example throughput [REQUESTS] [CONCURRENCY]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

struct Target {
    addr: SocketAddr,
    path: String,
    auth: String,
}

impl Target {
    fn new(emulator: &Emulator, method: &str) -> Target {
        let credentials = format!("{}:{}", emulator.username(), emulator.password());
        Target {
            addr: emulator.addr(),
            path: format!("/WebApi/ResellerServices/{method}"),
            auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
        }
    }

    async fn connect(&self) -> SendRequest<Full<Bytes>> {
        let stream = TcpStream::connect(self.addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        sender
    }

    /// One request on a kept-alive connection; returns the body length and the time to the
    /// response head (the server renders the whole body before answering).
    async fn send(
        &self,
        sender: &mut SendRequest<Full<Bytes>>,
        body: &'static str,
    ) -> (usize, Duration) {
        let started = Instant::now();
        sender.ready().await.unwrap();
        let request = Request::post(self.path.as_str())
            .header("host", "127.0.0.1")
            .header("authorization", self.auth.as_str())
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        let head = started.elapsed();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (body.len(), head)
    }
}

/// CPU seconds (user + system) used so far by the emulator's threads, from `/proc` (Linux), so
/// the figure can be read apart from the client sharing the same two cores.
fn server_cpu_seconds() -> Option<f64> {
    let mut ticks = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("stat")).ok()?;
        let (name, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
        if !name.starts_with("cpaas-emulator") {
            continue;
        }
        let fields: Vec<&str> = rest.split(' ').collect();
        // After the name: state is field 3, utime 14, stime 15 (1-based, whole line).
        ticks += fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    }
    Some(ticks as f64 / 100.0)
}

/// `total` requests spread over `concurrency` keep-alive connections.
async fn small_requests(emulator: &Emulator, total: usize, concurrency: usize) -> Duration {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..concurrency {
        let target = Target::new(emulator, "GetCreditBalance");
        let share = total / concurrency + usize::from(i < total % concurrency);
        tasks.push(tokio::spawn(async move {
            let mut sender = target.connect().await;
            for _ in 0..share {
                target.send(&mut sender, r#"{"AccountId":1001}"#).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    started.elapsed()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    client.block_on(async {
        small_requests(&emulator, 10_000, concurrency).await;
        emulator.clear_journal();
        let cpu_before = server_cpu_seconds();
        let elapsed = small_requests(&emulator, total, concurrency).await;
        let cpu = server_cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        assert_eq!(emulator.calls("GetCreditBalance"), total);
        println!(
            "small requests: {total} GetCreditBalance calls, concurrency {concurrency}, keep-alive: {:.2} s, {:.0} requests/s",
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64()
        );
        println!(
            "{}",
            serde_json::json!({
                "bench": "emulator_throughput",
                "requests": total,
                "concurrency": concurrency,
                "requests_per_second": total as f64 / elapsed.as_secs_f64(),
                "requests_per_emulator_cpu_second": cpu.map(|cpu| total as f64 / cpu),
            })
        );
        if let Some(cpu) = cpu {
            println!(
                "  emulator threads used {cpu:.2} CPU-s: {:.0} requests per emulator CPU-second (the client used the rest)",
                total as f64 / cpu
            );
        }
    });
    emulator.shutdown();

    // 50 days x 1000 rows x 4 accounts = 200,000 rows.
    let emulator = Emulator::start(EmulatorConfig {
        activities_per_account_day: 1000,
        ..Default::default()
    })
    .unwrap();
    client.block_on(async {
        let target = Target::new(&emulator, "GetChargeableActivity");
        let mut sender = target.connect().await;
        let body = r#"{"StartDate":"2026-01-01T00:00:00Z","EndDate":"2026-02-20T00:00:00Z"}"#;
        target.send(&mut sender, body).await;
        let rounds = 5;
        let started = Instant::now();
        let mut bytes = 0;
        let mut heads = Duration::ZERO;
        for _ in 0..rounds {
            let (len, head) = target.send(&mut sender, body).await;
            bytes = len;
            heads += head;
        }
        let each = started.elapsed() / rounds;
        println!(
            "activity report: 200000 rows, {:.1} MB, {:.0} ms per request, of which {:.0} ms to the response head (generation), mean of {rounds}",
            bytes as f64 / 1e6,
            each.as_secs_f64() * 1e3,
            (heads / rounds).as_secs_f64() * 1e3
        );
    });
}
