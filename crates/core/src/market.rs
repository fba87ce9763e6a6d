//! Markets: a ship-to country and a currency (`US-USD`, `BR-BRL`, `ES-EUR`), and which coupons
//! belong in a market's feed. A shopper downloads and indexes the coupons of their market, not
//! the world's: a 100,000-coupon world feed costs the worker most of a second to read.

use std::fmt;
use std::str::FromStr;

use crate::coupon::{Coupon, Timestamp};
use crate::money::Currency;
use crate::page::CountryCode;
use crate::problem::Problem;
use crate::text::quoted;

/// A ship-to country (ISO 3166 alpha-2, upper case) and a currency from the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Market {
    country: [u8; 2],
    currency: Currency,
}

/// Why a text is not a market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketError {
    /// Not `CC-CUR`: two letters, a hyphen, three letters (what it was, cut short).
    Malformed(String),
    /// The country is not two upper-case ASCII letters (what it was, cut short).
    BadCountry(String),
    /// The currency is not one the rules know (what it was, cut short).
    UnknownCurrency(String),
}

impl MarketError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "market_malformed",
        "market_bad_country",
        "market_unknown_currency",
    ];
}

impl Problem for MarketError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "market_malformed",
            Self::BadCountry(_) => "market_bad_country",
            Self::UnknownCurrency(_) => "market_unknown_currency",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::Malformed(text) | Self::BadCountry(text) | Self::UnknownCurrency(text) => {
                vec![text.clone()]
            }
        }
    }
}

impl fmt::Display for MarketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(text) => write!(
                f,
                "{} is not a market (a country and a currency, such as US-USD)",
                quoted(text)
            ),
            Self::BadCountry(text) => {
                write!(f, "{} is not a two-letter country code", quoted(text))
            }
            Self::UnknownCurrency(text) => write!(f, "unknown currency {}", quoted(text)),
        }
    }
}

impl std::error::Error for MarketError {}

/// `text` cut to a few characters, for an error about it (it may be anything a client sent).
fn clip(text: &str) -> String {
    text.chars().take(16).collect()
}

impl Market {
    /// A market from a country code's bytes and a currency.
    pub fn new(country: [u8; 2], currency: Currency) -> Result<Self, MarketError> {
        if !country.iter().all(u8::is_ascii_uppercase) {
            return Err(MarketError::BadCountry(
                String::from_utf8_lossy(&country).into_owned(),
            ));
        }
        Ok(Self { country, currency })
    }

    /// The market of a country the rules already hold as a code (always two upper-case letters).
    pub fn of(country: CountryCode, currency: Currency) -> Self {
        Self {
            country: country.bytes(),
            currency,
        }
    }

    /// Reads `CC-CUR` exactly (upper case, as its `Display` writes it): one spelling per
    /// market, so one URL and one cache entry per market.
    pub fn parse(text: &str) -> Result<Self, MarketError> {
        let malformed = || MarketError::Malformed(clip(text));
        let (country, currency) = text.split_once('-').ok_or_else(malformed)?;
        let country: [u8; 2] = country.as_bytes().try_into().map_err(|_| malformed())?;
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(malformed());
        }
        let currency = Currency::parse(currency)
            .ok_or_else(|| MarketError::UnknownCurrency(clip(currency)))?;
        Self::new(country, currency)
    }

    /// The ship-to country's two letters.
    pub fn country(&self) -> &str {
        // Only upper-case ASCII letters are ever stored.
        std::str::from_utf8(&self.country).unwrap_or("??")
    }

    /// The ship-to country, as a coupon's countries hold it.
    pub fn country_code(&self) -> [u8; 2] {
        self.country
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether `coupon` belongs in this market's feed at `now`: not expired, in the market's
    /// currency, and for every country or this one. A coupon that has not started yet belongs:
    /// the extension keeps a feed for a day and checks the start itself.
    pub fn holds(&self, coupon: &Coupon, now: Timestamp) -> bool {
        coupon.expires_at() > now && self.wants(coupon)
    }

    /// Currency and country alone, expiry aside.
    fn wants(&self, coupon: &Coupon) -> bool {
        coupon.currency() == self.currency
            && (coupon.countries().is_empty() || coupon.countries().contains(&self.country))
    }

    /// The coupons of `coupons` that belong in this market's feed at `now`, in their order.
    pub fn coupons<'a>(
        &self,
        coupons: &'a [Coupon],
        now: Timestamp,
    ) -> impl Iterator<Item = &'a Coupon> + 'a {
        let market = *self;
        coupons.iter().filter(move |c| market.holds(c, now))
    }

    /// When this market's feed next changes by itself: the earliest expiry after `now` among
    /// its coupons (`None` when none will expire).
    pub fn next_expiry(&self, coupons: &[Coupon], now: Timestamp) -> Option<Timestamp> {
        self.coupons(coupons, now).map(Coupon::expires_at).min()
    }

    /// When this market's feed last changed by itself: the latest expiry at or before `now`
    /// among coupons that were in it (`None` when none has expired). With the time the
    /// coupons last changed, this dates a feed from its content alone, so two servers building
    /// the same market at the same time write the same bytes.
    pub fn last_expiry(&self, coupons: &[Coupon], now: Timestamp) -> Option<Timestamp> {
        coupons
            .iter()
            .filter(|c| c.expires_at() <= now && self.wants(c))
            .map(Coupon::expires_at)
            .max()
    }
}

impl fmt::Display for Market {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.country(), self.currency)
    }
}

impl FromStr for Market {
    type Err = MarketError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// The markets unexpired coupons name: each country a coupon lists, with the coupon's currency,
/// sorted, each once. A coupon for every country names none (which countries use a currency is
/// the operator's to say, in the server's configuration).
pub fn implied_markets(coupons: &[Coupon], now: Timestamp) -> Vec<Market> {
    let mut markets: Vec<Market> = coupons
        .iter()
        .filter(|c| c.expires_at() > now)
        .flat_map(|c| {
            c.countries()
                .iter()
                .filter_map(move |country| Market::new(*country, c.currency()).ok())
        })
        .collect();
    markets.sort_unstable();
    markets.dedup();
    markets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{CouponFields, CouponKind, Discount};
    use crate::money::code;

    fn coupon(id: &str, currency: &str, countries: &[[u8; 2]], expires_at: Timestamp) -> Coupon {
        Coupon::new(CouponFields {
            id,
            kind: CouponKind::Select,
            title: "t",
            currency: code(currency),
            min_spend: 0,
            discount: Discount::Fixed { amount: 100 },
            countries,
            starts_at: 0,
            expires_at,
            new_users_only: false,
            url: None,
        })
    }

    fn market(text: &str) -> Market {
        Market::parse(text).expect("a market")
    }

    #[test]
    fn reads_and_writes_one_spelling() {
        for text in ["US-USD", "BR-BRL", "ES-EUR"] {
            assert_eq!(market(text).to_string(), text);
            assert_eq!(text.parse::<Market>(), Ok(market(text)));
        }
        assert_eq!(market("ES-EUR").country(), "ES");
        assert_eq!(market("ES-EUR").currency(), code("EUR"));
        for (text, error) in [
            ("US", MarketError::Malformed("US".into())),
            ("USD-US", MarketError::Malformed("USD-US".into())),
            ("US-USDX", MarketError::Malformed("US-USDX".into())),
            ("US_USD", MarketError::Malformed("US_USD".into())),
            ("US-US1", MarketError::Malformed("US-US1".into())),
            ("", MarketError::Malformed(String::new())),
            ("é-USD", MarketError::BadCountry("é".into())),
            ("us-USD", MarketError::BadCountry("us".into())),
            ("U1-USD", MarketError::BadCountry("U1".into())),
            ("US-usd", MarketError::UnknownCurrency("usd".into())),
            ("US-XXX", MarketError::UnknownCurrency("XXX".into())),
        ] {
            assert_eq!(Market::parse(text), Err(error.clone()), "{text}");
            assert!(MarketError::CODES.contains(&error.code()));
        }
        let long = "x".repeat(10_000);
        let Err(MarketError::Malformed(clipped)) = Market::parse(&long) else {
            unreachable!("malformed");
        };
        assert_eq!(
            clipped.len(),
            16,
            "an error never carries all a client sent"
        );
    }

    #[test]
    fn a_market_holds_unexpired_coupons_in_its_currency_and_country() {
        let coupons = [
            coupon("everywhere", "USD", &[], 100),
            coupon("us-ca", "USD", &[*b"US", *b"CA"], 100),
            coupon("gb", "USD", &[*b"GB"], 100),
            coupon("euro", "EUR", &[], 100),
            coupon("expired", "USD", &[], 50),
            coupon("expires-now", "USD", &[], 60),
        ];
        let ids = |m: &str, now| {
            market(m)
                .coupons(&coupons, now)
                .map(Coupon::id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("US-USD", 59), ["everywhere", "us-ca", "expires-now"]);
        assert_eq!(ids("US-USD", 60), ["everywhere", "us-ca"]);
        assert_eq!(ids("GB-USD", 60), ["everywhere", "gb"]);
        assert_eq!(ids("ES-EUR", 60), ["euro"]);
        assert_eq!(ids("BR-BRL", 0), Vec::<&str>::new());
        assert_eq!(
            ids("US-USD", 100),
            Vec::<&str>::new(),
            "expiry is exclusive"
        );
    }

    #[test]
    fn a_market_knows_when_its_feed_changes_by_itself() {
        let coupons = [
            coupon("a", "USD", &[], 100),
            coupon("b", "USD", &[*b"US"], 70),
            coupon("c", "USD", &[*b"GB"], 40),
            coupon("d", "EUR", &[], 30),
            coupon("e", "USD", &[], 20),
        ];
        let us = market("US-USD");
        assert_eq!(us.next_expiry(&coupons, 0), Some(20));
        assert_eq!(
            us.next_expiry(&coupons, 20),
            Some(70),
            "GB's and EUR's aside"
        );
        assert_eq!(us.next_expiry(&coupons, 100), None);
        assert_eq!(us.last_expiry(&coupons, 19), None);
        assert_eq!(us.last_expiry(&coupons, 20), Some(20));
        assert_eq!(
            us.last_expiry(&coupons, 69),
            Some(20),
            "GB's and EUR's aside"
        );
        assert_eq!(us.last_expiry(&coupons, 1000), Some(100));
    }

    #[test]
    fn coupons_imply_the_markets_of_their_countries() {
        let coupons = [
            coupon("a", "USD", &[*b"US", *b"CA"], 100),
            coupon("b", "USD", &[*b"US"], 100),
            coupon("c", "BRL", &[*b"BR"], 100),
            coupon("d", "EUR", &[], 100),
            coupon("gone", "EUR", &[*b"FR"], 10),
        ];
        let named: Vec<String> = implied_markets(&coupons, 50)
            .iter()
            .map(Market::to_string)
            .collect();
        assert_eq!(named, ["BR-BRL", "CA-USD", "US-USD"]);
    }
}
