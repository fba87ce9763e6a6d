//! Reading a feed a few thousand coupons at a time, so that the service worker answers pages
//! between the steps of a 100,000-coupon feed instead of stopping for all of it at once.
//!
//! [`parse_feed`](super::parse_feed) is this reader run in one step: both read the same JSON the
//! same way, with the same errors.

use std::borrow::Cow;

use super::{checked_feed, first_time, Checked, Feed, FeedError, Times};
use crate::codec::json::{Error as JsonError, Next, NumberKind, Open, Reader};

/// A feed being read: [`FeedReading::step`] until it says the whole text is read, then
/// [`FeedReading::finish`].
pub struct FeedReading<'t> {
    text: Cow<'t, str>,
    progress: Progress,
}

/// Everything but the text: where the reading is, and what it has read so far.
#[derive(Default)]
struct Progress {
    position: (usize, u32),
    outer: Outer,
    /// Inside the `coupons` array, between two coupons.
    coupons: Option<Open>,
    version: Option<u64>,
    generated_at: Option<String>,
    checked: Option<Checked>,
    times: Times,
}

/// Where the reading is in the feed's envelope, `{"version", "generated_at", "coupons"}` (or,
/// as serde read it, a list of the three in that order).
#[derive(Default)]
enum Outer {
    #[default]
    Start,
    Object {
        open: Open,
        /// The fields read, one bit each: a field given twice refuses the feed.
        seen: u32,
    },
    List {
        open: Open,
        read: u32,
    },
    End,
}

impl<'t> FeedReading<'t> {
    /// Starts reading `text`; nothing is read until the first step.
    pub fn new(text: Cow<'t, str>) -> Self {
        Self {
            text,
            progress: Progress::default(),
        }
    }

    /// Reads on, at most `coupons` coupons this time; true once the whole text is read. An
    /// error refuses the whole feed (JSON that is not a v1 feed), as [`super::parse_feed`] does.
    pub fn step(&mut self, coupons: usize) -> Result<bool, FeedError> {
        let mut reader = Reader::resume(&self.text, self.progress.position);
        let read = self.progress.advance(&mut reader, coupons);
        self.progress.position = reader.position();
        read.map_err(not_a_feed)
    }

    /// The feed read, once [`FeedReading::step`] said the whole text is.
    pub fn finish(self) -> Result<Feed, FeedError> {
        let reader = Reader::resume(&self.text, self.progress.position);
        let missing = |field: &str| not_a_feed(reader.error(format!("missing field `{field}`")));
        let Progress {
            version,
            generated_at,
            checked,
            ..
        } = self.progress;
        let version = version.ok_or_else(|| missing("version"))?;
        let generated_at = generated_at.ok_or_else(|| missing("generated_at"))?;
        let checked = checked.ok_or_else(|| missing("coupons"))?;
        checked_feed(version, &generated_at, checked)
    }
}

fn not_a_feed(error: JsonError) -> FeedError {
    FeedError(format!("not a v1 feed: {error}"))
}

impl Progress {
    fn advance(&mut self, reader: &mut Reader<'_>, mut budget: usize) -> Result<bool, JsonError> {
        loop {
            if let (Some(open), Some(checked)) = (self.coupons.as_mut(), self.checked.as_mut()) {
                loop {
                    if budget == 0 {
                        return Ok(false);
                    }
                    if !reader.next_element(open)? {
                        break;
                    }
                    checked.read_one(reader, &mut self.times)?;
                    budget -= 1;
                }
                self.coupons = None;
                continue;
            }
            match &mut self.outer {
                Outer::Start => {
                    self.outer = match reader.peek()? {
                        Next::Object => Outer::Object {
                            open: reader.begin_object()?,
                            seen: 0,
                        },
                        Next::Array => Outer::List {
                            open: reader.begin_array()?,
                            read: 0,
                        },
                        _ => return Err(reader.error("invalid type, expected a feed object")),
                    };
                }
                Outer::Object { open, seen } => {
                    let Some(key) = reader.next_key(open)? else {
                        self.outer = Outer::End;
                        continue;
                    };
                    let field = match &*key {
                        "version" => 0,
                        "generated_at" => 1,
                        "coupons" => 2,
                        _ => {
                            reader.skip()?;
                            continue;
                        }
                    };
                    first_time(reader, seen, field, &key)?;
                    self.read_field(reader, field)?;
                }
                Outer::List { open, read } => {
                    if !reader.next_element(open)? {
                        self.outer = Outer::End;
                        continue;
                    }
                    let field = *read;
                    *read += 1;
                    if field > 2 {
                        return Err(reader.error("trailing characters"));
                    }
                    self.read_field(reader, field)?;
                }
                Outer::End => {
                    reader.end()?;
                    return Ok(true);
                }
            }
        }
    }

    /// Reads the envelope's field number `field` (version, generated_at, coupons); the
    /// coupons are only opened here, and read by the steps that follow.
    fn read_field(&mut self, reader: &mut Reader<'_>, field: u32) -> Result<(), JsonError> {
        match field {
            0 => self.version = Some(read_version(reader)?),
            1 => self.generated_at = Some(reader.string()?.into_owned()),
            _ => {
                self.coupons = Some(reader.begin_array()?);
                self.checked = Some(Checked::default());
            }
        }
        Ok(())
    }
}

/// `version`: a whole number that fits `u64`.
fn read_version(reader: &mut Reader<'_>) -> Result<u64, JsonError> {
    if reader.peek()? == Next::Number {
        if let NumberKind::PosInt(version) = reader.number()?.kind() {
            return Ok(version);
        }
    }
    Err(reader.error("invalid type, expected u64"))
}
