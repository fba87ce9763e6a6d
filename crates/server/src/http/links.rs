//! `POST /v1/links`: the URLs a request asks about, bounded here; the links are
//! [`crate::links`]'s, one per URL in their order, each with where it came from, or the reason
//! it gets none. The URLs are never logged.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shopper_core::link_request::{MAX_URLS, MAX_URL_BYTES};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody, JsonBody};
use crate::links::{LinkAnswer, LinkSource};
use crate::state::AppState;

/// A request for our links.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksBody {
    /// The AliExpress pages to link to, 1 to 50; a URL longer than 2,048 bytes gets a
    /// refusal of its own (`url_too_long`).
    #[schema(
        min_items = 1,
        max_items = 50,
        example = json!(["https://www.aliexpress.com/item/1005001234567890.html"])
    )]
    pub urls: Vec<String>,
}

/// Where a link came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkSourceName {
    /// The affiliate API made it for this request.
    Api,
    /// The affiliate API made it earlier, and the cache kept it.
    Cache,
    /// Our deep link: the API is off or failed, or no API link can stand for the page (a page
    /// about products, a product variant).
    DeepLink,
}

impl From<LinkSource> for LinkSourceName {
    fn from(source: LinkSource) -> Self {
        match source {
            LinkSource::Api => Self::Api,
            LinkSource::Cache => Self::Cache,
            LinkSource::DeepLink => Self::DeepLink,
        }
    }
}

/// One URL's answer: a link and where it came from, or why there is none.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkEntry {
    /// Our link for the page; null when refused.
    pub link: Option<String>,
    /// Where the link came from; null when refused.
    pub source: Option<LinkSourceName>,
    /// The product an API link stands for (digits; beyond 2^53, so a string); null for a page
    /// no API link can stand for.
    #[schema(example = "1005001234567890")]
    pub product_id: Option<String>,
    /// Why the URL gets no link of ours (`url_too_long`, `not_aliexpress`, `attributed`,
    /// `personal_page`, `not_product`); null when it has one.
    pub refused: Option<String>,
}

/// The answer: one entry per URL asked, in their order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinksAnswerBody {
    /// The entries.
    pub links: Vec<LinkEntry>,
}

impl From<LinkAnswer> for LinkEntry {
    fn from(answer: LinkAnswer) -> Self {
        match answer {
            LinkAnswer::Linked {
                link,
                source,
                product,
            } => Self {
                link: Some(link),
                source: Some(source.into()),
                product_id: product.map(|p| p.as_str().to_owned()),
                refused: None,
            },
            LinkAnswer::Refused(refusal) => Self {
                link: None,
                source: None,
                product_id: None,
                refused: Some(refusal.as_str().to_owned()),
            },
        }
    }
}

/// Our affiliate links for the pages the shopper chose by a click on something of ours: the
/// affiliate API's link for a product page (cached per product), else our deep link. Neither
/// the URLs nor who asked are kept or logged; the cache keeps product ids and links.
#[utoipa::path(
    post,
    path = "/v1/links",
    tag = "links",
    request_body = LinksBody,
    responses(
        (status = 200, description = "One entry per URL, in their order: a link and its source, or the reason for none", body = LinksAnswerBody),
        (status = 400, description = "Malformed JSON, an unknown field, not a list of strings, no URL (`links_no_urls`) or more than 50 (`links_too_many`)", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 503, description = "Links are not set up on this server (`links_unavailable`)", body = ErrorBody),
    )
)]
pub async fn links(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<LinksBody>,
) -> Result<Json<LinksAnswerBody>, ApiError> {
    let count = body.urls.len();
    if count == 0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "links_no_urls",
            "urls must name at least one page",
        ));
    }
    if count > MAX_URLS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "links_too_many",
            format!("{count} urls; at most {MAX_URLS} are answered in one request"),
        ));
    }
    let Some(links) = &state.links else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "links_unavailable",
            "links are not set up on this server",
        ));
    };
    let answers = links.links_for(&body.urls, state.storage.as_ref()).await;
    Ok(Json(LinksAnswerBody {
        links: answers.into_iter().map(LinkEntry::from).collect(),
    }))
}

// The limits the documentation above states are the core's: this fails to build when they part.
const _: () = assert!(MAX_URL_BYTES == 2_048 && MAX_URLS == 50);

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented names are the core's, which the extension is handed in its contract.
    #[test]
    fn each_source_is_named_as_the_core_names_it() {
        for source in LinkSource::ALL {
            assert_eq!(
                serde_json::to_value(LinkSourceName::from(source)).expect("json"),
                source.as_str()
            );
        }
    }
}
