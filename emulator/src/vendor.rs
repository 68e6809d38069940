//! The vendor paths: `POST {base}/{Method}` with the service's transport rules (Basic auth,
//! JSON or XML by `Accept`, 404/405), fault injection and journaling around each operation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderValue, Method, StatusCode};
use axum::response::Response;
use tokio::sync::Notify;

use crate::catalogue::{self, Method as VendorMethod};
use crate::error::{ApiError, ApiResult};
use crate::faults::FaultKind;
use crate::journal::JournalEntry;
use crate::ops::Outcome;
use crate::request::Fields;
use crate::shared::{lock, Shared, ALT_BASE_PATH, BASE_PATH};
use crate::xml;

/// Largest request body read; bigger ones get a 413.
const BODY_LIMIT: usize = 16 * 1024 * 1024;
const JSON: &str = "application/json; charset=utf-8";
const XML: &str = "application/xml; charset=utf-8";

/// Put in each request's extensions by the connection task: notifying it drops the connection
/// with no response (the `Drop` fault).
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(pub(crate) Arc<Notify>);

/// Records the call when dropped, so that calls that never finish (dropped connections,
/// clients that time out during a delay) are journaled too, with status 0.
struct JournalGuard {
    shared: Arc<Shared>,
    entry: Option<JournalEntry>,
}

impl JournalGuard {
    fn new(shared: &Arc<Shared>, method: &str, parts: &Parts, body: &[u8]) -> JournalGuard {
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name == header::AUTHORIZATION {
                    "<redacted>".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        let seq = lock(&shared.journal).next_seq();
        JournalGuard {
            shared: Arc::clone(shared),
            entry: Some(JournalEntry {
                seq,
                method: method.to_owned(),
                http_method: parts.method.as_str().to_owned(),
                path: parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
                headers,
                body: String::from_utf8_lossy(body).into_owned(),
                status: 0,
                time: chrono::Utc::now(),
                applied: false,
            }),
        }
    }

    fn applied(&mut self) {
        if let Some(e) = &mut self.entry {
            e.applied = true;
        }
    }

    /// Records the entry as it stands, before the call ends.
    fn record_now(&mut self) {
        if let Some(entry) = self.entry.take() {
            lock(&self.shared.journal).record(entry);
        }
    }

    fn status(&mut self, status: u16) {
        if let Some(e) = &mut self.entry {
            e.status = status;
        }
    }
}

impl Drop for JournalGuard {
    fn drop(&mut self) {
        self.record_now();
    }
}

/// The method name: what follows either base path.
fn method_name(path: &str) -> &str {
    path.strip_prefix(BASE_PATH)
        .or_else(|| path.strip_prefix(ALT_BASE_PATH))
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(path)
}

/// Runs each call in its own task, so that like a real service the emulator finishes an
/// operation even when the caller has gone away (a client that times out during a `Delay`
/// fault still has its change applied). Such a call is journaled as applied with status 0: no
/// response reached the caller.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let mut caller = CallerWatch {
        gone: Arc::new(AtomicBool::new(false)),
        waiting: true,
    };
    let outcome = tokio::spawn(process(shared, request, Arc::clone(&caller.gone))).await;
    caller.waiting = false;
    match outcome {
        Ok(response) => response,
        Err(_) => plain(500, "The operation failed unexpectedly."),
    }
}

/// Marks the caller as gone when `handle` is dropped before the call finishes (the connection
/// closed under it).
struct CallerWatch {
    gone: Arc<AtomicBool>,
    waiting: bool,
}

impl Drop for CallerWatch {
    fn drop(&mut self) {
        if self.waiting {
            self.gone.store(true, Ordering::SeqCst);
        }
    }
}

async fn process(shared: Arc<Shared>, request: Request, caller_gone: Arc<AtomicBool>) -> Response {
    let (parts, body) = request.into_parts();
    let name = method_name(parts.uri.path()).to_owned();
    let body = to_bytes(body, BODY_LIMIT).await.ok();
    let mut guard = JournalGuard::new(&shared, &name, &parts, body.as_deref().unwrap_or_default());
    let response = dispatch(&shared, &parts, &name, body, &mut guard).await;
    if !caller_gone.load(Ordering::SeqCst) {
        guard.status(response.status().as_u16());
    }
    response
}

fn accepts_json(parts: &Parts) -> bool {
    parts
        .headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("application/json"))
}

async fn dispatch(
    shared: &Arc<Shared>,
    parts: &Parts,
    name: &str,
    body: Option<Bytes>,
    guard: &mut JournalGuard,
) -> Response {
    let json = accepts_json(parts);
    let hidden = lock(&shared.variant).hides(parts.uri.path(), name);
    let Some(method) = catalogue::lookup(name).filter(|_| !hidden) else {
        return plain(
            404,
            &format!("Endpoint not found: the service has no operation named '{name}'."),
        );
    };
    if parts.method != Method::POST {
        let mut response = plain(405, "Method not allowed: operations are called with POST.");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if !shared.authorized(&parts.headers) {
        let mut response = error(&ApiError::authentication(), json);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"ResellerServices\""),
        );
        return response;
    }
    let Some(body) = body else {
        return plain(413, "The request body is too large.");
    };
    let fault = lock(&shared.faults).take(method.info.name);
    let Some(fault) = fault else {
        return normal(shared, method, &body, json, guard);
    };
    match fault {
        FaultKind::Delay { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            normal(shared, method, &body, json, guard)
        }
        FaultKind::Status { status, apply } => {
            if apply {
                let _ = run(shared, method, &body, Mode::Real, guard);
            }
            error(&ApiError::injected(status), json)
        }
        FaultKind::Drop { apply } => {
            if apply {
                let _ = run(shared, method, &body, Mode::Real, guard);
            }
            match parts.extensions.get::<ConnectionKill>() {
                Some(kill) => {
                    // Journal now (status 0: no response), then have the connection task close
                    // the socket. This task waits out the close rather than answer first.
                    guard.record_now();
                    kill.0.notify_one();
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    plain(500, "The connection was dropped.")
                }
                None => plain(500, "The connection cannot be dropped here."),
            }
        }
        FaultKind::Body {
            status,
            content_type,
            body: text,
            apply,
        } => {
            if apply {
                let _ = run(shared, method, &body, Mode::Real, guard);
            }
            raw(status, Some(&content_type), text)
        }
        FaultKind::BodyBytes {
            status,
            content_type,
            body: bytes,
            apply,
        } => {
            if apply {
                let _ = run(shared, method, &body, Mode::Real, guard);
            }
            raw(status, Some(&content_type), bytes)
        }
        FaultKind::Truncated { apply } => {
            let mode = if apply { Mode::Real } else { Mode::DryRun };
            let full = json_body(run(shared, method, &body, mode, guard));
            let half = full.get(..full.len() / 2).unwrap_or_default().to_vec();
            raw(200, Some("application/json"), half)
        }
        FaultKind::Xml { status } => raw(status, Some(XML), xml::wcf_fault(status)),
        FaultKind::Html { status } => raw(
            status,
            Some("text/html; charset=utf-8"),
            xml::html_page(status),
        ),
        FaultKind::Large { bytes } => {
            let real = match run(shared, method, &body, Mode::DryRun, guard) {
                Ok(Some(b)) => b,
                _ => b"{}".to_vec(),
            };
            raw(200, Some(JSON), pad(real, bytes))
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// On the real state.
    Real,
    /// On a scratch copy: the response the call would get, with nothing applied.
    DryRun,
}

/// Runs the operation; `Ok(None)` is an empty result.
fn run(
    shared: &Shared,
    method: &VendorMethod,
    body: &[u8],
    mode: Mode,
    guard: &mut JournalGuard,
) -> ApiResult<Option<Vec<u8>>> {
    let fields = Fields::parse(body, method.info.requires_body)?;
    let outcome = {
        let mut state = lock(&shared.state);
        if mode == Mode::Real {
            method.op.execute(&mut state, &fields)?
        } else {
            let mut scratch = state.clone();
            drop(state);
            method.op.execute(&mut scratch, &fields)?
        }
    };
    let body = match outcome {
        Outcome::Empty => None,
        Outcome::Json(bytes) => Some(bytes),
        Outcome::Activity {
            accounts,
            start,
            end,
        } => Some(
            shared
                .settings()
                .query(accounts, start, end)
                .render_json()?,
        ),
    };
    if mode == Mode::Real {
        guard.applied();
    }
    Ok(body)
}

fn normal(
    shared: &Shared,
    method: &VendorMethod,
    body: &[u8],
    json: bool,
    guard: &mut JournalGuard,
) -> Response {
    match run(shared, method, body, Mode::Real, guard) {
        Ok(None) => raw(200, None, Vec::new()),
        Ok(Some(bytes)) if json => raw(200, Some(JSON), bytes),
        Ok(Some(bytes)) => raw(
            200,
            Some(XML),
            xml::render(&format!("{}Response", method.info.name), &bytes),
        ),
        Err(e) => error(&e, json),
    }
}

/// The JSON the call would have answered, success or error (`{}` for an empty result).
fn json_body(result: ApiResult<Option<Vec<u8>>>) -> Vec<u8> {
    match result {
        Ok(Some(bytes)) => bytes,
        Ok(None) => b"{}".to_vec(),
        Err(e) => e.to_json(),
    }
}

/// Adds a `"Padding"` member so that the object is about `bytes` long and still valid.
fn pad(mut object: Vec<u8>, bytes: usize) -> Vec<u8> {
    if object.last() != Some(&b'}') {
        object = b"{}".to_vec();
    }
    object.pop();
    let separator: &[u8] = if object.len() > 1 { b"," } else { b"" };
    let overhead = object.len() + separator.len() + "\"Padding\":\"\"}".len();
    let fill = bytes.saturating_sub(overhead);
    object.reserve(fill + 16);
    object.extend_from_slice(separator);
    object.extend_from_slice(b"\"Padding\":\"");
    object.resize(object.len() + fill, b'x');
    object.extend_from_slice(b"\"}");
    object
}

fn error(e: &ApiError, json: bool) -> Response {
    if json {
        raw(e.status, Some(JSON), e.to_json())
    } else {
        raw(e.status, Some(XML), xml::render(e.error_type, &e.to_json()))
    }
}

fn plain(status: u16, text: &str) -> Response {
    raw(status, Some("text/plain; charset=utf-8"), text.to_owned())
}

pub(crate) fn raw(status: u16, content_type: Option<&str>, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // An empty content type (a `body` fault's `""`) sends no Content-Type header at all.
    let content_type = content_type.filter(|c| !c.is_empty());
    if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    response
}
