//! The HTTP API: the router, its middleware (body limit, timeouts, compression of the JSON
//! answers) and the OpenAPI document generated from the same handlers the router holds.

mod admin;
mod error;
mod feeds;
mod health;
mod links;
mod search;
mod usage;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::{ApiError, ErrorBody, ErrorDetail, JsonBody};
pub use feeds::{feed_url, FEED_CACHE_CONTROL};
pub use health::HealthBody;
pub use links::{LinkEntry, LinkSourceName, LinksAnswerBody, LinksBody};
pub use search::{SearchAnswerBody, SearchBody, MAX_LOCALE_LENGTH, MAX_QUERY_LENGTH};
pub use usage::{StatsBody, DEFAULT_STATS_DAYS, MAX_STATS_DAYS, MAX_STATS_EVENTS};

use crate::state::AppState;

/// The largest request body read (the API's bodies are small JSON documents).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Answers up to this size go uncompressed: they arrive in the first flight of packets either
/// way (TCP's initial window is ten segments, about 14 KB), so compressing them saves no round
/// trip, and it cost a search of the fake API's size (a 2 KB answer) a quarter of the server's
/// CPU in Brotli (`scripts/bench server --perf`). Larger answers (a 50-product page) are
/// compressed. Feeds are never compressed here: they are served in the encodings made once.
pub const COMPRESS_ABOVE_BYTES: u16 = 8 * 1024;
/// The longest a request may take, body included, before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Smart Shopper companion server",
        description = "Signed coupon feeds per market, Smart Search products, affiliate links and anonymous usage counts for the Smart Shopper extension."
    ),
    modifiers(&AdminToken)
)]
struct ApiDoc;

struct AdminToken;

impl utoipa::Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The routes and the OpenAPI document that describes exactly them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(feeds::feeds))
        .routes(routes!(feeds::feed))
        .routes(routes!(admin::put_rates))
        .routes(routes!(search::search))
        .routes(routes!(links::links))
        .routes(routes!(usage::post_events))
        .routes(routes!(usage::stats))
        .routes(routes!(openapi))
        .split_for_parts()
}

/// The document, as JSON.
#[derive(Clone)]
struct Document(Arc<String>);

/// This API's OpenAPI document.
#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"))
)]
async fn openapi(Extension(document): Extension<Document>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document.0.as_str().to_owned(),
    )
}

/// What answers a path the router has no route for (told apart from a handler's own 404).
async fn no_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "route_not_found",
        "no such endpoint; see /v1/openapi.json",
    )
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (router, document) = routes();
    let document = Document(Arc::new(document.to_json().unwrap_or_default()));
    router
        .fallback(no_route)
        .layer(Extension(document))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE_BYTES))),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

#[cfg(test)]
mod tests;
