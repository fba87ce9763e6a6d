//! Smart Search for the popup: the shopper's request in their own words, read on the device
//! into an AliExpress search; and the products the companion server found for a request the
//! shopper submitted, checked before they are shown.

use shopper_core::coupon::read_rates_json;
use shopper_core::money::{Currency, Rates};
use shopper_core::search::{check_product_answer, search, Filter, Site};
use wasm_bindgen::prelude::*;

use crate::problem::thrown;

/// Reads one line of a shopper's request (any of the six languages; only its first 1,000
/// characters) and returns the Engine's answer as JSON, the same object `shopper search parse`
/// prints: what was understood (`keywords`, `min_price`, `max_price`, `currency`, `min_rating`,
/// `free_shipping`, `ship_from`, `sort`), `site_currency`, the price range the URL carries
/// (`url_price`, or null), each filter with whether the URL carries it (`filters`: `{"filter",
/// "in_url", "note"}`), and the `url`.
///
/// `host` is the shopper's AliExpress host (`es.aliexpress.com`) for the URL; empty, or not an
/// AliExpress shop host, the URL is on `www.aliexpress.com`. `currency` is the ISO code of the
/// currency the shopper's AliExpress shows, when a page of it said (empty, or not a known code:
/// unknown). `without` names filters the shopper took off, comma-separated (`price`, `rating`,
/// `free_shipping`, `ship_from`, `sort`; others are ignored). `rates` are the coupon feed's
/// exchange rates as the worker's `CouponBook.rates` gives them: a price typed in another
/// currency than the site's is converted with them; with none (empty, or unreadable), such a
/// price is left out of the URL, and the answer says so. Never throws.
#[wasm_bindgen]
pub fn parse_search(text: &str, host: &str, currency: &str, without: &str, rates: &str) -> String {
    let site = Site {
        host: (!host.is_empty()).then_some(host),
        currency: Currency::parse(currency),
    };
    let without: Vec<Filter> = without.split(',').filter_map(Filter::parse).collect();
    let rates = read_rates_json(rates).unwrap_or_else(|_| Rates::none());
    search(text, site, &rates, &without).to_json()
}

/// Checks the companion server's product answer (`shopper_core::search::check_product_answer`):
/// how many products it carries, or throws the problem that makes it unusable.
#[wasm_bindgen]
pub fn check_products(answer: &str) -> Result<u32, JsError> {
    let count = check_product_answer(answer).map_err(|e| thrown(&e))?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The shopper's ship-to country and currency (`shopper_core::shopper_region`) and the market of
/// their coupon feed, as `{"country", "currency", "market"}`: what the page said (either may be
/// empty), else the browser language tag's guess.
#[wasm_bindgen]
pub fn shopper_region(page_country: &str, page_currency: &str, browser_tag: &str) -> String {
    let region =
        shopper_core::shopper_region::shopper_region(page_country, page_currency, browser_tag);
    format!(
        r#"{{"country":"{}","currency":"{}","market":"{}"}}"#,
        region.country.as_str(),
        region.currency.as_str(),
        region.market()
    )
}
