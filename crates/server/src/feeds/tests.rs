//! Feeds per market: which coupons each holds, the same bytes for the same catalog, dates,
//! signatures the core verifies, encodings.

use std::io::Read;

use super::*;
use shopper_core::coupon::{open_envelope, parse_feed};

const DAY: Timestamp = 86_400;

fn coupons(now: Timestamp) -> Vec<Coupon> {
    let at = |t: Timestamp| write_time(t);
    let coupon = |id: &str, currency: &str, countries: &str, expires: Timestamp| {
        format!(
            r#"{{"id": "{id}", "kind": "select", "title": "t", "currency": "{currency}", "min_spend": 0,
            "discount": {{"type": "fixed", "amount": 100}}, "countries": [{countries}],
            "starts_at": "{}", "expires_at": "{}"}}"#,
            at(now - DAY),
            at(expires)
        )
    };
    let list = [
        coupon("us-all", "USD", "", now + DAY),
        coupon("us-only", "USD", "\"US\"", now + 2 * DAY),
        coupon("gb-usd", "USD", "\"GB\"", now + DAY),
        coupon("es-eur", "EUR", "\"ES\"", now + DAY),
        coupon("br-brl", "BRL", "\"BR\"", now + 10),
        coupon("rub-all", "RUB", "", now + DAY),
        coupon("gone", "USD", "", now - 5),
    ];
    let feed = parse_feed(&format!(
        r#"{{"version": 1, "generated_at": "{}", "coupons": [{}]}}"#,
        at(now),
        list.join(",")
    ))
    .expect("feed");
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);
    feed.coupons
}

fn secret() -> PublisherSecret {
    PublisherSecret::from_bytes("test-key", &[9; 32]).expect("key")
}

fn market(text: &str) -> Market {
    Market::parse(text).expect("market")
}

fn input<'a>(
    coupons: &'a [Coupon],
    rates: &'a Rates,
    configured: &'a [Market],
    secret: &'a PublisherSecret,
    changed_at: Timestamp,
    now: Timestamp,
) -> BuildInput<'a> {
    BuildInput {
        coupons,
        rates,
        configured,
        changed_at,
        revision: 7,
        now,
        secret,
    }
}

fn ids(feed: &PreparedFeed) -> Vec<String> {
    let bytes = open_envelope(&feed.envelope, &[secret().public()]).expect("verifies");
    let parsed = parse_feed(std::str::from_utf8(&bytes).expect("utf8")).expect("feed");
    parsed.coupons.iter().map(|c| c.id().to_owned()).collect()
}

#[test]
fn each_market_holds_its_own_coupons() {
    let now = 1_800_000_000;
    let all = coupons(now);
    let (rates, secret) = (Rates::none(), secret());
    let configured = [market("US-USD"), market("RU-RUB")];
    let published = build(&input(&all, &rates, &configured, &secret, now - 100, now));
    let served: Vec<String> = published.feeds.keys().map(Market::to_string).collect();
    assert_eq!(served, ["BR-BRL", "ES-EUR", "GB-USD", "RU-RUB", "US-USD"]);
    let feed = |m: &str| &published.feeds[&market(m)];
    assert_eq!(ids(feed("US-USD")), ["us-all", "us-only"]);
    assert_eq!(ids(feed("GB-USD")), ["us-all", "gb-usd"]);
    assert_eq!(ids(feed("ES-EUR")), ["es-eur"]);
    assert_eq!(ids(feed("RU-RUB")), ["rub-all"]);
    assert_eq!(feed("US-USD").coupons, 2);
    assert_eq!(
        published.next_expiry,
        Some(now + 10),
        "BR-BRL's coupon is the first to go"
    );
    assert_eq!(published.revision, 7);
    // Dated by the catalog, or by the expiry that last changed it.
    assert_eq!(feed("ES-EUR").generated_at, now - 5 - 95, "the last change");
    assert_eq!(
        feed("US-USD").generated_at,
        now - 5,
        "the expiry of `gone`, after the change"
    );
}

#[test]
fn the_same_catalog_makes_the_same_bytes_whenever_it_is_built() {
    let now = 1_800_000_000;
    let all = coupons(now);
    let (rates, secret) = (Rates::none(), secret());
    let us = market("US-USD");
    let a = build_market(us, &input(&all, &rates, &[], &secret, now - 100, now));
    let b = build_market(us, &input(&all, &rates, &[], &secret, now - 100, now + 60));
    assert_eq!(a.envelope, b.envelope);
    assert_eq!(a.etag(Encoding::Identity), b.etag(Encoding::Identity));
    // After an expiry the feed changes: another ETag.
    let later = build_market(us, &input(&all, &rates, &[], &secret, now - 100, now + DAY));
    assert_ne!(later.etag(Encoding::Identity), a.etag(Encoding::Identity));
    assert_eq!(ids(&later), ["us-only"]);
    assert_eq!(later.generated_at, now + DAY);
}

#[test]
fn encodings_hold_the_same_envelope_and_have_their_own_tags() {
    let now = 1_800_000_000;
    let all = coupons(now);
    let (rates, secret) = (Rates::none(), secret());
    let feed = build_market(
        market("US-USD"),
        &input(&all, &rates, &[], &secret, now, now),
    );
    let mut gunzipped = Vec::new();
    flate2::read::GzDecoder::new(&feed.gzip[..])
        .read_to_end(&mut gunzipped)
        .expect("gzip");
    assert_eq!(gunzipped, feed.envelope);
    let mut unbrotlied = Vec::new();
    brotli::Decompressor::new(&feed.brotli[..], 4096)
        .read_to_end(&mut unbrotlied)
        .expect("brotli");
    assert_eq!(unbrotlied, feed.envelope);
    let tags = [Encoding::Identity, Encoding::Gzip, Encoding::Brotli].map(|e| feed.etag(e));
    assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2]);
    for tag in &tags {
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert!(feed.not_modified(tag), "{tag}");
    }
    assert!(!feed.not_modified("\"something else\""));
}

#[test]
fn the_rates_ride_in_every_feed() {
    let now = 1_800_000_000;
    let all = coupons(now);
    let usd = shopper_core::money::Currency::parse("USD").expect("usd");
    let eur = shopper_core::money::Currency::parse("EUR").expect("eur");
    let rates = Rates::new(usd, [(eur, 0.92)]);
    let secret = secret();
    let feed = build_market(
        market("ES-EUR"),
        &input(&all, &rates, &[], &secret, now, now),
    );
    let bytes = open_envelope(&feed.envelope, &[secret.public()]).expect("verifies");
    let parsed = parse_feed(std::str::from_utf8(&bytes).expect("utf8")).expect("feed");
    assert_eq!(parsed.rates, rates);
}
