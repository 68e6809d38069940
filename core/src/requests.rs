//! Request bodies, one struct per vendor method, named after it.
//!
//! Fields serialize with the vendor's exact spelling (`rename_all = "PascalCase"` gives
//! `AccountId`, `LastName`, and `Firstname` from `firstname`, as the vendor writes it). Optional
//! fields that are `None` are left out of the body. Only `AddUserToAccount` is documented by
//! the vendor; the rest follow the inferred catalogue.

use crate::records::{AccountStatus, NumberType};
use crate::secret::Secret;
use crate::validate::{self as check, Validate};
use crate::Result;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Creates a customer account (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateAccount {
    pub account_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email_address: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// IANA time zone name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Validate for CreateAccount {
    fn validate(&self) -> Result<()> {
        check::required("AccountName", &self.account_name)?;
        check::optional_id("ParentAccountId", self.parent_account_id)?;
        check::optional_email("ContactEmailAddress", self.contact_email_address.as_deref())?;
        check::country_code("CountryCode", self.country_code.as_deref())?;
        check::time_zone("TimeZone", self.time_zone.as_deref())
    }
}

/// Reads one account (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetAccount {
    pub account_id: i32,
}

impl Validate for GetAccount {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}

/// Lists accounts under the reseller, or under one parent (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetAccounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<i32>,
}

impl Validate for GetAccounts {
    fn validate(&self) -> Result<()> {
        check::optional_id("ParentAccountId", self.parent_account_id)
    }
}

/// Changes an account's details; `None` fields are left as they are (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateAccount {
    pub account_id: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Validate for UpdateAccount {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::optional_text("AccountName", self.account_name.as_deref())?;
        check::optional_email("ContactEmailAddress", self.contact_email_address.as_deref())?;
        check::time_zone("TimeZone", self.time_zone.as_deref())
    }
}

/// Activates, suspends or closes an account (inferred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SetAccountStatus {
    pub account_id: i32,
    pub status: AccountStatus,
}

impl Validate for SetAccountStatus {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::required("Status", self.status.as_str())
    }
}

/// Adds a portal user to an account: the one method the vendor documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AddUserToAccount {
    pub account_id: i32,
    pub username: String,
    /// More than 8 characters, with at least one letter and one digit.
    pub password: Secret,
    pub firstname: String,
    pub last_name: String,
    pub email_address: String,
    /// E.164.
    pub mobile_phone_number: String,
    /// E.164.
    pub landline_phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_password_at_next_logon: Option<bool>,
}

impl Validate for AddUserToAccount {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::required("Username", &self.username)?;
        check::password("Password", self.password.expose())?;
        check::required("Firstname", &self.firstname)?;
        check::required("LastName", &self.last_name)?;
        check::email("EmailAddress", &self.email_address)?;
        check::e164("MobilePhoneNumber", &self.mobile_phone_number)?;
        check::e164("LandlinePhoneNumber", &self.landline_phone_number)
    }
}

/// Lists the users of an account (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetUsers {
    pub account_id: i32,
}

impl Validate for GetUsers {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}

/// Reads one user (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetUser {
    pub user_id: i32,
}

impl Validate for GetUser {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())
    }
}

/// Changes a user's details; `None` fields are left as they are (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateUser {
    pub user_id: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landline_phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl Validate for UpdateUser {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())?;
        check::optional_text("Firstname", self.firstname.as_deref())?;
        check::optional_text("LastName", self.last_name.as_deref())?;
        check::optional_email("EmailAddress", self.email_address.as_deref())?;
        check::optional_e164("MobilePhoneNumber", self.mobile_phone_number.as_deref())?;
        check::optional_e164("LandlinePhoneNumber", self.landline_phone_number.as_deref())
    }
}

/// Removes a user from its account (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RemoveUserFromAccount {
    pub user_id: i32,
}

impl Validate for RemoveUserFromAccount {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())
    }
}

/// Sets a new password for a user (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ResetUserPassword {
    pub user_id: i32,
    /// Same rule as `AddUserToAccount`'s `Password`.
    pub new_password: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_password_at_next_logon: Option<bool>,
}

impl Validate for ResetUserPassword {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())?;
        check::password("NewPassword", self.new_password.expose())
    }
}

/// Lists the predefined roles (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetRoles {}

impl Validate for GetRoles {
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

macro_rules! role_request {
    ($(#[$meta:meta])* $name:ident, $target:ident, $target_wire:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct $name {
            pub $target: i32,
            pub role_id: i32,
        }

        impl Validate for $name {
            fn validate(&self) -> Result<()> {
                check::id($target_wire, self.$target.into())?;
                check::id("RoleId", self.role_id.into())
            }
        }
    };
}

role_request!(
    /// Gives a user a role (inferred).
    AssignRoleToUser, user_id, "UserId"
);
role_request!(
    /// Takes a role from a user (inferred).
    RemoveRoleFromUser, user_id, "UserId"
);
role_request!(
    /// Gives every user of an account a role (inferred).
    AssignRoleToAccount, account_id, "AccountId"
);
role_request!(
    /// Takes a role from an account (inferred).
    RemoveRoleFromAccount, account_id, "AccountId"
);

/// Adds credit to an account (inferred). Never retried once sent: see [`crate::Error::outcome_unknown`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AllocateCredit {
    pub account_id: i32,
    /// Greater than 0; sent as an exact JSON number.
    #[serde(
        serialize_with = "crate::wire::serialize_money",
        deserialize_with = "rust_decimal::serde::arbitrary_precision::deserialize"
    )]
    pub amount: Decimal,
    /// The caller's own id for this allocation; it lets an unknown outcome be reconciled
    /// against `GetCreditAllocations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Validate for AllocateCredit {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::positive_amount("Amount", self.amount)?;
        check::optional_text("Reference", self.reference.as_deref())
    }
}

/// Reads an account's credit balance (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetCreditBalance {
    pub account_id: i32,
}

impl Validate for GetCreditBalance {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}

/// Lists an account's credit allocations, optionally within dates (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetCreditAllocations {
    pub account_id: i32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::wire::serialize_opt_date",
        deserialize_with = "crate::wire::deserialize_opt_date"
    )]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::wire::serialize_opt_date",
        deserialize_with = "crate::wire::deserialize_opt_date"
    )]
    pub end_date: Option<DateTime<Utc>>,
}

impl Validate for GetCreditAllocations {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::date_range(
            "StartDate",
            self.start_date.as_ref(),
            self.end_date.as_ref(),
        )
    }
}

/// Reports chargeable activity between two dates, for one account or every account under the
/// reseller (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetChargeableActivity {
    #[serde(
        serialize_with = "crate::wire::serialize_date",
        deserialize_with = "crate::wire::deserialize_date"
    )]
    pub start_date: DateTime<Utc>,
    #[serde(
        serialize_with = "crate::wire::serialize_date",
        deserialize_with = "crate::wire::deserialize_date"
    )]
    pub end_date: DateTime<Utc>,
    /// `None`: every account under the reseller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<i32>,
}

impl Validate for GetChargeableActivity {
    fn validate(&self) -> Result<()> {
        check::date_range("StartDate", Some(&self.start_date), Some(&self.end_date))?;
        check::optional_id("AccountId", self.account_id)
    }
}

/// Lists inbound numbers that can be allocated (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetAvailableInboundNumbers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_type: Option<NumberType>,
}

impl Validate for GetAvailableInboundNumbers {
    fn validate(&self) -> Result<()> {
        check::country_code("CountryCode", self.country_code.as_deref())
    }
}

/// An account and one of its (or the pool's) inbound numbers: the two number operations that
/// move a number take the same body.
macro_rules! number_request {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct $name {
            pub account_id: i32,
            /// E.164.
            pub number: String,
        }

        impl Validate for $name {
            fn validate(&self) -> Result<()> {
                check::id("AccountId", self.account_id.into())?;
                check::e164("Number", &self.number)
            }
        }
    };
}

number_request!(
    /// Allocates an available inbound number to an account (inferred).
    AllocateInboundNumber
);
number_request!(
    /// Returns an allocated inbound number to the pool (inferred).
    ReleaseInboundNumber
);

/// Lists the inbound numbers allocated to an account (inferred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GetAllocatedInboundNumbers {
    pub account_id: i32,
}

impl Validate for GetAllocatedInboundNumbers {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}
