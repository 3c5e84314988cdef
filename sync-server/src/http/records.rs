//! Records for the web page, read-only: `GET /v1/records?kind=K[&after=ID][&limit=N]` (a
//! page of one kind the user sees) and `GET /v1/records/{id}` (one record the user sees;
//! any other is 404). The service decides what the user sees; knows nothing of SQL.

use super::extract::Auth;
use crate::error::ServerError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use fieldbook_core::Kind;
use fieldbook_core::protocol::RecordsPage;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsQuery {
    kind: String,
    after: Option<Uuid>,
    limit: Option<usize>,
}

pub async fn records(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<RecordsQuery>, QueryRejection>,
) -> Result<Json<RecordsPage>, ServerError> {
    let Query(q) = query.map_err(|e| {
        ServerError::BadRequest(format!(
            "{}: use ?kind=KIND[&after=ID][&limit=N]",
            e.body_text()
        ))
    })?;
    let kind = Kind::parse(&q.kind).map_err(|_| {
        ServerError::BadRequest(format!(
            "`{}` is not a kind: account, contact, opportunity, quote, activity, task, \
             product, lead or case",
            q.kind
        ))
    })?;
    let by = session.requester();
    let limit = q.limit.unwrap_or(100);
    Ok(Json(
        state
            .blocking(move |s| s.records(&by, kind, q.after, limit))
            .await?,
    ))
}

pub async fn record(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<Map<String, Value>>, ServerError> {
    let Path(id) = path.map_err(|e| {
        ServerError::BadRequest(format!("{}: a record is named by its id", e.body_text()))
    })?;
    let by = session.requester();
    Ok(Json(state.blocking(move |s| s.record(&by, id)).await?))
}
