//! Result records and enumerations, mirroring the core's field for field.
//!
//! Each record carries `extra_json`: the fields the service sent that this version does not know,
//! as JSON object text (`{}` when none) with every value as received, numbers digit for digit
//! (keys in sorted order), so nothing is lost. Each
//! enumeration has an `Unknown { value }` case that keeps a value this version does not know.

use crate::dates::to_system_time;
use crate::money::Money;
use chrono::{DateTime, Utc};
use cpaas_reseller::records as core;
use rust_decimal::Decimal;
use std::time::SystemTime;

/// Converts a core value into the facade's.
pub(crate) trait ToFacade {
    type Facade;
    fn to_facade(self) -> Self::Facade;
}

macro_rules! same_on_both_sides {
    ($($ty:ty),*) => {
        $( impl ToFacade for $ty {
            type Facade = $ty;
            fn to_facade(self) -> $ty { self }
        } )*
    };
}

same_on_both_sides!((), i32, i64, bool, String);

impl ToFacade for Decimal {
    type Facade = Money;
    fn to_facade(self) -> Money {
        Money(self)
    }
}

impl ToFacade for DateTime<Utc> {
    type Facade = SystemTime;
    fn to_facade(self) -> SystemTime {
        to_system_time(self)
    }
}

impl<T: ToFacade> ToFacade for Option<T> {
    type Facade = Option<T::Facade>;
    fn to_facade(self) -> Self::Facade {
        self.map(ToFacade::to_facade)
    }
}

impl<T: ToFacade> ToFacade for Vec<T> {
    type Facade = Vec<T::Facade>;
    fn to_facade(self) -> Self::Facade {
        self.into_iter().map(ToFacade::to_facade).collect()
    }
}

/// The unknown fields of a record as JSON object text.
fn extra_json(extra: serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::Value::Object(extra).to_string()
}

/// The facade type for a type key of the core's tables (see `cpaas_reseller::tables`): money
/// as [`Money`], dates as `SystemTime`, secrets as [`Secret`](crate::Secret), enumerations and
/// records as the facade's own of the same name.
macro_rules! facade_type {
    (opt $($key:tt)+) => { Option<$crate::records::facade_type!($($key)+)> };
    (list $($key:tt)+) => { Vec<$crate::records::facade_type!($($key)+)> };
    (i32) => { i32 };
    (i64) => { i64 };
    (bool) => { bool };
    (string) => { String };
    (money) => { $crate::money::Money };
    (date) => { std::time::SystemTime };
    (secret) => { $crate::secret::Secret };
    (unit) => { () };
    (enum $name:ident) => { $crate::records::$name };
    (record $name:ident) => { $crate::records::$name };
}

pub(crate) use facade_type;

/// Declares a facade enumeration for each core string enumeration of the table, with
/// conversions both ways and `wire_value()`, the vendor's spelling.
macro_rules! string_enums {
    ($( $(#[$meta:meta])* $name:ident { $($variant:ident),* $(,)? } )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $( $variant, )*
            /// A value this version does not know, exactly as the service sent it.
            Unknown { value: String },
        }

        #[uniffi::export]
        impl $name {
            /// The vendor's spelling of the value (`Active`, or the unknown value as sent).
            pub fn wire_value(&self) -> String {
                match self {
                    $( Self::$variant => stringify!($variant).to_owned(), )*
                    Self::Unknown { value } => value.clone(),
                }
            }
        }

        impl ToFacade for core::$name {
            type Facade = $name;
            fn to_facade(self) -> $name {
                match self {
                    $( core::$name::$variant => $name::$variant, )*
                    core::$name::Unknown(value) => $name::Unknown { value },
                }
            }
        }

        impl From<$name> for core::$name {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => core::$name::$variant, )*
                    // Through `From<&str>`, so an "unknown" value the core does know maps to it.
                    $name::Unknown { value } => core::$name::from(value.as_str()),
                }
            }
        }
    )*};
}

cpaas_reseller::for_each_string_enum!(string_enums);

/// Declares a facade record for each core record of the table, with the same fields (in the
/// facade's types) plus `extra_json`, and its conversion.
macro_rules! records {
    ($(
        $(#[$meta:meta])*
        $kind:ident $name:ident {
            $( $(#[$fmeta:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], )*
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: facade_type!($($key)*), )*
            /// Fields the service sent that this version does not know, as JSON object text
            /// (`{}` when none); values as received, numbers digit for digit.
            pub extra_json: String,
        }

        impl ToFacade for core::$name {
            type Facade = $name;
            fn to_facade(self) -> $name {
                $name {
                    $( $field: self.$field.to_facade(), )*
                    extra_json: extra_json(self.extra),
                }
            }
        }
    )*};
}

cpaas_reseller::for_each_record!(records);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use cpaas_reseller::Decode;

    #[test]
    fn records_keep_unknown_fields_and_values() {
        let body = br#"{"AccountId":1001,"Status":"PendingReview","CreatedDate":"2026-01-31T09:30:00Z","Tags":{"limits":[1,2.50]}}"#;
        let account = core::Account::decode(body).unwrap().to_facade();
        assert_eq!(account.account_id, 1001);
        assert_eq!(
            account.status,
            Some(AccountStatus::Unknown {
                value: "PendingReview".into()
            })
        );
        assert_eq!(account.extra_json, r#"{"Tags":{"limits":[1,2.50]}}"#);
        let created = DateTime::<Utc>::from(account.created_date.unwrap());
        assert_eq!(created.to_rfc3339(), "2026-01-31T09:30:00+00:00");
    }

    #[test]
    fn enums_convert_both_ways_by_spelling() {
        assert_eq!(
            core::AccountStatus::from(AccountStatus::Unknown {
                value: "Active".into()
            }),
            core::AccountStatus::Active
        );
        assert_eq!(AccountStatus::Suspended.wire_value(), "Suspended");
        assert_eq!(
            core::NumberType::Unknown("Premium".into()).to_facade(),
            NumberType::Unknown {
                value: "Premium".into()
            }
        );
    }

    /// A JSON value of the kind a type key stands for.
    macro_rules! sample {
        (opt $($key:tt)+) => { sample!($($key)+) };
        (list $($key:tt)+) => { serde_json::json!([]) };
        (i32) => { serde_json::json!(7) };
        (i64) => { serde_json::json!(7) };
        (bool) => { serde_json::json!(true) };
        (string) => { serde_json::json!("text") };
        (money) => { serde_json::json!(1.25) };
        (date) => { serde_json::json!("2026-01-31T09:30:00Z") };
        (enum $name:ident) => { serde_json::json!("Value") };
    }

    /// For every record of the core's table: a body with every field decodes with nothing left
    /// over in `extra`, and the facade record shows every field. A facade that dropped or renamed
    /// a field of the table fails here.
    macro_rules! every_field_reaches_the_facade {
        ($(
            $(#[$meta:meta])*
            $kind:ident $name:ident {
                $( $(#[$fmeta:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], )*
            }
        )*) => {
            #[test]
            fn every_table_field_reaches_the_facade() {
                let mut checked = 0;
                $(
                    let mut body = serde_json::Map::new();
                    $( body.insert($wire.to_owned(), sample!($($key)*)); )*
                    let body = serde_json::Value::Object(body).to_string();
                    let record = core::$name::decode(body.as_bytes()).unwrap().to_facade();
                    assert_eq!(record.extra_json, "{}", "{}", stringify!($name));
                    // The facade's own fields, as `{:#?}` shows them (four spaces in).
                    let shown = format!("{record:#?}");
                    let facade: Vec<&str> = shown
                        .lines()
                        .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
                        .filter_map(|line| line.trim().split_once(':').map(|(name, _)| name))
                        .collect();
                    assert_eq!(facade, [$(stringify!($field),)* "extra_json"], "{shown}");
                    checked += 1;
                )*
                assert_eq!(checked, [$(stringify!($name)),*].len());
            }
        };
    }

    cpaas_reseller::for_each_record!(every_field_reaches_the_facade);
}
