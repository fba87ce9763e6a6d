//! Smart Search: reading one typical request (six languages, a price, rating, shipping or sort
//! phrase each) and answering it with its URL on the shopper's site. The budget is 20 µs per
//! typical request natively.

// criterion_group! generates undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopper_core::money::{Currency, Rates};
use shopper_core::search::{parse_query, search, Site};

/// Typical requests: a few product words and one to three phrases, as shoppers type them.
const TYPICAL: [&str; 12] = [
    "bluetooth speaker under 30 dollars",
    "zapatos de mujer entre 20 y 40 euros envío gratis",
    "carregador usb c com 4,5 estrelas ou mais",
    "sac à main cuir le moins cher",
    "Powerbank 10000mAh Versand aus Deutschland",
    "смарт часы до 3000 рублей хиты продаж",
    "iPhone 15 Pro Max case under $10 4+ stars",
    "auriculares bluetooth por menos de 15 euros",
    "fone de ouvido bluetooth até 50 reais frete grátis",
    "montre connectée entre 30 et 60 euros livraison gratuite",
    "Gaming Maus mindestens 4 Sterne unter 40 Euro",
    "беспроводные наушники от 1000 до 2000 рублей со склада в России",
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Elements(TYPICAL.len() as u64));
    group.bench_function("parse_12_typical", |b| {
        b.iter(|| {
            for query in TYPICAL {
                black_box(parse_query(black_box(query)));
            }
        });
    });
    // What the popup asks per keystroke pause: the answer on the shopper's site, as JSON.
    let site = Site {
        host: Some("es.aliexpress.com"),
        currency: Currency::parse("EUR"),
    };
    let rates = Rates::none();
    group.bench_function("answer_json_12_typical", |b| {
        b.iter(|| {
            for query in TYPICAL {
                black_box(search(black_box(query), site, &rates, &[]).to_json());
            }
        });
    });
    group.finish();

    // The inputs that make every reader try hardest (the property tests' worst cases): each is
    // read only to the first 1,000 characters, and this says how long that takes.
    let mut group = c.benchmark_group("search_worst");
    for (name, text) in [
        ("phrase_starts", "de ".repeat(2_000)),
        ("numbers", "1 000 ".repeat(2_000)),
        ("ranges", "$1-$2 ".repeat(2_000)),
        ("ratings", "от 4 звезд ".repeat(1_000)),
        ("one_word", "a".repeat(100_000)),
        ("combining_marks", "\u{0301}".repeat(10_000)),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(parse_query(black_box(&text))))
        });
    }
    group.finish();

    let long = "usb-c cable 2m fast charging ".repeat(40);
    let mut group = c.benchmark_group("search_long");
    group.throughput(Throughput::Elements(1));
    group.bench_function("parse_1000_chars", |b| {
        b.iter(|| black_box(parse_query(black_box(&long))));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
