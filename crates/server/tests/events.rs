//! `POST /v1/events` and `GET /v1/stats` on the real `shopper-server` binary: a good batch is
//! counted in the stats, each kind of bad batch is refused whole with the core's reason and
//! counts nothing, the per-id and per-address limits answer 429 with an honest `Retry-After`,
//! the stats are behind the admin token, and the privacy guarantee: the client's address and
//! the anonymous id are in no log line, and the address in no file (the id is in the marks
//! table, as the README says, for 31 days).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::net::Ipv4Addr;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{contains, contains_bytes, files, send, Logged, Response};
use shopper_core::api::EVENTS_PATH;
use shopper_core::events::{day_of, day_text, AnonymousId, MAX_BATCH_BYTES};

const TOKEN: &str = "sesame-events";

fn server(data: &std::path::Path) -> Command {
    let mut command = common::command(data);
    command.env("SHOPPER_ADMIN_TOKEN", TOKEN);
    command
}

/// An id no other call, test or run uses.
fn new_id() -> AnonymousId {
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&RUN.get_or_init(common::seed).to_be_bytes());
    bytes[8..].copy_from_slice(&NEXT.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    AnonymousId::from_random(bytes)
}

/// A batch of `id` with `counts` (a JSON object's text) and `extra` before its end.
fn batch(id: &AnonymousId, counts: &str, extra: &str) -> String {
    format!(
        r#"{{"schema": 1, "id": "{id}", "browser": "firefox", "browser_major": 133, "os": "linux",
           "country": "BR", "language": "pt_BR", "utc_offset": -180, "extension_version": "2.0.1",
           "counts": {counts}{extra}}}"#
    )
}

fn post(address: &str, body: &str, from: Option<Ipv4Addr>) -> Response {
    send(
        address,
        "POST",
        EVENTS_PATH,
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
        from,
    )
}

fn code(response: &Response) -> String {
    response.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn stats(address: &str, query: &str, token: Option<&str>) -> Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("Authorization", b.as_str()))
        .collect();
    send(
        address,
        "GET",
        &format!("/v1/stats{query}"),
        &headers,
        None,
        None,
    )
}

fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    day_text(day_of(now as i64))
}

/// Today's stats: the day's entry, and its event sums as (event, count).
fn todays(address: &str) -> (serde_json::Value, Vec<(String, u64)>) {
    let today = today();
    let answer = stats(address, &format!("?from={today}&to={today}"), Some(TOKEN));
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let body = answer.json();
    let day = body["days"][0].clone();
    assert_eq!(day["day"], today.as_str());
    let mut sums: Vec<(String, u64)> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["day"], today.as_str());
            (
                e["event"].as_str().unwrap().to_owned(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect();
    sums.sort();
    (day, sums)
}

#[test]
fn a_good_batch_is_counted_and_a_bad_one_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(server(&dir.path().join("data")));
    let address = server.address.as_str();

    let (day, sums) = todays(address);
    assert_eq!((day["daily_active"].as_u64(), sums.len()), (Some(0), 0));

    let id = new_id();
    let good = post(
        address,
        &batch(&id, r#"{"popup_opened": 3, "coupon_copied": 1}"#, ""),
        None,
    );
    assert_eq!(good.status, 204, "{}", String::from_utf8_lossy(&good.body));
    assert!(good.body.is_empty());
    // The same id again today: its counts added, the id still one active id.
    assert_eq!(
        post(address, &batch(&id, r#"{"popup_opened": 2}"#, ""), None).status,
        204
    );
    let counted = || todays(address);
    let (day, sums) = counted();
    assert_eq!(day["daily_active"], 1);
    assert_eq!(day["monthly_active"], 1);
    assert_eq!(
        sums,
        [
            ("coupon_copied".to_owned(), 1),
            ("popup_opened".to_owned(), 5)
        ]
    );

    // Each kind of bad batch, each from an id never counted: refused whole, counted nowhere.
    let other = new_id();
    let too_large = batch(&other, "{}", &" ".repeat(MAX_BATCH_BYTES));
    for (body, want) in [
        (
            batch(&other, "{}", r#", "ip": "10.0.0.1""#),
            "events_unknown_field",
        ),
        (
            batch(&other, r#"{"popup_opened": 3}"#, r#", "url": "https://x""#),
            "events_unknown_field",
        ),
        (
            batch(&other, r#"{"popup_opened": "3"}"#, ""),
            "events_wrong_type",
        ),
        (batch(&other, "[]", ""), "events_wrong_type"),
        (
            batch(&other, r#"{"popup_opened": 1}"#, "")
                .replace(r#""browser_major": 133"#, r#""browser_major": "133""#),
            "events_wrong_type",
        ),
        (
            batch(&other, r#"{"popup_opened": 1, "page_viewed": 2}"#, ""),
            "events_unknown_event",
        ),
        (
            batch(&other, r#"{"mode_changed": 101}"#, ""),
            "events_count_too_high",
        ),
        (
            batch(&other, "{}", "").replace(r#""os": "linux","#, ""),
            "events_missing_field",
        ),
        (
            batch(&other, "{}", "").replace("\"BR\"", "\"XX\""),
            "events_bad_value",
        ),
        (too_large, "events_too_large"),
        (
            batch(&other, r#"{"popup_opened": 1}"#, "")
                .trim_end_matches('}')
                .to_owned(),
            "events_not_json",
        ),
        ("not json at all".to_owned(), "events_not_json"),
        ("[1, 2]".to_owned(), "events_not_an_object"),
        (String::new(), "events_not_json"),
    ] {
        let answer = post(address, &body, None);
        assert_eq!(
            (answer.status, code(&answer).as_str()),
            (400, want),
            "{body:.120}"
        );
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(message.starts_with("usage batch refused: "), "{message}");
    }
    // Over the limit and said to be: refused by its length, with the size sent.
    let huge = batch(&other, "{}", &" ".repeat(20_000));
    let answer = post(address, &huge, None);
    assert_eq!(
        (answer.status, code(&answer).as_str()),
        (400, "events_too_large")
    );
    assert!(answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&huge.len().to_string()));
    assert_eq!(counted(), (day, sums), "nothing of a bad batch counted");
}

#[test]
fn stats_are_behind_the_admin_token_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(server(&dir.path().join("data")));
    let address = server.address.as_str();
    let without = stats(address, "", None);
    assert_eq!(
        (without.status, code(&without).as_str()),
        (401, "admin_unauthorised")
    );
    let wrong = stats(address, "", Some("not-the-token"));
    assert_eq!(
        (wrong.status, code(&wrong).as_str()),
        (401, "admin_unauthorised")
    );
    let week = stats(address, "", Some(TOKEN));
    assert_eq!(week.status, 200);
    let week = week.json();
    assert_eq!(week["days"].as_array().unwrap().len(), 7);
    assert_eq!(week["to"], today().as_str());
    assert_eq!(week["today"], today().as_str());
    assert_eq!(week["events_truncated"], false);
    for (query, want) in [
        ("?from=2026-01-01&to=2026-06-30", "stats_bad_range"),
        ("?from=2026-02-02&to=2026-02-01", "stats_bad_range"),
        ("?from=2026-02-30", "stats_bad_day"),
        ("?to=today", "stats_bad_day"),
        ("?days=3", "stats_bad_query"),
    ] {
        let answer = stats(address, query, Some(TOKEN));
        assert_eq!(
            (answer.status, code(&answer).as_str()),
            (400, want),
            "{query}"
        );
    }
    let quarter = stats(address, "?from=2020-01-01&to=2020-04-01", Some(TOKEN));
    assert_eq!(quarter.status, 200);
    let days = quarter.json()["days"].as_array().unwrap().clone();
    assert_eq!(days.len(), 92);
    assert!(
        days.iter()
            .all(|d| d["daily_active"] == 0 && d["monthly_active"].is_null()),
        "days long past, never finished: known to have nobody, monthly not known"
    );
    drop(server);

    // Without a token configured, the stats are off, as every admin endpoint.
    let off = Logged::start(common::command(&dir.path().join("off")));
    let answer = stats(&off.address, "", Some(TOKEN));
    assert_eq!((answer.status, code(&answer).as_str()), (404, "admin_off"));
}

#[test]
fn rate_limits_answer_429_with_an_honest_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let server = Logged::start(server(&dir.path().join("data")));
    let address = server.address.as_str();
    let seed = common::seed();

    // Per id: 4 an hour, from any address.
    let id = new_id();
    let one = batch(&id, r#"{"coupon_filled": 1}"#, "");
    for n in 0..4 {
        let from = common::loopback(seed.wrapping_add(n));
        assert_eq!(post(address, &one, Some(from)).status, 204, "batch {n}");
    }
    let over = post(address, &one, Some(common::loopback(seed.wrapping_add(9))));
    assert_eq!(
        (over.status, code(&over).as_str()),
        (429, "events_rate_limited_id")
    );
    let wait: u64 = over.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (850..=900).contains(&wait),
        "one more in 15 minutes: {wait}"
    );
    assert_eq!(
        post(address, &batch(&new_id(), "{}", ""), None).status,
        204,
        "another id"
    );
    let (day, sums) = todays(address);
    assert_eq!(
        sums,
        [("coupon_filled".to_owned(), 4)],
        "the fifth not counted"
    );
    assert_eq!(day["daily_active"], 2);

    // Per address: 60 a minute, whatever the ids, refused batches included. The burst of 60
    // is allowed, then one a second: sent as fast as it goes, the 429 comes within as many
    // more as seconds passed.
    let from = common::loopback(seed.wrapping_add(100));
    let began = std::time::Instant::now();
    for n in 0..59 {
        let answer = post(address, &batch(&new_id(), "{}", ""), Some(from));
        assert_eq!(answer.status, 204, "batch {n}");
    }
    assert_eq!(post(address, "{", Some(from)).status, 400);
    let mut accepted = 59;
    let over = loop {
        let answer = post(address, &batch(&new_id(), "{}", ""), Some(from));
        if answer.status != 204 {
            break answer;
        }
        accepted += 1;
        let refills = began.elapsed().as_secs() + 1;
        assert!(
            accepted - 59 <= refills,
            "{accepted} accepted in {refills} s"
        );
    };
    assert_eq!(
        (over.status, code(&over).as_str()),
        (429, "events_rate_limited_address")
    );
    let wait: u64 = over.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(wait, 1, "one more a second");
    let elsewhere = common::loopback(seed.wrapping_add(101));
    assert_eq!(
        post(address, &batch(&new_id(), "{}", ""), Some(elsewhere)).status,
        204,
        "another address"
    );
    std::thread::sleep(Duration::from_secs(wait));
    assert_eq!(
        post(address, &batch(&new_id(), "{}", ""), Some(from)).status,
        204,
        "after Retry-After"
    );
    let (day, _) = todays(address);
    assert_eq!(day["daily_active"], 2 + accepted + 2);
}

#[test]
fn the_address_and_the_id_are_in_no_log_and_the_address_in_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut command = server(&data);
    command.env("RUST_LOG", "trace");
    let server = Logged::start(command);
    let address = server.address.clone();
    let from = common::loopback(common::seed());
    let id = new_id();
    let good = batch(&id, r#"{"link_rewritten": 42}"#, "");
    assert_eq!(post(&address, &good, Some(from)).status, 204);
    // Refusals too: a bad value naming the id, a bad batch, the id over its limit.
    let bad = batch(&id, "{}", "").replace("2.0.1", "v2");
    assert_eq!(post(&address, &bad, Some(from)).status, 400);
    let named = format!(r#"{{"{id}": 1}}"#);
    assert_eq!(post(&address, &named, Some(from)).status, 400);
    for _ in 0..4 {
        post(&address, &good, Some(from));
    }
    assert_eq!(post(&address, &good, Some(from)).status, 429);
    let (day, _) = todays(&address);
    assert_eq!(day["daily_active"], 1);

    let log = server.stop();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "logging was at its most verbose: {log:.2000}"
    );
    assert!(
        log.contains("usage batch refused"),
        "refusals are logged, by their code: {log:.4000}"
    );
    let id_text = id.to_string();
    assert!(!contains(log.as_bytes(), &id_text), "the id is in the log");
    assert!(
        !contains(log.as_bytes(), &id_text.replace('-', "")),
        "the id is in the log"
    );
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
    assert!(
        all.iter()
            .any(|(_, bytes)| contains_bytes(bytes, &id.bytes())),
        "the id is in the active marks (kept 31 days): the files read are the ones written"
    );
    for (name, bytes) in &all {
        assert!(
            !contains(bytes, &from.to_string()),
            "the client's address is in {name}"
        );
        assert!(!contains(bytes, &id_text), "the id's text is in {name}");
    }
}
