//! Loading a signed feed in steps of bounded work: the envelope's payload checked about a
//! megabyte at a time, then its coupons read a few thousand at a time. The service worker runs
//! one step per task, so pages get their answers in between; a 100,000-coupon feed took the
//! worker most of a second in one piece.

use std::borrow::Cow;
use std::fmt;

use super::feed::FeedReading;
use super::signed::EnvelopeOpening;
use super::{EnvelopeError, Feed, FeedError, PublisherKey};

/// Base64 characters of payload a step decodes and checks: about 0.8 MB of feed, about 10 ms
/// in the service worker on the machine this was measured on.
pub const OPEN_STEP_CHARS: usize = 1 << 20;
/// Coupons a step reads: about 10 to 15 ms in the service worker there.
pub const READ_STEP_COUPONS: usize = 4_000;

/// A signed feed being loaded; see [`FeedLoad::step`].
pub struct FeedLoad {
    stage: Stage,
}

enum Stage {
    // Boxed: the signature check's state is large beside the other stages.
    Opening(Box<EnvelopeOpening>),
    Reading(FeedReading<'static>),
    Read(Feed),
    /// Taken out by [`FeedLoad::into_feed`], or failed.
    Over,
}

/// Why a feed was not loaded: its envelope, or the feed inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The envelope, its key or its signature.
    Envelope(EnvelopeError),
    /// The feed inside a good envelope.
    Feed(FeedError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Envelope(e) => e.fmt(f),
            Self::Feed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<EnvelopeError> for LoadError {
    fn from(error: EnvelopeError) -> Self {
        Self::Envelope(error)
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
                Ok(false)
            }
            Stage::Reading(reading) => {
                if !reading.step(READ_STEP_COUPONS)? {
                    return Ok(false);
                }
                let Stage::Reading(reading) = std::mem::replace(&mut self.stage, Stage::Over)
                else {
                    return Ok(false);
                };
                self.stage = Stage::Read(reading.finish()?);
                Ok(true)
            }
            Stage::Read(_) => Ok(true),
            Stage::Over => Err(FeedError("the load already ended".into()).into()),
        }
    }

    /// The feed, once a step said it is read.
    pub fn into_feed(self) -> Option<Feed> {
        match self.stage {
            Stage::Read(feed) => Some(feed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupon::{open_envelope, parse_feed, PublisherSecret};

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
    fn load(envelope: &[u8]) -> (Result<Feed, LoadError>, usize) {
        let mut load = match FeedLoad::new(envelope, &[secret().public()]) {
            Ok(load) => load,
            Err(e) => return (Err(e.into()), 0),
        };
        let mut steps = 0;
        loop {
            steps += 1;
            match load.step() {
                Ok(true) => {
                    return (
                        load.into_feed()
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
        assert_eq!(loaded, Ok(whole));
        let opening = sealed.len().div_ceil(OPEN_STEP_CHARS);
        let reading = (READ_STEP_COUPONS * 2 + 10).div_ceil(READ_STEP_COUPONS);
        assert!(steps >= opening + reading, "{steps} steps");
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
