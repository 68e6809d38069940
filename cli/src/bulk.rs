//! `bulk users add`, `bulk accounts create`, `bulk credit allocate`: a CSV file in, one
//! operation per row through the core's bulk helper, one results line per row out.
//!
//! The whole file is read and every row validated before the first call; a problem anywhere
//! stops the run with nothing sent. Rows then run concurrently; a failed row never stops the
//! others; a row whose outcome is unknown is never repeated but listed for reconciliation; Ctrl-C
//! starts no new row, waits for the rows in flight, and still writes a line for every row.

use crate::args::{BulkAccounts, BulkCommand, BulkCredit, BulkRun, BulkUsers};
use crate::commands::Ctx;
use crate::credentials;
use crate::csv_input::{Cells, CsvFile, Problems};
use crate::exit::{self, CliError};
use crate::interrupt::Interrupts;
use crate::output;
use crate::progress::Display;
use cpaas_reseller::bulk::{self, BulkOptions, BulkOutcome, RowStatus, StopSignal};
use cpaas_reseller::catalogue::Operation;
use cpaas_reseller::requests::{AddUserToAccount, AllocateCredit, CreateAccount};
use cpaas_reseller::validate::Validate;
use cpaas_reseller::Secret;
use serde_json::{Map, Value};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

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

async fn execute<O>(
    ctx: &Ctx,
    run: &BulkRun,
    rows: Vec<Prepared<O>>,
    report: Report<O>,
) -> Result<(), CliError>
where
    O: Operation + 'static,
    O::Output: 'static,
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
    // Opened before the first call, so an unwritable path fails while nothing is applied yet.
    let mut results_file = match &run.results {
        Some(path) => Some(File::create(path).map_err(|e| {
            CliError::Usage(format!("cannot write results file {}: {e}", path.display()))
        })?),
        None => None,
    };
    let (requests, rows): (Vec<O>, Vec<_>) = rows
        .into_iter()
        .map(|p| (p.request, (p.row, p.line, p.key, p.reconcile)))
        .unzip();
    eprintln!(
        "{}: {} rows of {method}, {} at a time. Ctrl-C stops starting new rows.",
        run.file.display(),
        rows.len(),
        run.concurrency
    );

    let display = Arc::new(Display::new(rows.len()));
    let stop = StopSignal::new();
    // Listening before the first row starts, so an early Ctrl-C cannot kill the process.
    let interrupts = Interrupts::listen()
        .map_err(|e| CliError::Other(format!("cannot listen for Ctrl-C: {e}")))?;
    let watcher = tokio::spawn(watch_ctrl_c(interrupts, stop.clone(), display.clone()));
    let options = BulkOptions::new(usize::from(run.concurrency)).with_stop(stop.clone());
    let shown = display.clone();
    let outcomes = bulk::run(&ctx.client, requests, options, move |p| shown.update(p)).await;
    watcher.abort();
    display.finish();

    let mut lines = Vec::with_capacity(rows.len());
    let mut unknown = Vec::new();
    let mut failed = Vec::new();
    for ((row, line, key, reconcile), outcome) in rows.into_iter().zip(&outcomes) {
        let status = outcome.status();
        let mut item = Map::new();
        item.insert("row".to_owned(), Value::from(row));
        item.insert("line".to_owned(), Value::from(line));
        item.insert(report.key_column.to_owned(), Value::String(key));
        item.insert(
            "status".to_owned(),
            Value::String(status.as_str().to_owned()),
        );
        let (id, kind, http, message) = match outcome {
            BulkOutcome::Succeeded(output) => {
                ((report.id)(output), Value::Null, Value::Null, String::new())
            }
            BulkOutcome::Failed(error) => (
                Value::Null,
                Value::from(error.kind().as_str()),
                error.status().map_or(Value::Null, Value::from),
                error.to_string(),
            ),
            BulkOutcome::NotStarted => (Value::Null, Value::Null, Value::Null, String::new()),
        };
        item.insert(report.id_column.to_owned(), id);
        item.insert("error_kind".to_owned(), kind);
        item.insert("http_status".to_owned(), http);
        let text = if message.is_empty() {
            Value::Null
        } else {
            Value::String(message.clone())
        };
        item.insert("message".to_owned(), text);
        match status {
            RowStatus::OutcomeUnknown => unknown.push(format!("  line {line}: {reconcile}")),
            RowStatus::Failed => failed.push(format!("  line {line}: {message}")),
            _ => {}
        }
        lines.push(item);
    }

    let columns = [
        "row",
        "line",
        report.key_column,
        "status",
        report.id_column,
        "error_kind",
        "http_status",
        "message",
    ];
    match (&mut results_file, &run.results) {
        (Some(file), Some(path)) => {
            write_results(file, &columns, &lines).map_err(|e| {
                CliError::Other(format!(
                    "could not write results file {}: {e}",
                    path.display()
                ))
            })?;
        }
        _ => output::objects(&lines, &columns, ctx.format)?,
    }

    let summary = bulk::Progress::of(&outcomes);
    eprintln!(
        "{} rows: {} applied, {} failed, {} outcome unknown, {} not started.{}",
        summary.total,
        summary.succeeded,
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
             repeated). Reconcile each before running it again:"
        );
        for line in &unknown {
            eprintln!("{line}");
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

fn write_results(
    file: &mut File,
    columns: &[&str],
    lines: &[Map<String, Value>],
) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    writer
        .write_record(columns)
        .map_err(std::io::Error::other)?;
    for item in lines {
        let record: Vec<String> = columns
            .iter()
            .map(|c| item.get(*c).map(output::cell).unwrap_or_default())
            .collect();
        writer
            .write_record(&record)
            .map_err(std::io::Error::other)?;
    }
    writer.flush()?;
    let mut inner = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    inner.flush()?;
    inner.get_ref().sync_all()
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
