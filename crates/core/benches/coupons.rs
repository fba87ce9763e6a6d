//! Coupon feed of 100,000 coupons: parse and index it, then find the best stack for a product
//! page through the index and, for comparison, by scanning every coupon.

// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use shopper_core::coupon::{
    best_stack, parse_cart, parse_feed, read_snapshot, write_snapshot, Cart, CouponIndex,
};

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
    // What a restarted service worker does instead of parsing: read the snapshot, index it.
    let snapshot = write_snapshot(0, 0, parsed.iter());
    eprintln!("snapshot of 100,000 coupons: {} bytes", snapshot.len());
    group.bench_function("snapshot_read_and_index", |b| {
        b.iter(|| {
            CouponIndex::new(
                read_snapshot(&snapshot)
                    .unwrap_or_else(|e| unreachable!("{e}"))
                    .coupons,
            )
            .len()
        })
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

criterion_group!(benches, coupons);
criterion_main!(benches);
