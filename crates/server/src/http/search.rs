//! `POST /v1/search`: a request the shopper submitted, its ship-to country, currency and
//! language, bounded and read here; the products are [`crate::search`]'s; the answer is the
//! core's JSON as it is written, and every failure is a typed error answer.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shopper_aliexpress::ApiError as AliexpressError;
use shopper_core::locale::UiLanguage;
use shopper_core::money::Currency;
use shopper_core::page::CountryCode;
use shopper_core::search::{SearchTarget, MAX_QUERY_CHARS};
use shopper_core::Problem;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody, JsonBody};
use crate::search::{SearchError, SearchInput};
use crate::state::AppState;

/// The longest request read, in characters: the popup's limit
/// (`contract.search_query_max_length`, in UTF-16 units, which are never fewer than the
/// characters); the parser reads the first [`MAX_QUERY_CHARS`] of it.
pub const MAX_QUERY_LENGTH: usize = 2 * MAX_QUERY_CHARS;
/// The longest language tag read (BCP 47 tags in practice are far shorter).
pub const MAX_LOCALE_LENGTH: usize = 35;

/// A Smart Search request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    /// What the shopper typed, at most 2,000 characters (only the first 1,000 are read).
    #[schema(example = "bluetooth speaker under $30 4+ stars", max_length = 2000)]
    pub query: String,
    /// The ship-to country, ISO 3166-1 alpha-2.
    #[schema(example = "US", min_length = 2, max_length = 2)]
    pub country: String,
    /// The currency prices are shown in, ISO 4217.
    #[schema(example = "USD", min_length = 3, max_length = 3)]
    pub currency: String,
    /// The shopper's language tag; titles come in it when the extension speaks it, else in
    /// English.
    #[schema(example = "en-US", max_length = 35)]
    pub locale: String,
}

/// How one filter of the request was applied.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchFilter {
    /// `price`, `rating`, `free_shipping`, `ship_from` or `sort`.
    filter: String,
    /// `in_query`, `converted`, `on_results`, `no_rate` or `not_available`.
    applied: String,
    /// How many products a filter on the results removed (else null).
    removed: Option<u64>,
    /// How many of those did not say (else null).
    unknown: Option<u64>,
}

/// What was asked of the affiliate API.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// `keywords`.
    keywords: String,
    /// `min_sale_price`, in minor units of `target_currency`.
    min_sale_price: Option<u64>,
    /// `max_sale_price`, in minor units of `target_currency`.
    max_sale_price: Option<u64>,
    /// `SALE_PRICE_ASC`, `SALE_PRICE_DESC`, `LAST_VOLUME_DESC`, or null.
    sort: Option<String>,
    /// `target_currency`.
    target_currency: String,
    /// `target_language` (`EN`, `PT`...).
    target_language: String,
    /// `ship_to_country`.
    ship_to_country: String,
    /// `page_size`.
    page_size: u64,
}

/// A product's store.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchStore {
    /// Its id.
    id: Option<String>,
    /// Its name.
    name: Option<String>,
    /// Its page on AliExpress (`https`).
    url: Option<String>,
}

/// One product.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchProduct {
    /// The product id (digits; beyond 2^53, so a string).
    id: String,
    /// Its title.
    title: String,
    /// Its main image (`https`).
    image: Option<String>,
    /// The currency of its prices.
    currency: String,
    /// Its price, in minor units.
    price: u64,
    /// The same, in major units as text (`"12.50"`).
    price_text: String,
    /// Its price before the discount, in minor units.
    original_price: Option<u64>,
    /// The same, in major units as text.
    original_price_text: Option<String>,
    /// The discount, in percent.
    discount_percent: Option<u64>,
    /// The share of positive reviews, in percent (`92.1`).
    positive_percent: Option<f64>,
    /// Orders lately.
    orders: Option<u64>,
    /// Its store.
    store: Option<SearchStore>,
    /// Our promotion link to it (an affiliate link, opened at the shopper's click).
    link: Option<String>,
    /// Whether it ships for free.
    free_shipping: Option<bool>,
    /// The country it ships from.
    ship_from: Option<String>,
}

/// Smart Search's answer: the request as read, what was asked, how each filter was applied,
/// and the products (written by `shopper_core::search::ProductAnswer::to_json`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchAnswerBody {
    /// The product words read.
    keywords: String,
    /// The least price asked, as typed.
    min_price: Option<f64>,
    /// The most price asked, as typed.
    max_price: Option<f64>,
    /// The currency the request named.
    currency: Option<String>,
    /// The least rating asked, in stars out of five.
    min_rating: Option<f64>,
    /// Whether free shipping was asked.
    free_shipping: bool,
    /// The ship-from country asked.
    ship_from: Option<String>,
    /// The order asked: `price_asc`, `price_desc`, `orders`, `newest` or null.
    sort: Option<String>,
    /// Who read the request: `rules` (the parser the popup shares), or `model` (the operator's
    /// language model, for a request the rules did not read fully; its product words, and the
    /// filters the rules did not read). Older servers leave it out.
    #[schema(example = "rules")]
    read_by: String,
    /// What was asked of the affiliate API.
    query: SearchQuery,
    /// Each filter of the request, in the popup's chip order.
    filters: Vec<SearchFilter>,
    /// Products the API returned that could not be shown.
    unusable: u64,
    /// Products that passed every filter beyond those shown.
    not_shown: u64,
    /// The products, at most 20.
    products: Vec<SearchProduct>,
}

/// Products for a request the shopper submitted. The request is not kept or logged.
#[utoipa::path(
    post,
    path = "/v1/search",
    tag = "search",
    request_body = SearchBody,
    responses(
        (status = 200, description = "The request as read and the products found for it", body = SearchAnswerBody),
        (status = 400, description = "Malformed JSON, an unknown field, a string too long, or not a country, currency or language tag", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "The request names no product to look for (`search_no_keywords`)", body = ErrorBody),
        (status = 502, description = "The affiliate API refused or failed (`aliexpress_refused`, `aliexpress_status`...)", body = ErrorBody),
        (status = 503, description = "Smart Search is off (`search_unavailable`), or the API failed too often lately (`aliexpress_circuit_open`)", body = ErrorBody),
        (status = 504, description = "The affiliate API did not answer in time (`aliexpress_deadline`, `aliexpress_timeout`)", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<SearchBody>,
) -> Result<Response, ApiError> {
    let input = read(body)?;
    let rates = state.rates();
    match state.search.run(&input, &rates).await {
        Ok(answer) => Ok(([(header::CONTENT_TYPE, "application/json")], answer).into_response()),
        Err(error) => {
            // The code only: the request's text never reaches a log.
            tracing::warn!(code = code(&error), "search gave no products");
            Err(answer_for(&error))
        }
    }
}

fn bad(code: &str, message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message)
}

/// The body, bounded and read into what the search needs.
fn read(body: SearchBody) -> Result<SearchInput, ApiError> {
    let length = body.query.chars().count();
    if length > MAX_QUERY_LENGTH {
        return Err(bad(
            "search_query_too_long",
            format!("the query has {length} characters; at most {MAX_QUERY_LENGTH} are read"),
        ));
    }
    // Lengths first: nothing longer than a code is looked at further.
    let ship_to = (body.country.len() == 2)
        .then(|| CountryCode::parse(&body.country))
        .flatten()
        .ok_or_else(|| {
            bad(
                "search_bad_country",
                "country must be an ISO 3166-1 alpha-2 code such as \"US\"".into(),
            )
        })?;
    let currency = (body.currency.len() == 3)
        .then(|| Currency::parse(&body.currency))
        .flatten()
        .ok_or_else(|| {
            bad(
                "search_bad_currency",
                "currency must be a known ISO 4217 code such as \"USD\"".into(),
            )
        })?;
    if body.locale.len() > MAX_LOCALE_LENGTH {
        return Err(bad(
            "search_bad_locale",
            format!("locale must be a language tag of at most {MAX_LOCALE_LENGTH} bytes"),
        ));
    }
    let language = UiLanguage::from_tag(&body.locale).unwrap_or(UiLanguage::En);
    Ok(SearchInput {
        query: body.query,
        target: SearchTarget {
            ship_to,
            currency,
            language,
        },
    })
}

/// The code an error answers with: `search_unavailable`, the core's plan code, or the API
/// client's (`aliexpress_deadline`...).
fn code(error: &SearchError) -> &'static str {
    match error {
        SearchError::Off(_) => "search_unavailable",
        SearchError::Plan(plan) => plan.code(),
        SearchError::Api(api) => api.code(),
    }
}

fn answer_for(error: &SearchError) -> ApiError {
    let status = match error {
        SearchError::Off(_) => StatusCode::SERVICE_UNAVAILABLE,
        SearchError::Plan(_) => StatusCode::UNPROCESSABLE_ENTITY,
        SearchError::Api(api) => match api {
            AliexpressError::Deadline | AliexpressError::Timeout => StatusCode::GATEWAY_TIMEOUT,
            AliexpressError::CircuitOpen => StatusCode::SERVICE_UNAVAILABLE,
            AliexpressError::Refused { .. }
            | AliexpressError::Failed { .. }
            | AliexpressError::Status(_)
            | AliexpressError::Unreachable(_)
            | AliexpressError::Malformed(_)
            | AliexpressError::TooLarge => StatusCode::BAD_GATEWAY,
            AliexpressError::TooManyUrls(_) | AliexpressError::Setup(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        },
    };
    ApiError::new(status, code(error), error.to_string())
}

/// A request for the United States in dollars and English (for the router's tests).
#[cfg(test)]
pub(super) fn tests_input(query: &str) -> SearchInput {
    SearchInput {
        query: query.to_owned(),
        target: SearchTarget {
            ship_to: CountryCode::US,
            currency: Currency::USD,
            language: UiLanguage::En,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_aliexpress::Refusal;
    use shopper_core::search::PlanError;

    #[test]
    fn every_failure_has_its_status_and_code() {
        let refused = AliexpressError::Refused {
            reason: Refusal::IncompleteSignature,
            code: "IncompleteSignature".into(),
            message: "bad".into(),
            sub_code: None,
        };
        for (error, status, code) in [
            (
                SearchError::Off("no credentials".into()),
                503,
                "search_unavailable",
            ),
            (
                SearchError::Plan(PlanError::NoKeywords),
                422,
                "search_no_keywords",
            ),
            (
                SearchError::Api(AliexpressError::Deadline),
                504,
                "aliexpress_deadline",
            ),
            (
                SearchError::Api(AliexpressError::Timeout),
                504,
                "aliexpress_timeout",
            ),
            (
                SearchError::Api(AliexpressError::CircuitOpen),
                503,
                "aliexpress_circuit_open",
            ),
            (SearchError::Api(refused), 502, "aliexpress_refused"),
            (
                SearchError::Api(AliexpressError::Status(503)),
                502,
                "aliexpress_status",
            ),
            (
                SearchError::Api(AliexpressError::Setup("x".into())),
                500,
                "aliexpress_setup",
            ),
        ] {
            let response = answer_for(&error).into_response();
            assert_eq!(response.status().as_u16(), status, "{error}");
            assert_eq!(super::code(&error), code);
        }
    }

    fn body(query: &str, country: &str, currency: &str, locale: &str) -> SearchBody {
        SearchBody {
            query: query.into(),
            country: country.into(),
            currency: currency.into(),
            locale: locale.into(),
        }
    }

    #[test]
    fn the_body_is_bounded_and_read() {
        let input = read(body("lamp", "br", "BRL", "pt-PT")).expect("read");
        assert_eq!(input.target.ship_to.as_str(), "BR");
        assert_eq!(input.target.currency, Currency::parse("BRL").expect("brl"));
        assert_eq!(input.target.language, UiLanguage::PtBr);
        let input = read(body("lamp", "US", "USD", "ja-JP")).expect("read");
        assert_eq!(input.target.language, UiLanguage::En, "English otherwise");
        assert!(read(body("é".repeat(MAX_QUERY_LENGTH).as_str(), "US", "USD", "")).is_ok());
        let refused = |b: SearchBody| read(b).err().map(|e| e.into_response().status().as_u16());
        for (b, why) in [
            (
                body(&"é".repeat(MAX_QUERY_LENGTH + 1), "US", "USD", "en"),
                "too long",
            ),
            (body("lamp", "USA", "USD", "en"), "country"),
            (body("lamp", "U1", "USD", "en"), "country"),
            (body("lamp", "US", "usd", "en"), "currency"),
            (body("lamp", "US", "XBT", "en"), "currency"),
            (body("lamp", "US", "USD", &"x".repeat(36)), "locale"),
        ] {
            assert_eq!(refused(b), Some(400), "{why}");
        }
    }
}
