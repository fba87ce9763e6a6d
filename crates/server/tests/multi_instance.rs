//! Two real `shopper-server` instances on one PostgreSQL database (a new database in the
//! cluster `SHOPPER_TEST_POSTGRES_URL` names; scripts/test starts one): an import through one
//! instance's command line reaches the other, which serves the same feed bytes and ETag.

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
use std::str::FromStr;

use common::*;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

const POSTGRES_VAR: &str = "SHOPPER_TEST_POSTGRES_URL";

/// The URL of a new database in the test cluster, this test's alone.
fn new_database() -> String {
    let admin = std::env::var(POSTGRES_VAR).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_VAR} is not set: this test needs a PostgreSQL cluster. Run scripts/test, \
             which starts a throwaway one (or set {POSTGRES_VAR} to postgres://USER@HOST:PORT/DB \
             for a role that may create databases)"
        )
    });
    let options = PgConnectOptions::from_str(&admin).expect("a PostgreSQL URL");
    let name = format!("shopper_two_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut connection = options.connect().await.expect("the test cluster answers");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut connection)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut connection)
            .await
            .unwrap();
        connection.close().await.unwrap();
    });
    options.database(&name).to_url_lossy().to_string()
}

/// An instance: its own data folder, the shared database and the shared signing key.
fn instance(data: &Path, database: &str, key: &Path) -> Command {
    let mut command = command(data);
    command
        .arg("--database")
        .arg(database)
        .arg("--signing-key")
        .arg(key)
        .arg("--markets")
        .arg("US-USD,ES-EUR");
    command
}

#[test]
fn two_instances_on_one_database_serve_the_same_feeds() {
    let database = new_database();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let key = dir.path().join("key.json");
    let made = run(&a, &["keygen", "--key-id", "shared-1"]);
    assert!(made.status.success(), "{made:?}");
    std::fs::write(&key, &made.stdout).unwrap();

    // Started together on a new database: both migrate it (once, under the lock) and serve.
    let (first, second) = (
        instance(&a, &database, &key).spawn_server(),
        instance(&b, &database, &key).spawn_server(),
    );
    let (first, second) = (first.join().unwrap(), second.join().unwrap());
    assert!(
        !a.join("shopper.db").exists() && !b.join("shopper.db").exists(),
        "no SQLite file beside a PostgreSQL database"
    );

    let feed = serde_json::json!({"version": 1, "generated_at": at(0), "coupons": [
        coupon("us-1", "USD", &["US"], 86_400),
        coupon("us-2", "USD", &[], 86_400),
        coupon("es-1", "EUR", &["ES"], 86_400),
    ]});
    let file = write(dir.path(), "coupons.json", &feed);
    let mut import = instance(&a, &database, &key);
    let imported = import
        .args(["coupons", "import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");

    let has = |ids: &'static [&'static str]| {
        let key = key.clone();
        move |r: &Response| r.status == 200 && common::ids(&open(&r.body, &key)) == ids
    };
    let from_a = first.get_until("/v1/feeds/US-USD", has(&["us-1", "us-2"]));
    let from_b = second.get_until("/v1/feeds/US-USD", has(&["us-1", "us-2"]));
    assert_eq!(
        from_a.body, from_b.body,
        "the same bytes from both instances"
    );
    assert_eq!(from_a.header("etag"), from_b.header("etag"));
    let etag = from_a.header("etag").unwrap().to_owned();
    let not_modified = second.get("/v1/feeds/US-USD", &[("If-None-Match", &etag)]);
    assert_eq!(
        not_modified.status, 304,
        "one instance's ETag is the other's"
    );

    // A second change, rates this time, through the other instance's command line.
    let rates = write(
        dir.path(),
        "rates.json",
        &serde_json::json!({"base": "USD", "per_base": {"EUR": 0.92}}),
    );
    let mut import = instance(&b, &database, &key);
    let imported = import
        .args(["rates", "import", rates.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    let (usd, eur) = (
        shopper_core::money::Currency::parse("USD").unwrap(),
        shopper_core::money::Currency::parse("EUR").unwrap(),
    );
    let with_rates =
        |r: &Response| r.status == 200 && open(&r.body, &key).rates.rate(usd, eur) == Some(0.92);
    let es_a = first.get_until("/v1/feeds/ES-EUR", with_rates);
    let es_b = second.get_until("/v1/feeds/ES-EUR", with_rates);
    assert_eq!(es_a.body, es_b.body, "both rebuilt from the same catalog");
    assert_eq!(es_a.header("etag"), es_b.header("etag"));
    assert_eq!(common::ids(&open(&es_a.body, &key)), ["es-1"]);
    assert_eq!(
        first.get("/v1/feeds", &[]).body,
        second.get("/v1/feeds", &[]).body,
        "the same list of feeds, ETags and sizes"
    );
}

/// Starts a server on a thread of its own, so two start at once.
trait SpawnServer {
    fn spawn_server(self) -> std::thread::JoinHandle<Server>;
}

impl SpawnServer for Command {
    fn spawn_server(self) -> std::thread::JoinHandle<Server> {
        std::thread::spawn(move || Server::start(self))
    }
}
