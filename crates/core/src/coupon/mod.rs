//! Coupons and what they save: which coupons apply to a cart under AliExpress's rules, and the
//! combination (one store coupon per store, then one select coupon, then one promo code) that
//! saves the most, computed exactly.
//!
//! Money is integer minor units in the cart's currency; times are UTC seconds; no floats.

mod applies;

mod cart_json;
mod checks;
mod feed;
mod harvest;
mod index;
mod key_file;
mod loading;
mod loose;
mod on_page;
mod promo_code;
pub mod refresh;
mod report;
mod seen;

mod signed;
mod snapshot;
mod stack;
mod subject;

use std::fmt;

pub use crate::codec::field::FieldFault;
pub use crate::codec::json::{JsonError, JsonFault, JsonType, Position};
pub use crate::codec::rfc3339::write as write_time;
pub use crate::money::{major_units, Currency, Minor};
pub use applies::{applicable, Applicable};
pub use cart_json::{parse_cart, CartError};
pub use checks::{CouponFault, ABSURD_AMOUNT, MAX_ID_LEN, MAX_TITLE_LEN, MAX_URL_LEN};
pub use feed::{
    parse_feed, rates_json, read_rates_json, write_feed, CouponProblem, Feed, FeedError,
    FeedReading, FEED_VERSION, MAX_RATES_JSON_BYTES,
};
pub use harvest::{Harvest, RefusedCode};
pub use index::CouponIndex;
pub use key_file::{key_file_text, read_key_file, KeyFileError, MAX_KEY_FILE_BYTES};
pub use loading::{FeedLoad, LoadError, LoadedFeed, OPEN_STEP_CHARS, READ_STEP_COUPONS};
pub use on_page::{page_coupons, PageCoupons, PAGE_COUPON_ID_PREFIX};
pub use promo_code::{
    promo_code_coupon, promo_code_id, read_promo_codes, PromoCodeInfo, PromoCodeRefusal,
    PromoContext, MAX_PROMO_CODES_PER_PRODUCT, MAX_PROMO_TEXT, PROMO_ID_PREFIX,
};
pub use report::{listing, report, BestStack, CouponOffer, CouponReport};
pub use signed::{
    open_envelope, EnvelopeError, EnvelopeOpening, KeyError, PublisherKey, PublisherSecret,
    MAX_ENVELOPE_BYTES,
};
pub use snapshot::{
    read_snapshot, write_snapshot, Snapshot, SnapshotError, SnapshotOpening, StoredCheck,
};
pub use stack::{best_stack, StackEffort, StackPlan, STACK_MEMORY, STACK_WORK};
pub use subject::Subject;

/// Sorts `(key, position)` pairs, ascending. Every sort of the coupon rules goes through this
/// one: each distinct sort instantiation costs the WASM its own copy of the sorting code, several
/// kilobytes each, so orders are expressed as keys and positions instead.
pub(crate) fn sort_keyed(keys: &mut [(u64, u32)]) {
    keys.sort_unstable();
}

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// A coupon from the publisher's feed, already validated. Read it through its methods; build
/// one with [`Coupon::new`].
///
/// Stored compactly, because a feed holds 100,000 of them: the id, title, store id or code and
/// url share one allocation, amounts and terms sit inline, and the rare product and category
/// scopes are boxed apart. Every allocation is exactly sized.
#[derive(Clone, PartialEq, Eq)]
pub struct Coupon {
    /// The id, the title, the store id or code, then the url, back to back.
    text: Box<str>,
    /// Where the title starts in `text` (the id ends there).
    title_at: u16,
    /// Where the store id or code starts (empty for a select coupon).
    key_at: u16,
    /// Where the url starts; it runs to the end.
    url_at: u16,
    /// Whether the feed gave a url (so that an empty one still reads back as given).
    has_url: bool,
    kind: Kind,
    currency: Currency,
    min_spend: Minor,
    discount_shape: DiscountShape,
    /// The percent of a percentage discount, zero otherwise.
    discount_percent: u8,
    /// The amount of a fixed discount, or the cap of a capped percentage, zero otherwise.
    discount_value: Minor,
    countries: Box<[[u8; 2]]>,
    starts_at: Timestamp,
    expires_at: Timestamp,
    new_users_only: bool,
    /// A store coupon's product and category scope, when it has one.
    scope: Option<Box<Scope>>,
}

/// The kind, without what each kind carries (that lives in the text and the scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Store,
    Select,
    Code,
}

/// The discount, without `Discount`'s padding: its variant, and whether a percentage has a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DiscountShape {
    Fixed,
    Percent,
    CappedPercent,
}

/// The products and categories a store coupon is limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scope {
    product_ids: Box<[Box<str>]>,
    category_ids: Box<[Box<str>]>,
}

/// The longest id, title, store id or code a [`Coupon`] keeps, in bytes: far above the feed's
/// limits (128 or 300 characters), and what lets their offsets fit in a `u16`.
pub const MAX_COUPON_TEXT: usize = 16 * 1024;

/// `text` cut to at most [`MAX_COUPON_TEXT`] bytes, at a character boundary.
fn clipped(text: &str) -> &str {
    let mut end = text.len().min(MAX_COUPON_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Everything a coupon says, borrowed: what [`Coupon::new`] builds from and [`Coupon::fields`]
/// reads back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CouponFields<'a> {
    /// The feed's id for it.
    pub id: &'a str,
    /// Store, select or promo code, with what each needs.
    pub kind: CouponKind<'a>,
    /// What the shopper reads (untrusted text: render it as text).
    pub title: &'a str,
    /// The currency of `min_spend` and the discount.
    pub currency: Currency,
    /// The least the coupon's base must reach (inclusive).
    pub min_spend: Minor,
    /// What it takes off.
    pub discount: Discount,
    /// ISO 3166 alpha-2 codes where it applies; empty means everywhere.
    pub countries: &'a [[u8; 2]],
    /// First second it applies.
    pub starts_at: Timestamp,
    /// First second it no longer applies.
    pub expires_at: Timestamp,
    /// Only for a shopper's first order.
    pub new_users_only: bool,
    /// Where to read its terms on AliExpress (an https AliExpress link), if the feed gave one.
    pub url: Option<&'a str>,
}

impl Coupon {
    /// A coupon from its fields. The id, title, store id and code are each cut to
    /// [`MAX_COUPON_TEXT`] bytes, which no coupon read from a feed reaches.
    pub fn new(fields: CouponFields<'_>) -> Self {
        let (kind, key, scope) = match fields.kind {
            CouponKind::Store {
                store_id,
                product_ids,
                category_ids,
            } => {
                let scope = (!product_ids.is_empty() || !category_ids.is_empty()).then(|| {
                    Box::new(Scope {
                        product_ids: product_ids.into(),
                        category_ids: category_ids.into(),
                    })
                });
                (Kind::Store, store_id, scope)
            }
            CouponKind::Select => (Kind::Select, "", None),
            CouponKind::Code { code } => (Kind::Code, code, None),
        };
        let (id, title, key) = (clipped(fields.id), clipped(fields.title), clipped(key));
        let url = fields.url.unwrap_or_default();
        let mut text = String::with_capacity(id.len() + title.len() + key.len() + url.len());
        // Each part is at most MAX_COUPON_TEXT bytes, so three of them end below u16::MAX.
        let mut offset = |part: &str| {
            text.push_str(part);
            u16::try_from(text.len()).unwrap_or(u16::MAX)
        };
        let title_at = offset(id);
        let key_at = offset(title);
        let url_at = offset(key);
        text.push_str(url);
        let (discount_shape, discount_percent, discount_value) = match fields.discount {
            Discount::Fixed { amount } => (DiscountShape::Fixed, 0, amount),
            Discount::Percent { percent, max: None } => (DiscountShape::Percent, percent, 0),
            Discount::Percent {
                percent,
                max: Some(max),
            } => (DiscountShape::CappedPercent, percent, max),
        };
        Self {
            text: text.into_boxed_str(),
            title_at,
            key_at,
            url_at,
            has_url: fields.url.is_some(),
            kind,
            currency: fields.currency,
            min_spend: fields.min_spend,
            discount_shape,
            discount_percent,
            discount_value,
            countries: fields.countries.into(),
            starts_at: fields.starts_at,
            expires_at: fields.expires_at,
            new_users_only: fields.new_users_only,
            scope,
        }
    }

    /// All its fields at once.
    pub fn fields(&self) -> CouponFields<'_> {
        CouponFields {
            id: self.id(),
            kind: self.kind(),
            title: self.title(),
            currency: self.currency,
            min_spend: self.min_spend,
            discount: self.discount(),
            countries: &self.countries,
            starts_at: self.starts_at,
            expires_at: self.expires_at,
            new_users_only: self.new_users_only,
            url: self.url(),
        }
    }

    /// The text between two offsets (`to` none: to the end).
    fn part(&self, from: u16, to: Option<u16>) -> &str {
        let from = usize::from(from);
        let part = match to {
            Some(to) => self.text.get(from..usize::from(to)),
            None => self.text.get(from..),
        };
        part.unwrap_or_default()
    }

    /// The feed's id for it.
    pub fn id(&self) -> &str {
        self.part(0, Some(self.title_at))
    }

    /// A store coupon's store and the products and categories it is limited to; `None` for the
    /// coupons on whole orders.
    pub fn store_scope(&self) -> Option<StoreScope<'_>> {
        match self.kind() {
            CouponKind::Store {
                store_id,
                product_ids,
                category_ids,
            } => Some(StoreScope {
                store_id,
                product_ids,
                category_ids,
            }),
            CouponKind::Select | CouponKind::Code { .. } => None,
        }
    }

    /// Store, select or promo code, with what each needs.
    pub fn kind(&self) -> CouponKind<'_> {
        match self.kind {
            Kind::Store => {
                let (product_ids, category_ids) = self
                    .scope
                    .as_deref()
                    .map_or((&[][..], &[][..]), |s| (&*s.product_ids, &*s.category_ids));
                CouponKind::Store {
                    store_id: self.part(self.key_at, Some(self.url_at)),
                    product_ids,
                    category_ids,
                }
            }
            Kind::Select => CouponKind::Select,
            Kind::Code => CouponKind::Code {
                code: self.part(self.key_at, Some(self.url_at)),
            },
        }
    }

    /// The store of a store coupon.
    pub fn store_id(&self) -> Option<&str> {
        (self.kind == Kind::Store).then(|| self.part(self.key_at, Some(self.url_at)))
    }

    /// What the shopper types at checkout, for a promo code.
    pub fn code(&self) -> Option<&str> {
        (self.kind == Kind::Code).then(|| self.part(self.key_at, Some(self.url_at)))
    }

    /// What the shopper reads (untrusted text: render it as text).
    pub fn title(&self) -> &str {
        self.part(self.title_at, Some(self.key_at))
    }

    /// The currency of `min_spend` and the discount.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The least the coupon's base must reach (inclusive).
    pub fn min_spend(&self) -> Minor {
        self.min_spend
    }

    /// What it takes off.
    pub fn discount(&self) -> Discount {
        match self.discount_shape {
            DiscountShape::Fixed => Discount::Fixed {
                amount: self.discount_value,
            },
            DiscountShape::Percent => Discount::Percent {
                percent: self.discount_percent,
                max: None,
            },
            DiscountShape::CappedPercent => Discount::Percent {
                percent: self.discount_percent,
                max: Some(self.discount_value),
            },
        }
    }

    /// ISO 3166 alpha-2 codes where it applies; empty means everywhere.
    pub fn countries(&self) -> &[[u8; 2]] {
        &self.countries
    }

    /// First second it applies.
    pub fn starts_at(&self) -> Timestamp {
        self.starts_at
    }

    /// First second it no longer applies.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Only for a shopper's first order.
    pub fn new_users_only(&self) -> bool {
        self.new_users_only
    }

    /// Where to read its terms on AliExpress (an https AliExpress link), if the feed gave one.
    pub fn url(&self) -> Option<&str> {
        self.has_url.then(|| self.part(self.url_at, None))
    }

    /// The bytes it holds on the heap, exactly (every part is an exactly-sized allocation).
    pub(crate) fn heap_bytes(&self) -> usize {
        let scope = self.scope.as_deref().map_or(0, |scope| {
            let ids = scope.product_ids.iter().chain(scope.category_ids.iter());
            std::mem::size_of::<Scope>()
                + ids
                    .map(|id| std::mem::size_of::<Box<str>>() + id.len())
                    .sum::<usize>()
        });
        self.text.len() + std::mem::size_of_val(&*self.countries) + scope
    }
}

impl fmt::Debug for Coupon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = self.fields();
        f.debug_struct("Coupon")
            .field("id", &fields.id)
            .field("kind", &fields.kind)
            .field("title", &fields.title)
            .field("currency", &fields.currency)
            .field("min_spend", &fields.min_spend)
            .field("discount", &fields.discount)
            .field("countries", &fields.countries)
            .field("starts_at", &fields.starts_at)
            .field("expires_at", &fields.expires_at)
            .field("new_users_only", &fields.new_users_only)
            .field("url", &fields.url)
            .finish()
    }
}

/// The three kinds of AliExpress coupon, applied in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponKind<'a> {
    /// A seller's coupon: applies to that store's items, optionally only some products or categories.
    Store {
        /// The store.
        store_id: &'a str,
        /// If not empty, only these products count towards the base.
        product_ids: &'a [Box<str>],
        /// If not empty, only items in one of these categories count towards the base.
        category_ids: &'a [Box<str>],
    },
    /// An AliExpress select coupon: on the order, after store coupons.
    Select,
    /// A promo code: on the order, after store and select coupons.
    Code {
        /// What the shopper types at checkout.
        code: &'a str,
    },
}

/// What a store coupon is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreScope<'a> {
    /// The store.
    pub store_id: &'a str,
    /// If not empty, only these products count towards the base.
    pub product_ids: &'a [Box<str>],
    /// If not empty, only items in one of these categories count towards the base.
    pub category_ids: &'a [Box<str>],
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

    fn fields<'a>(kind: CouponKind<'a>, discount: Discount) -> CouponFields<'a> {
        CouponFields {
            id: "st-1",
            kind,
            title: "US $3 off US $20 — ünïcode",
            currency: crate::money::code("USD"),
            min_spend: 2000,
            discount,
            countries: &[],
            starts_at: -5,
            expires_at: i64::MAX,
            new_users_only: true,
            url: Some("https://www.aliexpress.com/store/912345"),
        }
    }

    #[test]
    fn a_coupon_reads_back_every_field() {
        let products: [Box<str>; 2] = ["1005001".into(), "1005002".into()];
        let categories: [Box<str>; 1] = ["cat".into()];
        let countries = [*b"US", *b"CA"];
        let cases = [
            fields(
                CouponKind::Store {
                    store_id: "912345",
                    product_ids: &products,
                    category_ids: &categories,
                },
                Discount::Fixed { amount: 300 },
            ),
            fields(
                CouponKind::Store {
                    store_id: "912345",
                    product_ids: &[],
                    category_ids: &[],
                },
                Discount::Percent {
                    percent: 0,
                    max: Some(0),
                },
            ),
            CouponFields {
                countries: &countries,
                url: None,
                ..fields(
                    CouponKind::Select,
                    Discount::Percent {
                        percent: 15,
                        max: None,
                    },
                )
            },
            CouponFields {
                url: Some(""),
                id: "",
                title: "",
                ..fields(
                    CouponKind::Code { code: "SAVE2" },
                    Discount::Percent {
                        percent: 100,
                        max: Some(Minor::MAX),
                    },
                )
            },
        ];
        for case in cases {
            let coupon = Coupon::new(case);
            assert_eq!(coupon.fields(), case);
            assert_eq!(coupon.id(), case.id);
            assert_eq!(coupon.title(), case.title);
            assert_eq!(coupon.url(), case.url);
            assert_eq!(coupon.kind(), case.kind);
            let (store_id, code) = match case.kind {
                CouponKind::Store { store_id, .. } => (Some(store_id), None),
                CouponKind::Select => (None, None),
                CouponKind::Code { code } => (None, Some(code)),
            };
            assert_eq!((coupon.store_id(), coupon.code()), (store_id, code));
            assert_eq!(coupon, Coupon::new(coupon.fields()));
        }
    }

    #[test]
    fn a_coupon_is_small() {
        // 100,000 of them must fit in 20 MB with their text and the index: keep it this size.
        assert!(std::mem::size_of::<Coupon>() <= 88);
    }

    #[test]
    fn overlong_text_is_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_COUPON_TEXT);
        let coupon = Coupon::new(CouponFields {
            id: &long,
            title: &long,
            kind: CouponKind::Code { code: &long },
            url: Some(&long),
            ..fields(CouponKind::Select, Discount::Fixed { amount: 1 })
        });
        let cut = "é".repeat(MAX_COUPON_TEXT / 2);
        assert_eq!(coupon.id(), cut);
        assert_eq!(coupon.title(), cut);
        assert_eq!(coupon.code(), Some(cut.as_str()));
        assert_eq!(coupon.url(), Some(long.as_str()), "the url is not cut");
        let odd = format!("a{long}");
        let coupon = Coupon::new(CouponFields {
            id: &odd,
            ..fields(CouponKind::Select, Discount::Fixed { amount: 1 })
        });
        assert_eq!(coupon.id().len(), MAX_COUPON_TEXT - 1);
    }

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
