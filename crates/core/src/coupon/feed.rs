//! The publisher's coupon feed, format v1: reading it, and the checks that name each invalid
//! coupon and why. Invalid coupons are dropped one by one; the rest of the feed stays usable.

use std::borrow::Cow;
use std::fmt;

use super::index::id_hash;
use super::loose::{read_object_or, read_optional, Loose, ObjectOr};
use super::{sort_keyed, Coupon, CouponFields, CouponKind, Discount, Kind, Minor, Timestamp};
use crate::codec::json::{Error as JsonError, Next, Reader};
use crate::codec::rfc3339::unix_seconds;
use crate::link::classify;
use crate::money::Currency;
use crate::text::quoted;

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

// Every field loose and optional, so that a missing or mistyped one is reported by name against
// its coupon rather than failing the whole feed.
#[derive(Default)]
struct RawCoupon<'a> {
    id: Option<Loose<'a>>,
    kind: Option<Loose<'a>>,
    title: Option<Loose<'a>>,
    code: Option<Loose<'a>>,
    store_id: Option<Loose<'a>>,
    product_ids: Option<Loose<'a>>,
    category_ids: Option<Loose<'a>>,
    currency: Option<Loose<'a>>,
    min_spend: Option<Loose<'a>>,
    discount: Option<ObjectOr<RawDiscount<'a>>>,
    countries: Option<Loose<'a>>,
    starts_at: Option<Loose<'a>>,
    expires_at: Option<Loose<'a>>,
    new_users_only: Option<Loose<'a>>,
    url: Option<Loose<'a>>,
}

#[derive(Default)]
struct RawDiscount<'a> {
    /// `type` in the feed.
    kind: Option<Loose<'a>>,
    amount: Option<Loose<'a>>,
    percent: Option<Loose<'a>>,
    max: Option<Loose<'a>>,
}

/// Marks a field as read: a field given twice makes the whole document invalid (as it did when
/// serde read these structs).
fn first_time(reader: &Reader<'_>, seen: &mut u32, bit: u32, key: &str) -> Result<(), JsonError> {
    if *seen & (1 << bit) != 0 {
        return Err(reader.error(format!("duplicate field `{key}`")));
    }
    *seen |= 1 << bit;
    Ok(())
}

/// A coupon's fields, each numbered by its place here: its bit in the duplicate check and its
/// slot in [`read_coupon`].
const COUPON_FIELDS: [&str; 15] = [
    "id",
    "kind",
    "title",
    "code",
    "store_id",
    "product_ids",
    "category_ids",
    "currency",
    "min_spend",
    "countries",
    "starts_at",
    "expires_at",
    "new_users_only",
    "url",
    "discount",
];

/// A coupon's field number, from its key. No two fields share a length and a first byte, so
/// those are compared first and one string comparison confirms the field: a chain of string
/// comparisons, one call each in the size-optimised WASM, was a fifth of reading a big feed.
fn coupon_field(key: &str) -> Option<u32> {
    let first = key.as_bytes().first();
    COUPON_FIELDS
        .iter()
        .position(|name| {
            name.len() == key.len() && name.as_bytes().first() == first && *name == key
        })
        .and_then(|at| u32::try_from(at).ok())
}

/// Reads one coupon object into `raw`, which starts empty (read in place: at the WASM's size
/// optimisation, moving the raw coupon around copied it byte by byte).
fn read_coupon<'a>(reader: &mut Reader<'a>, raw: &mut RawCoupon<'a>) -> Result<(), JsonError> {
    let mut seen = 0;
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let Some(bit) = coupon_field(&key) else {
            reader.skip()?;
            continue;
        };
        first_time(reader, &mut seen, bit, &key)?;
        let slot = match bit {
            0 => &mut raw.id,
            1 => &mut raw.kind,
            2 => &mut raw.title,
            3 => &mut raw.code,
            4 => &mut raw.store_id,
            5 => &mut raw.product_ids,
            6 => &mut raw.category_ids,
            7 => &mut raw.currency,
            8 => &mut raw.min_spend,
            9 => &mut raw.countries,
            10 => &mut raw.starts_at,
            11 => &mut raw.expires_at,
            12 => &mut raw.new_users_only,
            13 => &mut raw.url,
            _ => {
                raw.discount = if reader.peek()? == Next::Null {
                    reader.null()?;
                    None
                } else {
                    Some(read_object_or(reader, read_discount)?)
                };
                continue;
            }
        };
        *slot = read_optional(reader)?;
    }
    Ok(())
}

fn read_discount<'a>(reader: &mut Reader<'a>) -> Result<RawDiscount<'a>, JsonError> {
    let mut raw = RawDiscount::default();
    let mut seen = 0;
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let (bit, slot) = match &*key {
            "type" => (0, &mut raw.kind),
            "amount" => (1, &mut raw.amount),
            "percent" => (2, &mut raw.percent),
            "max" => (3, &mut raw.max),
            _ => {
                reader.skip()?;
                continue;
            }
        };
        first_time(reader, &mut seen, bit, &key)?;
        *slot = read_optional(reader)?;
    }
    Ok(raw)
}

/// Reads a v1 feed. The envelope (JSON, version, `generated_at`, `coupons`) must be right;
/// each coupon is then checked on its own.
pub fn parse_feed(json: &str) -> Result<Feed, FeedError> {
    let mut reading = FeedReading::new(Cow::Borrowed(json));
    while !reading.step(usize::MAX)? {}
    reading.finish()
}

/// A feed whose envelope was read whole: its version and time checked, duplicate ids refused.
fn checked_feed(version: u64, generated_at: &str, checked: Checked) -> Result<Feed, FeedError> {
    if version != FEED_VERSION {
        return Err(FeedError(format!(
            "version {version} is not supported (expected {FEED_VERSION})"
        )));
    }
    let generated_at =
        timestamp(generated_at).map_err(|e| FeedError(format!("generated_at: {e}")))?;
    let Checked {
        mut coupons,
        positions,
        mut problems,
    } = checked;

    // Duplicate ids: the first one stands, later ones are refused.
    let duplicate = duplicates(&coupons);
    if duplicate.contains(&true) {
        let mut kept = Vec::with_capacity(coupons.len());
        let mut refused = Vec::new();
        for ((coupon, position), duplicate) in coupons.into_iter().zip(positions).zip(duplicate) {
            if duplicate {
                let reason = "duplicate id".into();
                refused.push(CouponProblem {
                    index: position as usize,
                    id: Some(coupon.id().to_owned()),
                    reason,
                });
            } else {
                kept.push(coupon);
            }
        }
        coupons = kept;
        // Both lists are in feed order, and no coupon is in both: merged, they are too.
        problems = merge_by_index(problems, refused);
    }
    Ok(Feed {
        generated_at,
        coupons,
        problems,
    })
}

/// For each coupon, whether an earlier one has the same id. Ids are grouped by their hash
/// (through the coupon rules' one sort, rather than a hash set of its own) and compared within
/// a group.
fn duplicates(coupons: &[Coupon]) -> Vec<bool> {
    let mut keyed: Vec<(u64, u32)> = coupons
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((id_hash(c.id()), u32::try_from(i).ok()?)))
        .collect();
    sort_keyed(&mut keyed);
    let mut duplicate = vec![false; coupons.len()];
    let id = |position: u32| coupons.get(position as usize).map(Coupon::id);
    for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        // In feed order within the group: a coupon is a duplicate of any before it.
        for (n, &(_, later)) in group.iter().enumerate().skip(1) {
            let earlier = group.iter().take(n);
            if earlier.clone().any(|&(_, e)| id(e) == id(later)) {
                if let Some(flag) = duplicate.get_mut(later as usize) {
                    *flag = true;
                }
            }
        }
    }
    duplicate
}

/// Two lists of problems, each in feed order, as one in feed order.
fn merge_by_index(a: Vec<CouponProblem>, b: Vec<CouponProblem>) -> Vec<CouponProblem> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.index <= y.index,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        merged.extend(if take_a { a.next() } else { b.next() });
    }
    merged
}

/// The `coupons` array, checked one coupon at a time as it is read, so no raw coupon is kept.
#[derive(Default)]
struct Checked {
    coupons: Vec<Coupon>,
    /// Each valid coupon's index in the feed.
    positions: Vec<u32>,
    problems: Vec<CouponProblem>,
}

impl Checked {
    /// Reads the next element of the `coupons` array and checks it: a valid coupon is kept, an
    /// invalid one is named with its reason. Only what breaks the JSON itself is an error.
    fn read_one(&mut self, reader: &mut Reader<'_>, times: &mut Times) -> Result<(), JsonError> {
        let index = self.positions.len() + self.problems.len();
        let mut raw = RawCoupon::default();
        let (id, result) = match read_object_or(reader, |reader| read_coupon(reader, &mut raw))? {
            ObjectOr::Object(()) => {
                let id = match &raw.id {
                    Some(Loose::Str(id)) => Some(id.clone()),
                    _ => None,
                };
                (id, check_coupon(&mut raw, times))
            }
            ObjectOr::Other(what) => (None, Err(format!("not a coupon object but {what}"))),
        };
        match result {
            Ok(coupon) => {
                self.coupons.push(coupon);
                self.positions
                    .push(u32::try_from(index).unwrap_or(u32::MAX));
            }
            Err(reason) => self.problems.push(CouponProblem {
                index,
                id: id.map(|id| clip(&id, MAX_ID_LEN)),
                reason,
            }),
        }
        Ok(())
    }
}

/// Checks the coupon just read, taking its fields out of `raw`.
fn check_coupon(raw: &mut RawCoupon<'_>, times: &mut Times) -> Result<Coupon, String> {
    let id = text(raw.id.take(), "id", MAX_ID_LEN)?;
    let title = text(raw.title.take(), "title", MAX_TITLE_LEN)?;
    let product_ids = ids(raw.product_ids.take(), "product_ids")?;
    let category_ids = ids(raw.category_ids.take(), "category_ids")?;
    let scoped = !product_ids.is_empty() || !category_ids.is_empty();
    // The store id or the code, whichever the kind needs.
    let (kind, key) = match string(raw.kind.take(), "kind")?.as_deref() {
        Some("store") => (
            Kind::Store,
            text(raw.store_id.take(), "store_id", MAX_ID_LEN)
                .map_err(|_| "a store coupon needs a store_id".to_owned())?,
        ),
        Some(kind @ ("select" | "code")) if scoped => {
            return Err(format!(
                "a {kind} coupon applies to the whole order: product_ids and category_ids are for store coupons"
            ));
        }
        Some("select") => (Kind::Select, Cow::Borrowed("")),
        Some("code") => (
            Kind::Code,
            text(raw.code.take(), "code", MAX_ID_LEN)
                .map_err(|_| "a code coupon needs a code".to_owned())?,
        ),
        Some(other) => return Err(format!("unknown kind {}", quoted(&clip(other, 32)))),
        None => return Err("missing kind".into()),
    };
    let currency_text = string(raw.currency.take(), "currency")?.ok_or("missing currency")?;
    let currency = Currency::parse(&currency_text)
        .ok_or_else(|| format!("unknown currency {}", quoted(&clip(&currency_text, 8))))?;
    let min_spend = amount(
        whole(raw.min_spend.take(), "min_spend")?.unwrap_or(0),
        "min_spend",
        true,
    )?;
    let discount = match raw.discount.take() {
        Some(ObjectOr::Object(d)) => discount(d)?,
        Some(ObjectOr::Other(what)) => {
            return Err(format!("discount must be an object, not {what}"))
        }
        None => return Err("missing discount".into()),
    };
    let countries = ids(raw.countries.take(), "countries")?
        .iter()
        .map(|c| match c.as_bytes() {
            &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok([a, b]),
            _ => Err(format!(
                "country {} is not an ISO 3166 alpha-2 code",
                quoted(&clip(c, 8))
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let starts_at = string(raw.starts_at.take(), "starts_at")?.ok_or("missing starts_at")?;
    let starts_at = times
        .parse(&starts_at)
        .map_err(|e| format!("starts_at: {e}"))?;
    let expires_at = string(raw.expires_at.take(), "expires_at")?.ok_or("missing expires_at")?;
    let expires_at = times
        .parse(&expires_at)
        .map_err(|e| format!("expires_at: {e}"))?;
    if expires_at <= starts_at {
        return Err("expires_at is not after starts_at".into());
    }
    let new_users_only = match raw.new_users_only.take() {
        None | Some(Loose::Null) => false,
        Some(Loose::Bool(b)) => b,
        Some(other) => {
            return Err(format!(
                "new_users_only must be true or false, not {}",
                other.describe()
            ))
        }
    };
    let url = string(raw.url.take(), "url")?.map(coupon_url).transpose()?;
    // Scopes are rare: only they are copied into boxes of their own.
    let boxed =
        |ids: Vec<Cow<'_, str>>| -> Vec<Box<str>> { ids.into_iter().map(Into::into).collect() };
    let (product_ids, category_ids) = (boxed(product_ids), boxed(category_ids));
    let kind = match kind {
        Kind::Store => CouponKind::Store {
            store_id: &key,
            product_ids: &product_ids,
            category_ids: &category_ids,
        },
        Kind::Select => CouponKind::Select,
        Kind::Code => CouponKind::Code { code: &key },
    };
    Ok(Coupon::new(CouponFields {
        id: &id,
        kind,
        title: &title,
        currency,
        min_spend,
        discount,
        countries: &countries,
        starts_at,
        expires_at,
        new_users_only,
        url: url.as_deref(),
    }))
}

/// The first `max` characters, for quoting untrusted text in an error.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// An optional string field.
fn string<'a>(value: Option<Loose<'a>>, field: &str) -> Result<Option<Cow<'a, str>>, String> {
    match value {
        None | Some(Loose::Null) => Ok(None),
        Some(Loose::Str(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "{field} must be a string, not {}",
            other.describe()
        )),
    }
}

/// A required, non-empty string field of at most `max` characters, trimmed. Borrowed from the
/// feed text when it can be: the coupon copies it once, into its own text.
fn text<'a>(value: Option<Loose<'a>>, field: &str, max: usize) -> Result<Cow<'a, str>, String> {
    let value = string(value, field)?.ok_or_else(|| format!("missing {field}"))?;
    let value = match value {
        Cow::Borrowed(value) => Cow::Borrowed(value.trim()),
        Cow::Owned(value) if value.trim().len() == value.len() => Cow::Owned(value),
        Cow::Owned(value) => Cow::Owned(value.trim().to_owned()),
    };
    if value.is_empty() {
        return Err(format!("{field} is empty"));
    }
    // Never more characters than bytes: only a long value needs counting.
    if value.len() > max && value.chars().count() > max {
        return Err(format!("{field} is longer than {max} characters"));
    }
    Ok(value)
}

/// An optional list of non-empty strings.
fn ids<'a>(value: Option<Loose<'a>>, field: &str) -> Result<Vec<Cow<'a, str>>, String> {
    match value {
        None | Some(Loose::Null) => Ok(Vec::new()),
        Some(Loose::List(items)) => items
            .into_iter()
            .map(|item| text(Some(item), field, MAX_ID_LEN))
            .collect(),
        Some(other) => Err(format!(
            "{field} must be a list of strings, not {}",
            other.describe()
        )),
    }
}

/// An optional whole number.
fn whole(value: Option<Loose<'_>>, field: &str) -> Result<Option<i64>, String> {
    match value {
        None | Some(Loose::Null) => Ok(None),
        Some(Loose::Int(n)) => Ok(Some(n)),
        Some(Loose::Huge) => Err(format!("{field} is absurdly large")),
        Some(Loose::Fraction) => Err(format!("{field} must be a whole number of minor units")),
        Some(other) => Err(format!(
            "{field} must be a whole number, not {}",
            other.describe()
        )),
    }
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

fn discount(raw: RawDiscount<'_>) -> Result<Discount, String> {
    match string(raw.kind, "discount type")?.as_deref() {
        Some("fixed") => {
            let amount_off =
                whole(raw.amount, "discount amount")?.ok_or("a fixed discount needs an amount")?;
            Ok(Discount::Fixed {
                amount: amount(amount_off, "discount amount", false)?,
            })
        }
        Some("percent") => {
            let percent =
                whole(raw.percent, "percent")?.ok_or("a percent discount needs a percent")?;
            let percent = u8::try_from(percent)
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or_else(|| format!("percent {percent} is not between 1 and 100"))?;
            let max = whole(raw.max, "discount max")?
                .map(|m| amount(m, "discount max", false))
                .transpose()?;
            Ok(Discount::Percent { percent, max })
        }
        Some(other) => Err(format!(
            "unknown discount type {}",
            quoted(&clip(other, 16))
        )),
        None => Err("missing discount type".into()),
    }
}

/// A coupon's link must be an https AliExpress page: the popup shows it to the shopper.
fn coupon_url(url: Cow<'_, str>) -> Result<Cow<'_, str>, String> {
    let is_aliexpress_https = url.len() <= MAX_URL_LEN
        && url.starts_with("https://")
        && classify(&url).aliexpress().is_some();
    if is_aliexpress_https {
        Ok(url)
    } else {
        Err("url is not an https AliExpress link".into())
    }
}

/// RFC 3339 parsing with a memory of the last few texts: a feed repeats the same few start and
/// expiry times across thousands of coupons.
#[derive(Default)]
struct Times {
    recent: Vec<(String, Timestamp)>,
}

impl Times {
    const REMEMBERED: usize = 8;

    fn parse(&mut self, text: &str) -> Result<Timestamp, String> {
        if let Some((_, at)) = self.recent.iter().find(|(t, _)| t == text) {
            return Ok(*at);
        }
        let at = timestamp(text)?;
        if self.recent.len() == Self::REMEMBERED {
            self.recent.remove(0);
        }
        self.recent.push((text.to_owned(), at));
        Ok(at)
    }
}

/// Seconds since the epoch of an RFC 3339 timestamp.
pub(crate) fn timestamp(text: &str) -> Result<Timestamp, String> {
    unix_seconds(text).ok_or_else(|| {
        format!(
            "{} is not an RFC 3339 time",
            quoted(&text.chars().take(40).collect::<String>())
        )
    })
}

mod reading;

pub use reading::FeedReading;

#[cfg(test)]
mod tests;
