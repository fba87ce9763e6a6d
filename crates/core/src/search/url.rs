//! The AliExpress search URL for a request, on the shopper's own AliExpress host when it is
//! known and is one (checked with the link rules), else on `www.aliexpress.com`.

use super::numbers::push_decimal;
use super::SearchRequest;
use crate::link::host::{is_aliexpress_host, AFFILIATE_HOST, SHORT_LINK_HOST};

/// Where a search goes when the shopper's host is unknown or not a shop host.
pub(super) const DEFAULT_HOST: &str = "www.aliexpress.com";

/// `https://HOST/wholesale?SearchText=…` with `minPrice` and `maxPrice` for the range the
/// answer carries (`(min, max)`, in the site's currency), and `isFreeShip=y`, `SortType` and
/// `shipFromCountry` for what the request asks.
pub(super) fn search_url(
    request: &SearchRequest,
    (min, max): (Option<f64>, Option<f64>),
    host: Option<&str>,
) -> String {
    let mut url = String::with_capacity(96 + request.keywords.len() * 3);
    url.push_str("https://");
    match host.and_then(shop_host) {
        Some(host) => url.push_str(&host),
        None => url.push_str(DEFAULT_HOST),
    }
    url.push_str("/wholesale?SearchText=");
    encode(&request.keywords, &mut url);
    if let Some(min) = min {
        url.push_str("&minPrice=");
        push_decimal(&mut url, min);
    }
    if let Some(max) = max {
        url.push_str("&maxPrice=");
        push_decimal(&mut url, max);
    }
    if request.free_shipping {
        url.push_str("&isFreeShip=y");
    }
    if let Some(sort) = request.sort {
        url.push_str("&SortType=");
        url.push_str(sort.sort_type());
    }
    if let Some(country) = request.ship_from {
        url.push_str("&shipFromCountry=");
        url.push_str(country.as_str());
    }
    url
}

/// `host` lower-cased if it is an AliExpress shop host: an AliExpress domain (the link rules'
/// [`is_aliexpress_host`]) or one short label under it (`es.`, `www.`, `m.`), plain ASCII, and
/// not the affiliate redirector or the short-link host, which have no search.
fn shop_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    let shop = is_registrable(&host)
        || host
            .split_once('.')
            .is_some_and(|(label, rest)| (1..=3).contains(&label.len()) && is_registrable(rest));
    (plain && shop && host != AFFILIATE_HOST && host != SHORT_LINK_HOST).then_some(host)
}

/// `aliexpress.com`, `aliexpress.us`, `aliexpress.ru`: an AliExpress domain with no subdomain.
fn is_registrable(host: &str) -> bool {
    is_aliexpress_host(host) && host.bytes().filter(|&b| b == b'.').count() == 1
}

/// Form-encodes `text` into `out`: unreserved ASCII kept, a space as `+`, every other byte of
/// its UTF-8 as `%XX`.
fn encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                for nibble in [byte >> 4, byte & 0xF] {
                    out.push(char::from(
                        HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_hosts() {
        for (given, used) in [
            ("es.aliexpress.com", "es.aliexpress.com"),
            ("PT.AliExpress.com.", "pt.aliexpress.com"),
            ("aliexpress.ru", "aliexpress.ru"),
            ("www.aliexpress.us", "www.aliexpress.us"),
            ("m.aliexpress.com", "m.aliexpress.com"),
        ] {
            assert_eq!(shop_host(given).as_deref(), Some(used), "{given}");
        }
        for refused in [
            "",
            "evil.example",
            "aliexpress.com.evil.example",
            "evil-aliexpress.com",
            "s.click.aliexpress.com",
            "a.aliexpress.com",
            "deep.sub.aliexpress.com",
            "login-account.aliexpress.com",
            "es.aliexpress.com:8080",
            "es.aliexpress.com/x",
            "еs.aliexpress.com",
            "es..aliexpress.com",
        ] {
            assert_eq!(shop_host(refused), None, "{refused}");
        }
    }

    #[test]
    fn encoding() {
        let mut out = String::new();
        encode("usb-c 3.0 sac à main & co+", &mut out);
        assert_eq!(out, "usb-c+3.0+sac+%C3%A0+main+%26+co%2B");
    }
}
