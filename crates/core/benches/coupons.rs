//! Coupon feed of 100,000 coupons: parse and index it, write its snapshot and open it again (as a
//! restarted worker does), find the best stack for a product page through the index and, for
//! comparison, by scanning every coupon; and the best stack's bounded search on the carts that
//! made it take seconds (many stores in a large-unit currency).

// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use shopper_core::coupon::{
    best_stack, parse_cart, parse_feed, read_snapshot, write_snapshot, Cart, CartItem, Coupon,
    CouponFields, CouponIndex, CouponKind, Currency, Discount, StoredCheck,
};
use shopper_core::money::Rates;

/// Resident memory of this process in bytes (Linux), to bound what the index holds.
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<usize>().ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// A feed shaped like a real one: mostly store coupons over many stores, a few hundred
/// select coupons and codes, three currencies.
fn feed_json(count: usize) -> String {
    let coupons: Vec<String> = (0..count)
        .map(|i| {
            let currency = match i % 10 { 0 => "EUR", 1 => "BRL", _ => "USD" };
            let discount = if i % 3 == 0 {
                format!(r#"{{"type": "percent", "percent": {}, "max": {}}}"#, i % 30 + 1, 500 + i % 2000)
            } else {
                format!(r#"{{"type": "fixed", "amount": {}}}"#, 100 + (i * 37) % 1500)
            };
            let kind = match i % 200 {
                0 => r#""kind": "select""#.to_owned(),
                1 | 2 => format!(r#""kind": "code", "code": "CODE{i}""#),
                _ => format!(r#""kind": "store", "store_id": "{}""#, 900_000 + i % 20_000),
            };
            format!(
                r#"{{"id": "c{i}", {kind}, "title": "Coupon number {i}: save on your order", "currency": "{currency}",
                "min_spend": {}, "discount": {discount}, "countries": [], "starts_at": "2026-11-01T00:00:00Z",
                "expires_at": "2026-12-31T00:00:00Z", "new_users_only": false}}"#,
                (i * 131) % 6000
            )
        })
        .collect();
    format!(
        r#"{{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [{}]}}"#,
        coupons.join(",")
    )
}

fn product_page() -> Cart {
    parse_cart(
        r#"{"currency": "USD", "country": "US", "now": "2026-11-23T12:00:00Z",
        "items": [{"product_id": "1005001234567890", "store_id": "900042", "price": 4599, "quantity": 1}]}"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
}

fn coupons(c: &mut Criterion) {
    let json = feed_json(100_000);
    eprintln!("feed of 100,000 coupons: {} bytes", json.len());
    // Memory, two ways. A counting global allocator cannot live here: the workspace forbids
    // unsafe code and `GlobalAlloc` is an unsafe trait. So the index counts its own bytes,
    // exactly (every part is exactly sized; checked against a counting allocator outside the
    // repository), and resident growth shows what the system sees, allocator overhead included:
    // an upper bound, since the allocator may keep freed parse buffers. The feed text exists
    // before measuring, and the parsed `Feed` is gone once its coupons move into the index.
    let before = resident_bytes();
    let index = CouponIndex::new(
        parse_feed(&json)
            .unwrap_or_else(|e| unreachable!("{e}"))
            .coupons,
    );
    let held = resident_bytes().saturating_sub(before);
    let counted = index.heap_bytes() + std::mem::size_of::<CouponIndex>();
    eprintln!(
        "index of {} coupons: holds {counted} bytes ({:.1} MB, counted), resident memory grew {:.1} MB",
        index.len(),
        counted as f64 / 1e6,
        held as f64 / 1e6
    );
    drop(index);
    let mut group = c.benchmark_group("coupons_100k");
    group.sample_size(10);
    group.bench_function("parse_and_index", |b| {
        b.iter(|| {
            CouponIndex::new(
                parse_feed(&json)
                    .unwrap_or_else(|e| unreachable!("{e}"))
                    .coupons,
            )
        })
    });
    group.bench_function("parse_only", |b| {
        b.iter(|| parse_feed(&json).map(|f| f.coupons.len()))
    });
    let parsed = parse_feed(&json)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .coupons;
    group.bench_function("index_only", |b| {
        b.iter(|| CouponIndex::new(parsed.clone()).len())
    });
    // What a restarted service worker does instead of parsing: open the snapshot, which
    // checks its checksum and layout and copies its index, decoding no coupon.
    let parsed_index = CouponIndex::new(parsed.clone());
    let snapshot = write_snapshot(&parsed_index, 0, 0, &Rates::none());
    eprintln!("snapshot of 100,000 coupons: {} bytes", snapshot.len());
    let opened = read_snapshot(snapshot.clone()).unwrap_or_else(|e| unreachable!("{e}"));
    eprintln!(
        "opened snapshot of {} coupons: holds {:.1} MB",
        opened.index.len(),
        (opened.index.heap_bytes() + std::mem::size_of::<CouponIndex>()) as f64 / 1e6
    );
    group.bench_function("snapshot_open", |b| {
        b.iter(|| {
            read_snapshot(snapshot.clone())
                .unwrap_or_else(|e| unreachable!("{e}"))
                .index
                .len()
        })
    });
    // What it then does in the background: every coupon checked as a feed's are.
    group.bench_function("snapshot_check_all", |b| {
        b.iter(|| {
            let mut check = StoredCheck::new();
            while !check
                .step(&opened.index, 10_000)
                .unwrap_or_else(|e| unreachable!("{e}"))
            {}
        })
    });
    group.bench_function("snapshot_write", |b| {
        b.iter(|| write_snapshot(&parsed_index, 0, 0, &Rates::none()).len())
    });
    group.finish();

    let feed = parse_feed(&json).unwrap_or_else(|e| unreachable!("{e}"));
    let all = feed.coupons.clone();
    let index = CouponIndex::new(feed.coupons);
    let cart = product_page();
    assert_eq!(index.best_stack(&cart), best_stack(&all, &cart));
    let mut group = c.benchmark_group("best_stack_product_page");
    group.bench_function("indexed", |b| b.iter(|| index.best_stack(&cart).saving));
    group.bench_function("linear_scan", |b| b.iter(|| best_stack(&all, &cart).saving));
    group.finish();
}

fn coupon(id: &str, kind: CouponKind<'_>, currency: Currency, min: u64, off: Discount) -> Coupon {
    Coupon::new(CouponFields {
        id,
        kind,
        title: id,
        currency,
        min_spend: min,
        discount: off,
        countries: &[],
        starts_at: 0,
        expires_at: i64::MAX,
        new_users_only: false,
        url: None,
    })
}

/// `stores` stores in VND, `items` items each priced 100,000 to 3,000,000 VND, `per_store`
/// coupons each (5 % and 10 %, then fixed amounts with minimum spends), and select coupons and
/// codes whose minimum spends fall where the store coupons leave the cart: the shape that took
/// 1.8 s (16 stores, two coupons each) before the search was bounded.
fn large_unit_cart(stores: usize, items: usize, per_store: usize) -> (Vec<Coupon>, Cart) {
    let vnd = Currency::parse("VND").unwrap_or_else(|| unreachable!());
    let mut seed = 12_345u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let mut coupons = Vec::new();
    let mut lines = Vec::new();
    for s in 0..stores {
        let store_id = format!("st{s}");
        for i in 0..items {
            lines.push(CartItem {
                product_id: Some(format!("p{s}-{i}")),
                store_id: Some(store_id.clone()),
                category_ids: vec![],
                price: 100_000 + next() % 2_900_001,
                quantity: 1,
            });
        }
        let kind = CouponKind::Store {
            store_id: &store_id,
            product_ids: &[],
            category_ids: &[],
        };
        for k in 0..per_store {
            let off = match k {
                0 => Discount::Percent {
                    percent: 5,
                    max: None,
                },
                1 => Discount::Percent {
                    percent: 10,
                    max: None,
                },
                _ => Discount::Fixed {
                    amount: 10_000 + next() % 300_000,
                },
            };
            let min = if k < 2 { 0 } else { next() % 3_000_000 };
            coupons.push(coupon(&format!("s{s}-{k}"), kind, vnd, min, off));
        }
    }
    let cart = Cart {
        currency: vnd,
        country: None,
        new_user: false,
        now: 1,
        items: lines,
    };
    let total = cart.total();
    for j in 0..10 {
        let n = next();
        let off = Discount::Fixed {
            amount: 20_000 + n % 500_000,
        };
        let kind = CouponKind::Code { code: "X" };
        coupons.push(coupon(
            &format!("code{j}"),
            kind,
            vnd,
            total / 100 * (85 + n % 15),
            off,
        ));
    }
    for j in 0..5 {
        let n = next();
        let off = Discount::Percent {
            percent: (n % 10 + 1) as u8,
            max: Some(500_000),
        };
        coupons.push(coupon(
            &format!("sel{j}"),
            CouponKind::Select,
            vnd,
            total / 100 * (88 + n % 12),
            off,
        ));
    }
    (coupons, cart)
}

fn bounded_stack(c: &mut Criterion) {
    let mut group = c.benchmark_group("best_stack_bounded");
    for (name, stores, items, per_store) in [
        ("vnd_16_stores_2_coupons", 16, 1, 2),
        ("vnd_20_stores_2_coupons", 20, 1, 2),
        ("vnd_50_stores_100_items_5_coupons", 50, 2, 5),
    ] {
        let (coupons, cart) = large_unit_cart(stores, items, per_store);
        let plan = best_stack(&coupons, &cart);
        eprintln!(
            "{name}: saving {}, cut short {}, work {}, {} bytes",
            plan.saving, plan.cut_short, plan.effort.work, plan.effort.bytes
        );
        group.bench_function(name, |b| b.iter(|| best_stack(&coupons, &cart).saving));
    }
    group.finish();
}

criterion_group!(benches, coupons, bounded_stack);
criterion_main!(benches);
