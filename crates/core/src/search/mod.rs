//! Smart Search: one line of a shopper's own words, in English, Spanish, Portuguese, French,
//! German or Russian (mixed with brand and model words such as `iPhone 15`, `USB-C`, `1TB`),
//! read into a structured AliExpress search ([`SearchRequest`]) and its URL, on the device.
//!
//! ```
//! use shopper_core::money::{Currency, Rates};
//! use shopper_core::search::{parse_query, search, Carried, Filter, Site, SortOrder};
//!
//! let request = parse_query("смарт часы до 3000 рублей хиты продаж");
//! assert_eq!(request.keywords, "смарт часы");
//! assert_eq!(request.max_price, Some(3000.0));
//! assert_eq!(request.currency.map(|c| c.to_string()).as_deref(), Some("RUB"));
//! assert_eq!(request.sort, Some(SortOrder::Orders));
//!
//! // On a site that shows US dollars, with no exchange rate known, the roubles stay out of the
//! // URL (never sent as 3000 dollars), and the answer says so.
//! let site = Site { host: Some("www.aliexpress.com"), currency: Currency::parse("USD") };
//! let answer = search("смарт часы до 3000 рублей хиты продаж", site, &Rates::none(), &[]);
//! assert_eq!(answer.filters[0], (Filter::Price, Carried::OtherCurrency));
//! assert!(!answer.url.contains("maxPrice"));
//! ```
//!
//! How it reads, in one pass each, no regex (the extension's WASM size budget):
//! 1. `tokenize`: words, numbers (`1,299.00`, `1.299,00`, `4,5`, `1'299`), dashes, signs, each
//!    lower-cased and folded (no accents) for matching, into a `query` (the tokens and what the
//!    readers ask of them); at most [`MAX_QUERY_CHARS`] characters. Numbers are valued by the
//!    one reader of written amounts, `money::read_written`, which a page's prices use too.
//! 2. `phrases`: which phrases of the small per-language tables (`lang/`, text read once into
//!    an index) start at each token; what a phrase can mean is the leaf `vocabulary`.
//! 3. `ratings`, `prices`, `shipping`, `sort`: each takes the tokens of the phrases it
//!    understands, in that order (a rating before a price, so "от 4 звезд" is no price; a price
//!    before a sort, so "más barato que 20" is a price, "más barato" a sort).
//! 4. `keywords`: what no reader took, without filler words, is the product.
//! 5. `answer`, `url`, `json`: what the AliExpress search URL can carry of each filter on the
//!    shopper's site (a price in another currency than the site's is converted when a rate is
//!    known, else left out and said so; the rating is never in the URL), the URL, and the one
//!    JSON writer of the answer, which the command line prints and the popup reads.
//!
//! 6. `affiliate_query`, `products`, `api_value`, `product_answer` (the companion server's Smart
//!    Search results): the request as a call of the affiliate API's product query in the
//!    shopper's market, the API's products read, the filters the API lacks applied to them, and
//!    the one JSON writer of that answer.
//! 7. `reading`, `model_answer` (the server's optional language model): whether the rules read
//!    a request fully (its product words describe no person, occasion or wish), and else the
//!    instructions, the JSON schema and the strict reader of what the operator's model
//!    answers, its reading put together with the rules'.
//!
//! Where words are ambiguous the reader keeps product words: a number is a price only when a
//! price phrase or a currency makes it one, so `iPhone 15`, `27 inch`, `1TB` stay keywords.
//! Known limits: a model number right before a bare three-digit amount in a currency written
//! with space-grouped thousands reads as one number (`iPhone 15 800 рублей` is 15 800 roubles);
//! "X bis Y Euro" after a product word reads as "up to Y" (`Kopfhörer 20 bis 40 Euro` keeps
//! `20`); a lower-case one-letter word that is also a filler is dropped (`vitamina e`).
//!
//! Time is linear in the length of the (cut) request and nothing panics, whatever the input.

pub mod affiliate_query;
mod answer;
mod answer_check;
pub mod api_value;
mod filters;
mod json;
mod keywords;
mod lang;
mod model_answer;
mod numbers;
mod phrases;
mod prices;
mod product_answer;
pub mod products;
mod query;
mod ratings;
mod reading;
mod shipping;
mod sort;
mod tokenize;
mod url;
mod vocabulary;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use crate::money::{Currency, Rates};
use crate::page::CountryCode;

pub use affiliate_query::{
    plan_query, ApiSort, Applied, PlanError, ProductQuery, QueryPlan, ResultFilter, SearchTarget,
};
pub use answer::{Carried, SearchAnswer, Site, UrlPrice};
pub use answer_check::{check_product_answer, AnswerFault, MAX_ANSWER_BYTES, MAX_ANSWER_PRODUCTS};
pub use api_value::{read_api_item, ApiValue};
pub use filters::Filter;
pub use model_answer::{
    read_model_answer, ModelAnswerFault, MAX_MODEL_ANSWER_BYTES, MAX_MODEL_KEYWORDS_CHARS,
    MODEL_ANSWER_FIELDS, MODEL_ANSWER_SCHEMA, MODEL_INSTRUCTIONS,
};
pub use product_answer::ProductAnswer;
pub use products::{refine, FilterOutcome, FoundProduct, Refinement, Store};
pub use reading::{read_fully, ReadBy};
pub use tokenize::MAX_QUERY_CHARS;

/// How the shopper wants results ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Every order, in the order the answers list them.
    pub const ALL: [Self; 4] = [Self::PriceAsc, Self::PriceDesc, Self::Orders, Self::Newest];

    /// The order a name stands for ([`SortOrder::as_str`]'s).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|order| order.as_str() == name)
    }

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

/// What a shopper's request asks for, as they said it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    /// The product words, lower-case, with the price, rating, shipping, sort and filler phrases
    /// removed ("bluetooth speaker", "zapatos mujer", "powerbank 10000mah").
    pub keywords: String,
    /// The least to pay, in major units of `currency` (or of the shopper's own currency).
    pub min_price: Option<f64>,
    /// The most to pay, in major units. A lone amount with a currency ("headphones 30 dollars")
    /// is read as a budget: the most to pay.
    pub max_price: Option<f64>,
    /// The currency the request named (a symbol, code or word: `$`, `usd`, `dollars`, `€`,
    /// `R$`, `рублей`); `None` when it named none. A `$` or a dollar word is the dollar the
    /// shopper's AliExpress shows when it shows one ([`parse_query_in`]), else the US dollar.
    pub currency: Option<Currency>,
    /// The least rating, in stars, above 0 and at most 5.
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
    parse_query_in(text, None)
}

/// [`parse_query`] for a shopper whose AliExpress shows prices in `shown`, when known: a sign or
/// word several currencies share (`$`, `¥`, `kr`, "dollars") is that currency when it may be
/// (`$300` on a site in Mexican pesos is 300 pesos).
pub fn parse_query_in(text: &str, shown: Option<Currency>) -> SearchRequest {
    let mut query = tokenize::tokenize(text);
    query.shown = shown;
    phrases::find(&mut query);
    let mut request = SearchRequest::default();
    ratings::read(&mut query, &mut request);
    prices::read(&mut query, &mut request);
    shipping::read(&mut query, &mut request);
    sort::read(&mut query, &mut request);
    request.keywords = keywords::read(&mut query);
    request
}

/// Smart Search in one call, as the popup and the command line ask it: the request read for the
/// shopper's `site`, without the filters the shopper took off, and what its AliExpress search
/// carries ([`SearchRequest::answer`]).
pub fn search(text: &str, site: Site<'_>, rates: &Rates, without: &[Filter]) -> SearchAnswer {
    without
        .iter()
        .fold(parse_query_in(text, site.currency), |request, filter| {
            request.without(*filter)
        })
        .answer(site, rates)
}
