//! The affiliate API's answers as the core reads them: one product of `product.query`,
//! `hotproduct.query` or `featuredpromo.products.get` ([`read_api_item`]), with its promo codes
//! in every shape the API writes them, through [`ApiValue`], the few questions the core asks of
//! a JSON value. The API client holds the JSON (the core has no JSON library of its own for
//! this, and needs none): it answers those questions for its values, and the core decides what
//! the fields mean.

use super::products::{read_api_product, FoundProduct};
use crate::coupon::read_promo_codes;

/// One JSON value of an answer, as the API client holds it.
pub trait ApiValue: Copy {
    /// The value as text: a string, trimmed, when not empty; a number as the API wrote it (an
    /// integer's digits exactly); `None` for anything else.
    fn text(self) -> Option<String>;

    /// The value of field `name`, when this is an object that has it.
    fn get(self, name: &str) -> Option<Self>;

    /// The first `max` items, when this is an array (`None` otherwise).
    fn items(self, max: usize) -> Option<Vec<Self>>;
}

/// The text of field `name` of `value`.
pub(crate) fn field_text<V: ApiValue>(value: V, name: &str) -> Option<String> {
    value.get(name)?.text()
}

/// One product of an answer and its promo codes (`promo_code_info`, [`read_promo_codes`]); `None`
/// when it is no usable product ([`read_api_product`]).
pub fn read_api_item<V: ApiValue>(item: V) -> Option<FoundProduct> {
    let mut product = read_api_product(&|name| field_text(item, name))?;
    product.promo_codes = item
        .get("promo_code_info")
        .map(read_promo_codes)
        .unwrap_or_default();
    Some(product)
}

/// A serde_json value as an [`ApiValue`], as the API client's is, for the core's tests.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct TestJson<'a>(pub &'a serde_json::Value);

#[cfg(test)]
impl ApiValue for TestJson<'_> {
    fn text(self) -> Option<String> {
        match self.0 {
            serde_json::Value::String(text) => {
                Some(text.trim().to_owned()).filter(|t| !t.is_empty())
            }
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    fn get(self, name: &str) -> Option<Self> {
        self.0.get(name).map(TestJson)
    }

    fn items(self, max: usize) -> Option<Vec<Self>> {
        self.0
            .as_array()
            .map(|items| items.iter().take(max).map(TestJson).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::code;
    use serde_json::json;

    #[test]
    fn a_product_and_its_promo_code() {
        let item = json!({
            "product_id": 1005001234567890_u64, "product_title": " Speaker ",
            "target_sale_price": "12.99", "target_sale_price_currency": "EUR",
            "sale_price": "14.00", "sale_price_currency": "USD",
            "promo_code_info": {"promo_code": "GMG20207", "code_campaigntype": 1,
                "code_value": "On order over EUR 10, get EUR 7 off", "code_mini_spend": "10"},
        });
        let product = read_api_item(TestJson(&item)).unwrap_or_else(|| unreachable!("reads"));
        assert_eq!(product.id, "1005001234567890");
        assert_eq!(product.title, "Speaker");
        assert_eq!((product.currency, product.price), (code("EUR"), 1299));
        assert_eq!(product.promo_codes.len(), 1);
        assert_eq!(
            product.promo_codes[0].code_campaigntype.as_deref(),
            Some("1")
        );
        // No promo code, or one that is no object of a code's fields: none.
        for info in [
            json!(null),
            json!("GMG20207"),
            json!({}),
            json!({"other": 1}),
        ] {
            let mut item = item.clone();
            item["promo_code_info"] = info;
            let product = read_api_item(TestJson(&item)).unwrap_or_else(|| unreachable!());
            assert!(product.promo_codes.is_empty(), "{item}");
        }
        let mut no_title = item;
        no_title["product_title"] = json!("");
        assert!(read_api_item(TestJson(&no_title)).is_none());
    }
}
