//! What the popup and the toolbar badge show for a tab: the page, read from its content
//! script's facts, and the coupons for it, with what could not be known said plainly.
//!
//! A page whose prices are known is a cart: every coupon that applies with its saving, and the
//! best stack. A page whose currency or prices are unknown still names its products and stores:
//! the coupons it is about are listed without savings, rather than no coupon at all.

use crate::codec::json::Writer;
use crate::coupon::{listing, report, CouponIndex, CouponReport, Subject, Timestamp};
use crate::page::{read_page, PageContext, PageError, PageKind, Unknown};

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
    /// The coupons.
    pub coupons: CouponReport<'c>,
}

impl PageDeals<'_> {
    /// As JSON, the shape the popup reads: its one writer (tests read it with serde_json),
    /// without serde's machinery, which the WASM need not carry.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("page");
        w.nested(|w| self.page.write_json(w));
        w.key("notes");
        w.strings(self.notes.iter().map(|n| n.name()));
        w.key("watch");
        w.boolean(self.watch);
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
}

impl DealNote {
    /// Its name in JSON.
    fn name(self) -> &'static str {
        match self {
            Self::CountryUnknown => "country_unknown",
            Self::CurrencyUnknown => "currency_unknown",
            Self::PriceUnknown => "price_unknown",
            Self::NothingToMatch => "nothing_to_match",
        }
    }
}

/// The deals for the page whose facts are `facts_json`, at `now`.
pub fn deals_for_page<'c>(
    index: &'c CouponIndex,
    facts_json: &str,
    now: Timestamp,
    new_user: bool,
) -> Result<PageDeals<'c>, PageError> {
    let page = read_page(facts_json)?;
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
            report(index, &cart)
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
            if subject.is_empty() {
                notes.push(DealNote::NothingToMatch);
            } else if scope.currency.is_none() {
                notes.push(DealNote::CurrencyUnknown);
            } else {
                notes.push(DealNote::PriceUnknown);
            }
            listing(index, &subject)
        }
    };
    let watch = matches!(
        page.kind,
        PageKind::Product | PageKind::Cart | PageKind::Checkout
    );
    Ok(PageDeals {
        page,
        notes,
        watch,
        coupons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::parse_feed;

    const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "store", "kind": "store", "title": "US $1 off US $10", "store_id": "912345", "currency": "USD",
         "min_spend": 1000, "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "earbuds", "kind": "store", "title": "15% off the earbuds", "store_id": "912345", "product_ids": ["1005001234567890"],
         "currency": "USD", "min_spend": 0, "discount": {"type": "percent", "percent": 15, "max": 300},
         "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "select", "kind": "select", "title": "US $2 off", "currency": "USD", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
    ]}"#;
    const NOW: Timestamp = 1_795_392_000;

    fn index() -> CouponIndex {
        CouponIndex::new(parse_feed(FEED).expect("feed").coupons)
    }

    fn facts(cookie: &str, price: &str) -> String {
        serde_json::json!({
            "version": 1,
            "url": "https://www.aliexpress.com/item/1005001234567890.html",
            "base": "https://www.aliexpress.com/item/1005001234567890.html",
            "cookie": cookie,
            "product": {"prices": [price], "store_links": ["//www.aliexpress.com/store/912345"]},
        })
        .to_string()
    }

    #[test]
    fn a_priced_product_page_is_a_cart() {
        let index = index();
        let deals = deals_for_page(
            &index,
            &facts("region=US&c_tp=USD", "US $12.99"),
            NOW,
            false,
        )
        .expect("deals");
        let ids: Vec<&str> = deals.coupons.coupons.iter().map(|c| c.id).collect();
        // One store coupon per store: the earbuds' 15 % (1.94) beats the store's 1.00.
        assert_eq!(ids, ["earbuds", "select", "store"], "{deals:?}");
        assert_eq!(deals.coupons.best.saving, 194 + 200);
        assert!(deals.notes.is_empty(), "{:?}", deals.notes);
        let json: serde_json::Value = serde_json::from_str(&deals.to_json()).expect("json");
        assert_eq!(json["page"]["kind"], "product");
        assert_eq!(
            json["watch"], true,
            "a product page's variant can change its price"
        );
        assert_eq!(json["best"]["applied"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn without_a_price_the_product_s_coupons_are_listed() {
        let index = index();
        let deals = deals_for_page(&index, &facts("", ""), NOW, false).expect("deals");
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
    }

    #[test]
    fn bad_facts_are_an_error_not_a_panic() {
        let index = index();
        assert!(deals_for_page(&index, "not json", NOW, false).is_err());
        let other =
            serde_json::json!({"version": 1, "url": "https://www.aliexpress.com/"}).to_string();
        let deals = deals_for_page(&index, &other, NOW, false).expect("an AliExpress page");
        assert_eq!(deals.notes.last(), Some(&DealNote::NothingToMatch));
        assert!(!deals.watch, "nothing on a home page to keep reading");
        assert!(deals.coupons.coupons.is_empty());
    }
}
