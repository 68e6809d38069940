//! Wire formats: exact money, UTC dates in both of the service's notations, and the macros that
//! give records and enumerations their lossless decoders.

use chrono::{DateTime, Datelike, SecondsFormat, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// Turns a wire adapter into the value a record field holds.
pub(crate) trait Adapter<T> {
    fn into_inner(self) -> T;
}

/// Money decoded from a JSON number or string without ever passing through a binary float:
/// the value's raw text is borrowed from the body and parsed as a decimal, which is also what
/// keeps 200,000-row reports fast (no per-number allocation).
pub(crate) struct Money(Decimal);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        Decimal::from_str_exact(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map(Money)
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(text), &"a decimal amount"))
    }
}

impl Adapter<Decimal> for Money {
    fn into_inner(self) -> Decimal {
        self.0
    }
}

impl Adapter<Option<Decimal>> for Option<Money> {
    fn into_inner(self) -> Option<Decimal> {
        self.map(|m| m.0)
    }
}

/// A UTC instant decoded from ISO 8601 / RFC 3339 or from WCF's `/Date(ms)/` form.
pub(crate) struct Date(DateTime<Utc>);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 date or /Date(ms)/")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Date, E> {
                parse_date(value).map(Date).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

impl Adapter<DateTime<Utc>> for Date {
    fn into_inner(self) -> DateTime<Utc> {
        self.0
    }
}

impl Adapter<Option<DateTime<Utc>>> for Option<Date> {
    fn into_inner(self) -> Option<DateTime<Utc>> {
        self.map(|d| d.0)
    }
}

/// Parses the date notations the service may send, always yielding UTC.
///
/// Accepted: RFC 3339 with any offset (`2026-01-31T00:00:00Z`, `...+01:00`), ISO 8601 without an
/// offset (taken as UTC, as .NET emits `DateTimeKind.Unspecified`), a bare date (`2026-01-31`), and
/// WCF's `/Date(1767139200000)/` or `/Date(1767139200000+0100)/` (the offset only says where it was
/// rendered; the milliseconds are already UTC). Years outside 1..=9999 are an error.
pub fn parse_date(text: &str) -> Result<DateTime<Utc>, String> {
    let date = parse_any_date(text)?;
    // .NET's DateTime range, which is also what RFC 3339 (four-digit years) and every binding's
    // date type can hold: anything outside cannot come from the service and could not be
    // written back.
    if !(1..=9999).contains(&date.year()) {
        return Err(format!(
            "date out of range {:?}: years 1 to 9999 only",
            text.trim()
        ));
    }
    Ok(date)
}

fn parse_any_date(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Some(date) = parse_canonical(text) {
        return Ok(date);
    }
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        let digits_end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map_or(inner.len(), |(index, _)| index);
        let millis: i64 = inner[..digits_end]
            .parse()
            .map_err(|_| format!("invalid WCF date {text:?}"))?;
        return Utc
            .timestamp_millis_opt(millis)
            .single()
            .ok_or_else(|| format!("WCF date out of range {text:?}"));
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Ok(date.with_timezone(&Utc));
    }
    if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(naive.and_utc());
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    Err(format!(
        "invalid date {text:?}: expected ISO 8601 or /Date(ms)/"
    ))
}

/// The form the service sends most, `2026-01-31T00:00:00Z`, read by position: large reports
/// hold one per row.
fn parse_canonical(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    let time = chrono::NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    Some(day.and_time(time).and_utc())
}

/// Renders a date as the service expects it: `2026-01-31T00:00:00Z`.
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub(crate) fn serialize_date<S: Serializer>(date: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(date))
}

pub(crate) fn serialize_opt_date<S: Serializer>(
    date: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serialize_date(date, s),
        None => s.serialize_none(),
    }
}

pub(crate) fn deserialize_date<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    Date::deserialize(d).map(|date| date.0)
}

pub(crate) fn deserialize_opt_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<Date>::deserialize(d).map(|date| date.map(|d| d.0))
}

/// Money goes out as a JSON number with its exact decimal text (`12.50`).
pub(crate) fn serialize_money<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    rust_decimal::serde::arbitrary_precision::serialize(amount, s)
}

/// A map key or string borrowed from the input where possible, so decoding large reports does
/// not allocate per key.
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Decodes a success body. Records decode from JSON; operations without a result accept an
/// empty body, `null` or an object.
pub trait Decode: Sized {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error>;
}

impl Decode for () {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match serde_json::from_slice::<serde_json::Value>(body)? {
            serde_json::Value::Null | serde_json::Value::Object(_) => Ok(()),
            other => Err(de::Error::invalid_type(
                de::Unexpected::Other(kind(&other)),
                &"an empty body",
            )),
        }
    }
}

impl Decode for serde_json::Value {
    fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_str(utf8(body)?)
    }
}

/// Checks the whole body as UTF-8 once, so the JSON parser need not re-check every string
/// (the biggest single cost when decoding large reports).
pub(crate) fn utf8(body: &[u8]) -> Result<&str, serde_json::Error> {
    std::str::from_utf8(body).map_err(|error| {
        de::Error::custom(format!(
            "the body is not valid UTF-8 (at byte {})",
            error.valid_up_to()
        ))
    })
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Expands the record table ([`for_each_record!`](crate::for_each_record)) into the core's
/// records: each row goes through [`record_fields!`], which gives each field the wire adapter and
/// serializer its type key calls for, then to [`record!`].
macro_rules! records {
    ($( $(#[$meta:meta])* $kind:ident $name:ident { $($fields:tt)* } )*) => {
        $( $crate::wire::record_fields! { [$(#[$meta])* pub struct $name] [] $($fields)* } )*
    };
}

/// Rewrites one record's table fields, one at a time, into [`record!`]'s fields: dates get
/// their serializer and the `Date` adapter, money the `Money` adapter.
macro_rules! record_fields {
    ([$($head:tt)*] [$($done:tt)*]) => {
        $crate::wire::record! { $($head)* { $($done)* } }
    };
    ([$($head:tt)*] [$($done:tt)*]
        $(#[$doc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [date], $($rest:tt)*) => {
        $crate::wire::record_fields! { [$($head)*] [$($done)*
            $(#[$doc])*
            #[serde(serialize_with = "crate::wire::serialize_date")]
            $wire $presence $field: $ty [date] as $crate::wire::Date,
        ] $($rest)* }
    };
    ([$($head:tt)*] [$($done:tt)*]
        $(#[$doc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [opt date], $($rest:tt)*) => {
        $crate::wire::record_fields! { [$($head)*] [$($done)*
            $(#[$doc])*
            #[serde(serialize_with = "crate::wire::serialize_opt_date")]
            $wire $presence $field: $ty [opt date] as Option<$crate::wire::Date>,
        ] $($rest)* }
    };
    ([$($head:tt)*] [$($done:tt)*]
        $(#[$doc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [money], $($rest:tt)*) => {
        $crate::wire::record_fields! { [$($head)*] [$($done)*
            $(#[$doc])* $wire $presence $field: $ty [money] as $crate::wire::Money,
        ] $($rest)* }
    };
    ([$($head:tt)*] [$($done:tt)*]
        $(#[$doc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [opt money], $($rest:tt)*) => {
        $crate::wire::record_fields! { [$($head)*] [$($done)*
            $(#[$doc])* $wire $presence $field: $ty [opt money] as Option<$crate::wire::Money>,
        ] $($rest)* }
    };
    ([$($head:tt)*] [$($done:tt)*]
        $(#[$doc:meta])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], $($rest:tt)*) => {
        $crate::wire::record_fields! { [$($head)*] [$($done)*
            $(#[$doc])* $wire $presence $field: $ty [$($key)*],
        ] $($rest)* }
    };
}

/// Declares a response record whose decoder keeps every field it does not know in `extra`.
///
/// Each field names its wire spelling, whether the service must send it (`required`) or may
/// omit it (`optional`, decoded as its type's default), its type key, and optionally the wire
/// adapter that decodes it (money, dates). The generated decoder reads the map once, without
/// buffering.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*] $(as $adapter:ty)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire)]
                pub $field: $ty,
            )*
            /// Fields the service sent that this version does not know, exactly as received.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        $( $crate::tables::key_agrees!($ty, [$($key)*]); )*

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct RecordVisitor;
                impl<'de> serde::de::Visitor<'de> for RecordVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $field: Option<$ty> = None; )*
                        let mut extra = serde_json::Map::new();
                        while let Some($crate::wire::Text(key)) = map.next_key()? {
                            match key.as_ref() {
                                $( $wire => $field = Some($crate::wire::record!(@value map $ty $(, $adapter)?)), )*
                                _ => {
                                    let value: serde_json::Value = map.next_value()?;
                                    extra.insert(key.into_owned(), value);
                                }
                            }
                        }
                        Ok($name {
                            $( $field: $crate::wire::record!(@finish $presence $field $wire A), )*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(RecordVisitor)
            }
        }

        impl $crate::wire::Decode for $name {
            fn decode(body: &[u8]) -> Result<Self, serde_json::Error> {
                serde_json::from_str($crate::wire::utf8(body)?)
            }
        }
    };
    (@value $map:ident $ty:ty) => { $map.next_value::<$ty>()? };
    (@value $map:ident $ty:ty, $adapter:ty) => {
        <$adapter as $crate::wire::Adapter<$ty>>::into_inner($map.next_value::<$adapter>()?)
    };
    (@finish required $field:ident $wire:literal $access:ident) => {
        $field.ok_or_else(|| <$access::Error as serde::de::Error>::missing_field($wire))?
    };
    (@finish optional $field:ident $wire:literal $access:ident) => { $field.unwrap_or_default() };
}

/// Expands the enumeration table ([`for_each_string_enum!`](crate::for_each_string_enum)) into
/// the core's enumerations.
macro_rules! string_enums {
    ($( $(#[$meta:meta])* $name:ident { $($variant:ident),* $(,)? } )*) => {
        $( $crate::wire::string_enum! { $(#[$meta])* pub enum $name { $($variant),* } } )*
    };
}

/// Declares a string enumeration that decodes values it does not know into `Unknown`, so a
/// service that adds a value never breaks a call.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, kept exactly as the service sent it.
            Unknown(String),
        }

        impl $name {
            /// Every value this version knows.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => stringify!($variant), )*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether this is a value the vendor's contract lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( stringify!($variant) => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let $crate::wire::Text(text) = $crate::wire::Text::deserialize(d)?;
                Ok(Self::from(text.as_ref()))
            }
        }
    };
}

pub(crate) use {record, record_fields, records, string_enum, string_enums};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_date_notation_as_utc() {
        let expected = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single();
        for text in [
            "2026-01-01T00:00:00Z",
            "2026-01-01T01:00:00+01:00",
            "2026-01-01T00:00:00",
            "2026-01-01",
            "/Date(1767225600000)/",
            "/Date(1767225600000+0100)/",
        ] {
            assert_eq!(parse_date(text).ok(), expected, "{text}");
        }
        assert!(parse_date("/Date(abc)/").is_err());
        assert!(parse_date("31/01/2026").is_err());
        assert_eq!(parse_date("/Date(-1000)/").map(|d| d.timestamp()), Ok(-1));
        // Found by fuzzing: outside years 1..=9999 a date cannot be written back as RFC 3339.
        for outside in [
            "-9999-12-31",
            "0000-01-01",
            "/Date(253402300800000)/",
            "+10000-01-01T00:00:00Z",
        ] {
            assert!(parse_date(outside).is_err(), "{outside}");
        }
        assert!(parse_date("9999-12-31T23:59:59.999Z").is_ok());
        assert!(parse_date("0001-01-01").is_ok());
    }
}
