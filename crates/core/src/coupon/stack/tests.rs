//! Every matching and stacking rule at its edge, and the exact search checked against brute force.

use proptest::prelude::*;

use super::super::*;

const NOW: Timestamp = 1_800_000_000;

fn coupon(id: &str, kind: CouponKind<'_>, min_spend: Minor, discount: Discount) -> Coupon {
    Coupon::new(CouponFields {
        id,
        kind,
        title: id,
        currency: crate::money::code("USD"),
        min_spend,
        discount,
        countries: &[],
        starts_at: NOW - 3600,
        expires_at: NOW + 3600,
        new_users_only: false,
        url: None,
    })
}

/// The coupon with some fields changed.
fn with<'a>(c: &'a Coupon, change: impl FnOnce(&mut CouponFields<'a>)) -> Coupon {
    let mut fields = c.fields();
    change(&mut fields);
    Coupon::new(fields)
}

fn store(id: &str, store_id: &str, min_spend: Minor, off: Minor) -> Coupon {
    let kind = CouponKind::Store {
        store_id,
        product_ids: &[],
        category_ids: &[],
    };
    coupon(id, kind, min_spend, Discount::Fixed { amount: off })
}

fn select(id: &str, min_spend: Minor, off: Minor) -> Coupon {
    coupon(
        id,
        CouponKind::Select,
        min_spend,
        Discount::Fixed { amount: off },
    )
}

fn code(id: &str, min_spend: Minor, off: Minor) -> Coupon {
    coupon(
        id,
        CouponKind::Code {
            code: &id.to_uppercase(),
        },
        min_spend,
        Discount::Fixed { amount: off },
    )
}

fn item(product: &str, store_id: &str, price: Minor, quantity: u32) -> CartItem {
    CartItem {
        product_id: Some(product.to_owned()),
        store_id: Some(store_id.to_owned()),
        category_ids: vec!["cat-audio".to_owned()],
        price,
        quantity,
    }
}

fn cart(items: Vec<CartItem>) -> Cart {
    Cart {
        currency: crate::money::code("USD"),
        country: Some(*b"US"),
        new_user: false,
        now: NOW,
        items,
    }
}

fn applied_ids(plan: &StackPlan<'_>) -> Vec<String> {
    plan.applied().map(|c| c.id().to_owned()).collect()
}

fn matched_ids(coupons: &[Coupon], cart: &Cart) -> Vec<(String, Minor)> {
    applicable(coupons, cart)
        .iter()
        .map(|a| (a.coupon.id().to_owned(), a.saving))
        .collect()
}

#[test]
fn dates_are_half_open() {
    let c = select("s", 0, 100);
    let one = cart(vec![item("p1", "st1", 1000, 1)]);
    let c = with(&c, |c| c.expires_at = NOW);
    assert!(
        matched_ids(std::slice::from_ref(&c), &one).is_empty(),
        "expiry exactly now"
    );
    let c = with(&c, |c| {
        c.expires_at = NOW + 1;
        c.starts_at = NOW;
    });
    assert_eq!(
        matched_ids(std::slice::from_ref(&c), &one).len(),
        1,
        "starts exactly now"
    );
    let c = with(&c, |c| c.starts_at = NOW + 1);
    assert!(matched_ids(&[c], &one).is_empty(), "not started");
}

#[test]
fn terms_currency_country_new_users() {
    let one = cart(vec![item("p1", "st1", 1000, 1)]);
    let eur = with(&select("eur", 0, 100), |c| {
        c.currency = crate::money::code("EUR")
    });
    let (br, us_and_br) = ([*b"BR"], [*b"BR", *b"US"]);
    let br_only = with(&select("br", 0, 100), |c| c.countries = &br);
    let us_br = with(&select("usbr", 0, 100), |c| c.countries = &us_and_br);
    let first_order = with(&select("new", 0, 100), |c| c.new_users_only = true);
    let coupons = [eur, br_only, us_br, first_order];
    assert_eq!(matched_ids(&coupons, &one), vec![("usbr".to_owned(), 100)]);
    let mut newcomer = one.clone();
    newcomer.new_user = true;
    newcomer.country = None;
    assert_eq!(
        matched_ids(&coupons, &newcomer),
        vec![
            ("br".to_owned(), 100),
            ("usbr".to_owned(), 100),
            ("new".to_owned(), 100)
        ],
        "unknown country matches without the country filter"
    );
}

#[test]
fn thresholds_and_discounts() {
    let one = cart(vec![item("p1", "st1", 1000, 1)]);
    let exact = select("exact", 1000, 100);
    let above = select("above", 1001, 100);
    let fixed_over = code("big", 0, 5000);
    let percent = coupon(
        "pct",
        CouponKind::Select,
        0,
        Discount::Percent {
            percent: 15,
            max: None,
        },
    );
    let capped = coupon(
        "cap",
        CouponKind::Select,
        0,
        Discount::Percent {
            percent: 50,
            max: Some(120),
        },
    );
    let coupons = [exact, above, fixed_over, percent, capped];
    assert_eq!(
        matched_ids(&coupons, &cart(vec![item("p1", "st1", 999, 1)]))
            .iter()
            .find(|(id, _)| id == "pct"),
        Some(&("pct".to_owned(), 149)),
        "percent rounds down"
    );
    assert_eq!(
        matched_ids(&coupons, &one),
        vec![
            ("exact".to_owned(), 100),
            ("big".to_owned(), 1000),
            ("pct".to_owned(), 150),
            ("cap".to_owned(), 120)
        ]
    );
    assert!(
        matched_ids(&[select("zero", 0, 100)], &cart(vec![])).is_empty(),
        "a zero base never applies"
    );
}

#[test]
fn store_scope_by_product_and_category() {
    let basket = cart(vec![
        item("p1", "st1", 1000, 2),
        item("p2", "st1", 500, 1),
        item("p3", "st2", 700, 1),
    ]);
    let whole_store = store("whole", "st1", 0, 10_000);
    let one_product = coupon(
        "prod",
        CouponKind::Store {
            store_id: "st1",
            product_ids: &["p2".into()],
            category_ids: &[],
        },
        0,
        Discount::Fixed { amount: 10_000 },
    );
    let category = coupon(
        "cat",
        CouponKind::Store {
            store_id: "st2",
            product_ids: &[],
            category_ids: &["cat-audio".into()],
        },
        0,
        Discount::Fixed { amount: 10_000 },
    );
    let other_category = coupon(
        "nocat",
        CouponKind::Store {
            store_id: "st2",
            product_ids: &[],
            category_ids: &["cat-shoes".into()],
        },
        0,
        Discount::Fixed { amount: 100 },
    );
    assert_eq!(
        matched_ids(
            &[whole_store, one_product, category, other_category],
            &basket
        ),
        vec![
            ("whole".to_owned(), 2500),
            ("prod".to_owned(), 500),
            ("cat".to_owned(), 700)
        ]
    );
}

#[test]
fn one_coupon_of_each_kind() {
    let basket = cart(vec![item("p1", "st1", 3000, 1), item("p2", "st2", 2000, 1)]);
    let coupons = [
        store("st1-a", "st1", 0, 300),
        store("st1-b", "st1", 0, 500),
        store("st2-a", "st2", 0, 200),
        select("sel-a", 0, 400),
        select("sel-b", 0, 600),
        code("code-a", 0, 100),
        code("code-b", 0, 250),
    ];
    let plan = best_stack(&coupons, &basket);
    assert_eq!(plan.saving, 500 + 200 + 600 + 250);
    assert_eq!(applied_ids(&plan), ["st1-b", "st2-a", "sel-b", "code-b"]);
}

#[test]
fn a_smaller_store_coupon_can_win_overall() {
    // Total 5000. The big store coupon (1000) leaves 4000, under the code's 4500 minimum;
    // the small one (200) leaves 4800, where the code takes 1500 off.
    let basket = cart(vec![item("p1", "st1", 5000, 1)]);
    let coupons = [
        store("big", "st1", 0, 1000),
        store("small", "st1", 0, 200),
        code("code", 4500, 1500),
    ];
    let plan = best_stack(&coupons, &basket);
    assert_eq!(plan.saving, 1700);
    assert_eq!(applied_ids(&plan), ["small", "code"]);
}

#[test]
fn the_select_coupon_comes_before_the_code() {
    // Select takes 600 of 5000, leaving 4400: under the 4500 code minimum. Without select the
    // code saves 1000; with it only the select's 600 applies. Best: the code alone.
    let basket = cart(vec![item("p1", "st1", 5000, 1)]);
    let coupons = [select("sel", 0, 600), code("code", 4500, 1000)];
    let plan = best_stack(&coupons, &basket);
    assert_eq!(
        (plan.saving, applied_ids(&plan)),
        (1000, vec!["code".to_owned()])
    );
}

#[test]
fn nothing_applies() {
    let coupons = [code("code", 10_000, 100)];
    let plan = best_stack(&coupons, &cart(vec![item("p1", "st1", 500, 1)]));
    assert_eq!(
        (plan.saving, applied_ids(&plan), plan.cut_short),
        (0, vec![], false)
    );
}

/// Every combination, tried one by one.
fn brute_force(coupons: &[Coupon], cart: &Cart) -> Minor {
    let usable: Vec<&Coupon> = coupons
        .iter()
        .filter(|c| super::terms_allow(c, cart))
        .collect();
    let mut stores: Vec<&str> = usable
        .iter()
        .filter_map(|c| match c.kind() {
            CouponKind::Store { store_id, .. } => Some(store_id),
            _ => None,
        })
        .collect();
    stores.sort_unstable();
    stores.dedup();
    let mut store_sums = vec![0u64];
    for s in &stores {
        let options: Vec<Minor> = usable
            .iter()
            .filter(|c| matches!(c.kind(), CouponKind::Store { store_id, .. } if store_id == *s))
            .filter_map(|c| super::saving_on(c, super::store_base(c, cart)))
            .collect();
        store_sums = store_sums
            .iter()
            .flat_map(|sum| std::iter::once(*sum).chain(options.iter().map(move |o| sum + o)))
            .collect();
    }
    let selects: Vec<Option<&Coupon>> = std::iter::once(None)
        .chain(
            usable
                .iter()
                .filter(|c| c.kind() == CouponKind::Select)
                .map(|c| Some(*c)),
        )
        .collect();
    let codes: Vec<Option<&Coupon>> = std::iter::once(None)
        .chain(
            usable
                .iter()
                .filter(|c| matches!(c.kind(), CouponKind::Code { .. }))
                .map(|c| Some(*c)),
        )
        .collect();
    let total = cart.total();
    let mut best = 0;
    for s in &store_sums {
        for sel in &selects {
            for cd in &codes {
                let base = total - s;
                let sel_saving = match sel {
                    Some(c) => match super::saving_on(c, base) {
                        Some(v) => v,
                        None => continue,
                    },
                    None => 0,
                };
                let code_saving = match cd {
                    Some(c) => match super::saving_on(c, base - sel_saving) {
                        Some(v) => v,
                        None => continue,
                    },
                    None => 0,
                };
                best = best.max(s + sel_saving + code_saving);
            }
        }
    }
    best
}

fn arb_discount() -> impl Strategy<Value = Discount> {
    prop_oneof![
        (1u64..3000).prop_map(|amount| Discount::Fixed { amount }),
        (1u8..=100, prop::option::of(1u64..2000))
            .prop_map(|(percent, max)| Discount::Percent { percent, max }),
    ]
}

/// A store (with its store and perhaps one product), a select coupon or a code.
#[derive(Debug, Clone)]
enum ArbKind {
    Store(usize, Option<usize>),
    Select,
    Code,
}

fn arb_coupon() -> impl Strategy<Value = Coupon> {
    let kind = prop_oneof![
        3 => (0usize..3, prop::option::of(0usize..4)).prop_map(|(s, p)| ArbKind::Store(s, p)),
        1 => Just(ArbKind::Select),
        1 => Just(ArbKind::Code),
    ];
    (kind, 0u64..6000, arb_discount(), any::<bool>()).prop_map(
        |(kind, min_spend, discount, new_only)| {
            let (store_id, product_ids): (String, Vec<Box<str>>) = match &kind {
                ArbKind::Store(s, p) => (
                    format!("st{s}"),
                    p.iter().map(|p| format!("p{p}").into()).collect(),
                ),
                _ => (String::new(), Vec::new()),
            };
            let kind = match kind {
                ArbKind::Store(..) => CouponKind::Store {
                    store_id: &store_id,
                    product_ids: &product_ids,
                    category_ids: &[],
                },
                ArbKind::Select => CouponKind::Select,
                ArbKind::Code => CouponKind::Code { code: "C" },
            };
            with(&coupon("x", kind, min_spend, discount), |c| {
                c.new_users_only = new_only
            })
        },
    )
}

fn arb_cart() -> impl Strategy<Value = Cart> {
    let item = (0usize..4, 0usize..3, 1u64..4000, 1u32..4).prop_map(|(p, s, price, quantity)| {
        item(&format!("p{p}"), &format!("st{s}"), price, quantity)
    });
    (prop::collection::vec(item, 0..5), any::<bool>()).prop_map(|(items, new_user)| {
        let mut c = cart(items);
        c.new_user = new_user;
        c
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn exact_search_equals_brute_force(mut coupons in prop::collection::vec(arb_coupon(), 0..9), cart in arb_cart()) {
        for (i, c) in coupons.iter_mut().enumerate() {
            let id = format!("c{i}");
            *c = with(c, |c| c.id = &id);
        }
        let plan = best_stack(&coupons, &cart);
        prop_assert_eq!(plan.saving, brute_force(&coupons, &cart));
        // The plan is real: replaying it in AliExpress's order gives the saving it claims.
        let mut stores_seen = std::collections::HashSet::new();
        let mut replay = 0;
        for c in &plan.store {
            let CouponKind::Store { store_id, .. } = c.kind() else { unreachable!() };
            prop_assert!(stores_seen.insert(store_id.to_owned()), "two coupons for one store");
            replay += super::saving_on(c, super::store_base(c, &cart)).unwrap_or_else(|| panic!("store coupon {} does not apply", c.id()));
        }
        let base = cart.total() - replay;
        let sel = plan.select.map_or(0, |c| super::saving_on(c, base).unwrap_or_else(|| panic!("select does not apply")));
        let cd = plan.code.map_or(0, |c| super::saving_on(c, base - sel).unwrap_or_else(|| panic!("code does not apply")));
        prop_assert_eq!(replay + sel + cd, plan.saving);
    }
}

mod bounds;
