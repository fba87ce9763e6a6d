//! Which hosts belong to AliExpress: exact registrable domains and their subdomains, never a
//! substring test (`aliexpress.com.evil.example` and `evil-aliexpress.com` are not AliExpress).

/// The registrable domains AliExpress serves shoppers from.
pub const ALIEXPRESS_DOMAINS: [&str; 3] = ["aliexpress.com", "aliexpress.us", "aliexpress.ru"];

/// The host of AliExpress's affiliate redirector, where every affiliate link points.
pub const AFFILIATE_HOST: &str = "s.click.aliexpress.com";
/// The host of AliExpress's short links, shared from the app; they carry attribution too.
pub const SHORT_LINK_HOST: &str = "a.aliexpress.com";

/// Whether `host` (already lower-case, no trailing dot) is AliExpress's.
pub fn is_aliexpress_host(host: &str) -> bool {
    ALIEXPRESS_DOMAINS
        .iter()
        .any(|domain| is_same_or_subdomain(host, domain))
}

/// `host` is `domain` or ends with `.domain`.
pub(crate) fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(prefix) => prefix.ends_with('.'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_subdomains_only() {
        for host in [
            "aliexpress.com",
            "www.aliexpress.com",
            "m.aliexpress.us",
            "aliexpress.ru",
            "s.click.aliexpress.com",
        ] {
            assert!(is_aliexpress_host(host), "{host}");
        }
        for host in [
            "aliexpress.com.evil.example",
            "evil-aliexpress.com",
            "evilaliexpress.com",
            "aliexpress.co",
            "aliexpress.comx",
            "aliexpress",
            "",
            ".aliexpress.com.x",
        ] {
            assert!(!is_aliexpress_host(host), "{host}");
        }
    }
}
