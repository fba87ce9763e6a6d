//! The store's coupons on a page, read: the terms each generation words (apart, or in one text),
//! what is not read (never guessed), the hours, collect-first, the feed's own coupon left out,
//! and the page's coupons stacked with the feed's.

use super::*;
use crate::coupon::{parse_feed, report};
use crate::page::{read_page, FACTS_VERSION};
use serde_json::json;

/// 2026-11-24T00:00:00Z.
const NOW: Timestamp = 1_795_392_000;
const STORE: &str = "912345";

/// A 2023–24 product page of store 912345 at US $25.00, whose coupon module holds `coupons`
/// (`promotionPanelDetailDTOList` entries).
fn page_2023(coupons: serde_json::Value) -> PageContext {
    let model = json!({"runParams": {"data": {
        "productInfoComponent": {"idStr": "1005001234567890"},
        "currencyComponent": {"currencyCode": "USD"},
        "sellerComponent": {"storeNum": STORE},
        "priceComponent": {"discountPrice": {"minActivityAmount": {"value": 25, "currency": "USD"}}},
        "webCouponInfoComponent": {"promotionPanelDTO": {"shopCoupon": [
            {"promotionPanelDetailDTOList": coupons}
        ]}},
    }}});
    facts_page(model)
}

/// A 2025–26 product page of store 912345 whose coupon block lists `texts`.
fn page_csr(texts: &[&str]) -> PageContext {
    let list: Vec<_> = texts.iter().map(|t| json!({"couponDesc": t})).collect();
    // As the main-world reader copies it: the list's first entry under the key "0".
    let model = json!({"_d_c_": {"isCSR": true, "lifeCycleEventList": {"0": {"data": {
        "GLOBAL_DATA": {"globalData": {"productId": "1005001234567890", "currencyCode": "USD"}},
        "SHOP_CARD_PC": {"storeNum": STORE},
        "PRICE": {"targetSkuPriceInfo": {"salePrice": {"value": 25, "currency": "USD"}}},
        "COUPON_BLOCK_PC": {"upperCouponBlockViewList": list},
    }}}}});
    facts_page(model)
}

fn facts_page(model: serde_json::Value) -> PageContext {
    let facts = json!({
        "version": FACTS_VERSION,
        "url": "https://www.aliexpress.com/item/1005001234567890.html",
        "cookie": "region=US&c_tp=USD",
        "model": model.to_string(),
    });
    read_page(&facts.to_string()).expect("a product page")
}

fn empty_index() -> CouponIndex {
    CouponIndex::new(Vec::new())
}

/// (discount, min_spend, currency) of each page coupon.
fn terms(found: &PageCoupons) -> Vec<(Discount, Minor, String)> {
    found
        .coupons
        .iter()
        .map(|c| {
            (
                c.discount(),
                c.min_spend(),
                c.currency().as_str().to_owned(),
            )
        })
        .collect()
}

fn apart(desc: &str, detail: &str) -> serde_json::Value {
    json!({"promotionDesc": desc, "promotionDetail": detail, "acquirable": true})
}

#[test]
fn terms_worded_apart_read_as_the_page_words_them() {
    let cases: &[(&str, &str, Discount, Minor, &str)] = &[
        (
            "US $2.00",
            "Orders over US $20.00",
            Discount::Fixed { amount: 200 },
            2000,
            "USD",
        ),
        (
            "US $3",
            "On orders over US $29",
            Discount::Fixed { amount: 300 },
            2900,
            "USD",
        ),
        (
            "2€",
            "En compras de 20€ o más",
            Discount::Fixed { amount: 200 },
            2000,
            "EUR",
        ),
        (
            "R$ 10,00",
            "Em pedidos acima de R$ 50,00",
            Discount::Fixed { amount: 1000 },
            5000,
            "BRL",
        ),
        (
            "10%",
            "Orders over US $30.00",
            Discount::Percent {
                percent: 10,
                max: None,
            },
            3000,
            "USD",
        ),
        (
            "US $1.00",
            "No minimum spend",
            Discount::Fixed { amount: 100 },
            0,
            "USD",
        ),
        ("US $1.00", "", Discount::Fixed { amount: 100 }, 0, "USD"),
    ];
    for (desc, detail, discount, min, currency) in cases {
        let page = page_2023(json!([apart(desc, detail)]));
        let found = page_coupons(&page, &empty_index(), NOW);
        assert_eq!(
            terms(&found),
            [(*discount, *min, currency.to_string())],
            "{desc} / {detail}"
        );
        assert_eq!(found.unread, 0);
        let coupon = &found.coupons[0];
        assert_eq!(coupon.id(), "page-912345-0");
        assert_eq!(coupon.store_scope().map(|s| s.store_id), Some(STORE));
    }
}

#[test]
fn one_text_reads_the_smaller_amount_as_the_amount_off() {
    let page = page_csr(&[
        "US $2 off on US $20",
        "US $20 or more, US $3 off",
        "US $1 off",
        "5% off",
    ]);
    let found = page_coupons(&page, &empty_index(), NOW);
    assert_eq!(
        terms(&found),
        [
            (Discount::Fixed { amount: 200 }, 2000, "USD".to_owned()),
            (Discount::Fixed { amount: 300 }, 2000, "USD".to_owned()),
            (Discount::Fixed { amount: 100 }, 0, "USD".to_owned()),
            (
                Discount::Percent {
                    percent: 5,
                    max: None
                },
                0,
                "USD".to_owned()
            ),
        ]
    );
    assert!(
        found.collect_first.iter().all(|c| !c),
        "the block does not say"
    );
}

#[test]
fn what_does_not_read_is_left_out_never_guessed() {
    let page = page_2023(json!([
        // Two amounts in the discount; a percentage with a cap or threshold in one text.
        apart("US $2 or US $3", "Orders over US $20"),
        // An amount off not below its threshold.
        apart("US $20", "Orders over US $10"),
        // Two currencies.
        apart("US $2", "Orders over 20€"),
        // No number at all; a percentage threshold; two thresholds.
        apart("Discount", "Orders over US $20"),
        apart("US $2", "Orders over 10%"),
        apart("US $2", "Orders between US $20 and US $30"),
        {"promotionDetail": "no discount said"},
        apart("US $2.00", "Orders over US $20.00"),
    ]));
    let found = page_coupons(&page, &empty_index(), NOW);
    assert_eq!(
        terms(&found),
        [(Discount::Fixed { amount: 200 }, 2000, "USD".to_owned())]
    );
    assert_eq!(
        found.coupons[0].id(),
        "page-912345-6",
        "its place among the offers read"
    );
    assert_eq!(found.unread, 6);
    let csr = page_csr(&[
        "10% off up to US $5",
        "Coupon",
        "US $1 off on US $2 on US $3",
    ]);
    let found = page_coupons(&csr, &empty_index(), NOW);
    assert!(found.coupons.is_empty());
    assert_eq!(found.unread, 3);
}

#[test]
fn hours_and_collecting_first_are_the_page_s() {
    let start = (NOW - 3600) * 1000;
    let page = page_2023(json!([
        {"promotionDesc": "US $2", "promotionDetail": "Orders over US $20", "acquirable": true,
         "startTime": start, "endTime": (NOW + 7200) * 1000},
        {"promotionDesc": "US $3", "promotionDetail": "Orders over US $30", "acquirable": false},
        // Ended an hour ago.
        {"promotionDesc": "US $4", "promotionDetail": "Orders over US $40", "endTime": (NOW - 3600) * 1000},
    ]));
    let found = page_coupons(&page, &empty_index(), NOW);
    assert_eq!(found.coupons.len(), 2);
    assert_eq!(found.collect_first, [true, false]);
    assert_eq!(found.coupons[0].starts_at(), NOW - 3600);
    assert_eq!(found.coupons[0].expires_at(), NOW + 7200);
    // Without hours: from now, for a day.
    assert_eq!(found.coupons[1].starts_at(), NOW);
    assert_eq!(found.coupons[1].expires_at(), NOW + 24 * 3600);
    assert_eq!(found.unread, 1);
}

#[test]
fn a_coupon_the_feed_has_is_the_feed_s() {
    let feed = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "feed-store", "kind": "store", "title": "US $2 off US $20", "store_id": "912345", "currency": "USD",
         "min_spend": 2000, "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2027-12-01T00:00:00Z"}
    ]}"#;
    let index = CouponIndex::new(parse_feed(feed).expect("feed").coupons);
    let page = page_2023(json!([
        apart("US $2.00", "Orders over US $20.00"),
        apart("US $4.00", "Orders over US $24.00"),
    ]));
    let found = page_coupons(&page, &index, NOW);
    assert_eq!(
        terms(&found),
        [(Discount::Fixed { amount: 400 }, 2400, "USD".to_owned())]
    );
}

#[test]
fn the_page_s_coupons_stack_with_the_feed_s_and_say_where_they_come_from() {
    let feed = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "feed-store", "kind": "store", "title": "US $1 off US $10", "store_id": "912345", "currency": "USD",
         "min_spend": 1000, "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2027-12-01T00:00:00Z"},
        {"id": "select", "kind": "select", "title": "US $1 off", "currency": "USD", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2027-12-01T00:00:00Z"}
    ]}"#;
    let index = CouponIndex::new(parse_feed(feed).expect("feed").coupons);
    let page = page_2023(json!([apart("US $3.00", "Orders over US $20.00")]));
    let found = page_coupons(&page, &index, NOW);
    let cart = page.cart(NOW, false).expect("a priced product");
    let shown = report(&index, &found, &cart);
    // One store coupon per store: the page's $3 beats the feed's $1, then the select coupon.
    assert_eq!(shown.best.applied, ["page-912345-0", "select"]);
    assert_eq!(shown.best.saving, 400);
    let json: serde_json::Value = serde_json::from_str(&shown.to_json()).expect("json");
    let offers = json["coupons"].as_array().expect("coupons");
    let of = |id: &str| offers.iter().find(|o| o["id"] == id).expect(id);
    assert_eq!(of("page-912345-0")["on_page"], true);
    assert_eq!(of("page-912345-0")["collect_first"], true);
    assert_eq!(
        of("page-912345-0")["title"],
        "US $3.00 · Orders over US $20.00"
    );
    assert_eq!(of("feed-store")["on_page"], false);
    assert_eq!(of("select")["collect_first"], false);
}

#[test]
fn a_page_without_a_store_or_offers_offers_none() {
    let facts = json!({
        "version": FACTS_VERSION,
        "url": "https://www.aliexpress.com/item/1005001234567890.html",
        "model": json!({"runParams": {"data": {"productInfoComponent": {"idStr": "1005001234567890"},
            "webCouponInfoComponent": {"promotionPanelDTO": {"shopCoupon": [{"promotionPanelDetailDTOList": [apart("US $2", "Orders over US $20")]}]}}}}}).to_string(),
    });
    let page = read_page(&facts.to_string()).expect("page");
    assert!(page.store_offers.is_empty(), "no store to offer them for");
    let found = page_coupons(&page, &empty_index(), NOW);
    assert!(found.coupons.is_empty());
    // A cart page's model is no product's: nothing read.
    let cart = json!({"version": FACTS_VERSION, "url": "https://www.aliexpress.com/p/shoppingcart/index.html"});
    assert!(read_page(&cart.to_string())
        .expect("cart")
        .store_offers
        .is_empty());
}
