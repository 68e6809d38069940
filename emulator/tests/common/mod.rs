//! A minimal HTTP/1.1 client over hyper, so the tests see exactly what went over the wire
//! (statuses, content types, truncated bodies, dropped connections).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;

use base64::Engine as _;
use bytes::Bytes;
use cpaas_reseller_emulator::Emulator;
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The vendor error message of a JSON error body.
    pub fn message(&self) -> String {
        self.json()["ErrorDetail"]["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[track_caller]
    pub fn ok(self) -> Reply {
        assert_eq!(self.status, 200, "{}", self.body);
        self
    }

    /// Asserts a 400 ArgumentFaultContract whose message contains `needle`.
    #[track_caller]
    pub fn rejected(&self, needle: &str) {
        assert_eq!(self.status, 400, "{}", self.body);
        assert_eq!(self.json()["ErrorType"], "ArgumentFaultContract");
        let message = self.message();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
    }
}

/// One request on a fresh connection; `Err` when no complete response arrived.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Reply, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Full::new(Bytes::from(body.unwrap_or("").to_owned())))
        .unwrap();
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

pub fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

pub fn auth(emulator: &Emulator) -> String {
    basic(emulator.username(), emulator.password())
}

fn path_of(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    rest[rest.find('/').unwrap()..].to_owned()
}

pub fn base_path(emulator: &Emulator) -> String {
    path_of(&emulator.base_url())
}

/// A vendor call the way a well-behaved client makes it: POST, Basic, JSON.
pub async fn try_call(emulator: &Emulator, method: &str, body: &str) -> Result<Reply, String> {
    let auth = auth(emulator);
    send(
        emulator.addr(),
        "POST",
        &format!("{}/{method}", base_path(emulator)),
        &[
            ("authorization", &auth),
            ("accept", "application/json"),
            ("content-type", "application/json"),
        ],
        Some(body),
    )
    .await
}

pub async fn call(emulator: &Emulator, method: &str, body: &str) -> Reply {
    try_call(emulator, method, body).await.unwrap()
}

/// The same call without `Accept: application/json`.
pub async fn call_xml(emulator: &Emulator, method: &str, body: &str) -> Reply {
    let auth = auth(emulator);
    send(
        emulator.addr(),
        "POST",
        &format!("{}/{method}", base_path(emulator)),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(body),
    )
    .await
    .unwrap()
}

/// A control-endpoint call.
pub async fn control(emulator: &Emulator, method: &str, path: &str, body: Option<&str>) -> Reply {
    send(
        emulator.addr(),
        method,
        &format!("{}{path}", path_of(&emulator.control_url())),
        &[("content-type", "application/json")],
        body,
    )
    .await
    .unwrap()
}

pub fn start() -> Emulator {
    Emulator::start(Default::default()).unwrap()
}
