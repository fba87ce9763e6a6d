//! The usage counts on SQLite: a group of batches in one write transaction, taken with the
//! write lock first (`BEGIN IMMEDIATE`), so another writer (an import, another process) makes
//! it wait instead of failing busy; the group's sums each written once.

use async_trait::async_trait;
use shopper_core::events::{Day, Increments};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{count, event_columns, stored, ActiveDay, EventSum, ProfileCount, Swept, UsageReport};
use super::{Firsts, Merged};
use super::{StorageError, UsageStore};
use crate::storage::SqliteStorage;

const ADD_EVENT: &str = "INSERT INTO usage_events \
    (day, event, country, language, browser, extension_version, count) VALUES (?, ?, ?, ?, ?, ?, ?) \
    ON CONFLICT (day, event, country, language, browser, extension_version) \
    DO UPDATE SET count = count + excluded.count";
const ADD_MARK: &str =
    "INSERT INTO usage_active_marks (day, id) VALUES (?, ?) ON CONFLICT (day, id) DO NOTHING";
const ADD_DAY: &str = "INSERT INTO usage_days (day, daily_active) VALUES (?, ?) \
    ON CONFLICT (day) DO UPDATE SET daily_active = daily_active + excluded.daily_active";
const ADD_PROFILE: &str = "INSERT INTO usage_profiles (day, field, value, active) \
    VALUES (?, ?, ?, ?) \
    ON CONFLICT (day, field, value) DO UPDATE SET active = active + excluded.active";

#[async_trait]
impl UsageStore for SqliteStorage {
    async fn add_usage(&self, batches: &[Increments]) -> Result<Vec<bool>, StorageError> {
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        let merged = Merged::of(batches);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for (key, n) in &merged.events {
            let [event, country, language, browser, version] = event_columns(key);
            sqlx::query(ADD_EVENT)
                .bind(key.day)
                .bind(event)
                .bind(country)
                .bind(language)
                .bind(browser)
                .bind(version)
                .bind(stored(*n))
                .execute(&mut *tx)
                .await?;
        }
        let mut new_marks = Vec::new();
        for mark in &merged.marks {
            let added = sqlx::query(ADD_MARK)
                .bind(mark.day)
                .bind(mark.id.bytes().to_vec())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if added == 1 {
                new_marks.push(*mark);
            }
        }
        let firsts = Firsts::of(batches, &new_marks);
        for (day, n) in &firsts.days {
            sqlx::query(ADD_DAY)
                .bind(day)
                .bind(stored(*n))
                .execute(&mut *tx)
                .await?;
        }
        for (profile, n) in &firsts.profiles {
            sqlx::query(ADD_PROFILE)
                .bind(profile.day)
                .bind(profile.dimension.as_str())
                .bind(&profile.value)
                .bind(stored(*n))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(firsts.new)
    }

    async fn usage_report(
        &self,
        first: Day,
        last: Day,
        max_events: usize,
    ) -> Result<UsageReport, StorageError> {
        // One read transaction: the three lists from the same moment.
        let mut tx = self.pool.begin().await?;
        let limit = i64::try_from(max_events)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        let mut events = sqlx::query(
            "SELECT day, event, country, language, browser, extension_version, count \
             FROM usage_events WHERE day BETWEEN ? AND ? \
             ORDER BY day, event, country, language, browser, extension_version LIMIT ?",
        )
        .bind(first)
        .bind(last)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(event_sum)
        .collect::<Result<Vec<_>, _>>()?;
        let events_truncated = events.len() > max_events;
        events.truncate(max_events);
        let days = sqlx::query(
            "SELECT day, daily_active, monthly_active FROM usage_days \
             WHERE day BETWEEN ? AND ? ORDER BY day",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(active_day)
        .collect::<Result<Vec<_>, _>>()?;
        let profiles = sqlx::query(
            "SELECT day, field, value, active FROM usage_profiles \
             WHERE day BETWEEN ? AND ? ORDER BY day, field, value",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(profile_count)
        .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;
        Ok(UsageReport {
            events,
            events_truncated,
            days,
            profiles,
        })
    }

    async fn distinct_active(&self, first: Day, last: Day) -> Result<u64, StorageError> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT id) FROM usage_active_marks WHERE day BETWEEN ? AND ?",
        )
        .bind(first)
        .bind(last)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(count(n))
    }

    async fn sweep_usage(
        &self,
        finish: Day,
        window: (Day, Day),
        oldest_kept: Day,
    ) -> Result<Swept, StorageError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let finished: i64 = sqlx::query(
            "INSERT INTO usage_days (day, daily_active, monthly_active) \
             SELECT ?, 0, COUNT(DISTINCT id) FROM usage_active_marks WHERE day BETWEEN ? AND ? \
             ON CONFLICT (day) DO UPDATE SET monthly_active = excluded.monthly_active \
             RETURNING monthly_active",
        )
        .bind(finish)
        .bind(window.0)
        .bind(window.1)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let deleted = sqlx::query("DELETE FROM usage_active_marks WHERE day < ?")
            .bind(oldest_kept)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Swept {
            finished: count(finished),
            deleted,
        })
    }
}

fn event_sum(row: &SqliteRow) -> Result<EventSum, sqlx::Error> {
    Ok(EventSum {
        day: row.try_get(0)?,
        event: row.try_get(1)?,
        country: row.try_get(2)?,
        language: row.try_get(3)?,
        browser: row.try_get(4)?,
        extension_version: row.try_get(5)?,
        count: count(row.try_get(6)?),
    })
}

fn active_day(row: &SqliteRow) -> Result<ActiveDay, sqlx::Error> {
    Ok(ActiveDay {
        day: row.try_get(0)?,
        daily: count(row.try_get(1)?),
        monthly: row.try_get::<Option<i64>, _>(2)?.map(count),
    })
}

fn profile_count(row: &SqliteRow) -> Result<ProfileCount, sqlx::Error> {
    Ok(ProfileCount {
        day: row.try_get(0)?,
        field: row.try_get(1)?,
        value: row.try_get(2)?,
        active: count(row.try_get(3)?),
    })
}
