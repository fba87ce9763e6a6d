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
            json!({"keywords": "bluetooth speaker", "min_price": null, "max_price": 30, "currency": "USD", "min_rating": null, "free_shipping": false, "ship_from": null, "sort": null, "url": "https://www.aliexpress.com/wholesale?SearchText=bluetooth+speaker&maxPrice=30"}),
            json!({"keywords": "zapatos mujer", "min_price": 20, "max_price": 40, "currency": "EUR", "min_rating": null, "free_shipping": true, "ship_from": null, "sort": null, "url": "https://www.aliexpress.com/wholesale?SearchText=zapatos+mujer&minPrice=20&maxPrice=40&isFreeShip=y"}),
            json!({"keywords": "", "min_price": null, "max_price": null, "currency": null, "min_rating": null, "free_shipping": false, "ship_from": null, "sort": null, "url": "https://www.aliexpress.com/wholesale?SearchText="}),
            json!({"keywords": "смарт часы", "min_price": null, "max_price": 3000, "currency": "RUB", "min_rating": null, "free_shipping": false, "ship_from": null, "sort": "orders", "url": "https://www.aliexpress.com/wholesale?SearchText=%D1%81%D0%BC%D0%B0%D1%80%D1%82+%D1%87%D0%B0%D1%81%D1%8B&maxPrice=3000&SortType=total_tranpro_desc"}),
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
            json!({"keywords": "powerbank 10000mah", "min_price": null, "max_price": null, "currency": null, "min_rating": 4.5, "free_shipping": false, "ship_from": "DE", "sort": null, "url": "https://de.aliexpress.com/wholesale?SearchText=powerbank+10000mah&shipFromCountry=DE"})
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
fn parse_reads_hostile_lines() {
    let mut input = String::from("\u{202E}\u{0007}🔥🔥 ★★★\n");
    input.push_str(&"ü$1-€".repeat(4_000));
    input.push('\n');
    let (ok, lines) = shopper(&["search", "parse"], &input);
    assert!(ok);
    assert_eq!(lines.len(), 2);
}
