//! The symbols AliExpress prints prices with, and the currency each names (several symbols,
//! such as `$` or `¥`, name more than one).

use super::Currency;

/// What a printed symbol says about the currency: one currency, or a choice the shopper's
/// currency setting has to settle (`$` is the dollar of a dozen countries and the peso of a few).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymbolMeaning {
    /// Names exactly this currency.
    One(&'static str),
    /// One of these; which one the shopper's setting says, if it is among them.
    AnyOf(&'static [&'static str]),
}

/// The currencies a `$` may be, the US dollar first.
pub(crate) const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "MXN", "HKD", "SGD", "TWD", "CLP", "COP", "ARS",
];
const YEN_OR_YUAN: &[&str] = &["JPY", "CNY"];
const KRONOR: &[&str] = &["SEK", "NOK", "DKK"];
const RUPEES: &[&str] = &["INR", "PKR"];

/// Symbols as AliExpress prints them (`US $` is matched as `US$`), tried in this order at each
/// position, so a longer symbol is listed before any symbol it starts with: `R$` is the real and
/// not the rand, `US$` the US dollar and not any dollar. Symbols that begin or end with a letter
/// match only as whole words, so the `R` of the rand is not the `R` in `RUB`.
pub(crate) const SYMBOLS: [(&str, SymbolMeaning); 54] = [
    ("MXN$", SymbolMeaning::One("MXN")),
    ("CLP$", SymbolMeaning::One("CLP")),
    ("COL$", SymbolMeaning::One("COP")),
    ("COP$", SymbolMeaning::One("COP")),
    ("ARS$", SymbolMeaning::One("ARS")),
    ("руб.", SymbolMeaning::One("RUB")),
    ("US$", SymbolMeaning::One("USD")),
    ("CA$", SymbolMeaning::One("CAD")),
    ("AU$", SymbolMeaning::One("AUD")),
    ("NZ$", SymbolMeaning::One("NZD")),
    ("HK$", SymbolMeaning::One("HKD")),
    ("SG$", SymbolMeaning::One("SGD")),
    ("NT$", SymbolMeaning::One("TWD")),
    ("MX$", SymbolMeaning::One("MXN")),
    ("CN¥", SymbolMeaning::One("CNY")),
    ("CN￥", SymbolMeaning::One("CNY")),
    ("JP¥", SymbolMeaning::One("JPY")),
    ("руб", SymbolMeaning::One("RUB")),
    ("грн", SymbolMeaning::One("UAH")),
    ("лв.", SymbolMeaning::One("BGN")),
    ("лв", SymbolMeaning::One("BGN")),
    ("lei", SymbolMeaning::One("RON")),
    ("R$", SymbolMeaning::One("BRL")),
    ("C$", SymbolMeaning::One("CAD")),
    ("A$", SymbolMeaning::One("AUD")),
    ("S$", SymbolMeaning::One("SGD")),
    ("E£", SymbolMeaning::One("EGP")),
    ("S/", SymbolMeaning::One("PEN")),
    ("zł", SymbolMeaning::One("PLN")),
    ("Kč", SymbolMeaning::One("CZK")),
    ("Ft", SymbolMeaning::One("HUF")),
    ("RM", SymbolMeaning::One("MYR")),
    ("Rp", SymbolMeaning::One("IDR")),
    ("TL", SymbolMeaning::One("TRY")),
    ("Br", SymbolMeaning::One("BYN")),
    ("kr", SymbolMeaning::AnyOf(KRONOR)),
    ("Rs", SymbolMeaning::AnyOf(RUPEES)),
    ("€", SymbolMeaning::One("EUR")),
    ("£", SymbolMeaning::One("GBP")),
    ("₽", SymbolMeaning::One("RUB")),
    ("₴", SymbolMeaning::One("UAH")),
    ("₸", SymbolMeaning::One("KZT")),
    ("₺", SymbolMeaning::One("TRY")),
    ("₹", SymbolMeaning::One("INR")),
    ("฿", SymbolMeaning::One("THB")),
    ("₫", SymbolMeaning::One("VND")),
    ("₩", SymbolMeaning::One("KRW")),
    ("₪", SymbolMeaning::One("ILS")),
    ("₱", SymbolMeaning::One("PHP")),
    ("₦", SymbolMeaning::One("NGN")),
    ("R", SymbolMeaning::One("ZAR")),
    // The yen on ja.aliexpress.com, the yuan elsewhere; `￥` is the full-width form.
    ("¥", SymbolMeaning::AnyOf(YEN_OR_YUAN)),
    ("￥", SymbolMeaning::AnyOf(YEN_OR_YUAN)),
    ("$", SymbolMeaning::AnyOf(DOLLARS)),
];

impl SymbolMeaning {
    /// The currency this meaning settles on, given the shopper's setting when it has to choose.
    pub(crate) fn settle(self, hint: Option<Currency>) -> Option<Currency> {
        match self {
            Self::One(code) => Currency::parse(code),
            Self::AnyOf(codes) => {
                hint.filter(|hint| codes.iter().any(|code| *code == hint.as_str()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_names_a_known_currency() {
        for (_, meaning) in SYMBOLS {
            let codes: Vec<&str> = match meaning {
                SymbolMeaning::One(code) => vec![code],
                SymbolMeaning::AnyOf(codes) => codes.to_vec(),
            };
            for code in codes {
                assert!(Currency::parse(code).is_some(), "{code}");
            }
        }
    }

    #[test]
    fn longer_symbols_come_first() {
        // Matching takes the first symbol found at a position: a prefix listed before a longer
        // symbol would shadow it.
        for (i, (earlier, _)) in SYMBOLS.iter().enumerate() {
            for (later, _) in SYMBOLS.iter().skip(i + 1) {
                assert!(
                    !later.starts_with(earlier) || later == earlier,
                    "{later:?} is shadowed by {earlier:?}"
                );
            }
        }
    }
}
