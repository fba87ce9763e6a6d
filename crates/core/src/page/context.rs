//! What the shopper is looking at, as understood from a page: its kind, its lines (a product
//! page has one), the currency and ship-to country, and what could not be known. The popup
//! shows it as it is (written as JSON by [`PageContext::to_json`], its one writer); coupon
//! matching takes it as a [`Cart`].

use super::kind::PageKind;
use super::region::CountryCode;
use crate::codec::json::Writer;
use crate::coupon::{Cart, CartItem, Minor, Timestamp};
use crate::money::Currency;

/// A page as understood. Written as
/// `{"kind", "currency", "currency_from", "country", "country_from", "items": [...],
/// "promo_code_field", "unknown": [...], "notes": [...]}`, every name in `snake_case`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageContext {
    /// Product, cart, checkout, store or other.
    pub kind: PageKind,
    /// The currency of every `price` below; `None` when the page did not say clearly.
    pub currency: Option<Currency>,
    /// Where the currency was read.
    pub currency_from: Option<Source>,
    /// The shopper's ship-to country; `None` matches coupons without the country filter.
    pub country: Option<CountryCode>,
    /// Where the country was read.
    pub country_from: Option<Source>,
    /// The page's lines: one on a product or store page, each cart or order line otherwise.
    pub items: Vec<PageItem>,
    /// Whether the page has a promo code field (checkout).
    pub promo_code_field: bool,
    /// What matching needs and the page did not tell, for the popup to say.
    pub unknown: Vec<Unknown>,
    /// How the reading degraded, for the popup and the logs.
    pub notes: Vec<Note>,
    /// The store's own coupons the page offers (a product page's, from its data model).
    pub store_offers: Vec<StoreOffer>,
}

/// One of the store's own coupons as a product page offers it, in the page's words: the coupon
/// rules read its terms (`crate::coupon::page_coupons`), or leave it out when they do not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreOffer {
    /// What it takes off ("US $2.00", "10%"); or, when `threshold` is `None`, the whole offer
    /// in one text ("US $2 off on US $20").
    pub discount: String,
    /// The least to spend, as the page words it ("Orders over US $20.00"; empty: none said).
    pub threshold: Option<String>,
    /// Whether the shopper must collect it on the page before it applies; `None`: not said.
    pub collect_first: Option<bool>,
    /// When it starts and ends, milliseconds since the epoch, when the page says.
    pub starts_ms: Option<i64>,
    /// See `starts_ms`.
    pub ends_ms: Option<i64>,
}

/// One line: a product page's product, a cart or order line, a store page's store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageItem {
    /// The product, when known.
    pub product_id: Option<String>,
    /// The store selling it, when known.
    pub store_id: Option<String>,
    /// Its categories, top level first, when known.
    pub category_ids: Vec<String>,
    /// Unit price in minor units of the context's currency, when known.
    pub price: Option<Minor>,
    /// The price is the low end of a range (the variant is not chosen yet).
    pub price_range: bool,
    /// How many (1 when the page did not say).
    pub quantity: u32,
    /// Whether the shopper ticked it in the cart; `None` when the page shows no tick box.
    /// Lines explicitly not selected are not part of the order.
    pub selected: Option<bool>,
    /// Where each of its facts was read.
    pub from: ItemSources,
}

/// Where each fact of a line was read (`None`: not known, or not read from one place).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemSources {
    /// The product id.
    pub product: Option<Source>,
    /// The store id.
    pub store: Option<Source>,
    /// The categories.
    pub categories: Option<Source>,
    /// The price.
    pub price: Option<Source>,
}

/// Where a fact was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A price as the page prints it.
    PriceText,
    /// schema.org JSON-LD.
    StructuredData,
    /// Open Graph or microdata meta tags.
    MetaTags,
    /// The page's own script data as its inline scripts hold it (`window.runParams = ...`).
    PageData,
    /// The page's own data model, copied from the page's JavaScript world once it arrived
    /// (`extension/content/world.js`; see `page/model.rs`).
    PageModel,
    /// The page's URL.
    Url,
    /// A link or text of the page's DOM (a store link, the breadcrumb, a cart line's links).
    Dom,
    /// The shopper's AliExpress settings cookie (`aep_usuc_f`).
    Cookie,
    /// The ship-to switcher in the page header.
    Header,
}

/// Something matching needs that the page did not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// No currency: no saving can be computed (coupons are in one currency each).
    Currency,
    /// No ship-to country: coupons are matched without the country filter.
    Country,
    /// Some line's price: it counts as zero, so it makes no coupon reach its minimum.
    Price,
    /// Some line's quantity: it counts as one.
    Quantity,
    /// Some line's product id.
    Product,
    /// Some line's store id: store coupons cannot apply to it.
    Store,
}

/// How the reading degraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// Lines were priced in different currencies; those not in the context's currency have no
    /// price (or none has, when no currency could be settled on).
    MixedCurrencies,
    /// A price is the low end of a range.
    PriceRange,
    /// A price was on the page but not understood (malformed, absurd, zero).
    UnreadablePrice,
    /// The product's price is not in the shopper's currency setting.
    PriceNotInShopperCurrency,
    /// The cart had more lines than are read.
    TooManyItems,
    /// The page renders its data in the browser and its model never arrived (or could not be
    /// read): what is known came from the page's markup alone.
    PageModelMissing,
    /// A cart or checkout showed no line yet and a loading placeholder: its lines are not
    /// there yet, which is not an empty cart.
    StillLoading,
}

/// What the page is about, without prices: the ids a coupon's scope can name, for listing
/// the coupons of a product or store when no saving can be computed (see [`PageContext::cart`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageScope {
    /// The currency, when known.
    pub currency: Option<Currency>,
    /// The ship-to country, when known.
    pub country: Option<CountryCode>,
    /// Products of the counted lines, without repeats.
    pub product_ids: Vec<String>,
    /// Stores of the counted lines, without repeats.
    pub store_ids: Vec<String>,
    /// Categories of the counted lines, without repeats.
    pub category_ids: Vec<String>,
}

impl PageItem {
    /// Whether the line is part of the order: every line but those the shopper unticked.
    pub fn counted(&self) -> bool {
        self.selected != Some(false)
    }
}

impl PageContext {
    /// The page as a coupon cart at `now`, for a shopper who has (`new_user == false`) or has
    /// not ordered before.
    ///
    /// A `Cart` has no "unknown", so the page's unknowns are expressed this way:
    /// - No currency: `None`. Every coupon is in one currency and its amounts mean nothing in
    ///   another; a guessed currency could show savings that do not exist. [`PageContext::scope`]
    ///   still names the products and stores, for listing the coupons scoped to them.
    /// - A line without a price: in the cart at price 0. The coupon rules give a zero base no
    ///   saving and never let it count towards a minimum spend, so the cart never claims a saving
    ///   the page does not support, while the line's store and product still pick the candidate
    ///   coupons (the index looks coupons up by store). Such a coupon cannot show a saving:
    ///   "applies to this product" without an amount is what the scope is for.
    /// - No country: `country: None`, which the rules read as "match without the country
    ///   filter"; [`Unknown::Country`] is there for the popup to say so.
    /// - A line without a readable quantity: quantity 1, never more than the page shows.
    /// - Lines the shopper unticked in the cart are left out; lines whose page shows no tick box
    ///   (a checkout) stay.
    ///
    /// Prices (a range counts as its low end) and quantities are only ever understated, and
    /// every coupon rule is monotone in them, so a saving shown is one the order gets. The one
    /// guess that can overstate is counting a line whose tick box the page does not show.
    /// [`PageContext::prices_known`] says whether the cart is the page's whole order.
    /// `None` too when no line is counted (an empty cart, an "other" page).
    pub fn cart(&self, now: Timestamp, new_user: bool) -> Option<Cart> {
        let currency = self.currency?;
        let items: Vec<CartItem> = self
            .items
            .iter()
            .filter(|item| item.counted())
            .map(|item| CartItem {
                product_id: item.product_id.clone(),
                store_id: item.store_id.clone(),
                category_ids: item.category_ids.clone(),
                price: item.price.unwrap_or(0),
                quantity: item.quantity,
            })
            .collect();
        (!items.is_empty()).then(|| Cart {
            currency,
            country: self.country.map(CountryCode::bytes),
            new_user,
            now,
            items,
        })
    }

    /// The ids of the counted lines, with the currency and country when known.
    pub fn scope(&self) -> PageScope {
        let mut scope = PageScope {
            currency: self.currency,
            country: self.country,
            ..PageScope::default()
        };
        for item in self.items.iter().filter(|item| item.counted()) {
            add_new(&mut scope.product_ids, item.product_id.as_ref());
            add_new(&mut scope.store_ids, item.store_id.as_ref());
            for category in &item.category_ids {
                add_new(&mut scope.category_ids, Some(category));
            }
        }
        scope
    }

    /// Whether every counted line has a price in a known currency: the savings the coupon
    /// rules compute for [`PageContext::cart`] are then the page's own.
    pub fn prices_known(&self) -> bool {
        self.currency.is_some()
            && self
                .items
                .iter()
                .filter(|item| item.counted())
                .all(|item| item.price.is_some())
    }
}

impl PageContext {
    /// As JSON, the shape documented on the type.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        self.write_json(&mut w);
        w.finish()
    }

    /// Writes it as JSON, the shape documented on the type (the popup reads it this way).
    pub(crate) fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("kind");
        w.string(self.kind.name());
        w.key("currency");
        w.optional_string(self.currency.as_ref().map(Currency::as_str));
        w.key("currency_from");
        w.optional_string(self.currency_from.map(Source::name));
        w.key("country");
        w.optional_string(self.country.as_ref().map(CountryCode::as_str));
        w.key("country_from");
        w.optional_string(self.country_from.map(Source::name));
        w.key("items");
        w.nested(|w| {
            w.begin_array();
            for item in &self.items {
                w.nested(|w| item.write_json(w));
            }
            w.end_array();
        });
        w.key("promo_code_field");
        w.boolean(self.promo_code_field);
        w.key("unknown");
        w.strings(self.unknown.iter().map(|u| u.name()));
        w.key("notes");
        w.strings(self.notes.iter().map(|n| n.name()));
        w.end_object();
    }
}

impl PageItem {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("product_id");
        w.optional_string(self.product_id.as_deref());
        w.key("store_id");
        w.optional_string(self.store_id.as_deref());
        w.key("category_ids");
        w.strings(self.category_ids.iter().map(String::as_str));
        w.key("price");
        w.optional_unsigned(self.price);
        w.key("price_range");
        w.boolean(self.price_range);
        w.key("quantity");
        w.unsigned(u64::from(self.quantity));
        w.key("selected");
        match self.selected {
            Some(selected) => w.boolean(selected),
            None => w.null(),
        }
        w.key("from");
        w.nested(|w| {
            let name = |source: Option<Source>| source.map(Source::name);
            w.begin_object();
            w.key("product");
            w.optional_string(name(self.from.product));
            w.key("store");
            w.optional_string(name(self.from.store));
            w.key("categories");
            w.optional_string(name(self.from.categories));
            w.key("price");
            w.optional_string(name(self.from.price));
            w.end_object();
        });
        w.end_object();
    }
}

impl Source {
    /// Its name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::PriceText => "price_text",
            Self::StructuredData => "structured_data",
            Self::MetaTags => "meta_tags",
            Self::PageData => "page_data",
            Self::PageModel => "page_model",
            Self::Url => "url",
            Self::Dom => "dom",
            Self::Cookie => "cookie",
            Self::Header => "header",
        }
    }
}

impl Unknown {
    /// Its name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Currency => "currency",
            Self::Country => "country",
            Self::Price => "price",
            Self::Quantity => "quantity",
            Self::Product => "product",
            Self::Store => "store",
        }
    }
}

impl Note {
    /// Its name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::MixedCurrencies => "mixed_currencies",
            Self::PriceRange => "price_range",
            Self::UnreadablePrice => "unreadable_price",
            Self::PriceNotInShopperCurrency => "price_not_in_shopper_currency",
            Self::TooManyItems => "too_many_items",
            Self::PageModelMissing => "page_model_missing",
            Self::StillLoading => "still_loading",
        }
    }
}

fn add_new(ids: &mut Vec<String>, id: Option<&String>) {
    if let Some(id) = id {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
}
