//! The best stack: at most one store coupon per store, then at most one select coupon on the
//! total less the store savings, then at most one promo code on what remains, maximising the
//! total saving exactly.
//!
//! Why not greedy: a bigger store coupon lowers the base of the select coupon and the code and
//! can push it under their minimum spend, so a smaller store coupon can win overall.
//!
//! Why this is exact: once the store coupons and the select coupon are chosen, what is left
//! for the code is `rest = total - store savings - select saving`. For a given code (or none),
//! what the shopper still pays, `rest - code saving(rest)`, never decreases as `rest` grows
//! (a coupon takes at most what it is given, and at most 100 %). So for each code the best plan
//! is the smallest reachable `rest` that still meets the code's minimum spend. Every `rest`
//! reachable with one-per-store choices and one select coupon is enumerated once (there are at
//! most `total + 1` distinct values), sorted, and each code finds its best by binary search.

use super::applies::{saving_on, store_base, terms_allow};
use super::{sort_keyed, Cart, Coupon, CouponKind, Minor};

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
    // By store id, as a sorted list: the stores are taken in that order (which orders the plan's
    // store coupons), and a cart has few.
    let mut stores: Vec<(&'c str, StoreChoices<'c>)> = Vec::new();
    let mut selects = Vec::new();
    let mut codes = Vec::new();
    for coupon in coupons.into_iter().filter(|c| terms_allow(c, cart)) {
        match coupon.kind() {
            CouponKind::Store { store_id, .. } => {
                if let Some(saving) = saving_on(coupon, store_base(coupon, cart)).filter(|s| *s > 0)
                {
                    let at = match stores.binary_search_by(|(id, _)| (*id).cmp(store_id)) {
                        Ok(at) => at,
                        Err(at) => {
                            let options = Vec::new();
                            stores.insert(at, (store_id, StoreChoices { options }));
                            at
                        }
                    };
                    if let Some((_, choices)) = stores.get_mut(at) {
                        if !choices.options.iter().any(|(s, _)| *s == saving) {
                            choices.options.push((saving, coupon));
                        }
                    }
                }
            }
            CouponKind::Select => selects.push(coupon),
            CouponKind::Code { .. } => codes.push(coupon),
        }
    }

    let reachable = reachable_store_savings(stores.iter().map(|(_, choices)| choices));

    // Every amount left for the code, with the cheapest way to reach it.
    let sums = reachable.last().map_or(1, Vec::len);
    let mut routes: Vec<Route<'c>> = Vec::with_capacity(sums * (selects.len() + 1));
    let mut add_routes = |store_saving: Minor| {
        let base = total - store_saving.min(total);
        routes.push(Route {
            rest: base,
            store_saving,
            select: None,
        });
        for &select in &selects {
            if let Some(saving) = saving_on(select, base) {
                routes.push(Route {
                    rest: base - saving,
                    store_saving,
                    select: Some(select),
                });
            }
        }
    };
    // Without store coupons the only sum is zero.
    match reachable.last() {
        Some(sums) => sums.iter().map(|(sum, _)| *sum).for_each(&mut add_routes),
        None => add_routes(0),
    }
    // By rest, and among routes to the same rest the first (fewest store savings, no select)
    // wins: sorted by rest then by position, which is what a stable sort by rest gives.
    let routes = first_of_each(routes.len(), |i| routes.get(i).map(|r| r.rest))
        .into_iter()
        .filter_map(|i| routes.get(i))
        .collect::<Vec<_>>();

    let mut best: Option<(Minor, &&Route<'c>, Option<&'c Coupon>)> = None;
    for code in std::iter::once(None).chain(codes.iter().copied().map(Some)) {
        // A code needs what is left to be more than zero and to reach its minimum spend.
        let least_rest = code.map_or(0, |c| c.min_spend().max(1));
        let Some(route) = routes.get(routes.partition_point(|r| r.rest < least_rest)) else {
            continue;
        };
        let code_saving = code.map_or(Some(0), |c| saving_on(c, route.rest));
        let Some(code_saving) = code_saving else {
            continue;
        };
        let saving = total - route.rest + code_saving;
        if best.is_none_or(|(b, ..)| saving > b) {
            best = Some((saving, route, code));
        }
    }
    let Some((saving, route, code)) = best else {
        return StackPlan::default();
    };
    StackPlan {
        saving,
        store: store_choices_for(
            &reachable,
            stores.iter().map(|(_, choices)| choices),
            route.store_saving,
        ),
        select: route.select,
        code,
    }
}

/// One way to reach an amount left for the code: the store savings taken and the select coupon.
struct Route<'c> {
    rest: Minor,
    store_saving: Minor,
    select: Option<&'c Coupon>,
}

/// The positions (below `len`) of the first of each distinct key, in key order: what a
/// stable sort by key followed by keeping the first of each key leaves. Through the coupon
/// rules' one sort (see [`sort_keyed`]); `key` gives `None` past the end.
fn first_of_each(len: usize, key: impl Fn(usize) -> Option<Minor>) -> Vec<usize> {
    let mut keyed: Vec<(u64, u32)> = (0..len)
        .map_while(|i| Some((key(i)?, u32::try_from(i).ok()?)))
        .collect();
    sort_keyed(&mut keyed);
    keyed.dedup_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, i)| i as usize).collect()
}

/// Back-pointer for one reachable sum after a store: the sum before it and the option taken.
type Step = (Minor, Option<usize>);

/// For each store in turn, every reachable sum of store savings (ascending) and how it was
/// first reached.
fn reachable_store_savings<'a, 'c: 'a>(
    stores: impl Iterator<Item = &'a StoreChoices<'c>>,
) -> Vec<Vec<(Minor, Step)>> {
    let mut stages: Vec<Vec<(Minor, Step)>> = Vec::new();
    for store in stores {
        // Every way to reach a sum, in the order the sums before are extended; the first way
        // to each sum is kept.
        let mut ways: Vec<(Minor, Step)> = Vec::new();
        let mut extend = |sum: Minor| {
            ways.push((sum, (sum, None)));
            for (index, (saving, _)) in store.options.iter().enumerate() {
                ways.push((sum.saturating_add(*saving), (sum, Some(index))));
            }
        };
        // The first store starts from the empty choice, zero.
        match stages.last() {
            Some(previous) => previous.iter().map(|(sum, _)| *sum).for_each(&mut extend),
            None => extend(0),
        }
        let next = first_of_each(ways.len(), |i| ways.get(i).map(|(sum, _)| *sum))
            .into_iter()
            .filter_map(|i| ways.get(i).copied())
            .collect();
        stages.push(next);
    }
    stages
}

/// The store coupons that reach `target`, walking the back-pointers from the last store.
fn store_choices_for<'a, 'c: 'a>(
    stages: &[Vec<(Minor, Step)>],
    stores: impl DoubleEndedIterator<Item = &'a StoreChoices<'c>> + ExactSizeIterator,
    target: Minor,
) -> Vec<&'c Coupon> {
    let mut chosen = Vec::new();
    let mut sum = target;
    for (stage, store) in stages.iter().rev().zip(stores.rev()) {
        let Some(&(_, (before, option))) = stage
            .binary_search_by_key(&sum, |(reached, _)| *reached)
            .ok()
            .and_then(|at| stage.get(at))
        else {
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
