//! Stand-down: when a tab was reached through someone else's affiliate link, nothing on it is
//! rewritten for the whole visit, so a creator's commission is never overwritten; and a visit
//! that came through a link of ours is ours, never a reason to stand down.
//!
//! The whole verdict lives here: which URLs of a page load can stand its visit down (the landing
//! the content script reports, the sender URL the browser reports, the referrer), whose
//! attribution each carries, and that the first verdict sticks for the visit. The worker passes
//! what it knows ([`Visit`]) and stores what comes back.
//!
//! Whose attribution a URL carries ([`credit`]): the keys it names (`aff_short_key`, `aff_fsk`,
//! `sk`, an `s.click.aliexpress.com/e/<short key>` path) are ours when [`AffiliateLinks`] knows
//! them (our affiliate key, the short keys of links the affiliate API made for us), someone
//! else's otherwise. Attribution that names no key (`aff_trace_key` alone, or the bare
//! `https://s.click.aliexpress.com/` that a redirect page leaves as the referrer: browsers cut a
//! cross-site referrer to its origin) is ours only when the visit is one we started: the shopper
//! followed one of our links in this tab a moment ago, or the landing itself names our key.
//!
//! The visit's cookies (`cookies.rs`): AliExpress records an affiliate visit in cookies the page
//! can read, and a key in them that is not ours stands the tab down too
//! ([`StandDown::AffiliateCookie`]); a key of ours there is ours, and a cookie that names no key
//! never stands down on its own (cookies outlive visits: see that module).

mod cookies;

pub use cookies::{
    cookie_credit, MAX_COOKIES_LENGTH, MAX_COOKIE_VALUE_LENGTH, MAX_VALUES_PER_NAME,
    VISIT_COOKIE_NAMES,
};

use std::fmt;
use std::str::FromStr;

use crate::affiliate::{api_short_key, AffiliateLinks};
use crate::codec::json::Writer;
use crate::link::host::is_same_or_subdomain;
use crate::link::parts::parts;
use crate::link::{classify, form_decoded, split_ascii, split_once_ascii, LinkKind};
use crate::problem::Problem;
use crate::text::quoted;

/// Redirect and tracking domains of affiliate networks and cashback services that send
/// shoppers to AliExpress. A referrer on any of them (or a subdomain) means the visit is theirs:
/// we never send shoppers through them.
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

/// Query keys whose value names the affiliate key or short key a link or landing is
/// attributed to.
const KEY_PARAMS: [&str; 3] = ["aff_short_key", "aff_fsk", "sk"];

/// Why a visit stands down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandDown {
    /// The page was landed on with someone's affiliate attribution in its URL.
    AffiliateLanding,
    /// The page was reached from an affiliate redirect or network.
    AffiliateReferrer,
    /// The visit's cookies name someone else's affiliate key: their referral is open.
    AffiliateCookie,
}

impl StandDown {
    /// The name the extension and the command line use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AffiliateLanding => "affiliate_landing",
            Self::AffiliateReferrer => "affiliate_referrer",
            Self::AffiliateCookie => "affiliate_cookie",
        }
    }
}

/// A stand-down name that is not one (a tab's stored verdict the Engine does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStandDown(pub String);

impl UnknownStandDown {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &["stand_down_unknown"];
}

impl Problem for UnknownStandDown {
    fn code(&self) -> &'static str {
        "stand_down_unknown"
    }

    fn params(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
}

impl fmt::Display for UnknownStandDown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown stand-down reason {}: expected affiliate_landing, affiliate_referrer or affiliate_cookie",
            quoted(&self.0)
        )
    }
}

impl std::error::Error for UnknownStandDown {}

impl FromStr for StandDown {
    type Err = UnknownStandDown;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "affiliate_landing" => Ok(Self::AffiliateLanding),
            "affiliate_referrer" => Ok(Self::AffiliateReferrer),
            "affiliate_cookie" => Ok(Self::AffiliateCookie),
            other => Err(UnknownStandDown(other.chars().take(32).collect())),
        }
    }
}

/// What the worker knows of one page load in a tab, for the visit's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Visit<'a> {
    /// The verdict the tab's visit already has: the first one sticks for the whole visit.
    pub earlier: Option<StandDown>,
    /// The URL the content script says the page was loaded with (its navigation entry, which
    /// keeps the landing's parameters after the page's own `history.replaceState`).
    pub landing: &'a str,
    /// The page's URL as the browser reports the message's sender: the page cannot forge it.
    pub sender_url: &'a str,
    /// The page's `document.referrer`.
    pub referrer: &'a str,
    /// Whether a visit of ours is under way in this tab: the shopper followed one of our links
    /// in it a moment ago, and this page load is where that leads.
    pub ours_under_way: bool,
    /// The page's cookies as `document.cookie` reads them; only [`VISIT_COOKIE_NAMES`] are read
    /// (the shell sends no others).
    pub cookies: &'a str,
}

/// Whose affiliate attribution a URL carries, from least to most reason to stand down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Credit {
    /// None at all.
    Nobody,
    /// Ours: every key it names is ours.
    Ours,
    /// Someone's, without a key that says whose (a bare redirector, `aff_trace_key` alone).
    Unnamed,
    /// Someone else's: it names a key that is not ours.
    Theirs,
}

/// The Engine's answer for one page load of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Why the visit stands down, or `None` when our links may be used on it.
    pub stand_down: Option<StandDown>,
    /// Whether a visit of ours lands on this page: it was under way, and this page is no
    /// affiliate redirect on the way. The worker remembers the page as ours and ends the
    /// journey, so that a later redirect (someone else's link) is judged on its own.
    pub ours_landed: bool,
}

impl Verdict {
    /// As JSON for the shell: `{"stand_down", "ours_landed"}`, `stand_down` the name of
    /// [`StandDown::as_str`] or null.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("stand_down");
        w.optional_string(self.stand_down.map(StandDown::as_str));
        w.key("ours_landed");
        w.boolean(self.ours_landed);
        w.end_object();
        w.finish()
    }
}

/// The visit's verdict after one page load (see [`Verdict`]).
pub fn verdict(visit: &Visit<'_>, ours: &AffiliateLinks) -> Verdict {
    let stand_down = stand_down(visit, ours);
    // The browser's record of the page where there is one; the landing otherwise.
    let page = if visit.sender_url.is_empty() {
        visit.landing
    } else {
        visit.sender_url
    };
    let redirect = classify(page)
        .aliexpress()
        .is_some_and(|l| matches!(l.kind, LinkKind::Affiliate | LinkKind::Short));
    Verdict {
        stand_down,
        ours_landed: visit.ours_under_way && stand_down.is_none() && !redirect,
    }
}

/// Why the visit stands down, or `None` when our links may be used on it.
fn stand_down(visit: &Visit<'_>, ours: &AffiliateLinks) -> Option<StandDown> {
    if visit.earlier.is_some() {
        return visit.earlier;
    }
    let mut landed = credit(visit.landing, ours);
    if !visit.sender_url.is_empty() && visit.sender_url != visit.landing {
        landed = landed.max(credit(visit.sender_url, ours));
    }
    match landed {
        Credit::Theirs => return Some(StandDown::AffiliateLanding),
        Credit::Unnamed if !visit.ours_under_way => return Some(StandDown::AffiliateLanding),
        Credit::Nobody | Credit::Ours | Credit::Unnamed => {}
    }
    // A redirector's bare origin as the referrer is explained by our own link: one the shopper
    // just followed, or the one the landing names.
    let ours_explains = visit.ours_under_way || landed == Credit::Ours;
    let referred = match classify(visit.referrer).aliexpress() {
        Some(_) => credit(visit.referrer, ours),
        None if from_affiliate_network(visit.referrer) => Credit::Theirs,
        None => Credit::Nobody,
    };
    match referred {
        Credit::Theirs => return Some(StandDown::AffiliateReferrer),
        Credit::Unnamed if !ours_explains => return Some(StandDown::AffiliateReferrer),
        Credit::Nobody | Credit::Ours | Credit::Unnamed => {}
    }
    // Last: the landing and referrer say more precisely how this visit came. Someone else's key
    // in the cookies stands down even on a visit of ours under way, as their key on a landing
    // does; our key there explains nothing else (a cookie outlives the visit that set it).
    match cookie_credit(visit.cookies, ours) {
        Credit::Theirs => Some(StandDown::AffiliateCookie),
        Credit::Nobody | Credit::Ours | Credit::Unnamed => None,
    }
}

/// Whose attribution an AliExpress URL carries (`Nobody` for any other URL).
pub fn credit(url: &str, ours: &AffiliateLinks) -> Credit {
    let link = classify(url);
    let Some(link) = link.aliexpress() else {
        return Credit::Nobody;
    };
    if !link.attributed {
        return Credit::Nobody;
    }
    let mut named = Credit::Unnamed;
    let mut name = |key: &str| {
        let credit = if ours.is_our_key(key) {
            Credit::Ours
        } else {
            Credit::Theirs
        };
        // Any key not ours makes it theirs; otherwise the keys it names are ours.
        named = if named == Credit::Unnamed {
            credit
        } else {
            named.max(credit)
        };
    };
    match link.kind {
        LinkKind::Affiliate => {
            if let Some(short) = api_short_key(link) {
                name(short);
            }
        }
        // The app's short links are never ours (the affiliate API makes s.click links).
        LinkKind::Short if link.path() != "/" => return Credit::Theirs,
        _ => {}
    }
    for pair in split_ascii(link.query().unwrap_or(""), b'&') {
        let (key, value) = split_once_ascii(pair, b'=').unwrap_or((pair, ""));
        let key = form_decoded(key);
        if KEY_PARAMS.iter().any(|p| key.eq_ignore_ascii_case(p)) && !value.is_empty() {
            name(&form_decoded(value));
        }
    }
    named
}

/// Whether a referrer is an affiliate network's redirect or tracking host.
fn from_affiliate_network(referrer: &str) -> bool {
    parts(referrer).is_some_and(|p| {
        AFFILIATE_NETWORKS
            .iter()
            .any(|network| is_same_or_subdomain(&p.host, network))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliate::AffiliateKey;
    use crate::ProductId;

    const ITEM: &str = "https://www.aliexpress.com/item/1005001234567890.html";
    const OUR_KEY: &str = "_dOurKey1";
    const OUR_API_KEY: &str = "_DdPRrAP";

    fn ours() -> AffiliateLinks {
        let mut links =
            AffiliateLinks::new(AffiliateKey::parse(OUR_KEY).unwrap_or_else(|_| unreachable!()));
        let product = ProductId::parse("1005009999999999").unwrap_or_else(|| unreachable!());
        links
            .remember_api_link(
                product,
                &format!("https://s.click.aliexpress.com/e/{OUR_API_KEY}"),
            )
            .unwrap_or_else(|_| unreachable!());
        links
    }

    fn landing(landing: &str) -> Visit<'_> {
        Visit {
            landing,
            sender_url: landing,
            ..Visit::default()
        }
    }

    fn verdict_of(visit: Visit<'_>) -> Option<&'static str> {
        verdict(&visit, &ours()).stand_down.map(StandDown::as_str)
    }

    const LANDING: Option<&str> = Some("affiliate_landing");
    const REFERRER: Option<&str> = Some("affiliate_referrer");

    #[test]
    fn landings() {
        let theirs = "_Other1";
        #[rustfmt::skip]
        let table: Vec<(String, Option<&str>)> = vec![
            (ITEM.to_owned(), None),
            (format!("{ITEM}?spm=a2g0o"), None),
            // Our key in each parameter that names one, alone or among the redirect's markers.
            (format!("{ITEM}?aff_short_key={OUR_KEY}"), None),
            (format!("{ITEM}?sk={OUR_KEY}"), None),
            (format!("{ITEM}?aff_fsk={OUR_KEY}"), None),
            (format!("{ITEM}?aff_fcid=abc&aff_fsk={OUR_KEY}&aff_platform=link-c-tool&sk={OUR_KEY}&aff_trace_key=x&terminal_id=y"), None),
            (format!("{ITEM}?SK={OUR_KEY}"), None),
            // The short key of a link the affiliate API made for us.
            (format!("{ITEM}?aff_fcid=abc&aff_fsk={OUR_API_KEY}&sk={OUR_API_KEY}"), None),
            // Someone else's key, also beside ours.
            (format!("{ITEM}?aff_short_key={theirs}"), LANDING),
            (format!("{ITEM}?sk={theirs}"), LANDING),
            (format!("{ITEM}?aff_fsk={theirs}"), LANDING),
            (format!("{ITEM}?sk={OUR_KEY}&aff_fsk={theirs}"), LANDING),
            (format!("{ITEM}?sk={OUR_KEY}x"), LANDING),
            // Attribution that names nobody: someone's.
            (format!("{ITEM}?aff_fcid=abc&aff_trace_key=x"), LANDING),
            (format!("{ITEM}?utm_medium=cpa"), LANDING),
            (format!("{ITEM}?sk="), LANDING),
            // Redirect pages: whose key they carry.
            (format!("https://s.click.aliexpress.com/e/{OUR_API_KEY}"), None),
            (format!("https://s.click.aliexpress.com/deep_link.htm?aff_short_key={OUR_KEY}&dl_target_url=https%3A%2F%2Fwww.aliexpress.com%2F"), None),
            ("https://s.click.aliexpress.com/e/_oFz9Ab1".to_owned(), LANDING),
            (format!("https://s.click.aliexpress.com/deep_link.htm?aff_short_key={theirs}&dl_target_url=x"), LANDING),
            ("https://a.aliexpress.com/_mK1xYz".to_owned(), LANDING),
        ];
        for (url, want) in table {
            assert_eq!(verdict_of(landing(&url)), want, "{url}");
        }
    }

    #[test]
    fn referrers() {
        #[rustfmt::skip]
        let table: Vec<(String, Option<&str>)> = vec![
            ("".to_owned(), None),
            ("https://www.google.com/search?q=aliexpress".to_owned(), None),
            ("https://www.aliexpress.com/".to_owned(), None),
            ("https://admitad.com.evil.example/".to_owned(), None),
            ("not a url".to_owned(), None),
            // A redirector's bare origin: someone's, unless our visit explains it.
            ("https://s.click.aliexpress.com/".to_owned(), REFERRER),
            ("https://s.click.aliexpress.com/e/_DlAbc12".to_owned(), REFERRER),
            (format!("https://s.click.aliexpress.com/e/{OUR_API_KEY}"), None),
            ("https://a.aliexpress.com/_mK1x".to_owned(), REFERRER),
            ("https://ad.admitad.com/g/abc/".to_owned(), REFERRER),
            ("https://www.anrdoezrs.net/click-1-2".to_owned(), REFERRER),
            ("https://www.aliexpress.com/item/1005001.html?aff_trace_key=z".to_owned(), REFERRER),
            // The page before, landed on with our key (same-site referrers are whole URLs).
            (format!("https://www.aliexpress.com/item/1005001.html?aff_fcid=a&sk={OUR_KEY}"), None),
        ];
        for (referrer, want) in table {
            let visit = Visit {
                referrer: &referrer,
                ..landing(ITEM)
            };
            assert_eq!(verdict_of(visit), want, "{referrer}");
        }
    }

    #[test]
    fn a_visit_of_ours_under_way() {
        let bare = "https://s.click.aliexpress.com/";
        let ours_under_way = |landing: &'static str, referrer: &'static str, under_way: bool| {
            verdict_of(Visit {
                landing,
                sender_url: landing,
                referrer,
                ours_under_way: under_way,
                earlier: None,
                cookies: "",
            })
        };
        // The shopper clicked our link; the redirect page sent them on by script.
        assert_eq!(ours_under_way(ITEM, bare, true), None);
        assert_eq!(ours_under_way(ITEM, bare, false), REFERRER);
        // The redirect page itself, and a landing whose attribution names no key.
        let unnamed =
            "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=a&aff_trace_key=b";
        assert_eq!(ours_under_way(unnamed, bare, true), None);
        assert_eq!(ours_under_way(unnamed, bare, false), LANDING);
        // Someone else's key or network is theirs even then.
        let theirs = "https://www.aliexpress.com/item/1005001234567890.html?sk=_Other1";
        assert_eq!(ours_under_way(theirs, bare, true), LANDING);
        assert_eq!(
            ours_under_way(ITEM, "https://s.click.aliexpress.com/e/_Other1", true),
            REFERRER
        );
        assert_eq!(
            ours_under_way(ITEM, "https://ad.admitad.com/g/abc/", true),
            REFERRER
        );
        // A landing naming our key explains the bare redirector without a click seen.
        let our_landing =
            "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=a&sk=_dOurKey1";
        assert_eq!(ours_under_way(our_landing, bare, false), None);
    }

    #[test]
    fn landing_and_sender_url() {
        // The page cleaned its address: the landing the content script kept still counts.
        let visit = Visit {
            landing: "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=x&sk=_Other1",
            sender_url: ITEM,
            ..Visit::default()
        };
        assert_eq!(verdict_of(visit), LANDING);
        // A forged landing in the message cannot hide what the browser reports.
        let visit = Visit {
            landing: ITEM,
            sender_url:
                "https://www.aliexpress.com/item/1005001234567890.html?aff_fcid=x&sk=_Other1",
            ..Visit::default()
        };
        assert_eq!(verdict_of(visit), LANDING);
        let visit = Visit {
            landing: ITEM,
            sender_url: "",
            ..Visit::default()
        };
        assert_eq!(verdict_of(visit), None);
    }

    #[test]
    fn the_first_verdict_sticks() {
        for earlier in [
            StandDown::AffiliateLanding,
            StandDown::AffiliateReferrer,
            StandDown::AffiliateCookie,
        ] {
            // A later page of the visit, plain or even ours, does not lift it.
            for (page, referrer, under_way) in [
                (ITEM, "", false),
                (
                    "https://www.aliexpress.com/item/1005001234567890.html?sk=_dOurKey1",
                    "",
                    true,
                ),
                (ITEM, "https://s.click.aliexpress.com/", false),
            ] {
                let visit = Visit {
                    earlier: Some(earlier),
                    referrer,
                    ours_under_way: under_way,
                    ..landing(page)
                };
                assert_eq!(verdict(&visit, &ours()).stand_down, Some(earlier));
            }
        }
        // And a verdict once given is not replaced by another reason.
        let visit = Visit {
            earlier: Some(StandDown::AffiliateReferrer),
            ..landing("https://www.aliexpress.com/item/1.html?aff_fcid=x")
        };
        assert_eq!(
            verdict(&visit, &ours()).stand_down,
            Some(StandDown::AffiliateReferrer)
        );
    }

    #[test]
    fn a_verdict_as_json() {
        let verdict = Verdict {
            stand_down: Some(StandDown::AffiliateReferrer),
            ours_landed: false,
        };
        assert_eq!(
            verdict.to_json(),
            r#"{"stand_down":"affiliate_referrer","ours_landed":false}"#
        );
    }

    #[test]
    fn a_visit_of_ours_lands_past_the_redirect() {
        let landed = |page: &str, under_way: bool| {
            verdict(
                &Visit {
                    referrer: "https://s.click.aliexpress.com/",
                    ours_under_way: under_way,
                    ..landing(page)
                },
                &ours(),
            )
            .ours_landed
        };
        // Still on the way: the redirect page itself.
        let redirect = format!(
            "https://s.click.aliexpress.com/deep_link.htm?aff_short_key={OUR_KEY}&dl_target_url=x"
        );
        assert!(!landed(&redirect, true));
        assert!(!landed("https://a.aliexpress.com/_mK1x", true));
        // Arrived.
        assert!(landed(ITEM, true));
        assert!(!landed(ITEM, false));
        // Someone else's landing is no landing of ours.
        assert!(!landed(
            "https://www.aliexpress.com/item/1.html?sk=_Other1",
            true
        ));
    }

    #[test]
    fn names() {
        for why in [
            StandDown::AffiliateLanding,
            StandDown::AffiliateReferrer,
            StandDown::AffiliateCookie,
        ] {
            assert_eq!(why.as_str().parse(), Ok(why));
        }
        let unknown = "sideways".parse::<StandDown>();
        assert_eq!(unknown, Err(UnknownStandDown("sideways".into())));
        assert!(unknown.is_err_and(|e| UnknownStandDown::CODES.contains(&e.code())));
    }

    /// The visit's cookies: `aeu_cid` naming `key`.
    fn cid(key: &str) -> String {
        format!("x_user=secret; aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-{key}; intl_locale=en_US")
    }

    const COOKIE: Option<&str> = Some("affiliate_cookie");

    #[test]
    fn cookies() {
        let theirs = cid("_DlJ4Oaz");
        let our = cid(OUR_KEY);
        let our_api = cid(OUR_API_KEY);
        let with = |cookies: &str, visit: Visit<'_>| verdict_of(Visit { cookies, ..visit });
        // Someone else's key stands down; ours, or none, does not.
        assert_eq!(with(&theirs, landing(ITEM)), COOKIE);
        assert_eq!(with(&our, landing(ITEM)), None);
        assert_eq!(with(&our_api, landing(ITEM)), None);
        assert_eq!(with("x_user=secret", landing(ITEM)), None);
        let keyless = "aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512";
        assert_eq!(with(keyless, landing(ITEM)), None);
        // Even on a visit of ours under way, and on a landing of ours: their key is theirs.
        let under_way = Visit {
            ours_under_way: true,
            referrer: "https://s.click.aliexpress.com/",
            ..landing(ITEM)
        };
        assert_eq!(with(&theirs, under_way), COOKIE);
        assert_eq!(with(&our, under_way), None);
        let our_landing = format!("{ITEM}?aff_fcid=a&sk={OUR_KEY}");
        assert_eq!(with(&theirs, landing(&our_landing)), COOKIE);
        // The landing and the referrer say how this visit came: their reasons go first.
        let their_landing = format!("{ITEM}?sk=_Other1");
        assert_eq!(with(&theirs, landing(&their_landing)), LANDING);
        let referred = Visit {
            referrer: "https://ad.admitad.com/g/abc/",
            ..landing(ITEM)
        };
        assert_eq!(with(&theirs, referred), REFERRER);
        // Our key in a cookie explains no bare redirector: it may be older than this visit.
        let bare = Visit {
            referrer: "https://s.click.aliexpress.com/",
            ..landing(ITEM)
        };
        assert_eq!(with(&our, bare), REFERRER);
        // An earlier verdict sticks, and a cookie stand-down sticks as any other.
        let earlier = |why| Visit {
            earlier: Some(why),
            ..landing(ITEM)
        };
        assert_eq!(with(&theirs, earlier(StandDown::AffiliateLanding)), LANDING);
        assert_eq!(with(&our, earlier(StandDown::AffiliateCookie)), COOKIE);
        assert_eq!(with("", earlier(StandDown::AffiliateCookie)), COOKIE);
        // A stand-down on cookies lands no visit of ours.
        let landed = verdict(
            &Visit {
                cookies: &theirs,
                ..under_way
            },
            &ours(),
        );
        assert!(!landed.ours_landed);
    }

    #[test]
    fn credits() {
        let links = ours();
        assert_eq!(credit(ITEM, &links), Credit::Nobody);
        assert_eq!(credit("https://example.com/?sk=x", &links), Credit::Nobody);
        assert_eq!(
            credit(&format!("{ITEM}?sk={OUR_KEY}"), &links),
            Credit::Ours
        );
        assert_eq!(
            credit(&format!("{ITEM}?sk=%5FdOurKey1"), &links),
            Credit::Ours
        );
        assert_eq!(
            credit(&format!("{ITEM}?aff_trace_key=1"), &links),
            Credit::Unnamed
        );
        assert_eq!(credit(&format!("{ITEM}?sk=_x"), &links), Credit::Theirs);
    }
}
