//! Request bodies, one struct per vendor method, named after it.
//!
//! Fields serialize with the vendor's exact spelling (`AccountId`, `LastName`, and `Firstname`
//! as the vendor writes it). Optional fields that are `None` are left out of the body. Only
//! `AddUserToAccount` is documented by the vendor; the rest follow the inferred catalogue.
//!
//! The requests and their fields are declared once, in
//! [`for_each_request!`](crate::for_each_request), and expanded here; their validation rules
//! are below, naming each field as the vendor spells it.

use crate::validate::{self as check, Validate};
use crate::Result;

/// Expands the request table: each row goes through [`request_fields!`], which gives each field
/// the serde attributes its group and type key call for.
macro_rules! requests {
    ($(
        $(#[$meta:meta])*
        $name:ident as $facade:ident {
            required { $($required:tt)* }
            optional { $($optional:tt)* }
        }
    )*) => {
        $( request_fields! { @required [$(#[$meta])* $name] [Default] [] [$($required)*] [$($optional)*] } )*
    };
}

/// Rewrites one request's table fields, one at a time, into struct fields with their serde
/// attributes, then declares the struct. A required enumeration has no default value, so a
/// request with one does not derive `Default`. A required field with an `opt` key, or an
/// optional one without, fails the build.
macro_rules! request_fields {
    (@required $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [money], $($rest:tt)*] $optional:tt) => {
        crate::tables::key_agrees!($ty, [money]);
        request_fields! { @required $head $default [$($done)*
            $(#[$doc])*
            #[serde(
                rename = $wire,
                serialize_with = "crate::wire::serialize_money",
                deserialize_with = "rust_decimal::serde::arbitrary_precision::deserialize"
            )]
            pub $field: $ty,
        ] [$($rest)*] $optional }
    };
    (@required $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [date], $($rest:tt)*] $optional:tt) => {
        crate::tables::key_agrees!($ty, [date]);
        request_fields! { @required $head $default [$($done)*
            $(#[$doc])*
            #[serde(
                rename = $wire,
                serialize_with = "crate::wire::serialize_date",
                deserialize_with = "crate::wire::deserialize_date"
            )]
            pub $field: $ty,
        ] [$($rest)*] $optional }
    };
    (@required $head:tt $default:tt $done:tt
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [opt $($key:tt)*], $($rest:tt)*] $optional:tt) => {
        compile_error!(concat!("required request field ", stringify!($field), " has an `opt` key"));
    };
    (@required $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [enum $enum:ident], $($rest:tt)*] $optional:tt) => {
        crate::tables::key_agrees!($ty, [enum $enum]);
        request_fields! { @required $head [] [$($done)*
            $(#[$doc])*
            #[serde(rename = $wire)]
            pub $field: $ty,
        ] [$($rest)*] $optional }
    };
    (@required $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [$($key:tt)*], $($rest:tt)*] $optional:tt) => {
        crate::tables::key_agrees!($ty, [$($key)*]);
        request_fields! { @required $head $default [$($done)*
            $(#[$doc])*
            #[serde(rename = $wire)]
            pub $field: $ty,
        ] [$($rest)*] $optional }
    };
    (@required $head:tt $default:tt $done:tt [] $optional:tt) => {
        request_fields! { @optional $head $default $done $optional }
    };
    (@optional $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [opt date], $($rest:tt)*]) => {
        crate::tables::key_agrees!($ty, [opt date]);
        request_fields! { @optional $head $default [$($done)*
            $(#[$doc])*
            #[serde(
                rename = $wire,
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::wire::serialize_opt_date",
                deserialize_with = "crate::wire::deserialize_opt_date"
            )]
            pub $field: $ty,
        ] [$($rest)*] }
    };
    (@optional $head:tt $default:tt [$($done:tt)*]
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [opt $($key:tt)*], $($rest:tt)*]) => {
        crate::tables::key_agrees!($ty, [opt $($key)*]);
        request_fields! { @optional $head $default [$($done)*
            $(#[$doc])*
            #[serde(rename = $wire, skip_serializing_if = "Option::is_none")]
            pub $field: $ty,
        ] [$($rest)*] }
    };
    (@optional $head:tt $default:tt $done:tt
        [$(#[$doc:meta])* $wire:literal $field:ident : $ty:ty [$($key:tt)*], $($rest:tt)*]) => {
        compile_error!(concat!("optional request field ", stringify!($field), " needs an `opt` key"));
    };
    (@optional [$(#[$meta:meta])* $name:ident] [$($default:ident)?] [$($done:tt)*] []) => {
        $(#[$meta])*
        #[derive(Debug, Clone, $($default,)? PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($done)*
        }
    };
}

crate::for_each_request!(requests);

impl Validate for CreateAccount {
    fn validate(&self) -> Result<()> {
        check::required("AccountName", &self.account_name)?;
        check::optional_id("ParentAccountId", self.parent_account_id)?;
        check::optional_email("ContactEmailAddress", self.contact_email_address.as_deref())?;
        check::country_code("CountryCode", self.country_code.as_deref())?;
        check::time_zone("TimeZone", self.time_zone.as_deref())
    }
}

impl Validate for GetAccount {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}

impl Validate for GetAccounts {
    fn validate(&self) -> Result<()> {
        check::optional_id("ParentAccountId", self.parent_account_id)
    }
}

impl Validate for UpdateAccount {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::optional_text("AccountName", self.account_name.as_deref())?;
        check::optional_email("ContactEmailAddress", self.contact_email_address.as_deref())?;
        check::time_zone("TimeZone", self.time_zone.as_deref())
    }
}

impl Validate for SetAccountStatus {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::required("Status", self.status.as_str())
    }
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

impl Validate for GetUsers {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}

impl Validate for GetUser {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())
    }
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

impl Validate for RemoveUserFromAccount {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())
    }
}

impl Validate for ResetUserPassword {
    fn validate(&self) -> Result<()> {
        check::id("UserId", self.user_id.into())?;
        check::password("NewPassword", self.new_password.expose())
    }
}

impl Validate for GetRoles {
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

macro_rules! role_rules {
    ($($name:ident, $target:ident, $target_wire:literal;)*) => {$(
        impl Validate for $name {
            fn validate(&self) -> Result<()> {
                check::id($target_wire, self.$target.into())?;
                check::id("RoleId", self.role_id.into())
            }
        }
    )*};
}

role_rules! {
    AssignRoleToUser, user_id, "UserId";
    RemoveRoleFromUser, user_id, "UserId";
    AssignRoleToAccount, account_id, "AccountId";
    RemoveRoleFromAccount, account_id, "AccountId";
}

impl Validate for AllocateCredit {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())?;
        check::positive_amount("Amount", self.amount)?;
        check::optional_text("Reference", self.reference.as_deref())
    }
}

impl Validate for GetCreditBalance {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
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

impl Validate for GetChargeableActivity {
    fn validate(&self) -> Result<()> {
        check::date_range("StartDate", Some(&self.start_date), Some(&self.end_date))?;
        check::optional_id("AccountId", self.account_id)
    }
}

impl Validate for GetAvailableInboundNumbers {
    fn validate(&self) -> Result<()> {
        check::country_code("CountryCode", self.country_code.as_deref())
    }
}

/// The two number operations that move a number take the same body.
macro_rules! number_rules {
    ($($name:ident),*) => {$(
        impl Validate for $name {
            fn validate(&self) -> Result<()> {
                check::id("AccountId", self.account_id.into())?;
                check::e164("Number", &self.number)
            }
        }
    )*};
}

number_rules!(AllocateInboundNumber, ReleaseInboundNumber);

impl Validate for GetAllocatedInboundNumbers {
    fn validate(&self) -> Result<()> {
        check::id("AccountId", self.account_id.into())
    }
}
