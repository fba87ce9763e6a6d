//! Storage behind one trait: the coupons, the catalog's revision, the imported exchange
//! rates, and each concern of its own folder (`links/`: the link cache; [`usage`]: the
//! anonymous usage counts). SQLite (one machine, the default) and PostgreSQL (several instances
//! on one database) implement [`Storage`]; the database URL chooses, callers unchanged.

pub mod links;
mod migrate;
mod postgres;
mod row;
mod sqlite;
#[cfg(test)]
mod suite;
pub mod usage;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use shopper_core::coupon::{Coupon, Timestamp};
use shopper_core::money::Rates;

pub use links::{CachedLink, LinkCache};
pub use migrate::{Migration, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
pub use postgres::PostgresStorage;
pub use row::CouponRow;
pub use sqlite::SqliteStorage;
pub use usage::UsageStore;

/// The catalog's revision: bumped by every change to the coupons or the rates, with the time
/// of that change (which dates the feeds it makes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Catalog {
    /// Bumped by one at each change.
    pub revision: i64,
    /// When the last change was made (seconds since the epoch, UTC).
    pub changed_at: Timestamp,
}

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database URL names a backend this build has not.
    #[error("database URL {0:?}: give sqlite://FILE, postgres:// or postgresql://")]
    UnsupportedUrl(String),
    /// The database could not be opened, read or written.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The data folder could not be made.
    #[error("cannot create {path}: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A stored row does not make a coupon (changed by hand, or by a newer build).
    #[error("stored coupon {id:?} is unreadable: {reason}")]
    BadRow {
        /// The row's id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database was migrated by a newer build than this one.
    #[error("the database has migration {0}, which this build does not know: run a newer build")]
    NewerSchema(i64),
}

/// What the server keeps. Every method is one transaction.
#[async_trait]
pub trait Storage: Send + Sync + LinkCache + UsageStore {
    /// Inserts or replaces `coupons` by id, all or none, and bumps the revision.
    async fn upsert_coupons(
        &self,
        coupons: &[Coupon],
        now: Timestamp,
    ) -> Result<Catalog, StorageError>;

    /// The coupons that expire after `after` (the feeds need no older ones).
    async fn coupons_expiring_after(&self, after: Timestamp) -> Result<Vec<Coupon>, StorageError>;

    /// How many coupons are stored.
    async fn coupon_count(&self) -> Result<u64, StorageError>;

    /// The revision and the time of the last change.
    async fn catalog(&self) -> Result<Catalog, StorageError>;

    /// Replaces the imported exchange rates with `rates` and bumps the revision.
    async fn replace_rates(&self, rates: &Rates, now: Timestamp) -> Result<Catalog, StorageError>;

    /// The imported exchange rates ([`Rates::none`] when none were imported).
    async fn rates(&self) -> Result<Rates, StorageError>;
}

/// Opens (creating and migrating it when needed) the database `url` names: `sqlite://FILE`
/// (the file and its folder are made) or `postgres://` / `postgresql://` (the database must
/// exist; its tables are made).
pub async fn open(url: &str) -> Result<Arc<dyn Storage>, StorageError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(PostgresStorage::open(url).await?));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(parent) = Path::new(file)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StorageError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        return Ok(Arc::new(SqliteStorage::open(url).await?));
    }
    Err(StorageError::UnsupportedUrl(url.to_owned()))
}
