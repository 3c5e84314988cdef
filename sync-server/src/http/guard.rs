//! The endpoints of token lifetimes and locks: a user's own devices
//! (`GET /v1/devices`), revoking a device (`POST /v1/devices/{id}/revoke` and its admin
//! form: the service decides who may), and unlocking a user's sign-in
//! (`POST /v1/admin/users/{name}/unlock`, admins). Knows nothing of SQL.

use super::extract::Auth;
use crate::error::ServerError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use fieldbook_core::protocol::{DeviceInfo, RevokeResponse, UnlockResponse};
use tracing::info;
use uuid::Uuid;

type Answer<T> = Result<T, ServerError>;

pub async fn own_devices(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Answer<Json<Vec<DeviceInfo>>> {
    let user = session.user;
    Ok(Json(state.blocking(move |s| s.own_devices(&user)).await?))
}

pub async fn revoke(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<Uuid>, PathRejection>,
) -> Answer<Json<RevokeResponse>> {
    let Path(device) = path.map_err(|e| {
        ServerError::BadRequest(format!(
            "{}: a device is named by its id (`GET /v1/devices` lists yours)",
            e.body_text()
        ))
    })?;
    let by = session.requester();
    let done = state
        .blocking(move |s| s.revoke_device(&by, device))
        .await?;
    info!(by = %session.user, device = %device, user = %done.user, "revoked");
    Ok(Json(done))
}

pub async fn unlock(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<String>, PathRejection>,
) -> Answer<Json<UnlockResponse>> {
    let Path(user) = path.map_err(|e| {
        ServerError::BadRequest(format!("{}: name the user to unlock", e.body_text()))
    })?;
    let by = session.requester();
    Ok(Json(state.blocking(move |s| s.unlock(&by, &user)).await?))
}
