//! What each method is asked, as typed values, and the application parameters each becomes
//! (the client adds the system parameters, the tracking id and the signature).

use shopper_core::money::{Currency, Minor};
use shopper_core::search::SortOrder;

/// Most urls one `link.generate` call takes (the API's own limit).
pub const MAX_LINK_URLS: usize = 50;

/// The API's `sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Cheapest first.
    SalePriceAsc,
    /// Most expensive first.
    SalePriceDesc,
    /// Least ordered first.
    LastVolumeAsc,
    /// Most ordered first.
    LastVolumeDesc,
}

impl Sort {
    /// As the API spells it (`SALE_PRICE_ASC`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SalePriceAsc => "SALE_PRICE_ASC",
            Self::SalePriceDesc => "SALE_PRICE_DESC",
            Self::LastVolumeAsc => "LAST_VOLUME_ASC",
            Self::LastVolumeDesc => "LAST_VOLUME_DESC",
        }
    }

    /// The API's sort for the order a Smart Search request asks; `None` for newest first, which
    /// the API cannot sort by.
    pub fn from_order(order: SortOrder) -> Option<Self> {
        match order {
            SortOrder::PriceAsc => Some(Self::SalePriceAsc),
            SortOrder::PriceDesc => Some(Self::SalePriceDesc),
            SortOrder::Orders => Some(Self::LastVolumeDesc),
            SortOrder::Newest => None,
        }
    }
}

/// `aliexpress.affiliate.product.query`: products by keywords and filters. Every field left
/// `None` (or empty) is not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductQuery {
    /// The product words.
    pub keywords: String,
    /// The least sale price, in minor units (cents) of the target currency.
    pub min_sale_price: Option<Minor>,
    /// The most sale price, in minor units (cents) of the target currency.
    pub max_sale_price: Option<Minor>,
    /// How the API orders results.
    pub sort: Option<Sort>,
    /// The currency prices come back in (`target_sale_price`).
    pub target_currency: Option<Currency>,
    /// The language of titles and promo code texts (`EN`, `ES`, `PT`, `FR`, `DE`, `RU`).
    pub target_language: Option<String>,
    /// ISO 3166 alpha-2 country the products ship to (`US`).
    pub ship_to_country: Option<String>,
    /// From 1.
    pub page_no: Option<u32>,
    /// 1 to 50.
    pub page_size: Option<u32>,
}

/// `aliexpress.affiliate.hotproduct.query` takes the same filters as the product query.
pub type HotProductQuery = ProductQuery;

/// `aliexpress.affiliate.featuredpromo.products.get`: the products of a featured promotion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeaturedPromoQuery {
    /// The promotion, as `featuredpromo.get` names it ("Hot Product", "New Arrival"...).
    pub promotion_name: String,
    /// How the API orders results.
    pub sort: Option<Sort>,
    /// The currency prices come back in.
    pub target_currency: Option<Currency>,
    /// The language of titles and promo code texts.
    pub target_language: Option<String>,
    /// ISO 3166 alpha-2 country the products ship to.
    pub country: Option<String>,
    /// From 1.
    pub page_no: Option<u32>,
    /// 1 to 50.
    pub page_size: Option<u32>,
}

/// `aliexpress.affiliate.link.generate`: affiliate links (`promotion_link_type` 0, the normal
/// link) for at most [`MAX_LINK_URLS`] AliExpress urls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkRequest {
    /// The AliExpress urls (`source_values`, sent comma-separated).
    pub urls: Vec<String>,
}

/// Application parameters, in the order they are written (the signature sorts them anyway).
pub(crate) type Params = Vec<(&'static str, String)>;

fn push(params: &mut Params, name: &'static str, value: Option<String>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        params.push((name, value));
    }
}

impl ProductQuery {
    pub(crate) fn params(&self) -> Params {
        let mut params = Params::new();
        push(&mut params, "keywords", Some(self.keywords.clone()));
        push(
            &mut params,
            "min_sale_price",
            self.min_sale_price.map(|p| p.to_string()),
        );
        push(
            &mut params,
            "max_sale_price",
            self.max_sale_price.map(|p| p.to_string()),
        );
        push(
            &mut params,
            "sort",
            self.sort.map(|s| s.as_str().to_owned()),
        );
        push(
            &mut params,
            "target_currency",
            self.target_currency.map(|c| c.to_string()),
        );
        push(&mut params, "target_language", self.target_language.clone());
        push(&mut params, "ship_to_country", self.ship_to_country.clone());
        push(&mut params, "page_no", self.page_no.map(|n| n.to_string()));
        push(
            &mut params,
            "page_size",
            self.page_size.map(|n| n.to_string()),
        );
        params
    }
}

impl FeaturedPromoQuery {
    pub(crate) fn params(&self) -> Params {
        let mut params = Params::new();
        push(
            &mut params,
            "promotion_name",
            Some(self.promotion_name.clone()),
        );
        push(
            &mut params,
            "sort",
            self.sort.map(|s| s.as_str().to_owned()),
        );
        push(
            &mut params,
            "target_currency",
            self.target_currency.map(|c| c.to_string()),
        );
        push(&mut params, "target_language", self.target_language.clone());
        push(&mut params, "country", self.country.clone());
        push(&mut params, "page_no", self.page_no.map(|n| n.to_string()));
        push(
            &mut params,
            "page_size",
            self.page_size.map(|n| n.to_string()),
        );
        params
    }
}

impl LinkRequest {
    pub(crate) fn params(&self) -> Params {
        vec![
            ("promotion_link_type", "0".to_owned()),
            ("source_values", self.urls.join(",")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_filters_are_not_sent() {
        let query = ProductQuery {
            keywords: "lamp".into(),
            max_sale_price: Some(3000),
            sort: Sort::from_order(SortOrder::Orders),
            target_currency: Currency::parse("EUR"),
            ..ProductQuery::default()
        };
        assert_eq!(
            query.params(),
            vec![
                ("keywords", "lamp".to_owned()),
                ("max_sale_price", "3000".to_owned()),
                ("sort", "LAST_VOLUME_DESC".to_owned()),
                ("target_currency", "EUR".to_owned()),
            ]
        );
        assert_eq!(Sort::from_order(SortOrder::Newest), None);
        assert_eq!(
            Sort::from_order(SortOrder::PriceAsc),
            Some(Sort::SalePriceAsc)
        );
    }
}
