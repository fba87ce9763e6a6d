//! How results are ordered: "cheapest", "más barato", "le moins cher", "am günstigsten",
//! "самые дешевые" (cheapest first); "most expensive", "high to low"; "best selling", "más
//! vendidos", "meilleures ventes", "Bestseller", "хиты продаж" (most orders); "newest",
//! "novedades", "lançamentos", "nouveautés", "Neuheiten", "новинки" (newest first).
//!
//! Phrases say an order, or half of one: "sort by price" names the price order without its
//! direction, "descending" or "absteigend" the direction without the order. So the phrases are
//! put together rather than the first one deciding: the first phrase names the order; while
//! its direction is unsaid, a later phrase that says a price direction says it ("sorted by price
//! high to low" is most expensive first, not cheapest because "sorted by price" came first);
//! a direction never said is cheapest first, AliExpress's own for its price sort. A direction
//! word that is also an everyday word (`croissant`, `ascending`) counts only right after a
//! by-price phrase, punctuation between them or not ("trier par prix croissant"); elsewhere it is
//! a keyword ("moule à croissant").
//!
//! Read after prices, so "más barato que 20" (cheaper than 20) is a price, not a sort. Plain
//! "cheap" stays a keyword: it describes the product more than it orders results.

use super::query::Query;
use super::vocabulary::{Role, SortSays};
use super::{SearchRequest, SortOrder};

/// Takes every sort phrase and puts what they say together.
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    let mut order: Option<SortOrder> = None;
    // Whether the order so far came from a phrase that left the price direction unsaid.
    let mut direction_open = false;
    // Where the last by-price phrase ended: a direction word right there is its direction.
    let mut by_price_end: Option<usize> = None;
    for i in 0..query.tokens.len() {
        let len = query.at(i, Role::Sort);
        let Some(says) = query.sort(i).filter(|_| len > 0) else {
            continue;
        };
        let (heard, says_direction) = match says {
            SortSays::Ascending | SortSays::Descending if by_price_end != Some(i) => continue,
            SortSays::Cheapest | SortSays::Ascending => (SortOrder::PriceAsc, true),
            SortSays::Dearest | SortSays::Descending => (SortOrder::PriceDesc, true),
            SortSays::ByPrice => (SortOrder::PriceAsc, false),
            SortSays::MostOrders => (SortOrder::Orders, true),
            SortSays::Newest => (SortOrder::Newest, true),
        };
        if says == SortSays::ByPrice {
            by_price_end = Some(i + len);
        }
        let is_price = matches!(heard, SortOrder::PriceAsc | SortOrder::PriceDesc);
        match order {
            None => {
                order = Some(heard);
                direction_open = !says_direction;
            }
            Some(SortOrder::PriceAsc) if direction_open && is_price && says_direction => {
                order = Some(heard);
                direction_open = false;
            }
            // The order is said: a later phrase that says another one is understood (and
            // taken from the keywords) but does not change it.
            Some(_) => {}
        }
        query.take(i, i + len);
    }
    request.sort = order;
}
