//! The feed reader: a good feed, each kind of invalid coupon named with its reason, bad envelopes.

use super::*;

fn feed_with(coupons: &str) -> String {
    format!(r#"{{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [{coupons}]}}"#)
}

const GOOD: &str = r#"
    {"id": "st-1", "kind": "store", "title": "US $3 off US $20", "store_id": "912345", "product_ids": ["1005001234567890"],
     "currency": "USD", "min_spend": 2000, "discount": {"type": "fixed", "amount": 300}, "countries": ["US", "CA"],
     "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00+01:00", "url": "https://www.aliexpress.com/store/912345"},
    {"id": "sel-1", "kind": "select", "title": "15% off, up to US $10", "currency": "USD", "min_spend": 0,
     "discount": {"type": "percent", "percent": 15, "max": 1000}, "countries": [], "starts_at": "2026-11-01T00:00:00Z",
     "expires_at": "2026-12-01T00:00:00Z", "new_users_only": true},
    {"id": "code-1", "kind": "code", "title": "Code for US $2 off", "code": "SAVE2", "currency": "USD", "min_spend": 1500,
     "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
"#;

#[test]
fn reads_a_good_feed() {
    let feed = parse_feed(&feed_with(GOOD)).expect("valid feed");
    assert_eq!(feed.generated_at, 1_795_392_000);
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);
    let ids: Vec<&str> = feed.coupons.iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["st-1", "sel-1", "code-1"]);
    let store = &feed.coupons[0];
    assert_eq!(store.countries(), [*b"US", *b"CA"]);
    assert_eq!(store.expires_at(), 1_796_079_600, "offsets are honoured");
    assert_eq!(store.discount(), Discount::Fixed { amount: 300 });
    assert_eq!(
        feed.coupons[1].discount(),
        Discount::Percent {
            percent: 15,
            max: Some(1000)
        }
    );
    assert!(feed.coupons[1].new_users_only());
    assert_eq!(feed.coupons[2].kind(), CouponKind::Code { code: "SAVE2" });
}

fn problem(coupon: &str) -> String {
    let feed = parse_feed(&feed_with(coupon)).expect("envelope is fine");
    assert!(feed.coupons.is_empty(), "accepted: {coupon}");
    feed.problems
        .first()
        .map(|p| p.reason.clone())
        .unwrap_or_default()
}

const TAIL: &str = r#""currency": "USD", "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z""#;

#[test]
fn names_each_invalid_coupon_and_why() {
    let cases = [
        (format!(r#"{{"id": "a", "kind": "voucher", "title": "t", {TAIL}}}"#), "unknown kind"),
        (format!(r#"{{"id": "a", "title": "t", {TAIL}}}"#), "missing kind"),
        (format!(r#"{{"id": "a", "kind": "store", "title": "t", {TAIL}}}"#), "needs a store_id"),
        (format!(r#"{{"id": "a", "kind": "code", "title": "t", {TAIL}}}"#), "needs a code"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "product_ids": ["1"], {TAIL}}}"#), "store coupons"),
        (format!(r#"{{"id": "a", "kind": "code", "code": "X", "title": "t", "category_ids": ["c"], {TAIL}}}"#), "store coupons"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "min_spend": -5, {TAIL}}}"#), "negative"),
        (format!(r#"{{"kind": "select", "title": "t", {TAIL}}}"#), "missing id"),
        (format!(r#"{{"id": "a", "kind": "select", {TAIL}}}"#), "missing title"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "fixed", "amount": -1}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "negative"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "fixed", "amount": 99999999999}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "absurdly large"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "percent", "percent": 150}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "between 1 and 100"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "bogo"}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "unknown discount type"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "fixed", "amount": 1}, "starts_at": "2026-12-01T00:00:00Z", "expires_at": "2026-11-01T00:00:00Z"}"#.into(), "not after starts_at"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "XBT", "discount": {"type": "fixed", "amount": 1}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "unknown currency"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": {"type": "fixed", "amount": 1}, "starts_at": "yesterday", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "RFC 3339"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "countries": ["usa"], {TAIL}}}"#), "alpha-2"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "url": "https://evil.example/", {TAIL}}}"#), "https AliExpress"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "url": "javascript:alert(1)", {TAIL}}}"#), "https AliExpress"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "min_spend": 1.5, {TAIL}}}"#), "whole number"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "min_spend": "100", {TAIL}}}"#), "must be a whole number, not a string"),
        (format!(r#"{{"id": 7, "kind": "select", "title": "t", {TAIL}}}"#), "id must be a string"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "countries": "US", {TAIL}}}"#), "list of strings"),
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "new_users_only": "yes", {TAIL}}}"#), "true or false"),
        (r#"{"id": "a", "kind": "select", "title": "t", "currency": "USD", "discount": 5, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}"#.into(), "discount must be an object"),
        ("42".into(), "not a coupon object"),
    ];
    for (coupon, expected) in cases {
        let reason = problem(&coupon);
        assert!(
            reason.contains(expected),
            "{coupon}\n  gave {reason:?}, expected {expected:?}"
        );
    }
}

#[test]
fn keeps_the_good_coupons_beside_the_bad() {
    let mixed = format!(
        r#"{GOOD}, {{"id": "bad", "kind": "nope", "title": "t", {TAIL}}}, {{"id": "st-1", "kind": "select", "title": "dup", {TAIL}}}"#
    );
    let feed = parse_feed(&feed_with(&mixed)).expect("envelope is fine");
    assert_eq!(feed.coupons.len(), 3);
    let problems: Vec<String> = feed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "coupon 3 (bad): unknown kind \"nope\"",
            "coupon 4 (st-1): duplicate id"
        ]
    );
}

#[test]
fn refuses_bad_envelopes() {
    for json in [
        "",
        "[]",
        r#"{"version": 2, "generated_at": "2026-11-23T00:00:00Z", "coupons": []}"#,
        r#"{"version": 1, "generated_at": "soon", "coupons": []}"#,
        r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z"}"#,
        r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": {}}"#,
    ] {
        assert!(parse_feed(json).is_err(), "{json}");
    }
}
