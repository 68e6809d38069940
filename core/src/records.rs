//! Response records and enumerations, with the vendor's field names on the wire.
//!
//! Only `AddUserToAccount` is documented by the vendor; every other record here follows the
//! inferred catalogue (see the crate docs). Each record keeps the fields it does not know in
//! `extra`, and each enumeration keeps values it does not know, so nothing the service sends is
//! lost when it grows.

use crate::wire::{record, string_enum, Date, Money};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

string_enum! {
    /// The lifecycle state of an account (inferred).
    pub enum AccountStatus { Active, Suspended, Closed }
}

string_enum! {
    /// The kind of an inbound number (inferred).
    pub enum NumberType { LongCode, ShortCode, TollFree }
}

string_enum! {
    /// What a chargeable activity was for (inferred).
    pub enum ActivityType { SmsOutbound, SmsInbound, MmsOutbound, Voice, InboundNumberRental, Other }
}

record! {
    /// A CPaaS account: billing is collated per account (inferred record).
    pub struct Account {
        "AccountId" required account_id: i32,
        "AccountName" optional account_name: Option<String>,
        "ParentAccountId" optional parent_account_id: Option<i32>,
        "Status" optional status: Option<AccountStatus>,
        "ContactEmailAddress" optional contact_email_address: Option<String>,
        /// ISO 3166-1 alpha-2.
        "CountryCode" optional country_code: Option<String>,
        /// IANA time zone name.
        "TimeZone" optional time_zone: Option<String>,
        "Notes" optional notes: Option<String>,
        #[serde(serialize_with = "crate::wire::serialize_opt_date")]
        "CreatedDate" optional created_date: Option<DateTime<Utc>> as Option<Date>,
    }
}

record! {
    /// `GetAccounts` result (inferred).
    pub struct AccountList {
        "Accounts" optional accounts: Vec<Account>,
    }
}

record! {
    /// `AddUserToAccount` result. The vendor documents no 200 body, so `UserId` is exposed when
    /// present and everything else stays in `extra`.
    pub struct UserCreated {
        "UserId" optional user_id: Option<i32>,
    }
}

record! {
    /// A portal user; belongs to one account (inferred record).
    pub struct User {
        "UserId" required user_id: i32,
        "AccountId" optional account_id: Option<i32>,
        "Username" optional username: Option<String>,
        "Firstname" optional firstname: Option<String>,
        "LastName" optional last_name: Option<String>,
        "EmailAddress" optional email_address: Option<String>,
        "MobilePhoneNumber" optional mobile_phone_number: Option<String>,
        "LandlinePhoneNumber" optional landline_phone_number: Option<String>,
        "Notes" optional notes: Option<String>,
        "Enabled" optional enabled: Option<bool>,
        "RoleIds" optional role_ids: Vec<i32>,
    }
}

record! {
    /// `GetUsers` result (inferred).
    pub struct UserList {
        "Users" optional users: Vec<User>,
    }
}

record! {
    /// A predefined set of allowed actions (inferred record).
    pub struct Role {
        "RoleId" required role_id: i32,
        "RoleName" optional role_name: Option<String>,
        "Description" optional description: Option<String>,
    }
}

record! {
    /// `GetRoles` result (inferred).
    pub struct RoleList {
        "Roles" optional roles: Vec<Role>,
    }
}

record! {
    /// One credit allocation in an account's ledger (inferred record).
    pub struct CreditAllocation {
        "AllocationId" required allocation_id: i64,
        "AccountId" required account_id: i32,
        "Amount" required amount: Decimal as Money,
        /// The caller's own identifier for the allocation, used to reconcile unknown outcomes.
        "Reference" optional reference: Option<String>,
        #[serde(serialize_with = "crate::wire::serialize_opt_date")]
        "AllocatedDate" optional allocated_date: Option<DateTime<Utc>> as Option<Date>,
        "BalanceAfter" optional balance_after: Option<Decimal> as Option<Money>,
    }
}

record! {
    /// `GetCreditAllocations` result (inferred).
    pub struct CreditAllocationList {
        "Allocations" optional allocations: Vec<CreditAllocation>,
    }
}

record! {
    /// `GetCreditBalance` result (inferred).
    pub struct CreditBalance {
        "AccountId" required account_id: i32,
        "Balance" required balance: Decimal as Money,
        /// ISO 4217.
        "Currency" optional currency: Option<String>,
    }
}

record! {
    /// One chargeable event in a report (inferred record).
    pub struct ChargeableActivity {
        "AccountId" required account_id: i32,
        #[serde(serialize_with = "crate::wire::serialize_date")]
        "ActivityDate" required activity_date: DateTime<Utc> as Date,
        "ActivityType" required activity_type: ActivityType,
        "Description" optional description: Option<String>,
        "Quantity" required quantity: i64,
        "UnitCost" required unit_cost: Decimal as Money,
        "TotalCost" required total_cost: Decimal as Money,
        /// ISO 4217.
        "Currency" optional currency: Option<String>,
    }
}

record! {
    /// `GetChargeableActivity` result (inferred).
    pub struct ActivityReport {
        "Activities" optional activities: Vec<ChargeableActivity>,
    }
}

record! {
    /// An inbound number, available or allocated to an account (inferred record).
    pub struct InboundNumber {
        /// E.164.
        "Number" required number: String,
        "CountryCode" optional country_code: Option<String>,
        "NumberType" optional number_type: Option<NumberType>,
        "MonthlyCost" optional monthly_cost: Option<Decimal> as Option<Money>,
        "AccountId" optional account_id: Option<i32>,
        #[serde(serialize_with = "crate::wire::serialize_opt_date")]
        "AllocatedDate" optional allocated_date: Option<DateTime<Utc>> as Option<Date>,
    }
}

record! {
    /// `GetAvailableInboundNumbers` and `GetAllocatedInboundNumbers` result (inferred).
    pub struct InboundNumberList {
        "Numbers" optional numbers: Vec<InboundNumber>,
    }
}
