//! Every status of the contract, other statuses and bodies that are not the vendor's JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fault;
use cpaas_reseller::requests::{AllocateCredit, GetAccount, GetRoles};
use cpaas_reseller::{Client, Decimal, Error, ErrorKind, OVERVIEW_BASE_URL};
use cpaas_reseller_emulator::FaultKind;
use std::time::Duration;

#[tokio::test]
async fn wrong_password_is_an_authentication_error_with_the_vendor_body() {
    let emulator = common::emulator();
    let client = Client::builder()
        .credentials(emulator.username(), "Wrong-Passw0rd")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let error = client.get_roles(&GetRoles {}).await.unwrap_err();
    let api = error.api().expect("an HTTP answer");
    assert_eq!((error.kind(), api.status), (ErrorKind::Authentication, 401));
    assert!(api.message.is_some() && api.error_type.is_some(), "{api:?}");
    assert_eq!(api.attempts, 1, "401 is not retried");
}

#[tokio::test]
async fn a_404_names_the_base_url_and_the_documented_discrepancy() {
    let emulator = common::emulator();
    let wrong = emulator
        .base_url()
        .replace("/WebApi/ResellerServices", "/WebApi/Reseller");
    let client = common::builder(&emulator).base_url(&wrong).build().unwrap();
    let error = client.get_roles(&GetRoles {}).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    let text = error.to_string();
    assert!(
        text.contains(&wrong)
            && text.contains("ResellerService")
            && text.contains("ResellerServices"),
        "{text}"
    );
    assert!(OVERVIEW_BASE_URL.ends_with("/WebApi/ResellerService"));
    // The overview page's spelling is served too.
    let alt = common::builder(&emulator)
        .base_url(emulator.alt_base_url())
        .build()
        .unwrap();
    assert!(alt.get_roles(&GetRoles {}).await.is_ok());
}

#[tokio::test]
async fn statuses_map_to_their_kinds_with_status_content_type_and_excerpt() {
    let emulator = common::emulator();
    let client = common::builder(&emulator).max_retries(0).build().unwrap();
    let cases = [
        (
            FaultKind::Status {
                status: 400,
                apply: false,
            },
            ErrorKind::BadRequest,
            400,
        ),
        (
            FaultKind::Status {
                status: 500,
                apply: false,
            },
            ErrorKind::Server,
            500,
        ),
        (
            FaultKind::Status {
                status: 504,
                apply: false,
            },
            ErrorKind::GatewayTimeout,
            504,
        ),
        (
            FaultKind::Status {
                status: 503,
                apply: false,
            },
            ErrorKind::UnexpectedResponse,
            503,
        ),
        (FaultKind::Xml { status: 500 }, ErrorKind::Server, 500),
        (
            FaultKind::Html { status: 502 },
            ErrorKind::UnexpectedResponse,
            502,
        ),
        (
            FaultKind::Truncated { apply: false },
            ErrorKind::UnexpectedResponse,
            200,
        ),
    ];
    for (kind, expected, status) in cases {
        emulator.inject(fault("GetRoles", 1, kind.clone()));
        let error = client.get_roles(&GetRoles {}).await.unwrap_err();
        let api = error.api().unwrap_or_else(|| panic!("{kind:?}: {error}"));
        assert_eq!(
            (error.kind(), api.status),
            (expected, status),
            "{kind:?}: {error}"
        );
        assert_eq!(api.method, "GetRoles");
        assert!(api.content_type.is_some(), "{kind:?}");
        assert!(api.body_excerpt.len() <= cpaas_reseller::BODY_EXCERPT_LIMIT);
    }
}

#[tokio::test]
async fn xml_without_the_json_accept_header_is_what_the_service_does_and_we_always_ask_for_json() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    client.get_roles(&GetRoles {}).await.unwrap();
    let entry = emulator.journal().into_iter().last().unwrap();
    let header = |name: &str| {
        entry
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert!(header("content-type").is_some_and(|v| v.starts_with("application/json")));
    assert!(header("user-agent").is_some_and(|v| v.starts_with("cpaas-reseller/")));
    assert_eq!(header("authorization").as_deref(), Some("<redacted>"));
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    emulator.inject(fault("GetRoles", 1, FaultKind::Delay { millis: 2_000 }));
    let error = client.get_roles(&GetRoles {}).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(!error.outcome_unknown(), "a read has no unknown outcome");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_after_bounded_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .credentials("u", "p")
        .base_url(format!("http://127.0.0.1:{port}/WebApi/ResellerServices"))
        .retry(cpaas_reseller::RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            ..Default::default()
        })
        .build()
        .unwrap();
    let error = client
        .allocate_credit(&AllocateCredit {
            account_id: 1,
            amount: Decimal::ONE,
            reference: None,
        })
        .await
        .unwrap_err();
    let transport = error.transport().expect("a transport error");
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(
        transport.attempts, 3,
        "never reached the server, so even a mutating call is retried"
    );
    assert!(!transport.outcome_unknown);
}

#[tokio::test]
async fn bodies_over_the_size_cap_are_refused() {
    let emulator = common::emulator();
    let client = common::builder(&emulator)
        .max_body_size(64 * 1024)
        .max_retries(0)
        .build()
        .unwrap();
    emulator.inject(fault(
        "GetRoles",
        1,
        FaultKind::Large { bytes: 1024 * 1024 },
    ));
    let error = client.get_roles(&GetRoles {}).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
    assert!(error.to_string().contains("65536-byte limit"), "{error}");
}

#[tokio::test]
async fn local_validation_sends_nothing() {
    let emulator = common::emulator();
    let client = common::client(&emulator);
    let error = client
        .get_account(&GetAccount { account_id: -3 })
        .await
        .unwrap_err();
    match &error {
        Error::Validation(v) => {
            assert_eq!(
                (v.field.as_str(), v.method.as_deref()),
                ("AccountId", Some("GetAccount"))
            );
        }
        other => panic!("expected validation, got {other}"),
    }
    assert_eq!(emulator.calls("GetAccount"), 0);
}
