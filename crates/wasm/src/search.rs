//! Smart Search for the popup: the shopper's request in their own words, read on the device
//! into an AliExpress search. Nothing leaves the device.

use shopper_core::money::{Currency, Rates};
use shopper_core::search::{search, Filter, Site};
use wasm_bindgen::prelude::*;

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
/// `free_shipping`, `ship_from`, `sort`; others are ignored). No exchange rates cross yet (the
/// companion server's feed will bring them): a price in another currency than the site's is left
/// out of the URL, and the answer says so. Never throws.
#[wasm_bindgen]
pub fn parse_search(text: &str, host: &str, currency: &str, without: &str) -> String {
    let site = Site {
        host: (!host.is_empty()).then_some(host),
        currency: Currency::parse(currency),
    };
    let without: Vec<Filter> = without.split(',').filter_map(Filter::parse).collect();
    search(text, site, &Rates::none(), &without).to_json()
}
