//! The shopper's own AliExpress pages: cart, checkout, sign-in, account, orders, messages and
//! wish list. No link into them is ever rewritten, whatever products it names: "Buy now" is a
//! link to the checkout with `productIds=...`, and a tag there would take the shopper out of
//! their order.

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

/// Whether the page at `host` (lower-case) and `path` is one of the shopper's own.
pub(crate) fn is_personal(host: &str, path: &str) -> bool {
    let first_label = host.split('.').next().unwrap_or_default();
    if PERSONAL_HOSTS.contains(&first_label) {
        return true;
    }
    let mut segments = path.strip_prefix('/').unwrap_or(path).split('/');
    let first = segments.next().unwrap_or_default();
    if first == "p" {
        let second = segments.next().unwrap_or_default();
        return PERSONAL_P_SEGMENTS.contains(&segment_name(second));
    }
    PERSONAL_SEGMENTS.contains(&segment_name(first))
}

/// A segment without a page suffix: `/cart.html` is the cart as `/cart` is.
fn segment_name(segment: &str) -> &str {
    segment.split_once('.').map_or(segment, |(name, _)| name)
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
