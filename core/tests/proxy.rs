//! An explicit proxy: every call goes through a real forward proxy on loopback (started here),
//! with its credentials as `Proxy-Authorization`; wrong credentials are refused by the proxy and
//! reported without the password; nothing reaches the service then.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/net.rs"]
mod net;

use base64::Engine as _;
use cpaas_reseller::requests::{AllocateCredit, GetRoles};
use cpaas_reseller::{Decimal, ErrorKind};
use net::{https_emulator, TestCa, TestProxy};

const PROXY_USER: &str = "proxy-user";
const PROXY_PASSWORD: &str = "proxy-PLUGH-secret";

fn expected_authorization() -> Option<String> {
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
    ))
}

#[tokio::test]
async fn plain_http_calls_are_forwarded_with_the_proxy_credentials() {
    let emulator = common::emulator();
    let proxy = TestProxy::start(Some((PROXY_USER, PROXY_PASSWORD)), None).await;
    let client = common::builder(&emulator)
        .proxy(proxy.url())
        .proxy_credentials(PROXY_USER, PROXY_PASSWORD)
        .build()
        .unwrap();
    assert_eq!(client.get_roles(&GetRoles {}).await.unwrap().roles.len(), 5);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].target, format!("{}/GetRoles", emulator.base_url()));
    assert_eq!(seen[0].proxy_authorization, expected_authorization());
    assert_eq!(emulator.calls("GetRoles"), 1);
    // The proxy's password shows nowhere: not in the builder, not in the client.
    let builder = common::builder(&emulator)
        .proxy(format!(
            "http://{PROXY_USER}:{PROXY_PASSWORD}@{}",
            proxy.addr
        ))
        .proxy_credentials(PROXY_USER, PROXY_PASSWORD);
    let text = format!("{builder:?} {client:?}");
    assert!(!text.contains("PLUGH"), "{text}");
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_credentials_in_the_url() {
    let ca = TestCa::new("proxy test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    let proxy = TestProxy::start(Some((PROXY_USER, PROXY_PASSWORD)), None).await;
    let client = common::builder(&emulator)
        .base_url(format!(
            "https://localhost:{}/WebApi/ResellerServices",
            emulator.addr().port()
        ))
        .add_root_certificate_pem(ca.pem())
        .proxy(format!(
            "http://{PROXY_USER}:{PROXY_PASSWORD}@{}",
            proxy.addr
        ))
        .build()
        .unwrap();
    client.get_roles(&GetRoles {}).await.unwrap();
    let allocation = AllocateCredit {
        account_id: 1001,
        amount: Decimal::new(500, 2),
        reference: Some("proxy-1".to_owned()),
    };
    client.allocate_credit(&allocation).await.unwrap();
    let seen = proxy.seen();
    // One tunnel, reused by the second call (keep-alive through the proxy).
    assert!(!seen.is_empty(), "{seen:?}");
    for request in &seen {
        assert_eq!(request.method, "CONNECT");
        assert_eq!(
            request.target,
            format!("localhost:{}", emulator.addr().port())
        );
        assert_eq!(request.proxy_authorization, expected_authorization());
    }
    assert_eq!(emulator.calls("AllocateCredit"), 1);
}

#[tokio::test]
async fn refused_proxy_credentials_fail_before_the_service_and_stay_secret() {
    let ca = TestCa::new("proxy test CA").unwrap();
    let emulator = https_emulator(ca.server(&["localhost"]).unwrap());
    let proxy = TestProxy::start(Some((PROXY_USER, PROXY_PASSWORD)), None).await;
    let client = common::builder(&emulator)
        .base_url(format!(
            "https://localhost:{}/WebApi/ResellerServices",
            emulator.addr().port()
        ))
        .add_root_certificate_pem(ca.pem())
        .proxy(proxy.url())
        .proxy_credentials(PROXY_USER, "wrong-XYZZY-password")
        .build()
        .unwrap();
    let allocation = AllocateCredit {
        account_id: 1001,
        amount: Decimal::new(500, 2),
        reference: Some("proxy-2".to_owned()),
    };
    let error = client.allocate_credit(&allocation).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(!error.outcome_unknown(), "the tunnel never opened: {error}");
    let text = format!("{error} {error:?}");
    assert!(!text.contains("XYZZY"), "{text}");
    assert!(!proxy.seen().is_empty());
    assert_eq!(emulator.calls("AllocateCredit"), 0);
}

#[test]
fn a_bad_proxy_option_is_a_validation_error_without_the_url() {
    let emulator = common::emulator();
    for bad in ["socks5://u:XYZZY@127.0.0.1:1080", "XYZZY not a url"] {
        let error = common::builder(&emulator).proxy(bad).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
        assert!(!error.to_string().contains("XYZZY"), "{error}");
    }
}
