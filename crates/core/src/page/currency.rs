//! The currencies a page may show prices in and the symbols AliExpress prints for each
//! (several symbols, such as `$` or `¥`, name more than one).
//!
//! The codes and their minor-unit digits are the coupon module's one table
//! ([`crate::coupon::minor_digits`]), so a page currency can always meet a coupon's.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::coupon::{is_known_currency, minor_digits};

/// An ISO 4217 code the coupon feed knows, upper-case (`USD`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    /// The code if `text` is exactly a known ISO 4217 code (upper-case).
    pub fn parse(text: &str) -> Option<Self> {
        let code: [u8; 3] = text.as_bytes().try_into().ok()?;
        is_known_currency(&code).then_some(Self(code))
    }

    /// The code as the coupon rules hold it.
    pub fn bytes(self) -> [u8; 3] {
        self.0
    }

    /// The three letters.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters from the table are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// How many decimal digits its minor unit has (2 for cents, 0 for yen).
    pub fn exponent(self) -> u32 {
        minor_digits(self.0).unwrap_or(2)
    }
}

impl fmt::Debug for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CurrencyCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a printed symbol says about the currency: one currency, or a choice the shopper's
/// currency setting has to settle (`$` is the dollar of a dozen countries and the peso of a few).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymbolMeaning {
    /// Names exactly this currency.
    One(&'static str),
    /// One of these; which one the shopper's setting says, if it is among them.
    AnyOf(&'static [&'static str]),
}

const DOLLARS: &[&str] = &[
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
    pub(crate) fn settle(self, hint: Option<CurrencyCode>) -> Option<CurrencyCode> {
        match self {
            Self::One(code) => CurrencyCode::parse(code),
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
    fn codes_and_exponents() {
        assert_eq!(
            CurrencyCode::parse("USD").map(CurrencyCode::exponent),
            Some(2)
        );
        assert_eq!(
            CurrencyCode::parse("JPY").map(CurrencyCode::exponent),
            Some(0)
        );
        assert_eq!(
            CurrencyCode::parse("KRW").map(CurrencyCode::exponent),
            Some(0)
        );
        assert_eq!(CurrencyCode::parse("usd"), None);
        assert_eq!(CurrencyCode::parse("XXX"), None);
        assert_eq!(CurrencyCode::parse("USDX"), None);
        assert_eq!(CurrencyCode::parse(""), None);
    }

    #[test]
    fn every_symbol_names_a_known_currency() {
        for (_, meaning) in SYMBOLS {
            let codes: Vec<&str> = match meaning {
                SymbolMeaning::One(code) => vec![code],
                SymbolMeaning::AnyOf(codes) => codes.to_vec(),
            };
            for code in codes {
                assert!(CurrencyCode::parse(code).is_some(), "{code}");
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
