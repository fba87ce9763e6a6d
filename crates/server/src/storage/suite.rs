//! The storage tests, one set of functions run on each backend: SQLite in a temporary folder,
//! PostgreSQL in a new database of the cluster `SHOPPER_TEST_POSTGRES_URL` names (scripts/test
//! starts a throwaway one). Without it the PostgreSQL half fails, saying so: never a silent
//! pass. Each migration is applied from the schema before it, with data in it; upserts by id in
//! one transaction; the revision under concurrent writers; rates; the usage counts
//! ([`usage`]).

#![allow(clippy::panic)]

mod usage;

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use shopper_core::coupon::parse_feed;
use shopper_core::money::Currency;
use shopper_core::ProductId;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::*;
use usage::*;

/// Where the PostgreSQL half finds its cluster.
const POSTGRES_VAR: &str = "SHOPPER_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A new, empty database of one backend.
struct Fresh {
    backend: Backend,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

/// A database opened by its backend's own type, for what the trait does not say.
enum Opened {
    Sqlite(SqliteStorage),
    Postgres(PostgresStorage),
}

impl Opened {
    fn storage(&self) -> &dyn Storage {
        match self {
            Self::Sqlite(s) => s,
            Self::Postgres(s) => s,
        }
    }

    async fn applied(&self) -> Vec<i64> {
        match self {
            Self::Sqlite(s) => s.applied_migrations().await,
            Self::Postgres(s) => s.applied_migrations().await,
        }
        .expect("the ledger")
    }

    async fn execute(&self, sql: &str) {
        match self {
            Self::Sqlite(s) => sqlx::query(sql).execute(s.pool()).await.map(drop),
            Self::Postgres(s) => sqlx::query(sql).execute(s.pool()).await.map(drop),
        }
        .expect(sql);
    }
}

/// The URL of a new database in the test cluster (each test its own, so none sees another's).
async fn new_postgres_database() -> String {
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var(POSTGRES_VAR).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_VAR} is not set: the PostgreSQL half of the storage suite needs a cluster. \
             Run scripts/test, which starts a throwaway one (or set {POSTGRES_VAR} to \
             postgres://USER@HOST:PORT/DB for a role that may create databases)"
        )
    });
    let options = PgConnectOptions::from_str(&admin).expect("a PostgreSQL URL");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!(
        "shopper_t{}_{}_{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    );
    let mut connection = options.connect().await.expect("the test cluster answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .expect("a new database");
    connection.close().await.expect("closed");
    options.database(&name).to_url_lossy().to_string()
}

impl Fresh {
    async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("dir");
                Self {
                    backend,
                    url: format!("sqlite://{}", dir.path().join("db.sqlite").display()),
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => Self {
                backend,
                url: new_postgres_database().await,
                _dir: None,
            },
        }
    }

    fn migrations(&self) -> &'static [Migration] {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        }
    }

    async fn open_migrated(&self, migrations: &[Migration]) -> Result<Opened, StorageError> {
        Ok(match self.backend {
            Backend::Sqlite => {
                Opened::Sqlite(SqliteStorage::open_migrated(&self.url, migrations).await?)
            }
            Backend::Postgres => {
                Opened::Postgres(PostgresStorage::open_migrated(&self.url, migrations).await?)
            }
        })
    }

    async fn open(&self) -> Opened {
        self.open_migrated(self.migrations()).await.expect("open")
    }
}

fn coupons(ids: &[(&str, &str)]) -> Vec<Coupon> {
    let list: Vec<String> = ids
        .iter()
        .map(|(id, title)| {
            format!(
                r#"{{"id": "{id}", "kind": "select", "title": "{title}", "currency": "USD", "min_spend": 100,
                "discount": {{"type": "fixed", "amount": 50}}, "countries": ["US"],
                "starts_at": "2026-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z"}}"#
            )
        })
        .collect();
    feed(&list.join(","))
}

fn feed(coupons: &str) -> Vec<Coupon> {
    let feed = parse_feed(&format!(
        r#"{{"version": 1, "generated_at": "2026-01-01T00:00:00Z", "coupons": [{coupons}]}}"#
    ))
    .expect("feed");
    assert!(feed.problems.is_empty(), "{:?}", feed.problems);
    feed.coupons
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).expect("a currency")
}

async fn a_new_database_gets_every_migration_once(backend: Backend) {
    let db = Fresh::new(backend).await;
    let all: Vec<i64> = db.migrations().iter().map(|m| m.version).collect();
    let storage = db.open().await;
    assert_eq!(storage.applied().await, all);
    drop(storage);
    let again = db.open().await;
    assert_eq!(again.applied().await, all, "no migration twice");
    assert_eq!(
        again.storage().catalog().await.expect("catalog").revision,
        0
    );
}

/// Instances started together on a new database: each opens it, each migration is applied
/// once (PostgreSQL's advisory lock, SQLite's write lock taken before the ledger is read).
async fn instances_opening_together_migrate_once(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = futures_join(&db, 4).await;
    let all: Vec<i64> = db.migrations().iter().map(|m| m.version).collect();
    for storage in &opened {
        assert_eq!(storage.applied().await, all);
    }
}

async fn futures_join(db: &Fresh, n: usize) -> Vec<Opened> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (backend, url) = (db.backend, db.url.clone());
        tasks.spawn(async move {
            let again = Fresh {
                backend,
                url,
                _dir: None,
            };
            let migrations = again.migrations();
            again.open_migrated(migrations).await
        });
    }
    let mut opened = Vec::new();
    while let Some(result) = tasks.join_next().await {
        opened.push(result.expect("joined").expect("every instance opens"));
    }
    opened
}

/// Every migration, applied to a database at the migration before it that holds data: the
/// data is still there and read the same, and what the migration adds works.
async fn each_migration_from_the_schema_before_it(backend: Backend) {
    let count = Fresh::new(backend).await.migrations().len();
    for upto in 1..=count {
        let db = Fresh::new(backend).await;
        let migrations = db.migrations();
        let old = db
            .open_migrated(&migrations[..upto - 1])
            .await
            .expect("before");
        if upto > 1 {
            // Migration 1 made the coupons table: fill it before the next one.
            old.storage()
                .upsert_coupons(&coupons(&[("a", "first"), ("b", "second")]), 100)
                .await
                .expect("coupons at the old schema");
        }
        if upto == 3 {
            // Migration 2 made the rates table: they survive migration 3 too.
            old.storage()
                .replace_rates(&Rates::new(currency("USD"), [(currency("EUR"), 0.8)]), 150)
                .await
                .expect("rates at the old schema");
        }
        let usage_before = has_usage(&migrations[..upto - 1]);
        if usage_before {
            fill_usage(old.storage()).await;
        }
        drop(old);
        let new = db
            .open_migrated(&migrations[..upto])
            .await
            .expect("migrated");
        assert_eq!(new.applied().await.len(), upto, "migration {upto}");
        let new_storage = new.storage();
        if upto > 1 {
            let kept = new_storage
                .coupons_expiring_after(0)
                .await
                .expect("coupons");
            assert_eq!(
                kept,
                coupons(&[("a", "first"), ("b", "second")]),
                "migration {upto}"
            );
            let revision = if upto == 3 { 2 } else { 1 };
            assert_eq!(
                new_storage.catalog().await.expect("catalog").revision,
                revision
            );
        }
        if upto == 3 {
            let rates = new_storage.rates().await.expect("rates");
            assert_eq!(rates.rate(currency("USD"), currency("EUR")), Some(0.8));
        }
        let current = new_storage
            .coupons_expiring_after(0)
            .await
            .expect("read")
            .len();
        new_storage
            .upsert_coupons(&coupons(&[("c", "third")]), 200)
            .await
            .expect("written after the migration");
        assert_eq!(
            new_storage
                .coupons_expiring_after(0)
                .await
                .expect("read")
                .len(),
            current + 1
        );
        if upto >= 2 {
            let (usd, eur) = (currency("USD"), currency("EUR"));
            new_storage
                .replace_rates(&Rates::new(usd, [(eur, 0.9)]), 300)
                .await
                .expect("rates after migration 2");
            assert_eq!(
                new_storage.rates().await.expect("rates").rate(usd, eur),
                Some(0.9)
            );
        }
        if upto >= 3 {
            let cached = [link("1005001234567890", "_after", 400)];
            new_storage
                .store_links("t", &cached)
                .await
                .expect("links after migration 3");
            assert_eq!(
                new_storage
                    .cached_links("t", &[cached[0].product], 0)
                    .await
                    .expect("links"),
                cached
            );
        }
        if usage_before {
            usage_is_still_there(new_storage).await;
        }
        if has_usage(&migrations[..upto]) {
            usage_works(new_storage).await;
        }
    }
}

fn product(id: &str) -> ProductId {
    ProductId::parse(id).expect("a product id")
}

fn link(id: &str, key: &str, fetched_at: Timestamp) -> CachedLink {
    CachedLink {
        product: product(id),
        link: format!("https://s.click.aliexpress.com/e/{key}"),
        fetched_at,
    }
}

/// The links of `products` under `tracking_id` got after `after`, by product.
async fn cached(
    storage: &dyn Storage,
    tracking_id: &str,
    products: &[&str],
    after: Timestamp,
) -> Vec<CachedLink> {
    let products: Vec<ProductId> = products.iter().map(|p| product(p)).collect();
    let mut found = storage
        .cached_links(tracking_id, &products, after)
        .await
        .expect("cached links");
    found.sort_by_key(|l| l.product);
    found
}

/// A link is read while it is younger than the age asked, per tracking id; a later one
/// replaces it and an older one does not; old ones are forgotten.
async fn cached_links_are_read_while_young_per_tracking_id(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let (a, b, c) = ("1005001234567890", "1005009876543210987", "4000123456");
    assert!(cached(storage, "t", &[a, b], 0).await.is_empty());
    storage
        .store_links("t", &[link(a, "_a1", 100), link(b, "_b1", 100)])
        .await
        .expect("stored");
    storage
        .store_links("other", &[link(a, "_other", 100)])
        .await
        .expect("another tracking id's");
    assert_eq!(
        cached(storage, "t", &[a, b, c], 99).await,
        [link(a, "_a1", 100), link(b, "_b1", 100)]
    );
    assert_eq!(cached(storage, "t", &[b], 99).await, [link(b, "_b1", 100)]);
    assert!(
        cached(storage, "t", &[a, b], 100).await.is_empty(),
        "got at the bound: too old"
    );
    assert_eq!(
        cached(storage, "other", &[a, b], 0).await,
        [link(a, "_other", 100)]
    );
    assert!(cached(storage, "none", &[a], 0).await.is_empty());
    // A later link replaces the product's; an earlier one (another instance's, slower) does
    // not; in one list, the latest of a product wins.
    storage
        .store_links(
            "t",
            &[
                link(a, "_a2", 200),
                link(a, "_a3", 300),
                link(a, "_a0", 250),
            ],
        )
        .await
        .expect("replaced");
    storage
        .store_links("t", &[link(a, "_late", 150)])
        .await
        .expect("older");
    assert_eq!(cached(storage, "t", &[a], 0).await, [link(a, "_a3", 300)]);
    storage.store_links("t", &[]).await.expect("nothing");
    // Forgetting by age: the links got at 100 go, for every tracking id.
    assert_eq!(storage.forget_links(100).await.expect("forgot"), 2);
    assert_eq!(
        cached(storage, "t", &[a, b], 0).await,
        [link(a, "_a3", 300)]
    );
    assert!(cached(storage, "other", &[a], 0).await.is_empty());
    // Many products in one read.
    let many: Vec<String> = (0..700).map(|n| format!("1005000000{n:06}")).collect();
    let links: Vec<CachedLink> = many.iter().map(|id| link(id, "_m", 500)).collect();
    storage.store_links("t", &links).await.expect("many");
    let ids: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(cached(storage, "t", &ids, 400).await.len(), 700);
}

async fn upserts_replace_by_id_and_bump_the_revision(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let first = storage
        .upsert_coupons(&coupons(&[("a", "old"), ("b", "b")]), 1000)
        .await
        .expect("first");
    assert_eq!(
        first,
        Catalog {
            revision: 1,
            changed_at: 1000
        }
    );
    let second = storage
        .upsert_coupons(&coupons(&[("a", "new")]), 900)
        .await
        .expect("second");
    assert_eq!(
        second,
        Catalog {
            revision: 2,
            changed_at: 1000
        },
        "time never goes back"
    );
    assert_eq!(storage.catalog().await.expect("catalog"), second);
    let stored = storage.coupons_expiring_after(0).await.expect("read");
    let titles: Vec<(&str, &str)> = stored.iter().map(|c| (c.id(), c.title())).collect();
    assert_eq!(titles, [("a", "new"), ("b", "b")]);
    assert_eq!(storage.coupon_count().await.expect("count"), 2);
    let later = 4_070_908_800 + 1; // after 2099-01-01
    assert!(storage
        .coupons_expiring_after(later)
        .await
        .expect("read")
        .is_empty());
}

/// An id given twice in one upsert is stored once, as its last version (as row by row).
async fn an_id_twice_in_one_upsert_keeps_the_last(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    // Two feeds: one feed refuses a repeated id, a caller's list need not.
    let mut twice = coupons(&[("a", "one"), ("b", "b")]);
    twice.extend(coupons(&[("a", "two")]));
    storage.upsert_coupons(&twice, 1).await.expect("upsert");
    let stored = storage.coupons_expiring_after(0).await.expect("read");
    let titles: Vec<(&str, &str)> = stored.iter().map(|c| (c.id(), c.title())).collect();
    assert_eq!(titles, [("a", "two"), ("b", "b")]);
}

/// Every field of every kind of coupon is read back as it was written (each backend's types).
async fn every_kind_of_coupon_is_read_back_the_same(backend: Backend) {
    let written = feed(
        r#"{"id": "st", "kind": "store", "title": "Store \"deal\", 10%", "store_id": "9", "product_ids": ["1", "2"],
         "category_ids": ["c"], "currency": "USD", "min_spend": 2000, "discount": {"type": "fixed", "amount": 300},
         "countries": ["US", "CA"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2099-12-01T00:00:00Z",
         "url": "https://www.aliexpress.com/store/9"},
        {"id": "sel", "kind": "select", "title": "Выбор", "currency": "JPY", "min_spend": 0,
         "discount": {"type": "percent", "percent": 15, "max": 1000}, "starts_at": "2026-11-01T00:00:00Z",
         "expires_at": "2099-12-01T00:00:00Z", "new_users_only": true},
        {"id": "code", "kind": "code", "title": "t", "code": "SAVE", "currency": "EUR", "min_spend": 1,
         "discount": {"type": "percent", "percent": 5}, "starts_at": "2026-11-01T00:00:00Z",
         "expires_at": "2099-12-01T00:00:00Z"}"#,
    );
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    storage.upsert_coupons(&written, 5).await.expect("upsert");
    let mut expected = written.clone();
    expected.sort_by(|a, b| a.id().cmp(b.id()));
    assert_eq!(
        storage.coupons_expiring_after(0).await.expect("read"),
        expected
    );
}

/// Writers at once (as instances importing together): every write is kept, and each got its
/// own revision, the last of them the catalog's.
async fn concurrent_writers_each_get_a_revision(backend: Backend) {
    let db = Fresh::new(backend).await;
    drop(db.open().await);
    let instances = futures_join(&db, 3).await;
    let mut tasks = tokio::task::JoinSet::new();
    for (n, instance) in instances.into_iter().enumerate() {
        tasks.spawn(async move {
            let mut revisions = Vec::new();
            for round in 0..4 {
                // Overlapping ids in different orders: the writers meet on the same rows.
                let mut ids = [format!("shared-{round}"), format!("own-{n}-{round}")];
                if n % 2 == 1 {
                    ids.reverse();
                }
                let pairs: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "t")).collect();
                let catalog = instance
                    .storage()
                    .upsert_coupons(&coupons(&pairs), 10)
                    .await
                    .expect("a concurrent upsert");
                revisions.push(catalog.revision);
                let usd = currency("USD");
                let rates = Rates::new(usd, [(currency("EUR"), 0.5 + n as f64)]);
                let catalog = instance
                    .storage()
                    .replace_rates(&rates, 10)
                    .await
                    .expect("a concurrent rates import");
                revisions.push(catalog.revision);
            }
            revisions
        });
    }
    let mut revisions = Vec::new();
    while let Some(result) = tasks.join_next().await {
        revisions.extend(result.expect("joined"));
    }
    revisions.sort_unstable();
    let expected: Vec<i64> = (1..=24).collect();
    assert_eq!(revisions, expected, "one revision per write, none twice");
    let reader = db.open().await;
    let storage = reader.storage();
    assert_eq!(storage.catalog().await.expect("catalog").revision, 24);
    assert_eq!(storage.coupon_count().await.expect("count"), 4 + 3 * 4);
    let rates = storage.rates().await.expect("rates");
    let (usd, eur) = (currency("USD"), currency("EUR"));
    assert_eq!(rates.base(), Some(usd));
    let kept = rates.rate(usd, eur).expect("one writer's set");
    assert!([0.5, 1.5, 2.5].contains(&kept), "{kept}");
}

async fn a_newer_schema_is_refused(backend: Backend) {
    let db = Fresh::new(backend).await;
    db.open()
        .await
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
        )
        .await;
    assert!(matches!(
        db.open_migrated(db.migrations()).await,
        Err(StorageError::NewerSchema(999))
    ));
}

async fn rates_are_replaced_whole(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    assert_eq!(storage.rates().await.expect("none"), Rates::none());
    let (usd, eur, brl) = (currency("USD"), currency("EUR"), currency("BRL"));
    storage
        .replace_rates(&Rates::new(usd, [(eur, 0.9), (brl, 5.0)]), 1)
        .await
        .expect("first");
    storage
        .replace_rates(&Rates::new(eur, [(brl, 5.5)]), 2)
        .await
        .expect("second");
    let rates = storage.rates().await.expect("rates");
    assert_eq!(rates.base(), Some(eur));
    assert_eq!(rates.rate(eur, brl), Some(5.5));
    assert_eq!(rates.rate(eur, usd), None, "the old set is gone");
    assert_eq!(storage.catalog().await.expect("catalog").revision, 2);
}

/// One test function per backend for each function of the suite.
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Backend::Postgres).await
            })*
        }
    };
}

on_each_backend!(
    a_new_database_gets_every_migration_once,
    instances_opening_together_migrate_once,
    each_migration_from_the_schema_before_it,
    upserts_replace_by_id_and_bump_the_revision,
    an_id_twice_in_one_upsert_keeps_the_last,
    every_kind_of_coupon_is_read_back_the_same,
    concurrent_writers_each_get_a_revision,
    a_newer_schema_is_refused,
    rates_are_replaced_whole,
    cached_links_are_read_while_young_per_tracking_id,
    usage_increments_add_up,
    a_group_adds_up_as_its_batches_one_by_one,
    active_counts_are_the_cores,
    concurrent_batches_add_up_and_count_each_id_once,
    retention_deletes_old_marks_and_finishes_yesterday,
);
