//! The best stack: at most one store coupon per store, then at most one select coupon on the
//! total less the store savings, then at most one promo code on what remains, maximising the
//! total saving exactly.
//!
//! Why not greedy: a bigger store coupon lowers the base of the select coupon and the code and
//! can push it under their minimum spend, so a smaller store coupon can win overall.
//!
//! Why this is exact: for a fixed select coupon and code, what the shopper still pays after
//! them never decreases as their base grows (each takes at most what it is given, and at most
//! 100 %). The total saving is the order total less that remainder, so for a fixed pair the best
//! plan takes the largest store saving that still leaves both eligible. Every sum of store
//! savings that one-per-store choices can reach is enumerated (there are at most total + 1
//! distinct sums), and for each pair a binary search finds the largest one that keeps the pair
//! eligible.

use std::collections::BTreeMap;

use super::applies::{saving_on, store_base, terms_allow};
use super::{Cart, Coupon, CouponKind, Minor};

/// The combination that saves the most, with its total saving.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StackPlan<'c> {
    /// The total saving.
    pub saving: Minor,
    /// One store coupon per store at most.
    pub store: Vec<&'c Coupon>,
    /// The select coupon, if any.
    pub select: Option<&'c Coupon>,
    /// The promo code, if any.
    pub code: Option<&'c Coupon>,
}

impl<'c> StackPlan<'c> {
    /// The coupons in the order AliExpress applies them.
    pub fn applied(&self) -> impl Iterator<Item = &'c Coupon> + '_ {
        self.store
            .iter()
            .copied()
            .chain(self.select)
            .chain(self.code)
    }
}

/// One store's choices: the distinct savings its coupons offer, each with one coupon that gives it.
struct StoreChoices<'c> {
    options: Vec<(Minor, &'c Coupon)>,
}

/// The best stack among `coupons` for `cart`.
pub fn best_stack<'c>(coupons: impl IntoIterator<Item = &'c Coupon>, cart: &Cart) -> StackPlan<'c> {
    let total = cart.total();
    let mut stores: BTreeMap<&'c str, StoreChoices<'c>> = BTreeMap::new();
    let mut selects = Vec::new();
    let mut codes = Vec::new();
    for coupon in coupons.into_iter().filter(|c| terms_allow(c, cart)) {
        match &coupon.kind {
            CouponKind::Store { store_id, .. } => {
                if let Some(saving) = saving_on(coupon, store_base(coupon, cart)).filter(|s| *s > 0)
                {
                    let choices = stores
                        .entry(store_id.as_str())
                        .or_insert_with(|| StoreChoices {
                            options: Vec::new(),
                        });
                    if !choices.options.iter().any(|(s, _)| *s == saving) {
                        choices.options.push((saving, coupon));
                    }
                }
            }
            CouponKind::Select => selects.push(coupon),
            CouponKind::Code { .. } => codes.push(coupon),
        }
    }

    let reachable = reachable_store_savings(stores.values());
    let sums: Vec<Minor> = reachable
        .last()
        .map(|m| m.keys().copied().collect())
        .unwrap_or_else(|| vec![0]);

    let mut best: Option<(Minor, Minor, Option<&'c Coupon>, Option<&'c Coupon>)> = None;
    for select in std::iter::once(None).chain(selects.iter().copied().map(Some)) {
        for code in std::iter::once(None).chain(codes.iter().copied().map(Some)) {
            let order_savings =
                |store_saving: Minor| order_savings(total - store_saving.min(total), select, code);
            // Eligibility only shrinks as the store saving grows: take the largest sum that keeps it.
            let fits = sums.partition_point(|s| order_savings(*s).is_some());
            let Some(&store_saving) = fits.checked_sub(1).and_then(|i| sums.get(i)) else {
                continue;
            };
            let Some(after) = order_savings(store_saving) else {
                continue;
            };
            let saving = store_saving.saturating_add(after);
            if best.is_none_or(|(b, ..)| saving > b) {
                best = Some((saving, store_saving, select, code));
            }
        }
    }
    let Some((saving, store_saving, select, code)) = best else {
        return StackPlan::default();
    };
    StackPlan {
        saving,
        store: store_choices_for(&reachable, stores.values(), store_saving),
        select,
        code,
    }
}

/// What the select coupon and then the code save on `base`, or `None` if either chosen one
/// would not apply there.
fn order_savings(base: Minor, select: Option<&Coupon>, code: Option<&Coupon>) -> Option<Minor> {
    let select_saving = match select {
        Some(coupon) => saving_on(coupon, base)?,
        None => 0,
    };
    let rest = base - select_saving;
    let code_saving = match code {
        Some(coupon) => saving_on(coupon, rest)?,
        None => 0,
    };
    Some(select_saving + code_saving)
}

/// Back-pointer for one reachable sum after a store: the sum before it and the option taken.
type Step = (Minor, Option<usize>);

/// For each store in turn, every reachable sum of store savings and how it was reached.
fn reachable_store_savings<'a, 'c: 'a>(
    stores: impl Iterator<Item = &'a StoreChoices<'c>>,
) -> Vec<BTreeMap<Minor, Step>> {
    let mut stages: Vec<BTreeMap<Minor, Step>> = Vec::new();
    for store in stores {
        let previous: Vec<Minor> = stages
            .last()
            .map_or_else(|| vec![0], |m| m.keys().copied().collect());
        let mut next = BTreeMap::new();
        for sum in previous {
            next.entry(sum).or_insert((sum, None));
            for (index, (saving, _)) in store.options.iter().enumerate() {
                next.entry(sum.saturating_add(*saving))
                    .or_insert((sum, Some(index)));
            }
        }
        stages.push(next);
    }
    stages
}

/// The store coupons that reach `target`, walking the back-pointers from the last store.
fn store_choices_for<'a, 'c: 'a>(
    stages: &[BTreeMap<Minor, Step>],
    stores: impl DoubleEndedIterator<Item = &'a StoreChoices<'c>> + ExactSizeIterator,
    target: Minor,
) -> Vec<&'c Coupon> {
    let mut chosen = Vec::new();
    let mut sum = target;
    for (stage, store) in stages.iter().rev().zip(stores.rev()) {
        let Some(&(before, option)) = stage.get(&sum) else {
            break;
        };
        if let Some((_, coupon)) = option.and_then(|i| store.options.get(i)) {
            chosen.push(*coupon);
        }
        sum = before;
    }
    chosen.reverse();
    chosen
}

#[cfg(test)]
mod tests;
