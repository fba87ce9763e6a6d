//! What the AliExpress search can carry of a request on the shopper's own site, filter by filter,
//! and the URL that carries it: the Engine's answer to the popup, which shows each filter as
//! applied or not from it.
//!
//! The search URL's `minPrice` and `maxPrice` are read by AliExpress in the currency it shows
//! the shopper. An amount is never sent in a currency it was not meant in:
//! - no currency named, or the one the site shows: the amounts go as typed;
//! - another currency than the site's, with a rate known: converted to the site's currency,
//!   the range widened to whole units (the least down, the most up), so nothing the shopper
//!   asked for is cut off;
//! - another currency than the site's and no rate: left out of the URL, and the answer says so
//!   (the shopper can retype it in the site's currency, or take the chip off);
//! - a currency named while the site's is unknown (a tab that is not on AliExpress, a page that
//!   did not say): the amounts go as typed, and the answer says that AliExpress reads them in
//!   the currency it shows the shopper, which is most often the one a shopper types.
//!
//! The least rating has no parameter in AliExpress's search URL: it is understood, shown, and
//! said not to be applied.

use super::url::search_url;
use super::{Filter, SearchRequest};
use crate::money::{Currency, Rates};

/// What the popup knows of where the search will open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Site<'a> {
    /// The shopper's AliExpress host (`es.aliexpress.com`) when the tab is on one; the search
    /// opens there when it is a shop host by the link rules, else on `www.aliexpress.com`.
    pub host: Option<&'a str>,
    /// The currency the shopper's AliExpress shows prices in, when a page of it said.
    pub currency: Option<Currency>,
}

/// Whether and how the search URL carries one filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// In the URL as asked.
    AsAsked,
    /// In the URL, converted into the site's currency at a known rate ([`SearchAnswer::url_price`]).
    Converted,
    /// In the URL as typed, in the currency the request named, while the site's currency is
    /// unknown: AliExpress reads the amounts in the currency it shows the shopper.
    InShopperCurrency,
    /// Not in the URL: the site shows another currency than the request's, and no rate is known.
    OtherCurrency,
    /// Not in the URL: AliExpress's search URL has no such filter.
    NotInSearch,
}

impl Carried {
    /// Whether the URL carries the filter at all.
    pub fn in_url(self) -> bool {
        matches!(
            self,
            Self::AsAsked | Self::Converted | Self::InShopperCurrency
        )
    }

    /// What the shopper is to be told, as the JSON names it: `null` for a filter applied as
    /// asked, else `converted`, `shopper_currency`, `other_currency`, `not_in_search`.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Self::AsAsked => None,
            Self::Converted => Some("converted"),
            Self::InShopperCurrency => Some("shopper_currency"),
            Self::OtherCurrency => Some("other_currency"),
            Self::NotInSearch => Some("not_in_search"),
        }
    }
}

/// The price range as the URL carries it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UrlPrice {
    /// `minPrice`, in major units.
    pub min: Option<f64>,
    /// `maxPrice`, in major units.
    pub max: Option<f64>,
    /// The currency AliExpress reads them in, when known.
    pub currency: Option<Currency>,
}

/// The Engine's answer to a request: what was understood, what the URL carries of each filter,
/// and the URL.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchAnswer {
    /// What the request asks, as the shopper said it (prices in the currency they named).
    pub request: SearchRequest,
    /// The currency the shopper's AliExpress shows, as the popup said it (`None`: unknown).
    pub site_currency: Option<Currency>,
    /// The price range the URL carries, `None` when it carries none.
    pub url_price: Option<UrlPrice>,
    /// Each filter the request has, in the popup's chip order (price, rating, free shipping,
    /// ship from, sort), and whether the URL carries it.
    pub filters: Vec<(Filter, Carried)>,
    /// The AliExpress search.
    pub url: String,
}

impl SearchRequest {
    /// The answer for this request on `site`, converting a price with `rates` when it is in
    /// another currency than the site's.
    pub fn answer(self, site: Site<'_>, rates: &Rates) -> SearchAnswer {
        let (price, url_price) = self.price_in_url(site.currency, rates);
        let mut filters = Vec::with_capacity(5);
        if let Some(price) = price {
            filters.push((Filter::Price, price));
        }
        if self.min_rating.is_some() {
            filters.push((Filter::Rating, Carried::NotInSearch));
        }
        if self.free_shipping {
            filters.push((Filter::FreeShipping, Carried::AsAsked));
        }
        if self.ship_from.is_some() {
            filters.push((Filter::ShipFrom, Carried::AsAsked));
        }
        if self.sort.is_some() {
            filters.push((Filter::Sort, Carried::AsAsked));
        }
        let range = url_price.map_or((None, None), |p| (p.min, p.max));
        let url = search_url(&self, range, site.host);
        SearchAnswer {
            request: self,
            site_currency: site.currency,
            url_price,
            filters,
            url,
        }
    }

    /// How the price filter goes into the URL (`None` when the request has none), and the
    /// range the URL carries.
    fn price_in_url(
        &self,
        site: Option<Currency>,
        rates: &Rates,
    ) -> (Option<Carried>, Option<UrlPrice>) {
        if self.min_price.is_none() && self.max_price.is_none() {
            return (None, None);
        }
        let as_typed = |currency| UrlPrice {
            min: self.min_price,
            max: self.max_price,
            currency,
        };
        match (self.currency, site) {
            (None, site) => (Some(Carried::AsAsked), Some(as_typed(site))),
            (Some(named), Some(shown)) if named == shown => {
                (Some(Carried::AsAsked), Some(as_typed(site)))
            }
            (Some(_), None) => (Some(Carried::InShopperCurrency), Some(as_typed(None))),
            (Some(named), Some(shown)) => match rates.rate(named, shown) {
                Some(rate) => {
                    let converted = UrlPrice {
                        // Whole units, widened: the least rounded down, the most up (a hair
                        // under, so that 20.000000001 is 20 and not 21).
                        min: self
                            .min_price
                            .map(|min| (min * rate).floor())
                            .filter(|min| min.is_finite() && *min > 0.0),
                        max: self
                            .max_price
                            .map(|max| (max * rate - 1e-9).ceil().max(1.0))
                            .filter(|max| max.is_finite()),
                        currency: Some(shown),
                    };
                    (Some(Carried::Converted), Some(converted))
                }
                None => (Some(Carried::OtherCurrency), None),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::code;
    use crate::search::parse_query_in;

    fn answer(text: &str, currency: Option<&str>, rates: &Rates) -> SearchAnswer {
        let currency = currency.map(code);
        let site = Site {
            host: Some("www.aliexpress.com"),
            currency,
        };
        parse_query_in(text, currency).answer(site, rates)
    }

    fn price_of(answer: &SearchAnswer) -> Option<Carried> {
        answer
            .filters
            .iter()
            .find(|(f, _)| *f == Filter::Price)
            .map(|(_, c)| *c)
    }

    #[test]
    fn a_price_in_another_currency_is_never_sent_as_the_sites() {
        // The cases: "up to €20" on a US-dollar site, "до 3000 рублей" on www (whose
        // currency the page said is the US dollar): before, maxPrice=20 and maxPrice=3000.
        for text in ["lamp up to €20", "смарт часы до 3000 рублей"] {
            let a = answer(text, Some("USD"), &Rates::none());
            assert_eq!(price_of(&a), Some(Carried::OtherCurrency), "{text}");
            assert_eq!(a.url_price, None);
            assert!(!a.url.contains("Price="), "{}", a.url);
        }
    }

    #[test]
    fn a_price_converts_when_a_rate_is_known() {
        let rates = Rates::new(code("USD"), [(code("RUB"), 90.0), (code("EUR"), 0.8)]);
        let a = answer("смарт часы от 1000 до 3000 рублей", Some("USD"), &rates);
        assert_eq!(price_of(&a), Some(Carried::Converted));
        let want = UrlPrice {
            min: Some(11.0),
            max: Some(34.0),
            currency: Some(code("USD")),
        };
        assert_eq!(a.url_price, Some(want), "11.1 down, 33.3 up");
        assert!(a.url.contains("&minPrice=11&maxPrice=34"), "{}", a.url);
        let a = answer("lamp up to €20", Some("USD"), &rates);
        assert_eq!(a.url_price.and_then(|p| p.max), Some(25.0), "exactly 25");
        // A tiny amount keeps a maximum of at least one unit; a least of nothing is none.
        let a = answer("pin between 1 and 50 рублей", Some("USD"), &rates);
        assert_eq!(a.url_price.map(|p| (p.min, p.max)), Some((None, Some(1.0))));
        // And the other way: dollars on a site in roubles.
        let a = answer("lamp under 10 dollars", Some("RUB"), &rates);
        assert_eq!(a.url_price.and_then(|p| p.max), Some(900.0));
    }

    #[test]
    fn a_price_in_the_sites_currency_or_none_goes_as_typed() {
        let a = answer("lamp under 20 euros", Some("EUR"), &Rates::none());
        assert_eq!(price_of(&a), Some(Carried::AsAsked));
        assert!(a.url.ends_with("&maxPrice=20"), "{}", a.url);
        let a = answer("lamp under 20", Some("EUR"), &Rates::none());
        assert_eq!(price_of(&a), Some(Carried::AsAsked));
        assert_eq!(a.url_price.and_then(|p| p.currency), Some(code("EUR")));
        // The site's currency unknown: as typed, and said to be read in the shopper's currency.
        let a = answer("lamp under 20 euros", None, &Rates::none());
        assert_eq!(price_of(&a), Some(Carried::InShopperCurrency));
        assert!(a.url.ends_with("&maxPrice=20"), "{}", a.url);
        let a = answer("lamp under 20", None, &Rates::none());
        assert_eq!(price_of(&a), Some(Carried::AsAsked));
    }

    #[test]
    fn a_shared_sign_is_the_sites_currency_when_it_may_be() {
        // `$` on a site in Mexican pesos is pesos; on a site in euros it is the US dollar.
        let a = answer("lamp under $300", Some("MXN"), &Rates::none());
        assert_eq!(a.request.currency, Some(code("MXN")));
        assert_eq!(price_of(&a), Some(Carried::AsAsked));
        let a = answer("lamp under 300 dollars", Some("CAD"), &Rates::none());
        assert_eq!(a.request.currency, Some(code("CAD")));
        let a = answer("lamp under 300 US dollars", Some("CAD"), &Rates::none());
        assert_eq!(a.request.currency, Some(code("USD")), "said which dollar");
        let a = answer("lamp under $30", Some("EUR"), &Rates::none());
        assert_eq!(a.request.currency, Some(code("USD")));
        assert_eq!(price_of(&a), Some(Carried::OtherCurrency));
        let a = answer("lamp under ¥3000", Some("JPY"), &Rates::none());
        assert_eq!(a.request.currency, Some(code("JPY")));
        let a = answer("lamp under 30 USD", Some("MXN"), &Rates::none());
        assert_eq!(
            a.request.currency,
            Some(code("USD")),
            "a code is that currency"
        );
    }

    #[test]
    fn the_rating_is_understood_but_not_in_the_url() {
        let a = answer(
            "speaker under 30 4+ stars free shipping ships from Spain newest",
            Some("USD"),
            &Rates::none(),
        );
        assert_eq!(
            a.filters,
            [
                (Filter::Price, Carried::AsAsked),
                (Filter::Rating, Carried::NotInSearch),
                (Filter::FreeShipping, Carried::AsAsked),
                (Filter::ShipFrom, Carried::AsAsked),
                (Filter::Sort, Carried::AsAsked),
            ]
        );
        for (filter, carried) in &a.filters {
            let named = match filter {
                Filter::Price => "Price=",
                Filter::Rating => "ating",
                Filter::FreeShipping => "isFreeShip=",
                Filter::ShipFrom => "shipFromCountry=",
                Filter::Sort => "SortType=",
            };
            assert_eq!(a.url.contains(named), carried.in_url(), "{filter:?}");
        }
    }
}
