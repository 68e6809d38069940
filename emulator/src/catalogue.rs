//! Every vendor method the emulator serves, in one table: Part A (documented) and Part B
//! (inferred) of the contract. Correcting a method name is a one-line change here.

/// An operation of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    CreateAccount,
    GetAccount,
    GetAccounts,
    UpdateAccount,
    SetAccountStatus,
    AddUserToAccount,
    GetUsers,
    GetUser,
    UpdateUser,
    RemoveUserFromAccount,
    ResetUserPassword,
    GetRoles,
    AssignRoleToUser,
    RemoveRoleFromUser,
    AssignRoleToAccount,
    RemoveRoleFromAccount,
    AllocateCredit,
    GetCreditBalance,
    GetCreditAllocations,
    GetChargeableActivity,
    GetAvailableInboundNumbers,
    AllocateInboundNumber,
    ReleaseInboundNumber,
    GetAllocatedInboundNumbers,
}

/// One catalogue row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Method {
    pub(crate) name: &'static str,
    pub(crate) op: Op,
    /// Changes state: only these can be "applied" by a fault before it fires.
    pub(crate) mutating: bool,
    /// False for methods with no required field, where a missing body means "no filters".
    pub(crate) requires_body: bool,
}

const fn m(name: &'static str, op: Op, mutating: bool, requires_body: bool) -> Method {
    Method {
        name,
        op,
        mutating,
        requires_body,
    }
}

pub(crate) const METHODS: [Method; 24] = [
    m("CreateAccount", Op::CreateAccount, true, true),
    m("GetAccount", Op::GetAccount, false, true),
    m("GetAccounts", Op::GetAccounts, false, false),
    m("UpdateAccount", Op::UpdateAccount, true, true),
    m("SetAccountStatus", Op::SetAccountStatus, true, true),
    m("AddUserToAccount", Op::AddUserToAccount, true, true),
    m("GetUsers", Op::GetUsers, false, true),
    m("GetUser", Op::GetUser, false, true),
    m("UpdateUser", Op::UpdateUser, true, true),
    m(
        "RemoveUserFromAccount",
        Op::RemoveUserFromAccount,
        true,
        true,
    ),
    m("ResetUserPassword", Op::ResetUserPassword, true, true),
    m("GetRoles", Op::GetRoles, false, false),
    m("AssignRoleToUser", Op::AssignRoleToUser, true, true),
    m("RemoveRoleFromUser", Op::RemoveRoleFromUser, true, true),
    m("AssignRoleToAccount", Op::AssignRoleToAccount, true, true),
    m(
        "RemoveRoleFromAccount",
        Op::RemoveRoleFromAccount,
        true,
        true,
    ),
    m("AllocateCredit", Op::AllocateCredit, true, true),
    m("GetCreditBalance", Op::GetCreditBalance, false, true),
    m(
        "GetCreditAllocations",
        Op::GetCreditAllocations,
        false,
        true,
    ),
    m(
        "GetChargeableActivity",
        Op::GetChargeableActivity,
        false,
        true,
    ),
    m(
        "GetAvailableInboundNumbers",
        Op::GetAvailableInboundNumbers,
        false,
        false,
    ),
    m(
        "AllocateInboundNumber",
        Op::AllocateInboundNumber,
        true,
        true,
    ),
    m("ReleaseInboundNumber", Op::ReleaseInboundNumber, true, true),
    m(
        "GetAllocatedInboundNumbers",
        Op::GetAllocatedInboundNumbers,
        false,
        true,
    ),
];

/// The method of that exact (case-sensitive) name.
pub(crate) fn lookup(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}

/// Names of every vendor method the emulator serves.
pub fn method_names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|m| m.name)
}
