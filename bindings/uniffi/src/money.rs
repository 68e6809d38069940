//! Exact money across the FFI.
//!
//! [`Money`] crosses as its decimal text (`"12.50"`), never as a binary float, and the foreign side
//! maps it to its own exact type (`uniffi.toml`: Kotlin `java.math.BigDecimal`, Swift `Decimal`).

use crate::errors::ResellerError;
use rust_decimal::Decimal;

/// An exact decimal amount of money (up to 28 significant digits after the point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Money(pub Decimal);

uniffi::custom_type!(Money, String, {
    lower: |money| money.0.to_string(),
    try_lift: |text| Money::parse(&text).map_err(Into::into),
});

impl Money {
    /// Parses decimal text exactly; text that `Decimal` could only round is refused, so an amount
    /// is never silently changed on its way to the service.
    pub fn parse(text: &str) -> Result<Self, ResellerError> {
        Decimal::from_str_exact(text.trim())
            .map(Money)
            .map_err(|error| {
                ResellerError::invalid(
                    "amount",
                    format!("{text:?} is not an exact decimal amount ({error})"),
                )
            })
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl From<Money> for Decimal {
    fn from(value: Money) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn text_round_trips_exactly_with_its_scale() {
        for text in [
            "12.50",
            "0.1000000000000000000000000001",
            "12345678901234567890.12345678",
            "-5.00",
            "0",
        ] {
            assert_eq!(Money::parse(text).unwrap().0.to_string(), text);
        }
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly() {
        for text in ["", "1e3x", "0.12345678901234567890123456789", "abc"] {
            let error = Money::parse(text).unwrap_err();
            assert_eq!(error.kind(), "validation", "{text}");
        }
    }
}
