//! The one write path: every change to a record writes the row **and** appends the changed
//! fields to the outbox, in the caller's transaction. Reads map rows back through serde.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params_from_iter, Connection, ErrorCode, OptionalExtension};
use serde_json::{Map, Value};

use super::from_row::from_row;
use super::tables::{Col, Entity};
use crate::error::{CoreError, Result};
use crate::time::Timestamp;

/// What a `put` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    Updated,
    /// Nothing differed from what is stored: no write, no outbox entry.
    Unchanged,
}

/// Inserts or updates `e`, appending one outbox entry with the fields that changed.
/// `updated_at` is set by the store whenever something else changed.
pub(crate) fn put<E: Entity>(conn: &Connection, e: &E) -> Result<PutOutcome> {
    e.validate()?;
    let mut new = to_map(e)?;
    let old = load_map::<E>(conn, e.id())?;
    let now = Value::String(Timestamp::now().to_text());
    let has_updated_at = E::COLUMNS.iter().any(|(c, _)| *c == "updated_at");

    let (outcome, patch) = match &old {
        None => {
            let mut patch = new.clone();
            patch.remove("id");
            (PutOutcome::Inserted, patch)
        }
        Some(old) => {
            let mut patch = Map::new();
            for (col, _) in E::COLUMNS {
                if matches!(*col, "id" | "updated_at" | "created_at") {
                    continue;
                }
                let value = new.get(*col).cloned().unwrap_or(Value::Null);
                if old.get(*col) != Some(&value) {
                    patch.insert((*col).to_string(), value);
                }
            }
            if patch.is_empty() {
                return Ok(PutOutcome::Unchanged);
            }
            if has_updated_at {
                new.insert("updated_at".into(), now.clone());
                patch.insert("updated_at".into(), now);
            }
            (PutOutcome::Updated, patch)
        }
    };

    let result = if outcome == PutOutcome::Inserted {
        let cols: Vec<&str> = E::COLUMNS.iter().map(|(c, _)| *c).collect();
        let marks = vec!["?"; cols.len()].join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            E::TABLE,
            cols.join(", ")
        );
        let values = E::COLUMNS
            .iter()
            .map(|(c, ty)| to_sql(new.get(*c).unwrap_or(&Value::Null), *ty));
        conn.prepare_cached(&sql)?.execute(params_from_iter(values))
    } else {
        let sets: Vec<String> = patch.keys().map(|c| format!("{c} = ?")).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?", E::TABLE, sets.join(", "));
        let mut values: Vec<SqlValue> = patch
            .iter()
            .map(|(c, v)| to_sql(v, column_type::<E>(c)))
            .collect();
        values.push(SqlValue::Text(e.id().to_string()));
        conn.prepare_cached(&sql)?.execute(params_from_iter(values))
    };
    result.map_err(|err| constraint_error::<E>(err))?;

    let base = base_versions(conn, E::KIND, e.id(), &patch)?;
    append_outbox(
        conn,
        E::KIND,
        e.id(),
        "upsert",
        &Value::Object(patch),
        &base,
    )?;
    Ok(outcome)
}

/// Deletes a record and appends a delete to the outbox. Deleting what is not there is an error.
pub(crate) fn delete<E: Entity>(conn: &Connection, id: &str) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?", E::TABLE);
    let n = conn
        .prepare_cached(&sql)?
        .execute([id])
        .map_err(|err| constraint_error::<E>(err))?;
    if n == 0 {
        return Err(CoreError::NotFound {
            entity: E::KIND,
            id: id.to_string(),
        });
    }
    let empty = Value::Object(Map::new());
    append_outbox(conn, E::KIND, id, "delete", &empty, &empty)
}

fn append_outbox(
    conn: &Connection,
    kind: &str,
    id: &str,
    op: &str,
    patch: &Value,
    base_versions: &Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (entity, entity_id, op, patch, base_versions, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute((
        kind,
        id,
        op,
        patch.to_string(),
        base_versions.to_string(),
        Timestamp::now().to_text(),
    ))?;
    Ok(())
}

/// The server versions the changed fields were edited from (fields never synced are left out:
/// absent means version 0).
fn base_versions(
    conn: &Connection,
    kind: &str,
    id: &str,
    patch: &Map<String, Value>,
) -> Result<Value> {
    let known: Option<String> = conn
        .prepare_cached(
            "SELECT field_versions FROM record_versions WHERE entity = ? AND entity_id = ?",
        )?
        .query_row((kind, id), |r| r.get(0))
        .optional()?;
    let mut base = Map::new();
    if let Some(known) = known {
        let versions: Map<String, Value> = serde_json::from_str(&known)?;
        for field in patch.keys() {
            if let Some(v) = versions.get(field) {
                base.insert(field.clone(), v.clone());
            }
        }
    }
    Ok(Value::Object(base))
}

/// Writes a record as the server sent it, validated like any record but with no outbox entry
/// (it is not a local change). Fields in `keep_local` (with a pending local change) are left as
/// they are: the push decides them. Returns whether the row was written (false: it already
/// held all of that).
pub(crate) fn apply_remote<E: Entity>(
    conn: &Connection,
    id: &str,
    fields: &Map<String, Value>,
    keep_local: &std::collections::BTreeSet<String>,
) -> Result<bool> {
    let old = load_map::<E>(conn, id)?;
    let mut merged = old.clone().unwrap_or_default();
    for (col, _) in E::COLUMNS {
        if *col == "id" || keep_local.contains(*col) {
            continue;
        }
        if let Some(v) = fields.get(*col) {
            merged.insert((*col).to_string(), v.clone());
        }
    }
    merged.insert("id".into(), Value::String(id.to_string()));
    // The shape and the rules must hold, whatever the server says.
    let record: E = serde_json::from_value(Value::Object(merged)).map_err(|e| {
        CoreError::invalid(
            E::KIND,
            format!("the server sent a {} that does not fit: {e}", E::KIND),
        )
    })?;
    record.validate()?;
    let merged = to_map(&record)?;
    match old {
        None => {
            let cols: Vec<&str> = E::COLUMNS.iter().map(|(c, _)| *c).collect();
            let marks = vec!["?"; cols.len()].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                E::TABLE,
                cols.join(", ")
            );
            let values = E::COLUMNS
                .iter()
                .map(|(c, ty)| to_sql(merged.get(*c).unwrap_or(&Value::Null), *ty));
            conn.prepare_cached(&sql)?
                .execute(params_from_iter(values))?;
        }
        Some(old) => {
            let changed: Vec<(&str, Col)> = E::COLUMNS
                .iter()
                .filter(|(c, _)| *c != "id" && old.get(*c) != merged.get(*c))
                .copied()
                .collect();
            if changed.is_empty() {
                return Ok(false);
            }
            let sets: Vec<String> = changed.iter().map(|(c, _)| format!("{c} = ?")).collect();
            let sql = format!("UPDATE {} SET {} WHERE id = ?", E::TABLE, sets.join(", "));
            let mut values: Vec<SqlValue> = changed
                .iter()
                .map(|(c, ty)| to_sql(merged.get(*c).unwrap_or(&Value::Null), *ty))
                .collect();
            values.push(SqlValue::Text(id.to_string()));
            conn.prepare_cached(&sql)?
                .execute(params_from_iter(values))?;
        }
    }
    Ok(true)
}

/// Queues the whole record `id` to be pushed again, as a create (no base versions): the server
/// lost it (restored from a backup) and this database still holds it. False when it is not here.
pub(crate) fn requeue<E: Entity>(conn: &Connection, id: &str) -> Result<bool> {
    let Some(mut fields) = load_map::<E>(conn, id)? else {
        return Ok(false);
    };
    fields.remove("id");
    let empty = Value::Object(Map::new());
    append_outbox(conn, E::KIND, id, "upsert", &Value::Object(fields), &empty)?;
    Ok(true)
}

/// Queues the `fields` of record `id` to be pushed again (no base versions): the server lost
/// these changes (restored from a backup) and this database still holds them.
pub(crate) fn requeue_fields<E: Entity>(
    conn: &Connection,
    id: &str,
    fields: &std::collections::BTreeSet<String>,
) -> Result<bool> {
    let Some(mut all) = load_map::<E>(conn, id)? else {
        return Ok(false);
    };
    all.retain(|f, _| fields.contains(f));
    if all.is_empty() {
        return Ok(false);
    }
    let empty = Value::Object(Map::new());
    append_outbox(conn, E::KIND, id, "upsert", &Value::Object(all), &empty)?;
    Ok(true)
}

/// Deletes a record the server deleted (no outbox entry). Absent already is fine.
pub(crate) fn delete_remote<E: Entity>(conn: &Connection, id: &str) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?", E::TABLE);
    conn.prepare_cached(&sql)?.execute([id])?;
    Ok(())
}

/// Loads one record by id.
pub(crate) fn get<E: Entity>(conn: &Connection, id: &str) -> Result<Option<E>> {
    load_map::<E>(conn, id)?
        .map(|m| serde_json::from_value(Value::Object(m)).map_err(CoreError::from))
        .transpose()
}

/// Loads one record by id, or says it does not exist.
pub(crate) fn require<E: Entity>(conn: &Connection, id: &str) -> Result<E> {
    get::<E>(conn, id)?.ok_or_else(|| CoreError::NotFound {
        entity: E::KIND,
        id: id.to_string(),
    })
}

/// Loads the records matching `filter` (SQL after `WHERE`, with `?` parameters), in `order`.
pub(crate) fn select<E: Entity>(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
    order: &str,
) -> Result<Vec<E>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter} ORDER BY {order}",
        column_list::<E>(),
        E::TABLE
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row::<E>(row)?);
    }
    Ok(out)
}

/// The column list of `E` for a SELECT, in `COLUMNS` order.
pub(crate) fn column_list<E: Entity>() -> String {
    E::COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

fn load_map<E: Entity>(conn: &Connection, id: &str) -> Result<Option<Map<String, Value>>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?",
        column_list::<E>(),
        E::TABLE
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_row([id], |row| Ok(row_to_map::<E>(row)))
        .optional()?
        .transpose()
}

/// Maps a row selected with [`column_list`] to a JSON object.
pub(crate) fn row_to_map<E: Entity>(row: &rusqlite::Row<'_>) -> Result<Map<String, Value>> {
    let mut map = Map::with_capacity(E::COLUMNS.len());
    for (i, (col, ty)) in E::COLUMNS.iter().enumerate() {
        map.insert((*col).to_string(), from_sql(row.get_ref(i)?, *ty)?);
    }
    Ok(map)
}

fn to_map<E: Entity>(e: &E) -> Result<Map<String, Value>> {
    match serde_json::to_value(e)? {
        Value::Object(m) => Ok(m),
        _ => unreachable!("entities serialize to objects"),
    }
}

fn column_type<E: Entity>(name: &str) -> Col {
    E::COLUMNS
        .iter()
        .find(|(c, _)| *c == name)
        .map(|(_, t)| *t)
        .unwrap_or(Col::Text)
}

fn to_sql(v: &Value, ty: Col) -> SqlValue {
    match (v, ty) {
        (Value::Null, _) => SqlValue::Null,
        (Value::Bool(b), _) => SqlValue::Integer(i64::from(*b)),
        (Value::Number(n), _) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or_default())),
        (Value::String(s), Col::Json) => SqlValue::Text(Value::String(s.clone()).to_string()),
        (Value::String(s), _) => SqlValue::Text(s.clone()),
        (other, _) => SqlValue::Text(other.to_string()),
    }
}

fn from_sql(v: ValueRef<'_>, ty: Col) -> Result<Value> {
    Ok(match (v, ty) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(i), Col::Bool) => Value::Bool(i != 0),
        (ValueRef::Integer(i), _) => Value::from(i),
        (ValueRef::Real(f), _) => Value::from(f),
        (ValueRef::Text(t), Col::Json) => serde_json::from_slice(t)?,
        (ValueRef::Text(t), _) => Value::String(String::from_utf8_lossy(t).into_owned()),
        (ValueRef::Blob(b), _) => Value::String(String::from_utf8_lossy(b).into_owned()),
    })
}

/// Turns SQLite constraint failures into errors that say what is wrong.
fn constraint_error<E: Entity>(err: rusqlite::Error) -> CoreError {
    if let rusqlite::Error::SqliteFailure(ref f, ref msg) = err {
        if f.code == ErrorCode::ConstraintViolation {
            let msg = msg.clone().unwrap_or_default();
            if msg.contains("FOREIGN KEY") {
                return CoreError::invalid(
                    E::KIND,
                    "refers to a record that does not exist, or is still referred to by others",
                );
            }
            if msg.contains("UNIQUE") {
                return CoreError::Duplicate(format!(
                    "a {} with the same {} already exists",
                    E::KIND.replace('_', " "),
                    msg.rsplit(':')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .replace(&format!("{}.", E::TABLE), "")
                ));
            }
        }
    }
    CoreError::Database(err)
}
