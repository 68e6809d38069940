//! Users: each belongs to one account; usernames are unique across the whole service.

use super::{list as list_of, record, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::records::User;
use crate::request::Fields;
use crate::state::State;
use crate::{rules, wire};

pub(crate) fn add(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    let username = f.req_string("Username")?;
    let password = f.req_string("Password")?;
    let firstname = f.req_string("Firstname")?;
    let last_name = f.req_string("LastName")?;
    let email = f.req_string("EmailAddress")?;
    let mobile = f.req_string("MobilePhoneNumber")?;
    let landline = f.req_string("LandlinePhoneNumber")?;
    let notes = f.string("Notes")?;
    let change = f.bool("ChangePasswordAtNextLogon")?.unwrap_or(false);
    rules::password("Password", &password)?;
    rules::email("EmailAddress", &email)?;
    rules::e164("MobilePhoneNumber", &mobile)?;
    rules::e164("LandlinePhoneNumber", &landline)?;
    state.open_account(account_id)?;
    let taken = state
        .users
        .values()
        .any(|u| u.username.eq_ignore_ascii_case(&username));
    if taken {
        return Err(ApiError::argument(format!(
            "Username '{username}' is already in use."
        )));
    }
    let user_id = state.fresh_user_id();
    state.users.insert(
        user_id,
        User {
            user_id,
            account_id,
            username,
            firstname,
            last_name,
            email_address: email,
            mobile_phone_number: mobile,
            landline_phone_number: landline,
            notes,
            enabled: true,
            role_ids: Vec::new(),
            created_date: wire::now(),
            password,
            change_password_at_next_logon: change,
        },
    );
    record(&serde_json::json!({ "UserId": user_id }))
}

pub(crate) fn list(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    state.account(account_id)?;
    let users: Vec<&User> = state
        .users
        .values()
        .filter(|u| u.account_id == account_id)
        .collect();
    list_of("Users", &users)
}

pub(crate) fn get(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("UserId")?;
    record(state.user(id)?)
}

pub(crate) fn update(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("UserId")?;
    let firstname = f.non_blank("Firstname")?;
    let last_name = f.non_blank("LastName")?;
    let email = f.string("EmailAddress")?;
    if let Some(e) = &email {
        rules::email("EmailAddress", e)?;
    }
    let mobile = f.string("MobilePhoneNumber")?;
    if let Some(m) = &mobile {
        rules::e164("MobilePhoneNumber", m)?;
    }
    let landline = f.string("LandlinePhoneNumber")?;
    if let Some(l) = &landline {
        rules::e164("LandlinePhoneNumber", l)?;
    }
    let notes = f.string("Notes")?;
    let enabled = f.bool("Enabled")?;
    let user = state.user_mut(id)?;
    if let Some(v) = firstname {
        user.firstname = v;
    }
    if let Some(v) = last_name {
        user.last_name = v;
    }
    if let Some(v) = email {
        user.email_address = v;
    }
    if let Some(v) = mobile {
        user.mobile_phone_number = v;
    }
    if let Some(v) = landline {
        user.landline_phone_number = v;
    }
    if let Some(v) = notes {
        user.notes = Some(v);
    }
    if let Some(v) = enabled {
        user.enabled = v;
    }
    record(user)
}

pub(crate) fn remove(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("UserId")?;
    state.user(id)?;
    state.users.remove(&id);
    Ok(Outcome::Empty)
}

pub(crate) fn reset_password(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("UserId")?;
    let password = f.req_string("NewPassword")?;
    let change = f.bool("ChangePasswordAtNextLogon")?;
    rules::password("NewPassword", &password)?;
    let user = state.user_mut(id)?;
    user.password = password;
    if let Some(c) = change {
        user.change_password_at_next_logon = c;
    }
    Ok(Outcome::Empty)
}
