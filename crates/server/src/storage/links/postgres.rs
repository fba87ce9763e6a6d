//! The link cache in PostgreSQL: one statement per read and per write, whatever the count.

use async_trait::async_trait;
use shopper_core::coupon::Timestamp;
use shopper_core::ProductId;
use sqlx::Row;

use super::{latest_per_product, row_link, CachedLink, LinkCache};
use crate::storage::{PostgresStorage, StorageError};

#[async_trait]
impl LinkCache for PostgresStorage {
    async fn cached_links(
        &self,
        tracking_id: &str,
        products: &[ProductId],
        fetched_after: Timestamp,
    ) -> Result<Vec<CachedLink>, StorageError> {
        let ids: Vec<&str> = products.iter().map(ProductId::as_str).collect();
        let rows = sqlx::query(
            "SELECT product_id, link, fetched_at FROM link_cache \
             WHERE tracking_id = $1 AND fetched_at > $2 AND product_id = ANY($3::text[])",
        )
        .bind(tracking_id)
        .bind(fetched_after)
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let product: String = row.try_get(0)?;
            found.extend(row_link(&product, row.try_get(1)?, row.try_get(2)?));
        }
        Ok(found)
    }

    async fn store_links(
        &self,
        tracking_id: &str,
        links: &[CachedLink],
    ) -> Result<(), StorageError> {
        let links = latest_per_product(links);
        if links.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO link_cache (product_id, tracking_id, link, fetched_at) \
             SELECT product_id, $4, link, fetched_at \
             FROM UNNEST($1::text[], $2::text[], $3::int8[]) AS t(product_id, link, fetched_at) \
             ON CONFLICT (product_id, tracking_id) DO UPDATE \
             SET link = excluded.link, fetched_at = excluded.fetched_at \
             WHERE excluded.fetched_at >= link_cache.fetched_at",
        )
        .bind(links.iter().map(|l| l.product.as_str()).collect::<Vec<_>>())
        .bind(links.iter().map(|l| l.link.as_str()).collect::<Vec<_>>())
        .bind(links.iter().map(|l| l.fetched_at).collect::<Vec<_>>())
        .bind(tracking_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn forget_links(&self, fetched_by: Timestamp) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM link_cache WHERE fetched_at <= $1")
            .bind(fetched_by)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
