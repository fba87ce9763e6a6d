//! The real `shopper-server` binary on a free loopback port with a temporary data folder:
//! first start, import, feeds per market verified by the core and by `shopper feed verify`,
//! ETags and 304s, gzip and Brotli, expiry, the list of feeds, the publish folder, a refused
//! import, configuration precedence, a clean stop.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::io::Read;
use std::process::Command;

use common::*;

fn etag(response: &Response) -> String {
    response.header("etag").expect("an ETag").to_owned()
}

#[test]
fn first_start_import_and_the_feeds_of_each_market() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(command(&data));
    assert!(
        data.join("shopper.db").exists(),
        "the database is made on first start"
    );
    let key_file = data.join("publisher-key.json");
    assert!(key_file.exists(), "and the development key");
    let said = server.stdout().join("\n");
    assert!(
        said.contains("made a development signing key dev-"),
        "{said}"
    );
    assert!(said.contains("off: AliExpress affiliate API"), "{said}");
    assert!(said.contains("off: language model"), "{said}");

    let empty = server.get("/v1/feeds/US-USD", &[]);
    assert_eq!(
        empty.status, 200,
        "a configured market is served before any import"
    );
    assert!(open(&empty.body, &key_file).coupons.is_empty());

    let feed = serde_json::json!({
        "version": 1, "generated_at": at(0),
        "coupons": [
            coupon("us-everywhere", "USD", &[], 86_400),
            coupon("us-ca", "USD", &["US", "CA"], 86_400),
            coupon("us-later", "USD", &["US"], 7 * 86_400),
            coupon("gb-only", "USD", &["GB"], 86_400),
            coupon("es-eur", "EUR", &["ES"], 86_400),
            coupon("brl", "BRL", &["BR"], 86_400),
        ]
    });
    let file = write(dir.path(), "coupons.json", &feed);
    let imported = run(&data, &["coupons", "import", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{imported:?}");
    assert!(String::from_utf8_lossy(&imported.stdout).contains("\"imported\":6"));

    let us = server.get_until("/v1/feeds/US-USD", |r| {
        open(&r.body, &key_file).coupons.len() == 3
    });
    let us_feed = open(&us.body, &key_file);
    assert_eq!(
        ids(&us_feed),
        ["us-ca", "us-everywhere", "us-later"],
        "another currency or country is not in it"
    );
    assert_eq!(us.header("content-type"), Some("application/json"));
    assert!(us.header("cache-control").unwrap().contains("max-age"));
    assert_eq!(us.header("vary"), Some("Accept-Encoding"));
    assert_eq!(
        ids(&open(&server.get("/v1/feeds/ES-EUR", &[]).body, &key_file)),
        ["es-eur"]
    );
    assert_eq!(
        ids(&open(&server.get("/v1/feeds/GB-USD", &[]).body, &key_file)),
        ["gb-only", "us-everywhere"]
    );
    assert_eq!(
        ids(&open(&server.get("/v1/feeds/BR-BRL", &[]).body, &key_file)),
        ["brl"]
    );
    assert_eq!(server.get("/v1/feeds/FR-EUR", &[]).status, 404);

    // ETag and 304, in every encoding.
    let tag = etag(&us);
    let again = server.get("/v1/feeds/US-USD", &[("If-None-Match", &tag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(etag(&again), tag);
    let gz = server.get("/v1/feeds/US-USD", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, us.body);
    let br = server.get(
        "/v1/feeds/US-USD",
        &[("Accept-Encoding", "gzip, deflate, br")],
    );
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut plain = Vec::new();
    brotli::Decompressor::new(&br.body[..], 4096)
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, us.body);
    assert!(br.body.len() < us.body.len());
    assert_ne!(etag(&br), tag, "each encoding has its own strong ETag");
    let revalidated = server.get(
        "/v1/feeds/US-USD",
        &[("Accept-Encoding", "br"), ("If-None-Match", &etag(&br))],
    );
    assert_eq!(revalidated.status, 304);
    assert_eq!(
        server
            .get("/v1/feeds/US-USD", &[("If-None-Match", "\"stale\"")])
            .status,
        200
    );

    // The list of feeds.
    let list = server.get("/v1/feeds", &[]).json();
    let markets: Vec<&str> = list["markets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["market"].as_str().unwrap())
        .collect();
    assert_eq!(markets, ["BR-BRL", "CA-USD", "ES-EUR", "GB-USD", "US-USD"]);
    let us_entry = list["markets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["market"] == "US-USD")
        .unwrap();
    assert_eq!(us_entry["etag"], tag);
    assert_eq!(us_entry["coupons"], 3);
    assert_eq!(us_entry["bytes"], us.body.len());
    assert_eq!(us_entry["url"], "/v1/feeds/US-USD");
    assert_eq!(list["keys"][0]["current"], true);
    assert_eq!(server.get("/v1/health", &[]).json()["status"], "ok");

    // The publisher's own tool verifies it.
    let envelope = dir.path().join("us.signed.json");
    std::fs::write(&envelope, &us.body).unwrap();
    let verified = shopper_verify(&key_file, &envelope);
    assert!(verified.status.success(), "{verified:?}");
    let inner: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(inner["coupons"].as_array().unwrap().len(), 3);
}

#[test]
fn an_expired_coupon_drops_out_and_the_feed_is_republished() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write(
        dir.path(),
        "coupons.json",
        &serde_json::json!([
            coupon("stays", "USD", &[], 86_400),
            coupon("soon", "USD", &[], 3)
        ]),
    );
    assert!(run(&data, &["coupons", "import", file.to_str().unwrap()])
        .status
        .success());
    let server = Server::start(command(&data));
    let key_file = data.join("publisher-key.json");
    let first = server.get("/v1/feeds/US-USD", &[]);
    let tag = etag(&first);
    let before = open(&first.body, &key_file);
    // Read before it expired, or (on a slow machine) already after: either way it goes.
    if before.coupons.len() == 2 {
        let later = server.get_until("/v1/feeds/US-USD", |r| etag(r) != tag);
        assert_eq!(ids(&open(&later.body, &key_file)), ["stays"]);
        assert_eq!(
            server
                .get("/v1/feeds/US-USD", &[("If-None-Match", &tag)])
                .status,
            200
        );
        assert!(open(&later.body, &key_file).generated_at > before.generated_at);
    } else {
        assert_eq!(ids(&before), ["stays"]);
    }
}

#[test]
fn the_publish_dir_holds_each_feed_and_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let publish = dir.path().join("public");
    let file = write(
        dir.path(),
        "coupons.json",
        &serde_json::json!([coupon("es", "EUR", &["ES"], 86_400)]),
    );
    assert!(run(&data, &["coupons", "import", file.to_str().unwrap()])
        .status
        .success());
    let mut command = command(&data);
    command.arg("--publish-dir").arg(&publish);
    let server = Server::start(command);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(publish.join("feeds/index.json")).unwrap()).unwrap();
    let served = server.get("/v1/feeds", &[]).json();
    assert_eq!(index["markets"].as_array().unwrap().len(), 2, "{index}");
    for (file, live) in index["markets"]
        .as_array()
        .unwrap()
        .iter()
        .zip(served["markets"].as_array().unwrap())
    {
        assert_eq!(file["etag"], live["etag"]);
        assert_eq!(
            file["url"],
            format!("{}.json", live["market"].as_str().unwrap())
        );
        let on_disk =
            std::fs::read(publish.join("feeds").join(file["url"].as_str().unwrap())).unwrap();
        assert_eq!(on_disk, server.get(live["url"].as_str().unwrap(), &[]).body);
        assert!(publish
            .join("feeds")
            .join(format!("{}.gz", file["url"].as_str().unwrap()))
            .exists());
    }
    let es = std::fs::read(publish.join("feeds/ES-EUR.json")).unwrap();
    assert_eq!(ids(&open(&es, &data.join("publisher-key.json"))), ["es"]);
    let leftovers: Vec<_> = std::fs::read_dir(publish.join("feeds"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left");
}

#[test]
fn a_refused_import_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = write(
        dir.path(),
        "good.json",
        &serde_json::json!([coupon("a", "USD", &[], 86_400)]),
    );
    assert!(run(&data, &["coupons", "import", good.to_str().unwrap()])
        .status
        .success());

    let mut changed = coupon("a", "USD", &[], 86_400);
    changed["title"] = "changed".into();
    let mut broken = coupon("c", "USD", &[], 86_400);
    broken["discount"] = serde_json::json!({"type": "percent", "percent": 150});
    let bad = write(
        dir.path(),
        "bad.json",
        &serde_json::json!([changed, coupon("b", "USD", &[], 86_400), broken]),
    );
    let refused = run(&data, &["coupons", "import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let lines = String::from_utf8_lossy(&refused.stdout).into_owned();
    let line: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(line["index"], 2);
    assert_eq!(line["id"], "c");
    assert_eq!(line["code"], "coupon_percent_out_of_range");
    assert_eq!(line["reason"], "percent 150 is not between 1 and 100");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing imported"));
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "id,colour\nx,red\n").unwrap();
    let unreadable = run(&data, &["coupons", "import", csv.to_str().unwrap()]);
    assert!(!unreadable.status.success());
    assert!(String::from_utf8_lossy(&unreadable.stderr).contains("unknown column"));

    let server = Server::start(command(&data));
    let feed = open(
        &server.get("/v1/feeds/US-USD", &[]).body,
        &data.join("publisher-key.json"),
    );
    assert_eq!(ids(&feed), ["a"]);
    assert_eq!(
        feed.coupons[0].title(),
        "Coupon a",
        "the first import's, untouched"
    );
    drop(server);

    // --skip-invalid imports the others.
    let skipped = run(
        &data,
        &["coupons", "import", "--skip-invalid", bad.to_str().unwrap()],
    );
    assert!(skipped.status.success(), "{skipped:?}");
    let server = Server::start(command(&data));
    let feed = open(
        &server.get("/v1/feeds/US-USD", &[]).body,
        &data.join("publisher-key.json"),
    );
    assert_eq!(ids(&feed), ["a", "b"]);
}

#[test]
fn csv_imports_and_rates_reach_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("coupons.csv");
    std::fs::write(
        &csv,
        format!(
            "id,kind,title,code,currency,min_spend,discount_type,discount_percent,discount_max,countries,starts_at,expires_at\n\
             c1,code,\"10% off, up to R$20\",SAVE10,BRL,5000,percent,10,2000,BR,{},{}\n",
            at(-60),
            at(86_400)
        ),
    )
    .unwrap();
    let imported = run(&data, &["coupons", "import", csv.to_str().unwrap()]);
    assert!(imported.status.success(), "{imported:?}");
    let rates = write(
        dir.path(),
        "rates.json",
        &serde_json::json!({"base": "USD", "per_base": {"BRL": 5.05, "EUR": 0.92}}),
    );
    assert!(run(&data, &["rates", "import", rates.to_str().unwrap()])
        .status
        .success());
    let server = Server::start(command(&data));
    let feed = open(
        &server.get("/v1/feeds/BR-BRL", &[]).body,
        &data.join("publisher-key.json"),
    );
    assert_eq!(feed.coupons[0].code(), Some("SAVE10"));
    assert_eq!(feed.coupons[0].title(), "10% off, up to R$20");
    let (usd, brl) = (
        shopper_core::money::Currency::parse("USD").unwrap(),
        shopper_core::money::Currency::parse("BRL").unwrap(),
    );
    assert_eq!(feed.rates.rate(usd, brl), Some(5.05));
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:1\"\nmarkets = [\"FR-EUR\"]\ndata_dir = {:?}\n",
            dir.path().join("from-file")
        ),
    )
    .unwrap();
    let flag_dir = dir.path().join("from-flag");
    let mut command = command(&flag_dir);
    command
        .arg("--config")
        .arg(&config)
        .env("SHOPPER_DATA_DIR", dir.path().join("from-env"))
        .env("SHOPPER_MARKETS", "DE-EUR,US-USD");
    // The file's listen (a port it cannot have) loses to the flag the helper passes.
    let server = Server::start(command);
    assert!(flag_dir.join("shopper.db").exists(), "the flag's data dir");
    assert!(!dir.path().join("from-env").exists() && !dir.path().join("from-file").exists());
    let list = server.get("/v1/feeds", &[]).json();
    let markets: Vec<&str> = list["markets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["market"].as_str().unwrap())
        .collect();
    assert_eq!(
        markets,
        ["DE-EUR", "US-USD"],
        "the environment's markets, not the file's"
    );

    // Without the flag the environment's data dir wins over the file's.
    let rates = write(
        dir.path(),
        "rates.json",
        &serde_json::json!({"base": "USD", "per_base": {}}),
    );
    let by_env = Command::new(BIN)
        .env("SHOPPER_DATA_DIR", dir.path().join("from-env"))
        .env("SHOPPER_CONFIG", &config)
        .args(["rates", "import", rates.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(by_env.status.success(), "{by_env:?}");
    assert!(dir.path().join("from-env/shopper.db").exists());
    assert!(!dir.path().join("from-file").exists());
    std::fs::write(&config, "listen = 5\n").unwrap();
    let bad = Command::new(BIN)
        .env("SHOPPER_CONFIG", &config)
        .arg("serve")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("server.toml"),
        "{bad:?}"
    );
}

#[test]
fn a_stop_signal_stops_it_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(command(&dir.path().join("data")));
    assert_eq!(server.get("/v1/health", &[]).status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(server.stdout().iter().any(|l| l.ends_with("stopped")));
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(command(&dir.path().join("data")));
    let mut slow = std::net::TcpStream::connect(&server.address).unwrap();
    // Well past the server's header timeout: the read ends because the server closed.
    slow.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    slow.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    assert!(read.is_ok(), "the server closed the connection: {read:?}");
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    // Everyone else is still served.
    assert_eq!(server.get("/v1/health", &[]).status, 200);
}
