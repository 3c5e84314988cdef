//! The HTTP API of `docs/protocol.md` on axum: routes, and the layers every request goes
//! through (tracing, counters, gzip in both directions with 415 and a body for other
//! encodings, the 8 MiB body limit after decompression, the protocol header on every API
//! route, sign-in included).
//!
//! Knows nothing of SQL or of the rules: handlers call the [`Service`](crate::Service).

mod admin;
mod error;
mod extract;
mod records;
mod reports;
mod sync;
mod team;
pub mod web;

pub use extract::PENDING_HEADER;

use crate::error::ServerError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, Uri, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use fieldbook_core::protocol::MAX_BODY_BYTES;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

/// Every route, with its layers, over `state`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/logout", post(sync::logout))
        .route("/v1/me", get(sync::me))
        .route("/v1/push", post(sync::push))
        .route("/v1/pull", post(sync::pull))
        .route("/v1/handover", post(sync::handover))
        .route("/v1/reconcile", post(sync::reconcile))
        .route("/v1/reports/{name}", get(reports::report))
        .route("/v1/team", get(team::team))
        .route("/v1/records", get(records::records))
        .route("/v1/records/{id}", get(records::record))
        .route("/v1/admin/reassign/preview", post(team::reassign_preview))
        .route(
            "/v1/admin/deactivate/preview",
            post(team::deactivate_preview),
        )
        .route("/v1/admin/team-manager", post(team::team_manager))
        .route("/v1/admin/users", get(admin::users).post(admin::add_user))
        .route("/v1/admin/reassign", post(admin::reassign))
        .route("/v1/admin/deactivate", post(admin::deactivate))
        .route("/v1/admin/devices", get(admin::devices))
        .route("/v1/admin/quarantine", get(admin::quarantine))
        .route("/v1/admin/quarantine/{id}", get(admin::quarantined))
        .route(
            "/v1/admin/quarantine/{id}/apply",
            post(admin::apply_quarantined),
        )
        .route(
            "/v1/admin/quarantine/{id}/discard",
            post(admin::discard_quarantined),
        )
        .route_layer(middleware::from_fn(extract::require_protocol));
    let api = web::no_store(api);
    let open = Router::new()
        .route(
            "/v1/login",
            post(sync::login).route_layer(middleware::from_fn(extract::require_protocol)),
        )
        .route("/health", get(|| async { "ok" }))
        .route("/metrics", get(metrics));
    let app = Router::new().merge(api).merge(open);
    // With the web page, every other path is the page's; unknown API paths stay 404.
    let app = match state.ui_dir() {
        Some(dir) => {
            let unknown = Router::new().route("/v1/{*rest}", any(not_found));
            web::front_end(app.merge(web::no_store(unknown)), dir)
        }
        None => app.fallback(not_found),
    };
    let app = web::security_headers(app, state.tls());
    app.method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        // Outside the decompression: an encoding it cannot read gets a body saying so.
        .layer(middleware::from_fn(extract::known_encoding))
        // Fastest: pages are large and mostly base64 of compressed Automerge bytes already.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            extract::track,
        ))
        .with_state(state)
}

async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, ServerError> {
    let (counts, backend) = state
        .blocking(|s| Ok((s.counts()?, s.storage().metrics())))
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(&counts, &backend),
    ))
}

async fn wrong_method(method: Method, uri: Uri) -> ServerError {
    ServerError::MethodNotAllowed(format!(
        "{} does not take {method}: docs/protocol.md lists the methods",
        uri.path()
    ))
}

async fn not_found(method: Method, uri: Uri) -> ServerError {
    ServerError::NotFound(format!(
        "there is no endpoint {method} {}: docs/protocol.md lists them",
        uri.path()
    ))
}
