//! Finding rows already applied on the service, before sending them.
//!
//! One table ([`RECONCILERS`]) says, per operation, which list call shows what the operation
//! creates, which request field scopes that list, which field identifies a row, and which
//! fields must agree. It works on the vendor JSON of a request, so typed and by-name runs share
//! it. Rows are looked up with one read per scope (an account, a parent), at most
//! `concurrency` reads at a time.
//!
//! For each row: no match means not applied (as of the read's start); exactly one match whose
//! fields agree means already applied (its id and record are reported, nothing is sent); a
//! match that disagrees, several matches, or a key used by several rows of the input fail the
//! row and nothing is sent: the tool never guesses. A read that fails fails the rows of its
//! scope (nothing sent, safe to run again).

use super::{Applied, AppliedSource};
use crate::client::Client;
use crate::error::{Error, Result, ValidationError};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::str::FromStr;
use tokio::task::JoinSet;

/// How to find what one operation creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconciler {
    /// The operation (`AllocateCredit`).
    pub method: &'static str,
    /// The request field the list is read for (`AccountId`); the found record must carry the
    /// same value in the same field.
    pub scope: &'static str,
    /// Whether the scope field may be absent; the scope is then the reseller's own account
    /// (the one account of the unfiltered list without a `ParentAccountId`).
    pub scope_default_root: bool,
    /// The request field that identifies the row (`Reference`).
    pub key: &'static str,
    /// Whether the key compares without regard to case (usernames are unique that way).
    pub key_ignores_case: bool,
    /// The read-only operation listing the scope (`GetCreditAllocations`).
    pub list_method: &'static str,
    /// The array in its result (`Allocations`).
    pub list_field: &'static str,
    /// The id of a found record (`AllocationId`), also the id in the operation's own result.
    pub id: &'static str,
    /// Request fields a found record must agree with (when the request gives them).
    pub agree: &'static [&'static str],
}

/// Every operation that can be reconciled.
pub const RECONCILERS: &[Reconciler] = &[
    Reconciler {
        method: "AllocateCredit",
        scope: "AccountId",
        scope_default_root: false,
        key: "Reference",
        key_ignores_case: false,
        list_method: "GetCreditAllocations",
        list_field: "Allocations",
        id: "AllocationId",
        agree: &["Amount"],
    },
    Reconciler {
        method: "AddUserToAccount",
        scope: "AccountId",
        scope_default_root: false,
        key: "Username",
        key_ignores_case: true,
        list_method: "GetUsers",
        list_field: "Users",
        id: "UserId",
        agree: &["Firstname", "LastName", "EmailAddress"],
    },
    Reconciler {
        method: "CreateAccount",
        scope: "ParentAccountId",
        scope_default_root: true,
        key: "AccountName",
        key_ignores_case: false,
        list_method: "GetAccounts",
        list_field: "Accounts",
        id: "AccountId",
        agree: &[],
    },
];

/// The reconciler of `method`, if it has one.
pub fn find(method: &str) -> Option<&'static Reconciler> {
    RECONCILERS.iter().find(|r| r.method == method)
}

/// The id in a successful result of `method` (`AllocationId` of a `CreditAllocation`, ...),
/// for operations with a reconciler.
pub fn id_of(method: &str, result: &Value) -> Option<i64> {
    find(method).and_then(|r| result.get(r.id)).and_then(as_i64)
}

/// What reconciliation says about one row.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    /// Not on the service when the read started.
    Absent { read_at: DateTime<Utc> },
    /// Applied already: one agreeing record.
    Found(Applied),
    /// Not sent: a conflicting or ambiguous match, or a failed read.
    Refused(Error),
    /// The row cannot be looked up (it has no key).
    Unkeyed(String),
}

/// Looks up `rows` (indices into `inputs`) on the service.
pub(crate) async fn check(
    client: &Client,
    reconciler: &'static Reconciler,
    inputs: &[Value],
    rows: &[usize],
    concurrency: usize,
) -> HashMap<usize, Verdict> {
    let mut verdicts = HashMap::new();
    let keys = key_rows(reconciler, inputs);
    // Rows by scope; the scope's list body is its key.
    let mut scopes: HashMap<String, (Value, Vec<usize>)> = HashMap::new();
    for &row in rows {
        let input = &inputs[row];
        let Some(key) = key_of(reconciler, input) else {
            verdicts.insert(
                row,
                Verdict::Unkeyed(format!(
                    "it has no {} to look it up by in {}",
                    reconciler.key, reconciler.list_method
                )),
            );
            continue;
        };
        let scope = input.get(reconciler.scope).cloned().unwrap_or(Value::Null);
        if let Some(others) = keys
            .get(&(scope.to_string(), key.clone()))
            .filter(|r| r.len() > 1)
        {
            verdicts.insert(row, Verdict::Refused(duplicate(reconciler, &key, others)));
            continue;
        }
        scopes
            .entry(scope.to_string())
            .or_insert_with(|| (scope, Vec::new()))
            .1
            .push(row);
    }

    let mut reads: JoinSet<Read> = JoinSet::new();
    let mut pending = scopes.into_values();
    loop {
        while reads.len() < concurrency.max(1) {
            let Some((scope, scope_rows)) = pending.next() else {
                break;
            };
            let client = client.clone();
            reads.spawn(async move {
                let mut body = Map::new();
                if !scope.is_null() {
                    body.insert(reconciler.scope.to_owned(), scope.clone());
                }
                let read_at = Utc::now();
                let listed = client
                    .invoke(reconciler.list_method, Value::Object(body))
                    .await;
                (scope_rows, scope, read_at, listed)
            });
        }
        let Some(joined) = reads.join_next().await else {
            break;
        };
        // A read task cannot panic short of a bug in the client; its rows then stay
        // undecided and are not sent.
        let Ok((scope_rows, scope, read_at, listed)) = joined else {
            continue;
        };
        let records = listed.and_then(|listed| in_scope(reconciler, &scope, &listed));
        for row in scope_rows {
            let verdict = match &records {
                Ok(records) => judge(reconciler, &inputs[row], records, read_at),
                Err(error) => Verdict::Refused(error.clone()),
            };
            verdicts.insert(row, verdict);
        }
    }
    verdicts
}

/// One scope's read: its rows, its scope value, when it started and what it listed.
type Read = (Vec<usize>, Value, DateTime<Utc>, Result<Value>);

/// The input rows of each (scope, key), to refuse keys the service cannot tell apart.
fn key_rows(reconciler: &Reconciler, inputs: &[Value]) -> HashMap<(String, String), Vec<usize>> {
    let mut keys: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (row, input) in inputs.iter().enumerate() {
        if let Some(key) = key_of(reconciler, input) {
            let scope = input.get(reconciler.scope).unwrap_or(&Value::Null);
            keys.entry((scope.to_string(), key)).or_default().push(row);
        }
    }
    keys
}

fn key_of(reconciler: &Reconciler, input: &Value) -> Option<String> {
    let key = input.get(reconciler.key)?.as_str()?.trim();
    if key.is_empty() {
        return None;
    }
    Some(if reconciler.key_ignores_case {
        key.to_lowercase()
    } else {
        key.to_owned()
    })
}

fn refusal(reconciler: &Reconciler, message: String) -> Error {
    Error::Validation(ValidationError {
        method: Some(reconciler.method.to_owned()),
        field: reconciler.key.to_owned(),
        message,
    })
}

fn duplicate(reconciler: &Reconciler, key: &str, rows: &[usize]) -> Error {
    let rows: Vec<String> = rows.iter().map(|r| (r + 1).to_string()).collect();
    refusal(
        reconciler,
        format!(
            "{} {key:?} is on input rows {} (same {}): reconciliation cannot tell them apart; \
             nothing sent",
            reconciler.key,
            rows.join(", "),
            reconciler.scope
        ),
    )
}

/// The listed records that belong to `scope`: for the root default, the children of the one
/// account without a parent.
fn in_scope(reconciler: &Reconciler, scope: &Value, listed: &Value) -> Result<Vec<Value>> {
    let records = listed
        .get(reconciler.list_field)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let parent = if scope.is_null() && reconciler.scope_default_root {
        let roots: Vec<i64> = records
            .iter()
            .filter(|r| r.get(reconciler.scope).is_none_or(Value::is_null))
            .filter_map(|r| r.get(reconciler.id).and_then(as_i64))
            .collect();
        match roots.as_slice() {
            [root] => Some(*root),
            _ => {
                return Err(refusal(
                    reconciler,
                    format!(
                        "{} lists {} accounts without {}, so the reseller's own account (the \
                         default parent) is not known; give {} in the input; nothing sent",
                        reconciler.list_method,
                        roots.len(),
                        reconciler.scope,
                        reconciler.scope
                    ),
                ))
            }
        }
    } else {
        as_i64(scope)
    };
    Ok(records
        .into_iter()
        .filter(|r| r.get(reconciler.scope).and_then(as_i64) == parent)
        .collect())
}

fn judge(
    reconciler: &Reconciler,
    input: &Value,
    records: &[Value],
    read_at: DateTime<Utc>,
) -> Verdict {
    let Some(key) = key_of(reconciler, input) else {
        return Verdict::Unkeyed(format!("it has no {}", reconciler.key));
    };
    let matches: Vec<&Value> = records
        .iter()
        .filter(|r| key_of(reconciler, r).as_deref() == Some(key.as_str()))
        .collect();
    let shown = input
        .get(reconciler.key)
        .map_or(String::new(), Value::to_string);
    let ids = |found: &[&Value]| -> String {
        found
            .iter()
            .map(|r| {
                r.get(reconciler.id)
                    .map_or("?".to_owned(), Value::to_string)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match matches.as_slice() {
        [] => Verdict::Absent { read_at },
        [found] => {
            let disagreements: Vec<String> = reconciler
                .agree
                .iter()
                .filter_map(|field| {
                    let wanted = input.get(*field)?;
                    let have = found.get(*field);
                    (!have.is_some_and(|have| same(wanted, have))).then(|| {
                        format!(
                            "{field} {} there, {wanted} in the input",
                            have.map_or("missing".to_owned(), Value::to_string)
                        )
                    })
                })
                .collect();
            if disagreements.is_empty() {
                Verdict::Found(Applied {
                    id: found.get(reconciler.id).and_then(as_i64),
                    record: (*found).clone(),
                    source: AppliedSource::Service,
                })
            } else {
                Verdict::Refused(refusal(
                    reconciler,
                    format!(
                        "conflicting: {} {shown} is already on the service as {} {} with {}; \
                         nothing sent",
                        reconciler.key,
                        reconciler.id,
                        ids(&[found]),
                        disagreements.join(", ")
                    ),
                ))
            }
        }
        several => Verdict::Refused(refusal(
            reconciler,
            format!(
                "ambiguous: {} {shown} matches {} records in {} ({} {}); not guessing, nothing \
                 sent",
                reconciler.key,
                several.len(),
                reconciler.list_method,
                reconciler.id,
                ids(several)
            ),
        )),
    }
}

/// Equal as values: numbers by exact decimal value (money may come back as a string), strings
/// ignoring case and outer spaces.
fn same(wanted: &Value, have: &Value) -> bool {
    if let (Value::Number(_), Some(a), Some(b)) = (wanted, decimal(wanted), decimal(have)) {
        return a == b;
    }
    match (wanted, have) {
        (Value::String(a), Value::String(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => wanted == have,
    }
}

fn decimal(value: &Value) -> Option<Decimal> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

fn as_i64(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_str()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn credit() -> &'static Reconciler {
        find("AllocateCredit").unwrap_or(&RECONCILERS[0])
    }

    #[test]
    fn one_agreeing_match_is_found_others_refused() {
        let at = Utc::now();
        let input = json!({"AccountId": 1001, "Amount": 5.5, "Reference": "r-1"});
        let record = |id: i64, amount: &str| json!({"AllocationId": id, "AccountId": 1001, "Amount": serde_json::from_str::<Value>(amount).unwrap_or(Value::Null), "Reference": "r-1"});
        let found = judge(credit(), &input, &[record(7, "5.50")], at);
        assert!(matches!(found, Verdict::Found(ref a) if a.id == Some(7)));
        let conflict = judge(credit(), &input, &[record(7, "6.00")], at);
        assert!(
            matches!(conflict, Verdict::Refused(ref e) if e.to_string().contains("conflicting"))
        );
        let ambiguous = judge(credit(), &input, &[record(7, "5.5"), record(8, "5.5")], at);
        assert!(
            matches!(ambiguous, Verdict::Refused(ref e) if e.to_string().contains("ambiguous"))
        );
        assert!(matches!(
            judge(credit(), &input, &[], at),
            Verdict::Absent { .. }
        ));
    }
}
