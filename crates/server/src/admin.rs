//! Admin endpoints: rep assignments (also reachable from the CLI's `assign`).

use axum::extract::State;
use axum::http::StatusCode;
use cdesk_protocol::{AssignmentRequest, ErrorBody, Role};
use sqlx::PgPool;

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, AuthUser};
use crate::{limits, rescope, users, AppState};

/// What the command line's `assign` does: [`set_assignment_as`] the command line.
pub async fn set_assignment(
    pool: &PgPool,
    email: &str,
    partner_id: &str,
    add: bool,
) -> ApiResult<()> {
    set_assignment_as(pool, &Actor::Cli, email, partner_id, add).await
}

/// Adds (`add`) or removes a rep's assignment to a partner on behalf of `actor` (audited), and
/// re-scopes what the rep pulls. Idempotent.
pub async fn set_assignment_as(
    pool: &PgPool,
    actor: &Actor,
    email: &str,
    partner_id: &str,
    add: bool,
) -> ApiResult<()> {
    let partner_id = partner_id.trim();
    if partner_id.is_empty() {
        return Err(ApiError::Invalid("partner_id is required".into()));
    }
    limits::chars("email", email, limits::MAX_EMAIL_CHARS)?;
    limits::chars("partner_id", partner_id, limits::MAX_ID_CHARS)?;
    let rep_id = users::rep_id(pool, email).await?;
    let rep = users::subject(pool, &rep_id).await?;
    let mut tx = pool.begin().await?;
    crate::db::lock_seq(&mut tx).await?;
    let changed = if add {
        sqlx::query(
            "INSERT INTO assignments (user_id, partner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
    } else {
        sqlx::query("DELETE FROM assignments WHERE user_id = $1 AND partner_id = $2")
    }
    .bind(&rep_id)
    .bind(partner_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if changed {
        rescope::assignment_changed(&mut tx, &rep, partner_id, add).await?;
        let mut entry = Entry::new("user", &rep_id, if add { "assign" } else { "unassign" });
        entry.fields = vec!["assignments".into()];
        entry.detail = Some(serde_json::json!({"email": rep.email, "partner_id": partner_id}));
        audit::write(&mut tx, actor, &[entry]).await?;
    }
    tx.commit().await?;
    tracing::info!(rep = %rep.email, partner = partner_id, add, changed, "assignment");
    Ok(())
}

fn require_admin(user: &AuthUser) -> ApiResult<()> {
    if user.0.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only an admin manages assignments".into(),
        ))
    }
}

/// Assigns a sales rep to a partner.
#[utoipa::path(post, path = "/v1/admin/assignments", tag = "admin",
    request_body = AssignmentRequest, security(("bearer" = [])),
    responses(
        (status = 204, description = "assigned"),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such user", body = ErrorBody),
        (status = 422, description = "a field over its length limit, named", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn assign(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<AssignmentRequest>,
) -> ApiResult<StatusCode> {
    require_admin(&user)?;
    set_assignment_as(
        &state.pool,
        &Actor::of(&user.0),
        &req.email,
        &req.partner_id,
        true,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a sales rep's assignment to a partner.
#[utoipa::path(delete, path = "/v1/admin/assignments", tag = "admin",
    request_body = AssignmentRequest, security(("bearer" = [])),
    responses(
        (status = 204, description = "unassigned"),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such user", body = ErrorBody),
        (status = 422, description = "a field over its length limit, named", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn unassign(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<AssignmentRequest>,
) -> ApiResult<StatusCode> {
    require_admin(&user)?;
    set_assignment_as(
        &state.pool,
        &Actor::of(&user.0),
        &req.email,
        &req.partner_id,
        false,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
