//! ISO 4217 currencies a feed and a page may use (those AliExpress prices in and their
//! neighbours), with the digits of each one's minor unit: the one table of them.

use super::{Currency, Minor};

/// Each currency with its ISO 4217 minor-unit exponent. Only CLP, JPY, KRW and VND have no
/// minor unit; every other one here has two decimals (ISO's figure, which the feed's minor units
/// follow even where shops print whole numbers, as for IDR or HUF).
const CURRENCIES: [(Currency, u8); 48] = [
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

/// Whether `code` is a currency a coupon may be in.
pub fn is_known_currency(code: &Currency) -> bool {
    minor_digits(*code).is_some()
}

/// How many decimal digits the currency's minor unit has (2 for cents, 0 for yen), or `None`
/// for a currency not in the table.
pub fn minor_digits(code: Currency) -> Option<u32> {
    CURRENCIES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, digits)| u32::from(*digits))
}

/// An amount in minor units written in major units, as a decimal string with the currency's
/// digits (`1299` USD is `"12.99"`, `1299` JPY is `"1299"`): exact, for display code that
/// formats money in the shopper's language.
pub fn major_units(amount: Minor, currency: Currency) -> String {
    let digits = minor_digits(currency).unwrap_or(2);
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
        assert!(is_known_currency(b"USD"));
        assert!(is_known_currency(b"BRL"));
        assert!(!is_known_currency(b"usd"));
        assert!(!is_known_currency(b"XXX"));
        assert!(!is_known_currency(b"BTC"));
        assert_eq!(minor_digits(*b"JPY"), Some(0));
        assert_eq!(minor_digits(*b"EUR"), Some(2));
        assert_eq!(minor_digits(*b"BTC"), None);
    }

    #[test]
    fn the_table_is_sorted_without_repeats() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn major_units_are_exact() {
        assert_eq!(major_units(1299, *b"USD"), "12.99");
        assert_eq!(major_units(5, *b"EUR"), "0.05");
        assert_eq!(major_units(0, *b"BRL"), "0.00");
        assert_eq!(major_units(1299, *b"JPY"), "1299");
        assert_eq!(major_units(u64::MAX, *b"USD"), "184467440737095516.15");
    }
}
