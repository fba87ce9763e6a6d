//! The filters a request carries that the shopper can take off one at a time (the popup shows
//! each as a chip): the price range, the rating, free shipping, where it ships from, the order.

use super::SearchRequest;

/// One filter of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// The price range and the currency it is in.
    Price,
    /// The least rating.
    Rating,
    /// Free shipping only.
    FreeShipping,
    /// The country items ship from.
    ShipFrom,
    /// How results are ordered.
    Sort,
}

impl Filter {
    /// The filter a name stands for: `price`, `rating`, `free_shipping`, `ship_from`, `sort`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "price" => Some(Self::Price),
            "rating" => Some(Self::Rating),
            "free_shipping" => Some(Self::FreeShipping),
            "ship_from" => Some(Self::ShipFrom),
            "sort" => Some(Self::Sort),
            _ => None,
        }
    }

    /// Its name, as [`Filter::parse`] reads it and the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::Rating => "rating",
            Self::FreeShipping => "free_shipping",
            Self::ShipFrom => "ship_from",
            Self::Sort => "sort",
        }
    }
}

impl SearchRequest {
    /// The same request without `filter`; its keywords stay as they are.
    pub fn without(mut self, filter: Filter) -> Self {
        match filter {
            Filter::Price => {
                self.min_price = None;
                self.max_price = None;
                // The currency only said what the prices were in.
                self.currency = None;
            }
            Filter::Rating => self.min_rating = None,
            Filter::FreeShipping => self.free_shipping = false,
            Filter::ShipFrom => self.ship_from = None,
            Filter::Sort => self.sort = None,
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;

    #[test]
    fn each_filter_comes_off_alone() {
        let full = parse_query(
            "bluetooth speaker under 30 dollars 4+ stars free shipping ships from Spain cheapest",
        );
        assert!(full.max_price.is_some() && full.min_rating.is_some() && full.free_shipping);
        assert!(full.ship_from.is_some() && full.sort.is_some() && full.currency.is_some());
        let no_price = full.clone().without(Filter::Price);
        assert_eq!((no_price.max_price, no_price.currency), (None, None));
        assert_eq!(no_price.min_rating, full.min_rating);
        assert_eq!(full.clone().without(Filter::Rating).min_rating, None);
        assert!(!full.clone().without(Filter::FreeShipping).free_shipping);
        assert_eq!(full.clone().without(Filter::ShipFrom).ship_from, None);
        let no_sort = full.clone().without(Filter::Sort);
        assert_eq!(no_sort.sort, None);
        assert_eq!(no_sort.keywords, full.keywords);
        let site = crate::search::Site::default();
        let url = no_sort.answer(site, &crate::money::Rates::none()).url;
        assert!(!url.contains("SortType"), "{url}");
        assert_eq!(Filter::parse("ship_from"), Some(Filter::ShipFrom));
        assert_eq!(Filter::parse("everything"), None);
        for filter in [
            Filter::Price,
            Filter::Rating,
            Filter::FreeShipping,
            Filter::ShipFrom,
            Filter::Sort,
        ] {
            assert_eq!(Filter::parse(filter.as_str()), Some(filter));
        }
    }
}
