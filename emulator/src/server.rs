//! The HTTP server: an axum router driven by our own accept loop, because the `Drop` fault must
//! close one connection without answering, which `axum::serve` gives no handle for.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::routing::any;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

use crate::control;
use crate::shared::{Shared, ALT_BASE_PATH, BASE_PATH, CONTROL_PATH};
use crate::vendor::{self, ConnectionKill};
use crate::EmulatorConfig;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(&format!("{BASE_PATH}/{{*method}}"), any(vendor::handle))
        .route(&format!("{ALT_BASE_PATH}/{{*method}}"), any(vendor::handle))
        .nest(CONTROL_PATH, control::routes())
        .fallback(|| async { vendor::raw(404, Some("text/plain; charset=utf-8"), "Not found.") })
        .with_state(shared)
}

/// Serves the emulator on `config.addr` until `shutdown` completes: the entry point for a CLI
/// that runs it in the foreground. Tests use [`crate::Emulator::start`] instead.
pub async fn serve(
    config: EmulatorConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let tls = config.tls.as_ref().map(|t| t.acceptor()).transpose()?;
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::new(config, addr));
    tracing::info!(%addr, base_url = %shared.url(BASE_PATH), "emulator listening");
    run(listener, shared, tls, shutdown).await;
    Ok(())
}

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections until `shutdown`, then closes every open connection. With `tls`, each
/// connection is a TLS handshake first (a failed one is logged and closed).
pub(crate) async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send,
) {
    let router = router(shared);
    let (stop_tx, stop_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let (router, stop) = (router.clone(), stop_rx.clone());
                    match tls.clone() {
                        None => {
                            tokio::spawn(connection(stream, router, stop));
                        }
                        Some(acceptor) => {
                            tokio::spawn(async move {
                                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                                    Ok(Ok(stream)) => connection(stream, router, stop).await,
                                    Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                                    Err(_) => tracing::debug!("TLS handshake timed out"),
                                }
                            });
                        }
                    }
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
        }
    }
    drop(stop_tx);
}

async fn connection<S>(stream: S, router: Router, mut stop: watch::Receiver<()>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let handle = ConnectionKill(Arc::clone(&kill));
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        router.clone().call(request)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = conn => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = kill.notified() => tracing::debug!("connection dropped by an injected fault"),
        _ = stop.changed() => {}
    }
}
