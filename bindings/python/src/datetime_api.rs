//! Aware UTC `datetime`s built through CPython's `datetime` C API, for record attributes that
//! large reports read once per row.
//!
//! The wheel is abi3, where pyo3 exposes no `PyDateTime` API; calling `datetime(y, m, d, ...,
//! tzinfo)` instead builds an 8-item tuple that `datetime.__new__` then parses back with
//! `PyArg_ParseTupleAndKeywords`, the larger part of the conversion in a profile. The C API is
//! the `datetime.datetime_CAPI` capsule (`PyCapsule_Import` is in the stable ABI), a struct
//! CPython's `datetime.h` documents and has only appended to since 3.7: its first eight fields,
//! the ones declared here, are the same in every version the wheel supports (3.9 and later).
//! The capsule is used only if its `DateTimeType` and `TimeZone_UTC` are the very objects
//! `datetime.datetime` and `datetime.timezone.utc`, which a struct of another layout would not
//! hold there; otherwise (or on an interpreter without the capsule) the caller falls back to
//! the Python call.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use std::os::raw::{c_int, c_void};

/// The leading fields of `PyDateTime_CAPI` (CPython `Include/datetime.h`), in order.
/// Only two are read; the others keep the offsets.
#[repr(C)]
struct CapiPrefix {
    _date_type: *mut ffi::PyTypeObject,
    datetime_type: *mut ffi::PyTypeObject,
    _time_type: *mut ffi::PyTypeObject,
    _delta_type: *mut ffi::PyTypeObject,
    _tzinfo_type: *mut ffi::PyTypeObject,
    timezone_utc: *mut ffi::PyObject,
    _date_from_date: *const c_void,
    datetime_from_date_and_time: FromDateAndTime,
}

/// `DateTime_FromDateAndTime(year, month, day, hour, minute, second, usecond, tzinfo, type)`:
/// a new reference, or NULL with an exception set (a year outside 1..=9999, for example).
type FromDateAndTime = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    *mut ffi::PyObject,
    *mut ffi::PyTypeObject,
) -> *mut ffi::PyObject;

/// The checked constructor, with the type and `tzinfo` it is called with (held, so the
/// pointers it is given stay valid).
pub(crate) struct UtcConstructor {
    make: FromDateAndTime,
    datetime: Py<PyType>,
    utc: Py<PyAny>,
}

static CONSTRUCTOR: PyOnceLock<Option<UtcConstructor>> = PyOnceLock::new();

impl UtcConstructor {
    /// The constructor, if this interpreter's capsule passes the check in the module docs.
    pub(crate) fn get(
        py: Python<'_>,
        datetime: &Bound<'_, PyType>,
        utc: &Bound<'_, PyAny>,
    ) -> Option<&'static Self> {
        CONSTRUCTOR
            .get_or_init(py, || {
                // SAFETY: called attached to the interpreter, with a NUL-terminated name.
                let capsule =
                    unsafe { ffi::PyCapsule_Import(c"datetime.datetime_CAPI".as_ptr(), 0) };
                if capsule.is_null() {
                    drop(PyErr::take(py));
                    return None;
                }
                // SAFETY: a capsule of this name holds a `PyDateTime_CAPI`, whose prefix is
                // `CapiPrefix` (module docs); the identity check below confirms it.
                let api = unsafe { &*capsule.cast::<CapiPrefix>() };
                let same =
                    api.datetime_type == datetime.as_type_ptr() && api.timezone_utc == utc.as_ptr();
                same.then(|| Self {
                    make: api.datetime_from_date_and_time,
                    datetime: datetime.clone().unbind(),
                    utc: utc.clone().unbind(),
                })
            })
            .as_ref()
    }

    /// `datetime(year, month, day, hour, minute, second, micros, tzinfo=timezone.utc)`.
    pub(crate) fn make<'py>(
        &self,
        py: Python<'py>,
        date: (i32, u32, u32),
        time: (u32, u32, u32, u32),
    ) -> PyResult<Bound<'py, PyAny>> {
        let part = |value: u32| c_int::try_from(value).unwrap_or(c_int::MAX);
        // SAFETY: attached to the interpreter; the type and tzinfo are alive (held by `self`);
        // out-of-range parts make the constructor raise, not misbehave.
        unsafe {
            let made = (self.make)(
                date.0,
                part(date.1),
                part(date.2),
                part(time.0),
                part(time.1),
                part(time.2),
                part(time.3),
                self.utc.as_ptr(),
                self.datetime.bind(py).as_type_ptr(),
            );
            Bound::from_owned_ptr_or_err(py, made)
        }
    }
}
