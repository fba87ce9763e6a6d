//! A harvest over products as the API returns them: coupons per market, duplicates kept once,
//! ended, unreadable and conflicting codes refused, each refusal said once.

use super::*;
use crate::coupon::{Discount, PromoCodeInfo};
use crate::money::{code as currency, Currency};

/// 2030-01-01T00:00:00Z: before every code below ends, after the expired one.
const NOW: Timestamp = 1_893_456_000;

fn market(text: &str) -> Market {
    Market::parse(text).unwrap_or_else(|e| unreachable!("{e}"))
}

fn promo(code: &str, value: &str, min: &str, end: &str, url: &str) -> PromoCodeInfo {
    PromoCodeInfo {
        promo_code: Some(code.to_owned()),
        code_campaigntype: Some(if value.contains('%') { "2" } else { "1" }.to_owned()),
        code_value: Some(value.to_owned()),
        code_mini_spend: Some(min.to_owned()),
        code_availabletime_start: Some("2029-01-01 00:00:00".to_owned()),
        code_availabletime_end: Some(end.to_owned()),
        code_quantity: Some("100".to_owned()),
        code_promotionurl: Some(format!("https://s.click.aliexpress.com/e/_{url}")),
    }
}

fn product(id: &str, currency: Currency, codes: Vec<PromoCodeInfo>) -> FoundProduct {
    FoundProduct {
        id: id.to_owned(),
        title: format!("Product {id}"),
        image_url: None,
        detail_url: None,
        currency,
        price: 1000,
        original_price: None,
        discount_percent: None,
        positive_permille: None,
        orders: None,
        store: None,
        promotion_link: None,
        free_shipping: None,
        ship_from: None,
        promo_codes: codes,
    }
}

const END: &str = "2030-12-31 23:59:59";

fn ids(harvest: &Harvest) -> Vec<&str> {
    harvest.coupons().iter().map(Coupon::id).collect()
}

fn refusals(harvest: &Harvest) -> Vec<(usize, &str, Option<&str>, &'static str)> {
    harvest
        .refused()
        .iter()
        .map(|r| {
            (
                r.index,
                r.product_id.as_str(),
                r.id.as_deref(),
                r.refusal.code(),
            )
        })
        .collect()
}

#[test]
fn each_market_has_its_own_coupons_and_duplicates_are_kept_once() {
    let (usd, eur) = (currency("USD"), currency("EUR"));
    let mut harvest = Harvest::new(NOW);
    let off = |cur: &str, url: &str| {
        promo(
            "GMG20207",
            &format!("On order over {cur} 10, get {cur} 7 off"),
            "10",
            END,
            url,
        )
    };
    // The same code on two products of the hot list, and again in a featured promotion.
    harvest.add(
        market("US-USD"),
        &[
            product("1", usd, vec![off("USD", "one")]),
            product("2", usd, vec![off("USD", "two")]),
        ],
    );
    harvest.add(
        market("US-USD"),
        &[product(
            "1",
            usd,
            vec![
                off("USD", "three"),
                promo("SAVE5", "Orders over $20 get 5% off", "20", END, "s"),
            ],
        )],
    );
    // In Spain the API writes the same code's terms in euros.
    harvest.add(
        market("ES-EUR"),
        &[product("1", eur, vec![off("EUR", "es")])],
    );
    assert_eq!(
        ids(&harvest),
        [
            "ae-code-US-USD-GMG20207",
            "ae-code-US-USD-SAVE5",
            "ae-code-ES-EUR-GMG20207"
        ]
    );
    assert!(harvest.refused().is_empty(), "{:?}", harvest.refused());
    let us = &harvest.coupons()[0];
    assert_eq!(us.countries(), [*b"US"]);
    assert_eq!((us.currency(), us.min_spend()), (usd, 1000));
    assert_eq!(us.discount(), Discount::Fixed { amount: 700 });
    assert_eq!(
        us.url(),
        Some("https://s.click.aliexpress.com/e/_one"),
        "the first product's link"
    );
    let es = &harvest.coupons()[2];
    assert_eq!((es.countries(), es.currency()), (&[*b"ES"][..], eur));
    // `$` is the product's dollars.
    assert_eq!(harvest.coupons()[1].currency(), usd);
    assert_eq!(
        harvest.products(),
        3,
        "product 1 of US once, 2, and 1 of ES"
    );
    assert_eq!(harvest.codes_read(), 5);
}

#[test]
fn ended_unreadable_and_conflicting_codes_are_refused_once_each() {
    let usd = currency("USD");
    let mut harvest = Harvest::new(NOW);
    let unreadable = || promo("GIFT", "A gift for new users", "0", END, "g");
    let ended = promo(
        "OLD",
        "On order over USD 10, get USD 2 off",
        "10",
        "2029-06-30 23:59:59",
        "o",
    );
    let good = promo(
        "GOOD",
        "On order over USD 10, get USD 3 off",
        "10",
        END,
        "a",
    );
    let other_terms = promo(
        "GOOD",
        "On order over USD 10, get USD 4 off",
        "10",
        END,
        "b",
    );
    let no_code = PromoCodeInfo {
        promo_code: None,
        ..unreadable()
    };
    harvest.add(
        market("US-USD"),
        &[
            product("1", usd, vec![unreadable(), ended.clone(), good]),
            product("2", usd, vec![unreadable(), other_terms.clone()]),
            product("3", usd, vec![ended, other_terms, no_code.clone()]),
            product("4", usd, vec![no_code]),
        ],
    );
    assert_eq!(ids(&harvest), ["ae-code-US-USD-GOOD"]);
    assert_eq!(
        harvest.coupons()[0].discount(),
        Discount::Fixed { amount: 300 },
        "the first read stands"
    );
    assert_eq!(
        refusals(&harvest),
        [
            (
                0,
                "1",
                Some("ae-code-US-USD-GIFT"),
                "promo_code_unreadable_value"
            ),
            (1, "1", Some("ae-code-US-USD-OLD"), "promo_code_expired"),
            (
                4,
                "2",
                Some("ae-code-US-USD-GOOD"),
                "promo_code_conflicting_terms"
            ),
            (7, "3", None, "promo_code_missing_field"),
            (8, "4", None, "promo_code_missing_field"),
        ]
    );
    let ended = &harvest.refused()[1].refusal;
    assert_eq!(
        ended.to_string(),
        "promo code refused: it ended at 2029-07-01T07:00:00Z"
    );
    // The same refusal in another market is said there too.
    harvest.add(market("CA-USD"), &[product("1", usd, vec![unreadable()])]);
    assert_eq!(harvest.refused().len(), 6);
    assert_eq!(harvest.refused()[5].market, market("CA-USD"));
}

#[test]
fn a_code_ending_exactly_now_is_ended() {
    let usd = currency("USD");
    // 2029-12-31 23:59:59 at UTC-7, its second included, ends at 2030-01-01T07:00:00Z.
    let end = "2029-12-31 23:59:59";
    let code = promo("EDGE", "USD 1 off over USD 5", "5", end, "e");
    let ends_at = NOW + 7 * 3600;
    let mut before = Harvest::new(ends_at - 1);
    before.add(market("US-USD"), &[product("1", usd, vec![code.clone()])]);
    assert_eq!(ids(&before), ["ae-code-US-USD-EDGE"]);
    let mut at = Harvest::new(ends_at);
    at.add(market("US-USD"), &[product("1", usd, vec![code])]);
    assert!(ids(&at).is_empty());
    assert_eq!(at.refused()[0].refusal.code(), "promo_code_expired");
    assert_eq!(at.into_coupons(), Vec::new());
}
