//! The search's bounds: large-unit currencies and many stores, where listing every sum of store
//! savings took seconds and hundreds of megabytes. Exact where a reference can check it; inside
//! its work and memory bounds always (counted work, not wall time: the timings are the bench's).

use super::*;

/// Checks that `plan` is real: replaying it in AliExpress's order gives the saving it claims.
fn replays(plan: &StackPlan<'_>, cart: &Cart) -> Result<(), TestCaseError> {
    let mut stores_seen = std::collections::HashSet::new();
    let mut replay = 0;
    for c in &plan.store {
        let CouponKind::Store { store_id, .. } = c.kind() else {
            return Err(TestCaseError::fail("a store slot holds another kind"));
        };
        prop_assert!(
            stores_seen.insert(store_id.to_owned()),
            "two coupons for one store"
        );
        let saving = super::super::saving_on(c, super::super::store_base(c, cart));
        prop_assert!(saving.is_some(), "store coupon {} does not apply", c.id());
        replay += saving.unwrap_or(0);
    }
    let base = cart.total() - replay;
    let select = match plan.select {
        Some(c) => super::super::saving_on(c, base)
            .ok_or_else(|| TestCaseError::fail("the select coupon does not apply"))?,
        None => 0,
    };
    let code = match plan.code {
        Some(c) => super::super::saving_on(c, base - select)
            .ok_or_else(|| TestCaseError::fail("the code does not apply"))?,
        None => 0,
    };
    prop_assert_eq!(replay + select + code, plan.saving);
    Ok(())
}

/// The largest sum of one saving (or none) per store at or under `limit`, by meeting in the
/// middle: every sum of each half of the stores, then the best pair of them. Exact, and quick
/// for up to about twenty stores of two coupons.
fn largest_at_most(stores: &[Vec<Minor>], limit: Minor) -> Minor {
    fn all_sums(stores: &[Vec<Minor>]) -> Vec<Minor> {
        let mut sums = vec![0];
        for savings in stores {
            sums = sums
                .iter()
                .flat_map(|s| std::iter::once(*s).chain(savings.iter().map(move |v| s + v)))
                .collect();
            sums.sort_unstable();
            sums.dedup();
        }
        sums
    }
    let (left, right) = stores.split_at(stores.len() / 2);
    let (left, right) = (all_sums(left), all_sums(right));
    let mut best = 0;
    for a in left.iter().take_while(|a| **a <= limit) {
        let room = limit - a;
        let at = right.partition_point(|b| *b <= room);
        best = best.max(a + right[at - 1]);
    }
    best
}

/// The best saving by weighing every select coupon and code (and none) against the exact
/// largest store saving each one's threshold allows: the rule the search follows (see the
/// module's documentation), worked out with no bound and no pruning.
fn by_thresholds(coupons: &[Coupon], cart: &Cart) -> Minor {
    let usable: Vec<&Coupon> = coupons
        .iter()
        .filter(|c| super::super::terms_allow(c, cart))
        .collect();
    let mut stores: std::collections::BTreeMap<&str, Vec<Minor>> = Default::default();
    for c in &usable {
        if let CouponKind::Store { store_id, .. } = c.kind() {
            let saving = super::super::saving_on(c, super::super::store_base(c, cart));
            if let Some(saving) = saving.filter(|s| *s > 0) {
                let list = stores.entry(store_id).or_default();
                if !list.contains(&saving) {
                    list.push(saving);
                }
            }
        }
    }
    let stores: Vec<Vec<Minor>> = stores.into_values().collect();
    let of = |kind: fn(&CouponKind<'_>) -> bool| {
        std::iter::once(None)
            .chain(usable.iter().filter(|c| kind(&c.kind())).map(|c| Some(*c)))
            .collect::<Vec<_>>()
    };
    let selects = of(|k| *k == CouponKind::Select);
    let codes = of(|k| matches!(k, CouponKind::Code { .. }));
    let total = cart.total();
    let mut best = 0;
    for select in &selects {
        for code in &codes {
            let applies = |base: Minor| {
                let s = match select {
                    Some(c) => super::super::saving_on(c, base)?,
                    None => 0,
                };
                let d = match code {
                    Some(c) => super::super::saving_on(c, base - s)?,
                    None => 0,
                };
                Some(s + d)
            };
            // Every base from the total down, while both still apply: the smallest one.
            let Some(mut low) = applies(total).map(|_| total) else {
                continue;
            };
            let (mut lo, mut hi) = (0, total);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if applies(mid).is_some() {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            low = low.min(lo);
            let stores_saving = largest_at_most(&stores, total - low);
            let rest = applies(total - stores_saving).unwrap_or(0);
            best = best.max(stores_saving + rest);
        }
    }
    best
}

/// A coupon in `currency`.
fn priced(
    id: &str,
    kind: CouponKind<'_>,
    currency: &str,
    min_spend: Minor,
    discount: Discount,
) -> Coupon {
    with(&coupon(id, kind, min_spend, discount), |c| {
        c.currency = crate::money::code(currency)
    })
}

fn store_kind(store_id: &str) -> CouponKind<'_> {
    CouponKind::Store {
        store_id,
        product_ids: &[],
        category_ids: &[],
    }
}

/// The cart: `stores` stores, one item each priced 100,000 to 3,000,000 VND, each store
/// with a 5 % and a 10 % coupon; and a select coupon and codes whose minimum spends fall inside
/// what the store coupons can leave, so that their thresholds decide the plan.
fn many_vnd_stores(stores: usize) -> (Vec<Coupon>, Cart) {
    let mut coupons = Vec::new();
    let mut items = Vec::new();
    let mut seed = 12_345u64;
    for s in 0..stores {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let price = 100_000 + (seed >> 33) % 2_900_001;
        let store_id = format!("st{s}");
        items.push(item(&format!("p{s}"), &store_id, price, 1));
        for percent in [5, 10] {
            let discount = Discount::Percent { percent, max: None };
            let id = format!("s{s}-{percent}");
            coupons.push(priced(&id, store_kind(&store_id), "VND", 0, discount));
        }
    }
    let mut basket = cart(items);
    basket.currency = crate::money::code("VND");
    let total = basket.total();
    let codes = [(91, 400_000), (93, 250_000), (95, 150_000), (97, 90_000)];
    for (i, (share, off)) in codes.into_iter().enumerate() {
        let kind = CouponKind::Code { code: "BIG" };
        let discount = Discount::Fixed { amount: off };
        coupons.push(priced(
            &format!("code-{i}"),
            kind,
            "VND",
            total / 100 * share,
            discount,
        ));
    }
    let discount = Discount::Fixed { amount: 120_000 };
    coupons.push(priced(
        "select",
        CouponKind::Select,
        "VND",
        total / 100 * 94,
        discount,
    ));
    (coupons, basket)
}

#[test]
fn many_stores_in_a_large_unit_currency_are_exact_and_bounded() {
    // The figures: listing every sum took 1.8 s and 450 MB for 16 stores, 5.4 s and
    // 840 MB for 20.
    for stores in [16, 20] {
        let (coupons, basket) = many_vnd_stores(stores);
        let plan = best_stack(&coupons, &basket);
        let effort = plan.effort;
        assert!(!plan.cut_short, "{stores} stores: {effort:?}");
        assert!(effort.work <= STACK_WORK, "{stores} stores: {effort:?}");
        assert!(effort.bytes <= STACK_MEMORY, "{stores} stores: {effort:?}");
        assert_eq!(
            plan.saving,
            by_thresholds(&coupons, &basket),
            "{stores} stores"
        );
        assert!(plan.code.is_some(), "a threshold was in play");
        replays(&plan, &basket).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Large-unit currencies, with what a US cent is worth in each (about): amounts of the same
/// worth run that many times larger.
fn arb_currency() -> impl Strategy<Value = (&'static str, Minor)> {
    prop::sample::select(vec![
        ("VND", 250),
        ("IDR", 16_000),
        ("KRW", 14),
        ("JPY", 2),
        ("CLP", 9),
    ])
}

/// A store (one of `stores`), select or code coupon in `currency`, amounts of its size.
fn arb_large_coupon(
    currency: &'static str,
    stores: usize,
    unit: Minor,
) -> impl Strategy<Value = Coupon> {
    let store = prop_oneof![6 => (0..stores).prop_map(Some), 1 => Just(None)];
    let discount = prop_oneof![
        (1..3000 * unit).prop_map(|amount| Discount::Fixed { amount }),
        (1u8..=100, prop::option::of(1..2000 * unit))
            .prop_map(|(percent, max)| Discount::Percent { percent, max }),
    ];
    (store, any::<bool>(), 0..6000 * unit, discount).prop_map(
        move |(store, select, min_spend, discount)| {
            let store_id = store.map(|s| format!("st{s}")).unwrap_or_default();
            let kind = match store {
                Some(_) => store_kind(&store_id),
                None if select => CouponKind::Select,
                None => CouponKind::Code { code: "C" },
            };
            priced("x", kind, currency, min_spend, discount)
        },
    )
}

/// A cart of `items` lines over `stores` stores in `currency`, prices of its size.
fn arb_large_cart(
    currency: &'static str,
    stores: usize,
    items: std::ops::Range<usize>,
    unit: Minor,
) -> impl Strategy<Value = Cart> {
    let line = (0..stores, 1..4000 * unit, 1u32..4).prop_map(|(s, price, quantity)| {
        item(&format!("p{s}-{price}"), &format!("st{s}"), price, quantity)
    });
    prop::collection::vec(line, items).prop_map(move |items| {
        let mut c = cart(items);
        c.currency = crate::money::code(currency);
        c
    })
}

/// Each coupon with an id of its own.
fn numbered(mut coupons: Vec<Coupon>) -> Vec<Coupon> {
    for (i, c) in coupons.iter_mut().enumerate() {
        let id = format!("c{i}");
        *c = with(c, |c| c.id = &id);
    }
    coupons
}

/// Fifty stores with five coupons each, their terms drawn from `seed`, in `currency`.
fn fifty_stores(currency: &'static str, unit: Minor, seed: u64) -> Vec<Coupon> {
    let mut coupons = Vec::new();
    for s in 0..50u64 {
        let store_id = format!("st{s}");
        for k in 0..5u64 {
            let n = seed.rotate_left(((s * 5 + k) % 64) as u32) ^ (s * 7919 + k * 104_729);
            let discount = if n % 2 == 0 {
                Discount::Percent {
                    percent: (n % 30 + 1) as u8,
                    max: (n % 3 == 0).then_some(unit * (500 + n % 2000)),
                }
            } else {
                Discount::Fixed {
                    amount: unit * (100 + n % 1500),
                }
            };
            let min_spend = unit * (n % 6000);
            coupons.push(priced(
                "x",
                store_kind(&store_id),
                currency,
                min_spend,
                discount,
            ));
        }
    }
    coupons
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Up to eight stores with several coupons each, and select coupons and codes, in a
    /// large-unit currency: the search is exact (equal to weighing every pair against the exact
    /// store sums) and says so.
    #[test]
    fn exact_in_large_unit_currencies(
        (coupons, basket) in arb_currency().prop_flat_map(|(currency, unit)| (
            prop::collection::vec(arb_large_coupon(currency, 8, unit), 0..30),
            arb_large_cart(currency, 8, 0..12, unit),
        )),
    ) {
        let coupons = numbered(coupons);
        let plan = best_stack(&coupons, &basket);
        prop_assert!(!plan.cut_short, "{:?}", plan.effort);
        prop_assert_eq!(plan.saving, by_thresholds(&coupons, &basket));
        replays(&plan, &basket)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Up to 100 items in 50 stores with five store coupons each, and up to 40 select coupons
    /// and codes, in a large-unit currency or in cents: the search stays inside its work and
    /// memory bounds, its plan is real, and it is never worse than one coupon alone or every
    /// store's best coupon alone.
    #[test]
    fn bounded_for_big_carts(
        seed in any::<u64>(),
        (currency, unit, orders, basket) in prop_oneof![arb_currency(), Just(("USD", 1)), Just(("EUR", 1))]
            .prop_flat_map(|(currency, unit)| (
                Just(currency),
                Just(unit),
                prop::collection::vec(arb_large_coupon(currency, 1, unit), 0..40),
                arb_large_cart(currency, 50, 1..101, unit),
            )),
    ) {
        let mut coupons = fifty_stores(currency, unit, seed);
        coupons.extend(orders.into_iter().filter(|c| c.store_id().is_none()));
        let coupons = numbered(coupons);
        let plan = best_stack(&coupons, &basket);
        prop_assert!(plan.effort.work <= STACK_WORK, "{:?}", plan.effort);
        prop_assert!(plan.effort.bytes <= STACK_MEMORY, "{:?}", plan.effort);
        replays(&plan, &basket)?;
        let found = applicable(&coupons, &basket);
        let single = found.iter().map(|a| a.saving).max().unwrap_or(0);
        prop_assert!(plan.saving >= single, "{} < one coupon's {}", plan.saving, single);
        let mut best_per_store: std::collections::HashMap<&str, Minor> = Default::default();
        for a in &found {
            if let Some(store) = a.coupon.store_id() {
                let best = best_per_store.entry(store).or_default();
                *best = (*best).max(a.saving);
            }
        }
        let stores_alone: Minor = best_per_store.values().sum();
        prop_assert!(plan.saving >= stores_alone, "{} < every store's best {}", plan.saving, stores_alone);
    }
}
