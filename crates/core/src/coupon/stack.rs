//! The best stack: at most one store coupon per store, then at most one select coupon on the
//! total less the store savings, then at most one promo code on what remains, maximising the
//! total saving; exact whenever a bounded amount of work proves it, and said to be only the best
//! found when it does not.
//!
//! Why not greedy: a bigger store coupon lowers the base of the select coupon and the code and
//! can push it under their minimum spend, so a smaller store coupon can win overall.
//!
//! Why one question per select coupon and code: once the store savings `S` are chosen, the base
//! of the select coupon is `total - S`, and what the shopper still pays after the select coupon
//! and the code never decreases as that base grows (a coupon takes at most what it is given, and
//! at most 100 %, so each step gives back at most what it is given more). So for a fixed select
//! coupon and code (either may be none) the best plan takes the largest reachable `S` whose base
//! still meets both minimum spends: one threshold `T`, and one question, "the largest sum of one
//! saving per store at or under `T`" (see [`sums`]). The pairs are asked in order of what they
//! could save at most, and the search ends when no pair left can beat the best found.
//!
//! Why bounded: that question is a subset-sum problem, and in a currency of large units the
//! number of distinct sums grows without bound (the old enumeration of all of them took 1.8 s
//! and 450 MB for sixteen stores in VND). The whole search has [`STACK_WORK`] units of work and
//! about a megabyte of memory; when the work runs out before the best is proven, the plan says
//! [`StackPlan::cut_short`], and the popup says it shows the best combination found.

mod sums;

use super::applies::{saving_on, store_base, terms_allow};
use super::{sort_keyed, Cart, Coupon, CouponKind, Discount, Minor};
use sums::{Pick, StoreSums, NOT_TAKEN};

/// Units of work one best-stack search may do: a node of the store search, a look-up in its
/// table, a way listed building it, or one select coupon and code weighed. About 2 ms natively
/// at most, 5 ms in the service worker (`cargo bench --bench coupons`, `best_stack_bounded`).
pub const STACK_WORK: u32 = 100_000;

/// Most pairs of a select coupon and a code weighed: far more than a market's coupons make.
const MAX_PAIRS: usize = 4_096;
/// Work of weighing what a pair could save (a binary search for its threshold).
const PAIR_WORK: u32 = 4;

/// The most memory a best-stack search's working lists may hold, beside the coupons and cart
/// it is given: the store table's bounds keep it about a quarter of this.
pub const STACK_MEMORY: usize = 1 << 20;

/// The combination that saves the most, with its total saving.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StackPlan<'c> {
    /// The total saving.
    pub saving: Minor,
    /// One store coupon per store at most, by store id.
    pub store: Vec<&'c Coupon>,
    /// The select coupon, if any.
    pub select: Option<&'c Coupon>,
    /// The promo code, if any.
    pub code: Option<&'c Coupon>,
    /// Whether the work bound stopped the search before it proved this plan the best: then it
    /// is the best found, and a better one may exist.
    pub cut_short: bool,
    /// What the search took.
    pub effort: StackEffort,
}

/// The work and memory one search took, against [`STACK_WORK`] and [`STACK_MEMORY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StackEffort {
    /// Units of work done.
    pub work: u32,
    /// The most bytes its working lists held at once (their capacities).
    pub bytes: usize,
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

/// A select coupon or a code (or none), with the most it can save (on the whole total).
#[derive(Clone, Copy)]
struct Offer<'c> {
    coupon: Option<&'c Coupon>,
    most: Minor,
}

/// The best stack among `coupons` for `cart`.
pub fn best_stack<'c>(coupons: impl IntoIterator<Item = &'c Coupon>, cart: &Cart) -> StackPlan<'c> {
    let total = cart.total();
    let mut stores: Vec<(&'c str, Vec<(Minor, &'c Coupon)>)> = Vec::new();
    let mut selects = Vec::new();
    let mut codes = Vec::new();
    for coupon in coupons.into_iter().filter(|c| terms_allow(c, cart)) {
        match coupon.kind() {
            CouponKind::Store { store_id, .. } => {
                let Some(saving) = saving_on(coupon, store_base(coupon, cart)).filter(|s| *s > 0)
                else {
                    continue;
                };
                // By store id, as a sorted list: the plan's store coupons come in that order,
                // and a cart has few stores.
                let at = match stores.binary_search_by(|(id, _)| (*id).cmp(store_id)) {
                    Ok(at) => at,
                    Err(at) => {
                        stores.insert(at, (store_id, Vec::new()));
                        at
                    }
                };
                if let Some((_, options)) = stores.get_mut(at) {
                    options.push((saving, coupon));
                }
            }
            CouponKind::Select => selects.push(coupon),
            CouponKind::Code { .. } => codes.push(coupon),
        }
    }
    for (_, options) in &mut stores {
        *options = distinct_savings(options);
    }
    let selects = offers(selects, total, |c| saving_on(c, total));
    // A code's base is what the select coupon leaves, at most the total.
    let codes = offers(codes, total, |c| saving_on(c, total));

    let savings: Vec<Vec<Minor>> = stores
        .iter()
        .map(|(_, options)| options.iter().map(|(saving, _)| *saving).collect())
        .collect();
    let sums = StoreSums::new(savings.iter().map(Vec::as_slice));
    let mut search = Search {
        total,
        sums: &sums,
        work: sums.built_with(),
        answers: Vec::new(),
        best: Best::default(),
        unproven: 0,
        pairs_bytes: 0,
    };
    let listed = savings.capacity() * 24
        + savings.iter().map(|s| s.capacity() * 8).sum::<usize>()
        + stores.capacity() * 40
        + stores.iter().map(|(_, o)| o.capacity() * 16).sum::<usize>()
        + (selects.capacity() + codes.capacity()) * 16;
    search.weigh_pairs(&selects, &codes);
    let Search {
        best,
        unproven,
        work,
        answers,
        pairs_bytes,
        ..
    } = search;
    let effort = StackEffort {
        work,
        bytes: listed
            + pairs_bytes
            + sums.bytes()
            + sums.query_bytes() * 2
            + answers.capacity() * std::mem::size_of::<(Minor, Pick)>()
            + answers.iter().map(|(_, pick)| pick.bytes()).sum::<usize>()
            + best.pick.as_ref().map_or(0, Pick::bytes),
    };
    let cut_short = unproven > best.saving;
    let Some(pick) = best.pick else {
        return StackPlan {
            cut_short,
            effort,
            ..StackPlan::default()
        };
    };
    let store = sums
        .choices(&pick)
        .into_iter()
        .zip(&stores)
        .filter(|(choice, _)| *choice != NOT_TAKEN)
        .filter_map(|(choice, (_, options))| options.get(choice as usize).map(|(_, c)| *c))
        .collect();
    StackPlan {
        saving: best.saving,
        store,
        select: best.select,
        code: best.code,
        cut_short,
        effort,
    }
}

/// A store's coupons reduced to its distinct savings, largest first, each with the first coupon
/// (in feed order) that gives it.
fn distinct_savings<'c>(options: &[(Minor, &'c Coupon)]) -> Vec<(Minor, &'c Coupon)> {
    let mut keyed: Vec<(u64, u32)> = options
        .iter()
        .enumerate()
        .filter_map(|(i, (saving, _))| Some((Minor::MAX - saving, u32::try_from(i).ok()?)))
        .collect();
    sort_keyed(&mut keyed);
    keyed.dedup_by_key(|(key, _)| *key);
    keyed
        .into_iter()
        .filter_map(|(_, i)| options.get(i as usize).copied())
        .collect()
}

/// The select coupons or codes worth weighing, none among them, by the most each can save
/// (larger first, feed order breaking ties, none first among equals); of several with the same
/// terms only the first, and none that can never apply to this total.
fn offers<'c>(
    coupons: Vec<&'c Coupon>,
    total: Minor,
    most: impl Fn(&Coupon) -> Option<Minor>,
) -> Vec<Offer<'c>> {
    let mut keyed: Vec<(u64, u32)> = vec![(Minor::MAX, 0)];
    let mut terms: Vec<(u64, u32)> = Vec::with_capacity(coupons.len());
    for (i, coupon) in coupons.iter().enumerate() {
        let Some(position) = u32::try_from(i + 1).ok() else {
            break;
        };
        if let Some(saving) = most(coupon).filter(|_| total > 0) {
            keyed.push((Minor::MAX - saving, position));
            terms.push((terms_key(coupon), position));
        }
    }
    // Same terms, same effect on every plan: only the first is weighed.
    sort_keyed(&mut terms);
    let mut repeated = vec![false; coupons.len() + 1];
    for group in terms.chunk_by(|a, b| a.0 == b.0) {
        for (n, &(_, later)) in group.iter().enumerate().skip(1) {
            let same = |&(_, earlier): &(u64, u32)| {
                let (Some(a), Some(b)) = (
                    coupons.get(earlier as usize - 1),
                    coupons.get(later as usize - 1),
                ) else {
                    return false;
                };
                a.min_spend() == b.min_spend() && a.discount() == b.discount()
            };
            if group.iter().take(n).any(same) {
                if let Some(flag) = repeated.get_mut(later as usize) {
                    *flag = true;
                }
            }
        }
    }
    sort_keyed(&mut keyed);
    keyed
        .into_iter()
        .filter(|(_, position)| !repeated.get(*position as usize).copied().unwrap_or(false))
        .map(|(key, position)| Offer {
            coupon: position
                .checked_sub(1)
                .and_then(|i| coupons.get(i as usize).copied()),
            most: Minor::MAX - key,
        })
        .collect()
}

/// A hash of a coupon's minimum spend and discount: equal terms give equal keys.
fn terms_key(coupon: &Coupon) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let (shape, value) = match coupon.discount() {
        Discount::Fixed { amount } => (1u64, amount),
        Discount::Percent { percent, max } => (
            2 + u64::from(percent) * 4 + u64::from(max.is_some()),
            max.unwrap_or(0),
        ),
    };
    let mut hasher = DefaultHasher::new();
    for part in [coupon.min_spend(), shape, value] {
        hasher.write_u64(part);
    }
    hasher.finish()
}

/// The best plan found so far.
#[derive(Default)]
struct Best<'c> {
    saving: Minor,
    select: Option<&'c Coupon>,
    code: Option<&'c Coupon>,
    pick: Option<Pick>,
}

/// One search: the store sums, the work done, and what it found.
struct Search<'s, 'c> {
    total: Minor,
    sums: &'s StoreSums,
    work: u32,
    /// Thresholds already asked, with what the store search answered (a few pairs share one).
    answers: Vec<(Minor, Pick)>,
    best: Best<'c>,
    /// The most some pair could have saved that the search did not settle: above the best
    /// found, the plan was cut short.
    unproven: Minor,
    /// The bytes the list of pairs held.
    pairs_bytes: usize,
}

/// What the select coupon (or none), then the code (or none) save on `base`, if both apply.
fn after(select: Option<&Coupon>, code: Option<&Coupon>, base: Minor) -> Option<(Minor, Minor)> {
    let from_select = match select {
        Some(select) => saving_on(select, base)?,
        None => 0,
    };
    let rest = base - from_select;
    let from_code = match code {
        Some(code) => saving_on(code, rest)?,
        None => 0,
    };
    Some((from_select, from_code))
}

/// The smallest base (at most `total`) on which the select coupon and then the code both apply.
/// Whether they do only switches on as the base grows, so a binary search finds it.
fn least_base(select: Option<&Coupon>, code: Option<&Coupon>, total: Minor) -> Option<Minor> {
    after(select, code, total)?;
    let (mut low, mut high) = (0, total);
    while low < high {
        let middle = low + (high - low) / 2;
        if after(select, code, middle).is_some() {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    Some(low)
}

impl<'c> Search<'_, 'c> {
    /// What the plan with store savings `stores` and this select coupon and code saves.
    fn saving(
        &self,
        select: Option<&Coupon>,
        code: Option<&Coupon>,
        stores: Minor,
    ) -> Option<Minor> {
        let base = self.total - stores.min(self.total);
        let (from_select, from_code) = after(select, code, base)?;
        Some((self.total - base) + from_select + from_code)
    }

    /// Weighs the pairs of a select coupon and a code (none included): first what each could
    /// save at most (its threshold with every store's largest saving), then, the most promising
    /// first, what it does save, until no pair left can beat the best found or the work runs out.
    fn weigh_pairs(&mut self, selects: &[Offer<'c>], codes: &[Offer<'c>]) {
        let most_stores = self.sums.most();
        // Each pair that can apply: the most it could save, and its threshold.
        let mut pairs: Vec<(Minor, Minor, u32, u32)> = Vec::new();
        'selects: for (s, select) in selects.iter().enumerate() {
            for (c, code) in codes.iter().enumerate() {
                if pairs.len() == MAX_PAIRS || self.work + PAIR_WORK > STACK_WORK {
                    // Pairs left unweighed: what the first of them could save bounds them all
                    // (both lists run from the most a coupon can save to the least).
                    self.unproven = self.unproven.max(most_stores + select.most + code.most);
                    break 'selects;
                }
                self.work += PAIR_WORK;
                let Some(base) = least_base(select.coupon, code.coupon, self.total) else {
                    continue;
                };
                let limit = self.total - base;
                if let Some(could) = self.saving(select.coupon, code.coupon, most_stores.min(limit))
                {
                    let (s, c) = (u32::try_from(s).unwrap_or(0), u32::try_from(c).unwrap_or(0));
                    pairs.push((could, limit, s, c));
                }
            }
        }
        self.pairs_bytes = pairs.capacity() * std::mem::size_of::<(Minor, Minor, u32, u32)>();
        // Largest first, and of equal ones the first listed (the coupon rules' one sort).
        let mut order: Vec<(u64, u32)> = pairs
            .iter()
            .enumerate()
            .filter_map(|(i, (could, ..))| Some((Minor::MAX - could, u32::try_from(i).ok()?)))
            .collect();
        sort_keyed(&mut order);
        self.pairs_bytes += order.capacity() * 16;
        for (_, i) in order {
            let Some(&(could, limit, s, c)) = pairs.get(i as usize) else {
                continue;
            };
            if could <= self.best.saving && self.best.pick.is_some() {
                break;
            }
            if self.work >= STACK_WORK {
                self.unproven = self.unproven.max(could);
                break;
            }
            let select = selects.get(s as usize).and_then(|o| o.coupon);
            let code = codes.get(c as usize).and_then(|o| o.coupon);
            self.weigh(select, code, limit, could);
        }
    }

    /// Weighs one pair, whose threshold is `limit` and which could save `could` at most: the
    /// largest store saving its threshold allows, and what that saves.
    fn weigh(
        &mut self,
        select: Option<&'c Coupon>,
        code: Option<&'c Coupon>,
        limit: Minor,
        could: Minor,
    ) {
        let pick = self.ask(limit);
        if !pick.exact {
            self.unproven = self.unproven.max(could);
        }
        let Some(saving) = self.saving(select, code, pick.sum) else {
            return;
        };
        if saving > self.best.saving || self.best.pick.is_none() {
            // A coupon that adds nothing to the plan is left out of it.
            let (from_select, from_code) =
                after(select, code, self.total - pick.sum).unwrap_or((0, 0));
            self.best = Best {
                saving,
                select: select.filter(|_| from_select > 0),
                code: code.filter(|_| from_code > 0),
                pick: Some(pick),
            };
        }
    }

    /// The largest store saving at or under `limit`, from an earlier answer when one settles it.
    fn ask(&mut self, limit: Minor) -> Pick {
        // An exact answer for a larger limit that is itself under this one answers this too.
        let known = self
            .answers
            .iter()
            .find(|(asked, pick)| pick.exact && pick.sum <= limit && limit <= *asked);
        if let Some((_, pick)) = known {
            return pick.clone();
        }
        // The best sum an earlier answer reached under this limit: a start to beat.
        let start = self
            .answers
            .iter()
            .map(|(_, pick)| pick)
            .filter(|pick| pick.sum <= limit)
            .max_by_key(|pick| pick.sum);
        // Half of the work left: a threshold that cannot be settled leaves some for the others.
        let allowance = STACK_WORK.saturating_sub(self.work) / 2;
        let (pick, spent) = self.sums.at_most(limit, allowance.max(1), start);
        self.work = self.work.saturating_add(spent);
        const REMEMBERED: usize = 8;
        if self.answers.len() == REMEMBERED {
            self.answers.remove(0);
        }
        self.answers.push((limit, pick.clone()));
        pick
    }
}

#[cfg(test)]
mod tests;
