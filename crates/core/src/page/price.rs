//! Prices as pages print them (`US $1,299.00`, `1.299,00 €`, `1 299,00 руб.`, `¥1,299`): where
//! the number is in the text, whether it is a range, and the currency the text names. The
//! number itself is read by the one reader of written amounts ([`crate::money::read_written`],
//! which also reads what a shopper types into Smart Search), then put into integer minor units.
//! No floats.

use std::fmt;

use crate::money::{read_plain, read_written, AmountProblem, Currency, SymbolMeaning, SYMBOLS};

pub(crate) use crate::money::Amount;
#[cfg(test)]
pub(crate) use crate::money::ABSURD_MINOR;

/// Longest price text read; a price is a few characters, anything longer is not one.
pub(crate) const MAX_PRICE_TEXT: usize = 256;

/// What a price text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PriceText {
    /// The amount; for a range, its low end.
    pub amount: Amount,
    /// The currency the text names, settled with the shopper's setting when the symbol is
    /// shared (`$`); `None` when it names none or a shared symbol the setting does not settle.
    pub currency: Option<Currency>,
    /// Whether the text names a currency at all (a bare `12.99` does not).
    pub marked: bool,
    /// Whether it is a range (`US $12.99 - 15.99`), of which `amount` is the low end.
    pub range: bool,
}

/// Why a price text was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PriceProblem {
    TooLong,
    TwoCurrencies,
    /// The number in it is no amount (the money reader says why).
    Amount(AmountProblem),
}

impl fmt::Display for PriceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => f.write_str("too long to be a price"),
            Self::TwoCurrencies => f.write_str("names two currencies"),
            Self::Amount(problem) => problem.fmt(f),
        }
    }
}

impl From<AmountProblem> for PriceProblem {
    fn from(problem: AmountProblem) -> Self {
        Self::Amount(problem)
    }
}

/// A price in structured data or a meta tag: plain digits with an optional `.` decimal mark
/// (schema.org's form; JSON numbers arrive as their shortest text, `12.99`).
pub(crate) fn read_plain_amount(text: &str) -> Result<Amount, PriceProblem> {
    if text.len() > MAX_PRICE_TEXT {
        return Err(PriceProblem::TooLong);
    }
    Ok(read_plain(text)?)
}

/// A price as a page prints it, with the shopper's currency setting to settle shared symbols.
pub(crate) fn read_price_text(
    text: &str,
    setting: Option<Currency>,
) -> Result<PriceText, PriceProblem> {
    if text.len() > MAX_PRICE_TEXT {
        return Err(PriceProblem::TooLong);
    }
    let text = normalise_spaces(text);
    let spans = number_spans(&text, 2);
    let (first_start, first_end) = *spans
        .first()
        .ok_or(PriceProblem::Amount(AmountProblem::NoNumber))?;
    let before = text.get(..first_start).unwrap_or("");
    if before.contains(['-', '−']) {
        return Err(PriceProblem::Amount(AmountProblem::Negative));
    }
    let range = spans.get(1).is_some_and(|&(next_start, _)| {
        text.get(first_end..next_start)
            .is_some_and(|gap| gap.contains(['-', '–', '—', '~']))
    });
    let amount = read_written(text.get(first_start..first_end).unwrap_or(""))?;
    let (currency, marked) = currency_named(&affix(&text, &spans), setting)?;
    Ok(PriceText {
        amount,
        currency,
        marked,
        range,
    })
}

/// Every run of white space as one plain space (pages use no-break and thin spaces as digit
/// group separators), trimmed.
pub(crate) fn normalise_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Unicode white space includes the no-break (U+00A0) and narrow no-break (U+202F) spaces.
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// Byte ranges of the numbers in `text`: a digit, then digits and separators that each sit
/// between digits. A space separates only a following group of exactly three digits, so the
/// space in `12.99 15.99` ends a number while the one in `1 299,00` does not. At most `most`
/// spans are found (a price needs two, to see a range; a promo code's terms a few more).
pub(crate) fn number_spans(text: &str, most: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !digit_at(i) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while digit_at(i) {
                i += 1;
            }
            let sep_len = match bytes.get(i) {
                Some(b'.' | b',' | b'\'') => 1,
                // The typographic apostrophe of Swiss prices, three bytes in UTF-8.
                Some(0xE2) if text.get(i..).is_some_and(|t| t.starts_with('’')) => 3,
                Some(b' ') => 1,
                _ => 0,
            };
            let after = i + sep_len;
            let continues = sep_len > 0
                && digit_at(after)
                && (bytes.get(i) != Some(&b' ')
                    || (digit_at(after + 1) && digit_at(after + 2) && !digit_at(after + 3)));
            if !continues {
                break;
            }
            i = after;
        }
        spans.push((start, i));
        // Many numbers in one price text is not a price; two are enough to see a range.
        if spans.len() == most {
            break;
        }
    }
    spans
}

/// `text` with its numbers blanked out: where the currency is named.
fn affix(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for &(start, end) in spans {
        out.push_str(text.get(from..start).unwrap_or(""));
        out.push(' ');
        from = end;
    }
    out.push_str(text.get(from..).unwrap_or(""));
    // `US $`, `CA $`, `¥ 1299`: the space before a currency sign is layout, not a word break.
    let mut joined = String::with_capacity(out.len());
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && matches!(chars.peek(), Some('$' | '¥' | '￥')) {
            continue;
        }
        joined.push(c);
    }
    joined
}

/// The currency `affix` names, by ISO code or symbol; an error if it names two.
fn currency_named(
    affix: &str,
    setting: Option<Currency>,
) -> Result<(Option<Currency>, bool), PriceProblem> {
    let mut named: Vec<SymbolMeaning> = Vec::new();
    let mut codes: Vec<Currency> = Vec::new();
    let mut rest = affix;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let word_start = !previous.is_some_and(char::is_alphabetic);
        if let Some(code) = word_start.then(|| iso_code_at(rest)).flatten() {
            codes.push(code);
            rest = rest.get(3..).unwrap_or("");
            previous = Some('A');
            continue;
        }
        if let Some((symbol, meaning)) = SYMBOLS.iter().find(|(symbol, _)| {
            rest.starts_with(symbol) && whole_word(symbol, word_start, rest.get(symbol.len()..))
        }) {
            named.push(*meaning);
            rest = rest.get(symbol.len()..).unwrap_or("");
            previous = symbol.chars().last();
            continue;
        }
        previous = Some(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    let marked = !named.is_empty() || !codes.is_empty();
    // An ISO code is the clearest mark; a symbol settles with the setting when shared.
    let mut found: Vec<Option<Currency>> = codes.into_iter().map(Some).collect();
    if found.is_empty() {
        found = named.into_iter().map(|m| m.settle(setting)).collect();
    }
    found.dedup();
    match found.as_slice() {
        [] => Ok((None, false)),
        [one] => Ok((*one, marked)),
        _ => Err(PriceProblem::TwoCurrencies),
    }
}

/// A known ISO code at the start of `rest`, as a whole word (`USD12.99` and `12.99 USD` name
/// one; `USDT` does not).
fn iso_code_at(rest: &str) -> Option<Currency> {
    let code = Currency::parse(rest.get(..3)?)?;
    let next = rest.get(3..).and_then(|r| r.chars().next());
    (!next.is_some_and(char::is_alphabetic)).then_some(code)
}

/// Whether a symbol found at a position stands as a word: one that starts or ends with a letter
/// must not run into other letters.
fn whole_word(symbol: &str, word_start: bool, after: Option<&str>) -> bool {
    let starts_with_letter = symbol.chars().next().is_some_and(char::is_alphabetic);
    let ends_with_letter = symbol.chars().last().is_some_and(char::is_alphabetic);
    let next_is_letter = after
        .and_then(|a| a.chars().next())
        .is_some_and(char::is_alphabetic);
    (!starts_with_letter || word_start) && !(ends_with_letter && next_is_letter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::tests::{grouped, STYLES};
    use crate::money::Minor;

    fn code(text: &str) -> Option<Currency> {
        Currency::parse(text)
    }

    /// (text, setting, minor units, currency, range)
    #[test]
    fn price_texts() {
        let cases: &[(&str, Option<&str>, Minor, &str, bool)] = &[
            ("US $12.99", None, 1299, "USD", false),
            ("US$12.99", None, 1299, "USD", false),
            ("US $1,299.00", None, 129_900, "USD", false),
            ("US $1,299", None, 129_900, "USD", false),
            ("US $12.99 - 15.99", None, 1299, "USD", true),
            ("US $12.99-15.99", None, 1299, "USD", true),
            ("$12.99", Some("USD"), 1299, "USD", false),
            ("$12.99", Some("CAD"), 1299, "CAD", false),
            ("12,99 €", None, 1299, "EUR", false),
            ("12,99\u{a0}€", None, 1299, "EUR", false),
            ("€ 12,99", None, 1299, "EUR", false),
            ("1.299,00 €", None, 129_900, "EUR", false),
            ("1.299 €", None, 129_900, "EUR", false),
            ("1 299,00 руб.", None, 129_900, "RUB", false),
            ("1\u{202f}299,00\u{a0}руб.", None, 129_900, "RUB", false),
            ("1 299 ₽", None, 129_900, "RUB", false),
            ("R$ 45,90", None, 4590, "BRL", false),
            ("R$45,90", Some("USD"), 4590, "BRL", false),
            ("R 199.99", None, 19_999, "ZAR", false),
            ("£9.99", None, 999, "GBP", false),
            ("12,34 zł", None, 1234, "PLN", false),
            ("zł12,34", None, 1234, "PLN", false),
            ("¥1,299", Some("JPY"), 1299, "JPY", false),
            ("￥1299", Some("JPY"), 1299, "JPY", false),
            ("¥ 1,299.00", Some("JPY"), 1299, "JPY", false),
            ("¥12.99", Some("CNY"), 1299, "CNY", false),
            ("CN¥12.99", Some("USD"), 1299, "CNY", false),
            ("₩12,000", None, 12_000, "KRW", false),
            ("MXN$8,52", None, 852, "MXN", false),
            ("MXN$180,89", Some("USD"), 18_089, "MXN", false),
            ("CA $15.00", None, 1500, "CAD", false),
            ("AU $15.00", None, 1500, "AUD", false),
            ("12.99 USD", None, 1299, "USD", false),
            ("USD12.99", None, 1299, "USD", false),
            ("CHF 1'299.50", None, 129_950, "CHF", false),
            ("CHF 1’299.50", None, 129_950, "CHF", false),
            ("₹1,29,999.00", None, 12_999_900, "INR", false),
            ("Rp 150.000", None, 15_000_000, "IDR", false),
            ("299 kr", Some("SEK"), 29_900, "SEK", false),
            ("1 299,00 Kč", None, 129_900, "CZK", false),
            ("12 990 Ft", None, 1_299_000, "HUF", false),
            ("₫259.000", None, 259_000, "VND", false),
            ("TL 99,90", None, 9990, "TRY", false),
            ("99,90 TL", None, 9990, "TRY", false),
            ("US $12.99US $25.98-50%", None, 1299, "USD", false),
            ("US $0.99", None, 99, "USD", false),
        ];
        for &(text, setting, minor, currency, range) in cases {
            let read = read_price_text(text, setting.and_then(code))
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(read.currency, code(currency), "{text:?}");
            assert_eq!(read.range, range, "{text:?}");
            let want = read.currency.map(|c| read.amount.minor(c));
            assert_eq!(want, Some(Ok(minor)), "{text:?}");
        }
    }

    #[test]
    fn unsettled_or_unnamed_currencies() {
        let read = |text: &str, setting: Option<&str>| {
            read_price_text(text, setting.and_then(code)).map(|p| (p.currency, p.marked))
        };
        assert_eq!(read("$12.99", None), Ok((None, true)), "which dollar?");
        assert_eq!(read("$12.99", Some("EUR")), Ok((None, true)), "not a euro");
        assert_eq!(read("¥1299", None), Ok((None, true)));
        assert_eq!(read("299 kr", Some("USD")), Ok((None, true)));
        assert_eq!(read("12.99", Some("USD")), Ok((None, false)), "bare number");
        assert_eq!(read("RUB 1 299", None), Ok((code("RUB"), true)));
        assert_eq!(read("Brand 12.99", None), Ok((None, false)), "Br in a word");
        assert_eq!(read("12.99 USDT", None), Ok((None, false)));
    }

    #[test]
    fn refusals() {
        let cases: &[(&str, PriceProblem)] = &[
            ("", PriceProblem::Amount(AmountProblem::NoNumber)),
            ("US $", PriceProblem::Amount(AmountProblem::NoNumber)),
            ("-US $12.99", PriceProblem::Amount(AmountProblem::Negative)),
            ("US $ −12.99", PriceProblem::Amount(AmountProblem::Negative)),
            ("US $12.99 €", PriceProblem::TwoCurrencies),
            ("12.99 USD EUR", PriceProblem::TwoCurrencies),
            ("1,2,3", PriceProblem::Amount(AmountProblem::Malformed)),
            ("1.299.00", PriceProblem::Amount(AmountProblem::Malformed)),
            (
                "1.299,00,00 €",
                PriceProblem::Amount(AmountProblem::Malformed),
            ),
            (
                "12,3456,789 €",
                PriceProblem::Amount(AmountProblem::Malformed),
            ),
            (
                "1,299.00.00",
                PriceProblem::Amount(AmountProblem::Malformed),
            ),
            (
                "99999999999999999999999 €",
                PriceProblem::Amount(AmountProblem::Absurd),
            ),
        ];
        for &(text, problem) in cases {
            assert_eq!(
                read_price_text(text, None).map(|_| ()),
                Err(problem),
                "{text:?}"
            );
        }
        let long = "1".repeat(MAX_PRICE_TEXT + 1);
        assert_eq!(
            read_price_text(&long, None).map(|_| ()),
            Err(PriceProblem::TooLong)
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

        /// The page's price reader and the search's price reader read the same written amount
        /// to the same value: one reader under both.
        #[test]
        fn a_page_and_a_search_read_an_amount_alike(
            whole in 1u64..10_000_000,
            cents in 0u64..100,
            style in proptest::sample::select(&STYLES[..]),
        ) {
            let text = format!("{}{}{cents:02}", grouped(whole, style), style.1);
            let page = read_price_text(&format!("{text} €"), None)
                .ok()
                .and_then(|p| p.amount.minor(Currency::parse("EUR").unwrap_or_else(|| unreachable!())).ok());
            proptest::prop_assert_eq!(page, Some(whole * 100 + cents), "{}", text);
            let search = crate::search::parse_query(&format!("lamp under {text} euros"));
            let cents_value = (whole * 100 + cents) as f64 / 100.0;
            proptest::prop_assert_eq!(search.max_price, Some(cents_value), "{}", text);
        }
    }
}
