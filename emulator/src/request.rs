//! Typed reading of a request body's fields, with the vendor's 400 for anything missing or of
//! the wrong type. Unknown fields are ignored, as the service does; `null` counts as absent.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::wire;

/// The message WCF gives when the body is missing.
pub(crate) const NULL_REQUEST: &str = "Value cannot be null. Parameter name: request";

/// A request body, checked to be a JSON object.
pub(crate) struct Fields {
    map: Map<String, Value>,
}

impl Fields {
    /// Parses the body. A missing body (empty or `null`) is the vendor's "Value cannot be null"
    /// error unless the method has no required field, where it means "no filters".
    pub(crate) fn parse(body: &[u8], requires_body: bool) -> ApiResult<Fields> {
        let blank = body.iter().all(u8::is_ascii_whitespace);
        let value = if blank {
            Value::Null
        } else {
            serde_json::from_slice::<Value>(body).map_err(|e| {
                ApiError::argument(format!("The request body is not valid JSON: {e}."))
            })?
        };
        match value {
            Value::Object(map) => Ok(Fields { map }),
            Value::Null if !requires_body => Ok(Fields { map: Map::new() }),
            Value::Null => Err(ApiError::argument(NULL_REQUEST)),
            _ => Err(ApiError::argument(
                "The request body must be a JSON object.",
            )),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    pub(crate) fn i32(&self, name: &str) -> ApiResult<Option<i32>> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| ApiError::argument(format!("{name} must be a 32-bit integer.")))
    }

    pub(crate) fn req_i32(&self, name: &str) -> ApiResult<i32> {
        self.i32(name)?.ok_or_else(|| required(name))
    }

    pub(crate) fn string(&self, name: &str) -> ApiResult<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::argument(format!("{name} must be a string."))),
        }
    }

    /// A required string: present, a string, and not blank.
    pub(crate) fn req_string(&self, name: &str) -> ApiResult<String> {
        match self.string(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(required(name)),
        }
    }

    /// An optional string that, when given, must not be blank (e.g. a new name).
    pub(crate) fn non_blank(&self, name: &str) -> ApiResult<Option<String>> {
        match self.string(name)? {
            Some(s) if s.trim().is_empty() => {
                Err(ApiError::argument(format!("{name} must not be empty.")))
            }
            other => Ok(other),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::argument(format!("{name} must be true or false."))),
        }
    }

    pub(crate) fn req_money(&self, name: &str) -> ApiResult<Decimal> {
        let value = self.get(name).ok_or_else(|| required(name))?;
        wire::parse_money(value).ok_or_else(|| {
            ApiError::argument(format!(
                "{name} must be a decimal amount (a JSON number or a string such as \"12.50\")."
            ))
        })
    }

    pub(crate) fn date(&self, name: &str) -> ApiResult<Option<DateTime<Utc>>> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        value
            .as_str()
            .and_then(wire::parse_date)
            .map(Some)
            .ok_or_else(|| {
                ApiError::argument(format!(
                    "{name} must be an ISO 8601 date such as 2026-01-31T00:00:00Z."
                ))
            })
    }

    pub(crate) fn req_date(&self, name: &str) -> ApiResult<DateTime<Utc>> {
        self.date(name)?.ok_or_else(|| required(name))
    }
}

fn required(name: &str) -> ApiError {
    ApiError::argument(format!("{name} is required."))
}
