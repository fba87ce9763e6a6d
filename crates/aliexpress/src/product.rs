//! What the API's answers come out as: pages of products, each the core's
//! [`FoundProduct`] (read by the core's [`read_api_product`]), and generated links.

#[cfg(doc)]
use shopper_core::search::products::read_api_product;
use shopper_core::search::FoundProduct;

/// One page of products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPage {
    /// The products that read, in the API's order, with their promo codes.
    pub products: Vec<FoundProduct>,
    /// How many products of the answer were left out because they did not read as one (no id,
    /// no title or no price: [`read_api_product`]); the server counts them with
    /// [`Refinement::unusable`](shopper_core::search::Refinement::unusable).
    pub skipped: usize,
    /// `current_page_no`.
    pub page_no: Option<u64>,
    /// `total_record_count`.
    pub total: Option<u64>,
}

/// One url and its affiliate link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedLink {
    /// The url asked for (`source_value`).
    pub source: String,
    /// Its affiliate link (`promotion_link`).
    pub promotion_link: String,
}
