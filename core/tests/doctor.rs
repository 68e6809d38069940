//! `doctor` against the emulator as documented, and as a service that differs: answering on the
//! overview page's base URL only, lacking methods, refusing the password, unreachable, untrusted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cpaas_reseller::doctor::{self, Cause};
use cpaas_reseller::{Client, OPERATIONS};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, TlsIdentity, Variant};

const PASSWORD: &str = "Canary-Pa55word-7731";

fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        password: PASSWORD.to_owned(),
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn read_only() -> Vec<&'static str> {
    OPERATIONS
        .iter()
        .filter(|op| !op.mutating)
        .map(|op| op.method)
        .collect()
}

fn assert_only_read_only_calls(emulator: &Emulator) {
    let allowed = read_only();
    for entry in emulator.journal() {
        // A custom path's extra segments are in the journal's method name: `Other/GetRoles`.
        let method = entry.method.rsplit('/').next().unwrap();
        assert!(allowed.contains(&method), "doctor called {}", entry.method);
    }
}

fn assert_no_secret(report: &doctor::Report, emulator: &Emulator) {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{PASSWORD}", emulator.username()));
    let text = format!("{report} {report:?}");
    assert!(!text.contains(PASSWORD) && !text.contains(&token), "{text}");
}

#[tokio::test]
async fn the_documented_service_works_on_the_default_base_url() {
    let emulator = emulator();
    let report = doctor::run(common::builder(&emulator)).await.unwrap();
    assert!(report.ok(), "{report}");
    assert_eq!(report.cause(), None);
    assert_eq!(
        report.working_base_url(),
        Some(emulator.base_url().as_str())
    );
    let urls: Vec<_> = report
        .base_urls
        .iter()
        .map(|c| c.base_url.clone())
        .collect();
    assert_eq!(urls, [emulator.base_url(), emulator.alt_base_url()]);
    let first = &report.base_urls[0];
    let methods: Vec<_> = first.methods.iter().map(|m| m.method).collect();
    assert_eq!(methods, read_only());
    assert!(first.methods.iter().all(|m| m.known), "{report}");
    let steps: Vec<_> = first.steps.iter().map(|s| (s.name, s.ok)).collect();
    assert_eq!(
        steps,
        [
            ("dns", Some(true)),
            ("connect", Some(true)),
            ("tls", None),
            ("credentials", Some(true))
        ]
    );
    assert!(report.to_string().contains("OK: use base URL"));
    assert_only_read_only_calls(&emulator);
    assert_no_secret(&report, &emulator);
}

#[tokio::test]
async fn a_service_on_the_overview_base_url_only() {
    let emulator = emulator();
    emulator.set_variant(Variant {
        overview_base_only: true,
        ..Variant::default()
    });
    let report = doctor::run(common::builder(&emulator)).await.unwrap();
    assert!(report.ok(), "{report}");
    assert_eq!(
        report.working_base_url(),
        Some(emulator.alt_base_url().as_str())
    );
    assert_eq!(report.base_urls[0].cause, Some(Cause::BaseUrl));
    assert!(report.base_urls[0].methods.iter().all(|m| !m.known));

    // Pointed at the wrong one only (no sibling path): the cause is the base URL.
    let custom = format!("{}/Other", emulator.base_url());
    let wrong = doctor::run(common::builder(&emulator).base_url(custom))
        .await
        .unwrap();
    assert_eq!(wrong.base_urls.len(), 1);
    assert_eq!(wrong.cause(), Some(Cause::BaseUrl), "{wrong}");
    assert_only_read_only_calls(&emulator);
}

#[tokio::test]
async fn a_service_lacking_methods() {
    let emulator = emulator();
    let missing = ["GetRoles", "GetCreditBalance"];
    emulator.set_variant(Variant {
        missing_methods: missing.iter().map(|m| (*m).to_owned()).collect(),
        ..Variant::default()
    });
    let report = doctor::run(common::builder(&emulator)).await.unwrap();
    assert!(report.ok(), "{report}");
    for check in &report.methods_of_working() {
        assert_eq!(!check.known, missing.contains(&check.method), "{report}");
        if missing.contains(&check.method) {
            assert_eq!(check.status, Some(404));
        }
    }
    assert!(report.to_string().contains("MISSING"));
}

trait Working {
    fn methods_of_working(&self) -> Vec<doctor::MethodCheck>;
}

impl Working for doctor::Report {
    fn methods_of_working(&self) -> Vec<doctor::MethodCheck> {
        self.base_urls
            .iter()
            .find(|c| c.works())
            .unwrap()
            .methods
            .clone()
    }
}

#[tokio::test]
async fn a_refused_password_is_the_cause_and_is_tried_once_per_base_url() {
    let emulator = emulator();
    let builder = Client::builder()
        .credentials(emulator.username(), format!("{PASSWORD}-wrong"))
        .base_url(emulator.base_url());
    let report = doctor::run(builder).await.unwrap();
    assert!(!report.ok());
    assert_eq!(report.cause(), Some(Cause::Credentials), "{report}");
    assert_eq!(
        emulator.journal().len(),
        2,
        "one refused login per base URL"
    );
    assert!(report.to_string().contains("FAILED (credentials)"));
    assert!(!report.to_string().contains(PASSWORD));
}

#[tokio::test]
async fn nothing_listening_is_a_connect_failure() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let builder = Client::builder()
        .credentials("user", PASSWORD)
        .base_url(format!("http://127.0.0.1:{port}/WebApi/ResellerServices"));
    let report = doctor::run(builder).await.unwrap();
    assert_eq!(report.cause(), Some(Cause::Connect), "{report}");
    let steps = &report.base_urls[0].steps;
    assert!(steps
        .iter()
        .any(|s| s.name == "connect" && s.ok == Some(false)));
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_failure() {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let emulator = Emulator::start(EmulatorConfig {
        password: PASSWORD.to_owned(),
        tls: Some(TlsIdentity {
            cert_chain_pem: certified.cert.pem(),
            key_pem: certified.signing_key.serialize_pem(),
        }),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let builder = Client::builder()
        .credentials(emulator.username(), PASSWORD)
        .base_url(format!(
            "https://localhost:{}/WebApi/ResellerServices",
            emulator.addr().port()
        ));
    let report = doctor::run(builder).await.unwrap();
    assert_eq!(report.cause(), Some(Cause::Tls), "{report}");
    let steps = &report.base_urls[0].steps;
    assert!(steps.iter().any(|s| s.name == "tls" && s.ok == Some(false)));
    assert!(emulator.journal().is_empty(), "nothing reached the service");
}

#[tokio::test]
async fn an_unresolvable_host_is_a_dns_failure() {
    let builder = Client::builder()
        .credentials("user", PASSWORD)
        .connect_timeout(std::time::Duration::from_secs(2))
        .base_url("https://doctor-test.invalid/WebApi/ResellerServices");
    let report = doctor::run(builder).await.unwrap();
    assert_eq!(report.cause(), Some(Cause::Dns), "{report}");
    assert_eq!(report.base_urls.len(), 2, "both vendor paths are tried");
    assert!(report.to_string().contains("FAILED (dns)"));
}
