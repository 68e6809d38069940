//! Success-body decoding of every operation's output type. The first byte picks the type, the
//! rest is the body. Whatever decodes must encode and decode back to an equal value (nothing the
//! service sent is lost or changed on the way through the typed records).
#![no_main]

use cpaas_reseller::records::*;
use cpaas_reseller::Decode;
use libfuzzer_sys::fuzz_target;
use std::fmt::Debug;

fn round_trip<T: Decode + serde::Serialize + PartialEq + Debug>(body: &[u8]) {
    let Ok(value) = T::decode(body) else {
        return;
    };
    let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
    let again = T::decode(&encoded).unwrap_or_else(|error| {
        panic!(
            "re-decoding {:?} failed: {error}",
            String::from_utf8_lossy(&encoded)
        )
    });
    assert_eq!(value, again);
}

/// Operations without a result, and `Client::call`'s untyped JSON.
fn no_result(body: &[u8]) {
    let _ = <()>::decode(body);
    round_trip::<serde_json::Value>(body);
}

/// The first byte picks one record of the core's table (`for_each_record!`), in its order
/// (`fuzz/make_seeds.py` reads the same table), or `no_result` after the last.
macro_rules! outputs {
    ($selector:expr, $body:expr;
     $( $(#[$doc:meta])* $kind:ident $record:ident { $($fields:tt)* } )*) => {{
        let all: &[fn(&[u8])] = &[$(round_trip::<$record>,)* no_result];
        all[usize::from($selector) % all.len()]($body)
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    cpaas_reseller::for_each_record!(outputs { selector, body; });
});
