//! When the extension asks the server for a newer feed: once a day, and after a refresh that
//! failed, again after a pause that doubles with each failure in a row (5 minutes, 10, 20, ... at
//! most 6 hours), so that a server having a bad day is not asked by every shopper at once. The
//! daily refresh goes on whatever the retries do; a worker's start never skips a pause.

/// How often the feed is refreshed, in minutes (the alarm's period).
pub const REFRESH_EVERY_MINUTES: u32 = 24 * 60;
/// The pause after the first failed refresh, in minutes.
pub const RETRY_FIRST_MINUTES: u32 = 5;
/// The longest pause between retries, in minutes.
pub const RETRY_MAX_MINUTES: u32 = 6 * 60;

const MINUTE_MS: f64 = 60_000.0;

/// The pause before the next try after `failures` refreshes failed in a row (at least one).
pub fn retry_after_minutes(failures: u32) -> u32 {
    let doublings = failures.saturating_sub(1).min(31);
    RETRY_FIRST_MINUTES
        .saturating_mul(1 << doublings)
        .min(RETRY_MAX_MINUTES)
}

/// Whether a worker that starts at `now` should refresh at once: the feed was last checked
/// (`checked_at`, 0 if never) a whole period ago or more, and no failed refresh is waiting for
/// its retry at `retry_at` (0 when none failed). Times in milliseconds since the epoch, as the
/// shell keeps them.
pub fn refresh_due(now: f64, checked_at: f64, retry_at: f64) -> bool {
    now - checked_at >= f64::from(REFRESH_EVERY_MINUTES) * MINUTE_MS && now >= retry_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_doubles_the_pause_up_to_six_hours() {
        let pauses: Vec<u32> = (1..=9).map(retry_after_minutes).collect();
        assert_eq!(pauses, [5, 10, 20, 40, 80, 160, 320, 360, 360]);
        assert_eq!(retry_after_minutes(0), 5, "no failure counts as the first");
        assert_eq!(retry_after_minutes(u32::MAX), RETRY_MAX_MINUTES);
    }

    #[test]
    fn a_start_refreshes_a_day_old_feed_unless_a_retry_is_waiting() {
        let day = f64::from(REFRESH_EVERY_MINUTES) * MINUTE_MS;
        let now = 1_800_000_000_000.0;
        assert!(refresh_due(now, 0.0, 0.0), "never checked");
        assert!(refresh_due(now, now - day, 0.0));
        assert!(!refresh_due(now, now - day + 1.0, 0.0));
        assert!(!refresh_due(now, 0.0, now + 1.0), "the pause is kept");
        assert!(refresh_due(now, 0.0, now));
    }
}
