//! The audit trail: who changed what and when, written in the same transaction as the change.
//!
//! Every applied push mutation (records and rules alike), every conflict resolution, every
//! assignment and every user added or disabled leaves one `audit_log` row: the user (or `cli`),
//! the device, the record kind and id, the action, the names of the fields written, the device's
//! mutation id and the change's `seq`. Admins read it with `GET /v1/audit`.
//!
//! Use [`PushTrail`] in a push (collect, then one insert before commit) and [`write`] elsewhere.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use cdesk_protocol::{AuditEntry, AuditPage, ErrorBody, Mutation, Op, Role, MAX_AUDIT_PAGE};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::Value;
use sqlx::Row;

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::extract::AuthUser;
use crate::scope::Subject;
use crate::AppState;

/// Who made a change.
#[derive(Debug, Clone)]
pub enum Actor {
    User {
        user_id: String,
        email: String,
    },
    /// The server's command line (`cdesk-server user add`, `assign` ...).
    Cli,
}

impl Actor {
    pub fn of(subject: &Subject) -> Actor {
        Actor::User {
            user_id: subject.user_id.clone(),
            email: subject.email.clone(),
        }
    }

    fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User { user_id, .. } => Some(user_id),
            Actor::Cli => None,
        }
    }

    fn name(&self) -> &str {
        match self {
            Actor::User { email, .. } => email,
            Actor::Cli => "cli",
        }
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct Entry {
    pub device_id: Option<String>,
    pub kind: String,
    pub entity_id: String,
    pub action: &'static str,
    pub fields: Vec<String>,
    pub mutation_id: Option<i64>,
    pub seq: Option<i64>,
    pub detail: Option<Value>,
}

impl Entry {
    /// An entry with no device, fields, mutation, seq or detail.
    pub fn new(kind: &str, entity_id: &str, action: &'static str) -> Entry {
        Entry {
            device_id: None,
            kind: kind.to_string(),
            entity_id: entity_id.to_string(),
            action,
            fields: Vec::new(),
            mutation_id: None,
            seq: None,
            detail: None,
        }
    }
}

/// Writes `entries`, all by `actor`, in one statement.
pub async fn write(tx: &mut Tx, actor: &Actor, entries: &[Entry]) -> ApiResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let col = |f: fn(&Entry) -> Option<String>| entries.iter().map(f).collect::<Vec<_>>();
    // Arrays of arrays must be rectangular in PostgreSQL: each field list travels as the text
    // of an array, which PostgreSQL reads back far faster than a JSON array (one push writes
    // a row per mutation).
    let fields: Vec<String> = entries.iter().map(|e| array_text(&e.fields)).collect();
    sqlx::query(
        "INSERT INTO audit_log (user_id, actor, device_id, kind, entity_id, action, fields,
             mutation_id, seq, detail)
         SELECT $1, $2, d, k, i, a, f::text[], m, s, x
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[],
                     $9::int8[], $10::jsonb[]) AS e(d, k, i, a, f, m, s, x)",
    )
    .bind(actor.user_id())
    .bind(actor.name())
    .bind(col(|e| e.device_id.clone()))
    .bind(col(|e| Some(e.kind.clone())))
    .bind(col(|e| Some(e.entity_id.clone())))
    .bind(col(|e| Some(e.action.to_string())))
    .bind(fields)
    .bind(entries.iter().map(|e| e.mutation_id).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.seq).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.detail.clone()).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A text array as PostgreSQL reads it: `{"a","b \"c\""}`, every element quoted.
fn array_text(items: &[String]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// The entries of one push, collected as mutations apply and written before it commits.
#[derive(Debug)]
pub struct PushTrail {
    actor: Actor,
    device_id: String,
    entries: Vec<Entry>,
}

impl PushTrail {
    pub fn new(subject: &Subject, device_id: &str) -> PushTrail {
        PushTrail {
            actor: Actor::of(subject),
            device_id: device_id.to_string(),
            entries: Vec::new(),
        }
    }

    /// Notes an applied mutation and the `seq` it got.
    pub fn applied(&mut self, m: &Mutation, seq: i64) {
        let (action, fields) = match m.op {
            Op::Upsert => (
                "upsert",
                m.patch.keys().filter(|f| *f != "id").cloned().collect(),
            ),
            Op::Delete => ("delete", Vec::new()),
        };
        self.entries.push(Entry {
            device_id: Some(self.device_id.clone()),
            kind: m.entity.clone(),
            entity_id: m.entity_id.clone(),
            action,
            fields,
            mutation_id: Some(m.mutation_id),
            seq: Some(seq),
            detail: None,
        });
    }

    /// Writes what was collected (and forgets it, so a second call writes nothing twice).
    pub async fn write(&mut self, tx: &mut Tx) -> ApiResult<()> {
        let entries = std::mem::take(&mut self.entries);
        write(tx, &self.actor, &entries).await
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes by this user id.
    pub user_id: Option<String>,
    /// Only this record kind (or `user`).
    pub kind: Option<String>,
    /// Only this record id.
    pub entity_id: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only entries at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Only entries before this time (RFC 3339).
    pub until: Option<String>,
    /// Only entries older than this id (the `next_before` of the previous page).
    pub before: Option<i64>,
    /// Page size, 1 to `MAX_AUDIT_PAGE` (500); 100 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn time(field: &str, value: Option<&str>) -> ApiResult<Option<DateTime<Utc>>> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| {
                    ApiError::Unprocessable(format!(
                        "{field} must be an RFC 3339 time such as 2025-01-31T09:00:00Z: {e}"
                    ))
                })
        })
        .transpose()
}

/// The audit trail, newest first, filtered and paged. Admins only.
#[utoipa::path(get, path = "/v1/audit", tag = "admin", params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AuditPage),
        (status = 400, description = "a malformed query", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "a bad time or page size, named", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    AuthUser(subject): AuthUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Json<AuditPage>> {
    if subject.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "only an admin reads the audit trail".into(),
        ));
    }
    let Query(q) = query.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_AUDIT_PAGE as i64).contains(&limit) {
        return Err(ApiError::Unprocessable(format!(
            "limit must be 1 to {MAX_AUDIT_PAGE}"
        )));
    }
    for (field, value) in [
        ("user_id", &q.user_id),
        ("kind", &q.kind),
        ("entity_id", &q.entity_id),
        ("action", &q.action),
    ] {
        if let Some(v) = value {
            crate::limits::chars(field, v, crate::limits::MAX_ID_CHARS)?;
        }
    }
    let since = time("since", q.since.as_deref())?;
    let until = time("until", q.until.as_deref())?;
    let rows = sqlx::query(
        "SELECT id, at, user_id, actor, device_id, kind, entity_id, action, fields, mutation_id,
                seq, detail
         FROM audit_log
         WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR kind = $2)
           AND ($3::text IS NULL OR entity_id = $3) AND ($4::text IS NULL OR action = $4)
           AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
           AND ($7::int8 IS NULL OR id < $7)
         ORDER BY id DESC LIMIT $8",
    )
    .bind(&q.user_id)
    .bind(&q.kind)
    .bind(&q.entity_id)
    .bind(&q.action)
    .bind(since)
    .bind(until)
    .bind(q.before)
    .bind(limit + 1)
    .fetch_all(&state.pool)
    .await?;
    let mut entries = rows
        .iter()
        .map(|row| {
            let at: DateTime<Utc> = row.try_get("at")?;
            Ok(AuditEntry {
                id: row.try_get("id")?,
                at: at.to_rfc3339_opts(SecondsFormat::Micros, true),
                user_id: row.try_get("user_id")?,
                actor: row.try_get("actor")?,
                device_id: row.try_get("device_id")?,
                kind: row.try_get("kind")?,
                entity_id: row.try_get("entity_id")?,
                action: row.try_get("action")?,
                fields: row.try_get("fields")?,
                mutation_id: row.try_get("mutation_id")?,
                seq: row.try_get("seq")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    let next_before = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}

#[cfg(test)]
mod tests {
    use super::array_text;

    #[test]
    fn field_lists_travel_as_quoted_array_text() {
        let list =
            |items: &[&str]| array_text(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&[]), "{}");
        assert_eq!(list(&["title", "body"]), r#"{"title","body"}"#);
        // Quoted, "NULL" is text and braces or commas are plain characters.
        assert_eq!(list(&["NULL", "a,b", "{x}"]), r#"{"NULL","a,b","{x}"}"#);
        assert_eq!(list(&[r#"say "hi" \ bye"#]), r#"{"say \"hi\" \\ bye"}"#);
    }
}
