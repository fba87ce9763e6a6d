//! A request as the JSON the command line prints and the popup reads, written with the crate's
//! JSON writer: the derived `Serialize` gives the same object (a test checks), but going through
//! it would bring serde's map serializer and float formatting into the extension's WASM for one
//! small object.

use super::numbers::push_decimal;
use super::SearchRequest;
use crate::codec::json::Writer;

/// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
/// "ship_from", "sort", "url"}`.
pub(super) fn to_json(request: &SearchRequest, url: &str) -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("keywords");
    w.string(&request.keywords);
    w.key("min_price");
    number(&mut w, request.min_price);
    w.key("max_price");
    number(&mut w, request.max_price);
    w.key("currency");
    w.optional_string(request.currency.as_ref().map(|c| c.as_str()));
    w.key("min_rating");
    number(&mut w, request.min_rating);
    w.key("free_shipping");
    w.boolean(request.free_shipping);
    w.key("ship_from");
    w.optional_string(request.ship_from.as_ref().map(|c| c.as_str()));
    w.key("sort");
    w.optional_string(request.sort.map(|s| s.as_str()));
    w.key("url");
    w.string(url);
    w.end_object();
    w.finish()
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
    use super::*;

    #[test]
    fn text_is_escaped_as_serde_json_reads_it() {
        let request = SearchRequest {
            keywords: "a\"b\\c\u{1}d\ne\u{1F}é🔥".into(),
            min_rating: Some(4.5),
            max_price: Some(30.0),
            ..SearchRequest::default()
        };
        let json = to_json(
            &request,
            "https://www.aliexpress.com/wholesale?SearchText=x",
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["keywords"], "a\"b\\c\u{1}d\ne\u{1F}é🔥");
        assert_eq!(value["min_rating"], 4.5);
        assert!(json.contains(r#""max_price":30,"#), "{json}");
    }
}
