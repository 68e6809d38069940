//! `roles list|assign-user|remove-user|assign-account|remove-account`.

use crate::args::RolesCommand;
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::requests::{
    AssignRoleToAccount, AssignRoleToUser, GetRoles, RemoveRoleFromAccount, RemoveRoleFromUser,
};

pub async fn run(ctx: &Ctx, command: RolesCommand) -> Result<(), CliError> {
    let client = &ctx.client;
    let message = match command {
        RolesCommand::List => {
            let roles = client.get_roles(&GetRoles {}).await?;
            output::list(
                &roles,
                "Roles",
                &["RoleId", "RoleName", "Description"],
                ctx.format,
            )?;
            return Ok(());
        }
        RolesCommand::AssignUser { user, role } => {
            client
                .assign_role_to_user(&AssignRoleToUser {
                    user_id: user,
                    role_id: role,
                })
                .await?;
            format!("Role {role} assigned to user {user}.")
        }
        RolesCommand::RemoveUser { user, role } => {
            client
                .remove_role_from_user(&RemoveRoleFromUser {
                    user_id: user,
                    role_id: role,
                })
                .await?;
            format!("Role {role} removed from user {user}.")
        }
        RolesCommand::AssignAccount { account, role } => {
            let request = AssignRoleToAccount {
                account_id: account,
                role_id: role,
            };
            client.assign_role_to_account(&request).await?;
            format!("Role {role} assigned to account {account}.")
        }
        RolesCommand::RemoveAccount { account, role } => {
            let request = RemoveRoleFromAccount {
                account_id: account,
                role_id: role,
            };
            client.remove_role_from_account(&request).await?;
            format!("Role {role} removed from account {account}.")
        }
    };
    output::done(&message, ctx.format)?;
    Ok(())
}
