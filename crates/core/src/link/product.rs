//! Product ids: where AliExpress puts them in a URL, a small copyable type that holds one, and
//! the one rule for the same product's id on aliexpress.us ([`same_product`]).
//!
//! Why a rule for aliexpress.us: that site names a product by its global id plus 2^51
//! (1005010026778896 on aliexpress.com is 3256809840464144 there), so a coupon scoped to a
//! product must match it under either id. Ids stay digits (never `f64`: they exceed 2^53), and
//! the arithmetic is checked `u64`. Which ids are of which shape: a global id is below 2^51 (the
//! global sites' ids are about 1.0e15 today, 2^51 is 2.25e15), its aliexpress.us id is in
//! [2^51 + 100000, 2^52) (100000: the smallest id of [`ProductId`]'s six digits); anything
//! else (2^52 and above, a leading zero) has no other form and matches only itself. Should
//! global ids ever reach 2^51, this would pair such an id with an unrelated small one: said
//! here as the assumption it is.

use std::fmt;

/// Longest product id we accept; AliExpress ids are 13 to 16 digits today.
const MAX_DIGITS: usize = 20;
/// Shortest product id we accept; shorter numbers in those places are not products.
const MIN_DIGITS: usize = 6;

/// How much larger a product's id is on aliexpress.us than on the global sites: 2^51.
pub const US_ID_OFFSET: u64 = 1 << 51;

/// The smallest id of [`MIN_DIGITS`] digits.
const SMALLEST_ID: u64 = 100_000;

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

    /// The id as a number, for ids without a leading zero that fit `u64`.
    fn value(&self) -> Option<u64> {
        let digits = self.as_str();
        if digits.starts_with('0') {
            return None;
        }
        digits.bytes().try_fold(0u64, |n, d| {
            n.checked_mul(10)?
                .checked_add(u64::from(d.wrapping_sub(b'0')))
        })
    }

    /// An id from its number (at least [`SMALLEST_ID`] to have six digits).
    fn from_value(value: u64) -> Option<Self> {
        let mut digits = [0u8; MAX_DIGITS];
        let mut at = MAX_DIGITS;
        let mut rest = value;
        loop {
            at = at.checked_sub(1)?;
            *digits.get_mut(at)? = b'0' + u8::try_from(rest % 10).ok()?;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        Self::parse(std::str::from_utf8(digits.get(at..)?).ok()?)
    }

    /// The same product's id on the other site: a global id's aliexpress.us id, or an
    /// aliexpress.us id's global id; `None` for an id of neither shape (see the module's
    /// summary).
    pub fn other_site(&self) -> Option<Self> {
        let value = self.value()?;
        let other = if (SMALLEST_ID..US_ID_OFFSET).contains(&value) {
            value.checked_add(US_ID_OFFSET)?
        } else if (US_ID_OFFSET + SMALLEST_ID..2 * US_ID_OFFSET).contains(&value) {
            value.checked_sub(US_ID_OFFSET)?
        } else {
            return None;
        };
        Self::from_value(other)
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

/// Whether two product ids, as a coupon's scope and a page or cart name them, are the same
/// product: the same id, or one the other's id on the other site (aliexpress.us against the
/// global sites). Text that is not a product id matches only itself.
pub fn same_product(a: &str, b: &str) -> bool {
    a == b
        || ProductId::parse(a)
            .and_then(|id| id.other_site())
            .is_some_and(|other| other.as_str() == b)
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
    fn the_same_product_on_aliexpress_us() {
        let other = |id: &str| {
            ProductId::parse(id)
                .and_then(|p| p.other_site())
                .map(|p| p.to_string())
        };
        let global = "1005010026778896";
        let us = "3256809840464144";
        assert_eq!(other(global).as_deref(), Some(us));
        assert_eq!(other(us).as_deref(), Some(global));
        assert_eq!(US_ID_OFFSET, 2_251_799_813_685_248);
        #[rustfmt::skip]
        let pairs: &[(&str, Option<&str>)] = &[
            // Older, shorter global ids.
            ("32812345678", Some("2251832626030926")),
            ("4000123456789", Some("2255799937142037")),
            // The edges of the global range and of the aliexpress.us one.
            ("100000", Some("2251799813785248")),
            ("2251799813685247", Some("4503599627370495")),
            ("2251799813785248", Some("100000")),
            ("4503599627370495", Some("2251799813685247")),
            // Neither shape: 2^51 itself and just above it (their global id would be no id),
            // 2^52 and above, a leading zero, the largest ids.
            ("2251799813685248", None),
            ("2251799813785247", None),
            ("4503599627370496", None),
            ("9999999999999999", None),
            ("18446744073709551615", None),
            ("99999999999999999999", None),
            ("01005010026778896", None),
            ("12345", None),
            ("abc", None),
        ];
        for (id, want) in pairs {
            assert_eq!(other(id).as_deref(), *want, "{id}");
            if let Some(twin) = want {
                assert_eq!(other(twin).as_deref(), Some(*id), "{twin} back");
            }
        }
        // The rule, both ways, and no match between unrelated ids.
        assert!(same_product(global, us));
        assert!(same_product(us, global));
        assert!(same_product(global, global));
        assert!(same_product("p2", "p2"));
        for (a, b) in [
            (global, "1005010026778897"),
            (us, "3256809840464145"),
            ("1005010026778897", us),
            (global, "01005010026778896"),
            ("01005010026778896", "3256809840464144"),
            (us, "5508609654149392"),
            ("2251799813685248", "0"),
            ("4503599627370496", "2251799813685248"),
            ("p2", "p3"),
            ("", global),
        ] {
            assert!(!same_product(a, b), "{a} {b}");
            assert!(!same_product(b, a), "{b} {a}");
        }
    }

    #[test]
    fn bounds() {
        assert!(ProductId::parse("123456").is_some());
        assert!(ProductId::parse("12345678901234567890").is_some());
        assert!(ProductId::parse("12345").is_none());
        assert!(ProductId::parse("123456789012345678901").is_none());
    }
}
