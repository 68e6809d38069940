//! The operation catalogue: every vendor method in one table.
//!
//! One line per operation gives its area, vendor name, client method, request and response
//! types, whether it changes state on the server (which decides retries) and whether the vendor
//! documents it. From that line come the URL (`{base}/{Method}`), the retry policy, the
//! [`OPERATIONS`] table, and the client method with its docs. Correcting a vendor name is a
//! one-line change here; field names live on the request and record types.

use crate::client::Client;
use crate::records::*;
use crate::requests::*;
use crate::validate::Validate;
use crate::wire::Decode;
use crate::{Error, Result, ValidationError};
use serde::Serialize;

/// The capability areas of the overview page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Accounts,
    Users,
    Roles,
    Credit,
    Reports,
    Numbers,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Users => "users",
            Self::Roles => "roles",
            Self::Credit => "credit",
            Self::Reports => "reports",
            Self::Numbers => "numbers",
        }
    }
}

/// What the client knows about a vendor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The vendor's PascalCase method name, the last segment of the URL.
    pub method: &'static str,
    /// The client's snake_case method name.
    pub function: &'static str,
    pub area: Area,
    /// Changes state on the server: never retried once the request may have reached it.
    pub mutating: bool,
    /// Published by the vendor (`true`) or inferred from its naming style (`false`).
    pub documented: bool,
}

/// A typed request: its body, its rules and its entry in the catalogue.
pub trait Operation: Serialize + Validate + Send + Sync {
    /// What a successful call returns.
    type Output: Decode + Send;
    const INFO: OperationInfo;

    /// The local validation [`Client::send`](crate::Client::send) applies before sending, with
    /// the error naming this operation. Bindings call it before creating a future, so input that
    /// would never leave the process fails without a trip through the async runtime.
    fn check(&self) -> Result<()> {
        self.validate()
            .map_err(|error| error.in_method(Self::INFO.method))
    }
}

/// Looks up a vendor method by name (exact spelling).
pub fn find(method: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().find(|op| op.method == method)
}

macro_rules! mutating {
    (mutating) => {
        true
    };
    (read) => {
        false
    };
}

macro_rules! documented {
    (documented) => {
        true
    };
    (inferred) => {
        false
    };
}

macro_rules! status_doc {
    (documented) => {
        "Documented by the vendor."
    };
    (inferred) => {
        "**Inferred**: the vendor publishes no page for this method; its name and fields follow the \
         vendor's naming style and may need correcting against the live service."
    };
}

macro_rules! retry_doc {
    (mutating) => {
        "Changes state: retried only when the request provably never reached the service; an \
         ambiguous failure is reported with `outcome_unknown` and never replayed."
    };
    (read) => {
        "Read-only: retried on connect errors, timeouts and 500/502/503/504 within the retry policy."
    };
}

macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $area:ident $method:ident => $function:ident -> $output:ty, $kind:ident, $status:ident;
    )*) => {
        /// Every operation of the contract, in catalogue order.
        pub const OPERATIONS: &[OperationInfo] = &[$(
            <$method as Operation>::INFO,
        )*];

        $(
            impl Operation for $method {
                type Output = $output;
                const INFO: OperationInfo = OperationInfo {
                    method: stringify!($method),
                    function: stringify!($function),
                    area: Area::$area,
                    mutating: mutating!($kind),
                    documented: documented!($status),
                };
            }
        )*

        impl Client {
            /// Calls an operation of the catalogue by vendor name with a JSON input that uses the
            /// vendor's field names, through the typed path: the input is decoded into the
            /// operation's request (an unknown or mistyped field is a validation error), validated,
            /// sent, and the typed result is encoded back to JSON (`null` for operations without a
            /// result). Unlike [`Client::call`], it reaches only catalogued methods and loses nothing
            /// the typed records keep. For CLIs, bulk jobs and bindings that dispatch by name.
            pub async fn invoke(&self, method: &str, input: serde_json::Value) -> Result<serde_json::Value> {
                match method {
                    $( stringify!($method) => {
                        let request: $method = decode_input(method, input)?;
                        let output = self.send(&request).await?;
                        encode_output(method, &output)
                    } )*
                    _ => Err(Error::validation(
                        "method",
                        format!("{method:?} is not in the catalogue (use Client::call for other methods)"),
                    )),
                }
            }
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("Vendor method `", stringify!($method), "`. ", status_doc!($status))]
                ///
                #[doc = retry_doc!($kind)]
                pub async fn $function(&self, request: &$method) -> Result<$output> {
                    self.send(request).await
                }
            )*
        }
    };
}

fn decode_input<T: serde::de::DeserializeOwned>(
    method: &str,
    input: serde_json::Value,
) -> Result<T> {
    let input = match input {
        serde_json::Value::Null => serde_json::Value::Object(serde_json::Map::new()),
        other => other,
    };
    serde_json::from_value(input).map_err(|error| {
        Error::Validation(ValidationError {
            method: Some(method.to_owned()),
            field: field_of(&error.to_string()).unwrap_or("input").to_owned(),
            message: error.to_string(),
        })
    })
}

/// The field a serde message names (`missing field `AccountId``, `unknown field `Foo``).
fn field_of(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    Some(&message[start..end])
}

fn encode_output<T: Serialize>(method: &str, output: &T) -> Result<serde_json::Value> {
    serde_json::to_value(output).map_err(|error| {
        Error::Validation(ValidationError {
            method: Some(method.to_owned()),
            field: "output".to_owned(),
            message: error.to_string(),
        })
    })
}

catalogue! {
    /// Creates a customer account, under the reseller or under one of its accounts.
    Accounts CreateAccount => create_account -> Account, mutating, inferred;
    /// Reads one account.
    Accounts GetAccount => get_account -> Account, read, inferred;
    /// Lists the accounts under the reseller, or under one parent.
    Accounts GetAccounts => get_accounts -> AccountList, read, inferred;
    /// Changes an account's name, contact, time zone or notes.
    Accounts UpdateAccount => update_account -> Account, mutating, inferred;
    /// Activates, suspends or closes an account.
    Accounts SetAccountStatus => set_account_status -> Account, mutating, inferred;
    /// Adds a portal user to an account and returns its id when the service sends one.
    Users AddUserToAccount => add_user_to_account -> UserCreated, mutating, documented;
    /// Lists an account's users.
    Users GetUsers => get_users -> UserList, read, inferred;
    /// Reads one user.
    Users GetUser => get_user -> User, read, inferred;
    /// Changes a user's details or enables/disables the user.
    Users UpdateUser => update_user -> User, mutating, inferred;
    /// Removes a user from its account.
    Users RemoveUserFromAccount => remove_user_from_account -> (), mutating, inferred;
    /// Sets a new password for a user.
    Users ResetUserPassword => reset_user_password -> (), mutating, inferred;
    /// Lists the predefined roles.
    Roles GetRoles => get_roles -> RoleList, read, inferred;
    /// Gives a user a role.
    Roles AssignRoleToUser => assign_role_to_user -> (), mutating, inferred;
    /// Takes a role from a user.
    Roles RemoveRoleFromUser => remove_role_from_user -> (), mutating, inferred;
    /// Gives an account a role: every user in it then has it.
    Roles AssignRoleToAccount => assign_role_to_account -> (), mutating, inferred;
    /// Takes a role from an account.
    Roles RemoveRoleFromAccount => remove_role_from_account -> (), mutating, inferred;
    /// Allocates credit to an account. Set a `Reference` so an unknown outcome can be reconciled.
    Credit AllocateCredit => allocate_credit -> CreditAllocation, mutating, inferred;
    /// Reads an account's credit balance.
    Credit GetCreditBalance => get_credit_balance -> CreditBalance, read, inferred;
    /// Lists an account's credit allocations, optionally between two dates.
    Credit GetCreditAllocations => get_credit_allocations -> CreditAllocationList, read, inferred;
    /// Reports chargeable activity between two dates, for one account or all of them.
    Reports GetChargeableActivity => get_chargeable_activity -> ActivityReport, read, inferred;
    /// Lists inbound numbers available for allocation, by country and type.
    Numbers GetAvailableInboundNumbers => get_available_inbound_numbers -> InboundNumberList, read, inferred;
    /// Allocates an available inbound number to an account.
    Numbers AllocateInboundNumber => allocate_inbound_number -> InboundNumber, mutating, inferred;
    /// Releases an inbound number from an account back to the pool.
    Numbers ReleaseInboundNumber => release_inbound_number -> (), mutating, inferred;
    /// Lists the inbound numbers allocated to an account.
    Numbers GetAllocatedInboundNumbers => get_allocated_inbound_numbers -> InboundNumberList, read, inferred;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_complete_and_unique() {
        assert_eq!(OPERATIONS.len(), 24);
        let mut names: Vec<_> = OPERATIONS.iter().map(|op| op.method).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        let documented: Vec<_> = OPERATIONS
            .iter()
            .filter(|op| op.documented)
            .map(|op| op.method)
            .collect();
        assert_eq!(documented, ["AddUserToAccount"]);
        assert_eq!(find("AllocateCredit").map(|op| op.mutating), Some(true));
        assert_eq!(
            find("GetChargeableActivity").map(|op| op.mutating),
            Some(false)
        );
        assert!(find("allocatecredit").is_none());
    }
}
