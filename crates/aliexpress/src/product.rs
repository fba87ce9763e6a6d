//! What the API's answers come out as: pages of products, each the core's
//! [`FoundProduct`] (read by the core's [`read_api_item`]), and generated links.

#[cfg(doc)]
use shopper_core::search::read_api_item;
use shopper_core::search::FoundProduct;

/// One page of products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPage {
    /// The products that read, in the API's order, with their promo codes.
    pub products: Vec<FoundProduct>,
    /// How many products of the answer were left out because they did not read as one (no id,
    /// no title or no price: [`read_api_item`]); the server counts them with
    /// [`Refinement::unusable`](shopper_core::search::Refinement::unusable).
    pub skipped: usize,
    /// `current_page_no`.
    pub page_no: Option<u64>,
    /// `total_record_count`.
    pub total: Option<u64>,
    /// `total_page_no`.
    pub total_pages: Option<u64>,
    /// `is_finished`: no page follows.
    pub finished: Option<bool>,
}

impl ProductPage {
    /// Whether no page follows this one, page `page_no` (from 1) of `page_size` products: it is
    /// empty, or the API says it is the last (`is_finished`, `total_page_no`), or it reaches
    /// `total_record_count`.
    pub fn is_last(&self, page_no: u32, page_size: u32) -> bool {
        let page_no = u64::from(page_no);
        (self.products.is_empty() && self.skipped == 0)
            || self.finished == Some(true)
            || self.total_pages.is_some_and(|pages| page_no >= pages)
            || self
                .total
                .is_some_and(|total| page_no.saturating_mul(u64::from(page_size)) >= total)
    }
}

/// One url and its affiliate link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedLink {
    /// The url asked for (`source_value`).
    pub source: String,
    /// Its affiliate link (`promotion_link`).
    pub promotion_link: String,
}
