//! What the client's tests share: the core's queries and plans, in the US in dollars unless
//! told otherwise.
// Each test program uses some of these.
#![allow(dead_code, clippy::panic)]

use shopper_core::locale::UiLanguage;
use shopper_core::money::{Currency, Rates};
use shopper_core::page::CountryCode;
use shopper_core::search::{
    affiliate_query::RESULTS_SHOWN, parse_query_in, plan_query, ProductQuery, QueryPlan,
    SearchTarget,
};

pub fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap_or_else(|| panic!("{code}"))
}

pub fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).unwrap_or_else(|| panic!("{code}"))
}

pub fn usd() -> Currency {
    currency("USD")
}

/// The core's query for `keywords` and nothing else, in the US, in dollars and English.
pub fn query(keywords: &str) -> ProductQuery {
    ProductQuery {
        keywords: keywords.into(),
        min_sale_price: None,
        max_sale_price: None,
        sort: None,
        target_currency: usd(),
        target_language: UiLanguage::En,
        ship_to_country: country("US"),
        page_size: RESULTS_SHOWN,
    }
}

/// The core's plan for a shopper's search in the US.
pub fn plan(text: &str) -> QueryPlan {
    let target = SearchTarget {
        ship_to: country("US"),
        currency: usd(),
        language: UiLanguage::En,
    };
    let request = parse_query_in(text, Some(usd()));
    plan_query(&request, target, &Rates::none()).unwrap_or_else(|e| panic!("{text}: {e}"))
}
