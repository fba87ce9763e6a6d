//! The raw facts the content script collects from a page (`extension/content/page.js`), read
//! loosely: a field of the wrong type or over its size limit counts as missing, a list is read
//! up to its limit, and nothing in them is trusted or interpreted here.
//!
//! Limits are three times the collector's (which counts UTF-16 units), in bytes, so every
//! string the collector lets through fits whatever its script.

use crate::codec::json::Value;

/// The facts format this build reads (the collector's `FACTS_VERSION`).
pub const FACTS_VERSION: u64 = 1;

/// The most bytes of facts JSON read at all; the collector's limits keep it far below.
pub const MAX_FACTS_BYTES: usize = 2 * 1024 * 1024;

const MAX_URL: usize = 3 * 2048;
const MAX_JSON_LD_BLOCKS: usize = 4;
const MAX_JSON_LD: usize = 3 * 16_384;
const MAX_META: usize = 40;
const MAX_META_KEY: usize = 3 * 64;
const MAX_META_VALUE: usize = 3 * 512;
const MAX_SCRIPT_VALUE: usize = 3 * 96;
const MAX_PRICES: usize = 4;
const MAX_TEXT: usize = 3 * 64;
const MAX_HREF: usize = 3 * 1024;
const MAX_STORE_LINKS: usize = 4;
const MAX_CATEGORY_LINKS: usize = 12;
const MAX_QUANTITY: usize = 3 * 16;
const MAX_ITEM_LINKS: usize = 3;
/// Cart lines read; AliExpress carts hold fewer.
pub(crate) const MAX_ITEMS: usize = 100;

/// The keys of the page's own data (`window.runParams`) the collector looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScriptKey {
    StoreNum,
    ProductId,
    CategoryId,
    CategoryPaths,
    Currency,
    UserCountryCode,
}

impl ScriptKey {
    const ALL: [(Self, &'static str); 6] = [
        (Self::StoreNum, "storeNum"),
        (Self::ProductId, "productId"),
        // The path (top category first) before the leaf id, which it usually ends with.
        (Self::CategoryPaths, "categoryPaths"),
        (Self::CategoryId, "categoryId"),
        (Self::Currency, "currencyCode"),
        (Self::UserCountryCode, "userCountryCode"),
    ];
}

/// Everything the collector sent, each string within its limit.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub url: Option<String>,
    pub base: Option<String>,
    pub json_ld: Vec<String>,
    /// `(name, content)` of meta tags, names as the page wrote them.
    pub meta: Vec<(String, String)>,
    /// The `aep_usuc_f` cookie's value.
    pub cookie: Option<String>,
    pub ship_to_text: Option<String>,
    pub ship_to_flag: Option<String>,
    /// What follows each key found in the page's own data.
    pub script: Vec<(ScriptKey, String)>,
    pub product: ProductFacts,
    pub items: Vec<ItemFacts>,
    /// The page listed more items than are read.
    pub items_cut: bool,
    pub promo_code_input: bool,
}

/// What a product page's DOM shows.
#[derive(Debug, Default)]
pub(crate) struct ProductFacts {
    pub prices: Vec<String>,
    pub store_links: Vec<String>,
    pub category_links: Vec<String>,
    pub quantity: Option<String>,
}

/// One cart or checkout line as the DOM shows it.
#[derive(Debug, Default)]
pub(crate) struct ItemFacts {
    pub links: Vec<String>,
    pub store_link: Option<String>,
    pub price: Option<String>,
    pub quantity: Option<String>,
    pub selected: Option<bool>,
}

/// Why facts are not read at all (anything less degrades instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unreadable {
    TooLarge(usize),
    NotJson(String),
    NotAnObject,
    Version(Option<u64>),
}

/// Reads the facts JSON.
pub(crate) fn read_facts(json: &str) -> Result<Facts, Unreadable> {
    if json.len() > MAX_FACTS_BYTES {
        return Err(Unreadable::TooLarge(json.len()));
    }
    let root = Value::parse(json).map_err(|e| Unreadable::NotJson(e.to_string()))?;
    if !root.is_object() {
        return Err(Unreadable::NotAnObject);
    }
    match root.get("version").and_then(Value::as_u64) {
        Some(FACTS_VERSION) => {}
        other => return Err(Unreadable::Version(other)),
    }
    let empty = Value::Object(Vec::new());
    let ship_to = object(&root, "ship_to").unwrap_or(&empty);
    let product = object(&root, "product").unwrap_or(&empty);
    let items = list(&root, "items");
    Ok(Facts {
        url: string(&root, "url", MAX_URL),
        base: string(&root, "base", MAX_URL),
        json_ld: strings(&root, "json_ld", MAX_JSON_LD_BLOCKS, MAX_JSON_LD),
        meta: list(&root, "meta")
            .iter()
            .take(MAX_META)
            .filter_map(|pair| match pair.as_array()? {
                [Value::String(key), Value::String(value)]
                    if key.len() <= MAX_META_KEY && value.len() <= MAX_META_VALUE =>
                {
                    Some((key.to_string(), value.to_string()))
                }
                _ => None,
            })
            .collect(),
        cookie: string(&root, "cookie", super::region::MAX_COOKIE),
        ship_to_text: string(ship_to, "text", super::region::MAX_HEADER),
        ship_to_flag: string(ship_to, "flag", super::region::MAX_HEADER),
        script: object(&root, "script").map_or_else(Vec::new, |script| {
            ScriptKey::ALL
                .iter()
                .filter_map(|(key, name)| Some((*key, string(script, name, MAX_SCRIPT_VALUE)?)))
                .collect()
        }),
        product: ProductFacts {
            prices: strings(product, "prices", MAX_PRICES, MAX_TEXT),
            store_links: strings(product, "store_links", MAX_STORE_LINKS, MAX_HREF),
            category_links: strings(product, "category_links", MAX_CATEGORY_LINKS, MAX_HREF),
            quantity: string(product, "quantity", MAX_QUANTITY),
        },
        items_cut: items.len() > MAX_ITEMS,
        items: items
            .iter()
            .take(MAX_ITEMS)
            .filter(|item| item.is_object())
            .map(|item| ItemFacts {
                links: strings(item, "links", MAX_ITEM_LINKS, MAX_HREF),
                store_link: string(item, "store_link", MAX_HREF),
                price: string(item, "price", MAX_TEXT),
                quantity: string(item, "quantity", MAX_QUANTITY),
                selected: item.get("selected").and_then(Value::as_bool),
            })
            .collect(),
        promo_code_input: root
            .get("promo_code_input")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// The object under `key`, if it is one.
fn object<'v, 'a>(map: &'v Value<'a>, key: &str) -> Option<&'v Value<'a>> {
    map.get(key).filter(|value| value.is_object())
}

fn list<'v, 'a>(map: &'v Value<'a>, key: &str) -> &'v [Value<'a>] {
    map.get(key).and_then(Value::as_array).unwrap_or_default()
}

/// A non-empty string within `max` bytes.
fn string(map: &Value<'_>, key: &str, max: usize) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() <= max)
        .map(str::to_owned)
}

/// Up to `count` non-empty strings within `max` bytes each; other entries are skipped.
fn strings(map: &Value<'_>, key: &str, count: usize, max: usize) -> Vec<String> {
    list(map, key)
        .iter()
        .take(count)
        .filter_map(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() <= max)
        .map(str::to_owned)
        .collect()
}
