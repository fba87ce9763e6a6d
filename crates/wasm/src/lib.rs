//! The WASM boundary: an opaque [`Engine`] handle the service worker and extension pages hold.
//! Strings and booleans in, small results out; every rule lives in `shopper-core`.
//!
//! Bulk data crosses as one string (a batch of hrefs in, a batch of rewrites out): passing a
//! string across costs about 1 µs, so per-link calls would cost more than the work itself.

use shopper_core::{
    batch::decide_batch,
    classify,
    link_request::read_url,
    tab_visit::{PageReport, TabVisit},
    AffiliateKey, AffiliateLinks, BaseUrl, HeldBack, RewriteMode, StandDown, TabFacts, TabPolicy,
    TabView,
};
use wasm_bindgen::prelude::*;

mod coupons;
mod problem;
mod search;
pub use coupons::{feed_refresh_due, feed_retry_minutes, CouponBook};
pub use problem::problem_codes;

pub use search::{check_products, parse_search, shopper_region};

use problem::thrown;

/// The link engine of one service worker or page: the affiliate links it writes.
#[wasm_bindgen]
pub struct Engine {
    links: AffiliateLinks,
}

/// The decisions for one batch of hrefs and the counts the popup shows.
#[wasm_bindgen]
pub struct LinkBatch {
    rewrites: String,
    found: u32,
    aliexpress: u32,
    products: u32,
    attributed: u32,
    rewritten: u32,
    held_back: Option<HeldBack>,
}

#[wasm_bindgen]
impl LinkBatch {
    /// One line per input href: the new href, or an empty line for a link left alone.
    /// Moved out rather than copied (a batch's rewrites run to hundreds of kilobytes): a second
    /// call returns an empty string.
    pub fn take_rewrites(&mut self) -> String {
        std::mem::take(&mut self.rewrites)
    }

    /// Links in the batch.
    #[wasm_bindgen(getter)]
    pub fn found(&self) -> u32 {
        self.found
    }

    /// AliExpress links in the batch.
    #[wasm_bindgen(getter)]
    pub fn aliexpress(&self) -> u32 {
        self.aliexpress
    }

    /// AliExpress product links in the batch.
    #[wasm_bindgen(getter)]
    pub fn products(&self) -> u32 {
        self.products
    }

    /// Links that already carry someone's affiliate attribution.
    #[wasm_bindgen(getter)]
    pub fn attributed(&self) -> u32 {
        self.attributed
    }

    /// Links rewritten.
    #[wasm_bindgen(getter)]
    pub fn rewritten(&self) -> u32 {
        self.rewritten
    }

    /// Why product links were left alone at tab level: `ask_first`, `mode_off` or `stand_down`.
    #[wasm_bindgen(getter)]
    pub fn held_back(&self) -> Option<String> {
        self.held_back.map(|h| h.as_str().to_owned())
    }
}

/// A time from JavaScript (ms since the epoch, a float) as whole milliseconds; a clock before the
/// epoch or not a number is the epoch.
fn millis(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
}

/// A stored stand-down verdict, read back; throws on a name the Engine does not know.
fn stand_down_named(name: Option<String>) -> Result<Option<StandDown>, JsError> {
    name.map(|n| n.parse::<StandDown>().map_err(|e| thrown(&e)))
        .transpose()
}

#[wasm_bindgen]
impl Engine {
    /// An engine writing deep links with `affiliate_key`; throws if the key is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(affiliate_key: &str) -> Result<Engine, JsError> {
        let key = AffiliateKey::parse(affiliate_key).map_err(|e| thrown(&e))?;
        Ok(Self {
            links: AffiliateLinks::new(key),
        })
    }

    /// Replaces the affiliate key; throws (and keeps the old key) if the new one is invalid.
    pub fn set_affiliate_key(&mut self, affiliate_key: &str) -> Result<(), JsError> {
        self.links
            .set_key(AffiliateKey::parse(affiliate_key).map_err(|e| thrown(&e))?);
        Ok(())
    }

    /// Checks an affiliate key without using it: why it is invalid (a problem's JSON, see
    /// `problem_codes`), or nothing.
    pub fn check_affiliate_key(affiliate_key: &str) -> Option<String> {
        AffiliateKey::parse(affiliate_key)
            .err()
            .map(|e| shopper_core::problem::problem_json(&e))
    }

    /// A page of a tab reported itself: its visit's verdict and the tab's visit after it, as JSON
    /// `{"stand_down": "affiliate_landing" | "affiliate_referrer" | "affiliate_cookie" | null,
    /// "ours_landed": bool, "visit": {...}}` (see `shopper_core::tab_visit`). `visit` and `opener` are the tab's and
    /// its opener's visits as the worker stored them (`""`: none); `page` the reporting document,
    /// `landing` the URL the content script reports, `sender_url` the one the browser reports,
    /// `referrer` the page's referrer, `cookies` the page's affiliate cookies as the content
    /// script sends them (`name=value; ...`), `now_ms` the time. The worker stores `visit` back.
    #[allow(clippy::too_many_arguments)]
    pub fn page_reported(
        &self,
        visit: &str,
        opener: &str,
        page: &str,
        landing: &str,
        sender_url: &str,
        referrer: &str,
        cookies: &str,
        now_ms: f64,
    ) -> String {
        let mut tab = TabVisit::from_json(visit);
        let opener = (!opener.is_empty()).then(|| TabVisit::from_json(opener));
        let verdict = tab.page_reported(
            &PageReport {
                page,
                landing,
                sender_url,
                referrer,
                cookies,
                opener: opener.as_ref(),
                now: millis(now_ms),
            },
            &self.links,
        );
        tab.verdict_json(&verdict)
    }

    /// The shopper followed one of our links from a tab (into it, or `new_tab`: into a tab it
    /// opens): the tab's visit after it, as JSON, to store.
    pub fn our_link_followed(visit: &str, new_tab: bool, now_ms: f64) -> String {
        let mut tab = TabVisit::from_json(visit);
        tab.followed_our_link(new_tab, millis(now_ms));
        tab.to_json()
    }

    /// The page to ask the companion server's `/v1/links` about for the page at `url`: its
    /// canonical product page, tracking dropped, when an affiliate API link can stand for it
    /// (`shopper_core::link_request`); nothing otherwise.
    pub fn api_link_page(&self, url: &str) -> Option<String> {
        read_url(url, &self.links)
            .ok()?
            .api
            .map(|target| target.url)
    }

    /// Remembers `link`, the affiliate API's link the server answered for `page` (a page
    /// [`Engine::api_link_page`] gave): from then on the page's product links are it, and its
    /// short key is ours. False when `page` names no product an API link stands for; throws
    /// when `link` is not an API link.
    pub fn remember_api_link(&mut self, page: &str, link: &str) -> Result<bool, JsError> {
        let Some(target) = read_url(page, &self.links).ok().and_then(|asked| asked.api) else {
            return Ok(false);
        };
        self.links
            .remember_api_link(target.product, link)
            .map_err(|e| thrown(&e))?;
        Ok(true)
    }

    /// Whether `href` is one of our links (a deep link with our key, or an API link we know).
    pub fn is_our_link(&self, href: &str) -> bool {
        self.links.is_our_link(href)
    }

    /// Whether a URL is an AliExpress page.
    pub fn is_aliexpress(&self, url: &str) -> bool {
        classify(url).aliexpress().is_some()
    }

    /// Whether the page at `url` is one whose facts can name coupons (product, cart, checkout,
    /// store): only those are read as they load.
    pub fn facts_worth_reading(&self, url: &str) -> bool {
        shopper_core::page::facts_worth_reading(url)
    }

    /// What the popup says about a tab, as JSON: `{"held_back", "note", "can_activate"}` (why
    /// its links are held back, the note to show, whether "Activate deals" is offered); throws
    /// on an unknown mode or stand-down reason.
    pub fn tab_view(
        mode: &str,
        activated: bool,
        stood_down: Option<String>,
        aliexpress: bool,
        page_seen: bool,
    ) -> Result<String, JsError> {
        let tab = TabFacts {
            mode: mode.parse::<RewriteMode>().map_err(|e| thrown(&e))?,
            activated,
            stood_down: stand_down_named(stood_down)?,
            aliexpress,
            page_seen,
        };
        Ok(TabView::of(&tab).to_json())
    }

    /// Decides a batch of href attributes joined by `\n`, as the page wrote them (resolved
    /// against `base_url`, the page's `document.baseURI`), found on the page at `page_url`, under
    /// the tab's mode (`ask`, `auto`, `off`), activation and stand-down; throws on an unknown mode.
    pub fn decide_links(
        &self,
        hrefs: &str,
        base_url: &str,
        page_url: &str,
        mode: &str,
        activated: bool,
        stood_down: bool,
    ) -> Result<LinkBatch, JsError> {
        let policy = TabPolicy {
            mode: mode.parse::<RewriteMode>().map_err(|e| thrown(&e))?,
            activated,
            stood_down,
        };
        let mut rewrites = String::with_capacity(hrefs.len() * 2);
        let base = BaseUrl::parse(base_url);
        let summary = decide_batch(
            hrefs,
            base.as_ref(),
            page_url,
            &policy,
            &self.links,
            &mut rewrites,
        );
        Ok(LinkBatch {
            rewrites,
            found: summary.found,
            aliexpress: summary.aliexpress,
            products: summary.products,
            attributed: summary.attributed,
            rewritten: summary.rewritten,
            held_back: summary.held_back,
        })
    }
}
