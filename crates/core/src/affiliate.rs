//! The publisher's affiliate key, and how an AliExpress product link becomes our affiliate link:
//! a link the companion server got from the affiliate API when one is known, else a deep link.

use std::fmt;

use crate::link::{classify, host::AFFILIATE_HOST, AliexpressLink, LinkKind, ProductId};

/// Longest key we accept; AliExpress tracking ids are far shorter.
const MAX_KEY_LEN: usize = 64;

/// Everything but RFC 3986's unreserved characters is escaped, as `encodeURIComponent` does
/// (less `!*'()`), so the target URL survives as one query value.
fn is_unreserved(byte: u8) -> bool {
    // A table: the comparisons, once per byte of every link, cost more in the size-optimised
    // WASM than a lookup.
    // A u8 always indexes a 256-entry table, and `get_mut` is not available in a const block.
    #[allow(clippy::indexing_slicing)]
    const UNRESERVED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let byte = b as u8;
            table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
            b += 1;
        }
        table
    };
    UNRESERVED.get(usize::from(byte)).copied().unwrap_or(false)
}

/// The publisher's affiliate key (`aff_short_key`): 1 to 64 of `A-Z a-z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliateKey(String);

/// Why a string is not an affiliate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAffiliateKey(&'static str);

impl fmt::Display for InvalidAffiliateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid affiliate key: {}", self.0)
    }
}

impl std::error::Error for InvalidAffiliateKey {}

impl AffiliateKey {
    /// Validates a key from configuration or settings.
    pub fn parse(text: &str) -> Result<Self, InvalidAffiliateKey> {
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidAffiliateKey("it is empty"));
        }
        if text.len() > MAX_KEY_LEN {
            return Err(InvalidAffiliateKey("it is longer than 64 characters"));
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(InvalidAffiliateKey(
                "only letters, digits, '_' and '-' are allowed",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a link from the affiliate API was not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidApiLink;

impl fmt::Display for InvalidApiLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an affiliate API link must be an https link on s.click.aliexpress.com")
    }
}

impl std::error::Error for InvalidApiLink {}

/// How product links become ours: API-generated links first, the deep link otherwise.
#[derive(Debug, Clone)]
pub struct AffiliateLinks {
    key: AffiliateKey,
    /// Every deep link's start, up to its encoded target: written once per key rather than
    /// piece by piece for every link.
    deep_link_start: String,
    /// Sorted by product, without repeats: a handful, so a sorted list rather than a map.
    api_links: Vec<(ProductId, String)>,
}

/// `https://s.click.aliexpress.com/deep_link.htm?aff_short_key=KEY&dl_target_url=`.
fn deep_link_start(key: &AffiliateKey) -> String {
    [
        "https://",
        AFFILIATE_HOST,
        "/deep_link.htm?aff_short_key=",
        key.as_str(),
        "&dl_target_url=",
    ]
    .concat()
}

impl AffiliateLinks {
    /// Deep links with `key`, and no API links yet.
    pub fn new(key: AffiliateKey) -> Self {
        Self {
            deep_link_start: deep_link_start(&key),
            key,
            api_links: Vec::new(),
        }
    }

    /// The key deep links carry.
    pub fn key(&self) -> &AffiliateKey {
        &self.key
    }

    /// Replaces the key (the shopper or publisher changed the setting).
    pub fn set_key(&mut self, key: AffiliateKey) {
        self.deep_link_start = deep_link_start(&key);
        self.key = key;
    }

    /// Remembers a link the affiliate API made for `product` (`https://s.click.aliexpress.com/e/...`);
    /// it takes precedence over the deep link from then on.
    pub fn remember_api_link(
        &mut self,
        product: ProductId,
        link: &str,
    ) -> Result<(), InvalidApiLink> {
        let is_redirector = link.starts_with("https://")
            && classify(link)
                .aliexpress()
                .is_some_and(|l| l.kind == LinkKind::Affiliate && l.host() == AFFILIATE_HOST);
        if !is_redirector {
            return Err(InvalidApiLink);
        }
        match self.api_links.binary_search_by_key(&product, |(p, _)| *p) {
            Ok(at) => {
                if let Some((_, known)) = self.api_links.get_mut(at) {
                    *known = link.to_owned();
                }
            }
            Err(at) => self.api_links.insert(at, (product, link.to_owned())),
        }
        Ok(())
    }

    /// Appends our affiliate link for a product link to `out`; false (nothing written) if
    /// `link` is not a product.
    pub fn write_link(&self, link: &AliexpressLink<'_>, out: &mut String) -> bool {
        let Some(product) = link.product_id else {
            return false;
        };
        // Checked first so the common case (no API links yet) never searches.
        let api_link = if self.api_links.is_empty() {
            None
        } else {
            self.api_links
                .binary_search_by_key(&product, |(p, _)| *p)
                .ok()
                .and_then(|at| self.api_links.get(at))
                .map(|(_, link)| link)
        };
        if let Some(api_link) = api_link {
            out.push_str(api_link);
            return true;
        }
        let start = out.len();
        out.push_str(&self.deep_link_start);
        let mut target = Encoded::new(out);
        let written = link.write_canonical(&mut target);
        target.finish();
        if !written {
            out.truncate(start);
        }
        written
    }

    /// Our affiliate link for a product link, if it is one.
    pub fn link_for(&self, link: &AliexpressLink<'_>) -> Option<String> {
        let mut out = String::new();
        self.write_link(link, &mut out).then_some(out)
    }
}

/// A sink that percent-encodes everything written into it as one URL component, so the
/// canonical URL is written once, by its own rule, straight into the deep link.
///
/// What `percent_encoding::utf8_percent_encode` writes with that set, built in a buffer on the
/// stack and appended when it fills and at [`Encoded::finish`]: its per-piece iterator, or a
/// `push` per byte, cost a third of a batch's time in the size-optimised WASM.
struct Encoded<'a> {
    out: &'a mut String,
    buffer: [u8; ENCODED_CAPACITY],
    len: usize,
}

/// Bytes an [`Encoded`] buffers: a canonical URL's escapes, in one go.
const ENCODED_CAPACITY: usize = 192;

impl<'a> Encoded<'a> {
    fn new(out: &'a mut String) -> Self {
        Self {
            out,
            buffer: [0; ENCODED_CAPACITY],
            len: 0,
        }
    }

    /// Appends what is buffered to the output.
    fn flush(&mut self) {
        let encoded = self.buffer.get(..self.len).unwrap_or_default();
        // Only ASCII is ever buffered, so this never fails.
        self.out
            .push_str(std::str::from_utf8(encoded).unwrap_or_default());
        self.len = 0;
    }

    fn finish(mut self) {
        self.flush();
    }
}

impl fmt::Write for Encoded<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let hex = |nibble: u8| HEX.get(usize::from(nibble & 0xF)).copied().unwrap_or(b'0');
        for &byte in s.as_bytes() {
            // Room for one escape.
            if self.len + 3 > ENCODED_CAPACITY {
                self.flush();
            }
            let Some([first, second, third]) = self.buffer.get_mut(self.len..self.len + 3) else {
                break;
            };
            if is_unreserved(byte) {
                *first = byte;
                self.len += 1;
            } else {
                *first = b'%';
                *second = hex(byte >> 4);
                *third = hex(byte);
                self.len += 3;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

    /// The set [`is_unreserved`] leaves alone, as `percent_encoding` writes it.
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');

    fn links() -> AffiliateLinks {
        AffiliateLinks::new(AffiliateKey::parse("_dKey01").expect("valid key"))
    }

    fn product(href: &str) -> AliexpressLink<'_> {
        match classify(href) {
            crate::Link::Aliexpress(link) => link,
            crate::Link::Elsewhere => unreachable!("test input is AliExpress"),
        }
    }

    #[test]
    fn keys() {
        assert!(AffiliateKey::parse("_dKey01").is_ok());
        assert_eq!(
            AffiliateKey::parse(" abc ").map(|k| k.0),
            Ok("abc".to_owned())
        );
        assert!(AffiliateKey::parse("").is_err());
        assert!(AffiliateKey::parse("a&b=c").is_err());
        assert!(AffiliateKey::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn deep_link() {
        let link = product(
            "https://pt.aliexpress.com/item/slug/1005001234567890.html?spm=x&sku_id=12000031234567",
        );
        assert_eq!(
            links().link_for(&link).as_deref(),
            Some("https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey01&dl_target_url=https%3A%2F%2Fpt.aliexpress.com%2Fitem%2F1005001234567890.html%3Fsku_id%3D12000031234567")
        );
        assert_eq!(
            links().link_for(&product("https://www.aliexpress.com/store/1234")),
            None
        );
    }

    #[test]
    fn encoding_is_percent_encodings() {
        use std::fmt::Write as _;
        for text in [
            "",
            "https://www.aliexpress.com/item/1.html?sku_id=2",
            "a-b_c.d~e f+g%h&i=j",
            "ünï€😀/x",
            "\u{0}\u{7f}\u{80}",
        ] {
            let mut out = String::new();
            let mut encoded = Encoded::new(&mut out);
            let _ = encoded.write_str(text);
            encoded.finish();
            let want: String = percent_encoding::utf8_percent_encode(text, COMPONENT).collect();
            assert_eq!(out, want, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn encodes_any_text_as_percent_encoding_does(text in "\\PC{0,24}|[ -~]{0,24}") {
            use std::fmt::Write as _;
            let mut out = String::new();
            let mut encoded = Encoded::new(&mut out);
            let _ = encoded.write_str(&text);
            encoded.finish();
            let want: String = percent_encoding::utf8_percent_encode(&text, COMPONENT).collect();
            proptest::prop_assert_eq!(out, want);
        }
    }

    #[test]
    fn api_links_take_precedence() {
        let mut links = links();
        let id = ProductId::parse("1005001234567890").expect("id");
        assert!(links
            .remember_api_link(id, "https://evil.example/e/_x")
            .is_err());
        assert!(links
            .remember_api_link(id, "http://s.click.aliexpress.com/e/_x")
            .is_err());
        assert!(links
            .remember_api_link(id, "https://s.click.aliexpress.com/e/_DdPRrAP")
            .is_ok());
        let link = product("https://www.aliexpress.com/item/1005001234567890.html");
        assert_eq!(
            links.link_for(&link).as_deref(),
            Some("https://s.click.aliexpress.com/e/_DdPRrAP")
        );
    }
}
