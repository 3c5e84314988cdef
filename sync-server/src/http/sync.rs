//! The device endpoints: sign in and out, who am I, push, pull, reconcile (after a restore
//! from a backup) and the handover of a deactivated user's device. Each handler checks the request's shape (protocol version,
//! page size), then runs the service's operation off the async threads. Knows nothing of
//! SQL or of the access rules (the service applies them).

use super::extract::{AnyAuth, Auth, Body, check_body_protocol};
use super::limits::Peer;
use crate::error::ServerError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use fieldbook_core::protocol::{
    LoginRequest, LoginResponse, MAX_PUSH_CHANGES, Me, PullRequest, PullResponse, PushRequest,
    PushResponse, ReconcileRequest, ReconcileResponse,
};
use tracing::info;

type Answer<T> = Result<T, ServerError>;

pub async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> Answer<Json<LoginResponse>> {
    let from = peer.map(|Extension(p)| p.client(&headers));
    let login = state.blocking(move |s| s.login_from(&req, from)).await?;
    let addr = from.map_or_else(|| "-".to_string(), |a| a.to_string());
    info!(user = %login.user, device = %login.device_id, addr = %addr, "signed in");
    Ok(Json(login))
}

pub async fn logout(State(state): State<AppState>, Auth(session): Auth) -> Answer<StatusCode> {
    let s = session.clone();
    state.blocking(move |svc| svc.logout(&s)).await?;
    info!(user = %session.user, device = %session.device_id, "signed out");
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(Auth(session): Auth) -> Json<Me> {
    Json(Me {
        user: session.user,
        role: session.role,
        team: session.team,
        device_id: session.device_id,
    })
}

fn check_push(req: &PushRequest) -> Answer<()> {
    check_body_protocol(req.protocol)?;
    if req.changes.len() > MAX_PUSH_CHANGES {
        return Err(ServerError::TooLarge(format!(
            "a push carries at most {MAX_PUSH_CHANGES} changes and this one has {}: send them in pages",
            req.changes.len()
        )));
    }
    Ok(())
}

fn summarize(state: &AppState, what: &str, user: &str, sent: usize, resp: &PushResponse) {
    state
        .metrics()
        .changes(resp.accepted, resp.duplicates, resp.refused.len() as u64);
    info!(
        user,
        sent,
        accepted = resp.accepted,
        duplicates = resp.duplicates,
        refused = resp.refused.len(),
        wipe = resp.wipe,
        "{what}"
    );
}

/// 200 when everything was taken, 403 when something was refused (into quarantine).
pub async fn push(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<PushRequest>,
) -> Answer<(StatusCode, Json<PushResponse>)> {
    check_push(&req)?;
    let sent = req.changes.len();
    let s = session.clone();
    let resp = state.blocking(move |svc| svc.push(&s, req)).await?;
    summarize(&state, "push", &session.user, sent, &resp);
    let status = if resp.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    Ok((status, Json(resp)))
}

/// Always 200 (refused changes are kept in quarantine; the device must still wipe).
pub async fn handover(
    State(state): State<AppState>,
    AnyAuth(session): AnyAuth,
    Body(req): Body<PushRequest>,
) -> Answer<Json<PushResponse>> {
    check_push(&req)?;
    let sent = req.changes.len();
    let s = session.clone();
    let resp = state.blocking(move |svc| svc.handover(&s, req)).await?;
    summarize(&state, "handover", &session.user, sent, &resp);
    Ok(Json(resp))
}

pub async fn pull(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<PullRequest>,
) -> Answer<Json<PullResponse>> {
    check_body_protocol(req.protocol)?;
    let page = state.blocking(move |svc| svc.pull(&session, &req)).await?;
    Ok(Json(page))
}

/// What the server lacks of the records a device holds (after a restore from a backup).
pub async fn reconcile(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<ReconcileRequest>,
) -> Answer<Json<ReconcileResponse>> {
    check_body_protocol(req.protocol)?;
    let asked = req.docs.len();
    let s = session.clone();
    let resp = state.blocking(move |svc| svc.reconcile(&s, &req)).await?;
    info!(user = %session.user, asked, behind = resp.behind.len(), "reconcile");
    Ok(Json(resp))
}
