//! Every vendor method the emulator serves, in one table: Part A (documented) and Part B
//! (inferred) of the contract. Each row gives the method's name, whether it changes state,
//! whether a missing body is an error, and the handler in [`crate::ops`]; from it come [`Op`],
//! [`METHODS`] and the dispatch ([`Op::execute`]). Correcting a method name is a one-line change
//! here. The names and `mutating` flags are checked against the client's catalogue by a test
//! of the core (`core/tests/emulator_catalogue.rs`), but nothing here is shared with it.

use crate::error::ApiResult;
use crate::ops::{accounts, credit, numbers, reports, roles, users, Outcome};
use crate::request::Fields;
use crate::state::State;

/// One catalogue row, as the emulator's public API shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    /// The vendor's method name, the last segment of the URL (case-sensitive).
    pub name: &'static str,
    /// Changes state: only these can be "applied" by a fault before it fires.
    pub mutating: bool,
    /// False for methods with no required field, where a missing body means "no filters".
    pub requires_body: bool,
}

/// One catalogue row with its operation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Method {
    pub(crate) info: MethodInfo,
    pub(crate) op: Op,
}

macro_rules! mutating {
    (mutating) => {
        true
    };
    (read) => {
        false
    };
}

macro_rules! requires_body {
    (body) => {
        true
    };
    (optional) => {
        false
    };
}

/// `Name: mutating|read, body|optional => handler;`, one row per vendor method.
macro_rules! methods {
    ($($name:ident: $kind:ident, $body:ident => $handler:path;)*) => {
        /// An operation of the contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Op {
            $($name,)*
        }

        /// Every method, in the contract's order.
        pub(crate) const METHODS: &[Method] = &[$(
            Method {
                info: MethodInfo {
                    name: stringify!($name),
                    mutating: mutating!($kind),
                    requires_body: requires_body!($body),
                },
                op: Op::$name,
            },
        )*];

        impl Op {
            /// Runs the operation on `state` with the request's fields.
            pub(crate) fn execute(self, state: &mut State, fields: &Fields) -> ApiResult<Outcome> {
                match self {
                    $(Op::$name => $handler(state, fields),)*
                }
            }
        }
    };
}

methods! {
    CreateAccount: mutating, body => accounts::create;
    GetAccount: read, body => accounts::get;
    GetAccounts: read, optional => accounts::list;
    UpdateAccount: mutating, body => accounts::update;
    SetAccountStatus: mutating, body => accounts::set_status;
    AddUserToAccount: mutating, body => users::add;
    GetUsers: read, body => users::list;
    GetUser: read, body => users::get;
    UpdateUser: mutating, body => users::update;
    RemoveUserFromAccount: mutating, body => users::remove;
    ResetUserPassword: mutating, body => users::reset_password;
    GetRoles: read, optional => roles::list;
    AssignRoleToUser: mutating, body => roles::assign_to_user;
    RemoveRoleFromUser: mutating, body => roles::remove_from_user;
    AssignRoleToAccount: mutating, body => roles::assign_to_account;
    RemoveRoleFromAccount: mutating, body => roles::remove_from_account;
    AllocateCredit: mutating, body => credit::allocate;
    GetCreditBalance: read, body => credit::balance;
    GetCreditAllocations: read, body => credit::allocations;
    GetChargeableActivity: read, body => reports::chargeable_activity;
    GetAvailableInboundNumbers: read, optional => numbers::available;
    AllocateInboundNumber: mutating, body => numbers::allocate;
    ReleaseInboundNumber: mutating, body => numbers::release;
    GetAllocatedInboundNumbers: read, body => numbers::allocated;
}

/// The method of that exact (case-sensitive) name.
pub(crate) fn lookup(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.info.name == name)
}

/// Names of every vendor method the emulator serves.
pub fn method_names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|m| m.info.name)
}

/// Every vendor method the emulator serves, in the contract's order.
pub fn methods() -> impl Iterator<Item = MethodInfo> {
    METHODS.iter().map(|m| m.info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_exactly() {
        let mut names: Vec<_> = method_names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), METHODS.len());
        for method in METHODS {
            let found = lookup(method.info.name).map(|m| m.op);
            assert_eq!(found, Some(method.op));
            assert!(lookup(&method.info.name.to_lowercase()).is_none());
        }
    }
}
