//! When to try a call again, and how long to wait.

use crate::error::{Error, Result};
use std::time::Duration;

/// Bounds and pacing of automatic retries.
///
/// Read-only calls are retried on connect errors, timeouts, dropped connections and HTTP 500,
/// 502, 503 and 504. Mutating calls are retried only when the request provably never reached the
/// service (connection refused, DNS, TLS handshake). Waits grow exponentially from
/// `initial_backoff` up to `max_backoff`; with `jitter` each wait is drawn from its upper half so
/// that many clients do not retry in step. A `Retry-After` within `max_backoff` is honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2, so at most 3 attempts).
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub jitter: bool,
    /// No retry starts after this much time has passed since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            max_elapsed: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.max_retries > 100 {
            return Err(Error::validation("max_retries", "must be at most 100"));
        }
        if self.initial_backoff > self.max_backoff {
            return Err(Error::validation(
                "initial_backoff",
                "must not exceed max_backoff",
            ));
        }
        Ok(())
    }

    /// The wait before retry number `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after.filter(|wait| *wait <= self.max_backoff) {
            return wait;
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        if !self.jitter || ceiling.is_zero() {
            return ceiling;
        }
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_micros()).unwrap_or(u64::MAX);
        half + Duration::from_micros(fastrand::u64(0..=spread))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_the_cap_and_jitters_within_the_upper_half() {
        let policy = RetryPolicy {
            jitter: false,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        let waits: Vec<_> = (1..=4)
            .map(|n| policy.backoff(n, None).as_millis())
            .collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        let jittered = RetryPolicy {
            jitter: true,
            ..policy
        };
        for _ in 0..100 {
            let wait = jittered.backoff(2, None);
            assert!(wait >= Duration::from_millis(100) && wait <= Duration::from_millis(200));
        }
        assert_eq!(
            policy.backoff(1, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.backoff(1, Some(Duration::from_secs(60))),
            Duration::from_millis(100)
        );
    }
}
