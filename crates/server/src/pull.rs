//! `GET /v1/sync/pull?cursor=N&limit=M`: the records the user may read whose last change is
//! after `cursor`, in `seq` order, one page at a time.
//!
//! A page is read in one REPEATABLE READ snapshot. When it is not full, the returned cursor is the
//! highest `seq` handed out in that snapshot, so the next pull does not scan again past records
//! the user cannot see. Because `seq` is commit-ordered (see [`crate::db::next_seq`]), no change
//! at or below that number can still appear later.
//!
//! Visibility is the SQL form of [`crate::scope::can_read`]: the user's partners (owned, in their
//! region, or assigned), accounts (owned), authored notes and next steps, and the rules kinds,
//! matched on the indexed `root_partner_id` / `root_account_id` / `author` / `kind` columns.
//! Records that left the user's scope come from `scope_exits` as tombstones.
//!
//! A device that names itself (`device=`) is not sent its own echoes: records whose every field
//! was last written by it, so that it holds each value already (and, from its push answers,
//! each version). A device that pushed 10,000 notes would otherwise download them all again
//! right after (docs/sync-benchmarks.md).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use cdesk_protocol::{ErrorBody, Op, PullResponse, Role, MAX_PULL_PAGE};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sqlx::{PgConnection, Row};

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, ProtocolVersion};
use crate::kinds::Kind;
use crate::scope::Subject;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullQuery {
    /// The cursor of the last page applied; 0 (or absent) for everything.
    pub cursor: Option<i64>,
    /// Page size, at most `MAX_PULL_PAGE` (larger values are clamped).
    pub limit: Option<i64>,
    /// The pulling device: records whose every field it wrote last are left out, since it has
    /// them already. The page's `cursor` still moves past them.
    #[param(pattern = "^[A-Za-z0-9_-]{1,100}$")]
    pub device: Option<String>,
    /// With `device`: the highest mutation id the device's database has made. A server that
    /// applied a higher one from that device answers 409 `diverged` (the database was restored
    /// from a backup or copied, and lacks records it would be left out of as echoes).
    #[param(minimum = 0)]
    pub made: Option<i64>,
}

/// Pulls the next page of changes.
#[utoipa::path(get, path = "/v1/sync/pull", tag = "sync", params(PullQuery,
        ("x-cdesk-protocol" = u32, Header, description = "the client's protocol version",
            minimum = 1, maximum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PullResponse),
        (status = 400, description = "a malformed or negative cursor", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 409, description = "`diverged`: the device's database made fewer mutations \
            than the server applied from it", body = ErrorBody),
        (status = 426, description = "`upgrade_required`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    ))]
pub async fn pull(
    _version: ProtocolVersion,
    State(state): State<AppState>,
    AuthUser(subject): AuthUser,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> ApiResult<Json<Pulled>> {
    let Query(q) = query.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let cursor = q.cursor.unwrap_or(0);
    if cursor < 0 {
        return Err(ApiError::Invalid("cursor must not be negative".into()));
    }
    let limit = q
        .limit
        .unwrap_or(MAX_PULL_PAGE as i64)
        .clamp(1, MAX_PULL_PAGE as i64);
    if let Some(device) = &q.device {
        crate::push::validate_device_id(device)?;
        if let Some(made) = q.made {
            behind_the_server(&state.pool, &subject, device, made).await?;
        }
    }

    let mut tx = state.pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let (max, epoch) = db::current_seq(&mut tx).await?;
    if cursor > max {
        tx.commit().await?;
        return Ok(Json(Pulled::Reset {
            reason: format!(
                "cursor {cursor} is ahead of the server ({max}): the server's data was \
                 replaced; pull everything again"
            ),
        }));
    }
    let mut changes = page(&mut tx, &subject, cursor, limit + 1, q.device.as_deref()).await?;
    let has_more = changes.len() as i64 > limit;
    changes.truncate(limit as usize);
    let cursor = match changes.last() {
        Some(last) if has_more => last.seq,
        _ => max,
    };
    tx.commit().await?;
    Ok(Json(Pulled::Changes {
        changes,
        cursor,
        has_more,
        epoch,
    }))
}

/// Refuses a pull that names a device whose database has made fewer mutations (`made`) than the
/// server applied from it: a restored or copied database, which lacks the records it wrote
/// since. Leaving them out as its echoes would keep them from it for good.
async fn behind_the_server(
    pool: &sqlx::PgPool,
    s: &Subject,
    device: &str,
    made: i64,
) -> ApiResult<()> {
    if made < 0 {
        return Err(ApiError::Invalid("made must not be negative".into()));
    }
    let applied: Option<i64> = sqlx::query_scalar(
        "SELECT last_mutation_id FROM devices WHERE device_id = $1 AND user_id = $2",
    )
    .bind(device)
    .bind(&s.user_id)
    .fetch_optional(pool)
    .await?;
    match applied {
        Some(applied) if applied > made => Err(ApiError::RolledBack { made, applied }),
        _ => Ok(()),
    }
}

/// A [`PullResponse`] as it goes out, serialized exactly like one: the stored JSON of each
/// record's fields and versions is passed through as PostgreSQL prints it, not parsed into
/// values and printed again (most of a big page's cost on the server).
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pulled {
    Changes {
        changes: Vec<RawChange>,
        cursor: i64,
        has_more: bool,
        epoch: String,
    },
    Reset {
        reason: String,
    },
}

/// A [`cdesk_protocol::Change`] whose `fields` and `field_versions` are JSON text.
#[derive(Debug, Serialize)]
pub struct RawChange {
    seq: i64,
    entity: String,
    entity_id: String,
    op: Op,
    fields: Box<RawValue>,
    field_versions: Box<RawValue>,
}

/// What the user may read, as id lists matched against the indexed root columns (also used
/// by the conflicts list, [`crate::conflicts::list`]).
pub(crate) struct Visible {
    pub(crate) all: bool,
    pub(crate) partners: Vec<String>,
    pub(crate) accounts: Vec<String>,
}

async fn ids(
    conn: &mut PgConnection,
    sql: &'static str,
    arg: Option<&str>,
) -> ApiResult<Vec<String>> {
    match arg {
        None => Ok(Vec::new()),
        Some(arg) => Ok(sqlx::query_scalar::<_, String>(sql)
            .bind(arg)
            .fetch_all(&mut *conn)
            .await?),
    }
}

pub(crate) async fn visible(conn: &mut PgConnection, s: &Subject) -> ApiResult<Visible> {
    let (partners, accounts) = match s.role {
        Role::Admin => {
            return Ok(Visible {
                all: true,
                partners: Vec::new(),
                accounts: Vec::new(),
            })
        }
        Role::Cam => (
            ids(
                conn,
                "SELECT id FROM records WHERE kind = 'partner' AND scope_owner = $1",
                Some(&s.email),
            )
            .await?,
            Vec::new(),
        ),
        Role::Manager => (
            ids(
                conn,
                "SELECT id FROM records WHERE kind = 'partner' AND scope_region = $1",
                s.region.as_deref(),
            )
            .await?,
            Vec::new(),
        ),
        Role::Rep => (
            ids(
                conn,
                "SELECT partner_id FROM assignments WHERE user_id = $1",
                Some(&s.user_id),
            )
            .await?,
            ids(
                conn,
                "SELECT id FROM records WHERE kind = 'account' AND scope_owner = $1",
                Some(&s.email),
            )
            .await?,
        ),
    };
    Ok(Visible {
        all: false,
        partners,
        accounts,
    })
}

/// The first `n` changes after `cursor` the user may read, leaving out `device`'s echoes: the
/// index on `seq` is walked past them inside PostgreSQL, so a device that pushed 10,000 notes
/// pulls next in one short request. A record that once left the user's scope is never an echo:
/// the device dropped it then, so when it comes back (a partner handed over and back) the device
/// needs it even if every field is its own.
async fn page(
    conn: &mut PgConnection,
    s: &Subject,
    cursor: i64,
    n: i64,
    device: Option<&str>,
) -> ApiResult<Vec<RawChange>> {
    let v = visible(conn, s).await?;
    let rules: Vec<&str> = Kind::rules().map(Kind::name).collect();
    let rows = sqlx::query(
        "SELECT seq, kind, id, deleted, fields::text AS fields,
             field_versions::text AS field_versions FROM (
             (SELECT seq, kind, id, fields, field_versions, deleted
              FROM records
              WHERE seq > $1 AND ($3 OR kind = ANY($4) OR root_partner_id = ANY($5)
                    OR root_account_id = ANY($6)
                    OR (author = $7 AND kind IN ('call_note', 'next_step')))
                AND ($9::text IS NULL OR deleted OR writer <> $9
                     OR (writer IS NULL AND field_writers = '{}'::jsonb)
                     OR EXISTS (SELECT 1 FROM jsonb_each_text(field_writers) w
                                WHERE w.value <> $9)
                     OR EXISTS (SELECT 1 FROM scope_exits x
                                WHERE x.user_id = $8 AND x.kind = records.kind
                                  AND x.id = records.id))
              ORDER BY seq LIMIT $2)
             UNION ALL
             (SELECT seq, kind, id, '{}'::jsonb, '{}'::jsonb, true FROM scope_exits
              WHERE user_id = $8 AND seq > $1
              ORDER BY seq LIMIT $2)
         ) page ORDER BY seq LIMIT $2",
    )
    .bind(cursor)
    .bind(n)
    .bind(v.all)
    .bind(&rules)
    .bind(&v.partners)
    .bind(&v.accounts)
    .bind(&s.email)
    .bind(&s.user_id)
    .bind(device)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let deleted: bool = row.try_get("deleted")?;
            let json = |column: &str| -> ApiResult<Box<RawValue>> {
                let text: String = row.try_get(column)?;
                if !text.starts_with('{') {
                    return Err(ApiError::Internal(format!("record {column}: {text}")));
                }
                RawValue::from_string(text)
                    .map_err(|e| ApiError::Internal(format!("record JSON: {e}")))
            };
            Ok(RawChange {
                seq: row.try_get("seq")?,
                entity: row.try_get("kind")?,
                entity_id: row.try_get("id")?,
                op: if deleted { Op::Delete } else { Op::Upsert },
                fields: json("fields")?,
                field_versions: json("field_versions")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdesk_protocol::Change;

    /// The pass-through form reads back as the protocol's own type, field for field.
    #[test]
    fn pulled_reads_back_as_a_pull_response() {
        let raw = |s: &str| RawValue::from_string(s.to_string()).unwrap();
        let pulled = Pulled::Changes {
            changes: vec![
                RawChange {
                    seq: 7,
                    entity: "call_note".into(),
                    entity_id: "n1".into(),
                    op: Op::Upsert,
                    fields: raw(r#"{"title": "Kickoff", "amount": 1.5, "tags": ["a"]}"#),
                    field_versions: raw(r#"{"title": 7, "amount": 3}"#),
                },
                RawChange {
                    seq: 9,
                    entity: "partner".into(),
                    entity_id: "p1".into(),
                    op: Op::Delete,
                    fields: raw("{}"),
                    field_versions: raw("{}"),
                },
            ],
            cursor: 9,
            has_more: true,
            epoch: "e1".into(),
        };
        let text = serde_json::to_string(&pulled).unwrap();
        let back: PullResponse = serde_json::from_str(&text).unwrap();
        let fields = serde_json::json!({"title": "Kickoff", "amount": 1.5, "tags": ["a"]});
        assert_eq!(
            back,
            PullResponse::Changes {
                changes: vec![
                    Change {
                        seq: 7,
                        entity: "call_note".into(),
                        entity_id: "n1".into(),
                        op: Op::Upsert,
                        fields: fields.as_object().unwrap().clone(),
                        field_versions: [("title".to_string(), 7), ("amount".to_string(), 3)]
                            .into_iter()
                            .collect(),
                    },
                    Change {
                        seq: 9,
                        entity: "partner".into(),
                        entity_id: "p1".into(),
                        op: Op::Delete,
                        fields: Default::default(),
                        field_versions: Default::default(),
                    },
                ],
                cursor: 9,
                has_more: true,
                epoch: "e1".into(),
            }
        );
        let reset = serde_json::to_string(&Pulled::Reset {
            reason: "again".into(),
        })
        .unwrap();
        assert_eq!(
            serde_json::from_str::<PullResponse>(&reset).unwrap(),
            PullResponse::Reset {
                reason: "again".into()
            }
        );
    }
}
