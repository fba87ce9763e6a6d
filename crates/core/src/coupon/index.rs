//! The coupon index: built once per feed, so a cart only looks at the coupons of its own stores
//! and currency instead of scanning the whole feed.

use std::collections::HashMap;

use super::{applicable, best_stack, Applicable, Cart, Coupon, CouponKind, Currency, StackPlan};

/// A feed's coupons, indexed by store (store coupons) and by currency (select and code coupons).
#[derive(Debug, Default)]
pub struct CouponIndex {
    coupons: Vec<Coupon>,
    by_store: HashMap<String, Vec<u32>>,
    order_level: HashMap<Currency, Vec<u32>>,
}

impl CouponIndex {
    /// Indexes `coupons`; their order is kept in every answer.
    pub fn new(coupons: Vec<Coupon>) -> Self {
        let mut by_store: HashMap<String, Vec<u32>> = HashMap::new();
        let mut order_level: HashMap<Currency, Vec<u32>> = HashMap::new();
        for (position, coupon) in coupons.iter().enumerate() {
            // More than four billion coupons is far beyond any feed a size limit lets through.
            let Ok(position) = u32::try_from(position) else {
                break;
            };
            match &coupon.kind {
                CouponKind::Store { store_id, .. } => {
                    by_store.entry(store_id.clone()).or_default().push(position)
                }
                CouponKind::Select | CouponKind::Code { .. } => {
                    order_level
                        .entry(coupon.currency)
                        .or_default()
                        .push(position);
                }
            }
        }
        Self {
            coupons,
            by_store,
            order_level,
        }
    }

    /// How many coupons it holds.
    pub fn len(&self) -> usize {
        self.coupons.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.coupons.is_empty()
    }

    /// The coupons that could apply to `cart`: its stores' coupons and its currency's order-level
    /// coupons, in feed order.
    fn candidates<'a>(&'a self, cart: &Cart) -> impl Iterator<Item = &'a Coupon> + 'a {
        let mut positions: Vec<u32> = Vec::new();
        let mut stores: Vec<&str> = cart
            .items
            .iter()
            .filter_map(|i| i.store_id.as_deref())
            .collect();
        stores.sort_unstable();
        stores.dedup();
        for store in stores {
            positions.extend(self.by_store.get(store).into_iter().flatten());
        }
        positions.extend(self.order_level.get(&cart.currency).into_iter().flatten());
        positions.sort_unstable();
        positions
            .into_iter()
            .filter_map(|p| self.coupons.get(p as usize))
    }

    /// Every coupon that applies to `cart` on its own, with its saving.
    pub fn applicable(&self, cart: &Cart) -> Vec<Applicable<'_>> {
        applicable(self.candidates(cart), cart)
    }

    /// The combination that saves the most on `cart`.
    pub fn best_stack(&self, cart: &Cart) -> StackPlan<'_> {
        best_stack(self.candidates(cart), cart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{CartItem, Discount};

    fn feed(count: usize) -> Vec<Coupon> {
        (0..count)
            .map(|i| Coupon {
                id: format!("c{i}"),
                kind: match i % 10 {
                    0 => CouponKind::Select,
                    1 => CouponKind::Code {
                        code: format!("CODE{i}"),
                    },
                    _ => CouponKind::Store {
                        store_id: format!("st{}", i % 37),
                        product_ids: vec![],
                        category_ids: vec![],
                    },
                },
                title: format!("coupon {i}"),
                currency: if i % 7 == 0 { *b"EUR" } else { *b"USD" },
                min_spend: (i as u64 * 131) % 5000,
                discount: if i % 3 == 0 {
                    Discount::Percent {
                        percent: (i % 40 + 1) as u8,
                        max: Some(900),
                    }
                } else {
                    Discount::Fixed {
                        amount: (i as u64 * 37) % 1500 + 1,
                    }
                },
                countries: vec![],
                starts_at: 0,
                expires_at: i64::MAX,
                new_users_only: false,
                url: None,
            })
            .collect()
    }

    #[test]
    fn the_index_answers_as_a_full_scan_does() {
        let coupons = feed(2000);
        let index = CouponIndex::new(coupons.clone());
        assert_eq!(index.len(), 2000);
        for (n, stores) in [
            (1, vec![3]),
            (2, vec![3, 5]),
            (3, vec![0, 36, 12]),
            (4, vec![99]),
        ] {
            let cart = Cart {
                currency: *b"USD",
                country: None,
                new_user: false,
                now: 1,
                items: stores
                    .iter()
                    .map(|s| CartItem {
                        product_id: None,
                        store_id: Some(format!("st{s}")),
                        category_ids: vec![],
                        price: 2500 * n,
                        quantity: 1,
                    })
                    .collect(),
            };
            let scan = applicable(&coupons, &cart);
            let indexed = index.applicable(&cart);
            assert_eq!(indexed, scan);
            assert_eq!(index.best_stack(&cart), best_stack(&coupons, &cart));
        }
    }
}
