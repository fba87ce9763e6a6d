//! Money: the one table of currencies and the one type holding a code from it, amounts in
//! integer minor units (no floats anywhere money is reckoned), the one reader of amounts as
//! people write them (a page's prices and a shopper's search alike), exchange rates when known,
//! and the symbols prices are printed with.

mod amount;
#[cfg(test)]
pub(crate) use amount::tests;
mod currency;
mod home;
mod rates;
mod symbols;

#[cfg(test)]
pub(crate) use amount::ABSURD_MINOR;
pub(crate) use amount::{read_plain, read_written, Amount, AmountProblem};
#[cfg(test)]
pub(crate) use currency::code;
pub use currency::{major_units, Currency};
pub use home::home_currency;
pub use rates::Rates;
pub(crate) use symbols::{SymbolMeaning, DOLLARS, SYMBOLS};

/// An amount of money in minor units (cents).
pub type Minor = u64;

/// A plain amount in major units (`"12.50"`, `"1299"`, as the affiliate API and structured data
/// give prices) in minor units of `currency`: the inverse of [`major_units`], through the one
/// reader of amounts. `None` when it is no such amount, zero, absurd, or has more decimals than
/// the currency (`"12.999"` dollars).
pub fn minor_units(text: &str, currency: Currency) -> Option<Minor> {
    read_plain(text).ok()?.minor(currency).ok()
}

#[cfg(test)]
mod minor_units_tests {
    use super::*;

    #[test]
    fn minor_units_read_back_major_units() {
        let (usd, jpy) = (code("USD"), code("JPY"));
        assert_eq!(minor_units("12.50", usd), Some(1250));
        assert_eq!(minor_units("1299", jpy), Some(1299));
        assert_eq!(
            minor_units(&major_units(987_654_321, usd), usd),
            Some(987_654_321)
        );
        assert_eq!(minor_units("12.5", usd), Some(1250));
        for bad in [
            "",
            "0",
            "0.00",
            "12.999",
            "12.505",
            "-1",
            "12.",
            "1,299.00",
            "1e3",
            "US $12",
            "US $12.50",
        ] {
            assert_eq!(minor_units(bad, usd), None, "{bad}");
        }
        assert_eq!(minor_units("12.5", jpy), None, "yen have no cents");
    }
}
