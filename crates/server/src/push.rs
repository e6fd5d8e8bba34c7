//! `POST /v1/sync/push`: applies a device's outbox batch exactly once, in one transaction.
//! The batch's records are read, numbered and written through a [`Stage`]: a few statements per
//! batch rather than per mutation.
//!
//! The device row is locked first (`FOR UPDATE`), so two pushes from one device never interleave.
//! Mutations are processed in order: an id at or below the device's `last_mutation_id` is a
//! `duplicate`; an id past `last + 1` stops the batch with 409 `gap` (what came before it is
//! committed); any other is authorized and validated, then applied with the next global `seq` or
//! `rejected` (logged, and it still advances `last_mutation_id` so it never blocks the queue).
//! A duplicate of a rejected mutation is answered `rejected` again, never `duplicate`.

use axum::extract::State;
use axum::Json;
use cdesk_protocol::{
    is_conflict, Change, Conflict, ErrorBody, FieldState, FieldWrite, Mutation, MutationResult,
    MutationStatus, Op, PushRequest, PushResponse, Role, MAX_PUSH_BATCH,
};
use serde_json::{Map, Value};

use cdesk_domain::domain::validate::MAX_ID_CHARS;

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ProtocolVersion, PushSlot};
use crate::kinds::{Kind, REGIONS};
use crate::records::{self, FactCache, Record, Roots};
use crate::scope::{self, Subject};
use crate::stage::Stage;
use crate::{audit, conflicts, digests, rescope, AppState};

/// Why a mutation was not applied (reported to the client, logged on the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
}

fn reject(code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        code,
        message: message.into(),
    }
}

type Outcome = Result<(i64, Vec<Conflict>), Rejection>;

/// Pushes a batch of the device's outbox.
#[utoipa::path(post, path = "/v1/sync/push", tag = "sync", request_body = PushRequest,
    params(("x-cdesk-protocol" = u32, Header, description = "the client's protocol version",
            minimum = 1, maximum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PushResponse),
        (status = 400, description = "a malformed body or device id", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 409, description = "`gap`: a mutation id skips ahead", body = ErrorBody),
        (status = 403, description = "the device belongs to another user", body = ErrorBody),
        (status = 413, description = "`too_large`: too many mutations or too large a body",
            body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many requests, or too many pushes of \
            this user in flight at once; see `Retry-After`", body = ErrorBody),
        (status = 426, description = "`upgrade_required`", body = ErrorBody),
    ))]
pub async fn push(
    _version: ProtocolVersion,
    State(state): State<AppState>,
    // The slot is held to the end of the push (the per-user cap, `crate::bounds`).
    PushSlot(subject, _slot): PushSlot,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    check_request(&req)?;
    let mut tx = state.pool.begin().await?;
    let first = req.mutations.first().map(|m| m.mutation_id);
    let mut last = lock_device(&mut tx, &req.device_id, &subject.user_id, first).await?;
    let mut stage = if req.mutations.iter().any(|m| m.mutation_id > last) {
        let keys: Vec<(Kind, &str)> = req
            .mutations
            .iter()
            // An id PostgreSQL cannot store (a NUL) is rejected by `apply`; it must not reach SQL.
            .filter(|m| m.mutation_id > last && !m.entity_id.contains('\0'))
            .filter_map(|m| Some((Kind::parse(&m.entity)?, m.entity_id.as_str())))
            .collect();
        Stage::begin(&mut tx, &keys).await?
    } else {
        Stage::default()
    };
    // Ids at or below `last` come first (ids increase): each must carry what it carried when
    // processed, or this database was restored or copied and reuses them for new changes.
    let duplicates: Vec<&Mutation> = req
        .mutations
        .iter()
        .take_while(|m| m.mutation_id <= last)
        .collect();
    if let Some(mutation_id) =
        digests::first_diverging(&mut tx, &req.device_id, &duplicates).await?
    {
        return Err(ApiError::Diverged { mutation_id });
    }
    // A duplicate of a refused mutation is refused again: the first answer may have been lost
    // (a cut connection), and "already there" would keep the refused change on the laptop.
    let refused = refused_before(&mut tx, &req.device_id, &duplicates).await?;
    let mut facts = FactCache::default();
    let mut trail = audit::PushTrail::new(&subject, &req.device_id);
    let mut processed = digests::Processed::default();
    let mut results = Vec::with_capacity(req.mutations.len());
    for m in &req.mutations {
        if m.mutation_id <= last {
            let status = match refused.get(&m.mutation_id) {
                Some((code, message)) => MutationStatus::Rejected {
                    code: code.clone(),
                    message: message.clone(),
                    current: current_for(&mut tx, &mut stage, &subject, m, &mut facts).await?,
                },
                None => MutationStatus::Duplicate,
            };
            results.push(result(m, status));
            continue;
        }
        if Some(m.mutation_id) != last.checked_add(1) {
            stage.flush(&mut tx).await?;
            store_last(&mut tx, &req.device_id, last).await?;
            trail.write(&mut tx).await?;
            processed.write(&mut tx, &req.device_id).await?;
            tx.commit().await?;
            return Err(ApiError::Gap {
                expected: last + 1,
                got: m.mutation_id,
            });
        }
        let applied = apply(&mut tx, &mut stage, &subject, &req.device_id, m, &mut facts).await?;
        let status = match applied {
            Ok((seq, conflicts)) => {
                trail.applied(m, seq);
                MutationStatus::Applied { seq, conflicts }
            }
            Err(rejection) => {
                log_rejection(&mut tx, &subject, &req.device_id, m, &rejection).await?;
                let current = current_for(&mut tx, &mut stage, &subject, m, &mut facts).await?;
                MutationStatus::Rejected {
                    code: rejection.code.to_string(),
                    message: rejection.message,
                    current,
                }
            }
        };
        processed.note(m);
        results.push(result(m, status));
        last = m.mutation_id;
    }
    stage.flush(&mut tx).await?;
    store_last(&mut tx, &req.device_id, last).await?;
    trail.write(&mut tx).await?;
    processed.write(&mut tx, &req.device_id).await?;
    tx.commit().await?;
    Ok(Json(PushResponse {
        last_mutation_id: last,
        results,
    }))
}

/// Reads a push body exactly as the [`ApiJson`] extractor does: the fuzz targets (`fuzz/`) feed
/// it arbitrary bytes.
pub fn decode_request(body: &[u8]) -> ApiResult<PushRequest> {
    let Json(req) = Json::from_bytes(body)?;
    Ok(req)
}

/// The checks of a whole push that need no database: the batch size and the device id.
pub fn check_request(req: &PushRequest) -> ApiResult<()> {
    if req.mutations.len() > MAX_PUSH_BATCH {
        return Err(ApiError::TooLarge(format!(
            "{} mutations in one push; at most {MAX_PUSH_BATCH}",
            req.mutations.len()
        )));
    }
    validate_device_id(&req.device_id)
}

/// The checks of one mutation that need no database: its kind, its id and, for an upsert, its
/// patch, returned without its `id` (empty for a delete).
pub fn check_mutation(m: &Mutation) -> Result<(Kind, Map<String, Value>), Rejection> {
    let Some(kind) = Kind::parse(&m.entity) else {
        return Err(reject(
            "invalid",
            format!("unknown record kind {:?}", m.entity),
        ));
    };
    if !valid_id(&m.entity_id) {
        return Err(reject(
            "invalid",
            format!("a record id is 1 to {MAX_ID_CHARS} characters"),
        ));
    }
    let patch = match m.op {
        Op::Delete => Map::new(),
        Op::Upsert => validate_patch(kind, &m.entity_id, &m.patch)?,
    };
    Ok((kind, patch))
}

/// A record id as the clients' stores take them (the contract's limit), and PostgreSQL can store.
fn valid_id(id: &str) -> bool {
    !id.trim().is_empty() && id.chars().count() <= MAX_ID_CHARS && !id.contains('\0')
}

fn result(m: &Mutation, status: MutationStatus) -> MutationResult {
    MutationResult {
        mutation_id: m.mutation_id,
        status,
    }
}

/// Device ids are made by the client: a restricted alphabet keeps them apart from the
/// server's own writer ids (`user:...`).
pub(crate) fn validate_device_id(id: &str) -> ApiResult<()> {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::Invalid(
            "device_id must be 1 to 100 letters, digits, '-' or '_'".into(),
        ))
    }
}

/// Locks the device row and returns its last processed mutation. A device seen for the first
/// time starts just below its first mutation (`first`): a client whose earlier changes this
/// database never saw (it was restored from an older backup) must not be stuck on a gap.
async fn lock_device(
    tx: &mut Tx,
    device_id: &str,
    user_id: &str,
    first: Option<i64>,
) -> ApiResult<i64> {
    if let Some(first) = first {
        sqlx::query(
            "INSERT INTO devices (device_id, user_id, last_mutation_id) VALUES ($1, $2, $3)
             ON CONFLICT (device_id) DO NOTHING",
        )
        .bind(device_id)
        .bind(user_id)
        .bind(first.saturating_sub(1).max(0))
        .execute(&mut **tx)
        .await?;
    }
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT user_id, last_mutation_id FROM devices WHERE device_id = $1 FOR UPDATE",
    )
    .bind(device_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((owner, last)) = row else {
        // An empty push from a device never seen: nothing to record.
        return Ok(0);
    };
    if owner != user_id {
        return Err(ApiError::Forbidden(
            "this device is registered to another user; sign in as that user or reset the \
             local database"
                .into(),
        ));
    }
    Ok(last)
}

async fn store_last(tx: &mut Tx, device_id: &str, last: i64) -> ApiResult<()> {
    sqlx::query("UPDATE devices SET last_mutation_id = $2 WHERE device_id = $1")
        .bind(device_id)
        .bind(last)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn log_rejection(
    tx: &mut Tx,
    subject: &Subject,
    device_id: &str,
    m: &Mutation,
    rejection: &Rejection,
) -> ApiResult<()> {
    tracing::info!(device = device_id, mutation = m.mutation_id, entity = %m.entity,
        id = %m.entity_id, code = rejection.code, message = %rejection.message,
        "mutation rejected");
    sqlx::query(
        "INSERT INTO rejected_mutations
             (device_id, mutation_id, user_id, kind, entity_id, code, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(device_id)
    .bind(m.mutation_id)
    .bind(&subject.user_id)
    // Whatever the client sent, even what PostgreSQL cannot store (a NUL), is kept readable.
    .bind(m.entity.replace('\0', "\u{FFFD}"))
    .bind(m.entity_id.replace('\0', "\u{FFFD}"))
    .bind(rejection.code)
    .bind(&rejection.message)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which of `duplicates` were refused when first processed, with the code and message given.
async fn refused_before(
    tx: &mut Tx,
    device_id: &str,
    duplicates: &[&Mutation],
) -> ApiResult<std::collections::HashMap<i64, (String, String)>> {
    if duplicates.is_empty() {
        return Ok(Default::default());
    }
    let ids: Vec<i64> = duplicates.iter().map(|m| m.mutation_id).collect();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT mutation_id, code, message FROM rejected_mutations
          WHERE device_id = $1 AND mutation_id = ANY($2)",
    )
    .bind(device_id)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, message)| (id, (code, message)))
        .collect())
}

/// The server's state of the record a refused mutation names, as the pushing user may see it
/// (None: it does not exist for them). The client puts its copy back to this: a refused change
/// must not stay on the laptop as if it were true.
async fn current_for(
    tx: &mut Tx,
    stage: &mut Stage,
    subject: &Subject,
    m: &Mutation,
    facts: &mut FactCache,
) -> ApiResult<Option<Change>> {
    let Some(kind) = Kind::parse(&m.entity) else {
        return Ok(None);
    };
    if !valid_id(&m.entity_id) {
        return Ok(None);
    }
    let Some(record) = stage.load(tx, kind, &m.entity_id).await? else {
        return Ok(None);
    };
    if record.deleted {
        return Ok(None);
    }
    seed_facts(facts, stage, &record.roots);
    let scope = facts.scope(tx, kind, &record.roots).await?;
    if !scope::can_read(subject, &scope) {
        return Ok(None);
    }
    Ok(Some(Change {
        seq: record.seq,
        entity: kind.name().to_string(),
        entity_id: record.id,
        op: Op::Upsert,
        fields: record.fields,
        field_versions: record.field_versions,
    }))
}

/// Applies one mutation (to the stage), or says why not. `Err` of the outer result is an
/// infrastructure failure that aborts the whole push.
async fn apply(
    tx: &mut Tx,
    stage: &mut Stage,
    subject: &Subject,
    device_id: &str,
    m: &Mutation,
    facts: &mut FactCache,
) -> ApiResult<Outcome> {
    let (kind, patch) = match check_mutation(m) {
        Ok(checked) => checked,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let existing = stage.load(tx, kind, &m.entity_id).await?;
    match m.op {
        Op::Delete => delete(tx, stage, subject, kind, existing, facts).await,
        Op::Upsert if kind.natural_key().is_some() => {
            upsert_keyed(
                tx, stage, subject, device_id, kind, existing, patch, m, facts,
            )
            .await
        }
        Op::Upsert => {
            let write = Write {
                device_id,
                merging: false,
            };
            upsert(
                tx,
                stage,
                subject,
                write,
                kind,
                &m.entity_id,
                existing,
                patch,
                m,
                facts,
            )
            .await
        }
    }
}

/// An upsert of a kind with a natural key (one record per key value, as every client's store
/// holds them). A create whose key another live record has is merged into that record: its set
/// fields are written there, a conflict is kept for each field both set differently, and the
/// created id becomes a tombstone that names the record it went into, so that its creator
/// drops it. A later edit of that id goes to the record it went into. An edit that would give a
/// record another one's key is refused.
#[allow(clippy::too_many_arguments)]
async fn upsert_keyed(
    tx: &mut Tx,
    stage: &mut Stage,
    subject: &Subject,
    device_id: &str,
    kind: Kind,
    existing: Option<Record>,
    patch: Map<String, Value>,
    m: &Mutation,
    facts: &mut FactCache,
) -> ApiResult<Outcome> {
    let id = m.entity_id.as_str();
    let merged_into = existing
        .as_ref()
        .filter(|r| r.deleted)
        .and_then(|r| r.fields.get(records::MERGED_INTO))
        .and_then(Value::as_str)
        .map(str::to_string);
    let (target, existing, patch, merging) = match (merged_into, existing) {
        (Some(into), _) => {
            let target = stage.load(tx, kind, &into).await?;
            (into, target, patch, false)
        }
        (None, Some(r)) => {
            let key_changed = kind
                .natural_key()
                .unwrap_or_default()
                .iter()
                .any(|f| patch.contains_key(*f));
            let key = key_changed.then(|| {
                let mut fields = r.fields.clone();
                fields.extend(patch.clone());
                records::natural_key(kind, &fields)
            });
            if let Some(key) = key.flatten() {
                if let Some(twin) = records::natural_twin(tx, stage.known(), kind, id, &key).await?
                {
                    return Ok(Err(reject(
                        "duplicate",
                        format!("another {} ({twin}) already has {key}", kind.name()),
                    )));
                }
            }
            (id.to_string(), Some(r), patch, false)
        }
        (None, None) => {
            let twin = match records::natural_key(kind, &patch) {
                Some(key) => records::natural_twin(tx, stage.known(), kind, id, &key).await?,
                None => None,
            };
            match twin {
                Some(twin) => {
                    let target = stage.load(tx, kind, &twin).await?;
                    (twin, target, merge_patch(kind, patch), true)
                }
                None => (id.to_string(), None, patch, false),
            }
        }
    };
    if target == id {
        let write = Write {
            device_id,
            merging: false,
        };
        return upsert(
            tx, stage, subject, write, kind, id, existing, patch, m, facts,
        )
        .await;
    }
    let write = Write { device_id, merging };
    let outcome = upsert(
        tx, stage, subject, write, kind, &target, existing, patch, m, facts,
    )
    .await?;
    if outcome.is_ok() {
        // The id the device used is a tombstone naming the record it went into, renumbered at
        // each redirected edit so that a device which kept its copy for a pending edit is sent
        // the tombstone again. It hangs where the record does, for the same readers.
        let roots = stage
            .known()
            .get(&(kind, target.clone()))
            .and_then(Option::as_ref)
            .map(|r| r.roots.clone())
            .unwrap_or_default();
        let mut fields = Map::new();
        fields.insert(records::MERGED_INTO.into(), Value::String(target));
        let seq = stage.next_seq();
        stage.save(Record {
            kind,
            id: id.to_string(),
            fields,
            field_versions: Default::default(),
            field_writers: Default::default(),
            seq,
            deleted: true,
            roots,
        });
    }
    Ok(outcome)
}

/// What a create merged into its natural-key twin writes there: the fields it set (an empty
/// value leaves the twin's as it is), but not the key (the same) nor when the twin was created.
fn merge_patch(kind: Kind, patch: Map<String, Value>) -> Map<String, Value> {
    let key = kind.natural_key().unwrap_or_default();
    let blank = Blank::of(kind);
    patch
        .into_iter()
        .filter(|(f, v)| !key.contains(&f.as_str()) && f != "created_at" && !blank.unset(f, v))
        .collect()
}

/// What a new record of a kind holds before anyone fills it in (the contract's blank record:
/// an empty draft plan has a zero target and the default stage): such a field was not set.
struct Blank(Option<Map<String, Value>>);

impl Blank {
    fn of(kind: Kind) -> Blank {
        Blank(cdesk_domain::record::blank(kind.name()))
    }

    fn unset(&self, field: &str, v: &Value) -> bool {
        let empty = match v {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        let blank = self.0.as_ref().and_then(|b| b.get(field));
        empty
            || blank.is_some_and(|b| match (b.as_f64(), v.as_f64()) {
                (Some(x), Some(y)) => x == y,
                _ => b == v,
            })
    }
}

/// Who writes an upsert, and whether it merges a create into its natural-key twin.
#[derive(Debug, Clone, Copy)]
struct Write<'a> {
    device_id: &'a str,
    /// Merging: the twin's empty fields take the new values without a conflict, and the written
    /// fields' writer is not the device (whose pull must bring the merged record: it holds only
    /// its own copy, which the merge removes).
    merging: bool,
}

async fn delete(
    tx: &mut Tx,
    stage: &mut Stage,
    subject: &Subject,
    kind: Kind,
    existing: Option<Record>,
    facts: &mut FactCache,
) -> ApiResult<Outcome> {
    let Some(existing) = existing else {
        return Ok(Err(reject("not_found", format!("no such {}", kind.name()))));
    };
    if existing.deleted {
        // Deleting twice (two devices, or a retry after a reset) changes nothing.
        return Ok(Ok((existing.seq, Vec::new())));
    }
    seed_facts(facts, stage, &existing.roots);
    let before = facts.scope(tx, kind, &existing.roots).await?;
    if let Err(message) = scope::can_write(subject, Some(&before), None) {
        return Ok(Err(reject("forbidden", message)));
    }
    let seq = stage.next_seq();
    let tombstone = Record {
        fields: Map::new(),
        field_versions: Default::default(),
        field_writers: Default::default(),
        seq,
        deleted: true,
        ..existing
    };
    stage.save(tombstone);
    Ok(Ok((seq, Vec::new())))
}

#[allow(clippy::too_many_arguments)]
async fn upsert(
    tx: &mut Tx,
    stage: &mut Stage,
    subject: &Subject,
    write: Write<'_>,
    kind: Kind,
    id: &str,
    existing: Option<Record>,
    patch: Map<String, Value>,
    m: &Mutation,
    facts: &mut FactCache,
) -> ApiResult<Outcome> {
    if existing.as_ref().is_some_and(|r| r.deleted) {
        return Ok(Err(reject(
            "deleted",
            format!("this {} was deleted", kind.name()),
        )));
    }
    // Conflicts first: they read the patch, which then moves into the fields (a push of
    // 10,000 notes should not copy each note twice).
    let written: Vec<String> = patch.keys().cloned().collect();
    let mut found = Vec::new();
    let blank = if write.merging {
        Blank::of(kind)
    } else {
        Blank(None)
    };
    if let Some(old) = &existing {
        for (field, value) in &patch {
            let writer = old.field_writers.get(field).map(String::as_str);
            let stored = old.fields.get(field).unwrap_or(&Value::Null);
            let written = FieldWrite {
                field,
                value,
                base: m.base_versions.get(field).copied().unwrap_or(0),
                writer: write.device_id,
            };
            let held = FieldState {
                value: stored,
                version: old.field_versions.get(field).copied().unwrap_or(0),
                writer,
            };
            if is_conflict(&written, &held) && !(write.merging && blank.unset(field, stored)) {
                found.push(conflicts::NewConflict {
                    field: field.clone(),
                    overwritten_value: stored.clone(),
                    overwritten_writer: writer.unwrap_or_default().to_string(),
                    written_value: value.clone(),
                });
            }
        }
    }
    let mut fields = existing
        .as_ref()
        .map(|r| r.fields.clone())
        .unwrap_or_default();
    fields.extend(patch);
    // The record as it would be must be one every client can store: the contract's check, the
    // one each client's store runs on what it pulls.
    if let Err(e) = cdesk_domain::record::check(kind.name(), id, &fields) {
        return Ok(Err(reject("invalid", e.to_string())));
    }
    // A next step's author is whoever created it; it never changes.
    let author = match &existing {
        Some(r) => r.roots.author.clone(),
        None => Some(subject.email.clone()),
    };
    let roots = records::compute_roots(tx, stage.known(), kind, id, &fields, author).await?;
    let before = match &existing {
        Some(r) => {
            seed_facts(facts, stage, &r.roots);
            Some(facts.scope(tx, kind, &r.roots).await?)
        }
        None => None,
    };
    seed_facts(facts, stage, &roots);
    let after = facts.scope(tx, kind, &roots).await?;
    if let Err(message) = scope::can_write(subject, before.as_ref(), Some(&after)) {
        return Ok(Err(reject("forbidden", message)));
    }
    if subject.role != Role::Admin && !kind.is_rules() {
        let named_before = match &existing {
            Some(r) => {
                records::named_roots(tx, stage.known(), facts, kind, &r.fields, &r.roots).await?
            }
            None => Vec::new(),
        };
        let named_after =
            records::named_roots(tx, stage.known(), facts, kind, &fields, &roots).await?;
        if let Err(message) = scope::can_name(subject, &named_before, &named_after) {
            return Ok(Err(reject("forbidden", message)));
        }
    }

    let seq = stage.next_seq();
    let (mut field_versions, mut field_writers) = existing
        .as_ref()
        .map(|r| (r.field_versions.clone(), r.field_writers.clone()))
        .unwrap_or_default();
    let writer = if write.merging {
        // Not a device id (those are letters, digits, '-' and '_'): nobody's echo.
        format!("merge:{}", write.device_id)
    } else {
        write.device_id.to_string()
    };
    for field in written {
        field_versions.insert(field.clone(), seq);
        field_writers.insert(field, writer.clone());
    }
    let record = stage.save(Record {
        kind,
        id: id.to_string(),
        fields,
        field_versions,
        field_writers,
        seq,
        deleted: false,
        roots,
    });
    let conflicts = conflicts::record_all(tx, record, &subject.email, found).await?;
    if matches!(kind, Kind::Partner | Kind::Account) {
        facts.clear();
    }
    let old = match existing {
        Some(old) => Some(old),
        // A new partner or account may adopt records that named it before it existed (an
        // admin's import in any order): they become visible to its owner now.
        None if matches!(kind, Kind::Partner | Kind::Account) => {
            let mut unowned = record.clone();
            unowned.roots.scope_owner = None;
            unowned.roots.scope_region = None;
            Some(unowned)
        }
        None => None,
    };
    if let Some(old) = old.filter(|old| rescope::needed(old, record)) {
        let record = record.clone();
        // Rescoping reads and writes records and takes numbers on its own.
        stage.flush(tx).await?;
        rescope::after_change(tx, facts, &old, &record).await?;
        stage.forget(tx).await?;
    }
    Ok(Ok((seq, conflicts)))
}

/// Lets `facts` answer from the stage for the partner and account above `roots` (written by this
/// push perhaps, and not saved yet).
fn seed_facts(facts: &mut FactCache, stage: &Stage, roots: &Roots) {
    let state = |kind: Kind, id: &String| -> Option<Roots> {
        let state = stage.known().get(&(kind, id.clone()))?;
        Some(state.as_ref().map(|r| r.roots.clone()).unwrap_or_default())
    };
    if let Some(p) = &roots.root_partner_id {
        if let Some(r) = state(Kind::Partner, p) {
            facts.seed_partner(p, &r);
        }
    }
    if let Some(a) = &roots.root_account_id {
        if let Some(r) = state(Kind::Account, a) {
            facts.seed_account(a, &r);
        }
    }
}

/// Checks a patch against the kind's fields. `id` may be sent; it must match the record id and
/// is not stored as a field.
pub(crate) fn validate_patch(
    kind: Kind,
    id: &str,
    patch: &Map<String, Value>,
) -> Result<Map<String, Value>, Rejection> {
    let mut out = Map::new();
    for (field, value) in patch {
        if field == "id" {
            if value.as_str() != Some(id) {
                return Err(reject(
                    "invalid",
                    "the patch's id differs from the record id",
                ));
            }
            continue;
        }
        if !kind.has_field(field) {
            return Err(reject(
                "invalid",
                format!("{} has no field {field:?}", kind.name()),
            ));
        }
        if let Err(message) = crate::limits::check_field(kind, field, value) {
            return Err(reject("invalid", message));
        }
        if kind.scope_fields().contains(&field.as_str()) && !(value.is_string() || value.is_null())
        {
            return Err(reject(
                "invalid",
                format!("{}.{field} must be text", kind.name()),
            ));
        }
        if kind == Kind::Partner && field == "region" {
            let known = value
                .as_str()
                .is_some_and(|r| REGIONS.contains(&r.trim().to_lowercase().as_str()));
            if !known {
                return Err(reject(
                    "invalid",
                    format!("a partner's region is one of {}", REGIONS.join(", ")),
                ));
            }
        }
        out.insert(field.clone(), value.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn patches_name_only_known_fields() {
        let err = validate_patch(Kind::Account, "a1", &map(json!({"nmae": "x"}))).unwrap_err();
        assert_eq!(err.code, "invalid");
        assert!(err.message.contains("nmae"), "{}", err.message);
    }

    #[test]
    fn the_id_in_a_patch_must_match_and_is_dropped() {
        let ok = validate_patch(Kind::Account, "a1", &map(json!({"id": "a1", "name": "n"})));
        assert_eq!(ok.unwrap(), map(json!({"name": "n"})));
        assert!(validate_patch(Kind::Account, "a1", &map(json!({"id": "a2"}))).is_err());
    }

    #[test]
    fn scope_fields_must_be_text_and_regions_known() {
        assert!(validate_patch(Kind::Account, "a", &map(json!({"owner": 5}))).is_err());
        assert!(validate_patch(Kind::Account, "a", &map(json!({"partner_id": null}))).is_ok());
        assert!(validate_patch(Kind::Partner, "p", &map(json!({"region": "mars"}))).is_err());
        assert!(validate_patch(Kind::Partner, "p", &map(json!({"region": "emea"}))).is_ok());
    }

    #[test]
    fn mutations_are_checked_before_the_database() {
        let m = |entity: &str, id: &str, op, patch| Mutation {
            mutation_id: 1,
            entity: entity.into(),
            entity_id: id.into(),
            op,
            patch: map(patch),
            base_versions: Default::default(),
        };
        let (kind, patch) = check_mutation(&m("account", "a1", Op::Upsert, json!({"id": "a1"})))
            .expect("a valid upsert");
        assert_eq!((kind, patch), (Kind::Account, Map::new()));
        // A delete's patch means nothing, so nothing in it is refused.
        assert!(check_mutation(&m("account", "a1", Op::Delete, json!({"nmae": 1}))).is_ok());
        assert!(check_mutation(&m("planet", "a1", Op::Delete, json!({}))).is_err());
        assert!(check_mutation(&m("account", " ", Op::Delete, json!({}))).is_err());
        assert!(check_mutation(&m("account", "a\0", Op::Delete, json!({}))).is_err());
    }

    #[test]
    fn device_ids_cannot_pose_as_server_writers() {
        assert!(validate_device_id("0192f0c1-7d3e-7c4e-9a1b-2c3d4e5f6a7b").is_ok());
        assert!(validate_device_id("user:boss@example.com").is_err());
        assert!(validate_device_id("").is_err());
    }
}
