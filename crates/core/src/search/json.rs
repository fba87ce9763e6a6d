//! A request as the JSON the command line prints and the popup reads, written by hand: the
//! derived `Serialize` gives the same object (a test checks), but going through it would bring
//! serde's map serializer and float formatting into the extension's WASM for one small object.

use super::numbers::push_decimal;
use super::SearchRequest;

/// `{"keywords", "min_price", "max_price", "currency", "min_rating", "free_shipping",
/// "ship_from", "sort", "url"}`.
pub(super) fn to_json(request: &SearchRequest, url: &str) -> String {
    let mut out = String::with_capacity(200 + 2 * request.keywords.len() + url.len());
    out.push_str("{\"keywords\":");
    push_string(&mut out, &request.keywords);
    out.push_str(",\"min_price\":");
    push_number(&mut out, request.min_price);
    out.push_str(",\"max_price\":");
    push_number(&mut out, request.max_price);
    out.push_str(",\"currency\":");
    push_code(&mut out, request.currency.as_ref().map(|c| c.as_str()));
    out.push_str(",\"min_rating\":");
    push_number(&mut out, request.min_rating);
    out.push_str(",\"free_shipping\":");
    out.push_str(if request.free_shipping {
        "true"
    } else {
        "false"
    });
    out.push_str(",\"ship_from\":");
    push_code(&mut out, request.ship_from.as_ref().map(|c| c.as_str()));
    out.push_str(",\"sort\":");
    push_code(&mut out, request.sort.map(|s| s.as_str()));
    out.push_str(",\"url\":");
    push_string(&mut out, url);
    out.push('}');
    out
}

fn push_number(out: &mut String, value: Option<f64>) {
    match value {
        Some(value) => push_decimal(out, value),
        None => out.push_str("null"),
    }
}

/// A code or name of plain ASCII letters and `_`, or null.
fn push_code(out: &mut String, code: Option<&str>) {
    match code {
        Some(code) => push_string(out, code),
        None => out.push_str("null"),
    }
}

/// `text` as a JSON string: `"` and `\` escaped, control characters as `\uXXXX`.
fn push_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let byte = u32::from(c) as usize;
                out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 0xF] {
                    out.push(char::from(HEX.get(nibble).copied().unwrap_or(b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        push_string(&mut out, "a\"b\\c\u{1}d\ne\u{1F}é🔥");
        assert_eq!(out, r#""a\"b\\c\u0001d\ne\u001fé🔥""#);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(value, "a\"b\\c\u{1}d\ne\u{1F}é🔥");
    }
}
