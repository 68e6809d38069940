//! Request records, one per operation (`GetAccountRequest` for `GetAccount`), expanded from the
//! core's request table (`cpaas_reseller::for_each_request!`), so they have the core's fields in
//! the core's order; optional fields default to none.
//!
//! They only carry values: the core validates them (field names in errors are the vendor's) and
//! decides what goes on the wire.

use crate::dates::from_system_time;
use crate::errors::ResellerError;
use crate::money::Money;
use crate::records::facade_type;
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use cpaas_reseller::requests as core;
use rust_decimal::Decimal;
use std::time::SystemTime;

/// Converts a facade value into the core's. `field` is the vendor's name of the field, for the
/// error of a conversion that fails.
pub(crate) trait ToCore<T> {
    fn to_core(self, field: &'static str) -> Result<T, ResellerError>;
}

macro_rules! same_on_both_sides {
    ($($ty:ty),*) => {
        $( impl ToCore<$ty> for $ty {
            fn to_core(self, _field: &'static str) -> Result<$ty, ResellerError> { Ok(self) }
        } )*
    };
}

same_on_both_sides!(i32, i64, bool, String);

impl<F: ToCore<C>, C> ToCore<Option<C>> for Option<F> {
    fn to_core(self, field: &'static str) -> Result<Option<C>, ResellerError> {
        self.map(|value| value.to_core(field)).transpose()
    }
}

impl<F: ToCore<C>, C> ToCore<Vec<C>> for Vec<F> {
    fn to_core(self, field: &'static str) -> Result<Vec<C>, ResellerError> {
        self.into_iter().map(|value| value.to_core(field)).collect()
    }
}

impl ToCore<Decimal> for Money {
    fn to_core(self, _field: &'static str) -> Result<Decimal, ResellerError> {
        Ok(self.0)
    }
}

impl ToCore<cpaas_reseller::Secret> for Secret {
    fn to_core(self, _field: &'static str) -> Result<cpaas_reseller::Secret, ResellerError> {
        Ok(self.into())
    }
}

impl ToCore<DateTime<Utc>> for SystemTime {
    fn to_core(self, field: &'static str) -> Result<DateTime<Utc>, ResellerError> {
        from_system_time(self)
            .ok_or_else(|| ResellerError::invalid(field, "is outside the representable dates"))
    }
}

/// A core enumeration from the facade's (the facade's enumerations are expanded from the same
/// table, with `From` both ways).
macro_rules! enums_to_core {
    ($( $(#[$meta:meta])* $name:ident { $($variant:ident),* $(,)? } )*) => {$(
        impl ToCore<cpaas_reseller::records::$name> for crate::records::$name {
            fn to_core(self, _field: &'static str) -> Result<cpaas_reseller::records::$name, ResellerError> {
                Ok(self.into())
            }
        }
    )*};
}

cpaas_reseller::for_each_string_enum!(enums_to_core);

/// The facade record of a core request, which the client's method for it takes.
pub trait FacadeRequest {
    type Facade;
}

/// Declares, for each core request of the table, its facade record (`$facade`) and the
/// conversion into the core request. Optional fields get `#[uniffi(default)]`: none in Kotlin
/// and Swift unless given. Every request exports the Rust `Debug` (Kotlin `toString()`, Swift
/// `debugDescription`), which hides passwords.
macro_rules! requests {
    ($(
        $(#[$meta:meta])*
        $core:ident as $facade:ident {
            required { $( $(#[$rdoc:meta])* $rwire:literal $rfield:ident : $rty:ty [$($rkey:tt)*], )* }
            optional { $( $(#[$odoc:meta])* $owire:literal $ofield:ident : $oty:ty [$($okey:tt)*], )* }
        }
    )*) => {$(
        $(#[$meta])*
        #[uniffi::export(Debug)]
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $facade {
            $( $(#[$rdoc])* pub $rfield: facade_type!($($rkey)*), )*
            $( $(#[$odoc])* #[uniffi(default)] pub $ofield: facade_type!($($okey)*), )*
        }

        impl $facade {
            pub(crate) fn into_core(self) -> Result<core::$core, ResellerError> {
                #[allow(unused_variables)]
                let Self { $( $rfield, )* $( $ofield, )* } = self;
                Ok(core::$core {
                    $( $rfield: $rfield.to_core($rwire)?, )*
                    $( $ofield: $ofield.to_core($owire)?, )*
                })
            }
        }

        impl FacadeRequest for core::$core {
            type Facade = $facade;
        }
    )*};
}

cpaas_reseller::for_each_request!(requests);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_date_outside_chrono_names_the_field_as_the_vendor_spells_it() {
        let request = GetChargeableActivityRequest {
            start_date: SystemTime::UNIX_EPOCH,
            end_date: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 62),
            account_id: None,
        };
        let error = request.into_core().unwrap_err();
        assert!(
            matches!(&error, ResellerError::Validation { field, .. } if field == "EndDate"),
            "{error:?}"
        );
    }

    #[test]
    fn debug_hides_passwords() {
        let request = ResetUserPasswordRequest {
            user_id: 5001,
            new_password: Secret("Sup3rSecret-XYZZY".into()),
            change_password_at_next_logon: None,
        };
        let text = format!("{request:?}");
        assert!(!text.contains("XYZZY"), "{text}");
        assert!(text.contains("5001"));
        let core = request.into_core().unwrap();
        assert_eq!(core.new_password.expose(), "Sup3rSecret-XYZZY");
    }
}
