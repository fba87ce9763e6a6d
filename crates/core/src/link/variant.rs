//! The variant (SKU) a product link names, by one rule on every host.
//!
//! AliExpress names a product page's variant in two ways. Links written by hand, by the app and
//! by aliexpress.ru carry it as `sku_id=<id>` (`skuId` in some older links); the global sites'
//! search results and recommendations carry it inside `pdp_ext_f`, a JSON object
//! (`pdp_ext_f={"sku_id":"12000022480660847"}`, percent-encoded) among their tracking
//! parameters. The canonical URL used to keep `sku_id` and drop `pdp_ext_f` with the rest of the
//! tracking, so the variant survived on aliexpress.ru's links and was lost on the global sites'.
//! The rule now: the variant is the first valid `sku_id` (any case, so `skuId` too), else
//! `pdp_ext_f`'s `sku_id`; the canonical URL writes it as `?sku_id=<id>` on every host, which
//! every AliExpress site reads.

use super::{form_decoded, split_ascii, split_once_ascii, ProductId};
use crate::codec::json::Value;

/// Query keys, lower-cased, that name the variant directly.
pub(crate) fn is_variant_key(lower_key: &[u8]) -> bool {
    matches!(lower_key, b"sku_id" | b"skuid")
}

/// The variant in a query's `pdp_ext_f` JSON object, if it names one. Read only when a product
/// link's canonical URL is written: most links carry `pdp_ext_f` and few are rewritten.
pub(crate) fn in_extension(query: &str) -> Option<ProductId> {
    split_ascii(query, b'&').find_map(|pair| {
        let (key, value) = split_once_ascii(pair, b'=')?;
        if !key.eq_ignore_ascii_case("pdp_ext_f") {
            return None;
        }
        let json = form_decoded(value);
        let parsed = Value::parse(&json).ok()?;
        let sku = parsed.get("sku_id")?;
        match sku.as_str() {
            Some(text) => ProductId::parse(text),
            None => ProductId::parse(&sku.as_u64()?.to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sku(query: &str) -> Option<String> {
        in_extension(query).map(|id| id.to_string())
    }

    #[test]
    fn extension_object() {
        assert_eq!(
            sku("spm=a&pdp_ext_f=%7B%22sku_id%22%3A%2212000022480660847%22%7D&x=1").as_deref(),
            Some("12000022480660847")
        );
        assert_eq!(
            sku("pdp_ext_f={\"sku_id\":12000022480660847}").as_deref(),
            Some("12000022480660847")
        );
        assert_eq!(
            sku("PDP_EXT_F=%7B%22sku_id%22%3A%2259641309080%22%7D").as_deref(),
            Some("59641309080")
        );
        for query in [
            "",
            "pdp_ext_f=",
            "pdp_ext_f=%7B%7D",
            "pdp_ext_f=not%20json",
            "pdp_ext_f=%7B%22sku_id%22%3A%22x1%22%7D",
            "pdp_ext_f=%7B%22sku_id%22%3A%221%22%7D",
            "pdp_ext_f=%5B%5D",
            "pdp_npi=4%40dis%2112000022480660847",
        ] {
            assert_eq!(sku(query), None, "{query}");
        }
    }

    #[test]
    fn keys() {
        assert!(is_variant_key(b"sku_id"));
        assert!(is_variant_key(b"skuid"));
        assert!(!is_variant_key(b"skuattr"));
        assert!(!is_variant_key(b"sku"));
    }
}
