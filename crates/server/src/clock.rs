//! The time now, in the core's terms (seconds since the Unix epoch, UTC).

use shopper_core::coupon::Timestamp;

/// Seconds since the epoch now (0 on a clock set before 1970).
pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            Timestamp::try_from(d.as_secs()).unwrap_or(Timestamp::MAX)
        })
}
