//! A rate limit held in memory only, in a table of fixed size: it never grows with the keys it
//! sees, and it keeps of a key nothing but a hash (keyed at random per process, so the table
//! holds no address or id in any readable form) and when the key's allowance is whole again.
//!
//! Each key may make a burst of [`Rate::count`] requests, then one more each
//! `period / count` (the generic cell rate algorithm: one time per key, its *theoretical
//! arrival time*). The table is set-associative: a key's hash picks a set of [`WAYS`] slots; a
//! new key takes a slot whose allowance is whole (nothing to remember), else the one nearest to
//! whole. So under a flood of more live keys than slots, the keys nearest to their full
//! allowance are forgotten first and get it back a little early: the price of a bound on
//! memory, paid by no honest sender.

use std::hash::{BuildHasher, Hash};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many requests a key may make: a burst of `count`, then one each `period / count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The burst, and how many per period.
    pub count: u32,
    /// The period.
    pub period: Duration,
}

/// Slots per set: a key can be in any of them.
pub const WAYS: usize = 4;

/// One remembered key.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The key's hash.
    key: u64,
    /// When its allowance is whole again, in milliseconds since the limiter began; at or before
    /// now, the slot remembers nothing and is free.
    whole_at: u64,
}

/// A rate limit over keys, in a table of fixed size.
pub struct Limiter {
    /// Milliseconds one request uses of the allowance.
    interval: u64,
    /// How far ahead of now a key's use may run (the burst less one).
    tolerance: u64,
    sets: Mutex<Box<[[Slot; WAYS]]>>,
    hasher: std::collections::hash_map::RandomState,
    began: Instant,
}

impl Limiter {
    /// A limiter of `rate` remembering at most about `slots` keys at once (at least one set).
    pub fn new(rate: Rate, slots: usize) -> Self {
        let count = u64::from(rate.count.max(1));
        let period = u64::try_from(rate.period.as_millis()).unwrap_or(u64::MAX);
        let interval = (period / count).max(1);
        let sets = slots.div_ceil(WAYS).max(1);
        Self {
            interval,
            tolerance: interval.saturating_mul(count - 1),
            sets: Mutex::new(vec![[Slot::default(); WAYS]; sets].into_boxed_slice()),
            hasher: std::collections::hash_map::RandomState::new(),
            began: Instant::now(),
        }
    }

    /// Counts one request of `key` now: `Ok`, or how long until it would be allowed.
    pub fn check(&self, key: &impl Hash) -> Result<(), Duration> {
        let now = u64::try_from(self.began.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.check_at(self.hasher.hash_one(key), now)
    }

    /// How many keys it can remember at once.
    pub fn capacity(&self) -> usize {
        self.table().len() * WAYS
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Box<[[Slot; WAYS]]>> {
        // Nothing panics while holding it; if something did, the table is still sound.
        self.sets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// [`Limiter::check`] for a key's hash at `now` (milliseconds since the limiter began).
    fn check_at(&self, key: u64, now: u64) -> Result<(), Duration> {
        let mut sets = self.table();
        let count = u64::try_from(sets.len()).unwrap_or(u64::MAX);
        let index = usize::try_from(key % count).unwrap_or(0);
        let Some(set) = sets.get_mut(index) else {
            return Ok(());
        };
        let known = set.iter().position(|s| s.key == key && s.whole_at > now);
        let (way, whole_at) = match known {
            Some(way) => (way, set.get(way).map_or(now, |s| s.whole_at)),
            None => {
                let nearest = set
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| s.whole_at)
                    .map_or(0, |(way, _)| way);
                (nearest, now)
            }
        };
        let ahead = whole_at - now;
        if ahead > self.tolerance {
            return Err(Duration::from_millis(ahead - self.tolerance));
        }
        if let Some(slot) = set.get_mut(way) {
            *slot = Slot {
                key,
                whole_at: whole_at.saturating_add(self.interval),
            };
        }
        Ok(())
    }
}

/// Whole seconds to wait, rounded up, as `Retry-After` says them.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: u64 = 60_000;

    fn four_a_minute(slots: usize) -> Limiter {
        Limiter::new(
            Rate {
                count: 4,
                period: Duration::from_secs(60),
            },
            slots,
        )
    }

    #[test]
    fn a_burst_then_one_each_interval() {
        let limiter = four_a_minute(64);
        for n in 0..4 {
            assert_eq!(limiter.check_at(7, 1_000), Ok(()), "burst {n}");
        }
        assert_eq!(
            limiter.check_at(7, 1_000),
            Err(Duration::from_millis(15_000)),
            "one more in 15 s"
        );
        assert_eq!(
            limiter.check_at(7, 15_999),
            Err(Duration::from_millis(1)),
            "not yet"
        );
        assert_eq!(limiter.check_at(7, 16_000), Ok(()));
        assert!(limiter.check_at(7, 16_000).is_err());
        // Another key has its own allowance.
        assert_eq!(limiter.check_at(8, 16_000), Ok(()));
        // Idle for a period: the whole burst again.
        for n in 0..4 {
            assert_eq!(limiter.check_at(7, 16_000 + MINUTE), Ok(()), "again {n}");
        }
        assert!(limiter.check_at(7, 16_000 + MINUTE).is_err());
    }

    #[test]
    fn refused_requests_use_nothing() {
        let limiter = four_a_minute(64);
        for _ in 0..4 {
            limiter.check_at(1, 0).expect("burst");
        }
        for _ in 0..100 {
            assert!(limiter.check_at(1, 10).is_err());
        }
        assert_eq!(limiter.check_at(1, 15_000), Ok(()), "on time all the same");
    }

    #[test]
    fn the_table_never_grows_and_forgets_the_nearest_to_whole_first() {
        let limiter = four_a_minute(8);
        assert_eq!(limiter.capacity(), 8);
        // Keys 0, 2, 4... all land in set 0 of the two: five of them in four ways.
        for key in [0u64, 2, 4, 6] {
            limiter.check_at(key, 0).expect("first");
        }
        limiter
            .check_at(0, 0)
            .expect("key 0 again: furthest from whole");
        limiter.check_at(8, 0).expect("a fifth key takes a slot");
        assert_eq!(limiter.capacity(), 8);
        // Key 0 was kept (it used two); one of the others was forgotten.
        for _ in 0..2 {
            limiter.check_at(0, 0).expect("its last two");
        }
        assert!(limiter.check_at(0, 0).is_err(), "key 0 was remembered");
        // A flood of keys in the other set leaves this one alone.
        for key in (1..10_000u64).step_by(2) {
            limiter.check_at(key, 0).expect("a new key");
        }
        assert!(limiter.check_at(0, 0).is_err());
    }

    #[test]
    fn keys_are_hashed_apart() {
        let limiter = four_a_minute(1024);
        for _ in 0..4 {
            limiter.check(&"10.0.0.1").expect("burst");
        }
        assert!(limiter.check(&"10.0.0.1").is_err());
        assert!(limiter.check(&"10.0.0.2").is_ok());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(900)), 900);
        assert_eq!(retry_after_seconds(Duration::from_millis(900_001)), 901);
    }
}
