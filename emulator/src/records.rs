//! The records the service returns, serialized exactly as they go on the wire. Each carries one
//! field the contract does not list (`BillingReference`, `CreatedDate`, `IsSystemRole`,
//! `Capabilities`) so that clients prove they keep unknown fields.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::wire;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) enum AccountStatus {
    Active,
    Suspended,
    Closed,
}

impl AccountStatus {
    pub(crate) const ALL: [(&'static str, AccountStatus); 3] = [
        ("Active", AccountStatus::Active),
        ("Suspended", AccountStatus::Suspended),
        ("Closed", AccountStatus::Closed),
    ];
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Account {
    pub(crate) account_id: i32,
    pub(crate) account_name: String,
    pub(crate) parent_account_id: Option<i32>,
    pub(crate) status: AccountStatus,
    pub(crate) contact_email_address: Option<String>,
    pub(crate) country_code: Option<String>,
    pub(crate) time_zone: Option<String>,
    pub(crate) notes: Option<String>,
    #[serde(with = "wire::date")]
    pub(crate) created_date: DateTime<Utc>,
    pub(crate) role_ids: Vec<i32>,
    /// Not in the contract: proves clients keep unknown fields.
    pub(crate) billing_reference: String,
    /// True for the other reseller's tree, which the caller may never see.
    #[serde(skip)]
    pub(crate) foreign: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct User {
    pub(crate) user_id: i32,
    pub(crate) account_id: i32,
    pub(crate) username: String,
    pub(crate) firstname: String,
    pub(crate) last_name: String,
    pub(crate) email_address: String,
    pub(crate) mobile_phone_number: String,
    pub(crate) landline_phone_number: String,
    pub(crate) notes: Option<String>,
    pub(crate) enabled: bool,
    pub(crate) role_ids: Vec<i32>,
    /// Not in the contract: proves clients keep unknown fields.
    #[serde(with = "wire::date")]
    pub(crate) created_date: DateTime<Utc>,
    /// Only in the state dump, never on the vendor API.
    #[serde(skip)]
    pub(crate) password: String,
    #[serde(skip)]
    pub(crate) change_password_at_next_logon: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Role {
    pub(crate) role_id: i32,
    pub(crate) role_name: &'static str,
    pub(crate) description: &'static str,
    /// Not in the contract: proves clients keep unknown fields.
    pub(crate) is_system_role: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CreditAllocation {
    pub(crate) allocation_id: i64,
    pub(crate) account_id: i32,
    #[serde(with = "wire::money")]
    pub(crate) amount: Decimal,
    pub(crate) reference: Option<String>,
    #[serde(with = "wire::date")]
    pub(crate) allocated_date: DateTime<Utc>,
    #[serde(with = "wire::money")]
    pub(crate) balance_after: Decimal,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CreditBalance {
    pub(crate) account_id: i32,
    #[serde(with = "wire::money")]
    pub(crate) balance: Decimal,
    pub(crate) currency: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) enum NumberType {
    LongCode,
    ShortCode,
    TollFree,
}

impl NumberType {
    pub(crate) const ALL: [(&'static str, NumberType); 3] = [
        ("LongCode", NumberType::LongCode),
        ("ShortCode", NumberType::ShortCode),
        ("TollFree", NumberType::TollFree),
    ];
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InboundNumber {
    pub(crate) number: String,
    pub(crate) country_code: &'static str,
    pub(crate) number_type: NumberType,
    #[serde(with = "wire::money")]
    pub(crate) monthly_cost: Decimal,
    pub(crate) account_id: Option<i32>,
    #[serde(with = "wire::date_option")]
    pub(crate) allocated_date: Option<DateTime<Utc>>,
    /// Not in the contract: proves clients keep unknown (nested) fields.
    pub(crate) capabilities: &'static [&'static str],
}
