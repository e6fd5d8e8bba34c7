//! Field-level conflicts: recorded by push when an edit overwrote a change its author had not
//! seen; listed for everyone who can read the record; resolved by writing the chosen value as a
//! new change (a new `seq`, so it syncs like any other edit).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use cdesk_protocol::{Conflict, ConflictList, ErrorBody, ResolveConflictRequest};
use serde::Deserialize;
use serde_json::{Map, Value};
use sqlx::Row;

use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, AuthUser};
use crate::kinds::Kind;
use crate::records::{self, FactCache};
use crate::scope;
use crate::{audit, rescope, AppState};

/// A conflict found while applying a change, before it is stored.
#[derive(Debug, Clone)]
pub struct NewConflict {
    pub field: String,
    pub overwritten_value: Value,
    /// The writer id (device id, or `user:<id>` for a resolution) of the overwritten value.
    pub overwritten_writer: String,
    pub written_value: Value,
}

/// The writer id the server uses for changes made through the API rather than a device.
pub fn user_writer(user_id: &str) -> String {
    format!("user:{user_id}")
}

/// The email of whoever a writer id stands for.
async fn writer_email(tx: &mut Tx, writer: &str) -> ApiResult<String> {
    let email: Option<String> = match writer.strip_prefix("user:") {
        Some(user_id) => {
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT u.email FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.device_id = $1",
            )
            .bind(writer)
            .fetch_optional(&mut **tx)
            .await?
        }
    };
    Ok(email.unwrap_or_else(|| writer.to_string()))
}

/// Stores the conflicts one change produced and returns them as the client sees them.
pub async fn record_all(
    tx: &mut Tx,
    record: &records::Record,
    written_by: &str,
    found: Vec<NewConflict>,
) -> ApiResult<Vec<Conflict>> {
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        let conflict = Conflict {
            id: uuid::Uuid::now_v7().to_string(),
            entity: record.kind.name().to_string(),
            entity_id: record.id.clone(),
            field: c.field,
            overwritten_value: c.overwritten_value,
            overwritten_by: writer_email(tx, &c.overwritten_writer).await?,
            written_value: c.written_value,
            written_by: written_by.to_string(),
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            resolved_at: None,
            resolved_by: None,
        };
        sqlx::query(
            "INSERT INTO conflicts (id, kind, entity_id, field, overwritten_value, overwritten_by,
                 written_value, written_by, seq, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)",
        )
        .bind(&conflict.id)
        .bind(&conflict.entity)
        .bind(&conflict.entity_id)
        .bind(&conflict.field)
        .bind(&conflict.overwritten_value)
        .bind(&conflict.overwritten_by)
        .bind(&conflict.written_value)
        .bind(&conflict.written_by)
        .bind(record.seq)
        .bind(&conflict.created_at)
        .execute(&mut **tx)
        .await?;
        tracing::info!(entity = %conflict.entity, id = %conflict.entity_id,
            field = %conflict.field, "conflict recorded");
        out.push(conflict);
    }
    Ok(out)
}

const CONFLICT_COLUMNS: &str = "c.id, c.kind, c.entity_id, c.field, c.overwritten_value, \
     c.overwritten_by, c.written_value, c.written_by, \
     to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at, \
     to_char(c.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS resolved_at, \
     c.resolved_by";

fn conflict_from_row(row: &sqlx::postgres::PgRow) -> ApiResult<Conflict> {
    Ok(Conflict {
        id: row.try_get("id")?,
        entity: row.try_get("kind")?,
        entity_id: row.try_get("entity_id")?,
        field: row.try_get("field")?,
        overwritten_value: row.try_get("overwritten_value")?,
        overwritten_by: row.try_get("overwritten_by")?,
        written_value: row.try_get("written_value")?,
        written_by: row.try_get("written_by")?,
        created_at: row.try_get("created_at")?,
        resolved_at: row.try_get("resolved_at")?,
        resolved_by: row.try_get("resolved_by")?,
    })
}

/// The most conflicts in one page of `GET /v1/conflicts`, and the default page size.
pub const MAX_CONFLICTS_PAGE: i64 = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictsQuery {
    /// Page size, 1 to 500 (the default; larger values are clamped).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; absent for the first page.
    pub after: Option<String>,
}

// Filtered and paged in PostgreSQL (visibility as in pull, `crate::pull`; keyset on
// `(created_at, id)` over the `conflicts_open_order` index), so the cost of a page does not grow
// with the conflicts other users have open.
/// The open conflicts on records the user can read, oldest first, a page at a time: follow
/// `next_cursor` with `after` until it is absent.
#[utoipa::path(get, path = "/v1/conflicts", tag = "conflicts", params(ConflictsQuery),
    security(("bearer" = [])),
    responses((status = 200, body = ConflictList), (status = 401, body = ErrorBody),
        (status = 400, description = "a malformed `limit`", body = ErrorBody),
        (status = 422, description = "`after` is not a conflict id", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthUser(subject): AuthUser,
    query: Result<Query<ConflictsQuery>, QueryRejection>,
) -> ApiResult<Json<ConflictList>> {
    let Query(q) = query.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let limit = q
        .limit
        .unwrap_or(MAX_CONFLICTS_PAGE)
        .clamp(1, MAX_CONFLICTS_PAGE);
    if let Some(after) = &q.after {
        crate::limits::chars("after", after, crate::limits::MAX_ID_CHARS)?;
    }
    let mut tx = state.pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let after: Option<(chrono::DateTime<chrono::Utc>, String)> = match &q.after {
        None => None,
        Some(id) => Some(
            sqlx::query_as("SELECT created_at, id FROM conflicts WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| {
                    ApiError::Unprocessable("after: not a cursor this server handed out".into())
                })?,
        ),
    };
    let v = crate::pull::visible(&mut tx, &subject).await?;
    let rules: Vec<&str> = Kind::rules().map(Kind::name).collect();
    let sql = format!(
        "SELECT {CONFLICT_COLUMNS}
         FROM conflicts c JOIN records r ON r.kind = c.kind AND r.id = c.entity_id
         WHERE c.resolved_at IS NULL AND NOT r.deleted
           AND ($1 OR r.kind = ANY($2) OR r.root_partner_id = ANY($3)
                OR r.root_account_id = ANY($4)
                OR (r.author = $5 AND r.kind IN ('call_note', 'next_step')))
           AND ($6::timestamptz IS NULL OR (c.created_at, c.id) > ($6, $7))
         ORDER BY c.created_at, c.id
         LIMIT $8"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(v.all)
        .bind(&rules)
        .bind(&v.partners)
        .bind(&v.accounts)
        .bind(&subject.email)
        .bind(after.as_ref().map(|(at, _)| *at))
        .bind(after.as_ref().map(|(_, id)| id.as_str()))
        .bind(limit + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut conflicts = rows
        .iter()
        .map(conflict_from_row)
        .collect::<ApiResult<Vec<_>>>()?;
    let more = conflicts.len() as i64 > limit;
    conflicts.truncate(limit as usize);
    let next_cursor = more
        .then(|| conflicts.last().map(|c| c.id.clone()))
        .flatten();
    Ok(Json(ConflictList {
        conflicts,
        next_cursor,
    }))
}

/// Resolves a conflict: the chosen value becomes a new change of the field, and every open
/// conflict on that field is marked resolved. Only someone who may write the record resolves.
#[utoipa::path(post, path = "/v1/conflicts/{id}/resolve", tag = "conflicts",
    params(("id" = String, Path, description = "the conflict id")),
    request_body = ResolveConflictRequest, security(("bearer" = [])),
    responses(
        (status = 200, description = "the resolved conflict", body = Conflict),
        (status = 403, description = "you may not write this record", body = ErrorBody),
        (status = 404, description = "no such conflict (or record) that you can see",
            body = ErrorBody),
        (status = 409, description = "already resolved", body = ErrorBody),
        (status = 422, description = "the value is over the field's limit", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    AuthUser(subject): AuthUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ResolveConflictRequest>,
) -> ApiResult<Json<Conflict>> {
    let not_found = || ApiError::NotFound("no such conflict".into());
    crate::limits::chars("id", &id, crate::limits::MAX_ID_CHARS)?;
    let mut tx = state.pool.begin().await?;
    db::lock_seq(&mut tx).await?;
    let sql = format!("SELECT {CONFLICT_COLUMNS} FROM conflicts c WHERE c.id = $1 FOR UPDATE");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
    let conflict = conflict_from_row(&row)?;
    let kind = Kind::parse(&conflict.entity).ok_or_else(not_found)?;
    let record = records::load_for_update(&mut tx, kind, &conflict.entity_id)
        .await?
        .ok_or_else(not_found)?;
    let mut facts = FactCache::default();
    let before = facts.scope(&mut tx, kind, &record.roots).await?;
    if !scope::can_read(&subject, &before) {
        return Err(not_found());
    }
    if conflict.resolved_at.is_some() {
        return Err(ApiError::Conflict(
            "this conflict is already resolved".into(),
        ));
    }
    if record.deleted {
        return Err(ApiError::NotFound(format!(
            "this {} was deleted since",
            kind.name()
        )));
    }

    crate::limits::check_field(kind, &conflict.field, &req.value)
        .map_err(|message| ApiError::Unprocessable(format!("value: {message}")))?;
    let mut patch = Map::new();
    patch.insert(conflict.field.clone(), req.value);
    let patch = crate::push::validate_patch(kind, &record.id, &patch)
        .map_err(|r| ApiError::Invalid(r.message))?;
    let mut fields = record.fields.clone();
    fields.extend(patch);
    let roots = records::compute_roots(
        &mut tx,
        &records::Known::default(),
        kind,
        &record.id,
        &fields,
        record.roots.author.clone(),
    )
    .await?;
    let after = facts.scope(&mut tx, kind, &roots).await?;
    scope::can_write(&subject, Some(&before), Some(&after)).map_err(ApiError::Forbidden)?;

    let seq = db::next_seq(&mut tx).await?;
    let mut updated = record.clone();
    updated.fields = fields;
    updated.seq = seq;
    updated.roots = roots;
    updated.field_versions.insert(conflict.field.clone(), seq);
    updated
        .field_writers
        .insert(conflict.field.clone(), user_writer(&subject.user_id));
    records::save(&mut tx, &updated).await?;
    facts.clear();
    rescope::after_change(&mut tx, &mut facts, &record, &updated).await?;

    sqlx::query(
        "UPDATE conflicts SET resolved_at = now(), resolved_by = $4
         WHERE kind = $1 AND entity_id = $2 AND field = $3 AND resolved_at IS NULL",
    )
    .bind(kind.name())
    .bind(&record.id)
    .bind(&conflict.field)
    .bind(&subject.email)
    .execute(&mut *tx)
    .await?;
    let sql = format!("SELECT {CONFLICT_COLUMNS} FROM conflicts c WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&id)
        .fetch_one(&mut *tx)
        .await?;
    let resolved = conflict_from_row(&row)?;
    let mut entry = audit::Entry::new(kind.name(), &record.id, "resolve");
    entry.fields = vec![conflict.field.clone()];
    entry.seq = Some(seq);
    entry.detail = Some(serde_json::json!({"conflict_id": id}));
    audit::write(&mut tx, &audit::Actor::of(&subject), &[entry]).await?;
    tx.commit().await?;
    tracing::info!(conflict = %id, seq, "conflict resolved");
    Ok(Json(resolved))
}
