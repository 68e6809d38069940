//! The contract's value rules, each failing with a 400 that names the field.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::{ApiError, ApiResult};

/// E.164: `+`, then 8 to 15 digits, the first not 0.
pub(crate) fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

pub(crate) fn e164(field: &str, text: &str) -> ApiResult<()> {
    if is_e164(text) {
        Ok(())
    } else {
        Err(ApiError::argument(format!(
            "{field} must be an E.164 number: '+' then 8 to 15 digits, the first not 0 (got '{text}')."
        )))
    }
}

/// An e-mail shape: one `@`, a non-empty local part, a dotted domain, no spaces.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

pub(crate) fn email(field: &str, text: &str) -> ApiResult<()> {
    if is_email(text) {
        Ok(())
    } else {
        Err(ApiError::argument(format!(
            "{field} is not a valid e-mail address."
        )))
    }
}

/// The vendor's "complex" password, made concrete: more than 8 characters, a letter and a digit.
pub(crate) fn password(field: &str, text: &str) -> ApiResult<()> {
    let long_enough = text.chars().count() > 8;
    let letter = text.chars().any(char::is_alphabetic);
    let digit = text.chars().any(|c| c.is_ascii_digit());
    if long_enough && letter && digit {
        Ok(())
    } else {
        Err(ApiError::argument(format!(
            "{field} must be more than 8 characters long and contain at least one letter and one digit."
        )))
    }
}

/// ISO 3166-1 alpha-2 shape; returned upper-cased.
pub(crate) fn country_code(field: &str, text: &str) -> ApiResult<String> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(ApiError::argument(format!(
            "{field} must be an ISO 3166-1 alpha-2 country code (2 letters), got '{text}'."
        )))
    }
}

/// IANA zone shape: `UTC`/`GMT`, or `Area/Location[/More]` of letters, digits, `_`, `+`, `-`.
pub(crate) fn time_zone(field: &str, text: &str) -> ApiResult<()> {
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.starts_with(|c: char| c.is_ascii_alphabetic())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
    };
    let ok = matches!(text, "UTC" | "GMT") || (text.contains('/') && text.split('/').all(part_ok));
    if ok {
        Ok(())
    } else {
        Err(ApiError::argument(format!(
            "{field} must be an IANA time zone name such as Europe/London, got '{text}'."
        )))
    }
}

pub(crate) fn positive(field: &str, amount: Decimal) -> ApiResult<()> {
    if amount > Decimal::ZERO {
        Ok(())
    } else {
        Err(ApiError::argument(format!(
            "{field} must be greater than 0."
        )))
    }
}

pub(crate) fn date_order(start: DateTime<Utc>, end: DateTime<Utc>) -> ApiResult<()> {
    if start <= end {
        Ok(())
    } else {
        Err(ApiError::argument("StartDate must not be after EndDate."))
    }
}

/// One of a closed set of names, matched exactly.
pub(crate) fn one_of<T: Copy>(field: &str, text: &str, values: &[(&str, T)]) -> ApiResult<T> {
    values
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
            ApiError::argument(format!(
                "{field} must be one of {}, got '{text}'.",
                names.join(", ")
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_boundaries() {
        assert!(is_e164("+12345678"));
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+01234567"));
        assert!(!is_e164("12345678"));
        assert!(!is_e164("+1234567a"));
        assert!(!is_e164("+１２３４５６７８"));
    }

    #[test]
    fn email_shapes() {
        assert!(is_email("a.b+c@example.co.uk"));
        for bad in [
            "", "a", "a@", "@b.c", "a@b", "a@.b", "a@b.", "a@b..c", "a b@c.d",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
