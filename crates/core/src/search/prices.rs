//! Prices: "under 30 dollars", "más de 20 €", "entre 20 y 40 euros", "от 20 до 40", "$20-$40",
//! "R$ 50 ou menos", "за 3000 рублей", "price 20-40", "under 5" (a price without currency).
//!
//! An amount is a number with, around it, at most one currency: a sign or ISO code before it
//! (`$30`, `US$ 30`, `USD 30`), or a sign, code or currency word after it (`30€`, `30 usd`,
//! `30 dollars`, `3000 рублей`). The signs are the page reader's table (`money::SYMBOLS`), the
//! codes the coupon rules' one currency table (through `Currency`); a shared sign (`$`, `¥`) or
//! dollar word is the currency the shopper's AliExpress shows when it is one of those it may
//! mean, else `$` and "dollars" are the US dollar, AliExpress's own currency. A number is a price only
//! when a price phrase says so (an operator such as "under" or "entre", "price", "or less") or
//! it carries a currency; otherwise it stays a keyword (`iPhone 15`), and so does a number with
//! a unit after it (`27 inch`, `1TB`, `20000mAh`, `50%`). Thousands groups (`3 000 ₽`) are
//! joined here, knowing the currency: before dollars, `iPhone 15 800` is two numbers.

use super::numbers;
use super::query::{Class, Query};
use super::vocabulary::{Mark, Role};
use super::SearchRequest;
use crate::money::{Currency, SymbolMeaning, DOLLARS, SYMBOLS};

/// Above this, a number is no price anyone types (a billion): it stays a keyword.
pub(super) const MAX_PRICE: f64 = 1e9;

/// ISO codes that are also everyday words in the six languages (`pen`, `try`, `cad`, `ils`):
/// typed in lower case they name a currency only after a price word.
const WORD_LIKE_CODES: [&str; 11] = [
    "ARS", "CAD", "COP", "ILS", "MAD", "PEN", "PHP", "RON", "SAR", "THB", "TRY",
];

/// Currencies whose shoppers group thousands with commas or dots, never spaces: before them a
/// space separates two numbers (`iPhone 15 800 dollars`), where before roubles or euros it
/// groups thousands (`3 000 ₽`, `1 500 €`).
const NO_SPACE_GROUPS: [&str; 14] = [
    "ARS", "AUD", "BRL", "CAD", "CLP", "CNY", "COP", "GBP", "INR", "JPY", "KRW", "MXN", "NZD",
    "USD",
];

/// One amount: its value, the currency it names, how surely it is money, and its tokens.
#[derive(Debug, Clone, Copy)]
struct Amount {
    value: f64,
    currency: Option<Currency>,
    mark: Option<Mark>,
    end: usize,
}

impl Amount {
    fn strong(&self) -> bool {
        self.mark == Some(Mark::Strong)
    }
}

/// A price phrase: the range it sets, its currency and its tokens.
#[derive(Debug, Clone, Copy)]
struct Price {
    min: Option<f64>,
    max: Option<f64>,
    currency: Option<Currency>,
    start: usize,
    end: usize,
}

/// Takes every price phrase. The first phrase to set a bound sets it; the first currency named
/// is the request's; a range typed backwards ("between 40 and 20") is put the right way round.
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    let mut i = 0;
    while i < query.tokens.len() {
        let Some(mut price) = price_at(query, i) else {
            i += 1;
            continue;
        };
        // "for under $30", "price: 20-40", "за 3000 рублей": the lead words go with the price.
        while let Some(k) = query
            .ending_at(price.start, Role::PriceLead)
            .or_else(|| query.ending_at(price.start, Role::PriceWord))
        {
            price.start = k;
        }
        query.take(price.start, price.end);
        request.min_price = request.min_price.or(price.min);
        request.max_price = request.max_price.or(price.max);
        request.currency = request.currency.or(price.currency);
        i = price.end;
    }
    if let (Some(min), Some(max)) = (request.min_price, request.max_price) {
        if min > max {
            request.min_price = Some(max);
            request.max_price = Some(min);
        }
    }
}

/// The price phrase starting at token `i`, if one does.
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn price_at(query: &Query, i: usize) -> Option<Price> {
    if !query.free(i, 1) {
        return None;
    }
    let price = |min: Option<f64>, max: Option<f64>, a: Amount, b: Option<Amount>, end| Price {
        min,
        max,
        currency: a.currency.or(b.and_then(|b| b.currency)),
        start: i,
        end,
    };

    // "between 20 and 40", "entre 20 e 40", "zwischen 20 und 40", "между 20 и 40"
    let len = query.at(i, Role::Between);
    if len > 0 {
        let a = amount_after(query, i + len)?;
        let (b, _) = range_end(query, a.end, true)?;
        return Some(price(Some(a.value), Some(b.value), a, Some(b), b.end));
    }

    // "from 20 to 40", "de 20 a 40", "von 20 bis 40", "от 20 до 40"; "over 20", "más de 20"
    for kind in [Role::AtLeast, Role::RangeFrom] {
        let len = query.at(i, kind);
        if len == 0 || is_model_name(query, i) {
            continue;
        }
        let Some(a) = amount_after(query, i + len) else {
            continue;
        };
        if let Some((b, _)) = range_end(query, a.end, false) {
            return Some(price(Some(a.value), Some(b.value), a, Some(b), b.end));
        }
        if kind == Role::AtLeast {
            let end = a.end + query.next(a.end, Role::OrMore);
            return Some(price(Some(a.value), None, a, None, end));
        }
    }

    // "under 30", "hasta 30 €", "bis 30 Euro", "до 3000 рублей"
    let len = query.at(i, Role::AtMost);
    if len > 0 && !is_model_name(query, i) {
        if let Some(a) = amount_after(query, i + len) {
            let end = a.end + query.next(a.end, Role::OrLess);
            return Some(price(None, Some(a.value), a, None, end));
        }
    }

    // "price 20-40", "budget 50", "цена 3000": a bare number is a price here.
    let len = query.at(i, Role::PriceWord);
    if len > 0 {
        if let Some(a) = amount_after(query, i + len) {
            if let Some((b, _)) = range_end(query, a.end, false) {
                return Some(price(Some(a.value), Some(b.value), a, Some(b), b.end));
            }
            return Some(after_amount(query, i, a, true));
        }
    }

    // "$20-$40", "20 to 40 dollars", "30€", "30 dollars or less", "$50+", "50 or less"
    let a = amount_at(query, i)?;
    if let Some((b, up_to)) = range_end(query, a.end, false) {
        // With nothing opening it, a range that starts with a bare number is a range only if
        // that number could be its low end: no more than the high end and no less than a tenth
        // of it, and not before a word that also means "up to" ("até", "bis", "до"). Otherwise
        // it is a model number (`iPhone 15 до 3000 рублей`, `iPhone 15 to 800 dollars`) and
        // the price starts after it.
        let low_end =
            a.mark.is_some() || (!up_to && a.value <= b.value && a.value * 10.0 >= b.value);
        if (a.strong() || b.strong()) && low_end {
            return Some(price(Some(a.value), Some(b.value), a, Some(b), b.end));
        }
    }
    let or_less = query.next(a.end, Role::OrLess) > 0;
    (a.strong() || or_less).then(|| after_amount(query, i, a, a.strong()))
}

/// A lone amount and what follows it: "or less" (the most), "or more" or `+` (the least, only
/// after money: "2 or more" is a quantity), or nothing (a budget: the most).
fn after_amount(query: &Query, start: usize, a: Amount, money: bool) -> Price {
    let or_less = query.next(a.end, Role::OrLess);
    let or_more = if money {
        query.next(a.end, Role::OrMore)
    } else {
        0
    };
    let (min, max, end) = if or_less > 0 {
        (None, Some(a.value), a.end + or_less)
    } else if or_more > 0 {
        (Some(a.value), None, a.end + or_more)
    } else {
        (None, Some(a.value), a.end)
    };
    Price {
        min,
        max,
        currency: a.currency,
        start,
        end,
    }
}

/// "max" and "min" right after "pro" are a model's name (`iPhone 15 Pro Max`), not a price.
fn is_model_name(query: &Query, i: usize) -> bool {
    matches!(query.key(i), "max" | "min")
        && i.checked_sub(1)
            .is_some_and(|p| matches!(query.key(p), "pro" | "ultra"))
}

/// The second amount of a range whose first amount ends at token `at`: after a dash or "to"
/// ("a", "até", "bis", "до"), or after "and" when the range opened with "between"; and whether
/// the word joining them also means "up to".
fn range_end(query: &Query, at: usize, between: bool) -> Option<(Amount, bool)> {
    let joiner = if query.class(at) == Some(Class::Dash) && query.free(at, 1) && !query.parted(at) {
        1
    } else if between && query.next(at, Role::And) > 0 {
        query.next(at, Role::And)
    } else {
        query.next(at, Role::To)
    };
    if joiner == 0 {
        return None;
    }
    let up_to = query.next(at, Role::AtMost) > 0;
    Some((amount_after(query, at + joiner)?, up_to))
}

/// The amount at token `i`, which continues a phrase: none if punctuation parts them.
fn amount_after(query: &Query, i: usize) -> Option<Amount> {
    if query.parted(i) {
        return None;
    }
    amount_at(query, i)
}

/// The amount starting at token `i`: a number with at most one currency, before or after it.
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn amount_at(query: &Query, i: usize) -> Option<Amount> {
    let mut at = i;
    let before = if query.class(i) == Some(Class::Number) {
        None
    } else {
        let money = money_before(query, i)?;
        at += money.2;
        Some(money)
    };
    if query.class(at) != Some(Class::Number) || !query.free(at, 1) {
        return None;
    }
    // Glued to the word before, a number is part of it (`ps5`, `iphone15`, `a54`, `f-91`).
    if before.is_none() && query.glued(at) {
        let class = |back: usize| at.checked_sub(back).and_then(|p| query.class(p));
        let hyphenated =
            class(1) == Some(Class::Dash) && query.glued(at - 1) && class(2) == Some(Class::Word);
        if matches!(class(1), Some(Class::Word | Class::Number)) || hyphenated {
            return None;
        }
    }
    let plain = (numbers::value(query.text(at))?, at + 1);
    // `3 000 ₽` is three thousand roubles; before dollars, `15 800` is two numbers.
    let grouped = grouped(query, at).filter(|&(_, end)| {
        let money = money_after(query, end).or(before);
        money
            .and_then(|(currency, ..)| currency)
            .is_none_or(|currency| !NO_SPACE_GROUPS.contains(&currency.as_str()))
    });
    grouped
        .into_iter()
        .chain([plain])
        .find_map(|(value, end)| with_currency(query, value, end, before))
}

/// The amount `value` whose number ends at token `end`, with the currency before it (`before`)
/// or the one after it; none if a unit follows (`27 inch`) or two currencies surround it.
fn with_currency(
    query: &Query,
    value: f64,
    end: usize,
    before: Option<(Option<Currency>, Mark, usize)>,
) -> Option<Amount> {
    if value > MAX_PRICE {
        return None;
    }
    let after = money_after(query, end);
    if after.is_none() && measures(query, end) {
        return None;
    }
    let (currency, mark, end) = match (before, after) {
        // Two currencies around one number: the one after is the amount's; the word before
        // ("pen 20 usd") is left to be a keyword, and this is no amount.
        (Some(_), Some(_)) => return None,
        (Some((currency, mark, _)), None) => (currency, Some(mark), end),
        (None, Some((currency, mark, len))) => (currency, Some(mark), end + len),
        (None, None) => (None, None, end),
    };
    Some(Amount {
        value,
        currency,
        mark,
        end,
    })
}

/// Whether token `at`, right after a number, makes it a measure or part of a word rather than
/// money: a unit (`27 inch`, `50 %`), stars, a word glued to it (`1tb`, `5g`, `20000mah`) or
/// hyphenated to it (`3-in-1`, `2-pack`).
fn measures(query: &Query, at: usize) -> bool {
    let word = |i: usize| query.glued(i) && query.class(i) == Some(Class::Word);
    query.next(at, Role::Unit) > 0
        || query.next(at, Role::Star) > 0
        || word(at)
        || (query.glued(at) && query.class(at) == Some(Class::Dash) && word(at + 1))
}

/// The number starting at token `i` read with the thousands groups after it (`3 000 000`,
/// `1 299,50`), and where it ends, if groups follow: the tokens' text joined by the spaces
/// between them, read by the one amount reader.
fn grouped(query: &Query, i: usize) -> Option<(f64, usize)> {
    let group = |at: usize| query.tokens.get(at).is_some_and(|t| t.group && !t.used);
    if !group(i + 1) {
        return None;
    }
    let mut text = String::from(query.text(i));
    let mut at = i + 1;
    // Six groups of three digits already make an amount no one pays: stop there.
    while at - i <= 6 && group(at) {
        text.push(' ');
        text.push_str(query.text(at));
        at += 1;
    }
    Some((numbers::value(&text)?, at))
}

/// A currency sign or ISO code at token `i`, before a number: what it names, how surely, and
/// how many tokens it covers.
fn money_before(query: &Query, i: usize) -> Option<(Option<Currency>, Mark, usize)> {
    // Signs cover one or two tokens: without a number after them, nothing to look up.
    let number = |at: usize| query.class(at) == Some(Class::Number);
    if !number(i + 1) && !number(i + 2) {
        return None;
    }
    let found = sign_at(query, i).or_else(|| code_at(query, i))?;
    let number = i + found.2;
    (query.class(number) == Some(Class::Number) && !query.parted(number)).then_some(found)
}

/// A currency word, sign or ISO code at token `i`, after a number. A sign or code that another
/// amount follows belongs to that amount (`iPhone 15 $30`, `rtx 4090 R$ 50`) unless it is glued
/// to this number (`30€ 40€`); before a measure it is this number's (`10 € 1tb ssd`).
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn money_after(query: &Query, i: usize) -> Option<(Option<Currency>, Mark, usize)> {
    if query.parted(i) {
        return None;
    }
    let len = query.at(i, Role::Money);
    if len > 0 {
        let (code, mark) = query.money(i)?;
        // `$` in the tables: a dollar word ("dollars", "bucks") any dollar country says.
        let currency = match code {
            "$" => SymbolMeaning::AnyOf(DOLLARS)
                .settle(query.shown)
                .or(Currency::parse("USD")),
            code => Currency::parse(code),
        };
        return Some((currency, mark, len));
    }
    let found = sign_at(query, i).or_else(|| code_at(query, i))?;
    let next = i + found.2;
    let number_follows = query.class(next) == Some(Class::Number)
        && query.free(next, 1)
        && !query.parted(next)
        && !measures(query, next + 1);
    (!number_follows || query.glued(i)).then_some(found)
}

/// A currency sign as pages print it, over one token or two glued ones (`€`, `US$`, `R$`).
/// Signs made of letters only (`kr`, `zł`, `R`) are everyday letters too: weak.
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn sign_at(query: &Query, i: usize) -> Option<(Option<Currency>, Mark, usize)> {
    let token = query.tokens.get(i)?;
    let rest = query.lower.get(token.text.0..)?;
    let first = rest.chars().next()?;
    for (sign, meaning) in SYMBOLS.iter() {
        if sign.chars().next().and_then(|c| c.to_lowercase().next()) != Some(first) {
            continue;
        }
        let Some(bytes) = starts_with_lowered(rest, sign) else {
            continue;
        };
        let end = token.text.0 + bytes;
        let len = if end == token.text.1 {
            1
        } else if query.glued(i + 1) && query.tokens.get(i + 1).is_some_and(|t| t.text.1 == end) {
            2
        } else {
            continue;
        };
        if !query.free(i, len) {
            continue;
        }
        let mark = if sign.chars().all(char::is_alphabetic) {
            Mark::Weak
        } else {
            Mark::Strong
        };
        // A shared sign (`$`, `¥`, `kr`) is the one the shopper's AliExpress shows when it is
        // one of them (`$` on a site in Mexican pesos); otherwise `$` is the US dollar,
        // AliExpress's own currency.
        let currency = meaning
            .settle(query.shown)
            .or_else(|| meaning.settle(Currency::parse("USD")));
        return Some((currency, mark, len));
    }
    None
}

/// How many bytes of `text` (lower-case) spell `sign` lower-cased, if it starts with it.
fn starts_with_lowered(text: &str, sign: &str) -> Option<usize> {
    let mut chars = text.chars();
    let mut bytes = 0;
    for s in sign.chars().flat_map(char::to_lowercase) {
        let c = chars.next()?;
        if c != s {
            return None;
        }
        bytes += c.len_utf8();
    }
    Some(bytes)
}

/// An ISO 4217 code from the one currency table, as a word of its own (`usd`, `EUR`).
fn code_at(query: &Query, i: usize) -> Option<(Option<Currency>, Mark, usize)> {
    let key = query.key(i);
    if key.len() != 3 || !key.bytes().all(|b| b.is_ascii_lowercase()) || !query.free(i, 1) {
        return None;
    }
    let mut upper = [0u8; 3];
    for (to, from) in upper.iter_mut().zip(key.bytes()) {
        *to = from.to_ascii_uppercase();
    }
    let code = Currency::parse(std::str::from_utf8(&upper).ok()?)?;
    let caps = query.tokens.get(i).is_some_and(|t| t.caps);
    let mark = if !caps && WORD_LIKE_CODES.contains(&code.as_str()) {
        Mark::Weak
    } else {
        Mark::Strong
    };
    Some((Some(code), mark, 1))
}
