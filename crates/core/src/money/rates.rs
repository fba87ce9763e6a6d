//! Exchange rates, when known: how many units of each currency one unit of a base currency buys,
//! as a feed of rates gives them. The companion server's feed carries them (its optional `rates`,
//! read into [`crate::coupon::Feed::rates`]); without them there are none ([`Rates::none`]), and
//! whatever would need one is not converted.

use super::Currency;

/// At most this many rates are kept: more than there are currencies in the table.
const MAX_RATES: usize = 64;

/// A set of exchange rates against one base currency.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    base: Option<Currency>,
    /// Units of each currency for one unit of `base`, each currency once, each rate a positive
    /// finite number.
    per_base: Vec<(Currency, f64)>,
}

// Every rate kept is a positive finite number (`new` leaves the others out): never NaN, so
// equality is total and a feed holding rates compares as a whole.
impl Eq for Rates {}

impl Rates {
    /// No rates at all: nothing converts.
    pub fn none() -> Self {
        Self::default()
    }

    /// The rates of a feed: for each currency, how many of its units one unit of `base` buys
    /// (`USD` base: `EUR` 0.92, `RUB` 92.5). A rate that is not a positive finite number is left
    /// out, a currency named twice keeps its first rate, and at most 64 are read.
    pub fn new(base: Currency, per_base: impl IntoIterator<Item = (Currency, f64)>) -> Self {
        let mut rates = Self {
            base: Some(base),
            per_base: Vec::new(),
        };
        for (currency, rate) in per_base.into_iter().take(MAX_RATES) {
            let known = currency == base || rates.per_base.iter().any(|(c, _)| *c == currency);
            if !known && rate.is_finite() && rate > 0.0 {
                rates.per_base.push((currency, rate));
            }
        }
        rates
    }

    /// The base currency, when there are rates.
    pub fn base(&self) -> Option<Currency> {
        self.base
    }

    /// Each currency's units for one unit of the base, in the order given (the base itself not
    /// among them): what a feed writes.
    pub fn listed(&self) -> impl Iterator<Item = (Currency, f64)> + '_ {
        self.per_base.iter().copied()
    }

    /// Units of `currency` for one unit of the base, if known (1 for the base itself).
    fn per_base(&self, currency: Currency) -> Option<f64> {
        if self.base == Some(currency) {
            return Some(1.0);
        }
        self.per_base
            .iter()
            .find(|(c, _)| *c == currency)
            .map(|(_, rate)| *rate)
    }

    /// How many units of `to` one unit of `from` buys, if both are known (1 from a currency to
    /// itself, rates or not).
    pub fn rate(&self, from: Currency, to: Currency) -> Option<f64> {
        if from == to {
            return Some(1.0);
        }
        let rate = self.per_base(to)? / self.per_base(from)?;
        (rate.is_finite() && rate > 0.0).then_some(rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::code;

    #[test]
    fn rates_convert_through_the_base() {
        let rates = Rates::new(code("USD"), [(code("EUR"), 0.8), (code("RUB"), 100.0)]);
        assert_eq!(rates.rate(code("USD"), code("EUR")), Some(0.8));
        assert_eq!(rates.rate(code("RUB"), code("USD")), Some(0.01));
        assert_eq!(rates.rate(code("EUR"), code("RUB")), Some(125.0));
        assert_eq!(rates.rate(code("EUR"), code("EUR")), Some(1.0));
        assert_eq!(rates.rate(code("EUR"), code("JPY")), None, "no JPY rate");
        assert_eq!(Rates::none().rate(code("EUR"), code("USD")), None);
        assert_eq!(Rates::none().rate(code("USD"), code("USD")), Some(1.0));
    }

    #[test]
    fn unusable_rates_are_left_out() {
        let rates = Rates::new(
            code("USD"),
            [
                (code("EUR"), 0.0),
                (code("GBP"), -1.0),
                (code("JPY"), f64::NAN),
                (code("BRL"), f64::INFINITY),
                (code("RUB"), 90.0),
                (code("RUB"), 1.0),
                (code("USD"), 2.0),
            ],
        );
        for unusable in ["EUR", "GBP", "JPY", "BRL"] {
            assert_eq!(rates.rate(code("USD"), code(unusable)), None, "{unusable}");
        }
        assert_eq!(
            rates.rate(code("USD"), code("RUB")),
            Some(90.0),
            "the first"
        );
        assert_eq!(rates.rate(code("USD"), code("USD")), Some(1.0));
        // However many a caller passes, a bounded number is read.
        let many = Rates::new(code("USD"), std::iter::repeat((code("EUR"), 0.9)));
        assert_eq!(many.rate(code("USD"), code("EUR")), Some(0.9));
    }
}
