//! What the API's answers come out as: products with their prices in the core's money types,
//! pages of them, and generated links.

use shopper_core::coupon::PromoCodeInfo;
use shopper_core::money::{major_units, Currency, Minor};

/// An amount in minor units with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    /// Minor units (cents).
    pub amount: Minor,
    /// Its currency.
    pub currency: Currency,
}

impl Price {
    /// In major units, exact (`"12.50"`).
    pub fn major(&self) -> String {
        major_units(self.amount, self.currency)
    }
}

/// One product of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// `product_id`, exact (ids exceed 2^53: never read through a float).
    pub id: String,
    /// `product_title` (untrusted text).
    pub title: String,
    /// `product_main_image_url`.
    pub image: Option<String>,
    /// `product_detail_url`.
    pub url: Option<String>,
    /// The sale price in the target currency (`target_sale_price`), else the API's own
    /// (`sale_price`); `None` when neither reads.
    pub sale_price: Option<Price>,
    /// The price before the discount, chosen the same way.
    pub original_price: Option<Price>,
    /// `discount` (`"50%"`), in percent.
    pub discount_percent: Option<u8>,
    /// `evaluate_rate` (`"95.5%"`, the share of positive feedback), in tenths of a percent.
    pub positive_feedback_per_mille: Option<u16>,
    /// `lastest_volume`: orders lately.
    pub orders: Option<u64>,
    /// `shop_id`, exact.
    pub store_id: Option<String>,
    /// `shop_name`.
    pub store_name: Option<String>,
    /// `shop_url`.
    pub store_url: Option<String>,
    /// `promotion_link`: the affiliate link to the product.
    pub promotion_link: Option<String>,
    /// `promo_code_info`, when the API attached one (into a coupon with
    /// [`promo_code_coupon`](shopper_core::coupon::promo_code_coupon)).
    pub promo_code: Option<PromoCodeInfo>,
}

/// One page of products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPage {
    /// The products that read, in the API's order.
    pub products: Vec<Product>,
    /// How many products of the answer were left out because they had no id or no title.
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
