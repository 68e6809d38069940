//! The durable journal of a bulk run: JSON Lines, one record per line, appended as the run
//! goes, so that a rerun after a crash knows what happened to every row.
//!
//! Every line is `{"r":RECORD,"c":"CHECK"}`, `CHECK` being the first 8 hex digits of the
//! SHA-256 of `RECORD` exactly as written, so a damaged line is detected. Records, by `e`:
//! * `header` (first line): `format`, `version`, `method`, `fingerprint` (SHA-256 over the
//!   method and each input's canonical vendor JSON with secret fields removed, see
//!   [`SECRET_FIELDS`]; no secret and no hash of one is ever written), `row_count`,
//!   `base_url`, `username`, `t`.
//! * `run`: a run starts on this journal.
//! * `lease` with `rows` (half-open index ranges): these rows may be sent from now on. Written
//!   and fsynced before the first of them is started, a few hundred rows at a time.
//! * `release` with `rows`: leased rows the run stopped before starting (nothing sent).
//! * `applied` (`row`, `id`, `result`), `already_applied` (`row`, `id`, `record`), `failed`
//!   (`row`, `kind`, `status`, `message`: no effect on the service), `outcome_unknown` (same
//!   fields: may have been applied): one per decided row, written as soon as it is known.
//! * `alive`: written about every second while calls are in flight and nothing else was.
//!
//! Every record has `t`, its UTC time. Lines are written with one `write` each (a killed
//! process keeps every line it wrote) and fsynced at most about a second or
//! [`SYNC_EVERY_ROWS`] rows apart and at the end; leases are fsynced at once. On power loss at
//! most about a second of completions is lost, and those rows fall back to "leased without a
//! completion": they may have been sent and are resolved by reconciliation.
//!
//! Reading refuses (nothing sent, the file left as it is) a journal of another method, input,
//! row count or service, and any damaged line: bad JSON, a checksum mismatch, an unknown
//! record, a row index out of range. The one tolerated damage is a final line without its
//! newline (a write cut short by a crash): it is dropped with a warning.

use super::{Applied, AppliedSource};
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The `format` of the header line.
pub const FORMAT: &str = "cpaas-reseller-bulk-journal";
/// The `version` of the header line this library writes and reads.
pub const VERSION: u32 = 1;
/// Request fields left out of the fingerprint (and never written anywhere).
pub const SECRET_FIELDS: &[&str] = &["Password", "NewPassword"];
/// Completions between two fsyncs at most (also at most [`SYNC_INTERVAL`] apart).
pub const SYNC_EVERY_ROWS: usize = 256;
/// Time between two fsyncs of completions at most.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(1);
/// Rows leased at a time at least (more with high concurrency).
pub const LEASE_ROWS: usize = 256;

/// What identifies the run a journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) method: String,
    pub(crate) fingerprint: String,
    pub(crate) row_count: usize,
    pub(crate) base_url: String,
    pub(crate) username: String,
}

impl Header {
    pub(crate) fn new(method: &str, inputs: &[Value], base_url: &str, username: &str) -> Self {
        Self {
            method: method.to_owned(),
            fingerprint: fingerprint(method, inputs),
            row_count: inputs.len(),
            base_url: base_url.to_owned(),
            username: username.to_owned(),
        }
    }
}

/// SHA-256 over the method and each input's canonical JSON (object keys sorted, secrets
/// removed), one per line, as hex.
pub(crate) fn fingerprint(method: &str, inputs: &[Value]) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(format!("{FORMAT}/{VERSION}\n{method}\n").as_bytes());
    for input in inputs {
        let mut text = String::new();
        canonical(input, &mut text, true);
        text.push('\n');
        context.update(text.as_bytes());
    }
    hex(context.finish().as_ref())
}

/// Compact JSON with object keys in byte order; at the top level, secret fields are left out.
fn canonical(value: &Value, out: &mut String, top: bool) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|key| !(top && SECRET_FIELDS.contains(&key.as_str())))
                .collect();
            keys.sort();
            out.push('{');
            for (n, key) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(inner) = map.get(key) {
                    canonical(inner, out, false);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                canonical(item, out, false);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check(record: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, record.as_bytes());
    hex(&digest.as_ref()[..4])
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// What an earlier run left for one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prior {
    /// Never leased (or leased and released): nothing was sent.
    Fresh,
    /// Sent and failed without effect: safe to send again.
    Failed,
    /// Applied (by a call or found by reconciliation).
    Done(Applied),
    /// May have been sent: resolved by reconciliation, never blindly sent again.
    Maybe {
        /// When the run that may have sent it last wrote to the journal.
        since: DateTime<Utc>,
        why: String,
    },
}

/// A record as written.
#[derive(Serialize)]
#[serde(tag = "e", rename_all = "snake_case")]
enum Record<'a> {
    Header {
        format: &'a str,
        version: u32,
        method: &'a str,
        fingerprint: &'a str,
        row_count: usize,
        base_url: &'a str,
        username: &'a str,
        t: String,
    },
    Run {
        t: String,
    },
    Lease {
        rows: Vec<(usize, usize)>,
        t: String,
    },
    Release {
        rows: Vec<(usize, usize)>,
        t: String,
    },
    Applied {
        row: usize,
        id: Option<i64>,
        result: &'a Value,
        t: String,
    },
    AlreadyApplied {
        row: usize,
        id: Option<i64>,
        record: &'a Value,
        t: String,
    },
    Failed {
        row: usize,
        kind: &'a str,
        status: Option<u16>,
        message: String,
        t: String,
    },
    OutcomeUnknown {
        row: usize,
        kind: &'a str,
        status: Option<u16>,
        message: String,
        t: String,
    },
    Alive {
        t: String,
    },
}

/// A record as read: every field of every kind, optional (plain fields, so that numbers keep
/// their exact text under serde_json's `arbitrary_precision`).
#[derive(Deserialize)]
struct RecordIn {
    e: String,
    t: Option<String>,
    format: Option<String>,
    version: Option<u32>,
    method: Option<String>,
    fingerprint: Option<String>,
    row_count: Option<usize>,
    base_url: Option<String>,
    username: Option<String>,
    rows: Option<Vec<(usize, usize)>>,
    row: Option<usize>,
    id: Option<i64>,
    result: Option<Value>,
    record: Option<Value>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct LineIn<'a> {
    #[serde(borrow)]
    r: &'a RawValue,
    c: &'a str,
}

/// What opening a journal found.
pub(crate) struct Opened {
    pub(crate) journal: Journal,
    pub(crate) prior: Vec<Prior>,
    pub(crate) warnings: Vec<String>,
}

/// An open journal, locked against other runs for as long as it lives.
pub(crate) struct Journal {
    file: Arc<File>,
    path: PathBuf,
    unsynced: usize,
    last_sync: Instant,
    last_write: Instant,
}

fn refused(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::validation("journal", format!("{}: {message}", path.display()))
}

fn io_refused(path: &Path, action: &str, error: &std::io::Error) -> Error {
    refused(path, format!("cannot {action}: {error}"))
}

impl Journal {
    /// Opens the journal at `path` for a run described by `header`: creates it (header line
    /// fsynced) if it does not exist, else reads and checks it and appends to it.
    pub(crate) fn open(path: &Path, header: &Header) -> Result<Opened> {
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(path)
            .map_err(|e| io_refused(path, "open the journal", &e))?;
        // Called through the trait: std's own `File::try_lock` needs Rust 1.89.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(refused(
                    path,
                    "the journal is in use by another run (wait for it to end)",
                ))
            }
            Err(fs4::TryLockError::Error(e)) => {
                return Err(io_refused(path, "lock the journal", &e))
            }
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| io_refused(path, "read the journal", &e))?;
        let mut warnings = Vec::new();
        // A final line without its newline is a write cut short: dropped (it carries nothing a
        // rerun may rely on) so the next record starts on a line of its own, but only once the
        // rest has been checked, so a refused journal is left exactly as it is.
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |n| n + 1);
        let prior = if complete == 0 {
            None
        } else {
            Some(read(path, &bytes[..complete], header)?)
        };
        if complete < bytes.len() {
            warnings.push(format!(
                "{}: dropped an incomplete final line ({} bytes) left by an interrupted write; \
                 its row is treated as possibly sent",
                path.display(),
                bytes.len() - complete
            ));
            file.set_len(complete as u64)
                .and_then(|()| file.sync_all())
                .map_err(|e| io_refused(path, "repair the journal", &e))?;
        }
        let mut journal = Journal {
            file: Arc::new(file),
            path: path.to_owned(),
            unsynced: 0,
            last_sync: Instant::now(),
            last_write: Instant::now(),
        };
        let prior = match prior {
            Some(prior) => prior,
            // New (or created by a run that died before its header was complete, which it
            // writes and fsyncs before anything is sent).
            None => {
                journal
                    .write(&Record::Header {
                        format: FORMAT,
                        version: VERSION,
                        method: &header.method,
                        fingerprint: &header.fingerprint,
                        row_count: header.row_count,
                        base_url: &header.base_url,
                        username: &header.username,
                        t: now(),
                    })
                    .map_err(|e| io_refused(path, "write the journal", &e))?;
                vec![Prior::Fresh; header.row_count]
            }
        };
        journal
            .write(&Record::Run { t: now() })
            .map_err(|e| io_refused(path, "write the journal", &e))?;
        journal
            .file
            .sync_all()
            .map_err(|e| io_refused(path, "sync the journal", &e))?;
        #[cfg(unix)]
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The new file's directory entry must survive a power loss too.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        journal.last_sync = Instant::now();
        journal.unsynced = 0;
        Ok(Opened {
            journal,
            prior,
            warnings,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn write(&mut self, record: &Record<'_>) -> std::io::Result<()> {
        let text = serde_json::to_string(record).map_err(std::io::Error::other)?;
        let line = format!("{{\"r\":{text},\"c\":\"{}\"}}\n", check(&text));
        (&*self.file).write_all(line.as_bytes())?;
        self.last_write = Instant::now();
        Ok(())
    }

    async fn sync(&mut self) -> std::io::Result<()> {
        let file = Arc::clone(&self.file);
        tokio::task::spawn_blocking(move || file.sync_data())
            .await
            .map_err(std::io::Error::other)??;
        self.unsynced = 0;
        self.last_sync = Instant::now();
        Ok(())
    }

    /// Records that `rows` may be sent from now on, durably, before any of them is started.
    pub(crate) async fn lease(&mut self, rows: &[usize]) -> std::io::Result<()> {
        self.write(&Record::Lease {
            rows: ranges(rows),
            t: now(),
        })?;
        self.sync().await
    }

    /// Records that leased `rows` were never started.
    pub(crate) async fn release(&mut self, rows: &[usize]) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.write(&Record::Release {
            rows: ranges(rows),
            t: now(),
        })?;
        self.sync().await
    }

    pub(crate) fn applied(
        &mut self,
        row: usize,
        id: Option<i64>,
        result: &Value,
    ) -> std::io::Result<()> {
        self.completed(&Record::Applied {
            row,
            id,
            result,
            t: now(),
        })
    }

    pub(crate) fn already_applied(&mut self, row: usize, found: &Applied) -> std::io::Result<()> {
        self.completed(&Record::AlreadyApplied {
            row,
            id: found.id,
            record: &found.record,
            t: now(),
        })
    }

    /// A sent row that failed: `failed` when it had no effect, else `outcome_unknown`.
    pub(crate) fn failed(&mut self, row: usize, error: &Error) -> std::io::Result<()> {
        let (kind, status, message) = (error.kind().as_str(), error.status(), error.to_string());
        let t = now();
        self.completed(&if error.outcome_unknown() {
            Record::OutcomeUnknown {
                row,
                kind,
                status,
                message,
                t,
            }
        } else {
            Record::Failed {
                row,
                kind,
                status,
                message,
                t,
            }
        })
    }

    fn completed(&mut self, record: &Record<'_>) -> std::io::Result<()> {
        self.write(record)?;
        self.unsynced += 1;
        Ok(())
    }

    /// Fsyncs when enough completions or time have accumulated.
    pub(crate) async fn sync_if_due(&mut self) -> std::io::Result<()> {
        if self.unsynced >= SYNC_EVERY_ROWS
            || (self.unsynced > 0 && self.last_sync.elapsed() >= SYNC_INTERVAL)
        {
            self.sync().await?;
        }
        Ok(())
    }

    /// The once-a-second beat: an `alive` record while calls are in flight and nothing else
    /// was written (so a rerun knows about when this run ended), and the due fsync.
    pub(crate) async fn tick(&mut self, in_flight: bool) -> std::io::Result<()> {
        if in_flight && self.last_write.elapsed() >= SYNC_INTERVAL {
            self.write(&Record::Alive { t: now() })?;
            self.unsynced += 1;
        }
        self.sync_if_due().await
    }

    /// The final fsync.
    pub(crate) async fn finish(&mut self) -> std::io::Result<()> {
        self.sync().await
    }
}

/// Sorted row indices as half-open ranges.
fn ranges(rows: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &row in rows {
        match out.last_mut() {
            Some((_, end)) if *end == row => *end += 1,
            _ => out.push((row, row + 1)),
        }
    }
    out
}

/// Checks every line and replays the records into each row's state.
fn read(path: &Path, bytes: &[u8], expected: &Header) -> Result<Vec<Prior>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        refused(
            path,
            format!("is not UTF-8 text (byte {}): corrupt", e.valid_up_to()),
        )
    })?;
    let mut replay = Replay::new(expected.row_count);
    for (n, line) in text.split_terminator('\n').enumerate() {
        let number = n + 1;
        let damaged = |what: String| refused(path, format!("line {number}: {what}: corrupt"));
        let parsed: LineIn<'_> =
            serde_json::from_str(line).map_err(|e| damaged(format!("not a journal line ({e})")))?;
        if check(parsed.r.get()) != parsed.c {
            return Err(damaged("checksum mismatch".to_owned()));
        }
        let record: RecordIn = serde_json::from_str(parsed.r.get())
            .map_err(|e| damaged(format!("unreadable record ({e})")))?;
        if number == 1 {
            compare_header(path, &record, expected)?;
            continue;
        }
        replay
            .apply(record)
            .map_err(|what| refused(path, format!("line {number}: {what}: corrupt")))?;
    }
    Ok(replay.finish())
}

fn compare_header(path: &Path, found: &RecordIn, expected: &Header) -> Result<()> {
    if found.e != "header" || found.format.as_deref() != Some(FORMAT) {
        return Err(refused(
            path,
            "is not a bulk journal (its first line is not a journal header)",
        ));
    }
    if found.version != Some(VERSION) {
        return Err(refused(
            path,
            format!(
                "was written in journal format version {}, this library reads version {VERSION}",
                found.version.map_or("?".to_owned(), |v| v.to_string())
            ),
        ));
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    if text(&found.method) != expected.method {
        return Err(refused(
            path,
            format!(
                "belongs to a run of another method ({}, not {})",
                text(&found.method),
                expected.method
            ),
        ));
    }
    if text(&found.base_url) != expected.base_url || text(&found.username) != expected.username {
        return Err(refused(
            path,
            format!(
                "belongs to another service ({} as {}, not {} as {})",
                text(&found.base_url),
                text(&found.username),
                expected.base_url,
                expected.username
            ),
        ));
    }
    if found.row_count != Some(expected.row_count)
        || text(&found.fingerprint) != expected.fingerprint
    {
        return Err(refused(
            path,
            format!(
                "belongs to another input ({} rows with fingerprint {}, this input has {} rows \
                 with fingerprint {})",
                found.row_count.map_or("?".to_owned(), |n| n.to_string()),
                short(&text(&found.fingerprint)),
                expected.row_count,
                short(&expected.fingerprint)
            ),
        ));
    }
    Ok(())
}

fn short(fingerprint: &str) -> &str {
    fingerprint.get(..12).unwrap_or(fingerprint)
}

/// Each row's state while the records are replayed, run by run.
struct Replay {
    rows: Vec<Prior>,
    /// Rows leased by the current run without a completion yet, with their state before.
    leased: Vec<Option<Prior>>,
    /// The time of the current run's latest record.
    last: DateTime<Utc>,
}

impl Replay {
    fn new(count: usize) -> Self {
        Self {
            rows: vec![Prior::Fresh; count],
            leased: vec![None; count],
            last: DateTime::<Utc>::MIN_UTC,
        }
    }

    fn apply(&mut self, record: RecordIn) -> std::result::Result<(), String> {
        let t = record
            .t
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("{} record without a valid time", record.e))?;
        let count = self.rows.len();
        let row = || {
            record
                .row
                .filter(|row| *row < count)
                .ok_or_else(|| format!("{} record for a row out of range", record.e))
        };
        let rows = || -> std::result::Result<Vec<usize>, String> {
            let ranges = record
                .rows
                .as_ref()
                .ok_or_else(|| format!("{} record without rows", record.e))?;
            let mut all = Vec::new();
            for &(start, end) in ranges {
                if start >= end || end > count {
                    return Err(format!("{} record for rows out of range", record.e));
                }
                all.extend(start..end);
            }
            Ok(all)
        };
        match record.e.as_str() {
            "run" => {
                self.end_run();
            }
            "alive" => {}
            "lease" => {
                for row in rows()? {
                    let before = std::mem::replace(&mut self.rows[row], Prior::Fresh);
                    self.leased[row] = Some(before);
                }
            }
            "release" => {
                for row in rows()? {
                    if let Some(before) = self.leased[row].take() {
                        self.rows[row] = before;
                    }
                }
            }
            "applied" | "already_applied" => {
                let row = row()?;
                let record_value = if record.e == "applied" {
                    record.result.clone()
                } else {
                    record.record.clone()
                };
                self.leased[row] = None;
                self.rows[row] = Prior::Done(Applied {
                    id: record.id,
                    record: record_value.unwrap_or(Value::Null),
                    source: AppliedSource::Journal,
                });
            }
            "failed" => {
                let row = row()?;
                self.leased[row] = None;
                self.rows[row] = Prior::Failed;
            }
            "outcome_unknown" => {
                let row = row()?;
                self.leased[row] = None;
                self.rows[row] = Prior::Maybe {
                    since: t,
                    why: format!(
                        "an earlier run recorded: {}",
                        record.message.as_deref().unwrap_or("outcome unknown")
                    ),
                };
            }
            other => return Err(format!("unknown record {other:?}")),
        }
        self.last = self.last.max(t);
        Ok(())
    }

    /// Rows the ending run leased and never completed may have been sent until it ended.
    fn end_run(&mut self) {
        for (row, leased) in self.leased.iter_mut().enumerate() {
            if leased.take().is_some() {
                self.rows[row] = Prior::Maybe {
                    since: self.last,
                    why: "an earlier run may have sent it and ended before its outcome was \
                          recorded"
                        .to_owned(),
                };
            }
        }
    }

    fn finish(mut self) -> Vec<Prior> {
        self.end_run();
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprint_ignores_key_order_and_secrets_but_not_values() {
        let a = json!({"AccountId": 1, "Username": "x", "Password": "one-Secret1"});
        let b = json!({"Password": "other-Secret2", "Username": "x", "AccountId": 1});
        let c = json!({"AccountId": 1, "Username": "y"});
        let f = |v: &Value| fingerprint("AddUserToAccount", std::slice::from_ref(v));
        assert_eq!(f(&a), f(&b));
        assert_ne!(f(&a), f(&c));
        assert_ne!(
            f(&a),
            fingerprint("CreateAccount", std::slice::from_ref(&a))
        );
        assert_eq!(f(&a).len(), 64);
    }

    #[test]
    fn ranges_compress_sorted_rows() {
        assert_eq!(ranges(&[0, 1, 2, 5, 7, 8]), vec![(0, 3), (5, 6), (7, 9)]);
        assert!(ranges(&[]).is_empty());
    }
}
