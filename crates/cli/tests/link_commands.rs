//! The `shopper link` commands, run as a publisher would: URLs in on stdin, JSON lines out.

// The shared helpers stop the test with a message, as a test should.
#![allow(clippy::panic)]

mod common;

use common::shopper_lines as shopper;
use serde_json::json;

#[test]
fn classify_prints_one_object_per_line() {
    let (ok, lines) = shopper(
        &["link", "classify"],
        "https://www.aliexpress.com/item/slug/1005001234567890.html?spm=x\nhttps://aliexpress.com.evil.example/item/1005001234567890.html\nhttps://s.click.aliexpress.com/e/_abc\n",
    );
    assert!(ok);
    assert_eq!(
        lines,
        vec![
            json!({"input": "https://www.aliexpress.com/item/slug/1005001234567890.html?spm=x", "aliexpress": true, "kind": "product", "product_id": "1005001234567890", "canonical": "https://www.aliexpress.com/item/1005001234567890.html", "attributed": false}),
            json!({"input": "https://aliexpress.com.evil.example/item/1005001234567890.html", "aliexpress": false, "kind": null, "product_id": null, "canonical": null, "attributed": false}),
            json!({"input": "https://s.click.aliexpress.com/e/_abc", "aliexpress": true, "kind": "affiliate", "product_id": null, "canonical": null, "attributed": true}),
        ]
    );
}

#[test]
fn rewrite_says_why_links_are_left_alone() {
    let input = "https://www.aliexpress.com/item/1005001234567890.html\nhttps://example.com/\nhttps://www.aliexpress.com/store/912345\nhttps://www.aliexpress.com/item/1005001234567890.html?aff_fcid=x\n";
    let (ok, lines) = shopper(&["link", "rewrite", "--affiliate-key", "_dKey"], input);
    assert!(ok);
    let reasons: Vec<&str> = lines
        .iter()
        .map(|l| l["reason"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        reasons,
        ["rewritten", "not_aliexpress", "not_product", "attributed"]
    );
    assert_eq!(
        lines[0]["output"],
        "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html"
    );
    assert!(lines[1..].iter().all(|l| l["output"].is_null()));
}

#[test]
fn rewrite_stands_down_for_an_affiliate_visit() {
    let input = "https://www.aliexpress.com/item/1005001234567890.html\n";
    let landing = "https://www.aliexpress.com/item/1005009999999999.html?aff_fcid=x&sk=_other";
    let (ok, lines) = shopper(
        &[
            "link",
            "rewrite",
            "--affiliate-key",
            "_dKey",
            "--landing",
            landing,
        ],
        input,
    );
    assert!(ok);
    assert_eq!(
        lines,
        vec![
            json!({"input": "https://www.aliexpress.com/item/1005001234567890.html", "output": null, "reason": "stand_down"})
        ]
    );
    let (ok, lines) = shopper(
        &[
            "link",
            "rewrite",
            "--affiliate-key",
            "_dKey",
            "--referrer",
            "https://s.click.aliexpress.com/e/_x",
        ],
        input,
    );
    assert!(ok);
    assert_eq!(lines[0]["reason"], "stand_down");
}

#[test]
fn rewrite_refuses_a_bad_key() {
    let (ok, lines) = shopper(
        &["link", "rewrite", "--affiliate-key", "a&b"],
        "https://www.aliexpress.com/item/1005001234567890.html\n",
    );
    assert!(!ok);
    assert!(lines.is_empty());
}
