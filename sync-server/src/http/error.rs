//! Turning a [`ServerError`] into an HTTP answer: its status and an
//! [`ErrorBody`] `{error, message}`. Failures of the server itself are logged in full and
//! answered with a sentence that does not leak internals. Knows nothing of storage.

use crate::error::ServerError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fieldbook_core::protocol::ErrorBody;

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "the server failed to handle this request; its log says why. Try again later".into()
        } else {
            self.to_string()
        };
        let retry_after = match &self {
            ServerError::Throttled { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let body = ErrorBody {
            error: self.code().to_string(),
            message,
        };
        let mut resp = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        resp
    }
}
