//! The contract as data: one declaration per operation, per request field, per record field and
//! per enumeration value, exported as callback macros.
//!
//! Each `for_each_*!` macro hands its whole table to a macro of the caller's, which expands it
//! into whatever that layer needs. The core's own catalogue, requests and records are expanded
//! from these tables (there is no second list), and so are the bindings' mirrors, so a field added
//! here reaches every language or fails a build.
//!
//! ```
//! macro_rules! operation_names {
//!     ($( $(#[$doc:meta])* $area:ident $method:ident => $function:ident
//!         -> $output:ty [$($key:tt)*], $kind:ident, $status:ident; )*) => {
//!         &[$(stringify!($method)),*]
//!     };
//! }
//! const NAMES: &[&str] = cpaas_reseller::for_each_operation!(operation_names);
//! assert_eq!(NAMES.len(), cpaas_reseller::OPERATIONS.len());
//! ```
//!
//! # Calling a table
//! `for_each_X!(callback)` expands to `callback! { <table> }`; `for_each_X!(callback { <tokens> })`
//! expands to `callback! { <tokens> <table> }`, so one callback can serve several expansions
//! (`for_each_operation!(methods { @class AsyncClient; })`). The callback may be a path
//! (`crate::m`), resolved where `for_each_X!` is invoked.
//!
//! # Paths and types
//! Types in the tables are written with `$crate::` paths (`$crate::records::Account`,
//! `$crate::Decimal`, `$crate::Secret`, `$crate::__tables::DateTime<$crate::__tables::Utc>`)
//! or prelude names (`i32`, `String`, `Option`, `Vec`), so a table expands in any crate. A
//! binding rarely needs the core type itself: it maps the **type key** instead.
//!
//! # Type keys
//! Every field carries, after its core type, a key in square brackets that says what the value
//! is, so a binding can map it to its own type with a small recursive macro:
//!
//! | key             | core type                   | meaning                                        |
//! |-----------------|-----------------------------|------------------------------------------------|
//! | `i32`, `i64`    | `i32`, `i64`                | integer                                        |
//! | `bool`          | `bool`                      |                                                |
//! | `string`        | `String`                    | text                                           |
//! | `money`         | [`Decimal`](crate::Decimal) | exact decimal amount                           |
//! | `date`          | `DateTime<Utc>`             | UTC instant                                    |
//! | `secret`        | [`Secret`](crate::Secret)   | password: never in `Debug`, logs or `repr`     |
//! | `enum Name`     | `records::Name`             | a string enumeration of [`for_each_string_enum!`](crate::for_each_string_enum) |
//! | `record Name`   | `records::Name`             | a record of [`for_each_record!`](crate::for_each_record) |
//! | `opt <key>`     | `Option<...>`               | may be absent                                  |
//! | `list <key>`    | `Vec<...>`                  | a JSON array                                   |
//! | `unit`          | `()`                        | (operation outputs only) no result             |
//!
//! The core checks at compile time that every key agrees with the core type beside it.
//!
//! # Writing the tables
//! Rows are in contract order. Doc comments are `#[doc = "..."]` attributes, to be passed on to
//! the generated items (`$(#[$doc:meta])*`). Field lists always end with a comma. Vendor names
//! (`"AccountId"`) are the wire spelling; snake_case names are the Rust, Python, Kotlin and Swift
//! names (Kotlin and Swift camel-case them).

/// The operation catalogue: one row per vendor method.
///
/// Expands `callback! { $($prefix)* <rows> }`, each row matching
///
/// ```text
/// $(#[$doc:meta])*
/// $area:ident $method:ident => $function:ident -> $output:ty [$($output_key:tt)*], $kind:ident, $status:ident;
/// ```
///
/// - `$area`: a variant of [`Area`](crate::Area) (`Accounts`, `Users`, ...);
/// - `$method`: the vendor's method name, which is also the request type's name in
///   [`requests`](crate::requests) (and in [`for_each_request!`](crate::for_each_request));
/// - `$function`: the snake_case client method (`Client::get_account`);
/// - `$output`: the result type (`$crate::records::Account`, or `()`), then its type key
///   (`[record Account]`, or `[unit]`);
/// - `$kind`: `mutating` (changes state: never replayed once it may have reached the service) or
///   `read`;
/// - `$status`: `documented` (published by the vendor) or `inferred`.
///
/// The doc comments describe the operation in one line, as the client method's docs begin.
///
/// How to call it, the type keys and the conventions of every table: [`tables`](crate::tables).
#[macro_export]
macro_rules! for_each_operation {
    ($($callback:ident)::+ $({ $($prefix:tt)* })?) => {
        $($callback)::+! {
            $($($prefix)*)?
            /// Creates a customer account, under the reseller or under one of its accounts.
            Accounts CreateAccount => create_account -> $crate::records::Account [record Account], mutating, inferred;
            /// Reads one account.
            Accounts GetAccount => get_account -> $crate::records::Account [record Account], read, inferred;
            /// Lists the accounts under the reseller, or under one parent.
            Accounts GetAccounts => get_accounts -> $crate::records::AccountList [record AccountList], read, inferred;
            /// Changes an account's name, contact, time zone or notes.
            Accounts UpdateAccount => update_account -> $crate::records::Account [record Account], mutating, inferred;
            /// Activates, suspends or closes an account.
            Accounts SetAccountStatus => set_account_status -> $crate::records::Account [record Account], mutating, inferred;
            /// Adds a portal user to an account and returns its id when the service sends one.
            Users AddUserToAccount => add_user_to_account -> $crate::records::UserCreated [record UserCreated], mutating, documented;
            /// Lists an account's users.
            Users GetUsers => get_users -> $crate::records::UserList [record UserList], read, inferred;
            /// Reads one user.
            Users GetUser => get_user -> $crate::records::User [record User], read, inferred;
            /// Changes a user's details or enables/disables the user.
            Users UpdateUser => update_user -> $crate::records::User [record User], mutating, inferred;
            /// Removes a user from its account.
            Users RemoveUserFromAccount => remove_user_from_account -> () [unit], mutating, inferred;
            /// Sets a new password for a user.
            Users ResetUserPassword => reset_user_password -> () [unit], mutating, inferred;
            /// Lists the predefined roles.
            Roles GetRoles => get_roles -> $crate::records::RoleList [record RoleList], read, inferred;
            /// Gives a user a role.
            Roles AssignRoleToUser => assign_role_to_user -> () [unit], mutating, inferred;
            /// Takes a role from a user.
            Roles RemoveRoleFromUser => remove_role_from_user -> () [unit], mutating, inferred;
            /// Gives an account a role: every user in it then has it.
            Roles AssignRoleToAccount => assign_role_to_account -> () [unit], mutating, inferred;
            /// Takes a role from an account.
            Roles RemoveRoleFromAccount => remove_role_from_account -> () [unit], mutating, inferred;
            /// Allocates credit to an account. Set a `Reference` so an unknown outcome can be reconciled.
            Credit AllocateCredit => allocate_credit -> $crate::records::CreditAllocation [record CreditAllocation], mutating, inferred;
            /// Reads an account's credit balance.
            Credit GetCreditBalance => get_credit_balance -> $crate::records::CreditBalance [record CreditBalance], read, inferred;
            /// Lists an account's credit allocations, optionally between two dates.
            Credit GetCreditAllocations => get_credit_allocations -> $crate::records::CreditAllocationList [record CreditAllocationList], read, inferred;
            /// Reports chargeable activity between two dates, for one account or all of them.
            Reports GetChargeableActivity => get_chargeable_activity -> $crate::records::ActivityReport [record ActivityReport], read, inferred;
            /// Lists inbound numbers available for allocation, by country and type.
            Numbers GetAvailableInboundNumbers => get_available_inbound_numbers -> $crate::records::InboundNumberList [record InboundNumberList], read, inferred;
            /// Allocates an available inbound number to an account.
            Numbers AllocateInboundNumber => allocate_inbound_number -> $crate::records::InboundNumber [record InboundNumber], mutating, inferred;
            /// Releases an inbound number from an account back to the pool.
            Numbers ReleaseInboundNumber => release_inbound_number -> () [unit], mutating, inferred;
            /// Lists the inbound numbers allocated to an account.
            Numbers GetAllocatedInboundNumbers => get_allocated_inbound_numbers -> $crate::records::InboundNumberList [record InboundNumberList], read, inferred;
        }
    };
}

/// The request bodies: one row per operation, with its fields in wire order.
///
/// Expands `callback! { $($prefix)* <rows> }`, each row matching
///
/// ```text
/// $(#[$doc:meta])*
/// $request:ident as $facade:ident {
///     required { $( $(#[$rdoc:meta])* $rwire:literal $rfield:ident : $rty:ty [$($rkey:tt)*], )* }
///     optional { $( $(#[$odoc:meta])* $owire:literal $ofield:ident : $oty:ty [$($okey:tt)*], )* }
/// }
/// ```
///
/// - `$request`: the core type in [`requests`](crate::requests), named after the vendor method;
/// - `$facade`: the name a binding with one class per request gives it (`GetAccountRequest`):
///   `macro_rules!` cannot build an identifier, so the table spells it;
/// - `required`: fields the caller must give (keys without `opt`), in wire order;
/// - `optional`: fields the caller may leave out (keys `opt ...`, type `Option<...>`), sent only
///   when set; bindings default them to none (`None`, `null`, `nil`). They follow the required
///   fields on the wire. Either group may be empty (`required {}`).
///
/// Each field gives its vendor name (`"AccountId"`), its snake_case name, its core type and its
/// type key. The validation rules are the core's (`Validate`), not the table's.
///
/// How to call it, the type keys and the conventions of every table: [`tables`](crate::tables).
#[macro_export]
macro_rules! for_each_request {
    ($($callback:ident)::+ $({ $($prefix:tt)* })?) => {
        $($callback)::+! {
            $($($prefix)*)?
            /// Creates a customer account (inferred).
            CreateAccount as CreateAccountRequest {
                required {
                    "AccountName" account_name: String [string],
                }
                optional {
                    "ParentAccountId" parent_account_id: Option<i32> [opt i32],
                    "ContactEmailAddress" contact_email_address: Option<String> [opt string],
                    /// ISO 3166-1 alpha-2.
                    "CountryCode" country_code: Option<String> [opt string],
                    /// IANA time zone name.
                    "TimeZone" time_zone: Option<String> [opt string],
                    "Notes" notes: Option<String> [opt string],
                }
            }
            /// Reads one account (inferred).
            GetAccount as GetAccountRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {}
            }
            /// Lists accounts under the reseller, or under one parent (inferred).
            GetAccounts as GetAccountsRequest {
                required {}
                optional {
                    "ParentAccountId" parent_account_id: Option<i32> [opt i32],
                }
            }
            /// Changes an account's details; fields left out are unchanged (inferred).
            UpdateAccount as UpdateAccountRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {
                    "AccountName" account_name: Option<String> [opt string],
                    "ContactEmailAddress" contact_email_address: Option<String> [opt string],
                    /// IANA time zone name.
                    "TimeZone" time_zone: Option<String> [opt string],
                    "Notes" notes: Option<String> [opt string],
                }
            }
            /// Activates, suspends or closes an account (inferred).
            SetAccountStatus as SetAccountStatusRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    "Status" status: $crate::records::AccountStatus [enum AccountStatus],
                }
                optional {}
            }
            /// Adds a portal user to an account: the one method the vendor documents.
            AddUserToAccount as AddUserToAccountRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    "Username" username: String [string],
                    /// More than 8 characters, with at least one letter and one digit.
                    "Password" password: $crate::Secret [secret],
                    "Firstname" firstname: String [string],
                    "LastName" last_name: String [string],
                    "EmailAddress" email_address: String [string],
                    /// E.164.
                    "MobilePhoneNumber" mobile_phone_number: String [string],
                    /// E.164.
                    "LandlinePhoneNumber" landline_phone_number: String [string],
                }
                optional {
                    "Notes" notes: Option<String> [opt string],
                    "ChangePasswordAtNextLogon" change_password_at_next_logon: Option<bool> [opt bool],
                }
            }
            /// Lists the users of an account (inferred).
            GetUsers as GetUsersRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {}
            }
            /// Reads one user (inferred).
            GetUser as GetUserRequest {
                required {
                    "UserId" user_id: i32 [i32],
                }
                optional {}
            }
            /// Changes a user's details; fields left out are unchanged (inferred).
            UpdateUser as UpdateUserRequest {
                required {
                    "UserId" user_id: i32 [i32],
                }
                optional {
                    "Firstname" firstname: Option<String> [opt string],
                    "LastName" last_name: Option<String> [opt string],
                    "EmailAddress" email_address: Option<String> [opt string],
                    /// E.164.
                    "MobilePhoneNumber" mobile_phone_number: Option<String> [opt string],
                    /// E.164.
                    "LandlinePhoneNumber" landline_phone_number: Option<String> [opt string],
                    "Notes" notes: Option<String> [opt string],
                    "Enabled" enabled: Option<bool> [opt bool],
                }
            }
            /// Removes a user from its account (inferred).
            RemoveUserFromAccount as RemoveUserFromAccountRequest {
                required {
                    "UserId" user_id: i32 [i32],
                }
                optional {}
            }
            /// Sets a new password for a user (inferred).
            ResetUserPassword as ResetUserPasswordRequest {
                required {
                    "UserId" user_id: i32 [i32],
                    /// Same rule as `AddUserToAccount`'s `Password`.
                    "NewPassword" new_password: $crate::Secret [secret],
                }
                optional {
                    "ChangePasswordAtNextLogon" change_password_at_next_logon: Option<bool> [opt bool],
                }
            }
            /// Lists the predefined roles (inferred). Has no fields.
            GetRoles as GetRolesRequest {
                required {}
                optional {}
            }
            /// Gives a user a role (inferred).
            AssignRoleToUser as AssignRoleToUserRequest {
                required {
                    "UserId" user_id: i32 [i32],
                    "RoleId" role_id: i32 [i32],
                }
                optional {}
            }
            /// Takes a role from a user (inferred).
            RemoveRoleFromUser as RemoveRoleFromUserRequest {
                required {
                    "UserId" user_id: i32 [i32],
                    "RoleId" role_id: i32 [i32],
                }
                optional {}
            }
            /// Gives every user of an account a role (inferred).
            AssignRoleToAccount as AssignRoleToAccountRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    "RoleId" role_id: i32 [i32],
                }
                optional {}
            }
            /// Takes a role from an account (inferred).
            RemoveRoleFromAccount as RemoveRoleFromAccountRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    "RoleId" role_id: i32 [i32],
                }
                optional {}
            }
            /// Adds credit to an account (inferred). Never retried once sent: on an ambiguous
            /// failure the error has `outcome_unknown`; reconcile by `Reference` with
            /// `GetCreditAllocations`.
            AllocateCredit as AllocateCreditRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    /// Greater than 0; sent as an exact JSON number.
                    "Amount" amount: $crate::Decimal [money],
                }
                optional {
                    /// The caller's own id for this allocation; it lets an unknown outcome be
                    /// reconciled against `GetCreditAllocations`.
                    "Reference" reference: Option<String> [opt string],
                }
            }
            /// Reads an account's credit balance (inferred).
            GetCreditBalance as GetCreditBalanceRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {}
            }
            /// Lists an account's credit allocations, optionally within dates (inferred).
            GetCreditAllocations as GetCreditAllocationsRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {
                    "StartDate" start_date: Option<$crate::__tables::DateTime<$crate::__tables::Utc>> [opt date],
                    "EndDate" end_date: Option<$crate::__tables::DateTime<$crate::__tables::Utc>> [opt date],
                }
            }
            /// Reports chargeable activity between two dates, for one account or every account
            /// under the reseller (inferred).
            GetChargeableActivity as GetChargeableActivityRequest {
                required {
                    "StartDate" start_date: $crate::__tables::DateTime<$crate::__tables::Utc> [date],
                    "EndDate" end_date: $crate::__tables::DateTime<$crate::__tables::Utc> [date],
                }
                optional {
                    /// Left out: every account under the reseller.
                    "AccountId" account_id: Option<i32> [opt i32],
                }
            }
            /// Lists inbound numbers that can be allocated (inferred).
            GetAvailableInboundNumbers as GetAvailableInboundNumbersRequest {
                required {}
                optional {
                    /// ISO 3166-1 alpha-2.
                    "CountryCode" country_code: Option<String> [opt string],
                    "NumberType" number_type: Option<$crate::records::NumberType> [opt enum NumberType],
                }
            }
            /// Allocates an available inbound number to an account (inferred).
            AllocateInboundNumber as AllocateInboundNumberRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    /// E.164.
                    "Number" number: String [string],
                }
                optional {}
            }
            /// Returns an allocated inbound number to the pool (inferred).
            ReleaseInboundNumber as ReleaseInboundNumberRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                    /// E.164.
                    "Number" number: String [string],
                }
                optional {}
            }
            /// Lists the inbound numbers allocated to an account (inferred).
            GetAllocatedInboundNumbers as GetAllocatedInboundNumbersRequest {
                required {
                    "AccountId" account_id: i32 [i32],
                }
                optional {}
            }
        }
    };
}

/// The response records: one row per record, with its fields in the order the core declares
/// them.
///
/// Expands `callback! { $($prefix)* <rows> }`, each row matching
///
/// ```text
/// $(#[$doc:meta])*
/// $kind:ident $record:ident {
///     $( $(#[$fdoc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], )*
/// }
/// ```
///
/// - `$kind`: `record` (an object), or `list`: a result whose one field is the list of another
///   record (`"Accounts" optional accounts: Vec<...> [list record Account]`), so a binding can
///   make it iterable;
/// - `$record`: the core type in [`records`](crate::records); bindings give their class the same
///   name;
/// - `$presence`: `required` (decoding fails without it) or `optional` (decoded as none, or as an
///   empty list, when the service leaves it out). It only matters to the core's decoder: every
///   field is present in every decoded record.
///
/// Every core record also keeps the fields the service sent that the table does not list, in
/// `extra`; that field is not in the table.
///
/// How to call it, the type keys and the conventions of every table: [`tables`](crate::tables).
#[macro_export]
macro_rules! for_each_record {
    ($($callback:ident)::+ $({ $($prefix:tt)* })?) => {
        $($callback)::+! {
            $($($prefix)*)?
            /// A CPaaS account: billing is collated per account (inferred record).
            record Account {
                "AccountId" required account_id: i32 [i32],
                "AccountName" optional account_name: Option<String> [opt string],
                "ParentAccountId" optional parent_account_id: Option<i32> [opt i32],
                "Status" optional status: Option<$crate::records::AccountStatus> [opt enum AccountStatus],
                "ContactEmailAddress" optional contact_email_address: Option<String> [opt string],
                /// ISO 3166-1 alpha-2.
                "CountryCode" optional country_code: Option<String> [opt string],
                /// IANA time zone name.
                "TimeZone" optional time_zone: Option<String> [opt string],
                "Notes" optional notes: Option<String> [opt string],
                "CreatedDate" optional created_date: Option<$crate::__tables::DateTime<$crate::__tables::Utc>> [opt date],
            }
            /// `GetAccounts` result (inferred).
            list AccountList {
                "Accounts" optional accounts: Vec<$crate::records::Account> [list record Account],
            }
            /// `AddUserToAccount` result. The vendor documents no 200 body, so `UserId` is
            /// exposed when present and everything else stays among the unknown fields.
            record UserCreated {
                "UserId" optional user_id: Option<i32> [opt i32],
            }
            /// A portal user; belongs to one account (inferred record).
            record User {
                "UserId" required user_id: i32 [i32],
                "AccountId" optional account_id: Option<i32> [opt i32],
                "Username" optional username: Option<String> [opt string],
                "Firstname" optional firstname: Option<String> [opt string],
                "LastName" optional last_name: Option<String> [opt string],
                "EmailAddress" optional email_address: Option<String> [opt string],
                "MobilePhoneNumber" optional mobile_phone_number: Option<String> [opt string],
                "LandlinePhoneNumber" optional landline_phone_number: Option<String> [opt string],
                "Notes" optional notes: Option<String> [opt string],
                "Enabled" optional enabled: Option<bool> [opt bool],
                "RoleIds" optional role_ids: Vec<i32> [list i32],
            }
            /// `GetUsers` result (inferred).
            list UserList {
                "Users" optional users: Vec<$crate::records::User> [list record User],
            }
            /// A predefined set of allowed actions (inferred record).
            record Role {
                "RoleId" required role_id: i32 [i32],
                "RoleName" optional role_name: Option<String> [opt string],
                "Description" optional description: Option<String> [opt string],
            }
            /// `GetRoles` result (inferred).
            list RoleList {
                "Roles" optional roles: Vec<$crate::records::Role> [list record Role],
            }
            /// One credit allocation in an account's ledger (inferred record).
            record CreditAllocation {
                "AllocationId" required allocation_id: i64 [i64],
                "AccountId" required account_id: i32 [i32],
                "Amount" required amount: $crate::Decimal [money],
                /// The caller's own identifier for the allocation, used to reconcile unknown
                /// outcomes.
                "Reference" optional reference: Option<String> [opt string],
                "AllocatedDate" optional allocated_date: Option<$crate::__tables::DateTime<$crate::__tables::Utc>> [opt date],
                "BalanceAfter" optional balance_after: Option<$crate::Decimal> [opt money],
            }
            /// `GetCreditAllocations` result (inferred).
            list CreditAllocationList {
                "Allocations" optional allocations: Vec<$crate::records::CreditAllocation> [list record CreditAllocation],
            }
            /// `GetCreditBalance` result (inferred).
            record CreditBalance {
                "AccountId" required account_id: i32 [i32],
                "Balance" required balance: $crate::Decimal [money],
                /// ISO 4217.
                "Currency" optional currency: Option<String> [opt string],
            }
            /// One chargeable event in a report (inferred record).
            record ChargeableActivity {
                "AccountId" required account_id: i32 [i32],
                "ActivityDate" required activity_date: $crate::__tables::DateTime<$crate::__tables::Utc> [date],
                "ActivityType" required activity_type: $crate::records::ActivityType [enum ActivityType],
                "Description" optional description: Option<String> [opt string],
                "Quantity" required quantity: i64 [i64],
                "UnitCost" required unit_cost: $crate::Decimal [money],
                "TotalCost" required total_cost: $crate::Decimal [money],
                /// ISO 4217.
                "Currency" optional currency: Option<String> [opt string],
            }
            /// `GetChargeableActivity` result (inferred).
            list ActivityReport {
                "Activities" optional activities: Vec<$crate::records::ChargeableActivity> [list record ChargeableActivity],
            }
            /// An inbound number, available or allocated to an account (inferred record).
            record InboundNumber {
                /// E.164.
                "Number" required number: String [string],
                "CountryCode" optional country_code: Option<String> [opt string],
                "NumberType" optional number_type: Option<$crate::records::NumberType> [opt enum NumberType],
                "MonthlyCost" optional monthly_cost: Option<$crate::Decimal> [opt money],
                "AccountId" optional account_id: Option<i32> [opt i32],
                "AllocatedDate" optional allocated_date: Option<$crate::__tables::DateTime<$crate::__tables::Utc>> [opt date],
            }
            /// `GetAvailableInboundNumbers` and `GetAllocatedInboundNumbers` result (inferred).
            list InboundNumberList {
                "Numbers" optional numbers: Vec<$crate::records::InboundNumber> [list record InboundNumber],
            }
        }
    };
}

/// The string enumerations: one row per enumeration, its values spelled as on the wire.
///
/// Expands `callback! { $($prefix)* <rows> }`, each row matching
///
/// ```text
/// $(#[$doc:meta])*
/// $name:ident { $($variant:ident,)* }
/// ```
///
/// `$name` is the core type in [`records`](crate::records); each `$variant` is both the Rust
/// variant and its wire value (`Active`). Every core enumeration also has `Unknown(String)`,
/// which keeps a value the table does not list; that variant is not in the table.
///
/// How to call it, the type keys and the conventions of every table: [`tables`](crate::tables).
#[macro_export]
macro_rules! for_each_string_enum {
    ($($callback:ident)::+ $({ $($prefix:tt)* })?) => {
        $($callback)::+! {
            $($($prefix)*)?
            /// The lifecycle state of an account (inferred).
            AccountStatus { Active, Suspended, Closed, }
            /// The kind of an inbound number (inferred).
            NumberType { LongCode, ShortCode, TollFree, }
            /// What a chargeable activity was for (inferred).
            ActivityType { SmsOutbound, SmsInbound, MmsOutbound, Voice, InboundNumberRental, Other, }
        }
    };
}

/// The core type a type key stands for (see the [module docs](crate::tables)), for the check that each
/// table row's key agrees with its type.
macro_rules! key_type {
    (opt $($key:tt)+) => { Option<$crate::tables::key_type!($($key)+)> };
    (list $($key:tt)+) => { Vec<$crate::tables::key_type!($($key)+)> };
    (i32) => { i32 };
    (i64) => { i64 };
    (bool) => { bool };
    (string) => { String };
    (money) => { $crate::Decimal };
    (date) => { chrono::DateTime<chrono::Utc> };
    (secret) => { $crate::Secret };
    (unit) => { () };
    (enum $name:ident) => { $crate::records::$name };
    (record $name:ident) => { $crate::records::$name };
}

/// Fails the build unless the core type of a table row is the type its key stands for.
macro_rules! key_agrees {
    ($ty:ty, [$($key:tt)*]) => {
        const _: fn($crate::tables::key_type!($($key)*)) -> $ty = |value| value;
    };
}

pub(crate) use {key_agrees, key_type};
