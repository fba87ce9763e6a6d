//! The strict reader of a usage batch, over the bytes as they arrived, with the core's JSON
//! reader: every field checked as it is read, the first thing wrong refusing the whole batch.
//! The work is bounded by [`MAX_BATCH_BYTES`] and by reading each field once: nothing is skipped
//! unread, so no nesting beyond the batch's own is ever entered.

use super::error::BatchError;
use super::fields::{
    parse_language, AnonymousId, BrowserFamily, BrowserMajor, Country, Event, EventCounts,
    ExtensionVersion, OsFamily, UtcOffset, EVENT_KINDS,
};
use super::{Batch, MAX_BATCH_BYTES, SCHEMA};
use crate::codec::field::FieldFault;
use crate::codec::json::{Next, NumberKind, Open, Position, Reader};

/// The batch's fields, each with its bit in the duplicate check.
const FIELDS: [&str; 10] = [
    "schema",
    "id",
    "browser",
    "browser_major",
    "os",
    "country",
    "language",
    "utc_offset",
    "extension_version",
    "counts",
];

/// How much of an unknown name or a bad value a reason repeats.
const CLIP: usize = 40;

/// The first [`CLIP`] characters of what was sent, to name it in a reason.
fn clip(text: &str) -> String {
    text.chars().take(CLIP).collect()
}

/// Reads a batch, or says why the whole of it is refused.
pub fn read_batch(bytes: &[u8]) -> Result<Batch, BatchError> {
    if bytes.len() > MAX_BATCH_BYTES {
        return Err(BatchError::TooLarge { bytes: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| BatchError::NotUtf8)?;
    let mut batch = Fields::new(text);
    batch.read()?;
    batch.finish()
}

/// What has been read so far.
struct Fields<'a> {
    text: &'a str,
    reader: Reader<'a>,
    schema: Option<u64>,
    id: Option<AnonymousId>,
    browser: Option<BrowserFamily>,
    browser_major: Option<BrowserMajor>,
    os: Option<OsFamily>,
    country: Option<Country>,
    language: Option<Option<crate::locale::UiLanguage>>,
    utc_offset: Option<UtcOffset>,
    extension_version: Option<ExtensionVersion>,
    counts: Option<EventCounts>,
}

/// A value read, with where it started (for a reason about it).
struct Sent<T> {
    value: T,
    at: (usize, u32),
}

impl<'a> Fields<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            reader: Reader::new(text),
            schema: None,
            id: None,
            browser: None,
            browser_major: None,
            os: None,
            country: None,
            language: None,
            utc_offset: None,
            extension_version: None,
            counts: None,
        }
    }

    /// The line and column of a place the reader passed.
    fn position(&self, at: (usize, u32)) -> Position {
        Reader::resume(self.text, at).position_in_text()
    }

    fn read(&mut self) -> Result<(), BatchError> {
        if self.reader.peek()? != Next::Object {
            // Still JSON's reason first, when it is not JSON at all.
            self.reader.skip()?;
            self.reader.end()?;
            return Err(BatchError::NotAnObject("batch"));
        }
        let mut open = self.reader.begin_object()?;
        let mut seen = 0u32;
        while let Some(key) = self.reader.next_key(&mut open)? {
            let at = self.value_start()?;
            let Some(number) = FIELDS.iter().position(|name| *name == key) else {
                return Err(BatchError::UnknownField {
                    field: clip(&key),
                    at: self.position(at),
                });
            };
            let field = FIELDS.get(number).copied().unwrap_or("");
            if seen & (1 << number) != 0 {
                return Err(BatchError::Field(FieldFault::Twice {
                    field,
                    at: self.position(at),
                }));
            }
            seen |= 1 << number;
            self.field(field)?;
        }
        self.reader.end()?;
        Ok(())
    }

    /// Where the next value starts (past whitespace).
    fn value_start(&mut self) -> Result<(usize, u32), BatchError> {
        self.reader.peek()?;
        Ok(self.reader.position())
    }

    fn field(&mut self, field: &'static str) -> Result<(), BatchError> {
        match field {
            "schema" => {
                let schema = self.whole(field)?.value;
                if schema != SCHEMA {
                    return Err(BatchError::UnsupportedSchema(schema));
                }
                self.schema = Some(schema);
            }
            "id" => self.id = Some(self.named(field, AnonymousId::parse)?),
            "browser" => self.browser = Some(self.named(field, BrowserFamily::parse)?),
            "browser_major" => {
                let sent = self.whole(field)?;
                self.browser_major = Some(
                    BrowserMajor::new(sent.value)
                        .ok_or_else(|| self.bad(field, sent.value.to_string(), sent.at))?,
                );
            }
            "os" => self.os = Some(self.named(field, OsFamily::parse)?),
            "country" => self.country = Some(self.named(field, Country::parse)?),
            "language" => self.language = Some(self.named(field, parse_language)?),
            "utc_offset" => {
                let sent = self.integer(field)?;
                self.utc_offset = Some(
                    UtcOffset::new(sent.value)
                        .ok_or_else(|| self.bad(field, sent.value.to_string(), sent.at))?,
                );
            }
            "extension_version" => {
                self.extension_version = Some(self.named(field, ExtensionVersion::parse)?);
            }
            _ => self.counts = Some(self.counts()?),
        }
        Ok(())
    }

    fn bad(&self, field: &'static str, value: String, at: (usize, u32)) -> BatchError {
        BatchError::BadValue {
            field,
            value: clip(&value),
            at: self.position(at),
        }
    }

    fn wrong_type(&self, field: &'static str, at: (usize, u32)) -> BatchError {
        BatchError::Field(FieldFault::WrongType {
            field,
            at: self.position(at),
        })
    }

    /// A string that `parse` reads as one of the field's values.
    fn named<T>(
        &mut self,
        field: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, BatchError> {
        let at = self.value_start()?;
        if self.reader.peek()? != Next::String {
            return Err(self.wrong_type(field, at));
        }
        let text = self.reader.string()?;
        match parse(&text) {
            Some(value) => Ok(value),
            None => Err(self.bad(field, text.into_owned(), at)),
        }
    }

    /// A whole number, not negative.
    fn whole(&mut self, field: &'static str) -> Result<Sent<u64>, BatchError> {
        let at = self.value_start()?;
        if self.reader.peek()? == Next::Number {
            if let NumberKind::PosInt(value) = self.reader.number()?.kind() {
                return Ok(Sent { value, at });
            }
        }
        Err(self.wrong_type(field, at))
    }

    /// A whole number, of either sign.
    fn integer(&mut self, field: &'static str) -> Result<Sent<i64>, BatchError> {
        let at = self.value_start()?;
        if self.reader.peek()? == Next::Number {
            match self.reader.number()?.kind() {
                NumberKind::PosInt(value) => {
                    // Past i64, no offset: its bound refuses it.
                    let value = i64::try_from(value).unwrap_or(i64::MAX);
                    return Ok(Sent { value, at });
                }
                NumberKind::NegInt(value) => return Ok(Sent { value, at }),
                NumberKind::Float => {}
            }
        }
        Err(self.wrong_type(field, at))
    }

    fn counts(&mut self) -> Result<EventCounts, BatchError> {
        let at = self.value_start()?;
        if self.reader.peek()? != Next::Object {
            return Err(self.wrong_type("counts", at));
        }
        let mut open: Open = self.reader.begin_object()?;
        let mut counts = EventCounts::default();
        let mut seen = 0u32;
        let mut entries = 0usize;
        while let Some(name) = self.reader.next_key(&mut open)? {
            let at = self.value_start()?;
            // Each event at most once: an entry past their number is one too many, whatever it
            // names.
            if entries == EVENT_KINDS {
                return Err(BatchError::TooManyEntries { limit: EVENT_KINDS });
            }
            entries += 1;
            let Some(event) = Event::parse(&name) else {
                return Err(BatchError::UnknownEvent {
                    event: clip(&name),
                    at: self.position(at),
                });
            };
            let bit = 1u32 << Event::ALL.iter().position(|e| *e == event).unwrap_or(0);
            if seen & bit != 0 {
                return Err(BatchError::DuplicateEvent {
                    event: event.as_str(),
                    at: self.position(at),
                });
            }
            seen |= bit;
            let count = self.whole(event.as_str())?.value;
            let fits = u32::try_from(count)
                .ok()
                .is_some_and(|count| counts.set(event, count));
            if !fits {
                return Err(BatchError::CountTooHigh {
                    event: event.as_str(),
                    count,
                    max: event.max_count(),
                });
            }
        }
        Ok(counts)
    }

    /// The batch, once every field was read.
    fn finish(self) -> Result<Batch, BatchError> {
        let missing = |field| BatchError::Field(FieldFault::Missing(field));
        // `schema` first: a batch of another format is missing fields of its own.
        self.schema.ok_or(missing("schema"))?;
        Ok(Batch {
            id: self.id.ok_or(missing("id"))?,
            browser: self.browser.ok_or(missing("browser"))?,
            browser_major: self.browser_major.ok_or(missing("browser_major"))?,
            os: self.os.ok_or(missing("os"))?,
            country: self.country.ok_or(missing("country"))?,
            language: self.language.ok_or(missing("language"))?,
            utc_offset: self.utc_offset.ok_or(missing("utc_offset"))?,
            extension_version: self.extension_version.ok_or(missing("extension_version"))?,
            counts: self.counts.ok_or(missing("counts"))?,
        })
    }
}
