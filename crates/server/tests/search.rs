//! `POST /v1/search` on the real `shopper-server` binary, with the fake AliExpress API behind it
//! (its endpoint and credentials given as an operator would): products with the filters the API
//! lacks applied to them, wrapped and plain lists, the API's refusals, 5xx after retries, a slow
//! API cut at the deadline, an open breaker, no credentials, bad input, and the privacy
//! guarantee (the request's text and the client's address in no log line and no file).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{connect_from, contains, files, Logged};

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault, ListShape};
use shopper_core::search::check_product_answer;

/// The binary configured for `fake`, the search deadline at `deadline_ms`.
fn configured(data: &Path, fake: &FakeApi, deadline_ms: u64) -> Command {
    let client = fake.client_config();
    let mut command = common::command(data);
    command
        .env("SHOPPER_ALIEXPRESS_APP_KEY", client.app_key)
        .env("SHOPPER_ALIEXPRESS_APP_SECRET", client.app_secret)
        .env("SHOPPER_ALIEXPRESS_TRACKING_ID", client.tracking_id)
        .env("SHOPPER_ALIEXPRESS_API_URL", fake.url())
        .env("SHOPPER_ALIEXPRESS_DEADLINE_MS", deadline_ms.to_string());
    command
}

/// An answer: status, content type, body.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// One POST on its own connection, from `from` (a loopback address of the test's choosing) when
/// given.
fn post_from(
    address: &str,
    content_type: Option<&str>,
    body: &str,
    from: Option<Ipv4Addr>,
) -> Answer {
    let server: SocketAddr = address.parse().unwrap();
    let mut stream = match from {
        None => TcpStream::connect(server).unwrap(),
        Some(ip) => connect_from(ip, server).unwrap(),
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!(
        "POST {} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        shopper_core::api::SEARCH_PATH,
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        body: raw[split + 4..].to_vec(),
    }
}

fn post(address: &str, body: &serde_json::Value) -> Answer {
    post_from(address, Some("application/json"), &body.to_string(), None)
}

fn ask(query: &str) -> serde_json::Value {
    serde_json::json!({"query": query, "country": "US", "currency": "USD", "locale": "en-US"})
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn products(answer: &serde_json::Value) -> &Vec<serde_json::Value> {
    answer["products"].as_array().expect("products")
}

#[test]
fn products_with_the_filters_applied_in_both_list_shapes_and_bad_input() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(&dir.path().join("data"), &fake, 5_000));
    assert!(
        !server.said().contains("off: Smart Search"),
        "{}",
        server.said()
    );

    // Three bluetooth products in the fake; "4.7 stars" needs 94% positive: the speaker (95.5%)
    // passes, the watch (92.0%) and the earbuds (93.4%) are removed on the results.
    let answer = post(&server.address, &ask("bluetooth 4.7 stars"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/json");
    let text = std::str::from_utf8(&answer.body).unwrap();
    assert_eq!(
        check_product_answer(text),
        Ok(1),
        "the extension's check: {text}"
    );
    let wrapped = answer.json();
    assert_eq!(wrapped["keywords"], "bluetooth");
    assert_eq!(wrapped["min_rating"], 4.7);
    assert_eq!(wrapped["query"]["page_size"], 50, "the largest page");
    assert_eq!(
        wrapped["filters"],
        serde_json::json!([{"filter": "rating", "applied": "on_results", "removed": 2, "unknown": 0}])
    );
    let shown = products(&wrapped);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["id"], "1005001234567890");
    assert_eq!(shown[0]["positive_percent"], 95.5);
    assert!(shown[0]["link"]
        .as_str()
        .unwrap()
        .starts_with("https://s.click.aliexpress.com/"));

    // The same answer from plain lists.
    fake.set_lists(ListShape::Plain);
    let plain = post(&server.address, &ask("bluetooth 4.7 stars"));
    assert_eq!(plain.status, 200);
    assert_eq!(plain.json(), wrapped);

    // Price and sort go in the query; the fake applies them.
    let answer = post(&server.address, &ask("bluetooth under $20 cheapest")).json();
    assert_eq!(answer["query"]["max_sale_price"], 2000);
    assert_eq!(answer["query"]["sort"], "SALE_PRICE_ASC");
    let prices: Vec<u64> = products(&answer)
        .iter()
        .map(|p| p["price"].as_u64().unwrap())
        .collect();
    assert_eq!(prices, [1299, 1599], "cheapest first, none over 20 dollars");
    // The id above 2^53 stays exact.
    let answer = post(&server.address, &ask("charger")).json();
    assert_eq!(products(&answer)[0]["id"], "9007199254740993");
    // No product words: not asked.
    let none = post(&server.address, &ask("under 30 dollars cheapest"));
    assert_eq!(
        (none.status, none.code()),
        (422, "search_no_keywords".into())
    );
    let calls = fake.calls(shopper_aliexpress::method::PRODUCT_QUERY);
    assert_eq!(
        calls, 4,
        "the request without product words never reached the API"
    );

    // Bad input: 400 with a code and a message, and the API not called.
    let long = "a".repeat(2_001);
    for (content_type, body, status, code) in [
        (Some("application/json"), "{not json", 400, "json_invalid"),
        (
            Some("application/json"),
            r#"{"query": "lamp", "country": "US", "currency": "USD", "locale": "en", "page": 2}"#,
            400,
            "json_wrong_shape",
        ),
        (
            Some("application/json"),
            r#"{"query": "lamp", "country": "US", "currency": "USD"}"#,
            400,
            "json_wrong_shape",
        ),
        (
            Some("application/json"),
            r#"{"query": 5, "country": "US", "currency": "USD", "locale": "en"}"#,
            400,
            "json_wrong_shape",
        ),
        (
            Some("application/json"),
            &ask(&long).to_string(),
            400,
            "search_query_too_long",
        ),
        (
            Some("application/json"),
            r#"{"query": "lamp", "country": "United States", "currency": "USD", "locale": "en"}"#,
            400,
            "search_bad_country",
        ),
        (
            Some("application/json"),
            r#"{"query": "lamp", "country": "US", "currency": "dollars", "locale": "en"}"#,
            400,
            "search_bad_currency",
        ),
        (None, &ask("lamp").to_string(), 415, "json_content_type"),
    ] {
        let answer = post_from(&server.address, content_type, body, None);
        assert_eq!(
            (answer.status, answer.code()),
            (status, code.to_owned()),
            "{body:.80}"
        );
        assert!(answer.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(fake.calls(shopper_aliexpress::method::PRODUCT_QUERY), calls);
}

#[test]
fn api_failures_are_typed_answers_within_the_deadline() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(&dir.path().join("data"), &fake, 1_000));
    let calls = || fake.calls(shopper_aliexpress::method::PRODUCT_QUERY);

    // A refusal: 502, not retried.
    fake.fail_next(
        Fault::Refuse {
            code: "isv.error".into(),
            msg: "not a publisher".into(),
            sub_code: Some("isv.unregistered-publisher".into()),
        },
        1,
    );
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (502, "aliexpress_refused".into())
    );
    assert!(answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("UnregisteredPublisher"));
    assert_eq!(calls(), 1);

    // 5xx: retried, then 502.
    fake.fail_next(Fault::Status(503), 3);
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (502, "aliexpress_status".into())
    );
    assert_eq!(calls(), 4, "three attempts");

    // Slow: cut at the one-second deadline with a 504, though the fake takes five.
    fake.fail_next(Fault::Slow(Duration::from_secs(5)), 1);
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (504, "aliexpress_deadline".into())
    );

    // Well again.
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(answer.status, 200);
    assert_eq!(products(&answer.json()).len(), 1);

    // Down: three attempts fail, then two more, and the breaker opens after five outages in a
    // row; from then on the API is not called.
    fake.fail_always(Some(Fault::Status(500)));
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (502, "aliexpress_status".into())
    );
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (503, "aliexpress_circuit_open".into())
    );
    let before = calls();
    let answer = post(&server.address, &ask("lamp"));
    assert_eq!(
        (answer.status, answer.code()),
        (503, "aliexpress_circuit_open".into())
    );
    assert_eq!(calls(), before, "not called");
}

#[test]
fn without_credentials_search_is_off_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(common::command(&dir.path().join("data")));
    let said = server.said();
    assert!(
        said.contains("off: Smart Search products (no AliExpress app key, app secret, tracking id configured)"),
        "{said}"
    );
    let answer = post(&server.address, &ask("bluetooth speaker"));
    assert_eq!(
        (answer.status, answer.code()),
        (503, "search_unavailable".into())
    );
}

#[test]
fn the_query_and_the_address_are_in_no_log_and_no_file() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut command = configured(&data, &fake, 2_000);
    command.env("RUST_LOG", "trace");
    let server = Logged::start(command);

    // A word no server could have from elsewhere, and an address no other test uses.
    let seed = common::seed();
    // Consonants only: one word the parser keeps whole as a keyword.
    let consonants = b"bcdfghjklmnpqrstvwxz";
    let word: String = (0..14)
        .scan(seed, |rest, _| {
            let letter = consonants[(*rest % 20) as usize] as char;
            *rest /= 20;
            Some(letter)
        })
        .collect();
    let word = format!("zq{word}");
    let from = common::loopback(seed);
    let query = format!("bluetooth {word} under 30 dollars");
    let send = |query: &str| {
        post_from(
            &server.address,
            Some("application/json"),
            &ask(query).to_string(),
            Some(from),
        )
    };
    let answer = send(&query);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(
        contains(&answer.body, &word),
        "the answer carries the request as read (to the shopper only)"
    );
    // Failures too: the API failing, and a request the core would not ask.
    fake.fail_next(Fault::Status(500), 3);
    assert_eq!(send(&query).status, 502);
    assert_eq!(send(&format!("{word} {}", "x".repeat(2_001))).status, 400);

    let log = server.stop();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "logging was at its most verbose: {log:.2000}"
    );
    assert!(!contains(log.as_bytes(), &word), "the query is in the log");
    assert!(
        !log.contains(&from.to_string()),
        "the client's address is in the log"
    );
    let mut all = Vec::new();
    files(&data, &mut all);
    assert!(
        all.iter().any(|(name, _)| name.ends_with("shopper.db")),
        "the database is among the files read"
    );
    for (name, bytes) in &all {
        assert!(!contains(bytes, &word), "the query is in {name}");
        assert!(
            !contains(bytes, &from.to_string()),
            "the client's address is in {name}"
        );
    }
}
