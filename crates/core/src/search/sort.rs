//! How results are ordered: "cheapest", "más barato", "le moins cher", "am günstigsten",
//! "самые дешевые" (cheapest first); "most expensive"; "best selling", "más vendidos",
//! "meilleures ventes", "Bestseller", "хиты продаж" (most orders); "newest", "novedades",
//! "lançamentos", "nouveautés", "Neuheiten", "новинки" (newest first).
//!
//! Read after prices, so "más barato que 20" (cheaper than 20) is a price, not a sort. Plain
//! "cheap" stays a keyword: it describes the product more than it orders results.

use super::query::Query;
use super::vocabulary::{Role, SortSays};
use super::{SearchRequest, SortOrder};

/// Takes every sort phrase; the first one read is the request's.
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    for i in 0..query.tokens.len() {
        let len = query.at(i, Role::Sort);
        if len > 0 {
            let order = query.sort(i).map(|says| match says {
                SortSays::Cheapest | SortSays::ByPrice | SortSays::Ascending => SortOrder::PriceAsc,
                SortSays::Dearest | SortSays::Descending => SortOrder::PriceDesc,
                SortSays::MostOrders => SortOrder::Orders,
                SortSays::Newest => SortOrder::Newest,
            });
            request.sort = request.sort.or(order);
            query.take(i, i + len);
        }
    }
}
