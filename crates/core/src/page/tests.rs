//! `read_page` over the facts the real collector produced from each fixture page (kept in
//! `fixtures/`, checked against the collector by `tests/unit/page.test.mjs`), adversarial facts,
//! links the extension rewrote, the JSON the popup gets (read back with serde_json), and
//! property tests that no input panics and that the JSON always says what the context holds.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::money::Currency;

use super::*;
use crate::coupon::Timestamp;

const NOW: Timestamp = 1_795_392_000;

/// Each fixture's snapshot: `{"fixture", "expected", "facts"}`.
const SNAPSHOTS: [(&str, &str); 6] = [
    (
        "product-jsonld",
        include_str!("fixtures/product-jsonld.json"),
    ),
    ("product-meta", include_str!("fixtures/product-meta.json")),
    ("product-dom", include_str!("fixtures/product-dom.json")),
    (
        "product-runparams",
        include_str!("fixtures/product-runparams.json"),
    ),
    ("cart", include_str!("fixtures/cart.json")),
    ("checkout", include_str!("fixtures/checkout.json")),
];

/// The snapshots of the pages whose data is their own model, with the main-world reader's copy
/// among the facts (one of each generation, and aliexpress.us); each `expected` also says which
/// source gave each fact of the line (`from`) and the country (`country_from`).
const MODEL_SNAPSHOTS: [(&str, &str); 4] = [
    ("product-csr", include_str!("fixtures/product-csr.json")),
    ("product-2023", include_str!("fixtures/product-2023.json")),
    ("product-2021", include_str!("fixtures/product-2021.json")),
    ("product-us", include_str!("fixtures/product-us.json")),
];

fn snapshot(name: &str) -> (Value, Value) {
    let text = SNAPSHOTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_default();
    let value: Value = serde_json::from_str(text).expect("snapshot is JSON");
    (value["facts"].clone(), value["expected"].clone())
}

/// The context as the popup gets it: its one writer's JSON, read back by serde_json.
fn written(context: &PageContext) -> Value {
    serde_json::from_str(&context.to_json()).expect("the context's JSON parses")
}

/// Whether the JSON written for `context` says exactly what it holds: an error naming the first
/// difference otherwise.
fn says_what_it_holds(context: &PageContext, shown: &Value) -> Result<(), String> {
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_owned()));
    let names = |list: Vec<&str>| Value::from(list);
    let items: Vec<Value> = context
        .items
        .iter()
        .map(|item| {
            json!({
                "product_id": text(item.product_id.as_deref()),
                "store_id": text(item.store_id.as_deref()),
                "category_ids": item.category_ids,
                "price": item.price,
                "price_range": item.price_range,
                "quantity": item.quantity,
                "selected": item.selected,
                "from": {
                    "product": text(item.from.product.map(Source::name)),
                    "store": text(item.from.store.map(Source::name)),
                    "categories": text(item.from.categories.map(Source::name)),
                    "price": text(item.from.price.map(Source::name)),
                },
            })
        })
        .collect();
    let want = json!({
        "kind": context.kind.name(),
        "currency": text(context.currency.as_ref().map(Currency::as_str)),
        "currency_from": text(context.currency_from.map(Source::name)),
        "country": text(context.country.as_ref().map(CountryCode::as_str)),
        "country_from": text(context.country_from.map(Source::name)),
        "items": items,
        "promo_code_field": context.promo_code_field,
        "unknown": names(context.unknown.iter().map(|u| u.name()).collect()),
        "notes": names(context.notes.iter().map(|n| n.name()).collect()),
    });
    if *shown == want {
        Ok(())
    } else {
        Err(format!("written {shown}\nholds {want}"))
    }
}

fn read(facts: &Value) -> Result<PageContext, PageError> {
    read_page(&facts.to_string())
}

fn page(facts: &Value) -> PageContext {
    read(facts).expect("a context")
}

/// The context as the popup gets it, in the fixtures' `expected` shape.
fn as_expected(context: &PageContext, url: &Value) -> Value {
    let shown = written(context);
    let items = shown["items"].as_array().cloned().unwrap_or_default();
    json!({
        "url": url,
        "kind": shown["kind"],
        "currency": shown["currency"],
        "country": shown["country"],
        "promo_code_field": shown["promo_code_field"],
        "items": items.iter().map(|item| json!({
            "product_id": item["product_id"],
            "store_id": item["store_id"],
            "category_ids": item["category_ids"],
            "price": item["price"],
            "quantity": item["quantity"],
            "selected": item["selected"],
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn every_fixture_is_understood_as_it_expects() {
    for (name, _) in SNAPSHOTS {
        let (facts, mut expected) = snapshot(name);
        let context = page(&facts);
        let total = expected
            .as_object_mut()
            .and_then(|e| e.remove("selected_total"));
        assert_eq!(as_expected(&context, &expected["url"]), expected, "{name}");
        let cart = context.cart(NOW, false).expect("a cart");
        assert_eq!(cart.now, NOW);
        assert_eq!(
            cart.items.len(),
            context.items.iter().filter(|i| i.counted()).count(),
            "{name}"
        );
        if let Some(total) = total.and_then(|t| t.as_u64()) {
            assert_eq!(cart.total(), total, "{name}: the selected lines' total");
        }
    }
}

#[test]
fn every_generation_of_product_page_is_read_from_its_model() {
    for (name, text) in MODEL_SNAPSHOTS {
        let value: Value = serde_json::from_str(text).expect("snapshot is JSON");
        let (facts, mut expected) = (value["facts"].clone(), value["expected"].clone());
        assert!(
            facts["model"].is_string(),
            "{name}: the copy is among the facts"
        );
        let context = page(&facts);
        let fields = expected.as_object_mut().expect("an object");
        let from = fields.remove("from").unwrap_or_default();
        let country_from = fields.remove("country_from").unwrap_or_default();
        fields.remove("selected_total");
        assert_eq!(as_expected(&context, &expected["url"]), expected, "{name}");
        let shown = written(&context);
        assert_eq!(shown["items"][0]["from"], from, "{name}: the sources");
        assert_eq!(shown["country_from"], country_from, "{name}");
        assert!(context.unknown.is_empty(), "{name}: {:?}", context.unknown);
        assert!(
            !context.notes.contains(&Note::PageModelMissing),
            "{name}: {:?}",
            context.notes
        );
        // Without the copy (the main-world reader blocked), each is read from its markup alone
        // and knows less: never more, never a different product.
        let mut bare = facts.clone();
        bare.as_object_mut().map(|f| f.remove("model"));
        let alone = page(&bare);
        assert_eq!(
            alone.items.first().and_then(|i| i.product_id.clone()),
            context.items.first().and_then(|i| i.product_id.clone()),
            "{name}"
        );
    }
}

#[test]
fn what_each_fixture_leaves_unknown_and_where_it_read() {
    /// (fixture, unknown, currency read from, country read from)
    type Case = (
        &'static str,
        &'static [Unknown],
        Option<Source>,
        Option<Source>,
    );
    let cases: [Case; 6] = [
        (
            "product-jsonld",
            &[],
            Some(Source::StructuredData),
            Some(Source::Cookie),
        ),
        (
            "product-meta",
            &[Unknown::Country],
            Some(Source::MetaTags),
            None,
        ),
        (
            "product-dom",
            &[],
            Some(Source::PriceText),
            Some(Source::Header),
        ),
        (
            "product-runparams",
            &[],
            Some(Source::PriceText),
            Some(Source::Cookie),
        ),
        ("cart", &[], Some(Source::PriceText), Some(Source::Cookie)),
        (
            "checkout",
            &[],
            Some(Source::PriceText),
            Some(Source::Cookie),
        ),
    ];
    for (name, unknown, currency_from, country_from) in cases {
        let context = page(&snapshot(name).0);
        assert_eq!(context.unknown, unknown, "{name}");
        assert_eq!(context.currency_from, currency_from, "{name}");
        assert_eq!(context.country_from, country_from, "{name}");
        assert!(context.notes.is_empty(), "{name}: {:?}", context.notes);
        assert!(context.prices_known(), "{name}");
    }
}

#[test]
fn the_popup_gets_this_json() {
    let context = page(&snapshot("product-meta").0);
    let shown = written(&context);
    assert_eq!(says_what_it_holds(&context, &shown), Ok(()));
    assert_eq!(
        shown,
        json!({
            "kind": "product",
            "currency": "EUR",
            "currency_from": "meta_tags",
            "country": null,
            "country_from": null,
            "items": [{
                "product_id": "1005005555555502",
                "store_id": "1102928353",
                "category_ids": ["1501", "100001719"],
                "price": 2499,
                "price_range": false,
                "quantity": 1,
                "selected": true,
                "from": {"product": "url", "store": "dom", "categories": "dom", "price": "meta_tags"}
            }],
            "promo_code_field": false,
            "unknown": ["country"],
            "notes": []
        })
    );
    let scope = page(&snapshot("cart").0).scope();
    assert_eq!(
        scope,
        PageScope {
            currency: Some(crate::money::code("USD")),
            country: CountryCode::parse("US"),
            product_ids: vec![
                "1005001234567890".into(),
                "1005003333333301".into(),
                "1005003333333302".into()
            ],
            store_ids: vec!["912345".into(), "2203344556".into()],
            category_ids: Vec::new(),
        },
        "unticked lines are not in scope"
    );
}

#[test]
fn the_cart_of_a_product_page() {
    let context = page(&snapshot("product-jsonld").0);
    let cart = context.cart(NOW, true).expect("cart");
    assert_eq!(cart.currency, crate::money::code("USD"));
    assert_eq!(cart.country, Some(*b"US"));
    assert!(cart.new_user);
    assert_eq!(cart.items.len(), 1);
    let item = cart.items.first().expect("item");
    assert_eq!(item.product_id.as_deref(), Some("1005005555555501"));
    assert_eq!(item.store_id.as_deref(), Some("1101234567"));
    assert_eq!(item.category_ids, ["44", "63705"]);
    assert_eq!((item.price, item.quantity), (1299, 1));
}

/// Facts with only these fields (and the version).
fn facts(fields: Value) -> Value {
    let mut base = json!({"version": FACTS_VERSION});
    if let (Some(base), Some(fields)) = (base.as_object_mut(), fields.as_object()) {
        base.extend(fields.clone());
    }
    base
}

const PRODUCT_URL: &str = "https://www.aliexpress.com/item/1005005555555501.html";
const CART_URL: &str = "https://www.aliexpress.com/p/shoppingcart/index.html";
const US: &str = "site=glo&c_tp=USD&region=US&b_locale=en_US";

#[test]
fn refusals() {
    let cases: Vec<(String, PageError)> = vec![
        (String::new(), PageError::NotJson(String::new())),
        ("{".into(), PageError::NotJson(String::new())),
        ("[]".into(), PageError::NotAnObject),
        ("\"x\"".into(), PageError::NotAnObject),
        ("null".into(), PageError::NotAnObject),
        ("{}".into(), PageError::UnsupportedVersion(None)),
        (
            r#"{"version": "1"}"#.into(),
            PageError::UnsupportedVersion(None),
        ),
        (
            r#"{"version": 1}"#.into(),
            PageError::UnsupportedVersion(Some(1)),
        ),
        (r#"{"version": 2}"#.into(), PageError::NoUrl),
        (r#"{"version": 2, "url": 7}"#.into(), PageError::NoUrl),
        (r#"{"version": 2, "url": ""}"#.into(), PageError::NoUrl),
        (
            r#"{"version": 2, "url": "https://evil.example/item/1005005555555501.html"}"#.into(),
            PageError::NotAliexpress,
        ),
        (
            r#"{"version": 2, "url": "https://aliexpress.com.evil.example/p/shoppingcart/"}"#
                .into(),
            PageError::NotAliexpress,
        ),
        (
            r#"{"version": 2, "url": "javascript:alert(1)"}"#.into(),
            PageError::NotAliexpress,
        ),
    ];
    let huge = format!(
        r#"{{"version": 2, "url": "{}"}}"#,
        "x".repeat(MAX_FACTS_BYTES)
    );
    let cases = cases
        .into_iter()
        .chain([(huge.clone(), PageError::TooLarge { bytes: huge.len() })]);
    for (json, want) in cases {
        let got = read_page(&json);
        match (&got, &want) {
            // The parser's wording is its own; that it is a JSON error is what matters.
            (Err(PageError::NotJson(_)), PageError::NotJson(_)) => {}
            _ => assert_eq!(
                got,
                Err(want),
                "{}",
                json.chars().take(80).collect::<String>()
            ),
        }
    }
    let message = read_page("{").map(|_| ()).unwrap_err().to_string();
    assert!(
        message.starts_with("page facts refused: not JSON"),
        "{message}"
    );
}

#[test]
fn refusals_are_problems_with_codes_and_parameters() {
    use crate::problem::Problem;
    let max = MAX_FACTS_BYTES.to_string();
    let reads = FACTS_VERSION.to_string();
    let cases: [(PageError, &str, Vec<String>); 7] = [
        (
            PageError::TooLarge { bytes: 5 },
            "page_facts_too_large",
            vec!["5".into(), max],
        ),
        (
            PageError::NotJson("expected value".into()),
            "page_facts_not_json",
            vec![],
        ),
        (PageError::NotAnObject, "page_facts_not_an_object", vec![]),
        (
            PageError::UnsupportedVersion(None),
            "page_facts_version_missing",
            vec![reads.clone()],
        ),
        (
            PageError::UnsupportedVersion(Some(1)),
            "page_facts_version_unsupported",
            vec!["1".into(), reads],
        ),
        (PageError::NoUrl, "page_facts_no_url", vec![]),
        (PageError::NotAliexpress, "page_not_aliexpress", vec![]),
    ];
    for (error, code, params) in &cases {
        assert_eq!(error.code(), *code, "{error}");
        assert_eq!(&error.params(), params, "{error}");
    }
    let mut codes: Vec<&str> = cases.iter().map(|(e, _, _)| e.code()).collect();
    codes.sort_unstable();
    let mut listed = PageError::CODES.to_vec();
    listed.sort_unstable();
    assert_eq!(codes, listed, "every code listed, and only those");
    assert!(crate::problem::codes().contains(&"page_not_aliexpress"));
}

/// What a product page that says nothing but its URL leaves unknown.
const ALL_UNKNOWN: [Unknown; 4] = [
    Unknown::Currency,
    Unknown::Country,
    Unknown::Price,
    Unknown::Store,
];

#[test]
fn only_a_url() {
    let context = page(&facts(json!({"url": PRODUCT_URL})));
    assert_eq!(context.kind, PageKind::Product);
    let item = context.items.first().expect("one line");
    assert_eq!(item.product_id.as_deref(), Some("1005005555555501"));
    assert_eq!((item.price, item.store_id.as_deref()), (None, None));
    assert_eq!(context.unknown, ALL_UNKNOWN);
    assert_eq!(context.cart(NOW, false), None, "no currency, no cart");
    assert_eq!(context.scope().product_ids, ["1005005555555501"]);

    // With the settings cookie, a cart of one unpriced line: product coupons are candidates,
    // but nothing can reach a minimum spend.
    let context = page(&facts(json!({"url": PRODUCT_URL, "cookie": US})));
    assert_eq!(context.unknown, [Unknown::Price, Unknown::Store]);
    let cart = context.cart(NOW, false).expect("cart");
    assert_eq!(
        (cart.total(), cart.currency),
        (0, crate::money::code("USD"))
    );
    assert!(!context.prices_known());

    let store = page(&facts(
        json!({"url": "https://www.aliexpress.com/store/912345", "cookie": US}),
    ));
    assert_eq!(store.kind, PageKind::Store);
    assert_eq!(store.scope().store_ids, ["912345"]);
    assert!(store.unknown.is_empty(), "{:?}", store.unknown);

    let other = page(&facts(json!({"url": "https://www.aliexpress.com/"})));
    assert_eq!(other.kind, PageKind::Other);
    assert!(other.items.is_empty());
    assert_eq!(other.cart(NOW, false), None);
}

#[test]
fn wrong_types_count_as_missing() {
    let context = page(&facts(json!({
        "url": PRODUCT_URL,
        "base": 5,
        "json_ld": "not a list",
        "meta": [["og:url"], [1, 2], "x", {"a": "b"}, ["og:type", null]],
        "cookie": ["region=US"],
        "ship_to": "US",
        "script": ["storeNum", ": 1"],
        "product": {"prices": [12.99, null, {"v": 1}], "store_links": "https://www.aliexpress.com/store/1", "quantity": 3},
        "items": {"0": {}},
        "promo_code_input": "yes"
    })));
    assert_eq!(context.kind, PageKind::Product);
    assert_eq!(context.unknown, ALL_UNKNOWN);
    assert!(!context.promo_code_field);

    let cart = page(&facts(json!({
        "url": CART_URL,
        "cookie": US,
        "items": [null, 1, "x", [], {"links": "x", "price": 5, "quantity": 2, "selected": "yes"},
                  {"links": [7, "https://www.aliexpress.com/item/1005001234567890.html"], "price": "US $1.00", "selected": 1}]
    })));
    assert_eq!(cart.items.len(), 1, "lines with nothing known are dropped");
    let line = cart.items.first().expect("line");
    assert_eq!(line.product_id.as_deref(), Some("1005001234567890"));
    assert_eq!((line.price, line.selected), (Some(100), None));
    assert!(cart.unknown.contains(&Unknown::Quantity));
}

#[test]
fn megabyte_strings_are_ignored() {
    let mb = "9".repeat(1024 * 1024);
    assert_eq!(read(&facts(json!({"url": mb}))), Err(PageError::NoUrl));
    let fields = [
        json!({"cookie": format!("region=US&c_tp=USD&x={mb}")}),
        json!({"json_ld": [format!("{{\"@type\": \"Product\", \"url\": \"{mb}\"}}")]}),
        json!({"meta": [["product:price:amount", mb]]}),
        json!({"ship_to": {"text": mb, "flag": "US"}}),
        json!({"ship_to": {"text": "USD", "flag": mb}}),
        json!({"script": {"storeNum": mb}}),
        json!({"product": {"prices": [format!("US ${mb}")]}}),
        json!({"product": {"store_links": [mb]}}),
        json!({"product": {"quantity": mb}}),
        json!({"items": [{"links": [mb]}]}),
        json!({"items": [{"price": mb}]}),
    ];
    for field in fields {
        let mut all = facts(json!({"url": PRODUCT_URL}));
        if let (Some(all), Some(field)) = (all.as_object_mut(), field.as_object()) {
            all.extend(field.clone());
        }
        let context = page(&all);
        // Each ship-to half is read on its own: the other, small one still counts.
        let unknown: &[Unknown] = match field.get("ship_to") {
            Some(s) if s["flag"] == "US" => &[Unknown::Currency, Unknown::Price, Unknown::Store],
            Some(_) => &[Unknown::Country, Unknown::Price, Unknown::Store],
            None => &[
                Unknown::Currency,
                Unknown::Country,
                Unknown::Price,
                Unknown::Store,
            ],
        };
        assert_eq!(
            context.unknown,
            unknown,
            "{}",
            field.to_string().chars().take(60).collect::<String>()
        );
    }
}

#[test]
fn absurd_zero_and_malformed_prices() {
    for price in [
        "US $99999999999999",
        "US $0.00",
        "US $-5.00",
        "US $1.2.3",
        "US $12.9999",
        "US $ NaN",
        "Infinity",
    ] {
        let context = page(&facts(json!({
            "url": PRODUCT_URL, "cookie": US, "product": {"prices": [price]}
        })));
        let item = context.items.first().expect("line");
        assert_eq!(item.price, None, "{price}");
        assert!(context.unknown.contains(&Unknown::Price), "{price}");
        assert_eq!(context.notes, [Note::UnreadablePrice], "{price}");
        assert_eq!(context.currency, Some(crate::money::code("USD")), "{price}");
    }
    // The first readable source wins; an unreadable one before it is no problem.
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US,
        "json_ld": [r#"{"@type": "Product", "offers": {"price": "lots", "priceCurrency": "USD"}}"#],
        "product": {"prices": ["US $0.00", "US $12.99"]}
    })));
    assert_eq!(context.items.first().and_then(|i| i.price), Some(1299));
    assert!(context.notes.is_empty(), "{:?}", context.notes);
}

#[test]
fn the_price_in_the_shoppers_currency_wins() {
    // Structured data in the store's base currency, the page in the shopper's.
    let json_ld = r#"{"@type": "Product", "offers": {"price": "93.50", "priceCurrency": "CNY"}}"#;
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US, "json_ld": [json_ld], "product": {"prices": ["US $12.99"]}
    })));
    assert_eq!(context.currency, Some(crate::money::code("USD")));
    assert_eq!(context.currency_from, Some(Source::PriceText));
    assert_eq!(context.items.first().and_then(|i| i.price), Some(1299));
    // Without the setting, the first source (structured data) is taken as it is.
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "json_ld": [json_ld], "product": {"prices": ["US $12.99"]}
    })));
    assert_eq!(context.currency, Some(crate::money::code("CNY")));
    assert_eq!(context.items.first().and_then(|i| i.price), Some(9350));
    // Only a price in another currency: taken, and said.
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US, "json_ld": [json_ld]
    })));
    assert_eq!(context.currency, Some(crate::money::code("CNY")));
    assert_eq!(context.notes, [Note::PriceNotInShopperCurrency]);
}

#[test]
fn shared_symbols_need_the_setting() {
    let read_with = |cookie: &str, price: &str| {
        let context = page(&facts(json!({
            "url": PRODUCT_URL, "cookie": cookie, "product": {"prices": [price]}
        })));
        (
            context.currency.map(|c| c.as_str().to_owned()),
            context.items.first().and_then(|i| i.price),
        )
    };
    assert_eq!(read_with("", "$12.99"), (None, None), "which dollar?");
    assert_eq!(
        read_with("c_tp=CAD", "$12.99"),
        (Some("CAD".into()), Some(1299))
    );
    assert_eq!(
        read_with("c_tp=JPY", "¥1,299"),
        (Some("JPY".into()), Some(1299))
    );
    assert_eq!(
        read_with("c_tp=CNY", "¥12.99"),
        (Some("CNY".into()), Some(1299))
    );
    assert_eq!(
        read_with("c_tp=EUR", "12.99"),
        (Some("EUR".into()), Some(1299)),
        "bare number"
    );
    // A dollar sign when the setting says euro: not a euro price; the setting stays the currency.
    assert_eq!(read_with("c_tp=EUR", "$12.99"), (Some("EUR".into()), None));
}

#[test]
fn ranges_are_their_low_end() {
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US, "product": {"prices": ["US $12.99 - 25.99"]}
    })));
    let item = context.items.first().expect("line");
    assert_eq!((item.price, item.price_range), (Some(1299), true));
    assert_eq!(context.notes, [Note::PriceRange]);
}

fn line(product: &str, store: &str, price: &str, selected: Option<bool>) -> Value {
    json!({
        "links": [format!("/item/{product}.html")],
        "store_link": format!("https://www.aliexpress.com/store/{store}"),
        "price": price, "quantity": "1", "selected": selected
    })
}

#[test]
fn mixed_currencies_in_a_cart() {
    let items = json!([
        line("1005000000000001", "1001", "US $1.00", Some(true)),
        line("1005000000000002", "1002", "12,00 €", Some(true)),
        line("1005000000000003", "1003", "US $2.00", Some(true)),
    ]);
    let context = page(&facts(
        json!({"url": CART_URL, "cookie": US, "items": items.clone()}),
    ));
    assert_eq!(context.currency, Some(crate::money::code("USD")));
    let prices: Vec<Option<u64>> = context.items.iter().map(|i| i.price).collect();
    assert_eq!(prices, [Some(100), None, Some(200)]);
    assert_eq!(context.notes, [Note::MixedCurrencies]);
    assert_eq!(context.cart(NOW, false).map(|c| c.total()), Some(300));

    let context = page(&facts(json!({"url": CART_URL, "items": items})));
    assert_eq!(context.currency, None);
    assert!(context.items.iter().all(|i| i.price.is_none()));
    assert_eq!(context.cart(NOW, false), None);
    assert_eq!(context.scope().store_ids, ["1001", "1002", "1003"]);

    // An unticked line in another currency does not disturb the order's currency.
    let items = json!([
        line("1005000000000001", "1001", "US $1.00", Some(true)),
        line("1005000000000002", "1002", "12,00 €", Some(false)),
    ]);
    let context = page(&facts(json!({"url": CART_URL, "items": items})));
    assert_eq!(context.currency, Some(crate::money::code("USD")));
    assert!(context.notes.is_empty());
}

#[test]
fn hostile_links_name_nothing() {
    let context = page(&facts(json!({
        "url": CART_URL, "cookie": US,
        "items": [{
            "links": ["https://evil.example/item/1005000000000001.html", "javascript:alert(1)",
                      "https://aliexpress.com@evil.example/item/1005000000000002.html"],
            "store_link": "https://evil.example/store/1001",
            "price": "US $1.00", "quantity": "1", "selected": true
        }]
    })));
    let item = context.items.first().expect("line, for its price");
    assert_eq!(
        (item.product_id.as_deref(), item.store_id.as_deref()),
        (None, None)
    );
    assert_eq!(context.unknown, [Unknown::Product, Unknown::Store]);
    // A product page's store link elsewhere, or another store's product: not the seller.
    let context = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US,
        "product": {"store_links": ["https://evil.example/store/1001", "/store/912345"], "prices": ["US $1.00"]}
    })));
    assert_eq!(
        context.items.first().and_then(|i| i.store_id.as_deref()),
        Some("912345"),
        "a relative link resolves against the page"
    );
}

#[test]
fn too_many_lines_and_a_checkout_anywhere() {
    let items: Vec<Value> = (0..150)
        .map(|i| {
            line(
                &format!("{}", 1_005_000_000_000_000u64 + i),
                "1001",
                "US $1.00",
                Some(true),
            )
        })
        .collect();
    let context = page(&facts(
        json!({"url": CART_URL, "cookie": US, "items": items.clone()}),
    ));
    assert_eq!(context.items.len(), limit::ITEMS);
    assert_eq!(context.notes, [Note::TooManyItems]);
    assert_eq!(context.cart(NOW, false).map(|c| c.total()), Some(10_000));
    // What the collector sends: the lines it read, and that it stopped short.
    let read: Vec<Value> = items.iter().take(limit::ITEMS).cloned().collect();
    let cut = page(&facts(
        json!({"url": CART_URL, "cookie": US, "items": read.clone(), "items_cut": true}),
    ));
    assert_eq!(cut.notes, [Note::TooManyItems]);
    let whole = page(&facts(
        json!({"url": CART_URL, "cookie": US, "items": read}),
    ));
    assert!(whole.notes.is_empty(), "{:?}", whole.notes);

    let moved = "https://www.aliexpress.com/p/checkout-new/index.html";
    let context = page(&facts(
        json!({"url": moved, "items": items, "promo_code_input": true}),
    ));
    assert_eq!(
        context.kind,
        PageKind::Checkout,
        "lines beside a promo code field"
    );
    let context = page(&facts(
        json!({"url": moved, "items": [line("1005000000000001", "1", "US $1", None)]}),
    ));
    assert_eq!(
        context.kind,
        PageKind::Other,
        "a mini-cart alone makes no cart page"
    );
}

#[test]
fn a_product_page_at_an_unusual_address() {
    let context = page(&facts(json!({
        "url": "https://www.aliexpress.com/ssr/300000512/deals",
        "meta": [["og:type", "product"], ["og:url", PRODUCT_URL]],
    })));
    assert_eq!(context.kind, PageKind::Product);
    assert_eq!(
        context.items.first().and_then(|i| i.product_id.as_deref()),
        Some("1005005555555501")
    );
}

/// Facts-shaped JSON with random strings where the collector puts strings.
fn arbitrary_facts() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        "\\PC{0,40}",
        "[0-9., $€¥₽zł'-]{0,20}",
        prop::sample::select(vec![
            "US $12.99".to_owned(),
            "1 299,00 руб.".to_owned(),
            "https://www.aliexpress.com/item/1005005555555501.html".to_owned(),
            "/store/912345".to_owned(),
            "region=US&c_tp=USD".to_owned(),
            ": \"44/100001205\"".to_owned(),
            "{\"@type\": \"Product\", \"offers\": {\"price\": 1e400}}".to_owned(),
        ]),
    ];
    let url = prop::sample::select(vec![
        PRODUCT_URL,
        CART_URL,
        "https://www.aliexpress.com/p/trade/confirm.html",
        "https://www.aliexpress.com/store/912345",
        "https://evil.example/",
    ]);
    (
        url,
        prop::collection::vec(text.clone(), 0..4),
        prop::collection::vec((text.clone(), text.clone(), any::<Option<bool>>()), 0..4),
        text.clone(),
        text,
    )
        .prop_map(|(url, strings, lines, cookie, script)| {
            let items: Vec<Value> = lines
                .into_iter()
                .map(|(a, b, selected)| json!({"links": [a.clone()], "store_link": b, "price": a, "quantity": b, "selected": selected}))
                .collect();
            json!({
                "version": FACTS_VERSION, "url": url, "cookie": cookie,
                "json_ld": strings.clone(),
                "meta": strings.iter().map(|s| json!(["product:price:amount", s])).collect::<Vec<_>>(),
                "ship_to": {"text": strings.first(), "flag": strings.last()},
                "script": {"storeNum": script, "categoryPaths": strings.first()},
                "product": {"prices": strings.clone(), "store_links": strings.clone(), "category_links": strings, "quantity": cookie},
                "items": items,
                "promo_code_input": true
            })
            .to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any string at all gives a context or an error, never a panic.
    #[test]
    fn any_string_is_answered(text in "\\PC{0,200}") {
        let _ = read_page(&text);
    }

    /// Facts of the right shape with hostile contents give a context whose cart holds only
    /// counted lines, and whose JSON says exactly what it holds.
    #[test]
    fn any_facts_are_answered(json in arbitrary_facts()) {
        if let Ok(context) = read_page(&json) {
            let shown: Result<Value, _> = serde_json::from_str(&context.to_json());
            prop_assert!(shown.is_ok(), "{}", context.to_json());
            if let Ok(shown) = shown {
                prop_assert_eq!(says_what_it_holds(&context, &shown), Ok(()));
            }
            if let Some(cart) = context.cart(NOW, false) {
                prop_assert_eq!(cart.items.len(), context.items.iter().filter(|i| i.counted()).count());
                prop_assert!(context.currency.is_some());
            }
            for item in &context.items {
                prop_assert!(item.price.is_none_or(|p| p > 0 && p <= 1_000_000_000_000));
                prop_assert!((1..=99_999).contains(&item.quantity));
            }
        }
    }

    /// Any price text is read or refused, never a panic; what is read is in range.
    #[test]
    fn any_price_text_is_answered(text in "\\PC{0,40}|[0-9., '’\u{a0}-]{0,24}") {
        if let Ok(read) = price::read_price_text(&text, Currency::parse("USD")) {
            if let Some(currency) = read.currency {
                if let Ok(minor) = read.amount.minor(currency) {
                    prop_assert!(minor > 0 && minor <= price::ABSURD_MINOR);
                }
            }
        }
    }
}

/// The deals' JSON as the popup reads it says what the deals hold: the page, the notes, the
/// coupons with their text (escaped and read back as written), savings and terms.
fn deals_say_what_they_hold(deals: &crate::deals::PageDeals<'_>) {
    let shown: Value = serde_json::from_str(&deals.to_json()).expect("the deals' JSON parses");
    assert_eq!(says_what_it_holds(&deals.page, &shown["page"]), Ok(()));
    assert_eq!(shown["watch"], deals.watch);
    assert_eq!(
        shown["notes"].as_array().map(Vec::len),
        Some(deals.notes.len())
    );
    assert_eq!(shown["fillable"], json!(deals.fillable));
    let report = &deals.coupons;
    assert_eq!(shown["currency"], json!(report.currency));
    assert_eq!(shown["total"], json!(report.total));
    assert_eq!(shown["best"]["saving"], report.best.saving);
    assert_eq!(shown["best"]["cut_short"], report.best.cut_short);
    assert_eq!(shown["best"]["applied"], json!(report.best.applied));
    let coupons = shown["coupons"].as_array().cloned().unwrap_or_default();
    assert_eq!(coupons.len(), report.coupons.len());
    for (shown, offer) in coupons.iter().zip(&report.coupons) {
        assert_eq!(shown["id"], offer.id);
        assert_eq!(shown["title"], offer.title);
        assert_eq!(shown["code"], json!(offer.code));
        assert_eq!(shown["saving"], json!(offer.saving));
        assert_eq!(shown["in_best"], offer.in_best);
        assert_eq!(shown["url"], json!(offer.url));
    }
}

#[test]
fn the_popup_json_says_what_the_deals_hold() {
    use crate::coupon::{parse_feed, CouponIndex};
    use crate::deals::deals;
    // Coupons for the fixtures' stores and products, with text that needs escaping.
    let feed = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "s\"1\\", "kind": "store", "title": "Tab\there, line\nthere, \u0001 and ünï €", "store_id": "1101234567",
         "currency": "USD", "min_spend": 0, "discount": {"type": "fixed", "amount": 100},
         "countries": ["US", "ES"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z",
         "url": "https://www.aliexpress.com/store/1101234567"},
        {"id": "sel", "kind": "select", "title": "Select", "currency": "USD", "min_spend": 0,
         "discount": {"type": "percent", "percent": 10, "max": 500}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "usd", "kind": "code", "code": "SAVE\"1\"", "title": "Dollar", "currency": "USD", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 50}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "eur", "kind": "code", "code": "EURO", "title": "Euro", "currency": "EUR", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 50}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
    ]}"#;
    let index = CouponIndex::new(parse_feed(feed).expect("feed").coupons);
    let mut with_coupons = 0;
    let mut fillable = 0;
    for (name, _) in SNAPSHOTS {
        let (facts, _) = snapshot(name);
        for new_user in [false, true] {
            deals!(deals = &index, &facts.to_string(), NOW, new_user);
            deals_say_what_they_hold(&deals);
            with_coupons += usize::from(!deals.coupons.coupons.is_empty());
            fillable += deals.fillable.len();
        }
    }
    assert!(with_coupons > 0, "some fixture shows coupons");
    assert!(fillable > 0, "the checkout's code can be filled");
    // Pages with nothing known, and with every note.
    for facts in [
        json!({"version": FACTS_VERSION, "url": "https://www.aliexpress.com/"}),
        json!({"version": FACTS_VERSION, "url": "https://www.aliexpress.com/item/1005001234567890.html",
               "product": {"prices": ["$1", "bogus", "US $0"], "store_links": ["/store/1101234567"]}}),
        json!({"version": FACTS_VERSION, "url": "https://www.aliexpress.com/store/1101234567"}),
    ] {
        deals!(deals = &index, &facts.to_string(), NOW, false);
        deals_say_what_they_hold(&deals);
    }
}

/// A cart line whose only link is `href`, in store 912345, ticked.
fn cart_with_link(href: &str) -> PageContext {
    page(&facts(json!({
        "url": CART_URL, "cookie": US,
        "items": [{"links": [href], "store_link": "/store/912345", "price": "US $12.99",
                   "quantity": "1", "selected": true}]
    })))
}

fn product_of(context: &PageContext) -> Option<&str> {
    context.items.first().and_then(|i| i.product_id.as_deref())
}

#[test]
fn a_link_we_rewrote_is_read_as_the_product_it_points_at() {
    use crate::affiliate::{AffiliateKey, AffiliateLinks};
    use crate::link::classify;
    let linker = AffiliateLinks::new(AffiliateKey::parse("_dKey01").expect("key"));
    for page_href in [
        "https://www.aliexpress.com/item/1005001234567890.html",
        "https://www.aliexpress.com/item/1005001234567890.html?sku_id=12000031234567&spm=x",
        "https://es.aliexpress.com/item/1005001234567890.html",
    ] {
        let own = product_of(&cart_with_link(page_href)).map(str::to_owned);
        let ours = classify(page_href)
            .aliexpress()
            .and_then(|link| linker.link_for(link))
            .expect("a product link is rewritten");
        assert!(
            ours.starts_with("https://s.click.aliexpress.com/"),
            "{ours}"
        );
        let read = cart_with_link(&ours);
        assert_eq!(product_of(&read).map(str::to_owned), own, "{ours}");
        assert_eq!(product_of(&read), Some("1005001234567890"));
        assert!(read.unknown.is_empty(), "{ours}: {:?}", read.unknown);
    }
    // A store page behind a deep link names its store.
    let store = page(&facts(json!({
        "url": PRODUCT_URL, "cookie": US,
        "product": {"prices": ["US $1.00"], "store_links": [
            "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=k&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fstore%2F912345"
        ]}
    })));
    assert_eq!(
        store.items.first().and_then(|i| i.store_id.as_deref()),
        Some("912345")
    );
}

#[test]
fn redirects_that_cannot_be_read_back_name_nothing() {
    for href in [
        // An affiliate-API link: where it leads is the server's to know (the collector sends the
        // page's own href for those of ours).
        "https://s.click.aliexpress.com/e/_DlAbc12",
        // Deep links whose target is not an AliExpress page, or is another redirect.
        "https://s.click.aliexpress.com/deep_link.htm?dl_target_url=https%3A%2F%2Fevil.example%2Fitem%2F1005001234567890.html",
        "https://s.click.aliexpress.com/deep_link.htm?dl_target_url=javascript%3Aalert(1)",
        "https://s.click.aliexpress.com/deep_link.htm?dl_target_url=https%3A%2F%2Fs.click.aliexpress.com%2Fdeep_link.htm%3Fdl_target_url%3Dhttps%253A%252F%252Fwww.aliexpress.com%252Fitem%252F1005001234567890.html",
        "https://s.click.aliexpress.com/deep_link.htm?dl_target_url=%2Fitem%2F1005001234567890.html",
        "https://s.click.aliexpress.com/deep_link.htm",
        // The target's shape on another path or host is no deep link.
        "https://s.click.aliexpress.com/other.htm?dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html",
        "https://evil.example/deep_link.htm?dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html",
    ] {
        let context = cart_with_link(href);
        assert_eq!(product_of(&context), None, "{href}");
        assert_eq!(context.unknown, [Unknown::Product], "{href}");
    }
}
