//! Wire formats shared by every operation: dates and exact money.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

/// The one date format the emulator writes: ISO 8601, UTC, whole seconds (`2026-01-31T00:00:00Z`).
pub(crate) fn format_date(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Now, cut to whole seconds so that what is stored is exactly what is sent.
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// Parses a request date: ISO 8601 with or without an offset (no offset means UTC), a bare date
/// (midnight UTC), or the WCF form `/Date(1767139200000)/` with an optional `+hhmm` suffix
/// (which WCF uses for display only: the milliseconds are already UTC).
pub(crate) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        let digits_end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map_or(inner.len(), |(i, _)| i);
        let millis = inner.get(..digits_end)?.parse::<i64>().ok()?;
        return Utc.timestamp_millis_opt(millis).single();
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(naive.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

/// Reads money exactly from a JSON number (its text is kept thanks to serde_json's
/// `arbitrary_precision`) or a JSON string; never through a binary float.
pub(crate) fn parse_money(value: &Value) -> Option<Decimal> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    if text.is_empty() || text.trim() != text {
        return None;
    }
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(&text).ok()
    } else {
        Decimal::from_str(&text).ok()
    }
}

/// Serde adapter writing dates in [`format_date`]'s form.
pub(crate) mod date {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub(crate) fn serialize<S: Serializer>(date: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(date))
    }
}

/// Serde adapter writing optional dates in [`format_date`]'s form (`null` when absent).
pub(crate) mod date_option {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub(crate) fn serialize<S: Serializer>(
        date: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&super::format_date(d)),
            None => s.serialize_none(),
        }
    }
}

/// Money as a JSON number whose text is the exact decimal (`12.50`, not `12.5`).
pub(crate) use rust_decimal::serde::arbitrary_precision as money;

/// A decimal as an exact JSON number value (for hand-built JSON such as the state dump).
pub(crate) fn money_value(amount: &Decimal) -> Value {
    serde_json::Number::from_str(&amount.to_string()).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_every_accepted_form() {
        let expected = "2026-01-01T00:00:00Z";
        for text in [
            "2026-01-01T00:00:00Z",
            "2026-01-01T01:00:00+01:00",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01T00:00:00",
            "2026-01-01",
            "/Date(1767225600000)/",
            "/Date(1767225600000+0100)/",
        ] {
            let parsed = parse_date(text).unwrap();
            assert_eq!(format_date(&parsed), expected, "{text}");
        }
        assert_eq!(
            format_date(&parse_date("/Date(-86400000)/").unwrap()),
            "1969-12-31T00:00:00Z"
        );
        for bad in ["", "2026-13-01", "/Date(abc)/", "tomorrow"] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn money_reads_exactly_from_numbers_and_strings() {
        let number: Value = serde_json::from_str("12.50").unwrap();
        assert_eq!(parse_money(&number).unwrap().to_string(), "12.50");
        let string = Value::String("0.1".into());
        assert_eq!(parse_money(&string).unwrap().to_string(), "0.1");
        let scientific: Value = serde_json::from_str("1.5e2").unwrap();
        assert_eq!(parse_money(&scientific).unwrap().to_string(), "150");
        assert!(parse_money(&Value::Bool(true)).is_none());
        assert!(parse_money(&Value::String("1,00".into())).is_none());
        assert_eq!(
            money_value(&Decimal::new(1250, 2)).to_string(),
            "12.50",
            "written with its exact text"
        );
    }
}
