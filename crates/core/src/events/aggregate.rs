//! The aggregation rule: what one accepted batch adds to the daily aggregates, what marks an id
//! active, the daily and monthly active counts, and how long a mark is kept. Pure: the server
//! applies the [`Increments`] to its storage and deletes what [`oldest_kept_mark`] says.
//!
//! Definitions (days are UTC days, the server's day of receipt; a batch carries no time):
//! - an id is *active on day D* when a batch carrying it was accepted on D;
//! - the *daily active count* of D is the number of distinct ids active on D;
//! - the *monthly active count* of D is the number of distinct ids active on at least one day of
//!   the [`ACTIVE_WINDOW_DAYS`] days ending with D, `D - 29` to `D`.
//!
//! What is stored, and nothing else of a batch:
//! 1. the event counts, summed per (day, event, country, language, browser family, extension
//!    version): [`Increments::events`];
//! 2. the *active mark* (id, day), the one place an id is kept: [`Increments::mark`]. Marks are
//!    a set: a second batch of the same id on the same day adds no mark;
//! 3. when the mark is new (the id's first batch that day): the day's daily active count plus
//!    one, and each of [`Increments::first_of_day`] plus one: per day, how many active ids had
//!    each operating system, browser version and UTC offset, each counted on its own and never
//!    crossed with another field, so these counts describe no one.
//!
//! How long a mark is kept: the monthly count of a day needs the marks of its 30 days. The
//! server counts today's live and writes yesterday's as final during today, so a mark is kept
//! [`MARKS_KEPT_DAYS`] (31) days: a mark of day D is deleted from day D + 31 on. An id that stops
//! sending is gone 31 days after it was last seen; the daily counts and the aggregates keep no
//! id at all.

use super::fields::{BrowserFamily, Country, Event, ExtensionVersion};
use super::{AnonymousId, Batch};
use crate::codec::rfc3339::civil_from_days;
use crate::locale::UiLanguage;

/// A UTC day, counted from 1970-01-01 (day 0).
pub type Day = i64;

/// How many days the monthly active count spans, the day itself included.
pub const ACTIVE_WINDOW_DAYS: i64 = 30;

/// How many days a mark is kept, the day it was made included: the window of today's monthly
/// count and of yesterday's, which the server finishes during today.
pub const MARKS_KEPT_DAYS: i64 = ACTIVE_WINDOW_DAYS + 1;

/// The UTC day of an instant in seconds since the epoch.
pub fn day_of(unix_seconds: i64) -> Day {
    unix_seconds.div_euclid(86_400)
}

/// The day as `YYYY-MM-DD`, the one way the aggregates write a day.
pub fn day_text(day: Day) -> String {
    let (year, month, day) = civil_from_days(day);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day `text` names as [`day_text`] writes it (`2026-11-23`), the one way a day is read.
pub fn parse_day(text: &str) -> Option<Day> {
    // The date part of an RFC 3339 time: the same reading of a date as every time the core reads.
    if text.len() != 10 {
        return None;
    }
    crate::codec::rfc3339::unix_seconds(&format!("{text}T00:00:00Z"))
        .ok()
        .map(day_of)
}

/// The first and last day (inclusive) whose marks the monthly active count of `day` counts.
pub fn monthly_window(day: Day) -> (Day, Day) {
    (day - (ACTIVE_WINDOW_DAYS - 1), day)
}

/// The oldest day whose marks are still kept on `today`: the server deletes every mark of an
/// earlier day.
pub fn oldest_kept_mark(today: Day) -> Day {
    today - (MARKS_KEPT_DAYS - 1)
}

/// Whether the monthly active count of `day` can still be counted exactly on `today` (every mark
/// of its window kept): for today and yesterday only. The server stores yesterday's as final.
pub fn monthly_countable(day: Day, today: Day) -> bool {
    day <= today && monthly_window(day).0 >= oldest_kept_mark(today)
}

/// The day whose monthly active count the server writes as final on `today`: yesterday, the
/// last one over whose marks are all still kept ([`monthly_countable`]). Today's is counted
/// live; a day the server did not finish (it was down all of the next day) has none.
pub fn monthly_to_finish(today: Day) -> Day {
    today - 1
}

/// Where one event count of a batch is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKey {
    /// The day it was received.
    pub day: Day,
    /// What happened.
    pub event: Event,
    /// The shopper's country.
    pub country: Country,
    /// The interface language (`None`: other).
    pub language: Option<UiLanguage>,
    /// The browser's family.
    pub browser: BrowserFamily,
    /// The extension's version.
    pub extension_version: ExtensionVersion,
}

/// An id active on a day: what the monthly active count reads, and the only thing that holds an
/// id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActiveMark {
    /// The id.
    pub id: AnonymousId,
    /// The day.
    pub day: Day,
}

/// A field of the batch counted once per active id and day, on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProfileDimension {
    /// The operating system's family (`windows`).
    Os,
    /// The browser's family and major version (`chrome/131`).
    Browser,
    /// The UTC offset (`+05:30`).
    UtcOffset,
}

impl ProfileDimension {
    /// Its name in the aggregates: `os`, `browser`, `utc_offset`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Os => "os",
            Self::Browser => "browser",
            Self::UtcOffset => "utc_offset",
        }
    }
}

/// One count of active ids by one field's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileKey {
    /// The day.
    pub day: Day,
    /// Which field.
    pub dimension: ProfileDimension,
    /// Its value, as the aggregates write it.
    pub value: String,
}

/// What one accepted batch adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increments {
    /// Each event that happened, and how many times: add the count to its key's sum.
    pub events: Vec<(EventKey, u32)>,
    /// The id active that day: add it to the set of marks.
    pub mark: ActiveMark,
    /// Only when the mark is new: add one to the day's daily active count and one to each.
    pub first_of_day: Vec<ProfileKey>,
}

/// What `batch`, accepted on `day`, adds to the aggregates.
pub fn increments(batch: &Batch, day: Day) -> Increments {
    let events = batch
        .counts
        .nonzero()
        .map(|(event, count)| {
            let key = EventKey {
                day,
                event,
                country: batch.country,
                language: batch.language,
                browser: batch.browser,
                extension_version: batch.extension_version,
            };
            (key, count)
        })
        .collect();
    let profile = |dimension, value| ProfileKey {
        day,
        dimension,
        value,
    };
    Increments {
        events,
        mark: ActiveMark { id: batch.id, day },
        first_of_day: vec![
            profile(ProfileDimension::Os, batch.os.as_str().to_owned()),
            profile(
                ProfileDimension::Browser,
                format!("{}/{}", batch.browser.as_str(), batch.browser_major.get()),
            ),
            profile(ProfileDimension::UtcOffset, batch.utc_offset.to_string()),
        ],
    }
}

/// A day's active counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActiveCounts {
    /// Distinct ids active on the day.
    pub daily: u64,
    /// Distinct ids active on a day of its 30-day window.
    pub monthly: u64,
}

/// The active counts of `day` from a set of marks, by the definitions above: the reference the
/// server's queries are held to (it counts the same in its storage).
pub fn active_counts(marks: &[ActiveMark], day: Day) -> ActiveCounts {
    let (first, last) = monthly_window(day);
    let distinct = |keep: &dyn Fn(Day) -> bool| {
        let mut ids: Vec<AnonymousId> = marks
            .iter()
            .filter(|mark| keep(mark.day))
            .map(|mark| mark.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        u64::try_from(ids.len()).unwrap_or(u64::MAX)
    };
    ActiveCounts {
        daily: distinct(&|d| d == day),
        monthly: distinct(&|d| (first..=last).contains(&d)),
    }
}
