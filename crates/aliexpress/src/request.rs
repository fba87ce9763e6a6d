//! What each method is asked, as typed values, and the application parameters each becomes
//! (the client adds the system parameters, the tracking id and the signature).

use shopper_core::locale::UiLanguage;
use shopper_core::money::Currency;
use shopper_core::page::CountryCode;
use shopper_core::search::ProductQuery;

/// Most urls one `link.generate` call takes (the API's own limit).
pub const MAX_LINK_URLS: usize = 50;

/// `aliexpress.affiliate.product.query` or `aliexpress.affiliate.hotproduct.query` for one page:
/// the core's [`ProductQuery`] (as [`ProductQuery::params`] writes it) and a page past the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedQuery {
    /// The filters.
    pub query: ProductQuery,
    /// From 1; `None` for the first.
    pub page_no: Option<u32>,
}

/// How `featuredpromo.products.get` orders a promotion's products (its own names, not
/// `product.query`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromoSort {
    /// `commissionAsc`.
    CommissionAsc,
    /// `commissionDesc`.
    CommissionDesc,
    /// `priceAsc`.
    PriceAsc,
    /// `priceDesc`.
    PriceDesc,
    /// `volumeAsc`.
    VolumeAsc,
    /// `volumeDesc`: most ordered first.
    VolumeDesc,
    /// `discountAsc`.
    DiscountAsc,
    /// `discountDesc`.
    DiscountDesc,
    /// `ratingAsc`.
    RatingAsc,
    /// `ratingDesc`.
    RatingDesc,
    /// `promotionTimeAsc`.
    PromotionTimeAsc,
    /// `promotionTimeDesc`.
    PromotionTimeDesc,
}

impl PromoSort {
    /// Every order, for the fake and the tests.
    pub const ALL: [Self; 12] = [
        Self::CommissionAsc,
        Self::CommissionDesc,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::VolumeAsc,
        Self::VolumeDesc,
        Self::DiscountAsc,
        Self::DiscountDesc,
        Self::RatingAsc,
        Self::RatingDesc,
        Self::PromotionTimeAsc,
        Self::PromotionTimeDesc,
    ];

    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommissionAsc => "commissionAsc",
            Self::CommissionDesc => "commissionDesc",
            Self::PriceAsc => "priceAsc",
            Self::PriceDesc => "priceDesc",
            Self::VolumeAsc => "volumeAsc",
            Self::VolumeDesc => "volumeDesc",
            Self::DiscountAsc => "discountAsc",
            Self::DiscountDesc => "discountDesc",
            Self::RatingAsc => "ratingAsc",
            Self::RatingDesc => "ratingDesc",
            Self::PromotionTimeAsc => "promotionTimeAsc",
            Self::PromotionTimeDesc => "promotionTimeDesc",
        }
    }
}

/// `aliexpress.affiliate.featuredpromo.products.get`: the products of a featured promotion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeaturedPromoQuery {
    /// The promotion, as `featuredpromo.get` names it; the fixed ones are "Hot Product", "New
    /// Arrival", "Best Seller" and "weeklydeals".
    pub promotion_name: String,
    /// Only this category's products (an id of `category.get`).
    pub category_id: Option<u64>,
    /// How the API orders results.
    pub sort: Option<PromoSort>,
    /// The currency prices (and promo code terms) come back in.
    pub target_currency: Option<Currency>,
    /// The language of titles and promo code texts.
    pub target_language: Option<UiLanguage>,
    /// The country the products ship to.
    pub country: Option<CountryCode>,
    /// From 1.
    pub page_no: Option<u32>,
    /// 1 to 50.
    pub page_size: Option<u32>,
}

/// `aliexpress.affiliate.link.generate`: affiliate links (`promotion_link_type` 0, the normal
/// link) for at most [`MAX_LINK_URLS`] AliExpress urls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkRequest {
    /// The AliExpress urls (`source_values`, sent comma-separated, so none may hold a comma:
    /// the canonical pages `shopper_core::link_request` asks about never do).
    pub urls: Vec<String>,
}

/// Application parameters, in the order they are written (the signature sorts them anyway).
pub(crate) type Params = Vec<(&'static str, String)>;

fn push(params: &mut Params, name: &'static str, value: Option<String>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        params.push((name, value));
    }
}

impl PagedQuery {
    pub(crate) fn params(&self) -> Params {
        let mut params = self.query.params();
        push(&mut params, "page_no", self.page_no.map(|n| n.to_string()));
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
            "category_id",
            self.category_id.map(|c| c.to_string()),
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
        push(
            &mut params,
            "target_language",
            self.target_language.map(|l| l.api_language().to_owned()),
        );
        push(
            &mut params,
            "country",
            self.country.map(|c| c.as_str().to_owned()),
        );
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
    fn promotion_sorts_are_the_methods_own_names() {
        let names: Vec<&str> = PromoSort::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names.len(), 12);
        assert!(names
            .iter()
            .all(|n| n.ends_with("Asc") || n.ends_with("Desc")));
        assert!(
            !names.iter().any(|n| n.contains('_')),
            "not product.query's"
        );
    }

    #[test]
    fn unset_filters_are_not_sent() {
        let promo = FeaturedPromoQuery {
            promotion_name: "Hot Product".into(),
            category_id: Some(44),
            sort: Some(PromoSort::VolumeDesc),
            target_language: Some(UiLanguage::PtBr),
            country: CountryCode::parse("BR"),
            ..FeaturedPromoQuery::default()
        };
        assert_eq!(
            promo.params(),
            vec![
                ("promotion_name", "Hot Product".to_owned()),
                ("category_id", "44".to_owned()),
                ("sort", "volumeDesc".to_owned()),
                ("target_language", "PT".to_owned()),
                ("country", "BR".to_owned()),
            ]
        );
    }

    #[test]
    fn product_pages_take_the_core_query_and_a_page() {
        let (Some(ship_to_country), Some(target_currency)) =
            (CountryCode::parse("US"), Currency::parse("USD"))
        else {
            unreachable!()
        };
        let query = ProductQuery {
            keywords: "lamp".into(),
            min_sale_price: None,
            max_sale_price: Some(3000),
            sort: None,
            target_currency,
            target_language: UiLanguage::En,
            ship_to_country,
            page_size: 50,
        };
        let mut hot = PagedQuery {
            query: query.clone(),
            page_no: None,
        };
        assert_eq!(hot.params(), query.params(), "the first page is not named");
        hot.page_no = Some(3);
        let mut want = query.params();
        want.push(("page_no", "3".to_owned()));
        assert_eq!(hot.params(), want);
    }
}
