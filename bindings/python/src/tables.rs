//! The record classes and client methods of the Python binding, as tables that
//! `records.rs` and `client.rs` expand into pyo3 classes and that `gen-pyi` expands into
//! `python/cpaas_reseller/_native.pyi`: one list, so the stubs describe exactly what the
//! module has.

/// Calls `$callback!` with the record classes: `records` (one attribute per listed field) and
/// `lists` (results that hold rows: the field, the row class, the vendor key of the rows).
macro_rules! record_classes {
    ($callback:ident) => {
        $callback! {
            records {
                /// A CPaaS account (inferred record).
                Account {
                    account_id, account_name, parent_account_id, status, contact_email_address,
                    country_code, time_zone, notes, created_date,
                }
                /// The `AddUserToAccount` result: `user_id` when the service sends one (the vendor
                /// documents no 200 body; everything is in `.raw`).
                UserCreated { user_id }
                /// A portal user (inferred record).
                User {
                    user_id, account_id, username, firstname, last_name, email_address,
                    mobile_phone_number, landline_phone_number, notes, enabled, role_ids,
                }
                /// A predefined set of allowed actions (inferred record).
                Role { role_id, role_name, description }
                /// One credit allocation (inferred record).
                CreditAllocation {
                    allocation_id, account_id, amount, reference, allocated_date, balance_after,
                }
                /// An account's credit balance (inferred record).
                CreditBalance { account_id, balance, currency }
                /// One chargeable event in a report (inferred record).
                ChargeableActivity {
                    account_id, activity_date, activity_type, description, quantity, unit_cost,
                    total_cost, currency,
                }
                /// An inbound number, available or allocated (inferred record).
                InboundNumber {
                    number, country_code, number_type, monthly_cost, account_id, allocated_date,
                }
            }

            lists {
                /// The `GetAccounts` result.
                AccountList { accounts: Account = "Accounts" }
                /// The `GetUsers` result.
                UserList { users: User = "Users" }
                /// The `GetRoles` result.
                RoleList { roles: Role = "Roles" }
                /// The `GetCreditAllocations` result.
                CreditAllocationList { allocations: CreditAllocation = "Allocations" }
                /// The `GetChargeableActivity` result.
                ActivityReport { activities: ChargeableActivity = "Activities" }
                /// The `GetAvailableInboundNumbers` / `GetAllocatedInboundNumbers` result.
                InboundNumberList { numbers: InboundNumber = "Numbers" }
            }
        }
    };
}
pub(crate) use record_classes;

/// Calls `$callback!` with one line per operation: `function Request(required, ...;
/// optional, ...)`.
macro_rules! operation_methods {
    ($callback:ident) => {
        $callback! {
            create_account CreateAccount(account_name; parent_account_id, contact_email_address, country_code, time_zone, notes);
            get_account GetAccount(account_id;);
            get_accounts GetAccounts(; parent_account_id);
            update_account UpdateAccount(account_id; account_name, contact_email_address, time_zone, notes);
            set_account_status SetAccountStatus(account_id, status;);
            add_user_to_account AddUserToAccount(account_id, username, password, firstname, last_name, email_address, mobile_phone_number, landline_phone_number; notes, change_password_at_next_logon);
            get_users GetUsers(account_id;);
            get_user GetUser(user_id;);
            update_user UpdateUser(user_id; firstname, last_name, email_address, mobile_phone_number, landline_phone_number, notes, enabled);
            remove_user_from_account RemoveUserFromAccount(user_id;);
            reset_user_password ResetUserPassword(user_id, new_password; change_password_at_next_logon);
            get_roles GetRoles(;);
            assign_role_to_user AssignRoleToUser(user_id, role_id;);
            remove_role_from_user RemoveRoleFromUser(user_id, role_id;);
            assign_role_to_account AssignRoleToAccount(account_id, role_id;);
            remove_role_from_account RemoveRoleFromAccount(account_id, role_id;);
            allocate_credit AllocateCredit(account_id, amount; reference);
            get_credit_balance GetCreditBalance(account_id;);
            get_credit_allocations GetCreditAllocations(account_id; start_date, end_date);
            get_chargeable_activity GetChargeableActivity(start_date, end_date; account_id);
            get_available_inbound_numbers GetAvailableInboundNumbers(; country_code, number_type);
            allocate_inbound_number AllocateInboundNumber(account_id, number;);
            release_inbound_number ReleaseInboundNumber(account_id, number;);
            get_allocated_inbound_numbers GetAllocatedInboundNumbers(account_id;);
        }
    };
}
pub(crate) use operation_methods;
