//! Shipping: free shipping ("free shipping", "envío gratis", "frete grátis", "livraison
//! gratuite", "kostenloser Versand", "бесплатная доставка") and the country items ship from.
//!
//! A country is where items ship from only in a shipping phrase: after "from" and its
//! equivalents ("desde España", "depuis la France", "aus Deutschland", "из России"), after a
//! weaker "de"/"do"/"von"/"с" that a shipping word precedes ("enviado do Brasil", "Versand von
//! Polen"), or with a warehouse ("US warehouse", "almacén en España", "склад в России").
//! "Made in China" or "доставка в Россию" (shipping *to* Russia) name no origin.

use super::query::Query;
use super::vocabulary::{Mark, Role};
use super::SearchRequest;
use crate::page::CountryCode;

/// Articles read past between "from" and the country ("depuis la France", "from the US").
const MAX_ARTICLES: usize = 2;

/// Takes the free-shipping phrases, then the ship-from phrases (the first one read is the
/// request's).
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    for i in 0..query.tokens.len() {
        let len = query.at(i, Role::FreeShipping);
        if len > 0 {
            query.take(i, i + len);
            request.free_shipping = true;
        }
    }
    for i in 0..query.tokens.len() {
        if let Some((from, to, country)) = ship_from_at(query, i) {
            query.take(from, to);
            request.ship_from = request.ship_from.or(Some(country));
        }
    }
}

/// The ship-from phrase whose country starts at token `c`: its tokens and the country.
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn ship_from_at(query: &Query, c: usize) -> Option<(usize, usize, CountryCode)> {
    let len = query.at(c, Role::Country);
    if len == 0 {
        return None;
    }
    let (code, mark) = query.country(c)?;
    let country = CountryCode::parse(code)?;
    let end = c + len;
    let warehouse = query.next(end, Role::Warehouse);
    let caps = query
        .tokens
        .get(c..end)
        .is_some_and(|t| t.iter().all(|t| t.caps));
    // A two-letter code is also a word (`us`, `de`, `it`): written so, it needs a warehouse.
    if mark == Mark::Weak && !caps && warehouse == 0 {
        return None;
    }
    if warehouse > 0 {
        // "US warehouse", "from a Spain warehouse"
        let start = query.ending_at(c, Role::FromStrong).unwrap_or(c);
        return Some((with_ship_word(query, start), end + warehouse, country));
    }
    let mut p = c;
    loop {
        if let Some(k) = query.ending_at(p, Role::FromStrong) {
            return Some((with_ship_word(query, k), end, country));
        }
        if let Some(k) = query.ending_at(p, Role::FromWeak) {
            if let Some(s) = shipping_word_ending_at(query, k) {
                return Some((s, end, country));
            }
        }
        if let Some(k) = query.ending_at(p, Role::Inside) {
            if let Some(w) = query.any_ending_at(k, Role::Warehouse) {
                let start = if query.free(w, k - w) { w } else { k };
                return Some((start, end, country));
            }
        }
        if c - p < MAX_ARTICLES && p > 0 && query.is(p - 1, Role::Filler, 1) {
            p -= 1;
            continue;
        }
        return None;
    }
}

/// `start`, or the start of a shipping word just before it ("ships from", "Versand aus").
fn with_ship_word(query: &Query, start: usize) -> usize {
    query.ending_at(start, Role::ShipVerb).unwrap_or(start)
}

/// Where the shipping word just before token `k` starts (taken, as by "envío gratis", or not),
/// for a weak "from": the phrase starts there if the word is free, else at `k`.
fn shipping_word_ending_at(query: &Query, k: usize) -> Option<usize> {
    if let Some(s) = query.ending_at(k, Role::ShipVerb) {
        return Some(s);
    }
    query
        .any_ending_at(k, Role::ShipVerb)
        .or_else(|| query.any_ending_at(k, Role::FreeShipping))
        .map(|_| k)
}
