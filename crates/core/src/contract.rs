//! What the JS shell must know of the rules without asking the Engine, said once here and handed
//! to the shell at build time: the content script cannot load WASM (a page's CSP would block it),
//! and the browser reads the manifest's match patterns before any of our code runs.
//! `scripts/package.mjs` writes it into the build as `shared/contract.js` and the manifest's
//! AliExpress patterns, from `shopper contract` (the command line links the same rules; the
//! extension's WASM does not carry this writer, which only the build needs: 1.5 KB gzipped);
//! `tests/unit/contract.test.mjs` holds the build equal to it.

use crate::api::{FEED_PATH_PREFIX, LINKS_PATH, SEARCH_PATH};
use crate::codec::json::Writer;
use crate::coupon::refresh::REFRESH_EVERY_MINUTES;
use crate::coupon::MAX_RATES_JSON_BYTES;
use crate::deals::MAX_PROMO_CODE_CHARS;
use crate::link::host::ALIEXPRESS_DOMAINS;
use crate::link_request::LinkSource;
use crate::page::{write_facts_format, write_model_format};
use crate::policy::RewriteMode;
use crate::search::{MAX_ANSWER_BYTES, MAX_QUERY_CHARS};
use crate::visit::{
    MAX_COOKIES_LENGTH, MAX_COOKIE_VALUE_LENGTH, MAX_VALUES_PER_NAME, VISIT_COOKIE_NAMES,
};

/// Whether Smart Search shows products from the companion server before the shopper has chosen:
/// yes. A request the shopper submits is to find products; the setting says, where it is turned
/// off, that the request goes to our server and is not kept there. Nothing else a shopper does
/// reaches the server on its own.
pub const SEARCH_RESULTS_BY_DEFAULT: bool = true;

/// The contract as JSON: `{"rewrite_modes": [...], "default_rewrite_mode", "aliexpress_domains":
/// [...], "page_facts": {"version", "max_length", "limits": {...}, "script_keys": [...]},
/// "page_model": {"event", "limits": {...}, "copy": {...}} (what the main-world reader copies),
/// "promo_code_max_length", "search_query_max_length", "search_results_by_default",
/// "search_answer_max_bytes", "feed_refresh_minutes", "feed_rates_max_length", "server_paths": {"feed_prefix",
/// "search", "links"}, "api_link_sources": [...], "visit_cookies": {"names": [...],
/// "max_value_length", "max_values", "max_length"}}`. `visit_cookies` names the only cookies
/// whose values the content script sends for stand-down, the longest value it sends (a longer
/// one is left out), how many values of a name, and the longest text of them all (UTF-16 units). `api_link_sources` names the sources of a
/// links answer whose link the affiliate API made (`api`, `cache`). `page_facts` is the format of the facts the content script
/// collects (`page/facts.rs`); `promo_code_max_length` the longest promo code the checkout is
/// filled with, and `search_query_max_length` the longest request the parser reads whole, in
/// UTF-16 units as JavaScript counts (two for each of its characters at most).
pub fn shell_contract() -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("rewrite_modes");
    w.strings(RewriteMode::ALL.iter().map(|mode| mode.as_str()));
    w.key("default_rewrite_mode");
    w.string(RewriteMode::default().as_str());
    w.key("aliexpress_domains");
    w.strings(ALIEXPRESS_DOMAINS);
    w.key("page_facts");
    w.nested(write_facts_format);
    w.key("page_model");
    w.nested(write_model_format);
    w.key("promo_code_max_length");
    w.unsigned(2 * MAX_PROMO_CODE_CHARS as u64);
    w.key("search_query_max_length");
    w.unsigned(2 * MAX_QUERY_CHARS as u64);
    w.key("search_results_by_default");
    w.boolean(SEARCH_RESULTS_BY_DEFAULT);
    w.key("search_answer_max_bytes");
    w.unsigned(MAX_ANSWER_BYTES as u64);
    w.key("feed_refresh_minutes");
    w.unsigned(u64::from(REFRESH_EVERY_MINUTES));
    w.key("feed_rates_max_length");
    w.unsigned(MAX_RATES_JSON_BYTES as u64);
    w.key("server_paths");
    w.nested(|w| {
        w.begin_object();
        w.key("feed_prefix");
        w.string(FEED_PATH_PREFIX);
        w.key("search");
        w.string(SEARCH_PATH);
        w.key("links");
        w.string(LINKS_PATH);
        w.end_object();
    });
    w.key("api_link_sources");
    w.strings(LinkSource::api_made_names());
    w.key("visit_cookies");
    w.nested(|w| {
        w.begin_object();
        w.key("names");
        w.strings(VISIT_COOKIE_NAMES);
        w.key("max_value_length");
        w.unsigned(MAX_COOKIE_VALUE_LENGTH as u64);
        w.key("max_values");
        w.unsigned(MAX_VALUES_PER_NAME as u64);
        w.key("max_length");
        w.unsigned(MAX_COOKIES_LENGTH as u64);
        w.end_object();
    });
    w.end_object();
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{limit, COLLECTOR_LIMITS, FACTS_VERSION, MAX_FACTS_BYTES};

    fn contract() -> serde_json::Value {
        serde_json::from_str(&shell_contract()).expect("json")
    }

    #[test]
    fn the_contract_names_every_mode_and_domain() {
        let value = contract();
        assert_eq!(
            value["rewrite_modes"],
            serde_json::json!(["ask", "auto", "off"])
        );
        assert_eq!(value["default_rewrite_mode"], "ask");
        assert_eq!(
            value["aliexpress_domains"],
            serde_json::json!(["aliexpress.com", "aliexpress.us", "aliexpress.ru"])
        );
        for mode in RewriteMode::ALL {
            assert_eq!(mode.as_str().parse(), Ok(mode));
        }
    }

    #[test]
    fn the_contract_hands_over_the_facts_format() {
        let value = contract();
        let facts = &value["page_facts"];
        assert_eq!(facts["version"], FACTS_VERSION);
        let limits = facts["limits"].as_object().expect("limits");
        assert_eq!(limits.len(), COLLECTOR_LIMITS.len(), "each limit once");
        for (name, limit) in COLLECTOR_LIMITS {
            assert_eq!(limits[*name], *limit, "{name}");
        }
        assert_eq!(limits["ITEMS"], limit::ITEMS);
        assert_eq!(
            facts["script_keys"],
            serde_json::json!([
                "storeNum",
                "productId",
                "categoryPaths",
                "categoryId",
                "currencyCode",
                "userCountryCode"
            ])
        );
        // Any string of max_length UTF-16 units fits the Engine's byte limit.
        let max_length = facts["max_length"].as_u64().expect("max_length");
        assert!(max_length * 3 <= MAX_FACTS_BYTES as u64);
        assert!(max_length >= 256 * 1024, "{max_length}");
    }

    #[test]
    fn the_contract_names_the_visit_cookies_and_their_limits() {
        let cookies = &contract()["visit_cookies"];
        assert_eq!(
            cookies["names"],
            serde_json::json!(["aeu_cid", "xman_us_f"])
        );
        assert_eq!(cookies["max_value_length"], MAX_COOKIE_VALUE_LENGTH);
        assert_eq!(cookies["max_values"], MAX_VALUES_PER_NAME);
        assert_eq!(cookies["max_length"], MAX_COOKIES_LENGTH);
    }

    #[test]
    fn every_promo_code_the_feed_accepts_fits_the_shell() {
        let max = contract()["promo_code_max_length"]
            .as_u64()
            .expect("length");
        // The longest code, of characters outside the BMP: two UTF-16 units each.
        let code = "🎁".repeat(MAX_PROMO_CODE_CHARS);
        assert_eq!(code.encode_utf16().count() as u64, max);
    }
}
