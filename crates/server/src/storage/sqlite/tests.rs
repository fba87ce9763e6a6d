//! The SQLite backend: each migration applied from the schema before it, with data in it;
//! upserts by id in one transaction; the revision; rates.

use super::*;
use shopper_core::coupon::parse_feed;

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
    let feed = parse_feed(&format!(
        r#"{{"version": 1, "generated_at": "2026-01-01T00:00:00Z", "coupons": [{}]}}"#,
        list.join(",")
    ))
    .expect("feed");
    assert!(feed.problems.is_empty());
    feed.coupons
}

fn url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("db.sqlite").display())
}

#[tokio::test]
async fn a_new_database_gets_every_migration_once() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = SqliteStorage::open(&url(&dir)).await.expect("open");
    let all: Vec<i64> = SQLITE_MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(storage.applied_migrations().await.expect("ledger"), all);
    drop(storage);
    let again = SqliteStorage::open(&url(&dir)).await.expect("reopen");
    assert_eq!(
        again.applied_migrations().await.expect("ledger"),
        all,
        "no migration twice"
    );
    assert_eq!(again.catalog().await.expect("catalog").revision, 0);
}

/// Every migration, applied to a database at the migration before it that holds data: the
/// data is still there and read the same, and what the migration adds works.
#[tokio::test]
async fn each_migration_from_the_schema_before_it() {
    for upto in 1..=SQLITE_MIGRATIONS.len() {
        let dir = tempfile::tempdir().expect("dir");
        let before = &SQLITE_MIGRATIONS[..upto - 1];
        let old = SqliteStorage::open_migrated(&url(&dir), before)
            .await
            .expect("before");
        if upto > 1 {
            // Migration 1 made the coupons table: fill it before the next one.
            old.upsert_coupons(&coupons(&[("a", "first"), ("b", "second")]), 100)
                .await
                .expect("coupons at the old schema");
        }
        drop(old);
        let new = SqliteStorage::open_migrated(&url(&dir), &SQLITE_MIGRATIONS[..upto])
            .await
            .expect("migrated");
        let applied = new.applied_migrations().await.expect("ledger");
        assert_eq!(applied.len(), upto, "migration {upto}");
        if upto > 1 {
            let kept = new.coupons_expiring_after(0).await.expect("coupons");
            assert_eq!(
                kept,
                coupons(&[("a", "first"), ("b", "second")]),
                "migration {upto}"
            );
            assert_eq!(new.catalog().await.expect("catalog").revision, 1);
        }
        let current = new.coupons_expiring_after(0).await.expect("read").len();
        new.upsert_coupons(&coupons(&[("c", "third")]), 200)
            .await
            .expect("written after the migration");
        assert_eq!(
            new.coupons_expiring_after(0).await.expect("read").len(),
            current + 1
        );
        if upto >= 2 {
            let usd = Currency::parse("USD").expect("usd");
            let eur = Currency::parse("EUR").expect("eur");
            new.replace_rates(&Rates::new(usd, [(eur, 0.9)]), 300)
                .await
                .expect("rates after migration 2");
            assert_eq!(new.rates().await.expect("rates").rate(usd, eur), Some(0.9));
        }
    }
}

#[tokio::test]
async fn upserts_replace_by_id_and_bump_the_revision() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = SqliteStorage::open(&url(&dir)).await.expect("open");
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

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = SqliteStorage::open(&url(&dir)).await.expect("open");
    sqlx::query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
    )
    .execute(storage.pool())
    .await
    .expect("insert");
    drop(storage);
    assert!(matches!(
        SqliteStorage::open(&url(&dir)).await,
        Err(StorageError::NewerSchema(999))
    ));
}

#[tokio::test]
async fn rates_are_replaced_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let storage = SqliteStorage::open(&url(&dir)).await.expect("open");
    assert_eq!(storage.rates().await.expect("none"), Rates::none());
    let (usd, eur, brl) = (
        Currency::parse("USD").expect("usd"),
        Currency::parse("EUR").expect("eur"),
        Currency::parse("BRL").expect("brl"),
    );
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
