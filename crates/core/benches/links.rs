//! Link engine throughput: classifying and rewriting a 5,000-link batch, as the service worker does.

// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shopper_core::{decide_batch, AffiliateKey, AffiliateLinks, BaseUrl, TabPolicy};

/// The page the links are found on, and their base.
const PAGE: &str = "https://www.aliexpress.com/w/wholesale-earbuds.html";

/// A search-results page: product links in the shapes AliExpress uses, with tracking noise.
fn product_page_hrefs(count: usize) -> String {
    (0..count)
        .map(|i| {
            let id = 1_005_001_000_000_000u64 + i as u64 * 7919;
            match i % 4 {
                0 => format!("https://www.aliexpress.com/item/{id}.html?spm=a2g0o.productlist.main.{i}&algo_pvid=5f1e&pdp_npi=4%40dis%21USD%2112.34"),
                1 => format!("https://www.aliexpress.com/item/{id}.html"),
                2 => format!("https://pt.aliexpress.com/item/{id}.html?sku_id=12000031234567&gatewayAdapt=glo2bra"),
                _ => format!("https://www.aliexpress.us/item/{id}.html?utm_source=x&utm_campaign=y"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Search results as the global sites write them: every product link names its variant inside
/// `pdp_ext_f`, among the tracking parameters (the variant rule reads it back for each rewrite).
fn search_result_hrefs(count: usize) -> String {
    (0..count)
        .map(|i| {
            let id = 1_005_001_000_000_000u64 + i as u64 * 7919;
            let sku = 12_000_022_480_660_847u64 + i as u64;
            format!("https://www.aliexpress.com/item/{id}.html?spm=a2g0o.productlist.main.{i}&algo_pvid=108d8130&algo_exp_id=108d8130-1&pdp_ext_f=%7B%22sku_id%22%3A%22{sku}%22%7D&pdp_npi=4%40dis%21USD%2112.34")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A page mixing navigation, stores, searches and foreign links with products.
fn mixed_page_hrefs(count: usize) -> String {
    (0..count)
        .map(|i| match i % 5 {
            0 => format!(
                "https://www.aliexpress.com/item/{}.html",
                1_005_001_000_000_000u64 + i as u64
            ),
            1 => format!("https://www.aliexpress.com/store/{}", 900_000 + i),
            2 => {
                "https://www.aliexpress.com/w/wholesale-earbuds.html?SearchText=earbuds".to_owned()
            }
            3 => "https://sale.aliexpress.com/__pc/sale.htm#top".to_owned(),
            _ => "javascript:void(0)".to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn batches(c: &mut Criterion) {
    let links =
        AffiliateLinks::new(AffiliateKey::parse("_dBenchKey").unwrap_or_else(|_| unreachable!()));
    let base = BaseUrl::parse(PAGE).unwrap_or_else(|| unreachable!());
    let mut group = c.benchmark_group("decide_batch");
    for (name, hrefs) in [
        ("products", product_page_hrefs(5_000)),
        ("mixed", mixed_page_hrefs(5_000)),
        ("search_results", search_result_hrefs(5_000)),
        (
            "protocol_relative",
            product_page_hrefs(5_000).replace("https://", "//"),
        ),
    ] {
        group.throughput(Throughput::Elements(5_000));
        group.bench_with_input(BenchmarkId::new(name, 5_000), &hrefs, |b, hrefs| {
            let mut out = String::with_capacity(hrefs.len() * 2);
            b.iter(|| {
                out.clear();
                decide_batch(
                    hrefs,
                    Some(&base),
                    PAGE,
                    &TabPolicy::REWRITE,
                    &links,
                    &mut out,
                )
            });
        });
    }
    group.finish();
}

criterion_group!(benches, batches);
criterion_main!(benches);
