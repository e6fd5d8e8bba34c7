//! The store's side of sync: what to push, what the server answered, what to pull in.
//!
//! This is the one write path besides [`super::Writer`]: changes that come *from* the server
//! are not local changes, so they are written without outbox entries — and never over a field
//! that has a local change still waiting to be pushed.

use std::collections::{BTreeMap, BTreeSet};

use cdesk_protocol::{Change, Conflict, Mutation, MutationStatus, Op, PushResponse};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};

use super::entity::{apply_remote, delete_remote};
use super::tables::with_kind;
use super::{Reader, Store};
use crate::error::{CoreError, Result};
use crate::time::{new_id, Timestamp};

const DEVICE_ID: &str = "device_id";
const CURSOR: &str = "cursor";
const EPOCH: &str = "epoch";
const LAST_SUCCESS: &str = "last_success_at";
const LAST_ATTEMPT: &str = "last_attempt_at";
const LAST_ERROR: &str = "last_error";
const SERVER_URL: &str = "server_url";
const ACCOUNT_EMAIL: &str = "account_email";
/// Present only inside the transaction that applies a pulled page: the search triggers of
/// migration 007 then leave indexing to [`reindex_search`], once per page.
const SEARCH_DEFERRED: &str = "search_deferred";

/// The kinds with a full-text index: their table, its FTS5 table, and the indexed columns.
const SEARCH_TABLES: &[(&str, &str, &str, &str)] = &[
    (
        "partner",
        "partners",
        "partners_fts",
        "name, account_notes, owner",
    ),
    ("call_note", "call_notes", "call_notes_fts", "title, body"),
    (
        "business_plan",
        "business_plans",
        "business_plans_fts",
        "goals, marketing_plan",
    ),
    (
        "next_step",
        "next_steps",
        "next_steps_fts",
        "description, owner",
    ),
];

/// Brings the search index of the `kind` records `ids` (inserted or updated while indexing was
/// deferred) up to date, in two statements: FTS5 then writes them out as one segment, instead
/// of one segment per row.
fn reindex_search(conn: &Connection, kind: &str, ids: &[&str]) -> Result<()> {
    let Some((_, table, fts, columns)) = SEARCH_TABLES.iter().find(|t| t.0 == kind) else {
        return Ok(());
    };
    let ids = serde_json::to_string(ids)?;
    let rows = format!("SELECT rowid FROM {table} WHERE id IN (SELECT value FROM json_each(?1))");
    // An updated row's old terms go first (FTS5 removes them using its own copy of the text).
    conn.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid IN ({rows})"))?
        .execute([&ids])?;
    // In rowid order: FTS5 writes its pending terms out whenever a rowid comes in lower than
    // the one before.
    conn.prepare_cached(&format!(
        "INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {columns} FROM {table}
         WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY rowid"
    ))?
    .execute([&ids])?;
    Ok(())
}

/// What the person sees about sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncStatus {
    /// Local changes not yet accepted by the server.
    pub pending: i64,
    pub last_success_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// The last attempt's error, cleared by a success.
    pub last_error: Option<String>,
    pub open_conflicts: i64,
    pub rejected: i64,
    pub cursor: i64,
}

/// A change the server refused, kept for the person to see.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RejectedChange {
    pub mutation_id: i64,
    pub entity: String,
    pub entity_id: String,
    pub op: String,
    pub patch: Value,
    pub code: String,
    pub message: String,
    pub rejected_at: String,
}

/// What acknowledging one push did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PushOutcome {
    pub applied: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub conflicts: usize,
}

fn state_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn state_set(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn
            .prepare_cached(
                "INSERT INTO sync_state (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute((key, v))?,
        None => conn
            .prepare_cached("DELETE FROM sync_state WHERE key = ?")?
            .execute([key])?,
    };
    Ok(())
}

/// Merges `versions` into the record's known field versions, in one statement (`json_patch`
/// merges two objects, the second winning): a pull remembers this for every record it applies.
fn remember_versions(
    conn: &Connection,
    entity: &str,
    id: &str,
    versions: impl IntoIterator<Item = (String, i64)>,
) -> Result<()> {
    let versions: Map<String, Value> = versions
        .into_iter()
        .map(|(field, version)| (field, Value::from(version)))
        .collect();
    conn.prepare_cached(
        "INSERT INTO record_versions (entity, entity_id, field_versions) VALUES (?, ?, ?)
         ON CONFLICT (entity, entity_id) DO UPDATE
         SET field_versions = json_patch(field_versions, excluded.field_versions)",
    )?
    .execute((entity, id, Value::Object(versions).to_string()))?;
    Ok(())
}

/// The fields of a record with a change waiting in the outbox, and whether a delete waits.
fn pending_fields(conn: &Connection, entity: &str, id: &str) -> Result<(BTreeSet<String>, bool)> {
    let mut stmt =
        conn.prepare_cached("SELECT op, patch FROM outbox WHERE entity = ? AND entity_id = ?")?;
    let mut rows = stmt.query((entity, id))?;
    let mut fields = BTreeSet::new();
    let mut deleted = false;
    while let Some(row) = rows.next()? {
        let op: String = row.get(0)?;
        deleted |= op == "delete";
        let patch: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(1)?)?;
        fields.extend(patch.into_iter().map(|(k, _)| k));
    }
    Ok((fields, deleted))
}

impl Store {
    /// This database's device id, made on first use. A restored copy of a database must get
    /// a new one (see `forget_device`), or its reused mutation ids would be taken as duplicates.
    pub fn device_id(&mut self) -> Result<String> {
        if let Some(id) = state_get(&self.conn, DEVICE_ID)? {
            return Ok(id);
        }
        let id = new_id();
        state_set(&self.conn, DEVICE_ID, Some(&id))?;
        Ok(id)
    }

    /// Records what the server answered to a push of `sent`, in one transaction: drops the
    /// processed entries from the outbox, keeps rejected ones for the person to see, notes
    /// conflicts, and remembers the versions our applied changes created.
    pub fn acknowledge_push(
        &mut self,
        sent: &[Mutation],
        resp: &PushResponse,
    ) -> Result<PushOutcome> {
        let tx = self.conn.transaction()?;
        let mut outcome = PushOutcome::default();
        let now = Timestamp::now().to_text();
        for result in &resp.results {
            let Some(m) = sent.iter().find(|m| m.mutation_id == result.mutation_id) else {
                return Err(CoreError::invalid(
                    "push",
                    format!(
                        "the server answered for mutation {} that was not sent",
                        result.mutation_id
                    ),
                ));
            };
            match &result.status {
                MutationStatus::Applied { seq, conflicts } => {
                    outcome.applied += 1;
                    if m.op == Op::Delete {
                        tx.execute(
                            "DELETE FROM record_versions WHERE entity = ? AND entity_id = ?",
                            (&m.entity, &m.entity_id),
                        )?;
                    } else {
                        remember_versions(
                            &tx,
                            &m.entity,
                            &m.entity_id,
                            m.patch.keys().map(|k| (k.clone(), *seq)),
                        )?;
                    }
                    for c in conflicts {
                        outcome.conflicts += 1;
                        store_conflict(&tx, c, &now)?;
                    }
                }
                MutationStatus::Duplicate => outcome.duplicates += 1,
                MutationStatus::Rejected { code, message } => {
                    outcome.rejected += 1;
                    tx.execute(
                        "INSERT OR REPLACE INTO sync_rejected
                         (mutation_id, entity, entity_id, op, patch, code, message, rejected_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            m.mutation_id,
                            &m.entity,
                            &m.entity_id,
                            if m.op == Op::Delete {
                                "delete"
                            } else {
                                "upsert"
                            },
                            Value::Object(m.patch.clone()).to_string(),
                            code,
                            message,
                            &now,
                        ),
                    )?;
                }
            }
        }
        tx.execute(
            "DELETE FROM outbox WHERE mutation_id <= ?",
            [resp.last_mutation_id],
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Applies one pulled page and its cursor in one transaction. Foreign keys are not
    /// checked while applying: a page may hold a child before its parent, or a record whose
    /// parent the user may not see.
    ///
    /// Nor is the WAL checkpointed when the page commits: a first pull commits its groups
    /// back to back, and a checkpoint after each (copying the WAL into the file and syncing
    /// both) took most of a 100,000-record pull's time (docs/sync-benchmarks.md). The WAL
    /// holds them all instead; [`Store::checkpoint_after_pull`] then copies it once.
    pub fn apply_pull(&mut self, changes: &[Change], cursor: i64, epoch: &str) -> Result<usize> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let result = self.apply_pull_unchecked(changes, cursor, epoch);
        self.conn
            .pragma_update(None, "wal_autocheckpoint", super::WAL_AUTOCHECKPOINT_PAGES)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        result
    }

    /// After pulled pages were applied: when their WAL has grown past twice the automatic
    /// checkpoint's size, checkpoints it into the database file and truncates it (a first
    /// pull would otherwise leave a WAL file of hundreds of MB behind). Readers in the way
    /// only leave part of it for the next automatic checkpoint.
    pub fn checkpoint_after_pull(&mut self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        // SQLCipher answers for an encrypted database with its cipher_page_size, as text.
        let page_size: i64 = self.conn.pragma_query_value(None, "page_size", |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Integer(n) => n,
                other => other.as_str()?.parse().unwrap_or(4096),
            })
        })?;
        if size as i64 > 2 * super::WAL_AUTOCHECKPOINT_PAGES * page_size {
            // One row: busy, frames in the WAL, frames checkpointed.
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    fn apply_pull_unchecked(
        &mut self,
        changes: &[Change],
        cursor: i64,
        epoch: &str,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        state_set(&tx, SEARCH_DEFERRED, Some("1"))?;
        let mut to_index: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut applied = 0;
        // Nothing is pending in most pulls (and in every initial one): one look then suffices.
        let outbox_empty = !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox)")?
            .query_row([], |r| r.get::<_, bool>(0))?;
        for change in changes {
            let (pending, delete_pending) = if outbox_empty {
                (BTreeSet::new(), false)
            } else {
                pending_fields(&tx, &change.entity, &change.entity_id)?
            };
            if delete_pending {
                continue; // our delete goes up with the next push
            }
            let id = change.entity_id.as_str();
            match change.op {
                Op::Delete if pending.is_empty() => {
                    with_kind!(change.entity.as_str(), E => delete_remote::<E>(&tx, id)?, unknown => {
                        return Err(unknown_kind(&change.entity));
                    });
                    tx.execute(
                        "DELETE FROM record_versions WHERE entity = ? AND entity_id = ?",
                        (&change.entity, id),
                    )?;
                }
                // A local edit waits for a record deleted elsewhere: the push will tell.
                Op::Delete => continue,
                Op::Upsert => {
                    let written = with_kind!(change.entity.as_str(), E => apply_remote::<E>(&tx, id, &change.fields, &pending)?, unknown => {
                        return Err(unknown_kind(&change.entity));
                    });
                    if written {
                        to_index.entry(change.entity.as_str()).or_default().push(id);
                    }
                    remember_versions(
                        &tx,
                        &change.entity,
                        id,
                        change
                            .field_versions
                            .iter()
                            .filter(|(f, _)| !pending.contains(*f))
                            .map(|(f, v)| (f.clone(), *v)),
                    )?;
                }
            }
            applied += 1;
        }
        for (kind, ids) in to_index {
            reindex_search(&tx, kind, &ids)?;
        }
        state_set(&tx, SEARCH_DEFERRED, None)?;
        state_set(&tx, CURSOR, Some(&cursor.to_string()))?;
        state_set(&tx, EPOCH, Some(epoch))?;
        tx.commit()?;
        Ok(applied)
    }

    /// Remembers which server and account this database syncs with (the token is elsewhere:
    /// in the OS keyring). `None` forgets them (signed out).
    pub fn set_sync_account(&mut self, account: Option<(&str, &str)>) -> Result<()> {
        let tx = self.conn.transaction()?;
        state_set(&tx, SERVER_URL, account.map(|a| a.0))?;
        state_set(&tx, ACCOUNT_EMAIL, account.map(|a| a.1))?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the pull cursor (the server asked for a reset); the outbox is kept.
    pub fn reset_sync_cursor(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        state_set(&tx, CURSOR, None)?;
        state_set(&tx, EPOCH, None)?;
        tx.commit()?;
        Ok(())
    }

    /// Gives this database a new device id: for a copy restored from a backup.
    pub fn forget_device(&mut self) -> Result<()> {
        state_set(&self.conn, DEVICE_ID, None)
    }

    /// Records a sync attempt: success clears the last error.
    pub fn record_sync_attempt(&mut self, error: Option<&str>) -> Result<()> {
        let now = Timestamp::now().to_text();
        let tx = self.conn.transaction()?;
        state_set(&tx, LAST_ATTEMPT, Some(&now))?;
        match error {
            None => {
                state_set(&tx, LAST_SUCCESS, Some(&now))?;
                state_set(&tx, LAST_ERROR, None)?;
            }
            Some(e) => state_set(&tx, LAST_ERROR, Some(e))?,
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces the open conflicts with the server's current list.
    pub fn replace_conflicts(&mut self, conflicts: &[Conflict]) -> Result<()> {
        let now = Timestamp::now().to_text();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM sync_conflicts", [])?;
        for c in conflicts.iter().filter(|c| c.resolved_at.is_none()) {
            store_conflict(&tx, c, &now)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Dismisses a rejected change the person has seen.
    pub fn dismiss_rejected(&mut self, mutation_id: i64) -> Result<()> {
        let n = self.conn.execute(
            "DELETE FROM sync_rejected WHERE mutation_id = ?",
            [mutation_id],
        )?;
        if n == 0 {
            return Err(CoreError::NotFound {
                entity: "rejected change",
                id: mutation_id.to_string(),
            });
        }
        Ok(())
    }
}

fn store_conflict(conn: &Connection, c: &Conflict, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (id, body, seen_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body",
    )?
    .execute((&c.id, serde_json::to_string(c)?, now))?;
    Ok(())
}

fn unknown_kind(kind: &str) -> CoreError {
    CoreError::invalid(
        "entity",
        format!("the server sent an unknown kind of record {kind:?}"),
    )
}

impl Reader<'_> {
    /// The outbox as protocol mutations, oldest first.
    pub fn pending_mutations(&self, limit: usize) -> Result<Vec<Mutation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT mutation_id, entity, entity_id, op, patch, base_versions FROM outbox
             ORDER BY mutation_id LIMIT ?",
        )?;
        let mut rows = stmt.query([limit as i64])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Mutation {
                mutation_id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                op: if r.get::<_, String>(3)? == "delete" {
                    Op::Delete
                } else {
                    Op::Upsert
                },
                patch: serde_json::from_str(&r.get::<_, String>(4)?)?,
                base_versions: serde_json::from_str(&r.get::<_, String>(5)?)?,
            });
        }
        Ok(out)
    }

    pub fn sync_cursor(&self) -> Result<i64> {
        Ok(state_get(self.conn, CURSOR)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    /// The server URL and account email this database syncs with, if signed in.
    pub fn sync_account(&self) -> Result<Option<(String, String)>> {
        Ok(state_get(self.conn, SERVER_URL)?.zip(state_get(self.conn, ACCOUNT_EMAIL)?))
    }

    /// The server epoch the cursor belongs to (None before the first pull).
    pub fn sync_epoch(&self) -> Result<Option<String>> {
        state_get(self.conn, EPOCH)
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(SyncStatus {
            pending: count("SELECT count(*) FROM outbox")?,
            last_success_at: state_get(self.conn, LAST_SUCCESS)?,
            last_attempt_at: state_get(self.conn, LAST_ATTEMPT)?,
            last_error: state_get(self.conn, LAST_ERROR)?,
            open_conflicts: count("SELECT count(*) FROM sync_conflicts")?,
            rejected: count("SELECT count(*) FROM sync_rejected")?,
            cursor: self.sync_cursor()?,
        })
    }

    pub fn rejected_changes(&self) -> Result<Vec<RejectedChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT mutation_id, entity, entity_id, op, patch, code, message, rejected_at
             FROM sync_rejected ORDER BY mutation_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RejectedChange {
                mutation_id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                op: r.get(3)?,
                patch: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or(Value::Null),
                code: r.get(5)?,
                message: r.get(6)?,
                rejected_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn open_conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM sync_conflicts ORDER BY seen_at, id")?;
        let bodies = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in bodies {
            out.push(serde_json::from_str(&body?)?);
        }
        Ok(out)
    }
}
