//! The managers' endpoints beside reports: knowledge at risk (`GET /v1/team`), previews
//! of a reassignment or a departure, and who manages a team. The service decides who may
//! (reps get 403); knows nothing of SQL.

use super::extract::{Auth, Body};
use crate::error::ServerError;
use crate::service::TeamInfo;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use fieldbook_core::protocol::{
    DEFAULT_WARN_DAYS, DeactivateRequest, MovePreview, ReassignRequest, TeamManagerRequest,
    TeamStatus,
};
use serde::Deserialize;
use tracing::info;

type Answer<T> = Result<T, ServerError>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    warn_days: Option<u32>,
}

pub async fn team(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<TeamQuery>, QueryRejection>,
) -> Answer<Json<TeamStatus>> {
    let Query(q) = query.map_err(|e| {
        ServerError::BadRequest(format!(
            "{}: use ?warn_days=N (days without a sync before a device is flagged) or nothing",
            e.body_text()
        ))
    })?;
    let warn_days = q.warn_days.unwrap_or(DEFAULT_WARN_DAYS);
    let by = session.requester();
    Ok(Json(
        state
            .blocking(move |s| s.team_status(&by, warn_days))
            .await?,
    ))
}

pub async fn reassign_preview(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<ReassignRequest>,
) -> Answer<Json<MovePreview>> {
    let by = session.requester();
    Ok(Json(
        state
            .blocking(move |s| s.preview_reassign(&by, &req))
            .await?,
    ))
}

pub async fn deactivate_preview(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<DeactivateRequest>,
) -> Answer<Json<MovePreview>> {
    let by = session.requester();
    Ok(Json(
        state
            .blocking(move |s| s.preview_deactivate(&by, &req))
            .await?,
    ))
}

pub async fn team_manager(
    State(state): State<AppState>,
    Auth(session): Auth,
    Body(req): Body<TeamManagerRequest>,
) -> Answer<Json<TeamInfo>> {
    let by = session.requester();
    let team = state
        .blocking(move |s| s.set_team_manager(&by, &req.team, &req.manager))
        .await?;
    info!(by = %session.user, team = %team.name, manager = ?team.manager, "team manager set");
    Ok(Json(team))
}
