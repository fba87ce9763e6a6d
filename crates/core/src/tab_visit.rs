//! What a tab remembers of its visit between page loads: the stand-down verdict (the first one
//! sticks), and whether a visit of ours is under way, which the verdict needs to tell our own
//! affiliate redirect from someone else's.
//!
//! Why "a visit of ours" is remembered at all: when the shopper follows one of our links,
//! AliExpress's redirect page sends them on by script, and the landing's referrer is then the
//! bare `https://s.click.aliexpress.com/` (browsers cut a cross-site referrer to its origin), the
//! same as after anyone's link. So the content script reports the click, and the tab remembers it
//! for at most [`OUR_REDIRECT_MS`], long enough for the redirect to load. The page it lands on
//! (the verdict says when a page is past the redirect) is remembered by its document, so that the
//! page's later batches of links (an infinite scroll, minutes on) are still part of our visit, and
//! the journey ends there: a redirect after it (someone else's link, typed or clicked) is judged
//! on its own. A link opened in a new tab marks the tab it was opened from; the new tab, whose
//! opener that is, takes the mark over for its first pages.
//!
//! The worker keeps this state in session storage as the JSON [`TabVisit::to_json`] writes and
//! hands it back on every page report: the rule is here, the storage is the shell's.

use crate::affiliate::AffiliateLinks;
use crate::codec::json::{Value, Writer};
use crate::visit::{verdict, StandDown, Verdict, Visit};

/// How long after the shopper follows one of our links its redirect may take to land, in ms.
pub const OUR_REDIRECT_MS: u64 = 60_000;

/// Milliseconds since the Unix epoch.
pub type Millis = u64;

/// A tab's visit, as it stands between two page loads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TabVisit {
    /// Why the visit stands down: the first verdict, kept for the whole visit.
    pub stood_down: Option<StandDown>,
    /// Until when a visit of ours is on its way into this tab (0: none).
    pub ours_until: Millis,
    /// Until when a tab opened from this one is following our link (0: none).
    pub ours_opened_until: Millis,
    /// The page (its document) a visit of ours landed on.
    pub ours_page: Option<String>,
    /// Whether a page of this tab has reported itself: only a tab's first pages take over the
    /// mark of the tab that opened it.
    pub seen: bool,
}

/// One page load in a tab, as the worker reports it.
#[derive(Debug, Clone, Copy)]
pub struct PageReport<'a> {
    /// The reporting document: the browser's document id, or its landing URL where there is none.
    pub page: &'a str,
    /// The URL the content script says the page was loaded with.
    pub landing: &'a str,
    /// The page's URL as the browser reports the sender (the page cannot forge it).
    pub sender_url: &'a str,
    /// The page's `document.referrer`.
    pub referrer: &'a str,
    /// The page's affiliate cookies as the content script sends them (`name=value; ...`, only
    /// [`crate::visit::VISIT_COOKIE_NAMES`]).
    pub cookies: &'a str,
    /// The visit of the tab this one was opened from, if any.
    pub opener: Option<&'a TabVisit>,
    /// When.
    pub now: Millis,
}

impl TabVisit {
    /// The state the worker stored, read back; anything unreadable (or none) is a fresh visit,
    /// and a stand-down name the Engine does not know is kept as a stand-down (the safe side).
    pub fn from_json(text: &str) -> Self {
        let Ok(value) = Value::parse(text) else {
            return Self::default();
        };
        let millis = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or(0);
        let stood_down = match value.get("stood_down") {
            None | Some(Value::Null) => None,
            Some(name) => Some(
                name.as_str()
                    .and_then(|name| name.parse().ok())
                    .unwrap_or(StandDown::AffiliateReferrer),
            ),
        };
        Self {
            stood_down,
            ours_until: millis("ours_until"),
            ours_opened_until: millis("ours_opened_until"),
            ours_page: value
                .get("ours_page")
                .and_then(Value::as_str)
                .map(str::to_owned),
            seen: value.get("seen").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    /// As the worker stores it: `{"stood_down", "ours_until", "ours_opened_until", "ours_page",
    /// "seen"}`.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        self.write_json(&mut w);
        w.finish()
    }

    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("stood_down");
        w.optional_string(self.stood_down.map(StandDown::as_str));
        w.key("ours_until");
        w.unsigned(self.ours_until);
        w.key("ours_opened_until");
        w.unsigned(self.ours_opened_until);
        w.key("ours_page");
        w.optional_string(self.ours_page.as_deref());
        w.key("seen");
        w.boolean(self.seen);
        w.end_object();
    }

    /// The shopper followed one of our links from this tab: into it, or (`new_tab`) into a tab
    /// opened from it.
    pub fn followed_our_link(&mut self, new_tab: bool, now: Millis) {
        let until = now.saturating_add(OUR_REDIRECT_MS);
        if new_tab {
            self.ours_opened_until = until;
        } else {
            self.ours_until = until;
        }
    }

    /// Until when a visit of ours is under way for `page` in this tab, if one is: this very page
    /// is where one landed (`Some(0)`: for good), the shopper followed our link here a moment
    /// ago, or, for a tab's first pages, in the tab that opened it.
    fn ours_under_way(&self, page: &str, opener: Option<&TabVisit>, now: Millis) -> Option<Millis> {
        if self.ours_page.as_deref() == Some(page) {
            return Some(0);
        }
        if self.ours_until > now {
            return Some(self.ours_until);
        }
        opener
            .filter(|_| !self.seen)
            .map(|opener| opener.ours_opened_until)
            .filter(|until| *until > now)
    }

    /// A page of this tab reported itself: its visit's verdict, and the tab's state after it
    /// (the first stand-down kept; a visit of ours that landed here ends its journey here; one
    /// still on its way, taken over from the opener for a new tab, keeps its mark).
    pub fn page_reported(&mut self, report: &PageReport<'_>, ours: &AffiliateLinks) -> Verdict {
        let under_way = self.ours_under_way(report.page, report.opener, report.now);
        let verdict = verdict(
            &Visit {
                earlier: self.stood_down,
                landing: report.landing,
                sender_url: report.sender_url,
                referrer: report.referrer,
                ours_under_way: under_way.is_some(),
                cookies: report.cookies,
            },
            ours,
        );
        self.stood_down = verdict.stand_down;
        self.seen = true;
        if verdict.ours_landed {
            self.ours_page = Some(report.page.to_owned());
            self.ours_until = 0;
        } else if let Some(until) = under_way {
            self.ours_until = self.ours_until.max(until);
        }
        verdict
    }

    /// A page's verdict with the tab's state after it, as the worker reads it:
    /// `{"stand_down", "ours_landed", "visit": {...}}`.
    pub fn verdict_json(&self, verdict: &Verdict) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("stand_down");
        w.optional_string(verdict.stand_down.map(StandDown::as_str));
        w.key("ours_landed");
        w.boolean(verdict.ours_landed);
        w.key("visit");
        w.nested(|w| self.write_json(w));
        w.end_object();
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AffiliateKey;

    const NOW: Millis = 1_000_000;
    const PRODUCT: &str = "https://www.aliexpress.com/item/1005001234567890.html";
    const REDIRECT: &str =
        "https://s.click.aliexpress.com/deep_link.htm?aff_short_key=ourkey&dl_target_url=x";
    const BARE: &str = "https://s.click.aliexpress.com/";

    fn ours() -> AffiliateLinks {
        AffiliateLinks::new(AffiliateKey::parse("ourkey").expect("key"))
    }

    /// A page load of `url` in `tab`, with the redirect's bare referrer: whether it stood down.
    fn load(
        tab: &mut TabVisit,
        page: &str,
        url: &str,
        now: Millis,
        opener: Option<&TabVisit>,
    ) -> Verdict {
        tab.page_reported(
            &PageReport {
                page,
                landing: url,
                sender_url: url,
                referrer: BARE,
                cookies: "",
                opener,
                now,
            },
            &ours(),
        )
    }

    #[test]
    fn without_a_click_on_our_link_the_bare_redirect_referrer_stands_down() {
        let mut tab = TabVisit::default();
        assert_eq!(
            load(&mut tab, "landing", PRODUCT, NOW, None).stand_down,
            Some(StandDown::AffiliateReferrer)
        );
        // The first verdict sticks.
        tab.followed_our_link(false, NOW);
        assert!(load(&mut tab, "next", PRODUCT, NOW + 10, None)
            .stand_down
            .is_some());
    }

    #[test]
    fn our_click_the_redirect_and_the_landing_are_ours_and_the_landing_stays_ours() {
        let mut tab = TabVisit::default();
        tab.followed_our_link(false, NOW);
        let redirect = load(&mut tab, "redirect", REDIRECT, NOW + 100, None);
        assert_eq!((redirect.stand_down, redirect.ours_landed), (None, false));
        let landed = load(&mut tab, "landing", PRODUCT, NOW + 900, None);
        assert_eq!((landed.stand_down, landed.ours_landed), (None, true));
        // Its later batches, long after the mark would have run out, are still ours.
        assert_eq!(
            tab.ours_under_way("landing", None, NOW + 10 * OUR_REDIRECT_MS),
            Some(0)
        );
        // The journey ended there: the next page is judged on its own.
        assert_eq!(tab.ours_under_way("next-page", None, NOW + 1_000), None);
    }

    #[test]
    fn the_mark_of_a_click_runs_out() {
        let mut tab = TabVisit::default();
        tab.followed_our_link(false, NOW);
        assert!(tab
            .ours_under_way("late", None, NOW + OUR_REDIRECT_MS - 1)
            .is_some());
        assert_eq!(
            tab.ours_under_way("late", None, NOW + OUR_REDIRECT_MS),
            None
        );
        assert!(load(&mut tab, "late", PRODUCT, NOW + OUR_REDIRECT_MS, None)
            .stand_down
            .is_some());
    }

    #[test]
    fn a_new_tab_takes_its_openers_mark_over_for_its_first_pages() {
        let mut opener = TabVisit::default();
        opener.followed_our_link(true, NOW);
        assert_eq!(
            opener.ours_under_way("opener-page", None, NOW + 10),
            None,
            "not the opener itself"
        );
        let mut opened = TabVisit::default();
        assert!(!load(&mut opened, "redirect", REDIRECT, NOW + 100, Some(&opener)).ours_landed);
        let landed = load(&mut opened, "landing", PRODUCT, NOW + 900, Some(&opener));
        assert_eq!((landed.stand_down, landed.ours_landed), (None, true));
        // A tab that has shown pages already does not take an opener's mark.
        let mut older = TabVisit {
            seen: true,
            ..TabVisit::default()
        };
        assert_eq!(
            older.ours_under_way("older-next", Some(&opener), NOW + 200),
            None
        );
        assert!(
            load(&mut older, "older-next", PRODUCT, NOW + 200, Some(&opener))
                .stand_down
                .is_some()
        );
    }

    #[test]
    fn someone_elses_key_in_the_cookies_stands_the_tab_down_for_the_visit() {
        let report = |page, cookies| PageReport {
            page,
            landing: PRODUCT,
            sender_url: PRODUCT,
            referrer: "",
            cookies,
            opener: None,
            now: NOW,
        };
        let theirs = "aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-_DlJ4Oaz";
        let mut tab = TabVisit::default();
        let first = tab.page_reported(&report("first", theirs), &ours());
        assert_eq!(first.stand_down, Some(StandDown::AffiliateCookie));
        // Kept, stored and read back, for the next pages even once the cookie is gone.
        let tab_json = tab.to_json();
        assert!(
            tab_json.contains(r#""stood_down":"affiliate_cookie""#),
            "{tab_json}"
        );
        let mut tab = TabVisit::from_json(&tab_json);
        let next = tab.page_reported(&report("next", ""), &ours());
        assert_eq!(next.stand_down, Some(StandDown::AffiliateCookie));
        // Our own key in them is ours.
        let our = "aeu_cid=6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-ourkey";
        let mut tab = TabVisit::default();
        assert_eq!(
            tab.page_reported(&report("ours", our), &ours()).stand_down,
            None
        );
    }

    #[test]
    fn the_state_reads_back_and_bad_state_is_a_fresh_visit() {
        let mut tab = TabVisit::default();
        tab.followed_our_link(false, NOW);
        load(&mut tab, "landing", PRODUCT, NOW + 900, None);
        assert_eq!(TabVisit::from_json(&tab.to_json()), tab);
        let stood = TabVisit {
            stood_down: Some(StandDown::AffiliateLanding),
            ..TabVisit::default()
        };
        assert_eq!(TabVisit::from_json(&stood.to_json()), stood);
        for bad in ["", "not json", "[]", r#"{"ours_until": -5, "seen": "yes"}"#] {
            assert_eq!(TabVisit::from_json(bad), TabVisit::default(), "{bad}");
        }
        // A stand-down this build does not know stays a stand-down.
        assert!(TabVisit::from_json(r#"{"stood_down": "from_the_future"}"#)
            .stood_down
            .is_some());
        let json: serde_json::Value =
            serde_json::from_str(&tab.verdict_json(&Verdict::default())).expect("json");
        assert_eq!(json["visit"]["ours_page"], "landing");
        assert_eq!(json["stand_down"], serde_json::Value::Null);
    }
}
