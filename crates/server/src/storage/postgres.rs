//! The PostgreSQL backend, for several server instances on one database: migrations under an
//! advisory lock (instances starting together migrate once), every write serialised on the
//! catalog row it bumps (so revisions never collide and concurrent imports never deadlock),
//! and coupons upserted in one statement per batch.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use shopper_core::coupon::{Coupon, Timestamp};
use shopper_core::money::{Currency, Rates};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgExecutor, Postgres, Row, Transaction};

use super::migrate::{statements, Migration, LEDGER, POSTGRES_MIGRATIONS};
use super::row::rates_of;
use super::{Catalog, CouponRow, Storage, StorageError};

/// The advisory lock migrations hold ("shopper" in ASCII): one instance migrates while the
/// others wait, then finds nothing left to do.
const MIGRATION_LOCK: i64 = 0x73_686f_7070_6572;
/// How long a request waits for a pooled connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections per instance: the feeds are built from memory, so storage sees few queries.
const MAX_CONNECTIONS: u32 = 8;
/// Coupons per upsert statement: bounds one statement's arrays on a large import.
const BATCH: usize = 5_000;

/// Each column's array type in the upsert's `UNNEST`, in [`CouponRow::COLUMNS`] order.
const ARRAY_TYPES: [&str; 18] = [
    "text", "text", "text", "text", "text", "text", "text", "text", "int8", "text", "int8", "int4",
    "int8", "text", "int8", "int8", "bool", "text",
];
/// The columns stored as JSONB (written from JSON text, read back as text).
const JSON_COLUMNS: [&str; 2] = ["product_ids", "category_ids"];

/// The coupons, rates and revision in a PostgreSQL database that several instances share.
pub struct PostgresStorage {
    pub(crate) pool: PgPool,
}

impl PostgresStorage {
    /// Opens `url` (`postgres://user@host:port/database`), applying every migration it lacks.
    pub async fn open(url: &str) -> Result<Self, StorageError> {
        Self::open_migrated(url, POSTGRES_MIGRATIONS).await
    }

    /// Opens `url` with only `migrations` applied: how the tests build each migration's
    /// schema before it.
    pub async fn open_migrated(url: &str, migrations: &[Migration]) -> Result<Self, StorageError> {
        let options = PgConnectOptions::from_str(url)?;
        // Migrations run on a connection of their own, closed after: closing a session
        // releases its advisory lock whatever happened on it.
        let mut connection = options.connect().await?;
        let migrated = migrate(&mut connection, migrations).await;
        let closed = connection.close().await;
        migrated?;
        closed?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
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
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Applies the migrations not yet applied, under the advisory lock, each in a transaction with
/// its ledger row.
async fn migrate(
    connection: &mut PgConnection,
    migrations: &[Migration],
) -> Result<(), StorageError> {
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *connection)
        .await?;
    sqlx::query(LEDGER).execute(&mut *connection).await?;
    let applied: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut *connection)
        .await?
        .try_get(0)?;
    if applied > POSTGRES_MIGRATIONS.len() as i64 {
        return Err(StorageError::NewerSchema(applied));
    }
    for migration in migrations.iter().filter(|m| m.version > applied) {
        let mut tx = connection.begin().await?;
        for statement in statements(migration.sql) {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
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

/// Bumps the revision first thing in a write's transaction: the row lock it takes makes every
/// other writer wait for this one's commit, and the change time never goes back (another
/// instance's clock may be behind).
async fn bump(tx: &mut Transaction<'_, Postgres>, now: Timestamp) -> Result<Catalog, StorageError> {
    let row = sqlx::query(
        "UPDATE catalog SET revision = revision + 1, changed_at = GREATEST(changed_at, $1) \
         WHERE id = 1 RETURNING revision, changed_at",
    )
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Catalog {
        revision: row.try_get(0)?,
        changed_at: row.try_get(1)?,
    })
}

async fn read_catalog(executor: impl PgExecutor<'_>) -> Result<Catalog, StorageError> {
    let row = sqlx::query("SELECT revision, changed_at FROM catalog WHERE id = 1")
        .fetch_one(executor)
        .await?;
    Ok(Catalog {
        revision: row.try_get(0)?,
        changed_at: row.try_get(1)?,
    })
}

/// The upsert of a batch: one array per column, unnested into rows, written once from the
/// column list.
fn upsert_sql() -> String {
    let columns = CouponRow::COLUMNS;
    let arrays: Vec<String> = ARRAY_TYPES
        .iter()
        .enumerate()
        .map(|(n, ty)| format!("${}::{ty}[]", n + 1))
        .collect();
    let values: Vec<String> = columns
        .iter()
        .map(|c| {
            if JSON_COLUMNS.contains(c) {
                format!("{c}::jsonb")
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    let updates: Vec<String> = columns
        .iter()
        .skip(1)
        .chain(std::iter::once(&"updated_at"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO coupons ({columns}, updated_at) SELECT {values}, ${now} \
         FROM UNNEST({arrays}) AS t({columns}) ON CONFLICT (id) DO UPDATE SET {updates}",
        columns = columns.join(", "),
        values = values.join(", "),
        now = columns.len() + 1,
        arrays = arrays.join(", "),
        updates = updates.join(", "),
    )
}

/// The select list, JSONB read back as the JSON text a [`CouponRow`] holds.
fn select_list() -> String {
    let columns: Vec<String> = CouponRow::COLUMNS
        .iter()
        .map(|c| {
            if JSON_COLUMNS.contains(c) {
                format!("{c}::text AS {c}")
            } else if *c == "discount_percent" {
                // An INTEGER column, read as the bigint both backends give (CouponRow::read).
                format!("{c}::bigint AS {c}")
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    columns.join(", ")
}

/// The rows to write: one per id, the last of a repeated id winning as it would row by row
/// (one statement cannot touch a row twice).
fn distinct_rows(coupons: &[Coupon]) -> Vec<CouponRow> {
    let mut at: HashMap<&str, usize> = HashMap::with_capacity(coupons.len());
    let mut rows: Vec<CouponRow> = Vec::with_capacity(coupons.len());
    for coupon in coupons {
        let row = CouponRow::of(coupon);
        match at.get(coupon.id()) {
            Some(&n) => {
                if let Some(slot) = rows.get_mut(n) {
                    *slot = row;
                }
            }
            None => {
                at.insert(coupon.id(), rows.len());
                rows.push(row);
            }
        }
    }
    rows
}

async fn upsert_batch(
    tx: &mut Transaction<'_, Postgres>,
    sql: &str,
    rows: &[CouponRow],
    now: Timestamp,
) -> Result<(), StorageError> {
    fn column<T>(rows: &[CouponRow], f: impl Fn(&CouponRow) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    let percent = |r: &CouponRow| r.discount_percent.and_then(|p| i32::try_from(p).ok());
    sqlx::query(sql)
        .bind(column(rows, |r| r.id.clone()))
        .bind(column(rows, |r| r.kind.clone()))
        .bind(column(rows, |r| r.title.clone()))
        .bind(column(rows, |r| r.code.clone()))
        .bind(column(rows, |r| r.store_id.clone()))
        .bind(column(rows, |r| r.product_ids.clone()))
        .bind(column(rows, |r| r.category_ids.clone()))
        .bind(column(rows, |r| r.currency.clone()))
        .bind(column(rows, |r| r.min_spend))
        .bind(column(rows, |r| r.discount_type.clone()))
        .bind(column(rows, |r| r.discount_amount))
        .bind(column(rows, percent))
        .bind(column(rows, |r| r.discount_max))
        .bind(column(rows, |r| r.countries.clone()))
        .bind(column(rows, |r| r.starts_at))
        .bind(column(rows, |r| r.expires_at))
        .bind(column(rows, |r| r.new_users_only))
        .bind(column(rows, |r| r.url.clone()))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Storage for PostgresStorage {
    async fn upsert_coupons(
        &self,
        coupons: &[Coupon],
        now: Timestamp,
    ) -> Result<Catalog, StorageError> {
        let sql = upsert_sql();
        let rows = distinct_rows(coupons);
        let mut tx = self.pool.begin().await?;
        let catalog = bump(&mut tx, now).await?;
        for batch in rows.chunks(BATCH) {
            upsert_batch(&mut tx, &sql, batch, now).await?;
        }
        tx.commit().await?;
        Ok(catalog)
    }

    async fn coupons_expiring_after(&self, after: Timestamp) -> Result<Vec<Coupon>, StorageError> {
        let sql = format!(
            "SELECT {} FROM coupons WHERE expires_at > $1 ORDER BY id",
            select_list()
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
        read_catalog(&self.pool).await
    }

    async fn replace_rates(&self, rates: &Rates, now: Timestamp) -> Result<Catalog, StorageError> {
        let mut tx = self.pool.begin().await?;
        // First: two replacements at once would otherwise both delete, then both insert.
        let catalog = bump(&mut tx, now).await?;
        sqlx::query("DELETE FROM exchange_rates")
            .execute(&mut *tx)
            .await?;
        if let Some(base) = rates.base() {
            // The base itself is stored as a rate of 1, so a base without other rates is kept.
            let rows: Vec<(Currency, f64)> =
                std::iter::once((base, 1.0)).chain(rates.listed()).collect();
            sqlx::query(
                "INSERT INTO exchange_rates (currency, base, per_base) \
                 SELECT currency, $3, per_base FROM UNNEST($1::text[], $2::float8[]) \
                 AS t(currency, per_base)",
            )
            .bind(rows.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>())
            .bind(rows.iter().map(|(_, r)| *r).collect::<Vec<_>>())
            .bind(base.as_str())
            .execute(&mut *tx)
            .await?;
        }
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
