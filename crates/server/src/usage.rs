//! Anonymous usage counts: a shell around [`shopper_core::events`], whose rules these are (the
//! batch, what it adds, the active counts, how long an id is kept). This holds what the server
//! adds around them: the rate limits, in memory only; the day of receipt from the clock; the
//! retention sweep it runs; and the stats read back, each day's monthly count live while it can
//! be counted and as written when it was finished after that.
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
    AnonymousId, Batch, Day,
};

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

/// Adds an accepted batch received at `now` to the day's aggregates.
pub async fn record(
    storage: &dyn Storage,
    batch: &Batch,
    now: Timestamp,
) -> Result<(), StorageError> {
    storage
        .add_usage(&increments(batch, day_of(now)))
        .await
        .map(drop)
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
    use std::net::{Ipv4Addr, Ipv6Addr};

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
