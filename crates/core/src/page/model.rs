//! The page's own data model, as the main-world reader copies it out of the page's JavaScript
//! world: what to copy (said once here, handed to `extension/content/world.js` through the shell
//! contract), and what the copy says about the product, for each generation of AliExpress's
//! product page.
//!
//! Why a copy from the main world: product pages are rendered in the browser today. The served
//! HTML carries an empty `window.runParams = {}`, and the model arrives after first paint in
//! `window._d_c_.lifeCycleEventList[0].data`, which the isolated content script cannot see. The
//! main-world script holds no rule: it walks [`COPIED`] (paths into `window`, each ending in a
//! value copied whole within the limits below) and hands the result over as JSON text, once
//! the model is there and again when it changes (another SKU chosen).
//!
//! The shapes, from public scrapers and extensions (2021 to 2026; not from AliExpress, which
//! documents none of them), newest first. Sources disagree on some key names: each alternative
//! is read.
//! - 2025–26, rendered in the browser (`_d_c_.viewName` "newDetail", `isCSR` true): modules by
//!   name in `lifeCycleEventList[0].data`: `PRICE.targetSkuPriceInfo` (the chosen SKU's
//!   `salePrice` `{value, currency}` or `salePriceString`, and `originalPrice`), `SHOP_CARD_PC`
//!   (`storeNum` or `sellerInfo.storeNum`, `storeURL` or `sellerInfo.storeURL`),
//!   `GLOBAL_DATA.globalData` (`productId`, `categoryId`, `currencyCode`).
//! - 2023–24 (`runParams.is23`): `runParams.data.*Component`: `productInfoComponent` (`idStr`,
//!   `id`, `categoryId`, `categoryPaths` "26/100001719/2623"; its `minPrice`/`maxPrice` are in
//!   the base currency, CNY, and are not copied), `priceComponent.discountPrice`
//!   (`minActivityAmount`, `maxActivityAmount`) and `.origPrice` (`minAmount`, `maxAmount`), each
//!   `{currency, formatedAmount, value}`; `currencyComponent.currencyCode`,
//!   `userComponent.userCountryCode`, `sellerComponent` (`storeNum`, `storeURL`).
//! - 2021–22: `runParams.data.*Module`: `priceModule` (`minActivityAmount`, `maxActivityAmount`,
//!   `minAmount`, `maxAmount`), `storeModule` (`storeNum`, `storeURL`), `commonModule`
//!   (`productId`, `categoryId`, `currencyCode`, `userCountryCode`).
//!
//! Nothing is copied that no rule here reads: no title, no user data beyond the ship-to country.

use super::context::StoreOffer;
use super::ids::{digits_id, store_id_in};
use super::price::{read_plain_amount, read_price_text};
use super::region::CountryCode;
use super::structured::{push_new, Clues, Offer};
use crate::codec::json::{Value, Writer};
use crate::link::ProductId;
use crate::money::Currency;

/// The name of the DOM event the main-world reader hands the copy over with (its `detail`, a
/// string): the page can send one too, so what arrives is read as untrusted as any fact.
pub const MODEL_EVENT: &str = "smart-shopper:page-model";

/// What the main-world reader copies under a key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Copied {
    /// The value whole: a string, number, boolean or null as it is; an object or list with its
    /// entries, within [`limit`].
    Whole,
    /// Only these keys of an object (or indices of a list, as `"0"`), each as said.
    Keys(&'static [(&'static str, Copied)]),
    /// Each entry of a list (the first [`limit::ENTRIES`]), with only these keys.
    Each(&'static [(&'static str, Copied)]),
}

use Copied::{Each, Keys, Whole};

/// The main-world reader's limits: they bound its work and the copy's size whatever the page
/// holds (a 10 MB string, a cyclic object, a list of a million entries).
pub mod limit {
    /// The copy as JSON text, in UTF-16 units; a longer copy is not sent.
    pub const TEXT: usize = 32_768;
    /// One string; a longer one is copied as null.
    pub const STRING: usize = 512;
    /// Entries of one object or list copied whole; the rest are left out.
    pub const ENTRIES: usize = 32;
    /// Levels below a value copied whole; deeper ones are copied as null.
    pub const DEPTH: usize = 4;
    /// How long the reader waits for the model after the page starts, in milliseconds.
    pub const WAIT_MS: usize = 8_000;
    /// How often it looks for the model while it waits, in milliseconds.
    pub const LOOK_EVERY_MS: usize = 250;
    /// How many copies it sends a page at most.
    pub const SENDS: usize = 60;
}

const AMOUNT: Copied = Whole;
const STORE: Copied = Keys(&[("storeNum", Whole), ("storeURL", Whole)]);
/// The store's own coupons in the 2021–24 pages: `promotionPanelDTO.shopCoupon[]`, groups of
/// `promotionPanelDetailDTOList[]`, each with its discount (`promotionDesc`, "US $2.00" or
/// "10%"), its threshold (`promotionDetail`, "Orders over US $20.00"), whether it is still to be
/// collected (`acquirable`) and its hours (`startTime`/`endTime`, milliseconds).
const SHOP_COUPONS: Copied = Keys(&[(
    "promotionPanelDTO",
    Keys(&[(
        "shopCoupon",
        Each(&[(
            "promotionPanelDetailDTOList",
            Each(&[
                ("promotionDesc", Whole),
                ("promotionDetail", Whole),
                ("acquirable", Whole),
                ("startTime", Whole),
                ("endTime", Whole),
            ]),
        )]),
    )]),
)]);

/// What is copied, from `window`.
pub(crate) const COPIED: &[(&str, Copied)] = &[
    (
        "_d_c_",
        Keys(&[
            ("viewName", Whole),
            ("isCSR", Whole),
            (
                "lifeCycleEventList",
                Keys(&[(
                    "0",
                    Keys(&[(
                        "data",
                        Keys(&[
                            (
                                "PRICE",
                                Keys(&[(
                                    "targetSkuPriceInfo",
                                    Keys(&[
                                        ("salePrice", AMOUNT),
                                        ("salePriceString", Whole),
                                        ("originalPrice", AMOUNT),
                                    ]),
                                )]),
                            ),
                            (
                                "SHOP_CARD_PC",
                                Keys(&[
                                    ("storeNum", Whole),
                                    ("storeURL", Whole),
                                    ("sellerInfo", STORE),
                                ]),
                            ),
                            (
                                "COUPON_BLOCK_PC",
                                Keys(&[(
                                    "upperCouponBlockViewList",
                                    Each(&[("couponDesc", Whole), ("name", Whole)]),
                                )]),
                            ),
                            (
                                "GLOBAL_DATA",
                                Keys(&[(
                                    "globalData",
                                    Keys(&[
                                        ("productId", Whole),
                                        ("categoryId", Whole),
                                        ("currencyCode", Whole),
                                    ]),
                                )]),
                            ),
                        ]),
                    )]),
                )]),
            ),
        ]),
    ),
    (
        "runParams",
        Keys(&[
            ("is23", Whole),
            (
                "data",
                Keys(&[
                    (
                        "productInfoComponent",
                        Keys(&[
                            ("idStr", Whole),
                            ("id", Whole),
                            ("categoryId", Whole),
                            ("categoryPaths", Whole),
                        ]),
                    ),
                    (
                        "priceComponent",
                        Keys(&[
                            (
                                "discountPrice",
                                Keys(&[
                                    ("minActivityAmount", AMOUNT),
                                    ("maxActivityAmount", AMOUNT),
                                ]),
                            ),
                            (
                                "origPrice",
                                Keys(&[("minAmount", AMOUNT), ("maxAmount", AMOUNT)]),
                            ),
                        ]),
                    ),
                    ("currencyComponent", Keys(&[("currencyCode", Whole)])),
                    ("userComponent", Keys(&[("userCountryCode", Whole)])),
                    ("sellerComponent", STORE),
                    ("webCouponInfoComponent", SHOP_COUPONS),
                    ("couponModule", Keys(&[("webCouponInfo", SHOP_COUPONS)])),
                    (
                        "priceModule",
                        Keys(&[
                            ("minActivityAmount", AMOUNT),
                            ("maxActivityAmount", AMOUNT),
                            ("minAmount", AMOUNT),
                            ("maxAmount", AMOUNT),
                        ]),
                    ),
                    ("storeModule", STORE),
                    (
                        "commonModule",
                        Keys(&[
                            ("productId", Whole),
                            ("categoryId", Whole),
                            ("currencyCode", Whole),
                            ("userCountryCode", Whole),
                        ]),
                    ),
                ]),
            ),
        ]),
    ),
];

/// The generation of product page a model is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Generation {
    /// 2025–26, rendered in the browser (`_d_c_`).
    Rendered,
    /// 2023–24, `runParams.data.*Component`.
    Components,
    /// 2021–22, `runParams.data.*Module`.
    Modules,
}

/// What a model says: the clues it gives, its generation, and whether the page is one
/// rendered in the browser whose model never arrived.
#[derive(Debug, Default)]
pub(crate) struct ModelClues {
    pub clues: Clues,
    pub generation: Option<Generation>,
    pub missing: bool,
    /// The store's own coupons the page offers, as it words them.
    pub store_offers: Vec<StoreOffer>,
}

/// Most of the store's own coupons read from one page: more than a store shows at once.
pub(crate) const MAX_STORE_OFFERS: usize = 16;

/// The key that stands for each entry of a list in the copy's format.
const EACH: &str = "*";

/// The copy's format for the main-world reader: `{"event", "limits": {...}, "each", "copy": {key:
/// true | {...}}}`, `true` for a value copied whole, `{"*": {...}}` for each entry of a list.
pub(crate) fn write_format(w: &mut Writer) {
    w.begin_object();
    w.key("event");
    w.string(MODEL_EVENT);
    w.key("limits");
    w.nested(|w| {
        w.begin_object();
        for (name, value) in [
            ("TEXT", limit::TEXT),
            ("STRING", limit::STRING),
            ("ENTRIES", limit::ENTRIES),
            ("DEPTH", limit::DEPTH),
            ("WAIT_MS", limit::WAIT_MS),
            ("LOOK_EVERY_MS", limit::LOOK_EVERY_MS),
            ("SENDS", limit::SENDS),
        ] {
            w.key(name);
            w.unsigned(value as u64);
        }
        w.end_object();
    });
    w.key("each");
    w.string(EACH);
    w.key("copy");
    w.nested(|w| write_copy(w, COPIED));
    w.end_object();
}

fn write_copy(w: &mut Writer, keys: &[(&str, Copied)]) {
    w.begin_object();
    for (key, copy) in keys {
        w.key(key);
        match copy {
            Whole => w.boolean(true),
            Keys(inner) => w.nested(|w| write_copy(w, inner)),
            Each(inner) => w.nested(|w| {
                w.begin_object();
                w.key(EACH);
                w.nested(|w| write_copy(w, inner));
                w.end_object();
            }),
        }
    }
    w.end_object();
}

// The paths read below, each inside COPIED (a test walks them).
const RENDERED: [&str; 4] = ["_d_c_", "lifeCycleEventList", "0", "data"];
const DATA: [&str; 2] = ["runParams", "data"];

/// The value at `path` under `root`.
fn at<'v, 'a>(root: &'v Value<'a>, path: &[&str]) -> Option<&'v Value<'a>> {
    path.iter().try_fold(root, |value, key| value.get(key))
}

/// A string, or a number's digits: ids come as either.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()),
        // A number past 2^53 lost its last digits in the page's JavaScript: no id. Every
        // whole number of at most 15 digits is below 2^53 (about 9.007e15); a longer one is
        // not trusted, whatever its value.
        Value::Number(n) => {
            let text = n.to_text();
            (text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
        }
        _ => None,
    }
}

/// Reads the copy the main-world reader sent; an unreadable one says nothing.
pub(crate) fn from_model(text: &str) -> ModelClues {
    let mut model = ModelClues::default();
    let Ok(root) = Value::parse(text) else {
        return model;
    };
    if let Some(data) = at(&root, &RENDERED).filter(|d| d.is_object()) {
        model.generation = Some(Generation::Rendered);
        rendered(data, &mut model);
    } else if let Some(data) = at(&root, &DATA).filter(|d| d.is_object()) {
        if data.get("productInfoComponent").is_some() || data.get("priceComponent").is_some() {
            model.generation = Some(Generation::Components);
            components(data, &mut model.clues);
            shop_coupons(data.get("webCouponInfoComponent"), &mut model.store_offers);
        } else if data.get("priceModule").is_some() || data.get("commonModule").is_some() {
            model.generation = Some(Generation::Modules);
            modules(data, &mut model.clues);
            shop_coupons(
                at(data, &["couponModule", "webCouponInfo"]),
                &mut model.store_offers,
            );
        }
    }
    let rendered_page = at(&root, &["_d_c_", "isCSR"]).and_then(Value::as_bool) == Some(true)
        || at(&root, &["_d_c_", "viewName"]).and_then(Value::as_str) == Some("newDetail");
    model.missing = rendered_page && model.generation.is_none();
    if model.generation.is_some() {
        model.clues.product_page = true;
    }
    model
}

fn rendered(data: &Value, model: &mut ModelClues) {
    let clues = &mut model.clues;
    let global = at(data, &["GLOBAL_DATA", "globalData"]);
    if let Some(global) = global {
        product_id(clues, global.get("productId"));
        category(clues, global.get("categoryId"));
        clues.currency = global
            .get("currencyCode")
            .and_then(Value::as_str)
            .and_then(Currency::parse);
    }
    if let Some(shop) = data.get("SHOP_CARD_PC") {
        store(clues, shop);
        if let Some(seller) = shop.get("sellerInfo") {
            store(clues, seller);
        }
    }
    for coupon in list(at(data, &["COUPON_BLOCK_PC", "upperCouponBlockViewList"])) {
        // One text says it all ("US $2 off on US $20"); sources name it either way.
        let text = coupon.get("couponDesc").or_else(|| coupon.get("name"));
        if let Some(text) = text.and_then(Value::as_str) {
            offered(
                &mut model.store_offers,
                StoreOffer {
                    discount: text.to_owned(),
                    ..StoreOffer::default()
                },
            );
        }
    }
    if let Some(target) = at(data, &["PRICE", "targetSkuPriceInfo"]) {
        // The chosen SKU's price: what the shopper pays, else its price before the discount.
        let paid = amount(clues, target.get("salePrice"), None, clues.currency)
            || sale_text(clues, target.get("salePriceString"));
        if !paid {
            amount(clues, target.get("originalPrice"), None, clues.currency);
        }
    }
}

fn components(data: &Value, clues: &mut Clues) {
    if let Some(info) = data.get("productInfoComponent") {
        if !product_id(clues, info.get("idStr")) {
            product_id(clues, info.get("id"));
        }
        if let Some(paths) = info.get("categoryPaths").and_then(Value::as_str) {
            for id in paths.split('/').filter_map(digits_id) {
                push_new(&mut clues.category_ids, id);
            }
        }
        category(clues, info.get("categoryId"));
    }
    clues.currency = at(data, &["currencyComponent", "currencyCode"])
        .and_then(Value::as_str)
        .and_then(Currency::parse);
    clues.country = at(data, &["userComponent", "userCountryCode"])
        .and_then(Value::as_str)
        .and_then(CountryCode::parse);
    if let Some(seller) = data.get("sellerComponent") {
        store(clues, seller);
    }
    let price = data.get("priceComponent");
    let discount = price.and_then(|p| p.get("discountPrice"));
    let original = price.and_then(|p| p.get("origPrice"));
    let currency = clues.currency;
    if !amount(
        clues,
        discount.and_then(|d| d.get("minActivityAmount")),
        discount.and_then(|d| d.get("maxActivityAmount")),
        currency,
    ) {
        amount(
            clues,
            original.and_then(|o| o.get("minAmount")),
            original.and_then(|o| o.get("maxAmount")),
            currency,
        );
    }
}

fn modules(data: &Value, clues: &mut Clues) {
    if let Some(common) = data.get("commonModule") {
        product_id(clues, common.get("productId"));
        category(clues, common.get("categoryId"));
        clues.currency = common
            .get("currencyCode")
            .and_then(Value::as_str)
            .and_then(Currency::parse);
        clues.country = common
            .get("userCountryCode")
            .and_then(Value::as_str)
            .and_then(CountryCode::parse);
    }
    if let Some(store_module) = data.get("storeModule") {
        store(clues, store_module);
    }
    if let Some(price) = data.get("priceModule") {
        let currency = clues.currency;
        if !amount(
            clues,
            price.get("minActivityAmount"),
            price.get("maxActivityAmount"),
            currency,
        ) {
            amount(
                clues,
                price.get("minAmount"),
                price.get("maxAmount"),
                currency,
            );
        }
    }
}

/// The entries of a list, none when it is not one.
fn list<'v, 'a>(value: Option<&'v Value<'a>>) -> &'v [Value<'a>] {
    value.and_then(Value::as_array).unwrap_or_default()
}

/// Adds an offer, up to [`MAX_STORE_OFFERS`].
fn offered(offers: &mut Vec<StoreOffer>, offer: StoreOffer) {
    if offers.len() < MAX_STORE_OFFERS {
        offers.push(offer);
    }
}

/// The store's coupons of a 2021–24 page's coupon module (see [`SHOP_COUPONS`]): the discount
/// and the threshold come apart, so which number is which is never guessed.
fn shop_coupons(module: Option<&Value>, offers: &mut Vec<StoreOffer>) {
    for group in list(module.and_then(|m| at(m, &["promotionPanelDTO", "shopCoupon"]))) {
        for coupon in list(group.get("promotionPanelDetailDTOList")) {
            let text = |key| coupon.get(key).and_then(Value::as_str).map(str::to_owned);
            let Some(discount) = text("promotionDesc") else {
                continue;
            };
            let millis = |key| {
                coupon
                    .get(key)?
                    .as_u64()
                    .and_then(|ms| i64::try_from(ms).ok())
            };
            offered(
                offers,
                StoreOffer {
                    discount,
                    threshold: Some(text("promotionDetail").unwrap_or_default()),
                    collect_first: coupon.get("acquirable").and_then(Value::as_bool),
                    starts_ms: millis("startTime"),
                    ends_ms: millis("endTime"),
                },
            );
        }
    }
}

/// Adds the product id `value` names; whether it named one.
fn product_id(clues: &mut Clues, value: Option<&Value>) -> bool {
    let id = text_of(value).and_then(|text| ProductId::parse(&text));
    clues.product_ids.extend(id);
    id.is_some()
}

fn category(clues: &mut Clues, value: Option<&Value>) {
    if let Some(id) = text_of(value).and_then(|text| digits_id(&text)) {
        push_new(&mut clues.category_ids, id);
    }
}

/// The store of a module holding `storeNum` or `storeURL` (`//www.aliexpress.com/store/912345`).
/// `storeNum` is the store's id; a seller's `adminSeq` or `companyId` is not, and is not read.
fn store(clues: &mut Clues, module: &Value) {
    let from_num = text_of(module.get("storeNum")).and_then(|t| digits_id(&t));
    let from_url = module
        .get("storeURL")
        .and_then(Value::as_str)
        .and_then(|url| {
            let url = url.trim();
            match url.strip_prefix("//") {
                Some(rest) => {
                    let mut absolute = String::from("https://");
                    absolute.push_str(rest);
                    store_id_in(&absolute)
                }
                None => store_id_in(url),
            }
        });
    for id in from_num.into_iter().chain(from_url) {
        push_new(&mut clues.store_ids, id);
    }
}

/// Adds the price of an amount `{value, currency, formatedAmount}` (and whether `high` makes it
/// the low end of a range); whether there was one to add.
fn amount(
    clues: &mut Clues,
    low: Option<&Value>,
    high: Option<&Value>,
    fallback: Option<Currency>,
) -> bool {
    let Some(low) = low.filter(|v| v.is_object()) else {
        return false;
    };
    let value = |amount: &Value| match amount.get("value")? {
        Value::Number(n) => Some(n.to_text()),
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    };
    let Some(text) = value(low) else {
        return false;
    };
    let currency = low
        .get("currency")
        .and_then(Value::as_str)
        .and_then(Currency::parse)
        .or(fallback);
    match read_plain_amount(&text) {
        Ok(amount) => {
            let range = high
                .and_then(value)
                .is_some_and(|h| read_plain_amount(&h).is_ok_and(|high| high != amount));
            clues.offers.push(Offer {
                amount,
                currency,
                range,
            });
            true
        }
        Err(_) => {
            clues.unreadable_price = true;
            false
        }
    }
}

/// The chosen SKU's price as the page prints it (`US $12.34`); whether it read.
fn sale_text(clues: &mut Clues, value: Option<&Value>) -> bool {
    let Some(text) = value.and_then(Value::as_str) else {
        return false;
    };
    match read_price_text(text, clues.currency) {
        Ok(read) => {
            let currency = if read.marked {
                read.currency
            } else {
                clues.currency
            };
            clues.offers.push(Offer {
                amount: read.amount,
                currency,
                range: read.range,
            });
            true
        }
        Err(_) => {
            clues.unreadable_price = true;
            false
        }
    }
}

#[cfg(test)]
mod tests;
