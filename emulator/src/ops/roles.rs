//! Roles: predefined; assigning is idempotent, removing one that is not held is a 400.

use super::{list as list_of, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::request::Fields;
use crate::state::State;

/// Takes no field: any body is ignored.
pub(crate) fn list(state: &mut State, _: &Fields) -> ApiResult<Outcome> {
    list_of("Roles", &state.roles)
}

fn add_role(roles: &mut Vec<i32>, role: i32) {
    if let Err(at) = roles.binary_search(&role) {
        roles.insert(at, role);
    }
}

fn ids(f: &Fields, owner: &str) -> ApiResult<(i32, i32)> {
    Ok((f.req_i32(owner)?, f.req_i32("RoleId")?))
}

pub(crate) fn assign_to_user(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (user, role) = ids(f, "UserId")?;
    state.role(role)?;
    add_role(&mut state.user_mut(user)?.role_ids, role);
    Ok(Outcome::Empty)
}

pub(crate) fn remove_from_user(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (user, role) = ids(f, "UserId")?;
    state.role(role)?;
    let roles = &mut state.user_mut(user)?.role_ids;
    let at = roles
        .iter()
        .position(|r| *r == role)
        .ok_or_else(|| ApiError::argument(format!("User {user} does not have role {role}.")))?;
    roles.remove(at);
    Ok(Outcome::Empty)
}

pub(crate) fn assign_to_account(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (account, role) = ids(f, "AccountId")?;
    state.role(role)?;
    add_role(&mut state.account_mut(account)?.role_ids, role);
    Ok(Outcome::Empty)
}

pub(crate) fn remove_from_account(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (account, role) = ids(f, "AccountId")?;
    state.role(role)?;
    let roles = &mut state.account_mut(account)?.role_ids;
    let at = roles.iter().position(|r| *r == role).ok_or_else(|| {
        ApiError::argument(format!("Account {account} does not have role {role}."))
    })?;
    roles.remove(at);
    Ok(Outcome::Empty)
}
