//! `shopper-server coupons harvest` on the real binary, with the fake AliExpress API behind it
//! (its endpoint and credentials given as an operator would) and the real server serving the
//! feeds: the harvested coupons in each market's feed, verified by `shopper feed verify`; refused
//! promo codes said with their reasons; a rerun that changes nothing; an ended code in no feed;
//! a failed call, or no credentials, leaving storage as it was; a dry run; the markets and pages
//! asked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

use common::*;
use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault};
use shopper_aliexpress::method;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// The binary configured for `fake`, serving `markets`.
fn configured(data: &Path, fake: &FakeApi, markets: &str) -> Command {
    let client = fake.client_config();
    let mut command = command(data);
    command
        .env("SHOPPER_ALIEXPRESS_APP_KEY", client.app_key)
        .env("SHOPPER_ALIEXPRESS_APP_SECRET", client.app_secret)
        .env("SHOPPER_ALIEXPRESS_TRACKING_ID", client.tracking_id)
        .env("SHOPPER_ALIEXPRESS_API_URL", fake.url())
        .env("SHOPPER_MARKETS", markets);
    command
}

/// `coupons harvest ARGS` against `fake`.
fn harvest(data: &Path, fake: &FakeApi, markets: &str, args: &[&str]) -> Output {
    configured(data, fake, markets)
        .args(["coupons", "harvest"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The summary, the last line.
fn summary(output: &Output) -> String {
    stdout(output).lines().last().unwrap_or_default().to_owned()
}

/// The refused promo codes printed: (market, id, code).
fn refused(output: &Output) -> Vec<(String, String, String)> {
    stdout(output)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v["reason"]
                .as_str()
                .unwrap()
                .starts_with("promo code refused: "));
            assert!(v["product_id"].as_str().is_some_and(|p| !p.is_empty()));
            assert!(v["index"].is_u64(), "{l}");
            (
                v["market"].as_str().unwrap().to_owned(),
                v["id"].as_str().unwrap().to_owned(),
                v["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn revision(server: &Server) -> i64 {
    server.get("/v1/health", &[]).json()["revision"]
        .as_i64()
        .unwrap()
}

/// The five codes the fake's products carry that become coupons, in `market`.
fn harvested_ids(market: &str) -> Vec<String> {
    ["FEAT3OFF", "GMG20207", "HOTSIGN15", "MEGA10", "SAVE5NOW"]
        .iter()
        .map(|code| format!("ae-code-{market}-{code}"))
        .collect()
}

#[test]
fn harvested_coupons_reach_each_markets_feed_and_a_rerun_changes_nothing() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let markets = "US-USD,ES-EUR";
    let server = Server::start(configured(&data, &fake, markets));
    let key_file = data.join("publisher-key.json");
    let before = revision(&server);

    let started = Instant::now();
    let output = harvest(&data, &fake, markets, &[]);
    let took = started.elapsed();
    assert!(output.status.success(), "{}", stderr(&output));
    eprintln!(
        "harvest of 2 markets, 3 pages x 3 methods ({} calls): {took:?}",
        fake.total_calls()
    );
    assert_eq!(
        summary(&output),
        format!(
            "harvested 10 coupons from 372 products, 8 refused; 10 new or changed stored (revision {})",
            before + 1
        )
    );
    // Each market: one page of product.query, three of hot products, two of the promotion.
    assert_eq!(fake.calls(method::PRODUCT_QUERY), 2);
    assert_eq!(fake.calls(method::HOT_PRODUCT_QUERY), 6);
    assert_eq!(fake.calls(method::FEATURED_PROMO_PRODUCTS), 4);
    // One line per refused code and market, with its reason.
    let mut want = Vec::new();
    for market in ["ES-EUR", "US-USD"] {
        for (code, why) in [
            ("GIFT4NEW", "promo_code_unreadable_value"),
            ("OLDCODE", "promo_code_expired"),
            ("NONELEFT", "promo_code_used_up"),
            ("GMG20207", "promo_code_conflicting_terms"),
        ] {
            want.push((
                market.to_owned(),
                format!("ae-code-{market}-{code}"),
                why.to_owned(),
            ));
        }
    }
    assert_eq!(refused(&output), want);
    let lines = stdout(&output);
    assert!(
        lines.contains(r#""reason":"promo code refused: it ended at 2022-01-01T07:00:00Z""#),
        "{lines}"
    );

    // The running server republishes; each market's feed holds its own coupons, none ended.
    let us = server.get_until("/v1/feeds/US-USD", |r| {
        !open(&r.body, &key_file).coupons.is_empty()
    });
    let us_feed = open(&us.body, &key_file);
    assert_eq!(ids(&us_feed), harvested_ids("US-USD"));
    assert!(us_feed
        .coupons
        .iter()
        .all(|c| c.currency().as_str() == "USD" && c.countries() == [*b"US"]));
    let now = shopper_server::clock::now();
    assert!(us_feed.coupons.iter().all(|c| c.expires_at() > now));
    let es = server.get("/v1/feeds/ES-EUR", &[]);
    let es_feed = open(&es.body, &key_file);
    assert_eq!(ids(&es_feed), harvested_ids("ES-EUR"));
    assert!(es_feed
        .coupons
        .iter()
        .all(|c| c.currency().as_str() == "EUR"));
    let gmg = us_feed
        .coupons
        .iter()
        .find(|c| c.id() == "ae-code-US-USD-GMG20207")
        .unwrap();
    assert_eq!(
        (gmg.min_spend(), gmg.title()),
        (1000, "On order over USD 10.00, get USD 7.00 off")
    );
    // The publisher's own tool verifies it.
    let envelope = dir.path().join("us.signed.json");
    std::fs::write(&envelope, &us.body).unwrap();
    let verified = shopper_verify(&key_file, &envelope);
    assert!(verified.status.success(), "{verified:?}");
    let inner: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(inner["coupons"].as_array().unwrap().len(), 5);
    assert!(inner["coupons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] == "code" && c["code"].as_str().is_some()));

    // Again: the same coupons, nothing written, the feeds and their ETags as they were.
    let after = revision(&server);
    let tag = us.header("etag").unwrap().to_owned();
    let again = harvest(&data, &fake, markets, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        summary(&again),
        "harvested 10 coupons from 372 products, 8 refused; none new or changed"
    );
    assert_eq!(refused(&again), want);
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    assert_eq!(revision(&server), after);
    let unchanged = server.get("/v1/feeds/US-USD", &[("If-None-Match", &tag)]);
    assert_eq!(unchanged.status, 304);
}

#[test]
fn a_failed_call_or_no_credentials_leave_storage_as_it_was() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // No credentials: a clear error before anything is opened or asked.
    let bare = run(&data, &["coupons", "harvest"]);
    assert!(!bare.status.success());
    assert!(
        stderr(&bare).contains(
            "coupons harvest needs the AliExpress affiliate API: no app key, app secret, tracking id configured"
        ),
        "{}",
        stderr(&bare)
    );
    assert!(stdout(&bare).is_empty());
    assert!(!data.join("shopper.db").exists(), "no database made");
    assert_eq!(fake.total_calls(), 0);

    // A first harvest stores its coupons.
    let first = harvest(&data, &fake, "US-USD", &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let server = Server::start(configured(&data, &fake, "US-USD"));
    let key_file = data.join("publisher-key.json");
    let feed = server.get("/v1/feeds/US-USD", &[]);
    assert_eq!(ids(&open(&feed.body, &key_file)), harvested_ids("US-USD"));
    let tag = feed.header("etag").unwrap().to_owned();
    let stored = revision(&server);

    // The featured promotion refuses after product.query and hot products answered in another
    // market: a typed message, a failure, and nothing of what was read is stored.
    fake.fail_method(
        method::FEATURED_PROMO_PRODUCTS,
        Some(Fault::Refuse {
            code: "isv.error".into(),
            msg: "not a publisher".into(),
            sub_code: Some("isv.unregistered-publisher".into()),
        }),
    );
    let hot_before = fake.calls(method::HOT_PRODUCT_QUERY);
    let failed = harvest(&data, &fake, "US-USD", &["--market", "CA-USD"]);
    assert!(!failed.status.success());
    assert_eq!(fake.calls(method::HOT_PRODUCT_QUERY), hot_before + 3);
    assert!(
        stderr(&failed).contains(
            "shopper-server: aliexpress.affiliate.featuredpromo.products.get for CA-USD, page 1: AliExpress API: refused (UnregisteredPublisher)"
        ),
        "{}",
        stderr(&failed)
    );
    assert!(stderr(&failed).contains("[aliexpress_refused]"));
    assert!(!stdout(&failed).contains("harvested"), "no summary");
    // 5xx after its retries: the same.
    fake.fail_method(method::FEATURED_PROMO_PRODUCTS, Some(Fault::Status(503)));
    let down = harvest(&data, &fake, "US-USD", &["--market", "CA-USD"]);
    assert!(!down.status.success());
    assert!(
        stderr(&down).contains("HTTP status 503 [aliexpress_status]"),
        "{}",
        stderr(&down)
    );
    fake.fail_method(method::FEATURED_PROMO_PRODUCTS, None);

    std::thread::sleep(std::time::Duration::from_millis(1_500));
    assert_eq!(revision(&server), stored, "nothing was written");
    let same = server.get("/v1/feeds/US-USD", &[("If-None-Match", &tag)]);
    assert_eq!(same.status, 304);
    assert_eq!(
        server.get("/v1/feeds/CA-USD", &[]).status,
        404,
        "no CA coupon stored"
    );
}

#[test]
fn a_dry_run_the_markets_and_the_pages_asked() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // A dry run: the same lines, nothing stored, no database made.
    let dry = harvest(&data, &fake, "US-USD", &["--dry-run", "--market", "BR-BRL"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert_eq!(
        summary(&dry),
        "harvested 5 coupons from 186 products, 4 refused; dry run: nothing stored"
    );
    assert!(refused(&dry)
        .iter()
        .all(|(market, _, _)| market == "BR-BRL"));
    assert!(!data.join("shopper.db").exists());

    // Two pages of Brazil and Japan, asked: the hot products' third page is not, nor its code
    // (most ordered first: 100 hot deals, the six are on the third page).
    let two = harvest(
        &data,
        &fake,
        "US-USD",
        &["--market", "JP-JPY", "--market", "BR-BRL", "--pages", "2"],
    );
    assert!(two.status.success(), "{}", stderr(&two));
    assert_eq!(
        summary(&two),
        "harvested 8 coupons from 332 products, 6 refused; 8 new or changed stored (revision 1)"
    );
    let server = Server::start(configured(&data, &fake, "US-USD"));
    let key_file = data.join("publisher-key.json");
    let br = open(&server.get("/v1/feeds/BR-BRL", &[]).body, &key_file);
    assert_eq!(
        ids(&br),
        [
            "ae-code-BR-BRL-FEAT3OFF",
            "ae-code-BR-BRL-GMG20207",
            "ae-code-BR-BRL-HOTSIGN15",
            "ae-code-BR-BRL-SAVE5NOW"
        ]
    );
    let jp = open(&server.get("/v1/feeds/JP-JPY", &[]).body, &key_file);
    let gmg = jp
        .coupons
        .iter()
        .find(|c| c.id() == "ae-code-JP-JPY-GMG20207")
        .unwrap();
    // Yen have no minor unit: the fake's 1000 is 1000 yen.
    assert_eq!(
        (gmg.min_spend(), gmg.title()),
        (1000, "On order over JPY 1000, get JPY 700 off")
    );
    assert!(open(&server.get("/v1/feeds/US-USD", &[]).body, &key_file)
        .coupons
        .is_empty());

    // What cannot be asked is refused before any call.
    let calls = fake.total_calls();
    for (args, said) in [
        (&["--market", "Brazil"][..], "--market:"),
        (&["--pages", "0"][..], "--pages 0: give 1 to 20"),
        (&["--pages", "21"][..], "--pages 21: give 1 to 20"),
    ] {
        let refused = harvest(&data, &fake, "US-USD", args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(
            stderr(&refused).contains(said),
            "{args:?}: {}",
            stderr(&refused)
        );
    }
    assert_eq!(fake.total_calls(), calls);
}
