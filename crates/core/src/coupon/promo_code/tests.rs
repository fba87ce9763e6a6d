//! Table tests of promo codes into coupons: texts as the API writes them, in several currencies
//! and languages, and every way one is refused.

use super::*;
use crate::coupon::{parse_feed, CouponKind};
use crate::money::code as currency;

fn info(kind: &str, value: &str, min: &str) -> PromoCodeInfo {
    PromoCodeInfo {
        promo_code: Some("GMG20207".to_owned()),
        code_campaigntype: Some(kind.to_owned()),
        code_value: Some(value.to_owned()),
        code_mini_spend: Some(min.to_owned()),
        code_availabletime_start: Some("2030-01-01 00:00:00".to_owned()),
        code_availabletime_end: Some("2030-12-31 23:59:59".to_owned()),
        code_quantity: Some("300".to_owned()),
        code_promotionurl: Some("https://s.click.aliexpress.com/e/_DdPRrAP".to_owned()),
    }
}

fn read(kind: &str, value: &str, min: &str, product: &str) -> Result<Coupon, PromoCodeRefusal> {
    let context = PromoContext {
        currency: Currency::parse(product),
        market: None,
    };
    promo_code_coupon(&info(kind, value, min), &context)
}

const fn fixed(amount: Minor) -> Discount {
    Discount::Fixed { amount }
}

const fn percent(percent: u8, max: Option<Minor>) -> Discount {
    Discount::Percent { percent, max }
}

/// (campaign type, code_value, code_mini_spend, the product's currency) → (currency, min spend,
/// discount).
#[test]
fn texts_the_api_writes() {
    let cases: &[(&str, &str, &str, &str, &str, Minor, Discount)] = &[
        // English, as the API's own example, and its variants.
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "10",
            "USD",
            "USD",
            1000,
            fixed(700),
        ),
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "10.00",
            "EUR",
            "USD",
            1000,
            fixed(700),
        ),
        (
            "1",
            "Get US $7.00 off on orders over US $10.00",
            "10",
            "USD",
            "USD",
            1000,
            fixed(700),
        ),
        (
            "1",
            "US $3 off orders US $29+",
            "29",
            "USD",
            "USD",
            2900,
            fixed(300),
        ),
        (
            "1",
            "Orders over $50 get $8 off",
            "50",
            "USD",
            "USD",
            5000,
            fixed(800),
        ),
        (
            "1",
            "Orders over $50 get $8 off",
            "50",
            "CAD",
            "CAD",
            5000,
            fixed(800),
        ),
        (
            "1",
            "USD 2 off, no minimum",
            "0",
            "USD",
            "USD",
            0,
            fixed(200),
        ),
        ("1", "USD 7", "10", "USD", "USD", 1000, fixed(700)),
        (
            "1",
            "On orders over USD 10, get 7 off",
            "10",
            "USD",
            "USD",
            1000,
            fixed(700),
        ),
        (
            "1",
            "On orders over £20, get £4 off",
            "20",
            "GBP",
            "GBP",
            2000,
            fixed(400),
        ),
        (
            "1",
            "Spend GBP 25.50, save GBP 5",
            "25.50",
            "GBP",
            "GBP",
            2550,
            fixed(500),
        ),
        // Euros, the way each language writes them.
        (
            "1",
            "On orders over €20, get €3 off",
            "20",
            "EUR",
            "EUR",
            2000,
            fixed(300),
        ),
        (
            "1",
            "Pour toute commande de plus de 10 €, obtenez 7 € de réduction",
            "10",
            "EUR",
            "EUR",
            1000,
            fixed(700),
        ),
        (
            "1",
            "Bei Bestellungen über 10,00 € erhalten Sie 7,00 € Rabatt",
            "10",
            "EUR",
            "EUR",
            1000,
            fixed(700),
        ),
        (
            "1",
            "En pedidos superiores a 10 €, obtén 7 € de descuento",
            "10",
            "EUR",
            "EUR",
            1000,
            fixed(700),
        ),
        (
            "1",
            "3€ de descuento en pedidos de más de 25€",
            "25",
            "EUR",
            "EUR",
            2500,
            fixed(300),
        ),
        (
            "1",
            "EUR 5 off over EUR 1.299",
            "1299",
            "EUR",
            "EUR",
            129_900,
            fixed(500),
        ),
        // Brazilian reais.
        (
            "1",
            "Em pedidos acima de R$ 50, ganhe R$ 10 de desconto",
            "50",
            "BRL",
            "BRL",
            5000,
            fixed(1000),
        ),
        (
            "1",
            "R$15 OFF em compras acima de R$99,90",
            "99.90",
            "BRL",
            "BRL",
            9990,
            fixed(1500),
        ),
        (
            "1",
            "Desconto de R$ 1.000 em compras acima de R$ 5.000",
            "5000",
            "USD",
            "BRL",
            500_000,
            fixed(100_000),
        ),
        // Roubles.
        (
            "1",
            "Скидка 200 руб. при заказе от 1 000 руб.",
            "1000",
            "RUB",
            "RUB",
            100_000,
            fixed(20_000),
        ),
        (
            "1",
            "При заказе от 1500 ₽ скидка 300 ₽",
            "1500",
            "RUB",
            "RUB",
            150_000,
            fixed(30_000),
        ),
        (
            "1",
            "RUB 500 off orders over RUB 3,000",
            "3000",
            "RUB",
            "RUB",
            300_000,
            fixed(50_000),
        ),
        // Others AliExpress sells in.
        (
            "1",
            "On orders over ₩30,000, get ₩5,000 off",
            "30000",
            "KRW",
            "KRW",
            30_000,
            fixed(5000),
        ),
        (
            "1",
            "Zamówienia powyżej 100 zł: 20 zł zniżki",
            "100",
            "PLN",
            "PLN",
            10_000,
            fixed(2000),
        ),
        (
            "1",
            "On orders over MXN$500, get MXN$100 off",
            "500",
            "MXN",
            "MXN",
            50_000,
            fixed(10_000),
        ),
        (
            "1",
            "On orders over ¥1,000, get ¥150 off",
            "1000",
            "JPY",
            "JPY",
            1000,
            fixed(150),
        ),
        // Percentages, with and without a threshold or a cap.
        (
            "2",
            "On order over USD 20, get 5% off",
            "20",
            "USD",
            "USD",
            2000,
            percent(5, None),
        ),
        ("2", "Get 10% off", "0", "USD", "USD", 0, percent(10, None)),
        (
            "2",
            "10% de réduction",
            "0",
            "EUR",
            "EUR",
            0,
            percent(10, None),
        ),
        (
            "2",
            "Get 10% off on orders over US $30, up to US $15 off",
            "30",
            "USD",
            "USD",
            3000,
            percent(10, Some(1500)),
        ),
        (
            "2",
            "Em pedidos acima de R$ 100, 8% de desconto (máx. R$ 40)",
            "100",
            "BRL",
            "BRL",
            10_000,
            percent(8, Some(4000)),
        ),
        (
            "2",
            "Скидка 7 % при заказе от 2 000 руб.",
            "2000",
            "RUB",
            "RUB",
            200_000,
            percent(7, None),
        ),
        (
            "2",
            "12 % Rabatt ab 50 €",
            "50",
            "EUR",
            "EUR",
            5000,
            percent(12, None),
        ),
        (
            "2",
            "-15% on orders over €40",
            "40",
            "EUR",
            "EUR",
            4000,
            percent(15, None),
        ),
    ];
    for &(kind, value, min, product, want_currency, want_min, want_discount) in cases {
        let coupon = read(kind, value, min, product).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        assert_eq!(coupon.currency(), currency(want_currency), "{value:?}");
        assert_eq!(coupon.min_spend(), want_min, "{value:?}");
        assert_eq!(coupon.discount(), want_discount, "{value:?}");
        assert_eq!(coupon.kind(), CouponKind::Code { code: "GMG20207" });
        assert_eq!(coupon.id(), "ae-code-GMG20207");
    }
}

/// (campaign type, code_value, code_mini_spend, the product's currency) → the refusal's code.
#[test]
fn what_does_not_read_is_refused() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // Nothing a number or a percentage says.
        (
            "1",
            "Get a discount on your order",
            "0",
            "USD",
            "promo_code_unreadable_value",
        ),
        ("1", "", "10", "USD", "promo_code_missing_field"),
        ("1", "   ", "10", "USD", "promo_code_missing_field"),
        (
            "1",
            "Valid 2030-01-01 to 2030-12-31: USD 7 off USD 10",
            "10",
            "USD",
            "promo_code_unreadable_value",
        ),
        // Money of no known currency.
        (
            "1",
            "On orders over 10, get 7 off",
            "10",
            "USD",
            "promo_code_no_currency",
        ),
        (
            "1",
            "On orders over $10, get $7 off",
            "10",
            "EUR",
            "promo_code_no_currency",
        ),
        (
            "2",
            "Get 5% off over 20",
            "20",
            "USD",
            "promo_code_no_currency",
        ),
        ("2", "Get 5% off", "20", "USD", "promo_code_no_currency"),
        ("2", "Get 5% off", "0", "", "promo_code_no_currency"),
        // Two currencies.
        (
            "1",
            "On orders over USD 10, get €7 off",
            "10",
            "USD",
            "promo_code_two_currencies",
        ),
        (
            "1",
            "On orders over 10 USD, get 7 EUR off",
            "10",
            "USD",
            "promo_code_two_currencies",
        ),
        // The type and the text disagree.
        (
            "1",
            "On order over USD 20, get 5% off",
            "20",
            "USD",
            "promo_code_kind_mismatch",
        ),
        (
            "2",
            "On order over USD 10, get USD 7 off",
            "10",
            "USD",
            "promo_code_kind_mismatch",
        ),
        (
            "3",
            "On order over USD 10, get USD 7 off",
            "10",
            "USD",
            "promo_code_unknown_campaign_type",
        ),
        (
            "0",
            "On order over USD 10, get USD 7 off",
            "10",
            "USD",
            "promo_code_unknown_campaign_type",
        ),
        // The threshold in the text is not code_mini_spend's.
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "15",
            "USD",
            "promo_code_threshold_mismatch",
        ),
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "0",
            "USD",
            "promo_code_threshold_mismatch",
        ),
        (
            "2",
            "On order over USD 20, get 5% off",
            "0",
            "USD",
            "promo_code_threshold_mismatch",
        ),
        (
            "2",
            "On order over USD 20, get 5% off",
            "25",
            "USD",
            "promo_code_threshold_mismatch",
        ),
        (
            "2",
            "Get 10% off on orders over US $30, up to US $15 off",
            "20",
            "USD",
            "promo_code_threshold_mismatch",
        ),
        // An amount off that would make the order free, or more.
        (
            "1",
            "On order over USD 10, get USD 10 off",
            "10",
            "USD",
            "promo_code_not_below_threshold",
        ),
        ("1", "USD 10", "10", "USD", "promo_code_not_below_threshold"),
        // Percentages a coupon cannot take.
        (
            "2",
            "Get 7.5% off",
            "0",
            "USD",
            "promo_code_percent_not_whole",
        ),
        (
            "2",
            "Get 150% off",
            "0",
            "USD",
            "coupon_percent_out_of_range",
        ),
        ("2", "Get 0% off", "0", "USD", "coupon_percent_out_of_range"),
        (
            "2",
            "Get 5% and 10% off",
            "0",
            "USD",
            "promo_code_unreadable_value",
        ),
        // Amounts that are no amounts in the currency.
        (
            "1",
            "On order over USD 10, get USD 7.9999 off",
            "10",
            "USD",
            "promo_code_unreadable_value",
        ),
        (
            "1",
            "On order over ¥1,000.50, get ¥150 off",
            "1000",
            "JPY",
            "promo_code_unreadable_value",
        ),
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "ten",
            "USD",
            "promo_code_bad_field",
        ),
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "10.5.5",
            "USD",
            "promo_code_bad_field",
        ),
        (
            "1",
            "On order over USD 10, get USD 7 off",
            "",
            "USD",
            "promo_code_missing_field",
        ),
    ];
    for &(kind, value, min, product, want) in cases {
        match read(kind, value, min, product) {
            Ok(coupon) => panic!("{value:?} read as {coupon:?}"),
            Err(refusal) => assert_eq!(refusal.code(), want, "{value:?}: {refusal}"),
        }
    }
    let long = format!("USD 7 off over USD 10 {}", "x".repeat(MAX_PROMO_TEXT));
    assert_eq!(
        read("1", &long, "10", "USD").map_err(|e| e.code()),
        Err("promo_code_unreadable_value")
    );
}

#[test]
fn times_are_read_as_pacific_time_within_both_offsets() {
    let coupon = read("1", "USD 7 off over USD 10", "10", "USD").unwrap_or_else(|e| panic!("{e}"));
    // 2030-01-01 00:00:00 at UTC-8 is 08:00 UTC.
    assert_eq!(coupon.starts_at(), 1_893_456_000 + 8 * 3600);
    // 2030-12-31 23:59:59 at UTC-7, its second included: 2031-01-01 07:00:00 UTC.
    assert_eq!(coupon.expires_at(), 1_924_992_000 + 7 * 3600);
    for (start, end, field) in [
        (
            "2030-01-01T00:00:00",
            "2030-12-31 23:59:59",
            "code_availabletime_start",
        ),
        (
            "2030-01-01 00:00",
            "2030-12-31 23:59:59",
            "code_availabletime_start",
        ),
        (
            "2030-01-01 00:00:00",
            "2030-02-30 23:59:59",
            "code_availabletime_end",
        ),
        (
            "2030-01-01 00:00:00",
            "1767225599000",
            "code_availabletime_end",
        ),
        (
            "2030-01-01 00:00:00",
            "2030-12-31 24:00:00",
            "code_availabletime_end",
        ),
    ] {
        let mut bad = info("1", "USD 7 off over USD 10", "10");
        bad.code_availabletime_start = Some(start.to_owned());
        bad.code_availabletime_end = Some(end.to_owned());
        let refusal = promo_code_coupon(&bad, &PromoContext::default()).map(|_| ());
        assert_eq!(
            refusal,
            Err(PromoCodeRefusal::BadField {
                field,
                text: if field.ends_with("start") { start } else { end }.to_owned()
            })
        );
    }
    let mut backwards = info("1", "USD 7 off over USD 10", "10");
    backwards.code_availabletime_end = Some("2029-12-31 23:59:59".to_owned());
    assert_eq!(
        promo_code_coupon(&backwards, &PromoContext::default()).map(|_| ()),
        Err(PromoCodeRefusal::Invalid(CouponFault::EndsBeforeStart))
    );
    let mut missing = info("1", "USD 7 off over USD 10", "10");
    missing.code_availabletime_end = None;
    assert_eq!(
        promo_code_coupon(&missing, &PromoContext::default()).map(|_| ()),
        Err(PromoCodeRefusal::Missing("code_availabletime_end"))
    );
}

#[test]
fn quantity_code_url_and_the_market() {
    let market = crate::market::Market::parse("CA-USD").ok();
    let context = PromoContext {
        currency: Currency::parse("USD"),
        market,
    };
    let base = info("1", "USD 7 off over USD 10", "10");
    let coupon = promo_code_coupon(&base, &context).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(coupon.countries(), &[*b"CA"], "the market's country");
    assert_eq!(
        coupon.id(),
        "ae-code-CA-USD-GMG20207",
        "the market's own coupon"
    );
    assert_eq!(promo_code_id("GMG20207", market), coupon.id());
    assert_eq!(promo_code_id("GMG20207", None), "ae-code-GMG20207");
    assert_eq!(
        coupon.url(),
        Some("https://s.click.aliexpress.com/e/_DdPRrAP")
    );
    assert_eq!(coupon.title(), "USD 7 off over USD 10");

    let with = |edit: fn(&mut PromoCodeInfo)| {
        let mut info = base.clone();
        edit(&mut info);
        promo_code_coupon(&info, &context)
    };
    assert_eq!(
        with(|i| i.code_quantity = Some("0".to_owned())).map(|_| ()),
        Err(PromoCodeRefusal::UsedUp)
    );
    assert_eq!(
        with(|i| i.code_quantity = Some("many".to_owned())).map(|_| ()),
        Err(PromoCodeRefusal::BadField {
            field: "code_quantity",
            text: "many".to_owned()
        })
    );
    assert!(
        with(|i| i.code_quantity = None).is_ok(),
        "a count not given"
    );
    assert_eq!(
        with(|i| i.promo_code = None).map(|_| ()),
        Err(PromoCodeRefusal::Missing("promo_code"))
    );
    assert_eq!(
        with(|i| i.code_campaigntype = None).map(|_| ()),
        Err(PromoCodeRefusal::Missing("code_campaigntype"))
    );
    assert_eq!(
        with(|i| i.promo_code = Some("X".repeat(200))).map_err(|e| e.code()),
        Err("coupon_field_too_long"),
        "the feed's own checks"
    );
    // A link off AliExpress is left out; the code still works.
    let off_site = with(|i| i.code_promotionurl = Some("https://evil.example/e/_x".to_owned()));
    assert_eq!(off_site.map(|c| c.url().map(str::to_owned)), Ok(None));
    let plain =
        with(|i| i.code_promotionurl = Some("http://s.click.aliexpress.com/e/_x".to_owned()));
    assert_eq!(plain.map(|c| c.url().map(str::to_owned)), Ok(None));
    // White space in the text is the page reader's: runs of it are one space.
    let spaced = with(|i| i.code_value = Some("  USD\u{a0}7 off\n over  USD 10 ".to_owned()));
    assert_eq!(
        spaced.map(|c| c.title().to_owned()),
        Ok("USD 7 off over USD 10".to_owned())
    );
}

/// A coupon made from a promo code is one the feed itself reads back as valid.
#[test]
fn the_coupon_passes_the_feed() {
    let coupon = read(
        "2",
        "Get 10% off on orders over US $30, up to US $15 off",
        "30",
        "USD",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let f = coupon.fields();
    let feed = format!(
        r#"{{"version":1,"generated_at":"2030-01-01T00:00:00Z","coupons":[{{"id":"{}","kind":"code","code":"GMG20207","title":"{}","currency":"USD","min_spend":{},"discount":{{"type":"percent","percent":10,"max":1500}},"starts_at":"2030-01-01T08:00:00Z","expires_at":"2031-01-01T07:00:00Z","url":"{}"}}]}}"#,
        f.id,
        f.title,
        f.min_spend,
        f.url.unwrap_or_default()
    );
    let read = parse_feed(&feed).unwrap_or_else(|e| panic!("{e}"));
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.coupons, vec![coupon]);
}

#[test]
fn refusals_are_problems_with_their_params() {
    let all = crate::problem::codes();
    for code in PromoCodeRefusal::CODES {
        assert!(all.contains(code), "{code} registered");
    }
    let refusal = PromoCodeRefusal::ThresholdMismatch("15".to_owned());
    assert_eq!(refusal.params(), ["15"]);
    assert!(refusal.to_string().contains("code_mini_spend"));
    let expired = PromoCodeRefusal::Expired("2021-12-31T07:00:00Z".to_owned());
    assert_eq!(
        (expired.code(), expired.params()),
        (
            "promo_code_expired",
            vec!["2021-12-31T07:00:00Z".to_owned()]
        )
    );
    assert!(expired
        .to_string()
        .contains("ended at 2021-12-31T07:00:00Z"));
    let conflict = PromoCodeRefusal::ConflictingTerms;
    assert_eq!(
        (conflict.code(), conflict.params()),
        ("promo_code_conflicting_terms", Vec::<String>::new())
    );
    let inner = PromoCodeRefusal::Invalid(CouponFault::Missing("id"));
    assert_eq!(
        (inner.code(), inner.params()),
        ("coupon_missing_field", vec!["id".to_owned()])
    );
}
