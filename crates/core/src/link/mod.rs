//! What a URL found on a page is: AliExpress or not, its kind (product, store, search, an
//! affiliate or short link), its product id, whether it already carries someone's affiliate
//! attribution, and the page a deep link of ours would lead to.
//!
//! Which AliExpress pages get our attribution at all ([`Tagging`]):
//! - **product pages** (`/item/<id>.html` and the other paths that name one product): the deep
//!   link leads to the product's canonical URL, `https://<host>/item/<id>.html`, with the
//!   variant the link named kept by one rule on every host (`?sku_id=`, see `link/variant.rs`) and
//!   every tracking parameter dropped;
//! - **pages about products** that are not product pages: a campaign
//!   (`sale.aliexpress.com/__pc/sale_page.htm?productIds=...`), bundle
//!   (`/ssr/.../BundleDeals2?productIds=...`) or coin page (`/gcp/...?productId=...`) that names
//!   products in its query. The deep link leads to the page itself (same host, path, fragment
//!   and query) with only the tracking parameters of `link/tracking.rs` dropped: an affiliate
//!   deep link can carry any AliExpress page as its target, so a rewrite adds attribution and
//!   changes nothing the shopper sees.
//!
//! Never tagged: the shopper's own pages (cart, checkout, sign-in, account, orders, messages;
//! `link/personal.rs`), whatever products they name (`/p/trade/confirm.html?productIds=...` is "Buy
//! now", not a product page); and, as before, stores, searches, affiliate redirects and every
//! other page. A store or search page is not a choice of something to buy, so a tag on it
//! would be a tag without the related action and benefit the Chrome Web Store asks for.

mod attribution;
pub mod host;
#[cfg(test)]
pub(crate) mod hrefs;
pub(crate) mod parts;
pub(crate) mod personal;
mod product;
mod resolve;
pub(crate) mod tracking;
pub(crate) mod variant;

use std::borrow::Cow;

use crate::codec::percent;

pub use host::is_aliexpress_host;
pub use product::{same_product, ProductId, US_ID_OFFSET};
pub use resolve::{resolve, BaseUrl};

/// The kind of an AliExpress link, in the order the rules test them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `s.click.aliexpress.com`: an affiliate redirect.
    Affiliate,
    /// `a.aliexpress.com`: a short link shared from the app.
    Short,
    /// A product page: its path names the product.
    Product,
    /// A store's pages.
    Store,
    /// A search result page.
    Search,
    /// Any other AliExpress page (among them the pages about products and the shopper's own
    /// pages, which [`AliexpressLink::tagging`] tells apart).
    Other,
}

impl LinkKind {
    /// The name used in JSON and in the extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Affiliate => "affiliate",
            Self::Short => "short",
            Self::Product => "product",
            Self::Store => "store",
            Self::Search => "search",
            Self::Other => "other",
        }
    }
}

/// Whether a link may carry our attribution, and where our deep link then leads (see the
/// module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    /// A product page: the deep link leads to its canonical URL.
    ProductPage,
    /// A page about products that is not a product page: the deep link leads to the page
    /// itself, tracking parameters dropped.
    AboutProducts,
    /// One of the shopper's own pages (cart, checkout, sign-in, account, orders, messages):
    /// never tagged.
    Personal,
    /// Stores, searches, redirects and every other page: left as they are.
    Untagged,
}

impl Tagging {
    /// The name the command line prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductPage => "product_page",
            Self::AboutProducts => "about_products",
            Self::Personal => "personal",
            Self::Untagged => "untagged",
        }
    }
}

/// A classified link. Only AliExpress links have a kind, product id and attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link<'a> {
    /// Not an http(s) URL of an AliExpress host (or not a URL at all).
    Elsewhere,
    /// An AliExpress link.
    Aliexpress(AliexpressLink<'a>),
}

/// An AliExpress link and what the rules read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliexpressLink<'a> {
    /// What page it leads to.
    pub kind: LinkKind,
    /// The product id, for product pages.
    pub product_id: Option<ProductId>,
    /// Whether it already carries someone's affiliate attribution.
    pub attributed: bool,
    /// Host, path, query and fragment as a WHATWG parser serialises them.
    parts: parts::Parts<'a>,
    /// The variant `sku_id` (or `skuId`) names; `pdp_ext_f`'s is read only when it is needed.
    variant: Option<ProductId>,
    /// Where the first `pdp_ext_f` value lies in the query, if there is one.
    extension: Option<std::ops::Range<usize>>,
    /// Worked out once as the link is classified: every decision asks for it.
    tagging: Tagging,
}

impl Link<'_> {
    /// The AliExpress link, if it is one.
    pub fn aliexpress(&self) -> Option<&AliexpressLink<'_>> {
        match self {
            Self::Elsewhere => None,
            Self::Aliexpress(link) => Some(link),
        }
    }
}

impl AliexpressLink<'_> {
    /// The host, lower-case, without a trailing dot.
    pub fn host(&self) -> &str {
        &self.parts.host
    }

    /// The path, starting with `/`.
    pub fn path(&self) -> &str {
        &self.parts.path
    }

    /// The query without its `?`, as serialised, if there is one.
    pub fn query(&self) -> Option<&str> {
        self.parts.query.as_deref()
    }

    /// Whether this page may carry our attribution, and where our deep link leads.
    pub fn tagging(&self) -> Tagging {
        self.tagging
    }

    /// The variant of the product the link names, by the one rule of `link/variant.rs`; `None` for
    /// links that are not product pages.
    pub fn variant(&self) -> Option<ProductId> {
        if self.kind != LinkKind::Product {
            return None;
        }
        self.variant.or_else(|| {
            let extension = self.query()?.get(self.extension.clone()?)?;
            variant::in_extension(extension)
        })
    }

    /// The page our deep link leads to (see [`Tagging`]): the canonical product URL for a
    /// product page, the page without its tracking parameters for a page about products;
    /// `None` for links that are not tagged.
    pub fn canonical(&self) -> Option<String> {
        let mut out = String::new();
        self.write_canonical(&mut out).then_some(out)
    }

    /// Writes [`AliexpressLink::canonical`] into `out` (a `String`, or an encoder); false,
    /// with nothing written, if the link is not tagged.
    pub fn write_canonical(&self, out: &mut impl std::fmt::Write) -> bool {
        match self.tagging() {
            Tagging::ProductPage => self.write_product_page(out),
            Tagging::AboutProducts => self.write_page_itself(out),
            Tagging::Personal | Tagging::Untagged => false,
        }
    }

    /// `https://<host>/item/<id>.html`, with `?sku_id=` when the link named a variant.
    fn write_product_page(&self, out: &mut impl std::fmt::Write) -> bool {
        let Some(id) = self.product_id else {
            return false;
        };
        let variant = self.variant();
        let (sku_prefix, sku) = match &variant {
            Some(sku) => ("?sku_id=", sku.as_str()),
            None => ("", ""),
        };
        let pieces = [
            "https://",
            self.host(),
            "/item/",
            id.as_str(),
            ".html",
            sku_prefix,
            sku,
        ];
        // Writing into a String or our encoder never fails.
        pieces.iter().all(|piece| out.write_str(piece).is_ok())
    }

    /// `https://<host><path>?<query without tracking>#<fragment>`: the page itself, each kept
    /// parameter as it was written.
    fn write_page_itself(&self, out: &mut impl std::fmt::Write) -> bool {
        let mut ok = ["https://", self.host(), self.path()]
            .iter()
            .all(|piece| out.write_str(piece).is_ok());
        let mut first = true;
        for pair in split_ascii(self.query().unwrap_or(""), b'&') {
            if pair.is_empty() || tracking::is_tracking(pair) {
                continue;
            }
            ok &= out.write_str(if first { "?" } else { "&" }).is_ok();
            ok &= out.write_str(pair).is_ok();
            first = false;
        }
        if let Some(fragment) = &self.parts.fragment {
            ok &= out.write_str("#").is_ok() && out.write_str(fragment).is_ok();
        }
        ok
    }
}

/// Classifies any string a page may hold in an `href`, resolved to an absolute URL first.
pub fn classify(href: &str) -> Link<'_> {
    let Some(parts) = parts::parts(href) else {
        return Link::Elsewhere;
    };
    if !is_aliexpress_host(&parts.host) {
        return Link::Elsewhere;
    }
    let query = read_query(parts.query.as_deref().unwrap_or(""));
    let host_kind = match &*parts.host {
        host::AFFILIATE_HOST => Some(LinkKind::Affiliate),
        host::SHORT_LINK_HOST => Some(LinkKind::Short),
        _ => None,
    };
    let product_id = product::product_id_in_path(&parts.path);
    let kind = host_kind.unwrap_or_else(|| {
        if product_id.is_some() {
            LinkKind::Product
        } else if is_store_path(&parts.path) {
            LinkKind::Store
        } else if query.search_text || is_search_path(&parts.path) {
            LinkKind::Search
        } else {
            LinkKind::Other
        }
    });
    let tagging = tagging_of(kind, &parts, query.names_products);
    Link::Aliexpress(AliexpressLink {
        kind,
        product_id: (kind == LinkKind::Product).then_some(product_id).flatten(),
        attributed: host_kind.is_some() || query.attributed,
        variant: query.variant,
        extension: query.extension,
        tagging,
        parts,
    })
}

/// Whether a page may carry our attribution (see [`Tagging`]); `names_products`: its query
/// names products (`productId`, `productIds`).
fn tagging_of(kind: LinkKind, parts: &parts::Parts<'_>, names_products: bool) -> Tagging {
    match kind {
        // Its path names a product: never one of the shopper's own pages.
        LinkKind::Product => Tagging::ProductPage,
        LinkKind::Affiliate | LinkKind::Short => Tagging::Untagged,
        LinkKind::Store | LinkKind::Search | LinkKind::Other
            if personal::is_personal(&parts.host, &parts.path) =>
        {
            Tagging::Personal
        }
        LinkKind::Other if names_products => Tagging::AboutProducts,
        LinkKind::Store | LinkKind::Search | LinkKind::Other => Tagging::Untagged,
    }
}

/// What the query says, read in one pass.
#[derive(Default)]
struct QueryFacts {
    /// Whether `productId` or `productIds` names a product.
    names_products: bool,
    variant: Option<ProductId>,
    /// Where the first `pdp_ext_f` value lies in the query.
    extension: Option<std::ops::Range<usize>>,
    search_text: bool,
    attributed: bool,
}

fn read_query(query: &str) -> QueryFacts {
    let mut facts = QueryFacts::default();
    for pair in split_ascii(query, b'&') {
        let (raw_key, raw_value) = split_once_ascii(pair, b'=').unwrap_or((pair, ""));
        if raw_key.is_empty() {
            continue;
        }
        // Values are decoded only for the few keys whose value matters: most of a query is
        // tracking noise that would cost an allocation each to decode.
        let key = form_decoded(raw_key);
        // Keys are compared without case, as bytes lower-cased once: no key that matters is
        // longer than the buffer, so a longer one is tracking noise.
        let mut buffer = [0u8; 16];
        let Some(lower) = buffer.get_mut(..key.len()) else {
            continue;
        };
        lower.copy_from_slice(key.as_bytes());
        lower.make_ascii_lowercase();
        match &*lower {
            b"productid" | b"productids" => {
                facts.names_products = facts.names_products
                    || product::product_id_in_query_value(&form_decoded(raw_value)).is_some();
            }
            lower if variant::is_variant_key(lower) => {
                facts.variant = facts
                    .variant
                    .or_else(|| ProductId::parse(&form_decoded(raw_value)));
            }
            b"pdp_ext_f" if facts.extension.is_none() => {
                // Its offset in the query, found from where the value's slice starts.
                let start = raw_value.as_ptr() as usize - query.as_ptr() as usize;
                facts.extension = Some(start..start + raw_value.len());
            }
            b"searchtext" => facts.search_text = true,
            lower if !facts.attributed && attribution::is_marker_key(lower) => {
                facts.attributed = attribution::is_marker(lower, &form_decoded(raw_value));
            }
            _ => {}
        }
    }
    facts
}

/// One `application/x-www-form-urlencoded` name or value decoded (`+` is a space, `%XX` a byte),
/// borrowed when there is nothing to decode, as it almost always is.
pub(crate) fn form_decoded(raw: &str) -> Cow<'_, str> {
    if !raw.as_bytes().iter().any(|b| *b == b'%' || *b == b'+') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(String::from_utf8_lossy(&percent::decoded(raw, true)).into_owned())
}

/// `text` split at every `sep` (an ASCII byte), as `text.split(char::from(sep))` splits it.
///
/// Why not `str::split`: in the size-optimised WASM its generic searcher is not inlined, and
/// on the short strings of a link it cost more than a plain scan of the bytes.
pub(crate) fn split_ascii(text: &str, sep: u8) -> SplitAscii<'_> {
    SplitAscii {
        rest: Some(text),
        sep,
    }
}

/// The pieces of [`split_ascii`].
pub(crate) struct SplitAscii<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitAscii<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once_ascii(rest, self.sep) {
            Some((piece, after)) => {
                self.rest = Some(after);
                Some(piece)
            }
            None => self.rest.take(),
        }
    }
}

/// `text` around its first `sep` (an ASCII byte, so both sides are whole characters).
pub(crate) fn split_once_ascii(text: &str, sep: u8) -> Option<(&str, &str)> {
    let at = text.as_bytes().iter().position(|b| *b == sep)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `/store/<digits>...`: a store's home or one of its pages.
fn is_store_path(path: &str) -> bool {
    path.strip_prefix("/store/")
        .and_then(|rest| rest.as_bytes().first())
        .is_some_and(|b| b.is_ascii_digit())
}

/// `/wholesale...` or `/w/wholesale-...`: search results.
fn is_search_path(path: &str) -> bool {
    path.starts_with("/wholesale") || path.starts_with("/w/wholesale-")
}

/// Query parameters of a URL, decoded, for rules outside this module (stand-down reads the
/// landing's).
pub(crate) fn query_pairs(href: &str) -> Vec<(String, String)> {
    let Some(query) = parts::parts(href).and_then(|p| p.query) else {
        return Vec::new();
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                form_decoded(key).into_owned(),
                form_decoded(value).into_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
