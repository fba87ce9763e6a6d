//! `POST /v1/links` on the real `shopper-server` binary, with the fake AliExpress API behind it:
//! an API link, then the same from the cache (the fake not called again), a new one once the
//! cache's age has passed; the deep link, with the publisher's key, when the API is off, failing,
//! slow past the deadline or its breaker open; a mixed batch answered in order with a refusal
//! per URL; bad bodies refused whole; and no URL in any log line or file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{contains, files, post_json, Logged, Response};
use serde_json::{json, Value};
use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault};
use shopper_aliexpress::method::LINK_GENERATE;
use shopper_core::api::LINKS_PATH;

const DEEP_LINK: &str = "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn fake(runtime: &tokio::runtime::Runtime) -> FakeApi {
    runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap()
}

/// The binary configured for `fake`, with these further variables.
fn configured(data: &Path, fake: &FakeApi, vars: &[(&str, &str)]) -> Command {
    let client = fake.client_config();
    let mut command = common::command(data);
    command
        .env("SHOPPER_ALIEXPRESS_APP_KEY", client.app_key)
        .env("SHOPPER_ALIEXPRESS_APP_SECRET", client.app_secret)
        .env("SHOPPER_ALIEXPRESS_TRACKING_ID", client.tracking_id)
        .env("SHOPPER_ALIEXPRESS_API_URL", fake.url());
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

fn ask(server: &Logged, urls: &[&str]) -> Response {
    post_json(
        &server.address,
        LINKS_PATH,
        &json!({ "urls": urls }).to_string(),
    )
}

/// The entries of a 200 answer.
fn entries(response: &Response) -> Vec<Value> {
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()["links"].as_array().expect("links").clone()
}

/// The one entry of a one-URL answer.
fn one(server: &Logged, url: &str) -> Value {
    let mut all = entries(&ask(server, &[url]));
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn item(id: &str) -> String {
    format!("https://www.aliexpress.com/item/{id}.html")
}

/// The extension's default affiliate key, from its configuration file.
fn extension_key() -> String {
    let path = format!("{}/../../extension/config.json", env!("CARGO_MANIFEST_DIR"));
    let config: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    config["affiliate_key"].as_str().unwrap().to_owned()
}

fn deep_link(key: &str, target: &str) -> String {
    // Our targets hold no other character an escape would change.
    let encoded = target.replace(':', "%3A").replace('/', "%2F");
    format!("{DEEP_LINK}{key}&dl_target_url={encoded}")
}

#[test]
fn an_api_link_then_the_cache_then_a_new_one_after_its_age() {
    let runtime = runtime();
    let fake = fake(&runtime);
    let dir = tempfile::tempdir().unwrap();
    // Three seconds: the second request, at once, is well within it.
    let server = Logged::start(configured(
        &dir.path().join("data"),
        &fake,
        &[("SHOPPER_LINK_CACHE_HOURS", "0.000834")],
    ));
    assert!(
        !server.said().contains("off: affiliate API links"),
        "{}",
        server.said()
    );
    let url = "https://www.aliexpress.com/item/1005001234567890.html?spm=a2g0o.home.0";
    let started = Instant::now();
    let first = one(&server, url);
    let api_took = started.elapsed();
    assert_eq!(first["source"], "api");
    assert_eq!(first["product_id"], "1005001234567890");
    assert_eq!(first["refused"], Value::Null);
    let link = first["link"].as_str().unwrap().to_owned();
    assert!(
        link.starts_with("https://s.click.aliexpress.com/e/_fake"),
        "{link}"
    );
    assert_eq!(fake.calls(LINK_GENERATE), 1);

    let started = Instant::now();
    let second = one(&server, url);
    let cache_took = started.elapsed();
    assert_eq!(second["source"], "cache");
    assert_eq!(second["link"], link.as_str());
    // Another page of the same product, on another site: the same product's link.
    assert_eq!(
        one(
            &server,
            "https://es.aliexpress.com/item/slug/1005001234567890.html"
        )["source"],
        "cache"
    );
    assert_eq!(fake.calls(LINK_GENERATE), 1, "the fake was not asked again");
    eprintln!("links: an API call {api_took:?}, a cache hit {cache_took:?} (through the binary)");

    std::thread::sleep(Duration::from_millis(4_100));
    let later = one(&server, url);
    assert_eq!(later["source"], "api", "past the cache's age: asked again");
    assert_eq!(later["link"], link.as_str());
    assert_eq!(fake.calls(LINK_GENERATE), 2);
    assert_eq!(one(&server, url)["source"], "cache");
    assert_eq!(fake.calls(LINK_GENERATE), 2);
}

#[test]
fn with_the_api_off_the_deep_link_with_the_extensions_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(common::command(&dir.path().join("data")));
    let said = server.said();
    assert!(
        said.contains(
            "off: affiliate API links (no AliExpress app key, app secret, tracking id configured): POST /v1/links answers deep links"
        ),
        "{said}"
    );
    let answer = one(
        &server,
        "https://www.aliexpress.com/item/1005001234567890.html?spm=x",
    );
    assert_eq!(answer["source"], "deep_link");
    assert_eq!(
        answer["link"],
        deep_link(&extension_key(), &item("1005001234567890")).as_str()
    );
    assert_eq!(answer["product_id"], "1005001234567890");
}

#[test]
fn a_failing_slow_or_broken_api_leaves_the_deep_link() {
    let runtime = runtime();
    let fake = fake(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(
        &dir.path().join("data"),
        &fake,
        &[
            ("SHOPPER_AFFILIATE_KEY", "operator_key"),
            ("SHOPPER_ALIEXPRESS_LINK_DEADLINE_MS", "600"),
        ],
    ));
    let calls = || fake.calls(LINK_GENERATE);
    let deep = |id: &str| deep_link("operator_key", &item(id));

    // Failing: retried, then the deep link; nothing cached, so the API is asked again later.
    fake.fail_next(Fault::Status(500), 3);
    let answer = one(&server, &item("1005000000000001"));
    assert_eq!(answer["source"], "deep_link");
    assert_eq!(answer["link"], deep("1005000000000001").as_str());
    assert_eq!(calls(), 3, "three attempts");
    assert_eq!(one(&server, &item("1005000000000001"))["source"], "api");
    assert_eq!(calls(), 4);

    // A refusal: the deep link at once.
    fake.fail_next(
        Fault::Refuse {
            code: "isv.error".into(),
            msg: "not a publisher".into(),
            sub_code: Some("isv.unregistered-publisher".into()),
        },
        1,
    );
    assert_eq!(
        one(&server, &item("1005000000000002"))["source"],
        "deep_link"
    );
    assert_eq!(calls(), 5);

    // Slow: cut at the deadline, though the fake takes five seconds.
    fake.fail_next(Fault::Slow(Duration::from_secs(5)), 1);
    let started = Instant::now();
    let answer = one(&server, &item("1005000000000003"));
    assert_eq!(answer["source"], "deep_link");
    assert_eq!(answer["link"], deep("1005000000000003").as_str());
    assert!(
        started.elapsed() < Duration::from_millis(2_500),
        "{:?}",
        started.elapsed()
    );

    // Down: the breaker opens after five outages in a row; from then on the API is not called.
    fake.fail_always(Some(Fault::Status(500)));
    for id in ["1005000000000004", "1005000000000005"] {
        assert_eq!(one(&server, &item(id))["source"], "deep_link");
    }
    let before = calls();
    let answer = one(&server, &item("1005000000000006"));
    assert_eq!(answer["source"], "deep_link");
    assert_eq!(answer["link"], deep("1005000000000006").as_str());
    assert_eq!(calls(), before, "an open breaker calls nothing");
}

#[test]
fn a_mixed_batch_is_answered_in_order_with_a_refusal_per_url() {
    let runtime = runtime();
    let fake = fake(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(&dir.path().join("data"), &fake, &[]));
    let too_long = format!("{}?x={}", item("1005001234567890"), "a".repeat(2_048));
    let urls = [
        "https://www.aliexpress.com/item/1005001234567890.html",
        "https://www.aliexpress.com/store/912345",
        "https://example.com/item/1005001234567890.html",
        "https://www.aliexpress.com/p/shoppingcart/index.html",
        "https://www.aliexpress.com/item/1005003332221110.html?aff_fcid=someone",
        "https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890&spm=x",
        "https://www.aliexpress.com/item/1005009876543210987.html?sku_id=12000031234567",
        too_long.as_str(),
        "not a url",
        "https://pt.aliexpress.com/item/slug/1005003332221110.html",
        "https://www.aliexpress.com/i/1005001234567890.html",
    ];
    let answer = entries(&ask(&server, &urls));
    let got: Vec<(Value, Value, Value)> = answer
        .iter()
        .map(|e| {
            (
                e["source"].clone(),
                e["product_id"].clone(),
                e["refused"].clone(),
            )
        })
        .collect();
    let linked = |source: &str, product: Option<&str>| {
        (
            json!(source),
            product.map_or(Value::Null, |p| json!(p)),
            Value::Null,
        )
    };
    let refused = |why: &str| (Value::Null, Value::Null, json!(why));
    assert_eq!(
        got,
        [
            linked("api", Some("1005001234567890")),
            refused("not_product"),
            refused("not_aliexpress"),
            refused("personal_page"),
            refused("attributed"),
            linked("deep_link", None),
            linked("deep_link", None),
            refused("url_too_long"),
            refused("not_aliexpress"),
            linked("api", Some("1005003332221110")),
            linked("api", Some("1005001234567890")),
        ]
    );
    assert_eq!(fake.calls(LINK_GENERATE), 1, "one call for the batch");
    assert_eq!(answer[0]["link"], answer[10]["link"]);
    assert_ne!(answer[0]["link"], answer[9]["link"]);
    for refusal in answer.iter().filter(|e| !e["refused"].is_null()) {
        assert_eq!(refusal["link"], Value::Null);
    }
    let campaign = answer[5]["link"].as_str().unwrap();
    assert!(
        campaign.starts_with(DEEP_LINK)
            && campaign.contains("sale_page.htm")
            && !campaign.contains("spm"),
        "{campaign}"
    );
    assert!(answer[6]["link"]
        .as_str()
        .unwrap()
        .contains("sku_id%3D12000031234567"));
}

#[test]
fn bad_bodies_are_refused_whole() {
    let runtime = runtime();
    let fake = fake(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(&dir.path().join("data"), &fake, &[]));
    let fifty_one: Vec<String> = (0..51)
        .map(|n| item(&format!("10050000000{n:05}")))
        .collect();
    let fifty: Vec<String> = fifty_one[..50].to_vec();
    for (body, status, code) in [
        (
            json!({ "urls": fifty_one }).to_string(),
            400,
            "links_too_many",
        ),
        (json!({ "urls": [] }).to_string(), 400, "links_no_urls"),
        (
            json!({ "urls": [item("1005001234567890")], "tab": 3 }).to_string(),
            400,
            "json_wrong_shape",
        ),
        (
            json!({ "url": item("1005001234567890") }).to_string(),
            400,
            "json_wrong_shape",
        ),
        (
            json!({ "urls": item("1005001234567890") }).to_string(),
            400,
            "json_wrong_shape",
        ),
        (json!({ "urls": [5] }).to_string(), 400, "json_wrong_shape"),
        ("{\"urls\": [".to_owned(), 400, "json_invalid"),
        (
            format!("{{\"urls\": [\"{}\"]}}", "a".repeat(70_000)),
            413,
            "body_too_large",
        ),
    ] {
        let answer = post_json(&server.address, LINKS_PATH, &body);
        let value = answer.json();
        assert_eq!(
            (answer.status, value["error"]["code"].as_str()),
            (status, Some(code)),
            "{body:.80}"
        );
        assert!(value["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let untyped = common::send(
        &server.address,
        "POST",
        LINKS_PATH,
        &[],
        Some(
            json!({ "urls": [item("1005001234567890")] })
                .to_string()
                .as_bytes(),
        ),
        None,
    );
    assert_eq!(untyped.status, 415);
    assert_eq!(fake.calls(LINK_GENERATE), 0, "no bad body reached the API");
    // Fifty is the most, and they go in one call.
    assert_eq!(
        entries(&ask(
            &server,
            &fifty.iter().map(String::as_str).collect::<Vec<_>>()
        ))
        .len(),
        50
    );
    assert_eq!(fake.calls(LINK_GENERATE), 1);
}

#[test]
fn no_url_is_in_a_log_line_or_a_file() {
    let runtime = runtime();
    let fake = fake(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Logged::start(configured(&data, &fake, &[("RUST_LOG", "trace")]));
    // Words no server could have from elsewhere, in the parts of a URL a page adds.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        ^ u128::from(std::process::id()) << 40;
    let word = format!("zq{seed:x}");
    let urls = [
        format!("https://www.aliexpress.com/item/{word}-slug/1005001234567890.html?spm={word}s"),
        format!("https://www.aliexpress.com/store/912345?from={word}t"),
        format!("https://example.com/{word}u"),
    ];
    let answer = entries(&ask(
        &server,
        &urls.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(answer[0]["source"], "api");
    // Failures too: the API failing.
    fake.fail_next(Fault::Status(500), 3);
    let other = format!("https://www.aliexpress.com/item/{word}/1005003332221110.html");
    assert_eq!(one(&server, &other)["source"], "deep_link");

    let log = server.stop();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "logging was at its most verbose: {log:.2000}"
    );
    assert!(!contains(log.as_bytes(), &word), "a URL is in the log");
    let mut all = Vec::new();
    files(&data, &mut all);
    assert!(all.iter().any(|(name, _)| name.ends_with("shopper.db")));
    for (name, bytes) in &all {
        assert!(!contains(bytes, &word), "a URL is in {name}");
    }
}
