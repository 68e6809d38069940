//! Request records, one per operation (`GetAccountRequest` for `GetAccount`), mirroring the
//! core's requests field for field; optional fields default to none.
//!
//! They only carry values: the core validates them (field names in errors are the vendor's) and
//! decides what goes on the wire.

use crate::dates::from_system_time;
use crate::errors::ResellerError;
use crate::money::Money;
use crate::records::{AccountStatus, NumberType};
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use cpaas_reseller::{records as core_records, requests as core};
use rust_decimal::Decimal;
use std::time::SystemTime;

/// Converts a facade value into the core's. `field` is the Rust field name: an error names it in
/// the vendor's spelling, worked out only then (the conversions that cannot fail, nearly all of
/// them, cost no allocation per call).
pub(crate) trait ToCore<T> {
    fn to_core(self, field: &'static str) -> Result<T, ResellerError>;
}

macro_rules! same_on_both_sides {
    ($($ty:ty),*) => {
        $( impl ToCore<$ty> for $ty {
            fn to_core(self, _field: &'static str) -> Result<$ty, ResellerError> { Ok(self) }
        } )*
    };
}

same_on_both_sides!(i32, bool, String, Option<i32>, Option<bool>, Option<String>);

impl ToCore<Decimal> for Money {
    fn to_core(self, _field: &'static str) -> Result<Decimal, ResellerError> {
        Ok(self.0)
    }
}

impl ToCore<cpaas_reseller::Secret> for Secret {
    fn to_core(self, _field: &'static str) -> Result<cpaas_reseller::Secret, ResellerError> {
        Ok(self.into())
    }
}

impl ToCore<DateTime<Utc>> for SystemTime {
    fn to_core(self, field: &'static str) -> Result<DateTime<Utc>, ResellerError> {
        from_system_time(self).ok_or_else(|| outside_dates(field))
    }
}

impl ToCore<Option<DateTime<Utc>>> for Option<SystemTime> {
    fn to_core(self, field: &'static str) -> Result<Option<DateTime<Utc>>, ResellerError> {
        self.map(|time| from_system_time(time).ok_or_else(|| outside_dates(field)))
            .transpose()
    }
}

/// The error for a date chrono cannot represent, naming the field as the vendor spells it.
fn outside_dates(field: &str) -> ResellerError {
    ResellerError::invalid(&vendor_name(field), "is outside the representable dates")
}

impl ToCore<core_records::AccountStatus> for AccountStatus {
    fn to_core(self, _field: &'static str) -> Result<core_records::AccountStatus, ResellerError> {
        Ok(self.into())
    }
}

impl ToCore<Option<core_records::NumberType>> for Option<NumberType> {
    fn to_core(
        self,
        _field: &'static str,
    ) -> Result<Option<core_records::NumberType>, ResellerError> {
        Ok(self.map(Into::into))
    }
}

/// The vendor's spelling of a field (`start_date` -> `StartDate`), for error messages.
fn vendor_name(field: &str) -> String {
    field
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Declares a request record and its conversion into the core request of the same fields.
/// `#[uniffi(default)]` on a field gives it a default (none) in Kotlin and Swift.
macro_rules! request {
    ($(#[$meta:meta])* $name:ident => $core:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            pub(crate) fn into_core(self) -> Result<core::$core, ResellerError> {
                #[allow(unused_variables)]
                let Self { $( $field, )* } = self;
                Ok(core::$core {
                    $( $field: $field.to_core(stringify!($field))?, )*
                })
            }
        }
    };
}

request! {
    /// Creates a customer account (inferred).
    CreateAccountRequest => CreateAccount {
        account_name: String,
        #[uniffi(default)] parent_account_id: Option<i32>,
        #[uniffi(default)] contact_email_address: Option<String>,
        /// ISO 3166-1 alpha-2.
        #[uniffi(default)] country_code: Option<String>,
        /// IANA time zone name.
        #[uniffi(default)] time_zone: Option<String>,
        #[uniffi(default)] notes: Option<String>,
    }
}

request! {
    /// Reads one account (inferred).
    GetAccountRequest => GetAccount { account_id: i32 }
}

request! {
    /// Lists accounts under the reseller, or under one parent (inferred).
    GetAccountsRequest => GetAccounts { #[uniffi(default)] parent_account_id: Option<i32> }
}

request! {
    /// Changes an account's details; fields left none are unchanged (inferred).
    UpdateAccountRequest => UpdateAccount {
        account_id: i32,
        #[uniffi(default)] account_name: Option<String>,
        #[uniffi(default)] contact_email_address: Option<String>,
        #[uniffi(default)] time_zone: Option<String>,
        #[uniffi(default)] notes: Option<String>,
    }
}

request! {
    /// Activates, suspends or closes an account (inferred).
    SetAccountStatusRequest => SetAccountStatus { account_id: i32, status: AccountStatus }
}

request! {
    /// Adds a portal user to an account: the one method the vendor documents.
    /// Its `Debug` (Kotlin `toString()`) hides the password.
    #[uniffi::export(Debug)]
    AddUserToAccountRequest => AddUserToAccount {
        account_id: i32,
        username: String,
        /// More than 8 characters, with at least one letter and one digit.
        password: Secret,
        firstname: String,
        last_name: String,
        email_address: String,
        /// E.164.
        mobile_phone_number: String,
        /// E.164.
        landline_phone_number: String,
        #[uniffi(default)] notes: Option<String>,
        #[uniffi(default)] change_password_at_next_logon: Option<bool>,
    }
}

request! {
    /// Lists the users of an account (inferred).
    GetUsersRequest => GetUsers { account_id: i32 }
}

request! {
    /// Reads one user (inferred).
    GetUserRequest => GetUser { user_id: i32 }
}

request! {
    /// Changes a user's details; fields left none are unchanged (inferred).
    UpdateUserRequest => UpdateUser {
        user_id: i32,
        #[uniffi(default)] firstname: Option<String>,
        #[uniffi(default)] last_name: Option<String>,
        #[uniffi(default)] email_address: Option<String>,
        #[uniffi(default)] mobile_phone_number: Option<String>,
        #[uniffi(default)] landline_phone_number: Option<String>,
        #[uniffi(default)] notes: Option<String>,
        #[uniffi(default)] enabled: Option<bool>,
    }
}

request! {
    /// Removes a user from its account (inferred).
    RemoveUserFromAccountRequest => RemoveUserFromAccount { user_id: i32 }
}

request! {
    /// Sets a new password for a user (inferred). Its `Debug` hides the password.
    #[uniffi::export(Debug)]
    ResetUserPasswordRequest => ResetUserPassword {
        user_id: i32,
        /// Same rule as `AddUserToAccount`'s `Password`.
        new_password: Secret,
        #[uniffi(default)] change_password_at_next_logon: Option<bool>,
    }
}

request! {
    /// Lists the predefined roles (inferred). Has no fields.
    GetRolesRequest => GetRoles {}
}

request! {
    /// Gives a user a role (inferred).
    AssignRoleToUserRequest => AssignRoleToUser { user_id: i32, role_id: i32 }
}

request! {
    /// Takes a role from a user (inferred).
    RemoveRoleFromUserRequest => RemoveRoleFromUser { user_id: i32, role_id: i32 }
}

request! {
    /// Gives every user of an account a role (inferred).
    AssignRoleToAccountRequest => AssignRoleToAccount { account_id: i32, role_id: i32 }
}

request! {
    /// Takes a role from an account (inferred).
    RemoveRoleFromAccountRequest => RemoveRoleFromAccount { account_id: i32, role_id: i32 }
}

request! {
    /// Adds credit to an account (inferred). Never retried once sent: on an ambiguous failure
    /// the error has `outcome_unknown`; reconcile by `reference` with `GetCreditAllocations`.
    AllocateCreditRequest => AllocateCredit {
        account_id: i32,
        /// Greater than 0; sent as an exact JSON number.
        amount: Money,
        /// The caller's own id for this allocation.
        #[uniffi(default)] reference: Option<String>,
    }
}

request! {
    /// Reads an account's credit balance (inferred).
    GetCreditBalanceRequest => GetCreditBalance { account_id: i32 }
}

request! {
    /// Lists an account's credit allocations, optionally within dates (inferred).
    GetCreditAllocationsRequest => GetCreditAllocations {
        account_id: i32,
        #[uniffi(default)] start_date: Option<SystemTime>,
        #[uniffi(default)] end_date: Option<SystemTime>,
    }
}

request! {
    /// Reports chargeable activity between two dates, for one account or every account under
    /// the reseller (inferred).
    GetChargeableActivityRequest => GetChargeableActivity {
        start_date: SystemTime,
        end_date: SystemTime,
        /// None: every account under the reseller.
        #[uniffi(default)] account_id: Option<i32>,
    }
}

request! {
    /// Lists inbound numbers that can be allocated (inferred).
    GetAvailableInboundNumbersRequest => GetAvailableInboundNumbers {
        #[uniffi(default)] country_code: Option<String>,
        #[uniffi(default)] number_type: Option<NumberType>,
    }
}

request! {
    /// Allocates an available inbound number to an account (inferred).
    AllocateInboundNumberRequest => AllocateInboundNumber {
        account_id: i32,
        /// E.164.
        number: String,
    }
}

request! {
    /// Returns an allocated inbound number to the pool (inferred).
    ReleaseInboundNumberRequest => ReleaseInboundNumber {
        account_id: i32,
        /// E.164.
        number: String,
    }
}

request! {
    /// Lists the inbound numbers allocated to an account (inferred).
    GetAllocatedInboundNumbersRequest => GetAllocatedInboundNumbers { account_id: i32 }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn vendor_names_follow_the_vendor_spelling() {
        assert_eq!(vendor_name("start_date"), "StartDate");
        assert_eq!(vendor_name("firstname"), "Firstname");
        assert_eq!(vendor_name("account_id"), "AccountId");
    }

    #[test]
    fn a_date_outside_chrono_names_the_field_as_the_vendor_spells_it() {
        let request = GetChargeableActivityRequest {
            start_date: SystemTime::UNIX_EPOCH,
            end_date: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 62),
            account_id: None,
        };
        let error = request.into_core().unwrap_err();
        assert!(
            matches!(&error, ResellerError::Validation { field, .. } if field == "EndDate"),
            "{error:?}"
        );
    }

    #[test]
    fn debug_hides_passwords() {
        let request = ResetUserPasswordRequest {
            user_id: 5001,
            new_password: Secret("Sup3rSecret-XYZZY".into()),
            change_password_at_next_logon: None,
        };
        let text = format!("{request:?}");
        assert!(!text.contains("XYZZY"), "{text}");
        assert!(text.contains("5001"));
        let core = request.into_core().unwrap();
        assert_eq!(core.new_password.expose(), "Sup3rSecret-XYZZY");
    }
}
