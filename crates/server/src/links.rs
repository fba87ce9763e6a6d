//! Our affiliate links for the URLs a request asks about (`POST /v1/links`): each URL read by
//! the core's rules (`shopper_core::link_request`: refused with a reason, or a deep link, and
//! the product an API link can stand for); for those products the link the affiliate API made
//! when the cache has a young one, else one `link.generate` call for all the others of the
//! request (then cached), else, with the API off, failing, its breaker open or past the
//! deadline, the deep link. A shell: the rules are the core's; this holds the client, the
//! cache's age, the deadline and the order of the steps.
//!
//! Privacy: no URL is logged or stored. The cache keeps product ids and links only; a failure
//! is logged by its code.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shopper_aliexpress::{ApiError, Client, LinkRequest, MAX_LINK_URLS};
use shopper_core::affiliate::is_api_link;
use shopper_core::coupon::Timestamp;
use shopper_core::link_request::{
    answered_product, read_url, ApiLinkTarget, LinkAsked, LinkRefusal, MAX_URLS,
};
use shopper_core::{AffiliateLinks, ProductId};

use crate::clock;
use crate::config::LinksConfig;
use crate::storage::{CachedLink, LinkCache};

// Every product of a request that is not cached goes in one call.
const _: () = assert!(MAX_URLS <= MAX_LINK_URLS);

pub use shopper_core::link_request::LinkSource;

/// What one URL of a request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkAnswer {
    /// Our link for it.
    Linked {
        /// The link.
        link: String,
        /// Where it came from.
        source: LinkSource,
        /// The product an API link stands for (`None` for a page no API link can stand for).
        product: Option<ProductId>,
    },
    /// No link of ours, and why.
    Refused(LinkRefusal),
}

/// Our links: deep links with the publisher's key always, API links when the API is on.
pub struct Links {
    api: Result<Arc<Client>, String>,
    ours: AffiliateLinks,
    cache_for: Duration,
    deadline: Duration,
}

impl Links {
    /// Links through `api` (the process's client, or why there is none) as `config` says.
    pub fn new(api: Result<Arc<Client>, String>, config: &LinksConfig) -> Self {
        Self {
            api,
            ours: AffiliateLinks::new(config.affiliate_key.clone()),
            cache_for: config.cache_for,
            deadline: config.deadline,
        }
    }

    /// Why API links are off (every answer is a deep link), or `None` when they are on.
    pub fn off_reason(&self) -> Option<&str> {
        self.api.as_ref().err().map(String::as_str)
    }

    /// Our link for each of `urls` (at most [`MAX_URLS`], which the HTTP layer checks), in
    /// their order. Never fails: the cache or the API failing leaves the deep links.
    pub async fn links_for<C: LinkCache + ?Sized>(
        &self,
        urls: &[String],
        cache: &C,
    ) -> Vec<LinkAnswer> {
        let asked: Vec<Result<LinkAsked, LinkRefusal>> =
            urls.iter().map(|url| read_url(url, &self.ours)).collect();
        let api_links = match &self.api {
            Ok(client) => self.api_links(client, &asked, cache).await,
            Err(_) => HashMap::new(),
        };
        asked
            .into_iter()
            .map(|asked| match asked {
                Err(refusal) => LinkAnswer::Refused(refusal),
                Ok(LinkAsked { link, api }) => {
                    let product = api.map(|target| target.product);
                    match product.and_then(|p| api_links.get(&p)) {
                        Some((link, source)) => LinkAnswer::Linked {
                            link: link.clone(),
                            source: *source,
                            product,
                        },
                        None => LinkAnswer::Linked {
                            link,
                            source: LinkSource::DeepLink,
                            product,
                        },
                    }
                }
            })
            .collect()
    }

    /// The API links of the request's products: the cache's young ones, then one call for the
    /// others (kept in the cache).
    async fn api_links<C: LinkCache + ?Sized>(
        &self,
        client: &Client,
        asked: &[Result<LinkAsked, LinkRefusal>],
        cache: &C,
    ) -> HashMap<ProductId, (String, LinkSource)> {
        let mut wanted: Vec<&ApiLinkTarget> = Vec::new();
        for target in asked.iter().filter_map(|a| a.as_ref().ok()?.api.as_ref()) {
            if !wanted.iter().any(|w| w.product == target.product) {
                wanted.push(target);
            }
        }
        let mut found = HashMap::new();
        if wanted.is_empty() {
            return found;
        }
        let tracking_id = client.config().tracking_id.as_str();
        let now = clock::now();
        let fresh_after = now.saturating_sub(self.age_limit());
        let products: Vec<ProductId> = wanted.iter().map(|t| t.product).collect();
        match cache
            .cached_links(tracking_id, &products, fresh_after)
            .await
        {
            Ok(cached) => {
                for link in cached.into_iter().filter(|l| is_api_link(&l.link)) {
                    found.insert(link.product, (link.link, LinkSource::Cache));
                }
            }
            Err(error) => tracing::warn!(%error, "link cache unreadable; asking the API"),
        }
        let missing: Vec<&ApiLinkTarget> = wanted
            .into_iter()
            .filter(|t| !found.contains_key(&t.product))
            .collect();
        if missing.is_empty() {
            return found;
        }
        let generated = self.generate(client, &missing).await;
        if generated.is_empty() {
            return found;
        }
        for link in &generated {
            found.insert(link.product, (link.link.clone(), LinkSource::Api));
        }
        if let Err(error) = cache.store_links(tracking_id, &generated).await {
            tracing::warn!(%error, "API links not cached");
        }
        // Links past their age are never served again: forgotten as new ones come.
        if let Err(error) = cache.forget_links(fresh_after).await {
            tracing::warn!(%error, "old links not forgotten");
        }
        found
    }

    /// One `link.generate` call for `missing`, within the deadline: the links it made that
    /// have an API link's shape, each for a product asked; none when it fails.
    async fn generate(&self, client: &Client, missing: &[&ApiLinkTarget]) -> Vec<CachedLink> {
        let request = LinkRequest {
            urls: missing.iter().map(|t| t.url.clone()).collect(),
        };
        let deadline = Instant::now() + self.deadline;
        // The client holds its deadline; this holds it too, whatever the client does.
        let answer = tokio::time::timeout(self.deadline, client.generate_links(&request, deadline))
            .await
            .unwrap_or(Err(ApiError::Deadline));
        let generated = match answer {
            Ok(generated) => generated,
            Err(error) => {
                tracing::warn!(code = error.code(), "no API links; deep links answered");
                return Vec::new();
            }
        };
        let fetched_at = clock::now();
        generated
            .into_iter()
            .filter(|g| is_api_link(&g.promotion_link))
            .filter_map(|g| {
                let product = answered_product(&g.source)?;
                missing
                    .iter()
                    .any(|t| t.product == product)
                    .then_some(CachedLink {
                        product,
                        link: g.promotion_link,
                        fetched_at,
                    })
            })
            .collect()
    }

    /// The cache's age in whole seconds (a link got exactly that long ago is too old).
    fn age_limit(&self) -> Timestamp {
        Timestamp::try_from(self.cache_for.as_secs()).unwrap_or(Timestamp::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault};
    use shopper_aliexpress::method;
    use shopper_core::AffiliateKey;

    use crate::storage::SqliteStorage;

    fn config(deadline: Duration) -> LinksConfig {
        LinksConfig {
            affiliate_key: AffiliateKey::parse("_key").expect("key"),
            cache_for: Duration::from_secs(3600),
            deadline,
        }
    }

    async fn storage() -> (SqliteStorage, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        (SqliteStorage::open(&url).await.expect("storage"), dir)
    }

    fn client(fake: &FakeApi) -> Result<Arc<Client>, String> {
        let mut config = fake.client_config();
        config.attempt_timeout = Duration::from_millis(500);
        Client::new(config).map(Arc::new).map_err(|e| e.to_string())
    }

    fn sources(answers: &[LinkAnswer]) -> Vec<&'static str> {
        answers
            .iter()
            .map(|a| match a {
                LinkAnswer::Linked { source, .. } => source.as_str(),
                LinkAnswer::Refused(refusal) => refusal.as_str(),
            })
            .collect()
    }

    #[tokio::test]
    async fn one_call_for_the_products_not_cached_then_the_cache() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let (storage, _dir) = storage().await;
        let links = Links::new(client(&fake), &config(Duration::from_secs(2)));
        assert_eq!(links.off_reason(), None);
        let urls: Vec<String> = [
            "https://www.aliexpress.com/item/1005001234567890.html?spm=x",
            "https://www.aliexpress.com/store/912345",
            "https://es.aliexpress.com/item/slug/1005001234567890.html",
            "https://www.aliexpress.com/item/1005009876543210987.html?sku_id=12000031234567",
            "https://www.aliexpress.com/item/1005003332221110.html",
        ]
        .map(String::from)
        .to_vec();
        let first = links.links_for(&urls, &storage).await;
        assert_eq!(
            sources(&first),
            ["api", "not_product", "api", "deep_link", "api"]
        );
        assert_eq!(fake.calls(method::LINK_GENERATE), 1, "one call for all");
        assert_eq!(first[0], first[2], "one product, one link");
        let LinkAnswer::Linked { link, product, .. } = &first[0] else {
            unreachable!("linked")
        };
        assert!(link.starts_with("https://s.click.aliexpress.com/e/_fake"));
        assert_eq!(
            product.map(|p| p.to_string()).as_deref(),
            Some("1005001234567890")
        );
        let again = links.links_for(&urls, &storage).await;
        assert_eq!(
            sources(&again),
            ["cache", "not_product", "cache", "deep_link", "cache"]
        );
        assert_eq!(fake.calls(method::LINK_GENERATE), 1, "none more");
    }

    #[tokio::test]
    async fn a_failing_or_slow_api_or_none_leaves_the_deep_links() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let (storage, _dir) = storage().await;
        let urls = vec!["https://www.aliexpress.com/item/1005001234567890.html".to_owned()];
        let links = Links::new(client(&fake), &config(Duration::from_millis(300)));
        fake.fail_next(Fault::Status(500), 3);
        assert_eq!(
            sources(&links.links_for(&urls, &storage).await),
            ["deep_link"]
        );
        fake.fail_next(Fault::Slow(Duration::from_secs(5)), 1);
        let started = Instant::now();
        assert_eq!(
            sources(&links.links_for(&urls, &storage).await),
            ["deep_link"]
        );
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "cut at the deadline"
        );
        // Nothing was cached by the failures: the API is asked when it is well again.
        assert_eq!(sources(&links.links_for(&urls, &storage).await), ["api"]);

        let off = Links::new(
            Err("no AliExpress app key configured".into()),
            &config(Duration::from_secs(1)),
        );
        assert_eq!(off.off_reason(), Some("no AliExpress app key configured"));
        let answers = off.links_for(&urls, &storage).await;
        assert_eq!(
            answers,
            [LinkAnswer::Linked {
                link: "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_key&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html".into(),
                source: LinkSource::DeepLink,
                product: ProductId::parse("1005001234567890"),
            }]
        );
    }

    #[tokio::test]
    async fn links_of_another_shape_or_product_are_not_taken() {
        let fake = FakeApi::start(FakeConfig::default()).await.expect("fake");
        let (storage, _dir) = storage().await;
        let links = Links::new(client(&fake), &config(Duration::from_secs(2)));
        let urls = vec!["https://www.aliexpress.com/item/1005001234567890.html".to_owned()];
        let body = |source: &str, link: &str| {
            serde_json::json!({"aliexpress_affiliate_link_generate_response": {"resp_result": {
            "resp_code": 200, "resp_msg": "ok",
            "result": {"promotion_links": {"promotion_link": [
                {"source_value": source, "promotion_link": link}
            ]}}}}})
            .to_string()
        };
        for (source, link) in [
            (urls[0].as_str(), "https://evil.example/e/_x"),
            (
                urls[0].as_str(),
                "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=x",
            ),
            (
                "https://www.aliexpress.com/item/1005000000000001.html",
                "https://s.click.aliexpress.com/e/_other",
            ),
        ] {
            fake.fail_next(Fault::Body(body(source, link)), 1);
            assert_eq!(
                sources(&links.links_for(&urls, &storage).await),
                ["deep_link"],
                "{link}"
            );
        }
        let ids = [ProductId::parse("1005001234567890").expect("id")];
        let cached = storage
            .cached_links("fake-tracking-id", &ids, 0)
            .await
            .expect("read");
        assert!(cached.is_empty(), "{cached:?}");
    }
}
