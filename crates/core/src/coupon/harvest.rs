//! Coupons harvested from the affiliate API: the promo codes of the products each market's calls
//! returned, each made a coupon for that market by [`promo_code_coupon`] or refused with its
//! reason ([`PromoCodeRefusal`]). On top of a code's own reading:
//! - a code that has ended by the harvest is refused ([`PromoCodeRefusal::Expired`]): it is never
//!   stored, so it never reaches a feed;
//! - the same coupon from many products and methods is kept once: its first read, with the first
//!   product's link (each product's `code_promotionurl` is that product's own page with the code);
//! - a later read of the same code for the same market with other terms is refused
//!   ([`PromoCodeRefusal::ConflictingTerms`]) and the first stands: which read is right cannot be
//!   told, and the first is as good as any;
//! - a refusal is said once per code and market (once per product for a code without a code).
//!
//! The order is the caller's (markets, methods, pages, the API's order within a page), so a
//! harvest of the same answers always keeps and refuses the same.

use std::collections::{HashMap, HashSet};

use super::promo_code::{promo_code_coupon, promo_code_id, PromoCodeRefusal, PromoContext};
use super::{Coupon, Timestamp};
use crate::codec::rfc3339::write as write_time;
use crate::market::Market;
use crate::problem::Problem;
use crate::search::FoundProduct;

/// A promo code that did not become a coupon, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCode {
    /// Its position among the promo codes the harvest read, from 0.
    pub index: usize,
    /// The market it was harvested for.
    pub market: Market,
    /// The product it came with.
    pub product_id: String,
    /// The id its coupon would have had, when it names a code.
    pub id: Option<String>,
    /// Why.
    pub refusal: PromoCodeRefusal,
}

/// A harvest under way: the coupons kept so far and the codes refused.
#[derive(Debug)]
pub struct Harvest {
    now: Timestamp,
    coupons: Vec<Coupon>,
    /// Each kept coupon's position in `coupons`, by id.
    kept: HashMap<String, usize>,
    refused: Vec<RefusedCode>,
    /// What was refused already: the id and the refusal's code, or the product for no id.
    said: HashSet<(String, &'static str)>,
    /// Every product seen, by market and id.
    products: HashSet<(Market, String)>,
    read: usize,
}

impl Harvest {
    /// A harvest at `now`: codes that end at or before it are refused.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now,
            coupons: Vec::new(),
            kept: HashMap::new(),
            refused: Vec::new(),
            said: HashSet::new(),
            products: HashSet::new(),
            read: 0,
        }
    }

    /// The promo codes of `products`, which a call for `market` returned.
    pub fn add(&mut self, market: Market, products: &[FoundProduct]) {
        for product in products {
            self.products.insert((market, product.id.clone()));
            let context = PromoContext {
                currency: Some(product.currency),
                market: Some(market),
            };
            for info in &product.promo_codes {
                let index = self.read;
                self.read += 1;
                let id = info
                    .promo_code
                    .as_deref()
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(|code| promo_code_id(code, Some(market)));
                let outcome = promo_code_coupon(info, &context).and_then(|coupon| {
                    if coupon.expires_at() <= self.now {
                        return Err(PromoCodeRefusal::Expired(write_time(coupon.expires_at())));
                    }
                    Ok(coupon)
                });
                let refusal = match outcome {
                    Ok(coupon) => match self.kept.get(coupon.id()).copied() {
                        None => {
                            self.kept.insert(coupon.id().to_owned(), self.coupons.len());
                            self.coupons.push(coupon);
                            continue;
                        }
                        Some(at) => {
                            let first = self.coupons.get(at);
                            if first.is_some_and(|first| same_terms(first, &coupon)) {
                                continue;
                            }
                            PromoCodeRefusal::ConflictingTerms
                        }
                    },
                    Err(refusal) => refusal,
                };
                let key = id
                    .clone()
                    .unwrap_or_else(|| format!("{market} {}", product.id));
                if self.said.insert((key, refusal.code())) {
                    self.refused.push(RefusedCode {
                        index,
                        market,
                        product_id: product.id.clone(),
                        id,
                        refusal,
                    });
                }
            }
        }
    }

    /// The coupons kept, in the order first read, each id once.
    pub fn coupons(&self) -> &[Coupon] {
        &self.coupons
    }

    /// The codes refused, in the order read.
    pub fn refused(&self) -> &[RefusedCode] {
        &self.refused
    }

    /// How many products were seen (each product of each market once).
    pub fn products(&self) -> usize {
        self.products.len()
    }

    /// How many promo codes were read, duplicates included.
    pub fn codes_read(&self) -> usize {
        self.read
    }

    /// The coupons kept.
    pub fn into_coupons(self) -> Vec<Coupon> {
        self.coupons
    }
}

/// Whether two reads of one code say the same, apart from the product link each came with.
fn same_terms(kept: &Coupon, read: &Coupon) -> bool {
    let mut kept = kept.fields();
    let mut read = read.fields();
    kept.url = None;
    read.url = None;
    kept == read
}

#[cfg(test)]
mod tests;
