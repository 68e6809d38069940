//! `credit allocate|balance|history`.

use super::{amount, optional_date};
use crate::args::CreditCommand;
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::requests::{AllocateCredit, GetCreditAllocations, GetCreditBalance};

/// Table columns of allocation lists.
pub const COLUMNS: &[&str] = &[
    "AllocationId",
    "AccountId",
    "Amount",
    "Reference",
    "AllocatedDate",
    "BalanceAfter",
];

pub async fn run(ctx: &Ctx, command: CreditCommand) -> Result<(), CliError> {
    let client = &ctx.client;
    match command {
        CreditCommand::Allocate {
            account,
            amount: text,
            reference,
        } => {
            let reference = reference.unwrap_or_else(generated_reference);
            let request = AllocateCredit {
                account_id: account,
                amount: amount("--amount", &text)?,
                reference: Some(reference.clone()),
            };
            match client.allocate_credit(&request).await {
                Ok(allocation) => output::record(&allocation, COLUMNS, ctx.format)?,
                Err(error) if error.outcome_unknown() => {
                    eprintln!(
                        "The allocation may have been applied. Reconcile it: look for Reference \
                         {reference} in `cpaas-reseller credit history --account {account}` \
                         before allocating again."
                    );
                    return Err(error.into());
                }
                Err(error) => return Err(error.into()),
            }
        }
        CreditCommand::Balance { account } => {
            let balance = client
                .get_credit_balance(&GetCreditBalance {
                    account_id: account,
                })
                .await?;
            output::record(&balance, &["AccountId", "Balance", "Currency"], ctx.format)?;
        }
        CreditCommand::History { account, from, to } => {
            let request = GetCreditAllocations {
                account_id: account,
                start_date: optional_date("--from", from.as_deref())?,
                end_date: optional_date("--to", to.as_deref())?,
            };
            let list = client.get_credit_allocations(&request).await?;
            output::list(&list, "Allocations", COLUMNS, ctx.format)?;
        }
    }
    Ok(())
}

/// A reference unique enough to find one allocation again: `cli-<UTC time>-<random>`.
fn generated_reference() -> String {
    format!(
        "cli-{}-{:06x}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
        fastrand::u32(..0x0100_0000)
    )
}
