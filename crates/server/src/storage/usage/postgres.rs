//! The usage counts on PostgreSQL: a group of batches in one transaction of four statements,
//! each writing its part of the group's sums at once from arrays (`UNNEST`). Concurrent groups
//! of the same id and day meet on the mark's key: the second waits for the first's commit, then
//! finds the mark there and adds to no active count. Each statement locks its rows in key order,
//! and every group runs them in the same order (event sums, marks, days, profiles), so
//! instances writing at once never deadlock.

use std::collections::HashSet;

use async_trait::async_trait;
use shopper_core::events::{Day, Increments};
use sqlx::postgres::PgRow;
use sqlx::Row;

use super::{count, event_columns, stored, ActiveDay, EventSum, ProfileCount, Swept, UsageReport};
use super::{Firsts, Merged};
use super::{StorageError, UsageStore};
use crate::storage::PostgresStorage;

const ADD_EVENTS: &str = "INSERT INTO usage_events \
    (day, event, country, language, browser, extension_version, count) \
    SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
        $7::int8[]) AS t(day, event, country, language, browser, extension_version, count) \
    ORDER BY day, event, country, language, browser, extension_version \
    ON CONFLICT (day, event, country, language, browser, extension_version) \
    DO UPDATE SET count = usage_events.count + excluded.count";
const ADD_MARKS: &str = "INSERT INTO usage_active_marks (day, id) \
    SELECT * FROM UNNEST($1::int8[], $2::bytea[]) AS t(day, id) ORDER BY day, id \
    ON CONFLICT (day, id) DO NOTHING RETURNING day, id";
const ADD_DAYS: &str = "INSERT INTO usage_days (day, daily_active) \
    SELECT * FROM UNNEST($1::int8[], $2::int8[]) AS t(day, daily_active) ORDER BY day \
    ON CONFLICT (day) DO UPDATE SET daily_active = usage_days.daily_active + excluded.daily_active";
const ADD_PROFILES: &str = "INSERT INTO usage_profiles (day, field, value, active) \
    SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::int8[]) AS t(day, field, value, active) \
    ORDER BY day, field, value \
    ON CONFLICT (day, field, value) DO UPDATE SET active = usage_profiles.active + excluded.active";

#[async_trait]
impl UsageStore for PostgresStorage {
    async fn add_usage(&self, batches: &[Increments]) -> Result<Vec<bool>, StorageError> {
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        let merged = Merged::of(batches);
        let mut tx = self.pool.begin().await?;
        if !merged.events.is_empty() {
            let mut columns: [Vec<String>; 5] = Default::default();
            for (key, _) in &merged.events {
                for (column, value) in columns.iter_mut().zip(event_columns(key)) {
                    column.push(value);
                }
            }
            let [events, countries, languages, browsers, versions] = columns;
            sqlx::query(ADD_EVENTS)
                .bind(merged.events.iter().map(|(k, _)| k.day).collect::<Vec<_>>())
                .bind(events)
                .bind(countries)
                .bind(languages)
                .bind(browsers)
                .bind(versions)
                .bind(
                    merged
                        .events
                        .iter()
                        .map(|(_, n)| stored(*n))
                        .collect::<Vec<_>>(),
                )
                .execute(&mut *tx)
                .await?;
        }
        let added: HashSet<(Day, Vec<u8>)> = sqlx::query(ADD_MARKS)
            .bind(merged.marks.iter().map(|m| m.day).collect::<Vec<_>>())
            .bind(
                merged
                    .marks
                    .iter()
                    .map(|m| m.id.bytes().to_vec())
                    .collect::<Vec<_>>(),
            )
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let new_marks: Vec<_> = merged
            .marks
            .iter()
            .copied()
            .filter(|m| added.contains(&(m.day, m.id.bytes().to_vec())))
            .collect();
        let firsts = Firsts::of(batches, &new_marks);
        if !firsts.days.is_empty() {
            sqlx::query(ADD_DAYS)
                .bind(firsts.days.iter().map(|(d, _)| *d).collect::<Vec<_>>())
                .bind(
                    firsts
                        .days
                        .iter()
                        .map(|(_, n)| stored(*n))
                        .collect::<Vec<_>>(),
                )
                .execute(&mut *tx)
                .await?;
            let profiles = &firsts.profiles;
            sqlx::query(ADD_PROFILES)
                .bind(profiles.iter().map(|(p, _)| p.day).collect::<Vec<_>>())
                .bind(
                    profiles
                        .iter()
                        .map(|(p, _)| p.dimension.as_str())
                        .collect::<Vec<_>>(),
                )
                .bind(
                    profiles
                        .iter()
                        .map(|(p, _)| p.value.as_str())
                        .collect::<Vec<_>>(),
                )
                .bind(profiles.iter().map(|(_, n)| stored(*n)).collect::<Vec<_>>())
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
        // One snapshot for the three lists.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let limit = i64::try_from(max_events)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        let mut events = sqlx::query(
            "SELECT day, event, country, language, browser, extension_version, count \
             FROM usage_events WHERE day BETWEEN $1 AND $2 \
             ORDER BY day, event, country, language, browser, extension_version LIMIT $3",
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
             WHERE day BETWEEN $1 AND $2 ORDER BY day",
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
             WHERE day BETWEEN $1 AND $2 ORDER BY day, field, value",
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
            "SELECT COUNT(DISTINCT id) FROM usage_active_marks WHERE day BETWEEN $1 AND $2",
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
        let mut tx = self.pool.begin().await?;
        let finished: i64 = sqlx::query(
            "INSERT INTO usage_days (day, daily_active, monthly_active) \
             SELECT $1, 0, COUNT(DISTINCT id) FROM usage_active_marks WHERE day BETWEEN $2 AND $3 \
             ON CONFLICT (day) DO UPDATE SET monthly_active = excluded.monthly_active \
             RETURNING monthly_active",
        )
        .bind(finish)
        .bind(window.0)
        .bind(window.1)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let deleted = sqlx::query("DELETE FROM usage_active_marks WHERE day < $1")
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

fn event_sum(row: &PgRow) -> Result<EventSum, sqlx::Error> {
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

fn active_day(row: &PgRow) -> Result<ActiveDay, sqlx::Error> {
    Ok(ActiveDay {
        day: row.try_get(0)?,
        daily: count(row.try_get(1)?),
        monthly: row.try_get::<Option<i64>, _>(2)?.map(count),
    })
}

fn profile_count(row: &PgRow) -> Result<ProfileCount, sqlx::Error> {
    Ok(ProfileCount {
        day: row.try_get(0)?,
        field: row.try_get(1)?,
        value: row.try_get(2)?,
        active: count(row.try_get(3)?),
    })
}
