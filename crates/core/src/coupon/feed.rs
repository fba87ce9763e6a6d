//! The publisher's coupon feed, format v1: reading it, and the checks that name each invalid
//! coupon and why. Invalid coupons are dropped one by one; the rest of the feed stays usable.

use std::borrow::Cow;
use std::fmt;

use super::checks::{check_fields, clip, url_ok, CouponFault, MAX_ID_LEN};
use super::index::id_hash;
use super::loose::{read_object_or, read_optional, Loose, ObjectOr};
use super::seen::Seen;
use super::{sort_keyed, Coupon, CouponFields, CouponKind, Discount, Kind, Minor, Timestamp};
use crate::codec::field::FieldFault;
use crate::codec::json::{JsonError, Next, Reader};
use crate::codec::rfc3339::unix_seconds;
use crate::money::{Currency, Rates};
use crate::problem::Problem;
use crate::text::quoted;

/// The only feed format this build reads.
pub const FEED_VERSION: u64 = 1;

/// A feed whose envelope was fine: its valid coupons, and what was wrong with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// When the publisher made it.
    pub generated_at: Timestamp,
    /// The valid coupons, in feed order.
    pub coupons: Vec<Coupon>,
    /// One entry per invalid coupon.
    pub problems: Vec<CouponProblem>,
    /// The day's exchange rates, when the feed carries them ([`Rates::none`] otherwise).
    pub rates: Rates,
}

/// Why one coupon of a feed was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponProblem {
    /// Its position in the feed's `coupons` array.
    pub index: usize,
    /// Its id, when it had one.
    pub id: Option<String>,
    /// What is wrong.
    pub reason: CouponFault,
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
pub enum FeedError {
    /// The feed's bytes are not UTF-8.
    NotUtf8,
    /// The feed is not JSON (RFC 8259).
    NotJson(JsonError),
    /// The feed is JSON but not an object.
    NotAnObject,
    /// A field of the feed, or of one of its coupons, is given twice; `version`,
    /// `generated_at` or `coupons` is missing; or `version` is not a whole number,
    /// `generated_at` not a string or `coupons` not a list.
    Field(FieldFault),
    /// A format version this build does not read.
    UnsupportedVersion(u64),
    /// `generated_at` is not an RFC 3339 time (what it was, cut short).
    BadGeneratedAt(String),
}

/// A feed's [`FieldFault`] codes: twice, missing, wrong type.
const FIELD_CODES: [&str; 3] = [
    "feed_duplicate_field",
    "feed_missing_field",
    "feed_wrong_type",
];

impl FeedError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "feed_not_utf8",
        "feed_not_json",
        "feed_not_an_object",
        FIELD_CODES[0],
        FIELD_CODES[1],
        FIELD_CODES[2],
        "feed_unsupported_version",
        "feed_bad_generated_at",
    ];
}

impl Problem for FeedError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotUtf8 => "feed_not_utf8",
            Self::NotJson(_) => "feed_not_json",
            Self::NotAnObject => "feed_not_an_object",
            Self::Field(fault) => fault.code(&FIELD_CODES),
            Self::UnsupportedVersion(_) => "feed_unsupported_version",
            Self::BadGeneratedAt(_) => "feed_bad_generated_at",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::NotUtf8 | Self::NotAnObject => Vec::new(),
            Self::NotJson(e) => vec![e.line.to_string(), e.column.to_string()],
            Self::Field(fault) => fault.params(),
            Self::UnsupportedVersion(version) => {
                vec![version.to_string(), FEED_VERSION.to_string()]
            }
            Self::BadGeneratedAt(text) => vec![text.clone()],
        }
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("coupon feed refused: ")?;
        match self {
            Self::NotUtf8 => f.write_str("it is not UTF-8"),
            Self::NotJson(e) => write!(f, "it is not JSON: {e}"),
            Self::NotAnObject => f.write_str("it is not a JSON object"),
            Self::Field(FieldFault::WrongType { field, at }) => {
                let what = match *field {
                    "version" => "a whole number",
                    "coupons" => "a list",
                    _ => "a string",
                };
                write!(
                    f,
                    "{field} must be {what} (line {}, column {})",
                    at.line, at.column
                )
            }
            Self::Field(fault) => fault.fmt(f),
            Self::UnsupportedVersion(version) => write!(
                f,
                "version {version} is not supported (expected {FEED_VERSION})"
            ),
            Self::BadGeneratedAt(text) => {
                write!(f, "generated_at {} is not an RFC 3339 time", quoted(text))
            }
        }
    }
}

impl std::error::Error for FeedError {}

impl From<JsonError> for FeedError {
    fn from(error: JsonError) -> Self {
        Self::NotJson(error)
    }
}

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

/// Marks field `bit` (named `key`) as read: a field given twice refuses the whole feed, as a
/// document whose meaning is ambiguous (RFC 8259 leaves a repeated name's meaning open).
fn first_time(
    reader: &Reader<'_>,
    seen: &mut u32,
    bit: u32,
    key: &'static str,
) -> Result<(), FeedError> {
    if *seen & (1 << bit) != 0 {
        return Err(FeedError::Field(FieldFault::Twice {
            field: key,
            at: reader.position_in_text(),
        }));
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
fn read_coupon<'a>(reader: &mut Reader<'a>, raw: &mut RawCoupon<'a>) -> Result<(), FeedError> {
    let mut seen = 0;
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let Some(bit) = coupon_field(&key) else {
            reader.skip()?;
            continue;
        };
        let name = COUPON_FIELDS.get(bit as usize).copied().unwrap_or("");
        first_time(reader, &mut seen, bit, name)?;
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

fn read_discount<'a>(reader: &mut Reader<'a>) -> Result<RawDiscount<'a>, FeedError> {
    let mut raw = RawDiscount::default();
    let mut seen = 0;
    let mut open = reader.begin_object()?;
    while let Some(key) = reader.next_key(&mut open)? {
        let (bit, name, slot) = match &*key {
            "type" => (0, "type", &mut raw.kind),
            "amount" => (1, "amount", &mut raw.amount),
            "percent" => (2, "percent", &mut raw.percent),
            "max" => (3, "max", &mut raw.max),
            _ => {
                reader.skip()?;
                continue;
            }
        };
        first_time(reader, &mut seen, bit, name)?;
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
fn checked_feed(
    version: u64,
    generated_at: &str,
    checked: Checked,
    rates: Rates,
) -> Result<Feed, FeedError> {
    if version != FEED_VERSION {
        return Err(FeedError::UnsupportedVersion(version));
    }
    let generated_at = unix_seconds(generated_at)
        .map_err(|_| FeedError::BadGeneratedAt(clip(generated_at, 40)))?;
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
                refused.push(CouponProblem {
                    index: position as usize,
                    id: Some(coupon.id().to_owned()),
                    reason: CouponFault::DuplicateId,
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
        rates,
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
    fn read_one(
        &mut self,
        reader: &mut Reader<'_>,
        times: &mut Times,
        urls: &mut Urls,
    ) -> Result<(), FeedError> {
        let index = self.positions.len() + self.problems.len();
        let mut raw = RawCoupon::default();
        let (id, result) = match read_object_or(reader, |reader| read_coupon(reader, &mut raw))? {
            ObjectOr::Object(()) => {
                let id = match &raw.id {
                    Some(Loose::Str(id)) => Some(id.clone()),
                    _ => None,
                };
                (id, check_coupon(&mut raw, times, urls))
            }
            ObjectOr::Other => (None, Err(CouponFault::NotAnObject)),
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

/// Reads the coupon just read into its fields, taking them out of `raw`, and checks them
/// ([`check_fields`], the one check a snapshot's coupons pass too). What JSON alone can get
/// wrong (a type, a missing field, an unknown name) is found here; what a coupon's terms can
/// get wrong, there.
fn check_coupon(
    raw: &mut RawCoupon<'_>,
    times: &mut Times,
    urls: &mut Urls,
) -> Result<Coupon, CouponFault> {
    let id = trimmed(string(raw.id.take(), "id")?.ok_or(CouponFault::Missing("id"))?);
    let title = trimmed(string(raw.title.take(), "title")?.ok_or(CouponFault::Missing("title"))?);
    let product_ids = ids(raw.product_ids.take(), "product_ids")?;
    let category_ids = ids(raw.category_ids.take(), "category_ids")?;
    let scoped = !product_ids.is_empty() || !category_ids.is_empty();
    // The store id or the code, whichever the kind needs.
    let (kind, key) = match string(raw.kind.take(), "kind")?.as_deref() {
        Some("store") => (
            Kind::Store,
            trimmed(
                string(raw.store_id.take(), "store_id")?.ok_or(CouponFault::Missing("store_id"))?,
            ),
        ),
        Some("select") if scoped => return Err(CouponFault::ScopedOrderCoupon("select")),
        Some("code") if scoped => return Err(CouponFault::ScopedOrderCoupon("code")),
        Some("select") => (Kind::Select, Cow::Borrowed("")),
        Some("code") => (
            Kind::Code,
            trimmed(string(raw.code.take(), "code")?.ok_or(CouponFault::Missing("code"))?),
        ),
        Some(other) => return Err(CouponFault::UnknownKind(clip(other, 32))),
        None => return Err(CouponFault::Missing("kind")),
    };
    let currency_text =
        string(raw.currency.take(), "currency")?.ok_or(CouponFault::Missing("currency"))?;
    let currency = Currency::parse(&currency_text)
        .ok_or_else(|| CouponFault::UnknownCurrency(clip(&currency_text, 8)))?;
    let min_spend = amount(
        whole(raw.min_spend.take(), "min_spend")?.unwrap_or(0),
        "min_spend",
    )?;
    let discount = match raw.discount.take() {
        Some(ObjectOr::Object(d)) => discount(d)?,
        Some(ObjectOr::Other) => return Err(CouponFault::DiscountNotObject),
        None => return Err(CouponFault::Missing("discount")),
    };
    let countries = ids(raw.countries.take(), "countries")?
        .iter()
        .map(|c| match c.as_bytes() {
            &[a, b] => Ok([a, b]),
            _ => Err(CouponFault::BadCountry(clip(c, 8))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let starts_at =
        string(raw.starts_at.take(), "starts_at")?.ok_or(CouponFault::Missing("starts_at"))?;
    let starts_at = times
        .parse(&starts_at)
        .ok_or_else(|| CouponFault::BadTime {
            field: "starts_at",
            text: clip(&starts_at, 40),
        })?;
    let expires_at =
        string(raw.expires_at.take(), "expires_at")?.ok_or(CouponFault::Missing("expires_at"))?;
    let expires_at = times
        .parse(&expires_at)
        .ok_or_else(|| CouponFault::BadTime {
            field: "expires_at",
            text: clip(&expires_at, 40),
        })?;
    let new_users_only = match raw.new_users_only.take() {
        None | Some(Loose::Null) => false,
        Some(Loose::Bool(b)) => b,
        Some(_) => return Err(CouponFault::NotBoolean("new_users_only")),
    };
    let url = string(raw.url.take(), "url")?;
    // Scopes are rare: only they are copied into boxes of their own.
    let boxed = |ids: Vec<Cow<'_, str>>| -> Vec<Box<str>> {
        ids.into_iter().map(|id| trimmed(id).into()).collect()
    };
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
    let fields = CouponFields {
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
    };
    let url_checked = fields.url.is_some_and(|url| urls.good(url));
    check_fields(&fields, url_checked)?;
    Ok(Coupon::new(fields))
}

/// A text field trimmed of white space (the feed's values are read that way), borrowed from
/// the feed text when it can be: the coupon copies it once, into its own text.
fn trimmed(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(value) => Cow::Borrowed(value.trim()),
        Cow::Owned(value) if value.trim().len() == value.len() => Cow::Owned(value),
        Cow::Owned(value) => Cow::Owned(value.trim().to_owned()),
    }
}

/// An optional string field.
fn string<'a>(
    value: Option<Loose<'a>>,
    field: &'static str,
) -> Result<Option<Cow<'a, str>>, CouponFault> {
    match value {
        None | Some(Loose::Null) => Ok(None),
        Some(Loose::Str(s)) => Ok(Some(s)),
        Some(_) => Err(CouponFault::NotText(field)),
    }
}

/// An optional list of strings.
fn ids<'a>(
    value: Option<Loose<'a>>,
    field: &'static str,
) -> Result<Vec<Cow<'a, str>>, CouponFault> {
    match value {
        None | Some(Loose::Null) => Ok(Vec::new()),
        Some(Loose::List(items)) => items
            .into_iter()
            .map(|item| match item {
                Loose::Str(s) => Ok(s),
                _ => Err(CouponFault::NotList(field)),
            })
            .collect(),
        Some(_) => Err(CouponFault::NotList(field)),
    }
}

/// An optional whole number.
fn whole(value: Option<Loose<'_>>, field: &'static str) -> Result<Option<i64>, CouponFault> {
    match value {
        None | Some(Loose::Null) => Ok(None),
        Some(Loose::Int(n)) => Ok(Some(n)),
        Some(Loose::Huge) => Err(CouponFault::TooLarge(field)),
        Some(_) => Err(CouponFault::NotWholeNumber(field)),
    }
}

/// A whole number as minor units: never negative (the checks bound it above).
fn amount(value: i64, field: &'static str) -> Result<Minor, CouponFault> {
    Minor::try_from(value).map_err(|_| CouponFault::Negative(field))
}

fn discount(raw: RawDiscount<'_>) -> Result<Discount, CouponFault> {
    match string(raw.kind, "discount type")?.as_deref() {
        Some("fixed") => {
            let off = whole(raw.amount, "discount amount")?
                .ok_or(CouponFault::Missing("discount amount"))?;
            Ok(Discount::Fixed {
                amount: amount(off, "discount amount")?,
            })
        }
        Some("percent") => {
            let percent = whole(raw.percent, "percent")?.ok_or(CouponFault::Missing("percent"))?;
            let percent = u8::try_from(percent)
                .ok()
                .filter(|p| (1..=100).contains(p))
                .ok_or(CouponFault::PercentOutOfRange(percent))?;
            let max = whole(raw.max, "discount max")?
                .map(|m| amount(m, "discount max"))
                .transpose()?;
            Ok(Discount::Percent { percent, max })
        }
        Some(other) => Err(CouponFault::UnknownDiscountType(clip(other, 16))),
        None => Err(CouponFault::Missing("discount type")),
    }
}

/// The urls a feed's coupons link to, each checked once: a feed links thousands of coupons to
/// a few thousand store pages, and checking a url (classifying it as a link) was a third of
/// reading a 100,000-coupon feed.
#[derive(Default)]
pub(super) struct Urls {
    seen: Seen,
    checked: Vec<(Box<str>, bool)>,
}

impl Urls {
    /// Whether `url` is one the popup may show, worked out once per distinct url.
    fn good(&mut self, url: &str) -> bool {
        let next = u32::try_from(self.checked.len()).unwrap_or(u32::MAX);
        let checked = &self.checked;
        let same = |n: u32| checked.get(n as usize).is_some_and(|(u, _)| **u == *url);
        if let Some(n) = self.seen.find_or_add(id_hash(url), same, next) {
            return self.checked.get(n as usize).is_some_and(|(_, good)| *good);
        }
        let good = url_ok(url);
        self.checked.push((url.into(), good));
        good
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

    fn parse(&mut self, text: &str) -> Option<Timestamp> {
        if let Some((_, at)) = self.recent.iter().find(|(t, _)| t == text) {
            return Some(*at);
        }
        let at = unix_seconds(text).ok()?;
        if self.recent.len() == Self::REMEMBERED {
            self.recent.remove(0);
        }
        self.recent.push((text.to_owned(), at));
        Some(at)
    }
}

mod rates;
mod reading;
mod write;

pub use rates::{rates_json, read_rates_json, MAX_RATES_JSON_BYTES};
pub use reading::FeedReading;
pub use write::write_feed;

#[cfg(test)]
mod tests;
