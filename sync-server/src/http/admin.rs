//! The administrative endpoints (`/v1/admin/*`): users, reassignment, deactivation,
//! devices and the quarantine, for managers (within their teams) and admins. The service
//! decides who may do what (reps get 403); knows nothing of SQL.

use super::extract::{Auth, Body};
use crate::error::ServerError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, DeviceInfo, NewUser, QuarantineDecision,
    QuarantineDetail, QuarantineEntry, ReassignRequest, ReassignResponse, UserInfo,
};
use serde::Deserialize;
use tracing::info;

type Answer<T> = Result<T, ServerError>;

pub async fn users(
    State(state): State<AppState>,
    Auth(session): Auth,
) -> Answer<Json<Vec<UserInfo>>> {
    let by = session.requester();
    Ok(Json(state.blocking(move |s| s.users(&by)).await?))
}

pub async fn add_user(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(new): Body<NewUser>,
) -> Answer<(StatusCode, Json<UserInfo>)> {
    let by = session.requester();
    let user = state.blocking(move |s| s.add_user(&by, new)).await?;
    info!(by = %session.user, user = %user.name, role = user.role.as_str(), "user added");
    Ok((StatusCode::CREATED, Json(user)))
}

pub async fn reassign(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<ReassignRequest>,
) -> Answer<Json<ReassignResponse>> {
    let by = session.requester();
    let to = req.to.clone();
    let moved = state.blocking(move |s| s.reassign(&by, &req)).await?;
    info!(by = %session.user, to = %to, accounts = moved.accounts, records = moved.records, "reassigned");
    Ok(Json(moved))
}

pub async fn deactivate(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<DeactivateRequest>,
) -> Answer<Json<DeactivateResponse>> {
    let by = session.requester();
    let (user, successor) = (req.user.clone(), req.successor.clone());
    let done = state.blocking(move |s| s.deactivate(&by, &req)).await?;
    info!(by = %session.user, user = %user, successor = %successor, records = done.records, "deactivated");
    Ok(Json(done))
}

#[derive(Debug, Deserialize)]
pub struct DevicesQuery {
    user: Option<String>,
}

pub async fn devices(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<DevicesQuery>, QueryRejection>,
) -> Answer<Json<Vec<DeviceInfo>>> {
    let Query(q) = query.map_err(|e| {
        ServerError::BadRequest(format!("{}: use ?user=NAME or nothing", e.body_text()))
    })?;
    let by = session.requester();
    Ok(Json(
        state
            .blocking(move |s| s.devices(&by, q.user.as_deref()))
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct QuarantineQuery {
    /// Decided entries too (applied, discarded), not only open ones.
    #[serde(default)]
    all: bool,
}

pub async fn quarantine(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<QuarantineQuery>, QueryRejection>,
) -> Answer<Json<Vec<QuarantineEntry>>> {
    let Query(q) = query.map_err(|e| {
        ServerError::BadRequest(format!("{}: use ?all=true or nothing", e.body_text()))
    })?;
    let by = session.requester();
    Ok(Json(
        state.blocking(move |s| s.quarantine(&by, q.all)).await?,
    ))
}

fn entry_id(path: Result<Path<i64>, PathRejection>) -> Answer<i64> {
    path.map(|Path(id)| id).map_err(|e| {
        ServerError::BadRequest(format!(
            "{}: a quarantined change is named by its number (`quarantine list` shows them)",
            e.body_text()
        ))
    })
}

pub async fn quarantined(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<Json<QuarantineDetail>> {
    let id = entry_id(path)?;
    let by = session.requester();
    Ok(Json(state.blocking(move |s| s.quarantined(&by, id)).await?))
}

pub async fn apply_quarantined(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<Json<QuarantineDecision>> {
    let id = entry_id(path)?;
    let by = session.requester();
    let done = state
        .blocking(move |s| s.apply_quarantined(&by, id))
        .await?;
    info!(by = %session.user, id, also = done.also_applied, "quarantined change applied");
    Ok(Json(done))
}

pub async fn discard_quarantined(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<i64>, PathRejection>,
) -> Answer<Json<QuarantineDecision>> {
    let id = entry_id(path)?;
    let by = session.requester();
    let done = state
        .blocking(move |s| s.discard_quarantined(&by, id))
        .await?;
    info!(by = %session.user, id, "quarantined change discarded");
    Ok(Json(done))
}
