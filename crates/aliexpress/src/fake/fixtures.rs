//! The fake API's products: a fixed catalogue, so every test sees the same answers. Ids come as
//! strings and as integers, one above 2^53.
//!
//! Six products are listed by every product method (two carry a promo code each: an amount off
//! and a percentage). For harvesting promo codes, `hotproduct.query` also lists 120 hot deals
//! (three pages of 50 with the six) and `featuredpromo.products.get` 60 featured picks, each with
//! a promo code: readable codes whose terms are written in the currency asked (the code of the
//! currency, its sign, a percentage with a cap), an unreadable `code_value`, an ended code, one
//! none are left of, the same code on many products and in every method, and one code given other
//! terms by one product. Their `promo_code_info` comes in each shape the API writes it: one object
//! (the six), wrapped in `promo_code_d_t_o` (hot deals), a plain array (featured picks).

use serde_json::{json, Value};
use shopper_core::money::{major_units, Currency};

/// The currency of the API's own prices (`sale_price`): US dollars.
pub(crate) const BASE_CURRENCY: Currency = Currency::USD;

/// How many hot deals `hotproduct.query` lists beyond the six.
pub(crate) const HOT_DEALS: u64 = 120;

/// How many featured picks `featuredpromo.products.get` lists beyond the six's promo codes.
pub(crate) const FEATURED_PICKS: u64 = 60;

/// Which methods list a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// `product.query` and `hotproduct.query`; `featuredpromo.products.get` too with a code.
    Everywhere,
    /// `hotproduct.query` only.
    Hot,
    /// `featuredpromo.products.get` only.
    Featured,
}

/// How a product's `promo_code_info` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{"promo_code": ...}`.
    Object,
    /// `{"promo_code_d_t_o": [{"promo_code": ...}]}`.
    Wrapped,
    /// `[{"promo_code": ...}]`.
    List,
}

/// What a promo code's `code_value` says, written in the currency asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Terms {
    /// "On order over USD 10.00, get USD 7.00 off": this much off (minor units).
    Off(u64),
    /// "Orders over US $100.00 get US $15.00 off": the currency's sign.
    OffBySign(u64),
    /// "On order over USD 20.00, get 5% off".
    Percent(u8),
    /// "Get 10% off on orders over USD 50.00, up to USD 15.00 off".
    PercentUpTo(u8, u64),
    /// Words with no amount in them.
    Words(&'static str),
}

/// A promo code a product carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Promo {
    pub code: &'static str,
    pub terms: Terms,
    /// The threshold, minor units (0: none).
    pub min: u64,
    pub end: &'static str,
    pub quantity: u64,
    /// Campaign type and quantity as JSON numbers rather than strings, as some answers have them.
    pub numbers: bool,
}

/// One product of the catalogue, in the base currency's minor units.
pub(crate) struct Fixture {
    pub id: Value,
    pub title: String,
    pub sale: u64,
    pub original: u64,
    pub discount: &'static str,
    pub rating: &'static str,
    pub orders: u64,
    pub shop_id: Value,
    pub promo: Option<Promo>,
    pub shape: Shape,
    pub listed: Listed,
}

/// The id above 2^53 (as a JSON integer), which a float would turn into 9007199254740992.
pub const BIG_ID: u64 = 9_007_199_254_740_993;

const LATER: &str = "2030-12-31 23:59:59";

const GMG20207: Promo = Promo {
    code: "GMG20207",
    terms: Terms::Off(700),
    min: 1000,
    end: LATER,
    quantity: 300,
    numbers: false,
};

const SAVE5NOW: Promo = Promo {
    code: "SAVE5NOW",
    terms: Terms::Percent(5),
    min: 2000,
    end: "2030-06-30 23:59:59",
    quantity: 1000,
    numbers: true,
};

/// The codes of the hot deals, at their positions (the rest carry none).
fn hot_deal_promo(n: u64) -> Option<Promo> {
    let promo = |code, terms, min| Promo {
        code,
        terms,
        min,
        end: LATER,
        quantity: 50,
        numbers: false,
    };
    match n {
        // On every page, and the speaker's code in product.query too.
        3 | 63 | 113 => Some(GMG20207),
        20 => Some(promo("HOTSIGN15", Terms::OffBySign(1500), 10_000)),
        40 | 90 => Some(promo(
            "GIFT4NEW",
            Terms::Words("Exclusive gift for new users"),
            0,
        )),
        70 => Some(Promo {
            end: "2021-12-31 23:59:59",
            ..promo("OLDCODE", Terms::Off(200), 1000)
        }),
        100 => Some(Promo {
            quantity: 0,
            ..promo("NONELEFT", Terms::Off(300), 1500)
        }),
        // Only on the third page of hot products.
        110 => Some(promo("MEGA10", Terms::PercentUpTo(10, 1500), 5000)),
        _ => None,
    }
}

/// The code of each featured pick.
fn featured_pick_promo(n: u64) -> Promo {
    match n % 3 {
        0 => SAVE5NOW,
        1 => Promo {
            code: "FEAT3OFF",
            terms: Terms::Off(300),
            min: 2500,
            end: LATER,
            quantity: 80,
            numbers: false,
        },
        // The last pick says the speaker's code takes 8 off, not 7.
        _ if n == FEATURED_PICKS - 1 => Promo {
            terms: Terms::Off(800),
            ..GMG20207
        },
        _ => GMG20207,
    }
}

/// The catalogue, in a fixed order: the six, the hot deals, the featured picks.
pub(crate) fn catalogue() -> Vec<Fixture> {
    let mut all = vec![
        Fixture {
            id: json!("1005001234567890"),
            title: "Bluetooth Speaker Waterproof Portable".into(),
            sale: 1299,
            original: 2598,
            discount: "50%",
            rating: "95.5%",
            orders: 1520,
            shop_id: json!(912_345),
            promo: Some(GMG20207),
            shape: Shape::Object,
            listed: Listed::Everywhere,
        },
        Fixture {
            id: json!(BIG_ID),
            title: "USB-C Charger 65W GaN Fast Charging".into(),
            sale: 1899,
            original: 2999,
            discount: "37%",
            rating: "97.1%",
            orders: 830,
            shop_id: json!("1102345678"),
            promo: Some(SAVE5NOW),
            shape: Shape::Object,
            listed: Listed::Everywhere,
        },
        plain(
            json!("1005009876543210987"),
            "Smart Watch Fitness Tracker Bluetooth",
            (2450, 4900, "50%"),
            ("92.0%", 4210),
            json!(1_100_200_300),
        ),
        plain(
            json!("1005005551112223"),
            "Mechanical Keyboard RGB Hot Swap",
            (4599, 6999, "34%"),
            ("98.2%", 312),
            json!(1_100_200_301),
        ),
        plain(
            json!("1005004443332221"),
            "LED Desk Lamp Dimmable",
            (899, 1299, "31%"),
            ("94.0%", 2750),
            json!(912_345),
        ),
        plain(
            json!("1005003332221110"),
            "Wireless Earbuds Bluetooth 5.3",
            (1599, 3999, "60%"),
            ("93.4%", 9800),
            json!("1100200302"),
        ),
    ];
    for n in 0..HOT_DEALS {
        all.push(Fixture {
            id: json!(format!("{}", 1_005_007_000_000_000 + n)),
            title: format!("Hot Deal Item {n}"),
            sale: 500 + (n * 37) % 5000,
            original: 6000,
            discount: "20%",
            rating: "90.0%",
            orders: 10_000 - n,
            shop_id: json!(1_200_000 + n % 7),
            promo: hot_deal_promo(n),
            shape: Shape::Wrapped,
            listed: Listed::Hot,
        });
    }
    for n in 0..FEATURED_PICKS {
        all.push(Fixture {
            id: json!(1_005_008_000_000_000 + n),
            title: format!("Featured Pick {n}"),
            sale: 700 + (n * 53) % 4000,
            original: 5000,
            discount: "30%",
            rating: "96.0%",
            orders: 5000 - n,
            shop_id: json!("1300000"),
            promo: Some(featured_pick_promo(n)),
            shape: Shape::List,
            listed: Listed::Featured,
        });
    }
    all
}

/// One of the six without a promo code.
fn plain(
    id: Value,
    title: &str,
    (sale, original, discount): (u64, u64, &'static str),
    (rating, orders): (&'static str, u64),
    shop_id: Value,
) -> Fixture {
    Fixture {
        id,
        title: title.into(),
        sale,
        original,
        discount,
        rating,
        orders,
        shop_id,
        promo: None,
        shape: Shape::Object,
        listed: Listed::Everywhere,
    }
}

/// The answer's product object for a fixture, its prices and promo code terms in `currency`
/// (the fake converts nothing: the amounts are the catalogue's, in minor units of either
/// currency).
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
        let info = promo_json(promo, &fixture.id, currency);
        let info = match fixture.shape {
            Shape::Object => info,
            Shape::Wrapped => json!({ "promo_code_d_t_o": [info] }),
            Shape::List => json!([info]),
        };
        object.insert("promo_code_info".into(), info);
    }
    product
}

/// A promo code's fields, its terms in `currency`, its link the product's.
fn promo_json(promo: &Promo, product_id: &Value, currency: Currency) -> Value {
    let money = |minor: u64| format!("{currency} {}", major_units(minor, currency));
    let min = major_units(promo.min, currency);
    let value = match promo.terms {
        Terms::Off(off) => format!("On order over {}, get {} off", money(promo.min), money(off)),
        Terms::OffBySign(off) => {
            let sign = match currency.as_str() {
                "USD" => "US $".to_owned(),
                "EUR" => "€".to_owned(),
                "GBP" => "£".to_owned(),
                "BRL" => "R$ ".to_owned(),
                other => format!("{other} "),
            };
            let amount = |minor| format!("{sign}{}", major_units(minor, currency));
            format!("Orders over {} get {} off", amount(promo.min), amount(off))
        }
        Terms::Percent(percent) => {
            format!("On order over {}, get {percent}% off", money(promo.min))
        }
        Terms::PercentUpTo(percent, cap) => format!(
            "Get {percent}% off on orders over {}, up to {} off",
            money(promo.min),
            money(cap)
        ),
        Terms::Words(words) => words.to_owned(),
    };
    let kind = match promo.terms {
        Terms::Percent(_) | Terms::PercentUpTo(..) => 2,
        _ => 1,
    };
    let (kind, quantity) = if promo.numbers {
        (json!(kind), json!(promo.quantity))
    } else {
        (json!(kind.to_string()), json!(promo.quantity.to_string()))
    };
    json!({
        "promo_code": promo.code,
        "code_campaigntype": kind,
        "code_value": value,
        "code_mini_spend": min,
        "code_availabletime_start": "2021-01-01 00:00:00",
        "code_availabletime_end": promo.end,
        "code_quantity": quantity,
        "code_promotionurl": format!("https://s.click.aliexpress.com/e/_fake{}{}", promo.code, id_text(product_id)),
    })
}

/// An id's digits, whether a string or an integer.
pub(crate) fn id_text(id: &Value) -> String {
    match id {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
