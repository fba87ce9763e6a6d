//! `shopper-server coupons harvest`: promo codes from the AliExpress affiliate API made coupons.
//! For each market, in its ship-to country and currency, `product.query`, `hotproduct.query` and
//! `featuredpromo.products.get` are asked page by page (most ordered first, the API's largest
//! page, at most `pages` pages each, fewer when the API says a page is its last), one call at a
//! time; the core's [`Harvest`] turns the promo codes of the products into coupons, or refuses
//! them with their reasons. A shell: which codes become which coupons is the core's
//! (`coupon::harvest`, `promo_code`); this holds the client, the calls and their order. Storing
//! is the caller's, all at once: a failed call ends the harvest with nothing written.

use std::time::{Duration, Instant};

use shopper_aliexpress::{
    method, ApiError, Client, FeaturedPromoQuery, PagedQuery, ProductPage, PromoSort,
};
use shopper_core::coupon::{Harvest, RefusedCode, Timestamp};
use shopper_core::locale::UiLanguage;
use shopper_core::market::Market;
use shopper_core::page::CountryCode;
use shopper_core::search::affiliate_query::PAGE_SIZE_FILTERED;
use shopper_core::search::{ApiSort, ProductQuery};
use shopper_core::Problem;

use crate::config::AliexpressConfig;
use crate::import::Refused;

/// Products asked per page: the API's largest page.
pub const HARVEST_PAGE_SIZE: u32 = PAGE_SIZE_FILTERED;
/// Pages asked of each method for each market unless told otherwise.
pub const DEFAULT_HARVEST_PAGES: u32 = 3;
/// The most pages asked of each method for each market.
pub const MAX_HARVEST_PAGES: u32 = 20;
/// The featured promotion asked unless told otherwise: one of the API's fixed ones, which stay.
pub const DEFAULT_PROMOTION: &str = "Hot Product";
/// The longest a harvest waits for one call, retries included: a batch job can wait longer than
/// a shopper's search, not for ever.
pub const CALL_DEADLINE: Duration = Duration::from_secs(30);
/// The longest one attempt of a call may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// What to harvest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarvestRequest {
    /// The markets, each asked in its ship-to country and currency.
    pub markets: Vec<Market>,
    /// Pages asked of each method for each market (1 to [`MAX_HARVEST_PAGES`]).
    pub pages: u32,
    /// The featured promotion whose products are asked.
    pub promotion: String,
}

/// The three product lists that carry promo codes, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `aliexpress.affiliate.product.query`.
    Products,
    /// `aliexpress.affiliate.hotproduct.query`.
    HotProducts,
    /// `aliexpress.affiliate.featuredpromo.products.get`.
    FeaturedPromotion,
}

impl Source {
    /// Every source, in the order asked.
    pub const ALL: [Self; 3] = [Self::Products, Self::HotProducts, Self::FeaturedPromotion];

    /// The method, as the API names it.
    pub fn method(self) -> &'static str {
        match self {
            Self::Products => method::PRODUCT_QUERY,
            Self::HotProducts => method::HOT_PRODUCT_QUERY,
            Self::FeaturedPromotion => method::FEATURED_PROMO_PRODUCTS,
        }
    }
}

/// Why a harvest stopped.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// The affiliate API's credentials are not all configured (the missing ones).
    #[error(
        "coupons harvest needs the AliExpress affiliate API: no {0} configured \
         (SHOPPER_ALIEXPRESS_APP_KEY, _APP_SECRET, _TRACKING_ID, or [aliexpress] in the file)"
    )]
    NoCredentials(String),
    /// The API client could not be made.
    #[error("{0}")]
    Setup(ApiError),
    /// A page count outside 1 to [`MAX_HARVEST_PAGES`].
    #[error("--pages {0}: give 1 to {MAX_HARVEST_PAGES}")]
    Pages(u32),
    /// No market to harvest for.
    #[error("no market to harvest for (configure markets, or give --market)")]
    NoMarkets,
    /// A call failed (after its retries): the harvest stops, nothing is stored.
    #[error("{method} for {market}, page {page}: {error} [{code}]", code = .error.code())]
    Api {
        /// The method called.
        method: &'static str,
        /// The market asked for.
        market: Market,
        /// The page asked for, from 1.
        page: u32,
        /// Why it failed.
        error: ApiError,
    },
}

/// The API client a harvest calls, from the configuration: its endpoint and credentials, patient
/// as a batch job may be.
pub fn client(config: &AliexpressConfig) -> Result<Client, HarvestError> {
    let (Some(key), Some(secret), Some(tracking)) =
        (&config.app_key, &config.app_secret, &config.tracking_id)
    else {
        return Err(HarvestError::NoCredentials(config.missing().join(", ")));
    };
    let mut client = shopper_aliexpress::Config::new(key, secret, tracking);
    client.base_url.clone_from(&config.api_url);
    client.attempt_timeout = ATTEMPT_TIMEOUT;
    client.retry.budget = CALL_DEADLINE;
    Client::new(client).map_err(HarvestError::Setup)
}

/// Harvests `request` at `now` with `client`: every market, every source, page by page.
pub async fn harvest(
    client: &Client,
    request: &HarvestRequest,
    now: Timestamp,
) -> Result<Harvest, HarvestError> {
    if !(1..=MAX_HARVEST_PAGES).contains(&request.pages) {
        return Err(HarvestError::Pages(request.pages));
    }
    if request.markets.is_empty() {
        return Err(HarvestError::NoMarkets);
    }
    let mut harvest = Harvest::new(now);
    for &market in &request.markets {
        for source in Source::ALL {
            for page in 1..=request.pages {
                let products =
                    ask(client, request, market, source, page)
                        .await
                        .map_err(|error| HarvestError::Api {
                            method: source.method(),
                            market,
                            page,
                            error,
                        })?;
                harvest.add(market, &products.products);
                tracing::debug!(
                    method = source.method(),
                    %market,
                    page,
                    products = products.products.len(),
                    "harvested a page"
                );
                if products.is_last(page, HARVEST_PAGE_SIZE) {
                    break;
                }
            }
        }
    }
    Ok(harvest)
}

/// One page of `source` for `market`.
async fn ask(
    client: &Client,
    request: &HarvestRequest,
    market: Market,
    source: Source,
    page: u32,
) -> Result<ProductPage, ApiError> {
    let ship_to = CountryCode::parse(market.country())
        .ok_or_else(|| ApiError::Setup(format!("{market}: no country the API takes")))?;
    let deadline = Instant::now() + CALL_DEADLINE;
    let paged = || PagedQuery {
        query: ProductQuery {
            keywords: String::new(),
            min_sale_price: None,
            max_sale_price: None,
            sort: Some(ApiSort::LastVolumeDesc),
            target_currency: market.currency(),
            // The terms are read whatever their language; English is the API's own.
            target_language: UiLanguage::En,
            ship_to_country: ship_to,
            page_size: HARVEST_PAGE_SIZE,
        },
        page_no: Some(page),
    };
    // The client holds its deadline; this holds it too, whatever the client does.
    let call = async {
        match source {
            Source::Products => client.product_query_page(&paged(), deadline).await,
            Source::HotProducts => client.hot_product_query(&paged(), deadline).await,
            Source::FeaturedPromotion => {
                let featured = FeaturedPromoQuery {
                    promotion_name: request.promotion.clone(),
                    category_id: None,
                    sort: Some(PromoSort::VolumeDesc),
                    target_currency: Some(market.currency()),
                    target_language: Some(UiLanguage::En),
                    country: Some(ship_to),
                    page_no: Some(page),
                    page_size: Some(HARVEST_PAGE_SIZE),
                };
                client.featured_promo_products(&featured, deadline).await
            }
        }
    };
    tokio::time::timeout(CALL_DEADLINE, call)
        .await
        .unwrap_or(Err(ApiError::Deadline))
}

/// A promo code refused, as `coupons import` prints a refused coupon.
pub fn refused(code: &RefusedCode) -> Refused {
    Refused {
        index: code.index,
        line: None,
        id: code.id.clone(),
        code: code.refusal.code(),
        reason: code.refusal.to_string(),
        market: Some(code.market.to_string()),
        product_id: Some(code.product_id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault};

    fn configured(fake: &FakeApi) -> AliexpressConfig {
        let client = fake.client_config();
        AliexpressConfig {
            app_key: Some(client.app_key),
            app_secret: Some(client.app_secret),
            tracking_id: Some(client.tracking_id),
            api_url: client.base_url,
            deadline: Duration::from_secs(5),
        }
    }

    fn request(markets: &[&str], pages: u32) -> HarvestRequest {
        HarvestRequest {
            markets: markets
                .iter()
                .map(|m| Market::parse(m).expect("market"))
                .collect(),
            pages,
            promotion: DEFAULT_PROMOTION.into(),
        }
    }

    /// 2027-01-15: after the fake's ended code, before the others end.
    const NOW: Timestamp = 1_800_000_000;

    #[tokio::test]
    async fn every_source_page_by_page_until_the_last() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let client = client(&configured(&fake)).expect("client");
        let harvest = harvest(&client, &request(&["US-USD", "ES-EUR"], 3), NOW)
            .await
            .expect("harvest");
        // Each market: product.query in one page, hot products in three, the promotion in two.
        assert_eq!(fake.calls(method::PRODUCT_QUERY), 2);
        assert_eq!(fake.calls(method::HOT_PRODUCT_QUERY), 6);
        assert_eq!(fake.calls(method::FEATURED_PROMO_PRODUCTS), 4);
        assert_eq!(harvest.coupons().len(), 10, "five codes in each market");
        assert_eq!(harvest.products(), 2 * (6 + 120 + 60));
        assert!(harvest
            .coupons()
            .iter()
            .any(|c| c.id() == "ae-code-ES-EUR-MEGA10"));
        // Two pages leave the third page's code out.
        let two = super::harvest(&client, &request(&["US-USD"], 2), NOW)
            .await
            .expect("harvest");
        assert!(!two.coupons().iter().any(|c| c.id().ends_with("MEGA10")));
    }

    #[tokio::test]
    async fn a_failed_call_stops_it_and_bad_requests_call_nothing() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let client = client(&configured(&fake)).expect("client");
        fake.fail_method(
            method::FEATURED_PROMO_PRODUCTS,
            Some(Fault::Refuse {
                code: "isv.error".into(),
                msg: "not a publisher".into(),
                sub_code: Some("isv.unregistered-publisher".into()),
            }),
        );
        let failed = harvest(&client, &request(&["US-USD"], 3), NOW).await;
        let Err(HarvestError::Api {
            method,
            page,
            error,
            ..
        }) = &failed
        else {
            unreachable!("{failed:?}");
        };
        assert_eq!(
            (*method, *page, error.code()),
            (method::FEATURED_PROMO_PRODUCTS, 1, "aliexpress_refused")
        );
        let said = failed.map(|_| ()).expect_err("failed").to_string();
        assert!(
            said.starts_with(
                "aliexpress.affiliate.featuredpromo.products.get for US-USD, page 1: AliExpress API: refused"
            ),
            "{said}"
        );
        let calls = fake.total_calls();
        let pages = harvest(&client, &request(&["US-USD"], MAX_HARVEST_PAGES + 1), NOW).await;
        assert!(matches!(pages, Err(HarvestError::Pages(21))), "{pages:?}");
        let none = harvest(&client, &request(&[], 1), NOW).await;
        assert!(matches!(none, Err(HarvestError::NoMarkets)), "{none:?}");
        assert_eq!(fake.total_calls(), calls, "nothing asked");
        let mut missing = configured(&fake);
        missing.app_secret = None;
        let Err(HarvestError::NoCredentials(what)) = super::client(&missing) else {
            unreachable!("no secret");
        };
        assert_eq!(what, "app secret");
    }
}
