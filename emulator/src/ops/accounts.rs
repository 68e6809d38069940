//! Accounts: a tree under the reseller's root; other resellers' accounts are "not found".

use super::{list as list_of, record, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::records::{Account, AccountStatus};
use crate::request::Fields;
use crate::state::{State, ROOT_ACCOUNT_ID};
use crate::{rules, wire};

/// Reads and checks the optional contact fields shared by create and update.
struct Contact {
    email: Option<String>,
    country: Option<String>,
    zone: Option<String>,
}

fn contact(f: &Fields) -> ApiResult<Contact> {
    let email = f.string("ContactEmailAddress")?;
    if let Some(e) = &email {
        rules::email("ContactEmailAddress", e)?;
    }
    let country = f
        .string("CountryCode")?
        .map(|c| rules::country_code("CountryCode", &c))
        .transpose()?;
    let zone = f.string("TimeZone")?;
    if let Some(z) = &zone {
        rules::time_zone("TimeZone", z)?;
    }
    Ok(Contact {
        email,
        country,
        zone,
    })
}

pub(crate) fn create(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let name = f.req_string("AccountName")?;
    let parent = f.i32("ParentAccountId")?.unwrap_or(ROOT_ACCOUNT_ID);
    let contact = contact(f)?;
    let notes = f.string("Notes")?;
    state.open_account(parent)?;
    let id = state.fresh_account_id();
    let account = Account {
        account_id: id,
        account_name: name,
        parent_account_id: Some(parent),
        status: AccountStatus::Active,
        contact_email_address: contact.email,
        country_code: contact.country,
        time_zone: contact.zone,
        notes,
        created_date: wire::now(),
        role_ids: Vec::new(),
        billing_reference: format!("BR-{id}"),
        foreign: false,
    };
    let out = record(&account);
    state.accounts.insert(id, account);
    out
}

pub(crate) fn get(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("AccountId")?;
    record(state.account(id)?)
}

/// With `ParentAccountId`: its direct children. Without: every account the caller can see
/// (the root and all its descendants), ascending by id.
fn list_accounts(state: &State, f: &Fields) -> ApiResult<Vec<Account>> {
    let parent = f.i32("ParentAccountId")?;
    if let Some(p) = parent {
        state.account(p)?;
    }
    Ok(state
        .accounts
        .values()
        .filter(|a| !a.foreign)
        .filter(|a| parent.is_none() || a.parent_account_id == parent)
        .cloned()
        .collect())
}

pub(crate) fn list(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    list_of("Accounts", &list_accounts(state, f)?)
}

pub(crate) fn update(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("AccountId")?;
    let name = f.non_blank("AccountName")?;
    let contact = contact(f)?;
    let notes = f.string("Notes")?;
    let account = state.account_mut(id)?;
    if let Some(n) = name {
        account.account_name = n;
    }
    if let Some(e) = contact.email {
        account.contact_email_address = Some(e);
    }
    if let Some(c) = contact.country {
        account.country_code = Some(c);
    }
    if let Some(z) = contact.zone {
        account.time_zone = Some(z);
    }
    if let Some(n) = notes {
        account.notes = Some(n);
    }
    record(account)
}

pub(crate) fn set_status(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let id = f.req_i32("AccountId")?;
    let status = f.req_string("Status")?;
    let status = rules::one_of("Status", &status, &AccountStatus::ALL)?;
    let account = state.account_mut(id)?;
    if id == ROOT_ACCOUNT_ID {
        return Err(ApiError::argument(format!(
            "Account {id} is the reseller's own account; its status cannot be changed."
        )));
    }
    account.status = status;
    record(account)
}
