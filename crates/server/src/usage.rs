//! Anonymous usage counts: a shell around [`shopper_core::events`], whose rules these are (the
//! batch, what it adds, the active counts, how long an id is kept). This holds what the server
//! adds around them: the rate limits, in memory only; the day of receipt from the clock; the
//! writer that commits the accepted batches in groups ([`Recorder`]); the retention sweep it
//! runs; and the stats read back, each day's monthly count live while it can be counted and as
//! written when it was finished after that.
//!
//! Privacy: nothing here logs or stores a batch, an id or an address. The one thing of a sender
//! kept is its random id, in the active marks, for
//! [`MARKS_KEPT_DAYS`](shopper_core::events::MARKS_KEPT_DAYS) days.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use shopper_core::coupon::Timestamp;
use shopper_core::events::{
    day_of, increments, monthly_countable, monthly_to_finish, monthly_window, oldest_kept_mark,
    AnonymousId, Batch, Day, Increments,
};
use tokio::sync::{mpsc, oneshot};

use crate::clock;
use crate::limiter::{Limiter, Rate};
use crate::storage::usage::{Swept, UsageReport};
use crate::storage::{Storage, StorageError};

/// Batches one anonymous id may send: 4 an hour (a burst of 4, then one each 15 minutes). The
/// extension sends about one a day (a batch carries a day of use); this leaves room for a retry
/// after a lost answer and a browser restart or two, and stops one id being counted as many.
pub const PER_ID: Rate = Rate {
    count: 4,
    period: Duration::from_secs(3600),
};

/// Batches one address may send (an IPv4 address, or an IPv6 /64, which is one customer's
/// network): 60 a minute (a burst of 60, then one a second). Installs behind one address (a
/// household, an office, a carrier's NAT) send about one a day each, so this is 86,400 installs
/// a day behind one address before an honest one waits, while one misbehaving client adds at
/// most a batch a second.
pub const PER_ADDRESS: Rate = Rate {
    count: 60,
    period: Duration::from_secs(60),
};

/// Keys each limit remembers at once (16 bytes each: 1 MiB a table). Past it, the keys nearest
/// to their full allowance are forgotten first ([`crate::limiter`]).
pub const LIMIT_SLOTS: usize = 65_536;

/// How often the server sweeps: finishes yesterday's monthly count and deletes the marks
/// retention no longer keeps. Hourly, so a mark is gone within an hour of its last day, and a
/// day is finished within an hour of its end. Also once at start.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(3600);

/// The rate limits of `POST /v1/events`, in memory: each instance its own (so behind a load
/// balancer, an address may send this much to each instance).
pub struct EventLimits {
    per_id: Limiter,
    per_address: Limiter,
}

/// Which limit a batch went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// Too many batches from this address; wait this long.
    Address(Duration),
    /// Too many batches for this id; wait this long.
    Id(Duration),
}

impl Default for EventLimits {
    fn default() -> Self {
        Self::new(PER_ID, PER_ADDRESS)
    }
}

impl EventLimits {
    /// Limits of `per_id` and `per_address`.
    pub fn new(per_id: Rate, per_address: Rate) -> Self {
        Self {
            per_id: Limiter::new(per_id, LIMIT_SLOTS),
            per_address: Limiter::new(per_address, LIMIT_SLOTS),
        }
    }

    /// Counts a request from `peer` (`None`: not known, as in the router's tests, all one).
    pub fn address(&self, peer: Option<IpAddr>) -> Result<(), OverLimit> {
        self.per_address
            .check(&address_key(peer))
            .map_err(OverLimit::Address)
    }

    /// Counts a batch of `id`.
    pub fn id(&self, id: AnonymousId) -> Result<(), OverLimit> {
        self.per_id.check(&id.bytes()).map_err(OverLimit::Id)
    }
}

/// What an address is counted by: an IPv4 address (also one mapped into IPv6), or the /64 of
/// an IPv6 one.
fn address_key(peer: Option<IpAddr>) -> (u8, u64) {
    match peer.map(|ip| ip.to_canonical()) {
        None => (0, 0),
        Some(IpAddr::V4(v4)) => (4, u64::from(u32::from(v4))),
        Some(IpAddr::V6(v6)) => {
            let network = u128::from(v6) >> 64;
            (6, u64::try_from(network).unwrap_or(u64::MAX))
        }
    }
}

/// The most batches written in one transaction.
pub const MAX_GROUP: usize = 256;
/// The most batches waiting for the writer; past it, a request waits for room (within its own
/// time limit).
pub const MAX_WAITING: usize = 4_096;

/// Why a batch was not counted.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RecordError {
    /// Storage failed (the batch's whole group was not written).
    #[error(transparent)]
    Storage(Arc<StorageError>),
    /// The writer is not running (outside a runtime, or stopping).
    #[error("the usage writer is not running")]
    Stopped,
}

/// A batch waiting to be written, and who waits for it.
struct Waiting {
    increments: Increments,
    written: oneshot::Sender<Result<bool, RecordError>>,
}

/// Writes the accepted batches: one task takes all the batches waiting (up to [`MAX_GROUP`])
/// and writes them in one transaction, each batch whole, while the next ones gather; each
/// request is answered once its batch is committed. Alone, a batch is written at once; under
/// load, one commit serves many, and the instance's writes never contend with each other.
pub struct Recorder {
    queue: mpsc::Sender<Waiting>,
}

impl Recorder {
    /// A recorder writing to `storage`, its writer a task of the current runtime (none outside
    /// one: every batch then fails [`RecordError::Stopped`]).
    pub fn start(storage: Arc<dyn Storage>) -> Self {
        let (queue, waiting) = mpsc::channel(MAX_WAITING);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(write_groups(storage, waiting));
        }
        Self { queue }
    }

    /// Adds `batch`, received at `now`, to the day's aggregates; says whether it was the id's
    /// first of the day.
    pub async fn record(&self, batch: &Batch, now: Timestamp) -> Result<bool, RecordError> {
        let (written, answer) = oneshot::channel();
        let waiting = Waiting {
            increments: increments(batch, day_of(now)),
            written,
        };
        self.queue
            .send(waiting)
            .await
            .map_err(|_| RecordError::Stopped)?;
        answer.await.unwrap_or(Err(RecordError::Stopped))
    }
}

/// The writer: a group at a time, until every [`Recorder`] is gone.
async fn write_groups(storage: Arc<dyn Storage>, mut waiting: mpsc::Receiver<Waiting>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        let (batches, answers): (Vec<Increments>, Vec<_>) = group
            .drain(..)
            .map(|w: Waiting| (w.increments, w.written))
            .unzip();
        match storage.add_usage(&batches).await {
            Ok(new) => {
                for (answer, new) in answers.into_iter().zip(new) {
                    // A request that went away meanwhile needs no answer.
                    let _ = answer.send(Ok(new));
                }
            }
            Err(error) => {
                let error = Arc::new(error);
                for answer in answers {
                    let _ = answer.send(Err(RecordError::Storage(Arc::clone(&error))));
                }
            }
        }
    }
}

/// Finishes yesterday's monthly count and deletes the marks older than retention keeps, as of
/// `now`.
pub async fn sweep(storage: &dyn Storage, now: Timestamp) -> Result<Swept, StorageError> {
    let today = day_of(now);
    let finish = monthly_to_finish(today);
    storage
        .sweep_usage(finish, monthly_window(finish), oldest_kept_mark(today))
        .await
}

/// Sweeps now and every [`SWEEP_INTERVAL`], until the task is dropped.
pub async fn run_sweeps(storage: Arc<dyn Storage>) {
    loop {
        match sweep(storage.as_ref(), clock::now()).await {
            Ok(swept) => tracing::info!(
                finished = swept.finished,
                deleted = swept.deleted,
                "usage swept"
            ),
            Err(error) => tracing::warn!(%error, "the usage sweep failed; trying again later"),
        }
        tokio::time::sleep(SWEEP_INTERVAL).await;
    }
}

/// One day's active counts in the stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayActive {
    /// The day.
    pub day: Day,
    /// Distinct ids active that day (today's: so far).
    pub daily: u64,
    /// Distinct ids active on a day of its 30: counted now for today (so far) and yesterday,
    /// as finished for an earlier day, none for a day that was not finished.
    pub monthly: Option<u64>,
}

/// The stats of a range of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Every day of the range, in order.
    pub days: Vec<DayActive>,
    /// The aggregates stored.
    pub report: UsageReport,
}

/// The stats of the days `first` to `last` on `today`, at most `max_events` event sums.
pub async fn stats(
    storage: &dyn Storage,
    (first, last): (Day, Day),
    today: Day,
    max_events: usize,
) -> Result<Stats, StorageError> {
    let report = storage.usage_report(first, last, max_events).await?;
    let mut days = Vec::new();
    // The range is bounded by the caller.
    for day in first..=last {
        let stored = report.days.iter().find(|d| d.day == day);
        let monthly = if monthly_countable(day, today) {
            let (from, to) = monthly_window(day);
            Some(storage.distinct_active(from, to).await?)
        } else {
            stored.and_then(|d| d.monthly)
        };
        days.push(DayActive {
            day,
            daily: stored.map_or(0, |d| d.daily),
            monthly,
        });
    }
    Ok(Stats { days, report })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::SqliteStorage;
    use shopper_core::events::{read_batch, Event};
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[tokio::test]
    async fn batches_at_once_are_each_counted_once_in_groups() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let storage: Arc<dyn Storage> = Arc::new(SqliteStorage::open(&url).await.expect("db"));
        let recorder = Arc::new(Recorder::start(Arc::clone(&storage)));
        let text = r#"{"schema": 1, "id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "browser": "edge",
            "browser_major": 120, "os": "macos", "country": "CA", "language": "fr",
            "utc_offset": 60, "extension_version": "1.0", "counts": {"coupon_filled": 2}}"#;
        let sample = read_batch(text.as_bytes()).expect("a batch");
        let now = 1_795_392_000;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..600u16 {
            let recorder = Arc::clone(&recorder);
            tasks.spawn(async move {
                let mut batch = sample;
                // 200 ids, each sent three times.
                let mut bytes = [0u8; 16];
                bytes[..2].copy_from_slice(&(n % 200).to_be_bytes());
                batch.id = AnonymousId::from_random(bytes);
                recorder.record(&batch, now).await.expect("recorded")
            });
        }
        let mut new = 0;
        while let Some(first) = tasks.join_next().await {
            new += usize::from(first.expect("joined"));
        }
        assert_eq!(new, 200, "each id's first batch of the day");
        let day = day_of(now);
        let report = storage.usage_report(day, day, 10).await.expect("report");
        assert_eq!(report.days[0].daily, 200);
        assert_eq!(report.events.len(), 1);
        assert_eq!(report.events[0].event, Event::CouponFilled.as_str());
        assert_eq!(report.events[0].count, 1200);
        // Without a writer, nothing is counted, and it says so.
        let (queue, _) = mpsc::channel(1);
        let stopped = Recorder { queue };
        assert!(matches!(
            stopped.record(&sample, now).await,
            Err(RecordError::Stopped)
        ));
    }

    #[test]
    fn an_address_is_counted_by_its_ipv4_or_its_ipv6_network() {
        let v4 = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7));
        let mapped = IpAddr::V6(Ipv4Addr::new(203, 0, 113, 7).to_ipv6_mapped());
        assert_eq!(address_key(Some(v4)), address_key(Some(mapped)));
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("v6");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("v6");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("v6");
        assert_eq!(address_key(Some(a)), address_key(Some(b)), "one /64");
        assert_ne!(address_key(Some(a)), address_key(Some(c)));
        assert_ne!(
            address_key(Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED))),
            address_key(Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
            "v4 and v6 apart"
        );
    }

    #[test]
    fn limits_count_addresses_and_ids_apart() {
        let limits = EventLimits::new(
            Rate {
                count: 2,
                period: Duration::from_secs(3600),
            },
            Rate {
                count: 3,
                period: Duration::from_secs(60),
            },
        );
        let peer = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        for _ in 0..3 {
            assert_eq!(limits.address(peer), Ok(()));
        }
        assert!(matches!(limits.address(peer), Err(OverLimit::Address(_))));
        assert_eq!(limits.address(None), Ok(()), "another key");
        let id = AnonymousId::from_random([1; 16]);
        assert_eq!(limits.id(id), Ok(()));
        assert_eq!(limits.id(id), Ok(()));
        let Err(OverLimit::Id(wait)) = limits.id(id) else {
            unreachable!("over the id's limit");
        };
        assert!(wait > Duration::from_secs(1700) && wait <= Duration::from_secs(1800));
        assert_eq!(limits.id(AnonymousId::from_random([2; 16])), Ok(()));
    }
}
