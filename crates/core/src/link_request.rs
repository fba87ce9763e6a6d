//! A request for our links (the companion server's `POST /v1/links`): which URLs get a link at
//! all and why the others do not, which of them a link from the affiliate API can stand for
//! and the URL the API is asked about for it, the deep link that stands otherwise, and the
//! limits of one request. The server asks this for every URL, and the extension asks it which
//! page of a tab to ask about, so the two never disagree on what qualifies.

use std::fmt;

use crate::affiliate::{api_link_product, AffiliateLinks};
use crate::link::{classify, ProductId};
use crate::policy::{decide_into, LeaveReason, TabPolicy};

/// The most URLs one request asks about: what one `aliexpress.affiliate.link.generate` call
/// takes, so every product of a request that is not cached costs one call.
pub const MAX_URLS: usize = 50;

/// The longest URL read, in bytes: product and campaign pages are far shorter, and a longer
/// one is not looked at.
pub const MAX_URL_BYTES: usize = 2_048;

/// Where a link of the server's answer came from: the names the answer gives, which the
/// extension reads (the contract hands it [`LinkSource::api_made_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSource {
    /// The affiliate API made it for this request.
    Api,
    /// The affiliate API made it earlier, and the cache kept it.
    Cache,
    /// Our deep link (the API is off or failed, or no API link can stand for the page).
    DeepLink,
}

impl LinkSource {
    /// Every source.
    pub const ALL: [Self; 3] = [Self::Api, Self::Cache, Self::DeepLink];

    /// The name the answer gives: `api`, `cache` or `deep_link`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Cache => "cache",
            Self::DeepLink => "deep_link",
        }
    }

    /// Whether the affiliate API made the link (so it may stand in for our deep link).
    pub fn api_made(self) -> bool {
        matches!(self, Self::Api | Self::Cache)
    }

    /// The names of the sources whose links the affiliate API made.
    pub fn api_made_names() -> impl Iterator<Item = &'static str> {
        Self::ALL
            .into_iter()
            .filter(|source| source.api_made())
            .map(Self::as_str)
    }
}

/// Why a URL of a request gets no link of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Longer than [`MAX_URL_BYTES`].
    TooLong,
    /// Not a page we tag, as the link rules decide for a link on a page
    /// ([`LeaveReason`]: `not_aliexpress`, `attributed`, `personal_page`, `not_product`).
    NotTagged(LeaveReason),
}

impl LinkRefusal {
    /// The reason code the answer gives: `url_too_long`, or the link rules' reason.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooLong => "url_too_long",
            Self::NotTagged(reason) => reason.as_str(),
        }
    }

    /// Every code a refusal can have, for the answer's documentation.
    pub const CODES: &'static [&'static str] = &[
        "url_too_long",
        "not_aliexpress",
        "attributed",
        "personal_page",
        "not_product",
    ];
}

impl fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => write!(f, "the URL is longer than {MAX_URL_BYTES} bytes"),
            Self::NotTagged(reason) => write!(f, "not a page we tag ({})", reason.as_str()),
        }
    }
}

/// The product an API link is asked for, and the URL the API is asked about for it: the
/// product's canonical page (tracking dropped), never the URL as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiLinkTarget {
    /// The product.
    pub product: ProductId,
    /// `https://<host>/item/<id>.html`: what `source_values` carries.
    pub url: String,
}

/// What a URL of a request gets: our link as the rules write it, and the product an API link
/// may stand in for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkAsked {
    /// Our link for the page as `links` writes it: the deep link, unless `links` remembers an
    /// API link for the product (the server's remember none: it answers API links itself). The
    /// answer whenever no API link is at hand.
    pub link: String,
    /// The product, when an API link can stand for the page (a product page naming no
    /// variant); `None` for pages about products and pages naming a variant, which keep the
    /// deep link.
    pub api: Option<ApiLinkTarget>,
}

/// What one URL of a request gets, by the same rules as a link on a page the shopper activated
/// deals on: a URL that is not an AliExpress page we tag, or carries someone's attribution, is
/// refused with the reason.
pub fn read_url(url: &str, links: &AffiliateLinks) -> Result<LinkAsked, LinkRefusal> {
    if url.len() > MAX_URL_BYTES {
        return Err(LinkRefusal::TooLong);
    }
    let link = classify(url);
    let mut ours = String::new();
    decide_into(&link, &TabPolicy::REWRITE, links, &mut ours).map_err(LinkRefusal::NotTagged)?;
    let api = link.aliexpress().and_then(|page| {
        let product = api_link_product(page)?;
        Some(ApiLinkTarget {
            product,
            url: page.canonical()?,
        })
    });
    Ok(LinkAsked { link: ours, api })
}

/// The product a `source_value` of the API's answer names (the URL it was asked about), read
/// back by the same rules: `None` for one that names no product an API link stands for.
pub fn answered_product(source_value: &str) -> Option<ProductId> {
    api_link_product(classify(source_value).aliexpress()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliate::AffiliateKey;

    fn links() -> AffiliateLinks {
        AffiliateLinks::new(AffiliateKey::parse("_dKey01").expect("key"))
    }

    fn read(url: &str) -> Result<LinkAsked, &'static str> {
        read_url(url, &links()).map_err(LinkRefusal::as_str)
    }

    #[test]
    fn a_product_page_gets_its_canonical_page_asked_and_the_deep_link() {
        let asked =
            read("https://pt.aliexpress.com/item/slug/1005001234567890.html?spm=a.b&pvid=9")
                .expect("a product page");
        let target = asked.api.expect("an API link can stand for it");
        assert_eq!(target.product.as_str(), "1005001234567890");
        assert_eq!(
            target.url, "https://pt.aliexpress.com/item/1005001234567890.html",
            "tracking dropped"
        );
        assert_eq!(
            asked.link,
            "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=_dKey01&dl_target_url=https%3A%2F%2Fpt.aliexpress.com%2Fitem%2F1005001234567890.html"
        );
        assert_eq!(answered_product(&target.url), Some(target.product));
    }

    #[test]
    fn a_variant_or_a_page_about_products_keeps_the_deep_link() {
        let variant =
            read("https://www.aliexpress.com/item/1005001234567890.html?sku_id=12000031234567")
                .expect("a product page");
        assert_eq!(variant.api, None, "an API link would lose the variant");
        assert!(variant.link.contains("sku_id%3D12000031234567"));
        let about =
            read("https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890")
                .expect("a page about products");
        assert_eq!(about.api, None);
        assert!(about.link.contains("sale_page.htm"));
        assert_eq!(
            answered_product(
                "https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890"
            ),
            None
        );
    }

    #[test]
    fn other_urls_are_refused_with_the_link_rules_reason() {
        for (url, reason) in [
            (
                "https://example.com/item/1005001234567890.html",
                "not_aliexpress",
            ),
            ("not a url", "not_aliexpress"),
            ("", "not_aliexpress"),
            ("https://www.aliexpress.com/store/912345", "not_product"),
            (
                "https://www.aliexpress.com/wholesale?SearchText=lamp",
                "not_product",
            ),
            (
                "https://www.aliexpress.com/p/shoppingcart/index.html",
                "personal_page",
            ),
            (
                "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=1",
                "attributed",
            ),
            ("https://s.click.aliexpress.com/e/_DdPRrAP", "attributed"),
        ] {
            assert_eq!(read(url).err(), Some(reason), "{url}");
        }
        let long = format!(
            "https://www.aliexpress.com/item/1005001234567890.html?x={}",
            "a".repeat(MAX_URL_BYTES)
        );
        assert_eq!(read(&long).err(), Some("url_too_long"));
        for refusal in [
            LinkRefusal::TooLong,
            LinkRefusal::NotTagged(LeaveReason::NotAliexpress),
            LinkRefusal::NotTagged(LeaveReason::Attributed),
            LinkRefusal::NotTagged(LeaveReason::PersonalPage),
            LinkRefusal::NotTagged(LeaveReason::NotProduct),
        ] {
            assert!(LinkRefusal::CODES.contains(&refusal.as_str()), "{refusal}");
        }
    }

    #[test]
    fn links_that_remember_an_api_link_write_it() {
        let mut links = links();
        let id = ProductId::parse("1005001234567890").expect("id");
        links
            .remember_api_link(id, "https://s.click.aliexpress.com/e/_DdPRrAP")
            .expect("an API link");
        let asked = read_url(
            "https://www.aliexpress.com/item/1005001234567890.html",
            &links,
        )
        .expect("a product page");
        assert_eq!(asked.link, "https://s.click.aliexpress.com/e/_DdPRrAP");
    }
}
