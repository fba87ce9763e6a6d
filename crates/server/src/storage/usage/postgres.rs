//! The usage counts on PostgreSQL: each batch's increments in one statement (so one round trip
//! and its own transaction), its parts chained by data-modifying `WITH` clauses. Concurrent
//! batches of the same id and day meet on the mark's key: the second waits for the first's
//! commit, then finds the mark there and adds to no active count. Rows are always locked in the
//! same order (events by name, then the mark, the day, the profiles by field), so instances
//! writing together never deadlock.

use async_trait::async_trait;
use shopper_core::events::{Day, Increments};
use sqlx::postgres::PgRow;
use sqlx::Row;

use super::{count, event_columns, stored, ActiveDay, EventSum, ProfileCount, Swept, UsageReport};
use super::{StorageError, UsageStore};
use crate::storage::PostgresStorage;

/// `$1` the day, `$2` the id, `$3`..`$8` the event columns and counts, `$9`, `$10` the
/// profiles' fields and values.
const ADD: &str = "WITH \
    events AS (
        INSERT INTO usage_events (day, event, country, language, browser, extension_version, count)
        SELECT $1, event, country, language, browser, extension_version, count
        FROM UNNEST($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[])
            AS t(event, country, language, browser, extension_version, count)
        ORDER BY event
        ON CONFLICT (day, event, country, language, browser, extension_version)
        DO UPDATE SET count = usage_events.count + excluded.count
    ),
    mark AS (
        INSERT INTO usage_active_marks (day, id) VALUES ($1, $2)
        ON CONFLICT (day, id) DO NOTHING RETURNING day
    ),
    active AS (
        INSERT INTO usage_days (day, daily_active) SELECT day, 1 FROM mark
        ON CONFLICT (day) DO UPDATE SET daily_active = usage_days.daily_active + 1
    ),
    profiles AS (
        INSERT INTO usage_profiles (day, field, value, active)
        SELECT mark.day, field, value, 1
        FROM mark, UNNEST($9::text[], $10::text[]) AS t(field, value)
        ORDER BY field
        ON CONFLICT (day, field, value) DO UPDATE SET active = usage_profiles.active + 1
    )
    SELECT COUNT(*) FROM mark";

#[async_trait]
impl UsageStore for PostgresStorage {
    async fn add_usage(&self, increments: &Increments) -> Result<bool, StorageError> {
        let mut columns: [Vec<String>; 5] = Default::default();
        let mut counts = Vec::with_capacity(increments.events.len());
        for (key, n) in &increments.events {
            for (column, value) in columns.iter_mut().zip(event_columns(key)) {
                column.push(value);
            }
            counts.push(stored(*n));
        }
        let [events, countries, languages, browsers, versions] = columns;
        let profiles = &increments.first_of_day;
        let mark = increments.mark;
        let new: i64 = sqlx::query(ADD)
            .bind(mark.day)
            .bind(mark.id.bytes().to_vec())
            .bind(events)
            .bind(countries)
            .bind(languages)
            .bind(browsers)
            .bind(versions)
            .bind(counts)
            .bind(
                profiles
                    .iter()
                    .map(|p| p.dimension.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                profiles
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>(),
            )
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(new == 1)
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
