//! An offline, stateful, fault-injecting emulator of the CPaaS Partner / Reseller Services API.
//!
//! Every operation of the contract (`shared/reseller-api.md`: Part A documented, Part B
//! inferred) is served in memory over real HTTP, so clients in every language are tested
//! against the same wire behaviour without credentials. Think stripe-mock, but stateful and
//! able to misbehave on purpose. It shares no code with the client crate: an independent
//! implementation catches mistakes a shared one would repeat.
//!
//! ```no_run
//! use cpaas_reseller_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
//! let emulator = Emulator::start(EmulatorConfig::default())?;
//! emulator.inject(Fault::once("AllocateCredit", FaultKind::Status { status: 504, apply: true }));
//! println!("{} as {}", emulator.base_url(), emulator.username());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Transport
//! * Plain HTTP by default; HTTPS (rustls) with [`EmulatorConfig::tls`], for example with a
//!   certificate from a `TestCa` (feature `test-ca`).
//! * `POST {base}/{Method}` under both `/WebApi/ResellerServices` and `/WebApi/ResellerService`;
//!   method names are case-sensitive. Unknown method: 404 (text). Known method, other verb: 405.
//! * HTTP Basic on every call, else 401 with
//!   `{"ErrorDetail":{"Message":"Invalid user name or password."},"ErrorType":"AuthenticationFaultContract"}`.
//! * JSON when `Accept` contains `application/json`; otherwise (`*/*` included) XML (WCF DataContract style:
//!   `<{Method}Response>` for results, `<{ErrorType}>` for errors, members in name order).
//! * Errors are the vendor body `{"ErrorDetail":{"Message":...},"ErrorType":"ArgumentFaultContract"}`
//!   with status 400, the message naming the field. A missing body is
//!   "Value cannot be null. Parameter name: request", except for methods without required
//!   fields (`GetRoles`, `GetAccounts`, `GetAvailableInboundNumbers`), where it means no filter.
//! * Empty results (`RemoveUserFromAccount`, `ResetUserPassword`, role changes,
//!   `ReleaseInboundNumber`) are 200 with an empty body.
//! * Dates are written `2026-01-31T00:00:00Z`; read as ISO 8601 (no offset = UTC, a bare date =
//!   midnight UTC) or WCF `/Date(ms)/`. Money is written as a JSON number with the exact decimal
//!   text (`12.50`) and read from a JSON number or string, never through a float.
//! * Unknown request fields are ignored; records carry one unlisted field each
//!   (`Account.BillingReference`, `User.CreatedDate`, `Role.IsSystemRole`,
//!   `InboundNumber.Capabilities`), and injected error bodies carry `ErrorDetail.InjectedFault`.
//!
//! # Initial state
//! * Accounts: the reseller root `1000` ("Reseller Ltd"); unless `empty`: `1001` and `1002`
//!   under it and `1003` under `1001`. New accounts get the next free id from `1001` up.
//! * A foreign reseller's tree, always present and never visible: accounts `5000`, `5001`,
//!   user `900` (username `mallory`, so that name is taken) and number `+447700900199`.
//!   Touching them is 400 "Account N not found." / "User N not found.".
//! * Users unless `empty`: `100` alice.admin (account 1000, role 1), `101` bob.billing (1001,
//!   role 3), `102` carol.ops (1002). New users get the next free id from 100 up.
//! * Roles, always: 1 Administrator, 2 AccountManager, 3 Billing, 4 Reporting, 5 Messaging.
//! * Credit unless `empty`: allocation 1 of `250.00` to 1001 (reference `OPENING-1001`,
//!   2026-01-01). Balances start at `0.00` and keep at least 2 decimal places; currency GBP.
//! * Numbers, always: 39 in GB/US/DE LongCode, ShortCode and TollFree ranges (see
//!   `GetAvailableInboundNumbers`); unless `empty`, `+447700900100` is allocated to 1001.
//!
//! # Rules
//! Usernames are unique service-wide (case-insensitive). Passwords: more than 8 characters with
//! a letter and a digit. Phone numbers: E.164. E-mail: `local@domain.tld` shape. `Amount > 0`.
//! `StartDate <= EndDate`. `CountryCode`: 2 letters. `TimeZone`: an IANA-shaped name. `Status`
//! and `NumberType`: the contract's values. Closed accounts take no new sub-accounts, users,
//! credit or numbers; the root's status cannot change. Assigning a held role is a no-op;
//! removing one not held is a 400. Date filters are `StartDate` inclusive, `EndDate` exclusive.
//! `GetAccounts` without `ParentAccountId` lists every visible account (root included).
//!
//! # Chargeable activity
//! See [`activity`] for the formula; in short, a day-aligned range of `d` days over `a`
//! accounts has `d * activities_per_account_day * a` rows.
//!
//! # Faults, journal, control endpoint
//! [`Fault`]s are queued with [`Emulator::inject`] or `POST {control}/faults`; each vendor call
//! (after routing and authentication) takes the oldest matching one. A `body` fault may give
//! `body_base64` instead of `body` to send bytes that are not UTF-8 ([`FaultKind::BodyBytes`]). The journal records every
//! vendor-path call, 401/404/405 included; `status` 0 means no response was completed.
//! Control endpoint (`{control}` = [`Emulator::control_url`], no auth, JSON):
//! `POST/GET/DELETE /faults`, `GET/DELETE /journal`, `GET /state`, `POST /reset`,
//! `GET /calls/{Method}` -> `{"count":n}`, `GET /info`, and
//! `GET /activity?StartDate=..&EndDate=..[&AccountId=..]` -> `{"count":n,"total":..}`.
//!
//! The state dump has `root_account_id`, `accounts`, `foreign_accounts`, `users` and
//! `foreign_users` (with `Password` and `ChangePasswordAtNextLogon`), `roles`, `ledger`,
//! `balances` (`{"1001": 250.00}`), `numbers` (the whole pool, `AccountId` set when allocated).

pub mod activity;
mod catalogue;
mod control;
mod emulator;
mod error;
mod faults;
mod journal;
mod ops;
mod records;
mod request;
mod rules;
mod server;
mod shared;
mod state;
#[cfg(feature = "test-ca")]
mod test_ca;
mod tls;
mod variant;
mod vendor;
mod wire;
mod xml;

use std::net::{Ipv4Addr, SocketAddr};

pub use catalogue::{method_names, methods, MethodInfo};
pub use emulator::Emulator;
pub use faults::{Fault, FaultKind};
pub use journal::{JournalEntry, JOURNAL_CAPACITY};
pub use server::serve;
pub use state::{
    FOREIGN_CHILD_ACCOUNT_ID, FOREIGN_NUMBER, FOREIGN_ROOT_ACCOUNT_ID, FOREIGN_USER_ID,
    PREALLOCATED_NUMBER, ROOT_ACCOUNT_ID,
};
#[cfg(feature = "test-ca")]
pub use test_ca::TestCa;
pub use tls::TlsIdentity;
pub use variant::Variant;

/// How to start an emulator. `Default` gives an ephemeral loopback port and the documented
/// credentials, seed and sizes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// Where to listen; default `127.0.0.1:0` (an ephemeral port).
    pub addr: SocketAddr,
    /// Basic-auth user name accepted; default `reseller`.
    pub username: String,
    /// Basic-auth password accepted; default `emulator-Passw0rd`.
    pub password: String,
    /// Drives chargeable-activity generation; default 42.
    pub seed: u64,
    /// Start with only the root account, the roles and the number pool (plus the invisible
    /// foreign tree); default false.
    pub empty: bool,
    /// Activity rows per account per UTC day; default 3.
    pub activities_per_account_day: u32,
    /// Tokio worker threads of [`Emulator::start`]'s runtime; default 2.
    pub worker_threads: usize,
    /// Serve HTTPS with this certificate instead of plain HTTP (default `None`). The URLs then
    /// start `https://127.0.0.1:PORT`; a certificate for a name (`localhost`) is reached with
    /// `https://localhost:{addr().port()}/...`.
    pub tls: Option<TlsIdentity>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            username: "reseller".to_owned(),
            password: "emulator-Passw0rd".to_owned(),
            seed: 42,
            empty: false,
            activities_per_account_day: 3,
            worker_threads: 2,
            tls: None,
        }
    }
}
