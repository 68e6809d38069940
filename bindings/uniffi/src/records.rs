//! Result records and enumerations, mirroring the core's field for field.
//!
//! Each record carries `extra_json`: the fields the service sent that this version does not know,
//! as JSON object text (`{}` when none) with every value as received, numbers digit for digit
//! (keys in sorted order), so nothing is lost. Each
//! enumeration has an `Unknown { value }` case that keeps a value this version does not know.

use crate::dates::to_system_time;
use crate::money::Money;
use chrono::{DateTime, Utc};
use cpaas_reseller::records as core;
use rust_decimal::Decimal;
use std::time::SystemTime;

/// Converts a core value into the facade's.
pub(crate) trait ToFacade {
    type Facade;
    fn to_facade(self) -> Self::Facade;
}

macro_rules! same_on_both_sides {
    ($($ty:ty),*) => {
        $( impl ToFacade for $ty {
            type Facade = $ty;
            fn to_facade(self) -> $ty { self }
        } )*
    };
}

same_on_both_sides!((), i32, i64, bool, String);

impl ToFacade for Decimal {
    type Facade = Money;
    fn to_facade(self) -> Money {
        Money(self)
    }
}

impl ToFacade for DateTime<Utc> {
    type Facade = SystemTime;
    fn to_facade(self) -> SystemTime {
        to_system_time(self)
    }
}

impl<T: ToFacade> ToFacade for Option<T> {
    type Facade = Option<T::Facade>;
    fn to_facade(self) -> Self::Facade {
        self.map(ToFacade::to_facade)
    }
}

impl<T: ToFacade> ToFacade for Vec<T> {
    type Facade = Vec<T::Facade>;
    fn to_facade(self) -> Self::Facade {
        self.into_iter().map(ToFacade::to_facade).collect()
    }
}

/// The unknown fields of a record as JSON object text.
fn extra_json(extra: serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::Value::Object(extra).to_string()
}

/// Declares a facade enumeration for a core string enumeration, with conversions both ways and
/// `wire_value()`, the vendor's spelling.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $( $variant, )*
            /// A value this version does not know, exactly as the service sent it.
            Unknown { value: String },
        }

        #[uniffi::export]
        impl $name {
            /// The vendor's spelling of the value (`Active`, or the unknown value as sent).
            pub fn wire_value(&self) -> String {
                match self {
                    $( Self::$variant => stringify!($variant).to_owned(), )*
                    Self::Unknown { value } => value.clone(),
                }
            }
        }

        impl ToFacade for core::$name {
            type Facade = $name;
            fn to_facade(self) -> $name {
                match self {
                    $( core::$name::$variant => $name::$variant, )*
                    core::$name::Unknown(value) => $name::Unknown { value },
                    // The core may learn a value first: keep it by its spelling.
                    #[allow(unreachable_patterns)]
                    other => $name::Unknown { value: other.as_str().to_owned() },
                }
            }
        }

        impl From<$name> for core::$name {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => core::$name::$variant, )*
                    // Through `From<&str>`, so an "unknown" value the core does know maps to it.
                    $name::Unknown { value } => core::$name::from(value.as_str()),
                }
            }
        }
    };
}

string_enum! {
    /// The lifecycle state of an account (inferred).
    AccountStatus { Active, Suspended, Closed }
}

string_enum! {
    /// The kind of an inbound number (inferred).
    NumberType { LongCode, ShortCode, TollFree }
}

string_enum! {
    /// What a chargeable activity was for (inferred).
    ActivityType { SmsOutbound, SmsInbound, MmsOutbound, Voice, InboundNumberRental, Other }
}

/// Declares a facade record for a core record with the same field names, and its conversion.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Fields the service sent that this version does not know, as JSON object text
            /// (`{}` when none); values as received, numbers digit for digit.
            pub extra_json: String,
        }

        impl ToFacade for core::$name {
            type Facade = $name;
            fn to_facade(self) -> $name {
                $name {
                    $( $field: self.$field.to_facade(), )*
                    extra_json: extra_json(self.extra),
                }
            }
        }
    };
}

record! {
    /// A CPaaS account: billing is collated per account (inferred record).
    Account {
        account_id: i32,
        account_name: Option<String>,
        parent_account_id: Option<i32>,
        status: Option<AccountStatus>,
        contact_email_address: Option<String>,
        /// ISO 3166-1 alpha-2.
        country_code: Option<String>,
        /// IANA time zone name.
        time_zone: Option<String>,
        notes: Option<String>,
        created_date: Option<SystemTime>,
    }
}

record! {
    /// `GetAccounts` result (inferred).
    AccountList { accounts: Vec<Account> }
}

record! {
    /// `AddUserToAccount` result: `user_id` when the service sends it, the rest in `extra_json`.
    UserCreated { user_id: Option<i32> }
}

record! {
    /// A portal user; belongs to one account (inferred record).
    User {
        user_id: i32,
        account_id: Option<i32>,
        username: Option<String>,
        firstname: Option<String>,
        last_name: Option<String>,
        email_address: Option<String>,
        mobile_phone_number: Option<String>,
        landline_phone_number: Option<String>,
        notes: Option<String>,
        enabled: Option<bool>,
        role_ids: Vec<i32>,
    }
}

record! {
    /// `GetUsers` result (inferred).
    UserList { users: Vec<User> }
}

record! {
    /// A predefined set of allowed actions (inferred record).
    Role {
        role_id: i32,
        role_name: Option<String>,
        description: Option<String>,
    }
}

record! {
    /// `GetRoles` result (inferred).
    RoleList { roles: Vec<Role> }
}

record! {
    /// One credit allocation in an account's ledger (inferred record).
    CreditAllocation {
        allocation_id: i64,
        account_id: i32,
        amount: Money,
        /// The caller's own identifier for the allocation, used to reconcile unknown outcomes.
        reference: Option<String>,
        allocated_date: Option<SystemTime>,
        balance_after: Option<Money>,
    }
}

record! {
    /// `GetCreditAllocations` result (inferred).
    CreditAllocationList { allocations: Vec<CreditAllocation> }
}

record! {
    /// `GetCreditBalance` result (inferred).
    CreditBalance {
        account_id: i32,
        balance: Money,
        /// ISO 4217.
        currency: Option<String>,
    }
}

record! {
    /// One chargeable event in a report (inferred record).
    ChargeableActivity {
        account_id: i32,
        activity_date: SystemTime,
        activity_type: ActivityType,
        description: Option<String>,
        quantity: i64,
        unit_cost: Money,
        total_cost: Money,
        /// ISO 4217.
        currency: Option<String>,
    }
}

record! {
    /// `GetChargeableActivity` result (inferred).
    ActivityReport { activities: Vec<ChargeableActivity> }
}

record! {
    /// An inbound number, available or allocated to an account (inferred record).
    InboundNumber {
        /// E.164.
        number: String,
        country_code: Option<String>,
        number_type: Option<NumberType>,
        monthly_cost: Option<Money>,
        account_id: Option<i32>,
        allocated_date: Option<SystemTime>,
    }
}

record! {
    /// `GetAvailableInboundNumbers` and `GetAllocatedInboundNumbers` result (inferred).
    InboundNumberList { numbers: Vec<InboundNumber> }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use cpaas_reseller::Decode;

    #[test]
    fn records_keep_unknown_fields_and_values() {
        let body = br#"{"AccountId":1001,"Status":"PendingReview","CreatedDate":"2026-01-31T09:30:00Z","Tags":{"limits":[1,2.50]}}"#;
        let account = core::Account::decode(body).unwrap().to_facade();
        assert_eq!(account.account_id, 1001);
        assert_eq!(
            account.status,
            Some(AccountStatus::Unknown {
                value: "PendingReview".into()
            })
        );
        assert_eq!(account.extra_json, r#"{"Tags":{"limits":[1,2.50]}}"#);
        let created = DateTime::<Utc>::from(account.created_date.unwrap());
        assert_eq!(created.to_rfc3339(), "2026-01-31T09:30:00+00:00");
    }

    #[test]
    fn enums_convert_both_ways_by_spelling() {
        assert_eq!(
            core::AccountStatus::from(AccountStatus::Unknown {
                value: "Active".into()
            }),
            core::AccountStatus::Active
        );
        assert_eq!(AccountStatus::Suspended.wire_value(), "Suspended");
        assert_eq!(
            core::NumberType::Unknown("Premium".into()).to_facade(),
            NumberType::Unknown {
                value: "Premium".into()
            }
        );
    }
}
