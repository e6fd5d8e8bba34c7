//! Sign-in throttling, per email and per client address, kept in PostgreSQL so every server
//! process sees the same counts.
//!
//! Each failed sign-in counts against the email tried and the address it came from; failures
//! older than [`LoginThrottle::window`] are forgotten. Once a key reaches its maximum, sign-ins
//! for it are refused with 429 `rate_limited` and `Retry-After` — without checking the password,
//! so a correct guess during the block tells nothing — for [`LoginThrottle::lockout`], doubled
//! for every further failure after the block, up to [`LoginThrottle::max_lockout`].
//!
//! A successful sign-in clears its email's count. The address's count is not cleared: one known
//! password must not let an attacker reset the count of the guesses they make at other accounts
//! from the same address; it expires with the window instead.

use std::net::IpAddr;
use std::time::Duration;

use sqlx::PgPool;

use crate::error::{ApiError, ApiResult};
use crate::scope::normalize_email;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures of one email before it is blocked.
    pub max_failures_per_email: u32,
    /// Failures from one address (IPv6: one /64) before it is blocked.
    pub max_failures_per_ip: u32,
    /// How long a failure counts.
    pub window: Duration,
    /// The first block; each further failure doubles it.
    pub lockout: Duration,
    pub max_lockout: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            max_failures_per_email: 5,
            max_failures_per_ip: 20,
            window: Duration::from_secs(15 * 60),
            lockout: Duration::from_secs(60),
            max_lockout: Duration::from_secs(15 * 60),
        }
    }
}

/// The throttle keys of one sign-in attempt.
#[derive(Debug, Clone)]
pub struct Keys {
    email: String,
    ip: Option<String>,
}

impl Keys {
    pub fn new(email: &str, ip: Option<IpAddr>) -> Keys {
        Keys {
            email: format!("email:{}", normalize_email(email)),
            ip: ip.map(|ip| format!("ip:{}", address_key(ip))),
        }
    }

    fn all(&self) -> Vec<String> {
        std::iter::once(self.email.clone())
            .chain(self.ip.clone())
            .collect()
    }
}

/// An IPv4 address, or the /64 an IPv6 address is in (one machine usually holds a whole /64).
fn address_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// Refuses the attempt while its email or its address is blocked.
pub async fn check(pool: &PgPool, keys: &Keys) -> ApiResult<()> {
    let wait: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM max(blocked_until) - now())::float8 FROM login_throttle
         WHERE key = ANY($1) AND blocked_until > now()",
    )
    .bind(keys.all())
    .fetch_one(pool)
    .await?;
    match wait {
        Some(secs) if secs > 0.0 => Err(ApiError::RateLimited {
            message: "too many failed sign-ins: wait before trying again".into(),
            retry_after: Duration::from_secs_f64(secs),
        }),
        _ => Ok(()),
    }
}

/// Counts a failed attempt, blocking the keys that reached their maximum.
pub async fn failed(pool: &PgPool, config: &LoginThrottle, keys: &Keys) -> ApiResult<()> {
    // Forget stale counts (the index makes this cheap when there are none). On its own, and
    // skipping rows another sign-in holds, so it never waits for nor deadlocks with one.
    sqlx::query(
        "DELETE FROM login_throttle WHERE key IN (
             SELECT key FROM login_throttle
             WHERE last_failure < now() - make_interval(secs => $1)
               AND (blocked_until IS NULL OR blocked_until < now())
             FOR UPDATE SKIP LOCKED)",
    )
    .bind(config.window.as_secs_f64())
    .execute(pool)
    .await?;
    // The email's row before the address's, in every sign-in: no two wait on each other.
    let mut tx = pool.begin().await?;
    let mut limits = vec![(keys.email.clone(), config.max_failures_per_email)];
    if let Some(ip) = &keys.ip {
        limits.push((ip.clone(), config.max_failures_per_ip));
    }
    for (key, max) in limits {
        sqlx::query(
            "INSERT INTO login_throttle AS t (key, failures, last_failure) VALUES ($1, 1, now())
             ON CONFLICT (key) DO UPDATE SET
                 failures = CASE WHEN t.last_failure < now() - make_interval(secs => $2)
                                 THEN 1 ELSE t.failures + 1 END,
                 last_failure = now()",
        )
        .bind(&key)
        .bind(config.window.as_secs_f64())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE login_throttle SET blocked_until = now() + make_interval(secs =>
                 least($3, $2 * power(2, least(failures - $4, 30))))
             WHERE key = $1 AND failures >= $4",
        )
        .bind(&key)
        .bind(config.lockout.as_secs_f64())
        .bind(config.max_lockout.as_secs_f64())
        .bind(i32::try_from(max.max(1)).unwrap_or(i32::MAX))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Clears the email's count after a successful sign-in.
pub async fn succeeded(pool: &PgPool, keys: &Keys) -> ApiResult<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(&keys.email)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_per_64_and_mapped_v4_as_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped), "10.0.0.1");
    }
}
