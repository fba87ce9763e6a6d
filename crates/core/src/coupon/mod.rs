//! Coupons and what they save: which coupons apply to a cart under AliExpress's rules, and the
//! combination (one store coupon per store, then one select coupon, then one promo code) that
//! saves the most, computed exactly.
//!
//! Money is integer minor units in the cart's currency; times are UTC seconds; no floats.

mod applies;
mod cart_json;
mod currency;
mod feed;
mod index;
mod loose;
mod signed;
mod stack;

pub use applies::{applicable, Applicable};
pub use cart_json::parse_cart;
pub use feed::{parse_feed, CouponProblem, Feed, FeedError, FEED_VERSION};
pub use index::CouponIndex;
pub use signed::{open_envelope, EnvelopeError, PublisherKey, PublisherSecret, MAX_ENVELOPE_BYTES};
pub use stack::{best_stack, StackPlan};

/// An ISO 4217 currency code, upper-case (`USD`).
pub type Currency = [u8; 3];

/// An amount of money in minor units (cents).
pub type Minor = u64;

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// A coupon from the publisher's feed, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    /// The feed's id for it.
    pub id: String,
    /// Store, select or promo code, with what each needs.
    pub kind: CouponKind,
    /// What the shopper reads (untrusted text: render it as text).
    pub title: String,
    /// The currency of `min_spend` and the discount.
    pub currency: Currency,
    /// The least the coupon's base must reach (inclusive).
    pub min_spend: Minor,
    /// What it takes off.
    pub discount: Discount,
    /// ISO 3166 alpha-2 codes where it applies; empty means everywhere.
    pub countries: Vec<[u8; 2]>,
    /// First second it applies.
    pub starts_at: Timestamp,
    /// First second it no longer applies.
    pub expires_at: Timestamp,
    /// Only for a shopper's first order.
    pub new_users_only: bool,
    /// Where to read its terms on AliExpress (an https AliExpress link), if the feed gave one.
    pub url: Option<String>,
}

/// The three kinds of AliExpress coupon, applied in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponKind {
    /// A seller's coupon: applies to that store's items, optionally only some products or categories.
    Store {
        /// The store.
        store_id: String,
        /// If not empty, only these products count towards the base.
        product_ids: Vec<String>,
        /// If not empty, only items in one of these categories count towards the base.
        category_ids: Vec<String>,
    },
    /// An AliExpress select coupon: on the order, after store coupons.
    Select,
    /// A promo code: on the order, after store and select coupons.
    Code {
        /// What the shopper types at checkout.
        code: String,
    },
}

/// How much a coupon takes off its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// A fixed amount, never more than the base.
    Fixed {
        /// Minor units off.
        amount: Minor,
    },
    /// A percentage of the base, rounded down, capped at `max` when set.
    Percent {
        /// 1 to 100.
        percent: u8,
        /// The most it takes off, in minor units.
        max: Option<Minor>,
    },
}

impl Discount {
    /// What it takes off `base`: `min(amount, base)` or `floor(base × percent / 100)` capped
    /// at `max` and at the base.
    pub fn saving(self, base: Minor) -> Minor {
        match self {
            Self::Fixed { amount } => amount.min(base),
            Self::Percent { percent, max } => {
                let off = u128::from(base) * u128::from(percent) / 100;
                let off = Minor::try_from(off).unwrap_or(Minor::MAX).min(base);
                max.map_or(off, |max| off.min(max))
            }
        }
    }
}

/// A cart (a product page is a cart of one item, quantity 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cart {
    /// The currency prices are in.
    pub currency: Currency,
    /// The ship-to country, when the page says; unknown matches without the country filter.
    pub country: Option<[u8; 2]>,
    /// Whether the shopper has never ordered.
    pub new_user: bool,
    /// The moment of matching.
    pub now: Timestamp,
    /// What is in it.
    pub items: Vec<CartItem>,
}

/// One line of a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartItem {
    /// The product, when known.
    pub product_id: Option<String>,
    /// The store selling it, when known.
    pub store_id: Option<String>,
    /// Its categories, when known.
    pub category_ids: Vec<String>,
    /// Unit price in minor units.
    pub price: Minor,
    /// How many.
    pub quantity: u32,
}

impl CartItem {
    /// Price × quantity, saturating rather than overflowing on absurd input.
    pub fn amount(&self) -> Minor {
        self.price.saturating_mul(Minor::from(self.quantity))
    }
}

impl Cart {
    /// The order total before any coupon.
    pub fn total(&self) -> Minor {
        self.items
            .iter()
            .map(CartItem::amount)
            .fold(0, Minor::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings() {
        assert_eq!(Discount::Fixed { amount: 500 }.saving(2000), 500);
        assert_eq!(
            Discount::Fixed { amount: 500 }.saving(300),
            300,
            "fixed above base"
        );
        assert_eq!(
            Discount::Percent {
                percent: 15,
                max: None
            }
            .saving(999),
            149,
            "floor"
        );
        assert_eq!(
            Discount::Percent {
                percent: 15,
                max: Some(100)
            }
            .saving(999),
            100,
            "cap"
        );
        assert_eq!(
            Discount::Percent {
                percent: 100,
                max: None
            }
            .saving(999),
            999
        );
        assert_eq!(
            Discount::Percent {
                percent: 50,
                max: None
            }
            .saving(Minor::MAX),
            Minor::MAX / 2
        );
    }
}
