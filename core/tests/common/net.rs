//! Network fixtures: the emulator in its HTTPS mode (with a certificate from a [`TestCa`]), and
//! a real forward proxy on loopback (CONNECT for `https://`, absolute-form forwarding for
//! `http://`) that records every request it was asked to carry and can require
//! `Proxy-Authorization`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
/// The emulator's throwaway CA, which the bindings' HTTPS emulators use too.
pub use cpaas_reseller_emulator::TestCa;
use cpaas_reseller_emulator::{Emulator, EmulatorConfig, TlsIdentity};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub fn https_emulator(identity: TlsIdentity) -> Emulator {
    Emulator::start(EmulatorConfig {
        tls: Some(identity),
        ..EmulatorConfig::default()
    })
    .unwrap()
}

/// One request the proxy was asked to carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `CONNECT` or the forwarded method.
    pub method: String,
    /// `host:port` for CONNECT, the absolute URL otherwise.
    pub target: String,
    pub proxy_authorization: Option<String>,
}

/// A forward proxy on 127.0.0.1, running on the test's tokio runtime.
pub struct TestProxy {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestProxy {
    /// `credentials`: the only `Proxy-Authorization` accepted (others get 407). `upstream`:
    /// where every tunnel and request goes, whatever host it names (so a test can use a name
    /// that only the proxy "resolves"); `None` connects to the named host.
    pub async fn start(credentials: Option<(&str, &str)>, upstream: Option<SocketAddr>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let expected = credentials.map(|(user, password)| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )
        });
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                let expected = expected.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, log, expected, upstream).await;
                });
            }
        });
        Self { addr, seen }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    mut client: TcpStream,
    log: Arc<Mutex<Vec<Seen>>>,
    expected: Option<String>,
    upstream: Option<SocketAddr>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || client.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let proxy_authorization = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        target: target.clone(),
        proxy_authorization: proxy_authorization.clone(),
    });
    if expected.is_some() && proxy_authorization != expected {
        client
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic \
                  realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await?;
        return Ok(());
    }
    let authority = if method == "CONNECT" {
        target.clone()
    } else {
        let rest = target.strip_prefix("http://").unwrap_or(&target);
        rest.split('/').next().unwrap_or_default().to_owned()
    };
    let mut server = match upstream {
        Some(addr) => TcpStream::connect(addr).await?,
        None => TcpStream::connect(authority.as_str()).await?,
    };
    if method == "CONNECT" {
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
    } else {
        server.write_all(&head).await?;
    }
    tokio::io::copy_bidirectional(&mut client, &mut server).await?;
    Ok(())
}
