//! The client: one signed POST per attempt to the API's `/sync` endpoint, a timeout per
//! attempt, retries with backoff for timeouts, 5xx and `ApiCallLimit` within a bounded count
//! and time, the circuit breaker around every attempt, and the call's deadline over all of it.
//!
//! HTTP is reqwest with rustls (ring, bundled web roots; no default features): pooled
//! keep-alive connections, HTTPS without OpenSSL or a C toolchain beyond ring's, and a client
//! the server can share between tasks. hyper-util would need the TLS connector, pooling and
//! body limits assembled by hand for the same result.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use shopper_core::search::ProductQuery;

use crate::breaker::{Breaker, BreakerConfig};
use crate::error::ApiError;
use crate::method;
use crate::product::{GeneratedLink, ProductPage};
use crate::request::{FeaturedPromoQuery, LinkRequest, PagedQuery, Params};
use crate::response;
use crate::sign::{sign, SIGN_METHOD};
use crate::MAX_LINK_URLS;

/// The API's endpoint (the old `gw.api.taobao.com/router/rest` is offline for AliExpress).
pub const DEFAULT_BASE_URL: &str = "https://api-sg.aliexpress.com/sync";

/// The largest answer read, in bytes: a page of 50 products is about 100 KB.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// How failed attempts are retried: timeouts, 5xx and `ApiCallLimit` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retry).
    pub attempts: u32,
    /// The wait before the first retry; it doubles for each next one.
    pub first_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// No retry starts later than this after the call started (the deadline bounds it too).
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            budget: Duration::from_secs(4),
        }
    }
}

/// What the client needs: where the API is, the app's credentials and tracking id, and how
/// patient to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The endpoint ([`DEFAULT_BASE_URL`]; the fake's url in tests).
    pub base_url: String,
    /// The app key.
    pub app_key: String,
    /// The app secret the calls are signed with.
    pub app_secret: String,
    /// The publisher's tracking id, sent with every call.
    pub tracking_id: String,
    /// The longest one attempt may take (connecting included).
    pub attempt_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// The circuit breaker.
    pub breaker: BreakerConfig,
}

impl Config {
    /// The configuration for these credentials, with the defaults: [`DEFAULT_BASE_URL`], 2 s
    /// per attempt, [`RetryPolicy::default`], [`BreakerConfig::default`].
    pub fn new(app_key: &str, app_secret: &str, tracking_id: &str) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            app_key: app_key.to_owned(),
            app_secret: app_secret.to_owned(),
            tracking_id: tracking_id.to_owned(),
            attempt_timeout: Duration::from_secs(2),
            retry: RetryPolicy::default(),
            breaker: BreakerConfig::default(),
        }
    }
}

/// The API client. Cheap to share: hold one per process (its connections are pooled and its
/// breaker sees every call).
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
    breaker: Breaker,
}

impl Client {
    /// A client for `config`.
    pub fn new(config: Config) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.attempt_timeout)
            // The API never redirects; a redirect would be somebody else's answer.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("smart-shopper/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Setup(e.to_string()))?;
        Ok(Self {
            http,
            breaker: Breaker::new(config.breaker),
            config,
        })
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the circuit breaker refuses calls now (the API failed too often lately).
    pub fn breaker_open(&self) -> bool {
        self.breaker.is_open(Instant::now())
    }

    /// `aliexpress.affiliate.product.query` with the core's query (a [`QueryPlan`]'s).
    ///
    /// [`QueryPlan`]: shopper_core::search::QueryPlan
    pub async fn product_query(
        &self,
        query: &ProductQuery,
        deadline: Instant,
    ) -> Result<ProductPage, ApiError> {
        let result = self
            .call(method::PRODUCT_QUERY, query.params(), deadline)
            .await?;
        Ok(response::product_page(&result))
    }

    /// `aliexpress.affiliate.product.query` for one page of the core's query.
    pub async fn product_query_page(
        &self,
        query: &PagedQuery,
        deadline: Instant,
    ) -> Result<ProductPage, ApiError> {
        let result = self
            .call(method::PRODUCT_QUERY, query.params(), deadline)
            .await?;
        Ok(response::product_page(&result))
    }

    /// `aliexpress.affiliate.hotproduct.query`.
    pub async fn hot_product_query(
        &self,
        query: &PagedQuery,
        deadline: Instant,
    ) -> Result<ProductPage, ApiError> {
        let result = self
            .call(method::HOT_PRODUCT_QUERY, query.params(), deadline)
            .await?;
        Ok(response::product_page(&result))
    }

    /// `aliexpress.affiliate.featuredpromo.products.get`.
    pub async fn featured_promo_products(
        &self,
        query: &FeaturedPromoQuery,
        deadline: Instant,
    ) -> Result<ProductPage, ApiError> {
        let result = self
            .call(method::FEATURED_PROMO_PRODUCTS, query.params(), deadline)
            .await?;
        Ok(response::product_page(&result))
    }

    /// `aliexpress.affiliate.link.generate` for at most [`MAX_LINK_URLS`] urls: each url the
    /// API gave a link for, with its link (no call for none).
    pub async fn generate_links(
        &self,
        request: &LinkRequest,
        deadline: Instant,
    ) -> Result<Vec<GeneratedLink>, ApiError> {
        if request.urls.len() > MAX_LINK_URLS {
            return Err(ApiError::TooManyUrls(request.urls.len()));
        }
        if request.urls.is_empty() {
            return Ok(Vec::new());
        }
        let result = self
            .call(method::LINK_GENERATE, request.params(), deadline)
            .await?;
        Ok(response::links(&result))
    }

    /// One call: attempts, retries and the breaker, within `deadline`.
    async fn call(
        &self,
        method: &str,
        params: Params,
        deadline: Instant,
    ) -> Result<Map<String, Value>, ApiError> {
        let retry = self.config.retry;
        let retries_end = Instant::now() + retry.budget;
        let mut backoff = retry.first_backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let now = Instant::now();
            let remaining = deadline.saturating_duration_since(now);
            if remaining.is_zero() {
                return Err(ApiError::Deadline);
            }
            let permit = self.breaker.permit(now).ok_or(ApiError::CircuitOpen)?;
            let cut_by_deadline = remaining < self.config.attempt_timeout;
            let limit = remaining.min(self.config.attempt_timeout);
            let outcome = tokio::time::timeout(limit, self.attempt(method, &params)).await;
            let result = match outcome {
                Ok(result) => result,
                Err(_) if cut_by_deadline => {
                    // Slow up to our deadline, which says little of the API: only a trial
                    // call counts it, so that another trial can follow.
                    self.breaker.abandon(permit, Instant::now());
                    return Err(ApiError::Deadline);
                }
                Err(_) => Err(ApiError::Timeout),
            };
            let outage = result.as_ref().err().is_some_and(ApiError::is_outage);
            self.breaker.record(permit, outage, Instant::now());
            let error = match result {
                Ok(result) => return Ok(result),
                Err(error) => error,
            };
            let wake = Instant::now() + backoff;
            if !error.retryable() || attempt >= retry.attempts || wake >= retries_end.min(deadline)
            {
                return Err(error);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(retry.max_backoff);
        }
    }

    /// One signed POST and its answer's `result`.
    async fn attempt(&self, method: &str, params: &Params) -> Result<Map<String, Value>, ApiError> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_millis())
            .to_string();
        let config = &self.config;
        let mut all: Vec<(&str, &str)> = vec![
            ("app_key", &config.app_key),
            ("method", method),
            ("timestamp", &timestamp),
            ("sign_method", SIGN_METHOD),
            ("format", "json"),
            ("v", "2.0"),
            ("tracking_id", &config.tracking_id),
        ];
        all.extend(params.iter().map(|(name, value)| (*name, value.as_str())));
        let signature = sign(&config.app_secret, all.iter().copied());
        // Built in a block of its own: the serializer is not `Send`, and a call's future must be
        // (the server's handlers run on any thread).
        let form = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (name, value) in all.iter().filter(|(_, value)| !value.is_empty()) {
                form.append_pair(name, value);
            }
            form.append_pair("sign", &signature);
            form.finish()
        };
        let mut response = self
            .http
            .post(&config.base_url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded;charset=utf-8",
            )
            .body(form)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(ApiError::Status(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_RESPONSE_BYTES as u64)
        {
            return Err(ApiError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(ApiError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        response::result(method, &body)
    }
}

/// A transport failure as an [`ApiError`].
fn transport(error: reqwest::Error) -> ApiError {
    if error.is_timeout() {
        ApiError::Timeout
    } else {
        ApiError::Unreachable(error.to_string())
    }
}

/// Every call's future is `Send`, as the server's handlers need: this does not compile otherwise.
#[allow(dead_code)]
fn calls_are_send(
    client: &Client,
    query: &ProductQuery,
    page: &PagedQuery,
    promo: &FeaturedPromoQuery,
    links: &LinkRequest,
) {
    fn send<T: Send>(_: T) {}
    send(client.product_query(query, Instant::now()));
    send(client.product_query_page(page, Instant::now()));
    send(client.hot_product_query(page, Instant::now()));
    send(client.featured_promo_products(promo, Instant::now()));
    send(client.generate_links(links, Instant::now()));
}
