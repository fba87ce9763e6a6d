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
    let reason = &feed.problems.first().expect("a problem").reason;
    assert!(CouponFault::CODES.contains(&crate::problem::Problem::code(reason)));
    reason.to_string()
}

const TAIL: &str = r#""currency": "USD", "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z""#;

#[test]
fn names_each_invalid_coupon_and_why() {
    let cases = [
        (format!(r#"{{"id": "a", "kind": "voucher", "title": "t", {TAIL}}}"#), "unknown kind"),
        (format!(r#"{{"id": "a", "title": "t", {TAIL}}}"#), "missing kind"),
        (format!(r#"{{"id": "a", "kind": "store", "title": "t", {TAIL}}}"#), "missing store_id"),
        (format!(r#"{{"id": "a", "kind": "code", "title": "t", {TAIL}}}"#), "missing code"),
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
        (format!(r#"{{"id": "a", "kind": "select", "title": "t", "min_spend": "100", {TAIL}}}"#), "min_spend must be a whole number"),
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

/// The feed's envelope as the serde structs this reader replaced read it, for comparison: the
/// same documents must be refused as a whole. (Loose fields are `Value`s here, which read nested
/// objects more strictly than the reader skips them: the texts below never differ there.)
mod reference {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::Value;
    use std::fmt;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct Feed<'a> {
        version: u64,
        #[serde(borrow)]
        generated_at: std::borrow::Cow<'a, str>,
        coupons: Vec<ObjectOr<Coupon>>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Coupon {
        id: Option<Value>,
        kind: Option<Value>,
        title: Option<Value>,
        code: Option<Value>,
        store_id: Option<Value>,
        product_ids: Option<Value>,
        category_ids: Option<Value>,
        currency: Option<Value>,
        min_spend: Option<Value>,
        discount: Option<ObjectOr<Discount>>,
        countries: Option<Value>,
        starts_at: Option<Value>,
        expires_at: Option<Value>,
        new_users_only: Option<Value>,
        url: Option<Value>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Discount {
        #[serde(rename = "type")]
        kind: Option<Value>,
        amount: Option<Value>,
        percent: Option<Value>,
        max: Option<Value>,
    }

    struct ObjectOr<T>(std::marker::PhantomData<T>);

    struct ObjectOrVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOrVisitor<T> {
        type Value = ObjectOr<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("anything")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(ObjectOr(std::marker::PhantomData))
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOr<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ObjectOrVisitor(std::marker::PhantomData))
        }
    }
}

/// Whether serde refuses the document as a feed: its struct, read from an object only (serde
/// also reads a struct from a list of its fields, which a feed is not).
fn refused_by_reference(json: &str) -> bool {
    serde_json::from_str::<reference::Feed<'_>>(json).is_err()
        || !json.trim_start().starts_with('{')
}

/// Whether the reader refuses the whole document for its JSON or its shape (not one coupon, nor
/// the version or date).
fn refused(json: &str) -> bool {
    matches!(
        parse_feed(json),
        Err(FeedError::NotJson(_) | FeedError::NotAnObject | FeedError::Field(_))
    )
}

#[test]
fn says_why_a_feed_is_refused() {
    let good = feed_with(GOOD);
    let at = |line, column| crate::codec::json::Position { line, column };
    for (json, error) in [
        (
            format!("[1, \"2026-11-23T00:00:00Z\", [{GOOD}]]"),
            FeedError::NotAnObject,
        ),
        ("null".to_owned(), FeedError::NotAnObject),
        (
            good.replace(r#""version": 1"#, r#""version": 1, "version": 1"#),
            FeedError::Field(FieldFault::Twice {
                field: "version",
                at: at(1, 26),
            }),
        ),
        (
            good.replace(r#""version": 1"#, r#""version": "1""#),
            FeedError::Field(FieldFault::WrongType {
                field: "version",
                at: at(1, 13),
            }),
        ),
        (
            good.replace(r#""coupons": ["#, r#""coupons": 5, "x": ["#),
            FeedError::Field(FieldFault::WrongType {
                field: "coupons",
                at: at(1, 67),
            }),
        ),
        (
            r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z"}"#.to_owned(),
            FeedError::Field(FieldFault::Missing("coupons")),
        ),
        (
            good.replace(r#""version": 1"#, r#""version": 2"#),
            FeedError::UnsupportedVersion(2),
        ),
        (
            good.replace("2026-11-23T00:00:00Z", "soon"),
            FeedError::BadGeneratedAt("soon".into()),
        ),
    ] {
        assert_eq!(parse_feed(&json), Err(error.clone()), "{json}");
        assert!(FeedError::CODES.contains(&crate::problem::Problem::code(&error)));
    }
    let Err(FeedError::NotJson(e)) = parse_feed("{\n \"version\": x}") else {
        panic!("not JSON");
    };
    assert_eq!(
        (e.kind, e.line, e.column),
        (crate::codec::json::JsonFault::ExpectedValue, 2, 13)
    );
}

#[test]
fn refuses_the_documents_serde_refused() {
    let good = feed_with(GOOD);
    for json in [
        good.clone(),
        format!("[1, \"2026-11-23T00:00:00Z\", [{GOOD}]]"),
        "[1, \"2026-11-23T00:00:00Z\", [], 4]".to_owned(),
        "[1, \"2026-11-23T00:00:00Z\"]".to_owned(),
        good.replace(r#""id": "st-1","#, r#""id": "st-1", "id": "again","#),
        good.replace(r#""id": "st-1","#, r#""id": null, "id": "again","#),
        good.replace(
            r#""type": "fixed", "amount": 300"#,
            r#""type": "fixed", "type": "x""#,
        ),
        good.replace(r#""version": 1"#, r#""version": 1, "version": 1"#),
        good.replace(r#""version": 1"#, r#""version": -1"#),
        good.replace(r#""version": 1"#, r#""version": 1.0"#),
        good.replace(r#""version": 1"#, r#""version": "1""#),
        good.replace(r#""min_spend": 2000"#, r#""min_spend": 1e999"#),
        good.replace(r#""min_spend": 2000"#, r#""min_spend": 1e300"#),
        good.replace(
            r#""min_spend": 2000"#,
            r#""min_spend": {"a": [1, {"b": 2}]}"#,
        ),
        good.replace(r#""min_spend": 2000"#, r#""min_spend": "\ud800""#),
        good.replace(
            r#""min_spend": 2000"#,
            r#""extra": "\ud800x", "min_spend": 2000"#,
        ),
        good.replace(
            r#""min_spend": 2000"#,
            r#""extra": {"k": 1e999}, "min_spend": 2000"#,
        ),
        good.replace(r#""title": "US $3 off US $20""#, r#""title": "tab	inside""#),
        format!("{good} x"),
        format!("{good} "),
        good.replace(
            r#""coupons": ["#,
            r#""coupons": [null, 1, "s", true, [1e999], 5e999,"#,
        ),
    ] {
        assert_eq!(refused(&json), refused_by_reference(&json), "{json}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

    /// A good feed with a piece of JSON put in, or taken out, anywhere.
    #[test]
    fn refuses_what_serde_refused(
        at in proptest::prelude::any::<proptest::sample::Index>(),
        cut in 0usize..6,
        piece in proptest::sample::select(vec![
            "", "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1", "-1", "1.5", "\"x\"",
            "\"id\": 1,", "\"id\": \"d\",", "\"discount\": null,", "{}", "[]", " ", "\\", "\\n",
        ]),
    ) {
        let good = feed_with(GOOD);
        let mut at = at.index(good.len());
        while !good.is_char_boundary(at) {
            at -= 1;
        }
        let end = (at + cut).min(good.len());
        let end = (end..=good.len()).find(|e| good.is_char_boundary(*e)).unwrap_or(good.len());
        let json = format!("{}{piece}{}", &good[..at], &good[end..]);
        proptest::prop_assert_eq!(refused(&json), refused_by_reference(&json), "{}", json);
    }
}

/// Reads `json` with [`FeedReading`], at most `budget` coupons a step.
fn stepped(json: &str, budget: usize) -> Result<Feed, FeedError> {
    let mut reading = FeedReading::new(Cow::Borrowed(json));
    while !reading.step(budget)? {}
    reading.finish()
}

#[test]
fn reads_the_same_a_coupon_at_a_time() {
    let good = feed_with(GOOD);
    let bad_coupon = format!(r#"{{"id": "a", "kind": "voucher", "title": "t", {TAIL}}}"#);
    for json in [
        good.clone(),
        feed_with(""),
        feed_with(&format!("{GOOD}, {bad_coupon}, {GOOD}")),
        format!("[1, \"2026-11-23T00:00:00Z\", [{GOOD}]]"),
        format!(
            r#"{{"coupons": [{GOOD}], "extra": [1, 2], "generated_at": "2026-11-23T00:00:00Z", "version": 1}}"#
        ),
        "[1, \"2026-11-23T00:00:00Z\", [], 4]".to_owned(),
        "[1, \"2026-11-23T00:00:00Z\"]".to_owned(),
        good.replace(r#""version": 1"#, r#""version": 1, "version": 1"#),
        good.replace(r#""version": 1"#, r#""version": 2"#),
        good.replace(r#""coupons": ["#, r#""coupons": 5, "x": ["#),
        format!("{good} x"),
        good.replace(r#""store_id": "912345","#, r#""store_id": "912345", ]"#),
    ] {
        let whole = parse_feed(&json);
        for budget in [1, 2, 5] {
            assert_eq!(stepped(&json, budget), whole, "budget {budget}: {json}");
        }
    }
}

#[test]
fn a_step_reads_at_most_its_budget() {
    let coupons = [GOOD; 4].join(", ");
    let json = feed_with(&coupons);
    let mut reading = FeedReading::new(Cow::Borrowed(&json));
    let mut steps = 1;
    while !reading.step(5).expect("a good feed") {
        steps += 1;
    }
    // 12 coupons, 5 a step: three steps read them, and the last also reads the envelope's end.
    assert_eq!(steps, 3);
    let feed = reading.finish().expect("a good feed");
    // The same three coupons four times: the first three stand, the rest are duplicates.
    assert_eq!((feed.coupons.len(), feed.problems.len()), (3, 9));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

    /// Whatever the document, reading it in steps of any size gives what one step gives.
    #[test]
    fn steps_read_what_one_read_reads(
        at in proptest::prelude::any::<proptest::sample::Index>(),
        piece in proptest::sample::select(vec!["", "{", "]", ",", "null", "\"x\"", "[]", "{}"]),
        budget in 1usize..4,
    ) {
        let good = feed_with(&format!("{GOOD}, {GOOD}"));
        let mut at = at.index(good.len());
        while !good.is_char_boundary(at) {
            at -= 1;
        }
        let json = format!("{}{piece}{}", &good[..at], &good[at..]);
        proptest::prop_assert_eq!(stepped(&json, budget), parse_feed(&json), "{}", json);
    }
}

#[test]
fn a_url_many_coupons_share_is_checked_for_each_of_them() {
    let coupon = |id: &str, url: &str| {
        format!(r#"{{"id": "{id}", "kind": "select", "title": "t", "url": "{url}", {TAIL}}}"#)
    };
    let good = "https://www.aliexpress.com/store/912345";
    let bad = "javascript:alert(1)";
    let coupons = [
        coupon("a", good),
        coupon("b", bad),
        coupon("c", good),
        coupon("d", bad),
    ]
    .join(", ");
    let feed = parse_feed(&feed_with(&coupons)).expect("envelope is fine");
    let kept: Vec<&str> = feed.coupons.iter().map(|c| c.id()).collect();
    assert_eq!(kept, ["a", "c"]);
    let refused: Vec<(usize, &CouponFault)> =
        feed.problems.iter().map(|p| (p.index, &p.reason)).collect();
    assert_eq!(
        refused,
        [(1, &CouponFault::BadUrl), (3, &CouponFault::BadUrl)]
    );
}
