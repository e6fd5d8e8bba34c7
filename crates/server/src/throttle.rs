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

use chrono::{DateTime, Utc};
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

/// One attempt's failure, counted before its password is checked.
///
/// Checking the block and counting the failure are one transaction holding the keys' rows, so
/// parallel guesses cannot all pass a check made before any of them is counted: with a limit of
/// 5, exactly 5 passwords are checked and the rest are refused. An attempt that turns out right
/// (or is never checked) takes its failure back.
#[derive(Debug)]
#[must_use = "a reservation is a failure until it is taken back"]
pub struct Reservation {
    email: String,
    /// Per key: the block this attempt set, and the block it replaced.
    keys: Vec<Reserved>,
}

#[derive(Debug)]
struct Reserved {
    key: String,
    set: Option<DateTime<Utc>>,
    replaced: Option<DateTime<Utc>>,
}

/// Refuses the attempt while its email or its address is blocked; otherwise counts it as a
/// failure (blocking the keys it brings to their maximum) until [`Reservation::succeeded`] or
/// [`Reservation::release`] takes it back.
pub async fn reserve(pool: &PgPool, config: &LoginThrottle, keys: &Keys) -> ApiResult<Reservation> {
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
    let mut limits = vec![(keys.email.clone(), config.max_failures_per_email)];
    if let Some(ip) = &keys.ip {
        limits.push((ip.clone(), config.max_failures_per_ip));
    }
    let mut tx = pool.begin().await?;
    // Lock every key's row, the email's before the address's in every sign-in, so no two wait
    // on each other; a row made here with no failures disappears if the attempt is refused.
    for (key, _) in &limits {
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, last_failure) VALUES ($1, 0, now())
             ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key",
        )
        .bind(key)
        .execute(&mut *tx)
        .await?;
    }
    let wait: Option<f64> = sqlx::query_scalar(
        "SELECT extract(epoch FROM max(blocked_until) - now())::float8 FROM login_throttle
         WHERE key = ANY($1) AND blocked_until > now()",
    )
    .bind(keys.all())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(secs) = wait.filter(|s| *s > 0.0) {
        tx.rollback().await?;
        return Err(ApiError::RateLimited {
            message: "too many failed sign-ins: wait before trying again".into(),
            retry_after: Duration::from_secs_f64(secs),
        });
    }
    let mut reserved = Vec::with_capacity(limits.len());
    for (key, max) in limits {
        let (set, replaced): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
            "UPDATE login_throttle AS t SET
                 failures = n.failures,
                 last_failure = now(),
                 blocked_until = CASE WHEN n.failures >= $4
                     THEN now() + make_interval(secs =>
                         least($3, $2 * power(2, least(n.failures - $4, 30))))
                     ELSE t.blocked_until END
             FROM (SELECT CASE WHEN last_failure < now() - make_interval(secs => $5)
                               THEN 1 ELSE failures + 1 END AS failures,
                          blocked_until AS before
                   FROM login_throttle WHERE key = $1) AS n
             WHERE t.key = $1
             RETURNING CASE WHEN n.failures >= $4 THEN t.blocked_until END, n.before",
        )
        .bind(&key)
        .bind(config.lockout.as_secs_f64())
        .bind(config.max_lockout.as_secs_f64())
        .bind(i32::try_from(max.max(1)).unwrap_or(i32::MAX))
        .bind(config.window.as_secs_f64())
        .fetch_one(&mut *tx)
        .await?;
        reserved.push(Reserved { key, set, replaced });
    }
    tx.commit().await?;
    Ok(Reservation {
        email: keys.email.clone(),
        keys: reserved,
    })
}

impl Reservation {
    /// The password was wrong: the failure stands.
    pub fn failed(self) {}

    /// The password was right: the email's count is cleared. The address's count is not (see
    /// the module documentation); only this attempt's failure is taken back.
    pub async fn succeeded(self, pool: &PgPool) -> ApiResult<()> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(&self.email)
            .execute(pool)
            .await?;
        self.take_back(pool, false).await
    }

    /// The password was never checked (the server was too busy): nothing is counted.
    pub async fn release(self, pool: &PgPool) -> ApiResult<()> {
        self.take_back(pool, true).await
    }

    async fn take_back(self, pool: &PgPool, email_too: bool) -> ApiResult<()> {
        let mut tx = pool.begin().await?;
        for r in self.keys {
            if r.key == self.email && !email_too {
                continue;
            }
            // The block this attempt set goes (unless a later failure replaced it), and the
            // row goes with its last failure.
            sqlx::query(
                "UPDATE login_throttle SET failures = greatest(failures - 1, 0),
                     blocked_until = CASE WHEN blocked_until IS NOT DISTINCT FROM $2
                                          THEN $3 ELSE blocked_until END
                 WHERE key = $1",
            )
            .bind(&r.key)
            .bind(r.set)
            .bind(r.set.and(r.replaced))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM login_throttle WHERE key = $1 AND failures = 0
                     AND (blocked_until IS NULL OR blocked_until < now())",
            )
            .bind(&r.key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
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
