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

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match selector % 15 {
        0 => round_trip::<Account>(body),
        1 => round_trip::<AccountList>(body),
        2 => round_trip::<UserCreated>(body),
        3 => round_trip::<User>(body),
        4 => round_trip::<UserList>(body),
        5 => round_trip::<Role>(body),
        6 => round_trip::<RoleList>(body),
        7 => round_trip::<CreditAllocation>(body),
        8 => round_trip::<CreditAllocationList>(body),
        9 => round_trip::<CreditBalance>(body),
        10 => round_trip::<ChargeableActivity>(body),
        11 => round_trip::<ActivityReport>(body),
        12 => round_trip::<InboundNumber>(body),
        13 => round_trip::<InboundNumberList>(body),
        // Operations without a result, and `Client::call`'s untyped JSON.
        _ => {
            let _ = <()>::decode(body);
            round_trip::<serde_json::Value>(body);
        }
    }
});
