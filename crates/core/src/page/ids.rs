//! Store and category ids in AliExpress URLs and in the page's own data, read on top of the link
//! rules: `link::classify` says what a URL is (AliExpress or not, product, store); this reads the
//! two ids the link rules have no use for, and where an affiliate deep link leads.

use std::borrow::Cow;

use crate::link::host::AFFILIATE_HOST;
use crate::link::{classify, parts::parts, query_pairs, LinkKind};

/// The path of an affiliate deep link, and its parameter naming the page it leads to.
const DEEP_LINK_PATH: &str = "/deep_link.htm";
const DEEP_LINK_TARGET: &str = "dl_target_url";

/// Where an absolute URL leads, for reading what it names: an affiliate deep link
/// (`https://s.click.aliexpress.com/deep_link.htm?aff_short_key=...&dl_target_url=<page>`, the
/// shape the extension's own rewrites have) leads to its target when that is an AliExpress page
/// and not another redirect; any other URL to itself. A shopper who accepted our link must get
/// the coupons of the product it points at.
pub(crate) fn link_target(url: &str) -> Cow<'_, str> {
    let is_deep_link = classify(url)
        .aliexpress()
        .is_some_and(|link| link.kind == LinkKind::Affiliate && link.host() == AFFILIATE_HOST)
        && parts(url).is_some_and(|parts| parts.path == DEEP_LINK_PATH);
    if !is_deep_link {
        return Cow::Borrowed(url);
    }
    let target = query_pairs(url)
        .into_iter()
        .find(|(key, _)| key == DEEP_LINK_TARGET)
        .map(|(_, target)| target)
        .filter(|target| {
            classify(target)
                .aliexpress()
                .is_some_and(|link| !matches!(link.kind, LinkKind::Affiliate | LinkKind::Short))
        });
    target.map_or(Cow::Borrowed(url), Cow::Owned)
}

/// Longest id kept; AliExpress store and category ids are 3 to 12 digits.
const MAX_ID_DIGITS: usize = 20;

/// `text` if it is an id: 1 to 20 ASCII digits, not all zeros (`CatId=0` means "all").
pub(crate) fn digits_id(text: &str) -> Option<String> {
    let shaped = (1..=MAX_ID_DIGITS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.bytes().any(|b| b != b'0');
    shaped.then(|| text.to_owned())
}

/// The leading digits of `text`, when what follows them ends the id (`912345`, `912345/...`,
/// `912345.html`).
fn leading_id(text: &str) -> Option<String> {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, rest) = text.split_at_checked(end)?;
    (rest.is_empty() || rest.starts_with(['/', '.', '?', '#']))
        .then(|| digits_id(digits))
        .flatten()
}

/// The store an absolute AliExpress URL names: a store page (`/store/912345`, any page under
/// it, or the mobile site's `/store/...?storeId=912345`) or a store product page
/// (`/store/product/<slug>/912345_<product id>.html`). Affiliate and short links name none we can
/// read without following them.
pub(crate) fn store_id_in(url: &str) -> Option<String> {
    let link = classify(url);
    let kind = link.aliexpress()?.kind;
    if matches!(kind, LinkKind::Affiliate | LinkKind::Short) {
        return None;
    }
    let parts = parts(url)?;
    let under_store = parts.path.strip_prefix("/store/")?;
    if kind == LinkKind::Store {
        return leading_id(under_store);
    }
    if kind == LinkKind::Product {
        // The link rules already checked this shape and read its product id.
        let page = under_store.strip_prefix("product/")?.rsplit('/').next()?;
        let (store, _) = page.split_once('_')?;
        return digits_id(store);
    }
    query_pairs(url)
        .into_iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("storeId"))
        .and_then(|(_, value)| digits_id(&value))
}

/// The category an absolute AliExpress URL names: a category page
/// (`/category/200003482/dresses.html`, `/category/200003482.html`) or a listing filtered by
/// one (`CatId=200003482`, `categoryId=...`).
pub(crate) fn category_id_in(url: &str) -> Option<String> {
    classify(url).aliexpress()?;
    let parts = parts(url)?;
    let mut segments = parts.path.split('/');
    let from_path = segments
        .by_ref()
        .find(|segment| *segment == "category")
        .and_then(|_| segments.next())
        .and_then(leading_id);
    from_path.or_else(|| {
        query_pairs(url)
            .into_iter()
            .find(|(key, _)| {
                key.eq_ignore_ascii_case("CatId") || key.eq_ignore_ascii_case("categoryId")
            })
            .and_then(|(_, value)| digits_id(&value))
    })
}

/// The value that follows a key in the page's own data (`window.runParams`), from the text the
/// content script found right after the key: `": 1102928353, ..."`, `":"26/100001719/2623"`,
/// or `="32904053859";` in the older assignment style. A quoted value is taken up to its quote;
/// a bare one while it is made of letters, digits and `_./-`.
pub(crate) fn script_value(after_key: &str) -> Option<&str> {
    let rest = after_key
        .trim_start()
        .strip_prefix('"')
        .unwrap_or(after_key.trim_start());
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('='))?
        .trim_start();
    let value = if let Some(quoted) = rest.strip_prefix('"') {
        // An escaped quote or code means a value no id or code takes: refused, not cut.
        let end = quoted.find(['"', '\\'])?;
        if quoted.get(end..)?.starts_with('\\') {
            return None;
        }
        quoted.get(..end)?
    } else {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-')))
            .unwrap_or(rest.len());
        rest.get(..end)?
    };
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_ids() {
        for (url, want) in [
            ("https://www.aliexpress.com/store/912345", Some("912345")),
            (
                "https://es.aliexpress.com/store/1102928353",
                Some("1102928353"),
            ),
            (
                "https://www.aliexpress.com/store/912345/pages/all-items.html",
                Some("912345"),
            ),
            (
                "https://www.aliexpress.com/store/912345?spm=a2g0o",
                Some("912345"),
            ),
            (
                "https://www.aliexpress.com/store/912345.html",
                Some("912345"),
            ),
            (
                "https://www.aliexpress.com/store/product/cool-audio/912345_1005001111111115.html",
                Some("912345"),
            ),
            (
                "https://m.aliexpress.com/store/storeHome.htm?storeId=912345",
                Some("912345"),
            ),
            ("https://aliexpress.ru/store/5555555", Some("5555555")),
            ("https://www.aliexpress.com/store/912345abc", None),
            ("https://www.aliexpress.com/store/0", None),
            ("https://www.aliexpress.com/store/", None),
            (
                "https://www.aliexpress.com/item/1005001234567890.html",
                None,
            ),
            ("https://www.aliexpress.com/storeHome?storeId=912345", None),
            ("https://evil.example/store/912345", None),
            ("https://aliexpress.com.evil.example/store/912345", None),
            ("https://s.click.aliexpress.com/store/912345", None),
            ("/store/912345", None),
            ("javascript:alert(1)", None),
            ("", None),
        ] {
            assert_eq!(store_id_in(url).as_deref(), want, "{url}");
        }
        let long = format!("https://www.aliexpress.com/store/{}", "9".repeat(21));
        assert_eq!(store_id_in(&long), None);
    }

    #[test]
    fn category_ids() {
        for (url, want) in [
            (
                "https://www.aliexpress.com/category/200003482/dresses.html",
                Some("200003482"),
            ),
            ("https://www.aliexpress.com/category/44.html", Some("44")),
            (
                "https://www.aliexpress.com/af/category/200003482.html",
                Some("200003482"),
            ),
            (
                "https://www.aliexpress.com/w/wholesale-dresses.html?CatId=200003482",
                Some("200003482"),
            ),
            (
                "https://www.aliexpress.com/w/wholesale-dresses.html?catId=0&SearchText=x",
                None,
            ),
            ("https://www.aliexpress.com/", None),
            ("https://www.aliexpress.com/category/dresses.html", None),
            ("https://evil.example/category/200003482/dresses.html", None),
        ] {
            assert_eq!(category_id_in(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn script_values() {
        for (text, want) in [
            (
                ": 1102928353,             \"payPalAccount\"",
                Some("1102928353"),
            ),
            ("\": 1102928353,", Some("1102928353")),
            (": \"26/100001719/2623\",", Some("26/100001719/2623")),
            ("=\"32904053859\";", Some("32904053859")),
            (":\"MXN\"}", Some("MXN")),
            (":\"\"", None),
            (": {\"x\": 1}", None),
            (": \"unterminated", None),
            (": \"esc\\\"aped\"", None),
            ("", None),
            ("no separator", None),
        ] {
            assert_eq!(script_value(text), want, "{text:?}");
        }
    }
}
