//! The coupons a page is about when no saving can be computed (its currency or prices are
//! unknown): the store coupons of its stores and the coupons scoped to its products, whose
//! dates, country and first-order terms allow them. A product id alone still finds the coupons
//! scoped to that product.

use super::applies::terms_allow_at;
use super::{Coupon, Currency, Timestamp};
use crate::link::same_product;

/// What a page is about, without prices: the ids a store coupon's scope can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    /// The stores the page shows (a store page, a product's seller, the cart's stores).
    pub store_ids: &'a [String],
    /// Its products.
    pub product_ids: &'a [String],
    /// Its categories; empty when unknown, which then limits nothing.
    pub category_ids: &'a [String],
    /// The currency, when known: only coupons in it are listed.
    pub currency: Option<Currency>,
    /// The ship-to country, when known; unknown lists coupons for every country.
    pub country: Option<[u8; 2]>,
    /// Whether the shopper has never ordered.
    pub new_user: bool,
    /// The moment of matching.
    pub now: Timestamp,
}

impl Subject<'_> {
    /// Whether the page names nothing a coupon could be about.
    pub fn is_empty(&self) -> bool {
        self.store_ids.is_empty() && self.product_ids.is_empty()
    }
}

fn overlaps(scope: &[Box<str>], ids: &[String]) -> bool {
    scope.iter().any(|s| ids.iter().any(|id| **s == **id))
}

/// Whether a scope names one of the products, under its id on either site ([`same_product`]).
fn names_a_product(scope: &[Box<str>], ids: &[String]) -> bool {
    scope
        .iter()
        .any(|s| ids.iter().any(|id| same_product(s, id)))
}

/// Whether a coupon is about this subject: a store coupon of one of its stores whose product
/// and category scope meets the page's (a category scope limits nothing when the page's
/// categories are unknown), or a store coupon scoped to one of its products (the seller may be
/// unknown); and whose terms allow it now. Select coupons and codes are about whole orders,
/// which only a priced cart can tell.
pub(crate) fn concerns(coupon: &Coupon, subject: &Subject<'_>) -> bool {
    let Some(scope) = coupon.store_scope() else {
        return false;
    };
    let terms = terms_allow_at(
        coupon,
        subject.currency,
        subject.country,
        subject.now,
        subject.new_user,
    );
    if !terms {
        return false;
    }
    let for_product =
        !scope.product_ids.is_empty() && names_a_product(scope.product_ids, subject.product_ids);
    let of_store = subject.store_ids.iter().any(|s| s == scope.store_id)
        && (scope.product_ids.is_empty() || for_product)
        && (scope.category_ids.is_empty()
            || subject.category_ids.is_empty()
            || overlaps(scope.category_ids, subject.category_ids));
    of_store || for_product
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{CouponFields, CouponKind, Discount};

    fn store_coupon(store: &str, products: &[&str], categories: &[&str]) -> Coupon {
        let products: Vec<Box<str>> = products.iter().map(|p| (*p).into()).collect();
        let categories: Vec<Box<str>> = categories.iter().map(|c| (*c).into()).collect();
        Coupon::new(CouponFields {
            id: "c",
            kind: CouponKind::Store {
                store_id: store,
                product_ids: &products,
                category_ids: &categories,
            },
            title: "t",
            currency: crate::money::code("USD"),
            min_spend: 0,
            discount: Discount::Fixed { amount: 100 },
            countries: &[*b"US"],
            starts_at: 10,
            expires_at: 20,
            new_users_only: false,
            url: None,
        })
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn table() {
        let stores = ids(&["912345"]);
        let products = ids(&["1005001234567890"]);
        let categories = ids(&["44"]);
        let subject = Subject {
            store_ids: &stores,
            product_ids: &products,
            category_ids: &categories,
            currency: None,
            country: None,
            new_user: false,
            now: 15,
        };
        let no_store = Subject {
            store_ids: &[],
            ..subject
        };
        for (coupon, about, product_alone, why) in [
            (
                store_coupon("912345", &[], &[]),
                true,
                false,
                "the store's coupon",
            ),
            (store_coupon("777", &[], &[]), false, false, "another store"),
            (
                store_coupon("912345", &["1005001234567890"], &[]),
                true,
                true,
                "scoped to the product",
            ),
            (
                store_coupon("912345", &["1005009999999999"], &[]),
                false,
                false,
                "scoped to another product",
            ),
            (
                store_coupon("777", &["1005001234567890"], &[]),
                true,
                true,
                "the product, seller unknown to us",
            ),
            (
                store_coupon("777", &["3256801048253138"], &[]),
                true,
                true,
                "the product under its aliexpress.us id",
            ),
            (
                store_coupon("777", &["3256801048253139"], &[]),
                false,
                false,
                "the aliexpress.us id of another product",
            ),
            (
                store_coupon("912345", &[], &["44"]),
                true,
                false,
                "the category",
            ),
            (
                store_coupon("912345", &[], &["99"]),
                false,
                false,
                "another category",
            ),
        ] {
            assert_eq!(concerns(&coupon, &subject), about, "{why}");
            assert_eq!(
                concerns(&coupon, &no_store),
                product_alone,
                "{why}, no store id"
            );
        }
        let coupon = store_coupon("912345", &[], &[]);
        assert!(
            !concerns(&coupon, &Subject { now: 20, ..subject }),
            "expired"
        );
        assert!(
            !concerns(&coupon, &Subject { now: 9, ..subject }),
            "not started"
        );
        assert!(
            !concerns(
                &coupon,
                &Subject {
                    country: Some(*b"FR"),
                    ..subject
                }
            ),
            "country"
        );
        assert!(concerns(
            &coupon,
            &Subject {
                country: Some(*b"US"),
                ..subject
            }
        ));
        assert!(
            !concerns(
                &coupon,
                &Subject {
                    currency: Some(crate::money::code("EUR")),
                    ..subject
                }
            ),
            "currency"
        );
        let unknown_categories = Subject {
            category_ids: &[],
            ..subject
        };
        assert!(concerns(
            &store_coupon("912345", &[], &["99"]),
            &unknown_categories
        ));
        assert!(!subject.is_empty());
        assert!(Subject {
            store_ids: &[],
            product_ids: &[],
            ..subject
        }
        .is_empty());
    }
}
