//! What the shopper is shown for a cart: every coupon that applies with its own saving and
//! terms, the best stack's coupons first, and the best stack's total, ready to serialise; or,
//! when the page's prices are unknown, the coupons it is about, without savings.
//!
//! Amounts come in minor units and as exact major-unit text (`"12.99"`), so the popup can
//! format money in the shopper's language without knowing each currency's digits. One writer
//! makes its JSON ([`CouponReport::to_json`]); tests read that with serde_json.

use super::subject::concerns;
use super::{
    applicable, best_stack, major_units, sort_keyed, Applicable, Cart, Coupon, CouponIndex,
    CouponKind, Currency, Minor, PageCoupons, Subject,
};
use crate::codec::json::Writer;

/// The coupons for one cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponReport<'c> {
    /// The cart's currency (`None` when listing without prices and the page named none).
    pub currency: Option<String>,
    /// The order total before coupons, in minor units (`None` without prices).
    pub total: Option<Minor>,
    /// The same in major units.
    pub total_text: Option<String>,
    /// The combination that saves the most.
    pub best: BestStack<'c>,
    /// Every coupon that applies on its own: the best stack's first, in the order AliExpress
    /// applies them, then the others by saving (larger first), then feed order.
    pub coupons: Vec<CouponOffer<'c>>,
}

/// The best stack's total and its coupons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestStack<'c> {
    /// What it saves in all, minor units.
    pub saving: Minor,
    /// The same in major units.
    pub saving_text: String,
    /// Its coupons' ids, in the order AliExpress applies them.
    pub applied: Vec<&'c str>,
    /// Whether the search stopped at its work bound before proving this the best: then it is
    /// the best combination found (see [`super::StackPlan::cut_short`]), and the popup says so.
    pub cut_short: bool,
}

/// One coupon that applies, with what it saves on its own and its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponOffer<'c> {
    /// The feed's id.
    pub id: &'c str,
    /// `store`, `select` or `code`.
    pub kind: &'static str,
    /// The title (untrusted feed text: shown as text).
    pub title: &'c str,
    /// What to type at checkout, for a promo code.
    pub code: Option<&'c str>,
    /// The store, for a store coupon.
    pub store_id: Option<&'c str>,
    /// Its saving on its own, minor units; `None` when the page's prices are unknown.
    pub saving: Option<Minor>,
    /// The same in major units.
    pub saving_text: Option<String>,
    /// The currency of its amounts.
    pub currency: String,
    /// The least its base must reach, minor units.
    pub min_spend: Minor,
    /// The same in major units.
    pub min_spend_text: String,
    /// Ship-to countries it is limited to; empty: everywhere.
    pub countries: Vec<String>,
    /// When it starts, milliseconds since the epoch (what JavaScript dates take).
    pub starts_at_ms: i64,
    /// When it ends (exclusive), milliseconds since the epoch.
    pub expires_at_ms: i64,
    /// Only for a first order.
    pub new_users_only: bool,
    /// Its page on AliExpress (an https AliExpress link the feed reader checked).
    pub url: Option<&'c str>,
    /// Whether it is part of the best stack.
    pub in_best: bool,
    /// Whether the page offers it (the store's own coupon on the page), not the feed.
    pub on_page: bool,
    /// Whether the page says it must be collected there before it applies.
    pub collect_first: bool,
}

impl CouponReport<'_> {
    /// As a JSON object: `{"currency", "total", "total_text", "best": {"saving", "saving_text",
    /// "applied", "cut_short"}, "coupons": [...]}`.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        self.write_json_fields(&mut w);
        w.end_object();
        w.finish()
    }

    /// Writes its fields into an object already open (the deals put them beside theirs).
    pub(crate) fn write_json_fields(&self, w: &mut Writer) {
        w.key("currency");
        w.optional_string(self.currency.as_deref());
        w.key("total");
        w.optional_unsigned(self.total);
        w.key("total_text");
        w.optional_string(self.total_text.as_deref());
        w.key("best");
        w.nested(|w| {
            w.begin_object();
            w.key("saving");
            w.unsigned(self.best.saving);
            w.key("saving_text");
            w.string(&self.best.saving_text);
            w.key("applied");
            w.strings(self.best.applied.iter().copied());
            w.key("cut_short");
            w.boolean(self.best.cut_short);
            w.end_object();
        });
        w.key("coupons");
        w.nested(|w| {
            w.begin_array();
            for offer in &self.coupons {
                w.nested(|w| offer.write_json(w));
            }
            w.end_array();
        });
    }
}

impl CouponOffer<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id");
        w.string(self.id);
        w.key("kind");
        w.string(self.kind);
        w.key("title");
        w.string(self.title);
        w.key("code");
        w.optional_string(self.code);
        w.key("store_id");
        w.optional_string(self.store_id);
        w.key("saving");
        w.optional_unsigned(self.saving);
        w.key("saving_text");
        w.optional_string(self.saving_text.as_deref());
        w.key("currency");
        w.string(&self.currency);
        w.key("min_spend");
        w.unsigned(self.min_spend);
        w.key("min_spend_text");
        w.string(&self.min_spend_text);
        w.key("countries");
        w.strings(self.countries.iter().map(String::as_str));
        w.key("starts_at_ms");
        w.signed(self.starts_at_ms);
        w.key("expires_at_ms");
        w.signed(self.expires_at_ms);
        w.key("new_users_only");
        w.boolean(self.new_users_only);
        w.key("url");
        w.optional_string(self.url);
        w.key("in_best");
        w.boolean(self.in_best);
        w.key("on_page");
        w.boolean(self.on_page);
        w.key("collect_first");
        w.boolean(self.collect_first);
        w.end_object();
    }
}

fn text(code: Currency) -> String {
    code.as_str().to_owned()
}

fn offer<'c>(
    coupon: &'c Coupon,
    saving: Option<Minor>,
    in_best: bool,
    on_page: &PageCoupons,
) -> CouponOffer<'c> {
    let collect_first = on_page.about(coupon);
    let (kind, code, store_id) = match coupon.kind() {
        CouponKind::Store { store_id, .. } => ("store", None, Some(store_id)),
        CouponKind::Select => ("select", None, None),
        CouponKind::Code { code } => ("code", Some(code), None),
    };
    let currency = coupon.currency();
    CouponOffer {
        id: coupon.id(),
        kind,
        title: coupon.title(),
        code,
        store_id,
        saving,
        saving_text: saving.map(|s| major_units(s, currency)),
        currency: text(currency),
        min_spend: coupon.min_spend(),
        min_spend_text: major_units(coupon.min_spend(), currency),
        countries: coupon
            .countries()
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect(),
        starts_at_ms: coupon.starts_at().saturating_mul(1000),
        expires_at_ms: coupon.expires_at().saturating_mul(1000),
        new_users_only: coupon.new_users_only(),
        url: coupon.url(),
        in_best,
        on_page: collect_first.is_some(),
        collect_first: collect_first.unwrap_or(false),
    }
}

/// The report for `cart` over the coupons of `index` and those the page offers.
pub fn report<'c>(
    index: &'c CouponIndex,
    on_page: &'c PageCoupons,
    cart: &Cart,
) -> CouponReport<'c> {
    let plan = best_stack(index.candidates(cart).chain(&on_page.coupons), cart);
    let best: Vec<&'c Coupon> = plan.applied().collect();
    let found = applicable(index.candidates(cart).chain(&on_page.coupons), cart);
    let in_best = |a: &Applicable<'_>| best.iter().any(|b| std::ptr::eq(*b, a.coupon));
    // The best stack's coupons in its order first, then the others by saving, larger first,
    // feed order breaking ties (the coupon rules' one sort, on the saving's complement and the
    // position).
    let mut others: Vec<(u64, u32)> = found
        .iter()
        .enumerate()
        .filter(|(_, a)| !in_best(a))
        .filter_map(|(i, a)| Some((Minor::MAX - a.saving, u32::try_from(i).ok()?)))
        .collect();
    sort_keyed(&mut others);
    let firsts = best
        .iter()
        .filter_map(|b| found.iter().find(|a| std::ptr::eq(*b, a.coupon)));
    let rest = others
        .iter()
        .filter_map(|(_, i)| found.get(usize::try_from(*i).ok()?));
    let coupons = firsts
        .chain(rest)
        .map(|a| offer(a.coupon, Some(a.saving), in_best(a), on_page))
        .collect();
    CouponReport {
        currency: Some(text(cart.currency)),
        total: Some(cart.total()),
        total_text: Some(major_units(cart.total(), cart.currency)),
        best: BestStack {
            saving: plan.saving,
            saving_text: major_units(plan.saving, cart.currency),
            applied: best.iter().map(|c| c.id()).collect(),
            cut_short: plan.cut_short,
        },
        coupons,
    }
}

/// The coupons a page is about when its prices (or currency) are unknown: no saving, no best
/// stack, in feed order, then those the page offers.
pub fn listing<'c>(
    index: &'c CouponIndex,
    on_page: &'c PageCoupons,
    subject: &Subject<'_>,
) -> CouponReport<'c> {
    CouponReport {
        currency: subject.currency.map(text),
        total: None,
        total_text: None,
        best: BestStack {
            saving: 0,
            saving_text: String::new(),
            applied: Vec::new(),
            cut_short: false,
        },
        coupons: index
            .concerning(subject)
            .into_iter()
            .chain(on_page.coupons.iter().filter(|c| concerns(c, subject)))
            .map(|coupon| offer(coupon, None, false, on_page))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{parse_cart, parse_feed};

    const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-01T00:00:00Z", "coupons": [
        {"id": "store-small", "kind": "store", "title": "US $1 off US $10", "store_id": "912345", "currency": "USD",
         "min_spend": 1000, "discount": {"type": "fixed", "amount": 100}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "select", "kind": "select", "title": "US $5 off US $29", "currency": "USD", "min_spend": 2900,
         "discount": {"type": "fixed", "amount": 500}, "countries": ["US"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "code", "kind": "code", "title": "<img src=x onerror=alert(1)>", "code": "SAVE2", "currency": "USD", "min_spend": 1500,
         "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z",
         "url": "https://www.aliexpress.com/p/coupon.html"},
        {"id": "store-big", "kind": "store", "title": "US $4.50 off US $30", "store_id": "912345", "currency": "USD",
         "min_spend": 3000, "discount": {"type": "fixed", "amount": 450}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
        {"id": "euro", "kind": "select", "title": "2 EUR off", "currency": "EUR", "min_spend": 0,
         "discount": {"type": "fixed", "amount": 200}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
    ]}"#;

    #[test]
    fn best_stack_first_then_by_saving() {
        let index = CouponIndex::new(parse_feed(FEED).expect("feed").coupons);
        let cart = parse_cart(
            r#"{"currency": "USD", "country": "US", "now": "2026-11-23T00:00:00Z",
                "items": [{"product_id": "1005001234567890", "store_id": "912345", "price": 3299, "quantity": 1}]}"#,
        )
        .expect("cart");
        let none = PageCoupons::default();
        let report = report(&index, &none, &cart);
        assert_eq!(report.currency.as_deref(), Some("USD"));
        assert_eq!(report.total_text.as_deref(), Some("32.99"));
        // store-big (4.50) leaves 28.49, under the select coupon's 29.00, so with the code it
        // saves 6.50; store-small (1.00), the select coupon (5.00) and the code (2.00) save 8.00.
        assert_eq!(report.best.applied, ["store-small", "select", "code"]);
        assert_eq!(
            (report.best.saving, report.best.saving_text.as_str()),
            (800, "8.00")
        );
        let ids: Vec<&str> = report.coupons.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["store-small", "select", "code", "store-big"]);
        let code = &report.coupons[2];
        assert_eq!(
            (code.kind, code.code, code.in_best),
            ("code", Some("SAVE2"), true)
        );
        assert_eq!(
            code.title, "<img src=x onerror=alert(1)>",
            "kept as text, never interpreted"
        );
        assert_eq!(code.min_spend_text, "15.00");
        assert_eq!(code.expires_at_ms, 1_796_083_200_000);
        assert!(!report.coupons[3].in_best);
        assert_eq!(report.coupons[1].countries, ["US"]);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
        assert_eq!(json["coupons"][1]["saving_text"], "5.00");
        assert_eq!(
            json["best"]["applied"],
            serde_json::json!(["store-small", "select", "code"])
        );
        assert_eq!(json["best"]["cut_short"], false);
        assert_eq!(json["total"], 3299);
        assert_eq!(json["coupons"][2]["title"], "<img src=x onerror=alert(1)>");
        assert_eq!(
            json["coupons"][2]["url"],
            "https://www.aliexpress.com/p/coupon.html"
        );
        assert_eq!(json["coupons"][3]["in_best"], false);
        assert_eq!(json["coupons"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn without_prices_the_store_coupons_are_listed_without_savings() {
        let index = CouponIndex::new(parse_feed(FEED).expect("feed").coupons);
        let stores = vec!["912345".to_owned()];
        let subject = Subject {
            store_ids: &stores,
            product_ids: &[],
            category_ids: &[],
            currency: None,
            country: None,
            new_user: false,
            now: 1_795_392_000,
        };
        let none = PageCoupons::default();
        let listed = listing(&index, &none, &subject);
        let ids: Vec<&str> = listed.coupons.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["store-small", "store-big"]);
        assert!(listed
            .coupons
            .iter()
            .all(|c| c.saving.is_none() && !c.in_best));
        assert_eq!((listed.best.saving, listed.total), (0, None));
    }
}
