//! The shopper's rewrite mode, what it allows on a tab, and the decision for one link.
//!
//! The Chrome Web Store's affiliate policy asks for a related user action and a real benefit
//! before each affiliate link, and forbids replacing someone else's: so by default nothing is
//! rewritten until the shopper activates deals on the tab, and stand-down beats every mode.

use std::fmt;
use std::str::FromStr;

use crate::affiliate::AffiliateLinks;
use crate::codec::json::Writer;
use crate::link::{Link, Tagging};
use crate::problem::Problem;
use crate::text::quoted;
use crate::visit::StandDown;

/// When product links may become affiliate links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RewriteMode {
    /// Only after the shopper clicks "Activate deals" on the tab (the default).
    #[default]
    Ask,
    /// As pages load; only once the shopper chose it in settings, with the disclosure shown.
    Auto,
    /// Never.
    Off,
}

/// A mode name that is not `ask`, `auto` or `off`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMode(pub String);

impl fmt::Display for UnknownMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown rewrite mode {}: expected ask, auto or off",
            quoted(&self.0)
        )
    }
}

impl std::error::Error for UnknownMode {}

impl UnknownMode {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &["rewrite_mode_unknown"];
}

impl Problem for UnknownMode {
    fn code(&self) -> &'static str {
        "rewrite_mode_unknown"
    }

    fn params(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
}

impl FromStr for RewriteMode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ask" => Ok(Self::Ask),
            "auto" => Ok(Self::Auto),
            "off" => Ok(Self::Off),
            other => Err(UnknownMode(other.chars().take(32).collect())),
        }
    }
}

impl RewriteMode {
    /// Every mode, in the order the options page offers them.
    pub const ALL: [Self; 3] = [Self::Ask, Self::Auto, Self::Off];

    /// The name stored in settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ask => "ask",
            Self::Auto => "auto",
            Self::Off => "off",
        }
    }
}

/// Why a tab's product links are held back as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBack {
    /// The visit came through someone else's affiliate link.
    StandDown,
    /// The shopper turned rewriting off.
    ModeOff,
    /// Ask mode, and the shopper has not activated deals on this tab.
    AskFirst,
}

impl HeldBack {
    /// The name the extension and the command line use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StandDown => "stand_down",
            Self::ModeOff => "mode_off",
            Self::AskFirst => "ask_first",
        }
    }
}

/// What the tab's settings and visit allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TabPolicy {
    /// The shopper's mode.
    pub mode: RewriteMode,
    /// Whether the shopper activated deals on this tab during this visit.
    pub activated: bool,
    /// Whether this visit came through someone else's affiliate link.
    pub stood_down: bool,
}

impl TabPolicy {
    /// A tab where product links may be rewritten (the command line's view).
    pub const REWRITE: Self = Self {
        mode: RewriteMode::Auto,
        activated: true,
        stood_down: false,
    };

    /// Why product links must stay as they are, or `None` when they may be rewritten.
    /// Stand-down comes first: it beats every mode.
    pub fn held_back(&self) -> Option<HeldBack> {
        if self.stood_down {
            return Some(HeldBack::StandDown);
        }
        match self.mode {
            RewriteMode::Off => Some(HeldBack::ModeOff),
            RewriteMode::Ask if !self.activated => Some(HeldBack::AskFirst),
            RewriteMode::Ask | RewriteMode::Auto => None,
        }
    }
}

/// What the popup says about a tab's links, worked out once here: the shell maps it to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabView {
    /// Why the tab's product links are held back, or `None` when they may carry our tag.
    pub held_back: Option<HeldBack>,
    /// The one note to show about the tab's links, if any.
    pub note: Option<TabNote>,
    /// Whether "Activate deals" is offered.
    pub can_activate: bool,
}

/// The note the popup shows about a tab's links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabNote {
    /// Standing down for the visit, and why: someone else's affiliate link brought the shopper.
    StandDown(StandDown),
    /// Ask mode: product links stay as they are until the shopper activates deals.
    AskFirst,
    /// The shopper turned rewriting off.
    ModeOff,
    /// The shopper activated deals on this tab.
    Activated,
    /// Auto mode: product links carry our tag as pages load.
    Auto,
}

impl TabNote {
    /// The name the extension uses (a stand-down note is named by its reason).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StandDown(why) => why.as_str(),
            Self::AskFirst => "ask_first",
            Self::ModeOff => "mode_off",
            Self::Activated => "activated",
            Self::Auto => "auto",
        }
    }
}

/// What the worker knows of a tab when the popup asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TabFacts {
    /// The shopper's mode.
    pub mode: RewriteMode,
    /// Whether the shopper activated deals on this tab during this visit.
    pub activated: bool,
    /// Why this visit stands down, if it does.
    pub stood_down: Option<StandDown>,
    /// Whether the tab shows an AliExpress page.
    pub aliexpress: bool,
    /// Whether the page's content script answered (a page open before the extension was
    /// installed has none until it is reloaded).
    pub page_seen: bool,
}

impl TabView {
    /// As JSON for the shell: `{"held_back", "note", "can_activate"}`, the names of
    /// [`HeldBack::as_str`] and [`TabNote::as_str`] or null.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("held_back");
        w.optional_string(self.held_back.map(HeldBack::as_str));
        w.key("note");
        w.optional_string(self.note.map(TabNote::as_str));
        w.key("can_activate");
        w.boolean(self.can_activate);
        w.end_object();
        w.finish()
    }

    /// The tab's view, in the policy's order: stand-down beats every mode; a mode's note is
    /// shown only where the extension runs on the page; activation is offered only in ask mode
    /// before it, on AliExpress.
    pub fn of(tab: &TabFacts) -> Self {
        if !tab.aliexpress {
            return Self {
                held_back: None,
                note: None,
                can_activate: false,
            };
        }
        let policy = TabPolicy {
            mode: tab.mode,
            activated: tab.activated,
            stood_down: tab.stood_down.is_some(),
        };
        let held_back = policy.held_back();
        let note = match (tab.stood_down, held_back) {
            (Some(why), _) => Some(TabNote::StandDown(why)),
            (None, _) if !tab.page_seen => None,
            (None, Some(HeldBack::AskFirst)) => Some(TabNote::AskFirst),
            (None, Some(HeldBack::ModeOff)) => Some(TabNote::ModeOff),
            (None, Some(HeldBack::StandDown)) => None,
            (None, None) if tab.activated => Some(TabNote::Activated),
            (None, None) => Some(TabNote::Auto),
        };
        Self {
            held_back,
            note,
            can_activate: held_back == Some(HeldBack::AskFirst),
        }
    }
}

/// Why a link is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveReason {
    /// Not an AliExpress link.
    NotAliexpress,
    /// Already someone's affiliate link, or carries their attribution.
    Attributed,
    /// One of the shopper's own pages (cart, checkout, sign-in, account, orders, messages):
    /// never rewritten.
    PersonalPage,
    /// An AliExpress page that is neither a product page nor a page about products (a store,
    /// a search, anything else).
    NotProduct,
    /// A fragment link to the page it is on ("Reviews"): it moves within the page, and a
    /// rewrite would send the shopper away from it.
    SamePage,
    /// A product link the tab's policy holds back.
    HeldBack(HeldBack),
}

impl LeaveReason {
    /// The name the command line prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAliexpress => "not_aliexpress",
            Self::Attributed => "attributed",
            Self::PersonalPage => "personal_page",
            Self::NotProduct => "not_product",
            Self::SamePage => "same_page",
            Self::HeldBack(held) => held.as_str(),
        }
    }
}

/// What happens to one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDecision {
    /// Replace the href with this affiliate link.
    Rewrite(String),
    /// Leave it, for this reason.
    Leave(LeaveReason),
}

/// Decides one link; see [`decide_into`] for the allocation-free form.
pub fn decide(link: &Link<'_>, policy: &TabPolicy, links: &AffiliateLinks) -> LinkDecision {
    let mut out = String::new();
    match decide_into(link, policy, links, &mut out) {
        Ok(()) => LinkDecision::Rewrite(out),
        Err(reason) => LinkDecision::Leave(reason),
    }
}

/// Appends the rewritten href to `out`, or says why the link is left alone (nothing written).
/// Only an AliExpress product page or page about products that carries no attribution is ever
/// rewritten, and never a page of the shopper's own.
pub fn decide_into(
    link: &Link<'_>,
    policy: &TabPolicy,
    links: &AffiliateLinks,
    out: &mut String,
) -> Result<(), LeaveReason> {
    let Some(link) = link.aliexpress() else {
        return Err(LeaveReason::NotAliexpress);
    };
    if link.attributed {
        return Err(LeaveReason::Attributed);
    }
    match link.tagging() {
        Tagging::ProductPage | Tagging::AboutProducts => {}
        Tagging::Personal => return Err(LeaveReason::PersonalPage),
        Tagging::Untagged => return Err(LeaveReason::NotProduct),
    }
    if let Some(held) = policy.held_back() {
        return Err(LeaveReason::HeldBack(held));
    }
    if links.write_link(link, out) {
        Ok(())
    } else {
        Err(LeaveReason::NotProduct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{classify, AffiliateKey};

    fn links() -> AffiliateLinks {
        AffiliateLinks::new(AffiliateKey::parse("KEY").expect("valid"))
    }

    fn policy(mode: RewriteMode, activated: bool, stood_down: bool) -> TabPolicy {
        TabPolicy {
            mode,
            activated,
            stood_down,
        }
    }

    #[test]
    fn modes() {
        use RewriteMode::*;
        assert_eq!(
            policy(Ask, false, false).held_back(),
            Some(HeldBack::AskFirst)
        );
        assert_eq!(policy(Ask, true, false).held_back(), None);
        assert_eq!(policy(Auto, false, false).held_back(), None);
        assert_eq!(
            policy(Off, true, false).held_back(),
            Some(HeldBack::ModeOff)
        );
        for mode in [Ask, Auto, Off] {
            for activated in [false, true] {
                assert_eq!(
                    policy(mode, activated, true).held_back(),
                    Some(HeldBack::StandDown)
                );
            }
        }
        assert_eq!("auto".parse(), Ok(Auto));
        assert!("Auto".parse::<RewriteMode>().is_err());
        assert_eq!(RewriteMode::default(), Ask);
    }

    #[test]
    fn reasons() {
        let decide = |href: &str, p: TabPolicy| match decide(&classify(href), &p, &links()) {
            LinkDecision::Rewrite(_) => "rewrite",
            LinkDecision::Leave(reason) => reason.as_str(),
        };
        let item = "https://www.aliexpress.com/item/1005001234567890.html";
        assert_eq!(decide(item, TabPolicy::REWRITE), "rewrite");
        assert_eq!(
            decide(item, policy(RewriteMode::Ask, false, false)),
            "ask_first"
        );
        assert_eq!(
            decide(item, policy(RewriteMode::Off, false, false)),
            "mode_off"
        );
        assert_eq!(
            decide(item, policy(RewriteMode::Auto, false, true)),
            "stand_down"
        );
        assert_eq!(
            decide(
                "https://example.com/item/1005001234567890.html",
                TabPolicy::REWRITE
            ),
            "not_aliexpress"
        );
        assert_eq!(
            decide("https://www.aliexpress.com/store/1234", TabPolicy::REWRITE),
            "not_product"
        );
        assert_eq!(
            decide("https://s.click.aliexpress.com/e/_abc", TabPolicy::REWRITE),
            "attributed"
        );
        assert_eq!(
            decide(&format!("{item}?aff_fcid=1"), TabPolicy::REWRITE),
            "attributed"
        );
        for personal in [
            "https://www.aliexpress.com/p/trade/confirm.html?productIds=1005001234567890:12000031234567",
            "https://www.aliexpress.com/p/shoppingcart/index.html",
            "https://login.aliexpress.com/?return=https%3A%2F%2Fwww.aliexpress.com%2Fitem%2F1005001234567890.html",
            "https://shoppingcart.aliexpress.com/addToShopcart4Js.htm?productId=1005001234567890",
        ] {
            assert_eq!(decide(personal, TabPolicy::REWRITE), "personal_page", "{personal}");
        }
        assert_eq!(
            decide(
                "https://sale.aliexpress.com/__pc/sale_page.htm?productIds=1005001234567890",
                TabPolicy::REWRITE
            ),
            "rewrite"
        );
    }

    #[test]
    fn a_tab_view_as_json() {
        let view = TabView::of(&TabFacts {
            aliexpress: true,
            page_seen: true,
            ..TabFacts::default()
        });
        assert_eq!(
            view.to_json(),
            r#"{"held_back":"ask_first","note":"ask_first","can_activate":true}"#
        );
        assert_eq!(
            TabView::of(&TabFacts::default()).to_json(),
            r#"{"held_back":null,"note":null,"can_activate":false}"#
        );
    }

    #[test]
    fn tab_views() {
        use RewriteMode::*;
        let view = |mode, activated, stood_down, aliexpress, page_seen| {
            let v = TabView::of(&TabFacts {
                mode,
                activated,
                stood_down,
                aliexpress,
                page_seen,
            });
            (
                v.held_back.map(HeldBack::as_str),
                v.note.map(TabNote::as_str),
                v.can_activate,
            )
        };
        let landing = Some(StandDown::AffiliateLanding);
        #[rustfmt::skip]
        let table = [
            // mode, activated, stood down, AliExpress, page seen → held back, note, can activate
            ((Ask, false, None, true, true), (Some("ask_first"), Some("ask_first"), true)),
            ((Ask, false, None, true, false), (Some("ask_first"), None, true)),
            ((Ask, true, None, true, true), (None, Some("activated"), false)),
            ((Auto, false, None, true, true), (None, Some("auto"), false)),
            ((Auto, true, None, true, true), (None, Some("activated"), false)),
            ((Off, true, None, true, true), (Some("mode_off"), Some("mode_off"), false)),
            ((Ask, false, landing, true, true), (Some("stand_down"), Some("affiliate_landing"), false)),
            ((Ask, false, landing, true, false), (Some("stand_down"), Some("affiliate_landing"), false)),
            ((Auto, true, Some(StandDown::AffiliateReferrer), true, true), (Some("stand_down"), Some("affiliate_referrer"), false)),
            ((Off, false, landing, true, true), (Some("stand_down"), Some("affiliate_landing"), false)),
            ((Ask, false, None, false, false), (None, None, false)),
            ((Ask, false, landing, false, true), (None, None, false)),
        ];
        for ((mode, activated, stood_down, aliexpress, page_seen), want) in table {
            assert_eq!(
                view(mode, activated, stood_down, aliexpress, page_seen),
                want,
                "{mode:?} activated {activated} {stood_down:?} aliexpress {aliexpress} page {page_seen}"
            );
        }
    }
}
