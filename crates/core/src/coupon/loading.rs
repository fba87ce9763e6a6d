//! Loading coupons in steps of bounded work, from a signed feed (its payload checked about a
//! megabyte at a time, then its coupons read a few thousand at a time) or from the snapshot a
//! restarted worker reads back. The service worker runs one step per task, so pages get their
//! answers in between: in one piece, a 100,000-coupon feed took the worker most of a second, and
//! its snapshot up to 200 ms at every restart.

use std::borrow::Cow;
use std::fmt;

use super::feed::FeedReading;
use super::signed::EnvelopeOpening;
use super::snapshot::SnapshotReading;
use super::{
    Coupon, EnvelopeError, Feed, FeedError, PublisherKey, Snapshot, SnapshotError, Timestamp,
};

/// Base64 characters of payload a step decodes and checks: about 0.8 MB of feed, about 10 ms
/// in the service worker on the machine this was measured on.
pub const OPEN_STEP_CHARS: usize = 1 << 20;
/// Coupons a step reads from a feed: about 10 to 15 ms in the service worker there.
pub const READ_STEP_COUPONS: usize = 4_000;
/// Coupons a step reads from a snapshot (a few copies each): about 10 ms there.
pub const SNAPSHOT_STEP_COUPONS: usize = 10_000;

/// The coupons a load ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedFeed {
    /// When the publisher made the feed.
    pub generated_at: Timestamp,
    /// Coupons of the feed that were invalid, and dropped.
    pub invalid: u32,
    /// The valid coupons, in feed order.
    pub coupons: Vec<Coupon>,
}

impl From<Feed> for LoadedFeed {
    fn from(feed: Feed) -> Self {
        Self {
            generated_at: feed.generated_at,
            invalid: u32::try_from(feed.problems.len()).unwrap_or(u32::MAX),
            coupons: feed.coupons,
        }
    }
}

impl From<Snapshot> for LoadedFeed {
    fn from(snapshot: Snapshot) -> Self {
        Self {
            generated_at: snapshot.generated_at,
            invalid: snapshot.invalid,
            coupons: snapshot.coupons,
        }
    }
}

/// A signed feed being loaded; see [`FeedLoad::step`].
pub struct FeedLoad {
    stage: Stage,
}

enum Stage {
    // Boxed: the signature check's state is large beside the other stages.
    Opening(Box<EnvelopeOpening>),
    Reading(FeedReading<'static>),
    Snapshot(SnapshotReading<'static>),
    Read(LoadedFeed),
    /// Taken out by [`FeedLoad::into_feed`], or failed.
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
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Envelope(e) => e.fmt(f),
            Self::Feed(e) => e.fmt(f),
            Self::Snapshot(e) => e.fmt(f),
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

    /// Reads a snapshot's header; its coupons are read by the steps.
    pub fn from_snapshot(bytes: Vec<u8>) -> Result<Self, SnapshotError> {
        Ok(Self {
            stage: Stage::Snapshot(SnapshotReading::new(Cow::Owned(bytes))?),
        })
    }

    /// Does the next step; true once the feed is read, and [`FeedLoad::into_feed`] has it. An
    /// error ends the load: nothing of the feed is kept.
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
                    let text = String::from_utf8(payload)
                        .map_err(|_| FeedError("it is not UTF-8".into()))?;
                    self.stage = Stage::Reading(FeedReading::new(Cow::Owned(text)));
                }
                return Ok(false);
            }
            Stage::Reading(reading) => {
                if !reading.step(READ_STEP_COUPONS)? {
                    return Ok(false);
                }
            }
            Stage::Snapshot(reading) => {
                if !reading.step(SNAPSHOT_STEP_COUPONS)? {
                    return Ok(false);
                }
            }
            Stage::Read(_) => return Ok(true),
            Stage::Over => return Err(FeedError("the load already ended".into()).into()),
        }
        // All read: what was read becomes the coupons the load ends with.
        let loaded = match std::mem::replace(&mut self.stage, Stage::Over) {
            Stage::Reading(reading) => reading.finish()?.into(),
            Stage::Snapshot(reading) => reading.finish().into(),
            other => {
                self.stage = other;
                return Ok(true);
            }
        };
        self.stage = Stage::Read(loaded);
        Ok(true)
    }

    /// The coupons, once a step said they are read.
    pub fn into_loaded(self) -> Option<LoadedFeed> {
        match self.stage {
            Stage::Read(feed) => Some(feed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{
        open_envelope, parse_feed, read_snapshot, write_snapshot, PublisherSecret,
    };

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

    /// Steps to the end; the feed and how many steps it took.
    fn load(envelope: &[u8]) -> (Result<LoadedFeed, LoadError>, usize) {
        match FeedLoad::new(envelope, &[secret().public()]) {
            Ok(load) => run(load),
            Err(e) => (Err(e.into()), 0),
        }
    }

    fn run(mut load: FeedLoad) -> (Result<LoadedFeed, LoadError>, usize) {
        let mut steps = 0;
        loop {
            steps += 1;
            match load.step() {
                Ok(true) => {
                    return (
                        load.into_loaded()
                            .ok_or(LoadError::Feed(FeedError("none".into()))),
                        steps,
                    )
                }
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
        assert_eq!(loaded, Ok(LoadedFeed::from(whole.clone())));
        let opening = sealed.len().div_ceil(OPEN_STEP_CHARS);
        let reading = (READ_STEP_COUPONS * 2 + 10).div_ceil(READ_STEP_COUPONS);
        assert!(steps >= opening + reading, "{steps} steps");
    }

    #[test]
    fn loads_a_snapshot_in_bounded_steps() {
        let feed = parse_feed(&coupons(SNAPSHOT_STEP_COUPONS + 1)).expect("parses");
        let bytes = write_snapshot(feed.generated_at, 3, feed.coupons.iter());
        let whole = read_snapshot(&bytes).expect("reads");
        let (loaded, steps) = run(FeedLoad::from_snapshot(bytes.clone()).expect("header"));
        assert_eq!(loaded, Ok(LoadedFeed::from(whole)));
        assert_eq!(
            steps,
            2,
            "{} coupons, {SNAPSHOT_STEP_COUPONS} a step",
            feed.coupons.len()
        );
        let (damaged, _) =
            run(FeedLoad::from_snapshot(bytes[..bytes.len() - 1].to_vec()).expect("header"));
        assert!(
            matches!(damaged, Err(LoadError::Snapshot(_))),
            "{damaged:?}"
        );
    }

    #[test]
    fn a_bad_feed_or_envelope_ends_the_load() {
        let not_utf8 = secret().seal(&[0xFF, 0xFE]);
        let (loaded, _) = load(not_utf8.as_bytes());
        assert_eq!(
            loaded,
            Err(LoadError::Feed(FeedError("it is not UTF-8".into())))
        );

        let not_a_feed = secret().seal(b"{\"version\": 1}");
        let (loaded, _) = load(not_a_feed.as_bytes());
        assert!(matches!(loaded, Err(LoadError::Feed(_))), "{loaded:?}");

        let other = PublisherSecret::from_bytes("dev-1", &[8u8; 32]).expect("secret");
        let (loaded, _) = load(other.seal(coupons(3).as_bytes()).as_bytes());
        assert!(
            matches!(&loaded, Err(LoadError::Envelope(e)) if e.0.contains("does not match")),
            "{loaded:?}"
        );

        let mut load = FeedLoad::new(not_utf8.as_bytes(), &[secret().public()]).expect("envelope");
        while load.step().is_ok() {}
        assert!(load.step().is_err(), "an ended load stays ended");
    }
}
