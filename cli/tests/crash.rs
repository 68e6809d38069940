//! Crash consistency: the real binary, killed with SIGKILL at random moments while faults hit
//! its calls, then the identical command run again until it completes. Every row must be
//! applied exactly once and accounted for, for credit, users and accounts.
//!
//! `crash_consistency_*` run in CI (a few hundred rows, a few kills each). The larger recorded
//! run is `crash_trials` (ignored; `scripts/crash-trials.sh` runs it and prints the figures for
//! RELIABILITY.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{path_str, read_results, Env};
use cpaas_reseller::Decimal;
use cpaas_reseller_emulator::{Fault, FaultKind};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The three bulk commands under test.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Credit,
    Users,
    Accounts,
}

impl Kind {
    fn method(self) -> &'static str {
        match self {
            Kind::Credit => "AllocateCredit",
            Kind::Users => "AddUserToAccount",
            Kind::Accounts => "CreateAccount",
        }
    }

    fn command(self) -> [&'static str; 3] {
        match self {
            Kind::Credit => ["bulk", "credit", "allocate"],
            Kind::Users => ["bulk", "users", "add"],
            Kind::Accounts => ["bulk", "accounts", "create"],
        }
    }

    /// The key column of the results.
    fn key(self) -> &'static str {
        match self {
            Kind::Credit => "Reference",
            Kind::Users => "Username",
            Kind::Accounts => "AccountName",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Kind::Credit => "AllocationId",
            Kind::Users => "UserId",
            Kind::Accounts => "AccountId",
        }
    }

    fn csv(self, rows: usize, tag: u64) -> String {
        let mut text = String::new();
        match self {
            Kind::Credit => {
                text.push_str("AccountId,Amount,Reference\n");
                for n in 1..=rows {
                    // Every fifth row leaves Reference empty: the CLI generates it.
                    let reference = if n % 5 == 0 {
                        String::new()
                    } else {
                        format!("t{tag}-{n}")
                    };
                    text.push_str(&format!(
                        "{},{}.{:02},{reference}\n",
                        1001 + n % 3,
                        n % 7 + 1,
                        n % 100
                    ));
                }
            }
            Kind::Users => {
                text.push_str("AccountId,Username,Firstname,LastName,EmailAddress,MobilePhoneNumber,LandlinePhoneNumber,Password\n");
                for n in 1..=rows {
                    text.push_str(&format!(
                        "{},u{tag}-{n},First{n},Last{n},u{n}@example.com,+4477009{:05},+4420794{:05},Welcome-2026x\n",
                        1001 + n % 2,
                        n,
                        n
                    ));
                }
            }
            Kind::Accounts => {
                text.push_str("AccountName,ParentAccountId\n");
                for n in 1..=rows {
                    let parent = ["", "1001", "1002"][n % 3];
                    text.push_str(&format!("Acct {tag}-{n},{parent}\n"));
                }
            }
        }
        text
    }
}

/// What one trial did.
#[derive(Debug, Default, Clone)]
struct Trial {
    rows: usize,
    kills: usize,
    runs: usize,
    duplicates: usize,
    lost: usize,
    duration: Duration,
}

fn decimal(value: &Value) -> Decimal {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Decimal::from_str(&text).unwrap()
}

/// A random fault sequence for the next `slots` calls of `method`: 504 and dropped connections
/// after the change was applied, 500s and dropped connections before, the rest normal.
fn inject_faults(env: &Env, method: &str, slots: usize, rng: &mut fastrand::Rng) {
    env.emulator.clear_faults();
    for _ in 0..slots {
        let roll = rng.f64();
        let kind = if roll < 0.03 {
            FaultKind::Status {
                status: 504,
                apply: true,
            }
        } else if roll < 0.06 {
            FaultKind::Drop { apply: true }
        } else if roll < 0.09 {
            FaultKind::Status {
                status: 500,
                apply: false,
            }
        } else if roll < 0.10 {
            FaultKind::Drop { apply: false }
        } else {
            FaultKind::Delay { millis: 0 }
        };
        env.emulator.inject(Fault::once(method, kind));
    }
}

/// Rows the journal leased or completed (anything sent must be among them).
fn journal_rows(path: &Path) -> HashSet<usize> {
    let mut rows = HashSet::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return rows;
    };
    for line in text.lines() {
        let Ok(line) = serde_json::from_str::<Value>(line) else {
            continue; // a torn final line
        };
        let record = &line["r"];
        if let Some(row) = record["row"].as_u64() {
            rows.insert(row as usize);
        }
        if record["e"] == "lease" {
            for range in record["rows"].as_array().unwrap() {
                let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
                rows.extend(start as usize..end as usize);
            }
        }
    }
    rows
}

/// The keys of what the service holds for `kind`, with their ids.
fn applied(env: &Env, kind: Kind) -> HashMap<String, Vec<i64>> {
    let state = env.emulator.state();
    let (list, key, id) = match kind {
        Kind::Credit => ("ledger", "Reference", "AllocationId"),
        Kind::Users => ("users", "Username", "UserId"),
        Kind::Accounts => ("accounts", "AccountName", "AccountId"),
    };
    let mut found: HashMap<String, Vec<i64>> = HashMap::new();
    for record in state[list].as_array().unwrap() {
        if let Some(name) = record[key].as_str() {
            found
                .entry(name.to_owned())
                .or_default()
                .push(record[id].as_i64().unwrap());
        }
    }
    found
}

/// One trial: `kills` runs killed with SIGKILL at random moments under faults, then the
/// identical command until it exits 0 with faults off. Checks everything and returns the
/// figures.
fn trial(kind: Kind, rows: usize, kills: usize, seed: u64) -> Trial {
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let env = Env::new();
    let file = env.file("input.csv", kind.csv(rows, seed).as_bytes());
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let results = env.home.join("results.csv");
    let journal: PathBuf = format!("{}.journal", file.display()).into();
    let mut args: Vec<&str> = kind.command().to_vec();
    args.extend([
        "--file",
        path_str(&file),
        "--results",
        path_str(&results),
        "--concurrency",
        "8",
        "--settle",
        "1",
    ]);
    let method = kind.method();
    let before = applied(&env, kind);
    let mut figures = Trial {
        rows,
        ..Trial::default()
    };

    let mut attempts = 0;
    while figures.kills < kills {
        attempts += 1;
        assert!(attempts < kills * 10, "could not kill a run mid-way");
        // Kill somewhere in the first half of what is left to do.
        let remaining = rows.saturating_sub(applied(&env, kind).len() - before.len());
        if remaining < 4 {
            break;
        }
        inject_faults(&env, method, rows * 2, &mut rng);
        let calls = env.emulator.calls(method);
        let threshold = calls + 1 + rng.usize(..remaining / 2);
        let mut child = env
            .command(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        figures.runs += 1;
        let deadline = Instant::now() + Duration::from_secs(60);
        let killed = loop {
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            if env.emulator.calls(method) >= threshold {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                break true;
            }
            assert!(Instant::now() < deadline, "run hung");
            std::thread::sleep(Duration::from_micros(200));
        };
        if !killed {
            // It had nothing to send yet: the rows leased by the killed run wait for the
            // settle window.
            std::thread::sleep(Duration::from_millis(1100));
        }
        if killed {
            figures.kills += 1;
            // Whatever reached the service is in the journal: leased before it was sent.
            let covered = journal_rows(&journal);
            let now = applied(&env, kind);
            let expected = expected_keys(kind, &file, &results);
            for (row, key) in expected.iter().enumerate() {
                if let Some(key) = key {
                    if now.contains_key(key) && !before.contains_key(key) {
                        assert!(
                            covered.contains(&row),
                            "row {row} ({key}) sent but not leased"
                        );
                    }
                }
            }
        }
    }

    env.emulator.clear_faults();
    let mut finished = false;
    for _ in 0..10 {
        let run = env.run(&args);
        figures.runs += 1;
        match run.code {
            0 => {
                finished = true;
                break;
            }
            // Rows that may still be in flight wait for the settle window.
            7 => std::thread::sleep(Duration::from_millis(1100)),
            other => panic!("rerun exited {other}: {run:#?}"),
        }
    }
    assert!(finished, "the reruns never completed");

    // Every row accounted for, applied exactly once, and the results say so.
    let lines = read_results(&results);
    assert_eq!(lines.len(), rows, "one results line per row");
    let service = applied(&env, kind);
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["row"], (n + 1).to_string());
        assert!(
            line["status"] == "applied" || line["status"] == "already_applied",
            "{line:?}"
        );
        let key = &line[kind.key()];
        match service.get(key).map(Vec::as_slice) {
            Some([id]) => assert_eq!(line[kind.id()], id.to_string(), "{line:?}"),
            Some(ids) => {
                figures.duplicates += ids.len() - 1;
            }
            None => figures.lost += 1,
        }
    }
    if let Kind::Credit = kind {
        let text = kind.csv(rows, seed);
        let mut totals: HashMap<i64, Decimal> = HashMap::new();
        for row in text.lines().skip(1) {
            let cells: Vec<&str> = row.split(',').collect();
            *totals.entry(cells[0].parse().unwrap()).or_default() +=
                Decimal::from_str(cells[1]).unwrap();
        }
        let state = env.emulator.state();
        for (account, total) in totals {
            let seeded = if account == 1001 {
                Decimal::new(25000, 2)
            } else {
                Decimal::ZERO
            };
            assert_eq!(
                decimal(&state["balances"][account.to_string()]),
                seeded + total,
                "balance of {account}"
            );
        }
    }
    assert_eq!(figures.duplicates, 0, "rows applied twice: {figures:?}");
    assert_eq!(figures.lost, 0, "rows lost: {figures:?}");
    figures.duration = started.elapsed();
    figures
}

/// Each row's key as the CLI uses it: from the file, or (generated references) from the
/// results written so far; `None` when not known yet.
fn expected_keys(kind: Kind, file: &Path, results: &Path) -> Vec<Option<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let column = match kind {
        Kind::Credit => 2,
        Kind::Users => 1,
        Kind::Accounts => 0,
    };
    let mut keys: Vec<Option<String>> = text
        .lines()
        .skip(1)
        .map(|row| {
            Some(row.split(',').nth(column).unwrap_or("").to_owned()).filter(|k| !k.is_empty())
        })
        .collect();
    if results.exists() {
        if let Ok(mut reader) = csv::Reader::from_path(results) {
            for record in reader.deserialize::<HashMap<String, String>>().flatten() {
                let row: usize = record["row"].parse().unwrap();
                keys[row - 1] = Some(record[kind.key()].clone());
            }
        }
    }
    keys
}

#[test]
fn crash_consistency_credit() {
    let figures = trial(Kind::Credit, 300, 3, 7);
    assert!(figures.kills >= 3 && figures.rows == 300, "{figures:?}");
}

#[test]
fn crash_consistency_users() {
    let figures = trial(Kind::Users, 120, 2, 11);
    assert!(figures.kills >= 2, "{figures:?}");
}

#[test]
fn crash_consistency_accounts() {
    let figures = trial(Kind::Accounts, 120, 2, 13);
    assert!(figures.kills >= 2, "{figures:?}");
}

/// The recorded run: `CRASH_TRIALS` trials (default 20) per kind with random kill points;
/// credit `CRASH_ROWS` rows (default 2000), users and accounts `CRASH_OTHER_ROWS` (default 500).
#[test]
#[ignore = "long; run by scripts/crash-trials.sh"]
fn crash_trials() {
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let trials = number("CRASH_TRIALS", 20);
    let seed = number("CRASH_SEED", 1) as u64;
    for (kind, rows) in [
        (Kind::Credit, number("CRASH_ROWS", 2000)),
        (Kind::Users, number("CRASH_OTHER_ROWS", 500)),
        (Kind::Accounts, number("CRASH_OTHER_ROWS", 500)),
    ] {
        let mut all = Vec::new();
        for n in 0..trials {
            let kills = 2 + n % 3;
            let figures = trial(kind, rows, kills, seed * 1000 + n as u64);
            println!("{kind:?} trial {n}: {figures:?}");
            all.push(figures);
        }
        let sum = |f: fn(&Trial) -> usize| all.iter().map(f).sum::<usize>();
        let seconds: Vec<f64> = all.iter().map(|t| t.duration.as_secs_f64()).collect();
        println!(
            "SUMMARY {kind:?}: trials {}, rows per trial {rows}, kills {}, runs {}, duplicates {}, \
             lost {}, seconds per trial min {:.1} max {:.1} total {:.0}",
            all.len(),
            sum(|t| t.kills),
            sum(|t| t.runs),
            sum(|t| t.duplicates),
            sum(|t| t.lost),
            seconds.iter().cloned().fold(f64::MAX, f64::min),
            seconds.iter().cloned().fold(0.0, f64::max),
            seconds.iter().sum::<f64>()
        );
    }
}
