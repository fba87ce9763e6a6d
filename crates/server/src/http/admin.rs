//! `/v1/admin/*`, behind the admin token: what an operator changes through the API.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody, JsonBody};
use crate::clock;
use crate::rates::RatesInput;
use crate::state::AppState;

/// A change stored.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Stored {
    /// The catalog's revision after it (the feeds follow within moments).
    pub revision: i64,
}

/// A request that carried the admin token: checked before its body is read.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authorised(state, &parts.headers).map(|()| Self)
    }
}

/// The token is checked by its digest, so the comparison's time says nothing of the token.
fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.admin_token else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "admin_off",
            "no admin token is configured, so the admin endpoints are off",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if Sha256::digest(given.as_bytes()) != Sha256::digest(token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "admin_unauthorised",
            "Authorization: Bearer <admin token> is required",
        ));
    }
    Ok(())
}

/// Replaces the day's exchange rates the feeds carry.
#[utoipa::path(
    put,
    path = "/v1/admin/rates",
    tag = "admin",
    request_body = RatesInput,
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Stored; the feeds are rebuilt", body = Stored),
        (status = 400, description = "Not rates (malformed JSON, unknown fields, an unknown currency, a rate that is not positive)", body = ErrorBody),
        (status = 401, description = "No or a wrong admin token", body = ErrorBody),
        (status = 404, description = "No admin token is configured", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
    )
)]
pub async fn put_rates(
    State(state): State<AppState>,
    _admin: Admin,
    JsonBody(input): JsonBody<RatesInput>,
) -> Result<Json<Stored>, ApiError> {
    let rates = input
        .to_rates()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "rates_invalid", e.to_string()))?;
    let catalog = state
        .storage
        .replace_rates(&rates, clock::now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "storing rates failed");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "storage_failed",
                "storage failed",
            )
        })?;
    state.changed.notify_one();
    Ok(Json(Stored {
        revision: catalog.revision,
    }))
}
