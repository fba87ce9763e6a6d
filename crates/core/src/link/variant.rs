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

use super::{form_decoded, ProductId};

/// Query keys, lower-cased, that name the variant directly.
pub(crate) fn is_variant_key(lower_key: &[u8]) -> bool {
    matches!(lower_key, b"sku_id" | b"skuid")
}

/// The variant in a `pdp_ext_f` value (a JSON object, form-encoded), if it names one. Read only
/// when a product link's canonical URL is written: most links carry `pdp_ext_f` and few are
/// rewritten.
pub(crate) fn in_extension(value: &str) -> Option<ProductId> {
    // Form-decoded on the stack: the object is a few dozen bytes; a longer one is heap-decoded.
    let mut buffer = [0u8; 256];
    match form_decode_into(value, &mut buffer) {
        Some(json) => sku_member(json),
        None => sku_member(form_decoded(value).as_bytes()),
    }
}

/// `raw` form-decoded (`+` a space, `%XX` a byte) into `buffer`, or `None` if it does not fit.
fn form_decode_into<'b>(raw: &str, buffer: &'b mut [u8]) -> Option<&'b [u8]> {
    let bytes = raw.as_bytes();
    let (mut from, mut to) = (0, 0);
    while let Some(&b) = bytes.get(from) {
        let (byte, used) = match (b, bytes.get(from + 1..from + 3)) {
            (b'%', Some(&[high, low])) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                (hex_value(high) << 4 | hex_value(low), 3)
            }
            (b'+', _) => (b' ', 1),
            _ => (b, 1),
        };
        *buffer.get_mut(to)? = byte;
        to += 1;
        from += used;
    }
    buffer.get(..to)
}

/// The value of one hex digit (already checked to be one).
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        _ => (digit | 0x20) - b'a' + 10,
    }
}

/// The value of the first `"sku_id"` member of a JSON text, a string or a number of digits.
///
/// Why a scan and not the JSON reader: this runs for every rewritten search result, and reading
/// the whole object cost a search page's batch a third more time; the member is all we want.
/// A string `"sku_id"` that is not a key is never followed by `:` in JSON, so it is not taken.
fn sku_member(json: &[u8]) -> Option<ProductId> {
    const KEY: &[u8] = b"\"sku_id\"";
    let skip_space = |at: usize| {
        at + json
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    };
    let mut at = 0;
    while let Some(found) = json.get(at..)?.windows(KEY.len()).position(|w| w == KEY) {
        at += found + KEY.len();
        let colon = skip_space(at);
        if json.get(colon) != Some(&b':') {
            continue;
        }
        let mut start = skip_space(colon + 1);
        if json.get(start) == Some(&b'"') {
            start += 1;
        }
        let digits = json.get(start..)?;
        let end = digits
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(digits.len());
        // A quoted value must end at its closing quote: `"123abc"` is no id.
        if json.get(start - 1) == Some(&b'"') && digits.get(end) != Some(&b'"') {
            return None;
        }
        return ProductId::parse(std::str::from_utf8(digits.get(..end)?).ok()?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant a product link with this query names, when no `sku_id` does.
    fn sku(query: &str) -> Option<String> {
        let href = format!("https://www.aliexpress.com/item/1005001234567890.html?{query}");
        let link = crate::link::classify(&href);
        link.aliexpress()?.variant().map(|id| id.to_string())
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
            "pdp_ext_f=%7B%22x%22%3A%22sku_id%22%7D",
            "pdp_ext_f=%7B%22sku_id%22%3A%2212000022480660847",
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
