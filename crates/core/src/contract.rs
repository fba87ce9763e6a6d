//! What the JS shell must know of the rules without asking the Engine, said once here and handed
//! to the shell at build time: the content script cannot load WASM (a page's CSP would block it),
//! and the browser reads the manifest's match patterns before any of our code runs.
//! `scripts/package.mjs` writes it into the build as `shared/contract.js` and the manifest's
//! AliExpress patterns; `tests/unit/contract.test.mjs` holds the build equal to the Engine's.

use crate::codec::json::Writer;
use crate::link::host::ALIEXPRESS_DOMAINS;
use crate::policy::RewriteMode;

/// The contract as JSON: `{"rewrite_modes": [...], "default_rewrite_mode", "aliexpress_domains": [...]}`.
pub fn shell_contract() -> String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("rewrite_modes");
    w.strings(RewriteMode::ALL.iter().map(|mode| mode.as_str()));
    w.key("default_rewrite_mode");
    w.string(RewriteMode::default().as_str());
    w.key("aliexpress_domains");
    w.strings(ALIEXPRESS_DOMAINS);
    w.end_object();
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_names_every_mode_and_domain() {
        let value: serde_json::Value = serde_json::from_str(&shell_contract()).expect("json");
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
}
