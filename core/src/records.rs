//! Response records and enumerations, with the vendor's field names on the wire.
//!
//! Only `AddUserToAccount` is documented by the vendor; every other record here follows the
//! inferred catalogue (see the crate docs). Each record keeps the fields it does not know in
//! `extra`, and each enumeration keeps values it does not know, so nothing the service sends is
//! lost when it grows.
//!
//! The records and enumerations are declared once, in [`for_each_record!`](crate::for_each_record)
//! and [`for_each_string_enum!`](crate::for_each_string_enum), and expanded here.

use crate::wire::{records, string_enums};

crate::for_each_string_enum!(string_enums);
crate::for_each_record!(records);
