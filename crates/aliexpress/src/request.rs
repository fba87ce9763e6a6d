//! What each method is asked, as typed values, and the application parameters each becomes
//! (the client adds the system parameters, the tracking id and the signature).

use shopper_core::locale::UiLanguage;
use shopper_core::money::Currency;
use shopper_core::page::CountryCode;
use shopper_core::search::{ApiSort, ProductQuery};

/// Most urls one `link.generate` call takes (the API's own limit).
pub const MAX_LINK_URLS: usize = 50;

/// `aliexpress.affiliate.hotproduct.query`: the product query's parameters (the core's
/// [`ProductQuery`], as [`ProductQuery::params`] writes them), and a page past the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotProductQuery {
    /// The filters, as for `product.query`.
    pub query: ProductQuery,
    /// From 1; `None` for the first.
    pub page_no: Option<u32>,
}

/// `aliexpress.affiliate.featuredpromo.products.get`: the products of a featured promotion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeaturedPromoQuery {
    /// The promotion, as `featuredpromo.get` names it ("Hot Product", "New Arrival"...).
    pub promotion_name: String,
    /// How the API orders results.
    pub sort: Option<ApiSort>,
    /// The currency prices come back in.
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

impl HotProductQuery {
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
    fn unset_filters_are_not_sent() {
        let promo = FeaturedPromoQuery {
            promotion_name: "Hot Product".into(),
            sort: Some(ApiSort::LastVolumeDesc),
            target_language: Some(UiLanguage::PtBr),
            country: CountryCode::parse("BR"),
            ..FeaturedPromoQuery::default()
        };
        assert_eq!(
            promo.params(),
            vec![
                ("promotion_name", "Hot Product".to_owned()),
                ("sort", "LAST_VOLUME_DESC".to_owned()),
                ("target_language", "PT".to_owned()),
                ("country", "BR".to_owned()),
            ]
        );
    }

    #[test]
    fn hot_products_take_the_core_query_and_a_page() {
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
        let mut hot = HotProductQuery {
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
