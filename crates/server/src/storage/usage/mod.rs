//! Anonymous usage counts in storage: what each accepted batch adds
//! ([`shopper_core::events::increments`]), the daily aggregates read back for `/v1/stats`, and
//! the retention sweep that finishes yesterday's monthly count and deletes the active marks
//! older than [`shopper_core::events::MARKS_KEPT_DAYS`]. Never a batch, never an address: the
//! marks hold the one thing of a sender kept, its random id, and only for that long.

mod postgres;
mod sqlite;

use async_trait::async_trait;
use shopper_core::events::{language_name, Day, EventKey, Increments};

use super::StorageError;

/// One sum of an event's counts, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSum {
    /// The day it was received.
    pub day: Day,
    /// The event (`popup_opened`).
    pub event: String,
    /// The country (`US`, `ZZ`).
    pub country: String,
    /// The interface language (`en`, `other`).
    pub language: String,
    /// The browser family (`chrome`).
    pub browser: String,
    /// The extension's version (`1.4.2`).
    pub extension_version: String,
    /// The sum.
    pub count: u64,
}

/// A day's active counts, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveDay {
    /// The day.
    pub day: Day,
    /// Distinct ids active that day.
    pub daily: u64,
    /// The monthly active count written as final once the day was over (none before).
    pub monthly: Option<u64>,
}

/// Active ids of a day by one field's value, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileCount {
    /// The day.
    pub day: Day,
    /// `os`, `browser` or `utc_offset`.
    pub field: String,
    /// Its value (`windows`, `chrome/131`, `-05:00`).
    pub value: String,
    /// How many ids active that day had it.
    pub active: u64,
}

/// What is stored of a range of days, each list in day order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageReport {
    /// The event sums, by day, event, country, language, browser, version.
    pub events: Vec<EventSum>,
    /// Whether there were more event sums than the limit asked (the rest are left out).
    pub events_truncated: bool,
    /// The days with an active id (a day without is absent).
    pub days: Vec<ActiveDay>,
    /// The profile counts, by day, field, value.
    pub profiles: Vec<ProfileCount>,
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// The monthly active count written as final for the day finished.
    pub finished: u64,
    /// How many marks were deleted.
    pub deleted: u64,
}

/// The usage counts. Every method is one transaction.
#[async_trait]
pub trait UsageStore: Send + Sync {
    /// Adds one accepted batch's increments, all or none: each event count to its sum, the
    /// active mark to the set and, when the mark is new (the id's first batch that day), one to
    /// the day's daily active count and to each profile count. Says whether the mark was new.
    async fn add_usage(&self, increments: &Increments) -> Result<bool, StorageError>;

    /// The aggregates of the days `first` to `last` (inclusive), at most `max_events` event
    /// sums.
    async fn usage_report(
        &self,
        first: Day,
        last: Day,
        max_events: usize,
    ) -> Result<UsageReport, StorageError>;

    /// How many distinct ids have a mark on a day from `first` to `last`: the monthly active
    /// count of a day whose window's marks are all kept.
    async fn distinct_active(&self, first: Day, last: Day) -> Result<u64, StorageError>;

    /// Writes the monthly active count of `finish` as final, counted from the marks of
    /// `window` (its 30 days), then deletes every mark of a day before `oldest_kept`.
    async fn sweep_usage(
        &self,
        finish: Day,
        window: (Day, Day),
        oldest_kept: Day,
    ) -> Result<Swept, StorageError>;
}

/// An event key's columns as stored, in the table's key order after `day`.
fn event_columns(key: &EventKey) -> [String; 5] {
    [
        key.event.as_str().to_owned(),
        key.country.as_str().to_owned(),
        language_name(key.language).to_owned(),
        key.browser.as_str().to_owned(),
        key.extension_version.to_string(),
    ]
}

/// A stored count, never negative.
fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// A count to store.
fn stored(value: u32) -> i64 {
    i64::from(value)
}
