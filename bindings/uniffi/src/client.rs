//! The client object: one async method per operation of the core's catalogue, plus `call`.

use crate::config::ClientConfig;
use crate::errors::ResellerError;
use crate::records::*;
use crate::requests::*;
use async_compat::Compat;
use cpaas_reseller::Operation;
use std::sync::Arc;

/// A client of the Reseller Services API. One client serves a whole application: calls share
/// its connection pool and may run concurrently.
///
/// Async methods run on a tokio runtime inside the library (Kotlin `suspend`, Swift `async`);
/// cancelling the caller's coroutine or task drops the call.
#[derive(Debug, uniffi::Object)]
pub struct Client {
    inner: cpaas_reseller::Client,
}

impl Client {
    /// The core client, for the other exported blocks of methods (`bulk`).
    pub(crate) fn core(&self) -> &cpaas_reseller::Client {
        &self.inner
    }
}

// Each method runs the core's local validation (`Operation::check`) before the sending, which
// alone is wrapped in the tokio runtime's context (`Compat`): a request failing validation fails
// on the first poll without entering the runtime (`async_runtime = "tokio"` would enter it on
// every poll of every call). `send` checks again; that costs nanoseconds.
macro_rules! operations {
    ($( $(#[$doc:meta])* $function:ident($request:ident) -> $output:ty; )*) => {
        #[uniffi::export]
        impl Client {
            /// Builds a client; fails with `Validation` when an option is invalid (missing
            /// credentials, a plain `http://` URL to a non-loopback host, a bad proxy or PEM).
            #[uniffi::constructor]
            pub fn new(config: ClientConfig) -> Result<Arc<Self>, ResellerError> {
                crate::signals::ignore_sigpipe();
                let inner = config.builder()?.build()?;
                Ok(Arc::new(Self { inner }))
            }

            /// The base URL calls go to.
            pub fn base_url(&self) -> String {
                self.inner.base_url().to_owned()
            }

            /// The raw escape hatch: calls any vendor method (`GetAccount`) with a JSON object
            /// body (`{}` when none), through the same authentication, retries and errors, and
            /// returns the response body as JSON text (`null` for an empty body). Numbers keep
            /// every digit. A method missing from the catalogue is treated as mutating.
            pub async fn call(
                &self,
                method: String,
                json_body: Option<String>,
            ) -> Result<String, ResellerError> {
                let body = json_body
                    .map(|text| {
                        serde_json::from_str::<serde_json::Value>(&text).map_err(|error| {
                            ResellerError::invalid("json_body", format!("is not JSON: {error}"))
                        })
                    })
                    .transpose()?;
                let value = Compat::new(self.inner.call(&method, body.as_ref())).await?;
                Ok(value.to_string())
            }

            $(
                $(#[$doc])*
                pub async fn $function(&self, request: $request) -> Result<$output, ResellerError> {
                    let request = request.into_core()?;
                    request.check()?;
                    let output = Compat::new(self.inner.$function(&request)).await?;
                    Ok(output.to_facade())
                }
            )*
        }
    };
}

operations! {
    /// `CreateAccount` (mutating, inferred): creates a customer account.
    create_account(CreateAccountRequest) -> Account;
    /// `GetAccount` (read, inferred): reads one account.
    get_account(GetAccountRequest) -> Account;
    /// `GetAccounts` (read, inferred): lists the accounts under the reseller, or one parent.
    get_accounts(GetAccountsRequest) -> AccountList;
    /// `UpdateAccount` (mutating, inferred): changes an account's details.
    update_account(UpdateAccountRequest) -> Account;
    /// `SetAccountStatus` (mutating, inferred): activates, suspends or closes an account.
    set_account_status(SetAccountStatusRequest) -> Account;
    /// `AddUserToAccount` (mutating, documented): adds a portal user to an account.
    add_user_to_account(AddUserToAccountRequest) -> UserCreated;
    /// `GetUsers` (read, inferred): lists an account's users.
    get_users(GetUsersRequest) -> UserList;
    /// `GetUser` (read, inferred): reads one user.
    get_user(GetUserRequest) -> User;
    /// `UpdateUser` (mutating, inferred): changes a user's details or enables/disables it.
    update_user(UpdateUserRequest) -> User;
    /// `RemoveUserFromAccount` (mutating, inferred): removes a user from its account.
    remove_user_from_account(RemoveUserFromAccountRequest) -> ();
    /// `ResetUserPassword` (mutating, inferred): sets a new password for a user.
    reset_user_password(ResetUserPasswordRequest) -> ();
    /// `GetRoles` (read, inferred): lists the predefined roles.
    get_roles(GetRolesRequest) -> RoleList;
    /// `AssignRoleToUser` (mutating, inferred): gives a user a role.
    assign_role_to_user(AssignRoleToUserRequest) -> ();
    /// `RemoveRoleFromUser` (mutating, inferred): takes a role from a user.
    remove_role_from_user(RemoveRoleFromUserRequest) -> ();
    /// `AssignRoleToAccount` (mutating, inferred): gives every user of an account a role.
    assign_role_to_account(AssignRoleToAccountRequest) -> ();
    /// `RemoveRoleFromAccount` (mutating, inferred): takes a role from an account.
    remove_role_from_account(RemoveRoleFromAccountRequest) -> ();
    /// `AllocateCredit` (mutating, inferred): allocates credit to an account. Set `reference`
    /// so an unknown outcome can be reconciled with `get_credit_allocations`.
    allocate_credit(AllocateCreditRequest) -> CreditAllocation;
    /// `GetCreditBalance` (read, inferred): reads an account's credit balance.
    get_credit_balance(GetCreditBalanceRequest) -> CreditBalance;
    /// `GetCreditAllocations` (read, inferred): lists an account's credit allocations.
    get_credit_allocations(GetCreditAllocationsRequest) -> CreditAllocationList;
    /// `GetChargeableActivity` (read, inferred): reports chargeable activity between two dates.
    get_chargeable_activity(GetChargeableActivityRequest) -> ActivityReport;
    /// `GetAvailableInboundNumbers` (read, inferred): lists numbers available for allocation.
    get_available_inbound_numbers(GetAvailableInboundNumbersRequest) -> InboundNumberList;
    /// `AllocateInboundNumber` (mutating, inferred): allocates an available number to an account.
    allocate_inbound_number(AllocateInboundNumberRequest) -> InboundNumber;
    /// `ReleaseInboundNumber` (mutating, inferred): releases a number back to the pool.
    release_inbound_number(ReleaseInboundNumberRequest) -> ();
    /// `GetAllocatedInboundNumbers` (read, inferred): lists the numbers allocated to an account.
    get_allocated_inbound_numbers(GetAllocatedInboundNumbersRequest) -> InboundNumberList;
}
