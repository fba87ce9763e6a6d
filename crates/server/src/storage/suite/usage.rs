//! The usage counts' storage tests, run on each backend by the suite: increments add up as the
//! core's aggregation rule says, an id seen again on a day is counted once (also when batches
//! race on several instances), the active counts equal the core's reference, and the sweep
//! finishes yesterday's monthly count and deletes exactly the marks retention says.

use std::collections::BTreeMap;

use shopper_core::events::{
    active_counts, increments, monthly_to_finish, monthly_window, oldest_kept_mark, ActiveMark,
    AnonymousId, Batch, BrowserFamily, BrowserMajor, Country, Day, Event, EventCounts,
    ExtensionVersion, OsFamily, UtcOffset,
};
use shopper_core::locale::UiLanguage;

use super::*;
use crate::storage::usage::{ActiveDay, Swept, UsageReport};

/// A batch of id `n` from `country` on Windows, Chrome 131, New York's winter offset.
pub(super) fn batch(n: u8, country: &str, counts: &[(Event, u32)]) -> Batch {
    let mut counted = EventCounts::default();
    for (event, count) in counts {
        assert!(counted.set(*event, *count), "{event:?} {count}");
    }
    Batch {
        id: AnonymousId::from_random([n; 16]),
        browser: BrowserFamily::Chrome,
        browser_major: BrowserMajor::new(131).expect("major"),
        os: OsFamily::Windows,
        country: Country::parse(country).expect("country"),
        language: Some(UiLanguage::En),
        utc_offset: UtcOffset::new(-300).expect("offset"),
        extension_version: ExtensionVersion::parse("1.4.2").expect("version"),
        counts: counted,
    }
}

async fn add(storage: &dyn Storage, batch: &Batch, day: Day) -> bool {
    let new = storage
        .add_usage(&[increments(batch, day)])
        .await
        .expect("a batch added");
    assert_eq!(new.len(), 1);
    new[0]
}

async fn report(storage: &dyn Storage, first: Day, last: Day) -> UsageReport {
    storage
        .usage_report(first, last, 10_000)
        .await
        .expect("the report")
}

/// The event sums by (day, event, country).
fn sums(report: &UsageReport) -> BTreeMap<(Day, String, String), u64> {
    report
        .events
        .iter()
        .map(|e| ((e.day, e.event.clone(), e.country.clone()), e.count))
        .collect()
}

fn sum(day: Day, event: Event, country: &str, count: u64) -> ((Day, String, String), u64) {
    ((day, event.as_str().to_owned(), country.to_owned()), count)
}

impl Opened {
    async fn count(&self, sql: &str) -> i64 {
        match self {
            Self::Sqlite(s) => sqlx::query_scalar(sql).fetch_one(s.pool()).await,
            Self::Postgres(s) => sqlx::query_scalar(sql).fetch_one(s.pool()).await,
        }
        .expect(sql)
    }
}

pub(super) async fn usage_increments_add_up(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let day: Day = 20_000;
    let (popup, copied) = (Event::PopupOpened, Event::CouponCopied);
    assert!(add(storage, &batch(1, "US", &[(popup, 3), (copied, 1)]), day).await);
    assert!(
        !add(storage, &batch(1, "US", &[(popup, 2)]), day).await,
        "the same id again that day: no new mark"
    );
    assert!(add(storage, &batch(2, "BR", &[(popup, 5)]), day).await);
    assert!(
        add(storage, &batch(3, "US", &[]), day).await,
        "nothing counted, still active"
    );
    assert!(add(storage, &batch(1, "US", &[(popup, 4)]), day + 1).await);

    let both = report(storage, day, day + 1).await;
    assert_eq!(
        sums(&both),
        BTreeMap::from([
            sum(day, popup, "US", 5),
            sum(day, copied, "US", 1),
            sum(day, popup, "BR", 5),
            sum(day + 1, popup, "US", 4),
        ])
    );
    let first = &both.events[0];
    assert_eq!(
        (
            first.language.as_str(),
            first.browser.as_str(),
            first.extension_version.as_str()
        ),
        ("en", "chrome", "1.4.2")
    );
    assert!(!both.events_truncated);
    assert_eq!(
        both.days,
        [
            ActiveDay {
                day,
                daily: 3,
                monthly: None
            },
            ActiveDay {
                day: day + 1,
                daily: 1,
                monthly: None
            }
        ]
    );
    let profiles: Vec<(Day, &str, &str, u64)> = both
        .profiles
        .iter()
        .map(|p| (p.day, p.field.as_str(), p.value.as_str(), p.active))
        .collect();
    assert_eq!(
        profiles,
        [
            (day, "browser", "chrome/131", 3),
            (day, "os", "windows", 3),
            (day, "utc_offset", "-05:00", 3),
            (day + 1, "browser", "chrome/131", 1),
            (day + 1, "os", "windows", 1),
            (day + 1, "utc_offset", "-05:00", 1),
        ]
    );
    // Bounded: at most the event sums asked for, and it says so.
    let cut = storage.usage_report(day, day + 1, 2).await.expect("cut");
    assert_eq!(cut.events.len(), 2);
    assert!(cut.events_truncated);
    assert_eq!(cut.days, both.days, "only the event sums are cut");
    // Another range sees only its days.
    let later = report(storage, day + 1, day + 5).await;
    assert_eq!(later.events.len(), 1);
    assert_eq!(later.days.len(), 1);
    assert_eq!(
        opened
            .count("SELECT COUNT(*) FROM usage_active_marks")
            .await,
        4
    );
}

/// Batches added as one group (one transaction) count as they would one by one: of the
/// batches of one id and day, the first is the new mark, also when the mark was stored before.
pub(super) async fn a_group_adds_up_as_its_batches_one_by_one(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let day: Day = 20_000;
    assert!(add(storage, &batch(1, "US", &[(Event::PopupOpened, 1)]), day).await);
    let mut linux = batch(3, "US", &[]);
    linux.os = OsFamily::Linux;
    let group = [
        increments(&batch(1, "US", &[(Event::PopupOpened, 2)]), day), // stored before
        increments(&batch(2, "US", &[(Event::PopupOpened, 3)]), day),
        increments(&linux, day),
        increments(&batch(2, "FR", &[(Event::CouponCopied, 4)]), day), // its second
        increments(&batch(2, "US", &[(Event::PopupOpened, 5)]), day + 1),
    ];
    let new = storage.add_usage(&group).await.expect("a group");
    assert_eq!(new, [false, true, true, false, true]);
    assert!(storage.add_usage(&[]).await.expect("none").is_empty());
    let got = report(storage, day, day + 1).await;
    assert_eq!(
        sums(&got),
        BTreeMap::from([
            sum(day, Event::PopupOpened, "US", 6),
            sum(day, Event::CouponCopied, "FR", 4),
            sum(day + 1, Event::PopupOpened, "US", 5),
        ])
    );
    let daily: Vec<(Day, u64)> = got.days.iter().map(|d| (d.day, d.daily)).collect();
    assert_eq!(daily, [(day, 3), (day + 1, 1)]);
    let os: Vec<(Day, &str, u64)> = got
        .profiles
        .iter()
        .filter(|p| p.field == "os")
        .map(|p| (p.day, p.value.as_str(), p.active))
        .collect();
    assert_eq!(
        os,
        [
            (day, "linux", 1),
            (day, "windows", 2),
            (day + 1, "windows", 1)
        ]
    );
    assert_eq!(
        opened
            .count("SELECT COUNT(*) FROM usage_active_marks")
            .await,
        4
    );
}

/// The active counts storage gives equal the core's reference over the same marks.
pub(super) async fn active_counts_are_the_cores(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let today: Day = 20_100;
    let mut marks = Vec::new();
    for back in 0..=31i64 {
        // Ids 0 to 6 on a pattern of days, some twice.
        for n in 0..7u8 {
            if (back + i64::from(n)) % 5 == 0 || (n == 6 && back == 31) {
                let day = today - back;
                let b = batch(n, "US", &[(Event::PopupOpened, 1)]);
                add(storage, &b, day).await;
                add(storage, &b, day).await;
                marks.push(ActiveMark { id: b.id, day });
                marks.push(ActiveMark { id: b.id, day });
            }
        }
    }
    let days = report(storage, today - 31, today).await.days;
    for day in [today, today - 1, today - 7, today - 30] {
        let expected = active_counts(&marks, day);
        let daily = days.iter().find(|d| d.day == day).map_or(0, |d| d.daily);
        assert_eq!(daily, expected.daily, "daily of {day}");
        let (first, last) = monthly_window(day);
        let monthly = storage
            .distinct_active(first, last)
            .await
            .expect("distinct");
        assert_eq!(monthly, expected.monthly, "monthly of {day}");
    }
}

/// Groups of batches at once from several instances, the same ids among them on one day: every
/// count is added, and each id is one active id, once.
pub(super) async fn concurrent_batches_add_up_and_count_each_id_once(backend: Backend) {
    let db = Fresh::new(backend).await;
    drop(db.open().await);
    let instances = futures_join(&db, 3).await;
    let day: Day = 20_000;
    let mut tasks = tokio::task::JoinSet::new();
    for instance in instances {
        tasks.spawn(async move {
            let mut new = 0;
            for round in 0..5u8 {
                // Groups of two, the same ids in other orders on each instance.
                let group: Vec<_> = [round, 4 - round]
                    .iter()
                    .map(|n| {
                        let counts = [(Event::PopupOpened, 1), (Event::LinkRewritten, 7)];
                        increments(&batch(*n, "US", &counts), day)
                    })
                    .collect();
                let added = instance.storage().add_usage(&group).await.expect("a group");
                new += added.iter().filter(|n| **n).count();
            }
            new
        });
    }
    let mut new = 0;
    while let Some(result) = tasks.join_next().await {
        new += result.expect("joined");
    }
    assert_eq!(new, 5, "each id's first batch of the day, once");
    let opened = db.open().await;
    let got = report(opened.storage(), day, day).await;
    assert_eq!(
        sums(&got),
        BTreeMap::from([
            sum(day, Event::PopupOpened, "US", 30),
            sum(day, Event::LinkRewritten, "US", 210),
        ])
    );
    assert_eq!(got.days[0].daily, 5);
    assert!(
        got.profiles.iter().all(|p| p.active == 5),
        "{:?}",
        got.profiles
    );
    assert_eq!(
        opened
            .count("SELECT COUNT(*) FROM usage_active_marks")
            .await,
        5
    );
}

/// The sweep writes yesterday's monthly count as final and deletes the marks of every day
/// before the oldest kept, and nothing else; again, it changes nothing.
pub(super) async fn retention_deletes_old_marks_and_finishes_yesterday(backend: Backend) {
    let db = Fresh::new(backend).await;
    let opened = db.open().await;
    let storage = opened.storage();
    let today: Day = 20_200;
    let mut marks = Vec::new();
    for back in 0..=45i64 {
        let day = today - back;
        for n in [u8::try_from(back).expect("small"), 200] {
            let b = batch(n, "DE", &[(Event::CouponFilled, 2)]);
            add(storage, &b, day).await;
            marks.push(ActiveMark { id: b.id, day });
        }
    }
    let oldest = oldest_kept_mark(today);
    let finish = monthly_to_finish(today);
    let today_monthly = storage
        .distinct_active(monthly_window(today).0, today)
        .await
        .expect("today's");
    let swept = storage
        .sweep_usage(finish, monthly_window(finish), oldest)
        .await
        .expect("swept");
    let old = marks.iter().filter(|m| m.day < oldest).count();
    assert_eq!(
        swept,
        Swept {
            finished: active_counts(&marks, finish).monthly,
            deleted: u64::try_from(old).expect("count"),
        }
    );
    assert_eq!(swept.finished, 31, "30 ids of the window and the daily one");
    let kept = opened
        .count("SELECT COUNT(*) FROM usage_active_marks")
        .await;
    assert_eq!(usize::try_from(kept).expect("count"), marks.len() - old);
    let first_kept = opened
        .count("SELECT MIN(day) FROM usage_active_marks")
        .await;
    assert_eq!(first_kept, oldest);
    let all = report(storage, today - 45, today).await;
    assert_eq!(all.events.len(), 46, "the aggregates keep every day");
    assert_eq!(all.days.len(), 46);
    let yesterday = all
        .days
        .iter()
        .find(|d| d.day == finish)
        .expect("yesterday");
    assert_eq!(
        (yesterday.daily, yesterday.monthly),
        (2, Some(swept.finished))
    );
    assert!(all
        .days
        .iter()
        .filter(|d| d.day != finish)
        .all(|d| d.monthly.is_none()));
    assert_eq!(
        storage
            .distinct_active(monthly_window(today).0, today)
            .await
            .expect("today's"),
        today_monthly,
        "today's count needs none of what was deleted"
    );
    let again = storage
        .sweep_usage(finish, monthly_window(finish), oldest)
        .await
        .expect("again");
    assert_eq!((again.finished, again.deleted), (swept.finished, 0));
    // A day nobody came is finished too: its monthly count is known, and zero.
    let empty = Fresh::new(backend).await;
    let empty = empty.open().await;
    let swept = empty
        .storage()
        .sweep_usage(finish, monthly_window(finish), oldest)
        .await
        .expect("empty");
    assert_eq!(
        swept,
        Swept {
            finished: 0,
            deleted: 0
        }
    );
    assert_eq!(
        report(empty.storage(), finish, finish).await.days,
        [ActiveDay {
            day: finish,
            daily: 0,
            monthly: Some(0)
        }]
    );
}

/// Whether `migrations` make the usage tables (by name: the number is the merge's to choose).
pub(super) fn has_usage(migrations: &[Migration]) -> bool {
    migrations.iter().any(|m| m.name == "usage")
}

/// Usage written before a later migration: what [`usage_is_still_there`] reads after it.
pub(super) async fn fill_usage(storage: &dyn Storage) {
    add(storage, &batch(9, "FR", &[(Event::ModeChanged, 2)]), 19_000).await;
}

pub(super) async fn usage_is_still_there(storage: &dyn Storage) {
    let got = report(storage, 19_000, 19_000).await;
    assert_eq!(
        sums(&got),
        BTreeMap::from([sum(19_000, Event::ModeChanged, "FR", 2)])
    );
    assert_eq!(got.days[0].daily, 1);
}

/// Usage can be written and read once its migration is applied.
pub(super) async fn usage_works(storage: &dyn Storage) {
    assert!(add(storage, &batch(10, "JP", &[(Event::StoodDown, 1)]), 19_001).await);
    let got = report(storage, 19_001, 19_001).await;
    assert_eq!(
        sums(&got),
        BTreeMap::from([sum(19_001, Event::StoodDown, "JP", 1)])
    );
    assert_eq!(storage.distinct_active(19_001, 19_001).await.expect("n"), 1);
}
