//! The checks every coupon passes before the shopper sees it, whether it was just read from a
//! signed feed or read back from the snapshot a restarted worker keeps: one function for both,
//! so a snapshot is trusted no more than the feed it came from. And why a coupon fails them, as
//! a typed [`CouponFault`] a UI can word.

use std::fmt;

use super::{CouponFields, CouponKind, Discount, Minor};
use crate::link::classify;
use crate::problem::Problem;
use crate::text::quoted;

/// An amount no real coupon reaches (ten million major units): anything above is a mistake.
pub const ABSURD_AMOUNT: Minor = 1_000_000_000;
/// Longest id, code, store id or scope entry, in characters.
pub const MAX_ID_LEN: usize = 128;
/// Longest title, in characters.
pub const MAX_TITLE_LEN: usize = 300;
/// Longest url, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// Why one coupon was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponFault {
    /// The entry of the `coupons` list is not an object.
    NotAnObject,
    /// A field it needs is missing (or null).
    Missing(&'static str),
    /// A text field is empty, or only white space.
    Empty(&'static str),
    /// A text field is longer than its limit (in characters; a url's in bytes).
    TooLong {
        /// The field.
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// A text field starts or ends with white space (a feed's are trimmed as they are read).
    NotTrimmed(&'static str),
    /// A field is not a string.
    NotText(&'static str),
    /// A field is not a list of strings.
    NotList(&'static str),
    /// A field is not a whole number (of minor units, for an amount).
    NotWholeNumber(&'static str),
    /// A field is not `true` or `false`.
    NotBoolean(&'static str),
    /// An amount is negative.
    Negative(&'static str),
    /// An amount is zero where it cannot be.
    Zero(&'static str),
    /// An amount is above [`ABSURD_AMOUNT`].
    TooLarge(&'static str),
    /// `kind` is none of `store`, `select`, `code` (what it was, cut short).
    UnknownKind(String),
    /// A select coupon or a code names products or categories (only store coupons can).
    ScopedOrderCoupon(&'static str),
    /// A currency code this build does not know (what it was, cut short).
    UnknownCurrency(String),
    /// The discount is not an object.
    DiscountNotObject,
    /// The discount's `type` is neither `fixed` nor `percent` (what it was, cut short).
    UnknownDiscountType(String),
    /// A percentage outside 1 to 100.
    PercentOutOfRange(i64),
    /// A country that is not an ISO 3166 alpha-2 code (what it was, cut short).
    BadCountry(String),
    /// A time that is not RFC 3339 (the field, and what it was, cut short).
    BadTime {
        /// `starts_at` or `expires_at`.
        field: &'static str,
        /// The text given.
        text: String,
    },
    /// `expires_at` is not after `starts_at`.
    EndsBeforeStart,
    /// The url is not an https AliExpress page (the popup links to it).
    BadUrl,
    /// An earlier coupon of the feed has the same id.
    DuplicateId,
}

impl CouponFault {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "coupon_not_an_object",
        "coupon_missing_field",
        "coupon_empty_field",
        "coupon_field_too_long",
        "coupon_field_not_trimmed",
        "coupon_field_not_text",
        "coupon_field_not_list",
        "coupon_field_not_whole_number",
        "coupon_field_not_boolean",
        "coupon_amount_negative",
        "coupon_amount_zero",
        "coupon_amount_too_large",
        "coupon_unknown_kind",
        "coupon_scoped_order_coupon",
        "coupon_unknown_currency",
        "coupon_discount_not_object",
        "coupon_unknown_discount_type",
        "coupon_percent_out_of_range",
        "coupon_bad_country",
        "coupon_bad_time",
        "coupon_ends_before_start",
        "coupon_bad_url",
        "coupon_duplicate_id",
    ];
}

impl Problem for CouponFault {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAnObject => "coupon_not_an_object",
            Self::Missing(_) => "coupon_missing_field",
            Self::Empty(_) => "coupon_empty_field",
            Self::TooLong { .. } => "coupon_field_too_long",
            Self::NotTrimmed(_) => "coupon_field_not_trimmed",
            Self::NotText(_) => "coupon_field_not_text",
            Self::NotList(_) => "coupon_field_not_list",
            Self::NotWholeNumber(_) => "coupon_field_not_whole_number",
            Self::NotBoolean(_) => "coupon_field_not_boolean",
            Self::Negative(_) => "coupon_amount_negative",
            Self::Zero(_) => "coupon_amount_zero",
            Self::TooLarge(_) => "coupon_amount_too_large",
            Self::UnknownKind(_) => "coupon_unknown_kind",
            Self::ScopedOrderCoupon(_) => "coupon_scoped_order_coupon",
            Self::UnknownCurrency(_) => "coupon_unknown_currency",
            Self::DiscountNotObject => "coupon_discount_not_object",
            Self::UnknownDiscountType(_) => "coupon_unknown_discount_type",
            Self::PercentOutOfRange(_) => "coupon_percent_out_of_range",
            Self::BadCountry(_) => "coupon_bad_country",
            Self::BadTime { .. } => "coupon_bad_time",
            Self::EndsBeforeStart => "coupon_ends_before_start",
            Self::BadUrl => "coupon_bad_url",
            Self::DuplicateId => "coupon_duplicate_id",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::Missing(field)
            | Self::Empty(field)
            | Self::NotTrimmed(field)
            | Self::NotText(field)
            | Self::NotList(field)
            | Self::NotWholeNumber(field)
            | Self::NotBoolean(field)
            | Self::Negative(field)
            | Self::Zero(field)
            | Self::TooLarge(field)
            | Self::ScopedOrderCoupon(field) => vec![(*field).to_owned()],
            Self::TooLong { field, max } => vec![(*field).to_owned(), max.to_string()],
            Self::UnknownKind(text)
            | Self::UnknownCurrency(text)
            | Self::UnknownDiscountType(text)
            | Self::BadCountry(text) => vec![text.clone()],
            Self::PercentOutOfRange(percent) => vec![percent.to_string()],
            Self::BadTime { field, text } => vec![(*field).to_owned(), text.clone()],
            Self::NotAnObject
            | Self::DiscountNotObject
            | Self::EndsBeforeStart
            | Self::BadUrl
            | Self::DuplicateId => Vec::new(),
        }
    }
}

impl fmt::Display for CouponFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnObject => f.write_str("not a coupon object"),
            Self::Missing(field) => write!(f, "missing {field}"),
            Self::Empty(field) => write!(f, "{field} is empty"),
            Self::TooLong { field, max } => write!(f, "{field} is longer than {max} characters"),
            Self::NotTrimmed(field) => write!(f, "{field} starts or ends with white space"),
            Self::NotText(field) => write!(f, "{field} must be a string"),
            Self::NotList(field) => write!(f, "{field} must be a list of strings"),
            Self::NotWholeNumber(field) => {
                write!(f, "{field} must be a whole number of minor units")
            }
            Self::NotBoolean(field) => write!(f, "{field} must be true or false"),
            Self::Negative(field) => write!(f, "{field} is negative"),
            Self::Zero(field) => write!(f, "{field} is zero"),
            Self::TooLarge(field) => write!(f, "{field} is absurdly large"),
            Self::UnknownKind(kind) => write!(f, "unknown kind {}", quoted(kind)),
            Self::ScopedOrderCoupon(kind) => write!(
                f,
                "a {kind} coupon applies to the whole order: product_ids and category_ids are for store coupons"
            ),
            Self::UnknownCurrency(code) => write!(f, "unknown currency {}", quoted(code)),
            Self::DiscountNotObject => f.write_str("discount must be an object"),
            Self::UnknownDiscountType(kind) => {
                write!(f, "unknown discount type {}", quoted(kind))
            }
            Self::PercentOutOfRange(percent) => {
                write!(f, "percent {percent} is not between 1 and 100")
            }
            Self::BadCountry(text) => {
                write!(f, "country {} is not an ISO 3166 alpha-2 code", quoted(text))
            }
            Self::BadTime { field, text } => {
                write!(f, "{field}: {} is not an RFC 3339 time", quoted(text))
            }
            Self::EndsBeforeStart => f.write_str("expires_at is not after starts_at"),
            Self::BadUrl => f.write_str("url is not an https AliExpress link"),
            Self::DuplicateId => f.write_str("duplicate id"),
        }
    }
}

impl std::error::Error for CouponFault {}

/// The first `max` characters of untrusted text, to name it in a fault.
pub(crate) fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A required text: not empty, trimmed, at most `max` characters.
fn text(value: &str, field: &'static str, max: usize) -> Result<(), CouponFault> {
    if value.trim().is_empty() {
        return Err(CouponFault::Empty(field));
    }
    if value.trim().len() != value.len() {
        return Err(CouponFault::NotTrimmed(field));
    }
    // Never more characters than bytes: only a long value needs counting.
    if value.len() > max && value.chars().count() > max {
        return Err(CouponFault::TooLong { field, max });
    }
    Ok(())
}

/// An amount: at most [`ABSURD_AMOUNT`], and more than zero unless `zero_ok`.
fn amount(value: Minor, field: &'static str, zero_ok: bool) -> Result<(), CouponFault> {
    if value == 0 && !zero_ok {
        return Err(CouponFault::Zero(field));
    }
    if value > ABSURD_AMOUNT {
        return Err(CouponFault::TooLarge(field));
    }
    Ok(())
}

/// Whether a coupon's link is one the popup may show: an https AliExpress page.
pub(crate) fn url_ok(url: &str) -> bool {
    url.len() <= MAX_URL_LEN && url.starts_with("https://") && classify(url).aliexpress().is_some()
}

/// Checks everything a coupon says, in the order of its fields: the one rule of what a valid
/// coupon is. `url_checked` says the url was already found good (a snapshot checks each
/// distinct url once, however many coupons share it).
pub(crate) fn check_fields(
    fields: &CouponFields<'_>,
    url_checked: bool,
) -> Result<(), CouponFault> {
    text(fields.id, "id", MAX_ID_LEN)?;
    text(fields.title, "title", MAX_TITLE_LEN)?;
    match fields.kind {
        CouponKind::Store {
            store_id,
            product_ids,
            category_ids,
        } => {
            for id in product_ids {
                text(id, "product_ids", MAX_ID_LEN)?;
            }
            for id in category_ids {
                text(id, "category_ids", MAX_ID_LEN)?;
            }
            text(store_id, "store_id", MAX_ID_LEN)?;
        }
        CouponKind::Select => {}
        CouponKind::Code { code } => text(code, "code", MAX_ID_LEN)?,
    }
    amount(fields.min_spend, "min_spend", true)?;
    match fields.discount {
        Discount::Fixed { amount: off } => amount(off, "discount amount", false)?,
        Discount::Percent { percent, max } => {
            if !(1..=100).contains(&percent) {
                return Err(CouponFault::PercentOutOfRange(i64::from(percent)));
            }
            if let Some(max) = max {
                amount(max, "discount max", false)?;
            }
        }
    }
    for country in fields.countries {
        if !country.iter().all(u8::is_ascii_uppercase) {
            let text = String::from_utf8_lossy(country);
            return Err(CouponFault::BadCountry(clip(&text, 8)));
        }
    }
    if fields.expires_at <= fields.starts_at {
        return Err(CouponFault::EndsBeforeStart);
    }
    if let Some(url) = fields.url {
        if !url_checked && !url_ok(url) {
            return Err(CouponFault::BadUrl);
        }
    }
    Ok(())
}
