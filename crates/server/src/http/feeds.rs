//! `GET /v1/feeds/{market}` and `GET /v1/feeds`: lookups of what the publisher prepared.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shopper_core::market::Market;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use crate::feeds::{negotiate, FeedIndex};
use crate::state::AppState;

/// What a CDN and the browser may do with a feed: keep it five minutes, then revalidate (a 304
/// is cheap), and serve the stale copy for a day if the server is down. The extension keeps
/// the last good feed whatever the download does.
pub const FEED_CACHE_CONTROL: &str =
    "public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400";

/// The signed envelope a feed travels in (documented here; the bytes are the core's).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Envelope {
    /// The publisher key's id.
    key_id: String,
    /// Base64 of the exact v1 feed bytes.
    payload: String,
    /// Base64 of the Ed25519 signature of those bytes.
    signature: String,
}

/// The URL of a market's feed.
pub fn feed_url(market: &Market) -> String {
    format!("/v1/feeds/{market}")
}

/// The signed feed of one market.
#[utoipa::path(
    get,
    path = "/v1/feeds/{market}",
    tag = "feeds",
    params(
        ("market" = String, Path, description = "A ship-to country and a currency", example = "US-USD"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag of this feed: 304 if it is current"),
        ("Accept-Encoding" = Option<String>, Header, description = "br and gzip are served precompressed"),
    ),
    responses(
        (status = 200, description = "The signed envelope of the market's coupons", body = Envelope,
         headers(("ETag" = String, description = "Strong, one per encoding"), ("Cache-Control" = String))),
        (status = 304, description = "The feed named by If-None-Match is current"),
        (status = 400, description = "Not a market", body = ErrorBody),
        (status = 404, description = "A market this server does not serve", body = ErrorBody),
    )
)]
pub async fn feed(
    State(state): State<AppState>,
    Path(market): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let market = Market::parse(&market).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            shopper_core::Problem::code(&e),
            e.to_string(),
        )
    })?;
    let published = state.published();
    let feed = published.feeds.get(&market).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "market_not_served",
            format!("no feed for {market}; GET /v1/feeds lists the markets served"),
        )
    })?;
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let encoding = negotiate(text(header::ACCEPT_ENCODING));
    let etag = feed.etag_header(encoding).clone();
    let mut response = if text(header::IF_NONE_MATCH).is_some_and(|tags| feed.not_modified(tags)) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut ok = feed.body(encoding).clone().into_response();
        let ok_headers = ok.headers_mut();
        ok_headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(coding) = encoding.header() {
            ok_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        ok
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, etag);
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(FEED_CACHE_CONTROL),
    );
    out.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(response)
}

/// The markets served, with their feeds' ETags, sizes and coupon counts.
#[utoipa::path(
    get,
    path = "/v1/feeds",
    tag = "feeds",
    responses((status = 200, description = "Every market's feed", body = FeedIndex))
)]
pub async fn feeds(State(state): State<AppState>) -> impl IntoResponse {
    let index = state.published().index(&state.keys, feed_url);
    ([(header::CACHE_CONTROL, "public, max-age=60")], Json(index))
}
