//! A product's `promo_code_info` in every shape the API has been seen to write it, each read into
//! the same [`PromoCodeInfo`]s:
//! - one object of the code's fields, as the API's reference and its SDKs have it
//!   (`"promo_code_info": {"promo_code": "GMG20207", "code_value": ...}`);
//! - an array of such objects (`"promo_code_info": [{...}, {...}]`);
//! - an object wrapping one such object or an array of them, as the gateway writes lists of its
//!   DTO types (`"promo_code_info": {"promo_code_d_t_o": [...]}`, also `promo_code_dto`), the way
//!   product lists come as `"products": {"product": [...]}`.
//!
//! Each field is the text the API gave, a string or a number alike (`"code_campaigntype": 2`,
//! `"code_quantity": 1000` are seen beside their string forms). An object without one field of a
//! promo code is none; at most [`MAX_PROMO_CODES_PER_PRODUCT`] are read from one product.

use super::PromoCodeInfo;
use crate::search::api_value::{field_text, ApiValue};

/// Most promo codes read from one product: the API attaches one; a list of more is bounded.
pub const MAX_PROMO_CODES_PER_PRODUCT: usize = 8;

/// The names a wrapper object holds its list of codes under.
const WRAPPERS: [&str; 2] = ["promo_code_d_t_o", "promo_code_dto"];

/// The promo codes of a product's `promo_code_info`, in the API's order.
pub fn read_promo_codes<V: ApiValue>(info: V) -> Vec<PromoCodeInfo> {
    let holder = WRAPPERS
        .iter()
        .find_map(|name| info.get(name))
        .unwrap_or(info);
    match holder.items(MAX_PROMO_CODES_PER_PRODUCT) {
        Some(items) => items.into_iter().filter_map(one_code).collect(),
        None => one_code(holder).into_iter().collect(),
    }
}

/// One object of a code's fields, or `None` when it has none of them.
fn one_code<V: ApiValue>(object: V) -> Option<PromoCodeInfo> {
    let field = |name: &str| field_text(object, name);
    let read = PromoCodeInfo {
        promo_code: field("promo_code"),
        code_campaigntype: field("code_campaigntype"),
        code_value: field("code_value"),
        code_mini_spend: field("code_mini_spend"),
        code_availabletime_start: field("code_availabletime_start"),
        code_availabletime_end: field("code_availabletime_end"),
        code_quantity: field("code_quantity"),
        code_promotionurl: field("code_promotionurl"),
    };
    (read != PromoCodeInfo::default()).then_some(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api_value::TestJson;
    use serde_json::{json, Value};

    fn code(promo_code: &str) -> Value {
        json!({
            "promo_code": promo_code, "code_campaigntype": "1",
            "code_value": "On order over USD 10, get USD 7 off", "code_mini_spend": "10",
            "code_availabletime_start": "2030-01-01 00:00:00",
            "code_availabletime_end": "2030-12-31 23:59:59",
            "code_quantity": "300", "code_promotionurl": "https://s.click.aliexpress.com/e/_x"
        })
    }

    fn codes(info: &Value) -> Vec<String> {
        read_promo_codes(TestJson(info))
            .into_iter()
            .map(|c| c.promo_code.unwrap_or_default())
            .collect()
    }

    #[test]
    fn every_shape_reads_the_same() {
        let (a, b) = (code("AAA"), code("BBB"));
        let shapes = [
            (json!(a), vec!["AAA"]),
            (json!([a, b]), vec!["AAA", "BBB"]),
            (json!({"promo_code_d_t_o": [a, b]}), vec!["AAA", "BBB"]),
            (json!({"promo_code_d_t_o": a}), vec!["AAA"]),
            (json!({"promo_code_dto": [b]}), vec!["BBB"]),
            (json!([]), vec![]),
            (json!({"promo_code_d_t_o": []}), vec![]),
            (json!({}), vec![]),
            (json!("AAA"), vec![]),
            (json!([1, "x", null, {}]), vec![]),
        ];
        for (info, want) in shapes {
            assert_eq!(codes(&info), want, "{info}");
        }
        let one = read_promo_codes(TestJson(&a));
        assert_eq!(
            one,
            vec![PromoCodeInfo {
                promo_code: Some("AAA".into()),
                code_campaigntype: Some("1".into()),
                code_value: Some("On order over USD 10, get USD 7 off".into()),
                code_mini_spend: Some("10".into()),
                code_availabletime_start: Some("2030-01-01 00:00:00".into()),
                code_availabletime_end: Some("2030-12-31 23:59:59".into()),
                code_quantity: Some("300".into()),
                code_promotionurl: Some("https://s.click.aliexpress.com/e/_x".into()),
            }]
        );
    }

    #[test]
    fn numbers_are_texts_and_blanks_are_missing() {
        let info = json!({"promo_code": " SAVE5 ", "code_campaigntype": 2, "code_quantity": 1000,
            "code_mini_spend": 20.5, "code_value": "  ", "code_promotionurl": null});
        let read = read_promo_codes(TestJson(&info));
        assert_eq!(read.len(), 1);
        let read = &read[0];
        assert_eq!(read.promo_code.as_deref(), Some("SAVE5"));
        assert_eq!(read.code_campaigntype.as_deref(), Some("2"));
        assert_eq!(read.code_quantity.as_deref(), Some("1000"));
        assert_eq!(read.code_mini_spend.as_deref(), Some("20.5"));
        assert_eq!(
            (
                read.code_value.as_deref(),
                read.code_promotionurl.as_deref()
            ),
            (None, None)
        );
    }

    #[test]
    fn a_long_list_is_bounded() {
        let many: Vec<Value> = (0..100).map(|i| code(&format!("C{i}"))).collect();
        assert_eq!(
            read_promo_codes(TestJson(&json!(many))).len(),
            MAX_PROMO_CODES_PER_PRODUCT
        );
        let wrapped = json!({"promo_code_d_t_o": many});
        assert_eq!(
            read_promo_codes(TestJson(&wrapped)).len(),
            MAX_PROMO_CODES_PER_PRODUCT
        );
    }
}
