//! The answer as the JSON the command line prints and the popup reads, written with the crate's
//! JSON writer: the one writer of it (serde would bring its map serializer and float formatting
//! into the extension's WASM for one small object).

use super::numbers::push_decimal;
use super::{SearchAnswer, SearchRequest};
use crate::codec::json::Writer;

impl SearchAnswer {
    /// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
    /// "ship_from", "sort", "site_currency", "url_price", "filters", "url"}`: the request as the
    /// shopper said it (prices in the currency named), the currency the site shows (or null),
    /// the price range the URL carries (`{"min", "max", "currency"}`, or null when it carries
    /// none), each filter the request has as `{"filter", "in_url", "note"}` (`note`: null, or
    /// `converted`, `shopper_currency`, `other_currency`, `not_in_search`), and the URL.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        self.request.write_json_fields(&mut w);
        w.key("site_currency");
        w.optional_string(self.site_currency.as_ref().map(|c| c.as_str()));
        w.key("url_price");
        match &self.url_price {
            Some(price) => w.nested(|w| {
                w.begin_object();
                w.key("min");
                number(w, price.min);
                w.key("max");
                number(w, price.max);
                w.key("currency");
                w.optional_string(price.currency.as_ref().map(|c| c.as_str()));
                w.end_object();
            }),
            None => w.null(),
        }
        w.key("filters");
        w.nested(|w| {
            w.begin_array();
            for (filter, carried) in &self.filters {
                w.nested(|w| {
                    w.begin_object();
                    w.key("filter");
                    w.string(filter.as_str());
                    w.key("in_url");
                    w.boolean(carried.in_url());
                    w.key("note");
                    w.optional_string(carried.note());
                    w.end_object();
                });
            }
            w.end_array();
        });
        w.key("url");
        w.string(&self.url);
        w.end_object();
        w.finish()
    }
}

impl SearchRequest {
    /// Writes the request's fields into an object already open: `"keywords", "min_price",
    /// "max_price", "currency", "min_rating", "free_shipping", "ship_from", "sort"`, as the shopper
    /// said them. The one writer of a request, which the URL answer and the product answer share.
    pub(super) fn write_json_fields(&self, w: &mut Writer) {
        w.key("keywords");
        w.string(&self.keywords);
        w.key("min_price");
        number(w, self.min_price);
        w.key("max_price");
        number(w, self.max_price);
        w.key("currency");
        w.optional_string(self.currency.as_ref().map(|c| c.as_str()));
        w.key("min_rating");
        number(w, self.min_rating);
        w.key("free_shipping");
        w.boolean(self.free_shipping);
        w.key("ship_from");
        w.optional_string(self.ship_from.as_ref().map(|c| c.as_str()));
        w.key("sort");
        w.optional_string(self.sort.map(|s| s.as_str()));
    }
}

/// A price or rating as an exact decimal (`30`, `4.5`), or null.
fn number(w: &mut Writer, value: Option<f64>) {
    match value {
        Some(value) => {
            let mut text = String::new();
            push_decimal(&mut text, value);
            w.number_text(&text);
        }
        None => w.null(),
    }
}

#[cfg(test)]
mod tests {
    use crate::money::{Currency, Rates};
    use crate::search::{search, SearchRequest, Site};

    #[test]
    fn text_is_escaped_as_serde_json_reads_it() {
        let request = SearchRequest {
            keywords: "a\"b\\c\u{1}d\ne\u{1F}é🔥".into(),
            min_rating: Some(4.5),
            max_price: Some(30.0),
            ..SearchRequest::default()
        };
        let json = request.answer(Site::default(), &Rates::none()).to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["keywords"], "a\"b\\c\u{1}d\ne\u{1F}é🔥", "{json}");
        assert_eq!(value["min_rating"], 4.5);
        assert!(json.contains(r#""max_price":30,"#), "{json}");
    }

    #[test]
    fn the_answer_is_written_whole() {
        let site = Site {
            host: Some("es.aliexpress.com"),
            currency: Currency::parse("USD"),
        };
        let rates = Rates::new(
            Currency::parse("USD").unwrap_or_else(|| unreachable!()),
            [(
                Currency::parse("EUR").unwrap_or_else(|| unreachable!()),
                0.8,
            )],
        );
        let json = search("lamp 20-40 € 4 stars newest", site, &rates, &[]).to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(
            value,
            serde_json::json!({
                "keywords": "lamp", "min_price": 20, "max_price": 40, "currency": "EUR",
                "min_rating": 4, "free_shipping": false, "ship_from": null, "sort": "newest",
                "site_currency": "USD",
                "url_price": {"min": 25, "max": 50, "currency": "USD"},
                "filters": [
                    {"filter": "price", "in_url": true, "note": "converted"},
                    {"filter": "rating", "in_url": false, "note": "not_in_search"},
                    {"filter": "sort", "in_url": true, "note": null},
                ],
                "url": "https://es.aliexpress.com/wholesale?SearchText=lamp&minPrice=25&maxPrice=50&SortType=create_desc",
            })
        );
        let none = search("lamp", Site::default(), &Rates::none(), &[]).to_json();
        let value: serde_json::Value = serde_json::from_str(&none).unwrap_or_default();
        assert_eq!(value["url_price"], serde_json::Value::Null);
        assert_eq!(value["filters"], serde_json::json!([]));
    }
}
