//! The currency AliExpress shows a country's shoppers before they pick one: their country's own
//! where AliExpress prices in it, US dollars elsewhere (AliExpress's global default). The
//! extension's first market, before any page has said the shopper's ship-to and currency, is
//! taken from the browser's region with this table.

use super::Currency;

/// Countries whose own currency AliExpress prices in, sorted by country code. Every other
/// country gets US dollars.
const HOME_CURRENCIES: [([u8; 2], [u8; 3]); 62] = [
    (*b"AE", *b"AED"),
    (*b"AR", *b"ARS"),
    (*b"AT", *b"EUR"),
    (*b"AU", *b"AUD"),
    (*b"BE", *b"EUR"),
    (*b"BG", *b"BGN"),
    (*b"BR", *b"BRL"),
    (*b"BY", *b"BYN"),
    (*b"CA", *b"CAD"),
    (*b"CH", *b"CHF"),
    (*b"CL", *b"CLP"),
    (*b"CO", *b"COP"),
    (*b"CY", *b"EUR"),
    (*b"CZ", *b"CZK"),
    (*b"DE", *b"EUR"),
    (*b"DK", *b"DKK"),
    (*b"EE", *b"EUR"),
    (*b"EG", *b"EGP"),
    (*b"ES", *b"EUR"),
    (*b"FI", *b"EUR"),
    (*b"FR", *b"EUR"),
    (*b"GB", *b"GBP"),
    (*b"GR", *b"EUR"),
    (*b"HK", *b"HKD"),
    (*b"HR", *b"EUR"),
    (*b"HU", *b"HUF"),
    (*b"ID", *b"IDR"),
    (*b"IE", *b"EUR"),
    (*b"IL", *b"ILS"),
    (*b"IN", *b"INR"),
    (*b"IT", *b"EUR"),
    (*b"JP", *b"JPY"),
    (*b"KR", *b"KRW"),
    (*b"KZ", *b"KZT"),
    (*b"LT", *b"EUR"),
    (*b"LU", *b"EUR"),
    (*b"LV", *b"EUR"),
    (*b"MA", *b"MAD"),
    (*b"MT", *b"EUR"),
    (*b"MX", *b"MXN"),
    (*b"MY", *b"MYR"),
    (*b"NL", *b"EUR"),
    (*b"NO", *b"NOK"),
    (*b"NZ", *b"NZD"),
    (*b"PE", *b"PEN"),
    (*b"PH", *b"PHP"),
    (*b"PK", *b"PKR"),
    (*b"PL", *b"PLN"),
    (*b"PT", *b"EUR"),
    (*b"QA", *b"QAR"),
    (*b"RO", *b"RON"),
    (*b"RU", *b"RUB"),
    (*b"SA", *b"SAR"),
    (*b"SE", *b"SEK"),
    (*b"SG", *b"SGD"),
    (*b"SI", *b"EUR"),
    (*b"SK", *b"EUR"),
    (*b"TH", *b"THB"),
    (*b"TR", *b"TRY"),
    (*b"UA", *b"UAH"),
    (*b"VN", *b"VND"),
    (*b"ZA", *b"ZAR"),
];

/// The currency AliExpress shows shoppers of `country` (ISO 3166 alpha-2, upper-case) until
/// they choose another.
pub fn home_currency(country: [u8; 2]) -> Currency {
    HOME_CURRENCIES
        .binary_search_by_key(&country, |(c, _)| *c)
        .ok()
        .and_then(|at| HOME_CURRENCIES.get(at))
        .and_then(|(_, code)| Currency::from_bytes(*code))
        .unwrap_or(Currency::USD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_once_and_every_currency_is_known() {
        assert!(HOME_CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        for (country, code) in HOME_CURRENCIES {
            assert!(Currency::from_bytes(code).is_some(), "{country:?}");
        }
    }

    #[test]
    fn a_country_has_its_own_currency_or_us_dollars() {
        let home = |c: &[u8; 2]| home_currency(*c).to_string();
        assert_eq!(home(b"BR"), "BRL");
        assert_eq!(home(b"ES"), "EUR");
        assert_eq!(home(b"DE"), "EUR");
        assert_eq!(home(b"RU"), "RUB");
        assert_eq!(home(b"GB"), "GBP");
        assert_eq!(home(b"US"), "USD");
        // No table entry: AliExpress's global default.
        assert_eq!(home(b"NG"), "USD");
        assert_eq!(home(b"ZZ"), "USD");
    }
}
