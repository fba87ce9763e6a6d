//! The `aliexpress-fake` program, as the extension's end-to-end tests start it: it says where
//! it listens on its first line and answers the client signed with the credentials it was given.

// Helpers outside #[test] functions stop a failing test with a message too.
#![allow(clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shopper_aliexpress::{ApiError, Client, Config, Refusal};

mod support;

#[tokio::test]
async fn the_program_listens_where_it_says_and_checks_signatures() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aliexpress-fake"))
        .args([
            "--app-key",
            "k1",
            "--app-secret",
            "s1",
            "--tracking-id",
            "t1",
            "--lists",
            "plain",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start: {e}"));
    let mut line = String::new();
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("read: {e}"));
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let mut config = Config::new("k1", "s1", "t1");
    config.base_url = url.clone();
    let deadline = Instant::now() + Duration::from_secs(10);
    let client = Client::new(config).unwrap_or_else(|e| panic!("{e}"));
    let query = support::query("keyboard");
    let page = client.product_query(&query, deadline).await;
    let mut wrong = Config::new("k1", "not-s1", "t1");
    wrong.base_url = url;
    let refused = Client::new(wrong)
        .unwrap_or_else(|e| panic!("{e}"))
        .product_query(&query, deadline)
        .await;
    let _ = child.kill();
    let _ = child.wait();
    let page = page.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.products.len(), 1);
    assert_eq!(
        page.products.first().map(|p| p.id.as_str()),
        Some("1005005551112223")
    );
    assert!(
        matches!(
            refused,
            Err(ApiError::Refused {
                reason: Refusal::IncompleteSignature,
                ..
            })
        ),
        "{refused:?}"
    );
}
