//! `bulk users add`, `bulk accounts create`, `bulk credit allocate`: a CSV file in, one
//! operation per row through the core's bulk helper, one results line per row out.
//!
//! The whole file is read and every row validated before the first call; a problem anywhere
//! stops the run with nothing sent. Rows then run concurrently; a failed row never stops the
//! others; a row whose outcome is unknown is never repeated blindly; Ctrl-C starts no new row,
//! waits for the rows in flight, and still writes a line for every row.
//!
//! Every run keeps a journal (`<file>.journal` unless `--journal`), so rerunning the identical
//! command after a crash, a kill or a partial failure is safe: rows the journal or the service
//! (reconciliation) shows applied are reported `already_applied`, not sent again.

use crate::args::{BulkAccounts, BulkCommand, BulkCredit, BulkRun, BulkUsers};
use crate::context::Ctx;
use crate::credentials;
use crate::csv_input::{Cells, CsvFile, Problems};
use crate::exit::{self, CliError};
use crate::interrupt::Interrupts;
use crate::output;
use crate::progress::Display;
use cpaas_reseller::bulk::{
    self, AppliedSource, BulkEvent, BulkOptions, BulkOutcome, RowStatus, StopSignal,
};
use cpaas_reseller::catalogue::Operation;
use cpaas_reseller::requests::{AddUserToAccount, AllocateCredit, CreateAccount};
use cpaas_reseller::validate::Validate;
use cpaas_reseller::Secret;
use serde_json::{Map, Value};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// One row ready to send.
struct Prepared<O> {
    row: usize,
    line: u64,
    /// What identifies the row for a person: Username, AccountName or Reference.
    key: String,
    /// How to find out whether the row was applied, if its outcome is unknown.
    reconcile: String,
    request: O,
}

/// How a kind of row is reported.
struct Report<O: Operation> {
    key_column: &'static str,
    id_column: &'static str,
    id: fn(&O::Output) -> Value,
}

pub async fn run(ctx: &Ctx, command: BulkCommand) -> Result<(), CliError> {
    match command {
        BulkCommand::Users(BulkUsers::Add { run, password }) => {
            let shared = credentials::new_user_password(password.password_stdin)?;
            let rows = users(&run.file, shared)?;
            let report = Report::<AddUserToAccount> {
                key_column: "Username",
                id_column: "UserId",
                id: |created| created.user_id.map_or(Value::Null, Value::from),
            };
            execute(ctx, &run, rows, report).await
        }
        BulkCommand::Accounts(BulkAccounts::Create { run }) => {
            let rows = accounts(&run.file)?;
            let report = Report::<CreateAccount> {
                key_column: "AccountName",
                id_column: "AccountId",
                id: |account| Value::from(account.account_id),
            };
            execute(ctx, &run, rows, report).await
        }
        BulkCommand::Credit(BulkCredit::Allocate {
            run,
            reference_prefix,
        }) => {
            let rows = credit(&run.file, reference_prefix.as_deref())?;
            let report = Report::<AllocateCredit> {
                key_column: "Reference",
                id_column: "AllocationId",
                id: |allocation| Value::from(allocation.allocation_id),
            };
            execute(ctx, &run, rows, report).await
        }
    }
}

const USER_COLUMNS: &[&str] = &[
    "AccountId",
    "Username",
    "Firstname",
    "LastName",
    "EmailAddress",
    "MobilePhoneNumber",
    "LandlinePhoneNumber",
];
const USER_OPTIONAL: &[&str] = &["Password", "Notes", "ChangePasswordAtNextLogon"];

/// Users: a row's own `Password`, else the shared one (and then a forced change at first logon
/// unless the row says otherwise).
fn users(path: &Path, shared: Option<Secret>) -> Result<Vec<Prepared<AddUserToAccount>>, CliError> {
    let (file, mut problems) = CsvFile::read(path, USER_COLUMNS, USER_OPTIONAL)?;
    if file.has_column("Password") {
        warn_if_readable(path);
    }
    let mut rows = Vec::new();
    for row in &file.rows {
        let mut cells = Cells {
            file: &file,
            row,
            problems: &mut problems,
        };
        let account_id = cells.required_int("AccountId");
        let username = cells.required_text("Username");
        let firstname = cells.required_text("Firstname");
        let last_name = cells.required_text("LastName");
        let email = cells.required_text("EmailAddress");
        let mobile = cells.required_text("MobilePhoneNumber");
        let landline = cells.required_text("LandlinePhoneNumber");
        let notes = cells.text("Notes");
        let change = cells.bool("ChangePasswordAtNextLogon");
        let (password, change) = match (cells.text("Password"), &shared) {
            (Some(own), _) => (Some(Secret::new(own)), change),
            (None, Some(shared)) => (Some(shared.clone()), change.or(Some(true))),
            (None, None) => {
                problems.push(
                    row.line,
                    format!(
                        "no Password: fill the Password column or set {} (or use --password-stdin)",
                        credentials::ENV_NEW_USER_PASSWORD
                    ),
                );
                (None, change)
            }
        };
        let (
            Some(account_id),
            Some(username),
            Some(firstname),
            Some(last_name),
            Some(email_address),
            Some(mobile_phone_number),
            Some(landline_phone_number),
            Some(password),
        ) = (
            account_id, username, firstname, last_name, email, mobile, landline, password,
        )
        else {
            continue;
        };
        let request = AddUserToAccount {
            account_id,
            username: username.clone(),
            password,
            firstname,
            last_name,
            email_address,
            mobile_phone_number,
            landline_phone_number,
            notes,
            change_password_at_next_logon: change,
        };
        rows.push(prepared(
            row.row,
            row.line,
            username.clone(),
            request,
            &mut problems,
            || {
                format!(
                "look for Username {username} in `cpaas-reseller users list --account {account_id}`"
            )
            },
        ));
    }
    problems.into_result(path)?;
    Ok(rows.into_iter().flatten().collect())
}

const ACCOUNT_OPTIONAL: &[&str] = &[
    "ParentAccountId",
    "ContactEmailAddress",
    "CountryCode",
    "TimeZone",
    "Notes",
];

fn accounts(path: &Path) -> Result<Vec<Prepared<CreateAccount>>, CliError> {
    let (file, mut problems) = CsvFile::read(path, &["AccountName"], ACCOUNT_OPTIONAL)?;
    let mut rows = Vec::new();
    for row in &file.rows {
        let mut cells = Cells {
            file: &file,
            row,
            problems: &mut problems,
        };
        let name = cells.required_text("AccountName");
        let parent = cells.int("ParentAccountId");
        let (Some(name), false) = (
            name,
            file.get(row, "ParentAccountId").is_some() && parent.is_none(),
        ) else {
            continue;
        };
        let request = CreateAccount {
            account_name: name.clone(),
            parent_account_id: parent,
            contact_email_address: cells.text("ContactEmailAddress"),
            country_code: cells.text("CountryCode"),
            time_zone: cells.text("TimeZone"),
            notes: cells.text("Notes"),
        };
        let under = parent.map_or(String::new(), |p| format!(" --parent {p}"));
        rows.push(prepared(
            row.row,
            row.line,
            name.clone(),
            request,
            &mut problems,
            || format!("look for AccountName {name:?} in `cpaas-reseller accounts list{under}`"),
        ));
    }
    problems.into_result(path)?;
    Ok(rows.into_iter().flatten().collect())
}

/// Credit: every row carries a Reference, the file's own or `PREFIX-ROW`; references must be
/// unique within the file so each allocation can be found again.
fn credit(path: &Path, prefix: Option<&str>) -> Result<Vec<Prepared<AllocateCredit>>, CliError> {
    let (file, mut problems) = CsvFile::read(path, &["AccountId", "Amount"], &["Reference"])?;
    let prefix = prefix
        .map(str::to_owned)
        .unwrap_or_else(|| format!("bulk-{:012x}", file.bytes_hash & 0xffff_ffff_ffff));
    let mut rows = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for row in &file.rows {
        let mut cells = Cells {
            file: &file,
            row,
            problems: &mut problems,
        };
        let account_id = cells.required_int("AccountId");
        let amount = cells.required_decimal("Amount");
        let reference = cells
            .text("Reference")
            .unwrap_or_else(|| format!("{prefix}-{}", row.row));
        if let Some(first) = seen.insert(reference.clone(), row.line) {
            problems.push(
                row.line,
                format!("Reference {reference:?} already used on line {first}"),
            );
            continue;
        }
        let (Some(account_id), Some(amount)) = (account_id, amount) else {
            continue;
        };
        let request = AllocateCredit {
            account_id,
            amount,
            reference: Some(reference.clone()),
        };
        rows.push(prepared(
            row.row,
            row.line,
            reference.clone(),
            request,
            &mut problems,
            || {
                format!(
                    "compare Reference {reference} (AccountId {account_id}, Amount {amount}) with \
                 `cpaas-reseller credit history --account {account_id}`"
                )
            },
        ));
    }
    problems.into_result(path)?;
    Ok(rows.into_iter().flatten().collect())
}

/// Validates a request locally now, so a bad row is reported before anything is sent.
fn prepared<O: Validate>(
    row: usize,
    line: u64,
    key: String,
    request: O,
    problems: &mut Problems,
    reconcile: impl FnOnce() -> String,
) -> Option<Prepared<O>> {
    if let Err(error) = request.validate() {
        problems.push(line, error);
        return None;
    }
    Some(Prepared {
        row,
        line,
        key,
        reconcile: reconcile(),
        request,
    })
}

#[cfg(unix)]
fn warn_if_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "warning: {} holds passwords and group or others can read it (chmod 600)",
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable(_path: &Path) {}

/// Where a run keeps its journal unless `--journal` says: beside the input, so that the
/// identical command finds it again.
fn default_journal(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// What identifies a row in the results.
struct RowMeta {
    row: usize,
    line: u64,
    key: String,
    reconcile: String,
}

/// The columns of a results line.
struct Columns {
    key: &'static str,
    id: &'static str,
}

impl Columns {
    fn all(&self) -> [&'static str; 8] {
        [
            "row",
            "line",
            self.key,
            "status",
            self.id,
            "error_kind",
            "http_status",
            "message",
        ]
    }

    fn item(
        &self,
        meta: &RowMeta,
        status: RowStatus,
        id: Value,
        error: Option<&cpaas_reseller::Error>,
        note: Option<&str>,
    ) -> Map<String, Value> {
        let mut item = Map::new();
        item.insert("row".to_owned(), Value::from(meta.row));
        item.insert("line".to_owned(), Value::from(meta.line));
        item.insert(self.key.to_owned(), Value::String(meta.key.clone()));
        item.insert("status".to_owned(), Value::from(status.as_str()));
        item.insert(self.id.to_owned(), id);
        item.insert(
            "error_kind".to_owned(),
            error.map_or(Value::Null, |e| Value::from(e.kind().as_str())),
        );
        item.insert(
            "http_status".to_owned(),
            error
                .and_then(|e| e.status())
                .map_or(Value::Null, Value::from),
        );
        let message = error
            .map(|e| e.to_string())
            .or_else(|| note.map(str::to_owned));
        item.insert(
            "message".to_owned(),
            message.map_or(Value::Null, Value::String),
        );
        item
    }
}

/// A results file: lines appended as rows are decided (each written through at once, as the
/// journal's are), then rewritten complete in row order at the end.
struct Results {
    path: PathBuf,
    columns: [&'static str; 8],
    live: std::sync::Mutex<Option<csv::Writer<File>>>,
}

impl Results {
    /// Checks that `path` can be written, without touching what an earlier run left there
    /// (it is replaced only once the run has accepted its journal).
    fn new(path: &Path, columns: [&'static str; 8]) -> Result<Self, CliError> {
        let cannot = |e: std::io::Error| {
            CliError::Usage(format!("cannot write results file {}: {e}", path.display()))
        };
        if path.exists() {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(cannot)?;
        } else {
            File::create(path).map_err(cannot)?;
            let _ = std::fs::remove_file(path);
        }
        Ok(Self {
            path: path.to_owned(),
            columns,
            live: std::sync::Mutex::new(None),
        })
    }

    /// Appends one line (the header first). A failure here is reported by the final write.
    fn append(&self, item: &Map<String, Value>) {
        let Ok(mut live) = self.live.lock() else {
            return;
        };
        if live.is_none() {
            *live = File::create(&self.path).ok().map(csv::Writer::from_writer);
            if let Some(writer) = live.as_mut() {
                let _ = writer.write_record(self.columns);
            }
        }
        if let Some(writer) = live.as_mut() {
            let _ = writer.write_record(record(&self.columns, item));
            let _ = writer.flush();
        }
    }

    /// Writes every line in row order to a new file and puts it in place of the live one.
    fn finish(&self, lines: &[Map<String, Value>]) -> std::io::Result<()> {
        let mut temporary = self.path.as_os_str().to_owned();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut writer =
            csv::Writer::from_writer(std::io::BufWriter::new(File::create(&temporary)?));
        writer
            .write_record(self.columns)
            .map_err(std::io::Error::other)?;
        for item in lines {
            writer
                .write_record(record(&self.columns, item))
                .map_err(std::io::Error::other)?;
        }
        writer.flush()?;
        let mut inner = writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        inner.flush()?;
        inner.get_ref().sync_all()?;
        if let Ok(mut live) = self.live.lock() {
            *live = None;
        }
        std::fs::rename(&temporary, &self.path)
    }
}

fn record(columns: &[&str], item: &Map<String, Value>) -> Vec<String> {
    columns
        .iter()
        .map(|c| item.get(*c).map(output::cell).unwrap_or_default())
        .collect()
}

/// What to tell the operator when the journal is refused or cannot be written.
fn journal_failure(error: cpaas_reseller::Error) -> CliError {
    let text = error.to_string();
    let advice = if text.contains("no further row was started") {
        eprintln!("error: {text}");
        return CliError::Exit(exit::OUTCOME_UNKNOWN);
    } else if text.contains("in use by another run") {
        "Another run is using this journal: wait for it to end."
    } else if text.contains("corrupt") {
        "The journal is damaged and was left as it is; nothing was sent. Move it aside (keep it to \
         investigate) and run the same command again: reconciliation finds the rows already \
         applied on the service."
    } else {
        "Nothing was sent. If that run is finished, or the file was changed on purpose, delete the \
         journal or pass --journal NEW-PATH: reconciliation still finds the rows already applied \
         on the service."
    };
    CliError::Input(format!("{text}\n{advice}"))
}

async fn execute<O>(
    ctx: &Ctx,
    run: &BulkRun,
    rows: Vec<Prepared<O>>,
    report: Report<O>,
) -> Result<(), CliError>
where
    O: Operation + 'static,
    O::Output: serde::Serialize + 'static,
{
    let method = O::INFO.method;
    if run.dry_run {
        eprintln!(
            "{}: {} rows checked, nothing sent (--dry-run).",
            run.file.display(),
            rows.len()
        );
        return Ok(());
    }
    let columns = Arc::new(Columns {
        key: report.key_column,
        id: report.id_column,
    });
    // Checked before the first call, so an unwritable path fails while nothing is applied yet.
    let results = match &run.results {
        Some(path) => Some(Arc::new(Results::new(path, columns.all())?)),
        None => None,
    };
    let journal = run
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&run.file));
    let (requests, meta): (Vec<O>, Vec<RowMeta>) = rows
        .into_iter()
        .map(|p| {
            let meta = RowMeta {
                row: p.row,
                line: p.line,
                key: p.key,
                reconcile: p.reconcile,
            };
            (p.request, meta)
        })
        .unzip();
    let meta = Arc::new(meta);
    eprintln!(
        "{}: {} rows of {method}, {} at a time, journal {}{}. Ctrl-C stops starting new rows.",
        run.file.display(),
        meta.len(),
        run.concurrency,
        journal.display(),
        if run.no_reconcile {
            ", no reconciliation"
        } else {
            ""
        }
    );

    let display = Arc::new(Display::new(meta.len()));
    let stop = StopSignal::new();
    // Listening before the first row starts, so an early Ctrl-C cannot kill the process.
    let interrupts = Interrupts::listen()
        .map_err(|e| CliError::Other(format!("cannot listen for Ctrl-C: {e}")))?;
    let watcher = tokio::spawn(watch_ctrl_c(interrupts, stop.clone(), display.clone()));
    let mut options = BulkOptions::new(usize::from(run.concurrency))
        .with_stop(stop.clone())
        .with_journal(&journal)
        .with_reconcile(!run.no_reconcile);
    if let Some(seconds) = run.settle {
        options = options.with_settle(Duration::from_secs(seconds));
    }
    let (live, shown, rows_meta, live_columns) = (
        results.clone(),
        display.clone(),
        meta.clone(),
        columns.clone(),
    );
    let options = options.with_on_event(move |event| match event {
        BulkEvent::Row(update) => {
            if let (Some(live), Some(meta)) = (&live, rows_meta.get(update.index)) {
                let id = update.id.map_or(Value::Null, Value::from);
                live.append(&live_columns.item(meta, update.status, id, update.error, None));
            }
        }
        BulkEvent::Warning(text) => shown.note(&format!("warning: {text}")),
    });
    let shown = display.clone();
    let outcomes = bulk::run(&ctx.client, requests, options, move |p| shown.update(p)).await;
    watcher.abort();
    display.finish();
    let outcomes = outcomes.map_err(journal_failure)?;

    let mut lines = Vec::with_capacity(meta.len());
    let mut unknown = Vec::new();
    let mut failed = Vec::new();
    for (meta, outcome) in meta.iter().zip(&outcomes) {
        let status = outcome.status();
        let item = match outcome {
            BulkOutcome::Succeeded(output) => {
                columns.item(meta, status, (report.id)(output), None, None)
            }
            BulkOutcome::AlreadyApplied(found) => columns.item(
                meta,
                status,
                found.id.map_or(Value::Null, Value::from),
                None,
                Some(match found.source {
                    AppliedSource::Journal => "applied by an earlier run (journal)",
                    AppliedSource::Service => "found on the service",
                }),
            ),
            BulkOutcome::Failed(error) => {
                match status {
                    RowStatus::OutcomeUnknown => unknown.push(format!(
                        "  line {}: {error}\n    or check by hand: {}",
                        meta.line, meta.reconcile
                    )),
                    _ => failed.push(format!("  line {}: {error}", meta.line)),
                }
                columns.item(meta, status, Value::Null, Some(error), None)
            }
            BulkOutcome::NotStarted => columns.item(meta, status, Value::Null, None, None),
        };
        lines.push(item);
    }

    match (&results, &run.results) {
        (Some(results), Some(path)) => {
            results.finish(&lines).map_err(|e| {
                CliError::Other(format!(
                    "could not write results file {}: {e} (the journal {} has every row)",
                    path.display(),
                    journal.display()
                ))
            })?;
        }
        _ => output::objects(&lines, &columns.all(), ctx.format)?,
    }

    let summary = bulk::Progress::of(&outcomes);
    eprintln!(
        "{} rows: {} applied now, {} already applied, {} failed, {} outcome unknown, {} not \
         started.{}",
        summary.total,
        summary.succeeded,
        summary.already_applied,
        summary.failed,
        summary.outcome_unknown,
        summary.not_started(),
        run.results
            .as_ref()
            .map_or(String::new(), |p| format!(" Results: {}", p.display()))
    );
    if !failed.is_empty() {
        eprintln!("Failed rows (not applied; fix and run them again):");
        for line in failed.iter().take(20) {
            eprintln!("{line}");
        }
        if failed.len() > 20 {
            eprintln!("  ... {} more in the results", failed.len() - 20);
        }
    }
    if !unknown.is_empty() {
        eprintln!(
            "Rows with an UNKNOWN outcome (the service may have applied them; they were not \
             repeated). Run the same command again to resolve them against the service{}:",
            if run.no_reconcile {
                " (without --no-reconcile)"
            } else {
                ""
            }
        );
        for line in unknown.iter().take(20) {
            eprintln!("{line}");
        }
        if unknown.len() > 20 {
            eprintln!("  ... {} more in the results", unknown.len() - 20);
        }
    }
    if summary.not_started() > 0 {
        eprintln!(
            "Stopped: {} rows were not started (status not_started); nothing was sent for them.",
            summary.not_started()
        );
    }

    let code = if summary.outcome_unknown > 0 {
        exit::OUTCOME_UNKNOWN
    } else if summary.not_started() > 0 {
        exit::INTERRUPTED
    } else if summary.failed > 0 {
        exit::BULK_FAILED
    } else {
        exit::OK
    };
    if code == exit::OK {
        Ok(())
    } else {
        Err(CliError::Exit(code))
    }
}

/// First Ctrl-C: start no new rows. Later ones: explain why the run is still waiting.
async fn watch_ctrl_c(mut interrupts: Interrupts, stop: StopSignal, display: Arc<Display>) {
    while interrupts.next().await {
        if stop.is_stopped() {
            display.note(
                "Still waiting for rows in flight: their outcome must be known before the results \
                 are written.",
            );
        } else {
            display.note("Ctrl-C: no new rows will start; waiting for rows in flight to finish.");
            stop.stop();
        }
    }
}
