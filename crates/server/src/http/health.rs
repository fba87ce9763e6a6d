//! `GET /v1/health`: whether the feeds are current.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use shopper_core::coupon::write_time;
use utoipa::ToSchema;

use crate::state::AppState;

/// The server's health.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct HealthBody {
    /// `ok`, or `degraded` when the last refresh failed (the last good feeds are served).
    pub status: String,
    /// The catalog revision the feeds were built from.
    pub revision: i64,
    /// How many markets are served.
    pub markets: usize,
    /// When the feeds were last built, RFC 3339.
    pub built_at: Option<String>,
    /// Why the last refresh failed.
    pub error: Option<String>,
}

/// Whether the server is serving current feeds.
#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "health",
    responses(
        (status = 200, description = "Serving current feeds", body = HealthBody),
        (status = 503, description = "The last refresh failed; the last good feeds are served", body = HealthBody),
    )
)]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthBody>) {
    let published = state.published();
    let health = state.health();
    let status = if health.last_error.is_some() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let body = HealthBody {
        status: if status == StatusCode::OK {
            "ok"
        } else {
            "degraded"
        }
        .into(),
        revision: published.revision,
        markets: published.feeds.len(),
        built_at: health.built_at.map(write_time),
        error: health.last_error,
    };
    (status, Json(body))
}
