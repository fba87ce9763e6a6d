//! Anonymous usage counts in storage: what each accepted batch adds
//! ([`shopper_core::events::increments`]), the daily aggregates read back for `/v1/stats`, and
//! the retention sweep that finishes yesterday's monthly count and deletes the active marks
//! older than [`shopper_core::events::MARKS_KEPT_DAYS`]. Never a batch, never an address: the
//! marks hold the one thing of a sender kept, its random id, and only for that long.

mod postgres;
mod sqlite;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use async_trait::async_trait;
use shopper_core::events::{language_name, ActiveMark, Day, EventKey, Increments, ProfileKey};

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
    /// Adds accepted batches' increments, all in one transaction (so each batch whole): each
    /// event count to its sum, each active mark to the set and, for each mark that is new (the
    /// id's first batch that day), one to the day's daily active count and to each of that
    /// batch's profile counts. Says, batch by batch, whether its mark was new (of two batches
    /// with one mark, the first).
    async fn add_usage(&self, batches: &[Increments]) -> Result<Vec<bool>, StorageError>;

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

/// A group of batches' increments merged for one transaction: the sums to add, each key once,
/// in key order. Both backends write a group this way, so their transactions lock rows in one
/// order (event sums, marks, days, profiles, each by key) and two instances writing at once
/// never deadlock.
struct Merged {
    /// Each event key's sum over the group.
    events: Vec<(EventKey, u64)>,
    /// Each mark of the group once.
    marks: Vec<ActiveMark>,
}

impl Merged {
    fn of(batches: &[Increments]) -> Self {
        let mut events: BTreeMap<EventKey, u64> = BTreeMap::new();
        for (key, n) in batches.iter().flat_map(|b| &b.events) {
            *events.entry(*key).or_default() += u64::from(*n);
        }
        let marks: BTreeSet<ActiveMark> = batches.iter().map(|b| b.mark).collect();
        Self {
            events: events.into_iter().collect(),
            marks: marks.into_iter().collect(),
        }
    }
}

/// What the new marks add: per day, the active ids to add, and per profile key; and batch by
/// batch whether its mark was new. A new mark counts once, with the profiles of the first
/// batch of the group that carried it.
struct Firsts {
    days: Vec<(Day, u64)>,
    profiles: Vec<(ProfileKey, u64)>,
    new: Vec<bool>,
}

impl Firsts {
    fn of(batches: &[Increments], new_marks: &[ActiveMark]) -> Self {
        let mut unclaimed: HashSet<ActiveMark> = new_marks.iter().copied().collect();
        let mut days: BTreeMap<Day, u64> = BTreeMap::new();
        let mut profiles: BTreeMap<ProfileKey, u64> = BTreeMap::new();
        let new = batches
            .iter()
            .map(|batch| {
                let first = unclaimed.remove(&batch.mark);
                if first {
                    *days.entry(batch.mark.day).or_default() += 1;
                    for profile in &batch.first_of_day {
                        *profiles.entry(profile.clone()).or_default() += 1;
                    }
                }
                first
            })
            .collect();
        Self {
            days: days.into_iter().collect(),
            profiles: profiles.into_iter().collect(),
            new,
        }
    }
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
fn stored(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopper_core::events::{increments, read_batch, AnonymousId, Event};

    fn batch(n: u8, day: Day, popups: u32) -> Increments {
        let text = r#"{"schema": 1, "id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "browser": "chrome",
            "browser_major": 131, "os": "windows", "country": "US", "language": "en",
            "utc_offset": -300, "extension_version": "1.4.2", "counts": {}}"#;
        let mut batch = read_batch(text.as_bytes()).expect("batch");
        batch.id = AnonymousId::from_random([n; 16]);
        assert!(batch.counts.set(Event::PopupOpened, popups));
        increments(&batch, day)
    }

    #[test]
    fn a_group_is_merged_into_sums_each_key_once() {
        let group = [
            batch(1, 10, 2),
            batch(2, 10, 3),
            batch(1, 10, 4),
            batch(1, 11, 0),
        ];
        let merged = Merged::of(&group);
        assert_eq!(merged.events.len(), 1);
        assert_eq!(merged.events[0].1, 9);
        assert_eq!(merged.marks.len(), 3, "id 1 on day 10 once");
        // Id 1 on day 10 was already stored: only id 2 on 10 and id 1 on 11 are new.
        let new: Vec<ActiveMark> = merged
            .marks
            .iter()
            .copied()
            .filter(|m| m.day == 11 || m.id == group[1].mark.id)
            .collect();
        let firsts = Firsts::of(&group, &new);
        assert_eq!(firsts.new, [false, true, false, true]);
        assert_eq!(firsts.days, [(10, 1), (11, 1)]);
        assert_eq!(firsts.profiles.len(), 6);
        assert!(firsts.profiles.iter().all(|(_, n)| *n == 1));
        // All new: the first batch of a mark claims it, the second of it does not.
        let firsts = Firsts::of(&group, &merged.marks);
        assert_eq!(firsts.new, [true, true, false, true]);
        assert_eq!(firsts.days, [(10, 2), (11, 1)]);
    }
}
