//! `shopper search parse`, run as the popup's developer would: requests in on stdin, one JSON
//! object per line out.

// The shared helpers stop the test with a message, as a test should.
#![allow(clippy::panic)]

mod common;

use common::shopper_lines as shopper;
use serde_json::json;

#[test]
fn parse_prints_one_object_per_line() {
    let (ok, lines) = shopper(
        &["search", "parse"],
        "bluetooth speaker under 30 dollars\nzapatos de mujer entre 20 y 40 euros envío gratis\n\nсмарт часы до 3000 рублей хиты продаж\n",
    );
    assert!(ok);
    assert_eq!(
        lines,
        vec![
            json!({"keywords": "bluetooth speaker", "min_price": null, "max_price": 30, "currency": "USD", "min_rating": null, "free_shipping": false, "ship_from": null, "sort": null,
                   "site_currency": null, "url_price": {"min": null, "max": 30, "currency": null},
                   "filters": [{"filter": "price", "in_url": true, "note": "shopper_currency"}],
                   "url": "https://www.aliexpress.com/wholesale?SearchText=bluetooth+speaker&maxPrice=30"}),
            json!({"keywords": "zapatos mujer", "min_price": 20, "max_price": 40, "currency": "EUR", "min_rating": null, "free_shipping": true, "ship_from": null, "sort": null,
                   "site_currency": null, "url_price": {"min": 20, "max": 40, "currency": null},
                   "filters": [{"filter": "price", "in_url": true, "note": "shopper_currency"}, {"filter": "free_shipping", "in_url": true, "note": null}],
                   "url": "https://www.aliexpress.com/wholesale?SearchText=zapatos+mujer&minPrice=20&maxPrice=40&isFreeShip=y"}),
            json!({"keywords": "", "min_price": null, "max_price": null, "currency": null, "min_rating": null, "free_shipping": false, "ship_from": null, "sort": null,
                   "site_currency": null, "url_price": null, "filters": [],
                   "url": "https://www.aliexpress.com/wholesale?SearchText="}),
            json!({"keywords": "смарт часы", "min_price": null, "max_price": 3000, "currency": "RUB", "min_rating": null, "free_shipping": false, "ship_from": null, "sort": "orders",
                   "site_currency": null, "url_price": {"min": null, "max": 3000, "currency": null},
                   "filters": [{"filter": "price", "in_url": true, "note": "shopper_currency"}, {"filter": "sort", "in_url": true, "note": null}],
                   "url": "https://www.aliexpress.com/wholesale?SearchText=%D1%81%D0%BC%D0%B0%D1%80%D1%82+%D1%87%D0%B0%D1%81%D1%8B&maxPrice=3000&SortType=total_tranpro_desc"}),
        ]
    );
}

#[test]
fn parse_uses_the_shoppers_host_only_when_it_is_aliexpress() {
    let query = "Powerbank 10000mAh 4,5 Sterne oder mehr Versand aus Deutschland\n";
    let (ok, lines) = shopper(&["search", "parse", "--host", "de.aliexpress.com"], query);
    assert!(ok);
    assert_eq!(
        lines,
        vec![
            json!({"keywords": "powerbank 10000mah", "min_price": null, "max_price": null, "currency": null, "min_rating": 4.5, "free_shipping": false, "ship_from": "DE", "sort": null,
                   "site_currency": null, "url_price": null,
                   "filters": [{"filter": "rating", "in_url": false, "note": "not_in_search"}, {"filter": "ship_from", "in_url": true, "note": null}],
                   "url": "https://de.aliexpress.com/wholesale?SearchText=powerbank+10000mah&shipFromCountry=DE"})
        ]
    );
    let (ok, lines) = shopper(
        &["search", "parse", "--host", "aliexpress.com.evil.example"],
        query,
    );
    assert!(ok);
    let url = lines.first().and_then(|l| l["url"].as_str()).unwrap_or("");
    assert!(
        url.starts_with("https://www.aliexpress.com/wholesale?"),
        "{url}"
    );
}

#[test]
fn parse_knows_the_sites_currency_and_the_filters_taken_off() {
    let query = "смарт часы до 3000 рублей хиты продаж\nlamp under $300 newest\n";
    let (ok, lines) = shopper(&["search", "parse", "--currency", "MXN"], query);
    assert!(ok);
    // Roubles on a site in pesos, with no rate: left out of the URL, and said so.
    assert_eq!(
        lines[0]["filters"][0],
        json!({"filter": "price", "in_url": false, "note": "other_currency"})
    );
    assert_eq!(lines[0]["url_price"], json!(null));
    assert!(
        !lines[0]["url"].as_str().unwrap_or("").contains("maxPrice"),
        "{}",
        lines[0]
    );
    // `$` on a site in pesos is pesos.
    assert_eq!(lines[1]["currency"], "MXN");
    assert!(
        lines[1]["url"]
            .as_str()
            .unwrap_or("")
            .contains("maxPrice=300"),
        "{}",
        lines[1]
    );
    let (ok, lines) = shopper(
        &[
            "search",
            "parse",
            "--currency",
            "MXN",
            "--without",
            "price,sort",
        ],
        query,
    );
    assert!(ok);
    assert_eq!(lines[1]["filters"], json!([]));
    assert_eq!(
        lines[1]["url"],
        "https://www.aliexpress.com/wholesale?SearchText=lamp"
    );
    let (ok, _) = shopper(&["search", "parse", "--currency", "XYZ"], query);
    assert!(!ok, "an unknown currency is refused");
    let (ok, _) = shopper(&["search", "parse", "--without", "colour"], query);
    assert!(!ok, "an unknown filter is refused");
}

#[test]
fn parse_reads_hostile_lines() {
    let mut input = String::from("\u{202E}\u{0007}🔥🔥 ★★★\n");
    input.push_str(&"ü$1-€".repeat(4_000));
    input.push('\n');
    let (ok, lines) = shopper(&["search", "parse"], &input);
    assert!(ok);
    assert_eq!(lines.len(), 2);
}
