//! The SQLite backend: one database file, created and migrated on open, in WAL mode so that an
//! import in another process never stops the server reading.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use shopper_core::coupon::{Coupon, Timestamp};
use shopper_core::money::Rates;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};

use super::migrate::{statements, Migration, LEDGER, SQLITE_MIGRATIONS};
use super::row::rates_of;
use super::{Catalog, CouponRow, Storage, StorageError};

/// How long a writer waits for another (an import while the server reads) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The coupons, rates and revision in one SQLite file.
pub struct SqliteStorage {
    pub(crate) pool: SqlitePool,
}

impl SqliteStorage {
    /// Opens `url` (`sqlite://path`), creating the file and applying every migration it lacks.
    pub async fn open(url: &str) -> Result<Self, StorageError> {
        Self::open_migrated(url, SQLITE_MIGRATIONS).await
    }

    /// Opens `url` with only `migrations` applied: how the tests build each migration's
    /// schema before it.
    pub async fn open_migrated(url: &str, migrations: &[Migration]) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL syncs the log at checkpoints rather than at every commit: a
            // power cut may take the last commits back, never corrupt the file (SQLite's own
            // advice for WAL). A commit per usage batch under FULL waited on the disk: 750
            // batches/s against 2,400 (`scripts/bench server`, events scenario).
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let storage = Self { pool };
        storage.migrate(migrations).await?;
        Ok(storage)
    }

    /// Applies the migrations not yet applied, each in a transaction with its ledger row. Each
    /// transaction takes the write lock first (`BEGIN IMMEDIATE`) and reads the ledger again
    /// under it, so two processes opening a new file together apply each migration once.
    async fn migrate(&self, migrations: &[Migration]) -> Result<(), StorageError> {
        sqlx::query(LEDGER).execute(&self.pool).await?;
        let applied = latest(&self.pool).await?;
        if applied > SQLITE_MIGRATIONS.len() as i64 {
            return Err(StorageError::NewerSchema(applied));
        }
        for migration in migrations.iter().filter(|m| m.version > applied) {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            if latest(&mut *tx).await? >= migration.version {
                continue;
            }
            for statement in statements(migration.sql) {
                sqlx::query(&statement).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "migrated"
            );
        }
        Ok(())
    }

    /// The versions applied, in order.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>, StorageError> {
        let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?)
    }

    /// The pool, for tests that look at the schema itself.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// The latest migration applied (0: none).
async fn latest(executor: impl sqlx::SqliteExecutor<'_>) -> Result<i64, StorageError> {
    Ok(
        sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(executor)
            .await?
            .try_get(0)?,
    )
}

/// Bumps the revision inside `tx`; the change time never goes back (another instance's clock
/// may be behind).
async fn bump(tx: &mut Transaction<'_, Sqlite>, now: Timestamp) -> Result<Catalog, StorageError> {
    sqlx::query(
        "UPDATE catalog SET revision = revision + 1, \
         changed_at = CASE WHEN changed_at > ? THEN changed_at ELSE ? END WHERE id = 1",
    )
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query("SELECT revision, changed_at FROM catalog WHERE id = 1")
        .fetch_one(&mut **tx)
        .await?;
    Ok(Catalog {
        revision: row.try_get(0)?,
        changed_at: row.try_get(1)?,
    })
}

/// The upsert of one row, written once from the column list.
fn upsert_sql() -> String {
    let columns = CouponRow::COLUMNS;
    let updates: Vec<String> = columns
        .iter()
        .skip(1)
        .chain(std::iter::once(&"updated_at"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO coupons ({}, updated_at) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        columns.join(", "),
        vec!["?"; columns.len() + 1].join(", "),
        updates.join(", ")
    )
}

#[async_trait]
impl Storage for SqliteStorage {
    async fn upsert_coupons(
        &self,
        coupons: &[Coupon],
        now: Timestamp,
    ) -> Result<Catalog, StorageError> {
        let sql = upsert_sql();
        let mut tx = self.pool.begin().await?;
        for coupon in coupons {
            let r = CouponRow::of(coupon);
            sqlx::query(&sql)
                .bind(r.id)
                .bind(r.kind)
                .bind(r.title)
                .bind(r.code)
                .bind(r.store_id)
                .bind(r.product_ids)
                .bind(r.category_ids)
                .bind(r.currency)
                .bind(r.min_spend)
                .bind(r.discount_type)
                .bind(r.discount_amount)
                .bind(r.discount_percent)
                .bind(r.discount_max)
                .bind(r.countries)
                .bind(r.starts_at)
                .bind(r.expires_at)
                .bind(r.new_users_only)
                .bind(r.url)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        let catalog = bump(&mut tx, now).await?;
        tx.commit().await?;
        Ok(catalog)
    }

    async fn coupons_expiring_after(&self, after: Timestamp) -> Result<Vec<Coupon>, StorageError> {
        let sql = format!(
            "SELECT {} FROM coupons WHERE expires_at > ? ORDER BY id",
            CouponRow::COLUMNS.join(", ")
        );
        let rows = sqlx::query(&sql).bind(after).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| CouponRow::read(row)?.coupon())
            .collect()
    }

    async fn coupon_count(&self) -> Result<u64, StorageError> {
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM coupons")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn catalog(&self) -> Result<Catalog, StorageError> {
        let row = sqlx::query("SELECT revision, changed_at FROM catalog WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Catalog {
            revision: row.try_get(0)?,
            changed_at: row.try_get(1)?,
        })
    }

    async fn replace_rates(&self, rates: &Rates, now: Timestamp) -> Result<Catalog, StorageError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM exchange_rates")
            .execute(&mut *tx)
            .await?;
        if let Some(base) = rates.base() {
            // The base itself is stored as a rate of 1, so a base without other rates is kept.
            let rows = std::iter::once((base, 1.0)).chain(rates.listed());
            for (currency, per_base) in rows {
                sqlx::query(
                    "INSERT INTO exchange_rates (currency, base, per_base) VALUES (?, ?, ?)",
                )
                .bind(currency.as_str())
                .bind(base.as_str())
                .bind(per_base)
                .execute(&mut *tx)
                .await?;
            }
        }
        let catalog = bump(&mut tx, now).await?;
        tx.commit().await?;
        Ok(catalog)
    }

    async fn rates(&self) -> Result<Rates, StorageError> {
        let rows =
            sqlx::query("SELECT currency, base, per_base FROM exchange_rates ORDER BY currency")
                .fetch_all(&self.pool)
                .await?;
        let rows = rows
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(rates_of(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_is_in_wal_mode_and_syncs_at_checkpoints() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let storage = SqliteStorage::open(&url).await.expect("storage");
        // More connections than the pool opens at first: each one has the settings.
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut connection = storage.pool.acquire().await.expect("connection");
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *connection)
                .await
                .expect("journal_mode");
            let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *connection)
                .await
                .expect("synchronous");
            assert_eq!((mode.as_str(), synchronous), ("wal", 1), "1 is NORMAL");
            held.push(connection);
        }
    }
}
