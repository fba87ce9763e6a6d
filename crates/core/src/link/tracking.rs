//! The query parameters that only track a visit: dropped from a page about products when our
//! deep link leads to it. Nothing else is dropped, because a parameter we do not know may be
//! what the page shows (`productIds`, a tab, a currency, a campaign's own id), and a rewrite must
//! leave the shopper exactly where the link pointed.
//!
//! Each one is a log or analytics id that AliExpress or a campaign tool appends, with no effect
//! on what the page shows: the shopper gets the same page with or without it.

/// Tracking keys, compared case-insensitively (so written lower-case), with what each records.
pub(crate) const TRACKING_KEYS: [&str; 16] = [
    // Alibaba's click position ("super position model") and its content and scene logs.
    "spm",
    "scm",
    "scm_id",
    "scm-url",
    // Search and recommendation logs: which ranking served the link, on which page view.
    "pvid",
    "algo_pvid",
    "algo_exp_id",
    "curpageloguid",
    // An ad click's log, and the price and detail hints a search result hands its product page
    // for the page's own logs.
    "aem_p4p_detail",
    "pdp_npi",
    "pdp_pi",
    // The gateway's note that it moved the shopper between national sites (`glo2usa`).
    "gatewayadapt",
    // Web analytics campaign tags (an affiliate `utm_medium` never gets here: it is attribution).
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
];

/// Whether one `key=value` pair of a query (as written) only tracks the visit.
pub(crate) fn is_tracking(pair: &str) -> bool {
    let key = pair.split_once('=').map_or(pair, |(key, _)| key);
    TRACKING_KEYS
        .iter()
        .any(|tracking| key.eq_ignore_ascii_case(tracking))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_pairs() {
        for pair in [
            "spm=a2g0o.home.0",
            "SPM=x",
            "utm_source=x",
            "algo_pvid=abc",
            "gatewayAdapt=glo2usa",
            "spm",
        ] {
            assert!(is_tracking(pair), "{pair}");
        }
        for pair in [
            "productIds=1005001234567890",
            "wh_weex=true",
            "_randl_currency=EUR",
            "spmx=1",
            "sp=1",
            "",
            "=spm",
        ] {
            assert!(!is_tracking(pair), "{pair}");
        }
        assert!(TRACKING_KEYS
            .iter()
            .all(|k| k.bytes().all(|b| !b.is_ascii_uppercase())));
    }
}
