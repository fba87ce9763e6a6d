//! Product ids: where AliExpress puts them in a URL, and a small copyable type that holds one.

use std::fmt;

/// Longest product id we accept; AliExpress ids are 13 to 16 digits today.
const MAX_DIGITS: usize = 20;
/// Shortest product id we accept; shorter numbers in those places are not products.
const MIN_DIGITS: usize = 6;

/// An AliExpress product id: 6 to 20 ASCII digits, kept inline so classifying allocates nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductId {
    len: u8,
    digits: [u8; MAX_DIGITS],
}

impl ProductId {
    /// The id if `text` is 6 to 20 ASCII digits.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&bytes.len())
            || !bytes.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let mut digits = [0u8; MAX_DIGITS];
        digits.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(Self {
            len: u8::try_from(bytes.len()).ok()?,
            digits,
        })
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        let digits = self.digits.get(..usize::from(self.len)).unwrap_or_default();
        // Only ASCII digits are ever stored, so this cannot fail; an empty string would be the
        // harmless answer if it did.
        std::str::from_utf8(digits).unwrap_or_default()
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProductId({})", self.as_str())
    }
}

/// The product id in a product page path: `/item/<id>.html`, `/item/<slug>/<id>.html`,
/// `/i/<id>.html` or `/store/product/<slug>/<storeid>_<id>.html`.
pub(crate) fn product_id_in_path(path: &str) -> Option<ProductId> {
    let mut segments = super::split_ascii(path.strip_prefix('/')?, b'/');
    let first = segments.next()?;
    let second = segments.next()?;
    let third = segments.next();
    let fourth = segments.next();
    if segments.next().is_some() {
        return None;
    }
    match (first, third, fourth) {
        ("item", None, None) | ("i", None, None) => html_page_id(second),
        ("item", Some(page), None) if !second.is_empty() => html_page_id(page),
        ("store", Some(slug), Some(page)) if second == "product" && !slug.is_empty() => {
            let (store_id, product) = page.split_once('_')?;
            if store_id.is_empty() || !store_id.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            html_page_id(product)
        }
        _ => None,
    }
}

/// The id in a `productId`/`productIds` query value: the first id, before any `:` or `,`.
pub(crate) fn product_id_in_query_value(value: &str) -> Option<ProductId> {
    let first = value.split([':', ',']).next()?;
    ProductId::parse(first)
}

/// `<digits>.html` → the id.
fn html_page_id(page: &str) -> Option<ProductId> {
    ProductId::parse(page.strip_suffix(".html")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str) -> Option<String> {
        product_id_in_path(path).map(|p| p.to_string())
    }

    #[test]
    fn path_shapes() {
        assert_eq!(
            id("/item/1005001234567890.html").as_deref(),
            Some("1005001234567890")
        );
        assert_eq!(
            id("/item/wireless-earbuds/1005001234567890.html").as_deref(),
            Some("1005001234567890")
        );
        assert_eq!(id("/i/4000123456.html").as_deref(), Some("4000123456"));
        assert_eq!(
            id("/store/product/earbuds/912345_1005001234567890.html").as_deref(),
            Some("1005001234567890")
        );
        for path in [
            "/item/12345.html",
            "/item/123456789012345678901.html",
            "/item/1005001234567890.htm",
            "/item/1005001234567890",
            "/item//1005001234567890.html",
            "/item/a/b/1005001234567890.html",
            "/items/1005001234567890.html",
            "/x/item/1005001234567890.html",
            "/store/product/earbuds/_1005001234567890.html",
            "/store/product/earbuds/x1_1005001234567890.html",
            "/store/product//1_1005001234567890.html",
            "/item/１００５００１２３４.html",
            "/item/+1005001234.html",
            "",
            "/",
        ] {
            assert_eq!(id(path), None, "{path}");
        }
    }

    #[test]
    fn query_values() {
        let q = |v: &str| product_id_in_query_value(v).map(|p| p.to_string());
        assert_eq!(q("1005001234567890").as_deref(), Some("1005001234567890"));
        assert_eq!(
            q("1005001234567890:12345678,1005009999999999:1").as_deref(),
            Some("1005001234567890")
        );
        assert_eq!(
            q("1005001234567890,1005009999999999").as_deref(),
            Some("1005001234567890")
        );
        assert_eq!(q(""), None);
        assert_eq!(q("abc"), None);
        assert_eq!(q(":1005001234567890"), None);
    }

    #[test]
    fn bounds() {
        assert!(ProductId::parse("123456").is_some());
        assert!(ProductId::parse("12345678901234567890").is_some());
        assert!(ProductId::parse("12345").is_none());
        assert!(ProductId::parse("123456789012345678901").is_none());
    }
}
