//! What the popup and the toolbar badge show for a tab: the page, read from its content
//! script's facts, and the coupons for it, with what could not be known said plainly, and which
//! of their codes can be filled in here.
//!
//! A page whose prices are known is a cart: every coupon that applies with its saving, and the
//! best stack. A page whose currency or prices are unknown still names its products and stores:
//! the coupons it is about are listed without savings, rather than no coupon at all.

use crate::codec::json::Writer;
use crate::coupon::{listing, report, CouponIndex, CouponReport, PageCoupons, Subject, Timestamp};
use crate::page::{Note, PageContext, PageKind, Unknown};

/// The longest promo code, in characters, the checkout's field is filled with: the feed's own
/// limit on a code, so that every code the feed accepts can be filled.
pub const MAX_PROMO_CODE_CHARS: usize = crate::coupon::MAX_ID_LEN;

/// What a tab's popup shows, written as JSON by [`PageDeals::to_json`].
#[derive(Debug, Clone)]
pub struct PageDeals<'c> {
    /// The page as understood.
    pub page: PageContext,
    /// What the shopper should know about how the coupons were matched.
    pub notes: Vec<DealNote>,
    /// Whether what the page shows can change without a new page (a product's variant and
    /// price, the cart's lines): the content script keeps reading its facts only then.
    pub watch: bool,
    /// The coupons whose code can be filled into the page's promo code field, by id: promo codes,
    /// on a checkout whose field was found; none anywhere else.
    pub fillable: Vec<&'c str>,
    /// The coupons.
    pub coupons: CouponReport<'c>,
}

impl PageDeals<'_> {
    /// As JSON, the shape the popup reads: `{"page", "notes", "watch", "fillable"}` and the
    /// coupon report's fields (`"currency", "total", "total_text", "best", "coupons"`).
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("page");
        w.nested(|w| self.page.write_json(w));
        w.key("notes");
        w.strings(self.notes.iter().map(|n| n.name()));
        w.key("watch");
        w.boolean(self.watch);
        w.key("fillable");
        w.strings(self.fillable.iter().copied());
        self.coupons.write_json_fields(&mut w);
        w.end_object();
        w.finish()
    }
}

/// How the matching degraded, in words the popup has text for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealNote {
    /// No ship-to country: coupons for every country are listed.
    CountryUnknown,
    /// No currency: the page's coupons are listed without savings.
    CurrencyUnknown,
    /// Some price could not be read: savings leave those lines out, or are not shown.
    PriceUnknown,
    /// The page shows no product, store or cart to match coupons against.
    NothingToMatch,
    /// The page shows something to match, and no coupon applies to it.
    NoneApply,
    /// The cart or checkout is still loading its lines: nothing to match yet, which is not
    /// "nothing in it".
    StillLoading,
}

impl DealNote {
    /// Its name in JSON.
    fn name(self) -> &'static str {
        match self {
            Self::CountryUnknown => "country_unknown",
            Self::CurrencyUnknown => "currency_unknown",
            Self::PriceUnknown => "price_unknown",
            Self::NothingToMatch => "nothing_to_match",
            Self::NoneApply => "none_apply",
            Self::StillLoading => "still_loading",
        }
    }
}

/// The notes the shopper is shown, none contradicting another: a page with nothing to match (or
/// nothing yet) says only that (not that no coupon applies, nor which country's coupons are
/// listed); a page where no coupon applies says so, and nothing about what was listed, since
/// nothing was.
fn consistent(mut notes: Vec<DealNote>, coupons: usize) -> Vec<DealNote> {
    for alone in [DealNote::StillLoading, DealNote::NothingToMatch] {
        if notes.contains(&alone) {
            return vec![alone];
        }
    }
    if coupons == 0 {
        notes.retain(|note| *note == DealNote::PriceUnknown || *note == DealNote::CurrencyUnknown);
        notes.push(DealNote::NoneApply);
    }
    notes
}

/// Whether a coupon's code can be filled in on `page`: only at checkout, where the shopper types
/// one, and only when its promo code field was found (filling elsewhere could only fail).
fn takes_codes(page: &PageContext) -> bool {
    page.kind == PageKind::Checkout && page.promo_code_field
}

/// The deals for `page` (read by `crate::page::read_page`) at `now`, from the coupons of
/// `index` and those the page offers (`crate::coupon::page_coupons` of the same page).
pub fn deals_for_page<'c>(
    index: &'c CouponIndex,
    page: PageContext,
    on_page: &'c PageCoupons,
    now: Timestamp,
    new_user: bool,
) -> PageDeals<'c> {
    let mut notes = Vec::new();
    if page.unknown.contains(&Unknown::Country) {
        notes.push(DealNote::CountryUnknown);
    }
    let priced = page
        .cart(now, new_user)
        .filter(|cart| cart.items.iter().any(|item| item.price > 0));
    let coupons = match priced {
        Some(cart) => {
            if !page.prices_known() {
                notes.push(DealNote::PriceUnknown);
            }
            report(index, on_page, &cart)
        }
        None => {
            let scope = page.scope();
            let subject = Subject {
                store_ids: &scope.store_ids,
                product_ids: &scope.product_ids,
                category_ids: &scope.category_ids,
                currency: scope.currency,
                country: scope.country.map(|c| c.bytes()),
                new_user,
                now,
            };
            if subject.is_empty() && page.notes.contains(&Note::StillLoading) {
                notes.push(DealNote::StillLoading);
            } else if subject.is_empty() {
                notes.push(DealNote::NothingToMatch);
            } else if scope.currency.is_none() {
                notes.push(DealNote::CurrencyUnknown);
            } else {
                notes.push(DealNote::PriceUnknown);
            }
            listing(index, on_page, &subject)
        }
    };
    let watch = matches!(
        page.kind,
        PageKind::Product | PageKind::Cart | PageKind::Checkout
    );
    let fillable = if takes_codes(&page) {
        coupons
            .coupons
            .iter()
            .filter(|offer| offer.code.is_some())
            .map(|offer| offer.id)
            .collect()
    } else {
        Vec::new()
    };
    let notes = consistent(notes, coupons.coupons.len());
    PageDeals {
        page,
        notes,
        watch,
        fillable,
        coupons,
    }
}

/// For tests: `deals!(name = &index, facts_json, now, new_user);` binds `name` to the deals of the
/// page whose facts are `facts_json`, made as the Engine makes them.
#[cfg(test)]
macro_rules! deals {
    ($name:ident = $index:expr, $facts:expr, $now:expr, $new_user:expr) => {
        let page = $crate::page::read_page($facts).expect("facts");
        let on_page = $crate::coupon::page_coupons(&page, $index, $now);
        let $name = $crate::deals::deals_for_page($index, page, &on_page, $now, $new_user);
    };
}
#[cfg(test)]
pub(crate) use deals;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::parse_feed;
    use crate::page::FACTS_VERSION;

    const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "store", "kind": "store", "title": "US $1 off US $10", "store_id": "912345", "currency": "USD",
         "min_spend": 1000, "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "earbuds", "kind": "store", "title": "15% off the earbuds", "store_id": "912345", "product_ids": ["1005001234567890"],
         "currency": "USD", "min_spend": 0, "discount": {"type": "percent", "percent": 15, "max": 300},
         "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "select", "kind": "select", "title": "US $2 off", "currency": "USD", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "code", "kind": "code", "code": "SAVE1", "title": "US $1 off", "currency": "USD", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
    ]}"#;
    const NOW: Timestamp = 1_795_392_000;
    const US: &str = "region=US&c_tp=USD";

    fn index() -> CouponIndex {
        CouponIndex::new(parse_feed(FEED).expect("feed").coupons)
    }

    fn facts(cookie: &str, price: &str) -> String {
        serde_json::json!({
            "version": FACTS_VERSION,
            "url": "https://www.aliexpress.com/item/1005001234567890.html",
            "base": "https://www.aliexpress.com/item/1005001234567890.html",
            "cookie": cookie,
            "product": {"prices": [price], "store_links": ["//www.aliexpress.com/store/912345"]},
        })
        .to_string()
    }

    /// A checkout with one line of the earbuds, and a promo code field or not.
    fn checkout(promo_code_input: bool) -> String {
        serde_json::json!({
            "version": FACTS_VERSION,
            "url": "https://www.aliexpress.com/p/trade/confirm.html?objectId=1005001234567890",
            "cookie": US,
            "items": [{"links": ["/item/1005001234567890.html"], "store_link": "/store/912345",
                       "price": "US $12.99", "quantity": "x1", "selected": null}],
            "promo_code_input": promo_code_input,
        })
        .to_string()
    }

    /// The deals as the popup gets them: their one writer's JSON, read by serde_json.
    fn shown(deals: &PageDeals<'_>) -> serde_json::Value {
        serde_json::from_str(&deals.to_json()).expect("the deals' JSON parses")
    }

    #[test]
    fn a_priced_product_page_is_a_cart() {
        let index = index();
        deals!(deals = &index, &facts(US, "US $12.99"), NOW, false);
        let ids: Vec<&str> = deals.coupons.coupons.iter().map(|c| c.id).collect();
        // One store coupon per store: the earbuds' 15 % (1.94) beats the store's 1.00.
        assert_eq!(ids, ["earbuds", "select", "code", "store"], "{deals:?}");
        assert_eq!(deals.coupons.best.saving, 194 + 200 + 100);
        assert!(deals.notes.is_empty(), "{:?}", deals.notes);
        let json = shown(&deals);
        assert_eq!(json["page"]["kind"], "product");
        assert_eq!(
            json["watch"], true,
            "a product page's variant can change its price"
        );
        assert_eq!(json["notes"], serde_json::json!([]));
        assert_eq!(json["best"]["applied"].as_array().map(Vec::len), Some(3));
        assert_eq!(json["best"]["saving_text"], "4.94");
        assert_eq!(json["fillable"], serde_json::json!([]), "no field to fill");
        assert_eq!(
            json["coupons"][0]["id"], "earbuds",
            "the report's fields sit beside the page's"
        );
    }

    #[test]
    fn codes_can_be_filled_only_at_a_checkout_with_its_field() {
        let index = index();
        deals!(deals = &index, &checkout(true), NOW, false);
        assert_eq!(deals.page.kind, PageKind::Checkout);
        assert_eq!(deals.fillable, ["code"]);
        assert_eq!(shown(&deals)["fillable"], serde_json::json!(["code"]));
        deals!(without_field = &index, &checkout(false), NOW, false);
        assert_eq!(without_field.page.kind, PageKind::Checkout);
        assert!(
            without_field.coupons.coupons.iter().any(|c| c.id == "code"),
            "the code still applies, to copy"
        );
        assert!(without_field.fillable.is_empty(), "nowhere to fill it");
        deals!(product = &index, &facts(US, "US $12.99"), NOW, false);
        assert!(product.coupons.coupons.iter().any(|c| c.id == "code"));
        assert!(product.fillable.is_empty(), "not at checkout");
    }

    #[test]
    fn every_code_the_feed_accepts_can_be_filled() {
        // Characters, not bytes: a code of multi-byte characters as long as the feed allows.
        let feed_with =
            |code: &str| FEED.replace("\"SAVE1\"", &serde_json::to_string(code).expect("json"));
        let longest = "é".repeat(MAX_PROMO_CODE_CHARS);
        let feed = parse_feed(&feed_with(&longest)).expect("feed");
        assert!(feed.problems.is_empty(), "{:?}", feed.problems);
        let index = CouponIndex::new(feed.coupons);
        deals!(deals = &index, &checkout(true), NOW, false);
        assert_eq!(deals.fillable, ["code"]);
        let code = deals.coupons.coupons.iter().find_map(|c| c.code);
        assert_eq!(code, Some(longest.as_str()));
        let too_long = parse_feed(&feed_with(&"é".repeat(MAX_PROMO_CODE_CHARS + 1))).expect("feed");
        assert_eq!(
            too_long.problems.len(),
            1,
            "one character more is the feed's to refuse"
        );
    }

    #[test]
    fn without_a_price_the_product_s_coupons_are_listed() {
        let index = index();
        deals!(deals = &index, &facts("", ""), NOW, false);
        let ids: Vec<&str> = deals.coupons.coupons.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            ["store", "earbuds"],
            "store coupons, no order-wide ones"
        );
        assert!(deals.coupons.coupons.iter().all(|c| c.saving.is_none()));
        assert_eq!(
            deals.notes,
            [DealNote::CountryUnknown, DealNote::CurrencyUnknown]
        );
        let json = shown(&deals);
        assert_eq!(
            json["notes"],
            serde_json::json!(["country_unknown", "currency_unknown"])
        );
        assert_eq!(json["coupons"][0]["saving"], serde_json::Value::Null);
        assert_eq!(json["total"], serde_json::Value::Null);
    }

    #[test]
    fn bad_facts_are_an_error_not_a_panic() {
        let index = index();
        assert!(matches!(
            crate::page::read_page("not json"),
            Err(crate::page::PageError::NotJson(_))
        ));
        let other =
            serde_json::json!({"version": FACTS_VERSION, "url": "https://www.aliexpress.com/"})
                .to_string();
        deals!(deals = &index, &other, NOW, false);
        assert!(!deals.watch, "nothing on a home page to keep reading");
        assert!(deals.coupons.coupons.is_empty());
        // Not "coupons for every country are listed" beside "open a product to see coupons".
        assert_eq!(
            shown(&deals)["notes"],
            serde_json::json!(["nothing_to_match"])
        );
    }

    #[test]
    fn a_cart_still_loading_is_not_yet_not_empty() {
        let index = index();
        let cart = "https://www.aliexpress.com/p/shoppingcart/index.html";
        let facts = |loading: bool, items: serde_json::Value| {
            serde_json::json!({
                "version": FACTS_VERSION, "url": cart, "base": cart,
                "cookie": "region=US&c_tp=USD", "loading": loading, "items": items,
            })
            .to_string()
        };
        deals!(
            spinning = &index,
            &facts(true, serde_json::json!([])),
            NOW,
            false
        );
        assert_eq!(
            shown(&spinning)["notes"],
            serde_json::json!(["still_loading"])
        );
        assert!(spinning.watch, "read again once the lines are there");
        deals!(
            empty = &index,
            &facts(false, serde_json::json!([])),
            NOW,
            false
        );
        assert_eq!(
            shown(&empty)["notes"],
            serde_json::json!(["nothing_to_match"])
        );
        // A spinner elsewhere on a cart whose lines are there (a shelf loading) changes nothing.
        let line = serde_json::json!([{"links": ["/item/1005001234567890.html"],
            "store_link": "//www.aliexpress.com/store/912345", "price": "US $12.99",
            "quantity": "1", "selected": true}]);
        deals!(loaded = &index, &facts(true, line.clone()), NOW, false);
        deals!(still = &index, &facts(false, line), NOW, false);
        assert_eq!(shown(&loaded)["notes"], shown(&still)["notes"]);
        assert!(!loaded.page.notes.contains(&Note::StillLoading));
    }

    #[test]
    fn the_notes_never_contradict_each_other() {
        let index = index();
        let pages = [
            (
                "https://www.aliexpress.com/",
                "",
                "",
                "//www.aliexpress.com/store/912345",
            ),
            (
                "https://www.aliexpress.com/item/1005001234567890.html",
                "",
                "",
                "//www.aliexpress.com/store/912345",
            ),
            (
                "https://www.aliexpress.com/item/1005001234567890.html",
                US,
                "US $12.99",
                "//www.aliexpress.com/store/912345",
            ),
            (
                "https://www.aliexpress.com/item/1005009999999999.html",
                "",
                "",
                "//www.aliexpress.com/store/1",
            ),
            (
                "https://www.aliexpress.com/item/1005009999999999.html",
                "region=BR&c_tp=BRL",
                "R$ 12,99",
                "//www.aliexpress.com/store/1",
            ),
            (
                "https://www.aliexpress.com/item/1005009999999999.html",
                "",
                "US $12.99",
                "",
            ),
        ];
        for (url, cookie, price, store) in pages {
            let facts = serde_json::json!({
                "version": FACTS_VERSION, "url": url, "base": url, "cookie": cookie,
                "product": {"prices": [price], "store_links": [store]},
            })
            .to_string();
            deals!(deals = &index, &facts, NOW, false);
            let notes = &deals.notes;
            let listed = !deals.coupons.coupons.is_empty();
            if notes.contains(&DealNote::NothingToMatch) {
                assert_eq!(notes, &[DealNote::NothingToMatch], "{url} {cookie}");
            }
            assert_eq!(
                notes.contains(&DealNote::NoneApply),
                !listed && !notes.contains(&DealNote::NothingToMatch),
                "{url} {cookie}: {notes:?}"
            );
            if !listed {
                assert!(
                    !notes.contains(&DealNote::CountryUnknown),
                    "{url}: {notes:?}"
                );
            }
        }
    }
}
