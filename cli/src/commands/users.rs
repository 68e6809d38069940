//! `users add|list|get|update|remove|reset-password`.

use crate::args::UsersCommand;
use crate::context::Ctx;
use crate::credentials;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::requests::{
    AddUserToAccount, GetUser, GetUsers, RemoveUserFromAccount, ResetUserPassword, UpdateUser,
};

/// Table columns of user lists.
pub const COLUMNS: &[&str] = &[
    "UserId",
    "AccountId",
    "Username",
    "Firstname",
    "LastName",
    "EmailAddress",
    "Enabled",
    "RoleIds",
];

/// Field order of a single user.
const FIELDS: &[&str] = &[
    "UserId",
    "AccountId",
    "Username",
    "Firstname",
    "LastName",
    "EmailAddress",
    "MobilePhoneNumber",
    "LandlinePhoneNumber",
    "Notes",
    "Enabled",
    "RoleIds",
];

pub async fn run(ctx: &Ctx, command: UsersCommand) -> Result<(), CliError> {
    let client = &ctx.client;
    match command {
        UsersCommand::Add {
            account,
            username,
            first_name,
            last_name,
            email,
            mobile,
            landline,
            notes,
            change_password_at_next_logon,
            password,
        } => {
            let request = AddUserToAccount {
                account_id: account,
                username,
                password: credentials::require_new_user_password(password.password_stdin)?,
                firstname: first_name,
                last_name,
                email_address: email,
                mobile_phone_number: mobile,
                landline_phone_number: landline,
                notes,
                change_password_at_next_logon: change_password_at_next_logon.then_some(true),
            };
            output::record(
                &client.add_user_to_account(&request).await?,
                &["UserId"],
                ctx.format,
            )?;
        }
        UsersCommand::List { account } => {
            let list = client
                .get_users(&GetUsers {
                    account_id: account,
                })
                .await?;
            output::list(&list, "Users", COLUMNS, ctx.format)?;
        }
        UsersCommand::Get { user_id } => {
            output::record(
                &client.get_user(&GetUser { user_id }).await?,
                FIELDS,
                ctx.format,
            )?;
        }
        UsersCommand::Update {
            user_id,
            first_name,
            last_name,
            email,
            mobile,
            landline,
            notes,
            enabled,
        } => {
            let request = UpdateUser {
                user_id,
                firstname: first_name,
                last_name,
                email_address: email,
                mobile_phone_number: mobile,
                landline_phone_number: landline,
                notes,
                enabled,
            };
            output::record(&client.update_user(&request).await?, FIELDS, ctx.format)?;
        }
        UsersCommand::Remove { user_id } => {
            client
                .remove_user_from_account(&RemoveUserFromAccount { user_id })
                .await?;
            output::done(&format!("Removed user {user_id}."), ctx.format)?;
        }
        UsersCommand::ResetPassword {
            user_id,
            change_password_at_next_logon,
            password,
        } => {
            let request = ResetUserPassword {
                user_id,
                new_password: credentials::require_new_user_password(password.password_stdin)?,
                change_password_at_next_logon: change_password_at_next_logon.then_some(true),
            };
            client.reset_user_password(&request).await?;
            output::done(&format!("Password of user {user_id} reset."), ctx.format)?;
        }
    }
    Ok(())
}
