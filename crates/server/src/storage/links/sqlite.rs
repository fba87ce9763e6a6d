//! The link cache in SQLite.

use async_trait::async_trait;
use shopper_core::coupon::Timestamp;
use shopper_core::ProductId;
use sqlx::Row;

use super::{latest_per_product, row_link, CachedLink, LinkCache};
use crate::storage::{SqliteStorage, StorageError};

/// Products per read: far under SQLite's limit on bound values (a request asks about 50).
const PRODUCTS_PER_QUERY: usize = 500;

#[async_trait]
impl LinkCache for SqliteStorage {
    async fn cached_links(
        &self,
        tracking_id: &str,
        products: &[ProductId],
        fetched_after: Timestamp,
    ) -> Result<Vec<CachedLink>, StorageError> {
        let mut found = Vec::new();
        for chunk in products.chunks(PRODUCTS_PER_QUERY) {
            let sql = format!(
                "SELECT product_id, link, fetched_at FROM link_cache \
                 WHERE tracking_id = ? AND fetched_at > ? AND product_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            let mut query = sqlx::query(&sql).bind(tracking_id).bind(fetched_after);
            for product in chunk {
                query = query.bind(product.as_str());
            }
            for row in query.fetch_all(&self.pool).await? {
                let product: String = row.try_get(0)?;
                found.extend(row_link(&product, row.try_get(1)?, row.try_get(2)?));
            }
        }
        Ok(found)
    }

    async fn store_links(
        &self,
        tracking_id: &str,
        links: &[CachedLink],
    ) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        for link in latest_per_product(links) {
            sqlx::query(
                "INSERT INTO link_cache (product_id, tracking_id, link, fetched_at) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (product_id, tracking_id) DO UPDATE \
                 SET link = excluded.link, fetched_at = excluded.fetched_at \
                 WHERE excluded.fetched_at >= link_cache.fetched_at",
            )
            .bind(link.product.as_str())
            .bind(tracking_id)
            .bind(&link.link)
            .bind(link.fetched_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn forget_links(&self, fetched_by: Timestamp) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM link_cache WHERE fetched_at <= ?")
            .bind(fetched_by)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
