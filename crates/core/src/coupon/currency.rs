//! ISO 4217 currency codes a feed may use: the currencies AliExpress prices in and their neighbours.

/// Active ISO 4217 codes.
const KNOWN: [&[u8; 3]; 48] = [
    b"AED", b"ARS", b"AUD", b"BGN", b"BRL", b"CAD", b"CHF", b"CLP", b"CNY", b"COP", b"CZK", b"DKK",
    b"EGP", b"EUR", b"GBP", b"HKD", b"HUF", b"IDR", b"ILS", b"INR", b"JPY", b"KRW", b"KZT", b"MAD",
    b"MXN", b"MYR", b"NGN", b"NOK", b"NZD", b"PEN", b"PHP", b"PKR", b"PLN", b"QAR", b"RON", b"RUB",
    b"SAR", b"SEK", b"SGD", b"THB", b"TRY", b"TWD", b"UAH", b"USD", b"UZS", b"VND", b"ZAR", b"BYN",
];

/// Whether `code` is a currency a coupon may be in.
pub(crate) fn is_known_currency(code: &[u8; 3]) -> bool {
    KNOWN.contains(&code)
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
    }
}
