//! The circuit breaker: after [`BreakerConfig::failures_to_open`] outages in a row the API is
//! not called for [`BreakerConfig::cool_down`]; then one call at a time is let through (half
//! open) and its outcome closes the breaker or opens it again. So an API that is down costs a
//! request nothing but a check, never its deadline.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the breaker opens and how long it stays open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Outages in a row (timeouts, 5xx, `ApiCallLimit`, unreachable, malformed answers) that
    /// open it.
    pub failures_to_open: u32,
    /// How long it stays open before a trial call.
    pub cool_down: Duration,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            failures_to_open: 5,
            cool_down: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Calls go through; the outages in a row so far.
    Closed(u32),
    /// No call until then.
    Open(Instant),
    /// One trial call is under way; others wait for its outcome by being refused.
    HalfOpen,
}

/// The breaker of one client, shared by its calls.
#[derive(Debug)]
pub(crate) struct Breaker {
    config: BreakerConfig,
    state: Mutex<State>,
}

/// Whether a call may go, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permit {
    /// A call of a closed breaker.
    Call,
    /// The one trial call of a half-open breaker.
    Trial,
}

impl Breaker {
    pub(crate) fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            state: Mutex::new(State::Closed(0)),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // A poisoned lock only means another call panicked mid-update; the state is still a state.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state)
    }

    /// Whether a call may go now; `None`: the breaker is open.
    pub(crate) fn permit(&self, now: Instant) -> Option<Permit> {
        self.with(|state| match *state {
            State::Closed(_) => Some(Permit::Call),
            State::Open(until) if now >= until => {
                *state = State::HalfOpen;
                Some(Permit::Trial)
            }
            State::Open(_) | State::HalfOpen => None,
        })
    }

    /// A call's outcome: an outage or not.
    pub(crate) fn record(&self, permit: Permit, outage: bool, now: Instant) {
        let open = State::Open(now + self.config.cool_down);
        self.with(|state| {
            *state = match (*state, permit, outage) {
                (_, _, false) => State::Closed(0),
                (_, Permit::Trial, true) => open,
                (State::Closed(count), Permit::Call, true) => {
                    let count = count.saturating_add(1);
                    if count >= self.config.failures_to_open {
                        open
                    } else {
                        State::Closed(count)
                    }
                }
                // An ordinary call that started before the breaker opened: it stays as it is.
                (other, Permit::Call, true) => other,
            }
        });
    }

    /// A trial call given up before its outcome (its deadline came): open again, so another
    /// trial can go after the cool-down.
    pub(crate) fn abandon(&self, permit: Permit, now: Instant) {
        if permit == Permit::Trial {
            self.record(permit, true, now);
        }
    }

    /// Whether it refuses calls at `now`, for health reports.
    pub(crate) fn is_open(&self, now: Instant) -> bool {
        self.with(|state| match *state {
            State::Open(until) => now < until,
            State::HalfOpen => true,
            State::Closed(_) => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_outages_in_a_row_and_closes_after_a_good_trial() {
        let breaker = Breaker::new(BreakerConfig {
            failures_to_open: 3,
            cool_down: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        for _ in 0..2 {
            assert_eq!(breaker.permit(t0), Some(Permit::Call));
            breaker.record(Permit::Call, true, t0);
        }
        // A success in between starts the count again.
        breaker.record(Permit::Call, false, t0);
        for _ in 0..3 {
            assert_eq!(breaker.permit(t0), Some(Permit::Call));
            breaker.record(Permit::Call, true, t0);
        }
        assert_eq!(breaker.permit(t0), None, "open");
        assert!(breaker.is_open(t0));
        let later = t0 + Duration::from_secs(10);
        assert_eq!(breaker.permit(later), Some(Permit::Trial));
        assert_eq!(breaker.permit(later), None, "one trial at a time");
        breaker.record(Permit::Trial, true, later);
        assert_eq!(breaker.permit(later), None, "a failed trial opens it again");
        let again = later + Duration::from_secs(10);
        assert_eq!(breaker.permit(again), Some(Permit::Trial));
        breaker.record(Permit::Trial, false, again);
        assert_eq!(breaker.permit(again), Some(Permit::Call), "closed");
        assert!(!breaker.is_open(again));
    }

    #[test]
    fn an_abandoned_trial_opens_it_again() {
        let breaker = Breaker::new(BreakerConfig {
            failures_to_open: 1,
            cool_down: Duration::from_secs(1),
        });
        let t0 = Instant::now();
        breaker.record(Permit::Call, true, t0);
        let later = t0 + Duration::from_secs(1);
        assert_eq!(breaker.permit(later), Some(Permit::Trial));
        breaker.abandon(Permit::Trial, later);
        assert_eq!(breaker.permit(later), None);
        breaker.abandon(Permit::Call, later);
        assert_eq!(
            breaker.permit(later + Duration::from_secs(1)),
            Some(Permit::Trial)
        );
    }
}
