//! Anonymous usage counts: the one definition of the batch the extension sends (with the
//! shopper's consent) and the server takes in, its strict reader and its one writer, and the
//! rule that turns a batch into daily aggregates and says how long an anonymous id is kept.
//!
//! A batch, schema 1, every field required and no other allowed:
//!
//! ```json
//! {"schema": 1, "id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
//!  "browser": "chrome", "browser_major": 131, "os": "windows",
//!  "country": "US", "language": "en", "utc_offset": -300, "extension_version": "1.4.2",
//!  "counts": {"popup_opened": 3, "coupon_copied": 1}}
//! ```
//!
//! - `id`: a random version 4 UUID in lower case ([`AnonymousId`]), made on the device once;
//! - `browser`, `os`: a family from a fixed list ([`BrowserFamily`], [`OsFamily`]), `other`
//!   for the rest; `browser_major` 1 to 999;
//! - `country`: an assigned ISO 3166-1 alpha-2 code or `ZZ` ([`Country`]);
//! - `language`: one of the six interface languages (`en`, `de`, `es`, `fr`, `pt_BR`, `ru`) or
//!   `other`;
//! - `utc_offset`: the time zone as minutes east of UTC ([`UtcOffset`]);
//! - `extension_version`: the manifest's version ([`ExtensionVersion`]);
//! - `counts`: how many times each [`Event`] of the list happened since the last batch, each at
//!   most its [`Event::max_count`]; an event that did not happen may be left out.
//!
//! Anything else refuses the whole batch with a [`BatchError`]: a field or event outside the
//! list, a wrong type, a value outside its set or bounds, a field or event twice, more than
//! [`MAX_BATCH_BYTES`]. Nothing in a batch is free text, so nothing the server keeps of it is.
//!
//! What the server keeps ([`aggregate`]): per day, counts per event, country, language,
//! browser family and extension version; per day, how many ids were active, by operating
//! system, browser version and UTC offset (one of those at a time, never crossed); and, for
//! the monthly active count only, which ids were active on which day, for 31 days.

pub mod aggregate;
mod countries;
mod error;
mod fields;
mod read;
mod write;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use aggregate::{
    active_counts, day_of, day_text, increments, monthly_countable, monthly_to_finish,
    monthly_window, oldest_kept_mark, parse_day, ActiveCounts, ActiveMark, Day, EventKey,
    Increments, ProfileDimension, ProfileKey, ACTIVE_WINDOW_DAYS, MARKS_KEPT_DAYS,
};
pub use error::BatchError;
pub use fields::{
    language_name, parse_language, AnonymousId, BrowserFamily, BrowserMajor, Country, Event,
    EventCounts, ExtensionVersion, OsFamily, UtcOffset, EVENT_KINDS,
};
pub use read::read_batch;

use crate::locale::UiLanguage;

/// The batch format this build reads and writes.
pub const SCHEMA: u64 = 1;

/// The most bytes a batch may have. A batch with every field and every event at its bound is
/// about 450 bytes; the limit leaves room for whitespace and escapes, and bounds the work a
/// sender can ask of the reader.
pub const MAX_BATCH_BYTES: usize = 4096;

/// One batch of anonymous usage counts. Each field's type holds only values the reader
/// accepts, so a batch built here reads back equal from what [`Batch::to_json`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Batch {
    /// The random anonymous id.
    pub id: AnonymousId,
    /// The browser's family.
    pub browser: BrowserFamily,
    /// The browser's major version.
    pub browser_major: BrowserMajor,
    /// The operating system's family.
    pub os: OsFamily,
    /// The shopper's country, or not known.
    pub country: Country,
    /// The interface language (`None`: the browser's language is none of the six).
    pub language: Option<UiLanguage>,
    /// The time zone, as its offset from UTC.
    pub utc_offset: UtcOffset,
    /// The extension's version.
    pub extension_version: ExtensionVersion,
    /// How many times each event happened.
    pub counts: EventCounts,
}
