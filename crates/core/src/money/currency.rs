//! ISO 4217 currencies a feed, a page and a search may use (those AliExpress prices in and
//! their neighbours), with the digits of each one's minor unit: the one table of them, and the
//! one type that holds a code from it.

use std::fmt;

use super::Minor;

/// Each currency with its ISO 4217 minor-unit exponent. Only CLP, JPY, KRW and VND have no
/// minor unit; every other one here has two decimals (ISO's figure, which the feed's minor units
/// follow even where shops print whole numbers, as for IDR or HUF).
const CURRENCIES: [([u8; 3], u8); 48] = [
    (*b"AED", 2),
    (*b"ARS", 2),
    (*b"AUD", 2),
    (*b"BGN", 2),
    (*b"BRL", 2),
    (*b"BYN", 2),
    (*b"CAD", 2),
    (*b"CHF", 2),
    (*b"CLP", 0),
    (*b"CNY", 2),
    (*b"COP", 2),
    (*b"CZK", 2),
    (*b"DKK", 2),
    (*b"EGP", 2),
    (*b"EUR", 2),
    (*b"GBP", 2),
    (*b"HKD", 2),
    (*b"HUF", 2),
    (*b"IDR", 2),
    (*b"ILS", 2),
    (*b"INR", 2),
    (*b"JPY", 0),
    (*b"KRW", 0),
    (*b"KZT", 2),
    (*b"MAD", 2),
    (*b"MXN", 2),
    (*b"MYR", 2),
    (*b"NGN", 2),
    (*b"NOK", 2),
    (*b"NZD", 2),
    (*b"PEN", 2),
    (*b"PHP", 2),
    (*b"PKR", 2),
    (*b"PLN", 2),
    (*b"QAR", 2),
    (*b"RON", 2),
    (*b"RUB", 2),
    (*b"SAR", 2),
    (*b"SEK", 2),
    (*b"SGD", 2),
    (*b"THB", 2),
    (*b"TRY", 2),
    (*b"TWD", 2),
    (*b"UAH", 2),
    (*b"USD", 2),
    (*b"UZS", 2),
    (*b"VND", 0),
    (*b"ZAR", 2),
];

/// An ISO 4217 code from the table, upper-case (`USD`): three bytes, so a coupon or a cart
/// carries it inline. Only [`Currency::parse`] and [`Currency::from_bytes`] make one, so every
/// `Currency` has a known minor unit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollars: AliExpress's global default, where a country has no currency of its own
    /// there.
    pub const USD: Self = Self(*b"USD");

    /// The currency if `text` is exactly a known code (upper-case).
    pub fn parse(text: &str) -> Option<Self> {
        Self::from_bytes(text.as_bytes().try_into().ok()?)
    }

    /// The currency if `code` is a known code's bytes.
    pub fn from_bytes(code: [u8; 3]) -> Option<Self> {
        CURRENCIES
            .iter()
            .any(|(known, _)| *known == code)
            .then_some(Self(code))
    }

    /// The code's three bytes.
    pub fn bytes(self) -> [u8; 3] {
        self.0
    }

    /// The three letters.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters from the table are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// How many decimal digits its minor unit has (2 for cents, 0 for yen).
    pub fn minor_digits(self) -> u32 {
        CURRENCIES
            .iter()
            .find(|(known, _)| *known == self.0)
            .map_or(2, |(_, digits)| u32::from(*digits))
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A known currency for tests, from its code.
#[cfg(test)]
pub(crate) fn code(text: &str) -> Currency {
    Currency::parse(text).unwrap_or_else(|| unreachable!("{text} is not in the table"))
}

/// An amount in minor units written in major units, as a decimal string with the currency's
/// digits (`1299` USD is `"12.99"`, `1299` JPY is `"1299"`): exact, for display code that
/// formats money in the shopper's language.
pub fn major_units(amount: Minor, currency: Currency) -> String {
    let digits = currency.minor_digits();
    if digits == 0 {
        return amount.to_string();
    }
    let scale = 10u64.pow(digits);
    let width = digits as usize;
    format!("{}.{:0width$}", amount / scale, amount % scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(Currency::parse("USD").is_some());
        assert_eq!(Currency::parse("USD"), Some(Currency::USD));
        assert!(Currency::parse("BRL").is_some());
        for unknown in ["usd", "XXX", "BTC", "USDX", ""] {
            assert_eq!(Currency::parse(unknown), None, "{unknown}");
        }
        assert_eq!(Currency::from_bytes(*b"\xffUS"), None);
        assert_eq!(code("JPY").minor_digits(), 0);
        assert_eq!(code("KRW").minor_digits(), 0);
        assert_eq!(code("EUR").minor_digits(), 2);
    }

    #[test]
    fn the_table_is_sorted_without_repeats() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn major_units_are_exact() {
        assert_eq!(major_units(1299, code("USD")), "12.99");
        assert_eq!(major_units(5, code("EUR")), "0.05");
        assert_eq!(major_units(0, code("BRL")), "0.00");
        assert_eq!(major_units(1299, code("JPY")), "1299");
        assert_eq!(major_units(u64::MAX, code("USD")), "184467440737095516.15");
    }
}
