//! `numbers available|allocate|release|list`.

use crate::args::{NumberTypeArg, NumbersCommand};
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::records::NumberType;
use cpaas_reseller::requests::{
    AllocateInboundNumber, GetAllocatedInboundNumbers, GetAvailableInboundNumbers,
    ReleaseInboundNumber,
};

/// Table columns of number lists.
pub const COLUMNS: &[&str] = &[
    "Number",
    "CountryCode",
    "NumberType",
    "MonthlyCost",
    "AccountId",
    "AllocatedDate",
];

pub async fn run(ctx: &Ctx, command: NumbersCommand) -> Result<(), CliError> {
    let client = &ctx.client;
    match command {
        NumbersCommand::Available {
            country,
            number_type,
        } => {
            let request = GetAvailableInboundNumbers {
                country_code: country,
                number_type: number_type.map(|t| match t {
                    NumberTypeArg::LongCode => NumberType::LongCode,
                    NumberTypeArg::ShortCode => NumberType::ShortCode,
                    NumberTypeArg::TollFree => NumberType::TollFree,
                }),
            };
            let list = client.get_available_inbound_numbers(&request).await?;
            output::list(&list, "Numbers", COLUMNS, ctx.format)?;
        }
        NumbersCommand::Allocate { account, number } => {
            let request = AllocateInboundNumber {
                account_id: account,
                number,
            };
            output::record(
                &client.allocate_inbound_number(&request).await?,
                COLUMNS,
                ctx.format,
            )?;
        }
        NumbersCommand::Release { account, number } => {
            let request = ReleaseInboundNumber {
                account_id: account,
                number: number.clone(),
            };
            client.release_inbound_number(&request).await?;
            output::done(
                &format!("Released {number} from account {account}."),
                ctx.format,
            )?;
        }
        NumbersCommand::List { account } => {
            let request = GetAllocatedInboundNumbers {
                account_id: account,
            };
            let list = client.get_allocated_inbound_numbers(&request).await?;
            output::list(&list, "Numbers", COLUMNS, ctx.format)?;
        }
    }
    Ok(())
}
