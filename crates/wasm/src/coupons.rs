//! The coupon book the service worker holds: the publisher keys it trusts, and the coupon index
//! of the last feed whose signature verified. Envelope bytes in, small results out.

use shopper_core::coupon::{
    open_envelope, parse_feed, read_snapshot, write_snapshot, CouponIndex, PublisherKey,
    MAX_ENVELOPE_BYTES,
};
use shopper_core::deals::deals_for_page;
use wasm_bindgen::prelude::*;

/// The coupons in use, and the keys a new feed must be signed with.
#[wasm_bindgen]
pub struct CouponBook {
    keys: Vec<PublisherKey>,
    index: CouponIndex,
    generated_at: i64,
    invalid: u32,
}

#[wasm_bindgen]
impl CouponBook {
    /// An empty book that trusts no key yet.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> CouponBook {
        Self {
            keys: Vec::new(),
            index: CouponIndex::default(),
            generated_at: 0,
            invalid: 0,
        }
    }

    /// The largest envelope `load_signed` reads, in bytes: a download can stop early past it.
    pub fn max_envelope_bytes() -> f64 {
        MAX_ENVELOPE_BYTES as f64
    }

    /// Trusts the publisher key `public_key` (32 bytes in base64) under `key_id`; throws if it
    /// is not an Ed25519 public key.
    pub fn trust_key(&mut self, key_id: &str, public_key: &str) -> Result<(), JsError> {
        self.keys
            .push(PublisherKey::from_base64(key_id, public_key)?);
        Ok(())
    }

    /// Reads a signed feed envelope. Only when its signature verifies under a trusted key and
    /// the feed inside is a v1 feed does it replace the coupons in use; otherwise this throws
    /// with the reason and the coupons in use stay as they were. Invalid coupons inside a good
    /// feed are dropped one by one (see `invalid`).
    pub fn load_signed(&mut self, envelope: &[u8]) -> Result<(), JsError> {
        let payload = open_envelope(envelope, &self.keys)?;
        let text = std::str::from_utf8(&payload)
            .map_err(|_| JsError::new("coupon feed refused: it is not UTF-8"))?;
        let feed = parse_feed(text)?;
        self.invalid = u32::try_from(feed.problems.len()).unwrap_or(u32::MAX);
        self.generated_at = feed.generated_at;
        self.index = CouponIndex::new(feed.coupons);
        Ok(())
    }

    /// The coupons in use in a compact binary form, to store beside the envelope they came from:
    /// `load_snapshot` reads them back without verifying and parsing the feed again.
    pub fn snapshot(&self) -> Vec<u8> {
        let invalid = self.invalid;
        write_snapshot(self.generated_at, invalid, self.index.coupons().iter())
    }

    /// Makes the coupons of a snapshot the ones in use; throws, keeping those in use, if the
    /// bytes are not a snapshot this build wrote.
    pub fn load_snapshot(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let snapshot = read_snapshot(bytes)?;
        self.invalid = snapshot.invalid;
        self.generated_at = snapshot.generated_at;
        self.index = CouponIndex::new(snapshot.coupons);
        Ok(())
    }

    /// Coupons in use.
    #[wasm_bindgen(getter)]
    pub fn coupons(&self) -> u32 {
        u32::try_from(self.index.len()).unwrap_or(u32::MAX)
    }

    /// Coupons the feed in use held but that were invalid, and dropped.
    #[wasm_bindgen(getter)]
    pub fn invalid(&self) -> u32 {
        self.invalid
    }

    /// When the publisher made the feed in use, in milliseconds since the epoch (0: no feed).
    #[wasm_bindgen(getter)]
    pub fn generated_at(&self) -> f64 {
        // Seconds since the epoch fit an f64 exactly for any date a feed can carry.
        self.generated_at as f64 * 1000.0
    }

    /// The deals for a page, from the facts its content script read (a JSON string), at `now_ms`
    /// (milliseconds since the epoch): JSON `{"page", "notes", "currency", "total", "total_text",
    /// "best", "coupons"}` (see `shopper_core::deals`). Throws, with the reason, on facts that
    /// are not a page's.
    pub fn for_page(&self, facts: &str, now_ms: f64, new_user: bool) -> Result<String, JsError> {
        // Whole seconds; a clock beyond i64 seconds is no clock.
        let now = (now_ms / 1000.0).floor() as i64;
        Ok(deals_for_page(&self.index, facts, now, new_user)?.to_json())
    }
}
