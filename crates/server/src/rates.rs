//! The day's exchange rates as an operator gives them, in the configuration (`[rates]`), a file
//! (`shopper-server rates import FILE`) or `PUT /v1/admin/rates`: `{"base": "USD", "per_base":
//! {"EUR": 0.92, "BRL": 5.05}}`, the shape the feed carries them in. Checked whole: a currency
//! the rules do not know or a rate that is not a positive number refuses the lot.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use shopper_core::money::{Currency, Rates};
use utoipa::ToSchema;

/// The most rates one set holds (the currency table is smaller).
pub const MAX_RATES: usize = 64;

/// Exchange rates against one base currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatesInput {
    /// The base currency (ISO 4217).
    #[schema(example = "USD")]
    pub base: String,
    /// Units of each currency one unit of the base buys.
    #[schema(example = json!({"EUR": 0.92, "BRL": 5.05}))]
    pub per_base: BTreeMap<String, f64>,
}

/// Why a set of rates was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RatesError {
    /// A currency code the rules do not know.
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    /// A rate that is not a positive finite number.
    #[error("the rate of {currency} must be a positive number, not {rate}")]
    BadRate {
        /// Its currency.
        currency: String,
        /// What it was.
        rate: f64,
    },
    /// More rates than any table of currencies has.
    #[error("{0} rates is more than the {MAX_RATES} a feed carries")]
    TooMany(usize),
}

impl RatesInput {
    /// The core's rates, every entry checked.
    pub fn to_rates(&self) -> Result<Rates, RatesError> {
        if self.per_base.len() > MAX_RATES {
            return Err(RatesError::TooMany(self.per_base.len()));
        }
        let currency = |code: &str| {
            Currency::parse(code).ok_or_else(|| RatesError::UnknownCurrency(code.to_owned()))
        };
        let base = currency(&self.base)?;
        let listed = self
            .per_base
            .iter()
            .map(|(code, &rate)| {
                if !(rate.is_finite() && rate > 0.0) {
                    return Err(RatesError::BadRate {
                        currency: code.clone(),
                        rate,
                    });
                }
                Ok((currency(code)?, rate))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rates::new(base, listed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(base: &str, rates: &[(&str, f64)]) -> RatesInput {
        RatesInput {
            base: base.into(),
            per_base: rates.iter().map(|(c, r)| ((*c).to_owned(), *r)).collect(),
        }
    }

    #[test]
    fn rates_are_checked_whole() {
        let usd = Currency::parse("USD").expect("usd");
        let eur = Currency::parse("EUR").expect("eur");
        let rates = input("USD", &[("EUR", 0.92)]).to_rates().expect("rates");
        assert_eq!(rates.rate(usd, eur), Some(0.92));
        assert_eq!(
            input("XBT", &[]).to_rates(),
            Err(RatesError::UnknownCurrency("XBT".into()))
        );
        assert_eq!(
            input("USD", &[("EUR", 0.92), ("XBT", 1.0)]).to_rates(),
            Err(RatesError::UnknownCurrency("XBT".into()))
        );
        assert!(matches!(
            input("USD", &[("EUR", -1.0)]).to_rates(),
            Err(RatesError::BadRate { .. })
        ));
        let many: Vec<(String, f64)> = (0..65).map(|i| (format!("C{i}"), 1.0)).collect();
        let many = RatesInput {
            base: "USD".into(),
            per_base: many.into_iter().collect(),
        };
        assert_eq!(many.to_rates(), Err(RatesError::TooMany(65)));
    }
}
