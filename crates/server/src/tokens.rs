//! Access and refresh tokens.
//!
//! Both are opaque strings (256 bits), stored only as their sha256. Opaque tokens checked
//! against PostgreSQL (rather than self-contained signed tokens) because logout, reuse detection
//! and disabling a user must take effect at once, on every server process: the database is the
//! one place all processes share, so any number of them can serve the same clients without a
//! revocation list. The cost is one indexed lookup per request.
//!
//! A login starts a *family* with a random pair. Each refresh spends the presented refresh token
//! and issues its successor pair in the same family. Presenting a spent refresh token again means
//! it was copied: the whole family is revoked (reuse detection), and the thief and the owner both
//! have to log in again.
//!
//! One exception: a retry. A refresh whose answer never arrived (connection cut, app killed
//! before it stored the new token) is sent again; so, late, is a request a killed client left in
//! flight, which the server may even reach *after* the client's next run has refreshed. A
//! successor is therefore not random but derived from the spent token with a key only the
//! server knows ([`successor`]), and a token spent within [`TokenConfig::retry_grace`] whose
//! successor is still unspent gets that same successor again, with nothing changed. A thief
//! replaying a spent token in that window gains nothing new: it receives the holder's own pair,
//! and the two then hold one chain until one of them presents a token the other has moved past,
//! which revokes the family for both.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
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
    /// How long after a refresh its token may be presented again and get the same answer, as
    /// long as that answer's refresh token has not been used: long enough for a person to notice
    /// a failed sync and retry, short enough that a copied token is soon worthless.
    pub retry_grace: Duration,
}

impl Default for TokenConfig {
    fn default() -> Self {
        TokenConfig {
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            retry_grace: Duration::from_secs(5 * 60),
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

/// The pair a refresh token is exchanged for: the same token always buys the same pair, and only
/// a holder of `chain_key` can compute it.
fn successor(chain_key: &[u8], refresh_token: &str) -> Issued {
    let derive = |label: &str, prefix: &str| {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(chain_key).expect("HMAC accepts keys of any length");
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(refresh_token.as_bytes());
        format!(
            "{prefix}{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    };
    Issued {
        access_token: derive("access", ACCESS_PREFIX),
        refresh_token: derive("refresh", REFRESH_PREFIX),
    }
}

/// The server's key for [`successor`], made by a migration.
async fn chain_key(tx: &mut Tx) -> ApiResult<Vec<u8>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'token_chain'")
            .fetch_one(&mut **tx)
            .await?,
    )
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
    let pair = Issued {
        access_token: new_token(ACCESS_PREFIX),
        refresh_token: new_token(REFRESH_PREFIX),
    };
    store(tx, family_id, &pair, config).await?;
    Ok(pair)
}

/// Records a pair as valid for the family.
async fn store(tx: &mut Tx, family_id: &str, pair: &Issued, config: &TokenConfig) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(hash(&pair.access_token))
    .bind(family_id)
    .bind(interval(config.access_ttl))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at)
         VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(hash(&pair.refresh_token))
    .bind(family_id)
    .bind(interval(config.refresh_ttl))
    .execute(&mut **tx)
    .await?;
    Ok(())
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

/// Spends a refresh token and issues its successor pair (or, for a retry, issues it again).
/// Returns the user id with it.
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
    if row.try_get::<bool, _>("disabled")? {
        return Err(crate::auth::bad_credentials());
    }
    let next = successor(&chain_key(&mut tx).await?, refresh_token);
    if row.try_get::<bool, _>("spent")? {
        if !is_retry(&mut tx, refresh_token, &next, config.retry_grace).await? {
            tracing::warn!(family = %family_id, user = %user_id, "refresh token reused: family revoked");
            revoke_family(&mut tx, &family_id).await?;
            tx.commit().await?;
            return Err(ApiError::TokenRevoked);
        }
        tracing::info!(family = %family_id, "refresh retried: the same successor again");
        tx.commit().await?; // nothing written; ends the lock at once
        return Ok((user_id, next));
    }
    if row.try_get::<bool, _>("expired")? {
        return Err(ApiError::TokenExpired);
    }
    sqlx::query("UPDATE refresh_tokens SET spent_at = now() WHERE token_hash = $1")
        .bind(hash(refresh_token))
        .execute(&mut *tx)
        .await?;
    store(&mut tx, &family_id, &next, config).await?;
    tx.commit().await?;
    Ok((user_id, next))
}

/// Whether a spent refresh token presented again is a retry rather than a copy: it was spent
/// within `grace` and its successor `next` is still unspent. (The holder cannot have
/// moved past a successor nobody has used, so repeating it reveals nothing new.)
async fn is_retry(
    tx: &mut Tx,
    refresh_token: &str,
    next: &Issued,
    grace: Duration,
) -> ApiResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT r.spent_at > now() - make_interval(secs => $3)
                AND EXISTS (SELECT 1 FROM refresh_tokens n
                            WHERE n.token_hash = $2 AND n.spent_at IS NULL
                              AND n.expires_at > now())
         FROM refresh_tokens r WHERE r.token_hash = $1",
    )
    .bind(hash(refresh_token))
    .bind(hash(&next.refresh_token))
    .bind(interval(grace))
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
