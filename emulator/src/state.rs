//! The emulator's in-memory world: the reseller's account tree, a foreign reseller's tree the
//! caller must never reach, users, roles, the credit ledger and the inbound number pool.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::records::{
    Account, AccountStatus, CreditAllocation, InboundNumber, NumberType, Role, User,
};
use crate::wire;

/// The reseller's own account: the root of everything the caller may see.
pub const ROOT_ACCOUNT_ID: i32 = 1000;
/// The other reseller's root account (always present, never visible to the caller).
pub const FOREIGN_ROOT_ACCOUNT_ID: i32 = 5000;
/// An account under the foreign root (always present, never visible to the caller).
pub const FOREIGN_CHILD_ACCOUNT_ID: i32 = 5001;
/// A user in the foreign tree; its username (`mallory`) is taken globally.
pub const FOREIGN_USER_ID: i32 = 900;
/// Currency of every balance and report.
pub(crate) const CURRENCY: &str = "GBP";

const ROLES: [(i32, &str, &str); 5] = [
    (
        1,
        "Administrator",
        "Full control of the account, its users and sub-accounts.",
    ),
    (
        2,
        "AccountManager",
        "Creates and updates accounts and users.",
    ),
    (3, "Billing", "Views balances and allocates credit."),
    (4, "Reporting", "Views chargeable activity reports."),
    (5, "Messaging", "Sends and receives messages."),
];

/// One range of the number pool: (country, type, first number, how many, monthly cost in
/// pence, capabilities).
type PoolRange = (
    &'static str,
    NumberType,
    u64,
    u64,
    i64,
    &'static [&'static str],
);

const POOL: [PoolRange; 8] = [
    (
        "GB",
        NumberType::LongCode,
        447_700_900_100,
        10,
        150,
        &["Sms", "Voice"],
    ),
    (
        "GB",
        NumberType::ShortCode,
        4_460_000_001,
        3,
        25_000,
        &["Sms"],
    ),
    (
        "GB",
        NumberType::TollFree,
        448_081_570_001,
        3,
        1_250,
        &["Voice"],
    ),
    (
        "US",
        NumberType::LongCode,
        12_025_550_100,
        10,
        115,
        &["Sms", "Mms", "Voice"],
    ),
    (
        "US",
        NumberType::ShortCode,
        1_555_010_001,
        3,
        50_000,
        &["Sms", "Mms"],
    ),
    (
        "US",
        NumberType::TollFree,
        18_885_550_100,
        3,
        225,
        &["Sms", "Voice"],
    ),
    (
        "DE",
        NumberType::LongCode,
        4_915_123_450_100,
        5,
        175,
        &["Sms", "Voice"],
    ),
    (
        "DE",
        NumberType::TollFree,
        498_001_234_100,
        2,
        999,
        &["Voice"],
    ),
];

/// A number of the pool allocated to the foreign tree from the start (never available).
pub const FOREIGN_NUMBER: &str = "+447700900199";
/// A number allocated to account 1001 at start (unless `empty`).
pub const PREALLOCATED_NUMBER: &str = "+447700900100";

#[derive(Clone, Debug)]
pub(crate) struct State {
    pub(crate) accounts: BTreeMap<i32, Account>,
    pub(crate) users: BTreeMap<i32, User>,
    pub(crate) roles: Vec<Role>,
    pub(crate) allocations: Vec<CreditAllocation>,
    pub(crate) balances: HashMap<i32, Decimal>,
    pub(crate) numbers: BTreeMap<String, InboundNumber>,
    next_account_id: i32,
    next_user_id: i32,
    next_allocation_id: i64,
}

fn seed_date(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

struct SeedAccount {
    id: i32,
    name: &'static str,
    parent: Option<i32>,
    email: &'static str,
    country: &'static str,
    zone: &'static str,
    foreign: bool,
}

fn account(seed: SeedAccount) -> Account {
    Account {
        account_id: seed.id,
        account_name: seed.name.to_owned(),
        parent_account_id: seed.parent,
        status: AccountStatus::Active,
        contact_email_address: Some(seed.email.to_owned()),
        country_code: Some(seed.country.to_owned()),
        time_zone: Some(seed.zone.to_owned()),
        notes: None,
        created_date: seed_date(2025, 1, 1),
        role_ids: Vec::new(),
        billing_reference: format!("BR-{}", seed.id),
        foreign: seed.foreign,
    }
}

fn user(id: i32, account_id: i32, username: &str, first: &str, last: &str, roles: &[i32]) -> User {
    User {
        user_id: id,
        account_id,
        username: username.to_owned(),
        firstname: first.to_owned(),
        last_name: last.to_owned(),
        email_address: format!("{username}@example.com"),
        mobile_phone_number: format!("+4477009{:05}", id),
        landline_phone_number: format!("+4420794{:05}", id),
        notes: None,
        enabled: true,
        role_ids: roles.to_vec(),
        created_date: seed_date(2025, 1, 1),
        password: "Initial-Passw0rd".to_owned(),
        change_password_at_next_logon: false,
    }
}

impl State {
    /// The documented starting world (see the crate docs).
    pub(crate) fn initial(empty: bool) -> State {
        let mut state = State {
            accounts: BTreeMap::new(),
            users: BTreeMap::new(),
            roles: ROLES
                .iter()
                .map(|&(role_id, role_name, description)| Role {
                    role_id,
                    role_name,
                    description,
                    is_system_role: true,
                })
                .collect(),
            allocations: Vec::new(),
            balances: HashMap::new(),
            numbers: BTreeMap::new(),
            next_account_id: ROOT_ACCOUNT_ID + 1,
            next_user_id: 100,
            next_allocation_id: 1,
        };
        let mut seeds = vec![
            SeedAccount {
                id: ROOT_ACCOUNT_ID,
                name: "Reseller Ltd",
                parent: None,
                email: "ops@reseller.example.com",
                country: "GB",
                zone: "Europe/London",
                foreign: false,
            },
            SeedAccount {
                id: FOREIGN_ROOT_ACCOUNT_ID,
                name: "Other Reseller plc",
                parent: None,
                email: "ops@other-reseller.example.com",
                country: "DE",
                zone: "Europe/Berlin",
                foreign: true,
            },
            SeedAccount {
                id: FOREIGN_CHILD_ACCOUNT_ID,
                name: "Initech GmbH",
                parent: Some(FOREIGN_ROOT_ACCOUNT_ID),
                email: "it@initech.example.com",
                country: "DE",
                zone: "Europe/Berlin",
                foreign: true,
            },
        ];
        if !empty {
            seeds.extend([
                SeedAccount {
                    id: 1001,
                    name: "Acme Retail",
                    parent: Some(ROOT_ACCOUNT_ID),
                    email: "billing@acme.example.com",
                    country: "GB",
                    zone: "Europe/London",
                    foreign: false,
                },
                SeedAccount {
                    id: 1002,
                    name: "Globex Corporation",
                    parent: Some(ROOT_ACCOUNT_ID),
                    email: "it@globex.example.com",
                    country: "US",
                    zone: "America/New_York",
                    foreign: false,
                },
                SeedAccount {
                    id: 1003,
                    name: "Acme Retail Marketing",
                    parent: Some(1001),
                    email: "marketing@acme.example.com",
                    country: "GB",
                    zone: "Europe/London",
                    foreign: false,
                },
            ]);
        }
        for seed in seeds {
            state.accounts.insert(seed.id, account(seed));
        }
        let mut users = vec![user(
            FOREIGN_USER_ID,
            FOREIGN_CHILD_ACCOUNT_ID,
            "mallory",
            "Mallory",
            "Foreign",
            &[],
        )];
        if !empty {
            users.extend([
                user(100, ROOT_ACCOUNT_ID, "alice.admin", "Alice", "Admin", &[1]),
                user(101, 1001, "bob.billing", "Bob", "Billing", &[3]),
                user(102, 1002, "carol.ops", "Carol", "Ops", &[]),
            ]);
        }
        for u in users {
            state.users.insert(u.user_id, u);
        }
        for (country_code, number_type, first, count, cost, capabilities) in POOL {
            for n in first..first + count {
                let number = format!("+{n}");
                state.numbers.insert(
                    number.clone(),
                    InboundNumber {
                        number,
                        country_code,
                        number_type,
                        monthly_cost: Decimal::new(cost, 2),
                        account_id: None,
                        allocated_date: None,
                        capabilities,
                    },
                );
            }
        }
        state.numbers.insert(
            FOREIGN_NUMBER.to_owned(),
            InboundNumber {
                number: FOREIGN_NUMBER.to_owned(),
                country_code: "GB",
                number_type: NumberType::LongCode,
                monthly_cost: Decimal::new(150, 2),
                account_id: Some(FOREIGN_CHILD_ACCOUNT_ID),
                allocated_date: Some(seed_date(2025, 1, 1)),
                capabilities: &["Sms", "Voice"],
            },
        );
        if !empty {
            if let Some(n) = state.numbers.get_mut(PREALLOCATED_NUMBER) {
                n.account_id = Some(1001);
                n.allocated_date = Some(seed_date(2025, 1, 1));
            }
            // Cannot fail: the first allocation to an empty balance.
            let _ = state.record_allocation(
                1001,
                Decimal::new(25_000, 2),
                Some("OPENING-1001".to_owned()),
                seed_date(2026, 1, 1),
            );
        }
        state
    }

    /// A visible account (the root or under it); anything else is "not found", as the service
    /// answers for accounts of other resellers.
    pub(crate) fn account(&self, id: i32) -> ApiResult<&Account> {
        self.accounts
            .get(&id)
            .filter(|a| !a.foreign)
            .ok_or_else(|| account_not_found(id))
    }

    pub(crate) fn account_mut(&mut self, id: i32) -> ApiResult<&mut Account> {
        self.accounts
            .get_mut(&id)
            .filter(|a| !a.foreign)
            .ok_or_else(|| account_not_found(id))
    }

    /// A visible account that is not closed (closed accounts take no new users, credit,
    /// numbers or sub-accounts).
    pub(crate) fn open_account(&self, id: i32) -> ApiResult<&Account> {
        let account = self.account(id)?;
        if account.status == AccountStatus::Closed {
            return Err(ApiError::argument(format!("Account {id} is closed.")));
        }
        Ok(account)
    }

    /// Every visible account id, ascending.
    pub(crate) fn visible_account_ids(&self) -> Vec<i32> {
        self.accounts
            .values()
            .filter(|a| !a.foreign)
            .map(|a| a.account_id)
            .collect()
    }

    pub(crate) fn user(&self, id: i32) -> ApiResult<&User> {
        match self.users.get(&id) {
            Some(u) if self.account(u.account_id).is_ok() => Ok(u),
            _ => Err(user_not_found(id)),
        }
    }

    pub(crate) fn user_mut(&mut self, id: i32) -> ApiResult<&mut User> {
        self.user(id)?;
        self.users.get_mut(&id).ok_or_else(|| user_not_found(id))
    }

    pub(crate) fn role(&self, id: i32) -> ApiResult<&Role> {
        self.roles
            .iter()
            .find(|r| r.role_id == id)
            .ok_or_else(|| ApiError::argument(format!("Role {id} not found.")))
    }

    pub(crate) fn balance(&self, account_id: i32) -> Decimal {
        self.balances
            .get(&account_id)
            .copied()
            .unwrap_or(Decimal::new(0, 2))
    }

    pub(crate) fn fresh_account_id(&mut self) -> i32 {
        while self.accounts.contains_key(&self.next_account_id) {
            self.next_account_id += 1;
        }
        let id = self.next_account_id;
        self.next_account_id += 1;
        id
    }

    pub(crate) fn fresh_user_id(&mut self) -> i32 {
        while self.users.contains_key(&self.next_user_id) {
            self.next_user_id += 1;
        }
        let id = self.next_user_id;
        self.next_user_id += 1;
        id
    }

    /// Adds to the ledger and the balance in one step, so they can never disagree.
    pub(crate) fn record_allocation(
        &mut self,
        account_id: i32,
        amount: Decimal,
        reference: Option<String>,
        when: DateTime<Utc>,
    ) -> ApiResult<CreditAllocation> {
        let mut balance_after = self
            .balance(account_id)
            .checked_add(amount)
            .ok_or_else(|| {
                ApiError::argument(format!(
                    "Amount would take the balance of account {account_id} beyond the largest supported value."
                ))
            })?;
        // Money reads as money: at least two decimal places, never fewer than given.
        if balance_after.scale() < 2 {
            balance_after.rescale(2);
        }
        self.balances.insert(account_id, balance_after);
        let allocation = CreditAllocation {
            allocation_id: self.next_allocation_id,
            account_id,
            amount,
            reference,
            allocated_date: when,
            balance_after,
        };
        self.next_allocation_id += 1;
        self.allocations.push(allocation.clone());
        Ok(allocation)
    }

    /// The full state as JSON, for tests: what the caller can see under `accounts`/`users`,
    /// the other reseller's tree under `foreign_*`, passwords included.
    pub(crate) fn dump(&self) -> Value {
        let (foreign, own): (Vec<&Account>, Vec<&Account>) =
            self.accounts.values().partition(|a| a.foreign);
        let user_value = |u: &User| {
            let mut v = serde_json::to_value(u).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut v {
                map.insert("Password".to_owned(), Value::String(u.password.clone()));
                map.insert(
                    "ChangePasswordAtNextLogon".to_owned(),
                    Value::Bool(u.change_password_at_next_logon),
                );
            }
            v
        };
        let (foreign_users, own_users): (Vec<&User>, Vec<&User>) = self
            .users
            .values()
            .partition(|u| self.account(u.account_id).is_err());
        let balances: Map<String, Value> = own
            .iter()
            .map(|a| {
                (
                    a.account_id.to_string(),
                    wire::money_value(&self.balance(a.account_id)),
                )
            })
            .collect();
        json!({
            "root_account_id": ROOT_ACCOUNT_ID,
            "accounts": own,
            "foreign_accounts": foreign,
            "users": own_users.into_iter().map(user_value).collect::<Vec<_>>(),
            "foreign_users": foreign_users.into_iter().map(user_value).collect::<Vec<_>>(),
            "roles": self.roles,
            "ledger": self.allocations,
            "balances": balances,
            "numbers": self.numbers.values().collect::<Vec<_>>(),
        })
    }
}

pub(crate) fn account_not_found(id: i32) -> ApiError {
    ApiError::argument(format!("Account {id} not found."))
}

fn user_not_found(id: i32) -> ApiError {
    ApiError::argument(format!("User {id} not found."))
}
