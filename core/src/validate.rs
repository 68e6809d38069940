//! Local validation rules, applied before anything is sent.
//!
//! Each check names the field as the vendor spells it, so the error points at the exact
//! parameter. The rules are the contract's: E.164 numbers, an e-mail shape, the password rule
//! (the vendor says "more than 8 characters, complex"; complex is read as at least one letter
//! and one digit), positive amounts and ordered date ranges.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// Implemented by every request: checks the request without sending it.
pub trait Validate {
    fn validate(&self) -> Result<()>;
}

pub(crate) fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(
            field,
            "is required and must not be empty",
        ));
    }
    Ok(())
}

pub(crate) fn optional_text(field: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |value| required(field, value))
}

pub(crate) fn id(field: &str, value: i64) -> Result<()> {
    if value <= 0 {
        return Err(Error::validation(
            field,
            format!("must be a positive id, got {value}"),
        ));
    }
    Ok(())
}

pub(crate) fn optional_id(field: &str, value: Option<i32>) -> Result<()> {
    value.map_or(Ok(()), |value| id(field, value.into()))
}

/// `+` then 8 to 15 digits, the first not 0.
pub(crate) fn e164(field: &str, value: &str) -> Result<()> {
    required(field, value)?;
    let digits = value.strip_prefix('+').unwrap_or("");
    let valid = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !valid {
        return Err(Error::validation(
            field,
            "must be an E.164 number: '+' then 8 to 15 digits, the first not 0",
        ));
    }
    Ok(())
}

pub(crate) fn optional_e164(field: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |value| e164(field, value))
}

/// One `@`, a non-empty local part, a dotted domain, no spaces.
pub(crate) fn email(field: &str, value: &str) -> Result<()> {
    required(field, value)?;
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !valid {
        return Err(Error::validation(field, "must be an e-mail address"));
    }
    Ok(())
}

pub(crate) fn optional_email(field: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |value| email(field, value))
}

/// More than 8 characters, with at least one letter and one digit.
pub(crate) fn password(field: &str, value: &str) -> Result<()> {
    let complex =
        value.chars().any(char::is_alphabetic) && value.chars().any(|c| c.is_ascii_digit());
    if value.chars().count() <= 8 || !complex {
        return Err(Error::validation(
            field,
            "must be more than 8 characters with at least one letter and one digit",
        ));
    }
    Ok(())
}

pub(crate) fn positive_amount(field: &str, value: Decimal) -> Result<()> {
    if value <= Decimal::ZERO {
        return Err(Error::validation(
            field,
            format!("must be greater than 0, got {value}"),
        ));
    }
    Ok(())
}

/// ISO 3166-1 alpha-2: two ASCII capital letters.
pub(crate) fn country_code(field: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(code) if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) => {
            Err(Error::validation(
                field,
                format!("must be an ISO 3166-1 alpha-2 code such as GB, got {code:?}"),
            ))
        }
        _ => Ok(()),
    }
}

/// An IANA name (`Europe/London`, `UTC`): letters, digits and `/_+-`, no spaces.
pub(crate) fn time_zone(field: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(zone)
            if zone.is_empty()
                || !zone
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c)) =>
        {
            Err(Error::validation(
                field,
                format!("must be an IANA time zone such as Europe/London, got {zone:?}"),
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn date_range(
    start_field: &str,
    start: Option<&DateTime<Utc>>,
    end: Option<&DateTime<Utc>>,
) -> Result<()> {
    if let (Some(start), Some(end)) = (start, end) {
        if start > end {
            return Err(Error::validation(
                start_field,
                format!("must not be after EndDate ({start} > {end})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_rule() {
        for ok in ["+447700900123", "+12025550123", "+12345678"] {
            assert!(e164("N", ok).is_ok(), "{ok}");
        }
        for bad in [
            "447700900123",
            "+0447700900",
            "+1234567",
            "+1234567890123456",
            "+44 7700",
            "",
        ] {
            assert!(e164("N", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_rule() {
        assert!(password("P", "abcdefg12").is_ok());
        assert!(
            password("P", "abcdefg1").is_err(),
            "8 characters is not more than 8"
        );
        assert!(password("P", "abcdefghij").is_err(), "needs a digit");
        assert!(password("P", "1234567890").is_err(), "needs a letter");
    }

    #[test]
    fn email_rule() {
        assert!(email("E", "ops@example.com").is_ok());
        for bad in [
            "ops",
            "ops@",
            "@example.com",
            "ops@example",
            "o ps@example.com",
            "a@b@c.com",
        ] {
            assert!(email("E", bad).is_err(), "{bad}");
        }
    }
}
