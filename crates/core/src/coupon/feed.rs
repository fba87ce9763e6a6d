//! The publisher's coupon feed, format v1: reading it, and the checks that name each invalid
//! coupon and why. Invalid coupons are dropped one by one; the rest of the feed stays usable.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::currency::is_known_currency;
use super::{Coupon, CouponKind, Discount, Minor, Timestamp};
use crate::link::classify;

/// The only feed format this build reads.
pub const FEED_VERSION: u64 = 1;

/// An amount no real coupon reaches (ten million major units): anything above is a mistake.
const ABSURD_AMOUNT: i64 = 1_000_000_000;
/// Longest id, code or scope entry kept.
const MAX_ID_LEN: usize = 128;
/// Longest title kept.
const MAX_TITLE_LEN: usize = 300;
/// Longest URL kept.
const MAX_URL_LEN: usize = 2048;

/// A feed whose envelope was fine: its valid coupons, and what was wrong with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// When the publisher made it.
    pub generated_at: Timestamp,
    /// The valid coupons, in feed order.
    pub coupons: Vec<Coupon>,
    /// One entry per invalid coupon.
    pub problems: Vec<CouponProblem>,
}

/// Why one coupon of a feed was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponProblem {
    /// Its position in the feed's `coupons` array.
    pub index: usize,
    /// Its id, when it had one.
    pub id: Option<String>,
    /// What is wrong, for a person.
    pub reason: String,
}

impl fmt::Display for CouponProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "coupon {} ({id}): {}", self.index, self.reason),
            None => write!(f, "coupon {}: {}", self.index, self.reason),
        }
    }
}

/// Why a whole feed was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError(pub String);

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "coupon feed refused: {}", self.0)
    }
}

impl std::error::Error for FeedError {}

#[derive(Deserialize)]
struct RawFeed {
    version: u64,
    generated_at: String,
    coupons: Vec<Value>,
}

// Every field optional, so that a missing one is reported by name rather than as a parse error.
#[derive(Deserialize)]
struct RawCoupon {
    id: Option<String>,
    kind: Option<String>,
    title: Option<String>,
    code: Option<String>,
    store_id: Option<String>,
    product_ids: Option<Vec<String>>,
    category_ids: Option<Vec<String>>,
    currency: Option<String>,
    min_spend: Option<i64>,
    discount: Option<RawDiscount>,
    countries: Option<Vec<String>>,
    starts_at: Option<String>,
    expires_at: Option<String>,
    new_users_only: Option<bool>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawDiscount {
    #[serde(rename = "type")]
    kind: String,
    amount: Option<i64>,
    percent: Option<i64>,
    max: Option<i64>,
}

/// Reads a v1 feed. The envelope (JSON, version, `generated_at`, `coupons`) must be right;
/// each coupon is then checked on its own.
pub fn parse_feed(json: &str) -> Result<Feed, FeedError> {
    let raw: RawFeed =
        serde_json::from_str(json).map_err(|e| FeedError(format!("not a v1 feed: {e}")))?;
    if raw.version != FEED_VERSION {
        return Err(FeedError(format!(
            "version {} is not supported (expected {FEED_VERSION})",
            raw.version
        )));
    }
    let generated_at =
        timestamp(&raw.generated_at).map_err(|e| FeedError(format!("generated_at: {e}")))?;
    let mut coupons = Vec::with_capacity(raw.coupons.len());
    let mut problems = Vec::new();
    let mut ids = HashSet::with_capacity(raw.coupons.len());
    for (index, value) in raw.coupons.iter().enumerate() {
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .map(|s| s.chars().take(MAX_ID_LEN).collect());
        let checked = RawCoupon::deserialize(value)
            .map_err(|e| format!("not a coupon object: {e}"))
            .and_then(check_coupon);
        match checked {
            Ok(coupon) if !ids.insert(coupon.id.clone()) => {
                problems.push(CouponProblem {
                    index,
                    id,
                    reason: "duplicate id".into(),
                });
            }
            Ok(coupon) => coupons.push(coupon),
            Err(reason) => problems.push(CouponProblem { index, id, reason }),
        }
    }
    Ok(Feed {
        generated_at,
        coupons,
        problems,
    })
}

fn check_coupon(raw: RawCoupon) -> Result<Coupon, String> {
    let id = text(raw.id, "id", MAX_ID_LEN)?;
    let title = text(raw.title, "title", MAX_TITLE_LEN)?;
    let scoped = raw.product_ids.as_ref().is_some_and(|v| !v.is_empty())
        || raw.category_ids.as_ref().is_some_and(|v| !v.is_empty());
    let kind = match raw.kind.as_deref() {
        Some("store") => CouponKind::Store {
            store_id: text(raw.store_id, "store_id", MAX_ID_LEN)
                .map_err(|_| "a store coupon needs a store_id".to_owned())?,
            product_ids: ids(raw.product_ids, "product_ids")?,
            category_ids: ids(raw.category_ids, "category_ids")?,
        },
        Some(kind @ ("select" | "code")) if scoped => {
            return Err(format!("a {kind} coupon applies to the whole order: product_ids and category_ids are for store coupons"));
        }
        Some("select") => CouponKind::Select,
        Some("code") => CouponKind::Code {
            code: text(raw.code, "code", MAX_ID_LEN)
                .map_err(|_| "a code coupon needs a code".to_owned())?,
        },
        Some(other) => {
            return Err(format!(
                "unknown kind {:?}",
                other.chars().take(32).collect::<String>()
            ))
        }
        None => return Err("missing kind".into()),
    };
    let currency_text = raw.currency.ok_or("missing currency")?;
    let currency: [u8; 3] = currency_text
        .as_bytes()
        .try_into()
        .ok()
        .filter(|c: &[u8; 3]| is_known_currency(c))
        .ok_or_else(|| {
            format!(
                "unknown currency {:?}",
                currency_text.chars().take(8).collect::<String>()
            )
        })?;
    let min_spend = amount(raw.min_spend.unwrap_or(0), "min_spend", true)?;
    let discount = discount(raw.discount.ok_or("missing discount")?)?;
    let countries = raw
        .countries
        .unwrap_or_default()
        .iter()
        .map(|c| match c.as_bytes() {
            &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok([a, b]),
            _ => Err(format!(
                "country {:?} is not an ISO 3166 alpha-2 code",
                c.chars().take(8).collect::<String>()
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let starts_at = timestamp(raw.starts_at.as_deref().ok_or("missing starts_at")?)
        .map_err(|e| format!("starts_at: {e}"))?;
    let expires_at = timestamp(raw.expires_at.as_deref().ok_or("missing expires_at")?)
        .map_err(|e| format!("expires_at: {e}"))?;
    if expires_at <= starts_at {
        return Err("expires_at is not after starts_at".into());
    }
    let url = raw.url.map(|u| coupon_url(&u)).transpose()?;
    Ok(Coupon {
        id,
        kind,
        title,
        currency,
        min_spend,
        discount,
        countries,
        starts_at,
        expires_at,
        new_users_only: raw.new_users_only.unwrap_or(false),
        url,
    })
}

fn text(value: Option<String>, field: &str, max: usize) -> Result<String, String> {
    let value = value.ok_or_else(|| format!("missing {field}"))?;
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    Ok(value.to_owned())
}

fn ids(values: Option<Vec<String>>, field: &str) -> Result<Vec<String>, String> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(|v| text(Some(v), field, MAX_ID_LEN))
        .collect()
}

fn amount(value: i64, field: &str, zero_ok: bool) -> Result<Minor, String> {
    if value < 0 {
        return Err(format!("{field} is negative"));
    }
    if value == 0 && !zero_ok {
        return Err(format!("{field} is zero"));
    }
    if value > ABSURD_AMOUNT {
        return Err(format!("{field} {value} is absurdly large"));
    }
    Minor::try_from(value).map_err(|_| format!("{field} is out of range"))
}

fn discount(raw: RawDiscount) -> Result<Discount, String> {
    match raw.kind.as_str() {
        "fixed" => Ok(Discount::Fixed {
            amount: amount(
                raw.amount.ok_or("a fixed discount needs an amount")?,
                "discount amount",
                false,
            )?,
        }),
        "percent" => {
            let percent = raw.percent.ok_or("a percent discount needs a percent")?;
            let percent = u8::try_from(percent)
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or_else(|| format!("percent {percent} is not between 1 and 100"))?;
            let max = raw
                .max
                .map(|m| amount(m, "discount max", false))
                .transpose()?;
            Ok(Discount::Percent { percent, max })
        }
        other => Err(format!(
            "unknown discount type {:?}",
            other.chars().take(16).collect::<String>()
        )),
    }
}

/// A coupon's link must be an https AliExpress page: the popup shows it to the shopper.
fn coupon_url(url: &str) -> Result<String, String> {
    let is_aliexpress_https = url.len() <= MAX_URL_LEN
        && url.starts_with("https://")
        && classify(url).aliexpress().is_some();
    if is_aliexpress_https {
        Ok(url.to_owned())
    } else {
        Err("url is not an https AliExpress link".into())
    }
}

/// Seconds since the epoch of an RFC 3339 timestamp.
pub(crate) fn timestamp(text: &str) -> Result<Timestamp, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            format!(
                "{:?} is not an RFC 3339 time",
                text.chars().take(40).collect::<String>()
            )
        })
}

#[cfg(test)]
mod tests;
