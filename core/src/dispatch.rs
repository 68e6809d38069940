//! The client's operation methods and dispatch by vendor name, expanded from the operation
//! table ([`for_each_operation!`](crate::for_each_operation)). Kept apart from `catalogue.rs`,
//! which only describes operations, so the client depends on the catalogue and not the reverse.

use crate::client::Client;
use crate::{Error, Result, ValidationError};
use serde::Serialize;

macro_rules! status_doc {
    (documented) => {
        "Documented by the vendor."
    };
    (inferred) => {
        "**Inferred**: the vendor publishes no page for this method; its name and fields follow the \
         vendor's naming style and may need correcting against the live service."
    };
}

macro_rules! retry_doc {
    (mutating) => {
        "Changes state: retried only when the request provably never reached the service; an \
         ambiguous failure is reported with `outcome_unknown` and never replayed."
    };
    (read) => {
        "Read-only: retried on connect errors, timeouts and 500/502/503/504 within the retry policy."
    };
}

macro_rules! dispatch {
    ($(
        $(#[$doc:meta])*
        $area:ident $method:ident => $function:ident -> $output:ty [$($key:tt)*], $kind:ident, $status:ident;
    )*) => {
        impl Client {
            /// Calls an operation of the catalogue by vendor name with a JSON input that uses the
            /// vendor's field names, through the typed path: the input is decoded into the
            /// operation's request (an unknown or mistyped field is a validation error), validated,
            /// sent, and the typed result is encoded back to JSON (`null` for operations without a
            /// result). Unlike [`Client::call`], it reaches only catalogued methods and loses nothing
            /// the typed records keep. For CLIs, bulk jobs and bindings that dispatch by name.
            pub async fn invoke(&self, method: &str, input: serde_json::Value) -> Result<serde_json::Value> {
                match method {
                    $( stringify!($method) => {
                        let request: crate::requests::$method = decode_input(method, input)?;
                        let output = self.send(&request).await?;
                        encode_output(method, &output)
                    } )*
                    _ => Err(Error::validation(
                        "method",
                        format!("{method:?} is not in the catalogue (use Client::call for other methods)"),
                    )),
                }
            }
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("Vendor method `", stringify!($method), "`. ", status_doc!($status))]
                ///
                #[doc = retry_doc!($kind)]
                pub async fn $function(&self, request: &crate::requests::$method) -> Result<$output> {
                    self.send(request).await
                }
            )*
        }
    };
}

crate::for_each_operation!(dispatch);

fn decode_input<T: serde::de::DeserializeOwned>(
    method: &str,
    input: serde_json::Value,
) -> Result<T> {
    let input = match input {
        serde_json::Value::Null => serde_json::Value::Object(serde_json::Map::new()),
        other => other,
    };
    serde_json::from_value(input).map_err(|error| {
        Error::Validation(ValidationError {
            method: Some(method.to_owned()),
            field: field_of(&error.to_string()).unwrap_or("input").to_owned(),
            message: error.to_string(),
        })
    })
}

/// The field a serde message names (`missing field `AccountId``, `unknown field `Foo``).
fn field_of(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    Some(&message[start..end])
}

fn encode_output<T: Serialize>(method: &str, output: &T) -> Result<serde_json::Value> {
    serde_json::to_value(output).map_err(|error| {
        Error::Validation(ValidationError {
            method: Some(method.to_owned()),
            field: "output".to_owned(),
            message: error.to_string(),
        })
    })
}
