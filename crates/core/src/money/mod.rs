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
