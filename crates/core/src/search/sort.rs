//! How results are ordered: "cheapest", "más barato", "le moins cher", "am günstigsten",
//! "самые дешевые" (cheapest first); "most expensive"; "best selling", "más vendidos",
//! "meilleures ventes", "Bestseller", "хиты продаж" (most orders); "newest", "novedades",
//! "lançamentos", "nouveautés", "Neuheiten", "новинки" (newest first).
//!
//! Read after prices, so "más barato que 20" (cheaper than 20) is a price, not a sort. Plain
//! "cheap" stays a keyword: it describes the product more than it orders results.

use super::phrases::Kind;
use super::tokenize::Query;
use super::SearchRequest;

/// Takes every sort phrase; the first one read is the request's.
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    for i in 0..query.tokens.len() {
        let len = query.at(i, Kind::Sort);
        if len > 0 {
            request.sort = request.sort.or(query.sort(i));
            query.take(i, i + len);
        }
    }
}
