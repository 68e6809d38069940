//! The operation catalogue: every vendor method and what the client knows about it.
//!
//! One row per operation in [`for_each_operation!`](crate::for_each_operation) gives its area,
//! vendor name, client method, request and response types, whether it changes state on the
//! server (which decides retries) and whether the vendor documents it. From that row come the
//! URL (`{base}/{Method}`), the retry policy, the [`OPERATIONS`] table and each request's
//! [`Operation`] impl here, and the client method with its docs and [`Client::invoke`]'s
//! dispatch (in `dispatch.rs`). Correcting a vendor name is a one-line change in the table;
//! field names live in the request and record tables.
//!
//! [`Client::invoke`]: crate::Client::invoke

use crate::validate::Validate;
use crate::wire::Decode;
use crate::Result;
use serde::Serialize;

/// The capability areas of the overview page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Accounts,
    Users,
    Roles,
    Credit,
    Reports,
    Numbers,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Users => "users",
            Self::Roles => "roles",
            Self::Credit => "credit",
            Self::Reports => "reports",
            Self::Numbers => "numbers",
        }
    }
}

/// What the client knows about a vendor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationInfo {
    /// The vendor's PascalCase method name, the last segment of the URL.
    pub method: &'static str,
    /// The client's snake_case method name.
    pub function: &'static str,
    pub area: Area,
    /// Changes state on the server: never retried once the request may have reached it.
    pub mutating: bool,
    /// Published by the vendor (`true`) or inferred from its naming style (`false`).
    pub documented: bool,
}

/// A typed request: its body, its rules and its entry in the catalogue.
pub trait Operation: Serialize + Validate + Send + Sync {
    /// What a successful call returns.
    type Output: Decode + Send;
    const INFO: OperationInfo;

    /// The local validation [`Client::send`](crate::Client::send) applies before sending, with
    /// the error naming this operation. Bindings call it before creating a future, so input that
    /// would never leave the process fails without a trip through the async runtime.
    fn check(&self) -> Result<()> {
        self.validate()
            .map_err(|error| error.in_method(Self::INFO.method))
    }
}

/// Looks up a vendor method by name (exact spelling).
pub fn find(method: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().find(|op| op.method == method)
}

macro_rules! mutating {
    (mutating) => {
        true
    };
    (read) => {
        false
    };
}

macro_rules! documented {
    (documented) => {
        true
    };
    (inferred) => {
        false
    };
}

macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $area:ident $method:ident => $function:ident -> $output:ty [$($key:tt)*], $kind:ident, $status:ident;
    )*) => {
        /// Every operation of the contract, in catalogue order.
        pub const OPERATIONS: &[OperationInfo] = &[$(
            <crate::requests::$method as Operation>::INFO,
        )*];

        $(
            crate::tables::key_agrees!($output, [$($key)*]);

            impl Operation for crate::requests::$method {
                type Output = $output;
                const INFO: OperationInfo = OperationInfo {
                    method: stringify!($method),
                    function: stringify!($function),
                    area: Area::$area,
                    mutating: mutating!($kind),
                    documented: documented!($status),
                };
            }
        )*
    };
}

crate::for_each_operation!(catalogue);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_names_are_unique() {
        let mut names: Vec<_> = OPERATIONS.iter().map(|op| op.method).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        let documented: Vec<_> = OPERATIONS
            .iter()
            .filter(|op| op.documented)
            .map(|op| op.method)
            .collect();
        assert_eq!(documented, ["AddUserToAccount"]);
        assert_eq!(find("AllocateCredit").map(|op| op.mutating), Some(true));
        assert_eq!(
            find("GetChargeableActivity").map(|op| op.mutating),
            Some(false)
        );
        assert!(find("allocatecredit").is_none());
    }
}
