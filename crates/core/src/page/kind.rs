//! What kind of AliExpress page the shopper is on, from its URL: the link rules name product and
//! store pages, and the cart and checkout among the shopper's own pages (`link::personal`).

use crate::link::personal::{own_page, OwnPage};
use crate::link::{classify, parts::parts, LinkKind};

/// The kinds of page the popup has something to say about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// One product: a cart of one line.
    Product,
    /// The shopping cart, lines grouped by store.
    Cart,
    /// Placing the order: its lines, and where a promo code is typed.
    Checkout,
    /// A store's pages.
    Store,
    /// Any other AliExpress page.
    Other,
}

impl PageKind {
    /// Its name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::Cart => "cart",
            Self::Checkout => "checkout",
            Self::Store => "store",
            Self::Other => "other",
        }
    }
}

/// The kind a URL says, or `None` when it is not an AliExpress page at all.
pub(crate) fn kind_of_url(url: &str) -> Option<PageKind> {
    let link = classify(url);
    let kind = match link.aliexpress()?.kind {
        LinkKind::Product => PageKind::Product,
        LinkKind::Store => PageKind::Store,
        LinkKind::Affiliate | LinkKind::Short | LinkKind::Search | LinkKind::Other => {
            let parts = parts(url)?;
            match own_page(&parts.host, &parts.path) {
                Some(OwnPage::Checkout) => PageKind::Checkout,
                Some(OwnPage::Cart) => PageKind::Cart,
                Some(OwnPage::Other) | None => PageKind::Other,
            }
        }
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        for (url, want) in [
            (
                "https://www.aliexpress.com/item/1005001234567890.html",
                Some(PageKind::Product),
            ),
            (
                "https://aliexpress.ru/item/1005001234567890.html?sku_id=1",
                Some(PageKind::Product),
            ),
            (
                "https://www.aliexpress.com/store/912345",
                Some(PageKind::Store),
            ),
            (
                "https://www.aliexpress.com/p/shoppingcart/index.html",
                Some(PageKind::Cart),
            ),
            (
                "https://shoppingcart.aliexpress.com/shopcart/shopcartDetail.htm",
                Some(PageKind::Cart),
            ),
            ("https://aliexpress.ru/cart", Some(PageKind::Cart)),
            (
                "https://www.aliexpress.com/p/trade/confirm.html?objectId=1&from=aliexpress",
                Some(PageKind::Checkout),
            ),
            (
                "https://shoppingcart.aliexpress.com/order/confirm_order.htm",
                Some(PageKind::Checkout),
            ),
            ("https://aliexpress.ru/checkout", Some(PageKind::Checkout)),
            ("https://www.aliexpress.com/", Some(PageKind::Other)),
            (
                "https://www.aliexpress.com/w/wholesale-earbuds.html",
                Some(PageKind::Other),
            ),
            ("https://www.aliexpress.com/cartoon", Some(PageKind::Other)),
            ("https://evil.example/p/shoppingcart/index.html", None),
            ("not a url", None),
        ] {
            assert_eq!(kind_of_url(url), want, "{url}");
        }
    }
}
