//! The page model's copy read for each generation, as the main-world reader sends it (the keys
//! of `COPIED` only); alternatives of key names; what is refused (ids past 2^53, the base
//! currency's price, a seller id for a store id); and that every path read is one the reader
//! copies.

use super::*;
use crate::money::Currency;

fn usd() -> Currency {
    Currency::parse("USD").expect("USD")
}

fn ids(clues: &Clues) -> Vec<String> {
    clues.product_ids.iter().map(ToString::to_string).collect()
}

/// Whether `path` is copied by the main-world reader (inside a `Keys` chain, or under `Whole`).
fn copied(path: &[&str]) -> bool {
    let mut level: &[(&str, Copied)] = COPIED;
    for (i, key) in path.iter().enumerate() {
        match level.iter().find(|(k, _)| k == key) {
            Some((_, Whole)) => return true,
            Some((_, Keys(inner))) if i + 1 == path.len() => return !inner.is_empty(),
            Some((_, Keys(inner))) => level = inner,
            None => return false,
        }
    }
    true
}

#[test]
fn every_path_read_is_copied() {
    let r = |rest: &[&'static str]| [&RENDERED[..], rest].concat();
    let d = |rest: &[&'static str]| [&DATA[..], rest].concat();
    let paths: Vec<Vec<&str>> = vec![
        vec!["_d_c_", "isCSR"],
        vec!["_d_c_", "viewName"],
        r(&["GLOBAL_DATA", "globalData", "productId"]),
        r(&["GLOBAL_DATA", "globalData", "categoryId"]),
        r(&["GLOBAL_DATA", "globalData", "currencyCode"]),
        r(&["SHOP_CARD_PC", "storeNum"]),
        r(&["SHOP_CARD_PC", "storeURL"]),
        r(&["SHOP_CARD_PC", "sellerInfo", "storeNum"]),
        r(&["SHOP_CARD_PC", "sellerInfo", "storeURL"]),
        r(&["PRICE", "targetSkuPriceInfo", "salePrice"]),
        r(&["PRICE", "targetSkuPriceInfo", "salePriceString"]),
        r(&["PRICE", "targetSkuPriceInfo", "originalPrice"]),
        d(&["productInfoComponent", "idStr"]),
        d(&["productInfoComponent", "id"]),
        d(&["productInfoComponent", "categoryPaths"]),
        d(&["productInfoComponent", "categoryId"]),
        d(&["currencyComponent", "currencyCode"]),
        d(&["userComponent", "userCountryCode"]),
        d(&["sellerComponent", "storeNum"]),
        d(&["sellerComponent", "storeURL"]),
        d(&["priceComponent", "discountPrice", "minActivityAmount"]),
        d(&["priceComponent", "discountPrice", "maxActivityAmount"]),
        d(&["priceComponent", "origPrice", "minAmount"]),
        d(&["priceComponent", "origPrice", "maxAmount"]),
        d(&["commonModule", "productId"]),
        d(&["commonModule", "categoryId"]),
        d(&["commonModule", "currencyCode"]),
        d(&["commonModule", "userCountryCode"]),
        d(&["storeModule", "storeNum"]),
        d(&["storeModule", "storeURL"]),
        d(&["priceModule", "minActivityAmount"]),
        d(&["priceModule", "maxActivityAmount"]),
        d(&["priceModule", "minAmount"]),
        d(&["priceModule", "maxAmount"]),
    ];
    for path in paths {
        assert!(copied(&path), "{path:?} is read but not copied");
    }
    // Nothing the rules must not see: the base-currency prices, the title, the seller's ids.
    for path in [
        d(&["productInfoComponent", "minPrice"]),
        d(&["productInfoComponent", "subject"]),
        d(&["sellerComponent", "adminSeq"]),
        vec!["runParams", "data", "userComponent", "aliMemberId"],
    ] {
        assert!(!copied(&path), "{path:?} must not be copied");
    }
}

#[test]
fn a_page_rendered_in_the_browser() {
    let model = from_model(
        r#"{"_d_c_": {"viewName": "newDetail", "isCSR": true, "lifeCycleEventList": {"0": {"data": {
            "PRICE": {"targetSkuPriceInfo": {"salePrice": {"value": 12.34, "currency": "USD"},
                "salePriceString": "US $12.34", "originalPrice": {"value": 20, "currency": "USD", "formatedAmount": "US $20.00"}}},
            "SHOP_CARD_PC": {"sellerInfo": {"storeURL": "//www.aliexpress.com/store/1102020297", "adminSeq": 2220000001}},
            "GLOBAL_DATA": {"globalData": {"productId": "1005010026778896", "categoryId": 63705, "currencyCode": "USD"}}}}}}}"#,
    );
    assert_eq!(model.generation, Some(Generation::Rendered));
    assert!(!model.missing);
    assert_eq!(ids(&model.clues), ["1005010026778896"]);
    assert_eq!(model.clues.store_ids, ["1102020297"]);
    assert_eq!(model.clues.category_ids, ["63705"]);
    assert_eq!(model.clues.currency, Some(usd()));
    // The sale price, not the original, and not a range: it is the chosen SKU's.
    assert_eq!(model.clues.offers.len(), 1);
    let offer = model.clues.offers[0];
    assert_eq!(offer.amount.minor(usd()), Ok(1234));
    assert!(!offer.range);
}

#[test]
fn a_rendered_page_with_only_the_price_text_or_the_original_price() {
    let text = from_model(
        r#"{"_d_c_": {"lifeCycleEventList": {"0": {"data": {
            "PRICE": {"targetSkuPriceInfo": {"salePriceString": "€9,99"}},
            "SHOP_CARD_PC": {"storeNum": 912345}}}}}}"#,
    );
    let eur = Currency::parse("EUR").expect("EUR");
    assert_eq!(text.clues.offers[0].currency, Some(eur));
    assert_eq!(text.clues.offers[0].amount.minor(eur), Ok(999));
    assert_eq!(text.clues.store_ids, ["912345"]);
    let original = from_model(
        r#"{"_d_c_": {"lifeCycleEventList": {"0": {"data": {
            "PRICE": {"targetSkuPriceInfo": {"originalPrice": {"value": "15.5", "currency": "USD"}}}}}}}}"#,
    );
    assert_eq!(original.clues.offers[0].amount.minor(usd()), Ok(1550));
}

#[test]
fn the_2023_components() {
    let model = from_model(
        r#"{"runParams": {"is23": true, "data": {
            "productInfoComponent": {"id": 1005005555555501, "idStr": "1005005555555501", "categoryPaths": "26/100001719/2623", "categoryId": 2623},
            "priceComponent": {"discountPrice": {"minActivityAmount": {"currency": "EUR", "formatedAmount": "9,50 €", "value": 9.5},
                                                 "maxActivityAmount": {"currency": "EUR", "formatedAmount": "15,00 €", "value": 15}},
                               "origPrice": {"minAmount": {"currency": "EUR", "value": 19}}},
            "currencyComponent": {"currencyCode": "EUR"},
            "userComponent": {"userCountryCode": "ES"},
            "sellerComponent": {"storeNum": 1101234567, "storeURL": "https://www.aliexpress.com/store/1101234567"}}}}"#,
    );
    let eur = Currency::parse("EUR").expect("EUR");
    assert_eq!(model.generation, Some(Generation::Components));
    assert_eq!(ids(&model.clues), ["1005005555555501"]);
    assert_eq!(model.clues.category_ids, ["26", "100001719", "2623"]);
    assert_eq!(model.clues.store_ids, ["1101234567"]);
    assert_eq!(model.clues.currency, Some(eur));
    assert_eq!(
        model
            .clues
            .country
            .map(|c| c.as_str().to_owned())
            .as_deref(),
        Some("ES")
    );
    // The discounted price's low end, a range: no SKU chosen in the data.
    assert_eq!(model.clues.offers.len(), 1);
    assert_eq!(model.clues.offers[0].amount.minor(eur), Ok(950));
    assert!(model.clues.offers[0].range);
}

#[test]
fn the_2021_modules() {
    let model = from_model(
        r#"{"runParams": {"data": {
            "priceModule": {"minAmount": {"currency": "USD", "value": 30}, "maxAmount": {"currency": "USD", "value": 30}},
            "storeModule": {"storeNum": "4567890"},
            "commonModule": {"productId": 4000123456789, "categoryId": "200000346", "currencyCode": "USD", "userCountryCode": "US"}}}}"#,
    );
    assert_eq!(model.generation, Some(Generation::Modules));
    assert_eq!(ids(&model.clues), ["4000123456789"]);
    assert_eq!(model.clues.store_ids, ["4567890"]);
    assert_eq!(model.clues.category_ids, ["200000346"]);
    assert_eq!(model.clues.offers[0].amount.minor(usd()), Ok(3000));
    assert!(!model.clues.offers[0].range, "min and max agree");
}

#[test]
fn a_model_that_never_arrived_or_cannot_be_read() {
    let missing =
        from_model(r#"{"_d_c_": {"viewName": "newDetail", "isCSR": true}, "runParams": {}}"#);
    assert!(missing.missing);
    assert_eq!(missing.generation, None);
    for text in [
        "",
        "not json",
        "[]",
        "null",
        r#"{"runParams": {"data": {}}}"#,
        r#"{"_d_c_": 5}"#,
    ] {
        let model = from_model(text);
        assert_eq!(model.generation, None, "{text}");
        assert!(!model.missing, "{text}");
        assert!(model.clues.product_ids.is_empty() && model.clues.offers.is_empty());
    }
}

#[test]
fn what_the_page_could_have_forged_or_lost_is_not_taken() {
    let model = from_model(
        r#"{"runParams": {"data": {
            "productInfoComponent": {"id": 3256809840464144123},
            "priceComponent": {"discountPrice": {"minActivityAmount": {"currency": "USD", "value": "-5"}}},
            "sellerComponent": {"storeNum": "javascript:alert(1)", "storeURL": "https://evil.example/store/123"}}}}"#,
    );
    assert!(
        model.clues.product_ids.is_empty(),
        "past 2^53: digits lost in the page's JavaScript"
    );
    assert!(model.clues.store_ids.is_empty());
    assert!(model.clues.offers.is_empty());
    assert!(model.clues.unreadable_price);
}

#[test]
fn the_format_handed_to_the_reader() {
    let mut w = Writer::new();
    write_format(&mut w);
    let format: serde_json::Value = serde_json::from_str(&w.finish()).expect("json");
    assert_eq!(format["event"], MODEL_EVENT);
    assert_eq!(format["limits"]["TEXT"], limit::TEXT);
    assert_eq!(
        format["copy"]["runParams"]["data"]["currencyComponent"],
        serde_json::json!({"currencyCode": true})
    );
    assert_eq!(
        format["copy"]["_d_c_"]["lifeCycleEventList"]["0"]["data"]["PRICE"]["targetSkuPriceInfo"]
            ["salePrice"],
        true
    );
}
