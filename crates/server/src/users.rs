//! Users and rep assignments: created by the CLI, read on every request.

use std::str::FromStr;

use cdesk_protocol::{Role, UserInfo};
use sqlx::{PgPool, Row};

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::kinds::REGIONS;
use crate::scope::{normalize_email, Subject};

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Cam => "cam",
        Role::Rep => "rep",
        Role::Manager => "manager",
        Role::Admin => "admin",
    }
}

/// A role as the CLI and the database spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleName(pub Role);

impl FromStr for RoleName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "cam" => Ok(RoleName(Role::Cam)),
            "rep" => Ok(RoleName(Role::Rep)),
            "manager" => Ok(RoleName(Role::Manager)),
            "admin" => Ok(RoleName(Role::Admin)),
            other => Err(format!(
                "unknown role {other:?}: cam, rep, manager or admin"
            )),
        }
    }
}

/// Creates a user. A manager needs a region; the password at least 8 characters.
pub async fn add(
    pool: &PgPool,
    email: &str,
    role: Role,
    region: Option<&str>,
    password: &str,
) -> ApiResult<String> {
    let email = normalize_email(email);
    if !email.contains('@') || email.chars().count() > crate::limits::MAX_EMAIL_CHARS {
        return Err(ApiError::Invalid(format!(
            "{email:?} is not an email address"
        )));
    }
    let region = region.map(|r| r.trim().to_lowercase());
    if let Some(r) = &region {
        if !REGIONS.contains(&r.as_str()) {
            return Err(ApiError::Invalid(format!(
                "unknown region {r:?}: one of {}",
                REGIONS.join(", ")
            )));
        }
    }
    if role == Role::Manager && region.is_none() {
        return Err(ApiError::Invalid("a manager needs a --region".into()));
    }
    if password.chars().count() < 8 {
        return Err(ApiError::Invalid(
            "the password needs at least 8 characters".into(),
        ));
    }
    crate::limits::chars("password", password, crate::limits::MAX_PASSWORD_CHARS)?;
    let hash = crate::password::hash(password.to_string()).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, password_hash, role, region) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&id)
    .bind(&email)
    .bind(hash)
    .bind(role_name(role))
    .bind(&region)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ApiError::Invalid(format!("a user {email} already exists")));
    }
    let mut entry = Entry::new("user", &id, "user_add");
    entry.fields = vec!["email".into(), "role".into(), "region".into()];
    entry.detail =
        Some(serde_json::json!({"email": email, "role": role_name(role), "region": region}));
    audit::write(&mut tx, &Actor::Cli, &[entry]).await?;
    tx.commit().await?;
    Ok(id)
}

/// Disables a user and ends all their sessions.
pub async fn disable(pool: &PgPool, email: &str) -> ApiResult<()> {
    let mut tx = pool.begin().await?;
    let id: Option<String> =
        sqlx::query_scalar("UPDATE users SET disabled = true WHERE email = $1 RETURNING id")
            .bind(normalize_email(email))
            .fetch_optional(&mut *tx)
            .await?;
    let id = id.ok_or_else(|| ApiError::NotFound(format!("no user {email}")))?;
    crate::tokens::revoke_user(&mut tx, &id).await?;
    let mut entry = Entry::new("user", &id, "user_disable");
    entry.fields = vec!["disabled".into()];
    entry.detail = Some(serde_json::json!({"email": normalize_email(email)}));
    audit::write(&mut tx, &Actor::Cli, &[entry]).await?;
    tx.commit().await?;
    Ok(())
}

/// A user row, for login.
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn credentials(pool: &PgPool, email: &str) -> ApiResult<Option<Credentials>> {
    let row = sqlx::query("SELECT id, password_hash, disabled FROM users WHERE email = $1")
        .bind(normalize_email(email))
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(Credentials {
            id: row.try_get("id")?,
            password_hash: row.try_get("password_hash")?,
            disabled: row.try_get("disabled")?,
        })
    })
    .transpose()
}

/// The user as authorization sees them, with a rep's assignments.
pub async fn subject(pool: &PgPool, user_id: &str) -> ApiResult<Subject> {
    let row = sqlx::query("SELECT email, role, region FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("unknown user".into()))?;
    let role: String = row.try_get("role")?;
    let RoleName(role) = role.parse().map_err(ApiError::Internal)?;
    let assigned = if role == Role::Rep {
        sqlx::query_scalar("SELECT partner_id FROM assignments WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect()
    } else {
        Default::default()
    };
    Ok(Subject {
        user_id: user_id.to_string(),
        email: row.try_get("email")?,
        role,
        region: row.try_get("region")?,
        assigned,
    })
}

pub fn info(s: &Subject) -> UserInfo {
    UserInfo {
        id: s.user_id.clone(),
        email: s.email.clone(),
        role: s.role,
        region: s.region.clone(),
    }
}

/// The id of an enabled rep, for assignments.
pub async fn rep_id(pool: &PgPool, email: &str) -> ApiResult<String> {
    let row = sqlx::query("SELECT id, role FROM users WHERE email = $1")
        .bind(normalize_email(email))
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no user {email}")))?;
    let role: String = row.try_get("role")?;
    if role != "rep" {
        return Err(ApiError::Invalid(format!(
            "{email} is a {role}: only sales reps are assigned to partners"
        )));
    }
    Ok(row.try_get("id")?)
}
