//! Everything a call can fail with, as a typed [`ApiError`] a caller can match: what the API
//! refused and why, what HTTP or the network did, and what this client decided (deadline,
//! breaker, limits).

use std::fmt;

/// Why the API refused a call (`error_response`), from its `code` and `sub_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The signature did not verify (`IncompleteSignature`): a wrong app secret or a bug.
    IncompleteSignature,
    /// Too many calls (`ApiCallLimit`): retried with backoff.
    ApiCallLimit,
    /// The app key is unknown or disabled.
    InvalidAppKey,
    /// The app is not a registered affiliate publisher, or the tracking id is not its own.
    UnregisteredPublisher,
    /// A parameter is missing or invalid.
    BadParameter,
    /// Any other refusal (its code is in the error).
    Other,
}

impl Refusal {
    /// The refusal an `error_response`'s `code` and `sub_code` name.
    pub fn from_codes(code: &str, sub_code: Option<&str>) -> Self {
        let names = |needle: &str| {
            code.eq_ignore_ascii_case(needle)
                || sub_code.is_some_and(|sub| {
                    sub.to_ascii_lowercase()
                        .contains(&needle.to_ascii_lowercase())
                })
        };
        let mentions = |needle: &str| {
            code.to_ascii_lowercase().contains(needle)
                || sub_code.is_some_and(|sub| sub.to_ascii_lowercase().contains(needle))
        };
        if names("IncompleteSignature") {
            Self::IncompleteSignature
        } else if names("ApiCallLimit") || names("AppCallLimit") || mentions("limited") {
            Self::ApiCallLimit
        } else if names("InvalidAppKey") || mentions("appkey") {
            Self::InvalidAppKey
        } else if mentions("publisher") || mentions("affiliate") || mentions("tracking") {
            Self::UnregisteredPublisher
        } else if mentions("parameter") {
            Self::BadParameter
        } else {
            Self::Other
        }
    }
}

/// Why a call gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The API answered `error_response`.
    Refused {
        /// Why, as far as its codes say.
        reason: Refusal,
        /// Its `code`.
        code: String,
        /// Its `msg`.
        message: String,
        /// Its `sub_code`, when given.
        sub_code: Option<String>,
    },
    /// The method answered, with a `resp_code` other than 200.
    Failed {
        /// `resp_code`.
        code: i64,
        /// `resp_msg`.
        message: String,
    },
    /// An HTTP status other than 2xx (5xx retried).
    Status(u16),
    /// An attempt took longer than its timeout, and no retry was left.
    Timeout,
    /// The call's deadline came before an answer.
    Deadline,
    /// The circuit breaker is open: the API failed too often lately, and it was not called.
    CircuitOpen,
    /// The API could not be reached (connection refused, DNS, TLS...).
    Unreachable(String),
    /// The answer is not the documented shape (what was wrong).
    Malformed(String),
    /// The answer is larger than [`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES).
    TooLarge,
    /// More urls than one `link.generate` takes ([`MAX_LINK_URLS`](crate::MAX_LINK_URLS)).
    TooManyUrls(usize),
    /// The client could not be set up (the reason).
    Setup(String),
}

impl ApiError {
    /// Whether trying again may help: timeouts, 5xx and `ApiCallLimit` only.
    pub fn retryable(&self) -> bool {
        match self {
            Self::Timeout => true,
            Self::Status(status) => (500..600).contains(status),
            Self::Refused { reason, .. } => *reason == Refusal::ApiCallLimit,
            _ => false,
        }
    }

    /// Whether it says the API is down or overwhelmed, which the circuit breaker counts; a
    /// refusal of this call (a bad signature, a bad parameter) says the API is up.
    pub(crate) fn is_outage(&self) -> bool {
        self.retryable()
            || matches!(
                self,
                Self::Unreachable(_) | Self::Malformed(_) | Self::TooLarge
            )
    }

    /// A stable name for logs and metrics (`aliexpress_timeout`...).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused { .. } => "aliexpress_refused",
            Self::Failed { .. } => "aliexpress_failed",
            Self::Status(_) => "aliexpress_status",
            Self::Timeout => "aliexpress_timeout",
            Self::Deadline => "aliexpress_deadline",
            Self::CircuitOpen => "aliexpress_circuit_open",
            Self::Unreachable(_) => "aliexpress_unreachable",
            Self::Malformed(_) => "aliexpress_malformed",
            Self::TooLarge => "aliexpress_too_large",
            Self::TooManyUrls(_) => "aliexpress_too_many_urls",
            Self::Setup(_) => "aliexpress_setup",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AliExpress API: ")?;
        match self {
            Self::Refused {
                reason,
                code,
                message,
                sub_code,
            } => {
                write!(f, "refused ({reason:?}): {code}")?;
                if let Some(sub) = sub_code {
                    write!(f, " / {sub}")?;
                }
                write!(f, ": {message}")
            }
            Self::Failed { code, message } => write!(f, "resp_code {code}: {message}"),
            Self::Status(status) => write!(f, "HTTP status {status}"),
            Self::Timeout => f.write_str("no answer within the timeout"),
            Self::Deadline => f.write_str("no answer before the call's deadline"),
            Self::CircuitOpen => f.write_str("not called: it failed too often lately"),
            Self::Unreachable(why) => write!(f, "unreachable: {why}"),
            Self::Malformed(why) => write!(f, "answer not in the documented shape: {why}"),
            Self::TooLarge => f.write_str("answer too large"),
            Self::TooManyUrls(count) => write!(
                f,
                "{count} urls: link.generate takes at most {}",
                crate::MAX_LINK_URLS
            ),
            Self::Setup(why) => write!(f, "client not set up: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_from_codes() {
        for (code, sub, want) in [
            ("IncompleteSignature", None, Refusal::IncompleteSignature),
            ("ApiCallLimit", None, Refusal::ApiCallLimit),
            (
                "7",
                Some("accesscontrol.limited-by-api-access-count"),
                Refusal::ApiCallLimit,
            ),
            (
                "isv.invalid-parameter",
                Some("isv.appkey-not-exists"),
                Refusal::InvalidAppKey,
            ),
            ("InvalidAppKey", None, Refusal::InvalidAppKey),
            (
                "isv.error",
                Some("isv.not-affiliate-publisher"),
                Refusal::UnregisteredPublisher,
            ),
            ("MissingParameter", None, Refusal::BadParameter),
            ("Whatever", None, Refusal::Other),
        ] {
            assert_eq!(Refusal::from_codes(code, sub), want, "{code}");
        }
    }

    #[test]
    fn only_timeouts_5xx_and_call_limits_are_retried() {
        let refused = |reason| ApiError::Refused {
            reason,
            code: String::new(),
            message: String::new(),
            sub_code: None,
        };
        assert!(ApiError::Timeout.retryable());
        assert!(ApiError::Status(503).retryable());
        assert!(refused(Refusal::ApiCallLimit).retryable());
        for error in [
            ApiError::Status(404),
            ApiError::Status(429),
            refused(Refusal::IncompleteSignature),
            refused(Refusal::UnregisteredPublisher),
            ApiError::Unreachable("refused".into()),
            ApiError::Malformed("x".into()),
            ApiError::Deadline,
            ApiError::Failed {
                code: 405,
                message: String::new(),
            },
        ] {
            assert!(!error.retryable(), "{error}");
        }
        assert!(ApiError::Unreachable("x".into()).is_outage());
        assert!(!refused(Refusal::IncompleteSignature).is_outage());
    }
}
