//! The store's own coupons a product page offers (its data model's coupon block), turned into
//! store coupons the stacking rules take with the feed's, or left out when their terms do not
//! read: listed in the popup as offered by the store on this page, and said to need collecting
//! first when the page says so.
//!
//! How the terms are read, without per-language grammar (the same reader of written amounts and
//! percentages as the affiliate API's promo codes, `promo_code::read_terms`):
//! - The 2021–24 pages word the discount and the threshold apart (`promotionDesc` "US $2.00" or
//!   "10%", `promotionDetail` "Orders over US $20.00", "En compras de 20€ o más"): the discount
//!   is its one amount or one percentage, the threshold its one amount, or none when it names no
//!   number. Anything else (two amounts in the discount, a percentage with a cap) is not read.
//! - The 2025–26 page words an offer in one text ("US $2 off on US $20", one public source):
//!   of two amounts, the amount off is the smaller, since an amount off is always below its
//!   threshold; one amount is an amount off with no threshold; a percentage with an amount is
//!   not read (the amount could be a threshold or a cap).
//! - Its currency is the one its amounts name, else the page's; its hours the page's, else from
//!   now for a day (it is on the page now, and the page is read again on every visit).
//!
//! A page coupon with the same store, currency, threshold and discount as one of the feed's is
//! the feed's: it is left out, so no coupon is listed twice.

use super::checks::{check_fields, clip, MAX_TITLE_LEN};
use super::promo_code::{read_terms, Terms};
use super::{Coupon, CouponFields, CouponIndex, CouponKind, Discount, Minor, Timestamp};
use crate::money::Currency;
use crate::page::{normalise_spaces, number_spans, PageContext, StoreOffer};

/// What a page coupon's id starts with, before its store and its place on the page.
pub const PAGE_COUPON_ID_PREFIX: &str = "page-";

/// How long a coupon the page offers without its hours is taken to last, in seconds.
const DEFAULT_HOURS: Timestamp = 24 * 60 * 60;

/// The coupons a page offers, in its order, with what the popup says of each.
#[derive(Debug, Clone, Default)]
pub struct PageCoupons {
    /// The coupons whose terms read.
    pub coupons: Vec<Coupon>,
    /// For each of `coupons`, whether the page says it must be collected first.
    pub collect_first: Vec<bool>,
    /// How many the page offered whose terms did not read.
    pub unread: usize,
}

impl PageCoupons {
    /// Whether `coupon` is one of these, and then whether it must be collected first.
    pub(crate) fn about(&self, coupon: &Coupon) -> Option<bool> {
        let at = self.coupons.iter().position(|c| std::ptr::eq(c, coupon))?;
        Some(self.collect_first.get(at).copied().unwrap_or(false))
    }
}

/// The store's own coupons `page` offers, at `now`, less those the feed in `index` has.
pub fn page_coupons(page: &PageContext, index: &CouponIndex, now: Timestamp) -> PageCoupons {
    let mut out = PageCoupons::default();
    let Some(store_id) = page.items.first().and_then(|i| i.store_id.as_deref()) else {
        return out;
    };
    for (n, offer) in page.store_offers.iter().enumerate() {
        let Some(coupon) = coupon_of(offer, store_id, page.currency, now, n) else {
            out.unread += 1;
            continue;
        };
        // The feed's coupons of this store only: one lookup, not a pass over the whole feed.
        let known = index.of_store(store_id).any(|c| {
            c.store_scope().is_some_and(|s| s.store_id == store_id)
                && c.currency() == coupon.currency()
                && c.min_spend() == coupon.min_spend()
                && c.discount() == coupon.discount()
        });
        if !known {
            out.coupons.push(coupon);
            out.collect_first.push(offer.collect_first == Some(true));
        }
    }
    out
}

/// The terms of a text with at least one number; none (no threshold) for a text without.
fn terms_of(text: &str, hint: Option<Currency>) -> Option<Terms> {
    if number_spans(text, 1).is_empty() {
        return Some(Terms::default());
    }
    read_terms(text, hint).ok()
}

/// The coupon `offer` (the `n`th of the page) is, when its terms read.
fn coupon_of(
    offer: &StoreOffer,
    store_id: &str,
    hint: Option<Currency>,
    now: Timestamp,
    n: usize,
) -> Option<Coupon> {
    let discount_text = normalise_spaces(&offer.discount);
    let said = read_terms(&discount_text, hint).ok()?;
    let threshold_text = offer.threshold.as_deref().map(normalise_spaces);
    let threshold = match &threshold_text {
        Some(text) => Some(terms_of(text, hint)?),
        None => None,
    };
    let named = [said.currency, threshold.as_ref().and_then(|t| t.currency)];
    let currency = match named {
        [Some(a), Some(b)] if a != b => return None,
        [Some(c), _] | [None, Some(c)] => c,
        [None, None] => hint?,
    };
    let minor = |terms: &Terms| -> Option<Vec<Minor>> {
        terms
            .amounts
            .iter()
            .map(|a| a.minor(currency).ok())
            .collect()
    };
    let amounts = minor(&said)?;
    let (discount, min_spend) = match (&threshold, said.percents.as_slice(), amounts.as_slice()) {
        // The discount and the threshold worded apart.
        (Some(threshold), percents, amounts) => {
            if !threshold.percents.is_empty() {
                return None;
            }
            let min_spend = match minor(threshold)?.as_slice() {
                [] => 0,
                [min] => *min,
                _ => return None,
            };
            let discount = match (percents, amounts) {
                ([percent], []) => Discount::Percent {
                    percent: u8::try_from(*percent).ok()?,
                    max: None,
                },
                ([], [amount]) => Discount::Fixed { amount: *amount },
                _ => return None,
            };
            (discount, min_spend)
        }
        // One text: the smaller of two amounts is the amount off.
        (None, [], [amount]) => (Discount::Fixed { amount: *amount }, 0),
        (None, [], [a, b]) => (Discount::Fixed { amount: *a.min(b) }, *a.max(b)),
        (None, [percent], []) => (
            Discount::Percent {
                percent: u8::try_from(*percent).ok()?,
                max: None,
            },
            0,
        ),
        _ => return None,
    };
    if let Discount::Fixed { amount } = discount {
        if min_spend > 0 && amount >= min_spend {
            return None;
        }
    }
    let seconds = |ms: Option<i64>| ms.filter(|ms| *ms > 0).map(|ms| ms / 1000);
    let starts_at = seconds(offer.starts_ms).unwrap_or(now);
    let expires_at = seconds(offer.ends_ms).unwrap_or(now.saturating_add(DEFAULT_HOURS));
    if expires_at <= now {
        return None;
    }
    let mut title = discount_text;
    if let Some(text) = threshold_text.filter(|t| !t.is_empty()) {
        title.push_str(" · ");
        title.push_str(&text);
    }
    let mut id = String::from(PAGE_COUPON_ID_PREFIX);
    id.push_str(store_id);
    id.push('-');
    id.push_str(&n.to_string());
    let fields = CouponFields {
        id: &id,
        kind: CouponKind::Store {
            store_id,
            product_ids: &[],
            category_ids: &[],
        },
        title: &clip(&title, MAX_TITLE_LEN),
        currency,
        min_spend,
        discount,
        countries: &[],
        starts_at,
        expires_at,
        new_users_only: false,
        url: None,
    };
    check_fields(&fields, false).ok()?;
    Some(Coupon::new(fields))
}

#[cfg(test)]
mod tests;
