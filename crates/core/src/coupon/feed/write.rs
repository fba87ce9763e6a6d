//! Writing a v1 feed: the one writer of the format [`super::parse_feed`] reads, for the
//! companion server's feeds per market. What it writes reads back to the same coupons.

use super::rates::write_rates;
use super::FEED_VERSION;
use crate::codec::json::Writer;
use crate::codec::rfc3339;
use crate::coupon::{Coupon, CouponKind, Discount, Timestamp};
use crate::money::Rates;

/// A v1 feed of `coupons`, in the order given, made at `generated_at`, with `rates` when there
/// are any: `{"version": 1, "generated_at", "rates"?, "coupons": [...]}`, compact. The same
/// arguments always give the same bytes (so the same signature and ETag).
pub fn write_feed<'a>(
    generated_at: Timestamp,
    coupons: impl IntoIterator<Item = &'a Coupon>,
    rates: &Rates,
) -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("version");
    w.unsigned(FEED_VERSION);
    w.key("generated_at");
    w.string(&rfc3339::write(generated_at));
    if rates.base().is_some() {
        w.key("rates");
        write_rates(&mut w, rates);
    }
    w.key("coupons");
    w.nested(|w| {
        w.begin_array();
        for coupon in coupons {
            w.nested(|w| write_coupon(w, coupon));
        }
        w.end_array();
    });
    w.end_object();
    w.finish()
}

/// One coupon's object, every field the reader reads; optional ones only when they say
/// something (no empty scope, no url that was not given).
fn write_coupon(w: &mut Writer, coupon: &Coupon) {
    w.begin_object();
    w.key("id");
    w.string(coupon.id());
    w.key("kind");
    match coupon.kind() {
        CouponKind::Store {
            store_id,
            product_ids,
            category_ids,
        } => {
            w.string("store");
            w.key("store_id");
            w.string(store_id);
            for (key, ids) in [("product_ids", product_ids), ("category_ids", category_ids)] {
                if !ids.is_empty() {
                    w.key(key);
                    w.strings(ids.iter().map(|id| &**id));
                }
            }
        }
        CouponKind::Select => w.string("select"),
        CouponKind::Code { code } => {
            w.string("code");
            w.key("code");
            w.string(code);
        }
    }
    w.key("title");
    w.string(coupon.title());
    w.key("currency");
    w.string(coupon.currency().as_str());
    w.key("min_spend");
    w.unsigned(coupon.min_spend());
    w.key("discount");
    w.nested(|w| {
        w.begin_object();
        w.key("type");
        match coupon.discount() {
            Discount::Fixed { amount } => {
                w.string("fixed");
                w.key("amount");
                w.unsigned(amount);
            }
            Discount::Percent { percent, max } => {
                w.string("percent");
                w.key("percent");
                w.unsigned(u64::from(percent));
                if let Some(max) = max {
                    w.key("max");
                    w.unsigned(max);
                }
            }
        }
        w.end_object();
    });
    w.key("countries");
    w.strings(
        coupon
            .countries()
            .iter()
            .map(|c| std::str::from_utf8(c).unwrap_or("??")),
    );
    w.key("starts_at");
    w.string(&rfc3339::write(coupon.starts_at()));
    w.key("expires_at");
    w.string(&rfc3339::write(coupon.expires_at()));
    w.key("new_users_only");
    w.boolean(coupon.new_users_only());
    if let Some(url) = coupon.url() {
        w.key("url");
        w.string(url);
    }
    w.end_object();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{parse_feed, CouponFields};
    use crate::money::code;

    const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [
        {"id": "st-1", "kind": "store", "title": "US $3 \\ \n “quoted” off US $20 —", "store_id": "912345",
         "product_ids": ["1005001234567890"], "category_ids": ["c1", "c2"], "currency": "USD", "min_spend": 2000,
         "discount": {"type": "fixed", "amount": 300}, "countries": ["US", "CA"],
         "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00+01:00",
         "url": "https://www.aliexpress.com/store/912345"},
        {"id": "sel-1", "kind": "select", "title": "15% off", "currency": "USD", "min_spend": 0,
         "discount": {"type": "percent", "percent": 15, "max": 1000}, "starts_at": "2026-11-01T00:00:00Z",
         "expires_at": "2026-12-01T00:00:00Z", "new_users_only": true},
        {"id": "code-1", "kind": "code", "title": "Code", "code": "SAVE2", "currency": "JPY", "min_spend": 1500,
         "discount": {"type": "percent", "percent": 5}, "starts_at": "2026-11-01T00:00:00Z",
         "expires_at": "2026-12-01T00:00:00Z", "url": "https://www.aliexpress.com/p/coupon.html"}
    ]}"#;

    #[test]
    fn what_it_writes_reads_back_to_the_same_coupons() {
        let feed = parse_feed(FEED).expect("feed");
        assert!(feed.problems.is_empty(), "{:?}", feed.problems);
        let text = write_feed(feed.generated_at, &feed.coupons, &Rates::none());
        let again = parse_feed(&text).expect("its own feed");
        assert_eq!(again, feed);
        assert_eq!(
            write_feed(again.generated_at, &again.coupons, &again.rates),
            text
        );
        // serde reads it as the same document, without a rates field when there are none.
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["version"], 1);
        assert_eq!(value["generated_at"], "2026-11-23T00:00:00Z");
        assert!(value.get("rates").is_none());
        assert_eq!(value["coupons"][0]["expires_at"], "2026-11-30T23:00:00Z");
        assert_eq!(
            value["coupons"][2]["url"],
            "https://www.aliexpress.com/p/coupon.html"
        );
        assert!(value["coupons"][1].get("url").is_none());
        assert!(value["coupons"][1].get("product_ids").is_none());
    }

    #[test]
    fn rates_ride_along_and_older_readers_skip_them() {
        let feed = parse_feed(FEED).expect("feed");
        let rates = Rates::new(code("USD"), [(code("EUR"), 0.92), (code("BRL"), 5.05)]);
        let text = write_feed(feed.generated_at, &feed.coupons, &rates);
        let again = parse_feed(&text).expect("feed with rates");
        assert_eq!(again.rates, rates);
        assert_eq!(again.coupons, feed.coupons);
        // A reader that knows nothing of rates: the same text with the field renamed is
        // skipped as any unknown field is.
        let unknown = text.replace("\"rates\"", "\"later_field\"");
        let old = parse_feed(&unknown).expect("unknown fields are skipped");
        assert_eq!((old.coupons, old.rates), (feed.coupons, Rates::none()));
    }

    #[test]
    fn a_feed_without_rates_reads_none_and_a_misshapen_one_is_refused() {
        assert_eq!(parse_feed(FEED).expect("feed").rates, Rates::none());
        let misshapen = FEED.replacen("\"coupons\"", "\"rates\": [1], \"coupons\"", 1);
        assert!(matches!(
            parse_feed(&misshapen),
            Err(crate::coupon::FeedError::Field(
                crate::coupon::FieldFault::WrongType { field: "rates", .. }
            ))
        ));
        let twice = FEED.replacen(
            "\"coupons\"",
            "\"rates\": null, \"rates\": null, \"coupons\"",
            1,
        );
        assert!(matches!(
            parse_feed(&twice),
            Err(crate::coupon::FeedError::Field(
                crate::coupon::FieldFault::Twice { field: "rates", .. }
            ))
        ));
    }

    #[test]
    fn the_same_coupons_make_the_same_bytes() {
        let coupon = Coupon::new(CouponFields {
            id: "a",
            kind: CouponKind::Select,
            title: "t",
            currency: code("EUR"),
            min_spend: 1,
            discount: Discount::Fixed { amount: 1 },
            countries: &[*b"ES"],
            starts_at: 0,
            expires_at: 1,
            new_users_only: false,
            url: None,
        });
        let one = write_feed(5, [&coupon], &Rates::none());
        assert_eq!(one, write_feed(5, [&coupon.clone()], &Rates::none()));
        assert_eq!(
            one,
            r#"{"version":1,"generated_at":"1970-01-01T00:00:05Z","coupons":[{"id":"a","kind":"select","title":"t","currency":"EUR","min_spend":1,"discount":{"type":"fixed","amount":1},"countries":["ES"],"starts_at":"1970-01-01T00:00:00Z","expires_at":"1970-01-01T00:00:01Z","new_users_only":false}]}"#
        );
    }
}
