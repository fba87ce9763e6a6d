//! What a page's structured data says about its product: schema.org JSON-LD (`Product` with
//! its `offers`, `BreadcrumbList`), Open Graph and microdata meta tags, and the page's own data
//! (`window.runParams`). Each is read for the same few things: ids, a price and its currency.

use crate::codec::json::Value;

use super::facts::ScriptKey;
use super::ids::{category_id_in, digits_id, script_value, store_id_in};
use super::price::{read_plain_amount, Amount};
use super::region::CountryCode;
use crate::link::{classify, ProductId};
use crate::money::Currency;

/// Nodes looked at per JSON-LD block, and offers per product: real pages have a handful.
const MAX_NODES: usize = 32;
const MAX_OFFERS: usize = 8;
const MAX_CRUMBS: usize = 16;

/// A price with the currency structured data gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Offer {
    pub amount: Amount,
    pub currency: Option<Currency>,
    /// The low end of a range (`AggregateOffer` with a different `highPrice`).
    pub range: bool,
}

/// What one kind of structured data says; empty where it says nothing.
#[derive(Debug, Default)]
pub(crate) struct Clues {
    pub product_ids: Vec<ProductId>,
    pub store_ids: Vec<String>,
    pub category_ids: Vec<String>,
    pub offers: Vec<Offer>,
    /// A price that was there and was not understood.
    pub unreadable_price: bool,
    pub country: Option<CountryCode>,
    pub currency: Option<Currency>,
    /// The data says this is a product page (`og:type` of `product`, a `Product` node).
    pub product_page: bool,
}

/// The product id an absolute URL names, by the link rules.
pub(crate) fn product_id_in(url: &str) -> Option<ProductId> {
    classify(url).aliexpress()?.product_id
}

/// JSON-LD blocks: `Product` nodes (at the top, in a list, or in `@graph`) and breadcrumbs.
pub(crate) fn from_json_ld(blocks: &[String]) -> Clues {
    let mut clues = Clues::default();
    for block in blocks {
        // A block that is not JSON (or nests deeper than serde_json's limit) is skipped.
        let Ok(value) = Value::parse(block) else {
            continue;
        };
        for node in nodes(&value) {
            if has_type(node, "Product") || has_type(node, "ProductGroup") {
                clues.product_page = true;
                read_product(node, &mut clues);
            } else if has_type(node, "BreadcrumbList") {
                read_breadcrumbs(node, &mut clues);
            }
        }
    }
    clues
}

/// The nodes of a block: itself, the entries of a top-level list, or of its `@graph`.
fn nodes<'v, 'a>(value: &'v Value<'a>) -> Vec<&'v Value<'a>> {
    let top: Vec<&Value> = match value {
        Value::Array(list) => list.iter().take(MAX_NODES).collect(),
        other => vec![other],
    };
    top.into_iter()
        .flat_map(|node| match node.get("@graph").and_then(Value::as_array) {
            Some(graph) => graph.iter().take(MAX_NODES).collect(),
            None => vec![node],
        })
        .take(MAX_NODES)
        .collect()
}

fn has_type(node: &Value, wanted: &str) -> bool {
    match node.get("@type") {
        Some(Value::String(t)) => *t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

fn read_product(node: &Value, clues: &mut Clues) {
    // `sku` is left out on purpose: AliExpress's variant ids have the shape of product ids.
    let from_urls = ["url", "@id"]
        .iter()
        .filter_map(|key| node.get(key)?.as_str())
        .filter_map(product_id_in);
    let from_ids = node
        .get("productID")
        .and_then(Value::as_str)
        .and_then(|id| ProductId::parse(id.trim()));
    clues.product_ids.extend(from_urls.chain(from_ids));
    let offers: Vec<&Value> = match node.get("offers") {
        Some(Value::Array(list)) => list.iter().take(MAX_OFFERS).collect(),
        Some(one) if one.is_object() => vec![one],
        _ => Vec::new(),
    };
    for offer in offers {
        read_offer(offer, clues);
    }
    if let Some(store) = seller_store(node) {
        clues.store_ids.push(store);
    }
}

fn read_offer(offer: &Value, clues: &mut Clues) {
    let currency = offer
        .get("priceCurrency")
        .and_then(Value::as_str)
        .and_then(|c| Currency::parse(c.trim()));
    let low = offer.get("price").or_else(|| offer.get("lowPrice"));
    let high = offer.get("highPrice").and_then(number_text);
    if let Some(text) = low.and_then(number_text) {
        match read_plain_amount(&text) {
            Ok(amount) => clues.offers.push(Offer {
                amount,
                currency,
                range: high.is_some_and(|high| high != text),
            }),
            Err(_) => clues.unreadable_price = true,
        }
    }
    if let Some(store) = seller_store(offer) {
        clues.store_ids.push(store);
    }
}

/// The store of a node's `seller` (`{"@type": "Organization", "url": ".../store/912345"}`).
fn seller_store(node: &Value) -> Option<String> {
    let seller = node.get("seller")?;
    ["url", "@id"]
        .iter()
        .filter_map(|key| seller.get(key)?.as_str())
        .find_map(store_id_in)
}

/// A number's text: strings as they are, numbers in the shortest form serde_json prints them in
/// (`12.99`, `15.0`; see [`crate::codec::json::Number::to_text`]), never through arithmetic.
fn number_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_text()),
        _ => None,
    }
}

fn read_breadcrumbs(node: &Value, clues: &mut Clues) {
    let Some(crumbs) = node.get("itemListElement").and_then(Value::as_array) else {
        return;
    };
    for crumb in crumbs.iter().take(MAX_CRUMBS) {
        let url = match crumb.get("item") {
            Some(Value::String(url)) => Some(&**url),
            Some(item) => ["@id", "url"]
                .iter()
                .find_map(|key| item.get(key)?.as_str()),
            None => None,
        };
        if let Some(id) = url.and_then(category_id_in) {
            push_new(&mut clues.category_ids, id);
        }
    }
}

/// Meta tags: `og:url`, `og:type`, `product:price:amount`/`currency` (and `og:price:*`),
/// microdata `price`, `priceCurrency` and `productID`. Names are matched without case.
pub(crate) fn from_meta(meta: &[(String, String)]) -> Clues {
    let mut clues = Clues::default();
    let get = |names: &[&str]| {
        meta.iter()
            .find(|(key, _)| names.iter().any(|n| key.eq_ignore_ascii_case(n)))
            .map(|(_, value)| value.trim())
    };
    clues.product_page = get(&["og:type"]).is_some_and(|t| t.eq_ignore_ascii_case("product"));
    clues
        .product_ids
        .extend(get(&["og:url"]).and_then(product_id_in));
    clues
        .product_ids
        .extend(get(&["productID"]).and_then(ProductId::parse));
    let currency = get(&[
        "product:price:currency",
        "og:price:currency",
        "priceCurrency",
    ])
    .and_then(Currency::parse);
    if let Some(text) = get(&["product:price:amount", "og:price:amount", "price"]) {
        match read_plain_amount(text) {
            Ok(amount) => clues.offers.push(Offer {
                amount,
                currency,
                range: false,
            }),
            Err(_) => clues.unreadable_price = true,
        }
    }
    clues
}

/// The page's own data (`window.runParams`): `storeNum`, `productId`, `categoryPaths`
/// (`26/100001719/2623`, top category first), `categoryId`, and the shopper's `currencyCode`
/// and `userCountryCode`.
pub(crate) fn from_script(script: &[(ScriptKey, String)]) -> Clues {
    let mut clues = Clues::default();
    for (key, after) in script {
        let Some(value) = script_value(after) else {
            continue;
        };
        match key {
            ScriptKey::StoreNum => clues.store_ids.extend(digits_id(value)),
            ScriptKey::ProductId => clues.product_ids.extend(ProductId::parse(value)),
            ScriptKey::CategoryPaths => {
                for id in value.split('/').filter_map(digits_id) {
                    push_new(&mut clues.category_ids, id);
                }
            }
            ScriptKey::CategoryId => {
                if let Some(id) = digits_id(value) {
                    push_new(&mut clues.category_ids, id);
                }
            }
            ScriptKey::Currency => clues.currency = Currency::parse(value),
            ScriptKey::UserCountryCode => clues.country = CountryCode::parse(value),
        }
    }
    clues
}

/// Appends `id` unless already there: category lists keep their order without repeats.
pub(crate) fn push_new(ids: &mut Vec<String>, id: String) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_shapes() {
        let blocks = vec![
            r#"{"@context": "https://schema.org", "@graph": [
                {"@type": ["Product"], "url": "https://www.aliexpress.com/item/1005005555555501.html",
                 "sku": "12000033333333333",
                 "offers": [{"@type": "Offer", "price": 12.99, "priceCurrency": "USD",
                             "seller": {"@type": "Organization", "url": "https://www.aliexpress.com/store/1101234567"}}]},
                {"@type": "BreadcrumbList", "itemListElement": [
                    {"@type": "ListItem", "position": 1, "item": "https://www.aliexpress.com/"},
                    {"@type": "ListItem", "position": 2, "item": {"@id": "https://www.aliexpress.com/category/44/consumer-electronics.html"}},
                    {"@type": "ListItem", "position": 3, "item": "https://www.aliexpress.com/category/63705/earphones-headphones.html"}]}]}"#
                .to_owned(),
            "not json".to_owned(),
            r#"[{"@type": "Product", "productID": "1005005555555599",
                 "offers": {"@type": "AggregateOffer", "lowPrice": "9.50", "highPrice": "15.00", "priceCurrency": "EUR"}}]"#
                .to_owned(),
        ];
        let clues = from_json_ld(&blocks);
        let ids: Vec<String> = clues.product_ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["1005005555555501", "1005005555555599"], "sku skipped");
        assert_eq!(clues.store_ids, ["1101234567"]);
        assert_eq!(clues.category_ids, ["44", "63705"]);
        let usd = Currency::parse("USD").expect("usd");
        let eur = Currency::parse("EUR").expect("eur");
        let offers: Vec<_> = clues
            .offers
            .iter()
            .map(|o| {
                (
                    o.currency.and_then(|c| o.amount.minor(c).ok()),
                    o.currency,
                    o.range,
                )
            })
            .collect();
        assert_eq!(
            offers,
            [(Some(1299), Some(usd), false), (Some(950), Some(eur), true)]
        );
        assert!(clues.product_page);
    }

    #[test]
    fn json_ld_oddities() {
        for block in [
            r#"{"@type": "Product", "offers": {"price": -1, "priceCurrency": "USD"}}"#,
            r#"{"@type": "Product", "offers": {"price": 1e300, "priceCurrency": "USD"}}"#,
            r#"{"@type": "Product", "offers": {"price": "12,99", "priceCurrency": "EUR"}}"#,
        ] {
            let clues = from_json_ld(&[block.to_owned()]);
            assert!(clues.offers.is_empty(), "{block}");
            assert!(clues.unreadable_price, "{block}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let clues = from_json_ld(&[deep]);
        assert!(clues.offers.is_empty() && !clues.product_page);
        let clues = from_json_ld(&[r#"{"@type": 5, "offers": "x", "url": 7}"#.to_owned()]);
        assert!(!clues.product_page);
    }

    #[test]
    fn meta_tags() {
        let meta: Vec<(String, String)> = [
            ("og:type", "product"),
            (
                "og:url",
                "https://es.aliexpress.com/item/1005005555555502.html",
            ),
            ("product:price:amount", "24.99"),
            ("product:price:currency", "EUR"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let clues = from_meta(&meta);
        assert!(clues.product_page);
        assert_eq!(clues.product_ids.len(), 1);
        let offer = clues.offers.first().copied().expect("offer");
        assert_eq!(offer.currency, Currency::parse("EUR"));
        assert_eq!(
            offer.currency.map(|c| offer.amount.minor(c)),
            Some(Ok(2499))
        );
    }

    #[test]
    fn page_data() {
        let script = vec![
            (
                ScriptKey::StoreNum,
                ": 1102928353,  \"payPalAccount\"".to_owned(),
            ),
            (
                ScriptKey::CategoryPaths,
                ": \"26/100001719/2623\",".to_owned(),
            ),
            (ScriptKey::CategoryId, ": 2623 }".to_owned()),
            (ScriptKey::Currency, ": \"MXN\",".to_owned()),
            (ScriptKey::UserCountryCode, ": \"MX\" }".to_owned()),
            (ScriptKey::ProductId, "=\"bogus\";".to_owned()),
        ];
        let clues = from_script(&script);
        assert_eq!(clues.store_ids, ["1102928353"]);
        assert_eq!(clues.category_ids, ["26", "100001719", "2623"]);
        assert_eq!(clues.currency, Currency::parse("MXN"));
        assert_eq!(clues.country, CountryCode::parse("MX"));
        assert!(clues.product_ids.is_empty());
    }
}
