//! `accounts create|get|list|update|status`.

use crate::args::{AccountsCommand, StatusArg};
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::records::AccountStatus;
use cpaas_reseller::requests::{
    CreateAccount, GetAccount, GetAccounts, SetAccountStatus, UpdateAccount,
};

/// Table columns of account lists.
pub const COLUMNS: &[&str] = &[
    "AccountId",
    "AccountName",
    "ParentAccountId",
    "Status",
    "CountryCode",
    "TimeZone",
    "ContactEmailAddress",
];

/// Field order of a single account.
const FIELDS: &[&str] = &[
    "AccountId",
    "AccountName",
    "ParentAccountId",
    "Status",
    "ContactEmailAddress",
    "CountryCode",
    "TimeZone",
    "Notes",
    "CreatedDate",
];

pub async fn run(ctx: &Ctx, command: AccountsCommand) -> Result<(), CliError> {
    let client = &ctx.client;
    match command {
        AccountsCommand::Create {
            name,
            parent,
            email,
            country,
            time_zone,
            notes,
        } => {
            let request = CreateAccount {
                account_name: name,
                parent_account_id: parent,
                contact_email_address: email,
                country_code: country,
                time_zone,
                notes,
            };
            output::record(&client.create_account(&request).await?, FIELDS, ctx.format)?;
        }
        AccountsCommand::Get { account_id } => {
            output::record(
                &client.get_account(&GetAccount { account_id }).await?,
                FIELDS,
                ctx.format,
            )?;
        }
        AccountsCommand::List { parent } => {
            let list = client
                .get_accounts(&GetAccounts {
                    parent_account_id: parent,
                })
                .await?;
            output::list(&list, "Accounts", COLUMNS, ctx.format)?;
        }
        AccountsCommand::Update {
            account_id,
            name,
            email,
            time_zone,
            notes,
        } => {
            let request = UpdateAccount {
                account_id,
                account_name: name,
                contact_email_address: email,
                time_zone,
                notes,
            };
            output::record(&client.update_account(&request).await?, FIELDS, ctx.format)?;
        }
        AccountsCommand::Status { account_id, status } => {
            let status = match status {
                StatusArg::Active => AccountStatus::Active,
                StatusArg::Suspended => AccountStatus::Suspended,
                StatusArg::Closed => AccountStatus::Closed,
            };
            let request = SetAccountStatus { account_id, status };
            output::record(
                &client.set_account_status(&request).await?,
                FIELDS,
                ctx.format,
            )?;
        }
    }
    Ok(())
}
