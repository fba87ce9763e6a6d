//! A feed's coupons and their index in one flat binary form, written once when a signed feed has
//! been verified and read, and read back in place when the service worker starts again.
//!
//! Why: the worker is stopped after 30 s idle and must answer the popup's first message again
//! at once (the target: its coupons within 60 ms). Verifying and parsing a 100,000-coupon feed
//! takes hundreds of milliseconds in WASM, and even decoding every coupon and sorting the index
//! again took most of 100 ms. So the snapshot keeps fixed-size records, every distinct string
//! once, and the index as the feed's reading built it; opening one checks a checksum and the
//! layout, copies the index, and decodes nothing: a coupon is decoded when a cart looks at it.
//!
//! Why it is trusted no more than a feed: the bytes come back from storage, written by some
//! version of this code. The checksum, verified before anything is read, refuses damage
//! (truncation, a flipped bit, another format); and every coupon, as it is decoded, passes the
//! same checks a feed's coupons pass ([`check_fields`], one function for both), so that no
//! `javascript:` url, impossible date or 232 % discount is ever shown even from a snapshot whose
//! checksum is right. [`StoredCheck`] runs those checks over every coupon, and the index against
//! them, a bounded step at a time after the worker has answered: a fault anywhere refuses the
//! whole snapshot, and the worker reads the signed feed it keeps beside it instead.
//!
//! Why both, measured (100,000 coupons, 10 MB, V8 at the WASM's "z"): the checksum takes 1.7 ms
//! and checking every coupon 80 ms, so only the checksum runs before the first answer; the
//! coupons an answer looks at (a few dozen) are checked as they are decoded, and the rest after.

use std::fmt;
use std::sync::OnceLock;

use super::checks::{check_fields, clip, url_ok, CouponFault};
use super::feed::{rates_json, read_rates_json};
use super::index::{id_hash, store_hash, CouponIndex, Coupons, StoreGroup};
use super::seen::Seen;
use super::{Coupon, CouponFields, CouponKind, Discount, Timestamp};
use crate::money::{Currency, Rates};
use crate::problem::Problem;

/// The first bytes of a snapshot.
const MAGIC: &[u8; 6] = b"SSCOUP";
/// The layout's version: a snapshot of another is refused, not misread.
const VERSION: u16 = 3;
/// Bytes before the sections: magic and version, checksum, feed date, invalid count, coupon
/// count, then each section's offset and length.
const HEADER: usize = 32 + SECTIONS * 8;
/// The checksum covers every byte after it.
const CHECKED_FROM: usize = 16;
/// Bytes of one coupon's record.
const RECORD: usize = 36;
/// A string, list or url not given.
const NONE: u32 = u32::MAX;

/// The sections, in the order of the header's table.
const RECORDS: usize = 0;
/// Each distinct (starts_at, expires_at) pair: a feed has a handful.
const TIMES: usize = 1;
/// Every distinct text but the urls, each its length (LEB128) then its bytes; a record names
/// one by its offset.
const TEXT: usize = 2;
/// Every distinct url's end in `URL_TEXT`, so that each is checked once however many share it.
const URL_ENDS: usize = 3;
const URL_TEXT: usize = 4;
/// The coupons with products, categories or countries (few): their position and their lists'
/// offset in `LISTS`, by position.
const LISTED: usize = 5;
const LISTS: usize = 6;
const BY_STORE: usize = 7;
const STORES: usize = 8;
const ORDER_LEVEL: usize = 9;
const BY_PRODUCT: usize = 10;
/// The feed's exchange rates, as the feed's own `rates` value (a few hundred bytes of JSON):
/// Smart Search converts a price typed in another currency with them, after a restart too.
const RATES: usize = 11;
const SECTIONS: usize = 12;

const STORE: u8 = 0;
const SELECT: u8 = 1;
const CODE: u8 = 2;
const FIXED: u8 = 0;
const PERCENT: u8 = 1;
const CAPPED: u8 = 2;
const NEW_USERS_ONLY: u8 = 1;
/// The coupon has products, categories or countries (found in `LISTED`).
const LISTS_FLAG: u8 = 2;

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// It ends before its header does.
    TooShort,
    /// Its first bytes are not a snapshot's.
    NotASnapshot,
    /// A snapshot of another layout version (that version).
    OtherVersion(u16),
    /// Its checksum does not match its bytes: damaged, cut short or added to.
    ChecksumMismatch,
    /// A section lies outside its bytes, or the index it stores is out of order.
    BadLayout,
    /// The coupon at this position does not decode (an unknown kind, a string out of range,
    /// text that is not UTF-8).
    BadRecord(usize),
    /// The coupon at this position fails the checks a feed's coupons pass.
    BadCoupon {
        /// Its position.
        position: usize,
        /// What is wrong with it.
        fault: CouponFault,
    },
    /// The stored index does not match the coupon at this position.
    BadIndex(usize),
}

impl SnapshotError {
    /// Every code its [`Problem`] can have.
    pub const CODES: &'static [&'static str] = &[
        "snapshot_too_short",
        "snapshot_not_a_snapshot",
        "snapshot_other_version",
        "snapshot_checksum_mismatch",
        "snapshot_bad_layout",
        "snapshot_bad_record",
        "snapshot_bad_coupon",
        "snapshot_bad_index",
    ];
}

impl Problem for SnapshotError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "snapshot_too_short",
            Self::NotASnapshot => "snapshot_not_a_snapshot",
            Self::OtherVersion(_) => "snapshot_other_version",
            Self::ChecksumMismatch => "snapshot_checksum_mismatch",
            Self::BadLayout => "snapshot_bad_layout",
            Self::BadRecord(_) => "snapshot_bad_record",
            Self::BadCoupon { .. } => "snapshot_bad_coupon",
            Self::BadIndex(_) => "snapshot_bad_index",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::OtherVersion(version) => vec![version.to_string(), VERSION.to_string()],
            Self::BadRecord(position) | Self::BadIndex(position) => vec![position.to_string()],
            Self::BadCoupon { position, .. } => vec![position.to_string()],
            Self::TooShort | Self::NotASnapshot | Self::ChecksumMismatch | Self::BadLayout => {
                Vec::new()
            }
        }
    }
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stored coupons refused: ")?;
        match self {
            Self::TooShort => f.write_str("they end too soon"),
            Self::NotASnapshot => f.write_str("they are not a snapshot of coupons"),
            Self::OtherVersion(version) => {
                write!(f, "a snapshot of version {version}, not {VERSION}")
            }
            Self::ChecksumMismatch => f.write_str("the checksum does not match"),
            Self::BadLayout => f.write_str("their layout is broken"),
            Self::BadRecord(position) => write!(f, "coupon {position} does not decode"),
            Self::BadCoupon { position, fault } => write!(f, "coupon {position}: {fault}"),
            Self::BadIndex(position) => write!(f, "the index does not match coupon {position}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

/// The checksum of `bytes`: a multiply-rotate hash of each 8-byte word, then of the tail and
/// the length. Not a signature (whoever could write the snapshot could write its checksum):
/// it refuses damage, and the checks refuse the rest.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut hash = 0x5353_434F_5550_0002u64;
    // A word at a time through `first_chunk`, no iterator set-up nor copy call a word: in the
    // size-optimised WASM, `chunks_exact` with a copy took 10 ms over a 10 MB snapshot.
    let mut at = 0;
    while let Some(word) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        hash = (hash.rotate_left(23) ^ u64::from_le_bytes(*word)).wrapping_mul(K);
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    let mut last = [0u8; 8];
    if let Some(room) = last.get_mut(..tail.len()) {
        room.copy_from_slice(tail);
    }
    hash = (hash.rotate_left(23) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    (hash ^ bytes.len() as u64).wrapping_mul(K)
}

/// Reads fixed-size little-endian values at byte offsets, bounds-checked.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Where each section lies in the snapshot's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    sections: [(usize, usize); SECTIONS],
}

impl Layout {
    /// The bytes of section `which`.
    fn of<'b>(&self, bytes: &'b [u8], which: usize) -> &'b [u8] {
        let (start, len) = self.sections.get(which).copied().unwrap_or((0, 0));
        bytes.get(start..start + len).unwrap_or_default()
    }
}

/// What a snapshot's header says.
struct Header {
    generated_at: Timestamp,
    invalid: u32,
    count: usize,
    layout: Layout,
}

/// Reads and checks the header (magic, version, sizes), but not the checksum.
fn header(bytes: &[u8]) -> Result<Header, SnapshotError> {
    if bytes.len() < HEADER {
        return Err(SnapshotError::TooShort);
    }
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err(SnapshotError::NotASnapshot);
    }
    let version = bytes
        .get(6..8)
        .and_then(|v| v.try_into().ok())
        .map_or(0, u16::from_le_bytes);
    if version != VERSION {
        return Err(SnapshotError::OtherVersion(version));
    }
    let short = SnapshotError::TooShort;
    let generated_at = u64_at(bytes, 16).ok_or(short.clone())? as i64;
    let invalid = u32_at(bytes, 24).ok_or(short.clone())?;
    let count = u32_at(bytes, 28).ok_or(short.clone())? as usize;
    let mut sections = [(0, 0); SECTIONS];
    for (i, section) in sections.iter_mut().enumerate() {
        let start = u32_at(bytes, 32 + i * 8).ok_or(short.clone())? as usize;
        let len = u32_at(bytes, 36 + i * 8).ok_or(short.clone())? as usize;
        if start < HEADER || start.checked_add(len).is_none_or(|end| end > bytes.len()) {
            return Err(SnapshotError::BadLayout);
        }
        *section = (start, len);
    }
    let layout = Layout { sections };
    if layout.of(bytes, RECORDS).len() != count.saturating_mul(RECORD) {
        return Err(SnapshotError::BadLayout);
    }
    Ok(Header {
        generated_at,
        invalid,
        count,
        layout,
    })
}

/// A snapshot opened in steps: [`SnapshotOpening::step`] until it says it is open, then
/// [`SnapshotOpening::finish`]. The step verifies the checksum; finishing reads the layout and
/// the index (together a few milliseconds for 100,000 coupons).
pub struct SnapshotOpening {
    bytes: Vec<u8>,
    header: Header,
    checked: bool,
}

/// What a snapshot holds, opened: the feed's date, how many coupons it dropped, its exchange
/// rates, and its index.
#[derive(Debug)]
pub struct Snapshot {
    /// When the publisher made the feed.
    pub generated_at: Timestamp,
    /// Coupons of the feed that were invalid and dropped.
    pub invalid: u32,
    /// The feed's exchange rates ([`Rates::none`] when it carried none).
    pub rates: Rates,
    /// Its coupons, indexed, decoded as they are looked at.
    pub index: CouponIndex,
}

impl SnapshotOpening {
    /// Reads the header (a few bytes): a snapshot of another format is refused at once.
    pub fn new(bytes: Vec<u8>) -> Result<Self, SnapshotError> {
        let header = header(&bytes)?;
        Ok(Self {
            bytes,
            header,
            checked: false,
        })
    }

    /// Does the next step; true once the snapshot is open.
    pub fn step(&mut self) -> Result<bool, SnapshotError> {
        if !self.checked {
            let stored = u64_at(&self.bytes, 8).ok_or(SnapshotError::TooShort)?;
            let rest = self.bytes.get(CHECKED_FROM..).unwrap_or_default();
            if checksum(rest) != stored {
                return Err(SnapshotError::ChecksumMismatch);
            }
            self.checked = true;
        }
        // The checksum of 10 MB and the layout together take a few milliseconds: one step, so
        // that a restarted worker's first answer waits for one task less.
        Ok(true)
    }

    /// The snapshot, opened: its index read and its order checked (the coupons are decoded and
    /// checked as they are looked at, and all of them by [`StoredCheck`]).
    pub fn finish(self) -> Result<Snapshot, SnapshotError> {
        if !self.checked {
            return Err(SnapshotError::ChecksumMismatch);
        }
        let Header {
            generated_at,
            invalid,
            count,
            layout,
        } = self.header;
        let bytes = self.bytes.into_boxed_slice();
        let index = read_index(&bytes, layout, count)?;
        let rates = std::str::from_utf8(layout.of(&bytes, RATES))
            .ok()
            .and_then(|text| read_rates_json(text).ok())
            .ok_or(SnapshotError::BadLayout)?;
        let stored = StoredCoupons {
            cells: (0..count).map(|_| OnceLock::new()).collect(),
            bytes,
            layout,
            fault: OnceLock::new(),
        };
        Ok(Snapshot {
            generated_at,
            invalid,
            rates,
            index: CouponIndex {
                coupons: Coupons::Stored(Box::new(stored)),
                ..index
            },
        })
    }
}

/// Reads a snapshot in one go (the steps of [`SnapshotOpening`] run at once).
pub fn read_snapshot(bytes: Vec<u8>) -> Result<Snapshot, SnapshotError> {
    let mut opening = SnapshotOpening::new(bytes)?;
    while !opening.step()? {}
    opening.finish()
}

/// `section` as little-endian `u32`s, if its length is a multiple of four.
fn words(section: &[u8]) -> Result<impl Iterator<Item = u32> + '_, SnapshotError> {
    if section.len() % 4 != 0 {
        return Err(SnapshotError::BadLayout);
    }
    Ok(section
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes(w.try_into().unwrap_or_default())))
}

/// The index the snapshot stores, copied out and checked for order and bounds: store groups
/// by strictly rising hash, covering `by_store` end to end, each group's positions rising, and
/// every position a coupon's. (That each coupon is where the index says is checked with the
/// coupons, by [`StoredCheck`].)
fn read_index(bytes: &[u8], layout: Layout, count: usize) -> Result<CouponIndex, SnapshotError> {
    let bad = || SnapshotError::BadLayout;
    let in_range = |p: u32| (p as usize) < count;
    let by_store: Box<[u32]> = words(layout.of(bytes, BY_STORE))?.collect();
    let groups = layout.of(bytes, STORES);
    if groups.len() % 16 != 0 {
        return Err(bad());
    }
    let mut stores = Vec::with_capacity(groups.len() / 16);
    let mut covered = 0u32;
    for entry in groups.chunks_exact(16) {
        let hash = u64_at(entry, 0).ok_or_else(bad)?;
        let (start, end) = (
            u32_at(entry, 8).ok_or_else(bad)?,
            u32_at(entry, 12).ok_or_else(bad)?,
        );
        let rising = stores.last().is_none_or(|g: &StoreGroup| g.hash < hash);
        if !rising || start != covered || end <= start {
            return Err(bad());
        }
        let group = by_store.get(start as usize..end as usize).ok_or_else(bad)?;
        if !group.is_sorted_by(|a, b| a < b) || !group.iter().all(|p| in_range(*p)) {
            return Err(bad());
        }
        covered = end;
        stores.push(StoreGroup { hash, start, end });
    }
    if covered as usize != by_store.len() {
        return Err(bad());
    }
    // [currencies, then for each: its code, how many, the positions].
    let mut order = words(layout.of(bytes, ORDER_LEVEL))?;
    let currencies = order.next().unwrap_or(0);
    let mut order_level = Vec::new();
    for _ in 0..currencies.min(count as u32 + 1) {
        let [a, b, c, _] = order.next().ok_or_else(bad)?.to_le_bytes();
        let currency = Currency::from_bytes([a, b, c]).ok_or_else(bad)?;
        let n = order.next().ok_or_else(bad)? as usize;
        let positions: Box<[u32]> = order.by_ref().take(n).collect();
        let rising = positions.is_sorted_by(|a, b| a < b);
        if positions.len() != n || !rising || !positions.iter().all(|p| in_range(*p)) {
            return Err(bad());
        }
        order_level.push((currency, positions));
    }
    if order.next().is_some() {
        return Err(bad());
    }
    let products = layout.of(bytes, BY_PRODUCT);
    if products.len() % 16 != 0 {
        return Err(bad());
    }
    let mut by_product: Vec<(u64, u32)> = Vec::with_capacity(products.len() / 16);
    for entry in products.chunks_exact(16) {
        let pair = (
            u64_at(entry, 0).ok_or_else(bad)?,
            u32_at(entry, 8).ok_or_else(bad)?,
        );
        if by_product.last().is_some_and(|last| *last >= pair) || !in_range(pair.1) {
            return Err(bad());
        }
        by_product.push(pair);
    }
    Ok(CouponIndex {
        coupons: Coupons::default(),
        by_store,
        stores: stores.into_boxed_slice(),
        order_level: order_level.into_boxed_slice(),
        by_product: by_product.into_boxed_slice(),
    })
}

/// A snapshot's coupons: its bytes, and each coupon once decoded and checked.
pub(crate) struct StoredCoupons {
    bytes: Box<[u8]>,
    layout: Layout,
    /// Each coupon, once looked at: decoded and checked, or `None` if it failed.
    cells: Box<[OnceLock<Option<Box<Coupon>>>]>,
    /// The first fault a coupon looked at showed.
    fault: OnceLock<SnapshotError>,
}

impl fmt::Debug for StoredCoupons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredCoupons")
            .field("bytes", &self.bytes.len())
            .field("coupons", &self.cells.len())
            .field("fault", &self.fault.get())
            .finish()
    }
}

/// One coupon's record, its fields read (not yet checked).
struct Record<'b> {
    kind: u8,
    discount: Discount,
    flags: u8,
    currency: [u8; 3],
    min_spend: u64,
    starts_at: Timestamp,
    expires_at: Timestamp,
    id: &'b str,
    title: &'b str,
    key: Option<&'b str>,
    url: Option<&'b str>,
    /// Its number among the urls, to check a shared url once.
    url_index: u32,
    products: Vec<Box<str>>,
    categories: Vec<Box<str>>,
    countries: Vec<[u8; 2]>,
}

impl StoredCoupons {
    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }

    pub(crate) fn fault(&self) -> Option<&SnapshotError> {
        self.fault.get()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        let decoded: usize = self
            .cells
            .iter()
            .filter_map(|cell| cell.get()?.as_deref())
            .map(|c| size_of::<Coupon>() + c.heap_bytes())
            .sum();
        self.bytes.len() + size_of_val(&*self.cells) + decoded
    }

    /// The coupon at `position`, decoded and checked the first time it is asked for; `None`
    /// if it fails (and the fault is kept).
    pub(crate) fn get(&self, position: usize) -> Option<&Coupon> {
        let cell = self.cells.get(position)?;
        cell.get_or_init(|| match self.decode(position, None) {
            Ok(coupon) => Some(Box::new(coupon)),
            Err(error) => {
                let _ = self.fault.set(error);
                None
            }
        })
        .as_deref()
    }

    /// The text at `offset` of the text section: its length, then its bytes.
    fn string(&self, offset: u32) -> Option<&str> {
        let text = self.layout.of(&self.bytes, TEXT);
        let mut at = offset as usize;
        let mut len = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = *text.get(at)?;
            at += 1;
            len |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return std::str::from_utf8(text.get(at..at.checked_add(len)?)?).ok();
            }
        }
        None
    }

    /// The url numbered `index`.
    fn url(&self, index: u32) -> Option<&str> {
        let ends = self.layout.of(&self.bytes, URL_ENDS);
        let text = self.layout.of(&self.bytes, URL_TEXT);
        let at = index as usize * 4;
        let end = u32_at(ends, at)? as usize;
        let start = match at.checked_sub(4) {
            Some(before) => u32_at(ends, before)? as usize,
            None => 0,
        };
        std::str::from_utf8(text.get(start..end)?).ok()
    }

    /// The (starts_at, expires_at) pair numbered `index`.
    fn times(&self, index: u32) -> Option<(Timestamp, Timestamp)> {
        let times = self.layout.of(&self.bytes, TIMES);
        let at = index as usize * 16;
        Some((u64_at(times, at)? as i64, u64_at(times, at + 8)? as i64))
    }

    /// Where the lists of the coupon at `position` start in `LISTS`, if it has any.
    fn lists_of(&self, position: usize) -> Option<usize> {
        let listed = self.layout.of(&self.bytes, LISTED);
        let entries = listed.len() / 8;
        let at = u32::try_from(position).ok()?;
        // Binary search over (position, offset) pairs, by position.
        let (mut low, mut high) = (0, entries);
        while low < high {
            let middle = low + (high - low) / 2;
            match u32_at(listed, middle * 8)?.cmp(&at) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(u32_at(listed, middle * 8 + 4)? as usize),
            }
        }
        None
    }

    /// Reads the record at `position`.
    fn record(&self, position: usize) -> Option<Record<'_>> {
        let records = self.layout.of(&self.bytes, RECORDS);
        let r = records.get(position * RECORD..(position + 1) * RECORD)?;
        let field = |at: usize| u32_at(r, at);
        let optional = |index: u32| match index {
            NONE => Some(None),
            index => self.string(index).map(Some),
        };
        let (kind, shape, percent, flags) = (*r.first()?, *r.get(1)?, *r.get(2)?, *r.get(3)?);
        let value = u64::from(field(12)?);
        let discount = match shape {
            FIXED => Discount::Fixed { amount: value },
            PERCENT => Discount::Percent { percent, max: None },
            CAPPED => Discount::Percent {
                percent,
                max: Some(value),
            },
            _ => return None,
        };
        let url_index = field(32)?;
        let (starts_at, expires_at) = self.times(field(16)?)?;
        let mut record = Record {
            kind,
            discount,
            flags,
            currency: [*r.get(4)?, *r.get(5)?, *r.get(6)?],
            min_spend: u64::from(field(8)?),
            starts_at,
            expires_at,
            id: self.string(field(20)?)?,
            title: self.string(field(24)?)?,
            key: optional(field(28)?)?,
            url: match url_index {
                NONE => None,
                index => Some(self.url(index)?),
            },
            url_index,
            products: Vec::new(),
            categories: Vec::new(),
            countries: Vec::new(),
        };
        if flags & LISTS_FLAG != 0 {
            // [products, their texts..., categories, their texts..., countries, 2 bytes each].
            let section = self.layout.of(&self.bytes, LISTS);
            let mut at = self.lists_of(position)?;
            let mut next = || {
                let word = u32_at(section, at);
                at += 4;
                word
            };
            for list in [&mut record.products, &mut record.categories] {
                let n = next()?;
                for _ in 0..n.min(section.len() as u32) {
                    list.push(self.string(next()?)?.into());
                }
            }
            let n = next()?;
            for _ in 0..n.min(section.len() as u32) {
                let [a, b, _, _] = next()?.to_le_bytes();
                record.countries.push([a, b]);
            }
        }
        Some(record)
    }

    /// The coupon at `position`, decoded and checked as a feed's are. `urls` remembers the
    /// urls already found good, by string (a whole check looks at each shared url once).
    fn decode(&self, position: usize, urls: Option<&mut Vec<u8>>) -> Result<Coupon, SnapshotError> {
        let r = self
            .record(position)
            .ok_or(SnapshotError::BadRecord(position))?;
        let bad = |fault| SnapshotError::BadCoupon { position, fault };
        let currency = Currency::from_bytes(r.currency).ok_or_else(|| {
            bad(CouponFault::UnknownCurrency(clip(
                &String::from_utf8_lossy(&r.currency),
                8,
            )))
        })?;
        let scoped = !r.products.is_empty() || !r.categories.is_empty();
        let kind = match (r.kind, r.key) {
            (STORE, Some(store_id)) => CouponKind::Store {
                store_id,
                product_ids: &r.products,
                category_ids: &r.categories,
            },
            (SELECT | CODE, _) if scoped => {
                let kind = if r.kind == SELECT { "select" } else { "code" };
                return Err(bad(CouponFault::ScopedOrderCoupon(kind)));
            }
            (SELECT, None) => CouponKind::Select,
            (CODE, Some(code)) => CouponKind::Code { code },
            (STORE, None) => return Err(bad(CouponFault::Missing("store_id"))),
            (CODE, None) => return Err(bad(CouponFault::Missing("code"))),
            _ => return Err(SnapshotError::BadRecord(position)),
        };
        let fields = CouponFields {
            id: r.id,
            kind,
            title: r.title,
            currency,
            min_spend: r.min_spend,
            discount: r.discount,
            countries: &r.countries,
            starts_at: r.starts_at,
            expires_at: r.expires_at,
            new_users_only: r.flags & NEW_USERS_ONLY != 0,
            url: r.url,
        };
        // A url shared by many coupons is checked once: 0 not yet, 1 good, 2 bad.
        let mut url_checked = false;
        if let (Some(url), Some(urls)) = (r.url, urls) {
            let at = r.url_index as usize;
            if urls.len() <= at {
                urls.resize(at + 1, 0);
            }
            if let Some(known) = urls.get_mut(at) {
                if *known == 0 {
                    *known = if url_ok(url) { 1 } else { 2 };
                }
                if *known == 2 {
                    return Err(bad(CouponFault::BadUrl));
                }
                url_checked = true;
            }
        }
        check_fields(&fields, url_checked).map_err(bad)?;
        Ok(Coupon::new(fields))
    }
}

/// Every coupon of an opened snapshot checked, and the index against them, a bounded number of
/// coupons a step: a restarted worker runs it after answering its first messages. Coupons a
/// cart looks at are checked before that anyway; this finds a fault in the others.
#[derive(Debug, Default)]
pub struct StoredCheck {
    next: usize,
    /// Per url: 0 not checked yet, 1 good, 2 bad.
    urls: Vec<u8>,
    /// Product hashes the coupons named, to hold against the stored product index.
    products: usize,
}

impl StoredCheck {
    /// A check from the first coupon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks up to `coupons` more coupons of `index`; true once every one is. An index read
    /// from a feed has nothing to check.
    pub fn step(&mut self, index: &CouponIndex, coupons: usize) -> Result<bool, SnapshotError> {
        let Coupons::Stored(stored) = &index.coupons else {
            return Ok(true);
        };
        let end = stored.len().min(self.next.saturating_add(coupons));
        for position in self.next..end {
            let coupon = stored.decode(position, Some(&mut self.urls))?;
            self.products += check_indexed(index, &coupon, position)?;
        }
        self.next = end;
        if end < stored.len() {
            return Ok(false);
        }
        // Every coupon was found where the index says; with the counts equal, the index holds
        // nothing else.
        let order_level: usize = index.order_level.iter().map(|(_, p)| p.len()).sum();
        if index.by_store.len() + order_level != stored.len()
            || self.products != index.by_product.len()
        {
            return Err(SnapshotError::BadIndex(stored.len()));
        }
        Ok(true)
    }
}

/// Whether `coupon` at `position` is where the index says: a store coupon in its store's group,
/// another kind among its currency's, and under each product it names. The products counted.
fn check_indexed(
    index: &CouponIndex,
    coupon: &Coupon,
    position: usize,
) -> Result<usize, SnapshotError> {
    let missing = SnapshotError::BadIndex(position);
    let at = u32::try_from(position).map_err(|_| missing.clone())?;
    let found = match coupon.kind() {
        CouponKind::Store { store_id, .. } => {
            let hash = store_hash(store_id);
            index
                .stores
                .binary_search_by_key(&hash, |group| group.hash)
                .ok()
                .and_then(|g| index.stores.get(g))
                .and_then(|g| index.by_store.get(g.start as usize..g.end as usize))
                .is_some_and(|group| group.binary_search(&at).is_ok())
        }
        CouponKind::Select | CouponKind::Code { .. } => index
            .order_level
            .iter()
            .find(|(currency, _)| *currency == coupon.currency())
            .is_some_and(|(_, positions)| positions.binary_search(&at).is_ok()),
    };
    if !found {
        return Err(missing);
    }
    let mut products: Vec<u64> = match coupon.kind() {
        CouponKind::Store { product_ids, .. } => product_ids.iter().map(|p| id_hash(p)).collect(),
        _ => Vec::new(),
    };
    products.sort_unstable();
    products.dedup();
    for hash in &products {
        if index.by_product.binary_search(&(*hash, at)).is_err() {
            return Err(missing);
        }
    }
    Ok(products.len())
}

/// Texts written once each: where each starts in the text section (its length, then its bytes).
#[derive(Default)]
struct Texts<'a> {
    seen: Seen,
    /// Each distinct text and where it starts.
    written: Vec<(&'a str, u32)>,
    bytes: Vec<u8>,
}

impl<'a> Texts<'a> {
    fn add(&mut self, text: &'a str) -> u32 {
        let next = u32::try_from(self.written.len()).unwrap_or(NONE);
        let written = &self.written;
        let same = |n: u32| written.get(n as usize).is_some_and(|(t, _)| *t == text);
        if let Some(n) = self.seen.find_or_add(id_hash(text), same, next) {
            return self.written.get(n as usize).map_or(NONE, |(_, at)| *at);
        }
        let at = u32::try_from(self.bytes.len()).unwrap_or(NONE);
        let mut len = text.len();
        loop {
            let byte = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
        self.bytes.extend_from_slice(text.as_bytes());
        self.written.push((text, at));
        at
    }
}

/// Urls written once each, numbered, with where each ends.
#[derive(Default)]
struct Urls<'a> {
    seen: Seen,
    written: Vec<&'a str>,
    ends: Vec<u8>,
    text: Vec<u8>,
}

impl<'a> Urls<'a> {
    fn add(&mut self, url: &'a str) -> u32 {
        let next = u32::try_from(self.written.len()).unwrap_or(NONE);
        let written = &self.written;
        let same = |n: u32| written.get(n as usize) == Some(&url);
        if let Some(n) = self.seen.find_or_add(id_hash(url), same, next) {
            return n;
        }
        self.text.extend_from_slice(url.as_bytes());
        let end = u32::try_from(self.text.len()).unwrap_or(NONE);
        self.ends.extend_from_slice(&end.to_le_bytes());
        self.written.push(url);
        next
    }
}

/// Writes the coupons of `index` and the index itself as a snapshot, with the facts of the feed
/// they came from (its date, the coupons it dropped, its rates). A snapshot's own coupons are
/// written back as they were stored, rates and all.
pub fn write_snapshot(
    index: &CouponIndex,
    generated_at: Timestamp,
    invalid: u32,
    rates: &Rates,
) -> Vec<u8> {
    let coupons = match &index.coupons {
        Coupons::Stored(stored) => return stored.bytes.to_vec(),
        Coupons::Read(coupons) => coupons,
    };
    let mut records = Vec::with_capacity(coupons.len() * RECORD);
    let mut texts = Texts::default();
    let mut urls = Urls::default();
    let mut times: Vec<(Timestamp, Timestamp)> = Vec::new();
    let mut seen_times = Seen::default();
    let mut listed: Vec<u8> = Vec::new();
    let mut lists: Vec<u8> = Vec::new();
    // Amounts past u32 are no feed's (the checks stop at a billion): written as the most a
    // record holds, which the checks then refuse.
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    for (position, coupon) in coupons.iter().enumerate() {
        let f = coupon.fields();
        let (kind, key, products, categories) = match f.kind {
            CouponKind::Store {
                store_id,
                product_ids,
                category_ids,
            } => (STORE, Some(store_id), product_ids, category_ids),
            CouponKind::Select => (SELECT, None, &[][..], &[][..]),
            CouponKind::Code { code } => (CODE, Some(code), &[][..], &[][..]),
        };
        let (shape, percent, value) = match f.discount {
            Discount::Fixed { amount } => (FIXED, 0, amount),
            Discount::Percent { percent, max: None } => (PERCENT, percent, 0),
            Discount::Percent {
                percent,
                max: Some(max),
            } => (CAPPED, percent, max),
        };
        let mut flags = if f.new_users_only { NEW_USERS_ONLY } else { 0 };
        if !products.is_empty() || !categories.is_empty() || !f.countries.is_empty() {
            flags |= LISTS_FLAG;
            listed.extend_from_slice(&small(position as u64).to_le_bytes());
            listed.extend_from_slice(&small(lists.len() as u64).to_le_bytes());
            for list in [products, categories] {
                lists.extend_from_slice(&small(list.len() as u64).to_le_bytes());
                for item in list {
                    lists.extend_from_slice(&texts.add(item).to_le_bytes());
                }
            }
            lists.extend_from_slice(&small(f.countries.len() as u64).to_le_bytes());
            for [a, b] in f.countries {
                lists.extend_from_slice(&[*a, *b, 0, 0]);
            }
        }
        let pair = (f.starts_at, f.expires_at);
        let next = small(times.len() as u64);
        let hash =
            (pair.0 as u64).rotate_left(32) ^ (pair.1 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let same = |n: u32| times.get(n as usize) == Some(&pair);
        let time = match seen_times.find_or_add(hash, same, next) {
            Some(n) => n,
            None => {
                times.push(pair);
                next
            }
        };
        records.extend_from_slice(&[kind, shape, percent, flags]);
        records.extend_from_slice(&f.currency.bytes());
        records.push(0);
        for word in [
            small(f.min_spend),
            small(value),
            time,
            texts.add(f.id),
            texts.add(f.title),
            key.map_or(NONE, |key| texts.add(key)),
            f.url.map_or(NONE, |url| urls.add(url)),
        ] {
            records.extend_from_slice(&word.to_le_bytes());
        }
    }
    let mut sections: [Vec<u8>; SECTIONS] = Default::default();
    sections[RECORDS] = records;
    sections[TIMES] = times
        .iter()
        .flat_map(|(starts, expires)| [starts.to_le_bytes(), expires.to_le_bytes()])
        .flatten()
        .collect();
    sections[TEXT] = std::mem::take(&mut texts.bytes);
    sections[URL_ENDS] = std::mem::take(&mut urls.ends);
    sections[URL_TEXT] = std::mem::take(&mut urls.text);
    sections[LISTED] = listed;
    sections[LISTS] = lists;
    sections[BY_STORE] = index
        .by_store
        .iter()
        .flat_map(|p| p.to_le_bytes())
        .collect();
    sections[STORES] = index
        .stores
        .iter()
        .flat_map(|g| {
            let mut entry = g.hash.to_le_bytes().to_vec();
            entry.extend_from_slice(&g.start.to_le_bytes());
            entry.extend_from_slice(&g.end.to_le_bytes());
            entry
        })
        .collect();
    let mut order = small(index.order_level.len() as u64).to_le_bytes().to_vec();
    for (currency, positions) in index.order_level.iter() {
        let [a, b, c] = currency.bytes();
        order.extend_from_slice(&[a, b, c, 0]);
        order.extend_from_slice(&small(positions.len() as u64).to_le_bytes());
        order.extend(positions.iter().flat_map(|p| p.to_le_bytes()));
    }
    sections[ORDER_LEVEL] = order;
    sections[BY_PRODUCT] = index
        .by_product
        .iter()
        .flat_map(|(hash, p)| {
            let mut entry = hash.to_le_bytes().to_vec();
            entry.extend_from_slice(&p.to_le_bytes());
            entry.extend_from_slice(&[0; 4]);
            entry
        })
        .collect();
    sections[RATES] = rates_json(rates).into_bytes();

    let total = HEADER
        + sections
            .iter()
            .map(|s| s.len().next_multiple_of(8))
            .sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&generated_at.to_le_bytes());
    out.extend_from_slice(&invalid.to_le_bytes());
    out.extend_from_slice(&small(coupons.len() as u64).to_le_bytes());
    let mut at = HEADER;
    for section in &sections {
        out.extend_from_slice(&small(at as u64).to_le_bytes());
        out.extend_from_slice(&small(section.len() as u64).to_le_bytes());
        at += section.len().next_multiple_of(8);
    }
    for section in &sections {
        out.extend_from_slice(section);
        out.resize(out.len().next_multiple_of(8), 0);
    }
    let sum = checksum(out.get(CHECKED_FROM..).unwrap_or_default());
    if let Some(slot) = out.get_mut(8..16) {
        slot.copy_from_slice(&sum.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests;
