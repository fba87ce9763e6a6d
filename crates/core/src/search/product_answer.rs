//! Smart Search's product answer, as the server sends it to the popup: the request as read and
//! which reader read it, the query asked of the affiliate API, how each filter was applied and what it removed, and the
//! products. The one writer of it, with the crate's JSON writer.

use super::affiliate_query::QueryPlan;
use super::products::{FoundProduct, Refinement};
use super::{ReadBy, SearchRequest};
use crate::codec::json::Writer;
use crate::money::major_units;

/// A request, its plan and the products found for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductAnswer {
    /// The request as read.
    pub request: SearchRequest,
    /// Who read it: the rules, or the operator's language model.
    pub read_by: ReadBy,
    /// What was asked of the API.
    pub plan: QueryPlan,
    /// What was shown of its products.
    pub refinement: Refinement,
}

impl ProductAnswer {
    /// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
    /// "ship_from", "sort"` (the request, as [`super::SearchAnswer::to_json`] writes it),
    /// `"read_by"` (`rules` or `model`: [`ReadBy`]), `"query": {"keywords", "min_sale_price",
    /// "max_sale_price", "sort", "target_currency", "target_language", "ship_to_country",
    /// "page_size"}` (prices in minor units, `sort` the
    /// API's name or null), `"filters": [{"filter", "applied", "removed", "unknown"}]` (`applied`:
    /// `in_query`, `converted`, `on_results`, `no_rate`, `not_available`; the counts for a filter
    /// on the results, else null), `"unusable"`, `"not_shown"`, `"products": [...]}`.
    ///
    /// A product: `{"id", "title", "image", "currency", "price", "price_text", "original_price",
    /// "original_price_text", "discount_percent", "positive_percent", "orders", "store": {"id",
    /// "name", "url"} or null, "link", "free_shipping", "ship_from"}`: prices in minor units with
    /// their exact major-unit text (`1250`, `"12.50"`), `positive_percent` the share of positive
    /// reviews (`92.1`), `link` our promotion link; anything unknown null.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        self.request.write_json_fields(&mut w);
        w.key("read_by");
        w.string(self.read_by.as_str());
        let query = &self.plan.query;
        w.key("query");
        w.nested(|w| {
            w.begin_object();
            w.key("keywords");
            w.string(&query.keywords);
            w.key("min_sale_price");
            w.optional_unsigned(query.min_sale_price);
            w.key("max_sale_price");
            w.optional_unsigned(query.max_sale_price);
            w.key("sort");
            w.optional_string(query.sort.map(|s| s.as_str()));
            w.key("target_currency");
            w.string(query.target_currency.as_str());
            w.key("target_language");
            w.string(query.target_language.api_language());
            w.key("ship_to_country");
            w.string(query.ship_to_country.as_str());
            w.key("page_size");
            w.unsigned(u64::from(query.page_size));
            w.end_object();
        });
        w.key("filters");
        w.nested(|w| {
            w.begin_array();
            for (filter, applied) in &self.plan.filters {
                let outcome = self
                    .refinement
                    .filters
                    .iter()
                    .find(|outcome| outcome.filter == *filter);
                w.nested(|w| {
                    w.begin_object();
                    w.key("filter");
                    w.string(filter.as_str());
                    w.key("applied");
                    w.string(applied.as_str());
                    w.key("removed");
                    w.optional_unsigned(outcome.map(|o| count(o.removed)));
                    w.key("unknown");
                    w.optional_unsigned(outcome.map(|o| count(o.unknown)));
                    w.end_object();
                });
            }
            w.end_array();
        });
        w.key("unusable");
        w.unsigned(count(self.refinement.unusable));
        w.key("not_shown");
        w.unsigned(count(self.refinement.not_shown));
        w.key("products");
        w.nested(|w| {
            w.begin_array();
            for product in &self.refinement.products {
                w.nested(|w| write_product(w, product));
            }
            w.end_array();
        });
        w.end_object();
        w.finish()
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn write_product(w: &mut Writer, product: &FoundProduct) {
    w.begin_object();
    w.key("id");
    w.string(&product.id);
    w.key("title");
    w.string(&product.title);
    w.key("image");
    w.optional_string(product.image_url.as_deref());
    w.key("currency");
    w.string(product.currency.as_str());
    w.key("price");
    w.unsigned(product.price);
    w.key("price_text");
    w.string(&major_units(product.price, product.currency));
    w.key("original_price");
    w.optional_unsigned(product.original_price);
    w.key("original_price_text");
    w.optional_string(
        product
            .original_price
            .map(|p| major_units(p, product.currency))
            .as_deref(),
    );
    w.key("discount_percent");
    w.optional_unsigned(product.discount_percent.map(u64::from));
    w.key("positive_percent");
    match product.positive_permille {
        Some(permille) => {
            let text = match permille % 10 {
                0 => (permille / 10).to_string(),
                tenth => format!("{}.{tenth}", permille / 10),
            };
            w.number_text(&text);
        }
        None => w.null(),
    }
    w.key("orders");
    w.optional_unsigned(product.orders);
    w.key("store");
    match &product.store {
        Some(store) => w.nested(|w| {
            w.begin_object();
            w.key("id");
            w.optional_string(store.id.as_deref());
            w.key("name");
            w.optional_string(store.name.as_deref());
            w.key("url");
            w.optional_string(store.url.as_deref());
            w.end_object();
        }),
        None => w.null(),
    }
    w.key("link");
    w.optional_string(product.promotion_link.as_deref());
    w.key("free_shipping");
    match product.free_shipping {
        Some(free) => w.boolean(free),
        None => w.null(),
    }
    w.key("ship_from");
    w.optional_string(product.ship_from.as_ref().map(|c| c.as_str()));
    w.end_object();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::UiLanguage;
    use crate::money::{code, Rates};
    use crate::page::CountryCode;
    use crate::search::affiliate_query::{plan_query, SearchTarget};
    use crate::search::products::{refine, tests::product, Store};
    use crate::search::{parse_query_in, search, Site};

    fn answer(text: &str, products: Vec<FoundProduct>) -> ProductAnswer {
        let target = SearchTarget {
            ship_to: CountryCode::parse("US").unwrap_or_else(|| unreachable!()),
            currency: code("USD"),
            language: UiLanguage::En,
        };
        let request = parse_query_in(text, Some(target.currency));
        let plan =
            plan_query(&request, target, &Rates::none()).unwrap_or_else(|e| unreachable!("{e}"));
        let refinement = refine(products, &plan);
        ProductAnswer {
            request,
            read_by: ReadBy::Rules,
            plan,
            refinement,
        }
    }

    #[test]
    fn the_answer_is_written_whole() {
        let mut bare = product(2);
        bare.store = Some(Store::default());
        bare.original_price = None;
        bare.positive_permille = Some(921);
        let mut unknown = product(3);
        unknown.free_shipping = None;
        let json = answer(
            "lamp under 30 free shipping newest",
            vec![product(1), bare, unknown],
        )
        .to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(
            value,
            serde_json::json!({
                "keywords": "lamp", "min_price": null, "max_price": 30, "currency": null,
                "min_rating": null, "free_shipping": true, "ship_from": null, "sort": "newest",
                "read_by": "rules",
                "query": {
                    "keywords": "lamp", "min_sale_price": null, "max_sale_price": 3000,
                    "sort": null, "target_currency": "USD", "target_language": "EN",
                    "ship_to_country": "US", "page_size": 50,
                },
                "filters": [
                    {"filter": "price", "applied": "in_query", "removed": null, "unknown": null},
                    {"filter": "free_shipping", "applied": "on_results", "removed": 1, "unknown": 1},
                    {"filter": "sort", "applied": "not_available", "removed": null, "unknown": null},
                ],
                "unusable": 0, "not_shown": 0,
                "products": [
                    {
                        "id": "1005001234500001", "title": "Lamp 1",
                        "image": "https://ae01.alicdn.com/kf/1.jpg", "currency": "USD",
                        "price": 1001, "price_text": "10.01",
                        "original_price": 2001, "original_price_text": "20.01",
                        "discount_percent": 50, "positive_percent": 90, "orders": 10,
                        "store": {"id": "912345", "name": "Lamp Store", "url": "https://www.aliexpress.com/store/912345"},
                        "link": "https://s.click.aliexpress.com/e/_1",
                        "free_shipping": true, "ship_from": "CN",
                    },
                    {
                        "id": "1005001234500002", "title": "Lamp 2",
                        "image": "https://ae01.alicdn.com/kf/2.jpg", "currency": "USD",
                        "price": 1002, "price_text": "10.02",
                        "original_price": null, "original_price_text": null,
                        "discount_percent": 50, "positive_percent": 92.1, "orders": 20,
                        "store": {"id": null, "name": null, "url": null},
                        "link": "https://s.click.aliexpress.com/e/_2",
                        "free_shipping": true, "ship_from": "CN",
                    },
                ],
            })
        );
    }

    #[test]
    fn the_request_is_written_as_the_url_answer_writes_it() {
        let text = "bluetooth speaker 20-40 € 4.5 stars ships from Spain cheapest";
        let products = answer(text, Vec::new()).to_json();
        let products: serde_json::Value = serde_json::from_str(&products).unwrap_or_default();
        let url = search(
            text,
            Site {
                host: None,
                currency: Some(code("USD")),
            },
            &Rates::none(),
            &[],
        )
        .to_json();
        let url: serde_json::Value = serde_json::from_str(&url).unwrap_or_default();
        for key in [
            "keywords",
            "min_price",
            "max_price",
            "currency",
            "min_rating",
            "free_shipping",
            "ship_from",
            "sort",
        ] {
            assert_eq!(products[key], url[key], "{key}");
        }
        assert_eq!(products["currency"], "EUR");
        assert_eq!(products["filters"][0]["applied"], "no_rate");
        assert_eq!(products["products"], serde_json::json!([]));
    }

    #[test]
    fn untrusted_titles_are_escaped() {
        let mut p = product(1);
        p.title = "<b>\"Lamp\"</b>\n\u{1}".into();
        let json = answer("lamp", vec![p]).to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["products"][0]["title"], "<b>\"Lamp\"</b>\n\u{1}");
    }
}
