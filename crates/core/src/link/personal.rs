//! The shopper's own AliExpress pages: cart, checkout, sign-in, account, orders, messages and
//! wish list. No link into them is ever rewritten, whatever products it names: "Buy now" is a
//! link to the checkout with `productIds=...`, and a tag there would take the shopper out of
//! their order. The cart and the checkout among them are what the page rules read coupons from
//! (`page::kind`), so they are told apart here, once.

/// Subdomains (the first label of an AliExpress host) that serve only such pages.
const PERSONAL_HOSTS: [&str; 9] = [
    "login",
    "passport",
    "accounts",
    "home",
    "my",
    "trade",
    "shoppingcart",
    "msg",
    "message",
];

/// The first path segment of such pages on the main sites (`/p/<segment>/...`).
const PERSONAL_P_SEGMENTS: [&str; 7] = [
    "shoppingcart",
    "trade",
    "order",
    "wish-manage",
    "message",
    "login",
    "usercenter",
];

/// The first path segment of such pages on aliexpress.ru and other sites that root them.
const PERSONAL_SEGMENTS: [&str; 8] = [
    "cart",
    "checkout",
    "order-list",
    "orders",
    "account",
    "login",
    "messages",
    "wishlist",
];

/// Which of the shopper's own pages a page is, where it matters to the coupon rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnPage {
    /// The shopping cart: `/p/shoppingcart/...` on the main sites, the older `shoppingcart.`
    /// host's `/shopcart/...`, and aliexpress.ru's `/cart`.
    Cart,
    /// Placing the order: `/p/trade/confirm...` on the main sites, the older `shoppingcart.`
    /// host's `/order/confirm_order...`, and aliexpress.ru's `/checkout`.
    Checkout,
    /// Any other of the shopper's own pages (sign-in, account, orders, messages, wish list).
    Other,
}

/// Which of the shopper's own pages the page at `host` (lower-case) and `path` is, if it is one.
pub(crate) fn own_page(host: &str, path: &str) -> Option<OwnPage> {
    if !is_personal(host, path) {
        return None;
    }
    let old_cart_host = host.starts_with("shoppingcart.");
    let page = if path.starts_with("/p/trade/confirm")
        || (old_cart_host && path.starts_with("/order/confirm_order"))
        || path == "/checkout"
        || path.starts_with("/checkout/")
    {
        OwnPage::Checkout
    } else if path.starts_with("/p/shoppingcart/")
        || path == "/p/shoppingcart"
        || (old_cart_host && path.starts_with("/shopcart/"))
        || path == "/cart"
        || path.starts_with("/cart/")
    {
        OwnPage::Cart
    } else {
        OwnPage::Other
    };
    Some(page)
}

/// Whether the page at `host` (lower-case) and `path` is one of the shopper's own.
///
/// Asked of every AliExpress link that is not a product page, so it scans bytes rather than
/// splitting (the generic splitters cost most of its time).
pub(crate) fn is_personal(host: &str, path: &str) -> bool {
    if is_one_of(before(host, b'.'), &PERSONAL_HOSTS) {
        return true;
    }
    let path = path.strip_prefix('/').unwrap_or(path);
    let first = before(path, b'/');
    if first == "p" {
        let second = before(path.get(2..).unwrap_or_default(), b'/');
        return is_one_of(before(second, b'.'), &PERSONAL_P_SEGMENTS);
    }
    // A segment with a page suffix, `/cart.html`, is the page `/cart` is.
    is_one_of(before(first, b'.'), &PERSONAL_SEGMENTS)
}

/// `text` up to its first `sep` (an ASCII byte), or all of it.
fn before(text: &str, sep: u8) -> &str {
    match text.bytes().position(|b| b == sep) {
        Some(at) => text.get(..at).unwrap_or(text),
        None => text,
    }
}

/// Whether `name` is one of `names`, lengths compared first.
fn is_one_of(name: &str, names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| n.len() == name.len() && n.as_bytes() == name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shoppers_own_pages() {
        for (host, path) in [
            ("www.aliexpress.com", "/p/shoppingcart/index.html"),
            ("www.aliexpress.com", "/p/trade/confirm.html"),
            ("www.aliexpress.com", "/p/order/index.html"),
            ("www.aliexpress.com", "/p/order/detail.html"),
            ("www.aliexpress.com", "/p/wish-manage/index.html"),
            (
                "shoppingcart.aliexpress.com",
                "/shopcart/shopcartDetail.htm",
            ),
            ("shoppingcart.aliexpress.com", "/order/confirm_order.htm"),
            ("login.aliexpress.com", "/"),
            ("login.aliexpress.ru", "/"),
            ("passport.aliexpress.com", "/ac/pc_r_open.htm"),
            ("trade.aliexpress.com", "/orderList.htm"),
            ("home.aliexpress.com", "/index.htm"),
            ("my.aliexpress.com", "/wishlist/wish_list_product_list.htm"),
            ("msg.aliexpress.com", "/"),
            ("aliexpress.ru", "/cart"),
            ("aliexpress.ru", "/checkout"),
            ("aliexpress.ru", "/order-list/5550677229097566"),
            ("aliexpress.ru", "/cart.html"),
        ] {
            assert!(is_personal(host, path), "{host}{path}");
        }
        for (host, path) in [
            ("www.aliexpress.com", "/"),
            ("www.aliexpress.com", "/item/1005001234567890.html"),
            ("sale.aliexpress.com", "/__pc/sale_page.htm"),
            ("www.aliexpress.com", "/gcp/300000444/choice"),
            ("www.aliexpress.com", "/ssr/300000512/BundleDeals2"),
            ("www.aliexpress.com", "/cartoon"),
            ("www.aliexpress.com", "/p/coin-pc-index/index.html"),
            ("www.aliexpress.com", "/p/"),
            ("homepage.aliexpress.com", "/"),
            ("www.aliexpress.com", "/store/912345"),
        ] {
            assert!(!is_personal(host, path), "{host}{path}");
        }
    }
}
