//! Python classes for the core's response records.
//!
//! Each class wraps the core's decoded record (attributes convert on access: `Decimal`, aware UTC
//! `datetime`, enum values as `str`) and `.raw`, the JSON object exactly as the service sent it
//! (vendor names, unknown fields included; non-integral numbers as `Decimal`). `.raw` is built
//! from the received body on first access and kept, so it is the same object on every access,
//! and a large report pays for a second, untyped copy of itself only if someone asks for it.
//! Equality compares the decoded records, unknown fields included. List results hold their items
//! as record objects whose `.raw` is that item's object in the body's `.raw`.

use crate::convert::ToPy;
use crate::errors;
use bytes::Bytes;
use cpaas_reseller::records as core;
use cpaas_reseller::{Decode, Error, WithBody};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyIterator, PyList};
use serde_json::Value;
use std::sync::Arc;

/// A response body as received, shared by a result and its items, and its JSON as Python values
/// once `.raw` has been asked for.
pub(crate) struct Body {
    bytes: Bytes,
    json: PyOnceLock<Py<PyAny>>,
}

impl Body {
    pub(crate) fn new(bytes: Bytes) -> Arc<Self> {
        Arc::new(Self {
            bytes,
            json: PyOnceLock::new(),
        })
    }

    fn json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.json.get_or_try_init(py, || {
            // The typed decode of these bytes succeeded, so this parse does too.
            let value = Value::decode(&self.bytes)
                .map_err(|error| PyValueError::new_err(format!("unreadable body: {error}")))?;
            value.to_py(py).map(Bound::unbind)
        })?;
        Ok(json.bind(py).clone())
    }
}

/// Where a record lives: its own decoded value with the body it came from, or one row of a
/// decoded list, shared with the list and its other rows (so a large report's rows are decoded
/// once, in Rust, and converted to Python values only as they are read). `Own` is boxed so a
/// row object stays a few words long.
enum Held<T> {
    Own(Box<(T, Arc<Body>)>),
    Row { rows: Arc<Rows<T>>, index: usize },
}

/// The rows of a list result, with the body they came from and the key that holds them there.
struct Rows<T> {
    records: Vec<T>,
    body: Arc<Body>,
    key: &'static str,
}

impl<T> Held<T> {
    fn get(&self) -> &T {
        match self {
            Self::Own(own) => &own.0,
            // Rows are only made for indices of `records`, which never changes.
            Self::Row { rows, index } => &rows.records[*index],
        }
    }

    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Self::Own(own) => own.1.json(py),
            Self::Row { rows, index } => rows.body.json(py)?.get_item(rows.key)?.get_item(*index),
        }
    }
}

/// A decoded result that becomes a Python value, given the body it was decoded from.
pub(crate) trait IntoRecord: Send + 'static {
    fn into_record(self, py: Python<'_>, body: Arc<Body>) -> PyResult<Bound<'_, PyAny>>;
}

/// Operations without a result return `None`.
impl IntoRecord for () {
    fn into_record(self, py: Python<'_>, _body: Arc<Body>) -> PyResult<Bound<'_, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

/// A finished call, converted to Python when the interpreter is attached: the record, or the
/// exception for the error. Async calls resolve their awaitable with it.
pub(crate) struct Reply<T>(pub(crate) Result<WithBody<T>, Error>);

impl<T: IntoRecord> Reply<T> {
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self.0 {
            Ok(WithBody { value, body }) => value.into_record(py, Body::new(body)),
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

/// Takes a row object out of the cycle collector's lists. A row holds no Python reference it
/// could reach a cycle through (its class has no `__traverse__`, so the collector would visit
/// nothing in it), yet a tracked row is walked by every collection while the report is alive:
/// making a 200,000-row report's rows spent most of its time in the collector (profile in
/// BENCHMARKS.md). CPython untracks its own tuples of atoms the same way.
fn untracked<T>(row: Py<T>) -> Py<T> {
    // SAFETY: `row` is a live object of a GC type (every `#[pyclass]` is), and we are attached
    // to the interpreter; untracking is idempotent, so its deallocation may untrack it again.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(row.as_ptr().cast()) };
    row
}

/// Lists longer than this show their length instead of their items in `repr`.
const REPR_ITEMS: usize = 10;

fn repr_of(value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value.repr()?.to_cow()?.into_owned())
}

/// `==` for record classes: `NotImplemented` for other types, as Python expects.
fn equality(py: Python<'_>, equal: Option<bool>) -> Py<PyAny> {
    match equal {
        Some(flag) => flag.into_pyobject(py).map_or_else(
            |_| py.NotImplemented(),
            |flag| flag.to_owned().into_any().unbind(),
        ),
        None => py.NotImplemented(),
    }
}

macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $name:ident { $($field:ident),* $(,)? }
    )*) => {$(
        $(#[$doc])*
        #[pyclass(frozen, module = "cpaas_reseller")]
        pub(crate) struct $name {
            held: Held<core::$name>,
        }

        impl IntoRecord for core::$name {
            fn into_record(self, py: Python<'_>, body: Arc<Body>) -> PyResult<Bound<'_, PyAny>> {
                let held = Held::Own(Box::new((self, body)));
                Ok(Bound::new(py, $name { held })?.into_any())
            }
        }

        #[pymethods]
        impl $name {
            #[classattr]
            const __hash__: Option<Py<PyAny>> = None;

            $(
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.held.get().$field.to_py(py)
                }
            )*

            /// The object exactly as the service sent it: vendor field names, unknown fields
            /// included.
            #[getter]
            fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.held.raw(py)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let fields: Vec<String> = vec![$(
                    format!(concat!(stringify!($field), "={}"), repr_of(&self.held.get().$field.to_py(py)?)?),
                )*];
                Ok(format!(concat!(stringify!($name), "({})"), fields.join(", ")))
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
                equality(py, other.cast::<Self>().ok().map(|other| self.held.get() == other.get().held.get()))
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
            /// The decoded list without its rows, which are in `rows`.
            inner: core::$name,
            rows: Arc<Rows<core::$item>>,
            /// The row objects, made on first access and then kept, so each row is one object.
            objects: PyOnceLock<Vec<Py<$item>>>,
        }

        impl IntoRecord for core::$name {
            fn into_record(mut self, py: Python<'_>, body: Arc<Body>) -> PyResult<Bound<'_, PyAny>> {
                let records = std::mem::take(&mut self.$field);
                let rows = Arc::new(Rows { records, body, key: $wire });
                let list = $name { inner: self, rows, objects: PyOnceLock::new() };
                Ok(Bound::new(py, list)?.into_any())
            }
        }

        impl $name {
            fn objects(&self, py: Python<'_>) -> PyResult<&Vec<Py<$item>>> {
                self.objects.get_or_try_init(py, || {
                    (0..self.rows.records.len())
                        .map(|index| {
                            let held = Held::Row { rows: Arc::clone(&self.rows), index };
                            Py::new(py, $item { held }).map(untracked)
                        })
                        .collect()
                })
            }
        }

        #[pymethods]
        impl $name {
            #[classattr]
            const __hash__: Option<Py<PyAny>> = None;

            #[getter]
            fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
                PyList::new(py, self.objects(py)?.iter().map(|item| item.clone_ref(py)))
            }

            /// The body exactly as the service sent it: vendor field names, unknown fields
            /// included.
            #[getter]
            fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.rows.body.json(py)
            }

            fn __len__(&self) -> usize {
                self.rows.records.len()
            }

            fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
                self.$field(py)?.try_iter()
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let shown = if self.rows.records.len() <= REPR_ITEMS {
                    repr_of(self.$field(py)?.as_any())?
                } else {
                    format!(concat!("[<{} ", stringify!($item), " records>]"), self.rows.records.len())
                };
                Ok(format!(concat!(stringify!($name), "(", stringify!($field), "={})"), shown))
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
                equality(py, other.cast::<Self>().ok().map(|other| {
                    let other = other.get();
                    self.inner == other.inner && self.rows.records == other.rows.records
                }))
            }
        }
    )*};
}

/// One class per row of the core's record table: `record` rows get an attribute per field,
/// `list` rows (one field, a list of records) are iterable; `register` adds every class to the
/// module.
macro_rules! classes {
    ($(
        $(#[$doc:meta])*
        $kind:ident $record:ident {
            $( $(#[$fdoc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], )*
        }
    )*) => {
        $( classes!(@$kind $(#[$doc])* $record { $($field $wire [$($key)*],)* }); )*

        /// Adds every record class to the module.
        pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
            $(module.add_class::<$record>()?;)*
            Ok(())
        }
    };
    (@record $(#[$doc:meta])* $record:ident { $($field:ident $wire:literal [$($key:tt)*],)* }) => {
        records! { $(#[$doc])* $record { $($field),* } }
    };
    (@list $(#[$doc:meta])* $list:ident { $field:ident $wire:literal [list record $item:ident], }) => {
        lists! { $(#[$doc])* $list { $field: $item = $wire } }
    };
}

cpaas_reseller::for_each_record!(classes);
