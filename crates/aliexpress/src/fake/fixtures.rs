//! The fake API's products: a fixed catalogue, so every test sees the same answers. Ids come as
//! strings and as integers, one above 2^53; two products carry a promo code each (an amount off
//! and a percentage).

use serde_json::{json, Value};
use shopper_core::money::{major_units, Currency};

/// The currency of the API's own prices (`sale_price`): US dollars.
pub(crate) const BASE_CURRENCY: Currency = Currency::USD;

/// One product of the catalogue, in the base currency's minor units.
pub(crate) struct Fixture {
    pub id: Value,
    pub title: &'static str,
    pub sale: u64,
    pub original: u64,
    pub discount: &'static str,
    pub rating: &'static str,
    pub orders: u64,
    pub shop_id: Value,
    pub promo: Option<Value>,
}

/// The id above 2^53 (as a JSON integer), which a float would turn into 9007199254740992.
pub const BIG_ID: u64 = 9_007_199_254_740_993;

/// The catalogue, in a fixed order.
pub(crate) fn catalogue() -> Vec<Fixture> {
    vec![
        Fixture {
            id: json!("1005001234567890"),
            title: "Bluetooth Speaker Waterproof Portable",
            sale: 1299,
            original: 2598,
            discount: "50%",
            rating: "95.5%",
            orders: 1520,
            shop_id: json!(912_345),
            promo: Some(json!({
                "promo_code": "GMG20207",
                "code_campaigntype": "1",
                "code_value": "On order over USD 10, get USD 7 off",
                "code_mini_spend": "10",
                "code_availabletime_start": "2026-01-01 00:00:00",
                "code_availabletime_end": "2030-12-31 23:59:59",
                "code_quantity": "300",
                "code_promotionurl": "https://s.click.aliexpress.com/e/_fakeGMG20207"
            })),
        },
        Fixture {
            id: json!(BIG_ID),
            title: "USB-C Charger 65W GaN Fast Charging",
            sale: 1899,
            original: 2999,
            discount: "37%",
            rating: "97.1%",
            orders: 830,
            shop_id: json!("1102345678"),
            promo: Some(json!({
                "promo_code": "SAVE5NOW",
                "code_campaigntype": 2,
                "code_value": "On order over USD 20, get 5% off",
                "code_mini_spend": "20.00",
                "code_availabletime_start": "2026-01-01 00:00:00",
                "code_availabletime_end": "2030-06-30 23:59:59",
                "code_quantity": 1000,
                "code_promotionurl": "https://s.click.aliexpress.com/e/_fakeSAVE5NOW"
            })),
        },
        Fixture {
            id: json!("1005009876543210987"),
            title: "Smart Watch Fitness Tracker Bluetooth",
            sale: 2450,
            original: 4900,
            discount: "50%",
            rating: "92.0%",
            orders: 4210,
            shop_id: json!(1_100_200_300),
            promo: None,
        },
        Fixture {
            id: json!("1005005551112223"),
            title: "Mechanical Keyboard RGB Hot Swap",
            sale: 4599,
            original: 6999,
            discount: "34%",
            rating: "98.2%",
            orders: 312,
            shop_id: json!(1_100_200_301),
            promo: None,
        },
        Fixture {
            id: json!("1005004443332221"),
            title: "LED Desk Lamp Dimmable",
            sale: 899,
            original: 1299,
            discount: "31%",
            rating: "94.0%",
            orders: 2750,
            shop_id: json!(912_345),
            promo: None,
        },
        Fixture {
            id: json!("1005003332221110"),
            title: "Wireless Earbuds Bluetooth 5.3",
            sale: 1599,
            original: 3999,
            discount: "60%",
            rating: "93.4%",
            orders: 9800,
            shop_id: json!("1100200302"),
            promo: None,
        },
    ]
}

/// The answer's product object for a fixture, its prices in `currency` (the fake converts
/// nothing: the amounts are the catalogue's, in minor units of either currency).
pub(crate) fn product_json(fixture: &Fixture, currency: Currency) -> Value {
    let own = |minor: u64| major_units(minor, BASE_CURRENCY);
    let target = |minor: u64| major_units(minor, currency);
    let mut product = json!({
        "product_id": fixture.id,
        "product_title": fixture.title,
        "product_main_image_url": format!("https://ae01.alicdn.com/kf/fake{}.jpg", id_text(&fixture.id)),
        "product_detail_url": format!("https://www.aliexpress.com/item/{}.html", id_text(&fixture.id)),
        "sale_price": own(fixture.sale),
        "sale_price_currency": BASE_CURRENCY.as_str(),
        "original_price": own(fixture.original),
        "original_price_currency": BASE_CURRENCY.as_str(),
        "target_sale_price": target(fixture.sale),
        "target_sale_price_currency": currency.as_str(),
        "target_original_price": target(fixture.original),
        "target_original_price_currency": currency.as_str(),
        "discount": fixture.discount,
        "evaluate_rate": fixture.rating,
        "lastest_volume": fixture.orders,
        "shop_id": fixture.shop_id,
        "shop_name": format!("Fake Store {}", id_text(&fixture.shop_id)),
        "shop_url": format!("https://www.aliexpress.com/store/{}", id_text(&fixture.shop_id)),
        "promotion_link": format!("https://s.click.aliexpress.com/e/_fake{}", id_text(&fixture.id)),
        "commission_rate": "7.0%",
    });
    if let (Some(promo), Value::Object(object)) = (&fixture.promo, &mut product) {
        object.insert("promo_code_info".into(), promo.clone());
    }
    product
}

/// An id's digits, whether a string or an integer.
pub(crate) fn id_text(id: &Value) -> String {
    match id {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
