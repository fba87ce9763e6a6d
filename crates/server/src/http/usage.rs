//! `POST /v1/events`: an anonymous usage batch, read by the core's strict reader from the bytes
//! as they came (never serde), rate-limited per address and per id in memory, and added to the
//! day's aggregates ([`crate::usage`]). `GET /v1/stats`, behind the admin token: the aggregates
//! of a range of days. Neither logs a batch, an id or an address.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use shopper_core::events::{day_of, day_text, parse_day, read_batch, BatchError, Day};
use shopper_core::events::{MAX_BATCH_BYTES, SCHEMA};
use shopper_core::Problem;
use utoipa::{IntoParams, ToSchema};

use super::admin::Admin;
use super::error::{ApiError, ErrorBody};
use crate::clock;
use crate::limiter::retry_after_seconds;
use crate::serve::PeerAddress;
use crate::state::AppState;
use crate::usage::{self, OverLimit};

/// The most days one stats request covers: a quarter.
pub const MAX_STATS_DAYS: i64 = 92;
/// The days a stats request without `from` covers, `to` included: a week.
pub const DEFAULT_STATS_DAYS: i64 = 7;
/// The most event sums one stats answer holds (about 150 bytes each): the rows are as many as
/// the distinct countries, languages, browsers and versions senders name, which they choose.
pub const MAX_STATS_EVENTS: usize = 50_000;

/// A usage batch, schema 1 (`shopper_core::events`): every field required, no other allowed.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BatchBody {
    /// The batch format: 1.
    #[schema(example = 1)]
    schema: u64,
    /// A random version 4 UUID in lower case, made on the device once.
    #[schema(
        example = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
        min_length = 36,
        max_length = 36
    )]
    id: String,
    /// `chrome`, `edge`, `opera`, `brave`, `vivaldi`, `yandex`, `firefox` or `other`.
    #[schema(example = "chrome")]
    browser: String,
    /// The browser's major version, 1 to 999.
    #[schema(example = 131, minimum = 1, maximum = 999)]
    browser_major: u16,
    /// `windows`, `macos`, `linux`, `chromeos`, `android` or `other`.
    #[schema(example = "windows")]
    os: String,
    /// An assigned ISO 3166-1 alpha-2 code, or `ZZ` when not known.
    #[schema(example = "US", min_length = 2, max_length = 2)]
    country: String,
    /// `en`, `de`, `es`, `fr`, `pt_BR`, `ru` or `other`.
    #[schema(example = "en")]
    language: String,
    /// Minutes east of UTC, -720 to 840, a multiple of 15.
    #[schema(example = -300, minimum = -720, maximum = 840, multiple_of = 15)]
    utc_offset: i16,
    /// The manifest's version: one to four numbers, 0 to 65535, without leading zeros.
    #[schema(example = "1.4.2")]
    extension_version: String,
    /// How many times each event happened since the last batch; an event that did not happen
    /// may be left out. No other event is allowed.
    counts: EventCountsBody,
}

/// How many times each event happened (each at most its bound: 100,000 link rewrites, 100
/// mode changes, 1,000 of any other).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EventCountsBody {
    /// The popup was opened.
    popup_opened: Option<u32>,
    /// A coupon's code was copied from the popup.
    coupon_copied: Option<u32>,
    /// A coupon's code was filled into a checkout page.
    coupon_filled: Option<u32>,
    /// The shopper activated deals on a tab.
    deals_activated: Option<u32>,
    /// A Smart Search request was submitted.
    search_submitted: Option<u32>,
    /// A Smart Search product result was opened.
    search_result_opened: Option<u32>,
    /// A product link on a page became our link.
    link_rewritten: Option<u32>,
    /// A tab stood down (it came through someone else's affiliate link).
    stood_down: Option<u32>,
    /// A coupon feed download or check failed.
    feed_update_failed: Option<u32>,
    /// The shopper changed the rewrite mode.
    mode_changed: Option<u32>,
}

/// Counts an anonymous usage batch. The batch is not kept: only what it adds to the day's
/// aggregates, and its id in the day's active marks for 31 days.
#[utoipa::path(
    post,
    path = "/v1/events",
    tag = "events",
    request_body(content = BatchBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Counted"),
        (status = 400, description = "The whole batch refused, with the core's reason: `events_too_large` (over 4,096 bytes), `events_not_json`, `events_unknown_field`, `events_wrong_type`, `events_missing_field`, `events_bad_value`, `events_unknown_event`, `events_count_too_high`...", body = ErrorBody),
        (status = 429, description = "Too many batches from this address (`events_rate_limited_address`) or for this id (`events_rate_limited_id`); `Retry-After` says in how many seconds to send again", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "Storage failed (`storage_failed`)", body = ErrorBody),
    )
)]
pub async fn post_events(
    State(state): State<AppState>,
    peer: Option<Extension<PeerAddress>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match count_batch(&state, peer.map(|Extension(peer)| peer), &headers, body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(refusal) => refusal,
    }
}

async fn count_batch(
    state: &AppState,
    peer: Option<PeerAddress>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(), Response> {
    let limits = &state.event_limits;
    limits
        .address(peer.map(PeerAddress::ip))
        .map_err(too_many)?;
    // A body announced too large is refused unread.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(bytes) = declared.filter(|n| *n > MAX_BATCH_BYTES) {
        return Err(refused(&BatchError::TooLarge { bytes }));
    }
    let body = match body {
        Ok(body) => body,
        // More than the server reads of any body (sent without a length).
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(refused(&BatchError::TooLarge {
                bytes: super::MAX_BODY_BYTES + 1,
            }));
        }
        Err(rejection) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                rejection.body_text(),
            )
            .into_response())
        }
    };
    let batch = read_batch(&body).map_err(|error| refused(&error))?;
    limits.id(batch.id).map_err(too_many)?;
    state
        .recorder
        .record(&batch, clock::now())
        .await
        .map(drop)
        .map_err(|error| {
            tracing::error!(%error, "storing a usage batch failed");
            storage_failed()
        })
}

/// A refused batch: 400 with the core's code and reason. Logged by its code only (a reason may
/// repeat what was sent).
fn refused(error: &BatchError) -> Response {
    tracing::debug!(code = error.code(), "usage batch refused");
    ApiError::new(StatusCode::BAD_REQUEST, error.code(), error.to_string()).into_response()
}

fn too_many(over: OverLimit) -> Response {
    let (code, message, wait) = match over {
        OverLimit::Address(wait) => (
            "events_rate_limited_address",
            "too many usage batches from this address",
            wait,
        ),
        OverLimit::Id(wait) => (
            "events_rate_limited_id",
            "too many usage batches for this id",
            wait,
        ),
    };
    let seconds = retry_after_seconds(wait);
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        code,
        format!("{message}; send again in {seconds} s"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

fn storage_failed() -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage_failed",
        "storage failed",
    )
    .into_response()
}

/// The days to report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The first day, `YYYY-MM-DD` (UTC); default: six days before `to`.
    #[param(example = "2026-11-17")]
    from: Option<String>,
    /// The last day, `YYYY-MM-DD` (UTC); default: today. At most 92 days from `from`.
    #[param(example = "2026-11-23")]
    to: Option<String>,
}

/// The usage aggregates of a range of days.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsBody {
    /// The first day reported, `YYYY-MM-DD`.
    pub from: String,
    /// The last day reported.
    pub to: String,
    /// The server's day now (UTC): its counts are so far.
    pub today: String,
    /// Every day of the range, in order, with its active counts.
    pub days: Vec<StatsDay>,
    /// The event sums by day, event, country, language, browser and version (in that order);
    /// a key nothing was counted for is absent.
    pub events: Vec<StatsEvent>,
    /// Whether there were more event sums than one answer holds (50,000): ask fewer days.
    pub events_truncated: bool,
    /// Active ids per day by one field's value (`os`, `browser`, `utc_offset`), each field on
    /// its own, never crossed with another.
    pub profiles: Vec<StatsProfile>,
}

/// A day's active counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDay {
    /// The day.
    pub day: String,
    /// Distinct anonymous ids that sent a batch that day.
    pub daily_active: u64,
    /// Distinct ids that sent one on a day of the 30 ending with it: counted now for today and
    /// yesterday, as finished the day after for an earlier day; null for a day the server did
    /// not finish (down all of the next day).
    pub monthly_active: Option<u64>,
}

/// One sum of an event's counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsEvent {
    /// The day.
    pub day: String,
    /// The event (`popup_opened`).
    pub event: String,
    /// The country (`US`; `ZZ` not known).
    pub country: String,
    /// The interface language (`en`; `other`).
    pub language: String,
    /// The browser family (`chrome`).
    pub browser: String,
    /// The extension's version.
    pub extension_version: String,
    /// The sum of the counts.
    pub count: u64,
}

/// Active ids of a day by one field's value.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsProfile {
    /// The day.
    pub day: String,
    /// `os`, `browser` (family and major version) or `utc_offset`.
    pub field: String,
    /// Its value (`windows`, `chrome/131`, `-05:00`).
    pub value: String,
    /// How many ids active that day had it.
    pub active: u64,
}

/// The usage aggregates of a range of days: event sums, daily and monthly active counts.
#[utoipa::path(
    get,
    path = "/v1/stats",
    tag = "admin",
    params(StatsQuery),
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The aggregates of the days asked", body = StatsBody),
        (status = 400, description = "Not a day (`stats_bad_day`), `from` after `to` or more than 92 days (`stats_bad_range`), or another parameter (`stats_bad_query`)", body = ErrorBody),
        (status = 401, description = "No or a wrong admin token", body = ErrorBody),
        (status = 404, description = "No admin token is configured", body = ErrorBody),
        (status = 500, description = "Storage failed (`storage_failed`)", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    _admin: Admin,
    query: Result<Query<StatsQuery>, QueryRejection>,
) -> Result<Json<StatsBody>, ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "stats_bad_query",
            rejection.body_text(),
        )
    })?;
    let today = day_of(clock::now());
    let (first, last) = range(&query, today)?;
    let stats = usage::stats(
        state.storage.as_ref(),
        (first, last),
        today,
        MAX_STATS_EVENTS,
    )
    .await
    .map_err(|error| {
        tracing::error!(%error, "reading the usage stats failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage_failed",
            "storage failed",
        )
    })?;
    let report = stats.report;
    Ok(Json(StatsBody {
        from: day_text(first),
        to: day_text(last),
        today: day_text(today),
        days: stats
            .days
            .iter()
            .map(|d| StatsDay {
                day: day_text(d.day),
                daily_active: d.daily,
                monthly_active: d.monthly,
            })
            .collect(),
        events: report
            .events
            .into_iter()
            .map(|e| StatsEvent {
                day: day_text(e.day),
                event: e.event,
                country: e.country,
                language: e.language,
                browser: e.browser,
                extension_version: e.extension_version,
                count: e.count,
            })
            .collect(),
        events_truncated: report.events_truncated,
        profiles: report
            .profiles
            .into_iter()
            .map(|p| StatsProfile {
                day: day_text(p.day),
                field: p.field,
                value: p.value,
                active: p.active,
            })
            .collect(),
    }))
}

/// The days a query asks for, bounded.
fn range(query: &StatsQuery, today: Day) -> Result<(Day, Day), ApiError> {
    let day = |name: &str, text: &Option<String>| -> Result<Option<Day>, ApiError> {
        text.as_deref()
            .map(|t| {
                parse_day(t).ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "stats_bad_day",
                        format!("{name} must be a day such as 2026-11-23"),
                    )
                })
            })
            .transpose()
    };
    let last = day("to", &query.to)?.unwrap_or(today);
    let first = day("from", &query.from)?.unwrap_or(last - (DEFAULT_STATS_DAYS - 1));
    if first > last || last - first >= MAX_STATS_DAYS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "stats_bad_range",
            format!("from must not be after to, and at most {MAX_STATS_DAYS} days apart"),
        ));
    }
    Ok((first, last))
}

/// The batch format the schema documents.
const _: () = assert!(SCHEMA == 1);

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>) -> StatsQuery {
        StatsQuery {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        }
    }

    #[test]
    fn the_range_is_a_week_by_default_and_bounded() {
        let today = parse_day("2026-11-23").expect("day");
        assert_eq!(
            range(&query(None, None), today).ok(),
            Some((today - 6, today))
        );
        let to = parse_day("2026-01-31").expect("day");
        assert_eq!(
            range(&query(None, Some("2026-01-31")), today).ok(),
            Some((to - 6, to))
        );
        assert_eq!(
            range(&query(Some("2026-11-23"), None), today).ok(),
            Some((today, today))
        );
        let longest = range(&query(Some("2026-01-01"), Some("2026-04-02")), today);
        assert!(longest.is_ok_and(|(a, b)| b - a + 1 == MAX_STATS_DAYS));
        let code = |from, to| {
            range(&query(from, to), today)
                .err()
                .map(|e| e.into_response().status().as_u16())
        };
        assert_eq!(code(Some("2026-01-01"), Some("2026-04-03")), Some(400));
        assert_eq!(code(Some("2026-11-24"), None), Some(400), "after to");
        assert_eq!(code(Some("yesterday"), None), Some(400));
        assert_eq!(code(None, Some("2026-02-30")), Some(400));
    }
}
