//! Access and refresh tokens.
//!
//! Both are opaque random strings (256 bits), stored only as their sha256. Opaque tokens checked
//! against PostgreSQL (rather than self-contained signed tokens) because logout, reuse detection
//! and disabling a user must take effect at once, on every server process: the database is the
//! one place all processes share, so any number of them can serve the same clients without
//! sharing a signing key or a revocation list. The cost is one indexed lookup per request.
//!
//! A login starts a *family*. Each refresh spends the presented refresh token and issues a new
//! pair in the same family. Presenting a spent refresh token again means it was copied: the whole
//! family is revoked (reuse detection), and the thief and the owner both have to log in again.
//! One exception: the holder retrying a refresh whose answer it never got (connection cut, app
//! killed before it stored the new token) — a token spent within [`LOST_ANSWER_GRACE`] whose
//! successor was never used. It gets a new pair and the unused successor is superseded, so a
//! thief who replays first is still caught at the holder's next refresh.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Row};

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};

const ACCESS_PREFIX: &str = "cda_";
const REFRESH_PREFIX: &str = "cdr_";

/// How long tokens live.
#[derive(Debug, Clone, Copy)]
pub struct TokenConfig {
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl Default for TokenConfig {
    fn default() -> Self {
        TokenConfig {
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 60 * 60),
        }
    }
}

/// A freshly issued pair.
#[derive(Debug)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
}

fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn interval(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Starts a token family for a login and issues its first pair.
pub async fn start_family(
    tx: &mut Tx,
    user_id: &str,
    device_name: &str,
    config: &TokenConfig,
) -> ApiResult<Issued> {
    let family_id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO token_families (id, user_id, device_name) VALUES ($1, $2, $3)")
        .bind(&family_id)
        .bind(user_id)
        .bind(device_name)
        .execute(&mut **tx)
        .await?;
    // Expired access tokens are of no use to anyone: drop them now and then.
    sqlx::query("DELETE FROM access_tokens WHERE expires_at < now() - interval '1 day'")
        .execute(&mut **tx)
        .await?;
    issue(tx, &family_id, config).await
}

async fn issue(tx: &mut Tx, family_id: &str, config: &TokenConfig) -> ApiResult<Issued> {
    let access_token = new_token(ACCESS_PREFIX);
    let refresh_token = new_token(REFRESH_PREFIX);
    sqlx::query(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(hash(&access_token))
    .bind(family_id)
    .bind(interval(config.access_ttl))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(hash(&refresh_token))
    .bind(family_id)
    .bind(interval(config.refresh_ttl))
    .execute(&mut **tx)
    .await?;
    Ok(Issued {
        access_token,
        refresh_token,
    })
}

/// Revokes a family: its access and refresh tokens stop working everywhere at once.
pub async fn revoke_family(tx: &mut Tx, family_id: &str) -> ApiResult<()> {
    sqlx::query(
        "UPDATE token_families SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Revokes every family of a user (the user was disabled).
pub async fn revoke_user(tx: &mut Tx, user_id: &str) -> ApiResult<()> {
    sqlx::query(
        "UPDATE token_families SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Spends a refresh token and issues the next pair. Returns the user id with it.
pub async fn rotate(
    pool: &PgPool,
    refresh_token: &str,
    config: &TokenConfig,
) -> ApiResult<(String, Issued)> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query(
        "SELECT r.family_id, r.spent_at IS NOT NULL AS spent, r.expires_at <= now() AS expired,
                f.revoked_at IS NOT NULL AS revoked, f.user_id, u.disabled
         FROM refresh_tokens r
         JOIN token_families f ON f.id = r.family_id
         JOIN users u ON u.id = f.user_id
         WHERE r.token_hash = $1
         FOR UPDATE OF r, f",
    )
    .bind(hash(refresh_token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(ApiError::TokenRevoked);
    };
    let family_id: String = row.try_get("family_id")?;
    let user_id: String = row.try_get("user_id")?;
    if row.try_get::<bool, _>("revoked")? {
        return Err(ApiError::TokenRevoked);
    }
    if row.try_get::<bool, _>("spent")? {
        if !answer_was_lost(&mut tx, refresh_token, &family_id).await? {
            tracing::warn!(family = %family_id, user = %user_id, "refresh token reused: family revoked");
            revoke_family(&mut tx, &family_id).await?;
            tx.commit().await?;
            return Err(ApiError::TokenRevoked);
        }
        // The answer to the refresh that spent it never arrived (connection cut, client killed
        // before it stored the new token): its successor is superseded (spent and expired, so
        // presenting it later is reuse, never another lost answer).
        tracing::info!(family = %family_id, "refresh answer lost: issuing again");
        sqlx::query(
            "UPDATE refresh_tokens SET spent_at = now(), expires_at = now()
             WHERE family_id = $1 AND spent_at IS NULL",
        )
        .bind(&family_id)
        .execute(&mut *tx)
        .await?;
    }
    if row.try_get::<bool, _>("disabled")? {
        return Err(crate::auth::bad_credentials());
    }
    if row.try_get::<bool, _>("expired")? {
        return Err(ApiError::TokenExpired);
    }
    sqlx::query("UPDATE refresh_tokens SET spent_at = now() WHERE token_hash = $1")
        .bind(hash(refresh_token))
        .execute(&mut *tx)
        .await?;
    let issued = issue(&mut tx, &family_id, config).await?;
    tx.commit().await?;
    Ok((user_id, issued))
}

/// How long after a refresh its old token may be presented again when the new one it was
/// answered with has never been used (the answer was lost in transit).
pub const LOST_ANSWER_GRACE: Duration = Duration::from_secs(5 * 60);

/// Whether a spent refresh token presented again is the holder retrying a refresh whose answer
/// never reached it, rather than a copy: it was spent recently, it was not superseded, and
/// nothing issued since has been used. (A thief replaying it first only supersedes the holder's token, whose next use then
/// revokes the family.)
async fn answer_was_lost(tx: &mut Tx, refresh_token: &str, family_id: &str) -> ApiResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT r.spent_at > now() - make_interval(secs => $3) AND r.expires_at > now()
                AND NOT EXISTS (SELECT 1 FROM refresh_tokens n
                                WHERE n.family_id = $2 AND n.created_at >= r.spent_at
                                  AND n.spent_at IS NOT NULL AND n.token_hash <> r.token_hash)
         FROM refresh_tokens r WHERE r.token_hash = $1",
    )
    .bind(hash(refresh_token))
    .bind(family_id)
    .bind(interval(LOST_ANSWER_GRACE))
    .fetch_one(&mut **tx)
    .await?)
}

/// The family of a refresh token, if the token is known.
pub async fn family_of_refresh(pool: &PgPool, refresh_token: &str) -> ApiResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT family_id FROM refresh_tokens WHERE token_hash = $1")
            .bind(hash(refresh_token))
            .fetch_optional(pool)
            .await?,
    )
}

/// The user an access token stands for: `(user_id)` when valid.
pub async fn check_access(pool: &PgPool, access_token: &str) -> ApiResult<String> {
    let row = sqlx::query(
        "SELECT a.expires_at <= now() AS expired, f.revoked_at IS NOT NULL AS revoked,
                f.user_id, u.disabled
         FROM access_tokens a
         JOIN token_families f ON f.id = a.family_id
         JOIN users u ON u.id = f.user_id
         WHERE a.token_hash = $1",
    )
    .bind(hash(access_token))
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Err(ApiError::Unauthorized("unknown access token".into()));
    };
    if row.try_get::<bool, _>("disabled")? {
        return Err(crate::auth::bad_credentials());
    }
    if row.try_get::<bool, _>("revoked")? {
        return Err(ApiError::TokenRevoked);
    }
    if row.try_get::<bool, _>("expired")? {
        return Err(ApiError::TokenExpired);
    }
    Ok(row.try_get("user_id")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = new_token(ACCESS_PREFIX);
        let b = new_token(ACCESS_PREFIX);
        assert_ne!(a, b);
        assert!(a.starts_with("cda_"));
        assert_eq!(a.len(), 4 + 43, "32 bytes in unpadded base64url");
        assert_eq!(hash(&a).len(), 32);
    }
}
