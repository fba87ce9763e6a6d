//! `POST /v1/search` on the real `shopper-server` binary, with the fake AliExpress API behind it
//! (its endpoint and credentials given as an operator would): products with the filters the API
//! lacks applied to them, wrapped and plain lists, the API's refusals, 5xx after retries, a slow
//! API cut at the deadline, an open breaker, no credentials, bad input, the privacy guarantee
//! (the request's text and the client's address in no log line and no file), and the
//! operator's language model (a fake chat endpoint): asked with the core's schema only for what
//! the rules do not read fully, its reading sent to the API, and the rules' reading standing
//! when it answers badly, fails or is slow.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
mod fake_chat;

use common::{connect_from, contains, files, Logged};

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use fake_chat::{message, FakeChat, Reply};
use shopper_aliexpress::fake::{FakeApi, FakeConfig, Fault, ListShape};
use shopper_core::search::{check_product_answer, MODEL_ANSWER_SCHEMA, MODEL_INSTRUCTIONS};

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

/// `command` with the language model at `chat`, its deadline at `deadline_ms`.
fn with_model(mut command: Command, chat: &FakeChat, deadline_ms: u64) -> Command {
    command
        .env("SHOPPER_LLM_URL", chat.url())
        .env("SHOPPER_LLM_MODEL", "fake-model")
        .env("SHOPPER_LLM_API_KEY", "fake-llm-key")
        .env("SHOPPER_LLM_DEADLINE_MS", deadline_ms.to_string());
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
    no_trace_of_the_query_or_the_address(false);
}

#[test]
fn with_the_language_model_on_the_query_is_in_no_log_and_no_file_either() {
    no_trace_of_the_query_or_the_address(true);
}

/// A unique query and client address, searched for in the logs at their most verbose and in
/// every file of the data folder; with `model`, the query is one the rules do not read fully,
/// sent to a fake language model that answers well, then badly (echoing it), then fails.
fn no_trace_of_the_query_or_the_address(model: bool) {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let chat = runtime.block_on(FakeChat::start(Reply::Message(message(
        serde_json::json!({"keywords": "bluetooth speaker"}),
    ))));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut command = configured(&data, &fake, 2_000);
    if model {
        command = with_model(command, &chat, 1_000);
    }
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
    let query = if model {
        format!("a gift for someone who likes {word} under 30 dollars")
    } else {
        format!("bluetooth {word} under 30 dollars")
    };
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
    if model {
        let answer = answer.json();
        assert_eq!(answer["read_by"], "model");
        assert_eq!(answer["keywords"], "bluetooth speaker");
        let received = chat.received();
        assert_eq!(received.len(), 1);
        assert!(
            received[0].body["messages"][1]["content"]
                .as_str()
                .is_some_and(|text| text.contains(&word)),
            "the request went to the operator's model"
        );
        // The model echoing the request in an answer that is refused, then failing.
        chat.reply(Reply::Message(message(
            serde_json::json!({"keywords": word, "sort": format!("by {word}")}),
        )));
        let answer = send(&query);
        assert_eq!(answer.json()["read_by"], "rules");
        assert!(contains(&answer.body, &word), "the rules' reading");
        chat.reply(Reply::Status(500));
        assert_eq!(send(&query).json()["read_by"], "rules");
        assert_eq!(chat.received().len(), 3);
    } else {
        assert!(
            contains(&answer.body, &word),
            "the answer carries the request as read (to the shopper only)"
        );
    }
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

/// The request the rules do not read fully (its words describe a person and a wish).
const DESCRIPTION: &str = "a gift for a ten-year-old who likes space";
/// What the rules read of it.
const DESCRIPTION_AS_READ: &str = "gift ten-year-old who likes space";

fn asked_keywords(fake: &FakeApi) -> Option<String> {
    fake.last_call(shopper_aliexpress::method::PRODUCT_QUERY)
        .and_then(|params| params.get("keywords").cloned())
}

#[test]
fn the_model_reads_what_the_rules_do_not_and_is_never_asked_what_they_do() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let chat = runtime.block_on(FakeChat::start(Reply::Message(message(
        serde_json::json!({
            "keywords": "Bluetooth Speaker", "max_price": 20, "currency": "USD",
            "min_rating": 4.7, "sort": "price_asc",
        }),
    ))));
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(with_model(
        configured(&dir.path().join("data"), &fake, 5_000),
        &chat,
        1_500,
    ));
    let said = server.said();
    assert!(
        said.contains(&format!(
            "language model for Smart Search: fake-model at {}/chat/completions (1500 ms)",
            chat.url()
        )) && !said.contains("off: language model"),
        "{said}"
    );

    let answer = post(&server.address, &ask(DESCRIPTION));
    assert_eq!(answer.status, 200);
    let text = std::str::from_utf8(&answer.body).unwrap();
    assert!(check_product_answer(text).is_ok(), "{text}");
    let read = answer.json();
    assert_eq!(read["read_by"], "model");
    assert_eq!(read["keywords"], "bluetooth speaker");
    assert_eq!(
        (
            &read["max_price"],
            &read["currency"],
            &read["min_rating"],
            &read["sort"]
        ),
        (
            &serde_json::json!(20),
            &serde_json::json!("USD"),
            &serde_json::json!(4.7),
            &serde_json::json!("price_asc")
        )
    );

    // What the model was asked: the configured model, the core's instructions and schema, the
    // shopper's text, with the key.
    let received = chat.received();
    assert_eq!(received.len(), 1);
    let body = &received[0].body;
    assert_eq!(
        received[0].authorization.as_deref(),
        Some("Bearer fake-llm-key")
    );
    assert_eq!(body["model"], "fake-model");
    assert_eq!(
        body["messages"],
        serde_json::json!([
            {"role": "system", "content": MODEL_INSTRUCTIONS},
            {"role": "user", "content": DESCRIPTION},
        ])
    );
    assert_eq!(body["response_format"]["type"], "json_schema");
    let schema: serde_json::Value = serde_json::from_str(MODEL_ANSWER_SCHEMA).unwrap();
    assert_eq!(body["response_format"]["json_schema"]["schema"], schema);
    assert_eq!(body["stream"], false);

    // What the affiliate API was asked: the model's reading.
    let params = fake
        .last_call(shopper_aliexpress::method::PRODUCT_QUERY)
        .expect("asked");
    let param = |name: &str| params.get(name).map(String::as_str);
    assert_eq!(param("keywords"), Some("bluetooth speaker"));
    assert_eq!(param("max_sale_price"), Some("2000"));
    assert_eq!(param("sort"), Some("SALE_PRICE_ASC"));
    // 4.7 stars needs 94% positive: the speaker (95.5%, 12.99) passes; the earbuds (93.4%,
    // 15.99) do not, and the watch (24.50) is over the price.
    let shown: Vec<&str> = products(&read)
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["1005001234567890"]);

    // The rules' filters win; the model's keywords come with them.
    let read = post(&server.address, &ask(&format!("{DESCRIPTION} under $15"))).json();
    assert_eq!(read["read_by"], "model");
    assert_eq!(
        (&read["max_price"], &read["sort"]),
        (&serde_json::json!(15), &serde_json::json!("price_asc"))
    );
    assert_eq!(
        fake.last_call(shopper_aliexpress::method::PRODUCT_QUERY)
            .and_then(|p| p.get("max_sale_price").cloned())
            .as_deref(),
        Some("1500")
    );

    // What the rules read fully never reaches the model.
    for query in [
        "wireless earbuds under $20 with free shipping",
        "bluetooth speaker 4+ stars cheapest",
        "Smart Watch Fitness Tracker Bluetooth Waterproof",
    ] {
        let read = post(&server.address, &ask(query)).json();
        assert_eq!(read["read_by"], "rules", "{query}");
    }
    assert_eq!(
        asked_keywords(&fake).as_deref(),
        Some("smart watch fitness tracker bluetooth waterproof")
    );
    assert_eq!(
        chat.received().len(),
        2,
        "asked only for the two descriptions"
    );
    let log = server.stop();
    assert!(
        !log.contains("ten-year-old") && !log.contains("space"),
        "{log}"
    );
}

#[test]
fn the_rules_reading_stands_when_the_model_answers_badly_fails_or_is_slow() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let chat = runtime.block_on(FakeChat::start(Reply::Status(500)));
    let dir = tempfile::tempdir().unwrap();
    let deadline = Duration::from_millis(300);
    let server = Logged::start(with_model(
        configured(&dir.path().join("data"), &fake, 5_000),
        &chat,
        deadline.as_millis() as u64,
    ));
    let good = message(serde_json::json!({"keywords": "bluetooth speaker", "max_price": 20}));
    let slow = Duration::from_secs(3);
    for (reply, wait, kind) in [
        (
            Reply::Message("Sure! Try a telescope.".into()),
            Duration::ZERO,
            "model_answer_not_json",
        ),
        (
            Reply::Message(message(serde_json::json!({"sort": "by stars"}))),
            Duration::ZERO,
            "model_answer_bad_value",
        ),
        (
            Reply::Message(message(serde_json::json!({"page": 2}))),
            Duration::ZERO,
            "model_answer_unknown_field",
        ),
        (Reply::Status(500), Duration::ZERO, "model_status"),
        (Reply::Status(429), Duration::ZERO, "model_status"),
        (
            Reply::Body("<html>busy</html>".into()),
            Duration::ZERO,
            "model_not_a_chat_answer",
        ),
        (Reply::Message(good.clone()), slow, "model_deadline"),
    ] {
        chat.reply(reply);
        chat.wait(wait);
        let asked = chat.received().len();
        let started = std::time::Instant::now();
        let answer = post(&server.address, &ask(DESCRIPTION));
        let took = started.elapsed();
        assert_eq!(answer.status, 200, "{kind}");
        let read = answer.json();
        assert_eq!(read["read_by"], "rules", "{kind}");
        assert_eq!(read["keywords"], DESCRIPTION_AS_READ, "{kind}");
        assert_eq!(read["max_price"], serde_json::Value::Null, "{kind}");
        assert_eq!(
            asked_keywords(&fake).as_deref(),
            Some(DESCRIPTION_AS_READ),
            "{kind}"
        );
        assert_eq!(chat.received().len(), asked + 1, "{kind}: asked once");
        if wait == slow {
            assert!(
                took >= deadline && took < deadline + Duration::from_millis(1_000),
                "cut at the deadline: {took:?}"
            );
            eprintln!("model past its {deadline:?} deadline: answered in {took:?}");
        }
        let said = server.said_soon(kind);
        assert!(said.contains(kind), "{kind} is logged: {said}");
    }
    // Well again.
    chat.wait(Duration::ZERO);
    chat.reply(Reply::Message(good));
    let read = post(&server.address, &ask(DESCRIPTION)).json();
    assert_eq!(read["read_by"], "model");
    let log = server.stop();
    assert!(
        !log.contains("ten-year-old") && !log.contains("telescope"),
        "{log}"
    );

    // An endpoint nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    let mut command = configured(&dir.path().join("data2"), &fake, 5_000);
    command
        .env("SHOPPER_LLM_URL", url)
        .env("SHOPPER_LLM_MODEL", "fake-model");
    let server = Logged::start(command);
    let read = post(&server.address, &ask(DESCRIPTION)).json();
    assert_eq!(read["read_by"], "rules");
    assert!(server.stop().contains("model_unreachable"));
}

#[test]
fn without_a_model_configured_the_rules_read_alone_and_say_so() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(configured(&dir.path().join("data"), &fake, 5_000));
    assert!(
        server
            .said()
            .contains("off: language model for Smart Search (no llm url configured"),
        "{}",
        server.said()
    );
    let read = post(&server.address, &ask(DESCRIPTION)).json();
    assert_eq!(read["read_by"], "rules");
    assert_eq!(read["keywords"], DESCRIPTION_AS_READ);

    let mut command = configured(&dir.path().join("data2"), &fake, 5_000);
    command.env("SHOPPER_LLM_URL", "http://127.0.0.1:9/v1");
    let server = Logged::start(command);
    assert!(
        server
            .said()
            .contains("off: language model for Smart Search (no llm model configured"),
        "{}",
        server.said()
    );
}

/// Figures, not a check of speed (the machine is shared): the time a request takes when the
/// model reads it (the fake answers at once) and when the rules do, the median of each.
#[test]
fn added_latency_of_the_model_against_fakes() {
    let runtime = runtime();
    let fake = runtime
        .block_on(FakeApi::start(FakeConfig::default()))
        .unwrap();
    let chat = runtime.block_on(FakeChat::start(Reply::Message(message(
        serde_json::json!({"keywords": "bluetooth speaker"}),
    ))));
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(with_model(
        configured(&dir.path().join("data"), &fake, 5_000),
        &chat,
        1_500,
    ));
    let median = |query: &str, reader: &str| {
        let mut times: Vec<Duration> = (0..41)
            .map(|_| {
                let started = std::time::Instant::now();
                let read = post(&server.address, &ask(query)).json();
                assert_eq!(read["read_by"], reader);
                started.elapsed()
            })
            .collect();
        times.sort_unstable();
        times[times.len() / 2]
    };
    // Both ask the API for the same keywords, so the difference is the model's.
    let rules = median("bluetooth speaker", "rules");
    let model = median("a gift for someone who likes a bluetooth speaker", "model");
    eprintln!(
        "median of 41: rules {rules:?}, model {model:?} (added {:?})",
        model.saturating_sub(rules)
    );
    assert!(model < Duration::from_millis(1_500), "within the deadline");
}
