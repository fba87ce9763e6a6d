//! `shopper feed` and `shopper coupons`, run as the publisher would, on files in a temp folder.

// Helpers outside #[test] functions stop the test with a message, as a test should.
#![allow(clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn shopper(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopper"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("spawn shopper: {e}"))
}

fn stdout_json(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("shopper-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir: {e}"));
        Self(dir)
    }
    fn write(&self, name: &str, text: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
        path.display().to_string()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [
  {"id": "big", "kind": "store", "title": "US $10 off", "store_id": "st1", "currency": "USD", "min_spend": 0,
   "discount": {"type": "fixed", "amount": 1000}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
  {"id": "small", "kind": "store", "title": "US $2 off", "store_id": "st1", "currency": "USD", "min_spend": 0,
   "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
  {"id": "code", "kind": "code", "code": "SAVE15", "title": "US $15 off US $45", "currency": "USD", "min_spend": 4500,
   "discount": {"type": "fixed", "amount": 1500}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
]}"#;

const CART: &str = r#"{"currency": "USD", "country": "US", "new_user": false, "now": "2026-11-23T12:00:00Z",
  "items": [{"product_id": "1005001234567890", "store_id": "st1", "category_ids": [], "price": 5000, "quantity": 1}]}"#;

fn keygen(dir: &Dir) -> String {
    let out = shopper(&["feed", "keygen", "--key-id", "dev-1"]);
    assert!(out.status.success());
    let key = &stdout_json(&out)[0];
    assert_eq!(key["key_id"], "dev-1");
    dir.write("key.json", &out.stdout)
}

#[test]
fn sign_verify_round_trip_and_a_tampered_byte_is_refused() {
    let dir = Dir::new("sign");
    let key = keygen(&dir);
    let feed = dir.write("feed.json", FEED.as_bytes());
    let signed = shopper(&["feed", "sign", "--key", &key, &feed]);
    assert!(
        signed.status.success(),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let envelope = dir.write("feed.signed.json", &signed.stdout);

    let verified = shopper(&["feed", "verify", "--key", &key, &envelope]);
    assert!(verified.status.success());
    assert_eq!(
        verified.stdout,
        FEED.as_bytes(),
        "the exact feed bytes come back"
    );

    // Flip one bit of the payload's base64 text (still valid base64, different bytes).
    let mut tampered = signed.stdout.clone();
    let at = tampered
        .windows(11)
        .position(|w| w == b"\"payload\":\"")
        .map(|i| i + 40)
        .unwrap_or_else(|| panic!("payload"));
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    let tampered_path = dir.write("tampered.json", &tampered);
    let refused = shopper(&["feed", "verify", "--key", &key, &tampered_path]);
    assert!(!refused.status.success());
    assert!(
        refused.stdout.is_empty(),
        "nothing of a refused feed is printed"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("signature does not match"));

    let stranger = shopper(&["feed", "keygen", "--key-id", "dev-1"]);
    let stranger = dir.write("stranger.json", &stranger.stdout);
    assert!(!shopper(&["feed", "verify", "--key", &stranger, &envelope])
        .status
        .success());
}

#[test]
fn sign_refuses_a_feed_with_invalid_coupons() {
    let dir = Dir::new("lint");
    let key = keygen(&dir);
    let bad = FEED.replace(r#""kind": "code", "code": "SAVE15","#, r#""kind": "code","#);
    let feed = dir.write("bad.json", bad.as_bytes());
    let signed = shopper(&["feed", "sign", "--key", &key, &feed]);
    assert!(!signed.status.success());
    assert!(String::from_utf8_lossy(&signed.stderr).contains("missing code"));

    let lint = shopper(&["feed", "lint", &feed]);
    assert!(!lint.status.success());
    assert_eq!(
        stdout_json(&lint),
        vec![
            json!({"index": 2, "id": "code", "code": "coupon_missing_field", "reason": "missing code"}),
            json!({"valid": 2, "invalid": 1})
        ]
    );
    let clean = dir.write("good.json", FEED.as_bytes());
    assert!(shopper(&["feed", "lint", &clean]).status.success());
    assert!(!shopper(&["feed", "lint", &dir.path("missing.json")])
        .status
        .success());
}

#[test]
fn coupons_match_and_best() {
    let dir = Dir::new("coupons");
    let feed = dir.write("feed.json", FEED.as_bytes());
    let cart = dir.write("cart.json", CART.as_bytes());
    let matched = shopper(&["coupons", "match", "--feed", &feed, "--cart", &cart]);
    assert!(matched.status.success());
    let savings: Vec<(String, u64)> = stdout_json(&matched)
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap_or("").to_owned(),
                m["saving"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        savings,
        [
            ("big".to_owned(), 1000),
            ("small".to_owned(), 200),
            ("code".to_owned(), 1500)
        ]
    );

    // The big store coupon would leave 4000, under the code's 4500 minimum: the small one wins.
    let best = shopper(&["coupons", "best", "--feed", &feed, "--cart", &cart]);
    assert!(best.status.success());
    assert_eq!(
        stdout_json(&best),
        vec![json!({"saving": 1700, "applied": ["small", "code"], "cut_short": false})]
    );
}

#[test]
fn coupons_match_a_product_under_its_id_on_either_site() {
    // A store coupon scoped to a product's global id, and one to another product's
    // aliexpress.us id; a cart of each product, under its id on the other site.
    let feed = r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [
  {"id": "global", "kind": "store", "title": "US $3 off", "store_id": "st1", "product_ids": ["1005010026778896"], "currency": "USD",
   "min_spend": 0, "discount": {"type": "fixed", "amount": 300}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
  {"id": "us", "kind": "store", "title": "US $4 off", "store_id": "st1", "product_ids": ["3256801048253138"], "currency": "USD",
   "min_spend": 0, "discount": {"type": "fixed", "amount": 400}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
]}"#;
    let cart = |product: &str| {
        format!(
            r#"{{"currency": "USD", "country": "US", "new_user": false, "now": "2026-11-23T12:00:00Z",
  "items": [{{"product_id": "{product}", "store_id": "st1", "category_ids": [], "price": 5000, "quantity": 1}}]}}"#
        )
    };
    let dir = Dir::new("coupons-us");
    let feed = dir.write("feed.json", feed.as_bytes());
    for (product, want) in [
        ("3256809840464144", vec!["global"]),
        ("1005010026778896", vec!["global"]),
        ("1005001234567890", vec!["us"]),
        ("3256809840464145", vec![]),
    ] {
        let cart = dir.write("cart.json", cart(product).as_bytes());
        let matched = shopper(&["coupons", "match", "--feed", &feed, "--cart", &cart]);
        assert!(matched.status.success());
        let ids: Vec<String> = stdout_json(&matched)
            .iter()
            .map(|m| m["id"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(ids, want, "{product}");
    }
}
