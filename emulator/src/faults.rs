//! Faults injected on demand: what the next N matching calls do instead of (or as well as)
//! their normal work. Faults are consumed first in, first out by each matching call.

use std::collections::VecDeque;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// One injected fault: for calls to `method` (any vendor method when `None`), the next
/// `times` calls (default 1) behave as `kind` says.
///
/// JSON form (the control endpoint's): `{"method":"AllocateCredit","times":1,"kind":"status","status":504,"apply":true}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub method: Option<String>,
    pub times: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
}

/// What a faulted call does. `apply` says whether the operation is carried out on the state
/// before the fault answers (a 504 or a dropped connection after the change was made).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer `status` with the vendor's error body (JSON or XML per `Accept`).
    Status { status: u16, apply: bool },
    /// Sleep, then handle the call normally.
    Delay { millis: u64 },
    /// Close the connection without a complete response.
    Drop { apply: bool },
    /// Answer exactly this status, content type (none when empty) and body.
    Body {
        status: u16,
        content_type: String,
        body: String,
        apply: bool,
    },
    /// Like [`FaultKind::Body`] with arbitrary bytes (invalid UTF-8 included). Its JSON form is a
    /// `body` fault with `body_base64` (standard alphabet, padded) instead of `body`; a separate
    /// variant so that code building `Body` from its four fields keeps compiling.
    #[serde(rename = "body")]
    BodyBytes {
        status: u16,
        content_type: String,
        #[serde(rename = "body_base64", serialize_with = "base64_text")]
        body: Vec<u8>,
        apply: bool,
    },
    /// The real JSON response cut in half, status 200, `application/json`.
    Truncated { apply: bool },
    /// A WCF XML fault with this status (not applied).
    Xml { status: u16 },
    /// An IIS/gateway-style HTML error page with this status (not applied).
    Html { status: u16 },
    /// A valid 200 JSON response padded to about `bytes` bytes (not applied).
    Large { bytes: usize },
}

impl Fault {
    /// A fault for the next call of `method`.
    pub fn once(method: &str, kind: FaultKind) -> Fault {
        Fault {
            method: Some(method.to_owned()),
            times: 1,
            kind,
        }
    }

    /// Reads the JSON form. Written by hand rather than derived because serde's flatten and
    /// internally tagged enums cannot read numbers under serde_json's `arbitrary_precision`,
    /// which this workspace enables.
    pub fn from_value(value: &Value) -> Result<Fault, String> {
        let map = value
            .as_object()
            .ok_or_else(|| "a fault must be a JSON object".to_owned())?;
        let method = match map.get("method") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err("method must be a string or null".to_owned()),
        };
        let times = match map.get("times") {
            None | Some(Value::Null) => 1,
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| "times must be a non-negative integer".to_owned())?,
        };
        Ok(Fault {
            method,
            times,
            kind: FaultKind::from_map(map)?,
        })
    }
}

fn base64_text<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn number<T: TryFrom<u64>>(map: &Map<String, Value>, name: &str) -> Result<T, String> {
    map.get(name)
        .and_then(Value::as_u64)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{name} is required and must be a non-negative integer in range"))
}

fn flag(map: &Map<String, Value>, name: &str) -> Result<bool, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("{name} must be true or false")),
    }
}

fn text(map: &Map<String, Value>, name: &str, default: &str) -> Result<String, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(default.to_owned()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

impl FaultKind {
    fn from_map(map: &Map<String, Value>) -> Result<FaultKind, String> {
        let kind = map
            .get("kind")
            .and_then(Value::as_str)
            .ok_or_else(|| "kind is required".to_owned())?;
        Ok(match kind {
            "status" => FaultKind::Status {
                status: number(map, "status")?,
                apply: flag(map, "apply")?,
            },
            "delay" => FaultKind::Delay {
                millis: number(map, "millis")?,
            },
            "drop" => FaultKind::Drop {
                apply: flag(map, "apply")?,
            },
            "body" => match map.get("body_base64") {
                None | Some(Value::Null) => FaultKind::Body {
                    status: number(map, "status")?,
                    content_type: text(map, "content_type", "application/json")?,
                    body: text(map, "body", "")?,
                    apply: flag(map, "apply")?,
                },
                Some(encoded) => {
                    if !matches!(map.get("body"), None | Some(Value::Null)) {
                        return Err("give body or body_base64, not both".to_owned());
                    }
                    let encoded = encoded
                        .as_str()
                        .ok_or_else(|| "body_base64 must be a string".to_owned())?;
                    FaultKind::BodyBytes {
                        status: number(map, "status")?,
                        content_type: text(map, "content_type", "application/json")?,
                        body: base64::engine::general_purpose::STANDARD
                            .decode(encoded)
                            .map_err(|e| format!("body_base64 is not valid base64: {e}"))?,
                        apply: flag(map, "apply")?,
                    }
                }
            },
            "truncated" => FaultKind::Truncated {
                apply: flag(map, "apply")?,
            },
            "xml" => FaultKind::Xml {
                status: number(map, "status")?,
            },
            "html" => FaultKind::Html {
                status: number(map, "status")?,
            },
            "large" => FaultKind::Large {
                bytes: number(map, "bytes")?,
            },
            other => {
                return Err(format!(
                "unknown kind '{other}' (status, delay, drop, body, truncated, xml, html, large)"
            ))
            }
        })
    }

    /// Whether the status is one hyper can send (100..=999); others would be unanswerable.
    pub(crate) fn status_ok(&self) -> bool {
        match self {
            FaultKind::Status { status, .. }
            | FaultKind::Body { status, .. }
            | FaultKind::BodyBytes { status, .. }
            | FaultKind::Xml { status }
            | FaultKind::Html { status } => (100..=999).contains(status),
            _ => true,
        }
    }
}

impl<'de> Deserialize<'de> for Fault {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Fault::from_value(&value).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for FaultKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let map = value
            .as_object()
            .ok_or_else(|| serde::de::Error::custom("a fault kind must be a JSON object"))?;
        FaultKind::from_map(map).map_err(serde::de::Error::custom)
    }
}

/// Pending faults, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: VecDeque<Fault>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push_back(fault);
        }
    }

    /// The oldest fault matching `method`, counted down by one call.
    pub(crate) fn take(&mut self, method: &str) -> Option<FaultKind> {
        let at = self
            .pending
            .iter()
            .position(|f| f.method.as_deref().is_none_or(|m| m == method))?;
        let fault = self.pending.get_mut(at)?;
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            self.pending.remove(at);
        }
        Some(kind)
    }

    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }

    pub(crate) fn pending(&self) -> Vec<Fault> {
        self.pending.iter().cloned().collect()
    }
}
