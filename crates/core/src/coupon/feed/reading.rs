//! Reading a feed a few thousand coupons at a time, so that the service worker answers pages
//! between the steps of a 100,000-coupon feed instead of stopping for all of it at once.
//!
//! [`parse_feed`](super::parse_feed) is this reader run in one step: both read the same JSON the
//! same way, with the same errors.

use std::borrow::Cow;

use super::rates::read_rates;
use super::{checked_feed, first_time, Checked, Feed, FeedError, Times, Urls};
use crate::codec::field::FieldFault;
use crate::codec::json::{Next, NumberKind, Open, Reader};
use crate::money::Rates;

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
    rates: Option<Rates>,
    times: Times,
    urls: Urls,
}

/// Where the reading is in the feed's object, `{"version", "generated_at", "coupons"}` (and the
/// optional `rates`).
#[derive(Default)]
enum Outer {
    #[default]
    Start,
    Object {
        open: Open,
        /// The fields read, one bit each: a field given twice refuses the feed.
        seen: u32,
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
        read
    }

    /// The feed read, once [`FeedReading::step`] said the whole text is.
    pub fn finish(self) -> Result<Feed, FeedError> {
        let missing = |field| FeedError::Field(FieldFault::Missing(field));
        let Progress {
            version,
            generated_at,
            checked,
            rates,
            ..
        } = self.progress;
        let version = version.ok_or_else(|| missing("version"))?;
        let generated_at = generated_at.ok_or_else(|| missing("generated_at"))?;
        let checked = checked.ok_or_else(|| missing("coupons"))?;
        checked_feed(version, &generated_at, checked, rates.unwrap_or_default())
    }
}

impl Progress {
    fn advance(&mut self, reader: &mut Reader<'_>, mut budget: usize) -> Result<bool, FeedError> {
        loop {
            if let (Some(open), Some(checked)) = (self.coupons.as_mut(), self.checked.as_mut()) {
                loop {
                    if budget == 0 {
                        return Ok(false);
                    }
                    if !reader.next_element(open)? {
                        break;
                    }
                    checked.read_one(reader, &mut self.times, &mut self.urls)?;
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
                        _ => {
                            // What it is must still be JSON: anything else says so first.
                            reader.skip()?;
                            reader.end()?;
                            return Err(FeedError::NotAnObject);
                        }
                    };
                }
                Outer::Object { open, seen } => {
                    let Some(key) = reader.next_key(open)? else {
                        self.outer = Outer::End;
                        continue;
                    };
                    let (field, name) = match &*key {
                        "version" => (0, "version"),
                        "generated_at" => (1, "generated_at"),
                        "coupons" => (2, "coupons"),
                        "rates" => (3, "rates"),
                        _ => {
                            reader.skip()?;
                            continue;
                        }
                    };
                    first_time(reader, seen, field, name)?;
                    self.read_field(reader, field)?;
                }
                Outer::End => {
                    reader.end()?;
                    return Ok(true);
                }
            }
        }
    }

    /// Reads the envelope's field number `field` (version, generated_at, coupons, rates); the
    /// coupons are only opened here, and read by the steps that follow.
    fn read_field(&mut self, reader: &mut Reader<'_>, field: u32) -> Result<(), FeedError> {
        let next = reader.peek()?;
        let at = reader.position_in_text();
        let wrong = |field| FeedError::Field(FieldFault::WrongType { field, at });
        match field {
            0 => self.version = Some(read_version(reader)?),
            1 if next == Next::String => {
                self.generated_at = Some(reader.string()?.into_owned());
            }
            1 => return Err(skip_then(reader, wrong("generated_at"))),
            3 => self.rates = Some(read_rates(reader)?),
            _ if next == Next::Array => {
                self.coupons = Some(reader.begin_array()?);
                self.checked = Some(Checked::default());
            }
            _ => return Err(skip_then(reader, wrong("coupons"))),
        }
        Ok(())
    }
}

/// `error`, once the value it is about is read: what breaks the JSON is said first.
fn skip_then(reader: &mut Reader<'_>, error: FeedError) -> FeedError {
    match reader.skip() {
        Ok(()) => error,
        Err(json) => json.into(),
    }
}

/// `version`: a whole number that fits `u64`.
fn read_version(reader: &mut Reader<'_>) -> Result<u64, FeedError> {
    let next = reader.peek()?;
    let at = reader.position_in_text();
    if next == Next::Number {
        if let NumberKind::PosInt(version) = reader.number()?.kind() {
            return Ok(version);
        }
        return Err(FeedError::Field(FieldFault::WrongType {
            field: "version",
            at,
        }));
    }
    Err(skip_then(
        reader,
        FeedError::Field(FieldFault::WrongType {
            field: "version",
            at,
        }),
    ))
}
