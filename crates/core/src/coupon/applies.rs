//! Which coupons can apply to a cart: currency, country, dates and new-user terms first, then
//! the base each coupon takes its saving from and its minimum spend.

use super::{Cart, Coupon, CouponKind, Currency, Minor, Timestamp};
use crate::link::same_product;

/// A coupon that applies to a cart, with what it saves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applicable<'c> {
    /// The coupon.
    pub coupon: &'c Coupon,
    /// Its saving alone: a store coupon on its store's items, others on the order total.
    pub saving: Minor,
}

/// Whether the coupon's terms allow it for this cart at all, whatever it contains:
/// same currency, a country it serves (or an unknown country), `starts_at <= now < expires_at`,
/// and not a first-order coupon for a returning shopper.
pub(crate) fn terms_allow(coupon: &Coupon, cart: &Cart) -> bool {
    terms_allow_at(
        coupon,
        Some(cart.currency),
        cart.country,
        cart.now,
        cart.new_user,
    )
}

/// The same terms where the currency may be unknown too (a page without prices): an unknown
/// currency, like an unknown country, limits nothing.
#[inline]
pub(crate) fn terms_allow_at(
    coupon: &Coupon,
    currency: Option<Currency>,
    country: Option<[u8; 2]>,
    now: Timestamp,
    new_user: bool,
) -> bool {
    let countries = coupon.countries();
    currency.is_none_or(|c| c == coupon.currency())
        && (countries.is_empty() || country.is_none_or(|country| countries.contains(&country)))
        && coupon.starts_at() <= now
        && now < coupon.expires_at()
        && (!coupon.new_users_only() || new_user)
}

/// What a store coupon's saving is taken from: the amount of its store's items that match its
/// product and category scope (a product under its id on either site: [`same_product`]). Zero
/// for other kinds.
pub(crate) fn store_base(coupon: &Coupon, cart: &Cart) -> Minor {
    let Some(scope) = coupon.store_scope() else {
        return 0;
    };
    cart.items
        .iter()
        .filter(|item| item.store_id.as_deref() == Some(scope.store_id))
        .filter(|item| {
            scope.product_ids.is_empty()
                || item
                    .product_id
                    .as_deref()
                    .is_some_and(|id| scope.product_ids.iter().any(|p| same_product(p, id)))
        })
        .filter(|item| {
            scope.category_ids.is_empty()
                || item
                    .category_ids
                    .iter()
                    .any(|c| scope.category_ids.iter().any(|k| **k == **c))
        })
        .map(|item| item.amount())
        .fold(0, Minor::saturating_add)
}

/// The saving on `base`, if the coupon applies there: the base is more than zero and reaches
/// the minimum spend (inclusive).
pub(crate) fn saving_on(coupon: &Coupon, base: Minor) -> Option<Minor> {
    (base > 0 && base >= coupon.min_spend()).then(|| coupon.discount().saving(base))
}

/// Every coupon that applies to the cart on its own, with its own saving, in feed order.
pub fn applicable<'c>(
    coupons: impl IntoIterator<Item = &'c Coupon>,
    cart: &Cart,
) -> Vec<Applicable<'c>> {
    let total = cart.total();
    coupons
        .into_iter()
        .filter(|coupon| terms_allow(coupon, cart))
        .filter_map(|coupon| {
            let base = match coupon.kind() {
                CouponKind::Store { .. } => store_base(coupon, cart),
                CouponKind::Select | CouponKind::Code { .. } => total,
            };
            saving_on(coupon, base).map(|saving| Applicable { coupon, saving })
        })
        .collect()
}
