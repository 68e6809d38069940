//! Conversions between Python values and the core's types: keyword arguments into request
//! fields, exact money (`decimal.Decimal`, always through its text, never a float), timezone-aware
//! UTC datetimes, and JSON values (non-integral numbers become `Decimal`).

use crate::datetime_api::UtcConstructor;
use crate::errors;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use cpaas_reseller::records::{AccountStatus, NumberType};
use cpaas_reseller::{format_date, Decimal, Secret};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};
use std::str::FromStr;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    UTC.get_or_try_init(py, || {
        Ok(py
            .import("datetime")?
            .getattr("timezone")?
            .getattr("utc")?
            .unbind())
    })
    .map(|utc| utc.bind(py))
}

/// The vendor spelling of a keyword: each `_`-separated word capitalised (`last_name` ->
/// `LastName`, `firstname` -> `Firstname`), as the contract spells its fields.
pub(crate) fn vendor_name(keyword: &str) -> String {
    keyword
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// Where an argument is going, so a rejected value names the operation and the vendor field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) method: &'static str,
    /// The Python keyword (snake_case).
    pub(crate) keyword: &'static str,
    /// The vendor's field name (PascalCase, as on the wire).
    pub(crate) wire: &'static str,
}

impl Field {
    fn invalid(&self, py: Python<'_>, message: impl Into<String>) -> PyErr {
        errors::validation(py, Some(self.method), self.wire, message.into())
    }

    fn wrong_type(&self, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
        let got = value
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |name| name.to_string());
        PyTypeError::new_err(format!(
            "{}: argument {:?} must be {expected}, not {got}",
            self.method, self.keyword
        ))
    }
}

/// A request field type that a Python keyword argument converts into.
pub(crate) trait FromArg: Sized {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self>;
}

/// Converts a required keyword argument.
pub(crate) fn arg<T: FromArg>(value: &Bound<'_, PyAny>, field: Field) -> PyResult<T> {
    if value.is_none() {
        return Err(field.invalid(value.py(), "is required; got None"));
    }
    T::from_arg(value, field)
}

/// Converts an optional keyword argument (`None` or absent leaves the field out of the body).
pub(crate) fn opt_arg<T: FromArg>(
    value: Option<&Bound<'_, PyAny>>,
    field: Field,
) -> PyResult<Option<T>> {
    match value {
        Some(value) if !value.is_none() => T::from_arg(value, field).map(Some),
        _ => Ok(None),
    }
}

impl FromArg for i32 {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
            return Err(field.wrong_type("int", value));
        }
        let wide: i64 = value
            .extract()
            .map_err(|_| field.invalid(value.py(), "is out of range for a 32-bit id"))?;
        i32::try_from(wide)
            .map_err(|_| field.invalid(value.py(), "is out of range for a 32-bit id"))
    }
}

impl FromArg for bool {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        value
            .cast::<PyBool>()
            .map(|flag| flag.is_true())
            .map_err(|_| field.wrong_type("bool", value))
    }
}

impl FromArg for String {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        value
            .cast::<PyString>()
            .map_err(|_| field.wrong_type("str", value))?
            .to_cow()
            .map(std::borrow::Cow::into_owned)
    }
}

impl FromArg for Secret {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        String::from_arg(value, field).map(Secret::from)
    }
}

impl FromArg for AccountStatus {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        String::from_arg(value, field).map(|text| AccountStatus::from(text.as_str()))
    }
}

impl FromArg for NumberType {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        String::from_arg(value, field).map(|text| NumberType::from(text.as_str()))
    }
}

impl FromArg for Decimal {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        let py = value.py();
        let exact = value.is_instance(decimal_type(py)?.as_any())?
            || (value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>());
        if !exact {
            return Err(field.wrong_type("decimal.Decimal or int (never float)", value));
        }
        let text = value.str()?.to_cow()?.into_owned();
        parse_decimal(&text).ok_or_else(|| {
            field.invalid(
                py,
                format!("{text} is not a finite decimal of at most 28 significant digits"),
            )
        })
    }
}

impl FromArg for DateTime<Utc> {
    fn from_arg(value: &Bound<'_, PyAny>, field: Field) -> PyResult<Self> {
        let py = value.py();
        if !value.is_instance(datetime_type(py)?.as_any())? {
            return Err(field.wrong_type("a timezone-aware datetime.datetime", value));
        }
        datetime_from_py(value)?.ok_or_else(|| {
            field.invalid(
                py,
                "is a naive datetime; pass a timezone-aware one (e.g. tzinfo=timezone.utc)",
            )
        })
    }
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text)
        .or_else(|_| Decimal::from_scientific(text))
        .ok()
}

/// The UTC instant of an aware `datetime`, or `None` for a naive one.
fn datetime_from_py(value: &Bound<'_, PyAny>) -> PyResult<Option<DateTime<Utc>>> {
    if value.call_method0("utcoffset")?.is_none() {
        return Ok(None);
    }
    let utc_value = value.call_method1("astimezone", (utc(value.py())?,))?;
    let part = |name: &str| -> PyResult<u32> { utc_value.getattr(name)?.extract() };
    let year: i32 = utc_value.getattr("year")?.extract()?;
    let instant = NaiveDate::from_ymd_opt(year, part("month")?, part("day")?)
        .and_then(|day| {
            day.and_hms_micro_opt(
                part("hour").ok()?,
                part("minute").ok()?,
                part("second").ok()?,
                part("microsecond").ok()?,
            )
        })
        .map(|naive| Utc.from_utc_datetime(&naive));
    instant
        .map(Some)
        .ok_or_else(|| PyValueError::new_err("datetime out of range"))
}

/// Rust values that become Python values (record attributes, JSON).
pub(crate) trait ToPy {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! to_py_direct {
    ($($ty:ty),*) => {$(
        impl ToPy for $ty {
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self.clone().into_pyobject(py)?.to_owned().into_any())
            }
        }
    )*};
}

to_py_direct!(i32, i64, bool);

/// Copied straight from the Rust string (no intermediate clone: a report reads two per row).
impl ToPy for String {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(py, self).into_any())
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|item| item.to_py(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

/// `Decimal(text)` with the text `Display` gives (`0.0350`, `-0.00`: scale and sign kept),
/// written on the stack: the allocation and `fmt` machinery of `to_string` cost as much as
/// CPython's parse of the text.
impl ToPy for Decimal {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut buffer = [0u8; DECIMAL_TEXT_MAX];
        let text = decimal_text(self, &mut buffer);
        decimal_type(py)?.call1((PyString::new(py, text),))
    }
}

/// A sign, 29 digits, a point and a leading `0`, with room to spare.
const DECIMAL_TEXT_MAX: usize = 40;

/// Writes `value` as `Display` does into the end of `buffer` and returns that text.
fn decimal_text<'a>(value: &Decimal, buffer: &'a mut [u8; DECIMAL_TEXT_MAX]) -> &'a str {
    let scale = value.scale() as usize;
    let mut at = buffer.len();
    let mut push = |byte: u8| {
        at -= 1;
        buffer[at] = byte;
    };
    let mut mantissa = value.mantissa().unsigned_abs();
    let mut digits = 0;
    // At least `scale + 1` digits, so `0.0350` gets its leading zeros.
    while mantissa != 0 || digits <= scale {
        if digits == scale && scale > 0 {
            push(b'.');
        }
        // A u64 divides by 10 with a multiply; mantissas of money almost always fit.
        let digit = match u64::try_from(mantissa) {
            Ok(small) => {
                mantissa = u128::from(small / 10);
                small % 10
            }
            Err(_) => {
                let digit = (mantissa % 10) as u64;
                mantissa /= 10;
                digit
            }
        };
        push(b'0' + digit as u8);
        digits += 1;
    }
    if value.is_sign_negative() {
        push(b'-');
    }
    // SAFETY: only ASCII digits, `.` and `-` were written from `at` on (checking it again
    // showed in profiles).
    unsafe { std::str::from_utf8_unchecked(&buffer[at..]) }
}

impl ToPy for DateTime<Utc> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let naive = self.naive_utc();
        let date = (naive.year(), naive.month(), naive.day());
        // chrono may carry a leap second as nanos >= 1e9; Python has no leap seconds.
        let micros = (naive.nanosecond() / 1_000).min(999_999);
        let time = (naive.hour(), naive.minute(), naive.second(), micros);
        let (datetime, utc) = (datetime_type(py)?, utc(py)?);
        match UtcConstructor::get(py, datetime, utc) {
            Some(constructor) => constructor.make(py, date, time),
            None => datetime.call1((date.0, date.1, date.2, time.0, time.1, time.2, time.3, utc)),
        }
    }
}

/// Enumeration values as `str`: the known values as one interned string each (a report holds
/// one per row), `Unknown` as a new string.
macro_rules! to_py_enum {
    ($($ty:ty),*) => {$(
        impl ToPy for $ty {
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                static KNOWN: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();
                let Some(index) = <$ty>::KNOWN.iter().position(|known| known == self) else {
                    return Ok(PyString::new(py, self.as_str()).into_any());
                };
                let known = KNOWN.get_or_init(py, || {
                    <$ty>::KNOWN.iter().map(|known| PyString::intern(py, known.as_str()).unbind()).collect()
                });
                Ok(known[index].bind(py).clone().into_any())
            }
        }
    )*};
}

to_py_enum!(
    AccountStatus,
    NumberType,
    cpaas_reseller::records::ActivityType
);

impl ToPy for Value {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            Value::Null => py.None().into_bound(py),
            Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
            Value::Number(number) => number_to_py(py, number)?,
            Value::String(text) => PyString::new(py, text).into_any(),
            Value::Array(items) => {
                let items = items
                    .iter()
                    .map(|item| item.to_py(py))
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)?.into_any()
            }
            Value::Object(map) => map.to_py(py)?,
        })
    }
}

impl ToPy for Map<String, Value> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        for (key, value) in self {
            dict.set_item(key, value.to_py(py)?)?;
        }
        Ok(dict.into_any())
    }
}

/// Integers become `int` (any size); every other number becomes `Decimal` with the exact text
/// the service sent, so `12.50` stays `Decimal('12.50')`.
fn number_to_py<'py>(py: Python<'py>, number: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(value) = number.as_i64() {
        return Ok(value.into_pyobject(py)?.into_any());
    }
    if let Some(value) = number.as_u64() {
        return Ok(value.into_pyobject(py)?.into_any());
    }
    let text = number.to_string();
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return py.get_type::<PyInt>().call1((text,));
    }
    decimal_type(py)?.call1((text,))
}

/// Converts a Python value into JSON for `call()` bodies and emulator faults: dicts with `str`
/// keys, lists and tuples, `str`, `bool`, `int`, `float`, `Decimal` (exact), aware `datetime`
/// (sent as `2026-01-31T00:00:00Z`) and `None`.
pub(crate) fn py_to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return json_number(&value.str()?.to_cow()?);
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        let float = float.value();
        return Number::from_f64(float)
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("{float} is not a JSON number")));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Value::String(text.to_cow()?.into_owned()));
    }
    if value.is_instance(decimal_type(py)?.as_any())? {
        return json_number(&value.str()?.to_cow()?);
    }
    if value.is_instance(datetime_type(py)?.as_any())? {
        return match datetime_from_py(value)? {
            Some(instant) => Ok(Value::String(format_date(&instant))),
            None => Err(PyValueError::new_err(
                "naive datetime in a JSON body; pass a timezone-aware one",
            )),
        };
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("JSON object keys must be str"))?
                .to_cow()?
                .into_owned();
            map.insert(key, py_to_json(&item)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .map(|item| item.and_then(|item| py_to_json(&item)))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    let got = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string());
    Err(PyTypeError::new_err(format!(
        "{got} cannot be sent as JSON (use dict, list, str, int, Decimal, bool, aware datetime or None)"
    )))
}

/// A JSON number with exactly this text (serde_json keeps the text: `arbitrary_precision`).
fn json_number(text: &str) -> PyResult<Value> {
    Number::from_str(text)
        .map(Value::Number)
        .map_err(|_| PyValueError::new_err(format!("{text} is not a finite JSON number")))
}
