//! The operations themselves: each reads its fields, applies the contract's rules to the state
//! and returns the result body. Grouped by the contract's capability areas.

mod accounts;
mod credit;
mod numbers;
mod reports;
mod roles;
mod users;

use serde::Serialize;

use crate::activity;
use crate::catalogue::Op;
use crate::error::{ApiError, ApiResult};
use crate::request::Fields;
use crate::state::State;

/// What the generator settings are, for the report.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) seed: u64,
    pub(crate) activities_per_account_day: u32,
}

/// A successful result.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// 200 with an empty body (the contract's "empty").
    Empty,
    /// 200 with this JSON body.
    Json(Vec<u8>),
    /// A report to render after the state lock is released.
    Activity(activity::Query),
}

pub(crate) fn execute(
    state: &mut State,
    settings: Settings,
    op: Op,
    f: &Fields,
) -> ApiResult<Outcome> {
    match op {
        Op::CreateAccount => accounts::create(state, f),
        Op::GetAccount => accounts::get(state, f),
        Op::GetAccounts => accounts::list(state, f),
        Op::UpdateAccount => accounts::update(state, f),
        Op::SetAccountStatus => accounts::set_status(state, f),
        Op::AddUserToAccount => users::add(state, f),
        Op::GetUsers => users::list(state, f),
        Op::GetUser => users::get(state, f),
        Op::UpdateUser => users::update(state, f),
        Op::RemoveUserFromAccount => users::remove(state, f),
        Op::ResetUserPassword => users::reset_password(state, f),
        Op::GetRoles => roles::list(state),
        Op::AssignRoleToUser => roles::assign_to_user(state, f),
        Op::RemoveRoleFromUser => roles::remove_from_user(state, f),
        Op::AssignRoleToAccount => roles::assign_to_account(state, f),
        Op::RemoveRoleFromAccount => roles::remove_from_account(state, f),
        Op::AllocateCredit => credit::allocate(state, f),
        Op::GetCreditBalance => credit::balance(state, f),
        Op::GetCreditAllocations => credit::allocations(state, f),
        Op::GetChargeableActivity => reports::chargeable_activity(state, settings, f),
        Op::GetAvailableInboundNumbers => numbers::available(state, f),
        Op::AllocateInboundNumber => numbers::allocate(state, f),
        Op::ReleaseInboundNumber => numbers::release(state, f),
        Op::GetAllocatedInboundNumbers => numbers::allocated(state, f),
    }
}

/// A record as the whole body.
fn record<T: Serialize>(value: &T) -> ApiResult<Outcome> {
    serde_json::to_vec(value)
        .map(Outcome::Json)
        .map_err(|e| ApiError::internal(format!("Could not write the response: {e}.")))
}

/// A list wrapped as `{"<key>": [...]}`, the contract's shape for every list.
fn list<T: Serialize>(key: &str, items: &[T]) -> ApiResult<Outcome> {
    let mut out = Vec::with_capacity(64 + items.len() * 256);
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
    serde_json::to_writer(&mut out, items)
        .map_err(|e| ApiError::internal(format!("Could not write the response: {e}.")))?;
    out.push(b'}');
    Ok(Outcome::Json(out))
}
