//! The device endpoints: sign in and out, who am I, push, pull and the handover of a
//! deactivated user's device. Each handler checks the request's shape, then runs the
//! storage work off the async threads. Knows nothing of SQL or of the access rules (storage
//! applies them).

use super::extract::{AnyAuth, Auth, Body, check_body_protocol};
use crate::auth;
use crate::error::ServerError;
use crate::names;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fieldbook_core::protocol::{
    LoginRequest, LoginResponse, MAX_PUSH_CHANGES, Me, PullRequest, PullResponse, PushRequest,
    PushResponse,
};
use tracing::info;

type Answer<T> = Result<T, ServerError>;

pub async fn login(
    State(state): State<AppState>,
    Body(req): Body<LoginRequest>,
) -> Answer<Json<LoginResponse>> {
    names::device(&req.device_name)?;
    let user = req.user.trim().to_string();
    let lookup = user.clone();
    let creds = state.blocking(move |s| s.credentials(&lookup)).await?;
    let password = req.password;
    let (creds, ok) = tokio::task::spawn_blocking(move || match creds {
        Some(c) => {
            let ok = auth::verify(&c.password_hash, &password);
            (Some(c), ok)
        }
        None => {
            auth::verify_nothing(&password);
            (None, false)
        }
    })
    .await
    .map_err(|e| ServerError::Task(e.to_string()))?;
    let info = match creds {
        Some(c) if ok => c.info,
        _ => {
            info!(user = %user, "sign-in refused");
            return Err(ServerError::Unauthorized(
                "wrong user name or password".into(),
            ));
        }
    };
    if !info.active {
        return Err(ServerError::Unauthorized(format!(
            "{user} was deactivated and cannot sign in; ask a manager"
        )));
    }
    let token = auth::new_token();
    let hash = auth::token_hash(&token);
    let device_name = req.device_name.trim().to_string();
    let name = info.name.clone();
    let device_id = state
        .blocking(move |s| s.open_device(&name, &device_name, &hash))
        .await?;
    info!(user = %info.name, device = %device_id, "signed in");
    Ok(Json(LoginResponse {
        token,
        device_id,
        user: info.name,
        role: info.role,
        team: info.team,
    }))
}

pub async fn logout(State(state): State<AppState>, Auth(session): Auth) -> Answer<StatusCode> {
    let hash = session.token_hash.clone();
    state.blocking(move |s| s.revoke_token(&hash)).await?;
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
    let resp = state.blocking(move |st| st.push(&s, req)).await?;
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
    let resp = state.blocking(move |st| st.handover(&s, req)).await?;
    summarize(&state, "handover", &session.user, sent, &resp);
    Ok(Json(resp))
}

pub async fn pull(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<PullRequest>,
) -> Answer<Json<PullResponse>> {
    check_body_protocol(req.protocol)?;
    let page = state.blocking(move |st| st.pull(&session, &req)).await?;
    Ok(Json(page))
}
