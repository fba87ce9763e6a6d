//! The shopper's ship-to country and currency as AliExpress keeps them: its `aep_usuc_f` cookie
//! (`site=glo&c_tp=USD&region=US&b_locale=en_US`), the ship-to switcher in the page header
//! (a flag whose class names the country, and the currency's code as text), and the site itself:
//! aliexpress.us, or a global page's redirect to it (`gatewayAdapt=glo2usa`).
//!
//! Not read: the `intl_locale` cookie and `b_locale`. They name the language of the pages
//! (`en_US` is AliExpress's English for every country), not where the shopper ships to.

use std::fmt;

use super::facts::{MAX_COOKIE, MAX_HEADER};
use crate::money::Currency;

/// An ISO 3166 alpha-2 country code, upper-case (`US`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The United States: where a shopper is taken to shop when nothing says otherwise.
    pub const US: Self = Self(*b"US");

    /// The code if `text` is two ASCII letters (either case). AliExpress's own spellings of a
    /// few countries are mapped to ISO's: it writes `UK` for `GB` and three letters for some.
    pub fn parse(text: &str) -> Option<Self> {
        let upper = text.to_ascii_uppercase();
        let iso = match upper.as_str() {
            "UK" => "GB",
            "SRB" => "RS",
            "MNE" => "ME",
            other => other,
        };
        let code: [u8; 2] = iso.as_bytes().try_into().ok()?;
        code.iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Self(code))
    }

    /// The code as the coupon rules hold it.
    pub fn bytes(self) -> [u8; 2] {
        self.0
    }

    /// The two letters.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Only for Smart Search's `SearchRequest`, which still derives `Serialize`; the page's own JSON
// is written by `PageContext`'s writer.
/// What one source says about the shopper's setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Setting {
    pub country: Option<CountryCode>,
    pub currency: Option<Currency>,
}

/// The `aep_usuc_f` cookie's value: `region` is the ship-to country, `c_tp` the currency.
/// Anything else in it (the language, a member id on signed-in visits) is never kept.
pub(crate) fn from_cookie(value: &str) -> Setting {
    if value.len() > MAX_COOKIE {
        return Setting::default();
    }
    // Some pages store the value percent-encoded as a whole (`site%3Dglo%26c_tp%3DUSD`).
    let decoded = if value.contains('=') {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(
            String::from_utf8_lossy(&crate::codec::percent::decoded(value, false)).into_owned(),
        )
    };
    let mut setting = Setting::default();
    for pair in decoded.split('&') {
        let (key, val) = pair.split_once('=').unwrap_or((pair, ""));
        match key.trim() {
            "region" => setting.country = setting.country.or(CountryCode::parse(val.trim())),
            "c_tp" => {
                setting.currency = setting
                    .currency
                    .or(Currency::parse(&val.trim().to_ascii_uppercase()));
            }
            _ => {}
        }
    }
    setting
}

/// The site of the page at `url`: aliexpress.us, or a page AliExpress redirected there for the
/// shopper (`gatewayAdapt=glo2usa`, `glo2usa4itemAdapt`), sells to the United States only. Its
/// currency is the shopper's account's (a US-routed account was seen showing VND), never the site's.
pub(crate) fn from_site(url: &str) -> Setting {
    let Some(parts) = crate::link::parts::parts(url) else {
        return Setting::default();
    };
    let us_site = parts.host == "aliexpress.us" || parts.host.ends_with(".aliexpress.us");
    let sent_to_us = parts.query.as_deref().is_some_and(|query| {
        query.split('&').any(|pair| {
            pair.strip_prefix("gatewayAdapt=")
                .is_some_and(|value| value.starts_with("glo2usa"))
        })
    });
    Setting {
        country: (us_site || sent_to_us).then_some(CountryCode::US),
        currency: None,
    }
}

/// The header's ship-to switcher: the country from its flag's class (`country-flag-y2023 US`,
/// or `css_flag css_us` in the older header), the currency from a code in its text
/// (`/EN/ USD`). A text naming two currencies settles none.
pub(crate) fn from_header(text: &str, flag_class: &str) -> Setting {
    let country = (flag_class.len() <= MAX_HEADER)
        .then(|| {
            flag_class.split_ascii_whitespace().find_map(|token| {
                let letters = token.strip_prefix("css_").unwrap_or(token);
                // A bare class token of two capitals, or the old header's lower-case `css_xx`.
                let shaped = letters.len() == 2
                    && (letters.bytes().all(|b| b.is_ascii_uppercase())
                        || (token.starts_with("css_")
                            && letters.bytes().all(|b| b.is_ascii_lowercase())));
                shaped.then(|| CountryCode::parse(letters)).flatten()
            })
        })
        .flatten();
    let currency = (text.len() <= MAX_HEADER)
        .then(|| {
            let mut codes = text
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter_map(Currency::parse);
            let first = codes.next()?;
            codes.all(|other| other == first).then_some(first)
        })
        .flatten();
    Setting { country, currency }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: Setting) -> (Option<String>, Option<String>) {
        (
            s.country.map(|c| c.as_str().to_owned()),
            s.currency.map(|c| c.as_str().to_owned()),
        )
    }

    fn pair(country: Option<&str>, currency: Option<&str>) -> (Option<String>, Option<String>) {
        (country.map(str::to_owned), currency.map(str::to_owned))
    }

    #[test]
    fn cookie_values() {
        for (value, country, currency) in [
            (
                "site=glo&c_tp=USD&region=US&b_locale=en_US",
                Some("US"),
                Some("USD"),
            ),
            (
                "site=glo&province=&city=&c_tp=USD&region=US&b_locale=en_US&ae_u_p_s=2",
                Some("US"),
                Some("USD"),
            ),
            (
                "site=bra&c_tp=BRL&region=BR&b_locale=pt_BR",
                Some("BR"),
                Some("BRL"),
            ),
            (
                "site=glo&c_tp=USD&x_alimid=1861063758&isb=y&region=CN&b_locale=en_US",
                Some("CN"),
                Some("USD"),
            ),
            (
                "site=gbr&c_tp=GBP&region=UK&b_locale=en_US",
                Some("GB"),
                Some("GBP"),
            ),
            (
                "site%3Desp%26c_tp%3DEUR%26region%3DES",
                Some("ES"),
                Some("EUR"),
            ),
            ("c_tp=eur&region=fr", Some("FR"), Some("EUR")),
            ("region=&c_tp=", None, None),
            ("region=USA&c_tp=DOLLARS", None, None),
            ("region=U1&c_tp=XXX", None, None),
            ("", None, None),
            ("garbage", None, None),
            ("region=US&region=CA", Some("US"), None),
        ] {
            assert_eq!(
                strings(from_cookie(value)),
                pair(country, currency),
                "{value}"
            );
        }
        assert_eq!(
            from_cookie(&format!("region=US&x={}", "a".repeat(MAX_COOKIE))),
            Setting::default()
        );
    }

    #[test]
    fn header_switcher() {
        for (text, flag, country, currency) in [
            (
                "/EN/USD",
                "ship-to--flag--3tuR6 country-flag-y2023 US",
                Some("US"),
                Some("USD"),
            ),
            ("English / EUR", "css_flag css_es", Some("ES"), Some("EUR")),
            ("Ship to / English / USD", "", None, Some("USD")),
            ("/ES/ EUR USD", "country-flag-y2023 Es", None, None),
            ("", "flag UK", Some("GB"), None),
            ("/PL/ PLN", "country-flag-y2023 PL", Some("PL"), Some("PLN")),
        ] {
            assert_eq!(
                strings(from_header(text, flag)),
                pair(country, currency),
                "{text} {flag}"
            );
        }
    }

    #[test]
    fn the_site_names_the_united_states_only() {
        for (url, country) in [
            ("https://www.aliexpress.us/item/3256809840464144.html", Some("US")),
            ("https://aliexpress.us/p/shoppingcart/index.html", Some("US")),
            (
                "https://www.aliexpress.com/item/1005010026778896.html?gatewayAdapt=glo2usa4itemAdapt",
                Some("US"),
            ),
            ("https://www.aliexpress.com/?spm=a&gatewayAdapt=glo2usa", Some("US")),
            ("https://www.aliexpress.com/?gatewayAdapt=glo2bra", None),
            ("https://www.aliexpress.com/?xgatewayAdapt=glo2usa", None),
            ("https://www.aliexpress.com/item/1005010026778896.html", None),
            ("https://aliexpress.us.example.com/item/1.html", None),
            ("https://es.aliexpress.com/item/1.html", None),
            ("not a url", None),
        ] {
            assert_eq!(strings(from_site(url)), pair(country, None), "{url}");
        }
    }

    #[test]
    fn country_codes() {
        assert_eq!(
            CountryCode::parse("us").map(CountryCode::bytes),
            Some(*b"US")
        );
        assert_eq!(
            CountryCode::parse("UK").map(CountryCode::bytes),
            Some(*b"GB")
        );
        assert_eq!(CountryCode::parse("U"), None);
        assert_eq!(CountryCode::parse("USA"), None);
        assert_eq!(CountryCode::parse("Ü1"), None);
    }
}
