//! Python classes for the core's response records.
//!
//! Each class wraps the core's decoded record (attributes convert on access: `Decimal`, aware UTC
//! `datetime`, enum values as `str`) and `.raw`, the JSON object exactly as the service sent it
//! (vendor names, unknown fields included; non-integral numbers as `Decimal`; the same object on
//! every access). Equality compares
//! the decoded records, unknown fields included. List results hold their items as record objects
//! whose `.raw` is that item's object in the body.

use crate::convert::ToPy;
use crate::errors;
use cpaas_reseller::records as core;
use cpaas_reseller::{Error, WithBody};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyList};
use serde_json::Value;

/// A decoded result that becomes a Python value, given the JSON it was decoded from.
pub(crate) trait IntoRecord: Send + 'static {
    fn into_record<'py>(self, py: Python<'py>, raw: &Value) -> PyResult<Bound<'py, PyAny>>;
}

/// Operations without a result return `None`.
impl IntoRecord for () {
    fn into_record<'py>(self, py: Python<'py>, _raw: &Value) -> PyResult<Bound<'py, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

/// A finished call, converted to Python when the interpreter is attached: the record, or the
/// exception for the error. Async calls resolve their awaitable with it.
pub(crate) struct Reply<T>(pub(crate) Result<WithBody<T>, Error>);

impl<T: IntoRecord> Reply<T> {
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self.0 {
            Ok(WithBody { value, body }) => {
                // The typed decode of the same bytes succeeded, so this parse does too; an empty
                // body (operations without a result) is `null`.
                let raw = serde_json::from_slice(&body).unwrap_or(Value::Null);
                value.into_record(py, &raw)
            }
            Err(error) => Err(errors::to_py(py, &error)),
        }
    }
}

impl<'py, T: IntoRecord> IntoPyObject<'py> for Reply<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        self.into_py(py)
    }
}

/// Lists longer than this show their length instead of their items in `repr`.
const REPR_ITEMS: usize = 10;

fn repr_of(value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value.repr()?.to_cow()?.into_owned())
}

macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $name:ident { $($field:ident),* $(,)? }
    )*) => {$(
        $(#[$doc])*
        #[pyclass(frozen, module = "cpaas_reseller")]
        pub(crate) struct $name {
            inner: core::$name,
            raw: Py<PyAny>,
        }

        impl $name {
            fn wrap(py: Python<'_>, inner: core::$name, raw: Py<PyAny>) -> PyResult<Py<Self>> {
                Py::new(py, Self { inner, raw })
            }
        }

        impl IntoRecord for core::$name {
            fn into_record<'py>(self, py: Python<'py>, raw: &Value) -> PyResult<Bound<'py, PyAny>> {
                Ok($name::wrap(py, self, raw.to_py(py)?.unbind())?.into_bound(py).into_any())
            }
        }

        #[pymethods]
        impl $name {
            #[classattr]
            const __hash__: Option<Py<PyAny>> = None;

            $(
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.inner.$field.to_py(py)
                }
            )*

            /// The object exactly as the service sent it: vendor field names, unknown fields
            /// included.
            #[getter]
            fn raw(&self, py: Python<'_>) -> Py<PyAny> {
                self.raw.clone_ref(py)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let fields: Vec<String> = vec![$(
                    format!(concat!(stringify!($field), "={}"), repr_of(&self.inner.$field.to_py(py)?)?),
                )*];
                Ok(format!(concat!(stringify!($name), "({})"), fields.join(", ")))
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
                match other.cast::<Self>() {
                    Ok(other) => (self.inner == other.get().inner)
                        .into_pyobject(py)
                        .map_or_else(|_| py.NotImplemented(), |flag| flag.to_owned().into_any().unbind()),
                    Err(_) => py.NotImplemented(),
                }
            }
        }
    )*};
}

macro_rules! lists {
    ($(
        $(#[$doc:meta])*
        $name:ident { $field:ident: $item:ident = $wire:literal }
    )*) => {$(
        $(#[$doc])*
        #[pyclass(frozen, module = "cpaas_reseller")]
        pub(crate) struct $name {
            inner: core::$name,
            raw: Py<PyAny>,
            items: Vec<Py<$item>>,
        }

        impl IntoRecord for core::$name {
            fn into_record<'py>(self, py: Python<'py>, raw: &Value) -> PyResult<Bound<'py, PyAny>> {
                // Items share their `.raw` objects with the body's, so a large report is
                // converted once.
                let raw = raw.to_py(py)?;
                let raw_items = raw.get_item($wire).ok();
                let items = self
                    .$field
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let item_raw = raw_items
                            .as_ref()
                            .and_then(|items| items.get_item(index).ok())
                            .map_or_else(|| py.None(), Bound::unbind);
                        $item::wrap(py, item.clone(), item_raw)
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                let record = $name { inner: self, raw: raw.unbind(), items };
                Ok(Bound::new(py, record)?.into_any())
            }
        }

        #[pymethods]
        impl $name {
            #[classattr]
            const __hash__: Option<Py<PyAny>> = None;

            #[getter]
            fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
                PyList::new(py, self.items.iter().map(|item| item.clone_ref(py)))
            }

            /// The body exactly as the service sent it: vendor field names, unknown fields
            /// included.
            #[getter]
            fn raw(&self, py: Python<'_>) -> Py<PyAny> {
                self.raw.clone_ref(py)
            }

            fn __len__(&self) -> usize {
                self.items.len()
            }

            fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
                self.$field(py)?.try_iter()
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let shown = if self.items.len() <= REPR_ITEMS {
                    repr_of(self.$field(py)?.as_any())?
                } else {
                    format!(concat!("[<{} ", stringify!($item), " records>]"), self.items.len())
                };
                Ok(format!(concat!(stringify!($name), "(", stringify!($field), "={})"), shown))
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
                match other.cast::<Self>() {
                    Ok(other) => (self.inner == other.get().inner)
                        .into_pyobject(py)
                        .map_or_else(|_| py.NotImplemented(), |flag| flag.to_owned().into_any().unbind()),
                    Err(_) => py.NotImplemented(),
                }
            }
        }
    )*};
}

records! {
    /// A CPaaS account (inferred record).
    Account {
        account_id, account_name, parent_account_id, status, contact_email_address,
        country_code, time_zone, notes, created_date,
    }
    /// The `AddUserToAccount` result: `user_id` when the service sends one (the vendor documents
    /// no 200 body; everything is in `.raw`).
    UserCreated { user_id }
    /// A portal user (inferred record).
    User {
        user_id, account_id, username, firstname, last_name, email_address,
        mobile_phone_number, landline_phone_number, notes, enabled, role_ids,
    }
    /// A predefined set of allowed actions (inferred record).
    Role { role_id, role_name, description }
    /// One credit allocation (inferred record).
    CreditAllocation { allocation_id, account_id, amount, reference, allocated_date, balance_after }
    /// An account's credit balance (inferred record).
    CreditBalance { account_id, balance, currency }
    /// One chargeable event in a report (inferred record).
    ChargeableActivity {
        account_id, activity_date, activity_type, description, quantity, unit_cost,
        total_cost, currency,
    }
    /// An inbound number, available or allocated (inferred record).
    InboundNumber { number, country_code, number_type, monthly_cost, account_id, allocated_date }
}

lists! {
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

/// Adds every record class to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Account>()?;
    module.add_class::<UserCreated>()?;
    module.add_class::<User>()?;
    module.add_class::<Role>()?;
    module.add_class::<CreditAllocation>()?;
    module.add_class::<CreditBalance>()?;
    module.add_class::<ChargeableActivity>()?;
    module.add_class::<InboundNumber>()?;
    module.add_class::<AccountList>()?;
    module.add_class::<UserList>()?;
    module.add_class::<RoleList>()?;
    module.add_class::<CreditAllocationList>()?;
    module.add_class::<ActivityReport>()?;
    module.add_class::<InboundNumberList>()?;
    Ok(())
}
