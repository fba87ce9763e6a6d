//! Smart Search: one line of a shopper's own words, in English, Spanish, Portuguese, French,
//! German or Russian (mixed with brand and model words such as `iPhone 15`, `USB-C`, `1TB`),
//! read into a structured AliExpress search ([`SearchRequest`]) and its URL, on the device.
//!
//! ```
//! use shopper_core::search::{parse_query, SortOrder};
//!
//! let request = parse_query("смарт часы до 3000 рублей хиты продаж");
//! assert_eq!(request.keywords, "смарт часы");
//! assert_eq!(request.max_price, Some(3000.0));
//! assert_eq!(request.currency.map(|c| c.to_string()).as_deref(), Some("RUB"));
//! assert_eq!(request.sort, Some(SortOrder::Orders));
//! ```
//!
//! How it reads, in one pass each, no regex (the extension's WASM size budget):
//! 1. `tokenize`: words, numbers (`1,299.00`, `1.299,00`, `4,5`), dashes, signs, each
//!    lower-cased and folded (no accents) for matching; at most [`MAX_QUERY_CHARS`] characters.
//! 2. `phrases`: which phrases of the small per-language tables (`lang/`, text read once into
//!    an index) start at each token.
//! 3. `ratings`, `prices`, `shipping`, `sort`: each takes the tokens of the phrases it
//!    understands, in that order (a rating before a price, so "от 4 звезд" is no price; a price
//!    before a sort, so "más barato que 20" is a price, "más barato" a sort).
//! 4. `keywords`: what no reader took, without filler words, is the product.
//! 5. `url`, `json`: the AliExpress search URL, and the JSON the command line and popup read.
//!
//! Where words are ambiguous the reader keeps product words: a number is a price only when a
//! price phrase or a currency makes it one, so `iPhone 15`, `27 inch`, `1TB` stay keywords.
//! Known limits: a model number right before a bare three-digit amount in a currency written
//! with space-grouped thousands reads as one number (`iPhone 15 800 рублей` is 15 800 roubles);
//! "X bis Y Euro" after a product word reads as "up to Y" (`Kopfhörer 20 bis 40 Euro` keeps
//! `20`); a lower-case one-letter word that is also a filler is dropped (`vitamina e`).
//!
//! Time is linear in the length of the (cut) request and nothing panics, whatever the input.

mod filters;
mod json;
mod keywords;
mod lang;
mod numbers;
mod phrases;
mod prices;
mod query;
mod ratings;
mod shipping;
mod sort;
mod tokenize;
mod url;
mod vocabulary;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use serde::{Serialize, Serializer};

use crate::money::Currency;
use crate::page::CountryCode;

pub use filters::Filter;
pub use tokenize::MAX_QUERY_CHARS;

/// How the shopper wants results ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Cheapest first: "cheapest", "más barato", "le moins cher", "am günstigsten".
    PriceAsc,
    /// Most expensive first.
    PriceDesc,
    /// Most ordered first: "best selling", "más vendidos", "Bestseller", "хиты продаж".
    Orders,
    /// Newest first: "newest", "novedades", "lançamentos", "Neuheiten", "новинки".
    Newest,
}

impl SortOrder {
    /// The name the JSON output uses (`price_asc`, `price_desc`, `orders`, `newest`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Orders => "orders",
            Self::Newest => "newest",
        }
    }

    /// AliExpress's `SortType` for it.
    pub fn sort_type(self) -> &'static str {
        match self {
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Orders => "total_tranpro_desc",
            Self::Newest => "create_desc",
        }
    }
}

/// What a shopper's request asks for. Serialises (serde) with the field names the command line
/// prints and the popup reads; [`SearchRequest::to_json`] gives the same object with the `url`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchRequest {
    /// The product words, lower-case, with the price, rating, shipping, sort and filler phrases
    /// removed ("bluetooth speaker", "zapatos mujer", "powerbank 10000mah").
    pub keywords: String,
    /// The least to pay, in major units of `currency` (or of the shopper's own currency).
    #[serde(serialize_with = "number")]
    pub min_price: Option<f64>,
    /// The most to pay, in major units. A lone amount with a currency ("headphones 30 dollars")
    /// is read as a budget: the most to pay.
    #[serde(serialize_with = "number")]
    pub max_price: Option<f64>,
    /// The currency the request named (a symbol, code or word: `$`, `usd`, `dollars`, `€`,
    /// `R$`, `рублей`); `None` when it named none. A `$` alone is the US dollar.
    pub currency: Option<Currency>,
    /// The least rating, in stars, above 0 and at most 5.
    #[serde(serialize_with = "number")]
    pub min_rating: Option<f64>,
    /// Only items that ship for free.
    pub free_shipping: bool,
    /// The country the items ship from (a named country or warehouse).
    pub ship_from: Option<CountryCode>,
    /// How to order results.
    pub sort: Option<SortOrder>,
}

/// Reads one line of a shopper's request. Never fails and never panics: anything not understood
/// stays a keyword; only the first [`MAX_QUERY_CHARS`] characters are read.
pub fn parse_query(text: &str) -> SearchRequest {
    let mut query = tokenize::tokenize(text);
    phrases::find(&mut query);
    let mut request = SearchRequest::default();
    ratings::read(&mut query, &mut request);
    prices::read(&mut query, &mut request);
    shipping::read(&mut query, &mut request);
    sort::read(&mut query, &mut request);
    request.keywords = keywords::read(&mut query);
    request
}

impl SearchRequest {
    /// The AliExpress search for this request:
    /// `https://www.aliexpress.com/wholesale?SearchText=…&minPrice=…&maxPrice=…&isFreeShip=y&SortType=…&shipFromCountry=…`
    /// (parameters only for what was asked). On `host`, the shopper's own AliExpress host
    /// (`es.aliexpress.com`, `aliexpress.ru`), when it is one by the link rules; otherwise on
    /// `www.aliexpress.com`. Prices are filtered in the currency the shopper's AliExpress shows.
    pub fn url(&self, host: Option<&str>) -> String {
        url::search_url(self, host)
    }

    /// As JSON with its `url`, the shape the command line prints and the popup reads:
    /// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
    /// "ship_from", "sort", "url"}`.
    pub fn to_json(&self, host: Option<&str>) -> String {
        json::to_json(self, &self.url(host))
    }
}

/// A whole number as a JSON integer (`30`, not `30.0`), any other as a decimal (`4.5`).
fn number<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match *value {
        None => serializer.serialize_none(),
        Some(v) if v.fract() == 0.0 && (0.0..1e15).contains(&v) => {
            serializer.serialize_u64(v as u64)
        }
        Some(v) => serializer.serialize_f64(v),
    }
}
