//! Smart Search's product results, second half: the products the affiliate API returned, as
//! the core holds them ([`FoundProduct`]), and the filters the API could not carry applied to
//! them ([`refine`]), saying how many each removed.
//!
//! What the API's products say, read here once ([`read_api_product`], the API client handing
//! over each product's fields as texts): prices are strings in major units (`"12.50"`), read
//! exactly into minor units of their currency by [`minor_units`], in the target currency asked
//! when the API gave one (`target_sale_price`), else in its own (`sale_price`);
//! `evaluate_rate` is the share of positive reviews (`"92.1%"`), not an average of stars
//! ([`read_positive_rate`]); `discount` is a percent (`"25%"`, [`read_discount`]); ids are
//! digits, kept as text (they exceed 2^53). The API says nothing of shipping costs or where a
//! product ships from: those stay unknown.
//!
//! How a star minimum is held against a share of positive reviews: the API gives no average of
//! stars, so "4 stars or more" is read as "at least 80% positive", a fifth of the share per
//! star ([`PERMILLE_PER_STAR`]). A product whose share, shipping or ship-from country is not
//! known is removed by a filter that needs it (the shopper asked for it; it cannot be shown to
//! hold), and counted apart as unknown.

use super::affiliate_query::{QueryPlan, ResultFilter, RESULTS_SHOWN};
use super::Filter;
use crate::coupon::PromoCodeInfo;
use crate::money::{minor_units, Currency, Minor};
use crate::page::CountryCode;

/// The share of positive reviews, in thousandths, that one star of a minimum rating stands for.
pub const PERMILLE_PER_STAR: u16 = 200;

/// The longest link or image address a product may carry.
const MAX_URL_BYTES: usize = 2048;

/// The longest product id: AliExpress's are 12 to 16 digits, beyond 2^53.
const MAX_ID_DIGITS: usize = 20;

/// A product's store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Store {
    /// Its id, digits as the API gives them.
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its page.
    pub url: Option<String>,
}

/// One product the affiliate API returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundProduct {
    /// AliExpress's id, as a string (ids exceed what an f64 holds).
    pub id: String,
    /// Its title, in the language asked.
    pub title: String,
    /// Its main image.
    pub image_url: Option<String>,
    /// Its page on AliExpress (`product_detail_url`: not an affiliate link, never shown).
    pub detail_url: Option<String>,
    /// The currency of both prices (the target currency asked).
    pub currency: Currency,
    /// What it sells for now, in minor units.
    pub price: Minor,
    /// What it sold for before the discount, when the API says.
    pub original_price: Option<Minor>,
    /// The discount, in percent.
    pub discount_percent: Option<u8>,
    /// The share of positive reviews, in thousandths (921 for 92.1%).
    pub positive_permille: Option<u16>,
    /// How many were ordered (the API's recent volume).
    pub orders: Option<u64>,
    /// The store, when the API says.
    pub store: Option<Store>,
    /// Our promotion link to it (an affiliate link: opened only at the shopper's click).
    pub promotion_link: Option<String>,
    /// Whether it ships for free, when known.
    pub free_shipping: Option<bool>,
    /// The country it ships from, when known.
    pub ship_from: Option<CountryCode>,
    /// The promo codes the API attached (`promo_code_info`, read in any of its shapes by
    /// [`read_promo_codes`](crate::coupon::read_promo_codes)), each into a coupon with
    /// [`promo_code_coupon`](crate::coupon::promo_code_coupon).
    pub promo_codes: Vec<PromoCodeInfo>,
}

/// One product of an answer of `product.query`, `hotproduct.query` or
/// `featuredpromo.products.get`, from its fields: `field(name)` is the text of the field the API
/// names so (trimmed, never empty; a number as the API wrote it, an integer's digits exactly).
/// `None` without an id, a title, or a price that reads; what else does not read is unknown.
/// The promo codes, an object of their own, are [`read_api_item`]'s to add.
///
/// [`read_api_item`]: super::api_value::read_api_item
pub fn read_api_product(field: &dyn Fn(&str) -> Option<String>) -> Option<FoundProduct> {
    let price = |name: &str| {
        let currency = Currency::parse(&field(&format!("{name}_currency"))?)?;
        Some((currency, minor_units(&field(name)?, currency)?))
    };
    // Both prices in the same currency: the target's when its sale price reads.
    let ((currency, sale), original) = match price("target_sale_price") {
        Some(target) => (target, price("target_original_price")),
        None => (price("sale_price")?, price("original_price")),
    };
    let store = Store {
        id: field("shop_id").filter(|id| is_id(id)),
        name: field("shop_name"),
        url: field("shop_url"),
    };
    Some(FoundProduct {
        id: field("product_id")?,
        title: field("product_title")?,
        image_url: field("product_main_image_url"),
        detail_url: field("product_detail_url"),
        currency,
        price: sale,
        original_price: original.filter(|(c, _)| *c == currency).map(|(_, p)| p),
        discount_percent: field("discount").as_deref().and_then(read_discount),
        positive_permille: field("evaluate_rate")
            .as_deref()
            .and_then(read_positive_rate),
        orders: field("lastest_volume").and_then(|n| n.parse().ok()),
        store: (store != Store::default()).then_some(store),
        promotion_link: field("promotion_link"),
        free_shipping: None,
        ship_from: None,
        promo_codes: Vec::new(),
    })
}

/// Whether `text` is an AliExpress id: digits, at most [`MAX_ID_DIGITS`] of them.
fn is_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_ID_DIGITS && text.bytes().all(|b| b.is_ascii_digit())
}

/// `evaluate_rate` (`"92.1%"`, `"100.0%"`, `"95"`) in thousandths, at most 1000.
pub fn read_positive_rate(text: &str) -> Option<u16> {
    let number = text.trim().strip_suffix('%').unwrap_or(text.trim()).trim();
    let (whole, tenths) = match number.split_once('.') {
        Some((whole, fraction)) => {
            // One decimal kept; only zeros may follow it.
            let mut digits = fraction.bytes();
            let first = digits.next().unwrap_or(b'0');
            if !first.is_ascii_digit() || !digits.all(|b| b == b'0') || fraction.is_empty() {
                return None;
            }
            (whole, u16::from(first - b'0'))
        }
        None => (number, 0),
    };
    if whole.is_empty() || whole.len() > 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let permille = whole.parse::<u16>().ok()? * 10 + tenths;
    (permille <= 1000).then_some(permille)
}

/// `discount` (`"25%"`, `"25"`) in whole percent, at most 100.
pub fn read_discount(text: &str) -> Option<u8> {
    let number = text.trim().strip_suffix('%').unwrap_or(text.trim()).trim();
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse::<u8>().ok().filter(|p| *p <= 100)
}

/// How one filter went over the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterOutcome {
    /// The filter.
    pub filter: Filter,
    /// How many products it removed, the unknown among them.
    pub removed: usize,
    /// How many of those it removed because the product did not say.
    pub unknown: usize,
}

/// The products to show, and what was done to get them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refinement {
    /// The products kept, in the API's order, at most [`RESULTS_SHOWN`].
    pub products: Vec<FoundProduct>,
    /// Each filter applied to the results, in the plan's order.
    pub filters: Vec<FilterOutcome>,
    /// Products left out as unusable before any filter: an id that is not digits, no title, no
    /// price, a price in another currency than asked, or an address that is not `https`.
    pub unusable: usize,
    /// Products that passed every filter but were beyond the [`RESULTS_SHOWN`] shown.
    pub not_shown: usize,
}

/// Applies the plan's result filters to `products` (each product removed by the first filter it
/// fails, so the counts add up), after leaving out unusable ones. At most a page of the API's
/// largest size is read; more is counted as not shown.
pub fn refine(products: Vec<FoundProduct>, plan: &QueryPlan) -> Refinement {
    let currency = plan.query.target_currency;
    let mut filters: Vec<FilterOutcome> = plan
        .on_results
        .iter()
        .map(|f| FilterOutcome {
            filter: f.filter(),
            removed: 0,
            unknown: 0,
        })
        .collect();
    let mut kept = Vec::with_capacity(products.len().min(RESULTS_SHOWN as usize));
    let (mut unusable, mut not_shown) = (0, 0);
    'products: for product in products {
        if !usable(&product, currency) {
            unusable += 1;
            continue;
        }
        for (filter, outcome) in plan.on_results.iter().zip(filters.iter_mut()) {
            match passes(&product, *filter) {
                Some(true) => {}
                verdict => {
                    outcome.removed += 1;
                    outcome.unknown += usize::from(verdict.is_none());
                    continue 'products;
                }
            }
        }
        if kept.len() < RESULTS_SHOWN as usize {
            kept.push(product);
        } else {
            not_shown += 1;
        }
    }
    Refinement {
        products: kept,
        filters,
        unusable,
        not_shown,
    }
}

/// Whether the product meets the filter; `None` when it does not say.
fn passes(product: &FoundProduct, filter: ResultFilter) -> Option<bool> {
    match filter {
        ResultFilter::Rating(stars) => {
            let needed = (stars * f64::from(PERMILLE_PER_STAR) - 1e-9).ceil();
            product.positive_permille.map(|p| f64::from(p) >= needed)
        }
        ResultFilter::FreeShipping => product.free_shipping,
        ResultFilter::ShipFrom(country) => product.ship_from.map(|from| from == country),
    }
}

/// Whether a product can be shown at all.
fn usable(product: &FoundProduct, currency: Currency) -> bool {
    let urls = [
        product.image_url.as_deref(),
        product.promotion_link.as_deref(),
        product.store.as_ref().and_then(|s| s.url.as_deref()),
    ];
    is_id(&product.id)
        && !product.title.trim().is_empty()
        && product.price > 0
        && product.currency == currency
        && urls.into_iter().flatten().all(https)
}

/// An `https` address without spaces or control characters, of a bounded length.
fn https(url: &str) -> bool {
    url.len() <= MAX_URL_BYTES
        && url.len() > "https://".len()
        && url
            .get(.."https://".len())
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        && !url.bytes().any(|b| b <= b' ' || b == 0x7F)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::locale::UiLanguage;
    use crate::money::{code, Rates};
    use crate::search::affiliate_query::{plan_query, SearchTarget};
    use crate::search::parse_query_in;

    /// A usable product in US dollars, numbered.
    pub(crate) fn product(n: u64) -> FoundProduct {
        FoundProduct {
            id: format!("10050012345{n:05}"),
            title: format!("Lamp {n}"),
            image_url: Some(format!("https://ae01.alicdn.com/kf/{n}.jpg")),
            detail_url: Some(format!(
                "https://www.aliexpress.com/item/10050012345{n:05}.html"
            )),
            currency: code("USD"),
            price: 1000 + n,
            original_price: Some(2000 + n),
            discount_percent: Some(50),
            positive_permille: Some(900),
            orders: Some(n * 10),
            store: Some(Store {
                id: Some("912345".into()),
                name: Some("Lamp Store".into()),
                url: Some("https://www.aliexpress.com/store/912345".into()),
            }),
            promotion_link: Some(format!("https://s.click.aliexpress.com/e/_{n}")),
            free_shipping: Some(true),
            ship_from: CountryCode::parse("CN"),
            promo_codes: Vec::new(),
        }
    }

    fn plan(text: &str) -> QueryPlan {
        let target = SearchTarget {
            ship_to: CountryCode::parse("US").unwrap_or_else(|| unreachable!()),
            currency: code("USD"),
            language: UiLanguage::En,
        };
        let request = parse_query_in(text, Some(target.currency));
        plan_query(&request, target, &Rates::none()).unwrap_or_else(|e| unreachable!("{e}"))
    }

    /// Each text of `cases` read by `read` gives its answer.
    fn table<T: PartialEq + std::fmt::Debug>(
        read: fn(&str) -> Option<T>,
        cases: &[(&str, Option<T>)],
    ) {
        for (text, want) in cases {
            assert_eq!(read(text), *want, "{text:?}");
        }
    }

    #[test]
    fn reads_the_apis_texts() {
        table(
            read_positive_rate,
            &[
                ("92.1%", Some(921)),
                ("95.5%", Some(955)),
                ("50%", Some(500)),
                ("100.0%", Some(1000)),
                ("95", Some(950)),
                ("95%", Some(950)),
                (" 88.50% ", Some(885)),
                (" 7.0 %", Some(70)),
                ("0.0%", Some(0)),
                ("0%", Some(0)),
                ("100.1%", None),
                ("101%", None),
                ("92.15%", None),
                ("abc", None),
                ("", None),
                ("%", None),
                ("9.%", None),
                ("-5%", None),
                ("1000%", None),
            ],
        );
        table(
            read_discount,
            &[
                ("25%", Some(25)),
                ("0%", Some(0)),
                ("100", Some(100)),
                ("101%", None),
                ("2.5%", None),
                ("", None),
            ],
        );
    }

    /// The fields of a product as the API writes them.
    fn api_fields() -> Vec<(&'static str, &'static str)> {
        vec![
            ("product_id", "9007199254740993"),
            ("product_title", "Bluetooth Speaker"),
            ("product_main_image_url", "https://ae01.alicdn.com/kf/s.jpg"),
            (
                "product_detail_url",
                "https://www.aliexpress.com/item/9007199254740993.html",
            ),
            ("sale_price", "14.00"),
            ("sale_price_currency", "USD"),
            ("original_price", "28.00"),
            ("original_price_currency", "USD"),
            ("target_sale_price", "12.99"),
            ("target_sale_price_currency", "EUR"),
            ("target_original_price", "25.98"),
            ("target_original_price_currency", "EUR"),
            ("discount", "50%"),
            ("evaluate_rate", "95.5%"),
            ("lastest_volume", "1520"),
            ("shop_id", "912345"),
            ("shop_name", "Speaker Store"),
            ("shop_url", "https://www.aliexpress.com/store/912345"),
            ("promotion_link", "https://s.click.aliexpress.com/e/_x"),
        ]
    }

    fn read_fields(fields: &[(&str, &str)]) -> Option<FoundProduct> {
        read_api_product(&|name| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    /// `api_fields` with `name` set to `value` (`None`: left out).
    fn with(name: &'static str, value: Option<&'static str>) -> Option<FoundProduct> {
        let mut fields = api_fields();
        fields.retain(|(n, _)| *n != name);
        fields.extend(value.map(|v| (name, v)));
        read_fields(&fields)
    }

    #[test]
    fn a_product_reads_from_the_apis_fields() {
        let read = read_fields(&api_fields()).unwrap_or_else(|| unreachable!());
        assert_eq!(
            read,
            FoundProduct {
                id: "9007199254740993".into(),
                title: "Bluetooth Speaker".into(),
                image_url: Some("https://ae01.alicdn.com/kf/s.jpg".into()),
                detail_url: Some("https://www.aliexpress.com/item/9007199254740993.html".into()),
                currency: code("EUR"),
                price: 1299,
                original_price: Some(2598),
                discount_percent: Some(50),
                positive_permille: Some(955),
                orders: Some(1520),
                store: Some(Store {
                    id: Some("912345".into()),
                    name: Some("Speaker Store".into()),
                    url: Some("https://www.aliexpress.com/store/912345".into()),
                }),
                promotion_link: Some("https://s.click.aliexpress.com/e/_x".into()),
                free_shipping: None,
                ship_from: None,
                promo_codes: Vec::new(),
            }
        );
        // No target price: the API's own, both in its currency.
        let own = with("target_sale_price", None).unwrap_or_else(|| unreachable!());
        assert_eq!(
            (own.currency, own.price, own.original_price),
            (code("USD"), 1400, Some(2800))
        );
        // An original price in another currency than the sale price is not one.
        let mixed = with("target_original_price_currency", Some("USD"));
        assert_eq!(mixed.map(|p| p.original_price), Some(None));
        // Without an id, a title or a price there is no product.
        for name in ["product_id", "product_title"] {
            assert_eq!(with(name, None), None, "{name}");
        }
        let mut fields = api_fields();
        fields.retain(|(n, _)| !n.contains("sale_price"));
        assert_eq!(read_fields(&fields), None, "no price");
        // What does not read is unknown.
        assert_eq!(
            with("evaluate_rate", Some("great")).and_then(|p| p.positive_permille),
            None
        );
        assert_eq!(
            with("lastest_volume", Some("many")).and_then(|p| p.orders),
            None
        );
        let store = with("shop_id", Some("12ab")).and_then(|p| p.store);
        assert_eq!(store.map(|s| s.id), Some(None), "a store id is digits");
        let mut fields = api_fields();
        fields.retain(|(n, _)| !n.starts_with("shop_"));
        assert_eq!(read_fields(&fields).map(|p| p.store), Some(None));
    }

    #[test]
    fn the_rating_filter_reads_stars_as_a_fifth_each() {
        let plan = plan("lamp 4+ stars");
        let mut products = Vec::new();
        for (n, permille) in [
            (1, Some(800)),
            (2, Some(799)),
            (3, None),
            (4, Some(1000)),
            (5, Some(0)),
        ] {
            let mut p = product(n);
            p.positive_permille = permille;
            products.push(p);
        }
        let refined = refine(products, &plan);
        let ids: Vec<u64> = refined.products.iter().map(|p| p.price - 1000).collect();
        assert_eq!(ids, [1, 4]);
        assert_eq!(
            refined.filters,
            [FilterOutcome {
                filter: Filter::Rating,
                removed: 3,
                unknown: 1
            }]
        );
        // 4.5 stars is 90%.
        let plan = super::tests::plan("lamp at least 4.5 stars");
        let mut p = product(1);
        p.positive_permille = Some(899);
        assert!(refine(vec![p.clone()], &plan).products.is_empty());
        p.positive_permille = Some(900);
        assert_eq!(refine(vec![p], &plan).products.len(), 1);
    }

    #[test]
    fn each_filter_removes_and_counts() {
        let plan = plan("lamp 4+ stars free shipping ships from Spain");
        let es = CountryCode::parse("ES");
        let mut products = Vec::new();
        let mut add = |n, permille, free, from| {
            let mut p = product(n);
            p.positive_permille = permille;
            p.free_shipping = free;
            p.ship_from = from;
            products.push(p);
        };
        add(1, Some(900), Some(true), es); // kept
        add(2, Some(500), Some(true), es); // rating
        add(3, Some(900), Some(false), es); // shipping
        add(4, Some(900), None, es); // shipping, unknown
        add(5, Some(900), Some(true), CountryCode::parse("CN")); // ship from
        add(6, Some(900), Some(true), None); // ship from, unknown
        add(7, None, None, None); // rating, unknown: counted once, by the first filter
        add(8, Some(950), Some(true), es); // kept
        let refined = refine(products, &plan);
        let kept: Vec<u64> = refined.products.iter().map(|p| p.price - 1000).collect();
        assert_eq!(kept, [1, 8]);
        let outcome = |filter, removed, unknown| FilterOutcome {
            filter,
            removed,
            unknown,
        };
        assert_eq!(
            refined.filters,
            [
                outcome(Filter::Rating, 2, 1),
                outcome(Filter::FreeShipping, 2, 1),
                outcome(Filter::ShipFrom, 2, 1),
            ]
        );
        assert_eq!((refined.unusable, refined.not_shown), (0, 0));
    }

    #[test]
    fn no_filter_keeps_all_up_to_a_page() {
        let plan = plan("lamp");
        let refined = refine((0..25).map(product).collect(), &plan);
        assert_eq!(refined.products.len(), RESULTS_SHOWN as usize);
        assert_eq!(refined.not_shown, 5);
        assert!(refined.filters.is_empty());
        // Unknown shipping is no reason to remove anything no one asked about.
        let mut p = product(1);
        p.free_shipping = None;
        p.ship_from = None;
        p.positive_permille = None;
        assert_eq!(refine(vec![p], &plan).products.len(), 1);
    }

    #[test]
    fn unusable_products_are_left_out() {
        let plan = plan("lamp");
        let mut bad = Vec::new();
        let mut with = |change: &dyn Fn(&mut FoundProduct)| {
            let mut p = product(1);
            change(&mut p);
            bad.push(p);
        };
        with(&|p| p.id = "1005-001".into());
        with(&|p| p.id = String::new());
        with(&|p| p.id = "1".repeat(21));
        with(&|p| p.title = "  ".into());
        with(&|p| p.price = 0);
        with(&|p| p.currency = code("EUR"));
        with(&|p| p.promotion_link = Some("javascript:alert(1)".into()));
        with(&|p| p.promotion_link = Some("http://s.click.aliexpress.com/e/_x".into()));
        with(&|p| p.image_url = Some("https://a b".into()));
        with(&|p| p.image_url = Some(format!("https://{}", "a".repeat(MAX_URL_BYTES))));
        with(&|p| {
            p.store = Some(Store {
                url: Some("data:text/html,x".into()),
                ..Store::default()
            })
        });
        let count = bad.len();
        bad.push(product(2));
        let refined = refine(bad, &plan);
        assert_eq!(refined.unusable, count);
        assert_eq!(refined.products, [product(2)]);
        // Without optional addresses a product is still usable.
        let mut bare = product(3);
        bare.image_url = None;
        bare.promotion_link = None;
        bare.store = None;
        assert_eq!(refine(vec![bare], &plan).unusable, 0);
    }
}
