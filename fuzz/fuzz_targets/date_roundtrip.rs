//! Date parsing, the one hand-written parser on the decode path: whatever `parse_date` accepts,
//! `format_date` writes in a form that parses back to the same instant.
#![no_main]

use cpaas_reseller::{format_date, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = parse_date(text) {
        let formatted = format_date(&date);
        assert_eq!(
            parse_date(&formatted),
            Ok(date),
            "{text:?} parsed, written as {formatted:?}"
        );
    }
});
