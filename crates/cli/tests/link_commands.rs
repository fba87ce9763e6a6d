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
        "https://www.aliexpress.com/item/slug/1005001234567890.html?spm=x\nhttps://aliexpress.com.evil.example/item/1005001234567890.html\nhttps://s.click.aliexpress.com/e/_abc\nhttps://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890&spm=a\nhttps://www.aliexpress.com/p/trade/confirm.html?productIds=1005001234567890\n",
    );
    assert!(ok);
    assert_eq!(
        lines,
        vec![
            json!({"input": "https://www.aliexpress.com/item/slug/1005001234567890.html?spm=x", "aliexpress": true, "kind": "product", "tagging": "product_page", "product_id": "1005001234567890", "canonical": "https://www.aliexpress.com/item/1005001234567890.html", "attributed": false}),
            json!({"input": "https://aliexpress.com.evil.example/item/1005001234567890.html", "aliexpress": false, "kind": null, "tagging": null, "product_id": null, "canonical": null, "attributed": false}),
            json!({"input": "https://s.click.aliexpress.com/e/_abc", "aliexpress": true, "kind": "affiliate", "tagging": "untagged", "product_id": null, "canonical": null, "attributed": true}),
            json!({"input": "https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890&spm=a", "aliexpress": true, "kind": "other", "tagging": "about_products", "product_id": null, "canonical": "https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890", "attributed": false}),
            json!({"input": "https://www.aliexpress.com/p/trade/confirm.html?productIds=1005001234567890", "aliexpress": true, "kind": "other", "tagging": "personal", "product_id": null, "canonical": null, "attributed": false}),
        ]
    );
}

#[test]
fn rewrite_says_why_links_are_left_alone() {
    let input = "https://www.aliexpress.com/item/1005001234567890.html\nhttps://example.com/\nhttps://www.aliexpress.com/store/912345\nhttps://www.aliexpress.com/item/1005001234567890.html?aff_fcid=x\nhttps://www.aliexpress.com/p/trade/confirm.html?productIds=1005001234567890\nhttps://www.aliexpress.com/gcp/300000444/choice?productId=1005001234567890&spm=x\n";
    let (ok, lines) = shopper(&["link", "rewrite", "--affiliate-key", "_dKey"], input);
    assert!(ok);
    let reasons: Vec<&str> = lines
        .iter()
        .map(|l| l["reason"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        reasons,
        [
            "rewritten",
            "not_aliexpress",
            "not_product",
            "attributed",
            "personal_page",
            "rewritten"
        ]
    );
    assert_eq!(
        lines[0]["output"],
        "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html"
    );
    assert!(lines[1..5].iter().all(|l| l["output"].is_null()));
    // A page about products leads to itself, not to a product page.
    assert_eq!(
        lines[5]["output"],
        "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2Fgcp%2F300000444%2Fchoice%3FproductId%3D1005001234567890"
    );
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
fn rewrite_does_not_stand_down_for_our_own_visit() {
    let input = "https://www.aliexpress.com/item/1005001234567890.html\n";
    let run = |extra: &[&str]| {
        let mut args = vec!["link", "rewrite", "--affiliate-key", "_dKey"];
        args.extend_from_slice(extra);
        let (ok, lines) = shopper(&args, input);
        assert!(ok);
        lines[0]["reason"].as_str().unwrap_or("").to_owned()
    };
    // Our key on the landing, or a bare redirector referrer on a visit we started.
    let ours = "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=x&sk=_dKey";
    assert_eq!(run(&["--landing", ours]), "rewritten");
    let bare = "https://s.click.aliexpress.com/";
    assert_eq!(run(&["--referrer", bare, "--our-visit"]), "rewritten");
    assert_eq!(run(&["--referrer", bare]), "stand_down");
}

#[test]
fn rewrite_stands_down_on_someone_elses_key_in_the_cookies() {
    let input = "https://www.aliexpress.com/item/1005001234567890.html\n";
    let run = |cookies: &str| {
        let args = [
            "link",
            "rewrite",
            "--affiliate-key",
            "_dKey",
            "--cookies",
            cookies,
        ];
        let (ok, lines) = shopper(&args, input);
        assert!(ok);
        lines[0]["reason"].as_str().unwrap_or("").to_owned()
    };
    let cid = "aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-";
    assert_eq!(run(&format!("x_user=1; {cid}_DlJ4Oaz")), "stand_down");
    assert_eq!(run(&format!("{cid}_dKey")), "rewritten");
    assert_eq!(run("x_user=1"), "rewritten");
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
