//! Inbound numbers: a fixed pool that allocation and release move to and from accounts.

use super::{list, record, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::records::{InboundNumber, NumberType};
use crate::request::Fields;
use crate::state::State;
use crate::{rules, wire};

pub(crate) fn available(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let country = f
        .string("CountryCode")?
        .map(|c| rules::country_code("CountryCode", &c))
        .transpose()?;
    let kind = f
        .string("NumberType")?
        .map(|t| rules::one_of("NumberType", &t, &NumberType::ALL))
        .transpose()?;
    let found: Vec<&InboundNumber> = state
        .numbers
        .values()
        .filter(|n| n.account_id.is_none())
        .filter(|n| country.as_deref().is_none_or(|c| n.country_code == c))
        .filter(|n| kind.is_none_or(|k| n.number_type == k))
        .collect();
    list("Numbers", &found)
}

fn account_and_number(state: &State, f: &Fields) -> ApiResult<(i32, String)> {
    let account_id = f.req_i32("AccountId")?;
    let number = f.req_string("Number")?;
    rules::e164("Number", &number)?;
    state.account(account_id)?;
    Ok((account_id, number))
}

pub(crate) fn allocate(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (account_id, number) = account_and_number(state, f)?;
    state.open_account(account_id)?;
    let entry = state
        .numbers
        .get_mut(&number)
        .filter(|n| n.account_id.is_none())
        .ok_or_else(|| ApiError::argument(format!("Number {number} is not available.")))?;
    entry.account_id = Some(account_id);
    entry.allocated_date = Some(wire::now());
    record(entry)
}

pub(crate) fn release(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let (account_id, number) = account_and_number(state, f)?;
    let entry = state
        .numbers
        .get_mut(&number)
        .filter(|n| n.account_id == Some(account_id))
        .ok_or_else(|| {
            ApiError::argument(format!(
                "Number {number} is not allocated to account {account_id}."
            ))
        })?;
    entry.account_id = None;
    entry.allocated_date = None;
    Ok(Outcome::Empty)
}

pub(crate) fn allocated(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    state.account(account_id)?;
    let found: Vec<&InboundNumber> = state
        .numbers
        .values()
        .filter(|n| n.account_id == Some(account_id))
        .collect();
    list("Numbers", &found)
}
