//! Smart Search for the popup: the shopper's request in their own words, read on the device
//! into an AliExpress search. Nothing leaves the device.

use shopper_core::search::{parse_query, Filter, SearchRequest};
use wasm_bindgen::prelude::*;

/// Reads one line of a shopper's request (any of the six languages; only its first 1,000
/// characters) and returns it as JSON:
/// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
/// "ship_from", "sort", "url"}`, the same object `shopper search parse` prints. `host` is the
/// shopper's AliExpress host (`es.aliexpress.com`) for the URL; empty, or not an AliExpress shop
/// host, the URL is on `www.aliexpress.com`. `without` names filters the shopper took off,
/// comma-separated (`price`, `rating`, `free_shipping`, `ship_from`, `sort`; others are
/// ignored). Never throws.
#[wasm_bindgen]
pub fn parse_search(text: &str, host: &str, without: &str) -> String {
    let host = (!host.is_empty()).then_some(host);
    without
        .split(',')
        .filter_map(Filter::parse)
        .fold(parse_query(text), SearchRequest::without)
        .to_json(host)
}
