//! Putting a page's facts together: each fact has several sources in an order of trust (the
//! URL and the page's own data model before structured data, the page's inline data, meta tags
//! and then the DOM), the first that answers wins, each line says which source gave each of its
//! facts, and a missing or unreadable source only narrows what is known.

use super::context::{ItemSources, Note, PageContext, PageItem, Source, Unknown};
use super::facts::{Facts, ItemFacts};
use super::ids::{category_id_in, link_target, store_id_in};
use super::kind::{kind_of_url, PageKind};
use super::model::from_model;
use super::price::{read_price_text, Amount};
use super::region::{from_cookie, from_header, from_site, CountryCode, Setting};
use super::structured::{
    from_json_ld, from_meta, from_script, product_id_in, push_new, Clues, Offer,
};
use super::PageError;
use crate::coupon::Minor;
use crate::link::{resolve, BaseUrl};
use crate::money::Currency;

/// The most of one line the page can show; more is a misread, not a quantity.
const MAX_QUANTITY: u32 = 99_999;

/// The page as understood from its facts.
pub(crate) fn understand(facts: &Facts) -> Result<PageContext, PageError> {
    let url = facts.url.as_deref().ok_or(PageError::NoUrl)?;
    let url_kind = kind_of_url(url).ok_or(PageError::NotAliexpress)?;
    let base = BaseUrl::parse(facts.base.as_deref().unwrap_or(url)).or_else(|| BaseUrl::parse(url));
    // Each href as the absolute URL of the page it leads to (a deep link of ours, its target).
    let absolute = |href: &str| link_target(&resolve(href, base.as_ref())).into_owned();

    let json_ld = from_json_ld(&facts.json_ld);
    let meta = from_meta(&facts.meta);
    let script = from_script(&facts.script);
    let mut model = facts.model.as_deref().map(from_model).unwrap_or_default();
    let settings = Settings::read(facts, &model.clues, &script);

    let kind = match url_kind {
        PageKind::Other
            if (model.clues.product_page || json_ld.product_page || meta.product_page)
                && product_id_of(url, &[&model.clues, &json_ld, &meta, &script]).is_some() =>
        {
            PageKind::Product
        }
        // AliExpress moves its checkout often: order lines beside a promo code field are one.
        PageKind::Other if facts.promo_code_input && !facts.items.is_empty() => PageKind::Checkout,
        other => other,
    };

    // The shopper's setting is the currency until prices say otherwise.
    let mut page = PageContext {
        kind,
        currency: settings.currency.map(|(c, _)| c),
        currency_from: settings.currency.map(|(_, s)| s),
        country: settings.country.map(|(c, _)| c),
        country_from: settings.country.map(|(_, s)| s),
        items: Vec::new(),
        promo_code_field: facts.promo_code_input,
        unknown: Vec::new(),
        notes: Vec::new(),
        store_offers: Vec::new(),
    };
    let mut quantity_unknown = false;
    match kind {
        PageKind::Product => product_page(
            &mut page,
            facts,
            url,
            &absolute,
            &settings,
            [&model.clues, &json_ld, &meta, &script],
        ),
        PageKind::Cart | PageKind::Checkout => {
            quantity_unknown = order_page(&mut page, facts, &absolute, &settings);
        }
        PageKind::Store => {
            page.items.push(PageItem {
                product_id: None,
                store_id: store_id_in(url).or_else(|| script.store_ids.first().cloned()),
                category_ids: Vec::new(),
                price: None,
                price_range: false,
                quantity: 1,
                selected: Some(true),
                from: ItemSources {
                    store: Some(if store_id_in(url).is_some() {
                        Source::Url
                    } else {
                        Source::PageData
                    }),
                    ..ItemSources::default()
                },
            });
        }
        PageKind::Other => {}
    }
    // The store's own coupons are about the product page's store, which must be known.
    if kind == PageKind::Product && page.items.iter().any(|i| i.store_id.is_some()) {
        page.store_offers = std::mem::take(&mut model.store_offers);
    }
    if model.missing {
        page.notes.push(Note::PageModelMissing);
    }
    if facts.items_cut && matches!(kind, PageKind::Cart | PageKind::Checkout) {
        page.notes.push(Note::TooManyItems);
    }
    // A cart renders its lines in the browser: none yet beside a spinner is "not yet".
    if facts.loading && page.items.is_empty() && matches!(kind, PageKind::Cart | PageKind::Checkout)
    {
        page.notes.push(Note::StillLoading);
    }
    page.unknown = unknowns(&page, quantity_unknown);
    Ok(page)
}

/// The shopper's setting: country and currency, each from the first source that names it.
struct Settings {
    country: Option<(CountryCode, Source)>,
    currency: Option<(Currency, Source)>,
}

impl Settings {
    fn read(facts: &Facts, model: &Clues, script: &Clues) -> Self {
        let cookie = facts.cookie.as_deref().map(from_cookie).unwrap_or_default();
        let header = from_header(
            facts.ship_to_text.as_deref().unwrap_or(""),
            facts.ship_to_flag.as_deref().unwrap_or(""),
        );
        let data = Setting {
            country: script.country,
            currency: script.currency,
        };
        let copied = Setting {
            country: model.country,
            currency: model.currency,
        };
        // The site last: the shopper's own setting is more precise where there is one.
        let site = from_site(facts.url.as_deref().unwrap_or(""));
        let sources = [
            (cookie, Source::Cookie),
            (header, Source::Header),
            (copied, Source::PageModel),
            (data, Source::PageData),
            (site, Source::Url),
        ];
        Self {
            country: sources
                .iter()
                .find_map(|(s, source)| Some((s.country?, *source))),
            currency: sources
                .iter()
                .find_map(|(s, source)| Some((s.currency?, *source))),
        }
    }

    fn currency(&self) -> Option<Currency> {
        self.currency.map(|(c, _)| c)
    }
}

/// The product id: the URL's, then the structured sources' in order.
fn product_id_of(url: &str, clues: &[&Clues]) -> Option<String> {
    product_id_from(url, clues, &[]).map(|(id, _)| id)
}

/// The product id and where it was read: the URL's, then each of `clues` in order (named by
/// `sources`, the same order).
fn product_id_from(url: &str, clues: &[&Clues], sources: &[Source]) -> Option<(String, Source)> {
    if let Some(id) = product_id_in(url) {
        return Some((id.to_string(), Source::Url));
    }
    clues.iter().enumerate().find_map(|(i, c)| {
        let id = c.product_ids.first()?;
        Some((
            id.to_string(),
            sources.get(i).copied().unwrap_or(Source::PageData),
        ))
    })
}

/// The sources of a product page's clues, in their order: the model, JSON-LD, meta tags and
/// the inline page data.
const CLUE_SOURCES: [Source; 4] = [
    Source::PageModel,
    Source::StructuredData,
    Source::MetaTags,
    Source::PageData,
];

/// A price in a currency, from one source.
struct Candidate {
    amount: Amount,
    currency: Currency,
    range: bool,
    source: Source,
}

/// A product page: one line. Each fact has its sources in order of trust: the product id from
/// the URL, then the page model, structured data, meta tags and page data; the store from the
/// page model, structured data, page data, the URL (a store product path), then the DOM's store
/// link; the categories from the first of the page model, structured data, page data and the
/// DOM's breadcrumb that names any; the price as [`product_price`] chooses.
fn product_page(
    page: &mut PageContext,
    facts: &Facts,
    url: &str,
    absolute: &dyn Fn(&str) -> String,
    settings: &Settings,
    [model, json_ld, meta, script]: [&Clues; 4],
) {
    let store = [
        (model, Source::PageModel),
        (json_ld, Source::StructuredData),
        (script, Source::PageData),
    ]
    .into_iter()
    .find_map(|(clues, source)| Some((clues.store_ids.first()?.clone(), source)))
    .or_else(|| Some((store_id_in(url)?, Source::Url)))
    .or_else(|| {
        let id = facts
            .product
            .store_links
            .iter()
            .find_map(|href| store_id_in(&absolute(href)))?;
        Some((id, Source::Dom))
    });
    let mut dom_categories = Vec::new();
    for href in &facts.product.category_links {
        if let Some(id) = category_id_in(&absolute(href)) {
            push_new(&mut dom_categories, id);
        }
    }
    let categories = [
        (&model.category_ids, Source::PageModel),
        (&json_ld.category_ids, Source::StructuredData),
        (&script.category_ids, Source::PageData),
        (&dom_categories, Source::Dom),
    ]
    .into_iter()
    .find(|(ids, _)| !ids.is_empty());
    let product = product_id_from(url, &[model, json_ld, meta, script], &CLUE_SOURCES);
    let (chosen, unreadable) = product_price(facts, settings.currency(), model, json_ld, meta);
    let setting = settings.currency();
    if let Some((candidate, _)) = &chosen {
        page.currency = Some(candidate.currency);
        page.currency_from = Some(candidate.source);
        if setting.is_some_and(|s| s != candidate.currency) {
            page.notes.push(Note::PriceNotInShopperCurrency);
        }
        if candidate.range {
            page.notes.push(Note::PriceRange);
        }
    } else if unreadable {
        page.notes.push(Note::UnreadablePrice);
    }
    let from = ItemSources {
        product: product.as_ref().map(|(_, source)| *source),
        store: store.as_ref().map(|(_, source)| *source),
        categories: categories.map(|(_, source)| source),
        price: chosen.as_ref().map(|(c, _)| c.source),
    };
    page.items.push(PageItem {
        product_id: product.map(|(id, _)| id),
        store_id: store.map(|(id, _)| id),
        category_ids: categories.map(|(ids, _)| ids.clone()).unwrap_or_default(),
        price: chosen.as_ref().map(|(_, minor)| *minor),
        price_range: chosen.as_ref().is_some_and(|(c, _)| c.range),
        quantity: facts
            .product
            .quantity
            .as_deref()
            .and_then(quantity)
            .unwrap_or(1),
        selected: Some(true),
        from,
    });
}

/// A product page's price: every readable price in a currency, from the page model, structured
/// data, meta tags and the DOM's price texts in that order; the first in the shopper's currency
/// setting wins (the shopper pays in it, and structured data sometimes keeps the store's base
/// currency), else the first of all; but when that one is a range (no SKU chosen in the data)
/// and the DOM prints one price in its currency, the DOM's wins: the page prints the price of
/// the SKU the shopper chose. Also whether some price was there and not understood.
fn product_price(
    facts: &Facts,
    setting: Option<Currency>,
    model: &Clues,
    json_ld: &Clues,
    meta: &Clues,
) -> (Option<(Candidate, Minor)>, bool) {
    let mut unreadable =
        model.unreadable_price || json_ld.unreadable_price || meta.unreadable_price;
    let offered = |offers: &[Offer], source: Source| -> Vec<Candidate> {
        offers
            .iter()
            .filter_map(|offer| {
                Some(Candidate {
                    amount: offer.amount,
                    // A structured price without a currency is in the page's, the shopper's.
                    currency: offer.currency.or(setting)?,
                    range: offer.range,
                    source,
                })
            })
            .collect()
    };
    let mut candidates = offered(&model.offers, Source::PageModel);
    candidates.extend(offered(&json_ld.offers, Source::StructuredData));
    candidates.extend(offered(&meta.offers, Source::MetaTags));
    for text in &facts.product.prices {
        match read_price_text(text, setting) {
            Ok(read) => {
                // A bare number is in the shopper's currency; a symbol the setting does not
                // settle (`$` for a shopper in euros) leaves the price out.
                let currency = if read.marked { read.currency } else { setting };
                candidates.extend(currency.map(|currency| Candidate {
                    amount: read.amount,
                    currency,
                    range: read.range,
                    source: Source::PriceText,
                }));
            }
            Err(_) => unreadable = true,
        }
    }
    let mut priced: Vec<(Candidate, Minor)> = Vec::new();
    for candidate in candidates {
        match candidate.amount.minor(candidate.currency) {
            Ok(minor) => priced.push((candidate, minor)),
            Err(_) => unreadable = true,
        }
    }
    let mut at = priced
        .iter()
        .position(|(c, _)| Some(c.currency) == setting)
        .unwrap_or(0);
    if let Some((first, _)) = priced.get(at).filter(|(c, _)| c.range) {
        let currency = first.currency;
        let chosen_sku = priced
            .iter()
            .position(|(c, _)| c.source == Source::PriceText && !c.range && c.currency == currency);
        at = chosen_sku.unwrap_or(at);
    }
    let chosen = (at < priced.len()).then(|| priced.swap_remove(at));
    (chosen, unreadable)
}

/// A cart or order line before the page's currency is settled.
struct Line {
    item: PageItem,
    /// The price as read: amount, currency (if the text settles one), range.
    price: Option<(Amount, Option<Currency>, bool)>,
    /// Whether the page showed a quantity that reads as one.
    quantity_shown: bool,
}

/// A cart or checkout: its lines, priced in the one currency they share. Returns whether a
/// counted line's quantity was not shown.
fn order_page(
    page: &mut PageContext,
    facts: &Facts,
    absolute: &dyn Fn(&str) -> String,
    settings: &Settings,
) -> bool {
    let setting = settings.currency();
    let mut unreadable = false;
    let mut lines: Vec<Line> = Vec::new();
    for raw in &facts.items {
        let line = read_line(raw, absolute, setting, &mut unreadable);
        // A line with nothing known is page furniture that matched a line selector.
        let known =
            line.item.product_id.is_some() || line.item.store_id.is_some() || line.price.is_some();
        if known {
            lines.push(line);
        }
    }
    let quantity_unknown = lines.iter().any(|l| l.item.counted() && !l.quantity_shown);
    // The page's currency: the one its counted lines are priced in. Lines in another currency
    // lose their price rather than being added up with the rest.
    // Each once; their order does not matter.
    let mut currencies: Vec<Currency> = Vec::new();
    for currency in lines
        .iter()
        .filter(|l| l.item.counted())
        .filter_map(|l| l.price.and_then(|(_, c, _)| c))
    {
        if !currencies.contains(&currency) {
            currencies.push(currency);
        }
    }
    match currencies.as_slice() {
        // No priced line says: the shopper's setting stays the currency.
        [] => {}
        [one] => {
            page.currency = Some(*one);
            page.currency_from = Some(Source::PriceText);
        }
        several => {
            page.notes.push(Note::MixedCurrencies);
            let settled = setting.filter(|s| several.contains(s));
            page.currency = settled;
            page.currency_from = settled.map(|_| Source::PriceText);
        }
    }
    let currency = page.currency;
    for mut line in lines {
        if let (Some((amount, Some(price_currency), range)), Some(currency)) =
            (line.price, currency)
        {
            if price_currency == currency {
                match amount.minor(currency) {
                    Ok(minor) => {
                        line.item.price = Some(minor);
                        line.item.price_range = range;
                        line.item.from.price = Some(Source::PriceText);
                    }
                    Err(_) => unreadable = true,
                }
            }
        }
        page.items.push(line.item);
    }
    if unreadable {
        page.notes.push(Note::UnreadablePrice);
    }
    if page.items.iter().any(|i| i.counted() && i.price_range) {
        page.notes.push(Note::PriceRange);
    }
    quantity_unknown
}

fn read_line(
    raw: &ItemFacts,
    absolute: &dyn Fn(&str) -> String,
    setting: Option<Currency>,
    unreadable: &mut bool,
) -> Line {
    let links: Vec<String> = raw.links.iter().map(|href| absolute(href)).collect();
    let product_id = links
        .iter()
        .find_map(|href| product_id_in(href))
        .map(|id| id.to_string());
    // The store group's link, else a store product link of the line itself.
    let store_id = raw
        .store_link
        .as_deref()
        .and_then(|href| store_id_in(&absolute(href)))
        .or_else(|| links.iter().find_map(|href| store_id_in(href)));
    let price = raw
        .price
        .as_deref()
        .and_then(|text| match read_price_text(text, setting) {
            Ok(read) => {
                let currency = if read.marked { read.currency } else { setting };
                Some((read.amount, currency, read.range))
            }
            Err(_) => {
                *unreadable = true;
                None
            }
        });
    let read_quantity = raw.quantity.as_deref().and_then(quantity);
    let from = ItemSources {
        product: product_id.as_ref().map(|_| Source::Dom),
        store: store_id.as_ref().map(|_| Source::Dom),
        categories: None,
        // Set once the line's price is settled in the page's currency.
        price: None,
    };
    Line {
        item: PageItem {
            product_id,
            store_id,
            category_ids: Vec::new(),
            price: None,
            price_range: false,
            quantity: read_quantity.unwrap_or(1),
            selected: raw.selected,
            from,
        },
        price,
        quantity_shown: read_quantity.is_some(),
    }
}

/// A quantity as pages show it: `2`, `x2`, `×2`, `Qty: 2`, `2 pcs`: one run of digits, with
/// little else around it; from 1 to [`MAX_QUANTITY`].
pub(crate) fn quantity(text: &str) -> Option<u32> {
    let text = text.trim();
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits_len = text
        .get(start..)?
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - start);
    let (before, rest) = text.split_at_checked(start)?;
    let (digits, after) = rest.split_at_checked(digits_len)?;
    if before.chars().count() > 6
        || after.chars().count() > 6
        || after.contains(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if before.contains(['-', '−', '.', ',']) || after.starts_with(['.', ',']) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (1..=MAX_QUANTITY).contains(&n).then_some(n)
}

/// What matching needs and the page did not tell.
fn unknowns(page: &PageContext, quantity_unknown: bool) -> Vec<Unknown> {
    let mut unknown = Vec::new();
    if page.currency.is_none() {
        unknown.push(Unknown::Currency);
    }
    if page.country.is_none() {
        unknown.push(Unknown::Country);
    }
    let counted: Vec<&PageItem> = page.items.iter().filter(|i| i.counted()).collect();
    let lines_of_products = matches!(
        page.kind,
        PageKind::Product | PageKind::Cart | PageKind::Checkout
    );
    if lines_of_products && counted.iter().any(|i| i.price.is_none()) {
        unknown.push(Unknown::Price);
    }
    if quantity_unknown {
        unknown.push(Unknown::Quantity);
    }
    if lines_of_products && counted.iter().any(|i| i.product_id.is_none()) {
        unknown.push(Unknown::Product);
    }
    if page.kind != PageKind::Other && counted.iter().any(|i| i.store_id.is_none()) {
        unknown.push(Unknown::Store);
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        for (text, want) in [
            ("1", Some(1)),
            ("2", Some(2)),
            (" 12 ", Some(12)),
            ("x2", Some(2)),
            ("×3", Some(3)),
            ("Qty: 4", Some(4)),
            ("2 pcs", Some(2)),
            ("0", None),
            ("-1", None),
            ("1.5", None),
            ("1,000", None),
            ("100000", None),
            ("99999", Some(99_999)),
            ("4294967296", None),
            ("", None),
            ("two", None),
            ("1 2", None),
            ("quantity of the item: 2", None),
        ] {
            assert_eq!(quantity(text), want, "{text:?}");
        }
    }
}
