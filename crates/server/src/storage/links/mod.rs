//! The link cache: per product (and the tracking id it was made for), the link the affiliate
//! API made and when it was got, so a product asked about again within the cache's age costs
//! no API call. It keeps product ids and links only: a product is not a shopper, and nothing
//! says who asked or from which page. Both backends implement [`LinkCache`].

mod postgres;
mod sqlite;

use std::collections::HashMap;

use async_trait::async_trait;
use shopper_core::coupon::Timestamp;
use shopper_core::ProductId;

use super::StorageError;

/// A link the affiliate API made for a product, and when it was got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedLink {
    /// The product.
    pub product: ProductId,
    /// Its link (`https://s.click.aliexpress.com/e/...`).
    pub link: String,
    /// When the API gave it (seconds since the epoch).
    pub fetched_at: Timestamp,
}

/// The affiliate links the API made, kept per product and tracking id.
#[async_trait]
pub trait LinkCache: Send + Sync {
    /// The links of `products` made for `tracking_id` and got after `fetched_after` (those
    /// younger than the cache's age), at most one per product, in no order.
    async fn cached_links(
        &self,
        tracking_id: &str,
        products: &[ProductId],
        fetched_after: Timestamp,
    ) -> Result<Vec<CachedLink>, StorageError>;

    /// Keeps `links` for `tracking_id`, all or none: each replaces the product's link unless
    /// that one was got later (another instance asked since).
    async fn store_links(
        &self,
        tracking_id: &str,
        links: &[CachedLink],
    ) -> Result<(), StorageError>;

    /// Forgets every link got at or before `fetched_by` (none of them is served any more);
    /// how many.
    async fn forget_links(&self, fetched_by: Timestamp) -> Result<u64, StorageError>;
}

/// One link per product, the one got last (ties: the later in the list), as one statement
/// must write them.
fn latest_per_product(links: &[CachedLink]) -> Vec<&CachedLink> {
    let mut at: HashMap<ProductId, usize> = HashMap::with_capacity(links.len());
    let mut kept: Vec<&CachedLink> = Vec::with_capacity(links.len());
    for link in links {
        match at.get(&link.product) {
            Some(&n) => {
                if let Some(slot) = kept.get_mut(n) {
                    if link.fetched_at >= slot.fetched_at {
                        *slot = link;
                    }
                }
            }
            None => {
                at.insert(link.product, kept.len());
                kept.push(link);
            }
        }
    }
    kept
}

/// A stored row as a [`CachedLink`]; a product id that does not read (changed by hand) is
/// treated as not cached, so the API is asked again and the row replaced.
fn row_link(product: &str, link: String, fetched_at: Timestamp) -> Option<CachedLink> {
    let product = ProductId::parse(product);
    if product.is_none() {
        tracing::warn!("a link cache row has an unreadable product id; ignored");
    }
    Some(CachedLink {
        product: product?,
        link,
        fetched_at,
    })
}
