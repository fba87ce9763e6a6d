//! Money: the one table of currencies and the one type holding a code from it, amounts in
//! integer minor units (no floats anywhere money is reckoned), and the symbols prices are printed
//! with.

mod currency;
mod symbols;

#[cfg(test)]
pub(crate) use currency::code;
pub use currency::{major_units, Currency};
pub(crate) use symbols::{SymbolMeaning, SYMBOLS};

/// An amount of money in minor units (cents).
pub type Minor = u64;
