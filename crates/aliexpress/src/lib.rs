//! The AliExpress affiliate API client the companion server calls: signed calls to
//! `aliexpress.affiliate.product.query`, `hotproduct.query`, `featuredpromo.products.get` and
//! `link.generate`, and every failure as a typed [`ApiError`]. A shell around the core: it asks
//! what the core's [`ProductQuery`](shopper_core::search::ProductQuery) says (planned by
//! [`plan_query`](shopper_core::search::plan_query)) and answers the core's
//! [`FoundProduct`](shopper_core::search::FoundProduct)s, read by the core's
//! [`read_api_item`](shopper_core::search::read_api_item) (ids kept exact, promo codes in every
//! shape as the core's [`PromoCodeInfo`](shopper_core::coupon::PromoCodeInfo)); HTTP, signing,
//! envelopes, paging, retries and the breaker are its own.
//!
//! A call never outlives its deadline: each attempt has a timeout, timeouts, 5xx answers and
//! `ApiCallLimit` are retried with backoff within a bounded count and time, and a circuit
//! breaker stops calling an API that keeps failing until a cool-down has passed.
//!
//! ```no_run
//! # async fn example() -> Result<(), shopper_aliexpress::ApiError> {
//! use std::time::{Duration, Instant};
//! use shopper_aliexpress::{Client, Config};
//! use shopper_core::locale::UiLanguage;
//! use shopper_core::money::{Currency, Rates};
//! use shopper_core::page::CountryCode;
//! use shopper_core::search::{parse_query_in, plan_query, refine, SearchTarget};
//!
//! let client = Client::new(Config::new("12345678", "secret", "my_tracking_id"))?;
//! let (Some(ship_to), Some(currency)) = (CountryCode::parse("US"), Currency::parse("USD")) else {
//!     return Ok(());
//! };
//! let target = SearchTarget { ship_to, currency, language: UiLanguage::En };
//! let request = parse_query_in("bluetooth speaker under $30", Some(currency));
//! let Ok(plan) = plan_query(&request, target, &Rates::none()) else { return Ok(()) };
//! let page = client.product_query(&plan.query, Instant::now() + Duration::from_secs(2)).await?;
//! for product in refine(page.products, &plan).products {
//!     println!("{} {}", product.id, product.title);
//! }
//! # Ok(()) }
//! ```
//!
//! With the `fake` feature, the module `fake` is a fake of the API on loopback for tests (also the
//! `aliexpress-fake` binary).

mod breaker;
mod client;
mod error;
mod product;
mod request;
mod response;
mod sign;

#[cfg(feature = "fake")]
pub mod fake;

pub use breaker::BreakerConfig;
pub use client::{Client, Config, RetryPolicy, DEFAULT_BASE_URL, MAX_RESPONSE_BYTES};
pub use error::{ApiError, Refusal};
pub use product::{GeneratedLink, ProductPage};
pub use request::{FeaturedPromoQuery, LinkRequest, PagedQuery, PromoSort, MAX_LINK_URLS};
pub use sign::{sign, SIGN_METHOD};

/// The four methods this client calls, as the API names them.
pub mod method {
    /// Products by keywords, price range and sort.
    pub const PRODUCT_QUERY: &str = "aliexpress.affiliate.product.query";
    /// Hot products (high commission), same filters.
    pub const HOT_PRODUCT_QUERY: &str = "aliexpress.affiliate.hotproduct.query";
    /// The products of a featured promotion.
    pub const FEATURED_PROMO_PRODUCTS: &str = "aliexpress.affiliate.featuredpromo.products.get";
    /// Affiliate links for AliExpress urls.
    pub const LINK_GENERATE: &str = "aliexpress.affiliate.link.generate";
}
