//! The command line, declared with clap: one subcommand per operation, grouped by area.
//!
//! Secrets never come from arguments (they end up in shell history and `ps`): the API password
//! comes from the environment or a private config file, a new user's password from
//! `CPAAS_RESELLER_NEW_USER_PASSWORD` or standard input.

use crate::exit;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Credentials: CPAAS_RESELLER_USERNAME and CPAAS_RESELLER_PASSWORD, or `username` and `password` in
the config file (--config, CPAAS_RESELLER_CONFIG, default ~/.config/cpaas-reseller/config.toml),
which must not be readable by group or others (chmod 600). Base URL: --base-url,
CPAAS_RESELLER_BASE_URL or `base_url` in the config file (default: the vendor's endpoint).
Network: the system's trust store plus --root-certificates (CPAAS_RESELLER_ROOT_CERTIFICATES,
`root_certificates`); HTTPS_PROXY / NO_PROXY unless --proxy (CPAAS_RESELLER_PROXY, `proxy`) is set,
with CPAAS_RESELLER_PROXY_USERNAME / _PASSWORD or `proxy_username` / `proxy_password` in the file.
Try `cpaas-reseller demo` first: it runs a whole provisioning story against an embedded emulator.";

#[derive(Debug, Parser)]
#[command(
    name = "cpaas-reseller",
    version,
    about = "Provision CPaaS customers through the Partner / Reseller Services API",
    after_long_help = format!("{AFTER_HELP}\n\n{}", exit::HELP),
    after_help = format!("{}\n\nSee --help for credentials and configuration.", exit::HELP),
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts.
#[derive(Debug, Args)]
pub struct Global {
    /// Service base URL [env: CPAAS_RESELLER_BASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Config file with username, password and base_url [env: CPAAS_RESELLER_CONFIG]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print JSON (the service's records, vendor field names) instead of a table
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (all fields, vendor names as headers) instead of a table
    #[arg(long, global = true)]
    pub csv: bool,
    /// Seconds to wait for one call (the service gives up after 125 s)
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 130)]
    pub timeout: u64,
    #[command(flatten)]
    pub client: crate::options::ClientOptions,
    /// Log each HTTP attempt to stderr (-v); -vv adds the redacted bodies [env: RUST_LOG overrides]
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Customer accounts
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Portal users of an account
    #[command(subcommand)]
    Users(UsersCommand),
    /// Roles of users and accounts
    #[command(subcommand)]
    Roles(RolesCommand),
    /// Credit allocations and balances
    #[command(subcommand)]
    Credit(CreditCommand),
    /// Chargeable-activity reports
    #[command(subcommand)]
    Reports(ReportsCommand),
    /// Inbound numbers
    #[command(subcommand)]
    Numbers(NumbersCommand),
    /// Call any vendor method with a JSON body and print the JSON answer
    Call(CallArgs),
    /// Run many operations from a CSV file, concurrently
    #[command(subcommand)]
    Bulk(BulkCommand),
    /// Check the network, TLS, both base URLs, the credentials and which read-only methods answer
    Doctor,
    /// Serve the offline emulator until Ctrl-C
    Emulator(EmulatorArgs),
    /// Walk a provisioning story (embedded emulator unless a base URL is set)
    Demo(DemoArgs),
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create a customer account (CreateAccount)
    Create {
        /// AccountName
        #[arg(long)]
        name: String,
        /// ParentAccountId (default: directly under the reseller)
        #[arg(long, value_name = "ACCOUNT_ID")]
        parent: Option<i32>,
        /// ContactEmailAddress
        #[arg(long)]
        email: Option<String>,
        /// CountryCode (ISO 3166-1 alpha-2)
        #[arg(long)]
        country: Option<String>,
        /// TimeZone (IANA, e.g. Europe/London)
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Show one account (GetAccount)
    Get { account_id: i32 },
    /// List accounts under the reseller or a parent (GetAccounts)
    List {
        #[arg(long, value_name = "ACCOUNT_ID")]
        parent: Option<i32>,
    },
    /// Change an account's details (UpdateAccount)
    Update {
        account_id: i32,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Activate, suspend or close an account (SetAccountStatus)
    Status {
        account_id: i32,
        #[arg(value_enum)]
        status: StatusArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Active,
    Suspended,
    Closed,
}

/// Where a new password comes from: never an argument.
#[derive(Debug, Args)]
pub struct PasswordSource {
    /// Read the password from the first line of standard input
    /// (default: CPAAS_RESELLER_NEW_USER_PASSWORD)
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a portal user to an account (AddUserToAccount); password from
    /// CPAAS_RESELLER_NEW_USER_PASSWORD or --password-stdin
    Add {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        #[arg(long)]
        username: String,
        /// Firstname
        #[arg(long)]
        first_name: String,
        /// LastName
        #[arg(long)]
        last_name: String,
        /// EmailAddress
        #[arg(long)]
        email: String,
        /// MobilePhoneNumber (E.164, e.g. +447700900123)
        #[arg(long)]
        mobile: String,
        /// LandlinePhoneNumber (E.164)
        #[arg(long)]
        landline: String,
        #[arg(long)]
        notes: Option<String>,
        /// Make the user choose a new password at first logon
        #[arg(long)]
        change_password_at_next_logon: bool,
        #[command(flatten)]
        password: PasswordSource,
    },
    /// List an account's users (GetUsers)
    List {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
    },
    /// Show one user (GetUser)
    Get { user_id: i32 },
    /// Change a user's details (UpdateUser)
    Update {
        user_id: i32,
        #[arg(long)]
        first_name: Option<String>,
        #[arg(long)]
        last_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        mobile: Option<String>,
        #[arg(long)]
        landline: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// Enable (true) or disable (false) the user
        #[arg(long, value_name = "BOOL")]
        enabled: Option<bool>,
    },
    /// Remove a user from its account (RemoveUserFromAccount)
    Remove { user_id: i32 },
    /// Set a user's password (ResetUserPassword); from CPAAS_RESELLER_NEW_USER_PASSWORD or
    /// --password-stdin
    ResetPassword {
        user_id: i32,
        #[arg(long)]
        change_password_at_next_logon: bool,
        #[command(flatten)]
        password: PasswordSource,
    },
}

#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// List the predefined roles (GetRoles)
    List,
    /// Give a user a role (AssignRoleToUser)
    AssignUser {
        #[arg(long, value_name = "USER_ID")]
        user: i32,
        #[arg(long, value_name = "ROLE_ID")]
        role: i32,
    },
    /// Take a role from a user (RemoveRoleFromUser)
    RemoveUser {
        #[arg(long, value_name = "USER_ID")]
        user: i32,
        #[arg(long, value_name = "ROLE_ID")]
        role: i32,
    },
    /// Give every user of an account a role (AssignRoleToAccount)
    AssignAccount {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        #[arg(long, value_name = "ROLE_ID")]
        role: i32,
    },
    /// Take a role from an account (RemoveRoleFromAccount)
    RemoveAccount {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        #[arg(long, value_name = "ROLE_ID")]
        role: i32,
    },
}

#[derive(Debug, Subcommand)]
pub enum CreditCommand {
    /// Allocate credit to an account (AllocateCredit). Without --reference one is generated and
    /// printed, so an unknown outcome can be reconciled with `credit history`
    Allocate {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        /// Exact decimal amount, e.g. 125.50
        #[arg(long, allow_negative_numbers = true)]
        amount: String,
        /// Your own id for this allocation
        #[arg(long)]
        reference: Option<String>,
    },
    /// Show an account's balance (GetCreditBalance)
    Balance {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
    },
    /// List an account's allocations (GetCreditAllocations)
    History {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        /// StartDate (2026-01-31 or RFC 3339, UTC)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// EndDate (2026-01-31 or RFC 3339, UTC)
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Chargeable activity between two dates (GetChargeableActivity)
    Chargeable {
        /// StartDate (2026-01-01 or RFC 3339, UTC)
        #[arg(long, value_name = "DATE")]
        from: String,
        /// EndDate (2026-02-01 or RFC 3339, UTC)
        #[arg(long, value_name = "DATE")]
        to: String,
        /// One account (default: every account under the reseller)
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: Option<i32>,
        /// Print totals per activity type instead of the rows
        #[arg(long)]
        summary: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NumbersCommand {
    /// Numbers available for allocation (GetAvailableInboundNumbers)
    Available {
        /// CountryCode (ISO 3166-1 alpha-2)
        #[arg(long)]
        country: Option<String>,
        /// NumberType
        #[arg(long = "type", value_enum)]
        number_type: Option<NumberTypeArg>,
    },
    /// Allocate a number to an account (AllocateInboundNumber)
    Allocate {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        /// E.164, e.g. +447700900123
        #[arg(long)]
        number: String,
    },
    /// Release a number from an account (ReleaseInboundNumber)
    Release {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
        #[arg(long)]
        number: String,
    },
    /// Numbers allocated to an account (GetAllocatedInboundNumbers)
    List {
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: i32,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NumberTypeArg {
    #[value(name = "LongCode", alias = "long-code")]
    LongCode,
    #[value(name = "ShortCode", alias = "short-code")]
    ShortCode,
    #[value(name = "TollFree", alias = "toll-free")]
    TollFree,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// Vendor method name, e.g. GetAccount
    pub method: String,
    /// JSON body, or @FILE to read it from a file, or @- for standard input (default: {})
    #[arg(long)]
    pub body: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BulkCommand {
    /// Add users from a CSV file (AddUserToAccount per row)
    #[command(subcommand)]
    Users(BulkUsers),
    /// Create accounts from a CSV file (CreateAccount per row)
    #[command(subcommand)]
    Accounts(BulkAccounts),
    /// Allocate credit from a CSV file (AllocateCredit per row)
    #[command(subcommand)]
    Credit(BulkCredit),
}

#[derive(Debug, Subcommand)]
pub enum BulkUsers {
    /// Columns: AccountId, Username, Firstname, LastName, EmailAddress, MobilePhoneNumber,
    /// LandlinePhoneNumber; optional Password, Notes, ChangePasswordAtNextLogon. Rows without a
    /// Password get CPAAS_RESELLER_NEW_USER_PASSWORD (or --password-stdin) and must change it
    /// at first logon unless the row says otherwise
    Add {
        #[command(flatten)]
        run: BulkRun,
        #[command(flatten)]
        password: PasswordSource,
    },
}

#[derive(Debug, Subcommand)]
pub enum BulkAccounts {
    /// Columns: AccountName; optional ParentAccountId, ContactEmailAddress, CountryCode,
    /// TimeZone, Notes
    Create {
        #[command(flatten)]
        run: BulkRun,
    },
}

#[derive(Debug, Subcommand)]
pub enum BulkCredit {
    /// Columns: AccountId, Amount; optional Reference. An empty Reference becomes
    /// PREFIX-ROW, PREFIX being --reference-prefix or `bulk-` plus a hash of the file, so the
    /// same file always gives the same references
    Allocate {
        #[command(flatten)]
        run: BulkRun,
        /// Prefix of generated references
        #[arg(long, value_name = "PREFIX")]
        reference_prefix: Option<String>,
    },
}

/// Options of every bulk run.
#[derive(Debug, Args)]
pub struct BulkRun {
    /// The CSV file (UTF-8, header row with the vendor's field names)
    #[arg(long, value_name = "CSV")]
    pub file: PathBuf,
    /// Rows in flight at most
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Write one line per input row here (CSV), appended as rows finish and rewritten complete
    /// in row order at the end; default: print the rows at the end
    #[arg(long, value_name = "CSV")]
    pub results: Option<PathBuf>,
    /// The run's journal (default: the input file's path plus `.journal`, so the identical
    /// command finds it). It records every row as it happens; a rerun skips the rows it says
    /// were applied and resolves the others with the service. A journal of another file or
    /// service, or a damaged one, is refused
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Do not look rows up on the service before sending them. Rows whose outcome is unknown
    /// are then never sent again
    #[arg(long)]
    pub no_reconcile: bool,
    /// Seconds a request may still be applied by the service after its sender stopped waiting
    /// (default: the request timeout, 130). A row that may have been sent and is not found is
    /// sent again only this long after the run that sent it ended
    #[arg(long, value_name = "SECONDS")]
    pub settle: Option<u64>,
    /// Check the file and stop before sending anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Basic-auth user name the emulator accepts
    #[arg(long, default_value = "reseller")]
    pub username: String,
    /// Basic-auth password the emulator accepts (a test server's, not a real secret)
    #[arg(long, default_value = "emulator-Passw0rd")]
    pub password: String,
    /// Start with only the reseller's root account, the roles and the number pool
    #[arg(long)]
    pub empty: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Confirm running against a non-local service: the story creates an account and users and
    /// allocates 100.00 credit and a number there
    #[arg(long)]
    pub yes: bool,
}
