//! Reading the API's answers: the envelope (`<method>_response.resp_result` or
//! `error_response`), lists wrapped (`products.product[]`) or plain (`products[]`), ids as
//! strings or integers kept exact (their digits as written), each product handed to the core's
//! [`read_api_item`] as [`ApiValue`]s: the core knows what the fields mean, promo codes in every
//! shape included.

use serde_json::{Map, Value};
use shopper_core::search::{read_api_item, ApiValue, FoundProduct};

use crate::error::{ApiError, Refusal};
use crate::product::{GeneratedLink, ProductPage};

/// The `result` object of a successful answer to `method`, or the error it says.
pub(crate) fn result(method: &str, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::Malformed(format!("not JSON: {e}")))?;
    let Value::Object(mut root) = value else {
        return Err(ApiError::Malformed("not a JSON object".into()));
    };
    if let Some(error) = root.get("error_response") {
        return Err(refusal(error));
    }
    let key = format!("{}_response", method.replace('.', "_"));
    let response = root
        .remove(&key)
        .ok_or_else(|| ApiError::Malformed(format!("no {key}")))?;
    let mut resp_result = match response {
        Value::Object(mut response) => response
            .remove("resp_result")
            .ok_or_else(|| ApiError::Malformed("no resp_result".into()))?,
        _ => return Err(ApiError::Malformed(format!("{key} is not an object"))),
    };
    // Some gateways send resp_result as a JSON document in a string.
    if let Value::String(text) = &resp_result {
        resp_result = serde_json::from_str(text)
            .map_err(|e| ApiError::Malformed(format!("resp_result: {e}")))?;
    }
    let Value::Object(mut resp_result) = resp_result else {
        return Err(ApiError::Malformed("resp_result is not an object".into()));
    };
    let code = resp_result.get("resp_code").and_then(integer);
    if code != Some(200) {
        return Err(ApiError::Failed {
            code: code.unwrap_or(0),
            message: resp_result
                .get("resp_msg")
                .and_then(text)
                .unwrap_or_default(),
        });
    }
    match resp_result.remove("result") {
        Some(Value::Object(result)) => Ok(result),
        None | Some(Value::Null) => Ok(Map::new()),
        Some(_) => Err(ApiError::Malformed("result is not an object".into())),
    }
}

fn refusal(error: &Value) -> ApiError {
    let code = error.get("code").and_then(text).unwrap_or_default();
    let sub_code = error.get("sub_code").and_then(text);
    let message = error
        .get("msg")
        .or_else(|| error.get("sub_msg"))
        .and_then(text)
        .unwrap_or_default();
    ApiError::Refused {
        reason: Refusal::from_codes(&code, sub_code.as_deref()),
        code,
        message,
        sub_code,
    }
}

/// The items of a list the API sends wrapped (`{"product": [...]}`) or plain (`[...]`); a
/// wrapper around one object holds that one.
pub(crate) fn list<'a>(value: Option<&'a Value>, item: &str) -> Vec<&'a Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(wrapper)) => match wrapper.get(item) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A page of products from a `result`.
pub(crate) fn product_page(result: &Map<String, Value>) -> ProductPage {
    let mut page = ProductPage {
        page_no: result.get("current_page_no").and_then(unsigned),
        total: result.get("total_record_count").and_then(unsigned),
        total_pages: result.get("total_page_no").and_then(unsigned),
        finished: result.get("is_finished").and_then(Value::as_bool),
        ..ProductPage::default()
    };
    for item in list(result.get("products"), "product") {
        match product(item) {
            Some(product) => page.products.push(product),
            None => page.skipped += 1,
        }
    }
    page
}

/// The links of a `link.generate` result.
pub(crate) fn links(result: &Map<String, Value>) -> Vec<GeneratedLink> {
    list(result.get("promotion_links"), "promotion_link")
        .into_iter()
        .filter_map(|item| {
            Some(GeneratedLink {
                source: item.get("source_value").and_then(text)?,
                promotion_link: item.get("promotion_link").and_then(text)?,
            })
        })
        .collect()
}

/// A product and its promo codes, read by the core.
fn product(item: &Value) -> Option<FoundProduct> {
    read_api_item(Json(item))
}

/// A JSON value of an answer, as the core reads it.
#[derive(Debug, Clone, Copy)]
struct Json<'a>(&'a Value);

impl ApiValue for Json<'_> {
    /// A string, trimmed and not empty, or a number as the API wrote it.
    fn text(self) -> Option<String> {
        text(self.0)
    }

    fn get(self, name: &str) -> Option<Self> {
        self.0.get(name).map(Json)
    }

    fn items(self, max: usize) -> Option<Vec<Self>> {
        self.0
            .as_array()
            .map(|items| items.iter().take(max).map(Json).collect())
    }
}

/// A text field: a string, trimmed and not empty, or a number as the API wrote it.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        // serde_json keeps an integer's digits exactly; only a fraction was ever a float.
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn unsigned(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes_in_every_shape() {
        let m = "aliexpress.affiliate.link.generate";
        let ok = r#"{"aliexpress_affiliate_link_generate_response":{"resp_result":{"resp_code":200,"resp_msg":"ok","result":{"a":1}}}}"#;
        assert_eq!(result(m, ok.as_bytes()).map(|r| r.len()), Ok(1));
        // resp_result as a JSON document in a string, resp_code as a string.
        let nested = r#"{"aliexpress_affiliate_link_generate_response":{"resp_result":"{\"resp_code\":\"200\",\"result\":{\"a\":1}}"}}"#;
        assert_eq!(result(m, nested.as_bytes()).map(|r| r.len()), Ok(1));
        let no_result =
            r#"{"aliexpress_affiliate_link_generate_response":{"resp_result":{"resp_code":200}}}"#;
        assert_eq!(result(m, no_result.as_bytes()).map(|r| r.len()), Ok(0));
        let failed = r#"{"aliexpress_affiliate_link_generate_response":{"resp_result":{"resp_code":402,"resp_msg":"Invalid input"}}}"#;
        assert_eq!(
            result(m, failed.as_bytes()),
            Err(ApiError::Failed {
                code: 402,
                message: "Invalid input".into()
            })
        );
        let refused = r#"{"error_response":{"code":"ApiCallLimit","msg":"slow down","sub_code":"isv.limit"}}"#;
        assert_eq!(
            result(m, refused.as_bytes()),
            Err(ApiError::Refused {
                reason: Refusal::ApiCallLimit,
                code: "ApiCallLimit".into(),
                message: "slow down".into(),
                sub_code: Some("isv.limit".into()),
            })
        );
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"aliexpress_affiliate_link_generate_response":[]}"#,
        ] {
            assert!(
                matches!(result(m, bad.as_bytes()), Err(ApiError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_are_exact_whatever_their_json_type() {
        let item = |id: &str| -> Value {
            let text = format!(
                r#"{{"product_id": {id}, "product_title": "Lamp", "target_sale_price": "9.99", "target_sale_price_currency": "USD", "shop_id": {id}}}"#
            );
            serde_json::from_str(&text).unwrap_or_default()
        };
        let read = |id: &str| product(&item(id)).map(|p| (p.id, p.store.and_then(|s| s.id)));
        let exact = |id: &str| Some((id.to_owned(), Some(id.to_owned())));
        assert_eq!(
            read("\"1005009876543210987\""),
            exact("1005009876543210987")
        );
        // 2^53 + 1: a float would make it 9007199254740992.
        assert_eq!(read("9007199254740993"), exact("9007199254740993"));
        assert_eq!(
            read("18446744073709551615"),
            exact("18446744073709551615"),
            "u64::MAX"
        );
        // A float or a negative number is no id: the store's is dropped here, the product's
        // counted unusable by the core's refine.
        for (id, text) in [("1.005e15", "1005000000000000.0"), ("-5", "-5")] {
            assert_eq!(read(id), Some((text.to_owned(), None)), "{id}");
        }
    }

    #[test]
    fn lists_wrapped_plain_or_one() {
        let wrapped = json!({"product": [{"a": 1}, {"a": 2}]});
        let plain = json!([{"a": 1}, {"a": 2}]);
        let one = json!({"product": {"a": 1}});
        assert_eq!(list(Some(&wrapped), "product").len(), 2);
        assert_eq!(list(Some(&plain), "product").len(), 2);
        assert_eq!(list(Some(&one), "product").len(), 1);
        assert_eq!(list(Some(&json!("x")), "product").len(), 0);
        assert_eq!(list(None, "product").len(), 0);
    }
}
