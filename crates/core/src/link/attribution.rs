//! The query parameters by which a URL says it already carries someone's affiliate attribution.
//!
//! AliExpress's affiliate redirector adds these to the landing URL; networks and creators'
//! tools add them to links they publish. Any one of them means the link is someone's
//! commission, and we never rewrite it.

/// Query keys (compared case-insensitively) that mark an affiliate visit or link.
const MARKER_KEYS: [&str; 9] = [
    "aff_fcid",
    "aff_fsk",
    "aff_platform",
    "aff_trace_key",
    "aff_short_key",
    "aff_request_id",
    "sk",
    "terminal_id",
    "afsmartredirect",
];

/// `utm_medium` values that mean the visit was bought through an affiliate.
const AFFILIATE_MEDIUMS: [&str; 2] = ["affiliate", "cpa"];

/// Whether a query key can mark attribution (its value decides only for `utm_medium`).
pub(crate) fn is_marker_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("utm_medium")
        || MARKER_KEYS
            .iter()
            .any(|marker| key.eq_ignore_ascii_case(marker))
}

/// Whether one query parameter marks affiliate attribution.
pub(crate) fn is_marker(key: &str, value: &str) -> bool {
    if key.eq_ignore_ascii_case("utm_medium") {
        return AFFILIATE_MEDIUMS
            .iter()
            .any(|medium| value.eq_ignore_ascii_case(medium));
    }
    MARKER_KEYS
        .iter()
        .any(|marker| key.eq_ignore_ascii_case(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert!(is_marker("aff_fcid", "x"));
        assert!(is_marker("AFF_TRACE_KEY", ""));
        assert!(is_marker("afSmartRedirect", "y"));
        assert!(is_marker("utm_medium", "CPA"));
        assert!(!is_marker("utm_medium", "email"));
        assert!(!is_marker("spm", "a2g0o"));
        assert!(!is_marker("skid", "1"));
    }
}
