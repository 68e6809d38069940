//! A wrapper that keeps secrets out of `Debug`, logs and error text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A secret string (an API password, a new user's password).
///
/// `Debug` prints `Secret(***)` and there is no `Display`, so a secret cannot leak through
/// formatting, `tracing` fields or error messages. The value is only read where it goes on the
/// wire: the Basic credentials, or the request body field it belongs to.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call it only to put the value on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty (validation needs this without exposing the value).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(
            format!("{:#?}", Some(&secret)),
            "Some(\n    Secret(***),\n)"
        );
    }
}
