//! The publisher's affiliate key, and how an AliExpress link becomes our affiliate link: a link
//! the companion server got from the affiliate API when one is known, else a deep link that
//! leads to the page the link pointed at (see [`crate::link`] for which pages, and where).
//!
//! It also knows our attribution: the key deep links carry and the short keys of the links the
//! affiliate API made for us, which stand-down must tell from everyone else's.

use std::fmt;

use crate::codec::percent::Encoded;
use crate::link::{classify, host::AFFILIATE_HOST, AliexpressLink, LinkKind, ProductId, Tagging};
use crate::problem::Problem;

/// Longest key we accept; AliExpress tracking ids are far shorter.
const MAX_KEY_LEN: usize = 64;

/// The publisher's affiliate key (`aff_short_key`): 1 to 64 of `A-Z a-z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliateKey(String);

/// Why a string is not an affiliate key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidAffiliateKey {
    /// Nothing but white space.
    Empty,
    /// Longer than 64 characters.
    TooLong,
    /// A character other than `A-Z a-z 0-9 _ -`.
    BadCharacters,
}

impl InvalidAffiliateKey {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "affiliate_key_empty",
        "affiliate_key_too_long",
        "affiliate_key_bad_characters",
    ];
}

impl Problem for InvalidAffiliateKey {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "affiliate_key_empty",
            Self::TooLong => "affiliate_key_too_long",
            Self::BadCharacters => "affiliate_key_bad_characters",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::TooLong => vec![MAX_KEY_LEN.to_string()],
            Self::Empty | Self::BadCharacters => Vec::new(),
        }
    }
}

impl fmt::Display for InvalidAffiliateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "invalid affiliate key: it is empty",
            Self::TooLong => "invalid affiliate key: it is longer than 64 characters",
            Self::BadCharacters => {
                "invalid affiliate key: only letters, digits, '_' and '-' are allowed"
            }
        })
    }
}

impl std::error::Error for InvalidAffiliateKey {}

impl AffiliateKey {
    /// Validates a key from configuration or settings.
    pub fn parse(text: &str) -> Result<Self, InvalidAffiliateKey> {
        let text = text.trim();
        if text.is_empty() {
            return Err(InvalidAffiliateKey::Empty);
        }
        if text.len() > MAX_KEY_LEN {
            return Err(InvalidAffiliateKey::TooLong);
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(InvalidAffiliateKey::BadCharacters);
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

impl InvalidApiLink {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &["affiliate_api_link_invalid"];
}

impl Problem for InvalidApiLink {
    fn code(&self) -> &'static str {
        "affiliate_api_link_invalid"
    }
}

impl fmt::Display for InvalidApiLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an affiliate API link must be https://s.click.aliexpress.com/e/<short key>")
    }
}

impl std::error::Error for InvalidApiLink {}

/// How links become ours: API-generated links first, the deep link otherwise.
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

/// The short key of an affiliate API link, `https://s.click.aliexpress.com/e/<short key>`: what
/// its landing carries as `sk` and `aff_fsk`.
pub(crate) fn api_short_key<'l>(link: &'l AliexpressLink<'_>) -> Option<&'l str> {
    if link.kind != LinkKind::Affiliate {
        return None;
    }
    let key = link.path().strip_prefix("/e/")?;
    let shaped = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    shaped.then_some(key)
}

/// Whether `link` has the shape of a link the affiliate API makes,
/// `https://s.click.aliexpress.com/e/<short key>`: only such a link is ever taken from the API
/// (the companion server's answers, the extension's memory).
pub fn is_api_link(link: &str) -> bool {
    link.starts_with("https://")
        && classify(link)
            .aliexpress()
            .is_some_and(|l| l.host() == AFFILIATE_HOST && api_short_key(l).is_some())
}

/// The product an API link can stand for: a product page that names no variant. An API link
/// leads to the product as the API knows it, so a variant would be lost on the way; such a
/// page keeps the deep link, which carries it.
pub fn api_link_product(link: &AliexpressLink<'_>) -> Option<ProductId> {
    if link.tagging() != Tagging::ProductPage || link.variant().is_some() {
        return None;
    }
    link.product_id
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

    /// Remembers a link the affiliate API made for `product`
    /// (`https://s.click.aliexpress.com/e/<short key>`); it takes precedence over the deep link
    /// from then on, and its short key is ours.
    pub fn remember_api_link(
        &mut self,
        product: ProductId,
        link: &str,
    ) -> Result<(), InvalidApiLink> {
        if !is_api_link(link) {
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

    /// Whether an affiliate key or short key, as a landing or link names it, is ours: the key
    /// our deep links carry, or the short key of a link the affiliate API made for us.
    pub fn is_our_key(&self, key: &str) -> bool {
        key == self.key.as_str()
            || self.api_links.iter().any(|(_, link)| {
                classify(link)
                    .aliexpress()
                    .and_then(api_short_key)
                    .is_some_and(|short| short == key)
            })
    }

    /// Whether `href` is a link of ours: a deep link with our key, or an API link we remember.
    pub fn is_our_link(&self, href: &str) -> bool {
        if self.api_links.iter().any(|(_, link)| link == href) {
            return true;
        }
        href.strip_prefix(self.deep_link_start.as_str())
            .is_some_and(|target| !target.is_empty() && !target.contains(['&', '#']))
    }

    /// Appends our affiliate link for `link` to `out`; false (nothing written) if the link is
    /// not a page we tag.
    pub fn write_link(&self, link: &AliexpressLink<'_>, out: &mut String) -> bool {
        match link.tagging() {
            Tagging::ProductPage => {
                if let Some(api_link) = self.api_link(link) {
                    out.push_str(api_link);
                    return true;
                }
            }
            Tagging::AboutProducts => {}
            Tagging::Personal | Tagging::Untagged => return false,
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

    /// The API link for a product page, if one is known and it can stand for the page
    /// ([`api_link_product`]).
    fn api_link(&self, link: &AliexpressLink<'_>) -> Option<&str> {
        // Checked first so the common case (no API links yet) never searches.
        if self.api_links.is_empty() {
            return None;
        }
        let product = link.product_id?;
        let at = self
            .api_links
            .binary_search_by_key(&product, |(p, _)| *p)
            .ok()?;
        api_link_product(link)?;
        self.api_links.get(at).map(|(_, link)| link.as_str())
    }

    /// Our affiliate link for a link, if it is a page we tag.
    pub fn link_for(&self, link: &AliexpressLink<'_>) -> Option<String> {
        let mut out = String::new();
        self.write_link(link, &mut out).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(AffiliateKey::parse(" "), Err(InvalidAffiliateKey::Empty));
        assert_eq!(
            AffiliateKey::parse("a&b=c"),
            Err(InvalidAffiliateKey::BadCharacters)
        );
        assert_eq!(
            AffiliateKey::parse(&"a".repeat(65)),
            Err(InvalidAffiliateKey::TooLong)
        );
        for problem in [
            InvalidAffiliateKey::Empty,
            InvalidAffiliateKey::TooLong,
            InvalidAffiliateKey::BadCharacters,
        ] {
            assert!(InvalidAffiliateKey::CODES.contains(&problem.code()));
        }
        assert_eq!(InvalidAffiliateKey::TooLong.params(), ["64"]);
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
            .remember_api_link(
                id,
                "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=x"
            )
            .is_err());
        assert!(is_api_link("https://s.click.aliexpress.com/e/_DdPRrAP"));
        for not_api in [
            "https://s.click.aliexpress.com/e/",
            "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=x",
            "http://s.click.aliexpress.com/e/_DdPRrAP",
            "https://www.aliexpress.com/e/_DdPRrAP",
        ] {
            assert!(!is_api_link(not_api), "{not_api}");
        }
        assert!(!links.is_our_key("_DdPRrAP"));
        assert!(links
            .remember_api_link(id, "https://s.click.aliexpress.com/e/_DdPRrAP")
            .is_ok());
        let link = product("https://www.aliexpress.com/item/1005001234567890.html");
        assert_eq!(
            links.link_for(&link).as_deref(),
            Some("https://s.click.aliexpress.com/e/_DdPRrAP")
        );
        assert!(links.is_our_key("_DdPRrAP"));
        assert!(links.is_our_key("_dKey01"));
        assert!(!links.is_our_key("_Other"));
        assert!(links.is_our_link("https://s.click.aliexpress.com/e/_DdPRrAP"));
        // A variant would be lost through the API link: the deep link keeps it.
        let variant =
            product("https://www.aliexpress.com/item/1005001234567890.html?sku_id=12000031234567");
        assert!(links.link_for(&variant).is_some_and(|l| l
            .starts_with("https://s.click.aliexpress.com/deep_link.htm")
            && l.contains("sku_id")));
        // An API link is for a product page, never for a page about products.
        let about =
            product("https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890");
        assert!(links
            .link_for(&about)
            .is_some_and(|l| l.contains("sale_page.htm")));
    }

    #[test]
    fn our_links() {
        let links = links();
        let ours = links
            .link_for(&product(
                "https://www.aliexpress.com/item/1005001234567890.html",
            ))
            .unwrap_or_default();
        assert!(links.is_our_link(&ours));
        assert!(!links.is_our_link(
            "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey01&dl_target_url="
        ));
        assert!(!links.is_our_link(&ours.replace("_dKey01", "_dKey02")));
        assert!(!links.is_our_link(&format!("{ours}&aff_short_key=_other")));
        assert!(!links.is_our_link("https://www.aliexpress.com/item/1005001234567890.html"));
        assert_eq!(InvalidApiLink.code(), InvalidApiLink::CODES[0]);
    }
}
