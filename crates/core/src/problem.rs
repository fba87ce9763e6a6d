//! What went wrong, as a stable code and the values its wording needs, so that each UI words it
//! in the shopper's own language: every error the rules return is a typed value a caller can
//! match, and implements [`Problem`]. The extension's locales hold a message `error_<code>` for
//! every code in [`codes`] (a test of the extension checks each locale), with `$1`, `$2`... for
//! the parameters in order.

use std::fmt;

use crate::codec::json::Writer;

/// An error a person may be shown. `Display` stays the English wording for logs and the command
/// line; a UI words it from [`Problem::code`] and [`Problem::params`] instead.
pub trait Problem: fmt::Display {
    /// The stable name of what went wrong, `snake_case` and prefixed by its area
    /// (`affiliate_key_empty`); never reworded, since every locale keys its text on it.
    fn code(&self) -> &'static str;

    /// The values the wording substitutes, in order (`$1`, `$2`...). Untrusted text among them
    /// must be shown as text.
    fn params(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A problem as it crosses to JavaScript: `{"code", "params"}`. The shell words it in the
/// shopper's language from its code, so the English wording (every problem's `Display`, about
/// 3 KB of the extension's WASM gzipped) stays out of the Engine. Generic rather than `&dyn`:
/// a `dyn Problem`'s vtable would hold its `Display` and keep the wording in.
pub fn problem_json<P: Problem + ?Sized>(problem: &P) -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("code");
    w.string(problem.code());
    w.key("params");
    w.strings(problem.params().iter().map(String::as_str));
    w.end_object();
    w.finish()
}

/// Every code any problem of the rules can have, each once: the extension's locales word each.
pub fn codes() -> Vec<&'static str> {
    [
        crate::affiliate::InvalidAffiliateKey::CODES,
        crate::affiliate::InvalidApiLink::CODES,
        crate::policy::UnknownMode::CODES,
        crate::page::PageError::CODES,
        crate::visit::UnknownStandDown::CODES,
        crate::codec::url::UrlError::CODES,
        crate::coupon::CouponFault::CODES,
        crate::coupon::FeedError::CODES,
        crate::coupon::EnvelopeError::CODES,
        crate::coupon::KeyError::CODES,
        crate::coupon::SnapshotError::CODES,
        crate::coupon::LoadError::CODES,
        crate::coupon::CartError::CODES,
        crate::coupon::PromoCodeRefusal::CODES,
        crate::events::BatchError::CODES,
        crate::search::PlanError::CODES,
        crate::search::AnswerFault::CODES,
        crate::market::MarketError::CODES,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let all = codes();
        for (i, code) in all.iter().enumerate() {
            assert!(
                !code.is_empty()
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{code}"
            );
            assert!(!all[..i].contains(code), "{code} twice");
        }
    }

    #[test]
    fn a_problem_crosses_as_json() {
        let Err(problem) = crate::AffiliateKey::parse("a&b") else {
            unreachable!("an invalid key");
        };
        let value: serde_json::Value = serde_json::from_str(&problem_json(&problem)).expect("json");
        assert_eq!(value["code"], "affiliate_key_bad_characters");
        assert_eq!(value["params"], serde_json::json!([]));
        // Only the code and its values: the English wording stays out of the Engine's answer.
        assert_eq!(value.as_object().map(|o| o.len()), Some(2));
        assert!(problem.to_string().contains("letters"));
    }
}
