//! Stand-down: when a tab was reached through someone else's affiliate link, nothing on it is
//! rewritten for the whole visit, so a creator's commission is never overwritten.

use crate::affiliate::AffiliateKey;
use crate::link::host::is_same_or_subdomain;
use crate::link::parts::parts;
use crate::link::{classify, query_pairs};

/// Redirect and tracking domains of affiliate networks and cashback services that send
/// shoppers to AliExpress. A referrer on any of them (or a subdomain) means the visit is theirs.
const AFFILIATE_NETWORKS: [&str; 22] = [
    "admitad.com",
    "alitems.com",
    "alitems.site",
    "epn.bz",
    "alipromo.com",
    "awin1.com",
    "linksynergy.com",
    "anrdoezrs.net",
    "dpbolvw.net",
    "jdoqocy.com",
    "kqzyfj.com",
    "tkqlhce.com",
    "emjcd.com",
    "shareasale.com",
    "prf.hn",
    "sjv.io",
    "pxf.io",
    "go.skimresources.com",
    "redirect.viglink.com",
    "tradedoubler.com",
    "webgains.com",
    "letyshops.com",
];

/// Query keys whose value names the affiliate a landing was attributed to.
const ATTRIBUTED_KEY_PARAMS: [&str; 3] = ["aff_short_key", "aff_fsk", "sk"];

/// Why a visit stands down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandDown {
    /// The page was landed on with someone's affiliate attribution in its URL.
    AffiliateLanding,
    /// The page was reached from an affiliate redirect or network.
    AffiliateReferrer,
}

impl StandDown {
    /// The name the extension and the command line use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AffiliateLanding => "affiliate_landing",
            Self::AffiliateReferrer => "affiliate_referrer",
        }
    }
}

/// Whether a page load (its URL and `document.referrer`) makes the visit stand down.
/// A landing attributed to our own key (`own`) is ours, not someone else's.
pub fn stand_down(landing: &str, referrer: &str, own: Option<&AffiliateKey>) -> Option<StandDown> {
    let landed_attributed = classify(landing).aliexpress().is_some_and(|l| l.attributed);
    if landed_attributed && !attributed_to(landing, own) {
        return Some(StandDown::AffiliateLanding);
    }
    if referrer.is_empty() {
        return None;
    }
    let referred_by_affiliate = match classify(referrer).aliexpress() {
        Some(link) => link.attributed,
        None => parts(referrer).is_some_and(|p| {
            AFFILIATE_NETWORKS
                .iter()
                .any(|network| is_same_or_subdomain(&p.host, network))
        }),
    };
    referred_by_affiliate.then_some(StandDown::AffiliateReferrer)
}

/// Whether the landing's attribution names our key.
fn attributed_to(landing: &str, own: Option<&AffiliateKey>) -> bool {
    let Some(own) = own else {
        return false;
    };
    query_pairs(landing).iter().any(|(key, value)| {
        value == own.as_str()
            && ATTRIBUTED_KEY_PARAMS
                .iter()
                .any(|param| key.eq_ignore_ascii_case(param))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = "https://www.aliexpress.com/item/1005001234567890.html";

    #[test]
    fn landing_with_attribution() {
        let landing = format!("{ITEM}?aff_fcid=abc&aff_fsk=_DdPRrAP&aff_platform=portals-tool&sk=_DdPRrAP&aff_trace_key=x&terminal_id=y");
        assert_eq!(
            stand_down(&landing, "", None),
            Some(StandDown::AffiliateLanding)
        );
        assert_eq!(
            stand_down(&format!("{ITEM}?utm_medium=cpa"), "", None),
            Some(StandDown::AffiliateLanding)
        );
        assert_eq!(stand_down(ITEM, "", None), None);
        assert_eq!(
            stand_down(
                &format!("{ITEM}?spm=a2g0o"),
                "https://www.google.com/",
                None
            ),
            None
        );
    }

    #[test]
    fn our_own_attribution_is_not_someone_elses() {
        let ours = AffiliateKey::parse("_DdPRrAP").ok();
        let landing = format!("{ITEM}?aff_fcid=abc&sk=_DdPRrAP");
        assert_eq!(stand_down(&landing, "", ours.as_ref()), None);
        let theirs = format!("{ITEM}?aff_fcid=abc&sk=_Other");
        assert_eq!(
            stand_down(&theirs, "", ours.as_ref()),
            Some(StandDown::AffiliateLanding)
        );
    }

    #[test]
    fn referrers() {
        for referrer in [
            "https://s.click.aliexpress.com/e/_DdPRrAP",
            "https://s.click.aliexpress.com/",
            "https://a.aliexpress.com/_mK1x",
            "https://ad.admitad.com/g/abc/",
            "https://www.anrdoezrs.net/click-1-2",
            "https://www.aliexpress.com/item/1005001.html?aff_trace_key=z",
        ] {
            assert_eq!(
                stand_down(ITEM, referrer, None),
                Some(StandDown::AffiliateReferrer),
                "{referrer}"
            );
        }
        for referrer in [
            "https://www.google.com/search?q=aliexpress",
            "https://www.aliexpress.com/",
            "https://admitad.com.evil.example/",
            "not a url",
        ] {
            assert_eq!(stand_down(ITEM, referrer, None), None, "{referrer}");
        }
    }
}
