//! Inputs the fuzz targets (`fuzz/`, see RELIABILITY.md) found failing, kept as plain tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cpaas_reseller::records::ChargeableActivity;
use cpaas_reseller::requests::{AllocateCredit, GetAccount, GetChargeableActivity};
use cpaas_reseller::{format_date, parse_date, Client, Decode, ErrorKind, BODY_EXCERPT_LIMIT};

const PASSWORD: &str = "Fuzz-Secret-Passw0rd";

fn client() -> Client {
    Client::builder()
        .credentials("fuzz-user", PASSWORD)
        .build()
        .unwrap()
}

fn token() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("fuzz-user:{PASSWORD}"))
}

/// error_decode crash-0f11845311e5ff78fe3c7f2f9b84e944c3503877: an error body that echoes the
/// password (here JSON-escaped, in `ErrorType`) showed it in the error's Display and Debug. Every
/// string of the vendor error body is now redacted: type, message and the whole `ErrorDetail`.
#[test]
fn an_error_body_echoing_the_password_never_shows_it() {
    let client = client();
    let token = token();
    let bodies = [
        r#"{"ErrorDetail":{"Message":"Value cannot be null. Parameter name: request"},"ErrorType":"ArgumentFaultContract\u0046uzz-Secret-Passw0rd"}"#.to_owned(),
        format!(r#"{{"ErrorDetail":{{"Message":"bad","Password":"{PASSWORD}","Nested":[{{"{PASSWORD}":"Basic {token}"}}]}},"ErrorType":"X"}}"#),
        format!("<Fault><ErrorType>{PASSWORD}</ErrorType><Message>{token}</Message></Fault>"),
    ];
    for status in [400, 401, 500, 503, 504] {
        for body in &bodies {
            let error = client
                .decode_response::<GetAccount>(status, Some("application/json"), body.as_bytes())
                .unwrap_err();
            assert_eq!(error.status(), Some(status));
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(PASSWORD), "{shown}");
            assert!(!shown.contains(&token), "{shown}");
            assert!(shown.contains("***"), "redacted, not dropped: {shown}");
        }
    }
}

/// date_roundtrip crash-bb36403fb6e1eb5d82f765e7585f3bc7a317b19a: `-9999-12-31` parsed (as a
/// negative year) but `format_date` wrote `-9999-12-31T00:00:00Z`, which does not parse back.
/// Dates are now limited to years 1..=9999, the range of .NET's DateTime.
#[test]
fn dates_outside_years_1_to_9999_are_refused_everywhere() {
    for text in [
        "-9999-12-31",
        "0000-12-31T00:00:00Z",
        "+10000-01-01T00:00:00Z",
        "/Date(253402300800000)/",
        "/Date(-62135596800001)/",
    ] {
        assert!(parse_date(text).is_err(), "{text}");
        let body = format!(
            r#"{{"AccountId":1,"ActivityDate":"{text}","ActivityType":"Voice","Quantity":1,"UnitCost":1,"TotalCost":1}}"#
        );
        assert!(
            ChargeableActivity::decode(body.as_bytes()).is_err(),
            "{text}"
        );
    }
    for text in [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "/Date(-62135596800000)/",
    ] {
        let date = parse_date(text).unwrap();
        assert_eq!(parse_date(&format_date(&date)), Ok(date), "{text}");
    }
    let error = client()
        .decode_response::<GetChargeableActivity>(
            200,
            Some("application/json"),
            br#"{"Activities":[{"AccountId":1,"ActivityDate":"-9999-12-31","ActivityType":"Voice","Quantity":1,"UnitCost":1,"TotalCost":1}]}"#,
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
}

/// `Client::decode_response` maps answers exactly as a call does: statuses, outcome-unknown for
/// mutating calls, and the size limit.
#[test]
fn decode_response_follows_the_call_rules() {
    let client = client();
    let ok = client
        .decode_response::<GetAccount>(200, Some("application/json"), br#"{"AccountId":7}"#)
        .unwrap();
    assert_eq!(ok.account_id, 7);
    let cut = client
        .decode_response::<AllocateCredit>(200, None, br#"{"AllocationId":1,"#)
        .unwrap_err();
    assert_eq!(cut.kind(), ErrorKind::UnexpectedResponse);
    assert!(cut.outcome_unknown());
    let gateway = client
        .decode_response::<AllocateCredit>(504, None, b"")
        .unwrap_err();
    assert_eq!(gateway.kind(), ErrorKind::GatewayTimeout);
    assert!(gateway.outcome_unknown());
    let small = Client::builder()
        .credentials("u", "password")
        .max_body_size(8)
        .build()
        .unwrap();
    let large = small
        .decode_response::<GetAccount>(200, None, br#"{"AccountId":7}"#)
        .unwrap_err();
    assert!(large.to_string().contains("8-byte limit"), "{large}");
}

/// error_decode crash-c4d3825fe8fd6385d0428ead2672e5ef36597ec4: a body of invalid UTF-8 gave an
/// excerpt three times the limit (each byte became a three-byte replacement character).
#[test]
fn the_body_excerpt_stays_within_the_limit_whatever_the_bytes() {
    let client = client();
    for body in [
        vec![0xFF; 4096],
        [b"ok ".as_slice(), &[0xE2, 0x82].repeat(1000)].concat(),
        "\u{20AC}".repeat(1000).into_bytes(),
    ] {
        let error = client
            .decode_response::<GetAccount>(502, Some("text/html"), &body)
            .unwrap_err();
        let excerpt = &error.api().unwrap().body_excerpt;
        assert!(excerpt.len() <= BODY_EXCERPT_LIMIT, "{}", excerpt.len());
        assert!(excerpt.len() >= BODY_EXCERPT_LIMIT - 4, "{}", excerpt.len());
    }
}
