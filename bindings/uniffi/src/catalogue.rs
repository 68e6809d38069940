//! The core's operation catalogue, for code that works from method names (the raw `call`,
//! `bulk`) and for tests that check a table covers every operation.

use cpaas_reseller::OPERATIONS;

/// What the client knows about one vendor method (the core's `OperationInfo`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct OperationInfo {
    /// The vendor's PascalCase method name (`GetAccount`), as `call` and `bulk` take it.
    pub method: String,
    /// The client's snake_case method name (`get_account`; Kotlin and Swift spell it camelCase).
    pub function: String,
    /// The catalogue area (`accounts`, `users`, `roles`, `credit`, `reports`, `numbers`).
    pub area: String,
    /// Changes state on the server: never retried once the request may have reached it.
    pub mutating: bool,
    /// Published by the vendor (`true`) or inferred from its naming style (`false`).
    pub documented: bool,
}

/// Every operation of the catalogue, in catalogue order.
#[uniffi::export]
pub fn operations() -> Vec<OperationInfo> {
    OPERATIONS
        .iter()
        .map(|op| OperationInfo {
            method: op.method.to_owned(),
            function: op.function.to_owned(),
            area: op.area.as_str().to_owned(),
            mutating: op.mutating,
            documented: op.documented,
        })
        .collect()
}
