//! The raw facts the content script collects from a page: their format, said once here, and
//! handed to the collector (`extension/content/page.js`) at build time through the shell
//! contract ([`crate::contract`]): the version, every limit and the keys of the page's own data.
//! They are read loosely: a field of the wrong type or over its size limit counts as missing, a
//! list is read up to its limit, and nothing in them is trusted or interpreted here.
//!
//! The facts, a JSON object, field by field (limits by their name in [`limit`]):
//!
//! ```text
//! version           FACTS_VERSION
//! url, base         location.href, document.baseURI (URL each; '' if longer)
//! json_ld           texts of <script type="application/ld+json"> (JSON_LD_BLOCKS blocks, JSON_LD each)
//! meta              [name, content] of og:*, product:* and microdata price/priceCurrency/productID
//!                   (META_PAIRS pairs; META_NAME, META_CONTENT)
//! cookie            the value of the `aep_usuc_f` cookie, never any other cookie (COOKIE)
//! ship_to           {text, flag}: the header's ship-to switcher text (cut, not dropped, at
//!                   HEADER_TEXT) and its flag's class attribute (HEADER_TEXT)
//! script            {key: text}: for each of the script keys found as `"key":` (or `.key=`) in an
//!                   inline script that mentions runParams, the SCRIPT_VALUE characters after it
//! product           {prices: price texts (PRICES × PRICE_TEXT), store_links (STORE_LINKS × HREF),
//!                    category_links: the breadcrumb's (CATEGORY_LINKS × HREF), quantity (QUANTITY)}
//! items             cart or order lines (ITEMS): {links: the line's (ITEM_LINKS × HREF),
//!                   store_link: its store group's (HREF), price (PRICE_TEXT), quantity: text or
//!                   box value (QUANTITY), selected: its tick box, or null without one}
//! items_cut         true when the page had more lines than ITEMS
//! loading           whether the page shows a loading placeholder (`.comet-v2-loading-wrap`)
//! promo_code_input  whether the page has a promo code field, or a control that reveals it
//! model             the page's own data model as the main-world reader copied it: JSON text
//!                   (MODEL; see `model.rs`), as it came, read by the Engine alone
//! ```
//!
//! Strings are capped in UTF-16 units, as JavaScript counts, and one over its cap is dropped
//! rather than cut (a cut URL or price would mean something else). Hrefs are the page's own:
//! the attribute as the page wrote it, and for a link the extension rewrote, the page's href
//! from before (an affiliate link of ours says nothing the rules can read back for certain); the
//! Engine resolves them against `base`. The reader's limits are in bytes, three per UTF-16 unit,
//! so every string the collector lets through fits.

use crate::codec::json::{Value, Writer};

/// The facts format this build reads and its collector writes. 2: hrefs are the page's own, and
/// `items_cut` says that lines were left out.
pub const FACTS_VERSION: u64 = 2;

/// The most bytes of facts JSON read at all; the collector's limits keep it far below.
pub const MAX_FACTS_BYTES: usize = 2 * 1024 * 1024;

/// The collector's limits, each said once: a `pub const` in [`limit`], and the list
/// [`COLLECTOR_LIMITS`] of every limit by its name, which the contract hands to the collector.
macro_rules! collector_limits {
    ($($(#[doc = $doc:literal])+ $name:ident = $value:expr;)+) => {
        /// How much of each fact the collector reads: strings in UTF-16 units, lists in entries.
        pub mod limit {
            $($(#[doc = $doc])+ pub const $name: usize = $value;)+
        }

        /// Every collector limit by its name (the name of its constant in [`limit`]).
        pub const COLLECTOR_LIMITS: &[(&str, usize)] = &[$((stringify!($name), limit::$name)),+];
    };
}

collector_limits! {
    /// A page URL or base URL.
    URL = 2048;
    /// JSON-LD blocks.
    JSON_LD_BLOCKS = 4;
    /// One JSON-LD block.
    JSON_LD = 16_384;
    /// Meta tag pairs.
    META_PAIRS = 40;
    /// A meta tag's name.
    META_NAME = 64;
    /// A meta tag's content.
    META_CONTENT = 512;
    /// The settings cookie's value.
    COOKIE = 512;
    /// The ship-to switcher's text, and its flag's class.
    HEADER_TEXT = 200;
    /// What is kept after a key of the page's own data.
    SCRIPT_VALUE = 96;
    /// A product page's price texts.
    PRICES = 4;
    /// One price text.
    PRICE_TEXT = 64;
    /// One href.
    HREF = 1024;
    /// A product page's store links.
    STORE_LINKS = 4;
    /// A product page's breadcrumb links.
    CATEGORY_LINKS = 12;
    /// A quantity, as text or a box's value.
    QUANTITY = 16;
    /// Cart or order lines; more make the note [`Note::TooManyItems`](crate::page::Note::TooManyItems).
    ITEMS = 100;
    /// Links of one line.
    ITEM_LINKS = 3;
    /// The page model's copy, as JSON text: the main-world reader's own limit.
    MODEL = crate::page::model::limit::TEXT;
}

/// The most UTF-8 bytes a string of `units` UTF-16 units takes: three for each unit (a
/// surrogate pair, two units, is four bytes).
const fn bytes(units: usize) -> usize {
    3 * units
}

const MAX_URL: usize = bytes(limit::URL);
const MAX_JSON_LD: usize = bytes(limit::JSON_LD);
const MAX_META_KEY: usize = bytes(limit::META_NAME);
const MAX_META_VALUE: usize = bytes(limit::META_CONTENT);
/// Longest cookie value read; AliExpress's is under 200 characters.
pub(crate) const MAX_COOKIE: usize = bytes(limit::COOKIE);
/// Longest header text or class attribute read.
pub(crate) const MAX_HEADER: usize = bytes(limit::HEADER_TEXT);
const MAX_SCRIPT_VALUE: usize = bytes(limit::SCRIPT_VALUE);
const MAX_TEXT: usize = bytes(limit::PRICE_TEXT);
const MAX_HREF: usize = bytes(limit::HREF);
const MAX_QUANTITY: usize = bytes(limit::QUANTITY);
const MAX_MODEL: usize = bytes(limit::MODEL);

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
    /// Each key with its name in the page's data, in the order they are read.
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

/// The facts format as the collector needs it, into an open JSON writer:
/// `{"version", "max_length", "limits": {NAME: n, ...}, "script_keys": [...]}`. `max_length` is
/// the longest facts JSON, in UTF-16 units, that [`MAX_FACTS_BYTES`] is sure to take.
pub(crate) fn write_format(w: &mut Writer) {
    w.begin_object();
    w.key("version");
    w.unsigned(FACTS_VERSION);
    w.key("max_length");
    w.unsigned((MAX_FACTS_BYTES / bytes(1)) as u64);
    w.key("limits");
    w.nested(|w| {
        w.begin_object();
        for (name, value) in COLLECTOR_LIMITS {
            w.key(name);
            w.unsigned(*value as u64);
        }
        w.end_object();
    });
    w.key("script_keys");
    w.strings(ScriptKey::ALL.iter().map(|(_, name)| *name));
    w.end_object();
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
    /// The page shows a loading placeholder.
    pub loading: bool,
    pub promo_code_input: bool,
    /// The page model's copy (JSON text).
    pub model: Option<String>,
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
        json_ld: strings(&root, "json_ld", limit::JSON_LD_BLOCKS, MAX_JSON_LD),
        meta: list(&root, "meta")
            .iter()
            .take(limit::META_PAIRS)
            .filter_map(|pair| match pair.as_array()? {
                [Value::String(key), Value::String(value)]
                    if key.len() <= MAX_META_KEY && value.len() <= MAX_META_VALUE =>
                {
                    Some((key.to_string(), value.to_string()))
                }
                _ => None,
            })
            .collect(),
        cookie: string(&root, "cookie", MAX_COOKIE),
        ship_to_text: string(ship_to, "text", MAX_HEADER),
        ship_to_flag: string(ship_to, "flag", MAX_HEADER),
        script: object(&root, "script").map_or_else(Vec::new, |script| {
            ScriptKey::ALL
                .iter()
                .filter_map(|(key, name)| Some((*key, string(script, name, MAX_SCRIPT_VALUE)?)))
                .collect()
        }),
        product: ProductFacts {
            prices: strings(product, "prices", limit::PRICES, MAX_TEXT),
            store_links: strings(product, "store_links", limit::STORE_LINKS, MAX_HREF),
            category_links: strings(product, "category_links", limit::CATEGORY_LINKS, MAX_HREF),
            quantity: string(product, "quantity", MAX_QUANTITY),
        },
        // The collector says when it stopped short; facts from elsewhere may simply hold more.
        items_cut: flag(&root, "items_cut") || items.len() > limit::ITEMS,
        items: items
            .iter()
            .take(limit::ITEMS)
            .filter(|item| item.is_object())
            .map(|item| ItemFacts {
                links: strings(item, "links", limit::ITEM_LINKS, MAX_HREF),
                store_link: string(item, "store_link", MAX_HREF),
                price: string(item, "price", MAX_TEXT),
                quantity: string(item, "quantity", MAX_QUANTITY),
                selected: item.get("selected").and_then(Value::as_bool),
            })
            .collect(),
        loading: flag(&root, "loading"),
        promo_code_input: flag(&root, "promo_code_input"),
        model: string(&root, "model", MAX_MODEL),
    })
}

/// The object under `key`, if it is one.
fn object<'v, 'a>(map: &'v Value<'a>, key: &str) -> Option<&'v Value<'a>> {
    map.get(key).filter(|value| value.is_object())
}

fn list<'v, 'a>(map: &'v Value<'a>, key: &str) -> &'v [Value<'a>] {
    map.get(key).and_then(Value::as_array).unwrap_or_default()
}

/// Whether `key` is `true` (anything else is false).
fn flag(map: &Value<'_>, key: &str) -> bool {
    map.get(key).and_then(Value::as_bool).unwrap_or(false)
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
