//! Where a shopper shops: the ship-to country and currency their AliExpress pages said (the
//! `aep_usuc_f` settings a page's facts carry), or, until a page has said, a guess from the
//! browser's language tag (`pt-BR`: Brazil, in reais). What the extension asks the companion
//! server for (a market's coupons, products to ship there) is in these.

use crate::market::Market;
use crate::money::{home_currency, Currency};
use crate::page::CountryCode;

/// A country and a currency to shop in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopperRegion {
    /// Where orders ship to.
    pub country: CountryCode,
    /// What prices are shown in.
    pub currency: Currency,
}

impl ShopperRegion {
    /// The market whose coupon feed the shopper needs.
    pub fn market(&self) -> Market {
        Market::of(self.country, self.currency)
    }
}

/// The region of a shopper: the page's country and currency where it said them (either may be
/// empty), the browser's region otherwise (its tag's region subtag, or its language's main
/// country), then the United States; the currency AliExpress shows that country's shoppers when
/// the page did not say one.
pub fn shopper_region(page_country: &str, page_currency: &str, browser_tag: &str) -> ShopperRegion {
    let country = CountryCode::parse(page_country)
        .or_else(|| region_of_tag(browser_tag))
        .unwrap_or(CountryCode::US);
    let currency = Currency::parse(page_currency).unwrap_or_else(|| home_currency(country.bytes()));
    ShopperRegion { country, currency }
}

/// The country a language tag names (`en-GB`, `pt_BR`, `es-419` has none), or its language's
/// main country for the six the interface speaks (`de`: Germany).
fn region_of_tag(tag: &str) -> Option<CountryCode> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    // The region is the first two-letter subtag after the language (a script such as `Latn` is four).
    if let Some(region) =
        parts.find(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return CountryCode::parse(region);
    }
    let main = match language.as_str() {
        "en" => "US",
        "de" => "DE",
        "es" => "ES",
        "fr" => "FR",
        "pt" => "BR",
        "ru" => "RU",
        _ => return None,
    };
    CountryCode::parse(main)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(country: &str, currency: &str, tag: &str) -> (String, String) {
        let r = shopper_region(country, currency, tag);
        (r.country.as_str().to_owned(), r.currency.to_string())
    }

    #[test]
    fn what_the_page_said_comes_first() {
        assert_eq!(region("ES", "EUR", "en-US"), ("ES".into(), "EUR".into()));
        // A shopper in Spain who chose dollars.
        assert_eq!(region("ES", "USD", "en-US"), ("ES".into(), "USD".into()));
        // A country without a currency said: the one AliExpress shows there.
        assert_eq!(region("BR", "", "en-US"), ("BR".into(), "BRL".into()));
        // AliExpress's own spelling of Great Britain.
        assert_eq!(region("UK", "", ""), ("GB".into(), "GBP".into()));
    }

    #[test]
    fn a_region_is_a_market() {
        assert_eq!(
            shopper_region("", "", "pt-BR").market().to_string(),
            "BR-BRL"
        );
        assert_eq!(
            shopper_region("ES", "USD", "").market().to_string(),
            "ES-USD"
        );
    }

    #[test]
    fn until_a_page_says_the_browser_guesses() {
        assert_eq!(region("", "", "pt-BR"), ("BR".into(), "BRL".into()));
        assert_eq!(region("", "", "pt_PT"), ("PT".into(), "EUR".into()));
        assert_eq!(region("", "", "de"), ("DE".into(), "EUR".into()));
        assert_eq!(region("", "", "ru"), ("RU".into(), "RUB".into()));
        assert_eq!(region("", "", "en-GB"), ("GB".into(), "GBP".into()));
        assert_eq!(region("", "", "sr-Latn-RS"), ("RS".into(), "USD".into()));
        assert_eq!(region("", "", "es-419"), ("ES".into(), "EUR".into()));
        assert_eq!(region("", "", "ja"), ("US".into(), "USD".into()));
        assert_eq!(region("", "", ""), ("US".into(), "USD".into()));
        assert_eq!(region("U1", "XXX", "zz"), ("US".into(), "USD".into()));
    }
}
