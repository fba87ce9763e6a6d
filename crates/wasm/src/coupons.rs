//! The coupon book the service worker holds: the publisher keys it trusts, and the coupon index
//! of the last feed whose signature verified. Envelope bytes in, small results out.

use shopper_core::coupon::{
    page_coupons, rates_json, write_snapshot, CouponIndex, FeedLoad, PublisherKey, StoredCheck,
    MAX_ENVELOPE_BYTES,
};
use shopper_core::deals::deals_for_page;
use shopper_core::money::Rates;
use shopper_core::page::read_page;
use wasm_bindgen::prelude::*;

use crate::problem::thrown;

/// The coupons in use, and the keys a new feed must be signed with.
#[wasm_bindgen]
pub struct CouponBook {
    keys: Vec<PublisherKey>,
    index: CouponIndex,
    generated_at: i64,
    invalid: u32,
    /// The exchange rates of the feed in use.
    rates: Rates,
    /// The check of every stored coupon, while the coupons in use are a snapshot's.
    check: StoredCheck,
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
            rates: Rates::none(),
            check: StoredCheck::new(),
        }
    }

    /// The largest envelope `start_load` reads, in bytes: a download can stop early past it.
    pub fn max_envelope_bytes() -> f64 {
        MAX_ENVELOPE_BYTES as f64
    }

    /// Trusts the publisher key `public_key` (32 bytes in base64) under `key_id`; throws if it
    /// is not an Ed25519 public key.
    pub fn trust_key(&mut self, key_id: &str, public_key: &str) -> Result<(), JsError> {
        let key = PublisherKey::from_base64(key_id, public_key).map_err(|e| thrown(&e))?;
        self.keys.push(key);
        Ok(())
    }

    /// Starts reading a signed feed envelope: `step` the load it returns until it says it is
    /// done, yielding to other tasks in between, then `finish_load`. Throws at once when the
    /// envelope is unreadable or names no trusted key.
    pub fn start_load(&self, envelope: &[u8]) -> Result<FeedLoading, JsError> {
        Ok(FeedLoading {
            load: FeedLoad::new(envelope, &self.keys).map_err(|e| thrown(&e))?,
        })
    }

    /// Starts opening a snapshot (see `snapshot`), to step and finish like a feed: its checksum
    /// and layout are checked, and nothing is decoded; throws at once if the bytes are not a
    /// snapshot of this layout. Its coupons are checked as they are looked at, and all of them
    /// by `check_stored`.
    pub fn start_snapshot(&self, bytes: Vec<u8>) -> Result<FeedLoading, JsError> {
        Ok(FeedLoading {
            load: FeedLoad::from_snapshot(bytes).map_err(|e| thrown(&e))?,
        })
    }

    /// Makes the coupons of a finished load the ones in use. Only a feed whose signature
    /// verified under a trusted key and that is a v1 feed, or a snapshot of one, ever gets this
    /// far; invalid coupons inside it were dropped one by one (see `invalid`).
    pub fn finish_load(&mut self, loading: FeedLoading) -> Result<(), JsError> {
        let loaded = loading.load.into_loaded().map_err(|e| thrown(&e))?;
        self.invalid = loaded.invalid;
        self.generated_at = loaded.generated_at;
        self.rates = loaded.rates;
        self.index = loaded.index;
        self.check = StoredCheck::new();
        Ok(())
    }

    /// Checks up to `coupons` more coupons of a snapshot in use, as a feed's are checked, and
    /// the index it stored against them; true once all are (at once for a feed's coupons).
    /// Throws the first fault: the snapshot is then not to be used (the worker reads the signed
    /// feed again).
    pub fn check_stored(&mut self, coupons: u32) -> Result<bool, JsError> {
        self.check
            .step(&self.index, coupons as usize)
            .map_err(|e| thrown(&e))
    }

    /// The coupons in use and their index in a flat binary form, to store beside the envelope
    /// they came from: `start_snapshot` opens them again without verifying and parsing the feed.
    pub fn snapshot(&self) -> Vec<u8> {
        write_snapshot(&self.index, self.generated_at, self.invalid, &self.rates)
    }

    /// Makes room in the module's memory for `bytes` bytes to come (a snapshot being read from
    /// storage), so that taking them does not wait for the memory to grow and its pages to be
    /// touched: about 5 ms for 10 MB, otherwise spent while a restarted worker's first answer
    /// waits. The room is given back at once, for the bytes to take.
    pub fn make_room(bytes: u32) {
        // Ones, not zeros: fresh memory is known to be zero, and zeros would not touch it.
        drop(vec![1u8; bytes.min(1 << 26) as usize]);
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

    /// The exchange rates of the feed in use, as the feed's `rates` value
    /// (`{"base":"USD","per_base":{"EUR":0.92}}`, `"base":null` for none): what the popup's
    /// `parse_search` converts a price typed in another currency with.
    #[wasm_bindgen(getter)]
    pub fn rates(&self) -> String {
        rates_json(&self.rates)
    }

    /// The deals for a page, from the facts its content script read (a JSON string), at `now_ms`
    /// (milliseconds since the epoch): JSON `{"page", "notes", "watch", "fillable", "currency",
    /// "total", "total_text", "best", "coupons"}` (see `shopper_core::deals`). Throws a problem
    /// (see `problem.rs`) on facts that are not a page's. A stored coupon that fails its checks
    /// is left out of the answer (see `stored_fault`).
    pub fn for_page(&self, facts: &str, now_ms: f64, new_user: bool) -> Result<String, JsError> {
        // Whole seconds; a clock beyond i64 seconds is no clock.
        let now = (now_ms / 1000.0).floor() as i64;
        let page = read_page(facts).map_err(|problem| thrown(&problem))?;
        let on_page = page_coupons(&page, &self.index, now);
        Ok(deals_for_page(&self.index, page, &on_page, now, new_user).to_json())
    }

    /// Why a coupon of the snapshot in use failed its checks, once one has (a problem's JSON):
    /// the snapshot is then not to be trusted, and the worker reads the signed feed again.
    pub fn stored_fault(&self) -> Option<String> {
        self.index
            .stored_fault()
            .map(shopper_core::problem::problem_json)
    }
}

/// Coupons being loaded from a signed feed or a snapshot, a bounded step at a time (see
/// `CouponBook::start_load`). The coupons in use do not change until `CouponBook::finish_load`.
#[wasm_bindgen]
pub struct FeedLoading {
    load: FeedLoad,
}

#[wasm_bindgen]
impl FeedLoading {
    /// Does the next step (a few milliseconds of work); true once the feed is read. Throws with
    /// the reason when the envelope's signature or the feed is refused; the load is then over.
    pub fn step(&mut self) -> Result<bool, JsError> {
        self.load.step().map_err(|e| thrown(&e))
    }
}

/// The pause in minutes before the next try after `failures` failed feed refreshes in a row.
#[wasm_bindgen]
pub fn feed_retry_minutes(failures: u32) -> u32 {
    shopper_core::coupon::refresh::retry_after_minutes(failures)
}

/// Whether a worker starting at `now` refreshes the feed at once (times in ms since the epoch;
/// `checked_at` and `retry_at` 0 when never checked or nothing failed).
#[wasm_bindgen]
pub fn feed_refresh_due(now: f64, checked_at: f64, retry_at: f64) -> bool {
    shopper_core::coupon::refresh::refresh_due(now, checked_at, retry_at)
}
