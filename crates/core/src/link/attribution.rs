//! The query parameters by which a URL says it already carries someone's affiliate attribution.
//!
//! AliExpress's affiliate redirector adds these to the landing URL; networks and creators'
//! tools add them to links they publish. Any one of them means the link is someone's
//! commission, and we never rewrite it.

/// Query keys (compared case-insensitively, so written lower-case) that mark an affiliate visit
/// or link.
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

/// Whether a query key, lower-cased, can mark attribution (its value decides only for
/// `utm_medium`).
pub(crate) fn is_marker_key(lower_key: &[u8]) -> bool {
    lower_key == b"utm_medium" || is_marker_name(lower_key)
}

/// One of [`MARKER_KEYS`]. Lengths are compared first, inline: most keys are tracking noise
/// (`spm`) of other lengths, and a slice comparison is a call in the size-optimised WASM.
fn is_marker_name(lower_key: &[u8]) -> bool {
    MARKER_KEYS
        .iter()
        .any(|m| m.len() == lower_key.len() && m.as_bytes() == lower_key)
}

/// Whether one query parameter (its key lower-cased) marks affiliate attribution.
pub(crate) fn is_marker(lower_key: &[u8], value: &str) -> bool {
    if lower_key == b"utm_medium" {
        return AFFILIATE_MEDIUMS
            .iter()
            .any(|medium| value.eq_ignore_ascii_case(medium));
    }
    is_marker_name(lower_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert!(is_marker(b"aff_fcid", "x"));
        assert!(is_marker(b"aff_trace_key", ""));
        assert!(is_marker(b"afsmartredirect", "y"));
        assert!(is_marker(b"utm_medium", "CPA"));
        assert!(!is_marker(b"utm_medium", "email"));
        assert!(!is_marker(b"spm", "a2g0o"));
        assert!(!is_marker(b"skid", "1"));
        assert!(MARKER_KEYS
            .iter()
            .all(|m| m.bytes().all(|b| !b.is_ascii_uppercase())));
    }
}
