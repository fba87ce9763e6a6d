//! Deciding a whole batch of links in one call: href attributes in as one string, rewrites out
//! as one string, so the WASM boundary is crossed twice per batch instead of twice per link.

use crate::affiliate::AffiliateLinks;
use crate::link::{classify, resolve, split_once_ascii, BaseUrl, Link, Tagging};
use crate::policy::{decide_into, HeldBack, LeaveReason, TabPolicy};

/// Counts over one batch, for the popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchSummary {
    /// Links in the batch.
    pub found: u32,
    /// AliExpress links among them.
    pub aliexpress: u32,
    /// AliExpress links to products (attributed or not): product pages, and pages about
    /// products that are not the shopper's own.
    pub products: u32,
    /// Links that already carry someone's affiliate attribution.
    pub attributed: u32,
    /// Links rewritten to our affiliate links.
    pub rewritten: u32,
    /// Why product links were held back, if any were.
    pub held_back: Option<HeldBack>,
}

/// Decides every href of `hrefs` (one per line, as the page wrote them: resolved here against
/// `base`, the page's base URL), found on the page at `page_url`, and writes exactly one line
/// per href to `out`: the new href, or an empty line for a link left alone. An empty `hrefs` is
/// no links.
pub fn decide_batch(
    hrefs: &str,
    base: Option<&BaseUrl>,
    page_url: &str,
    policy: &TabPolicy,
    links: &AffiliateLinks,
    out: &mut String,
) -> BatchSummary {
    let mut summary = BatchSummary::default();
    if hrefs.is_empty() {
        return summary;
    }
    for (index, href) in hrefs.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        summary.found += 1;
        let href = resolve(href, base);
        if is_same_page_fragment(&href, page_url) {
            continue;
        }
        let link = classify(&href);
        if let Link::Aliexpress(l) = &link {
            summary.aliexpress += 1;
            summary.products += u32::from(matches!(
                l.tagging(),
                Tagging::ProductPage | Tagging::AboutProducts
            ));
            summary.attributed += u32::from(l.attributed);
        }
        match decide_into(&link, policy, links, out) {
            Ok(()) => summary.rewritten += 1,
            Err(LeaveReason::HeldBack(held)) => summary.held_back = Some(held),
            Err(_) => {}
        }
    }
    summary
}

/// Whether `href` is the page itself with a fragment: an in-page anchor such as "#reviews".
fn is_same_page_fragment(href: &str, page_url: &str) -> bool {
    let page = split_once_ascii(page_url, b'#').map_or(page_url, |(before, _)| before);
    !page.is_empty() && split_once_ascii(href, b'#').is_some_and(|(before, _)| before == page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::RewriteMode;
    use crate::AffiliateKey;

    fn links() -> AffiliateLinks {
        AffiliateLinks::new(AffiliateKey::parse("KEY").expect("valid"))
    }

    #[test]
    fn one_line_per_href() {
        let hrefs = "https://www.aliexpress.com/item/1005001234567890.html\nhttps://example.com/\njavascript:void(0)\n\nhttps://s.click.aliexpress.com/e/_x\nhttps://www.aliexpress.com/i/4000123456.html";
        let mut out = String::new();
        let summary = decide_batch(
            hrefs,
            None,
            "https://www.aliexpress.com/",
            &TabPolicy::REWRITE,
            &links(),
            &mut out,
        );
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[0].contains("1005001234567890"));
        assert_eq!(&lines[1..5], ["", "", "", ""]);
        assert!(lines[5].contains("4000123456"));
        assert_eq!(
            summary,
            BatchSummary {
                found: 6,
                aliexpress: 3,
                products: 2,
                attributed: 1,
                rewritten: 2,
                held_back: None
            }
        );
    }

    #[test]
    fn held_back_is_reported() {
        let policy = TabPolicy {
            mode: RewriteMode::Ask,
            activated: false,
            stood_down: false,
        };
        let mut out = String::new();
        let summary = decide_batch(
            "https://www.aliexpress.com/item/1005001234567890.html\nhttps://example.com/",
            None,
            "",
            &policy,
            &links(),
            &mut out,
        );
        assert_eq!(out, "\n");
        assert_eq!(summary.held_back, Some(HeldBack::AskFirst));
        assert_eq!(summary.rewritten, 0);
        assert_eq!(
            decide_batch("", None, "", &policy, &links(), &mut out).found,
            0
        );
    }

    #[test]
    fn in_page_anchors_are_left_alone() {
        let page = "https://www.aliexpress.com/item/1005001234567890.html?spm=x#top";
        let hrefs = "https://www.aliexpress.com/item/1005001234567890.html?spm=x#reviews\nhttps://www.aliexpress.com/item/1005001234567890.html?spm=x#\nhttps://www.aliexpress.com/item/1005001234567890.html#reviews\nhttps://www.aliexpress.com/item/1005001234567890.html?spm=x";
        let mut out = String::new();
        let summary = decide_batch(hrefs, None, page, &TabPolicy::REWRITE, &links(), &mut out);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(
            (lines[0], lines[1]),
            ("", ""),
            "fragments of this very page stay"
        );
        assert!(
            lines[2].starts_with("https://s.click"),
            "another URL with a fragment is a link like any other"
        );
        assert!(
            lines[3].starts_with("https://s.click"),
            "a link to this page without a fragment is a link"
        );
        assert_eq!(summary.found, 4);
    }

    #[test]
    fn attributes_are_resolved_against_the_base() {
        let page = "https://www.aliexpress.com/item/1005001234567890.html";
        let base = BaseUrl::parse(page).expect("base");
        let hrefs = "//www.aliexpress.com/item/1005001111111121.html\n/item/1005001111111122.html\n#reviews\n/\\evil.example/item/1005001111111123.html\n../store/912345";
        let mut out = String::new();
        let summary = decide_batch(
            hrefs,
            Some(&base),
            page,
            &TabPolicy::REWRITE,
            &links(),
            &mut out,
        );
        let lines: Vec<&str> = out.split('\n').collect();
        assert!(lines[0].contains("1005001111111121"), "protocol-relative");
        assert!(lines[1].contains("1005001111111122"), "path-absolute");
        assert_eq!(lines[2], "", "an in-page anchor of this page");
        assert_eq!(lines[3], "", "a backslash makes it another host");
        assert_eq!(lines[4], "", "a store page");
        assert_eq!(summary.aliexpress, 3, "the in-page anchor is not counted");
        assert_eq!(summary.rewritten, 2);
    }
}
