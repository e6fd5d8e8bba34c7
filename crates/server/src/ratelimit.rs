//! The per-user request rate limit: a token bucket per signed-in user (GCRA, `governor`),
//! checked when the access token is, so every authenticated endpoint counts. Over the limit the
//! answer is 429 `rate_limited` with `Retry-After`; the desktop client treats 429 as transient and
//! backs off.
//!
//! The buckets live in this process: with several server processes behind a load balancer a
//! user may reach the limit once per process. That is enough for its purpose — one runaway or
//! hostile client cannot monopolize a process and its database connections — without a
//! round trip to PostgreSQL per request.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{ApiError, ApiResult};

/// Requests per user: `per_second` sustained, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

impl Default for RateLimit {
    /// 50 requests a second, bursts of 1000: a desktop syncing 100,000 records in 1000-record
    /// pages, or pushing 500-mutation batches back to back, never meets it.
    fn default() -> Self {
        RateLimit {
            per_second: NonZeroU32::new(50).unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(1000).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// The buckets of every user seen by this process.
pub struct UserLimiter {
    limiter: Option<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
    checks: AtomicU64,
}

impl std::fmt::Debug for UserLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserLimiter")
            .field("enabled", &self.limiter.is_some())
            .finish()
    }
}

impl UserLimiter {
    /// `None` turns the limit off.
    pub fn new(limit: Option<RateLimit>) -> UserLimiter {
        UserLimiter {
            limiter: limit
                .map(|l| RateLimiter::keyed(Quota::per_second(l.per_second).allow_burst(l.burst))),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request of `user_id`; 429 when the user is over the limit.
    pub fn check(&self, user_id: &str) -> ApiResult<()> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        // Now and then forget users whose buckets are full again, so memory follows the
        // active users, not every user ever seen.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        limiter
            .check_key(&user_id.to_string())
            .map_err(|not_until| ApiError::RateLimited {
                message: "too many requests: wait a moment before sending more".into(),
                retry_after: not_until.wait_time_from(self.clock.now()),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_has_their_own_bucket() {
        let limiter = UserLimiter::new(Some(RateLimit {
            per_second: NonZeroU32::MIN,
            burst: NonZeroU32::new(2).unwrap(),
        }));
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        let err = limiter.check("a").unwrap_err();
        assert_eq!(err.code(), "rate_limited");
        assert!(
            limiter.check("b").is_ok(),
            "another user is not slowed down"
        );
        assert!(UserLimiter::new(None).check("a").is_ok());
    }
}
