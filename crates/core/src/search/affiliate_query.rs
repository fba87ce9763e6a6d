//! Smart Search's product results, first half: a parsed request, for the shopper's market, as
//! the parameters of the affiliate API's `aliexpress.affiliate.product.query`, and what the
//! API cannot carry of it, which [`super::products::refine`] then applies to the products it
//! returns.
//!
//! Filter by filter:
//! - price: `min_sale_price` and `max_sale_price`, in minor units of the target currency (the
//!   API's "cents": hundredths of a dollar or euro, whole yen for a currency without a minor
//!   unit, by ISO 4217's exponent as [`Currency::minor_digits`] gives it). An amount in no named
//!   currency, or in the market's, goes as typed; one in another currency is converted with the
//!   rates given, the range widened to whole minor units (the least down, the most up), and
//!   when no rate is known it is left out and the plan says so ([`Applied::NoRate`]): an amount
//!   is never sent in a currency it was not meant in;
//! - sort: cheapest first `SALE_PRICE_ASC`, most expensive `SALE_PRICE_DESC`, most ordered
//!   `LAST_VOLUME_DESC`; the API has no newest order, and products carry no date, so newest
//!   is said not to be available ([`Applied::NotAvailable`]) and the API's own order stands;
//! - rating, free shipping, ship-from: the API has no such parameters; applied to the results
//!   ([`Applied::OnResults`]), and then the API is asked for its largest page, so that enough
//!   products remain.

use super::{Filter, SearchRequest, SortOrder};
use crate::locale::UiLanguage;
use crate::money::{Currency, Minor, Rates};
use crate::page::CountryCode;
use crate::problem::Problem;
use std::fmt;

/// How many products the API is asked for when every filter is in the query: as many as the
/// popup shows.
pub const RESULTS_SHOWN: u32 = 20;

/// How many when some filter is applied to the results: the API's largest page.
pub const PAGE_SIZE_FILTERED: u32 = 50;

/// A bound beyond any price: amounts above it (in minor units) are sent as it.
const MAX_QUERY_MINOR: Minor = 1_000_000_000_000_000;

/// Where the products are for: the shopper's market and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchTarget {
    /// The country the products must ship to.
    pub ship_to: CountryCode,
    /// The currency prices are asked and shown in.
    pub currency: Currency,
    /// The language of titles.
    pub language: UiLanguage,
}

/// A `sort` value of `aliexpress.affiliate.product.query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiSort {
    /// `SALE_PRICE_ASC`.
    SalePriceAsc,
    /// `SALE_PRICE_DESC`.
    SalePriceDesc,
    /// `LAST_VOLUME_ASC` (no request asks for it: least ordered first).
    LastVolumeAsc,
    /// `LAST_VOLUME_DESC`.
    LastVolumeDesc,
}

impl ApiSort {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SalePriceAsc => "SALE_PRICE_ASC",
            Self::SalePriceDesc => "SALE_PRICE_DESC",
            Self::LastVolumeAsc => "LAST_VOLUME_ASC",
            Self::LastVolumeDesc => "LAST_VOLUME_DESC",
        }
    }

    /// The API's order for a request's, the one mapping of them; `None` for newest first,
    /// which the API has not.
    pub fn of(order: SortOrder) -> Option<Self> {
        match order {
            SortOrder::PriceAsc => Some(Self::SalePriceAsc),
            SortOrder::PriceDesc => Some(Self::SalePriceDesc),
            SortOrder::Orders => Some(Self::LastVolumeDesc),
            SortOrder::Newest => None,
        }
    }
}

/// The business parameters of one `aliexpress.affiliate.product.query` call (the API client
/// adds the system parameters, the tracking id and the signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductQuery {
    /// `keywords`: the request's product words.
    pub keywords: String,
    /// `min_sale_price`, in minor units of `target_currency`.
    pub min_sale_price: Option<Minor>,
    /// `max_sale_price`, in minor units of `target_currency`.
    pub max_sale_price: Option<Minor>,
    /// `sort`.
    pub sort: Option<ApiSort>,
    /// `target_currency`.
    pub target_currency: Currency,
    /// `target_language` ([`UiLanguage::api_language`]).
    pub target_language: UiLanguage,
    /// `ship_to_country`.
    pub ship_to_country: CountryCode,
    /// `page_size`.
    pub page_size: u32,
}

impl ProductQuery {
    /// The parameters as the API names them, those without a value left out, in name order.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("keywords", self.keywords.clone())];
        if let Some(max) = self.max_sale_price {
            params.push(("max_sale_price", max.to_string()));
        }
        if let Some(min) = self.min_sale_price {
            params.push(("min_sale_price", min.to_string()));
        }
        params.push(("page_size", self.page_size.to_string()));
        params.push(("ship_to_country", self.ship_to_country.as_str().to_owned()));
        if let Some(sort) = self.sort {
            params.push(("sort", sort.as_str().to_owned()));
        }
        params.push(("target_currency", self.target_currency.as_str().to_owned()));
        params.push((
            "target_language",
            self.target_language.api_language().to_owned(),
        ));
        params
    }
}

/// How one filter of the request is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// In the query, as asked.
    InQuery,
    /// In the query, the price converted into the target currency at a known rate.
    Converted,
    /// Applied to the products the API returns.
    OnResults,
    /// Not applied: the price is in another currency than the target's and no rate is known.
    NoRate,
    /// Not applied: neither the API nor its products can (newest first).
    NotAvailable,
}

impl Applied {
    /// Its name in the answer's JSON: `in_query`, `converted`, `on_results`, `no_rate`,
    /// `not_available`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InQuery => "in_query",
            Self::Converted => "converted",
            Self::OnResults => "on_results",
            Self::NoRate => "no_rate",
            Self::NotAvailable => "not_available",
        }
    }
}

/// A filter applied to the products the API returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResultFilter {
    /// At least this many stars out of five.
    Rating(f64),
    /// Ships for free.
    FreeShipping,
    /// Ships from this country.
    ShipFrom(CountryCode),
}

impl ResultFilter {
    /// The request's filter it applies.
    pub fn filter(self) -> Filter {
        match self {
            Self::Rating(_) => Filter::Rating,
            Self::FreeShipping => Filter::FreeShipping,
            Self::ShipFrom(_) => Filter::ShipFrom,
        }
    }
}

/// What to ask the API, and what to do with what it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPlan {
    /// The call's parameters.
    pub query: ProductQuery,
    /// Each filter the request has, in the popup's chip order (price, rating, free shipping,
    /// ship from, sort), and how it is applied.
    pub filters: Vec<(Filter, Applied)>,
    /// The filters to apply to the results, in that order.
    pub on_results: Vec<ResultFilter>,
}

/// Why a request cannot be asked of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// The request has no product words (only a price, a sort...): the API would answer with
    /// anything.
    NoKeywords,
}

impl PlanError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &["search_no_keywords"];
}

impl Problem for PlanError {
    fn code(&self) -> &'static str {
        match self {
            Self::NoKeywords => "search_no_keywords",
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKeywords => f.write_str("the request names no product to look for"),
        }
    }
}

impl std::error::Error for PlanError {}

/// The plan for `request` in `target`'s market, converting a price in another currency with
/// `rates`. Read the request with the market's currency as the one shown
/// ([`super::parse_query_in`]), so that `$` in a market in pesos is pesos.
pub fn plan_query(
    request: &SearchRequest,
    target: SearchTarget,
    rates: &Rates,
) -> Result<QueryPlan, PlanError> {
    if request.keywords.trim().is_empty() {
        return Err(PlanError::NoKeywords);
    }
    let mut filters = Vec::with_capacity(5);
    let mut on_results = Vec::with_capacity(3);
    let (mut min_sale_price, mut max_sale_price) = (None, None);
    if request.min_price.is_some() || request.max_price.is_some() {
        let rate = match request.currency {
            None => Some((1.0, Applied::InQuery)),
            Some(named) if named == target.currency => Some((1.0, Applied::InQuery)),
            Some(named) => rates
                .rate(named, target.currency)
                .map(|rate| (rate, Applied::Converted)),
        };
        match rate {
            Some((rate, applied)) => {
                let scale = 10f64.powi(i32::try_from(target.currency.minor_digits()).unwrap_or(2));
                min_sale_price = request
                    .min_price
                    .and_then(|min| minor(min * rate * scale, Bound::Least));
                max_sale_price = request
                    .max_price
                    .and_then(|max| minor(max * rate * scale, Bound::Most));
                filters.push((Filter::Price, applied));
            }
            None => filters.push((Filter::Price, Applied::NoRate)),
        }
    }
    if let Some(stars) = request.min_rating {
        filters.push((Filter::Rating, Applied::OnResults));
        on_results.push(ResultFilter::Rating(stars));
    }
    if request.free_shipping {
        filters.push((Filter::FreeShipping, Applied::OnResults));
        on_results.push(ResultFilter::FreeShipping);
    }
    if let Some(country) = request.ship_from {
        filters.push((Filter::ShipFrom, Applied::OnResults));
        on_results.push(ResultFilter::ShipFrom(country));
    }
    let sort = request.sort.and_then(ApiSort::of);
    if request.sort.is_some() {
        let applied = if sort.is_some() {
            Applied::InQuery
        } else {
            Applied::NotAvailable
        };
        filters.push((Filter::Sort, applied));
    }
    let page_size = if on_results.is_empty() {
        RESULTS_SHOWN
    } else {
        PAGE_SIZE_FILTERED
    };
    Ok(QueryPlan {
        query: ProductQuery {
            keywords: request.keywords.clone(),
            min_sale_price,
            max_sale_price,
            sort,
            target_currency: target.currency,
            target_language: target.language,
            ship_to_country: target.ship_to,
            page_size,
        },
        filters,
        on_results,
    })
}

/// Which end of the range an amount is.
#[derive(Clone, Copy)]
enum Bound {
    Least,
    Most,
}

/// An amount already in minor units (a float) as a whole number of them: exact when it is one
/// within float error (`19.99` dollars is 1999 cents, not 1998.9999...), else widened (the
/// least down, the most up). A least of nothing is no least; a most is at least one unit.
fn minor(amount: f64, bound: Bound) -> Option<Minor> {
    if !amount.is_finite() || amount < 0.0 {
        return None;
    }
    let nearest = amount.round();
    let whole = if (amount - nearest).abs() <= 1e-6 * nearest.max(1.0) {
        nearest
    } else {
        match bound {
            Bound::Least => amount.floor(),
            Bound::Most => amount.ceil(),
        }
    };
    // Exact in f64 below 2^53, and the bound is below that.
    let whole = whole.min(MAX_QUERY_MINOR as f64) as Minor;
    match bound {
        Bound::Least => (whole > 0).then_some(whole),
        Bound::Most => Some(whole.max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::code;
    use crate::search::parse_query_in;

    fn target(country: &str, currency: &str) -> SearchTarget {
        SearchTarget {
            ship_to: CountryCode::parse(country).unwrap_or_else(|| unreachable!()),
            currency: code(currency),
            language: UiLanguage::En,
        }
    }

    fn planned(text: &str, target: SearchTarget, rates: &Rates) -> QueryPlan {
        let request = parse_query_in(text, Some(target.currency));
        plan_query(&request, target, rates).unwrap_or_else(|e| unreachable!("{text}: {e}"))
    }

    fn price_of(plan: &QueryPlan) -> Option<Applied> {
        plan.filters
            .iter()
            .find(|(f, _)| *f == Filter::Price)
            .map(|(_, a)| *a)
    }

    fn rates() -> Rates {
        Rates::new(
            code("USD"),
            [
                (code("EUR"), 0.8),
                (code("RUB"), 90.0),
                (code("JPY"), 150.0),
            ],
        )
    }

    #[test]
    fn every_sort_maps_once() {
        for (text, sort, applied) in [
            (
                "lamp cheapest",
                Some("SALE_PRICE_ASC"),
                Some(Applied::InQuery),
            ),
            (
                "lamp most expensive",
                Some("SALE_PRICE_DESC"),
                Some(Applied::InQuery),
            ),
            (
                "lamp best selling",
                Some("LAST_VOLUME_DESC"),
                Some(Applied::InQuery),
            ),
            ("lamp newest", None, Some(Applied::NotAvailable)),
            ("lamp", None, None),
        ] {
            let plan = planned(text, target("US", "USD"), &Rates::none());
            assert_eq!(plan.query.sort.map(ApiSort::as_str), sort, "{text}");
            let found = plan.filters.iter().find(|(f, _)| *f == Filter::Sort);
            assert_eq!(found.map(|(_, a)| *a), applied, "{text}");
            assert_eq!(
                plan.query.page_size, RESULTS_SHOWN,
                "nothing on the results"
            );
        }
        assert_eq!(ApiSort::LastVolumeAsc.as_str(), "LAST_VOLUME_ASC");
    }

    #[test]
    fn every_price_form_goes_in_minor_units() {
        let us = target("US", "USD");
        for (text, min, max) in [
            ("lamp under 30", None, Some(3000)),
            ("lamp under $19.99", None, Some(1999)),
            ("lamp over 20 dollars", Some(2000), None),
            ("lamp 20-40 usd", Some(2000), Some(4000)),
            ("lamp between 0.5 and 1.25 dollars", Some(50), Some(125)),
            ("lamp $10-$20", Some(1000), Some(2000)),
        ] {
            let plan = planned(text, us, &Rates::none());
            assert_eq!(
                (plan.query.min_sale_price, plan.query.max_sale_price),
                (min, max),
                "{text}"
            );
            assert_eq!(price_of(&plan), Some(Applied::InQuery), "{text}");
        }
        // No price: no filter, no parameter.
        let plan = planned("lamp", us, &Rates::none());
        assert_eq!(price_of(&plan), None);
        assert!(plan
            .query
            .params()
            .iter()
            .all(|(k, _)| !k.contains("price")));
    }

    #[test]
    fn every_currency_case() {
        // The market's own currency, named: as typed.
        let plan = planned("lamp under 20 euros", target("ES", "EUR"), &Rates::none());
        assert_eq!(
            (price_of(&plan), plan.query.max_sale_price),
            (Some(Applied::InQuery), Some(2000))
        );
        // `$` in a market in pesos is pesos.
        let plan = planned("lamp under $300", target("MX", "MXN"), &Rates::none());
        assert_eq!(
            (price_of(&plan), plan.query.max_sale_price),
            (Some(Applied::InQuery), Some(30_000))
        );
        // Another currency with a rate: converted and widened.
        let plan = planned(
            "смарт часы от 1000 до 3000 рублей",
            target("US", "USD"),
            &rates(),
        );
        assert_eq!(price_of(&plan), Some(Applied::Converted));
        // 1000 / 90 = 11.111 dollars down to 1111 cents; 3000 / 90 = 33.333 up to 3334.
        assert_eq!(
            (plan.query.min_sale_price, plan.query.max_sale_price),
            (Some(1111), Some(3334))
        );
        let plan = planned("lamp up to €20", target("US", "USD"), &rates());
        assert_eq!(plan.query.max_sale_price, Some(2500), "exactly 25 dollars");
        // Into a currency without a minor unit: whole yen.
        let plan = planned("lamp under 10 dollars", target("JP", "JPY"), &rates());
        assert_eq!(plan.query.max_sale_price, Some(1500));
        // Another currency and no rate: left out, and said.
        for rates in [Rates::none(), Rates::new(code("USD"), [(code("EUR"), 0.8)])] {
            let plan = planned("смарт часы до 3000 рублей", target("US", "USD"), &rates);
            assert_eq!(price_of(&plan), Some(Applied::NoRate));
            assert_eq!(
                (plan.query.min_sale_price, plan.query.max_sale_price),
                (None, None)
            );
        }
    }

    #[test]
    fn amounts_round_only_when_they_must() {
        assert_eq!(minor(1999.0000000002, Bound::Least), Some(1999));
        assert_eq!(minor(1998.9999999998, Bound::Most), Some(1999));
        assert_eq!(minor(1111.1, Bound::Least), Some(1111));
        assert_eq!(minor(1111.1, Bound::Most), Some(1112));
        assert_eq!(minor(0.4, Bound::Least), None, "a least of nothing");
        assert_eq!(minor(0.4, Bound::Most), Some(1));
        assert_eq!(minor(f64::NAN, Bound::Most), None);
        assert_eq!(minor(f64::INFINITY, Bound::Most), None);
        assert_eq!(minor(1e30, Bound::Most), Some(MAX_QUERY_MINOR));
    }

    #[test]
    fn filters_the_api_lacks_go_on_the_results() {
        let plan = planned(
            "speaker under 30 4+ stars free shipping ships from Spain newest",
            target("ES", "EUR"),
            &Rates::none(),
        );
        assert_eq!(
            plan.filters,
            [
                (Filter::Price, Applied::InQuery),
                (Filter::Rating, Applied::OnResults),
                (Filter::FreeShipping, Applied::OnResults),
                (Filter::ShipFrom, Applied::OnResults),
                (Filter::Sort, Applied::NotAvailable),
            ]
        );
        let es = CountryCode::parse("ES").unwrap_or_else(|| unreachable!());
        assert_eq!(
            plan.on_results,
            [
                ResultFilter::Rating(4.0),
                ResultFilter::FreeShipping,
                ResultFilter::ShipFrom(es)
            ]
        );
        assert_eq!(plan.query.page_size, PAGE_SIZE_FILTERED);
    }

    #[test]
    fn the_query_names_the_market() {
        let target = SearchTarget {
            language: UiLanguage::PtBr,
            ..target("BR", "BRL")
        };
        let plan = planned(
            "fone bluetooth até 100 reais mais vendidos",
            target,
            &Rates::none(),
        );
        assert_eq!(
            plan.query.params(),
            [
                ("keywords", "fone bluetooth".to_owned()),
                ("max_sale_price", "10000".to_owned()),
                ("page_size", "20".to_owned()),
                ("ship_to_country", "BR".to_owned()),
                ("sort", "LAST_VOLUME_DESC".to_owned()),
                ("target_currency", "BRL".to_owned()),
                ("target_language", "PT".to_owned()),
            ]
        );
        let params = plan.query.params();
        assert!(params.windows(2).all(|w| w[0].0 < w[1].0), "in name order");
    }

    #[test]
    fn a_request_without_product_words_is_not_asked() {
        let request = parse_query_in("under 30 dollars cheapest", None);
        assert_eq!(
            plan_query(&request, target("US", "USD"), &Rates::none()),
            Err(PlanError::NoKeywords)
        );
        assert_eq!(PlanError::NoKeywords.code(), "search_no_keywords");
    }
}
