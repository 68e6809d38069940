//! UTC instants across the FFI as `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`).

use chrono::{DateTime, Utc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The instant as a `SystemTime`. Every date the service can send fits on Unix-like systems;
/// where `SystemTime` is narrower (Windows: years 1601 to 30827) it saturates at the bound.
pub(crate) fn to_system_time(date: DateTime<Utc>) -> SystemTime {
    let seconds = date.timestamp();
    let nanos = Duration::from_nanos(u64::from(date.timestamp_subsec_nanos()));
    let whole = Duration::from_secs(seconds.unsigned_abs());
    let moved = if seconds >= 0 {
        UNIX_EPOCH.checked_add(whole)
    } else {
        UNIX_EPOCH.checked_sub(whole)
    };
    moved
        .and_then(|time| time.checked_add(nanos))
        .unwrap_or(if seconds >= 0 {
            SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)
        } else {
            UNIX_EPOCH
        })
}

/// The `SystemTime` as a UTC date; none outside chrono's range.
pub(crate) fn from_system_time(time: SystemTime) -> Option<DateTime<Utc>> {
    let (seconds, nanos) = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => (i64::try_from(after.as_secs()).ok(), after.subsec_nanos()),
        Err(before) => {
            let before = before.duration();
            let seconds = i64::try_from(before.as_secs()).ok().map(|s| -s);
            match before.subsec_nanos() {
                0 => (seconds, 0),
                n => (seconds.and_then(|s| s.checked_sub(1)), 1_000_000_000 - n),
            }
        }
    };
    seconds.and_then(|seconds| DateTime::from_timestamp(seconds, nanos))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn round_trips_before_and_after_the_epoch() {
        for text in [
            "2026-01-31T09:30:00Z",
            "2026-01-31T09:30:00.123456789Z",
            "1969-12-31T23:59:59.5Z",
            "1900-01-01T00:00:00Z",
        ] {
            let date: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(
                from_system_time(to_system_time(date)).unwrap(),
                date,
                "{text}"
            );
        }
    }
}
