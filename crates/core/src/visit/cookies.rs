//! The affiliate cookies of a visit: AliExpress records an affiliate visit in two cookies the
//! page can read, and someone else's key in them stands the tab down as their landing would.
//!
//! What the two cookies hold, as public scrapers and extensions describe them (AliExpress
//! documents neither, so each reading below is an assumption said as one):
//! - `aeu_cid`: `<32 hex>-<ms timestamp>-<5 digits>-<key>`, the shape of a landing's `aff_fcid`,
//!   such as `6e2ba7d9c1f04a3b8f7e2d1c0b9a8f7e-1764589123456-04512-_DlJ4Oaz`.
//! - `xman_us_f`: `&`-separated settings (`x_l=1&x_locale=en_US&x_as_i=...&acs_rt=...`), one of
//!   them `x_as_i`, a URL-encoded JSON object naming the visit's `affiliateKey` and its
//!   `channel` (`"AFFILIATE"`).
//!
//! Why a cookie alone stands down only when it names a key that is not ours: cookies outlive
//! the visit that set them (days, for every tab), and neither our own visit nor a plain one can
//! be told from a cookie that names no one. Standing down on such a cookie would take the
//! shopper's deals away on every tab for days without protecting anyone's commission for sure;
//! a key that is not ours says whose referral is open. So, for each cookie value:
//! - a key of ours (the affiliate key, a short key of a link the affiliate API made for us) is
//!   ours: no stand-down, as after a landing of ours;
//! - a key that is someone else's is theirs: [`super::StandDown::AffiliateCookie`];
//! - anything else names no one and counts for nothing: an `aeu_cid` not of its shape or
//!   without a key, an `x_as_i` that is not a JSON object (after up to [`MAX_DECODINGS`]
//!   URL decodings: it is seen encoded once or twice), one without `affiliateKey`, a key that
//!   is not shaped like one (letters, digits, `_` and `-`, at most 64), and an `x_as_i` whose
//!   `channel` is there but is not `AFFILIATE` (in any case): that visit came some other way,
//!   whatever key is left in it. An `x_as_i` without any `channel` goes by its key: the field is
//!   the affiliate's key by its name.
//!
//! The name `x_as_i` and the field names inside it are read in any case; cookie names are
//! exact, as browsers keep them. Any key not ours among several values makes the whole theirs,
//! as on a landing.
//!
//! Bounded: the shell sends only these two names' values, each at most
//! [`MAX_COOKIE_VALUE_LENGTH`] long (a longer value is not sent, rather than cut, so a cut key
//! never reads as someone else's) and at most [`MAX_VALUES_PER_NAME`] of each (a name set on
//! several domains or paths is listed once for each), so at most [`MAX_COOKIES_LENGTH`] in all;
//! the Engine reads no more than that from whatever it is given, and a text over it names no
//! one. Nothing here panics or allocates more than a few copies of one value.

use std::borrow::Cow;

use super::Credit;
use crate::affiliate::{AffiliateKey, AffiliateLinks};
use crate::codec::json::Value;
use crate::link::{form_decoded, split_ascii, split_once_ascii};

/// The cookie that holds the visit's affiliate id, `<32 hex>-<ms>-<digits>-<key>`.
const AEU_CID: &str = "aeu_cid";
/// The cookie of settings whose `x_as_i` names the visit's affiliate.
const XMAN_US_F: &str = "xman_us_f";

/// The only cookies whose values the content script reads and sends, in this order.
pub const VISIT_COOKIE_NAMES: [&str; 2] = [AEU_CID, XMAN_US_F];

/// The longest value of one of them the shell sends, in UTF-16 units as JavaScript counts;
/// a longer one is not sent at all. Real values are a few hundred characters.
pub const MAX_COOKIE_VALUE_LENGTH: usize = 4096;

/// How many values of one name the shell sends at most (`document.cookie` lists a name once
/// for each domain and path it is set on).
pub const MAX_VALUES_PER_NAME: usize = 4;

/// The longest name of [`VISIT_COOKIE_NAMES`].
const LONGEST_NAME: usize = XMAN_US_F.len();

/// The longest text of cookies the shell sends: every value at its cap, as
/// `name=value; name=value` (UTF-16 units).
pub const MAX_COOKIES_LENGTH: usize = VISIT_COOKIE_NAMES.len()
    * MAX_VALUES_PER_NAME
    * (LONGEST_NAME + 1 + MAX_COOKIE_VALUE_LENGTH + 2);

/// What the Engine reads of a value, in bytes: a UTF-16 unit is at most three bytes of UTF-8.
const MAX_VALUE_BYTES: usize = 3 * MAX_COOKIE_VALUE_LENGTH;

/// What the Engine reads of the whole text, in bytes.
const MAX_COOKIES_BYTES: usize = 3 * MAX_COOKIES_LENGTH;

/// How many times an `x_as_i` value is URL-decoded at most before it must read as JSON.
pub const MAX_DECODINGS: usize = 3;

/// Whose affiliate attribution the visit's cookies name: `cookies` as `document.cookie` reads
/// (`name=value; name=value`), of which only [`VISIT_COOKIE_NAMES`] are read. `Theirs` when a
/// value names a key that is not ours, `Ours` when they name only ours, `Nobody` otherwise
/// (never `Unnamed`: see the module's summary).
pub fn cookie_credit(cookies: &str, ours: &AffiliateLinks) -> Credit {
    if cookies.len() > MAX_COOKIES_BYTES {
        return Credit::Nobody;
    }
    let mut seen = [0usize; VISIT_COOKIE_NAMES.len()];
    let mut credit = Credit::Nobody;
    for pair in split_ascii(cookies, b';') {
        let Some((name, value)) = split_once_ascii(pair.trim_ascii(), b'=') else {
            continue;
        };
        let name = name.trim_ascii();
        let Some(at) = VISIT_COOKIE_NAMES.iter().position(|n| *n == name) else {
            continue;
        };
        let Some(count) = seen.get_mut(at) else {
            continue;
        };
        *count += 1;
        if *count > MAX_VALUES_PER_NAME || value.len() > MAX_VALUE_BYTES {
            continue;
        }
        let this = if name == AEU_CID {
            aeu_cid_credit(value, ours)
        } else {
            xman_credit(value, ours)
        };
        credit = credit.max(this);
    }
    credit
}

/// A cookie value without the double quotes RFC 6265 allows around it, and the spaces.
fn unquoted(value: &str) -> &str {
    let value = value.trim_ascii();
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .trim_ascii()
}

/// Whose key an `aeu_cid` value names: `<32 hex>-<10 to 16 digits>-<1 to 8 digits>-<key>`
/// (its middle parts' widths are read loosely: only the key decides).
fn aeu_cid_credit(value: &str, ours: &AffiliateLinks) -> Credit {
    let value = form_decoded(unquoted(value));
    let mut parts = value.splitn(4, '-');
    let (Some(id), Some(millis), Some(count), Some(key)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Credit::Nobody;
    };
    let digits = |text: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    let shaped = id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && digits(millis, 10..=16)
        && digits(count, 1..=8);
    if !shaped {
        return Credit::Nobody;
    }
    key_credit(key, ours)
}

/// Whose key the `x_as_i` settings of an `xman_us_f` value name.
fn xman_credit(value: &str, ours: &AffiliateLinks) -> Credit {
    let value = unquoted(value);
    // A value encoded whole (`x_l%3D1%26x_as_i%3D...`) has no `=` of its own.
    let value = if value.contains('=') {
        Cow::Borrowed(value)
    } else {
        form_decoded(value)
    };
    let mut credit = Credit::Nobody;
    for pair in split_ascii(&value, b'&') {
        let Some((name, raw)) = split_once_ascii(pair, b'=') else {
            continue;
        };
        if form_decoded(name)
            .trim_ascii()
            .eq_ignore_ascii_case("x_as_i")
        {
            credit = credit.max(x_as_i_credit(raw, ours));
        }
    }
    credit
}

/// Whose key one `x_as_i` value names: URL-decoded until it reads as JSON, at most
/// [`MAX_DECODINGS`] times.
fn x_as_i_credit(raw: &str, ours: &AffiliateLinks) -> Credit {
    let mut text: Cow<'_, str> = Cow::Borrowed(raw);
    for _ in 0..MAX_DECODINGS {
        let decoded = form_decoded(&text).into_owned();
        if let Ok(value) = Value::parse(decoded.trim_ascii()) {
            return attribution_credit(&value, ours);
        }
        if !decoded.contains('%') {
            break;
        }
        text = Cow::Owned(decoded);
    }
    Credit::Nobody
}

/// Whose key an `x_as_i` object names (see the module's summary for `channel`).
fn attribution_credit(value: &Value<'_>, ours: &AffiliateLinks) -> Credit {
    let Value::Object(entries) = value else {
        return Credit::Nobody;
    };
    // The last of a repeated field, as `Value::get` reads one.
    let field = |name: &str| {
        entries
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    };
    if let Some(channel) = field("channel") {
        let affiliate = channel
            .as_str()
            .is_some_and(|c| c.trim_ascii().eq_ignore_ascii_case("AFFILIATE"));
        if !affiliate {
            return Credit::Nobody;
        }
    }
    match field("affiliateKey").and_then(Value::as_str) {
        Some(key) => key_credit(key, ours),
        None => Credit::Nobody,
    }
}

/// Ours or theirs, for text shaped like an affiliate key; nobody's for anything else.
fn key_credit(key: &str, ours: &AffiliateLinks) -> Credit {
    match AffiliateKey::parse(key) {
        Ok(key) if ours.is_our_key(key.as_str()) => Credit::Ours,
        Ok(_) => Credit::Theirs,
        Err(_) => Credit::Nobody,
    }
}

#[cfg(test)]
mod tests;
