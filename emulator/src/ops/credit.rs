//! Credit: an exact decimal ledger per account.

use super::{list, record, Outcome};
use crate::error::ApiResult;
use crate::records::{CreditAllocation, CreditBalance};
use crate::request::Fields;
use crate::state::{State, CURRENCY};
use crate::{rules, wire};

pub(crate) fn allocate(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    let amount = f.req_money("Amount")?;
    let reference = f.string("Reference")?;
    rules::positive("Amount", amount)?;
    state.open_account(account_id)?;
    let allocation = state.record_allocation(account_id, amount, reference, wire::now())?;
    record(&allocation)
}

pub(crate) fn balance(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    state.account(account_id)?;
    record(&CreditBalance {
        account_id,
        balance: state.balance(account_id),
        currency: CURRENCY,
    })
}

/// Allocations with `StartDate <= AllocatedDate < EndDate` (each bound optional), oldest first.
pub(crate) fn allocations(state: &mut State, f: &Fields) -> ApiResult<Outcome> {
    let account_id = f.req_i32("AccountId")?;
    let start = f.date("StartDate")?;
    let end = f.date("EndDate")?;
    if let (Some(s), Some(e)) = (start, end) {
        rules::date_order(s, e)?;
    }
    state.account(account_id)?;
    let found: Vec<&CreditAllocation> = state
        .allocations
        .iter()
        .filter(|a| a.account_id == account_id)
        .filter(|a| start.is_none_or(|s| a.allocated_date >= s))
        .filter(|a| end.is_none_or(|e| a.allocated_date < e))
        .collect();
    list("Allocations", &found)
}
