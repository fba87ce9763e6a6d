//! Loading coupons in steps of bounded work, from a signed feed (its payload checked about a
//! megabyte at a time, then its coupons read a few thousand at a time, then indexed) or from the
//! snapshot a restarted worker reads back (its checksum, then its layout and stored index). The
//! service worker runs one step per task, so pages get their answers in between: in one piece,
//! a 100,000-coupon feed took the worker most of a second.

use std::borrow::Cow;
use std::fmt;

use super::feed::FeedReading;
use super::signed::EnvelopeOpening;
use super::snapshot::SnapshotOpening;
use super::{CouponIndex, EnvelopeError, Feed, FeedError, PublisherKey, SnapshotError, Timestamp};
use crate::money::Rates;
use crate::problem::Problem;

/// Base64 characters of payload a step decodes and checks: about 0.8 MB of feed, about 10 ms
/// in the service worker on the machine this was measured on.
pub const OPEN_STEP_CHARS: usize = 1 << 20;
/// Coupons a step reads from a feed: about 10 to 15 ms in the service worker there.
pub const READ_STEP_COUPONS: usize = 4_000;

/// The coupons a load ends with, indexed.
#[derive(Debug)]
pub struct LoadedFeed {
    /// When the publisher made the feed.
    pub generated_at: Timestamp,
    /// Coupons of the feed that were invalid, and dropped.
    pub invalid: u32,
    /// The feed's exchange rates ([`Rates::none`] when it carried none).
    pub rates: Rates,
    /// The valid coupons, indexed.
    pub index: CouponIndex,
}

impl From<Feed> for LoadedFeed {
    fn from(feed: Feed) -> Self {
        Self {
            generated_at: feed.generated_at,
            invalid: u32::try_from(feed.problems.len()).unwrap_or(u32::MAX),
            rates: feed.rates,
            index: CouponIndex::new(feed.coupons),
        }
    }
}

/// Coupons being loaded, from a signed feed or a snapshot; see [`FeedLoad::step`].
pub struct FeedLoad {
    stage: Stage,
}

enum Stage {
    // Boxed: the signature check's state is large beside the other stages.
    Opening(Box<EnvelopeOpening>),
    Reading(FeedReading<'static>),
    /// The feed read, its coupons not yet indexed (a step of its own: 100,000 are sorted).
    Read(Feed),
    Snapshot(SnapshotOpening),
    Loaded(LoadedFeed),
    /// Taken out by [`FeedLoad::into_loaded`], or failed.
    Over,
}

/// Why coupons were not loaded: the envelope, the feed inside, or the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The envelope, its key or its signature.
    Envelope(EnvelopeError),
    /// The feed inside a good envelope.
    Feed(FeedError),
    /// A stored snapshot.
    Snapshot(SnapshotError),
    /// A step was asked of a load that had already ended (done, or failed).
    Ended,
    /// The coupons were asked for before the load's steps had all run.
    Unfinished,
}

impl LoadError {
    /// The codes of its own (the others are the envelope's, feed's and snapshot's).
    pub const CODES: &'static [&'static str] = &["load_ended", "load_unfinished"];
}

impl Problem for LoadError {
    fn code(&self) -> &'static str {
        match self {
            Self::Envelope(e) => e.code(),
            Self::Feed(e) => e.code(),
            Self::Snapshot(e) => e.code(),
            Self::Ended => "load_ended",
            Self::Unfinished => "load_unfinished",
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Self::Envelope(e) => e.params(),
            Self::Feed(e) => e.params(),
            Self::Snapshot(e) => e.params(),
            Self::Ended | Self::Unfinished => Vec::new(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Envelope(e) => e.fmt(f),
            Self::Feed(e) => e.fmt(f),
            Self::Snapshot(e) => e.fmt(f),
            Self::Ended => f.write_str("coupon load refused: it had already ended"),
            Self::Unfinished => f.write_str("coupon load refused: it did not finish"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<EnvelopeError> for LoadError {
    fn from(error: EnvelopeError) -> Self {
        Self::Envelope(error)
    }
}

impl From<SnapshotError> for LoadError {
    fn from(error: SnapshotError) -> Self {
        Self::Snapshot(error)
    }
}

impl From<FeedError> for LoadError {
    fn from(error: FeedError) -> Self {
        Self::Feed(error)
    }
}

impl FeedLoad {
    /// Reads the envelope and finds its key (one step's worth of work).
    pub fn new(envelope: &[u8], keys: &[PublisherKey]) -> Result<Self, EnvelopeError> {
        Ok(Self {
            stage: Stage::Opening(Box::new(EnvelopeOpening::new(envelope, keys)?)),
        })
    }

    /// Reads a snapshot's header; the steps verify its checksum and open it.
    pub fn from_snapshot(bytes: Vec<u8>) -> Result<Self, SnapshotError> {
        Ok(Self {
            stage: Stage::Snapshot(SnapshotOpening::new(bytes)?),
        })
    }

    /// Does the next step; true once the coupons are loaded, and [`FeedLoad::into_loaded`] has
    /// them. An error ends the load: nothing of the feed is kept.
    pub fn step(&mut self) -> Result<bool, LoadError> {
        let result = self.advance();
        if result.is_err() {
            self.stage = Stage::Over;
        }
        result
    }

    fn advance(&mut self) -> Result<bool, LoadError> {
        match &mut self.stage {
            Stage::Opening(opening) => {
                if let Some(payload) = opening.step(OPEN_STEP_CHARS)? {
                    let text = String::from_utf8(payload).map_err(|_| FeedError::NotUtf8)?;
                    self.stage = Stage::Reading(FeedReading::new(Cow::Owned(text)));
                }
                return Ok(false);
            }
            Stage::Reading(reading) => {
                if !reading.step(READ_STEP_COUPONS)? {
                    return Ok(false);
                }
                if let Stage::Reading(reading) = std::mem::replace(&mut self.stage, Stage::Over) {
                    self.stage = Stage::Read(reading.finish()?);
                }
                return Ok(false);
            }
            Stage::Snapshot(opening) => {
                if !opening.step()? {
                    return Ok(false);
                }
            }
            Stage::Read(_) => {}
            Stage::Loaded(_) => return Ok(true),
            Stage::Over => return Err(LoadError::Ended),
        }
        // The last step: the coupons indexed (a feed's), or the snapshot opened.
        let loaded = match std::mem::replace(&mut self.stage, Stage::Over) {
            Stage::Read(feed) => LoadedFeed::from(feed),
            Stage::Snapshot(opening) => {
                let snapshot = opening.finish()?;
                LoadedFeed {
                    generated_at: snapshot.generated_at,
                    invalid: snapshot.invalid,
                    rates: snapshot.rates,
                    index: snapshot.index,
                }
            }
            _ => return Err(LoadError::Ended),
        };
        self.stage = Stage::Loaded(loaded);
        Ok(true)
    }

    /// The coupons, once a step said they are loaded.
    pub fn into_loaded(self) -> Result<LoadedFeed, LoadError> {
        match self.stage {
            Stage::Loaded(feed) => Ok(feed),
            Stage::Over => Err(LoadError::Ended),
            _ => Err(LoadError::Unfinished),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{
        open_envelope, parse_feed, read_snapshot, write_snapshot, Coupon, PublisherSecret,
    };
    use crate::money::code;

    fn secret() -> PublisherSecret {
        PublisherSecret::from_bytes("dev-1", &[7u8; 32]).expect("secret")
    }

    fn coupons(count: usize) -> String {
        let coupon = |i: usize| {
            format!(
                r#"{{"id": "c{i}", "kind": "select", "title": "Coupon {i}", "currency": "USD", "min_spend": 0,
                "discount": {{"type": "fixed", "amount": 100}}, "starts_at": "2026-11-01T00:00:00Z",
                "expires_at": "2026-12-01T00:00:00Z"}}"#
            )
        };
        let list: Vec<String> = (0..count).map(coupon).collect();
        format!(
            r#"{{"version": 1, "generated_at": "2026-11-23T00:00:00Z", "coupons": [{}]}}"#,
            list.join(",")
        )
    }

    /// What a load ended with, comparable: the feed's facts and its coupons.
    type Loaded = Result<(Timestamp, u32, Vec<Coupon>), LoadError>;

    fn seen(loaded: Result<LoadedFeed, LoadError>) -> Loaded {
        loaded.map(|feed| {
            let coupons = feed.index.iter().cloned().collect();
            (feed.generated_at, feed.invalid, coupons)
        })
    }

    /// Steps to the end; the feed and how many steps it took.
    fn load(envelope: &[u8]) -> (Loaded, usize) {
        match FeedLoad::new(envelope, &[secret().public()]) {
            Ok(load) => run(load),
            Err(e) => (Err(e.into()), 0),
        }
    }

    fn run(mut load: FeedLoad) -> (Loaded, usize) {
        let mut steps = 0;
        loop {
            steps += 1;
            match load.step() {
                Ok(true) => return (seen(load.into_loaded()), steps),
                Ok(false) => {}
                Err(e) => return (Err(e), steps),
            }
        }
    }

    #[test]
    fn loads_what_opening_and_parsing_give_in_bounded_steps() {
        let feed = coupons(READ_STEP_COUPONS * 2 + 10);
        let sealed = secret().seal(feed.as_bytes());
        let (loaded, steps) = load(sealed.as_bytes());
        let payload = open_envelope(sealed.as_bytes(), &[secret().public()]).expect("opens");
        let whole = parse_feed(std::str::from_utf8(&payload).expect("utf-8")).expect("parses");
        assert_eq!(loaded, Ok((whole.generated_at, 0, whole.coupons)));
        let opening = sealed.len().div_ceil(OPEN_STEP_CHARS);
        let reading = (READ_STEP_COUPONS * 2 + 10).div_ceil(READ_STEP_COUPONS);
        // And one to index the coupons.
        assert!(steps > opening + reading, "{steps} steps");
    }

    #[test]
    fn loads_a_snapshot_in_a_few_steps() {
        let feed = parse_feed(&coupons(25_000)).expect("parses");
        let index = CouponIndex::new(feed.coupons.clone());
        let rates = Rates::new(code("USD"), [(code("EUR"), 0.92)]);
        let bytes = write_snapshot(&index, feed.generated_at, 3, &rates);
        let mut load = FeedLoad::from_snapshot(bytes.clone()).expect("header");
        assert_eq!(load.step(), Ok(true));
        let kept = load.into_loaded().expect("loaded").rates;
        assert_eq!(kept, rates, "a restarted worker keeps the feed's rates");
        let (loaded, steps) = run(FeedLoad::from_snapshot(bytes.clone()).expect("header"));
        assert_eq!(loaded, Ok((feed.generated_at, 3, feed.coupons)));
        assert_eq!(
            steps, 1,
            "the checksum, the layout and the index in one step"
        );
        let mut damaged = bytes.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        let (damaged, _) = run(FeedLoad::from_snapshot(damaged).expect("header"));
        assert_eq!(
            damaged,
            Err(LoadError::Snapshot(SnapshotError::ChecksumMismatch))
        );
        assert!(read_snapshot(bytes).is_ok());
    }

    #[test]
    fn a_bad_feed_or_envelope_ends_the_load() {
        let not_utf8 = secret().seal(&[0xFF, 0xFE]);
        let (loaded, _) = load(not_utf8.as_bytes());
        assert_eq!(loaded, Err(LoadError::Feed(FeedError::NotUtf8)));

        let not_a_feed = secret().seal(b"{\"version\": 1}");
        let (loaded, _) = load(not_a_feed.as_bytes());
        assert!(matches!(loaded, Err(LoadError::Feed(_))), "{loaded:?}");

        let other = PublisherSecret::from_bytes("dev-1", &[8u8; 32]).expect("secret");
        let (loaded, _) = load(other.seal(coupons(3).as_bytes()).as_bytes());
        assert_eq!(
            loaded,
            Err(LoadError::Envelope(EnvelopeError::SignatureMismatch))
        );

        let mut load = FeedLoad::new(not_utf8.as_bytes(), &[secret().public()]).expect("envelope");
        while load.step().is_ok() {}
        assert_eq!(
            load.step(),
            Err(LoadError::Ended),
            "an ended load stays ended"
        );
        let unfinished =
            FeedLoad::new(not_utf8.as_bytes(), &[secret().public()]).expect("envelope");
        assert_eq!(unfinished.into_loaded().err(), Some(LoadError::Unfinished));
    }
}
