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

use super::entity::{apply_remote, delete_remote, requeue, requeue_fields};
use super::tables::{with_kind, KINDS};
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
/// The PEM of a CA this profile trusts for its server beside the computer's own (a company CA).
const SERVER_CA: &str = "server_ca";
/// The person whose data this profile holds: the first to sign in (normalized email). Kept
/// after signing out; nobody else signs in here.
const PROFILE_OWNER: &str = "profile_owner";
/// The signed-in person's region as the server knows it (a manager's, for "my team").
const PROFILE_REGION: &str = "profile_region";
/// The signed-in person's role as the server reported it at sign-in (who may edit the rules).
const PROFILE_ROLE: &str = "profile_role";
/// Set while a full resync after the server forgot changes is under way (see `sync_unseen`).
const RECONCILE: &str = "reconcile";
/// Set from a reset until its full resync reached the last page.
const FULL_RESYNC: &str = "full_resync";
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
    /// Pulled changes this database could not store, kept aside (see [`UnappliedChange`]).
    pub unapplied: i64,
    pub cursor: i64,
}

/// A pulled change this database could not store, kept aside with the reason: sync goes on
/// without it, and it is tried again after every pull.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnappliedChange {
    pub entity: String,
    pub entity_id: String,
    pub seq: i64,
    pub reason: String,
    pub first_failed_at: String,
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
    pending_fields_after(conn, entity, id, 0)
}

/// [`pending_fields`] of the outbox entries after mutation `after`.
fn pending_fields_after(
    conn: &Connection,
    entity: &str,
    id: &str,
    after: i64,
) -> Result<(BTreeSet<String>, bool)> {
    let mut stmt = conn.prepare_cached(
        "SELECT op, patch FROM outbox WHERE entity = ? AND entity_id = ? AND mutation_id > ?",
    )?;
    let mut rows = stmt.query((entity, id, after))?;
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
                MutationStatus::Rejected {
                    code,
                    message,
                    current,
                } => {
                    outcome.rejected += 1;
                    undo_refused(&tx, m, current.as_ref())?;
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
        let mut to_index_owned: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut applied = 0;
        // Nothing is pending in most pulls (and in every initial one): one look then suffices.
        let outbox_empty = !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox)")?
            .query_row([], |r| r.get::<_, bool>(0))?;
        let reconciling = state_get(&tx, RECONCILE)?.is_some();
        let none_aside = !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_unapplied)")?
            .query_row([], |r| r.get::<_, bool>(0))?;
        let mut requeued = 0;
        for change in changes {
            let lost = if reconciling {
                lost_fields(&tx, change)?
            } else {
                BTreeSet::new()
            };
            let stored = if outbox_empty && lost.is_empty() {
                apply_change(&tx, change, BTreeSet::new())
            } else {
                match pending_fields(&tx, &change.entity, &change.entity_id)? {
                    (_, true) => continue, // our delete goes up with the next push
                    (mut pending, false) => {
                        let lost: BTreeSet<String> = lost.difference(&pending).cloned().collect();
                        pending.extend(lost.iter().cloned());
                        let stored = apply_change(&tx, change, pending);
                        // Changes made here after the server's backup go back up.
                        if stored.is_ok() && !lost.is_empty() {
                            let id = change.entity_id.as_str();
                            if with_kind!(change.entity.as_str(), E => requeue_fields::<E>(&tx, id, &lost)?, unknown => false)
                            {
                                requeued += 1;
                            }
                        }
                        stored
                    }
                }
            };
            // A change that cannot be stored is kept aside, and the rest goes on: one record
            // must not stop every later sync. Its statement wrote nothing (SQLite undoes a
            // failed statement alone), and nothing else was written for it yet.
            match stored {
                Ok(Applied::Written) => {
                    to_index
                        .entry(change.entity.as_str())
                        .or_default()
                        .push(change.entity_id.as_str());
                }
                Ok(Applied::Unchanged) => {}
                Ok(Applied::Skipped) => continue,
                Err(e) if unstorable(&e) => {
                    keep_aside(&tx, change, &e.to_string())?;
                    continue;
                }
                Err(e) => return Err(e),
            }
            if !none_aside {
                tx.prepare_cached("DELETE FROM sync_unapplied WHERE entity = ? AND entity_id = ?")?
                    .execute((&change.entity, &change.entity_id))?;
            }
            applied += 1;
        }
        // What was kept aside may fit now (the record in its way was deleted by this page).
        applied += retry_unapplied(&tx, &mut to_index_owned)?;
        for (kind, ids) in &to_index_owned {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            reindex_search(&tx, kind, &ids)?;
        }
        for (kind, ids) in to_index {
            reindex_search(&tx, kind, &ids)?;
        }
        if requeued > 0 {
            let before: usize = state_get(&tx, RECONCILE)?
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            state_set(&tx, RECONCILE, Some(&(before + requeued).to_string()))?;
        }
        state_set(&tx, SEARCH_DEFERRED, None)?;
        state_set(&tx, CURSOR, Some(&cursor.to_string()))?;
        state_set(&tx, EPOCH, Some(epoch))?;
        tx.commit()?;
        Ok(applied)
    }

    /// Remembers which server and account this database syncs with (the token is elsewhere:
    /// in the OS keyring). `None` forgets them (signed out). The first person to sign in owns the
    /// profile: notes written here before, under the computer's user name, become theirs; anyone
    /// else is refused ([`Reader::check_profile_for`]).
    pub fn set_sync_account(&mut self, account: Option<(&str, &str)>) -> Result<()> {
        let tx = self.conn.transaction()?;
        if let Some((_, email)) = account {
            Reader { conn: &tx }.check_profile_for(email)?;
            let email = normalize_email(email);
            if state_get(&tx, PROFILE_OWNER)?.is_none() {
                claim_local_notes(&tx, &email)?;
                state_set(&tx, PROFILE_OWNER, Some(&email))?;
            }
        }
        state_set(&tx, SERVER_URL, account.map(|a| a.0))?;
        state_set(&tx, ACCOUNT_EMAIL, account.map(|a| a.1))?;
        tx.commit()?;
        Ok(())
    }

    /// Trusts the CA certificates in `pem` (PEM) for this profile's server, beside the
    /// computer's own authorities; `None` trusts only those.
    pub fn set_server_ca(&mut self, pem: Option<&str>) -> Result<()> {
        state_set(&self.conn, SERVER_CA, pem)
    }

    /// Remembers the signed-in person's region as the server reported it at sign-in (a
    /// manager's team is the region's partners); `None` when the server names none.
    pub fn set_profile_region(&mut self, region: Option<&str>) -> Result<()> {
        state_set(&self.conn, PROFILE_REGION, region)
    }

    /// Remembers the signed-in person's role as the server reported it at sign-in: the app and
    /// `cdesk` let only an admin edit the rules tables, as the server does.
    pub fn set_profile_role(&mut self, role: Option<cdesk_protocol::Role>) -> Result<()> {
        let code = role
            .map(|r| serde_json::to_value(r).map(|v| v.as_str().unwrap_or_default().to_string()))
            .transpose()?;
        state_set(&self.conn, PROFILE_ROLE, code.as_deref())
    }

    /// Forgets the pull cursor, so the next pull fetches everything again (the outbox is kept).
    /// With `reconcile` (the server forgot changes: it was restored from a backup), the records
    /// held here are noted, and those the server has not sent when the resync ends are pushed
    /// again ([`Store::finish_full_resync`]): they are what the server lost.
    pub fn begin_full_resync(&mut self, reconcile: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        state_set(&tx, CURSOR, None)?;
        state_set(&tx, EPOCH, None)?;
        state_set(&tx, FULL_RESYNC, Some("1"))?;
        if reconcile && state_get(&tx, RECONCILE)?.is_none() {
            tx.execute("DELETE FROM sync_unseen", [])?;
            // The rules tables are the admin's: a copy here that the server lacks is no loss.
            for kind in KINDS.iter().filter(|k| !cdesk_domain::record::is_rules(k)) {
                let table =
                    with_kind!(*kind, E => E::TABLE, unknown => unreachable!("{kind} is a kind"));
                tx.execute(
                    &format!(
                        "INSERT OR IGNORE INTO sync_unseen (entity, entity_id, field_versions)
                         SELECT ?1, t.id, v.field_versions FROM {table} t
                         LEFT JOIN record_versions v ON v.entity = ?1 AND v.entity_id = t.id"
                    ),
                    [kind],
                )?;
            }
            // The count of records queued again so far.
            state_set(&tx, RECONCILE, Some("0"))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// After a full pull reached the end: pushes again the records the server did not send
    /// during a reconciling resync (see [`Store::begin_full_resync`]), and returns how many were
    /// queued. Records with a change waiting go up with it anyway.
    pub fn finish_full_resync(&mut self) -> Result<usize> {
        if state_get(&self.conn, FULL_RESYNC)?.is_none() {
            return Ok(0); // every sync but a resync: no write
        }
        let tx = self.conn.transaction()?;
        state_set(&tx, FULL_RESYNC, None)?;
        if state_get(&tx, RECONCILE)?.is_none() {
            tx.commit()?;
            return Ok(0);
        }
        let lost: Vec<(String, String)> = tx
            .prepare(
                "SELECT entity, entity_id FROM sync_unseen u
                 WHERE NOT EXISTS (SELECT 1 FROM outbox o
                                   WHERE o.entity = u.entity AND o.entity_id = u.entity_id)
                 ORDER BY entity, entity_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut queued: usize = state_get(&tx, RECONCILE)?
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        // Parents before children, so the server can place each: the order of KINDS.
        for kind in KINDS {
            for (_, id) in lost.iter().filter(|(k, _)| k == kind) {
                if with_kind!(*kind, E => requeue::<E>(&tx, id)?, unknown => unreachable!("{kind} is a kind"))
                {
                    queued += 1;
                }
            }
        }
        if queued > 0 {
            tracing::warn!(
                queued,
                "the server lacks records this database holds (it was restored from a backup): \
                 they are pushed again"
            );
        }
        tx.execute("DELETE FROM sync_unseen", [])?;
        state_set(&tx, RECONCILE, None)?;
        tx.commit()?;
        Ok(queued)
    }

    /// Continues as a new device: the server has processed this device's mutation ids with
    /// other content (this database was restored from a backup or copied) or forgot some of them
    /// (it was restored). A new device id makes the outbox's ids new to the server, and a
    /// reconciling full resync brings back what this copy lacks and pushes again what the server
    /// lacks.
    pub fn start_new_incarnation(&mut self) -> Result<()> {
        state_set(&self.conn, DEVICE_ID, None)?;
        self.begin_full_resync(true)
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

/// Emails compare trimmed and case-insensitively (as the server compares them).
fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The computer's user name: who writes notes on a profile nobody has signed in to yet.
pub fn os_user_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// At the first sign-in: the notes written here before it, under the computer's user name and
/// never synced, are the signed-in person's (the server accepts a note only from its author).
fn claim_local_notes(conn: &Connection, email: &str) -> Result<()> {
    let Some(local) = os_user_name() else {
        return Ok(());
    };
    let ids: Vec<String> = conn
        .prepare(
            "SELECT id FROM call_notes WHERE author = ?
             AND id NOT IN (SELECT entity_id FROM record_versions WHERE entity = 'call_note')",
        )?
        .query_map([&local], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        conn.execute("UPDATE call_notes SET author = ? WHERE id = ?", (email, id))?;
        conn.execute(
            "UPDATE outbox SET patch = json_set(patch, '$.author', ?)
             WHERE entity = 'call_note' AND entity_id = ? AND json_extract(patch, '$.author') = ?",
            (email, id, &local),
        )?;
    }
    if !ids.is_empty() {
        tracing::info!(
            notes = ids.len(),
            "notes written before the first sign-in are the signed-in person's"
        );
    }
    Ok(())
}

/// During a reconciling resync: marks the record of `change` as sent by the server, and returns
/// the fields this database changed after the server's backup (known here at a later version
/// than the one the server sends): those keep their local value and are pushed again.
fn lost_fields(conn: &Connection, change: &Change) -> Result<BTreeSet<String>> {
    let known: Option<Option<String>> = conn
        .prepare_cached(
            "DELETE FROM sync_unseen WHERE entity = ? AND entity_id = ? RETURNING field_versions",
        )?
        .query_row((&change.entity, &change.entity_id), |r| r.get(0))
        .optional()?;
    let (Some(Some(known)), Op::Upsert) = (known, change.op) else {
        return Ok(BTreeSet::new());
    };
    let known: BTreeMap<String, i64> = serde_json::from_str(&known)?;
    Ok(known
        .into_iter()
        .filter(|(field, version)| {
            *version > change.field_versions.get(field).copied().unwrap_or(0)
        })
        .map(|(field, _)| field)
        .collect())
}

/// What applying one pulled change did.
enum Applied {
    /// A row was inserted or changed (its search entry needs an update).
    Written,
    /// Nothing needed writing, or a row was deleted.
    Unchanged,
    /// Left for a pending local change (the push decides).
    Skipped,
}

/// Applies one pulled change, leaving the `pending` fields (with a local change waiting) alone.
fn apply_change(conn: &Connection, change: &Change, pending: BTreeSet<String>) -> Result<Applied> {
    let id = change.entity_id.as_str();
    match change.op {
        Op::Delete if pending.is_empty() => {
            with_kind!(change.entity.as_str(), E => delete_remote::<E>(conn, id)?, unknown => {
                return Err(unknown_kind(&change.entity));
            });
            conn.prepare_cached("DELETE FROM record_versions WHERE entity = ? AND entity_id = ?")?
                .execute((&change.entity, id))?;
            Ok(Applied::Unchanged)
        }
        // A local edit waits for a record deleted elsewhere: the push will tell.
        Op::Delete => Ok(Applied::Skipped),
        Op::Upsert => {
            let written = with_kind!(change.entity.as_str(), E => apply_remote::<E>(conn, id, &change.fields, &pending)?, unknown => {
                return Err(unknown_kind(&change.entity));
            });
            remember_versions(
                conn,
                &change.entity,
                id,
                change
                    .field_versions
                    .iter()
                    .filter(|(f, _)| !pending.contains(*f))
                    .map(|(f, v)| (f.clone(), *v)),
            )?;
            Ok(if written {
                Applied::Written
            } else {
                Applied::Unchanged
            })
        }
    }
}

/// Whether applying a change failed for what it holds (it breaks a local rule or key, or is of
/// a kind this version does not know), not because the database cannot be written.
fn unstorable(e: &CoreError) -> bool {
    match e {
        CoreError::Invalid { .. }
        | CoreError::Duplicate(_)
        | CoreError::NotFound { .. }
        | CoreError::Json(_) => true,
        CoreError::Database(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code == rusqlite::ErrorCode::ConstraintViolation
        }
        _ => false,
    }
}

/// Keeps a pulled change aside with why it could not be stored (a newer one of the same
/// record replaces it).
fn keep_aside(conn: &Connection, change: &Change, reason: &str) -> Result<()> {
    tracing::warn!(entity = %change.entity, id = %change.entity_id, seq = change.seq, %reason,
        "a pulled change cannot be stored here; kept aside");
    conn.prepare_cached(
        "INSERT INTO sync_unapplied (entity, entity_id, seq, change, reason, first_failed_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (entity, entity_id) DO UPDATE
         SET seq = excluded.seq, change = excluded.change, reason = excluded.reason",
    )?
    .execute((
        &change.entity,
        &change.entity_id,
        change.seq,
        serde_json::to_string(change)?,
        reason,
        Timestamp::now().to_text(),
    ))?;
    Ok(())
}

/// Tries the changes kept aside again, oldest first; returns how many now applied. Their ids
/// join `to_index` when a row was written.
fn retry_unapplied(
    conn: &Connection,
    to_index: &mut BTreeMap<String, Vec<String>>,
) -> Result<usize> {
    let aside: Vec<String> = conn
        .prepare_cached("SELECT change FROM sync_unapplied ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut applied = 0;
    for text in aside {
        let change: Change = serde_json::from_str(&text)?;
        let (pending, delete_pending) = pending_fields(conn, &change.entity, &change.entity_id)?;
        if delete_pending {
            continue;
        }
        match apply_change(conn, &change, pending) {
            Ok(Applied::Skipped) => continue,
            Ok(done) => {
                if matches!(done, Applied::Written) {
                    to_index
                        .entry(change.entity.clone())
                        .or_default()
                        .push(change.entity_id.clone());
                }
                conn.prepare_cached(
                    "DELETE FROM sync_unapplied WHERE entity = ? AND entity_id = ?",
                )?
                .execute((&change.entity, &change.entity_id))?;
                applied += 1;
            }
            Err(e) if unstorable(&e) => {
                conn.prepare_cached(
                    "UPDATE sync_unapplied SET reason = ? WHERE entity = ? AND entity_id = ?",
                )?
                .execute((e.to_string(), &change.entity, &change.entity_id))?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(applied)
}

/// Puts a record whose change the server refused back to the server's state of it (`current`;
/// None: it does not exist for this user), keeping the fields that later changes in the outbox
/// decide: those still waiting, and those later in the same push, which the server applied
/// after it answered with `current` (the outbox keeps the batch until its answer is recorded).
/// The refused change itself stays listed.
fn undo_refused(conn: &Connection, refused: &Mutation, current: Option<&Change>) -> Result<()> {
    let (entity, id) = (refused.entity.as_str(), refused.entity_id.as_str());
    let (pending, delete_pending) = pending_fields_after(conn, entity, id, refused.mutation_id)?;
    if delete_pending || !KINDS.contains(&entity) {
        return Ok(());
    }
    let undone = match current {
        Some(change) => apply_change(conn, change, pending).map(|_| ()),
        None if pending.is_empty() => {
            with_kind!(entity, E => delete_remote::<E>(conn, id), unknown => unreachable!("{entity} is a kind"))
                .and_then(|()| {
                    conn.execute(
                        "DELETE FROM record_versions WHERE entity = ? AND entity_id = ?",
                        (entity, id),
                    )?;
                    Ok(())
                })
        }
        None => Ok(()),
    };
    match undone {
        // The server's state does not fit here, or records here still hang under the refused
        // one: the local copy stays, and the refusal is listed.
        Err(e) if unstorable(&e) => {
            tracing::warn!(entity, id, error = %e, "a refused change could not be undone here");
            Ok(())
        }
        other => other,
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
    // (An unknown kind from a newer server is kept aside like any change that does not fit.)
    CoreError::invalid(
        "entity",
        format!("the server sent an unknown kind of record {kind:?}"),
    )
}

impl Reader<'_> {
    /// The highest mutation id this database has ever made (0 before its first): a copy
    /// restored from a backup has made fewer than the server applied from its device.
    pub fn mutations_made(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

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

    /// Whether a full resync (everything, this device's own records too) is under way.
    pub fn full_resync_pending(&self) -> Result<bool> {
        Ok(state_get(self.conn, FULL_RESYNC)?.is_some())
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

    /// The CA certificates (PEM) this profile trusts for its server, if any of its own.
    pub fn server_ca(&self) -> Result<Option<String>> {
        state_get(self.conn, SERVER_CA)
    }

    /// The server this profile is signed in to, with the CA (PEM) it keeps for it, when it
    /// keeps one: what signing in to the same server again trusts without being told.
    pub fn kept_server_ca(&self) -> Result<Option<(String, String)>> {
        Ok(state_get(self.conn, SERVER_URL)?.zip(self.server_ca()?))
    }

    /// The person whose data this profile holds (the first to sign in), if anyone signed in.
    pub fn profile_owner(&self) -> Result<Option<String>> {
        state_get(self.conn, PROFILE_OWNER)
    }

    /// The signed-in person's role at the last sign-in, if anyone signed in here.
    pub fn profile_role(&self) -> Result<Option<cdesk_protocol::Role>> {
        Ok(state_get(self.conn, PROFILE_ROLE)?
            .and_then(|code| serde_json::from_value(serde_json::Value::String(code)).ok()))
    }

    /// The signed-in person's region, when the server named one at sign-in.
    pub fn profile_region(&self) -> Result<Option<String>> {
        state_get(self.conn, PROFILE_REGION)
    }

    /// Who writes notes here: the profile's person, else the computer's user name.
    pub fn default_author(&self) -> Result<Option<String>> {
        Ok(self.profile_owner()?.or_else(os_user_name))
    }

    /// Refuses `email` on a profile that holds another person's data: checked before signing
    /// in, so that nothing is sent to the server as the wrong person.
    pub fn check_profile_for(&self, email: &str) -> Result<()> {
        match self.profile_owner()? {
            Some(owner) if owner != normalize_email(email) => Err(CoreError::ProfileOfAnother {
                owner,
                email: email.trim().to_string(),
            }),
            _ => Ok(()),
        }
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
            unapplied: count("SELECT count(*) FROM sync_unapplied")?,
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

    /// The pulled changes kept aside because they could not be stored here, oldest first.
    pub fn unapplied_changes(&self) -> Result<Vec<UnappliedChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity, entity_id, seq, reason, first_failed_at FROM sync_unapplied
             ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(UnappliedChange {
                entity: r.get(0)?,
                entity_id: r.get(1)?,
                seq: r.get(2)?,
                reason: r.get(3)?,
                first_failed_at: r.get(4)?,
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
