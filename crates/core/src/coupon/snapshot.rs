//! A feed's coupons in a compact binary form, written once when a signed feed has been verified
//! and read, and read back when the service worker starts again.
//!
//! Why: the worker is stopped after 30 s idle and must have its coupons again at once on the
//! next event. Verifying and parsing a 100,000-coupon feed takes hundreds of milliseconds in
//! WASM; reading this form back is a few copies. It is only ever written by this code from a
//! feed that verified, and stored where only the extension can write (Cache Storage of its own
//! origin), so it is not signed again; it is still read defensively (every length checked,
//! text checked as UTF-8, a format tag and version first), and any fault is an error the worker
//! answers by rebuilding from the signed envelope it keeps beside it.

use std::borrow::Cow;
use std::fmt;

use super::{Coupon, CouponFields, CouponKind, Discount, Timestamp};
use crate::money::Currency;

/// The first bytes of a snapshot, with the format version: a different build's snapshot is
/// refused, not misread.
const MAGIC: &[u8; 8] = b"SSCOUP\x00\x01";

/// Why a snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError(pub &'static str);

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stored coupons unreadable: {}", self.0)
    }
}

impl std::error::Error for SnapshotError {}

/// What a snapshot holds: the feed's date, how many coupons it dropped, and its coupons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// When the publisher made the feed.
    pub generated_at: Timestamp,
    /// Coupons of the feed that were invalid and dropped.
    pub invalid: u32,
    /// The valid coupons, in feed order.
    pub coupons: Vec<Coupon>,
}

const STORE: u8 = 0;
const SELECT: u8 = 1;
const CODE: u8 = 2;
const FIXED: u8 = 0;
const PERCENT: u8 = 1;
const CAPPED: u8 = 2;

fn put_text(out: &mut Vec<u8>, text: &str) {
    // Coupon text is at most MAX_COUPON_TEXT bytes (16 KiB); a scope list far fewer entries.
    out.extend_from_slice(&u32::try_from(text.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn put_list(out: &mut Vec<u8>, list: &[Box<str>]) {
    out.extend_from_slice(&u32::try_from(list.len()).unwrap_or(0).to_le_bytes());
    for item in list {
        put_text(out, item);
    }
}

/// Writes coupons and their feed's facts as a snapshot.
pub fn write_snapshot<'a>(
    generated_at: Timestamp,
    invalid: u32,
    coupons: impl ExactSizeIterator<Item = &'a Coupon>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + coupons.len() * 96);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&generated_at.to_le_bytes());
    out.extend_from_slice(&invalid.to_le_bytes());
    out.extend_from_slice(&u32::try_from(coupons.len()).unwrap_or(0).to_le_bytes());
    for coupon in coupons {
        let f = coupon.fields();
        let (kind, key, products, categories) = match f.kind {
            CouponKind::Store {
                store_id,
                product_ids,
                category_ids,
            } => (STORE, store_id, product_ids, category_ids),
            CouponKind::Select => (SELECT, "", &[][..], &[][..]),
            CouponKind::Code { code } => (CODE, code, &[][..], &[][..]),
        };
        let (shape, percent, value) = match f.discount {
            Discount::Fixed { amount } => (FIXED, 0, amount),
            Discount::Percent { percent, max: None } => (PERCENT, percent, 0),
            Discount::Percent {
                percent,
                max: Some(max),
            } => (CAPPED, percent, max),
        };
        out.push(kind);
        out.extend_from_slice(&f.currency.bytes());
        out.extend_from_slice(&f.min_spend.to_le_bytes());
        out.push(shape);
        out.push(percent);
        out.extend_from_slice(&value.to_le_bytes());
        out.extend_from_slice(&f.starts_at.to_le_bytes());
        out.extend_from_slice(&f.expires_at.to_le_bytes());
        out.push(u8::from(f.new_users_only));
        out.push(u8::try_from(f.countries.len()).unwrap_or(0));
        for country in f.countries.iter().take(usize::from(u8::MAX)) {
            out.extend_from_slice(country);
        }
        put_text(&mut out, f.id);
        put_text(&mut out, f.title);
        put_text(&mut out, key);
        match f.url {
            Some(url) => {
                out.push(1);
                put_text(&mut out, url);
            }
            None => out.push(0),
        }
        put_list(&mut out, products);
        put_list(&mut out, categories);
    }
    out
}

/// A cursor over snapshot bytes: every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

const SHORT: SnapshotError = SnapshotError("it ends too soon");

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        let (head, rest) = self.bytes.split_at_checked(n).ok_or(SHORT)?;
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        self.take(N)?.try_into().map_err(|_| SHORT)
    }

    fn byte(&mut self) -> Result<u8, SnapshotError> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, SnapshotError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn i64(&mut self) -> Result<i64, SnapshotError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    fn len(&mut self) -> Result<usize, SnapshotError> {
        usize::try_from(self.u32()?).map_err(|_| SHORT)
    }

    fn text(&mut self) -> Result<&'a str, SnapshotError> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| SnapshotError("text is not UTF-8"))
    }

    fn list(&mut self) -> Result<Vec<Box<str>>, SnapshotError> {
        let n = self.len()?;
        // Each entry takes at least its 4-byte length: a count beyond that is a lie.
        if n > self.bytes.len() / 4 {
            return Err(SHORT);
        }
        (0..n).map(|_| self.text().map(Box::from)).collect()
    }
}

/// Reads a snapshot [`write_snapshot`] wrote.
pub fn read_snapshot(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    let mut reading = SnapshotReading::new(Cow::Borrowed(bytes))?;
    while !reading.step(usize::MAX)? {}
    Ok(reading.finish())
}

/// A snapshot being read a number of coupons at a time, so that a restarted service worker
/// answers pages between the steps; [`read_snapshot`] is this in one step.
pub struct SnapshotReading<'b> {
    bytes: Cow<'b, [u8]>,
    /// Bytes read so far.
    at: usize,
    left: usize,
    generated_at: Timestamp,
    invalid: u32,
    coupons: Vec<Coupon>,
}

impl<'b> SnapshotReading<'b> {
    /// Reads the snapshot's header; its coupons are read by [`SnapshotReading::step`].
    pub fn new(bytes: Cow<'b, [u8]>) -> Result<Self, SnapshotError> {
        let mut r = Reader { bytes: &bytes };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(SnapshotError("not a snapshot of this version"));
        }
        let generated_at = r.i64()?;
        let invalid = r.u32()?;
        let count = r.len()?;
        // A coupon takes at least 60 bytes: a count beyond that is a lie, not an allocation to make.
        if count > r.bytes.len() / 60 {
            return Err(SHORT);
        }
        let at = bytes.len() - r.bytes.len();
        Ok(Self {
            bytes,
            at,
            left: count,
            generated_at,
            invalid,
            coupons: Vec::with_capacity(count),
        })
    }

    /// Reads at most `coupons` more coupons; true once all are read and nothing is left over.
    pub fn step(&mut self, coupons: usize) -> Result<bool, SnapshotError> {
        let mut r = Reader {
            bytes: self.bytes.get(self.at..).unwrap_or_default(),
        };
        let now = coupons.min(self.left);
        for _ in 0..now {
            self.coupons.push(read_coupon(&mut r)?);
        }
        self.left -= now;
        self.at = self.bytes.len() - r.bytes.len();
        if self.left > 0 {
            return Ok(false);
        }
        if !r.bytes.is_empty() {
            return Err(SnapshotError("bytes left over"));
        }
        Ok(true)
    }

    /// What the snapshot holds, once a step said all of it is read.
    pub fn finish(self) -> Snapshot {
        Snapshot {
            generated_at: self.generated_at,
            invalid: self.invalid,
            coupons: self.coupons,
        }
    }
}

fn read_coupon(r: &mut Reader<'_>) -> Result<Coupon, SnapshotError> {
    let kind = r.byte()?;
    let currency =
        Currency::from_bytes(r.array::<3>()?).ok_or(SnapshotError("unknown currency"))?;
    let min_spend = r.u64()?;
    let (shape, percent, value) = (r.byte()?, r.byte()?, r.u64()?);
    let discount = match shape {
        FIXED => Discount::Fixed { amount: value },
        PERCENT => Discount::Percent { percent, max: None },
        CAPPED => Discount::Percent {
            percent,
            max: Some(value),
        },
        _ => return Err(SnapshotError("unknown discount")),
    };
    let starts_at = r.i64()?;
    let expires_at = r.i64()?;
    let new_users_only = r.byte()? == 1;
    let countries: Vec<[u8; 2]> = (0..r.byte()?)
        .map(|_| r.array::<2>())
        .collect::<Result<_, _>>()?;
    let id = r.text()?;
    let title = r.text()?;
    let key = r.text()?;
    let url = match r.byte()? {
        0 => None,
        _ => Some(r.text()?),
    };
    let products = r.list()?;
    let categories = r.list()?;
    let kind = match kind {
        STORE => CouponKind::Store {
            store_id: key,
            product_ids: &products,
            category_ids: &categories,
        },
        SELECT => CouponKind::Select,
        CODE => CouponKind::Code { code: key },
        _ => return Err(SnapshotError("unknown coupon kind")),
    };
    Ok(Coupon::new(CouponFields {
        id,
        kind,
        title,
        currency,
        min_spend,
        discount,
        countries: &countries,
        starts_at,
        expires_at,
        new_users_only,
        url,
    }))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::coupon::parse_feed;

    const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [
        {"id": "st-1", "kind": "store", "title": "US $3 off US $20 — ünïcødé", "store_id": "912345", "product_ids": ["1005001234567890"],
         "category_ids": ["44", "63705"], "currency": "USD", "min_spend": 2000, "discount": {"type": "fixed", "amount": 300},
         "countries": ["US", "CA"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z",
         "url": "https://www.aliexpress.com/store/912345"},
        {"id": "sel-1", "kind": "select", "title": "15%", "currency": "EUR", "min_spend": 0,
         "discount": {"type": "percent", "percent": 15, "max": 1000}, "starts_at": "2026-11-01T00:00:00Z",
         "expires_at": "2026-12-01T00:00:00Z", "new_users_only": true},
        {"id": "code-1", "kind": "code", "title": "Code", "code": "SAVE2", "currency": "JPY", "min_spend": 1500,
         "discount": {"type": "percent", "percent": 5}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}
    ]}"#;

    #[test]
    fn round_trip() {
        let feed = parse_feed(FEED).expect("feed");
        let bytes = write_snapshot(feed.generated_at, 7, feed.coupons.iter());
        let back = read_snapshot(&bytes).expect("snapshot");
        assert_eq!(back.generated_at, feed.generated_at);
        assert_eq!(back.invalid, 7);
        assert_eq!(back.coupons, feed.coupons);
    }

    #[test]
    fn damage_is_an_error() {
        let feed = parse_feed(FEED).expect("feed");
        let bytes = write_snapshot(feed.generated_at, 0, feed.coupons.iter());
        for cut in [0, 5, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(read_snapshot(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read_snapshot(&longer).is_err());
        let mut other = bytes.clone();
        other[7] = 9;
        assert_eq!(
            read_snapshot(&other),
            Err(SnapshotError("not a snapshot of this version"))
        );
    }

    /// Reads `bytes` a coupon at a time, as a restarted worker does.
    fn read_in_steps(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let mut reading = SnapshotReading::new(Cow::Borrowed(bytes))?;
        while !reading.step(1)? {}
        Ok(reading.finish())
    }

    #[test]
    fn reads_the_same_a_coupon_at_a_time() {
        let feed = parse_feed(FEED).expect("feed");
        let bytes = write_snapshot(feed.generated_at, 7, feed.coupons.iter());
        let mut reading = SnapshotReading::new(Cow::Borrowed(&bytes)).expect("header");
        assert_eq!(
            [reading.step(1), reading.step(1), reading.step(1)],
            [Ok(false), Ok(false), Ok(true)],
            "three coupons, one a step"
        );
        assert_eq!(Ok(reading.finish()), read_snapshot(&bytes));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(read_in_steps(&longer), read_snapshot(&longer));
    }

    proptest! {
        /// Any bytes, damaged snapshots included: one coupon a step reads what one step reads.
        #[test]
        fn steps_read_what_one_read_reads(cut in 0usize..2000, flip in 0usize..2000, bit in 0u8..8) {
            let feed = parse_feed(FEED).expect("feed");
            let mut bytes = write_snapshot(feed.generated_at, 0, feed.coupons.iter());
            let at = flip % bytes.len();
            bytes[at] ^= 1 << bit;
            bytes.truncate(cut.min(bytes.len()));
            prop_assert_eq!(read_in_steps(&bytes), read_snapshot(&bytes));
        }

        #[test]
        fn any_bytes_are_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = read_snapshot(&bytes);
            let mut tagged = MAGIC.to_vec();
            tagged.extend_from_slice(&bytes);
            let _ = read_snapshot(&tagged);
        }
    }
}
