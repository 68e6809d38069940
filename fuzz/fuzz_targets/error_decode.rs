//! The mapping of one HTTP answer (status, content type, body) to a result or a typed error, for
//! every operation, through `Client::decode_response`: the code a real call runs after its last
//! attempt. Checks the status table, the outcome-unknown rule, the bounded excerpt, and that no
//! text of the error (Display or Debug) shows the password or the Basic credential, even when
//! the body echoes them.
#![no_main]

use cpaas_reseller::requests::*;
use cpaas_reseller::{Client, ErrorKind, Operation, BODY_EXCERPT_LIMIT};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const USERNAME: &str = "fuzz-user";
const PASSWORD: &str = "Fuzz-Secret-Passw0rd";
/// base64("fuzz-user:Fuzz-Secret-Passw0rd"), the Basic credential.
const TOKEN: &str = "ZnV6ei11c2VyOkZ1enotU2VjcmV0LVBhc3N3MHJk";

/// Statuses the service and its proxies send, picked often so every branch is reached.
const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503, 504];

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder()
            .credentials(USERNAME, PASSWORD)
            .max_body_size(1 << 20)
            .build()
            .expect("the client builds")
    })
}

fn check<O: Operation>(status: u16, content_type: Option<&str>, body: &[u8]) {
    let info = O::INFO;
    let outcome = client().decode_response::<O>(status, content_type, body);
    let success = (200..300).contains(&status);
    let error = match outcome {
        Ok(_) => {
            assert!(success, "HTTP {status} decoded as a success");
            return;
        }
        Err(error) => error,
    };
    let expected = match status {
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Authentication,
        500 => ErrorKind::Server,
        504 => ErrorKind::GatewayTimeout,
        _ => ErrorKind::UnexpectedResponse,
    };
    assert_eq!(error.kind(), expected, "{error}");
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.method(), Some(info.method));
    assert_eq!(
        error.outcome_unknown(),
        info.mutating && (success || status == 504),
        "{error}"
    );
    let api = error.api().expect("an answer carries its HTTP details");
    assert!(api.body_excerpt.len() <= BODY_EXCERPT_LIMIT);
    assert_eq!(api.content_type.as_deref(), content_type);
    let shown = format!("{error}\n{error:?}");
    assert!(!shown.contains(PASSWORD), "password shown: {shown}");
    assert!(!shown.contains(TOKEN), "credential shown: {shown}");
}

/// The operation byte picks one operation of the core's table (`for_each_operation!`), in its
/// order (`fuzz/make_seeds.py` reads the same table).
macro_rules! operations {
    ($selector:expr, $status:expr, $content_type:expr, $body:expr;
     $( $(#[$doc:meta])* $area:ident $method:ident => $function:ident
        -> $output:ty [$($key:tt)*], $kind:ident, $documented:ident; )*) => {{
        let all: &[fn(u16, Option<&str>, &[u8])] = &[$(check::<$method>),*];
        all[usize::from($selector) % all.len()]($status, $content_type, $body)
    }};
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, op, body @ ..] = data else {
        return;
    };
    let status = if *a < 128 {
        STATUSES[usize::from(*b) % STATUSES.len()]
    } else {
        100 + u16::from_le_bytes([*a, *b]) % 900
    };
    let content_type = match c % 6 {
        0 => None,
        1 => Some("application/json; charset=utf-8"),
        2 => Some("application/xml; charset=utf-8"),
        3 => Some("text/html"),
        4 => Some("text/plain"),
        _ => Some(""),
    };
    cpaas_reseller::for_each_operation!(operations { *op, status, content_type, body; });
});
