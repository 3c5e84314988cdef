//! What every request goes through before its handler: the protocol header check, the
//! bearer token (resolved to a [`Session`], with the device's pending count noted), JSON
//! bodies with errors in the protocol's shape, and the per-request counters. Knows nothing
//! of SQL or of what a handler does with the session.

use super::limits::{Limits, Peer};
use crate::auth;
use crate::error::ServerError;
use crate::service::Session;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fieldbook_core::protocol::{MAX_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::time::Instant;

/// The header in which a device tells how many changes it still holds.
pub const PENDING_HEADER: &str = "fieldbook-pending";

fn check_protocol(headers: &HeaderMap) -> Result<(), ServerError> {
    match headers.get(PROTOCOL_HEADER) {
        None => Err(ServerError::Protocol(format!(
            "send the header `{PROTOCOL_HEADER}: {PROTOCOL_VERSION}`: this server speaks Fieldbook sync protocol {PROTOCOL_VERSION}"
        ))),
        Some(v)
            if v.to_str().ok().and_then(|s| s.trim().parse().ok()) == Some(PROTOCOL_VERSION) =>
        {
            Ok(())
        }
        Some(v) => Err(ServerError::Protocol(format!(
            "protocol version {} is not spoken here: this server speaks version {PROTOCOL_VERSION} only; update the app or the server",
            String::from_utf8_lossy(v.as_bytes())
        ))),
    }
}

/// Checks a protocol version given in a body.
pub fn check_body_protocol(version: u32) -> Result<(), ServerError> {
    if version == PROTOCOL_VERSION {
        Ok(())
    } else {
        Err(ServerError::Protocol(format!(
            "protocol version {version} is not spoken here: this server speaks version {PROTOCOL_VERSION} only"
        )))
    }
}

/// Middleware: refuses a request without the protocol header (or with another version).
pub async fn require_protocol(req: Request, next: Next) -> Response {
    match check_protocol(req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Middleware: refuses a body in an encoding the server cannot read (it reads gzip and
/// plain bodies), with 415 and an error body that says so.
pub async fn known_encoding(req: Request, next: Next) -> Response {
    let encodings = req
        .headers()
        .get_all(axum::http::header::CONTENT_ENCODING)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|e| e.trim().to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect::<Vec<_>>()
        })
        .find(|e| e != "gzip" && e != "identity");
    match encodings {
        None => next.run(req).await,
        Some(other) => ServerError::UnsupportedMedia(format!(
            "the body is `{other}`-encoded, which this server cannot read: send it plain or gzip-compressed (content-encoding: gzip)"
        ))
        .into_response(),
    }
}

/// Middleware: counts every request by route and status, times it, and logs one line for
/// it (a plain event: a span per request cost more than the rest of a pull).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = req.method().clone();
    let start = Instant::now();
    let resp = next.run(req).await;
    let took = start.elapsed();
    let status = resp.status().as_u16();
    state.metrics().request(&route, status, took);
    tracing::info!(
        method = %method,
        route = %route,
        status,
        ms = (took.as_secs_f64() * 1e5).round() / 1e2,
        "request"
    );
    resp
}

async fn session(parts: &Parts, state: &AppState) -> Result<Session, ServerError> {
    let token = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ServerError::Unauthorized(
                "send `authorization: Bearer TOKEN`; a token comes from POST /v1/login".into(),
            )
        })?;
    let hash = auth::token_hash(token);
    let session = state.blocking(move |s| s.authenticate(&hash)).await?;
    let pending = parts
        .headers
        .get(PENDING_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A push stores what the device holds after it anyway (`pending` in its body).
    let pushing = matches!(parts.uri.path(), "/v1/push" | "/v1/handover");
    // Told again what the server knows already: nothing to write.
    if let Some(p) = pending
        && p != session.pending
        && !pushing
    {
        let s = session.clone();
        state.blocking(move |svc| svc.note_pending(&s, p)).await?;
    }
    Ok(session)
}

/// The session of an active user's token.
pub struct Auth(pub Session);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServerError> {
        let s = session(parts, state).await?;
        s.require_active()?;
        Ok(Auth(s))
    }
}

/// The session of any valid token, a deactivated user's included (for the handover).
pub struct AnyAuth(pub Session);

impl FromRequestParts<AppState> for AnyAuth {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServerError> {
        Ok(AnyAuth(session(parts, state).await?))
    }
}

/// An oversized body is still read (and thrown away) up to this many bytes, so the client
/// gets its 413 instead of a connection reset; past it the connection is closed.
const DRAIN_AT_MOST: usize = 64 << 20;

fn too_large() -> ServerError {
    ServerError::TooLarge(format!(
        "the request body is larger than {} MiB after decompression: send fewer changes per request",
        MAX_BODY_BYTES >> 20
    ))
}

fn too_slow(received: usize, limits: &Limits) -> ServerError {
    ServerError::Timeout(format!(
        "the request body came too slowly ({received} bytes so far; after {} s at least {} KiB/s must arrive): send it again on a faster connection",
        limits.body_grace.as_secs(),
        limits.body_min_rate / 1024
    ))
}

/// Reads a body (decompressed by then) of at most [`MAX_BODY_BYTES`], arriving at least
/// as fast as the connection's [`Limits`] say (`408` otherwise).
async fn read_body(req: Request) -> Result<Vec<u8>, ServerError> {
    let limits = req
        .extensions()
        .get::<Peer>()
        .map(|p| p.limits.clone())
        .unwrap_or_default();
    let start = tokio::time::Instant::now();
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > DRAIN_AT_MOST) {
        return Err(too_large());
    }
    let req_addr = req.extensions().get::<Peer>().map(|p| p.addr);
    let mut body = req.into_body();
    let mut bytes = Vec::new();
    let (mut over, mut drained) = (false, 0usize);
    loop {
        let received = bytes.len() + drained;
        let deadline = start + limits.body_allowance(received);
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                let addr = req_addr.map(|a| a.ip().to_string());
                tracing::warn!(
                    addr = addr.as_deref().unwrap_or("-"),
                    received,
                    "request body too slow"
                );
                return Err(too_slow(received, &limits));
            }
            Ok(None) => break,
            Ok(Some(frame)) => frame,
        };
        let frame = frame.map_err(|e| {
            ServerError::BadRequest(format!(
                "the request body could not be read ({e}); send JSON, optionally gzip-compressed"
            ))
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if over {
            drained += data.len();
            if drained > DRAIN_AT_MOST {
                break;
            }
        } else if bytes.len() + data.len() > MAX_BODY_BYTES {
            over = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&data);
        }
    }
    if over { Err(too_large()) } else { Ok(bytes) }
}

/// A JSON body; malformed or oversized bodies are answered in the protocol's error shape.
/// The content type is not insisted on.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ServerError> {
        let bytes = read_body(req).await?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| {
            ServerError::BadRequest(format!(
                "malformed JSON body: {e}; docs/protocol.md describes each message"
            ))
        })
    }
}
