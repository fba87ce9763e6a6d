//! The API's request signature: uppercase hex HMAC-SHA256, keyed with the app secret, over every
//! parameter's name and value concatenated in byte order of the names, `sign` itself and empty
//! values left out. The client signs with it and the fake checks with it: one function.

use std::fmt::Write;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `sign_method` this signature is.
pub const SIGN_METHOD: &str = "sha256";

/// The signature of `params` (name, value pairs in any order) under `secret`.
pub fn sign<'a>(secret: &str, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .into_iter()
        .filter(|(name, value)| *name != "sign" && !value.is_empty())
        .collect();
    pairs.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    // HMAC takes a key of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    for (name, value) in pairs {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02X}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector of issue 10, from the API's documentation.
    #[test]
    fn the_documented_vector() {
        let params = [
            ("app_key", "12345678"),
            ("timestamp", "1517820392000"),
            ("method", "aliexpress.affiliate.category.get"),
            ("sign_method", "sha256"),
        ];
        assert_eq!(
            sign("helloworld", params),
            "F3ABBAB059750C3CD6D341A2FDA939ECB0FA892120E9196270ED67D6EC1511DD"
        );
    }

    #[test]
    fn sign_and_empty_values_are_left_out_and_order_does_not_matter() {
        let base = [
            ("method", "aliexpress.affiliate.category.get"),
            ("app_key", "12345678"),
            ("sign_method", "sha256"),
            ("timestamp", "1517820392000"),
        ];
        let with_extra = base
            .iter()
            .copied()
            .chain([("sign", "ABC"), ("fields", "")]);
        assert_eq!(sign("helloworld", with_extra), sign("helloworld", base));
        assert_ne!(sign("other", base), sign("helloworld", base));
        // Byte order: `Z` sorts before `a`.
        let upper = [("Zed", "1"), ("abc", "2")];
        let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap_or_else(|_| unreachable!());
        mac.update(b"Zed1abc2");
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        assert_eq!(sign("k", upper), want);
    }
}
